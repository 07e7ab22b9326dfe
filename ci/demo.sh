#!/bin/bash
# Set up, build, and show strata at work: copies a sample through
# `strata cat --stats --progress` so the per-layer meters are visible.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bash "$ROOT/ci/deps.sh"
B=$ROOT/build
cmake -S "$ROOT" -B "$B" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$B" -j"$(nproc)" --target strata_tool > /dev/null
SAMPLE=$B/sample.dat
if [ ! -f "$SAMPLE" ]; then   # 64 MiB of mixed text and noise
  { for i in $(seq 1 2000); do echo "line $i of the strata sample: metered, stackable streams"; done
    head -c 8M /dev/urandom; } > "$B/sample.part"
  for i in 1 2 3 4 5 6 7; do cat "$B/sample.part"; done > "$SAMPLE"; rm -f "$B/sample.part"
fi
echo "\$ strata cat --stats --progress sample.dat -o copy.dat"
"$B/strata" cat --stats --progress "$SAMPLE" -o "$B/copy.dat"
cmp "$SAMPLE" "$B/copy.dat" && echo "copy.dat is identical to sample.dat"
