#!/usr/bin/env bash
# Crash safety of dyad ingest: 20 trials, each killing an ingest with SIGKILL at a random
# moment (half of them with -j 2, some killed twice), then re-running it to completion.
# Every trial must end with PRAGMA integrity_check = ok, every document stored exactly once,
# and the same events, in the same order, as an ingest that was never interrupted, with
# the per-day dyad summary (dyad_days) equal to a GROUP BY over the stored events, and with
# the two dyad indexes that the bulk load of the empty store left out until its end.
# Runtime is bounded: the corpus is 2,000 small synthetic documents and each kill happens
# within the time one clean ingest takes.
source "$(dirname "$0")/lib.bash"
command -v sqlite3 >/dev/null || { echo "  SKIP: sqlite3 (Debian package sqlite3) is not installed"; exit 0; }

ndocs=2000
awk -v n=$ndocs 'BEGIN {
    srand(42)
    split("Mexico|the United States|Canada|China|Russia|Ukraine|France|Germany|Japan|India|Brazil", a, "|")
    split("rejected|praised|criticized|met with|accused|thanked|condemned|visited", v, "|")
    for (i = 1; i <= n; i++) {
        t = ""
        k = 1 + int(rand() * 3)
        for (j = 0; j < k; j++) {
            x = a[1 + int(rand() * 11)]; y = a[1 + int(rand() * 11)]
            s = x " " v[1 + int(rand() * 8)] " " y "."
            t = t (j ? " " : "") toupper(substr(s, 1, 1)) substr(s, 2)
        }
        printf "{\"id\":\"doc-%05d\",\"date\":\"2025-%02d-%02d\",\"source\":\"synthetic\",\"text\":\"%s\"}\n", i, 1 + i % 12, 1 + i % 28, t
    }
}' > "$TMP/corpus.jsonl"

# summary_off DB: rows by which dyad_days and a GROUP BY over the events differ (0 = exact)
summary_off() {
    sqlite3 "$1" "select (select count(*) from (
        select src3, tgt3, event_date, quad, modality, count(*), sum(cast(round(goldstein * 10000) as bigint))
        from events group by 1, 2, 3, 4, 5
        except select src3, tgt3, day, quad, modality, events, gunits from dyad_days))
      + (select count(*) from (select src3, tgt3, day, quad, modality, events, gunits from dyad_days
        except select src3, tgt3, event_date, quad, modality, count(*), sum(cast(round(goldstein * 10000) as bigint))
        from events group by 1, 2, 3, 4, 5))"
}

# exec: the background job must be dyad itself, so that kill -9 hits dyad, not a subshell
ingest() { exec "$DYAD" ingest -q --no-parse -b 50 "$@"; }

# warm-up (not timed): fills the compiled-dictionary cache, so that the timed
# run costs what the killed runs cost
(ingest "$TMP/warm.db" "$TMP/corpus.jsonl") >/dev/null 2>&1; rm -f "$TMP"/warm.db*
# the reference: one clean ingest, timed
start=$(date +%s%N)
(ingest "$TMP/clean.db" "$TMP/corpus.jsonl") || bad "clean ingest failed"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -gt 0 ] || ms=1
"$DYAD" events "$TMP/clean.db" > "$TMP/clean.events"
clean_sum=$(md5sum < "$TMP/clean.events")
nevents=$(wc -l < "$TMP/clean.events")
[ "$(summary_off "$TMP/clean.db")" = 0 ] && ok || bad "clean ingest: the dyad summary is off"
"$DYAD" series --by day "$TMP/clean.db" > "$TMP/clean.series"
"$DYAD" series --by day --scan "$TMP/clean.db" | cmp -s - "$TMP/clean.series" && ok \
    || bad "clean ingest: the series from the summary differs from the scan"
[ "$(wc -l < "$TMP/clean.series")" -gt 100 ] && ok || bad "clean ingest: a series of $(wc -l < "$TMP/clean.series") lines"
clean_series=$(md5sum < "$TMP/clean.series")
[ "$(sqlite3 "$TMP/clean.db" 'select count(*) from documents')" -eq $ndocs ] && ok || bad "clean ingest lost documents"
echo "  clean ingest: $ndocs documents, $nevents events in $ms ms"

[ "$(sqlite3 "$TMP/clean.db" "select count(*) from sqlite_master where type = 'index' and name in ('events_dyad', 'events_rdyad')")" = 2 ] \
    && ok || bad "clean ingest: the dyad indexes are missing"
killed_mid=0
for trial in $(seq 1 20); do
    db="$TMP/crash$trial.db"
    jobs=1; [ $((trial % 2)) -eq 0 ] && jobs=2
    kills=1; [ $((trial % 5)) -eq 0 ] && kills=2
    for k in $(seq 1 $kills); do
        ingest -j $jobs "$db" "$TMP/corpus.jsonl" &
        pid=$!
        delay_ms=$(( RANDOM % ms ))
        sleep "$(printf '0.%03d' "$delay_ms")"
        if kill -9 "$pid" 2>/dev/null; then killed_mid=$((killed_mid + 1)); fi
        wait "$pid" 2>/dev/null
    done
    partial=$(sqlite3 "$db" 'select count(*) from documents' 2>/dev/null || echo 0)
    (ingest -j $jobs "$db" "$TMP/corpus.jsonl") || bad "trial $trial: the re-run failed"
    check=$(sqlite3 "$db" 'pragma integrity_check')
    [ "$check" = ok ] && ok || bad "trial $trial: integrity_check: $check"
    read -r docs distinct orphans short <<<"$(sqlite3 -separator ' ' "$db" "select
        (select count(*) from documents), (select count(distinct id) from documents),
        (select count(*) from events where doc_seq not in (select seq from documents)),
        (select count(*) from documents d where nevents <> (select count(*) from events e where e.doc_seq = d.seq))")"
    [ "$docs" -eq $ndocs ] && [ "$distinct" -eq $ndocs ] && ok \
        || bad "trial $trial: $docs documents ($distinct distinct), wanted $ndocs"
    [ "$orphans" -eq 0 ] && [ "$short" -eq 0 ] && ok \
        || bad "trial $trial: $orphans orphan events, $short documents with missing events"
    sum=$("$DYAD" events "$db" | md5sum)
    [ "$sum" = "$clean_sum" ] && ok || bad "trial $trial: events differ from the clean ingest"
    # the bulk load left out the dyad indexes; the completed re-run built them
    [ "$(sqlite3 "$db" "select count(*) from sqlite_master where type = 'index' and name in ('events_dyad', 'events_rdyad')")" = 2 ] \
        && ok || bad "trial $trial: the dyad indexes are missing after the re-run"
    off=$(summary_off "$db")
    [ "$off" = 0 ] && ok || bad "trial $trial: the dyad summary is off by $off rows"
    [ "$("$DYAD" series --by day "$db" | md5sum)" = "$clean_series" ] && ok \
        || bad "trial $trial: the series differs from the clean ingest"
    echo "  trial $trial: -j $jobs, killed $kills time(s) with $partial documents stored; re-run complete"
    rm -f "$db" "$db-wal" "$db-shm"
done
# the kills must have hit running ingests, or the test proved nothing
[ "$killed_mid" -ge 10 ] && ok || bad "only $killed_mid of the kills hit a running ingest"
finish
