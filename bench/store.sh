#!/usr/bin/env bash
# Event-store benchmarks (issue 6); not a test.  Prints a Markdown table of medians.
#
#   make && bench/store.sh [WORKDIR]      (default /tmp/dyad-bench-store; needs ~1.5 GB)
#
# 1. bulk load of pre-coded events (dyad ingest --events) on one core (taskset -c 0),
#    200,000 events, fresh store each run, 5 runs;
# 2. the 1,000,000-event store it is measured on, loaded once;
# 3. dyad series --dyad USA,MEX --by month (from the per-day summary, and with --scan from
#    the events: the answers must be identical), and an actor-filtered page
#    (dyad events --actor MEX --limit 50, first page and --offset 10000), 7 runs each,
#    wall clock of the whole command (process start, open, query, output).
# Synthetic events: bench/store-gen.awk (60 countries with a Zipf-like skew, 40% with an
# agent, 5 events per document, 2015-2024).
set -euo pipefail
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
W=${1:-/tmp/dyad-bench-store}
mkdir -p "$W"
[ -s "$W/events-1m.jsonl" ] || awk -v n=1000000 -f bench/store-gen.awk > "$W/events-1m.jsonl"
[ -s "$W/events-200k.jsonl" ] || head -200000 "$W/events-1m.jsonl" > "$W/events-200k.jsonl"
pin=""; command -v taskset >/dev/null && pin="taskset -c 0"

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# 1. ingest rate
rates=(); cpus=()
for i in 1 2 3 4 5; do
    rm -f "$W/r.db" "$W/r.db-wal" "$W/r.db-shm"
    t0=$(now)
    cpu=$( { /usr/bin/time -f "%U %S" $pin "$DYAD" ingest -q --events "$W/r.db" "$W/events-200k.jsonl"; } 2>&1 | awk '{print $1 + $2}')
    t1=$(now)
    rates+=("$(( 200000 * 1000000000 / (t1 - t0) ))")
    cpus+=("$(awk -v c="$cpu" 'BEGIN {printf "%d", 200000 / c}')")
done
ingest_wall=$(printf '%s\n' "${rates[@]}" | median)
ingest_cpu=$(printf '%s\n' "${cpus[@]}" | median)

# 2. the 1M store
if [ ! -s "$W/1m.db" ]; then
    t0=$(now)
    cpu=$( { /usr/bin/time -f "%U %S" $pin "$DYAD" ingest -q --events "$W/1m.db" "$W/events-1m.jsonl"; } 2>&1 | awk '{print $1 + $2}')
    t1=$(now)
    echo "1M load: $(( 1000000 * 1000000000 / (t1 - t0) )) events/s wall ($(( (t1 - t0) / 1000000 )) ms)," \
        "$(awk -v c="$cpu" 'BEGIN {printf "%d", 1000000 / c}') events per CPU second" >&2
fi
nev=$(sqlite3 "$W/1m.db" 'select count(*) from events')
size=$(du -m "$W/1m.db" | cut -f1)

# 3. queries
timeit() { # prints the median wall time in ms of 7 runs of the command
    "$@" > /dev/null # warm-up
    for i in 1 2 3 4 5 6 7; do
        t0=$(now); "$@" > /dev/null; t1=$(now)
        echo $(( (t1 - t0) / 1000 ))
    done | median | awk '{printf "%.1f", $1 / 1000}'
}
series_ms=$(timeit "$DYAD" series --dyad USA,MEX --by month "$W/1m.db")
series_rows=$("$DYAD" series --dyad USA,MEX --by month "$W/1m.db" | awk -F, 'NR>1 {n += $2} END {print n}')
# the same series counted from the events instead of the per-day dyad summary (schema 6)
scan_ms=$(timeit "$DYAD" series --scan --dyad USA,MEX --by month "$W/1m.db")
cmp -s <("$DYAD" series --dyad USA,MEX --by month "$W/1m.db") \
    <("$DYAD" series --scan --dyad USA,MEX --by month "$W/1m.db") \
    || { echo "bench/store.sh: the series from the summary differs from the scan" >&2; exit 1; }
page_ms=$(timeit "$DYAD" events --actor MEX --limit 50 "$W/1m.db")
page2_ms=$(timeit "$DYAD" events --actor MEX --limit 50 --offset 10000 "$W/1m.db")
mex=$(sqlite3 "$W/1m.db" "select count(*) from events where source >= 'MEX' and source < 'MEY' or target >= 'MEX' and target < 'MEY'")
text_ms=$(timeit "$DYAD" events --text "officials of mex" --actor MEX --limit 50 "$W/1m.db")
startup_ms=$(timeit "$DYAD" events --limit 0 "$W/1m.db")

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
cat <<EOF
| measurement | median |
|---|---|
| ingest --events, 200,000 events, one core (taskset -c 0), wall | $ingest_wall events/s |
| same, events per CPU second (user+sys) | $ingest_cpu events/s |
| store of $nev events: file size | $size MB |
| series --dyad USA,MEX --by month ($series_rows events in the dyad) | $series_ms ms |
| same with --scan (counted from the events, not the summary) | $scan_ms ms |
| events --actor MEX --limit 50 ($mex MEX events) | $page_ms ms |
| events --actor MEX --limit 50 --offset 10000 | $page2_ms ms |
| events --text "officials of mex" --actor MEX --limit 50 (FTS5) | $text_ms ms |
| events --limit 0 (start-up: open, schema check, prepare) | $startup_ms ms |
EOF
