#!/usr/bin/env bash
# dyad throughput benchmark: one command, prints a Markdown table.
#
#   bench/run.sh            (from the repository root, after `make`)
#
# Corpus: the Reuters-21578 bodies from ../shared/corpora/news (bench/extract-reuters.sh),
# 19,043 documents, 18 MB.  Each measurement is the median of 5 runs after one warm-up run.
# Wall-clock times on this machine; peak RSS from /usr/bin/time.  One-core runs are pinned
# to CPU 0 with taskset when it is installed; -j 2 runs use both cores.  The compiled
# dictionary cache (docs/dictionaries.md) lives in a private directory: warm for the
# "from the cache" rows (the warm-up run fills it), off (DYAD_CACHE_DIR=off) for "from text".
# With ../shared/dictionaries/phoenix present, the Phoenix rows are measured too.
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

PHOENIX=$SHARED/dictionaries/phoenix
export DYAD_CACHE_DIR=$OUT/dict-cache
PIN=()
if command -v taskset > /dev/null; then PIN=(taskset -c 0); fi
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

load_before=$(cut -d' ' -f1 /proc/loadavg)
t_code=$(median_time 5 "${PIN[@]}" "$DYAD" code -q "$CORPUS")
t_code_j2=$(median_time 5 "$DYAD" code -q -j 2 "$CORPUS")
t_start=$(median_time 21 "${PIN[@]}" "$DYAD" code -q -i jsonl /dev/null)
t_start_text=$(DYAD_CACHE_DIR=off median_time 5 "${PIN[@]}" "$DYAD" code -q -i jsonl /dev/null)
rss=$(peak_rss_mb "$DYAD" code -q "$CORPUS")
summary_np=$("$DYAD" code -P "$CORPUS" 2>&1 >/dev/null | tail -1)
events_np=$(echo "$summary_np" | awk '{print $7}')
sents_np=$(echo "$summary_np" | awk '{print $5}')
t_np=$(median_time 5 "${PIN[@]}" "$DYAD" code -q -P "$CORPUS")
t_start_np=$(median_time 21 "${PIN[@]}" "$DYAD" code -q -P -i jsonl /dev/null)
t_start_np_text=$(DYAD_CACHE_DIR=off median_time 5 "${PIN[@]}" "$DYAD" code -q -P -i jsonl /dev/null)
rss_np=$(peak_rss_mb "$DYAD" code -q -P "$CORPUS")
if [ -d "$PHOENIX" ]; then
    PX=(-F petrarch --dict "$PHOENIX")
    summary_px=$("$DYAD" code "${PX[@]}" "$CORPUS" 2>&1 >/dev/null | tail -1)
    events_px=$(echo "$summary_px" | awk '{print $7}')
    t_px=$(median_time 5 "${PIN[@]}" "$DYAD" code -q "${PX[@]}" "$CORPUS")
    summary_pxn=$("$DYAD" code -P "${PX[@]}" "$CORPUS" 2>&1 >/dev/null | tail -1)
    events_pxn=$(echo "$summary_pxn" | awk '{print $7}')
    t_pxn=$(median_time 5 "${PIN[@]}" "$DYAD" code -q -P "${PX[@]}" "$CORPUS")
    t_start_px=$(median_time 21 "${PIN[@]}" "$DYAD" code -q -P "${PX[@]}" -i jsonl /dev/null)
    t_start_px_text=$(DYAD_CACHE_DIR=off median_time 5 "${PIN[@]}" "$DYAD" code -q -P "${PX[@]}" -i jsonl /dev/null)
    rss_px=$(peak_rss_mb "$DYAD" code -q "${PX[@]}" "$CORPUS")
fi
load_after=$(cut -d' ' -f1 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "Machine: $cpu, $(nproc) cores; dyad $("$DYAD" version | cut -d' ' -f2); $(date -u +%Y-%m-%d); load average $load_before before, $load_after after"
echo
echo "| measurement | value |"
echo "|---|---|"
awk -v t="$t_code" -v d="$docs" -v s="$sents" -v b="$bytes" -v e="$events" 'BEGIN{
    printf "| dyad code (split, tokenize, tag, parse, code, write JSONL), 1 core | %.2f s for %d docs, %d sentences, %d events |\n", t, d, s, e
    printf "| documents/s | %.0f |\n", d/t
    printf "| sentences/s | %.0f |\n", s/t
    printf "| MB/s of input JSONL | %.2f |\n", b/t/1e6 }'
awk -v t="$t_code_j2" -v t1="$t_code" -v s="$sents" 'BEGIN{
    printf "| sentences/s, -j 2 (both cores) | %.0f (%.2fx one core) |\n", s/t, t1/t }'
awk -v t="$t_start" -v x="$t_start_text" 'BEGIN{ printf "| start-up: dyad'"'"'s dictionaries and models (load, no input), dictionaries from the cache | %.1f ms (%.1f ms from the text) |\n", t*1000, x*1000 }'
echo "| peak RSS | $rss MB |"
awk -v t="$t_np" -v d="$docs" -v s="$sents_np" -v b="$bytes" -v e="$events_np" 'BEGIN{
    printf "| dyad code --no-parse (split, tokenize, code on tokens, write JSONL), 1 core | %.2f s for %d docs, %d sentences, %d events |\n", t, d, s, e
    printf "| sentences/s, --no-parse | %.0f |\n", s/t
    printf "| MB/s of input JSONL, --no-parse | %.1f |\n", b/t/1e6 }'
awk -v t="$t_start_np" -v x="$t_start_np_text" 'BEGIN{ printf "| start-up, dictionaries only (--no-parse), from the cache | %.1f ms (%.1f ms from the text) |\n", t*1000, x*1000 }'
echo "| peak RSS, --no-parse | $rss_np MB |"
if [ -d "$PHOENIX" ]; then
    awk -v t="$t_px" -v s="$sents" -v e="$events_px" 'BEGIN{
        printf "| Phoenix dictionaries: dyad code (parsed), 1 core | %.2f s, %.0f sentences/s, %d events |\n", t, s/t, e }'
    awk -v t="$t_pxn" -v s="$sents_np" -v e="$events_pxn" 'BEGIN{
        printf "| Phoenix dictionaries: dyad code --no-parse, 1 core | %.2f s, %.0f sentences/s, %d events |\n", t, s/t, e }'
    awk -v t="$t_start_px" -v x="$t_start_px_text" 'BEGIN{ printf "| start-up, Phoenix dictionaries (--no-parse), from the cache | %.1f ms (%.1f ms from the text) |\n", t*1000, x*1000 }'
    echo "| peak RSS, Phoenix dictionaries (parsed) | $rss_px MB |"
fi
