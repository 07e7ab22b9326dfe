#!/bin/bash
# Install strata into a scratch prefix and build a program outside the tree
# against it, once with find_package(strata CONFIG) and once with pkg-config.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$ROOT/build-ci/install-check
rm -rf "$W"; mkdir -p "$W/consumer"
cmake -S "$ROOT" -B "$W/build" -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
      -DSTRATA_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$W/prefix" > "$W/log" 2>&1
cmake --build "$W/build" -j"$(nproc)" >> "$W/log" 2>&1
cmake --install "$W/build" >> "$W/log" 2>&1
cp "$ROOT/examples/metered_copy.c" "$W/consumer/main.c"
cat > "$W/consumer/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(consumer C)
find_package(strata CONFIG REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE strata::strata)
add_executable(consumer_static main.c)
target_link_libraries(consumer_static PRIVATE strata::strata_static)
CM
cmake -S "$W/consumer" -B "$W/consumer/build" -DCMAKE_PREFIX_PATH="$W/prefix" >> "$W/log" 2>&1
cmake --build "$W/consumer/build" >> "$W/log" 2>&1
echo "hello from a consumer" > "$W/in.txt"
LD_LIBRARY_PATH="$W/prefix/lib" "$W/consumer/build/consumer" "$W/in.txt" "$W/out1.txt" > /dev/null
"$W/consumer/build/consumer_static" "$W/in.txt" "$W/out2.txt" > /dev/null
cmp "$W/in.txt" "$W/out1.txt"; cmp "$W/in.txt" "$W/out2.txt"
PKG_CONFIG_PATH="$W/prefix/lib/pkgconfig" \
  cc -o "$W/consumer_pc" "$W/consumer/main.c" $(PKG_CONFIG_PATH="$W/prefix/lib/pkgconfig" pkg-config --cflags --libs strata)
LD_LIBRARY_PATH="$W/prefix/lib" "$W/consumer_pc" "$W/in.txt" "$W/out3.txt" > /dev/null
cmp "$W/in.txt" "$W/out3.txt"
# Only strata_ symbols leave the shared library.
if nm -D --defined-only "$W/prefix/lib/libstrata.so" | awk '{print $3}' | grep -v '^strata_' | grep -q .; then
  echo "install-check: non-strata symbols exported:"; nm -D --defined-only "$W/prefix/lib/libstrata.so" | grep -v ' strata_'; exit 1
fi
# The manual and szcat (strata decompress -c) are installed.
test -f "$W/prefix/share/man/man1/strata.1"
printf 'szcat\n' | gzip -c > "$W/sz.gz"
[ "$("$W/prefix/bin/szcat" "$W/sz.gz")" = szcat ]
echo "install-check: find_package, pkg-config, the exported symbol set, the manual and szcat are fine"
