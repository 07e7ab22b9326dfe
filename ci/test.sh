#!/bin/bash
# The whole test matrix, from a fresh Debian 12 machine:
#   gcc and clang x Debug and Release, ASan+UBSan, TSan, valgrind,
#   the install check (find_package and pkg-config), and the Windows leg
#   (mingw-w64 cross build, tests under wine).
# Usage: ci/test.sh [LEG...]   (default: all legs; e.g. ci/test.sh gcc-debug)
# Env: STRATA_SKIP_WINDOWS=1 skips the Windows leg.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
T0=$(date +%s)
bash ci/deps.sh

leg() {
  case $1 in
    gcc-debug)     CC=gcc   bash ci/build.sh gcc-debug -DCMAKE_BUILD_TYPE=Debug ;;
    gcc-release)   CC=gcc   bash ci/build.sh gcc-release -DCMAKE_BUILD_TYPE=Release ;;
    clang-debug)   CC=clang bash ci/build.sh clang-debug -DCMAKE_BUILD_TYPE=Debug ;;
    clang-release) CC=clang bash ci/build.sh clang-release -DCMAKE_BUILD_TYPE=Release ;;
    asan)          ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
                   CC=clang bash ci/build.sh asan -DCMAKE_BUILD_TYPE=Debug \
                     -DSTRATA_SANITIZE=address,undefined -DSTRATA_BUILD_BENCH=OFF \
                     -DSTRATA_BUILD_FUZZ=ON ;;
    tsan)          TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
                   CC=clang bash ci/build.sh tsan -DCMAKE_BUILD_TYPE=Debug \
                     -DSTRATA_SANITIZE=thread -DSTRATA_BUILD_BENCH=OFF ;;
    valgrind)      CC=gcc bash ci/build.sh valgrind -DCMAKE_BUILD_TYPE=Debug \
                     -DSTRATA_BUILD_BENCH=OFF \
                     "-DSTRATA_TEST_LAUNCHER=valgrind;--quiet;--error-exitcode=99;--leak-check=full;--errors-for-leak-kinds=definite;--track-fds=no" ;;
    install)       bash ci/install-check.sh ;;
    docs)          bash ci/check-docs.sh ;;
    windows)       if [ "${STRATA_SKIP_WINDOWS:-0}" = 1 ]; then echo "leg windows: skipped"
                   else bash ci/win-cross.sh; fi ;;
    *) echo "unknown leg $1"; exit 2 ;;
  esac
}

LEGS=${*:-docs gcc-debug gcc-release clang-debug clang-release asan tsan valgrind install windows}
COUNTS=$ROOT/build-ci/counts
mkdir -p "$ROOT/build-ci"; : > "$COUNTS"
for l in $LEGS; do
  out=$(leg "$l" 2>&1) || { echo "$out"; echo "matrix: leg $l failed"; exit 1; }
  echo "$out"
  # Keep each ctest summary ("...% tests passed, F tests failed out of N").
  echo "$out" | grep -Eo '[0-9]+ tests failed out of [0-9]+' >> "$COUNTS" || true
done
echo "matrix passed: $LEGS ($(( $(date +%s) - T0 )) s)"
awk '{f += $1; n += $6} END {printf "matrix: %d passed, %d failed\n", n - f, f}' "$COUNTS"
