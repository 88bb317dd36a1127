#!/usr/bin/env bash
# End-to-end: make install / make uninstall into a temporary prefix.  The installed dyad
# must code the example article with the installed dictionaries and models (run away from
# the source tree, DYAD_DICT/DYAD_MODELS unset, so nothing falls back to ./data), and a
# small C program built with `pkg-config --cflags --libs dyad` against the installed
# header must code a sentence through the public API, linked both against libdyad.so and
# against libdyad.a.  make uninstall must then leave no file behind.  The build variant
# (SANITIZE=1, CC=clang BUILD=build/clang) reaches the inner make through MAKEFLAGS.
source "$(dirname "$0")/lib.bash"
unset DYAD_DICT DYAD_MODELS
CC=${CC:-cc}
if ! command -v pkg-config > /dev/null; then
    echo "  FAIL: pkg-config is not installed (tools/debian-packages.txt lists it)" >&2
    exit 1
fi
BUILD_DIR=$(dirname "$DYAD")
prefix="$TMP/prefix"
inner_make() { make --no-print-directory -s BUILD="${BUILD_DIR#"$PWD"/}" "$@"; }

expect_status 0 inner_make install PREFIX="$prefix"
for f in bin/dyad lib/libdyad.a lib/libdyad.so.0.1.0 include/dyad.h lib/pkgconfig/dyad.pc \
    share/dyad/dict/actors.dict share/dyad/dict/verbs.dict share/dyad/models/parser.bin \
    share/dyad/models/parser-beam.bin share/dyad/models/tagger.bin share/dyad/web/index.html \
    share/man/man1/dyad.1 \
    share/man/man1/dyad-code.1 share/dyad/python/dyad.py; do
    if [ -f "$prefix/$f" ]; then ok; else bad "make install did not install $f"; fi
done
# soname chain: libdyad.so -> libdyad.so.0 -> libdyad.so.0.1.0
[ "$(readlink "$prefix/lib/libdyad.so")" = libdyad.so.0 ] && ok || bad "libdyad.so is not a link to libdyad.so.0"
[ "$(readlink "$prefix/lib/libdyad.so.0")" = libdyad.so.0.1.0 ] && ok || bad "libdyad.so.0 is not a link to libdyad.so.0.1.0"
if readelf -d "$prefix/lib/libdyad.so.0.1.0" | grep -q 'SONAME.*\[libdyad\.so\.0\]'; then ok; else bad "libdyad.so lacks SONAME libdyad.so.0"; fi
# one man page per man/*.1, all installed
n_src=$(ls man/*.1 | wc -l)
n_inst=$(ls "$prefix"/share/man/man1/*.1 | wc -l)
[ "$n_src" -gt 0 ] && [ "$n_src" -eq "$n_inst" ] && ok || bad "man pages: $n_src in man/, $n_inst installed"

# --- the installed dyad finds its installed data ---------------------------------
(cd "$TMP" && "$prefix/bin/dyad" code "$OLDPWD/examples/us-mexico-sovereignty.jsonl") \
    > "$TMP/installed.jsonl" 2> "$TMP/installed.err"
expect_grep "$TMP/installed.err" "dyad code: 1 documents, 12 sentences, "
expect_grep "$TMP/installed.jsonl" '"source":"MEX","target":"USA","code":"12","root":"12"'
"$DYAD" code -q examples/us-mexico-sovereignty.jsonl > "$TMP/built.jsonl"
if cmp -s "$TMP/installed.jsonl" "$TMP/built.jsonl"; then ok; else bad "installed dyad codes the example differently from $DYAD"; fi
(cd "$TMP" && "$prefix/bin/dyad" version) > "$TMP/out"
expect_grep "$TMP/out" "dyad 0.1.0"

# the installed ingest and serve: the dashboard comes from share/dyad/web
expect_status 0 "$prefix/bin/dyad" ingest -q "$TMP/news.db" examples/us-mexico-sovereignty.jsonl
if command -v curl > /dev/null; then
    (cd "$TMP" && exec "$prefix/bin/dyad" serve -l 127.0.0.1:0 "$TMP/news.db") 2> "$TMP/serve.log" &
    srv_pid=$!
    url=""
    for _ in $(seq 100); do
        url=$(sed -n 's|.*listening on \(http://127\.0\.0\.1:[0-9]*/\).*|\1|p' "$TMP/serve.log")
        [ -n "$url" ] && break
        kill -0 "$srv_pid" 2> /dev/null || break
        sleep 0.1
    done
    if [ -n "$url" ]; then
        curl -s --max-time 30 "$url" > "$TMP/index.html"
        expect_grep "$TMP/index.html" "<!DOCTYPE html>" "the installed dyad serve has no dashboard"
        curl -s --max-time 30 "${url}v1/series?dyad=USA,MEX&by=day" > "$TMP/series.json"
        expect_grep "$TMP/series.json" '"period":"2025-08-08","events":1'
    else
        bad "the installed dyad serve did not start: $(head -3 "$TMP/serve.log")"
    fi
    kill -TERM "$srv_pid" 2> /dev/null
    wait "$srv_pid" 2> /dev/null
else
    echo "  skipped the installed dyad serve: curl is not installed"
fi

# --- pkg-config and the public C API ----------------------------------------------
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
expect_status 0 pkg-config --modversion dyad
expect_grep "$TMP/out" "0.1.0"
expect_status 0 pkg-config --cflags --libs dyad
expect_grep "$TMP/out" "-I$prefix/include"
expect_grep "$TMP/out" "-L$prefix/lib -ldyad"
cat > "$TMP/demo.c" <<'EOF'
/* Codes one sentence through the installed libdyad and prints its events. */
#include <dyad.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s DICT_DIR MODEL_DIR TEXT\n", argv[0]);
        return 2;
    }
    char err[256];
    dyad_dict *dict = dyad_dict_load(argv[1], err, sizeof err);
    if (!dict) {
        fprintf(stderr, "dictionaries: %s\n", err);
        return 1;
    }
    dyad_model *model = dyad_model_load(argv[2], err, sizeof err);
    if (!model) {
        fprintf(stderr, "models: %s\n", err);
        dyad_dict_free(dict);
        return 1;
    }
    dyad_doc *doc = dyad_doc_new();
    int rc = 1;
    if (dyad_doc_set(doc, "demo", "2025-08-09", "test", NULL, argv[3], strlen(argv[3]), err,
                     sizeof err) == 0 &&
        dyad_tag_parse(model, doc, err, sizeof err) == 0 &&
        dyad_code(dict, doc, 0, err, sizeof err) == 0) {
        size_t len;
        const char *text = dyad_doc_text(doc, &len);
        for (size_t i = 0; i < dyad_doc_nevents(doc); i++) {
            const dyad_event *e = dyad_doc_event(doc, i);
            printf("%s %s %s %s %+.1f %s \"%.*s\"\n", e->source, e->target, e->code, e->plover,
                   e->goldstein, dyad_modality_name(e->modality),
                   (int)(e->trigger.end - e->trigger.start), text + e->trigger.start);
        }
        printf("dyad %s: %zu event(s)\n", DYAD_VERSION, dyad_doc_nevents(doc));
        rc = 0;
    } else {
        fprintf(stderr, "coding: %s\n", err);
    }
    dyad_doc_free(doc);
    dyad_model_free(model);
    dyad_dict_free(dict);
    return rc;
}
EOF
# an instrumented (SANITIZE=1) libdyad needs the sanitizer runtime in the program too
san=""
if nm "$prefix/lib/libdyad.a" 2> /dev/null | grep -q '__asan_'; then
    san="-fsanitize=address,undefined"
fi
sentence="Mexico has stood firm against any potential military intervention from the United States."
want='MEX USA 12 REJECT -4.0 asserted "stood firm against"'
# shared: libdyad.so found through LD_LIBRARY_PATH
# shellcheck disable=SC2046,SC2086
expect_status 0 "$CC" -std=c17 -Wall -Wextra -Werror $san -o "$TMP/demo_shared" "$TMP/demo.c" \
    $(pkg-config --cflags --libs dyad)
if readelf -d "$TMP/demo_shared" 2> /dev/null | grep -q 'NEEDED.*\[libdyad\.so\.0\]'; then ok; else bad "demo_shared does not need libdyad.so.0"; fi
expect_status 0 env LD_LIBRARY_PATH="$prefix/lib" "$TMP/demo_shared" "$prefix/share/dyad/dict" \
    "$prefix/share/dyad/models" "$sentence"
expect_grep "$TMP/out" "$want"
expect_grep "$TMP/out" "dyad 0.1.0: 1 event(s)"
# static: libdyad.a, its dependencies (Requires.private) as shared libraries.  (Plain
# `pkg-config --static --libs dyad` would also ask for the static libraries of those
# dependencies' own dependencies, which Debian's libpq does not ship.)
# shellcheck disable=SC2046,SC2086
expect_status 0 "$CC" -std=c17 -Wall -Wextra -Werror $san -o "$TMP/demo_static" "$TMP/demo.c" \
    $(pkg-config --cflags dyad) $(pkg-config --libs-only-L dyad) -l:libdyad.a \
    $(pkg-config --libs $(pkg-config --print-requires-private dyad)) -lpthread -lm
if readelf -d "$TMP/demo_static" 2> /dev/null | grep -q 'libdyad'; then bad "demo_static needs a shared libdyad"; else ok; fi
expect_status 0 "$TMP/demo_static" "$prefix/share/dyad/dict" "$prefix/share/dyad/models" "$sentence"
expect_grep "$TMP/out" "$want"
# the program's error path: a bad dictionary directory
expect_status 1 "$TMP/demo_static" "$TMP/nonexistent" "$prefix/share/dyad/models" "$sentence"

# --- the installed Python module finds the installed library and data -------------------
if command -v python3 > /dev/null; then
    preload=""
    [ -n "$san" ] && preload=$(${CC} -print-file-name=libasan.so)
    (cd "$TMP" && env -u DYAD_LIB -u DYAD_DICT -u DYAD_MODELS PYTHONPATH="$prefix/share/dyad/python" \
        LD_PRELOAD="$preload" ASAN_OPTIONS=detect_leaks=0 python3 -c '
import dyad
print("library", dyad.library_path())
for e in dyad.Coder().code("Mexico rejected the United States.", date="2025-08-09"):
    print(e["source"], e["target"], e["code"], e["trigger"]["text"])
') > "$TMP/py.out" 2>&1
    expect_grep "$TMP/py.out" "library $prefix/lib/libdyad.so" "installed dyad.py does not use $prefix/lib/libdyad.so: $(head -3 "$TMP/py.out")"
    expect_grep "$TMP/py.out" "MEX USA 12 rejected"
else
    echo "  skipped the installed Python module: python3 is not installed"
fi

# --- uninstall leaves nothing behind ----------------------------------------------------
expect_status 0 inner_make uninstall PREFIX="$prefix"
left=$(find "$prefix" ! -type d | head -5)
[ -z "$left" ] && ok || bad "make uninstall left: $left"

# --- DESTDIR: a staged install for packaging names the final prefix ---------------------
expect_status 0 inner_make install PREFIX=/usr/local DESTDIR="$TMP/stage"
expect_grep "$TMP/stage/usr/local/lib/pkgconfig/dyad.pc" "prefix=/usr/local"
[ -x "$TMP/stage/usr/local/bin/dyad" ] && ok || bad "DESTDIR install lacks usr/local/bin/dyad"
expect_status 0 inner_make uninstall PREFIX=/usr/local DESTDIR="$TMP/stage"
left=$(find "$TMP/stage" ! -type d | head -5)
[ -z "$left" ] && ok || bad "make uninstall DESTDIR=... left: $left"
finish
