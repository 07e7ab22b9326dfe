#!/bin/sh
# tool_compress.sh -- drives `strata cat -F/-d` end to end, against the
# real gzip/bzip2/xz/zstd/pigz where present (a missing tool is skipped).
# Usage: sh tests/tool_compress.sh PATH-TO-STRATA
# Prints each check as it runs; exits 1 if any failed.

. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_compress "$@"

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
    if [ "$codec" = zstd ] && ! "$S" cat -F zstd -o /dev/null empty 2>/dev/null; then
        skip "zstd not in this build"
        continue
    fi
    "$S" cat -F $codec -o data.z data; rc=$?
    check "$codec: compress exit 0" [ $rc -eq 0 ]
    "$S" cat -d -F $codec data.z -o data.out; rc=$?
    check "$codec: -d -F $codec round trip" sh -c "[ $rc -eq 0 ] && cmp -s data data.out"
    if [ $codec != deflate ]; then
        "$S" cat -d data.z > data.out2; rc=$?
        check "$codec: -d auto round trip" sh -c "[ $rc -eq 0 ] && cmp -s data data.out2"
    fi
    "$S" cat -F $codec -1 empty | "$S" cat -dF $codec > empty.out
    check "$codec: empty input round trip" [ ! -s empty.out ]
done

# ---- interop: strata writes, the tools read; the tools write, strata reads ------
for t in "gzip gzip" "bzip2 bzip2" "xz xz" "zstd zstd" "pigz gzip"; do
    tool=${t% *}; codec=${t#* }
    if ! have $tool; then skip "$tool not installed"; continue; fi
    "$S" cat -F $codec data | $tool -dc > via_tool 2>/dev/null
    check "$tool -d reads strata's $codec" cmp -s data via_tool
    $tool -c < data > tool.z 2>/dev/null
    $tool -c < text >> tool.z 2>/dev/null          # concatenated
    cat data text > data_text
    "$S" cat -d tool.z > via_strata; rc=$?
    check "strata -d reads $tool's output, concatenated" \
          sh -c "[ $rc -eq 0 ] && cmp -s data_text via_strata"
done

if have pigz && have gzip; then
    "$S" cat -F gzip -T 2 -o par.gz data; rc=$?
    check "parallel gzip: exit 0" [ $rc -eq 0 ]
    check "parallel gzip: pigz -d reads it" sh -c "pigz -dc par.gz | cmp -s data -"
    check "parallel gzip: gzip -d reads it" sh -c "gzip -dc par.gz | cmp -s data -"
fi
if have xz; then
    "$S" cat -F xz -T2 -1 -o par.xz data
    check "xz -T 2: xz -d reads it" sh -c "xz -dc par.xz | cmp -s data -"
fi

# ---- recompress in one go -------------------------------------------------------
"$S" cat -F gzip data -o data.gz
"$S" cat -d data.gz | "$S" cat -F xz -o data.xz; rc=$?
check "recompress through a pipe: gzip to xz" sh -c "[ $rc -eq 0 ] && $S cat -d data.xz | cmp -s data -"

# ---- errors and limits ------------------------------------------------------------
"$S" cat -F nosuch data > /dev/null 2> err; rc=$?
check "unknown format: usage error (2)" sh -c "[ $rc -eq 2 ] && grep -q \"unknown format 'nosuch'\" err"
"$S" cat -F gzip --level 42 data > /dev/null 2> err; rc=$?
check "bad level: usage error (2), names the range" sh -c "[ $rc -eq 2 ] && grep -q 'out of range for gzip (0..9)' err"
"$S" cat -F bzip2 -0 data > /dev/null 2> err; rc=$?
check "-0 for bzip2: usage error (2)" [ $rc -eq 2 ]
"$S" cat -d text > /dev/null 2> err; rc=$?
check "-d on plain data: fails, not in a known format" sh -c "[ $rc -eq 1 ] && grep -q 'not in gzip format' err"
head -c 1000 data.gz > trunc.gz
"$S" cat -d trunc.gz -o trunc.out 2> err; rc=$?
check "truncated input: fails, says so" sh -c "[ $rc -eq 1 ] && grep -q 'ended early' err"
check "truncated input: output not created" [ ! -e trunc.out ]
dd if=/dev/zero bs=1048576 count=64 2>/dev/null | "$S" cat -F gzip -9 -o bomb.gz
"$S" cat -d --max-ratio 100 bomb.gz > /dev/null 2> err; rc=$?
check "bomb: --max-ratio stops it, names the limit" sh -c "[ $rc -eq 1 ] && grep -q 'ratio limit (--max-ratio 100' err"
"$S" cat -d --max-output 1M bomb.gz > bomb.out 2> err; rc=$?
check "bomb: --max-output stops it, names the limit" sh -c "[ $rc -eq 1 ] && grep -q 'output limit (--max-output 1M' err"
check "bomb: --max-output: exactly 1M written" [ "$(wc -c < bomb.out | tr -d ' ')" -eq 1048576 ]
"$S" cat -d --max-output 64M bomb.gz > /dev/null; rc=$?
check "exactly at --max-output: fine" [ $rc -eq 0 ]

# ---- limits for the whole run, with and without -d -----------------------------
"$S" cat --max-output 1M /dev/zero > lim.out 2> err; rc=$?
check "--max-output without -d: applies, ends (exit 1)" \
      sh -c "[ $rc -eq 1 ] && grep -q 'output limit' err && [ \$(wc -c < lim.out) -eq 1048576 ]"
"$S" cat --max-output 300K text text > lim2.out 2> err; rc=$?
check "--max-output counts the whole run, not each input" \
      sh -c "[ $rc -eq 1 ] && [ \$(wc -c < lim2.out) -eq 307200 ]"
"$S" cat --max-ratio 10 text > /dev/null 2> err; rc=$?
check "--max-ratio without -d: usage error (2)" \
      sh -c "[ $rc -eq 2 ] && grep -q 'only when decompressing' err"

# ---- --stats shows each layer and the ratio -----------------------------------
"$S" cat --stats -F gzip -o st.gz text 2> st_err
check "--stats: out:gzip row with the plain bytes" \
      grep -Eq "^out:gzip +0 +0 +$(wc -c < text | tr -d ' ') " st_err
check "--stats: out:file row with the compressed bytes" \
      grep -Eq "^out:file +0 +0 +$(wc -c < st.gz | tr -d ' ') " st_err
check "--stats: ratio column" grep -Eq '^out:gzip .* [0-9]+\.[0-9]+ +st\.gz$' st_err
"$S" cat --stats -d st.gz > /dev/null 2> st_err2
check "--stats: the detected format names the layer (in:gzip)" grep -q '^in:gzip ' st_err2

# ---- pigz's options on compress: -p, -b, -i -----------------------------------
cat data data data data > big                      # ~2.3 MB
"$S" compress -p 2 -b 64 -c big > pb.gz
check "compress -p 2 -b 64: gzip reads it back" sh -c "gzip -dc pb.gz | cmp -s - big"
"$S" compress -p 2 -b 64 -i -c big > pi.gz
check "compress -i: gzip reads it back" sh -c "gzip -dc pi.gz | cmp -s - big"
# every 64 KiB block its own member: many gzip headers (1f 8b 08)
members=$(od -An -v -tx1 pi.gz | tr -s ' \n' '  ' | grep -o '1f 8b 08' | wc -l)
check "compress -i: one member per block (>= 30 headers, saw $members)" \
      [ "$members" -ge 30 ]
if have pigz; then
    check "compress -p 2 -i: pigz -d reads it" sh -c "pigz -dc pi.gz | cmp -s - big"
else
    skip "pigz not installed"
fi
"$S" compress -b 8 -c big > /dev/null 2> b_err; rc=$?
check "compress -b 8: a usage error (exit 1), says the range" \
      sh -c "[ $rc -eq 1 ] && grep -q '32..65536' b_err"

tool_finish
