#!/usr/bin/env bash
# Runs the unit-test binaries given as arguments, then every tests/e2e/*.sh
# against $BUILD/dyad, and ends with one summary line "tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export DYAD="$PWD/$BUILD/dyad"
pass=0
fail=0
failed=()
for t in "$@"; do
    if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
for t in tests/e2e/*.sh; do
    [ -e "$t" ] || continue
    echo "[ e2e ] $t"
    if bash "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("$t"); fi
done
[ ${#failed[@]} -eq 0 ] || printf 'FAILED: %s\n' "${failed[@]}"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
