# Helpers for the end-to-end tests: sourced by each tests/e2e/*.sh.
set -u
: "${DYAD:?DYAD must point at the dyad binary}"
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# compiled dictionaries go to a cache of this test's own, not ~/.cache/dyad
export DYAD_CACHE_DIR="${DYAD_CACHE_DIR:-$TMP/dict-cache}"
failures=0
checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); failures=$((failures + 1)); echo "  FAIL: $*" >&2; }
# expect_status WANT CMD...: run CMD, compare its exit status
expect_status() {
    local want=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "exit $got (wanted $want): $*"; sed 's/^/    /' "$TMP/err" >&2; fi
}
# expect_grep FILE PATTERN [what]: fixed-string search
expect_grep() {
    if grep -qF -- "$2" "$1"; then ok; else bad "${3:-$1 lacks: $2}"; fi
}
expect_no_grep() {
    if grep -qE -- "$2" "$1"; then bad "${3:-$1 has: $2}"; grep -E -- "$2" "$1" | head -3 >&2; else ok; fi
}
finish() {
    echo "  $checks checks, $failures failed"
    [ "$failures" -eq 0 ]
}
