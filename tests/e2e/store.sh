#!/usr/bin/env bash
# End-to-end: dyad ingest and dyad events on SQLite stores: round trips with dyad code,
# idempotent re-ingest, changed documents, compressed and directory input, pre-coded
# events, filters and output layouts, rejected input.
source "$(dirname "$0")/lib.bash"

ex=examples/us-mexico-sovereignty.jsonl
db="$TMP/ex.db"
"$DYAD" code -q "$ex" > "$TMP/code.jsonl"
"$DYAD" code -q -f tsv "$ex" > "$TMP/code.tsv"

# --- ingest, then events: the same bytes as dyad code ----------------------------
expect_status 0 "$DYAD" ingest "$db" "$ex"
expect_grep "$TMP/err" "dyad ingest: 1 documents read, 1 new, 0 changed, 0 unchanged, 0 rejected"
if [ -s "$TMP/out" ]; then bad "ingest wrote to stdout"; else ok; fi
expect_status 0 "$DYAD" events "$db"
if cmp -s "$TMP/out" "$TMP/code.jsonl"; then ok; else bad "events JSONL differs from dyad code"; fi
expect_status 0 "$DYAD" events -f tsv "$db"
if cmp -s "$TMP/out" "$TMP/code.tsv"; then ok; else bad "events TSV differs from dyad code"; fi
nevents=$(wc -l < "$TMP/code.jsonl")

# --- articles with quotations and repeated events: mentions, quote and the quotes table --
grep -v '^#' tests/gold/articles.jsonl > "$TMP/arts.jsonl"
"$DYAD" code -q "$TMP/arts.jsonl" > "$TMP/arts.code.jsonl"
"$DYAD" code -q -f tsv "$TMP/arts.jsonl" > "$TMP/arts.code.tsv"
"$DYAD" code -q --quotes "$TMP/arts.jsonl" > "$TMP/arts.quotes.jsonl"
grep -q '"mentions":[2-9]' "$TMP/arts.code.jsonl" && ok || bad "no repeated event in the articles"
grep -q '"quote":[0-9]' "$TMP/arts.code.jsonl" && ok || bad "no event inside a quotation"
[ -s "$TMP/arts.quotes.jsonl" ] && ok || bad "no quotations in the articles"
expect_status 0 "$DYAD" ingest -j 2 "$TMP/arts.db" "$TMP/arts.jsonl"
expect_status 0 "$DYAD" events "$TMP/arts.db"
if cmp -s "$TMP/out" "$TMP/arts.code.jsonl"; then ok; else bad "events JSONL (mentions, quote) differs from dyad code"; fi
expect_status 0 "$DYAD" events -f tsv "$TMP/arts.db"
if cmp -s "$TMP/out" "$TMP/arts.code.tsv"; then ok; else bad "events TSV (mentions, quote) differs from dyad code"; fi
expect_status 0 "$DYAD" events --quotes "$TMP/arts.db"
if cmp -s "$TMP/out" "$TMP/arts.quotes.jsonl"; then ok; else bad "events --quotes differs from dyad code --quotes"; fi
[ "$(sqlite3 "$TMP/arts.db" 'select count(*) from quotes')" -eq "$(wc -l < "$TMP/arts.quotes.jsonl")" ] \
    && ok || bad "quotes table count"
# filters: a speaker prefix and one document, in the order dyad code wrote them
speaker=$(head -1 "$TMP/arts.quotes.jsonl" | sed 's/.*"speaker":"\([A-Z]*\)".*/\1/')
expect_status 0 "$DYAD" events --quotes --actor "$speaker" "$TMP/arts.db"
grep '"speaker":"'"$speaker" "$TMP/arts.quotes.jsonl" > "$TMP/want"
if cmp -s "$TMP/out" "$TMP/want"; then ok; else bad "events --quotes --actor $speaker"; fi
expect_status 0 "$DYAD" events --quotes --doc q1-carney-tariffs --limit 1 --offset 1 "$TMP/arts.db"
grep '"doc":"q1-carney-tariffs"' "$TMP/arts.quotes.jsonl" | sed -n 2p > "$TMP/want"
if [ -s "$TMP/want" ] && cmp -s "$TMP/out" "$TMP/want"; then ok; else bad "events --quotes --doc --limit --offset"; fi
expect_status 2 "$DYAD" events --quotes --quad 3 "$TMP/arts.db"
expect_grep "$TMP/err" "--quad filters events: with --quotes only --actor"
expect_status 2 "$DYAD" events --quotes -f csv "$TMP/arts.db"
expect_grep "$TMP/err" "--quotes writes JSON Lines only"
# pre-coded events keep mentions and quote (and have no quotations); GDELT NumMentions
expect_status 0 "$DYAD" ingest --events "$TMP/arts.pre.db" "$TMP/arts.code.jsonl"
expect_status 0 "$DYAD" events "$TMP/arts.pre.db"
if cmp -s "$TMP/out" "$TMP/arts.code.jsonl"; then ok; else bad "pre-coded mentions/quote do not round-trip"; fi
expect_status 0 "$DYAD" events -f gdelt "$TMP/arts.db"
awk -F'\t' '$32 > 1 {n++} END {exit !n}' "$TMP/out" && ok || bad "GDELT NumMentions never above 1"
expect_status 0 "$DYAD" events -f csv "$TMP/arts.db"
head -1 "$TMP/out" | grep -q ',modality,mentions,quote,trigger,' && ok || bad "CSV mentions/quote columns"
# PLOVER modes: written by dyad code, stored, listed again (the identities above)
grep -q '"plover_mode":"[a-z]' "$TMP/arts.code.jsonl" && ok || bad "no event with a PLOVER mode in the articles"
head -1 "$TMP/out" | grep -q ',plover,plover_mode,modality,' && ok || bad "CSV plover_mode column"
# a new store is at schema version 6 (older ones are migrated on open: tests/unit/test_store.c)
sqlite3 "$TMP/arts.db" 'select version from schema_version' | grep -qx 6 && ok || bad "schema version 6"
[ "$(sqlite3 "$TMP/arts.db" "select count(*) from events where plover_mode <> ''")" -eq \
    "$(grep -c '"plover_mode":"[a-z]' "$TMP/arts.code.jsonl")" ] && ok || bad "events.plover_mode count"

# --- idempotent: the same corpus again adds nothing --------------------------------
expect_status 0 "$DYAD" ingest "$db" "$ex" "$ex"
expect_grep "$TMP/err" "0 new, 0 changed, 2 unchanged, 0 rejected; 0 events stored"
expect_status 0 "$DYAD" events "$db"
if [ "$(wc -l < "$TMP/out")" -eq "$nevents" ]; then ok; else bad "re-ingest changed the event count"; fi

# --- a changed document replaces its events ------------------------------------------
printf '%s\n' '{"id":"us-mexico-sovereignty","date":"2025-08-09","text":"Mexico rejected the United States."}' \
    > "$TMP/changed.jsonl"
expect_status 0 "$DYAD" ingest "$db" "$TMP/changed.jsonl"
expect_grep "$TMP/err" "0 new, 1 changed, 0 unchanged"
expect_status 0 "$DYAD" events "$db"
if [ "$(wc -l < "$TMP/out")" -eq 1 ]; then ok; else bad "changed document kept old events"; fi
expect_grep "$TMP/out" '"sentence":"Mexico rejected the United States."'
[ "$(sqlite3 "$db" 'select count(*) from documents; select count(*) from events')" = "$(printf '1\n1')" ] \
    && ok || bad "documents/events not replaced"
# the per-day dyad summary followed the replacement: only the new event is in it, and the
# series read from it equals the one counted from the events
[ "$(sqlite3 -separator ' ' "$db" 'select src3, tgt3, day, events, gunits from dyad_days')" = \
    "$(sqlite3 -separator ' ' "$db" "select src3, tgt3, event_date, 1, cast(round(goldstein * 10000) as bigint) from events")" ] \
    && ok || bad "dyad summary not replaced with the document"
for q in "--by day" "--dyad MEX,USA --by week" "--dyad USA,MEX --directed"; do
    # shellcheck disable=SC2086
    "$DYAD" series $q "$db" > "$TMP/sum.csv" && "$DYAD" series --scan $q "$db" > "$TMP/scan.csv" \
        && cmp -s "$TMP/sum.csv" "$TMP/scan.csv" && ok || bad "series $q: summary and scan differ"
done
# the full-text index follows the replacement: old sentences are gone from it
expect_status 0 "$DYAD" events --text sovereignty "$db"
if [ -s "$TMP/out" ]; then bad "replaced sentences still found by --text"; else ok; fi
expect_status 0 "$DYAD" events --text "rejected the united" "$db"
expect_grep "$TMP/out" '"sentence":"Mexico rejected the United States."'
[ "$(sqlite3 "$db" "insert into events_fts(events_fts, rank) values('integrity-check', 1); select 'ok'")" = ok ] \
    && ok || bad "FTS index inconsistent with events"

# --- -j N, gzip, zstd, stdin: the same store --------------------------------------
cp "$ex" "$TMP/corpus.jsonl"
printf '%s\n' '{"id":"two","date":"2025-08-10","text":"Mexico praised Canada. The United States rejected Mexico."}' \
    >> "$TMP/corpus.jsonl"
gzip -c "$TMP/corpus.jsonl" > "$TMP/corpus.jsonl.gz"
zstd -q -c "$TMP/corpus.jsonl" > "$TMP/corpus.jsonl.zst"
"$DYAD" ingest -q "$TMP/plain.db" "$TMP/corpus.jsonl"
"$DYAD" events "$TMP/plain.db" > "$TMP/plain.out"
for variant in "-j 2|$TMP/corpus.jsonl" "|$TMP/corpus.jsonl.gz" "-j 3|$TMP/corpus.jsonl.zst"; do
    opt=${variant%%|*}; file=${variant#*|}
    rm -f "$TMP/v.db"
    # shellcheck disable=SC2086
    expect_status 0 "$DYAD" ingest $opt "$TMP/v.db" "$file"
    "$DYAD" events "$TMP/v.db" > "$TMP/v.out"
    if cmp -s "$TMP/v.out" "$TMP/plain.out"; then ok; else bad "ingest $opt $file differs"; fi
done
rm -f "$TMP/v.db"
"$DYAD" ingest -q "$TMP/v.db" < "$TMP/corpus.jsonl.zst"
"$DYAD" events "$TMP/v.db" > "$TMP/v.out"
if cmp -s "$TMP/v.out" "$TMP/plain.out"; then ok; else bad "compressed stdin differs"; fi

# --- directories of plain text; the date comes from the path ---------------------------
mkdir -p "$TMP/news/2025-08-09" "$TMP/news/undated"
cp examples/us-mexico-sovereignty.txt "$TMP/news/2025-08-09/story.txt"
gzip -c examples/us-mexico-sovereignty.txt > "$TMP/news/2025-08-09/story2.txt.gz"
echo "Mexico praised Canada." > "$TMP/news/undated/x.txt"
expect_status 1 "$DYAD" ingest "$TMP/dir.db" "$TMP/news"
expect_grep "$TMP/err" "undated/x.txt: plain text needs its publication date"
expect_grep "$TMP/err" "2 new, 0 changed, 0 unchanged, 1 rejected"
expect_status 0 "$DYAD" events --doc story2.txt "$TMP/dir.db"
expect_grep "$TMP/out" '"doc":"story2.txt","sent":0,"date":"2025-08-09"'

# --- pre-coded events: bulk load and round trip --------------------------------------
expect_status 0 "$DYAD" ingest --events "$TMP/pre.db" "$TMP/code.jsonl"
expect_grep "$TMP/err" "1 documents (event groups) read, 1 new"
expect_status 0 "$DYAD" events "$TMP/pre.db"
if cmp -s "$TMP/out" "$TMP/code.jsonl"; then ok; else bad "pre-coded events do not round-trip"; fi
expect_status 0 "$DYAD" ingest --events "$TMP/pre.db" "$TMP/code.jsonl"
expect_grep "$TMP/err" "0 new, 0 changed, 1 unchanged"
printf '{"doc":"z","date":"2025-13-01","code":"12"}\n{"doc":"z","date":"2025-01-01","code":"12","quad":"x"}\n' \
    > "$TMP/badev.jsonl"
expect_status 1 "$DYAD" ingest --events "$TMP/pre.db" "$TMP/badev.jsonl"
expect_grep "$TMP/err" 'badev.jsonl:1: field "date" must be a YYYY-MM-DD date'
expect_grep "$TMP/err" 'badev.jsonl:2: field "quad" must be a quad class 1..4'
printf '{"doc":"z","date":"2025-01-01","code":"12","mentions":0}\n{"doc":"y","date":"2025-01-01","code":"12","quote":-1}\n' \
    > "$TMP/badev2.jsonl"
expect_status 1 "$DYAD" ingest --events "$TMP/pre.db" "$TMP/badev2.jsonl"
expect_grep "$TMP/err" 'badev2.jsonl:1: field "mentions" must be a count >= 1'
expect_grep "$TMP/err" 'badev2.jsonl:2: field "quote" must be a quotation index >= 0 (or null)'
printf '{"doc":"p","date":"2025-01-01","code":"042","plover_mode":7}\n' > "$TMP/badev3.jsonl"
expect_status 1 "$DYAD" ingest --events "$TMP/pre.db" "$TMP/badev3.jsonl"
expect_grep "$TMP/err" 'badev3.jsonl:1: field "plover_mode" must be a string'
# mentions is optional (1), quote optional or null (none), plover_mode optional ("")
printf '{"doc":"m","date":"2025-01-01","code":"12","quote":null}\n' > "$TMP/minev.jsonl"
expect_status 0 "$DYAD" ingest --events "$TMP/min.db" "$TMP/minev.jsonl"
expect_status 0 "$DYAD" events "$TMP/min.db"
expect_grep "$TMP/out" '"modality":"asserted","mentions":1,"trigger":'
expect_grep "$TMP/out" '"plover":"","plover_mode":"","modality":"asserted"'


# --- filters and layouts ----------------------------------------------------------
expect_status 0 "$DYAD" events --actor mex --format csv "$TMP/plain.db"
head -1 "$TMP/out" | grep -q '^id,doc,sent,date,event_date,' && ok || bad "CSV header"
awk -F, 'NR > 1 && $7 !~ /^MEX/ && $8 !~ /^MEX/ {bad=1} END {exit bad || NR < 2}' "$TMP/out" \
    && ok || bad "--actor MEX let through events without MEX" 
expect_status 0 "$DYAD" events --dyad MEX,USA --directed "$TMP/plain.db"
expect_no_grep "$TMP/out" '"source":"USA'
expect_status 0 "$DYAD" events --dyad MEX,USA --quad 3,4 --limit 1 "$TMP/plain.db"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && ok || bad "--limit 1"
expect_status 0 "$DYAD" events --text "praised Canada" "$TMP/plain.db"
expect_grep "$TMP/out" '"doc":"two"'
expect_status 0 "$DYAD" events --from 2025-08-10 --to 2025-08-10 "$TMP/plain.db"
expect_no_grep "$TMP/out" '"event_date":"2025-08-0'
expect_status 0 "$DYAD" events -f gdelt "$TMP/plain.db"
awk -F'\t' 'NF != 61 {bad=1} END {exit bad || NR == 0}' "$TMP/out" && ok || bad "GDELT rows are not 61 columns"
expect_status 0 "$DYAD" events -f phoenix "$TMP/plain.db"
awk -F'\t' 'NF != 26 {bad=1} END {exit bad || NR == 0}' "$TMP/out" && ok || bad "Phoenix rows are not 26 columns"

# --- usage and store errors ------------------------------------------------------
expect_status 2 "$DYAD" events --dyad USA "$db"
expect_grep "$TMP/err" "--dyad 'USA': expected two actor codes A,B"
expect_status 2 "$DYAD" events --from 2025-02-30 "$db"
expect_status 2 "$DYAD" events -f xml "$db"
expect_status 2 "$DYAD" ingest
echo "not a database" > "$TMP/notdb"
expect_status 3 "$DYAD" events "$TMP/notdb"
expect_grep "$TMP/err" "notdb"
expect_status 1 "$DYAD" ingest "$TMP/x.db" "$TMP/missing.jsonl"
expect_grep "$TMP/err" "missing.jsonl: cannot open"
printf 'garbage' | gzip -c | head -c 15 > "$TMP/trunc.jsonl.gz"
expect_status 1 "$DYAD" ingest "$TMP/x.db" "$TMP/trunc.jsonl.gz"
expect_grep "$TMP/err" "trunc.jsonl: compressed input is truncated"
[ "$(sqlite3 "$db" 'pragma integrity_check')" = ok ] && ok || bad "integrity_check"

finish
