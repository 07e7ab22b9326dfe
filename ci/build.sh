#!/bin/bash
# Configure, build and test one leg of the matrix.
#   ci/build.sh NAME [cmake args...]      (env CC picks the compiler)
# Builds in build-ci/NAME with -Werror and runs ctest there.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NAME=$1; shift
B=$ROOT/build-ci/$NAME
T0=$(date +%s)
mkdir -p "$B"
if ! cmake -S "$ROOT" -B "$B" -DSTRATA_WERROR=ON "$@" > "$B/configure.log" 2>&1; then
  tail -n 40 "$B/configure.log"; echo "FAILED: $NAME (configure)"; exit 1
fi
if ! cmake --build "$B" -j"$(nproc)" > "$B/build.log" 2>&1; then
  grep -E "error|warning" "$B/build.log" | head -n 40; echo "FAILED: $NAME (build)"; exit 1
fi
cd "$B"
if ! ctest --output-on-failure -j"$(nproc)" > "$B/test.log" 2>&1; then
  cat "$B/test.log" | tail -n 150; echo "FAILED: $NAME (tests)"; exit 1
fi
echo "leg $NAME: $(grep -E 'tests passed' "$B/test.log") ($(( $(date +%s) - T0 )) s)"
