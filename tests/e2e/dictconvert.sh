#!/usr/bin/env bash
# End-to-end: dyad dict convert (PETRARCH/TABARI -> native): the converted
# Phoenix set loads, keeps each entry's origin, and codes the same events as
# the PETRARCH files it came from; usage and output-directory errors.
source "$(dirname "$0")/lib.bash"

expect_status 0 "$DYAD" dict --help
expect_grep "$TMP/out" "dyad dict convert --format petrarch|tabari"

P=../shared/dictionaries/phoenix
if [ -d "$P" ]; then
    expect_status 0 "$DYAD" dict convert --format petrarch "$P" -o "$TMP/phx"
    expect_grep "$TMP/out" "dyad dict convert: $P -> $TMP/phx: 47845 actor, 3744 agent, 41926 verb"
    for f in actors agents verbs nouns discards; do
        if [ -s "$TMP/phx/$f.dict" ]; then ok; else bad "$f.dict missing"; fi
    done
    expect_grep "$TMP/phx/verbs.dict" "042:043                 accelerate ... to   # CAMEO.2.0.txt:718"
    expect_grep "$TMP/phx/actors.dict" "AFG                     afghanistan   # Phoenix.Countries.actors.txt:45"
    # the converted set has no malformed line (what dict check still finds are the
    # conflicting codes the Phoenix files themselves hold)
    "$DYAD" dict check "$TMP/phx" > "$TMP/check" 2>&1
    expect_no_grep "$TMP/check" "is not a|expected|cannot"
    # same events from the converted set as from the PETRARCH files
    in=$TMP/articles.jsonl
    grep -v '^#' tests/gold/articles.jsonl > "$in"
    expect_status 0 "$DYAD" code --no-parse -F petrarch --dict "$P" "$in"
    grep -o '"doc":"[^"]*","sent":[0-9]*\|"source":"[^"]*","target":"[^"]*","code":"[^"]*"' "$TMP/out" > "$TMP/legacy.ev"
    expect_status 0 "$DYAD" code --no-parse --dict "$TMP/phx" "$in"
    grep -o '"doc":"[^"]*","sent":[0-9]*\|"source":"[^"]*","target":"[^"]*","code":"[^"]*"' "$TMP/out" > "$TMP/native.ev"
    n=$(grep -c code "$TMP/legacy.ev")
    same=$(diff "$TMP/legacy.ev" "$TMP/native.ev" | grep -c '^[<>].*code' || true)
    if [ "$n" -gt 100 ] && [ "$same" -le $((n / 50)) ]; then ok; else bad "converted Phoenix: $same of $n event lines differ (more than 2%)"; fi
    echo "  Phoenix converted: $n events from the PETRARCH files, $same event lines differ"
    # an output directory that already holds dictionaries is refused, --force replaces
    expect_status 3 "$DYAD" dict convert --format petrarch "$P" -o "$TMP/phx"
    expect_grep "$TMP/err" "already holds *.dict files"
    expect_status 0 "$DYAD" dict convert --force --format petrarch "$P" -o "$TMP/phx"
    # -v lists what was skipped, with the source line
    expect_status 0 "$DYAD" dict convert -v --format petrarch "$P" -o "$TMP/phx2"
    expect_grep "$TMP/err" "dyad: dict convert: Phoenix."
else
    echo "  note: $P absent; the Phoenix part of this test is skipped"
fi

T=../shared/conformance/tabari
if [ -d "$T" ]; then
    mkdir "$TMP/tab"
    cp "$T/TABARI.Demo.actors" "$T/Validate.agents" "$T/TABARI.Demo.verbs" "$TMP/tab/"
    expect_status 0 "$DYAD" dict convert --format tabari "$TMP/tab" -o "$TMP/tabnat"
    expect_grep "$TMP/out" "3385 actor, 242 agent, 1207 verb"
    "$DYAD" dict check "$TMP/tabnat" > "$TMP/check" 2>&1
    expect_no_grep "$TMP/check" "is not a|expected|cannot"
fi

# usage and errors
expect_status 2 "$DYAD" dict convert "$TMP/x" -o "$TMP/y"
expect_grep "$TMP/err" "--format petrarch|tabari is needed"
expect_status 2 "$DYAD" dict convert --format native data/dict -o "$TMP/y"
expect_status 2 "$DYAD" dict convert --format petrarch data/dict
expect_grep "$TMP/err" "-o DIR is needed"
expect_status 3 "$DYAD" dict convert --format petrarch "$TMP/nonexistent" -o "$TMP/y"
expect_status 3 "$DYAD" dict convert --format petrarch data/dict -o "$TMP/z"
expect_grep "$TMP/err" "no PETRARCH dictionary files"
finish
