#!/bin/sh
# tool_pgzip_memory.sh -- parallel gzip under an address-space limit
# (issue 7, item 5): `strata cat -F gzip -T 256` with `ulimit -v` set so that
# thread stacks, arenas or block buffers run out must end with a clean error
# (exit 1 and a message) or succeed -- never abort (SIGABRT, e.g. glibc's
# "libgcc_s.so.1 must be installed for pthread_exit to work").  Every gzip
# engine, several limits.  Skipped where `ulimit -v` cannot be set or the
# tool cannot start under it (sanitizer builds reserve terabytes).
# Usage: sh tests/tool_pgzip_memory.sh PATH-TO-STRATA

. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_pgzip_memory "$@"

if ! (ulimit -v 3000000 && "$S" --version) >/dev/null 2>&1; then
    echo "skip - cannot run the tool under ulimit -v here"
    exit 0
fi
T=""                                   # a hang is a failure too
command -v timeout >/dev/null 2>&1 && T="timeout -s KILL 60"
dd if=/dev/urandom of=rnd bs=1000000 count=16 2>/dev/null

failures=0
for engine in zlib isal libdeflate; do
    for limit in 120000 200000 300000 500000 700000 1000000 1500000 3000000; do
        (ulimit -v $limit
         STRATA_GZIP_ENGINE=$engine $T "$S" cat -F gzip -T 256 -o out.gz rnd \
             2>err)
        rc=$?
        name="$engine, ulimit -v $limit: exit $rc"
        if [ $rc -eq 0 ] && gzip -dc out.gz | cmp -s - rnd; then
            echo "ok   - $name (compressed)"
        elif [ $rc -eq 1 ] && grep -q "^strata[ :]" err; then
            echo "ok   - $name ($(head -c 100 err))"
        else
            echo "FAIL - $name ($(head -c 200 err))"
            failures=$((failures + 1))
        fi
        rm -f out.gz err
    done
done
[ $failures -eq 0 ] || { echo "$failures failed"; exit 1; }
echo "all passed"
