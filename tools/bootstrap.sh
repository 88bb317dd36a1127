#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working dyad.
#
#   bash tools/bootstrap.sh demo   install missing packages, build, code the example article
#   bash tools/bootstrap.sh test   install missing packages, build, run every test
#                                  (gcc, clang, and the ASan+UBSan build), then
#                                  every fuzz harness for 10 s
#
# Packages are installed with apt-get when missing (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-demo}

missing=()
while read -r pkg; do
    case "$pkg" in ''|'#'*) continue ;; esac
    # a Node.js from elsewhere (NodeSource) brings its own npm and conflicts with Debian's
    [ "$pkg" = npm ] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done < tools/debian-packages.txt
if [ ${#missing[@]} -gt 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs=$(nproc 2>/dev/null || echo 2)
case "$what" in
demo)
    make -s -j"$jobs"
    build/dyad code examples/us-mexico-sovereignty.jsonl
    ;;
test)
    make -s -j"$jobs" all tests
    make -s test
    make -s -j"$jobs" CC=clang BUILD=build/clang all tests
    make -s CC=clang BUILD=build/clang test
    make -s -j"$jobs" SANITIZE=1 all tests
    make -s SANITIZE=1 test
    make -s -j"$jobs" fuzz-build
    make -s fuzz FUZZ_SECONDS=10     # every libFuzzer harness briefly (docs/reliability.md)
    ;;
*)
    echo "usage: bash tools/bootstrap.sh demo|test" >&2
    exit 2
    ;;
esac
