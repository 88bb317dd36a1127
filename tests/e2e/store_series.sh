#!/usr/bin/env bash
# End-to-end: dyad series (CSV, JSON, SVG) and dyad alerts on a small store whose numbers
# were computed by hand (see tests/unit/test_store_series.c for the arithmetic).
source "$(dirname "$0")/lib.bash"

cat > "$TMP/ev.jsonl" <<'EOF'
{"doc":"w1","date":"2025-01-07","source":"USA","target":"MEX","code":"051","quad":1,"goldstein":3.4}
{"doc":"w1","date":"2025-01-08","source":"MEX","target":"USA","code":"042","quad":1,"goldstein":1.9,"modality":"reported"}
{"doc":"w2","date":"2025-01-15","source":"USAGOV","target":"MEXGOV","code":"057","quad":1,"goldstein":8.0}
{"doc":"w4","date":"2025-01-28","source":"USA","target":"MEX","code":"051","quad":1,"goldstein":3.4}
{"doc":"w4","date":"2025-01-29","source":"USA","target":"MEXGOV","code":"040","quad":1,"goldstein":1.0}
{"doc":"w5","date":"2025-02-03","source":"USA","target":"MEX","code":"190","quad":4,"goldstein":-10.0,"sentence":"US troops fought Mexican forces."}
{"doc":"w5","sent":1,"date":"2025-02-04","source":"MEX","target":"USA","code":"1211","quad":3,"goldstein":-4.0,"sentence":"Mexico condemned the raid."}
{"doc":"w5","sent":2,"date":"2025-02-04","source":"USAMIL","target":"MEX","code":"173","quad":4,"goldstein":-5.0,"sentence":"Soldiers arrested officials."}
{"doc":"w5","sent":3,"date":"2025-02-05","source":"MEX","target":"USA","code":"051","quad":1,"goldstein":3.4,"sentence":"Mexico praised a truce."}
{"doc":"w5","sent":4,"date":"2025-02-05","source":"USA","target":"MEX","code":"190","quad":4,"goldstein":-10.0,"modality":"negated","sentence":"No troops fought."}
{"doc":"w5","sent":5,"date":"2025-02-05","source":"CAN","target":"MEX","code":"190","quad":4,"goldstein":-10.0,"sentence":"Canada fought Mexico."}
EOF
db="$TMP/s.db"
expect_status 0 "$DYAD" ingest --events "$db" "$TMP/ev.jsonl"

expect_status 0 "$DYAD" series --dyad USA,MEX --by week "$db"
cat > "$TMP/want" <<'EOF'
period,events,verbal_coop,material_coop,verbal_conflict,material_conflict,goldstein_sum,goldstein_mean,conflict_share
2025-01-06,2,2,0,0,0,5.30,2.650,0.000
2025-01-13,1,1,0,0,0,8.00,8.000,0.000
2025-01-20,0,0,0,0,0,0.00,,
2025-01-27,2,2,0,0,0,4.40,2.200,0.000
2025-02-03,4,1,0,1,2,-15.60,-3.900,0.750
EOF
if cmp -s "$TMP/out" "$TMP/want"; then ok; else bad "weekly series"; diff "$TMP/want" "$TMP/out" >&2; fi

expect_status 0 "$DYAD" series --dyad mex,usa --by month "$db"
printf '%s\n' "2025-01,5,5,0,0,0,17.70,3.540,0.000" "2025-02,4,1,0,1,2,-15.60,-3.900,0.750" > "$TMP/want"
if tail -n +2 "$TMP/out" | cmp -s - "$TMP/want"; then ok; else bad "monthly series (either direction)"; fi

expect_status 0 "$DYAD" series --dyad USA,MEX --directed --by month --format json "$db"
expect_grep "$TMP/out" '{"dyad":"USA,MEX","directed":true,"by":"month","periods":['
expect_grep "$TMP/out" '{"period":"2025-01","events":4,"verbal_coop":4,"material_coop":0,"verbal_conflict":0,"material_conflict":0,"goldstein_sum":15.80,"goldstein_mean":3.950,"conflict_share":0.000}'
expect_grep "$TMP/out" '{"period":"2025-02","events":2,"verbal_coop":0,"material_coop":0,"verbal_conflict":0,"material_conflict":2,"goldstein_sum":-15.00,"goldstein_mean":-7.500,"conflict_share":1.000}'
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out" 2>/dev/null && ok || bad "series JSON does not parse"

expect_status 0 "$DYAD" series --dyad USA,MEX --by day --modality asserted,reported,negated --from 2025-02-05 --to 2025-02-05 "$db"
expect_grep "$TMP/out" "2025-02-05,2,1,0,0,1,-6.60,-3.300,0.500"

expect_status 0 "$DYAD" series --dyad USA,MEX --by week --plot "$TMP/p.svg" "$db"
expect_grep "$TMP/p.svg" '<svg xmlns="http://www.w3.org/2000/svg"'
expect_grep "$TMP/p.svg" 'events per week'
expect_grep "$TMP/p.svg" 'conflict (quad 3-4)'
expect_grep "$TMP/p.svg" 'cooperation (quad 1-2)'
if command -v xmllint >/dev/null; then
    xmllint --noout "$TMP/p.svg" 2>/dev/null && ok || bad "the SVG is not well-formed XML"
fi

# the PNG chart: a real PNG of 900 x 440 (signature, IHDR, CRCs, IDAT inflated and
# unfiltered), with the white background, dark text and both lines' colours in it
expect_status 0 "$DYAD" series --dyad USA,MEX --by week --plot "$TMP/p.png" "$db"
cat > "$TMP/png.py" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'PNG signature'
pos, chunks = 8, []
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    assert struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])[0] == zlib.crc32(kind + body), 'CRC'
    chunks.append((kind, body))
    pos += 12 + n
assert chunks[0][0] == b'IHDR' and chunks[-1][0] == b'IEND', 'chunk order'
w, h, depth, ctype = struct.unpack('>IIBB', chunks[0][1][:10])
assert (w, h, depth) == (900, 440, 8) and ctype in (2, 6), (w, h, depth, ctype)
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b''.join(b for k, b in chunks if k == b'IDAT'))
stride, prev, colours = w * bpp, bytearray(w * bpp), {}
for y in range(h):
    f, row = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        paeth = a if pa <= pb and pa <= pc else b if pb <= pc else c
        row[i] = (row[i] + [0, a, b, (a + b) // 2, paeth][f]) & 255
    for x in range(0, stride, bpp):
        px = tuple(row[x:x + 3])
        colours[px] = colours.get(px, 0) + 1
    prev = row
assert colours.get((255, 255, 255), 0) > w * h // 2, 'mostly white background'
assert colours.get((0x1a, 0x98, 0x50), 0) > 50, 'green cooperation line'
assert colours.get((0xd7, 0x30, 0x27), 0) > 50, 'red conflict line'
assert sum(v for k, v in colours.items() if max(k) < 80) > 500, 'dark text and axes'
EOF
python3 "$TMP/png.py" "$TMP/p.png" 2> "$TMP/png.err" && ok || bad "PNG chart: $(tail -1 "$TMP/png.err")"
# an upper-case extension; bad paths and extensions are clear errors
expect_status 0 "$DYAD" series --dyad USA,MEX --plot "$TMP/P.PNG" "$db"
python3 "$TMP/png.py" "$TMP/P.PNG" && ok || bad "PNG chart (.PNG)"
expect_status 3 "$DYAD" series --dyad USA,MEX --plot "$TMP/no/such/dir/p.png" "$db"
expect_grep "$TMP/err" "no/such/dir/p.png: cannot write the plot: No such file or directory"
expect_status 2 "$DYAD" series --dyad USA,MEX --plot "$TMP/p.gif" "$db"
expect_grep "$TMP/err" "the file name must end in .svg or .png"
[ ! -e "$TMP/p.gif" ] && ok || bad "a plot with a bad extension was written"

# --- alerts ---------------------------------------------------------------
expect_status 0 "$DYAD" alerts --dyad USA,MEX "$db"
expect_grep "$TMP/out" "USA - MEX, week 2025-02-03 (2025-02-03..2025-02-09): 4 events; Goldstein mean -3.90 (baseline 4.28 ± 2.63, z -3.1) [ALERT]; conflict share 0.75 (baseline 0.00 ± 0.00, z +7.5) [ALERT]"
expect_grep "$TMP/out" '  2025-02-03 USA -> MEX 190 (-10.0) "": US troops fought Mexican forces. [w5, sentence 0]'
[ "$(grep -c '^  2025' "$TMP/out")" -eq 4 ] && ok || bad "alert should list its 4 events"
expect_no_grep "$TMP/out" "No troops fought|Canada fought"
expect_status 0 "$DYAD" alerts --dyad USA,MEX --k 4 "$db"
expect_grep "$TMP/out" "(baseline 4.28 ± 2.63, z -3.1); conflict share 0.75 (baseline 0.00 ± 0.00, z +7.5) [ALERT]"
expect_status 0 "$DYAD" alerts --dyad USA,MEX --min-events 5 "$db"
if [ -s "$TMP/out" ]; then bad "alert despite --min-events 5"; else ok; fi
# every dyad: MEX-USA alerts, CAN-MEX has too few events
expect_status 0 "$DYAD" alerts --min-dyad 2 --format jsonl "$db"
[ "$(wc -l < "$TMP/out")" -eq 1 ] && ok || bad "one alert expected over all dyads"
expect_grep "$TMP/out" '{"dyad":"MEX,USA","directed":false,"by":"week","period":"2025-02-03"'
python3 -c 'import json,sys; a=json.loads(open(sys.argv[1]).readline()); assert len(a["event_list"])==4' "$TMP/out" \
    && ok || bad "alert JSON lacks its 4 events"

expect_status 2 "$DYAD" series --by year "$db"
expect_status 2 "$DYAD" alerts --k 0 "$db"
expect_status 2 "$DYAD" alerts --window 1 "$db"
expect_status 2 "$DYAD" series --from 2025-02-01 --to 2025-01-01 "$db"
finish
