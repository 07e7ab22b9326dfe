#!/bin/sh
# tool_cat.sh -- drives `strata cat` end to end.
# Usage: sh tests/tool_cat.sh PATH-TO-STRATA
# Prints each check as it runs; exits 1 if any failed.

. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_cat "$@"
no_temp_files() { ! ls -a "${1:-.}" | grep -q '\.tmp$'; }

# ---- test data ----------------------------------------------------------------
dd if=/dev/urandom of=big bs=1000 count=3001 2>/dev/null     # 3001000 bytes
dd if=/dev/urandom of=huge bs=65536 count=128 2>/dev/null    # 8 MiB
printf 'hello\n' > small                                     # 6 bytes
: > empty
cat big small > big_small
gzip -c small > small.gz

# ---- copying ------------------------------------------------------------------
"$S" cat -o out big; rc=$?
check "file to file: exit 0" [ $rc -eq 0 ]
check "file to file: byte for byte" cmp -s big out

"$S" cat big small -o out2; rc=$?
check "two inputs: exit 0" [ $rc -eq 0 ]
check "two inputs: concatenated in order" cmp -s big_small out2

"$S" cat < big > out3; rc=$?
check "stdin to stdout: exit 0" [ $rc -eq 0 ]
check "stdin to stdout: byte for byte" cmp -s big out3

"$S" cat - -o - < big > out4; rc=$?
check "'-' in, '-o -': exit 0" [ $rc -eq 0 ]
check "'-' in, '-o -': byte for byte" cmp -s big out4

cat small | "$S" cat big - > out5; rc=$?
check "file then '-': exit 0" [ $rc -eq 0 ]
check "file then '-': concatenated" cmp -s big_small out5

cat big | "$S" cat --output=out6; rc=$?
check "--output=OUT from a pipe: byte for byte" sh -c "[ $rc -eq 0 ] && cmp -s big out6"

"$S" cat big | cat > out7
check "file to a pipe: byte for byte" cmp -s big out7

"$S" cat empty -o out8; rc=$?
check "empty input: empty output" sh -c "[ $rc -eq 0 ] && [ -f out8 ] && [ ! -s out8 ]"

cp small same
"$S" cat same big -o same; rc=$?
check "OUT also an input: read before replaced" \
      sh -c "[ $rc -eq 0 ] && cat small big | cmp -s - same"

"$S" cat small -o ./--odd; rc=$?
check "operands after options, odd names" sh -c "[ $rc -eq 0 ] && cmp -s small ./--odd"

"$S" cat -- small > out9; rc=$?
check "'--' ends the options" sh -c "[ $rc -eq 0 ] && cmp -s small out9"

check "no temporary files left behind" no_temp_files

# ---- --stats ------------------------------------------------------------------
"$S" cat --stats big small -o st_out 2> st_err; rc=$?
check "--stats: exit 0, copy intact" sh -c "[ $rc -eq 0 ] && cmp -s big_small st_out"
check "--stats: header row" grep -q '^layer  *read_bytes  *read_ops  *write_bytes  *write_ops' st_err
check "--stats: in:file row with 3001000 bytes read" \
      grep -Eq '^in:file +3001000 +[0-9]+ +0 +0 .* big$' st_err
check "--stats: in:file row with 6 bytes read" \
      grep -Eq '^in:file +6 +[0-9]+ +0 +0 .* small$' st_err
check "--stats: out:file row with 3001006 bytes written" \
      grep -Eq '^out:file +0 +0 +3001006 +[1-9][0-9]* .* st_out$' st_err
check "--stats: nothing but the table (4 lines)" [ "$(lines st_err)" -eq 4 ]

"$S" cat --stats < small 2> st_err2 > st_out2
check "--stats: stdin and stdout rows" \
      sh -c "grep -Eq '^in:file +6 .* -\$' st_err2 && grep -Eq '^out:file +0 +0 +6 .* -\$' st_err2"

# ---- --progress ---------------------------------------------------------------
"$S" cat --progress big -o pr_out 2> pr_err; rc=$?
check "--progress, stderr not a tty: exit 0, copy intact" \
      sh -c "[ $rc -eq 0 ] && cmp -s big pr_out"
check "--progress, stderr not a tty: prints nothing" [ ! -s pr_err ]

if script -qc true /dev/null < /dev/null > /dev/null 2>&1; then
    script -qc "'$S' cat --progress huge -o tty_out" /dev/null < /dev/null > tty_log 2>&1
    check "--progress on a tty: copy intact" cmp -s huge tty_out
    check "--progress on a tty: draws a bar with percent" grep -q '100%' tty_log
    check "--progress on a tty: redraws with carriage returns" \
          sh -c "tr '\r' '\n' < tty_log | grep -q 'MiB'"
    check "--progress on a tty: ends the line" \
          [ "$(tail -c 1 tty_log | od -An -c | tr -d ' ')" = '\n' ]
else
    echo "skip - --progress on a tty (no util-linux 'script')"
fi

# ---- errors -------------------------------------------------------------------
"$S" cat nosuch -o err_out 2> e1; rc=$?
check "missing input: exit 1" [ $rc -eq 1 ]
check "missing input: one line on stderr" [ "$(lines e1)" -eq 1 ]
check "missing input: names the file and the reason" \
      grep -q "^strata: cannot open 'nosuch': " e1
check "missing input alone: OUT created empty, as cat does" \
      sh -c "[ -f err_out ] && [ ! -s err_out ]"

cp small keep
"$S" cat big nosuch small -o keep 2> e2; rc=$?
check "missing input among others: exit 1 at the end" [ $rc -eq 1 ]
check "missing input among others: the others still copied" \
      sh -c "cat big small | cmp -s - keep"
check "missing input among others: one line, names it" \
      sh -c "[ $(lines e2) -eq 1 ] && grep -q \"^strata: cannot open 'nosuch': \" e2"

"$S" cat -d nosuch small.gz -o dgz 2> e2b; rc=$?
check "-d: missing input reported, others decoded" \
      sh -c "[ $rc -eq 1 ] && cmp -s small dgz && [ $(lines e2b) -eq 1 ]"
"$S" cat -d gz small.gz > dgz2 2> e2c; rc=$?
check "-d takes no argument: the next word is an input" \
      sh -c "[ $rc -eq 1 ] && cmp -s small dgz2 && grep -q \"cannot open 'gz'\" e2c"
"$S" cat -dF gzip small.gz > dgz3; rc=$?
check "-dF gzip: combined, the format named" sh -c "[ $rc -eq 0 ] && cmp -s small dgz3"

"$S" cat big -o nodir/out 2> e3; rc=$?
check "output in a missing folder: exit 1" [ $rc -eq 1 ]
check "output in a missing folder: one line on stderr" [ "$(lines e3)" -eq 1 ]
check "output in a missing folder: no file" [ ! -e nodir ]

mkdir ro
if [ "$(id -u)" != 0 ]; then
    chmod 555 ro
    "$S" cat big -o ro/out 2> e4; rc=$?
    check "unwritable folder: exit 1" [ $rc -eq 1 ]
    check "unwritable folder: one line on stderr" [ "$(lines e4)" -eq 1 ]
    check "unwritable folder: no partial file" [ -z "$(ls -A ro)" ]
    chmod 755 ro
else
    echo "skip - unwritable folder (running as root)"
fi

"$S" cat big -o ro 2> e5; rc=$?
check "output is a folder: exit 1, one line" \
      sh -c "[ $rc -eq 1 ] && [ $(lines e5) -eq 1 ]"
check "output is a folder: left empty" [ -z "$(ls -A ro)" ]

"$S" cat ro > /dev/null 2> e6; rc=$?
check "input is a folder: exit 1, one line" \
      sh -c "[ $rc -eq 1 ] && [ $(lines e6) -eq 1 ]"

rc_file=$tmp/pipe_rc
( "$S" cat huge 2> e7; echo $? > "$rc_file" ) | head -c 1 > /dev/null
check "closed stdout (EPIPE): exit 141 as under SIGPIPE, not killed" \
      [ "$(cat "$rc_file")" = 141 ]
check "closed stdout (EPIPE): quiet, as gzip" [ ! -s e7 ]

check "no temporary files left after errors" no_temp_files

cp small victim
{ cat big; sleep 3; } | "$S" cat -o victim 2> /dev/null &
pid=$!
sleep 1
kill $pid 2> /dev/null
wait $pid 2> /dev/null
check "killed mid-copy: existing OUT kept as it was" cmp -s small victim
rm -f .victim.*.tmp      # a killed process cannot remove its temporary file

# ---- usage --------------------------------------------------------------------
"$S" cat --bogus small > u_out 2> u1; rc=$?
check "unknown option: exit 2, one line, no output" \
      sh -c "[ $rc -eq 2 ] && [ $(lines u1) -eq 1 ] && [ ! -s u_out ]"
"$S" cat -x small > /dev/null 2> u2; rc=$?
check "unknown short option: exit 2" [ $rc -eq 2 ]
"$S" cat small -o 2> u3; rc=$?
check "-o without its argument: exit 2" sh -c "[ $rc -eq 2 ] && [ $(lines u3) -eq 1 ]"
"$S" cat --stats=yes small > /dev/null 2> u4; rc=$?
check "argument to a flag: exit 2" [ $rc -eq 2 ]
"$S" > /dev/null 2> u5; rc=$?
check "no command: exit 2, one line" sh -c "[ $rc -eq 2 ] && [ $(lines u5) -eq 1 ]"
"$S" frobnicate > /dev/null 2> u6; rc=$?
check "unknown command: exit 2, names it" \
      sh -c "[ $rc -eq 2 ] && grep -q frobnicate u6"

"$S" --help > h1 2> h1e; rc=$?
check "strata --help: exit 0, usage on stdout" \
      sh -c "[ $rc -eq 0 ] && grep -q '^usage: strata' h1 && grep -q cat h1 && [ ! -s h1e ]"
"$S" cat --help > h2 2> h2e; rc=$?
check "strata cat --help: exit 0, lists the options" \
      sh -c "[ $rc -eq 0 ] && grep -q -- '--stats' h2 && grep -q -- '--progress' h2 && [ ! -s h2e ]"
"$S" --version > v1; rc=$?
check "strata --version: 'strata X.Y.Z'" \
      sh -c "[ $rc -eq 0 ] && grep -Eq '^strata [0-9]+\.[0-9]+\.[0-9]+' v1"

# ---- summary --------------------------------------------------------------------
tool_finish
