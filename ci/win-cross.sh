#!/bin/bash
# ci/win-cross.sh — cross-build strata for Windows x86_64 (mingw-w64) and run
# its ctest suite under wine. Debian 12; needs root for apt (see win-deps.sh).
#
# Steps: ci/win-deps.sh (toolchain, wine and the cached static deps), a wine
# prefix, cmake configure with ci/mingw64.cmake into build-ci/win/, build, ctest.
# Everything a run writes (build tree, logs, wine prefix) is under this
# checkout's build-ci/, so two checkouts can run the leg at the same time.
# Quiet on success: one line per step with its elapsed time; on failure the
# tail of that step's log. Logs: $STRATA_WIN_WORK/log/win-*.log.
#
# Environment (all optional):
#   STRATA_WIN_BUILD   build dir (default <repo>/build-ci/win)
#   STRATA_WIN_WORK    scratch dir: logs, wine prefix (default <repo>/build-ci/win-work)
#   STRATA_WINEPREFIX  wine prefix (default $STRATA_WIN_WORK/wineprefix; an inherited
#                      WINEPREFIX is not used, as other checkouts may share it)
#   STRATA_WIN_CACHE   deps cache root, see win-deps.sh (default /var/cache/strata-win)
#   STRATA_WIN_NO_APT  1 = no apt-get (tools already installed)
#   STRATA_WIN_CMAKE_ARGS  extra configure arguments (e.g. "-DSTRATA_BUILD_BENCH=OFF")
#   CTEST_ARGS         extra ctest arguments (e.g. "-R pipe -j2")
#   JOBS               build parallelism (default: nproc)
set -euo pipefail

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$CI_DIR/.." && pwd)
BUILD=${STRATA_WIN_BUILD:-$ROOT/build-ci/win}
export STRATA_WIN_WORK=${STRATA_WIN_WORK:-$ROOT/build-ci/win-work}
LOG=$STRATA_WIN_WORK/log
JOBS=${JOBS:-$(nproc)}
export WINEPREFIX=${STRATA_WINEPREFIX:-$STRATA_WIN_WORK/wineprefix}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$LOG"
T0=$(date +%s.%N)

elapsed() { echo "$(date +%s.%N) - $1" | bc; }

step() {  # step NAME CMD... : run quietly into $LOG/win-NAME.log, time it
    local name=$1 t0 rc; shift
    t0=$(date +%s.%N)
    set +e
    ( set -e; "$@" ) >"$LOG/win-$name.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" != 0 ]; then
        echo "win-cross: FAILED: $name (exit $rc) after $(elapsed "$t0") s — tail of $LOG/win-$name.log:" >&2
        grep -E 'error:|undefined reference|\*\*\*Failed|\*\*\*Timeout|Not Run' "$LOG/win-$name.log" | head -n 20 | sed 's/^/  > /' >&2 || true
        tail -n "${TAIL_LINES:-60}" "$LOG/win-$name.log" >&2
        exit 1
    fi
    printf 'win-cross: %-10s %7.1f s\n' "$name" "$(elapsed "$t0")"
}

wine_init() {  # first use of a prefix costs several seconds; later runs reuse it
    [ -f "$WINEPREFIX/system.reg" ] || wineboot --init
    wineserver --wait
}

# Keep one wineserver and the prefix's services (services.exe, rpcss, ...)
# running for the whole ctest run, started here with their output on
# /dev/null. Otherwise every test's wine starts them afresh, they inherit
# ctest's output pipe, and ctest waits for them: ~3 s per test, and with a
# persistent server the first test hangs until its timeout.
wine_warm() {
    wineserver --persistent </dev/null >/dev/null 2>&1
    wine cmd /c exit </dev/null >/dev/null 2>&1
}

configure() {
    # Tests are added by bare target name, so CMake runs each through
    # CMAKE_CROSSCOMPILING_EMULATOR (wine, from the toolchain file).
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_TOOLCHAIN_FILE="$CI_DIR/mingw64.cmake" \
        -DSTRATA_WIN_DEPS="$DEPS" -DCMAKE_BUILD_TYPE=Release \
        ${STRATA_WIN_CMAKE_ARGS:-}
}

# win-deps.sh prints its step times on stderr (shown here, indented) and the
# prefix on stdout (kept in a file).
t=$(date +%s.%N)
"$CI_DIR/win-deps.sh" 2>&1 >"$LOG/win-deps.prefix" | sed 's/^/  /'
DEPS=$(tail -n 1 "$LOG/win-deps.prefix")
printf 'win-cross: %-10s %7.1f s  (%s)\n' deps "$(elapsed "$t")" "$DEPS"

# Stop this prefix's wineserver (and anything a test left running in it) at exit.
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

step wine-init wine_init
step wine-warm wine_warm
step configure configure
step build     cmake --build "$BUILD" -j "$JOBS"
TAIL_LINES=150 step ctest ctest --test-dir "$BUILD" --output-on-failure --timeout 300 ${CTEST_ARGS:-}
grep -E 'tests passed|tests failed' "$LOG/win-ctest.log" | sed 's/^/win-cross: /'
printf 'win-cross: %-10s %7.1f s\n' total "$(elapsed "$T0")"
