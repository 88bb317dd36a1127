#!/usr/bin/env bash
# dyad serve (issue 7): the HTTP API over real HTTP against a server started on 127.0.0.1
# (port 0: the kernel picks a free port, the server prints it). Covers every endpoint, that
# the API answers what the CLI prints for the same store, the bad-request catalogue (each
# answered with a JSON error body, the server still serving afterwards), the token, the body
# limit and static files (no traversal). Needs curl.
source "$(dirname "$0")/lib.bash"
if ! command -v curl >/dev/null; then
    echo "  SKIP: curl is not installed (apt-get install curl)"
    exit 0
fi
ARTICLE=examples/us-mexico-sovereignty.jsonl
TOKEN=test-token-0123456789
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

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

# start_server LOG ARGS...: starts dyad serve, waits (at most 60 s) for its address
start_server() {
    local log=$1; shift
    "$DYAD" serve --listen 127.0.0.1:0 "$@" 2>"$log" &
    srv_pid=$!
    for _ in $(seq 600); do
        if grep -q 'listening on' "$log"; then
            URL=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$log" | head -1)
            return 0
        fi
        kill -0 "$srv_pid" 2>/dev/null || break
        sleep 0.1
    done
    bad "server did not start: $(cat "$log")"
    finish
    exit 1
}

# req METHOD PATH [curl args...]: status in $code, body in $TMP/body
req() {
    local m=$1 p=$2; shift 2
    code=$(curl -s --max-time 60 --path-as-is -o "$TMP/body" -w '%{http_code}' -X "$m" "$@" "$URL$p")
}
# expect CODE METHOD PATH [curl args...]: status check, and a JSON body
expect() {
    local want=$1; shift
    req "$@"
    if [ "$code" = "$want" ]; then ok; else bad "$1 $2: HTTP $code (wanted $want): $(head -c 300 "$TMP/body")"; fi
    if [ "$want" -ge 400 ] && [ "$want" != 422 ] && [ "$1" != HEAD ]; then
        if grep -q '^{"error":".*","status":'"$want"'}$' "$TMP/body"; then ok; else bad "$1 $2: no JSON error body: $(head -c 300 "$TMP/body")"; fi
    fi
}
# one event object per line, from a JSON array of events in a response
split_events() { sed -e 's/^{"events":\[//' -e 's/\],"count".*$//' -e 's/},{"doc":/}\n{"doc":/g' "$1"; }

echo "== start and health"
start_server "$TMP/serve.log" --token-file "$TMP/token" "$TMP/t.db"
expect 200 GET /healthz
expect_grep "$TMP/body" '"status":"ok"'
expect_grep "$TMP/body" '"writes":true'

echo "== POST /v1/code"
expect 200 POST '/v1/code?date=2025-08-09' -H 'Content-Type: text/plain' --data-binary 'Mexico rejected the demands of the United States.'
expect_grep "$TMP/body" '"source":"MEX","target":"USA","code":"12"'
expect_grep "$TMP/body" '"sentences":1'
# a JSON document: the same events as dyad code writes, and its quotations
head -1 "$ARTICLE" >"$TMP/doc.json"
expect 200 POST /v1/code -H 'Content-Type: application/json' --data-binary @"$TMP/doc.json"
"$DYAD" code -q "$TMP/doc.json" >"$TMP/cli-events.jsonl"
sed -e 's/^.*"events":\[//' -e 's/\],"quotes":.*$//' -e 's/},{"doc":/}\n{"doc":/g' "$TMP/body" >"$TMP/api-events.jsonl"
if [ -s "$TMP/cli-events.jsonl" ] && cmp -s "$TMP/cli-events.jsonl" "$TMP/api-events.jsonl"; then ok; else bad "POST /v1/code events differ from dyad code"; diff "$TMP/cli-events.jsonl" "$TMP/api-events.jsonl" | head -5 >&2; fi
expect_grep "$TMP/body" '"quotes":[{"doc":"us-mexico-sovereignty"'
# no content type: sniffed like dyad code's standard input
expect 200 POST /v1/code --data-binary @"$TMP/doc.json"
expect_grep "$TMP/body" '"id":"us-mexico-sovereignty"'
# nothing was stored
"$DYAD" events "$TMP/t.db" >"$TMP/none.jsonl"
if [ ! -s "$TMP/none.jsonl" ]; then ok; else bad "POST /v1/code stored events"; fi

echo "== POST /v1/documents (token)"
expect 401 POST /v1/documents --data-binary @"$ARTICLE"
expect 401 POST /v1/documents -H "Authorization: Bearer wrong-$TOKEN" --data-binary @"$ARTICLE"
expect 401 POST /v1/documents -H "Authorization: Basic $TOKEN" --data-binary @"$ARTICLE"
expect 200 POST /v1/documents -H "Authorization: Bearer $TOKEN" --data-binary @"$ARTICLE"
expect_grep "$TMP/body" '"documents":1,"new":1'
expect 200 POST /v1/documents -H "Authorization: Bearer $TOKEN" --data-binary @"$ARTICLE"
expect_grep "$TMP/body" '"new":0,"changed":0,"unchanged":1' "ingesting again is a no-op"
# an array with one bad document: the good one is stored, the bad one reported
printf '[{"id":"d2","date":"2025-08-10","text":"Russia attacked Ukraine."},{"id":"d3","date":"2025-08-10"}]' >"$TMP/two.json"
expect 422 POST /v1/documents -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @"$TMP/two.json"
expect_grep "$TMP/body" '"new":1'
expect_grep "$TMP/body" '"rejected":1'
expect_grep "$TMP/body" '"errors":["document 2:'
expect 400 POST /v1/documents -H "Authorization: Bearer $TOKEN" --data-binary '{"id": broken'
expect 400 POST '/v1/documents?date=2025-13-01' -H "Authorization: Bearer $TOKEN" --data-binary @"$ARTICLE"

echo "== GET endpoints answer what the CLI prints"
expect 200 GET '/v1/events?dyad=USA,MEX&limit=10000'
split_events "$TMP/body" >"$TMP/api.jsonl"
"$DYAD" events --dyad USA,MEX "$TMP/t.db" >"$TMP/cli.jsonl"
if [ -s "$TMP/cli.jsonl" ] && cmp -s "$TMP/cli.jsonl" "$TMP/api.jsonl"; then ok; else bad "GET /v1/events differs from dyad events"; diff "$TMP/cli.jsonl" "$TMP/api.jsonl" | head -5 >&2; fi
expect_grep "$TMP/body" '"next_offset":null'
expect 200 GET '/v1/events?dyad=USA,MEX&limit=2&offset=1'
expect_grep "$TMP/body" '"count":2,"limit":2,"offset":1,"next_offset":3'
expect 200 GET '/v1/events?actor=RUS&quad=4'
expect_grep "$TMP/body" '"source":"RUS","target":"UKR"'
expect 200 GET '/v1/events?dyad=USA,MEX&directed=true&quad=3,4&modality=asserted,reported&from=2025-08-01&to=2025-08-31&code=12&root=12&doc=us-mexico-sovereignty'
expect 200 GET '/v1/events?text=cartels&limit=5'
expect_grep "$TMP/body" 'cartels'
expect 200 GET '/v1/series?dyad=USA,MEX&by=day'
"$DYAD" series --dyad USA,MEX --by day -f json "$TMP/t.db" >"$TMP/cli-series.json"
if cmp -s "$TMP/cli-series.json" "$TMP/body"; then ok; else bad "GET /v1/series differs from dyad series -f json"; fi
expect 200 GET '/v1/series?actor=MEX&by=week&from=2025-08-01&to=2025-08-31'
expect_grep "$TMP/body" '"period":"2025-08-04"'
expect 200 GET '/v1/alerts?dyad=USA,MEX&by=day&window=2&min_events=1'
expect_grep "$TMP/body" '"alerts":['
expect 200 GET '/v1/alerts'
expect 200 GET '/v1/actors?q=mex'
expect_grep "$TMP/body" '{"code":"MEXGOV","events":'
expect 200 GET '/v1/actors?limit=3'
expect_grep "$TMP/body" '"count":3'
expect 200 HEAD /healthz

echo "== bad requests: 4xx with a JSON error, then still serving"
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"text": "unterminated'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '["not", "an", "object"]'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"id": "x"}'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"text": 5}'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"text": "a", "text": "b"}'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"text": "a\u0000b"}'
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary '{"text": "x", "date": "2025-02-30"}'
printf '{"text": "Mexico \xff\xfe rejected"}' >"$TMP/badutf8.json"
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary @"$TMP/badutf8.json"
printf 'Mexico \xc3\x28 rejected' >"$TMP/badutf8.txt"
expect 400 POST '/v1/code?date=2025-08-09' -H 'Content-Type: text/plain' --data-binary @"$TMP/badutf8.txt"
printf 'over\xed\xa0\x80long' >"$TMP/surrogate.txt"
expect 400 POST '/v1/code?date=2025-08-09' -H 'Content-Type: text/plain' --data-binary @"$TMP/surrogate.txt"
printf '%0.s[' $(seq 5000) >"$TMP/deep.json"
expect 400 POST /v1/code -H 'Content-Type: application/json' --data-binary @"$TMP/deep.json"
expect 400 POST /v1/code -H 'Content-Type: text/plain' --data-binary ''
expect 400 POST '/v1/code?date=yesterday' --data-binary 'text'
expect 400 POST '/v1/code?bogus=1' --data-binary 'text'
head -c 1100000 /dev/zero | tr '\0' 'a' >"$TMP/big.txt"
expect 413 POST '/v1/code?date=2025-08-09' -H 'Content-Type: text/plain' --data-binary @"$TMP/big.txt"
# chunked past the limit: the connection is closed (no status can be sent mid-upload)
code=$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big.txt" "$URL/v1/code?date=2025-08-09" || true)
if [ "$code" != 200 ]; then ok; else bad "a chunked body past the limit was accepted"; fi
expect 405 GET /v1/code
expect 405 POST /v1/events --data-binary 'x'
expect 405 DELETE /v1/documents
expect 404 GET /v1/nothing
expect 400 GET '/v1/events?dyad=USA'
expect 400 GET '/v1/events?dyad=US%20A,MEX'
expect 400 GET '/v1/events?actor=MEX;DROP'
expect 400 GET '/v1/events?quad=5'
expect 400 GET '/v1/events?code=1a'
expect 400 GET '/v1/events?root=123'
expect 400 GET '/v1/events?from=2025-08-31&to=2025-08-01'
expect 400 GET '/v1/events?from=2025-8-1'
expect 400 GET '/v1/events?limit=-1'
expect 400 GET '/v1/events?limit=100001'
expect 400 GET '/v1/events?offset=abc'
expect 400 GET '/v1/events?modality=maybe'
expect 400 GET '/v1/events?directed=perhaps&dyad=USA,MEX'
expect 400 GET '/v1/events?directed=1'
expect 400 GET '/v1/events?limit=1&limit=2'
expect 400 GET '/v1/events?text=%FF%FE'
expect 400 GET '/v1/events?colour=red'
expect 400 GET "/v1/events?$(seq -s '&' -f 'p%g=1' 40)"
expect 400 GET '/v1/series?by=year'
expect 400 GET '/v1/series?text=words'
expect 400 GET '/v1/series?from=0001-01-01&to=9999-12-31&by=day'
expect 400 GET '/v1/alerts?k=0'
expect 400 GET '/v1/alerts?window=1'
expect 400 GET '/v1/actors?q=M%C3%89X'
expect 400 GET '/v1/actors?limit=0'
expect 400 GET '/healthz?x=1'
# a request line that is not HTTP, and a dropped connection, do not stop the server
printf 'NONSENSE\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${URL##*:}; cat >&3; cat <&3" >/dev/null 2>&1 || true
timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${URL##*:}; printf 'POST /v1/code HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc' >&3" 2>/dev/null || true
expect 200 GET /healthz

echo "== static files"
expect 200 GET /
expect_grep "$TMP/body" '<html'
for p in /../README.md /web/../../README.md '/%2e%2e/README.md' /.git/config /index.html/ '//etc/passwd' /vendor/../../Makefile /no-such-file.js; do
    expect 404 GET "$p"
done
expect 405 POST /index.html --data-binary 'x'

echo "== concurrency: 40 requests on 8 connections"
seq 40 | xargs -P 8 -I{} curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' -X POST -H 'Content-Type: text/plain' --data-binary 'Russia attacked Ukraine on Monday.' "$URL/v1/code?date=2025-08-09" >"$TMP/codes"
if [ "$(grep -c '^200$' "$TMP/codes")" = 40 ]; then ok; else bad "concurrent /v1/code: $(sort "$TMP/codes" | uniq -c | tr '\n' ' ')"; fi

echo "== clean stop"
if stop_server; then ok; else bad "the server did not exit 0 on SIGTERM"; fi
expect_no_grep "$TMP/serve.log" 'Sanitizer|runtime error'

echo "== read-only without a token, --no-parse, other limits, symlinks in the asset folder"
mkdir -p "$TMP/assets/sub"
echo '<html>mine</html>' >"$TMP/assets/index.html"
ln -s /etc/hostname "$TMP/assets/leak.txt"
ln -s /etc "$TMP/assets/sub/etc"
start_server "$TMP/serve2.log" --assets "$TMP/assets" --no-parse --body-limit 2048 "$TMP/t.db"
expect 403 POST /v1/documents -H "Authorization: Bearer $TOKEN" --data-binary @"$TMP/two.json"
expect 413 POST /v1/code --data-binary @"$ARTICLE"
expect 200 POST '/v1/code?date=2025-08-09' --data-binary 'Russia attacked Ukraine.'
expect_grep "$TMP/body" '"parsed":false'
expect 200 GET /
expect_grep "$TMP/body" 'mine'
expect 404 GET /leak.txt
expect 404 GET /sub/etc/hostname
stop_server || bad "second server: bad exit status"
start_server "$TMP/serve3.log" --no-dashboard --no-parse "$TMP/t.db"
expect 404 GET /
expect 404 GET /index.html
stop_server || bad "third server: bad exit status"
expect_status 2 "$DYAD" serve --listen localhost:8080 "$TMP/t.db"
expect_status 2 "$DYAD" serve --listen 127.0.0.1:99999 "$TMP/t.db"
expect_status 2 "$DYAD" serve --token-file "$TMP/no-such-token" "$TMP/t.db"
expect_status 2 "$DYAD" serve
finish
