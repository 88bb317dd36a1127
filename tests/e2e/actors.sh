#!/usr/bin/env bash
# End-to-end: dyad actors --unknown ranks the names in subject/object position that no
# dictionary entry knows, with counts, examples and a suggested entry; known actors are
# not listed; stores and files are both read; bad input is refused clearly.
source "$(dirname "$0")/lib.bash"

# "Zorvan Kelthis" (unknown) three times as a subject, "Ulmar Drenko" once as an object,
# Mexico, Brazil and Claudia Sheinbaum (known) as subjects and objects; a senator whose
# title and country the dictionaries know.
cat > "$TMP/corpus.jsonl" <<'J'
{"id":"n1","date":"2025-08-09","text":"Zorvan Kelthis criticized Mexico on Monday. Mexico praised Brazil."}
{"id":"n2","date":"2025-08-09","text":"Zorvan Kelthis accused Brazil of spying."}
{"id":"n3","date":"2025-08-09","text":"Zorvan Kelthis met Claudia Sheinbaum in Mexico City. Brazil condemned Ulmar Drenko."}
{"id":"n4","date":"2025-08-09","text":"Mexican Senator Lilly Tellez criticized Brazil. Mexican Senator Lilly Tellez thanked Argentina."}
J
expect_status 0 "$DYAD" actors --unknown -q "$TMP/corpus.jsonl"
cp "$TMP/out" "$TMP/tsv"
expect_grep "$TMP/tsv" $'count\tname\tsubject\tobject\tsuggested entry' "TSV header"
# ranked first, with its count, positions and examples from three documents
first=$(sed -n 2p "$TMP/tsv")
case "$first" in
$'3\tZorvan Kelthis\t3\t0\t'*) ok ;;
*) bad "Zorvan Kelthis is not first with count 3: $first" ;;
esac
expect_grep "$TMP/tsv" 'n1#0: Zorvan Kelthis criticized Mexico on Monday.' "example 1"
expect_grep "$TMP/tsv" 'n2#0: Zorvan Kelthis accused Brazil of spying.' "example 2"
expect_grep "$TMP/tsv" 'n3#0: Zorvan Kelthis met Claudia Sheinbaum in Mexico City.' "example 3"
# no code can be guessed: a null-actor placeholder with a comment
expect_grep "$TMP/tsv" $'\t---                      Zorvan Kelthis  # ' "placeholder suggestion"
# the senator's code comes from what the coder composes around the name
expect_grep "$TMP/tsv" $'2\tLilly Tellez\t2\t0\tMEXLEG ' "guessed code for a titled name"
# known actors are not listed; --min 2 (the default) leaves the single mention out
expect_no_grep "$TMP/tsv" $'\t(Mexico|Brazil|Claudia Sheinbaum|Sheinbaum|Argentina)\t' "a known actor listed"
expect_no_grep "$TMP/tsv" 'Ulmar Drenko' "a name below --min listed"
expect_status 0 "$DYAD" actors --unknown -q --min 1 "$TMP/corpus.jsonl"
expect_grep "$TMP/out" $'1\tUlmar Drenko\t0\t1\t' "object position counted"
expect_status 0 "$DYAD" actors --unknown -q --min 1 --limit 1 "$TMP/corpus.jsonl"
if [ "$(wc -l < "$TMP/out")" -eq 2 ]; then ok; else bad "--limit 1 printed $(wc -l < "$TMP/out") lines"; fi

# JSON Lines
expect_status 0 "$DYAD" actors --unknown -q -f json "$TMP/corpus.jsonl"
if python3 - "$TMP/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
r = rows[0]
assert r["name"] == "Zorvan Kelthis" and r["count"] == 3 and r["subject"] == 3, r
assert len(r["examples"]) == 3 and r["examples"][0].startswith("n1#0: "), r
assert r["code"] == "---" and r["entry"].startswith("---") and "Zorvan Kelthis" in r["entry"], r
assert any(x["name"] == "Lilly Tellez" and x["code"] == "MEXLEG" for x in rows), rows
PY
then ok; else bad "JSON output"; fi

# a store: the documents' text is read back from it
expect_status 0 "$DYAD" ingest -q "$TMP/news.db" "$TMP/corpus.jsonl"
expect_status 0 "$DYAD" actors --unknown -q "$TMP/news.db"
if cmp -s "$TMP/out" "$TMP/tsv"; then ok; else bad "store and file input differ"; diff "$TMP/tsv" "$TMP/out" | head -5 >&2; fi

# the suggested line is dictionary syntax: its placeholder code is refused until it is
# filled in; then the line loads and the name is known
cp -r data/dict "$TMP/dict"
{ echo '[actors]'; sed -n 2p "$TMP/tsv" | cut -f5; } > "$TMP/dict/zz.dict"
expect_status 1 "$DYAD" dict check "$TMP/dict"
expect_grep "$TMP/out" "zz.dict:2: error: '---' is not an actor code" "placeholder accepted by dict check"
{ echo '[actors]'; sed -n 2p "$TMP/tsv" | cut -f5 | sed 's/^---/ZZZ/'; } > "$TMP/dict/zz.dict"
expect_status 0 "$DYAD" dict check "$TMP/dict"
expect_status 0 "$DYAD" actors --unknown -q --dict "$TMP/dict" "$TMP/corpus.jsonl"
expect_no_grep "$TMP/out" 'Zorvan' "a name added to the dictionary still listed"

# bad input
expect_status 2 "$DYAD" actors "$TMP/corpus.jsonl"
expect_grep "$TMP/err" 'actors needs --unknown' "missing --unknown"
expect_status 2 "$DYAD" actors --unknown
expect_grep "$TMP/err" 'needs a store or input files' "no input"
expect_status 2 "$DYAD" actors --unknown --min x "$TMP/corpus.jsonl"
expect_grep "$TMP/err" "--min must be a number" "bad --min"
expect_status 2 "$DYAD" actors --unknown -f xml "$TMP/corpus.jsonl"
printf '%s\n' '{"id":"b1","date":"2025-08-09","text":"Zorvan Kelthis criticized Mexico."}' '{"id":"b2","text":"no date"}' > "$TMP/bad.jsonl"
expect_status 1 "$DYAD" actors --unknown -q --min 1 "$TMP/bad.jsonl"
expect_grep "$TMP/err" 'bad.jsonl:2:' "rejected record named with file:line"
expect_grep "$TMP/out" 'Zorvan Kelthis' "the good record still counted"
expect_status 1 "$DYAD" actors --unknown -q "$TMP/nosuch.jsonl"
expect_grep "$TMP/err" 'nosuch.jsonl' "missing file named"
expect_status 0 "$DYAD" actors --help
finish
