#!/usr/bin/env bash
# dyad serve benchmarks (issue 7); not a test. Loopback only, every run bounded in time
# (wrk -d), about 4 minutes in all plus the one-time load of the 1M-event store.
#
#   make && bench/serve.sh [WORKDIR]     (default /tmp/dyad-bench-serve; needs wrk, curl)
#
# 1. POST /v1/code with a one-sentence JSON document, 20 s per setting, against
#    dyad serve (tagging + parsing) and dyad serve --no-parse: requests/s, p50/p99, errors
#    (socket errors + non-2xx), for 8 and 32 connections;
# 2. resident memory (VmRSS) of the parsing server sampled every 5 s during a 60 s run;
# 3. GET /v1/series?dyad=USA,MEX&by=month on a store of 1,000,000 synthetic events
#    (bench/store-gen.awk, as bench/store.sh): p50/p99 over 20 s on 1 and 8 connections.
# Client and server share the machine's cores (wrk runs with one thread).
set -euo pipefail
cd "$(dirname "$0")/.."
DYAD=${DYAD:-build/dyad}
W=${1:-/tmp/dyad-bench-serve}
D=${DURATION:-20}
command -v wrk >/dev/null || { echo "bench/serve.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "bench/serve.sh: needs curl (apt-get install curl)" >&2; exit 2; }
mkdir -p "$W"

cat >"$W/code.lua" <<'EOF'
wrk.method = "POST"
wrk.body = '{"text": "Mexico rejected the demands of the United States on Friday.", "date": "2025-08-09"}'
wrk.headers["Content-Type"] = "application/json"
EOF

pid=""
stop() { [ -z "$pid" ] || { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""; }; }
trap stop EXIT
# start DB ARGS...: a server on a free loopback port; sets URL and pid
start() {
    local db=$1; shift
    "$DYAD" serve --listen 127.0.0.1:0 "$@" "$db" 2>"$W/serve.log" &
    pid=$!
    URL=""
    for _ in $(seq 600); do
        URL=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$W/serve.log" | head -1)
        [ -n "$URL" ] && return 0
        sleep 0.1
    done
    echo "bench/serve.sh: the server did not start: $(cat "$W/serve.log")" >&2
    exit 1
}
# wrkrun CONNS SECONDS PATH [lua]: prints "req/s p50 p99 errors"
wrkrun() {
    local c=$1 d=$2 p=$3 lua=${4:-}
    wrk -t1 -c"$c" -d"${d}s" --timeout 5s --latency ${lua:+-s "$lua"} "$URL$p" >"$W/wrk.out"
    awk '
        function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Requests\/sec/ { rps = $2 }
        /Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx/ { err += $NF }
        END { printf "%d %.2f %.2f %d\n", rps, p50, p99, err }' "$W/wrk.out"
}

rm -f "$W/empty.db" "$W/empty.db-wal" "$W/empty.db-shm"
echo "| server | connections | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
for label in "dyad serve" "dyad serve --no-parse"; do
    # shellcheck disable=SC2086
    start "$W/empty.db" ${label#dyad serve}
    wrkrun 8 3 /v1/code "$W/code.lua" >/dev/null # warm-up
    for c in 8 32; do
        read -r rps p50 p99 err < <(wrkrun "$c" "$D" /v1/code "$W/code.lua")
        echo "| $label | $c | $rps | $p50 | $p99 | $err |"
    done
    stop
done

# 2. RSS over 60 s
start "$W/empty.db"
wrk -t1 -c16 -d60s --timeout 5s -s "$W/code.lua" "$URL/v1/code" >"$W/wrk-rss.out" &
wpid=$!
rss=()
for i in $(seq 12); do
    sleep 5
    rss+=("$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")")
done
wait "$wpid" || true
stop
echo
echo "RSS (KiB) every 5 s during 60 s of POST /v1/code on 16 connections: ${rss[*]}"
echo "60 s run: $(grep -E 'Requests/sec' "$W/wrk-rss.out" | tr -s ' ') $(grep -E 'Non-2xx|Socket errors' "$W/wrk-rss.out" | tr -s ' ' | tr '\n' ' ')"

# 3. series on 1M events
if [ ! -s "$W/1m.db" ]; then
    src=/tmp/dyad-bench-store/events-1m.jsonl
    if [ ! -s "$src" ]; then
        src="$W/events-1m.jsonl"
        [ -s "$src" ] || awk -v n=1000000 -f bench/store-gen.awk >"$src"
    fi
    "$DYAD" ingest -q --events "$W/1m.db" "$src"
fi
start "$W/1m.db"
n=$(curl -s "$URL/v1/series?dyad=USA,MEX&by=month" | grep -o '"events":[0-9]*' | cut -d: -f2 | awk '{n += $1} END {print n}')
wrkrun 8 3 '/v1/series?dyad=USA,MEX&by=month' >/dev/null
echo
echo "| store of 1,000,000 events | connections | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---|---|---|---|---|"
for c in 1 8; do
    read -r rps p50 p99 err < <(wrkrun "$c" "$D" '/v1/series?dyad=USA,MEX&by=month')
    echo "| GET /v1/series?dyad=USA,MEX&by=month ($n events in the dyad) | $c | $rps | $p50 | $p99 | $err |"
done
stop
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
