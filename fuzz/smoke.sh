#!/bin/sh
# Run a libFuzzer target briefly from a small seed corpus (ctest entry).
#   fuzz/smoke.sh TARGET         env: STRATA_FUZZ_RUNS (default 20000)
# The seeds are made here: for fuzz_decompress one stream per codec the
# machine's tools can write (the first byte picks the codec), for
# fuzz_readers a few programs with line-structured data.  Deterministic
# (-seed=1); a finding fails the test and leaves its input in the log.
set -eu
t=$1
runs=${STRATA_FUZZ_RUNS:-20000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/strata-fuzz.XXXXXX")
trap 'rm -rf "$dir"' EXIT
text='the stream and the meter
the layer of bytes
GET /index.html 200
'
i=0
seed() {   # seed FIRST-BYTE-OCTAL COMMAND...: FIRST byte then the output
  i=$((i + 1))
  { printf "\\$1"; shift; printf '%s' "$text" | "$@"; } > "$dir/seed$i" 2>/dev/null || rm -f "$dir/seed$i"
}
case $(basename "$t") in
fuzz_decompress*)
  command -v gzip  >/dev/null && seed 000 gzip -c
  command -v gzip  >/dev/null && seed 010 gzip -1 -c
  command -v bzip2 >/dev/null && seed 003 bzip2 -c
  command -v xz    >/dev/null && seed 004 xz -c
  command -v zstd  >/dev/null && seed 005 zstd -q -c
  command -v gzip  >/dev/null && seed 006 gzip -9 -c
  command -v compress >/dev/null && seed 007 compress -c
  command -v zip >/dev/null && { printf '%s' "$text" > "$dir/t.txt"; (cd "$dir" && zip -q t.zip t.txt) && { printf '\007'; cat "$dir/t.zip"; } > "$dir/seedzip"; rm -f "$dir/t.txt" "$dir/t.zip"; }
  seed 006 cat ;;
*)
  seed 021 cat
  printf '\021\003\005\004\023\062\012\014\047\377line one\r\nline two\nab tail' > "$dir/seedp1"
  printf '\013\000\000\000\226\012\013\031\040\055\066\077\377aaab\nbab\r\nx' > "$dir/seedp2" ;;
esac
rc=0
"$t" -runs="$runs" -seed=1 -max_len=4096 -timeout=30 -rss_limit_mb=2048 \
     -artifact_prefix="$dir/" -print_final_stats=1 "$dir" > "$dir/log" 2>&1 \
  || rc=$?
tail -n 40 "$dir/log"
exit $rc
