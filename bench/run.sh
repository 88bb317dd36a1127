#!/usr/bin/env bash
# dyad throughput benchmark: one command, prints a Markdown table.
#
#   bench/run.sh            (from the repository root, after `make`)
#
# Corpus: the Reuters-21578 bodies from ../shared/corpora/news (bench/extract-reuters.sh),
# 19,043 documents, 18 MB.  Each measurement is the median of 5 runs after one warm-up run.
# Wall-clock times on this machine; peak RSS from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
SHARED=${SHARED:-../shared}
OUT=bench/out
mkdir -p "$OUT"
if [ ! -d "$SHARED/corpora/news/reuters21578" ]; then
    echo "bench: $SHARED/corpora/news/reuters21578 is absent; nothing to measure" >&2
    exit 1
fi
[ -x "$DYAD" ] || { echo "bench: build $DYAD first (make)" >&2; exit 1; }
CORPUS=$OUT/reuters.jsonl
[ -s "$CORPUS" ] || bench/extract-reuters.sh "$SHARED/corpora/news/reuters21578" > "$CORPUS"

now() { date +%s.%N; }
# median SECONDS of N runs of a command (after one warm-up)
median_time() {
    local n=$1; shift
    "$@" > /dev/null 2>&1 || true
    local ts=()
    for _ in $(seq "$n"); do
        local a b; a=$(now); "$@" > /dev/null 2>&1 || true; b=$(now)
        ts+=("$(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.6f", b-a}')")
    done
    printf '%s\n' "${ts[@]}" | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}
peak_rss_mb() {
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'
    else
        echo "n/a (install the 'time' package)"
    fi
}

summary=$("$DYAD" code "$CORPUS" 2>&1 >/dev/null | tail -1)
docs=$(echo "$summary" | awk '{print $3}')
sents=$(echo "$summary" | awk '{print $5}')
events=$(echo "$summary" | awk '{print $7}')
bytes=$(wc -c < "$CORPUS")

t_code=$(median_time 5 "$DYAD" code -q "$CORPUS")
t_start=$(median_time 21 "$DYAD" code -q -i jsonl /dev/null)
rss=$(peak_rss_mb "$DYAD" code -q "$CORPUS")
summary_np=$("$DYAD" code -P "$CORPUS" 2>&1 >/dev/null | tail -1)
events_np=$(echo "$summary_np" | awk '{print $7}')
sents_np=$(echo "$summary_np" | awk '{print $5}')
t_np=$(median_time 5 "$DYAD" code -q -P "$CORPUS")
t_start_np=$(median_time 21 "$DYAD" code -q -P -i jsonl /dev/null)
rss_np=$(peak_rss_mb "$DYAD" code -q -P "$CORPUS")

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "Machine: $cpu, $(nproc) cores; dyad $("$DYAD" version | cut -d' ' -f2); $(date -u +%Y-%m-%d)"
echo
echo "| measurement | value |"
echo "|---|---|"
awk -v t="$t_code" -v d="$docs" -v s="$sents" -v b="$bytes" -v e="$events" 'BEGIN{
    printf "| dyad code (split, tokenize, tag, parse, code, write JSONL), 1 core | %.2f s for %d docs, %d sentences, %d events |\n", t, d, s, e
    printf "| documents/s | %.0f |\n", d/t
    printf "| sentences/s | %.0f |\n", s/t
    printf "| MB/s of input JSONL | %.2f |\n", b/t/1e6 }'
awk -v t="$t_start" 'BEGIN{ printf "| start-up: dyad'"'"'s dictionaries and models (load, no input) | %.1f ms |\n", t*1000 }'
echo "| peak RSS | $rss MB |"
awk -v t="$t_np" -v d="$docs" -v s="$sents_np" -v b="$bytes" -v e="$events_np" 'BEGIN{
    printf "| dyad code --no-parse (split, tokenize, code on tokens, write JSONL), 1 core | %.2f s for %d docs, %d sentences, %d events |\n", t, d, s, e
    printf "| sentences/s, --no-parse | %.0f |\n", s/t
    printf "| MB/s of input JSONL, --no-parse | %.1f |\n", b/t/1e6 }'
awk -v t="$t_start_np" 'BEGIN{ printf "| start-up, dictionaries only (--no-parse) | %.1f ms |\n", t*1000 }'
echo "| peak RSS, --no-parse | $rss_np MB |"
