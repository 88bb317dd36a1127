#!/usr/bin/env bash
# End-to-end: --accurate, the beam-search parser (data/models/parser-beam.bin).
# Valid trees, ordered and identical output with worker threads, events from
# `dyad code`, a missing model named, and --no-parse refused with it.
source "$(dirname "$0")/lib.bash"
export DYAD_CACHE_DIR="$TMP/cache"
EX=examples/us-mexico-sovereignty.jsonl

# --- parse: CoNLL-U with one root per sentence and heads inside it ----------
expect_status 0 "$DYAD" parse --accurate -q "$EX"
cp "$TMP/out" "$TMP/beam.conllu"
if awk -F'\t' '
    /^#/ { next }
    /^$/ { if (n) { if (roots != 1) exit 1 } n = 0; roots = 0; next }
    { n++; if ($7 == 0) roots++; if ($7 !~ /^[0-9]+$/ || $8 == "_") exit 1 }
    END { if (n && roots != 1) exit 1 }' "$TMP/beam.conllu"; then ok
else bad "--accurate wrote a sentence without exactly one root or with a missing head"; fi
n=$(grep -c '^1	' "$TMP/beam.conllu")
if [ "$n" -gt 10 ]; then ok; else bad "expected more than 10 sentences, got $n"; fi
expect_status 0 "$DYAD" parse -q "$EX"
cp "$TMP/out" "$TMP/greedy.conllu"
# same tokens and tags: only heads and relations may differ
if diff <(cut -f1-5 "$TMP/beam.conllu") <(cut -f1-5 "$TMP/greedy.conllu") >/dev/null; then ok
else bad "--accurate changed tokens or tags, not only the tree"; fi

# --- code: events, and -j 2 gives the same bytes as one thread --------------
expect_status 0 "$DYAD" code --accurate "$EX"
cp "$TMP/out" "$TMP/events1.jsonl"
if grep -q '"code"' "$TMP/events1.jsonl"; then ok; else bad "dyad code --accurate coded no event"; fi
expect_status 0 "$DYAD" code --accurate -j 2 "$EX" "$EX"
expect_status 0 "$DYAD" code --accurate "$EX" "$EX"
cp "$TMP/out" "$TMP/events2.jsonl"
expect_status 0 "$DYAD" code --accurate -j 2 "$EX" "$EX"
if cmp -s "$TMP/out" "$TMP/events2.jsonl"; then ok; else bad "-j 2 --accurate differs from one thread"; fi

# --- refused: with --no-parse, and a model directory without the beam parser -
expect_status 2 "$DYAD" code --accurate --no-parse "$EX"
expect_grep "$TMP/err" "--accurate chooses a parser; it cannot go with --no-parse"
expect_status 2 "$DYAD" eval --accurate --no-parse tests/gold/dictionary-cases.jsonl
mkdir "$TMP/models"
cp data/models/tagger.bin data/models/parser.bin "$TMP/models/"
expect_status 0 "$DYAD" code -M "$TMP/models" "$EX"
expect_status 3 "$DYAD" code --accurate -M "$TMP/models" "$EX"
expect_grep "$TMP/err" "$TMP/models/parser-beam.bin: No such file"
expect_status 3 "$DYAD" parse --accurate -m "$TMP/models" "$EX"
expect_grep "$TMP/err" "parser-beam.bin: No such file"

finish
