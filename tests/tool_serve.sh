#!/bin/sh
# tool_serve.sh -- drives `strata serve` (and `strata cat` with tcp://)
# end to end on 127.0.0.1 only.
# Usage: sh tests/tool_serve.sh PATH-TO-STRATA
# Prints each check as it runs; exits 1 if any failed.  The echo and the
# metrics checks need python3 / curl (skipped without); promtool (Debian
# package prometheus) checks the metrics format when installed.

. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_serve "$@"
pids=""
tool_cleanup_hook() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null; done
}

# start NAME ARGS...: run `strata serve ARGS` in the background, wait for
# its "listening" line; sets $port (and $mport with --metrics), $pid.
start() {
    sname=$1; shift
    : > "$sname.err"
    "$S" serve "$@" 2>> "$sname.err" > "$sname.out" &
    pid=$!
    pids="$pids $pid"
    i=0
    while [ $i -lt 100 ]; do
        port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$sname.err")
        [ -n "$port" ] && break
        sleep 0.05; i=$((i + 1))
    done
    mport=""
    case " $* " in *" --metrics "*)    # its line may come after "listening"
        i=0
        while [ $i -lt 100 ]; do
            mport=$(sed -n 's/.*metrics on .*:\([0-9][0-9]*\)$/\1/p' "$sname.err")
            [ -n "$mport" ] && break
            sleep 0.05; i=$((i + 1))
        done ;;
    esac
    [ -n "$port" ]
}

wait_grep() {   # wait_grep PATTERN FILE: up to 10 s for PATTERN in FILE
    i=0
    while ! grep -q "$1" "$2" 2>/dev/null && [ $i -lt 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    grep -q "$1" "$2"
}

wait_lines() {  # wait_lines N FILE: up to 10 s for N lines in FILE
    i=0
    while [ "$(wc -l < "$2" | tr -d ' ')" -lt "$1" ] && [ $i -lt 200 ]; do
        sleep 0.05; i=$((i + 1))
    done
    [ "$(wc -l < "$2" | tr -d ' ')" -eq "$1" ]
}

stop() {   # stop PID: SIGTERM, wait; returns its exit code
    kill -TERM "$1"
    wait "$1"
}

head -c 500000 /dev/urandom > data
i=0; : > text; while [ $i -lt 2000 ]; do echo "line $i of some text" >> text; i=$((i + 1)); done

# ---- file server and strata cat tcp:// ------------------------------------
check "serve --file: starts and says its port" start files --listen 127.0.0.1:0 --file data --log files.log
fpid=$pid; fport=$port
"$S" cat tcp://127.0.0.1:$fport -o got; rc=$?
check "cat tcp:// input: exit 0" [ $rc -eq 0 ]
check "cat tcp:// input: byte for byte" cmp -s data got
"$S" cat -F gzip tcp://127.0.0.1:$fport -o got.gz
check "cat tcp:// input, gzip output" sh -c "gzip -dc got.gz | cmp -s - data"

# ---- forward to the file server ----------------------------------------------
check "serve --forward: starts" start fwd --listen 127.0.0.1:0 --forward 127.0.0.1:$fport --log fwd.log
wpid=$pid; wport=$port
"$S" cat tcp://127.0.0.1:$wport -o got2
check "forward: byte for byte through the proxy" cmp -s data got2

# ---- discard server: cat to tcp:// with a codec -------------------------------
check "serve --discard: starts" start disc --listen 127.0.0.1:0 --discard --log disc.log
dpid=$pid; dport=$port
"$S" cat -F gzip text -o tcp://127.0.0.1:$dport; rc=$?
check "cat to tcp:// output with gzip: exit 0" [ $rc -eq 0 ]
check "discard: the record counts the gzip bytes on the wire" \
    wait_grep '"wire":{"read_bytes":[1-9]' disc.log

# ---- echo server, metrics --------------------------------------------------------
check "serve --echo with --metrics: starts" start echo --listen 127.0.0.1:0 --echo --metrics 127.0.0.1:0 --log echo.log --idle-timeout 5
epid=$pid; eport=$port
if command -v python3 >/dev/null 2>&1; then
    python3 - "$eport" <<'PY' > echo.res
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
data = bytes(range(256)) * 400
s.sendall(data); s.shutdown(socket.SHUT_WR)
got = b""
while True:
    b = s.recv(65536)
    if not b: break
    got += b
print("same" if got == data else "differ %d" % len(got))
PY
    check "echo: byte for byte" grep -q same echo.res
else
    skip "echo: no python3"
fi
if command -v curl >/dev/null 2>&1 && [ -n "$mport" ]; then
    curl -s "http://127.0.0.1:$mport/metrics" > metrics.txt
    check "metrics: served" grep -q '^strata_serve_connections_accepted_total' metrics.txt
    check "metrics: wire bytes" grep -q 'strata_serve_read_bytes_total{meter="wire"}' metrics.txt
    if command -v promtool >/dev/null 2>&1; then
        check "metrics: promtool check metrics" sh -c "promtool check metrics < metrics.txt"
    else
        skip "promtool not installed"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mport/other")
    check "metrics: other paths are 404" [ "$code" = 404 ]
else
    skip "metrics: no curl"
fi

# ---- records and graceful stop -----------------------------------------------------
# Three clients: two cats and the proxy.
check "one JSON line per connection (file server)" wait_lines 3 files.log
check "record: peer, wire, logical, end" \
    grep -q '"peer":"127.0.0.1:[0-9]*".*"wire":{"read_bytes":0,.*"write_bytes":500000,.*"logical":.*"end":"closed"' files.log
if command -v python3 >/dev/null 2>&1; then
    check "records are JSON" python3 -c "
import json,sys
for f in ('files.log','fwd.log','disc.log','echo.log'):
    for l in open(f): json.loads(l)"
fi

# An idle client is cut by the stop after its grace.
check "serve with grace: starts" start graceful --listen 127.0.0.1:0 --echo --grace 0.3 --log g.log
gpid=$pid; gport=$port
if command -v python3 >/dev/null 2>&1; then
    python3 -c "
import socket,time,sys
s=socket.create_connection(('127.0.0.1',$gport))
s.sendall(b'x'); s.recv(1)   # served: the server has it
open('connected','w').close(); time.sleep(5)" &
    cpid=$!
    i=0
    while [ ! -f connected ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    stop $gpid; rc=$?
    check "SIGTERM: exit 0" [ $rc -eq 0 ]
    check "SIGTERM: the idle client was cut" grep -q '"end":"cut"' g.log
    check "SIGTERM: report on stderr" grep -q 'stopped: 1 open, 0 finished, 1 cut' graceful.err
    kill $cpid 2>/dev/null; wait $cpid 2>/dev/null
else
    stop $gpid
fi

for p in $fpid $wpid $dpid $epid; do stop $p; done
pids=""
check "bad usage: exit 2" sh -c "'$S' serve --echo > /dev/null 2>&1; [ \$? -eq 2 ]"
check "bad address: exit 2" sh -c "'$S' serve --listen nowhere --echo > /dev/null 2>&1; [ \$? -eq 2 ]"

tool_finish
