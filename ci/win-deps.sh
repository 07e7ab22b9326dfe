#!/bin/bash
# ci/win-deps.sh — build strata's Windows (x86_64, mingw-w64) dependencies, cached.
#
# Installs the cross toolchain and wine with apt (Debian 12), then builds static
# Windows libraries of APR 1.7, apr-util 1.6 (+ expat), bzip2, liblzma and CUnit
# from Debian's own sources (`apt-get source` of an exact version: the newest one
# apt lists that the mirror can deliver) with the patches in ci/win-patches/. zlib is Debian's prebuilt libz-mingw-w64-dev;
# its static libz.a is copied into the prefix so that a plain -lz there is static.
#
# INTERFACE
#   stdout     exactly one line: the absolute path of the deps prefix. Use it as
#                  STRATA_WIN_DEPS=$(ci/win-deps.sh)
#              and pass it to CMake with -DSTRATA_WIN_DEPS=... together with
#              -DCMAKE_TOOLCHAIN_FILE=ci/mingw64.cmake.
#   stderr     one line per step with its elapsed time; on failure the step's
#              log tail. Full logs stay in $STRATA_WIN_WORK/log/.
#   exit code  0 when the prefix is complete.
#
#   The prefix: include/ (APR, apr-util, expat, bzip2, lzma, zlib, CUnit headers;
#   APR's are directly in include/, not include/apr-1/), lib/ (libapr-1.a
#   libaprutil-1.a libexpat.a libbz2.a liblzma.a libcunit.a libz.a) and
#   lib/pkgconfig/ (apr-1 apr-util-1 expat bzip2 liblzma zlib cunit .pc files,
#   static flags in Libs/Cflags). A prefix is used only once it holds .complete.
#
# ENVIRONMENT (all optional)
#   STRATA_WIN_CACHE   cache root (default /var/cache/strata-win); the prefix is
#                      $STRATA_WIN_CACHE/<key>, key = hash of the source package
#                      versions, the mingw/zlib package versions, the patches,
#                      the build functions below and ci/mingw64.cmake (minus
#                      comments). What was built: <prefix>/VERSIONS.
#   STRATA_WIN_WORK    scratch dir for sources, build trees and logs
#                      (default <repo>/build-ci/win-work, per checkout).
#   STRATA_WIN_NO_APT  1 = skip apt-get update/install and the deb-src set-up
#                      (the tools and deb-src lists must then already be there).
#   JOBS               parallel make jobs (default: nproc).
#   WINEPREFIX         wine state for running gen_test_char.exe during the APR build
#                      (default $STRATA_WIN_WORK/wineprefix; WINEDEBUG=-all).
set -euo pipefail

CI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PATCHES=$CI_DIR/win-patches
TOOLCHAIN=$CI_DIR/mingw64.cmake
CACHE_ROOT=${STRATA_WIN_CACHE:-/var/cache/strata-win}
WORK=${STRATA_WIN_WORK:-$(cd "$CI_DIR/.." && pwd)/build-ci/win-work}
JOBS=${JOBS:-$(nproc)}
TRIPLET=x86_64-w64-mingw32
# APR's build runs its gen_test_char.exe under wine (the toolchain's emulator);
# keep wine's state in the scratch dir, shared with ci/win-cross.sh.
export WINEPREFIX=${WINEPREFIX:-$WORK/wineprefix} WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES=${WINEDLLOVERRIDES:-mscoree,mshtml=}
SYSROOT=/usr/$TRIPLET

APT_PKGS="gcc-mingw-w64-x86-64 wine wine64 libz-mingw-w64-dev dpkg-dev patch bc cmake make"
SRC_PKGS="apr apr-util expat bzip2 xz-utils cunit"
# Binary packages whose versions change what we build.
TOOL_PKGS="gcc-mingw-w64-x86-64-win32 mingw-w64-x86-64-dev binutils-mingw-w64-x86-64 libz-mingw-w64-dev"

LOG=$WORK/log
mkdir -p "$LOG"
SECONDS_T0=$(date +%s.%N)

say() { echo "win-deps: $*" >&2; }
elapsed() { echo "$(date +%s.%N) - $1" | bc; }

# run_step NAME CMD... : run quietly into $LOG/NAME.log, report the time, or
# show the log's tail and stop.
# (No "if ! cmd": bash would then ignore set -e inside the step's functions.)
run_step() {
    local name=$1 t0 rc; shift
    t0=$(date +%s.%N)
    set +e
    ( set -e; "$@" ) >"$LOG/$name.log" 2>&1 9>&-   # fd 9: the cache lock
    rc=$?
    set -e
    if [ "$rc" != 0 ]; then
        say "FAILED: $name (exit $rc) after $(elapsed "$t0") s — last lines of $LOG/$name.log:"
        tail -n 40 "$LOG/$name.log" >&2
        exit 1
    fi
    printf 'win-deps: %-12s %7.1f s\n' "$name" "$(elapsed "$t0")" >&2
}

# ---------------------------------------------------------------- apt ----------
enable_deb_src() {
    # Debian 12 uses deb822 files; older images use sources.list. Add deb-src
    # next to every "deb" entry of the Debian archive; leave other repos alone.
    local f=/etc/apt/sources.list.d/debian.sources
    if [ -f "$f" ]; then
        grep -q '^Types:.*deb-src' "$f" || sed -i 's/^Types: *deb *$/Types: deb deb-src/' "$f"
    elif [ -f /etc/apt/sources.list ] && ! grep -q '^deb-src ' /etc/apt/sources.list; then
        sed -n 's/^deb \(.*debian.*\)$/deb-src \1/p' /etc/apt/sources.list >>/etc/apt/sources.list
    fi
}

apt_setup() {
    enable_deb_src
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $APT_PKGS
}

# -------------------------------------------------------------- key ------------
src_versions() {  # versions of a source package known to apt, newest first
    apt-cache showsrc --only-source "$1" | awk '/^Version:/ {print $2}' | sort -Vru | tr '\n' ' '
}

declare -A VER
resolve_versions() {
    local p
    for p in $SRC_PKGS; do
        VER[$p]=$(src_versions "$p" || true)
        [ -n "${VER[$p]}" ] || { say "no source package '$p' (is deb-src enabled and apt-get update done?)"; exit 1; }
    done
}

compute_key() {
    local p
    {
        for p in $SRC_PKGS; do echo "src $p ${VER[$p]}"; done   # all candidates
        dpkg-query -W $TOOL_PKGS
        for p in "$PATCHES"/*.patch; do echo "patch $(basename "$p")"; cat "$p"; done
        grep -v '^[[:space:]]*#' "$TOOLCHAIN"   # comments do not count
        declare -f build_all fetch_sources apply_patches build_apr build_expat build_aprutil \
                   build_bzip2 build_lzma build_cunit prune add_zlib write_pc_files cmake_cross
    } | sha256sum | cut -c1-16
}

# ------------------------------------------------------------ build ------------
# Everything below that affects the output is part of the cache key (declare -f).

cmake_cross() {  # cmake_cross SRC BUILD [ARGS...] : configure a CMake project for Windows
    local src=$1 bld=$2; shift 2
    STRATA_WIN_DEPS=$STAGE cmake -S "$src" -B "$bld" -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$STAGE" "$@"
}

fetch_sources() {
    # Newest version first; a mirror may list a version whose files it lacks
    # (seen: expat 2.5.0-1+deb12u5 on bookworm-security, 404), then take the next.
    # $STAGE/VERSIONS records what was built.
    local p v
    cd "$SRC"
    for p in $SRC_PKGS; do
        for v in ${VER[$p]} none; do
            [ "$v" != none ] || { echo "no version of $p could be fetched"; return 1; }
            if apt-get source --only-source "$p=$v"; then
                echo "$p $v" >>"$STAGE/VERSIONS"
                [ "$v" = "${VER[$p]%% *}" ] || echo "$p: fell back to $v" >>"$STAGE/FALLBACKS"
                break
            fi
        done
    done
}

apply_patches() {
    (cd "$SRC"/apr-[0-9]*/ && patch -p1 <"$PATCHES/apr-mingw.patch")
    (cd "$SRC"/apr-util-[0-9]*/ && patch -p1 <"$PATCHES/apr-util-mingw.patch")
    (cd "$SRC"/expat-[0-9]*/ && patch -p1 <"$PATCHES/expat-mingw.patch")
}

build_apr() {
    cmake_cross "$SRC"/apr-[0-9]*/ "$BLD/apr" -DINSTALL_PDB=OFF
    make -C "$BLD/apr" -j"$JOBS" install
}

build_expat() {
    cmake_cross "$SRC"/expat-[0-9]*/expat "$BLD/expat" -DEXPAT_SHARED_LIBS=OFF \
        -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF \
        -DEXPAT_BUILD_DOCS=OFF -DEXPAT_BUILD_PKGCONFIG=ON
    make -C "$BLD/expat" -j"$JOBS" install
}

build_aprutil() {
    # apr-util's CMake also builds a DLL, which needs APR's import library.
    cmake_cross "$SRC"/apr-util-[0-9]*/ "$BLD/apr-util" -DINSTALL_PDB=OFF \
        -DAPR_INCLUDE_DIR="$STAGE/include" -DAPR_LIBRARIES="$STAGE/lib/liblibapr-1.dll.a" \
        -DAPU_HAVE_ODBC=OFF -DAPR_HAS_LDAP=OFF
    make -C "$BLD/apr-util" -j"$JOBS" install
}

build_bzip2() {
    cp -a "$SRC"/bzip2-[0-9]*/ "$BLD/bzip2"
    make -C "$BLD/bzip2" -j"$JOBS" CC=$TRIPLET-gcc AR=$TRIPLET-ar RANLIB=$TRIPLET-ranlib \
        CFLAGS="-O2 -D_FILE_OFFSET_BITS=64" libbz2.a
    install -m 644 "$BLD/bzip2/libbz2.a" "$STAGE/lib/"
    install -m 644 "$BLD/bzip2/bzlib.h" "$STAGE/include/"
}

build_lzma() {
    cmake_cross "$SRC"/xz-utils-[0-9]*/ "$BLD/xz" -DBUILD_SHARED_LIBS=OFF
    make -C "$BLD/xz" -j"$JOBS" liblzma
    cmake --install "$BLD/xz" --component liblzma_Development
}

build_cunit() {
    cp -a "$SRC"/cunit-[0-9]*/ "$BLD/cunit"
    (cd "$BLD/cunit" && ./configure --host=$TRIPLET --prefix="$STAGE" \
        --disable-shared --enable-static --disable-curses --disable-console)
    make -C "$BLD/cunit/CUnit" -j"$JOBS"
    make -C "$BLD/cunit/CUnit" install
}

prune() {  # static only: drop the DLLs, their import libraries and libtool files
    rm -rf "$STAGE/bin" "$STAGE/share"
    rm -f "$STAGE"/lib/liblib*.a "$STAGE"/lib/*.dll.a "$STAGE"/lib/*.la
}

add_zlib() {  # static zlib next to the rest, so -L<prefix>/lib -lz is static
    install -m 644 "$SYSROOT/lib/libz.a" "$STAGE/lib/"
    install -m 644 "$SYSROOT/include/zlib.h" "$SYSROOT/include/zconf.h" "$STAGE/include/"
}

write_pc_files() {  # pkg-config files with the flags for static linking
    local pc=$STAGE/lib/pkgconfig
    mkdir -p "$pc"
    rm -f "$pc"/*.pc   # expat's/xz's own would point at the staging dir
    pc_file() {  # NAME VERSION REQUIRES LIBS CFLAGS
        printf '%s\n' "prefix=$PREFIX" 'libdir=${prefix}/lib' 'includedir=${prefix}/include' '' \
            "Name: $1" "Description: $1 for Windows x86_64 (static, mingw-w64)" "Version: $2" \
            "Requires: $3" "Libs: -L\${libdir} $4" "Cflags: -I\${includedir} $5" >"$pc/$1.pc"
    }
    upstream() { awk -v p="$1" '$1 == p { sub(/-[^-]*$/, "", $2); sub(/^[0-9]+:/, "", $2); print $2 }' "$STAGE/VERSIONS"; }
    pc_file apr-1      "$(upstream apr)"      ""      "-lapr-1 -lws2_32 -lmswsock -lrpcrt4" "-DAPR_DECLARE_STATIC"
    pc_file expat      "$(upstream expat)"    ""      "-lexpat"       "-DXML_STATIC"
    pc_file apr-util-1 "$(upstream apr-util)" "apr-1 expat" "-laprutil-1" "-DAPU_DECLARE_STATIC"
    pc_file bzip2      "$(upstream bzip2)"    ""      "-lbz2"         ""
    pc_file liblzma    "$(upstream xz-utils)" ""      "-llzma"        "-DLZMA_API_STATIC"
    pc_file zlib       "$(dpkg-query -W -f '${Version}' libz-mingw-w64-dev | sed 's/[+-].*//')" "" "-lz" ""
    pc_file cunit      "$(upstream cunit)"    ""      "-lcunit"       ""
}

build_all() {
    run_step fetch    fetch_sources
    run_step patch    apply_patches
    run_step apr      build_apr
    run_step expat    build_expat
    run_step apr-util build_aprutil
    run_step bzip2    build_bzip2
    run_step liblzma  build_lzma
    run_step cunit    build_cunit
    run_step prune    prune
    run_step zlib     add_zlib
    run_step pkgconfig write_pc_files
}

# ------------------------------------------------------------- main ------------
if [ "${STRATA_WIN_NO_APT:-0}" != 1 ]; then
    run_step apt apt_setup
fi
t_key=$(date +%s.%N)
resolve_versions
KEY=$(compute_key)
PREFIX=$CACHE_ROOT/$KEY
printf 'win-deps: %-12s %7.1f s  (%s)\n' key "$(elapsed "$t_key")" "$PREFIX" >&2

mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/.lock"
flock 9   # one builder per cache at a time; a waiting run then finds it done

if [ -f "$PREFIX/.complete" ]; then
    say "cached"
else
    STAGE=$PREFIX.tmp SRC=$WORK/src BLD=$WORK/build
    rm -rf "$STAGE" "$SRC" "$BLD"
    mkdir -p "$STAGE/include" "$STAGE/lib" "$SRC" "$BLD"
    build_all
    [ ! -f "$STAGE/FALLBACKS" ] || sed 's/^/win-deps: note: /' "$STAGE/FALLBACKS" >&2
    # The pkg-config files and CMake configs name the final prefix.
    { grep -rlIF "$STAGE" "$STAGE" || true; } | xargs -r sed -i "s|$STAGE|$PREFIX|g"
    touch "$STAGE/.complete"
    rm -rf "$PREFIX"
    mv "$STAGE" "$PREFIX"
    rm -rf "$SRC" "$BLD"
fi
printf 'win-deps: %-12s %7.1f s\n' total "$(elapsed "$SECONDS_T0")" >&2
echo "$PREFIX"
