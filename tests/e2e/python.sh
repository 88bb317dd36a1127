#!/usr/bin/env bash
# End-to-end: the Python module python/dyad.py and its unittest suite python/test_dyad.py,
# against this build's libdyad.so and dyad binary.  An instrumented library (SANITIZE=1)
# needs the ASan runtime loaded before the interpreter: it is preloaded, with leak
# checking off because CPython does not free everything at exit.
source "$(dirname "$0")/lib.bash"
if ! command -v python3 > /dev/null; then
    echo "  skipped: python3 is not installed (tools/debian-packages.txt lists it)"
    exit 0
fi
lib="$(dirname "$DYAD")/libdyad.so"
[ -f "$lib" ] && ok || bad "no $lib next to $DYAD (make all builds it)"
preload=""
if nm -D "$lib" 2> /dev/null | grep -q ' U __asan_'; then
    preload=$(${CC:-cc} -print-file-name=libasan.so)
    [ -f "$preload" ] || { bad "instrumented $lib but no libasan.so found"; finish; exit; }
fi
if env DYAD_LIB="$lib" LD_PRELOAD="$preload" ASAN_OPTIONS="detect_leaks=0" \
    python3 -m unittest -v python/test_dyad.py > "$TMP/out" 2>&1; then
    ok
else
    bad "python/test_dyad.py failed:"
    sed 's/^/    /' "$TMP/out" | tail -40 >&2
fi
grep -E '^Ran [0-9]+ tests' "$TMP/out" | sed 's/^/  /'
# the suite ran at all (a broken import would also end without "OK")
expect_grep "$TMP/out" "test_same_events_as_the_command"
expect_grep "$TMP/out" "test_series_as_the_command"
finish
