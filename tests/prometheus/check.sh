#!/bin/sh
# Check strata's Prometheus output with promtool (Debian package prometheus).
#   check.sh SAMPLE_PROGRAM      exits 77 (ctest: skipped) without promtool
set -eu
sample=$1
if ! command -v promtool >/dev/null 2>&1; then
  echo "SKIP: promtool not found (install the prometheus package)"
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$sample" > "$out"
grep -q 'layer="wire"' "$out"
grep -q '^# TYPE strata_sample_write_bytes_total counter$' "$out"
promtool check metrics < "$out"
echo "promtool: $(grep -c -v '^#' "$out") samples pass"
