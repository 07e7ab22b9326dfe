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
if [ ! -f "$SAMPLE" ]; then   # ~60 MiB: log-like text with some noise
  { seq 1 250000 | sed 's/.*/2026-11-21 request & served: metered, stackable streams/'
    head -c 1M /dev/urandom; } > "$B/sample.part"
  for i in 1 2 3 4; do cat "$B/sample.part"; done > "$SAMPLE"; rm -f "$B/sample.part"
fi
echo "\$ strata cat --stats --progress sample.dat -o copy.dat"
"$B/strata" cat --stats --progress "$SAMPLE" -o "$B/copy.dat"
cmp "$SAMPLE" "$B/copy.dat" && echo "copy.dat is identical to sample.dat"
echo
echo "\$ strata cat -F gzip -T 2 --stats --progress sample.dat -o sample.dat.gz"
"$B/strata" cat -F gzip -T 2 --stats --progress "$SAMPLE" -o "$B/sample.dat.gz"
echo
echo "\$ strata cat -d --stats sample.dat.gz -o roundtrip.dat"
"$B/strata" cat -d --stats "$B/sample.dat.gz" -o "$B/roundtrip.dat"
cmp "$SAMPLE" "$B/roundtrip.dat" && echo "roundtrip.dat is identical to sample.dat"
