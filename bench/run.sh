#!/bin/sh
# Build (Release) and run every benchmark; prints ROW lines with ratios.
#   bench/run.sh [build-dir]      env: STRATA_BENCH_MB (data size, MiB)
# bench_compress runs twice: on generated text, then on a corpus of this
# machine's real files (bench/corpus.sh: man pages, C headers, changelogs,
# shared libraries).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build-bench}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
for b in "$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  (cd "$build" && "$b")
done
corpus=$build/bench_corpus.bin
if [ -x "$build/bench/bench_compress" ] \
   && "$src/bench/corpus.sh" "$corpus" "${STRATA_BENCH_MB:-32}" >/dev/null; then
  echo "== bench_compress (real files: $corpus)"
  (cd "$build" && STRATA_BENCH_FILE=$corpus "$build/bench/bench_compress")
  rm -f "$corpus"
fi
