#!/bin/bash
# The README's tour must be examples/tour.c verbatim (CI builds the latter).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOUR=$(mktemp "${TMPDIR:-/tmp}/strata-readme-tour.XXXXXX")
trap 'rm -f "$TOUR"' EXIT
awk '/<!-- tour: examples\/tour.c/{f=1; next} f && /^```c$/{g=1; next} g && /^```$/{exit} g' \
    "$ROOT/README.md" > "$TOUR"
if ! diff -u "$ROOT/examples/tour.c" "$TOUR"; then
  echo "check-docs: README tour differs from examples/tour.c"; exit 1
fi
echo "leg docs: README tour matches examples/tour.c"
# The manual (docs/strata.1): groff finds no problem in it, and it names
# every long option of the tool's option tables.
warn=$(groff -ww -z -man "$ROOT/docs/strata.1" 2>&1)
if [ -n "$warn" ]; then echo "check-docs: groff on docs/strata.1:"; echo "$warn"; exit 1; fi
missing=""
for opt in $(grep -Eho "\\{ \"[a-z][a-z-]*\", +('.'|[A-Z_]*OPT_[A-Z_]*)" \
             "$ROOT"/tools/strata/*.c "$ROOT"/tools/strata/*.h | cut -d'"' -f2 | sort -u); do
  grep -q -- "\\\\-\\\\-$(echo "$opt" | sed 's/-/\\\\-/g')" "$ROOT/docs/strata.1" || missing="$missing --$opt"
done
if [ -n "$missing" ]; then echo "check-docs: docs/strata.1 lacks$missing"; exit 1; fi
echo "leg docs: docs/strata.1 is clean and names every option"
