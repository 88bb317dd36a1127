#!/usr/bin/env bash
# End-to-end: dyad eval on dyad's own gold format and on PETRARCH2's unit-test records.
source "$(dirname "$0")/lib.bash"

# --- dyad's gold format ----------------------------------------------------------
cat > "$TMP/gold.jsonl" <<'G'
# comment lines and blank lines are allowed

{"id": "r1", "date": "2025-08-09", "category": "reject", "text": "Mexico rejected the United States' plan.", "events": [{"source": "MEX", "target": "USA", "code": "12"}]}
{"id": "r2", "date": "2025-08-09", "category": "negation", "text": "Mexico did not reject the plan of the United States.", "events": []}
{"id": "r3", "date": "2025-08-09", "category": "miss", "text": "Nothing happened here.", "events": [{"source": "MEX", "target": "USA", "code": "051|06"}]}
{"id": "r4", "date": "2025-08-09", "text": "\u00bfQu\u00e9?", "error": "not English", "events": []}
G
expect_status 0 "$DYAD" eval "$TMP/gold.jsonl"
expect_grep "$TMP/out" "r3 (line 5): Nothing happened here."
expect_grep "$TMP/out" "  miss  MEX>USA 051|06"
expect_grep "$TMP/out" "events: tp=1 fp=0 fn=1"
expect_grep "$TMP/out" "events: precision=1.000 recall=0.500 f1=0.667"
expect_grep "$TMP/out" "to be rejected: 1 (rejected: 1)"
if tail -1 "$TMP/out" | grep -q '^events: precision='; then ok; else bad "last line is not the events line"; fi
expect_status 1 "$DYAD" eval --min-f1 0.9 "$TMP/gold.jsonl"
expect_grep "$TMP/err" "f1 0.667 is below --min-f1 0.900"
# --- event dates, modalities and quotations in the gold ---------------------------------
cat > "$TMP/gold2.jsonl" <<'G'
{"id": "d1", "date": "2025-08-09", "text": "Mexico rejected the United States' plan on Friday.", "events": [{"source": "MEX", "target": "USA", "code": "12", "event_date": "2025-08-08"}]}
{"id": "d2", "date": "2025-08-09", "text": "Mexico rejected the United States' plan on Friday.", "events": [{"source": "MEX", "target": "USA", "code": "12", "event_date": "2025-08-01"}]}
{"id": "m1", "date": "2025-08-09", "text": "Mexico did not reject the plan of the United States.", "events": [{"source": "MEX", "target": "USA", "code": "12", "modality": "negated"}]}
{"id": "q1", "date": "2025-08-09", "text": "Mexico spoke. \"We reject the plan of the United States,\" said the Mexican government.", "events": [{"source": "MEXGOV", "target": "USA", "code": "12"}], "quotes": [{"speaker": "MEXGOV", "text": "We reject the plan"}]}
G
expect_status 0 "$DYAD" eval "$TMP/gold2.jsonl"
expect_grep "$TMP/out" "  miss  MEX>USA 12 on 2025-08-01"
expect_grep "$TMP/out" "quotes: tp=1 fp=0 fn=0 precision=1.000 recall=1.000 f1=1.000"
expect_grep "$TMP/out" "events: tp=3 fp=1 fn=1"
printf '{"id":"x","date":"2025-08-09","text":"t","events":[{"source":"A","target":"B","code":"12","modality":"maybe"}]}\n' > "$TMP/bad.jsonl"
expect_status 3 "$DYAD" eval "$TMP/bad.jsonl"
expect_grep "$TMP/err" "\"modality\" must be asserted"
printf '{"id":"x","date":"2025-08-09","text":"t"}\n' > "$TMP/bad.jsonl"
expect_status 3 "$DYAD" eval "$TMP/bad.jsonl"
expect_grep "$TMP/err" "bad.jsonl:1: missing \"events\""
printf '{"id":"x","date":"2025-08-09","text":"t","events":[{"source":"A","target":"B","code":"9x"}]}\n' > "$TMP/bad.jsonl"
expect_status 3 "$DYAD" eval "$TMP/bad.jsonl"
expect_grep "$TMP/err" "is not a CAMEO code"
expect_status 2 "$DYAD" eval
expect_status 3 "$DYAD" eval /nonexistent.jsonl

# --- the example article's gold: the floor only rises ------------------------------
expect_status 0 "$DYAD" eval --min-f1 0.85 tests/gold/us-mexico-sovereignty.jsonl
expect_no_grep "$TMP/out" "listed as absent" "an invasion-type event between USA and MEX was coded"
# --- 36 articles written for issue 5 (quotes, pronouns, dates, modality, typos, mixed) --
expect_status 0 "$DYAD" eval -q --min-f1 0.65 tests/gold/articles.jsonl
grep '^events: precision' "$TMP/out" | sed 's/^/  issue-5 articles, raw text: /'
# --- single sentences for dyad's own dictionaries ----------------------------------
expect_status 0 "$DYAD" eval -q --min-f1 0.90 tests/gold/dictionary-cases.jsonl
grep '^events: precision' "$TMP/out" | sed 's/^/  dictionary cases, raw text: /'

# --- PETRARCH2 unit-test records with their validation dictionaries -----------------
petr=../shared/conformance/petrarch2/PETR.UnitTest.records.xml
if [ -f "$petr" ]; then
    expect_status 0 "$DYAD" eval -q --min-f1 0.80 "$petr"
    expect_grep "$TMP/out" "records: 282,"
    expect_grep "$TMP/out" "to be rejected: 5 (rejected: 5)"
    expect_grep "$TMP/err" "2 record(s) skipped: they test malformed gold parses"
    grep '^events: precision' "$TMP/out" | sed 's/^/  PETRARCH2 unit tests, raw text: /'
    # from the records' own Penn Treebank parses
    expect_status 0 "$DYAD" eval -q --gold-parses --min-f1 0.88 "$petr"
    expect_grep "$TMP/out" "to be rejected: 7 (rejected: 7)"
    grep '^events: precision' "$TMP/out" | sed 's/^/  PETRARCH2 unit tests, gold parses: /'
    # without the parser, on the token sequence
    expect_status 0 "$DYAD" eval -q --no-parse --min-f1 0.70 "$petr"
    grep '^events: precision' "$TMP/out" | sed 's/^/  PETRARCH2 unit tests, raw text, --no-parse: /'
else
    echo "  skipped PETRARCH2 records: ../shared/conformance/petrarch2 is absent"
fi
# --- TABARI's validation suite with its TABARI-format dictionaries ------------------
tabari=../shared/conformance/tabari/Validate.project
if [ -f "$tabari" ]; then
    expect_status 0 "$DYAD" eval -q --min-f1 0.64 "$tabari"
    expect_grep "$TMP/out" "records: 444,"
    expect_grep "$TMP/err" "444 TABARI record(s) read, 28 skipped"
    grep '^events: precision' "$TMP/out" | sed 's/^/  TABARI validation suite, raw text: /'
    expect_status 0 "$DYAD" eval -q --no-parse --min-f1 0.66 "$tabari"
    grep '^events: precision' "$TMP/out" | sed 's/^/  TABARI validation suite, raw text, --no-parse: /'
else
    echo "  skipped TABARI validation suite: ../shared/conformance/tabari is absent"
fi
printf 'Validation\n<verbsfile> v\n' > "$TMP/bad.project"
expect_status 3 "$DYAD" eval "$TMP/bad.project"
expect_grep "$TMP/err" "bad.project: no <textfile> line"

printf '<Validation><Sentences><Sentence id="a" date="19951301"><Text>x</Text></Sentence></Sentences></Validation>\n' > "$TMP/bad.xml"
expect_status 3 "$DYAD" eval "$TMP/bad.xml"
expect_grep "$TMP/err" "bad.xml:1: date \"19951301\" is not a calendar date"
printf '<Validation><Sentence id="a"' > "$TMP/bad.xml"
expect_status 3 "$DYAD" eval "$TMP/bad.xml"
expect_grep "$TMP/err" "malformed XML"

finish
