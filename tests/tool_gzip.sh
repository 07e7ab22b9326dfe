#!/bin/sh
# tool_gzip.sh -- drives `strata compress` / `strata decompress` end to end
# and holds them to gzip's conventions: in place FILE <-> FILE.gz, -c -k -f
# -d -t -l -q -v -1..-9 --fast --best -T -F -S, combined flags, refusals,
# exit codes and one-line messages; interop with gzip, bzip2, xz, zstd and
# pigz (a missing tool is skipped); signals and kill in the middle.
# Usage: sh tests/tool_gzip.sh PATH-TO-STRATA
# Prints each check as it runs; exits 1 if any failed.

. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_gzip "$@"
# one_line FILE TEXT: FILE is exactly one line and contains TEXT
one_line() { [ "$(lines "$1")" -eq 1 ] && grep -qF -- "$2" "$1"; }
no_temp() { ! ls -a "${1:-.}" | grep -q '\.tmp$'; }
mtime() { stat -c %Y "$1" 2>/dev/null || stat -f %m "$1"; }
mode()  { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }
HAVE_ZSTD=0
"$S" compress -F zstd -c < /dev/null > /dev/null 2>&1 && HAVE_ZSTD=1

# ---- test data ----------------------------------------------------------------
i=0
while [ $i -lt 2000 ]; do
    echo "line $i of a compressible text file, with words repeated and repeated"
    i=$((i + 1))
done > text                                           # ~140 KB
dd if=/dev/urandom of=rnd bs=1000 count=100 2>/dev/null
cat text rnd text > data
printf 'hello\n' > small

# ---- in place: FILE -> FILE.gz -> FILE --------------------------------------------
cp data f; chmod 640 f; touch -t 202001020304 f ref
"$S" compress f 2> e; rc=$?
check "compress FILE: exit 0, quiet" eval "[ $rc -eq 0 ] && [ ! -s e ]"
check "compress FILE: FILE.gz made, FILE removed" eval "[ -f f.gz ] && [ ! -e f ]"
check "compress FILE: gzip -d reads it" eval "gzip -dc f.gz | cmp -s data -"
check "compress FILE: mode kept" [ "$(mode f.gz)" = 640 ]
check "compress FILE: mtime kept" [ "$(mtime f.gz)" = "$(mtime ref)" ]
check "compress FILE: no temporary left" no_temp
"$S" decompress f.gz 2> e; rc=$?
check "decompress FILE.gz: exit 0, FILE back, FILE.gz removed" \
      eval "[ $rc -eq 0 ] && [ ! -s e ] && [ ! -e f.gz ] && cmp -s data f"
check "decompress FILE.gz: mode kept" [ "$(mode f)" = 640 ]
check "decompress FILE.gz: mtime kept" [ "$(mtime f)" = "$(mtime ref)" ]

cp data g
"$S" compress -k g; rc=$?
check "-k: both FILE and FILE.gz" eval "[ $rc -eq 0 ] && [ -f g ] && [ -f g.gz ]"
"$S" compress g 2> e; rc=$?
check "existing FILE.gz: refused, exit 2 (as gzip)" [ $rc -eq 2 ]
check "existing FILE.gz: one line, gzip's words" one_line e "strata: g.gz already exists;	not overwritten"
check "existing FILE.gz: FILE kept" [ -f g ]
"$S" compress -q g 2> e; rc=$?
check "-q: the refusal still said (as gzip), exit 2" eval "[ $rc -eq 2 ] && one_line e 'g.gz already exists'"
echo old > h; echo older > h.gz
"$S" compress -f h; rc=$?
check "-f: existing FILE.gz replaced" \
      eval "[ $rc -eq 0 ] && [ ! -e h ] && [ \"\$(gzip -dc h.gz)\" = old ]"
"$S" decompress g.gz 2> e; rc=$?
check "decompress over an existing FILE: refused, exit 2" \
      eval "[ $rc -eq 2 ] && [ -f g.gz ] && one_line e 'g already exists;	not overwritten'"
"$S" decompress -f g.gz; rc=$?
check "decompress -f: replaced" eval "[ $rc -eq 0 ] && [ ! -e g.gz ] && cmp -s data g"

gzip -c small > s.gz
"$S" compress s.gz 2> e; rc=$?
check "FILE.gz already has the suffix: unchanged, exit 0 (as gzip)" \
      eval "[ $rc -eq 0 ] && [ -f s.gz ] && [ ! -e s.gz.gz ] && one_line e 's.gz already has .gz suffix -- unchanged'"
cp small nosuffix
"$S" decompress nosuffix 2> e; rc=$?
check "decompress FILE without a suffix: ignored, exit 2" \
      eval "[ $rc -eq 2 ] && [ -f nosuffix ] && one_line e 'nosuffix: unknown suffix -- ignored'"
mkdir dir
"$S" compress dir 2> e; rc=$?
check "a directory: ignored, exit 2" eval "[ $rc -eq 2 ] && one_line e 'dir is a directory -- ignored'"
"$S" compress nosuch 2> e; rc=$?
check "missing FILE: exit 1, 'strata: nosuch: why'" \
      eval "[ $rc -eq 1 ] && one_line e 'strata: nosuch: No such file or directory'"
cp small m1; cp small m2
"$S" compress m1 nosuch m2 2> e; rc=$?
check "missing FILE among others: the others done, exit 1" \
      eval "[ $rc -eq 1 ] && [ -f m1.gz ] && [ -f m2.gz ] && [ \$(lines e) -eq 1 ]"
cp small hl1; ln hl1 hl2
"$S" compress -k hl1 2> e; rc=$?
check "hard-linked FILE: ignored, exit 2 (as gzip, even with -k)" \
      eval "[ $rc -eq 2 ] && [ ! -e hl1.gz ] && one_line e 'hl1 has 1 other link -- file ignored'"
"$S" compress -f hl1; rc=$?
check "hard-linked FILE with -f: compressed" eval "[ $rc -eq 0 ] && [ -f hl1.gz ] && [ ! -e hl1 ] && cmp -s small hl2"
ln -s small lnk
"$S" compress lnk 2> e; rc=$?
check "symbolic link: refused without -f, exit 1 (as gzip)" eval "[ $rc -eq 1 ] && [ -L lnk ] && [ ! -e lnk.gz ] && one_line e 'lnk: Too many levels of symbolic links'"
gzip -c small > t.tgz
"$S" decompress t.tgz; rc=$?
check ".tgz decompresses to .tar" eval "[ $rc -eq 0 ] && cmp -s small t.tar && [ ! -e t.tgz ]"

# ---- formats and suffixes ----------------------------------------------------------
for fs in "gzip .gz" "bzip2 .bz2" "xz .xz" "zstd .zst" "zlib .zz"; do
    fmt=${fs% *}; suf=${fs#* }
    if [ $fmt = zstd ] && [ $HAVE_ZSTD = 0 ]; then skip "zstd not in this build"; continue; fi
    cp data "x_$fmt"
    "$S" compress -F $fmt "x_$fmt"; rc=$?
    check "-F $fmt: FILE$suf" eval "[ $rc -eq 0 ] && [ -f x_$fmt$suf ] && [ ! -e x_$fmt ]"
    "$S" decompress "x_$fmt$suf"; rc=$?
    check "-F $fmt: decompress detects it, back to FILE" eval "[ $rc -eq 0 ] && cmp -s data x_$fmt"
done
"$S" compress --format=deflate small 2> e; rc=$?
check "raw deflate in place: refused (no suffix), use -c" eval "[ $rc -eq 1 ] && grep -q 'no file suffix' e"
cp small sfx
"$S" compress -S .Z9 sfx && "$S" decompress -S .Z9 sfx.Z9; rc=$?
check "-S SUF both ways" eval "[ $rc -eq 0 ] && cmp -s small sfx && [ ! -e sfx.Z9 ]"

# ---- to standard output, combined flags ----------------------------------------------
"$S" compress -c data > d.gz; rc=$?
check "-c: to stdout, FILE kept" eval "[ $rc -eq 0 ] && [ -f data ] && gzip -dc d.gz | cmp -s data -"
"$S" decompress -c d.gz > d.out; rc=$?
check "decompress -c: to stdout, FILE.gz kept" eval "[ $rc -eq 0 ] && [ -f d.gz ] && cmp -s data d.out"
"$S" compress -dc d.gz > d.out2; rc=$?
check "compress -dc (combined): decompresses to stdout" eval "[ $rc -eq 0 ] && cmp -s data d.out2"
"$S" decompress -cd d.gz | cmp -s data -
check "-cd the other way round" [ $? -eq 0 ]
"$S" compress --std --decomp d.gz | cmp -s data -
check "unambiguous long prefixes (--std --decomp)" [ $? -eq 0 ]
"$S" compress < data > stdin.gz; rc=$?
check "no FILE: stdin to stdout" eval "[ $rc -eq 0 ] && gzip -dc stdin.gz | cmp -s data -"
"$S" decompress - < stdin.gz > stdin.out; rc=$?
check "FILE '-': stdin to stdout" eval "[ $rc -eq 0 ] && cmp -s data stdin.out"
"$S" compress -c small text > two.gz
cat small text > st
gzip -dc two.gz | cmp -s st -
check "-c with two FILEs: concatenated members, gzip -dc reads both" [ $? -eq 0 ]
cp data k9
"$S" compress -9k k9; rc=$?
check "-9k: level 9 and keep" eval "[ $rc -eq 0 ] && [ -f k9 ] && [ -f k9.gz ]"
"$S" compress -1 -c data > l1.gz; "$S" compress --best -c data > l9.gz
"$S" compress --fast -c data > lf.gz
check "-1 / --fast gives the same bytes" cmp -s l1.gz lf.gz
check "--best is smaller than --fast" [ "$(size l9.gz)" -lt "$(size l1.gz)" ]
"$S" compress -9 -c data | cmp -s - l9.gz
check "-9 is --best" [ $? -eq 0 ]
for t in "-T2" "-T 2" "--threads=2" "--threads 2"; do
    "$S" compress $t -c data > par.gz; rc=$?
    check "$t: parallel gzip, gzip -d reads it" eval "[ $rc -eq 0 ] && gzip -dc par.gz | cmp -s data -"
done
"$S" compress -Fxz -c data | xz -dc | cmp -s data -
check "-Fxz (attached argument)" [ $? -eq 0 ]
"$S" compress -kvF bzip2 small 2> e; rc=$?
check "-kvF bzip2 FILE: verbose line names the output" \
      eval "[ $rc -eq 0 ] && one_line e 'small:' && grep -q 'small.bz2' e"
"$S" decompress -c small.bz2 | cmp -s small -
check "decompress -c reads bzip2 too" [ $? -eq 0 ]
"$S" decompress -dcf small > pass.out; rc=$?
check "-dcf on plain data: copied as it is (zcat -f)" eval "[ $rc -eq 0 ] && cmp -s small pass.out"
"$S" decompress -c small > /dev/null 2> e; rc=$?
check "-dc on plain data: gzip's empty line and 'not in gzip format', exit 1" \
      eval "[ $rc -eq 1 ] && [ \$(lines e) -eq 2 ] && grep -qx 'strata: small: not in gzip format' e"
"$S" decompress -c -F xz d.gz > /dev/null 2> e; rc=$?
check "-F xz on gzip data: 'not in xz format'" eval "[ $rc -eq 1 ] && one_line e 'not in xz format'"
"$S" compress -c -n small | gzip -dc | cmp -s small -
check "-n accepted (gzip's no-name)" [ $? -eq 0 ]

# ---- -t -----------------------------------------------------------------------------
"$S" compress -c data > good.gz
head -c 5000 good.gz > trunc.gz
cp good.gz bad.gz; printf 'XXXXXXXX' | dd of=bad.gz bs=1 seek=3000 conv=notrunc 2>/dev/null
"$S" decompress -t good.gz 2> e; rc=$?
check "-t good: exit 0, quiet" eval "[ $rc -eq 0 ] && [ ! -s e ]"
"$S" decompress -tv good.gz 2> e; rc=$?
check "-tv good: 'good.gz: OK'" eval "[ $rc -eq 0 ] && grep -q 'good.gz:.*OK' e"
"$S" decompress -t trunc.gz 2> e; rc=$?
check "-t truncated: exit 1, gzip's empty line and 'unexpected end of file'" \
      eval "[ $rc -eq 1 ] && [ \$(lines e) -eq 2 ] && [ -z \"\$(head -1 e)\" ] && grep -qx 'strata: trunc.gz: unexpected end of file' e"
"$S" decompress -t bad.gz 2> e; rc=$?
check "-t corrupt: exit 1, gzip's 'invalid compressed data--format violated'" \
      eval "[ $rc -eq 1 ] && grep -qx 'strata: bad.gz: invalid compressed data--format violated' e"
"$S" decompress -t good.gz bad.gz trunc.gz good.gz 2> e; rc=$?
check "-t several: every file tried, exit 1, a message per bad one" \
      eval "[ $rc -eq 1 ] && [ \$(grep -c strata: e) -eq 2 ]"
for fs in "xz xz" "bzip2 bz2" "zstd zst"; do
    fmt=${fs% *}; suf=${fs#* }
    if [ $fmt = zstd ] && [ $HAVE_ZSTD = 0 ]; then continue; fi
    "$S" compress -F $fmt -c data > c.$suf
    cp c.$suf cbad.$suf
    printf 'XXXXXXXXXXXXXXXX' | dd of=cbad.$suf bs=1 seek=2000 conv=notrunc 2>/dev/null
    "$S" decompress -t cbad.$suf 2> e; rc=$?
    check "-t corrupt $fmt: exit 1, '$fmt data is corrupt at byte N' or ended early" \
          eval "[ $rc -eq 1 ] && [ \$(lines e) -eq 1 ] && grep -Eq '$fmt data is corrupt at byte [0-9]+|ended early' e"
done
"$S" compress -t good.gz; rc=$?
check "compress -t: tests, like gzip -t" [ $rc -eq 0 ]
cp good.gz keep_on_fail.gz; cp bad.gz kb.gz
"$S" decompress kb.gz 2> /dev/null; rc=$?
check "in-place decompress of a corrupt file: exit 1, FILE.gz stays, no FILE" \
      eval "[ $rc -eq 1 ] && [ -f kb.gz ] && [ ! -e kb ]"
check "in-place failure: no temporary left" no_temp

# ---- after the last gzip member: zeros ignored, garbage warned (as gzip) ----------
{ gzip -c small; printf '\0\0\0'; } > tz.gz
"$S" decompress -c tz.gz > tz.out 2> e; rc=$?
check "trailing zeros after a gzip member: ignored, exit 0" \
      eval "[ $rc -eq 0 ] && [ ! -s e ] && cmp -s small tz.out"
{ gzip -c small; printf 'garbage'; } > tg.gz
"$S" decompress -c tg.gz > tg.out 2> e; rc=$?
check "trailing garbage: data out, warning after an empty line (as gzip), exit 2" \
      eval "[ $rc -eq 2 ] && cmp -s small tg.out && [ \$(lines e) -eq 2 ] && grep -qx 'strata: tg.gz: decompression OK, trailing garbage ignored' e"
"$S" cat -d tz.gz tg.gz small.bz2 > cat_t.out 2> e; rc=$?
check "cat -d: trailing zeros ignored, garbage reported, all copied, exit 1" \
      eval "[ $rc -eq 1 ] && one_line e 'trailing garbage ignored' && cat small small small | cmp -s - cat_t.out"
gzip -c small > bare.gz
"$S" decompress bare; rc=$?
check "decompress FOO finds FOO.gz, as gzip -d" eval "[ $rc -eq 0 ] && cmp -s small bare && [ ! -e bare.gz ]"
gzip -c small > UP.GZ
"$S" decompress UP.GZ; rc=$?
check "upper-case suffix (.GZ)" eval "[ $rc -eq 0 ] && cmp -s small UP && [ ! -e UP.GZ ]"

# ---- -l against gzip -l and xz -l --------------------------------------------------
"$S" compress -c text > lt.gz
gzip -l lt.gz | tail -n 1 | awk '{print $1, $2, $3}' > want
"$S" decompress -l lt.gz > got; rc=$?
check "-l: exit 0, header and a row" eval "[ $rc -eq 0 ] && [ \$(lines got) -eq 2 ] && head -1 got | grep -q 'compressed *uncompressed *ratio'"
check "-l: compressed, uncompressed and ratio as gzip -l" \
      eval "tail -n 1 got | awk '{print \$1, \$2, \$3}' | cmp -s want -"
check "-l: the name column, no format column (as gzip -l)" eval "tail -n 1 got | grep -Eq '% lt\$'"
gzip -c text > byg.gz
"$S" decompress -l byg.gz | tail -n 1 | awk '{print $1, $2, $3}' > got2
gzip -l byg.gz | tail -n 1 | awk '{print $1, $2, $3}' > want2
check "-l on gzip's own file (with a name in the header): same figures" cmp -s want2 got2
"$S" decompress -l lt.gz byg.gz > got3
check "-l with two files: a totals line" eval "tail -n 1 got3 | grep -q '(totals)'"
if have xz; then
    "$S" compress -F xz -c text > lx.xz
    xz -l --robot lx.xz | awk '$1 == "file" {print $4, $5}' > wantx
    "$S" decompress -l lx.xz | tail -n 1 | awk '{print $1, $2}' > gotx
    check "-l: xz sizes as xz -l" cmp -s wantx gotx
fi
"$S" compress -l lt.gz > /dev/null; rc=$?
check "compress -l lists, like gzip -l" [ $rc -eq 0 ]

# ---- interop both ways --------------------------------------------------------------
for t in "gzip gzip gz" "bzip2 bzip2 bz2" "xz xz xz" "zstd zstd zst" "pigz gzip gz"; do
    set -- $t; tool=$1; fmt=$2; suf=$3
    if ! have $tool; then skip "$tool not installed"; continue; fi
    if [ $fmt = zstd ] && [ $HAVE_ZSTD = 0 ]; then continue; fi
    cp data "i_$tool"
    "$S" compress -F $fmt "i_$tool" && $tool -d -q "i_$tool.$suf" 2>/dev/null
    check "strata compress -F $fmt, then $tool -d in place" cmp -s data "i_$tool"
    rm -f "i_$tool.$suf"
    $tool -q "i_$tool" 2>/dev/null
    rm -f "i_$tool"               # zstd keeps its input
    "$S" decompress "i_$tool.$suf"; rc=$?
    check "$tool in place, then strata decompress" eval "[ $rc -eq 0 ] && cmp -s data i_$tool && [ ! -e i_$tool.$suf ]"
    $tool -c < text > cc.$suf 2>/dev/null; $tool -c < small >> cc.$suf 2>/dev/null
    "$S" decompress -c cc.$suf > cc.out
    cat text small > cc.want
    check "$tool: concatenated members, strata decompress -c" cmp -s cc.want cc.out
    "$S" compress -F $fmt -c text small > cs.$suf
    $tool -dc cs.$suf > cs.out 2>/dev/null
    check "strata compress -c of two files, $tool -dc" cmp -s cc.want cs.out
done

# ---- refusals on a terminal ---------------------------------------------------------
if script -qc true /dev/null < /dev/null > /dev/null 2>&1; then
    script -qc "'$S' compress < small; echo rc=\$?" /dev/null < /dev/null > tty1 2>&1
    check "compressed data not written to a terminal: exit 1" \
          eval "grep -q 'compressed data not written to a terminal' tty1 && grep -q 'rc=1' tty1"
    script -qc "'$S' compress -f < small > /dev/null; echo rc=\$?" /dev/null < /dev/null > tty2 2>&1
    check "-f: compressed data written to a terminal" grep -q 'rc=0' tty2
    script -qc "'$S' decompress; echo rc=\$?" /dev/null < /dev/null > tty3 2>&1
    check "compressed data not read from a terminal: exit 1" \
          eval "grep -q 'compressed data not read from a terminal' tty3 && grep -q 'rc=1' tty3"
    script -qc "'$S' decompress -c good.gz > /dev/null; echo rc=\$?" /dev/null < /dev/null > tty4 2>&1
    check "decompress -c FILE with stdin a terminal: fine" grep -q 'rc=0' tty4
    dd if=/dev/urandom of=prog.raw bs=65536 count=64 2>/dev/null
    "$S" compress -1 -c prog.raw > prog1.gz; cp prog1.gz prog2.gz
    script -qc "'$S' decompress --progress -c prog1.gz prog2.gz > /dev/null" /dev/null < /dev/null > tty5 2>&1
    check "--progress on decompression: percent from the compressed size" grep -q '100%' tty5
    check "--progress with many files: file name and place" grep -q 'prog2.gz (2/2)' tty5
else
    skip "terminal checks (no util-linux 'script')"
fi

# ---- --stats --------------------------------------------------------------------------
"$S" decompress --stats -c good.gz > /dev/null 2> st
check "--stats: the detected format names the layer (in:gzip)" grep -q '^in:gzip ' st
"$S" compress --stats -F xz -c small > /dev/null 2> st
check "--stats: out:xz and out:file rows" eval "grep -q '^out:xz ' st && grep -q '^out:file ' st"

# ---- closed pipe ------------------------------------------------------------------------
dd if=/dev/zero bs=1048576 count=32 2>/dev/null | gzip -1 > zeros.gz
rc_file=$tmp/pipe_rc
( "$S" decompress -c zeros.gz 2> epipe; echo $? > "$rc_file" ) | head -c 10 > /dev/null
check "closed downstream pipe: quiet" [ ! -s epipe ]
check "closed downstream pipe: exit 141, as gzip under SIGPIPE" [ "$(cat "$rc_file")" = 141 ]

# ---- usage ------------------------------------------------------------------------------
"$S" compress -y small > /dev/null 2> e; rc=$?
check "bad option: exit 1 (as gzip), one line" eval "[ $rc -eq 1 ] && one_line e \"invalid option -- 'y'\""
"$S" compress --nosuch small 2> e; rc=$?
check "bad long option: exit 1, one line" eval "[ $rc -eq 1 ] && one_line e \"unrecognized option '--nosuch'\""
"$S" compress small -T 2> e; rc=$?
check "missing argument: exit 1, one line" eval "[ $rc -eq 1 ] && one_line e 'requires an argument'"
"$S" compress --keep=yes small 2> e; rc=$?
check "argument to a flag: exit 1" [ $rc -eq 1 ]
"$S" compress -F lz4 small 2> e; rc=$?
check "unknown format: exit 1" eval "[ $rc -eq 1 ] && one_line e \"unknown format 'lz4'\""
"$S" compress --max-ratio 5 small 2> e; rc=$?
check "--max-ratio when compressing: exit 1" [ $rc -eq 1 ]
"$S" compress --st small 2> e; rc=$?
check "ambiguous long prefix (--st: --stdout, --stats): exit 1" eval "[ $rc -eq 1 ] && grep -q ambiguous e"
check "usage errors changed nothing" eval "[ -f small ] && [ ! -e small.gz ]"
"$S" compress --help > h 2> he; rc=$?
check "--help: exit 0, lists the flags" \
      eval "[ $rc -eq 0 ] && [ ! -s he ] && grep -q -- '--stdout' h && grep -q -- '--keep' h && grep -q -- '--format' h && grep -q -- '-1' h"
"$S" decompress -V > v; rc=$?
check "-V names the codec libraries" eval "[ $rc -eq 0 ] && grep -q zlib v && grep -q liblzma v && grep -q bzip2 v"
"$S" d -c good.gz | cmp -s data -
check "short alias 'strata d'" [ $? -eq 0 ]
ln -s "$S" szcat
./szcat good.gz | cmp -s data -
check "installed as szcat: decompress -c" [ $? -eq 0 ]

# ---- signals and kill: exactly one of FILE / FILE.gz ---------------------------------
dd if=/dev/urandom of=slow.src bs=1048576 count=16 2>/dev/null   # xz -9: seconds
# A background job of a script starts with SIGINT ignored (and strata keeps
# it so, as gzip does); GNU env can give it back its default.
sigs="TERM HUP"
if env --default-signal=INT true 2> /dev/null; then sigs="TERM INT HUP"
else skip "SIGINT (no env --default-signal)"; fi
for sig in $sigs; do
    cp slow.src slow
    rm -f slow.xz
    if [ $sig = INT ]; then
        env --default-signal=INT "$S" compress -F xz -9 slow 2> /dev/null &
    else
        "$S" compress -F xz -9 slow 2> /dev/null &
    fi
    pid=$!
    sleep 1
    kill -$sig $pid 2> /dev/null
    wait $pid; rc=$?
    case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
    check "SIG$sig mid-compress: exit $want" [ $rc -eq $want ]
    check "SIG$sig mid-compress: FILE kept, no FILE.xz" \
          eval "cmp -s slow.src slow && [ ! -e slow.xz ]"
    check "SIG$sig mid-compress: no temporary left" no_temp
done
cp slow.src slow
rm -f slow.xz
"$S" compress -F xz -9 slow 2> /dev/null &
pid=$!
sleep 1
kill -9 $pid 2> /dev/null
wait $pid 2> /dev/null
check "kill -9 mid-compress: FILE kept, no FILE.xz" eval "cmp -s slow.src slow && [ ! -e slow.xz ]"
rm -f .slow.xz.*.tmp          # a killed process cannot remove its temporary file
cp small victim
{ cat data; sleep 2; } | "$S" cat -o victim 2> /dev/null &
pid=$!
sleep 1
kill -TERM $pid 2> /dev/null
wait $pid; rc=$?
check "strata cat -o OUT, SIGTERM: exit 143, OUT as it was" \
      eval "[ $rc -eq 143 ] && cmp -s small victim"
check "strata cat -o OUT, SIGTERM: no temporary left" no_temp
if [ -f /proc/version ]; then
    "$S" cat small -o /proc/version 2> e; rc=$?
    check "temporary cannot be created: the message names the folder" \
          eval "[ $rc -eq 1 ] && one_line e \"folder '/proc'\""
fi
if [ -w /dev/full ]; then
    "$S" decompress -c good.gz > /dev/full 2> e; rc=$?
    check "output full: exit 1, one line naming the output" \
          eval "[ $rc -eq 1 ] && one_line e 'cannot write standard output: No space left'"
fi


# ---- gzip(1) compatibility: its test suite's behaviours, compared with gzip ------
# Needs gzip to compare with; skipped under wine (no gzip, no POSIX times).
if have gzip && [ -z "$WINELOADER" ] && [ -z "$STRATA_UNDER_WINE" ]; then
    mkdir gzbin; ln -s "$S" gzbin/gzip; ln -s "$S" gzbin/gunzip; ln -s "$S" gzbin/zcat
    G=$tmp/gzbin/gzip
    # header bytes: name, mtime, XFL and OS as gzip writes them, every engine
    printf 'some text for a header check\n' > hdr; touch -t 202001020304 hdr
    for lvl in 1 6 9; do
        gzip -c -$lvl hdr | head -c 14 > hdr.want
        gzip -cn -$lvl hdr | head -c 10 > hdrn.want
        for eng in zlib isal libdeflate; do
            STRATA_GZIP_ENGINE=$eng "$S" compress -c -$lvl hdr > hdr.gz 2>/dev/null || continue
            head -c 14 hdr.gz > hdr.got
            check "header -$lvl ($eng): name, mtime, XFL, OS as gzip -c" cmp -s hdr.want hdr.got
            STRATA_GZIP_ENGINE=$eng "$S" compress -cn -$lvl hdr | head -c 10 > hdrn.got
            check "header -n -$lvl ($eng): as gzip -cn" cmp -s hdrn.want hdrn.got
        done
    done
    "$S" compress -c -T2 hdr | head -c 14 > hdr.got; gzip -c hdr | head -c 14 > hdr.want
    check "header -T2 (parallel): as gzip -c" cmp -s hdr.want hdr.got
    gzip -c < hdr | head -c 10 > hdr.want; "$S" compress < hdr | head -c 10 > hdr.got
    check "stdin from a file: its mtime, no name (as gzip)" cmp -s hdr.want hdr.got
    echo a | "$S" compress > r1.gz; sleep 1; echo a | "$S" compress > r2.gz
    check "reproducible: a pipe gives MTIME 0" cmp -s r1.gz r2.gz
    # -N restores name and time; without it the name comes from the file name
    cp hdr orig_name; touch -t 202001020304 orig_name; gzip orig_name
    mv orig_name.gz renamed.gz; cp renamed.gz renamed2.gz
    "$S" decompress -N renamed.gz; rc=$?
    check "-dN: the stored name and time restored" \
          eval "[ $rc -eq 0 ] && cmp -s hdr orig_name && [ \$(mtime orig_name) = \$(mtime hdr) ] && [ ! -e renamed ]"
    "$S" decompress renamed2.gz
    check "-d without -N: the name from the file name" cmp -s hdr renamed2
    # -l / -lv / -lN byte for byte
    cp hdr ll1; gzip -k ll1; : > ll2; gzip ll2; cp ll1.gz ll3.gz
    for a in "-l ll1.gz" "-lv ll1.gz ll2.gz" "-l ll2.gz" "-lN ll3.gz" "-lv ll3.gz" "-lvN ll3.gz ll1.gz"; do
        # an empty file's ratio: " -Inf%" as gzip says since 1.14 (1.12: "  0.0%")
        gzip $a | sed 's/   0   0\.0% /   0  -Inf% /' > lw; "$S" decompress $a > lg
        check "$a: byte for byte as gzip" cmp -s lw lg
    done
    cat ll1.gz ll1.gz > ll4.gz
    "$S" decompress -l ll4.gz > lg
    check "-l of two members: both counted (as gzip since 1.14)" \
          eval "tail -n 1 lg | grep -q ' 58 '"
    gzip -l < ll1.gz > lw; "$S" decompress -l < ll1.gz > lg
    check "-l < FILE: as gzip (stdout)" cmp -s lw lg
    # trailing data after the last member
    (echo 0 | gzip; printf '\0') > tn0.gz; (echo 1 | gzip; printf '\1') > tn1.gz
    "$G" -d tn0.gz 2> e; rc=$?
    check "trailing NUL: exit 0, quiet (gzip's trailing-nul)" eval "[ $rc -eq 0 ] && [ ! -s e ] && [ \"\$(cat tn0)\" = 0 ]"
    "$G" -d tn1.gz 2> e; rc=$?
    check "one stray byte: exit 1, unexpected end of file" eval "[ $rc -eq 1 ] && grep -q 'unexpected end of file' e && [ -f tn1.gz ]"
    (echo 0 | gzip; printf '\0\0') > tnv.gz
    "$G" -dcv tnv.gz > /dev/null 2> e; rc=$?
    check "trailing zeros with -v: warned, exit 2" eval "[ $rc -eq 2 ] && grep -q 'gzip: tnv.gz: decompression OK, trailing zero bytes ignored' e"
    (echo xxx | gzip; echo yyy) > mixed; printf 'xxx\nyyy\n' > mixed.want
    "$G" -cdf < mixed > mixed.out; rc=$?
    check "-cdf: plain data after a member passes (gzip's mixed)" eval "[ $rc -eq 0 ] && cmp -s mixed.want mixed.out"
    printf 'plain' | "$G" -cdf > p.out; rc=$?
    check "-cdf: plain input passes" eval "[ $rc -eq 0 ] && [ \"\$(cat p.out)\" = plain ]"
    : | "$G" -cdf > p.out; rc=$?
    check "-cdf: empty input gives nothing, exit 0" eval "[ $rc -eq 0 ] && [ ! -s p.out ]"
    # corrupt data, gzip's words (hufts)
    printf '\037\213\010\000\060\060\060\060\060\060\144\000\000\000' > h33501
    "$G" -d < h33501 > /dev/null 2> e; rc=$?
    printf '\ngzip: stdin: invalid compressed data--format violated\n' > e.want
    check "corrupt stdin: exit 1, gzip's two lines" eval "[ $rc -eq 1 ] && cmp -s e.want e"
    # -S '' refused (null-suffix-clobber), -Sz (z-suffix)
    printf anything | gzip > F.gz
    echo "gzip: invalid suffix ''" > e.want
    "$G" ---presume-input-tty -d -S '' F.gz < /dev/null > out 2> e; rc=$?
    check "-S '': refused, exit 1, gzip's message" \
          eval "[ $rc -eq 1 ] && cmp -s e.want e && [ -f F.gz ] && [ ! -s out ]"
    printf anything > Fz_in; cp Fz_in Fz_ref
    "$G" -Sz Fz_in && "$G" -dSz Fz_in; rc=$?
    check "-Sz both ways" eval "[ $rc -eq 0 ] && cmp -s Fz_in Fz_ref && [ ! -e Fz_inz ]"
    # stdin among files
    printf a | gzip > sin
    "$G" -dc sin - sin < sin > sout 2> e; rc=$?
    check "-dc FILE - FILE: stdin in the middle" eval "[ $rc -eq 0 ] && [ \"\$(cat sout)\" = aaa ] && [ ! -s e ]"
    # timestamps gzip cannot hold: warned, exit 2
    for t in 196912312359.59 197001010000 210602070628.16; do
        touch -t $t ts 2>/dev/null || continue
        "$G" ts 2> e; rc=$?
        check "mtime $t: out of range, warned, exit 2, compressed" \
              eval "[ $rc -eq 2 ] && grep -q 'timestamp out of range' e && [ -f ts.gz ]"
        rm -f ts ts.gz
    done
    if touch -t 210602070628.15 ts 2>/dev/null; then
        "$G" ts; rc=$?
        check "mtime 2^32-1: fine" [ $rc -eq 0 ]
        rm -f ts.gz
    fi
    # compress(1)'s .Z (LZW), as gzip -d reads it (helin-segv)
    printf '\037\235\220\0\0\0\304' > helin.Z; printf '\0\0' > helin.want
    "$G" -dc helin.Z > helin.out; rc=$?
    check "LZW: gzip's helin-segv input, two NULs" eval "[ $rc -eq 0 ] && cmp -s helin.want helin.out"
    printf '\037\235\220\141\002\206\001' > kw.Z
    "$S" decompress kw.Z; rc=$?
    check "LZW in place: FILE.Z -> FILE (KwKwK case)" eval "[ $rc -eq 0 ] && [ \"\$(cat kw)\" = aaaa ] && [ ! -e kw.Z ]"
    printf '\037\235\220\377\001' > lbad.Z
    "$G" -dc lbad.Z > /dev/null 2> e; rc=$?
    gzip -dc lbad.Z > /dev/null 2> e.want
    check "LZW corrupt: exit 1, gzip's words" eval "[ $rc -eq 1 ] && cmp -s e.want e"
    # pack(1)'s .z (Huffman), as gzip -d reads it (unpack-valid, unpack-invalid)
    printf '\037\036\000\000\000\006\003\001\001\000\141\156\142\026\310' > test.z
    "$G" -dc test.z > pk.out 2> e; rc=$?
    check "pack: gzip's banana" eval "[ $rc -eq 0 ] && [ \"\$(cat pk.out)\" = banana ] && [ ! -s e ]"
    printf '\037\036\000\000\037\213\010\000\000\000\000\000\002\003\036\000\000\000\002\003\037\213\010\000\000\000\000\000\002\003\355\301\001\015\000\000\000\302\240\037\000\302\240\037\213\010\000\000\000\000\000\002\003\355\301' > pki
    "$G" -d < pki > /dev/null 2> e; rc=$?
    check "pack: gzip's invalid tree, exit 1" [ $rc -eq 1 ]
    printf '\037\213\010\000\000\000\000\000\002\003\355\301\001\015\000\000\000\302\240\076\366\017\370\036\016\030\000\000\000\000\000\000\000\000\000\034\010\105\140\104\025\020\047\000\000\037\036\016\030\000\000\000' > pki2
    "$G" -d < pki2 > /dev/null 2> e; rc=$?
    check "gzip member then a bad pack member: exit 1 (unpack-invalid)" [ $rc -eq 1 ]
    # ownership: kept when root (as gzip), else the group where allowed
    echo x > own
    if [ "$(id -u)" = 0 ] && chown 1234:2345 own 2>/dev/null; then
        "$S" compress own && "$S" decompress own.gz; rc=$?
        check "root: owner and group kept both ways" \
              eval "[ $rc -eq 0 ] && [ \"\$(stat -c %u:%g own)\" = 1234:2345 ]"
    else
        skip "ownership (not root)"
    fi
    for a in "-l helin.Z" "-lv helin.Z" "-lv test.z"; do
        gzip $a > lw 2>&1; "$G" $a > lg 2>&1
        check "$a (old formats): byte for byte as gzip" cmp -s lw lg
    done
    # zip: the first entry, as gzip -dc reads it (not in place: no suffix)
    if have zip; then
        printf 'first entry\n' > ze1; printf 'second\n' > ze2; rm -f z.zip
        zip -q z.zip ze1 ze2
        "$G" -dc z.zip > zo; rc=$?
        check "zip: the first entry (deflated)" eval "[ $rc -le 2 ] && cmp -s ze1 zo"
        rm -f zs.zip; zip -q -0 zs.zip ze2
        "$G" -dc < zs.zip > zo; rc=$?
        check "zip: a stored entry from stdin" eval "[ $rc -eq 0 ] && cmp -s ze2 zo"
    else
        skip "zip checks (no zip)"
    fi
    # terminal refusals in gzip's words
    if script -qc true /dev/null < /dev/null > /dev/null 2>&1; then
        script -qc "gzip < /dev/null; echo rc=\$?" /dev/null < /dev/null > ttw 2>&1
        script -qc "'$G' < /dev/null; echo rc=\$?" /dev/null < /dev/null > ttg 2>&1
        check "terminal refusal (compress): as gzip, words and status" cmp -s ttw ttg
        script -qc "gzip -d; echo rc=\$?" /dev/null < /dev/null > ttw 2>&1
        script -qc "'$G' -d; echo rc=\$?" /dev/null < /dev/null > ttg 2>&1
        check "terminal refusal (decompress): as gzip, words and status" cmp -s ttw ttg
    fi
    # -kv wording (keep)
    echo fooooooooo > kin
    "$G" -kv kin 2> e; rc=$?
    check "-kv: 'created kin.gz'" eval "[ $rc -eq 0 ] && grep -q 'created kin.gz' e && [ -f kin ]"
    # GZIP environment variable (gzip 1.12: deprecated, warned, limited)
    echo a > genv; gzip < genv > genv.gz
    GZIP=-qv "$G" -d < genv.gz > genv.out 2> /dev/null; rc=$?
    check "GZIP=-qv: accepted" eval "[ $rc -eq 0 ] && cmp -s genv genv.out"
    for bad in -c --stdout -d -k --help -l -r -Sxxx -t -V --; do
        GZIP=$bad "$G" -d < genv.gz > /dev/null 2> e; rc=$?
        check "GZIP=$bad: not valid there, exit 1" eval "[ $rc -eq 1 ] && grep -q 'not valid in GZIP' e"
    done
    GZIP=-9 "$G" -c genv 2> e | gzip -dc | cmp -s genv -
    check "GZIP=-9: applied, with the deprecation warning" eval "[ \$? -eq 0 ] && grep -q 'GZIP environment variable is deprecated' e"
    # --help / --version / -L onto a full disk fail (help-version)
    if [ -w /dev/full ]; then
        for o in --help --version -L; do
            "$G" $o > /dev/full 2> /dev/null; rc=$?
            check "$o > /dev/full: exit 1" [ $rc -eq 1 ]
        done
    fi
    "$G" -L > lic; rc=$?
    check "-L: exit 0, text" eval "[ $rc -eq 0 ] && [ -s lic ]"
    ./gzbin/zcat sin > zc.out; rc=$?
    check "installed as zcat: decompress -c" eval "[ $rc -eq 0 ] && [ \"\$(cat zc.out)\" = a ]"
    cp sin gun.gz; ./gzbin/gunzip gun.gz; rc=$?
    check "installed as gunzip: decompress" eval "[ $rc -eq 0 ] && [ \"\$(cat gun)\" = a ]"
    # -r
    mkdir -p rd/s; echo x > rd/x; echo y > rd/s/y; gzip -c rd/x > rd/already.gz
    "$G" -r rd 2> e; rc=$?
    check "-r: every file under the folder, .gz passed over quietly" \
          eval "[ $rc -eq 0 ] && [ -f rd/x.gz ] && [ -f rd/s/y.gz ] && [ -f rd/already.gz ] && [ ! -e rd/already.gz.gz ] && [ ! -s e ]"
    "$G" -rd rd; rc=$?
    check "-rd: back" eval "[ $rc -eq 0 ] && [ -f rd/x ] && [ -f rd/s/y ] && [ -f rd/already ]"
    cp data syn
    "$G" --synchronous syn; rc=$?
    check "--synchronous: compressed" eval "[ $rc -eq 0 ] && [ -f syn.gz ] && [ ! -e syn ]"
else
    skip "gzip(1) comparisons (no gzip, or under wine)"
fi

# ---- summary -------------------------------------------------------------------------
echo
tool_finish
