#!/usr/bin/env bash
# End-to-end: the dyad command on the bundled example and on bad input.
source "$(dirname "$0")/lib.bash"

# --- the example article -------------------------------------------------
expect_status 0 "$DYAD" code examples/us-mexico-sovereignty.jsonl
out="$TMP/out"
cp "$out" "$TMP/example.jsonl"
expect_grep "$out" '"source":"MEX","target":"USA","code":"12","root":"12"' "no MEX->USA rejection"
expect_grep "$out" '"trigger":{"text":"stood firm against"' "rejection lacks its trigger words"
if grep -E '"source":"(MEX|USA)[A-Z]*","target":"(MEX|USA)[A-Z]*","code":"0[56][0-9]*"' "$out" |
    grep -E '"source":"MEX' | grep -qE '"target":"USA'; then ok; else bad "no MEX-USA cooperation/praise"; fi
expect_no_grep "$out" '"source":"(MEX|USA)[A-Z]*","target":"(MEX|USA)[A-Z]*","code":"(18|19|20)' \
    "an assault/fight/mass-violence event between USA and MEX"
expect_grep "$TMP/err" "dyad code: 1 documents, 12 sentences,"
# every line is one JSON object with the documented fields in order
if awk '!/^\{"doc":"us-mexico-sovereignty","sent":[0-9]+,"date":"2025-08-09","event_date":"20[0-9-]+","date_precision":"(day|week|month|year)","source":"[A-Z-]+","target":"[A-Z-]*","code":"[0-9]+","root":"[0-9][0-9]","quad":[1-4],"goldstein":-?[0-9.]+,"plover":"[A-Z]*","plover_mode":"[a-z-]*","modality":"[a-z]+","mentions":[1-9][0-9]*,("quote":[0-9]+,)?"trigger":\{"text":/ {bad=1} END {exit bad}' "$out"
then ok; else bad "event lines do not have the documented layout"; fi

# --- the same article as plain text and on stdin ---------------------------
expect_status 0 "$DYAD" code --date 2025-08-09 examples/us-mexico-sovereignty.txt
expect_grep "$TMP/out" '"doc":"us-mexico-sovereignty.txt"'
expect_grep "$TMP/out" '"source":"MEX","target":"USA","code":"12"'
"$DYAD" code -q < examples/us-mexico-sovereignty.jsonl > "$TMP/stdin.jsonl" 2>"$TMP/err"
if cmp -s "$TMP/stdin.jsonl" "$TMP/example.jsonl"; then ok; else bad "stdin output differs from file output"; fi
if [ -s "$TMP/err" ]; then bad "-q still printed: $(cat "$TMP/err")"; else ok; fi

# --- TSV -------------------------------------------------------------------
expect_status 0 "$DYAD" code --format tsv examples/us-mexico-sovereignty.jsonl
head -1 "$TMP/out" > "$TMP/header"
expect_grep "$TMP/header" "doc	sent	date	event_date	date_precision	source	target	code	root	quad	goldstein"
# "declared on Friday" in a Saturday story: Friday 2025-08-08
expect_grep "$TMP/example.jsonl" '"sent":1,"date":"2025-08-09","event_date":"2025-08-08","date_precision":"day"' "Friday not resolved to 2025-08-08"
if awk -F'\t' 'NR==1{n=NF} NF!=n{bad=1} END{exit bad || NR<3}' "$TMP/out"; then ok; else bad "TSV rows have uneven columns"; fi

# --- bad input: reported with file:line, the rest still coded, exit 1 -------
good='{"id":"g","date":"2025-08-09","text":"Mexico rejected the United States."}'
printf '%s\n{"id":"b1","date":"2025-08-09"}\nnot json\n{"id":"b3","date":"2025-13-01","text":"x"}\n%s\n' \
    "$good" "${good/\"g\"/\"g2\"}" > "$TMP/mixed.jsonl"
expect_status 1 "$DYAD" code "$TMP/mixed.jsonl"
expect_grep "$TMP/err" "mixed.jsonl:2: missing field \"text\""
expect_grep "$TMP/err" "mixed.jsonl:3: malformed JSON"
expect_grep "$TMP/err" "mixed.jsonl:4: field \"date\""
expect_grep "$TMP/err" "2 documents, 2 sentences, 2 events, 3 errors"
expect_grep "$TMP/out" '"doc":"g2"'
printf 'caf\xe9\n' > "$TMP/latin1.txt"
expect_status 1 "$DYAD" code --date 2025-01-01 "$TMP/latin1.txt"
expect_grep "$TMP/err" "latin1.txt:1: invalid UTF-8"
expect_status 1 "$DYAD" code examples/us-mexico-sovereignty.txt
expect_grep "$TMP/err" "needs its publication date: --date"
expect_status 1 "$DYAD" code /nonexistent.jsonl
expect_grep "$TMP/err" "/nonexistent.jsonl: cannot open"
: > "$TMP/empty.jsonl"
expect_status 0 "$DYAD" code "$TMP/empty.jsonl"
expect_grep "$TMP/err" "0 documents"
# no final newline, CRLF line endings
printf '%s\r\n%s' "$good" "$good" > "$TMP/crlf.jsonl"
expect_status 0 "$DYAD" code "$TMP/crlf.jsonl"
expect_grep "$TMP/err" "2 documents, 2 sentences, 2 events, 0 errors"

# --- several threads: the same output, in the same order -------------------------------
cat examples/us-mexico-sovereignty.jsonl "$TMP/mixed.jsonl" examples/us-mexico-sovereignty.jsonl > "$TMP/many.jsonl"
"$DYAD" code -q "$TMP/many.jsonl" > "$TMP/j1.jsonl" 2>/dev/null
"$DYAD" code -q -j 3 "$TMP/many.jsonl" > "$TMP/j3.jsonl" 2> "$TMP/j3.err"
if cmp -s "$TMP/j1.jsonl" "$TMP/j3.jsonl"; then ok; else bad "-j 3 output differs from -j 1"; fi
expect_grep "$TMP/j3.err" "many.jsonl:3: missing field \"text\""
expect_status 2 "$DYAD" code -j 0 examples/us-mexico-sovereignty.jsonl
expect_grep "$TMP/err" "--jobs must be a number from 1 to 256"

# --- PETRARCH-format dictionaries: the public Phoenix set ------------------------------
if [ -d ../shared/dictionaries/phoenix ]; then
    expect_status 0 "$DYAD" code -P --dict-format petrarch --dict ../shared/dictionaries/phoenix \
        examples/us-mexico-sovereignty.jsonl
    expect_grep "$TMP/err" "malformed dictionary entries skipped"
    expect_grep "$TMP/out" '"source":"USAGOV","target":"---CRM","code":"010"'
    expect_no_grep "$TMP/out" '"source":"(MEX|USA)[A-Z]*","target":"(MEX|USA)[A-Z]*","code":"(18|19|20)' \
        "an assault between USA and MEX with the Phoenix dictionaries"
else
    echo "  skipped Phoenix dictionaries: ../shared/dictionaries/phoenix is absent"
fi
expect_status 2 "$DYAD" code --dict-format petrarch examples/us-mexico-sovereignty.jsonl
expect_grep "$TMP/err" "--dict-format petrarch needs --dict DIR"

# --- the one-a-day filter across documents ------------------------------------------
printf '%s\n%s\n' "$good" "${good/\"g\"/\"g2\"}" > "$TMP/twice.jsonl"
expect_status 0 "$DYAD" code "$TMP/twice.jsonl"
expect_grep "$TMP/err" "2 documents, 2 sentences, 2 events"
expect_status 0 "$DYAD" code --one-a-day "$TMP/twice.jsonl"
expect_grep "$TMP/err" "2 documents, 2 sentences, 1 events"

# --- usage and fatal errors --------------------------------------------------
expect_status 2 "$DYAD" code --bogus
expect_status 2 "$DYAD" code --date 2025-02-30 x
expect_grep "$TMP/err" "not a valid YYYY-MM-DD date"
expect_status 2 "$DYAD" nosuchcommand
expect_status 3 "$DYAD" code --dict /nonexistent examples/us-mexico-sovereignty.jsonl
expect_grep "$TMP/err" "cannot open dictionary directory"
printf '[verbs]\n0599 frobnicate\n' > "$TMP/bad.dict"
expect_status 3 "$DYAD" code --dict "$TMP" examples/us-mexico-sovereignty.jsonl
expect_grep "$TMP/err" "bad.dict:2: '0599' is not a CAMEO event code"

# --- help and version ----------------------------------------------------------
expect_status 0 "$DYAD" version
expect_grep "$TMP/out" "dyad 0."
expect_status 0 "$DYAD" help
expect_grep "$TMP/out" "code"
expect_status 0 "$DYAD" code --help
expect_grep "$TMP/out" "usage: dyad code"
expect_status 0 "$DYAD" help code
expect_status 0 "$DYAD" version --help

finish
