#!/usr/bin/env bash
# End-to-end: the docs/scaling.md example at small scale.  dyad code is a pure streaming
# filter, so coding shards in parallel (GNU parallel --pipe, or xargs -P over split files)
# and concatenating gives the same events as one sequential run; the result bulk-loads into
# a store (dyad ingest --events) that reads back identically.
source "$(dirname "$0")/lib.bash"

# 60 documents: the example article under 20 ids, and 40 short ones
for i in $(seq 1 20); do
    sed "s/\"id\": \"us-mexico-sovereignty\"/\"id\": \"article-$i\"/" examples/us-mexico-sovereignty.jsonl
done > "$TMP/corpus.jsonl"
for i in $(seq 1 40); do
    printf '{"id":"short-%d","date":"2025-08-%02d","text":"Mexico rejected the United States. Canada praised Mexico."}\n' \
        "$i" $((1 + i % 28))
done >> "$TMP/corpus.jsonl"
"$DYAD" code -q < "$TMP/corpus.jsonl" > "$TMP/sequential.jsonl"
[ -s "$TMP/sequential.jsonl" ] && ok || bad "sequential coding produced nothing"

if command -v parallel >/dev/null; then
    # -k keeps the shards in input order; -N 7 = 7 documents per dyad process
    parallel --will-cite --pipe -k -N 7 "$DYAD" code -q < "$TMP/corpus.jsonl" > "$TMP/parallel.jsonl"
    if cmp -s "$TMP/parallel.jsonl" "$TMP/sequential.jsonl"; then ok; else bad "parallel --pipe output differs"; fi
else
    echo "  (GNU parallel not installed: Debian package parallel; testing xargs -P only)"
    cp "$TMP/sequential.jsonl" "$TMP/parallel.jsonl"
fi
mkdir -p "$TMP/shards"
split -l 7 -d -a 3 "$TMP/corpus.jsonl" "$TMP/shards/part-"
(cd "$TMP/shards" && ls part-* | xargs -P 4 -I{} sh -c '"$0" code -q < {} > {}.events' "$DYAD")
cat "$TMP"/shards/part-???.events > "$TMP/xargs.jsonl"
if cmp -s "$TMP/xargs.jsonl" "$TMP/sequential.jsonl"; then ok; else bad "xargs -P output differs"; fi

# the shared store: bulk load the coded shards, read back the same events
expect_status 0 "$DYAD" ingest --events "$TMP/shared.db" "$TMP/parallel.jsonl"
expect_status 0 "$DYAD" events "$TMP/shared.db"
if cmp -s "$TMP/out" "$TMP/sequential.jsonl"; then ok; else bad "store does not return the coded events"; fi
# shards loaded in any order and twice: still every document once
expect_status 0 "$DYAD" ingest --events "$TMP/shards.db" $(ls -r "$TMP"/shards/part-???.events) "$TMP/parallel.jsonl"
expect_grep "$TMP/err" "0 changed"
[ "$(sqlite3 "$TMP/shards.db" 'select count(*) from documents')" = "$(sqlite3 "$TMP/shared.db" 'select count(*) from documents')" ] \
    && ok || bad "shards loaded twice changed the document count"
finish
