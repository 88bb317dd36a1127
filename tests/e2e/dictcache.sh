#!/usr/bin/env bash
# End-to-end: compiled dictionaries (dyad dict compile, the automatic cache
# under DYAD_CACHE_DIR, --dict FILE.dyc): the same events as from the text,
# stale and damaged files refused with a clear message and exit status.
source "$(dirname "$0")/lib.bash"
export DYAD_CACHE_DIR="$TMP/cache"
EX=examples/us-mexico-sovereignty.jsonl

# --- the automatic cache: first run writes, second run reads, same events ----
DYAD_CACHE_DIR=off expect_status 0 "$DYAD" code --no-parse "$EX"
cp "$TMP/out" "$TMP/text.jsonl"
if [ ! -e "$TMP/cache" ]; then ok; else bad "DYAD_CACHE_DIR=off still wrote a cache"; fi
expect_status 0 "$DYAD" code --no-parse "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ on the run that writes the cache"; fi
n=$(ls "$TMP/cache"/native-*.dyc 2>/dev/null | wc -l)
if [ "$n" -eq 1 ]; then ok; else bad "expected one native cache file, found $n"; fi
expect_status 0 "$DYAD" code --no-parse "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ when read from the cache"; fi
if [ -s "$TMP/text.jsonl" ] && grep -q '"code"' "$TMP/text.jsonl"; then ok; else bad "no events at all"; fi

# --- dict compile -o, then --dict FILE.dyc ------------------------------------
mkdir "$TMP/d"
cp data/dict/*.dict "$TMP/d/"
expect_status 0 "$DYAD" dict compile -o "$TMP/own.dyc" "$TMP/d"
expect_grep "$TMP/out" "entries from $TMP/d -> $TMP/own.dyc"
expect_status 0 "$DYAD" code --no-parse --dict "$TMP/own.dyc" "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ with --dict FILE.dyc"; fi
expect_status 0 "$DYAD" dict compile "$TMP/d"
expect_grep "$TMP/out" "-> $TMP/cache/native-"

# a changed source makes the compiled file stale: refused, exit 3
echo "zzunknownword" >> "$TMP/d/discards.dict"
expect_status 3 "$DYAD" code --no-parse --dict "$TMP/own.dyc" "$EX"
expect_grep "$TMP/err" "own.dyc: stale: its sources in $TMP/d have changed"
# ...while the directory itself is simply loaded again (and re-cached)
expect_status 0 "$DYAD" code --no-parse --dict "$TMP/d" "$EX"
n=$(ls "$TMP/cache"/native-*.dyc | wc -l)
if [ "$n" -eq 2 ]; then ok; else bad "expected two cache files (data/dict, $TMP/d), found $n"; fi

# damaged and foreign files: clear errors, exit 3, no output
rm -rf "$TMP/d"    # sources gone: the compiled file is used on its own
expect_status 0 "$DYAD" code --no-parse --dict "$TMP/own.dyc" "$EX"
size=$(stat -c %s "$TMP/own.dyc")
head -c $((size - 10)) "$TMP/own.dyc" > "$TMP/trunc.dyc"
expect_status 3 "$DYAD" code --no-parse --dict "$TMP/trunc.dyc" "$EX"
expect_grep "$TMP/err" "trunc.dyc: not a valid compiled dictionary: truncated"
if [ ! -s "$TMP/out" ]; then ok; else bad "output written with a truncated dictionary"; fi
cp "$TMP/own.dyc" "$TMP/flip.dyc"
printf '\377' | dd of="$TMP/flip.dyc" bs=1 seek=$((size / 2)) conv=notrunc status=none
expect_status 3 "$DYAD" code --no-parse --dict "$TMP/flip.dyc" "$EX"
expect_grep "$TMP/err" "flip.dyc: not a valid compiled dictionary: checksum mismatch"

# an unusable cache directory only costs speed
DYAD_CACHE_DIR=/proc/nonexistent/x expect_status 0 "$DYAD" code --no-parse "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ without a writable cache"; fi
# a damaged file in the cache is replaced, not trusted
for f in "$TMP/cache"/native-*.dyc; do printf 'garbage' | dd of="$f" bs=1 seek=200 conv=notrunc status=none; done
expect_status 0 "$DYAD" code --no-parse "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ after the cache was damaged"; fi
expect_status 0 "$DYAD" code --no-parse "$EX"
if cmp -s "$TMP/out" "$TMP/text.jsonl"; then ok; else bad "events differ from the rewritten cache"; fi

# --- PETRARCH dictionaries ----------------------------------------------------
P=../shared/dictionaries/phoenix
if [ -d "$P" ]; then
    DYAD_CACHE_DIR=off expect_status 0 "$DYAD" code --no-parse -F petrarch --dict "$P" "$EX"
    cp "$TMP/out" "$TMP/ptext.jsonl"
    expect_status 0 "$DYAD" dict compile --format petrarch "$P"
    expect_grep "$TMP/out" "80463 entries"
    expect_status 0 "$DYAD" code --no-parse -F petrarch --dict "$P" "$EX"
    if cmp -s "$TMP/out" "$TMP/ptext.jsonl"; then ok; else bad "Phoenix events differ from the cache"; fi
else
    echo "  note: $P absent; the Phoenix part of this test is skipped"
fi

# --- usage --------------------------------------------------------------------
expect_status 2 "$DYAD" dict compile
expect_grep "$TMP/err" "a dictionary PATH is needed"
expect_status 2 "$DYAD" dict compile --format tabari data/dict
expect_status 3 "$DYAD" dict compile "$TMP/nonexistent"
finish
