#!/usr/bin/env bash
# End-to-end: the manual pages in man/ and --help.  Each page must render with groff and
# man without a warning, every command `dyad help` lists must answer --help with its usage
# and have its page (version and help are documented in dyad.1), dyad.1 must name every
# command, and every long option a command's --help shows must appear in its page, so the
# pages cannot fall behind the built-in help unnoticed.
source "$(dirname "$0")/lib.bash"
if ! command -v groff > /dev/null; then
    echo "  FAIL: groff is not installed (tools/debian-packages.txt lists groff-base)" >&2
    exit 1
fi
shopt -s nullglob
pages=(man/*.1)
[ ${#pages[@]} -gt 0 ] && ok || bad "no manual pages in man/"

for page in "${pages[@]}"; do
    # -ww: all warnings; -z: no output, only diagnostics
    if groff -man -Tutf8 -ww -z "$page" 2> "$TMP/groff.err" && [ ! -s "$TMP/groff.err" ]; then ok
    else bad "$page: groff warnings: $(head -3 "$TMP/groff.err")"; fi
    name=$(basename "$page" .1)
    head_name=$(grep -m1 '^\.TH ' "$page" | awk '{print $2}' | sed 's/\\-/-/g')
    [ "$head_name" = "$(echo "$name" | tr '[:lower:]' '[:upper:]')" ] && ok || bad "$page: .TH names '$head_name'"
    for section in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" "SEE ALSO"; do
        grep -q "^\.SH \"\?$section\"\?\$" "$page" && ok || bad "$page lacks a $section section"
    done
    if command -v man > /dev/null; then
        if MANWIDTH=80 man --warnings -l "$page" > "$TMP/man.out" 2> "$TMP/man.err" &&
            [ ! -s "$TMP/man.err" ] && grep -q "^NAME" "$TMP/man.out"; then ok
        else bad "$page: man -l failed or warned: $(head -3 "$TMP/man.err")"; fi
    fi
done

# every command of `dyad help` has a page whose options match its --help
"$DYAD" help > "$TMP/help"
commands=$(awk '/^Commands:/{on=1; next} on && /^  [a-z]/{print $1} /^$/{if (on) on=0}' "$TMP/help")
[ -n "$commands" ] && ok || bad "dyad help lists no commands"
for cmd in $commands; do
    expect_grep man/dyad.1 ".B $cmd" "man/dyad.1 does not list the command $cmd"
    # --help on every command: usage on standard output, status 0
    expect_status 0 "$DYAD" "$cmd" --help
    expect_grep "$TMP/out" "usage: dyad $cmd" "dyad $cmd --help does not print its usage"
    case "$cmd" in version|help) continue ;; esac
    page="man/dyad-$cmd.1"
    if [ ! -f "$page" ]; then bad "command '$cmd' has no manual page $page"; continue; fi
    ok
    "$DYAD" "$cmd" --help > "$TMP/cmdhelp" 2>&1
    for opt in $(grep -oE -- '--[a-z][a-z0-9-]*' "$TMP/cmdhelp" | sort -u); do
        roff_opt=$(printf '%s' "$opt" | sed 's/-/\\-/g')
        grep -qF -- "$roff_opt" "$page" && ok || bad "$page does not document $opt (from dyad $cmd --help)"
    done
done
# every cross-reference dyad-x(1) names a page that exists
for ref in $(grep -ohE '^\.BR dyad(\\-[a-z]+)? \(1\)' man/*.1 | awk '{print $2}' | sed 's/\\-/-/g' | sort -u); do
    [ -f "man/$ref.1" ] && ok || bad "a page refers to $ref(1), which does not exist"
done
# and no page for a command that does not exist
for page in man/dyad-*.1; do
    cmd=$(basename "$page" .1); cmd=${cmd#dyad-}
    grep -qx "$cmd" <<< "$commands" && ok || bad "$page documents '$cmd', which dyad help does not list"
done
finish
