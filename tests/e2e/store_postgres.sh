#!/usr/bin/env bash
# End-to-end: the PostgreSQL backend, against a real server started here on loopback in a
# temporary directory (initdb + pg_ctl from Debian's postgresql package; as root the server
# runs as the postgres user).  Skips, saying why, when no server can be started.
source "$(dirname "$0")/lib.bash"

skip() { echo "  SKIP: $*"; exit 0; }
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || skip "PostgreSQL server not installed (Debian package postgresql)"
command -v psql >/dev/null || skip "psql not installed (Debian package postgresql-client)"
PG=$(mktemp -d /tmp/dyad-pg-XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || skip "running as root and there is no postgres user to run the server"
    chown postgres "$PG"
    as_pg=(runuser -u postgres --)
fi
stop_server() {
    [ -f "$PG/data/postmaster.pid" ] && "${as_pg[@]}" "$bindir/pg_ctl" -D "$PG/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PG" "$TMP"
}
trap stop_server EXIT
"${as_pg[@]}" "$bindir/initdb" -D "$PG/data" -A trust -U dyad >"$PG/initdb.log" 2>&1 \
    || skip "initdb failed: $(tail -1 "$PG/initdb.log")"
port=""
for try in 1 2 3 4 5; do
    p=$((20000 + RANDOM % 40000))
    if "${as_pg[@]}" "$bindir/pg_ctl" -D "$PG/data" -l "$PG/server.log" -w -t 30 \
        -o "-p $p -k $PG -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
        port=$p; break
    fi
done
[ -n "$port" ] || skip "the server did not start: $(tail -2 "$PG/server.log" 2>/dev/null)"
psql -q "postgresql://dyad@127.0.0.1:$port/postgres" -c "CREATE DATABASE store" || skip "cannot create a database"
U="postgresql://dyad@127.0.0.1:$port/store"
echo "  PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

ex=examples/us-mexico-sovereignty.jsonl
"$DYAD" code -q "$ex" > "$TMP/code.jsonl"
expect_status 0 "$DYAD" ingest "$U" "$ex"
expect_grep "$TMP/err" "1 new, 0 changed, 0 unchanged, 0 rejected"
expect_status 0 "$DYAD" events "$U"
if cmp -s "$TMP/out" "$TMP/code.jsonl"; then ok; else bad "PostgreSQL events differ from dyad code"; fi
expect_status 0 "$DYAD" ingest --db "$U" "$ex"
expect_grep "$TMP/err" "0 new, 0 changed, 1 unchanged"
printf '%s\n' '{"id":"us-mexico-sovereignty","date":"2025-08-09","text":"Mexico rejected the United States."}' > "$TMP/changed.jsonl"
expect_status 0 "$DYAD" ingest "$U" "$TMP/changed.jsonl"
expect_grep "$TMP/err" "0 new, 1 changed"
[ "$(psql -tA "$U" -c 'select count(*) from events')" = 1 ] && ok || bad "changed document kept its old events"
expect_status 0 "$DYAD" events --text "REJECTED the" "$U"
expect_grep "$TMP/out" '"sentence":"Mexico rejected the United States."'
expect_status 0 "$DYAD" events --actor MEX --format gdelt "$U"
awk -F'\t' 'NF != 61 {bad=1} END {exit bad || NR == 0}' "$TMP/out" && ok || bad "GDELT rows"

# series and alerts: the hand-computed numbers of tests/e2e/store_series.sh
cat > "$TMP/ev.jsonl" <<'EOF'
{"doc":"w1","date":"2025-01-07","source":"USA","target":"MEX","code":"051","quad":1,"goldstein":3.4}
{"doc":"w1","date":"2025-01-08","source":"MEX","target":"USA","code":"042","quad":1,"goldstein":1.9}
{"doc":"w2","date":"2025-01-15","source":"USAGOV","target":"MEXGOV","code":"057","quad":1,"goldstein":8.0}
{"doc":"w4","date":"2025-01-28","source":"USA","target":"MEX","code":"051","quad":1,"goldstein":3.4}
{"doc":"w4","date":"2025-01-29","source":"USA","target":"MEXGOV","code":"040","quad":1,"goldstein":1.0}
{"doc":"w5","date":"2025-02-03","source":"USA","target":"MEX","code":"190","quad":4,"goldstein":-10.0}
{"doc":"w5","sent":1,"date":"2025-02-04","source":"MEX","target":"USA","code":"1211","quad":3,"goldstein":-4.0}
{"doc":"w5","sent":2,"date":"2025-02-04","source":"USAMIL","target":"MEX","code":"173","quad":4,"goldstein":-5.0}
{"doc":"w5","sent":3,"date":"2025-02-05","source":"MEX","target":"USA","code":"051","quad":1,"goldstein":3.4}
EOF
expect_status 0 "$DYAD" ingest --events "$U" "$TMP/ev.jsonl"
expect_status 0 "$DYAD" series --dyad USA,MEX --by week --to 2025-02-09 "$U"
expect_grep "$TMP/out" "2025-01-06,2,2,0,0,0,5.30,2.650,0.000"
expect_grep "$TMP/out" "2025-01-20,0,0,0,0,0,0.00,,"
expect_grep "$TMP/out" "2025-02-03,4,1,0,1,2,-15.60,-3.900,0.750"
expect_status 0 "$DYAD" alerts --dyad USA,MEX --to 2025-02-09 "$U"
expect_grep "$TMP/out" "Goldstein mean -3.90 (baseline 4.28 ± 2.63, z -3.1) [ALERT]"
# the per-day dyad summary equals a GROUP BY over the events, and series read from it equal
# series counted from the events
summary_off() {
    psql -tA "$U" -c "select (select count(*) from (
        select src3, tgt3, event_date, quad, modality, count(*), sum(cast(round(goldstein * 10000) as bigint))
        from events group by 1, 2, 3, 4, 5
        except select src3, tgt3, day, quad, modality, events, gunits from dyad_days) a)
      + (select count(*) from (select src3, tgt3, day, quad, modality, events, gunits from dyad_days
        except select src3, tgt3, event_date, quad, modality, count(*), sum(cast(round(goldstein * 10000) as bigint))
        from events group by 1, 2, 3, 4, 5) b)"
}
[ "$(summary_off)" = 0 ] && ok || bad "PostgreSQL dyad summary differs from the events"
for q in "--by day" "--dyad USA,MEX --by week" "--dyad MEX,US --directed --by day"; do
    # shellcheck disable=SC2086
    "$DYAD" series $q "$U" > "$TMP/sum.csv" && "$DYAD" series --scan $q "$U" > "$TMP/scan.csv" \
        && cmp -s "$TMP/sum.csv" "$TMP/scan.csv" && ok || bad "series $q: summary and scan differ"
done

# two clients loading into the shared store at once: every document once
awk -v n=400 'BEGIN { for (i = 0; i < n; i++)
    printf "{\"doc\":\"c-%d\",\"date\":\"2025-03-%02d\",\"source\":\"CAN\",\"target\":\"MEX\",\"code\":\"042\"}\n", i, 1 + i % 28 }' > "$TMP/c.jsonl"
"$DYAD" ingest -q --events "$U" "$TMP/c.jsonl" & a=$!
"$DYAD" ingest -q --events "$U" "$TMP/c.jsonl" & b=$!
wait $a; ra=$?; wait $b; rb=$?
[ $ra -eq 0 ] && [ $rb -eq 0 ] && ok || bad "concurrent ingests failed ($ra, $rb)"
[ "$(psql -tA "$U" -c "select count(*), count(distinct id) from documents where id like 'c-%'")" = "400|400" ] \
    && ok || bad "concurrent ingests duplicated or lost documents"
[ "$(psql -tA "$U" -c "select count(*) from events e join documents d on d.seq = e.doc_seq where d.id like 'c-%'")" = 400 ] \
    && ok || bad "concurrent ingests duplicated events"
[ "$(summary_off)" = 0 ] && ok || bad "concurrent ingests: the dyad summary differs from the events"
expect_status 3 "$DYAD" events "postgresql://dyad@127.0.0.1:1/none"
expect_grep "$TMP/err" "cannot connect to PostgreSQL"
finish
