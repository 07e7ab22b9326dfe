#!/bin/sh
# tool_compress.sh -- drives `strata cat -c/-d` end to end, against the
# real gzip/bzip2/xz/zstd/pigz where present (a missing tool is skipped).
# Usage: sh tests/tool_compress.sh PATH-TO-STRATA
# Prints each check as it runs; exits 1 if any failed.

S=${1:?usage: sh tool_compress.sh PATH-TO-STRATA}
case $S in /*) ;; *) S=$(pwd)/$S ;; esac
[ -x "$S" ] || { echo "not executable: $S"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tool_compress.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
cd "$tmp" || exit 1

failures=0
ok()   { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; failures=$((failures + 1)); }
skip() { echo "skip - $1"; }
check() {   # check NAME COMMAND...: ok if COMMAND succeeds
    name=$1; shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }

# ---- test data ----------------------------------------------------------------
i=0
while [ $i -lt 3000 ]; do
    echo "line $i of a compressible text file, with some words repeated"
    i=$((i + 1))
done > text                                          # ~190 KB
dd if=/dev/urandom of=rnd bs=1000 count=300 2>/dev/null
cat text rnd text > data
: > empty

# ---- round trips through strata itself ----------------------------------------
for codec in gzip zlib deflate bzip2 xz zstd; do
    if [ "$codec" = zstd ] && ! "$S" cat -c zstd -o /dev/null empty 2>/dev/null; then
        skip "zstd not in this build"
        continue
    fi
    "$S" cat -c $codec -o data.z data; rc=$?
    check "$codec: compress exit 0" [ $rc -eq 0 ]
    "$S" cat -d $codec data.z -o data.out; rc=$?
    check "$codec: -d $codec round trip" sh -c "[ $rc -eq 0 ] && cmp -s data data.out"
    if [ $codec != deflate ]; then
        "$S" cat -d data.z > data.out2; rc=$?
        check "$codec: -d auto round trip" sh -c "[ $rc -eq 0 ] && cmp -s data data.out2"
    fi
    "$S" cat -c $codec -l 1 empty | "$S" cat -d $codec > empty.out
    check "$codec: empty input round trip" [ ! -s empty.out ]
done

# ---- interop: strata writes, the tools read; the tools write, strata reads ------
for t in "gzip gzip" "bzip2 bzip2" "xz xz" "zstd zstd" "pigz gzip"; do
    tool=${t% *}; codec=${t#* }
    if ! have $tool; then skip "$tool not installed"; continue; fi
    "$S" cat -c $codec data | $tool -dc > via_tool 2>/dev/null
    check "$tool -d reads strata's $codec" cmp -s data via_tool
    $tool -c < data > tool.z 2>/dev/null
    $tool -c < text >> tool.z 2>/dev/null          # concatenated
    cat data text > data_text
    "$S" cat -d tool.z > via_strata; rc=$?
    check "strata -d reads $tool's output, concatenated" \
          sh -c "[ $rc -eq 0 ] && cmp -s data_text via_strata"
done

if have pigz && have gzip; then
    "$S" cat -c gzip -T 2 -o par.gz data; rc=$?
    check "parallel gzip: exit 0" [ $rc -eq 0 ]
    check "parallel gzip: pigz -d reads it" sh -c "pigz -dc par.gz | cmp -s data -"
    check "parallel gzip: gzip -d reads it" sh -c "gzip -dc par.gz | cmp -s data -"
fi
if have xz; then
    "$S" cat -c xz -T 2 -l 1 -o par.xz data
    check "xz -T 2: xz -d reads it" sh -c "xz -dc par.xz | cmp -s data -"
fi

# ---- recompress in one go -------------------------------------------------------
"$S" cat -c gzip data -o data.gz
"$S" cat -d -c xz data.gz -o data.xz; rc=$?
check "-d and -c together: gzip to xz" sh -c "[ $rc -eq 0 ] && $S cat -d data.xz | cmp -s data -"

# ---- errors and limits ------------------------------------------------------------
"$S" cat -c nosuch data > /dev/null 2> err; rc=$?
check "unknown codec: usage error (2)" [ $rc -eq 2 ]
"$S" cat -c gzip -l 42 data > /dev/null 2> err; rc=$?
check "bad level: fails (1)" [ $rc -eq 1 ]
"$S" cat -d text > /dev/null 2> err; rc=$?
check "-d on plain data: fails" sh -c "[ $rc -eq 1 ] && grep -q corrupt err"
head -c 1000 data.gz > trunc.gz
"$S" cat -d trunc.gz -o trunc.out 2> err; rc=$?
check "truncated input: fails, says so" sh -c "[ $rc -eq 1 ] && grep -q 'ended early' err"
check "truncated input: output not created" [ ! -e trunc.out ]
dd if=/dev/zero bs=1048576 count=64 2>/dev/null | "$S" cat -c gzip -l 9 -o bomb.gz
"$S" cat -d --max-ratio 100 bomb.gz > /dev/null 2> err; rc=$?
check "bomb: --max-ratio stops it" sh -c "[ $rc -eq 1 ] && grep -q limit err"
"$S" cat -d --max-output 1M bomb.gz > bomb.out 2> err; rc=$?
check "bomb: --max-output stops it" sh -c "[ $rc -eq 1 ] && grep -q limit err"
"$S" cat -d --max-output 64M bomb.gz > /dev/null; rc=$?
check "exactly at --max-output: fine" [ $rc -eq 0 ]

# ---- --stats shows each layer and the ratio -----------------------------------
"$S" cat --stats -c gzip -o st.gz text 2> st_err
check "--stats: out:gzip row with the plain bytes" \
      grep -Eq "^out:gzip +0 +0 +$(wc -c < text | tr -d ' ') " st_err
check "--stats: out:file row with the compressed bytes" \
      grep -Eq "^out:file +0 +0 +$(wc -c < st.gz | tr -d ' ') " st_err
check "--stats: ratio column" grep -Eq '^out:gzip .* [0-9]+\.[0-9]+ +st\.gz$' st_err
"$S" cat --stats -d st.gz > /dev/null 2> st_err2
check "--stats: in:auto-d layer" grep -q '^in:auto-d ' st_err2

echo
[ $failures -eq 0 ] && echo "all passed" || echo "$failures failed"
[ $failures -eq 0 ]
