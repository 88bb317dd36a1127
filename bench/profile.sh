#!/usr/bin/env bash
# Where the time of `dyad code` goes, by pipeline stage (issue 8): perf with DWARF call
# graphs on the first N Reuters documents (default 1,000), inclusive share of each stage's
# entry function, and from the measured wall time of the same run, each stage's own rate.
#
#   bench/profile.sh [N]        (from the repository root, after `make`; needs perf)
#
# Stages and their entry functions: read (read_jsonl), sentence split (text_split and
# the learned splitter sbd_split), tokenize (text_tokenize), tag (tagger_tag), parse
# (parser_parse), code (code_document: actors, patterns, events, article resolution),
# write (write_events).  Shares are of all samples of the process, start-up included.
set -euo pipefail
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
N=${1:-1000}
OUT=bench/out
command -v perf > /dev/null || { echo "bench: perf is not installed (Debian: linux-perf)" >&2; exit 1; }
[ -s "$OUT/reuters.jsonl" ] || { echo "bench: run bench/run.sh once first (it extracts the corpus)" >&2; exit 1; }
head -n "$N" "$OUT/reuters.jsonl" > "$OUT/profile.jsonl"
export DYAD_CACHE_DIR=$OUT/dict-cache
"$DYAD" code -q "$OUT/profile.jsonl" > /dev/null  # warm the dictionary cache
summary=$("$DYAD" code "$OUT/profile.jsonl" 2>&1 >/dev/null | tail -1)
sents=$(echo "$summary" | awk '{print $5}')
a=$(date +%s.%N)
perf record -q -F 2000 --call-graph dwarf,16384 -o "$OUT/perf.data" \
    "$DYAD" code -q "$OUT/profile.jsonl" > /dev/null 2>&1
b=$(date +%s.%N)
plain=$( { /usr/bin/time -f %e "$DYAD" code -q "$OUT/profile.jsonl" > /dev/null; } 2>&1 | tail -1)
perf report -i "$OUT/perf.data" --children --sort sym --stdio 2>/dev/null |
    awk -v sents="$sents" -v wall="$plain" -v n="$N" '
    /^ +[0-9.]+%/ {
        pct = $1; sub(/%/, "", pct); fn = $NF
        sub(/_traced$/, "", fn)  # code_document_traced is code_document with a trace
        if (fn in want && !(fn in seen)) { seen[fn] = pct }
    }
    BEGIN {
        split("read_jsonl text_split sbd_split text_tokenize tagger_tag parser_parse code_document write_events", f, " ")
        for (i in f) want[f[i]] = 1
        name["read_jsonl"] = "read JSON Lines"; name["text_split"] = "sentence split (rules)"
        name["sbd_split"] = "sentence split (learned splitter)"; name["text_tokenize"] = "tokenize"
        name["tagger_tag"] = "tag + lemmatize"; name["parser_parse"] = "parse"
        name["code_document"] = "code + article resolution"; name["write_events"] = "write JSONL"
    }
    END {
        printf "%d documents, %d sentences, %.2f s wall without perf\n\n", n, sents, wall
        print "| stage | share of samples | sentences/s of the stage alone |"
        print "|---|---|---|"
        for (i = 1; i <= 8; i++) {
            fn = f[i]; p = (fn in seen) ? seen[fn] : 0
            rate = p > 0 ? sents / (wall * p / 100) : 0
            printf "| %s (`%s`) | %.1f%% | %s |\n", name[fn], fn, p, (p > 0 ? sprintf("%.0f", rate) : "-")
        }
    }'
echo
echo "Hottest functions (self time):"
perf report -i "$OUT/perf.data" --no-children --sort sym --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -8
