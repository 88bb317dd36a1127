#!/usr/bin/env bash
# dyad serve (issue 7): the dashboard in headless Chromium (tests/browser/dashboard.test.js,
# playwright-core driving Debian's /usr/bin/chromium). Ingests the example article over the
# API, selects USA-MEX, checks the chart and the event table, codes a pasted text, searches
# actors. Screenshots are kept in tests/out/browser/ (git-ignored).
# Skips (exit 0, with a message) when node, npm or chromium is missing; runs `npm ci` in
# tests/browser/ when its node_modules is absent.
source "$(dirname "$0")/lib.bash"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
skip() { echo "  SKIP: $* (the browser test did not run)"; exit 0; }
command -v node >/dev/null || skip "node is not installed (apt-get install nodejs npm)"
[ -x "$CHROMIUM" ] || skip "$CHROMIUM is not installed (apt-get install chromium)"
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    command -v npm >/dev/null || skip "npm is not installed (apt-get install npm)"
    echo "  npm ci in tests/browser (playwright-core)"
    if ! (cd tests/browser && timeout 300 npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
        bad "npm ci failed in tests/browser"
        finish
        exit 1
    fi
fi
OUT=tests/out/browser
mkdir -p "$OUT"
TOKEN=browser-test-token-$$-$RANDOM

srv_pid=""
stop_server() {
    [ -n "$srv_pid" ] || return 0
    kill -TERM "$srv_pid" 2>/dev/null
    local st=0
    wait "$srv_pid" || st=$?
    srv_pid=""
    return $st
}
trap 'stop_server; rm -rf "$TMP"' EXIT

DYAD_TOKEN=$TOKEN "$DYAD" serve --listen 127.0.0.1:0 --log "$TMP/t.db" 2>"$TMP/serve.log" &
srv_pid=$!
URL=""
for _ in $(seq 600); do
    URL=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$TMP/serve.log" | head -1)
    [ -n "$URL" ] && break
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$URL" ]; then
    bad "server did not start: $(cat "$TMP/serve.log")"
    finish
    exit 1
fi
if timeout 180 node tests/browser/dashboard.test.js "$URL" "$TOKEN" "$OUT"; then ok; else bad "dashboard test (server log: $OUT/serve.log)"; fi
if stop_server; then ok; else bad "the server did not exit 0 on SIGTERM"; fi
cp "$TMP/serve.log" "$OUT/serve.log"
expect_no_grep "$TMP/serve.log" 'Sanitizer|runtime error'
finish
