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
# strata.pc is relocatable: install to another prefix than the configured one,
# then move that tree, and pkg-config from there must point into it.  A consumer
# of the shared library links -lstrata (and APR, whose API it uses), nothing else.
cmake --install "$W/build" --prefix "$W/other" >> "$W/log" 2>&1
mv "$W/other" "$W/moved"
PC="$W/moved/lib/pkgconfig"
pcflags=$(PKG_CONFIG_PATH="$PC" pkg-config --cflags strata)
pclibs=$(PKG_CONFIG_PATH="$PC" pkg-config --libs strata)
# The first -I and -L must be the moved tree's (pkg-config leaves "/../" in).
first_dir() { for a in $2; do case $a in "$1"*) (cd "${a#$1}" 2>/dev/null && pwd -P); return;; esac; done; }
if [ "$(first_dir -I "$pcflags")" != "$(cd "$W/moved/include" && pwd -P)" ] \
   || [ "$(first_dir -L "$pclibs")" != "$(cd "$W/moved/lib" && pwd -P)" ]; then
  echo "install-check: strata.pc is not relocatable: '$pcflags' '$pclibs'"; exit 1
fi
for lib in -lz -lbz2 -llzma -lzstd -lisal -ldeflate -laprutil-1; do
  case " $pclibs " in *" $lib "*)
    echo "install-check: --libs strata drags in $lib (should be private): '$pclibs'"; exit 1;; esac
done
cc -o "$W/consumer_moved" "$W/consumer/main.c" $pcflags $pclibs
LD_LIBRARY_PATH="$W/moved/lib" "$W/consumer_moved" "$W/in.txt" "$W/out4.txt" > /dev/null
cmp "$W/in.txt" "$W/out4.txt"
needed=$(readelf -d "$W/consumer_moved" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p' | tr '\n' ' ')
case " $needed " in *libstrata.so*) ;; *) echo "install-check: consumer does not need libstrata: $needed"; exit 1;; esac
for lib in libz.so libbz2.so liblzma.so libzstd.so libisal.so libdeflate.so; do
  case " $needed " in *" $lib"*)
    echo "install-check: consumer links $lib directly: $needed"; exit 1;; esac
done
# A static consumer gets everything from --static.
rm -f "$W/moved/lib/libstrata.so"*
cc -o "$W/consumer_moved_static" "$W/consumer/main.c" \
  $(PKG_CONFIG_PATH="$PC" pkg-config --cflags --static strata) \
  $(PKG_CONFIG_PATH="$PC" pkg-config --libs --static strata)
"$W/consumer_moved_static" "$W/in.txt" "$W/out5.txt" > /dev/null
cmp "$W/in.txt" "$W/out5.txt"
# Only strata_ symbols leave the shared library.
if nm -D --defined-only "$W/prefix/lib/libstrata.so" | awk '{print $3}' | grep -v '^strata_' | grep -q .; then
  echo "install-check: non-strata symbols exported:"; nm -D --defined-only "$W/prefix/lib/libstrata.so" | grep -v ' strata_'; exit 1
fi
# The manual and szcat (strata decompress -c) are installed.
test -f "$W/prefix/share/man/man1/strata.1"
printf 'szcat\n' | gzip -c > "$W/sz.gz"
[ "$("$W/prefix/bin/szcat" "$W/sz.gz")" = szcat ]
echo "install-check: find_package, pkg-config (relocated, private deps kept private, static), the exported symbol set, the manual and szcat are fine"
