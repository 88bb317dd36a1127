#!/usr/bin/env bash
# NLP-stage benchmark (issue 3): tokenize + split + tag + lemmatize + parse on
# the Reuters-21578 news bodies, one core.  Prints a Markdown table.
#
#   bench/nlp.sh            (from the repository root, after `make`)
#
# Corpus: bench/extract-reuters.sh turns the SGML files of
# ../shared/corpora/news/reuters21578 into JSON Lines, one document per
# <REUTERS> element with a <BODY>: the <BODY> text with SGML entities decoded,
# control-character entities dropped, Latin-1 converted to UTF-8, indented line
# starts turned into paragraph breaks (see that script).
#
# Measured:
#   tokens/s   median of 5 runs of `dyad parse -q CORPUS > /dev/null` (after a
#              warm-up run): wall clock of the whole process, so it includes
#              reading JSON, writing CoNLL-U and loading the models;
#   model load median of 21 runs of `dyad parse` on empty input (process start,
#              reading and validating the model files: tagger, parser and the
#              learned sentence splitter);
#   peak RSS   /usr/bin/time -f %M of one full run.
# With data/models/parser-beam.bin, the same for `dyad parse --accurate` (the
# beam-search parser; 3 runs, it is about 4 times slower); ACCURATE=0 skips it.
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

summary=$("$DYAD" parse "$CORPUS" 2>&1 >/dev/null | tail -1)
docs=$(echo "$summary" | awk '{print $3}')
tokens=$(echo "$summary" | awk '{print $5}')
t_parse=$(median_time 5 taskset -c 0 "$DYAD" parse -q "$CORPUS")
t_load=$(median_time 21 "$DYAD" parse -q -i jsonl /dev/null)
rss=$(/usr/bin/time -f %M "$DYAD" parse -q "$CORPUS" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}')
beam=
if [ "${ACCURATE:-1}" != 0 ] && [ -s data/models/parser-beam.bin ]; then
    b_parse=$(median_time 3 taskset -c 0 "$DYAD" parse -q --accurate "$CORPUS")
    b_load=$(median_time 21 "$DYAD" parse -q --accurate -i jsonl /dev/null)
    b_rss=$(/usr/bin/time -f %M "$DYAD" parse -q --accurate "$CORPUS" 2>&1 >/dev/null | tail -1 |
        awk '{printf "%.1f", $1/1024}')
    beam=$(awk -v t="$b_parse" -v k="$tokens" -v l="$b_load" -v r="$b_rss" \
        -v bs="$(stat -c %s data/models/parser-beam.bin)" 'BEGIN{
        printf "| dyad parse --accurate (beam-search parser), 1 core, median of 3 | %.2f s, %.0f tokens/s |\n", t, k/t
        printf "| model load with --accurate, median of 21 | %.1f ms |\n", l*1000
        printf "| peak RSS with --accurate | %s MB |\n", r
        printf "| beam parser model file | %.1f MB |\n", bs/1e6
    }')
fi
tsize=$(stat -c %s data/models/tagger.bin)
psize=$(stat -c %s data/models/parser.bin)
ssize=$(stat -c %s data/models/splitter.bin 2>/dev/null || echo 0)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
echo "Machine: $cpu, $(nproc) cores; dyad $("$DYAD" version | cut -d' ' -f2); $(date -u +%Y-%m-%d)"
echo
echo "| measurement | value |"
echo "|---|---|"
awk -v t="$t_parse" -v d="$docs" -v k="$tokens" -v l="$t_load" -v r="$rss" -v ts="$tsize" -v ps="$psize" -v ss="$ssize" 'BEGIN{
    printf "| dyad parse (tokenize, split, tag, lemmatize, parse, write CoNLL-U), 1 core | %.2f s for %d docs, %d tokens |\n", t, d, k
    printf "| tokens/s, end to end | %.0f |\n", k/t
    printf "| model load (process start + all models), median of 21 | %.1f ms |\n", l*1000
    printf "| peak RSS | %s MB |\n", r
    printf "| model files | tagger %.1f MB, parser %.1f MB, splitter %.1f MB |\n", ts/1e6, ps/1e6, ss/1e6
}'
[ -z "$beam" ] || echo "$beam"
