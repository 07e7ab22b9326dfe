#!/bin/bash
# The README's tour must be examples/tour.c verbatim (CI builds the latter).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
awk '/<!-- tour: examples\/tour.c/{f=1; next} f && /^```c$/{g=1; next} g && /^```$/{exit} g' \
    "$ROOT/README.md" > /tmp/strata-readme-tour.c
if ! diff -u "$ROOT/examples/tour.c" /tmp/strata-readme-tour.c; then
  echo "check-docs: README tour differs from examples/tour.c"; exit 1
fi
echo "leg docs: README tour matches examples/tour.c"
