#!/bin/sh
# tool_serve_load.sh -- `strata serve` against real peers and load tools, on
# 127.0.0.1 and ::1 only: HTTP /metrics (keep-alive, HTTP/1.0 and 1.1,
# pipelining, HEAD, unknown paths and methods, huge and slow heads), the
# descriptor limit, cuts seen by the peer, half-close, many connections,
# wrk and ab when installed.
# Usage: sh tests/tool_serve_load.sh PATH-TO-STRATA
# Needs python3 (skips without it, and for a Windows build under wine).
# STRATA_TEST_SCALE (percent, default 100) scales the connection counts.
# Each check is bounded to a few seconds.

case ${1:-} in *.exe) echo "skip - Windows build (wine): POSIX peers only"; exit 0 ;; esac
command -v python3 >/dev/null 2>&1 || { echo "skip - no python3"; exit 0; }
. "$(dirname "$0")/support/tool_lib.sh"
tool_setup tool_serve_load "$@"
pids=""
tool_cleanup_hook() {
    for p in $pids; do kill -TERM "$p" 2>/dev/null; done
    [ -z "$KEEP_TMP" ] || { echo "kept $tmp"; tmp=/nonexistent; }
}
SCALE=${STRATA_TEST_SCALE:-100}
# Sanitizer builds: their shadow memory makes RSS figures meaningless.
SANITIZED=0
grep -q -a -e __tsan_init -e __asan_init -e __msan_init "$S" && SANITIZED=1
export SANITIZED

# start NAME ARGS...: `strata serve ARGS` in the background; sets $port,
# $mport (with --metrics) and $pid.  ulimit in $ULIMIT_N if set.
start() {
    sname=$1; shift
    : > "$sname.err"
    if [ -n "$ULIMIT_N" ]; then
        (ulimit -n "$ULIMIT_N" && exec "$S" serve "$@") 2>> "$sname.err" > "$sname.out" &
    else
        "$S" serve "$@" 2>> "$sname.err" > "$sname.out" &
    fi
    pid=$!
    pids="$pids $pid"
    i=0; port=""; mport=""
    while [ $i -lt 100 ]; do
        port=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\)$/\1/p' "$sname.err")
        mport=$(sed -n 's/.*metrics on .*:\([0-9][0-9]*\)$/\1/p' "$sname.err")
        case " $* " in *" --metrics "*) [ -n "$mport" ] && [ -n "$port" ] && break ;;
                       *) [ -n "$port" ] && break ;; esac
        sleep 0.05; i=$((i + 1))
    done
    [ -n "$port" ]
}

stop() {   # stop PID: SIGTERM, wait; returns its exit code
    kill -TERM "$1"
    wait "$1"
}

# py NAME SCRIPT ARGS...: run a python check script, which prints
# "ok - ..." / "FAIL - ..." lines; counts its failures.
py() {
    pname=$1; shift
    timeout 60 python3 "$@" > "$pname.res" 2>&1
    rc=$?
    cat "$pname.res"
    [ $rc -eq 0 ] || { echo "FAIL - $pname: script exit $rc"; failures=$((failures + 1)); }
    n=$(grep -c '^FAIL' "$pname.res")
    failures=$((failures + n))
}

cat > lib.py <<'PY'
import socket, time, sys, os, threading, struct
def say(ok, what):
    print(("ok   - " if ok else "FAIL - ") + what)
    sys.stdout.flush()
def conn(port, host="127.0.0.1", timeout=3):
    s = socket.create_connection((host, port), timeout=timeout)
    return s
def recv_until_close(s, limit=1 << 26):
    got = bytearray()
    try:
        while len(got) < limit:
            b = s.recv(65536)
            if not b:
                return bytes(got), "eof"
            got += b
    except socket.timeout:
        return bytes(got), "timeout"
    except ConnectionResetError:
        return bytes(got), "reset"
    return bytes(got), "limit"
def read_response(s, buf, head_only=False):
    """One HTTP response from s (buf: bytes already read); returns
    (status, headers, body, rest) or None on EOF/timeout."""
    try:
        while b"\r\n\r\n" not in buf:
            b = s.recv(65536)
            if not b:
                return None
            buf += b
        head, rest = buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        hdrs = {}
        for l in lines[1:]:
            k, v = l.split(b":", 1)
            hdrs[k.strip().lower().decode()] = v.strip().decode()
        n = 0 if head_only else int(hdrs.get("content-length", "0"))
        while len(rest) < n:
            b = s.recv(65536)
            if not b:
                return None
            rest += b
        return status, hdrs, rest[:n], rest[n:]
    except (socket.timeout, ConnectionResetError):
        return None
PY

# ---- HTTP /metrics ------------------------------------------------------------
check "serve --echo --metrics: starts" start http --listen 127.0.0.1:0 --echo --metrics 127.0.0.1:0 --idle-timeout 1 --log http.log
hpid=$pid; hport=$port; hmport=$mport
cat > http.py <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
port = int(sys.argv[1])
GET = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"

s = conn(port)
s.sendall(GET); r1 = read_response(s, b"")
s.sendall(GET); r2 = read_response(s, r1[3] if r1 else b"")
say(r1 and r2 and r1[0] == 200 and r2[0] == 200
    and r1[1].get("connection", "").lower() != "close",
    "HTTP/1.1: two requests on one kept-alive connection")
s.close()

s = conn(port)
s.sendall(GET * 3 + b"HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n" + GET)
rest = b""; codes = []; heads = None
for i in range(5):
    r = read_response(s, rest, head_only=(i == 3))
    if r is None: break
    codes.append(r[0]); rest = r[3]
    if i == 3: heads = r[1]
say(codes == [200] * 5, "pipelined: five requests, five responses in order (%s)" % codes)
say(heads is not None and int(heads.get("content-length", "0")) > 0,
    "HEAD: headers with the GET's Content-Length, no body")
s.close()

s = conn(port)
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
data, how = recv_until_close(s)
say(data.startswith(b"HTTP/1.") and b" 200 " in data.split(b"\r\n")[0] and how == "eof",
    "HTTP/1.0: answered, then closed")
s.close()

s = conn(port)
s.sendall(b"GET /metrics HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" * 2)
r1 = read_response(s, b""); r2 = read_response(s, r1[3] if r1 else b"")
say(r1 and r2 and r1[1].get("connection", "").lower() == "keep-alive",
    "HTTP/1.0 with Connection: keep-alive: kept alive")
s.close()

s = conn(port)
s.sendall(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" + GET)
r1 = read_response(s, b""); r2 = read_response(s, r1[3] if r1 else b"")
say(r1 and r1[0] == 404 and r2 and r2[0] == 200, "unknown path: 404, connection usable")
s.close()

s = conn(port)
s.sendall(b"GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\n\r\n")
r = read_response(s, b"")
say(r and r[0] == 200, "query string: 200")
s.close()

s = conn(port)
s.sendall(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
r = read_response(s, b"")
say(r and r[0] == 405 and "GET" in r[1].get("allow", ""), "POST: 405 with Allow")
s.close()

s = conn(port)
s.sendall(b"GET /metrics HTTP/1.1\nHost: x\n\n")
r = read_response(s, b"")
say(r and r[0] == 200, "bare LF line ends: 200")
s.close()

s = conn(port)
s.sendall(b"\x00\x01garbage\r\n\r\n")
data, how = recv_until_close(s)
say(b" 400 " in data.split(b"\r\n")[0] and how == "eof", "garbage: 400, closed")
s.close()

s = conn(port)
try:
    s.sendall(b"GET /metrics HTTP/1.1\r\nX-Big: " + b"a" * 100000 + b"\r\n\r\n")
except (BrokenPipeError, ConnectionResetError):
    pass
data, how = recv_until_close(s)
say(b" 431 " in data.split(b"\r\n")[0] and how in ("eof", "reset"),
    "huge head: 431, closed (%s)" % how)
s.close()

s = conn(port)
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n"); s.shutdown(socket.SHUT_WR)
data, how = recv_until_close(s)
say(b" 200 " in data.split(b"\r\n")[0] and how == "eof", "half-close after the request: answered")
s.close()

for i in range(50):          # clients that go away before the answer
    s = conn(port); s.sendall(GET); s.close()
for i in range(20):
    s = conn(port)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.sendall(GET); s.close()
s = conn(port); s.sendall(GET); r = read_response(s, b"")
say(r and r[0] == 200, "after 70 clients that closed early: still serving")
s.close()

# Slow head: one byte every 0.2 s never completes within the 1 s timeout.
s = conn(port, timeout=5); t0 = time.time(); got = b""; how = "?"
try:
    for c in GET:
        s.sendall(bytes([c])); time.sleep(0.2)
        if time.time() - t0 > 4: break
except (BrokenPipeError, ConnectionResetError):
    pass
data, how = recv_until_close(s)
say(b" 408 " in data.split(b"\r\n")[0] and time.time() - t0 < 4.5,
    "slow head (a byte every 0.2 s): 408 within the timeout")
s.close()

# An idle keep-alive connection is closed by the idle timeout.
s = conn(port, timeout=5); s.sendall(GET); r = read_response(s, b"")
t0 = time.time(); data, how = recv_until_close(s, 1)
say(how == "eof" and time.time() - t0 < 3, "idle kept-alive connection closed")
s.close()
PY
py http http.py "$hmport"

if command -v wrk >/dev/null 2>&1; then
    timeout 20 wrk -t1 -c20 -d1s "http://127.0.0.1:$hmport/metrics" > wrk.txt 2>&1
    cat wrk.txt | sed -n '/requests in/p;/Socket errors/p;/Non-2xx/p'
    check "wrk: requests served" grep -q '[1-9][0-9]* requests in' wrk.txt
    check "wrk: no socket errors, no non-2xx" sh -c "! grep -q -e 'Socket errors' -e 'Non-2xx' wrk.txt"
else
    skip "wrk not installed"
fi
if command -v ab >/dev/null 2>&1; then
    timeout 20 ab -k -n 1000 -c 10 "http://127.0.0.1:$hmport/metrics" > ab.txt 2>&1
    sed -n '/Complete requests/p;/Failed requests/p;/Keep-Alive requests/p;/Requests per second/p' ab.txt
    check "ab -k: 1000 complete, 0 failed" sh -c "grep -q 'Complete requests: *1000' ab.txt && grep -q 'Failed requests: *0' ab.txt"
    check "ab -k: every request kept alive" grep -q 'Keep-Alive requests: *1000' ab.txt
    timeout 20 ab -n 300 -c 10 "http://127.0.0.1:$hmport/metrics" > ab0.txt 2>&1
    check "ab (HTTP/1.0, no keep-alive): 0 failed" sh -c "grep -q 'Complete requests: *300' ab0.txt && grep -q 'Failed requests: *0' ab0.txt"
else
    skip "ab (apache2-utils) not installed"
fi

# ---- echo: half-close, many connections, memory with a slow reader ---------------
cat > echo.py <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
port, pid, scale = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss_kb():
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS"): return int(l.split()[1])
    return 0

# Half-close with more than fits in the pipes: every byte comes back.
data = os.urandom(2 * 1024 * 1024)
s = conn(port, timeout=10); got = []
t = threading.Thread(target=lambda: got.append(recv_until_close(s)))
t.start(); s.sendall(data); s.shutdown(socket.SHUT_WR); t.join(); s.close()
say(got and got[0][0] == data and got[0][1] == "eof", "echo: 2 MiB then half-close, all back, then EOF")

# Many connections at once, all held open, each answered.
n = max(10, 1000 * scale // 100)
socks = []
try:
    for i in range(n):
        socks.append(conn(port, timeout=10))
    for i, x in enumerate(socks): x.sendall(b"%08d" % i)
    okn = sum(1 for i, x in enumerate(socks) if x.recv(8) == b"%08d" % i)
except OSError as e:
    okn = -1; print("# error:", e)
say(okn == n, "echo: %d connections held open, each answered (%d)" % (n, okn))
for x in socks: x.close()

# A client that sends 32 MiB and does not read: memory stays bounded.
base = rss_kb()
s = socket.create_connection(("127.0.0.1", port)); s.setblocking(False)
chunk = b"x" * 65536; sent = 0; t0 = time.time()
while time.time() - t0 < 1.5 and sent < (32 << 20):
    try: sent += s.send(chunk)
    except BlockingIOError: time.sleep(0.01)
grow = rss_kb() - base
if os.environ.get("SANITIZED") == "1":
    print("skip - echo: RSS with a stalled reader (sanitizer build)")
else:
    say(grow < 32 * 1024, "echo: a reader that stalls after %d bytes: RSS grew %d KiB (< 32 MiB)" % (sent, grow))
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); s.close()
PY
check "serve --echo: starts" start echo --listen 127.0.0.1:0 --echo --log echo.log
epid=$pid
py echo echo.py "$port" "$epid" "$SCALE"
check "echo: SIGTERM, exit 0" stop "$epid"

if python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
    check "serve on [::1]: starts" start v6 --listen '[::1]:0' --echo --metrics '[::1]:0' --log v6.log
    v6pid=$pid
    python3 - "$port" "$mport" > v6.res <<'PY'
import socket, sys
s = socket.create_connection(("::1", int(sys.argv[1])), timeout=3)
s.sendall(b"six"); s.shutdown(socket.SHUT_WR)
a = s.recv(10); b = s.recv(10)
m = socket.create_connection(("::1", int(sys.argv[2])), timeout=3)
m.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
h = m.recv(20)
print("ok" if a == b"six" and b == b"" and b" 200 " in h else "bad %r %r %r" % (a, b, h))
PY
    check "IPv6 ::1: echo and metrics" grep -q '^ok' v6.res
    check "IPv6: the record's peer is [::1]" sh -c "sleep 0.2; grep -q '\"peer\":\"\[::1\]:' v6.log"
    stop "$v6pid"
else
    skip "IPv6 ::1 unavailable"
fi

# ---- --file and --forward with many clients at once -------------------------------------
head -c 300000 /dev/urandom > small
check "serve --file small: starts" start manyf --listen 127.0.0.1:0 --file small --idle-timeout 5 --log manyf.log
mfpid=$pid; mfport=$port
check "serve --echo (upstream): starts" start up --listen 127.0.0.1:0 --echo --log up.log
uppid=$pid; upport=$port
# A slow upstream: answers each connection 0.6 s after its request ends.
python3 - > slow.port <<'PY' &
import socket, threading, time, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
print(l.getsockname()[1]); sys.stdout.flush()
def serve(c):
    data = b""
    while True:
        b = c.recv(4096)
        if not b: break
        data += b
    time.sleep(0.6); c.sendall(data); c.close()
l.settimeout(0.5); t0 = time.time()
while time.time() - t0 < 15:
    try: threading.Thread(target=serve, args=(l.accept()[0],), daemon=True).start()
    except socket.timeout: pass
PY
slowpid=$!
i=0; while [ ! -s slow.port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "serve --forward: starts" start manyw --listen 127.0.0.1:0 --forward 127.0.0.1:$(cat slow.port) --workers 8 --idle-timeout 1 --log manyw.log
mwpid=$pid; mwport=$port
cat > many.py <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
fport, wport, scale = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
want = open("small", "rb").read()
# --file: many clients connected at once, none reading at first, then each
# reads its copy in turn: every one gets the whole file.
n = max(20, 300 * scale // 100)
socks = [conn(fport, timeout=5) for i in range(n)]
time.sleep(0.2)
good = 0
for x in socks:
    data, how = recv_until_close(x)
    good += data == want and how == "eof"
    x.close()
say(good == n, "--file: %d clients at once, each gets the whole file (%d)" % (n, good))
# --forward with 8 workers and a 1 s idle timeout, to an upstream that
# takes 0.6 s per request: 20 clients at once wait up to three rounds
# (1.8 s) for a worker; waiting is not idleness, so each gets its answer.
socks = [conn(wport, timeout=6) for i in range(20)]
for i, x in enumerate(socks):
    x.sendall(b"%04d" % i); x.shutdown(socket.SHUT_WR)
good = 0
for i, x in enumerate(socks):
    data, how = recv_until_close(x)
    good += data == b"%04d" % i and how == "eof"
    x.close()
say(good == 20, "--forward, 8 workers, 20 clients: each relayed, none cut while waiting (%d)" % good)
PY
py many many.py "$mfport" "$mwport" "$SCALE"
check "serve --forward to --file: starts" start fwdf --listen 127.0.0.1:0 --forward 127.0.0.1:$mfport --log fwdf.log
fwfpid=$pid
python3 - "$port" > fwdf.res <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
# The client never half-closes: the upstream's end must still reach it.
s = conn(int(sys.argv[1]), timeout=5)
data, how = recv_until_close(s)
print("ok" if data == open("small", "rb").read() and how == "eof" else "bad %d %s" % (len(data), how))
PY
check "forward: the upstream's FIN reaches a client that never half-closes" grep -q '^ok' fwdf.res
stop "$fwfpid"
check "forward: none cut as idle while waiting for a worker" sh -c "! grep -q '\"end\":\"idle\"' manyw.log"
stop "$mfpid"; stop "$mwpid"; stop "$uppid"; kill "$slowpid" 2>/dev/null

# ---- --file: memory with many stalled readers ----------------------------------------------
head -c 8000000 /dev/zero > eight
check "serve --file (8 MB): starts" start stall --listen 127.0.0.1:0 --file eight --log stall.log
spid=$pid
python3 - "$port" "$spid" "$SCALE" > stall.res <<'PY'
import socket, sys, time
port, pid, scale = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def rss():
    for l in open("/proc/%d/status" % pid):
        if l.startswith("VmRSS"): return int(l.split()[1])
n = max(20, 200 * scale // 100); base = rss(); socks = []
for i in range(n):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port)); socks.append(s)
time.sleep(1)
grow = rss() - base
print("ok" if grow < n * 200 else "bad", n, "stalled readers: RSS grew", grow, "KiB")
PY
cat stall.res
if [ $SANITIZED -eq 1 ]; then
    skip "--file: stalled readers' RSS (sanitizer build)"
else
    check "--file: stalled readers cost < 200 KiB each" grep -q '^ok' stall.res
fi
stop "$spid"

# ---- --forward to a closed port -----------------------------------------------------------
cport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
check "serve --forward to a closed port: starts" start closed --listen 127.0.0.1:0 --forward 127.0.0.1:$cport --log closed.log
cpid2=$pid
python3 - "$port" > closed.res <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
s = conn(int(sys.argv[1]), timeout=3); s.sendall(b"anyone?")
data, how = recv_until_close(s)
print("ok" if data == b"" and how in ("eof", "reset") else "bad %r %s" % (data, how))
PY
check "forward to a closed port: the client is closed at once" grep -q '^ok' closed.res
check "forward to a closed port: the record says error, refused" sh -c "sleep 0.2; grep -qi '\"end\":\"error\",\"status\":\"[^\"]*refused' closed.log"
stop "$cpid2"

# ---- SIGTERM while a relay's upstream is silent ---------------------------------------------
# An upstream that accepts and then neither sends nor closes: the stop must
# still end the relay after the grace (no thread left blocked on it).
python3 - > bh.port <<'PY' &
import socket, time, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(8)
print(l.getsockname()[1]); sys.stdout.flush()
l.settimeout(0.5); held = []; t0 = time.time()
while time.time() - t0 < 12:
    try: held.append(l.accept()[0])
    except socket.timeout: pass
PY
bhpid=$!
i=0; while [ ! -s bh.port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "serve --forward to a silent upstream: starts" start bh --listen 127.0.0.1:0 --forward 127.0.0.1:$(cat bh.port) --grace 0.5 --log bh.log
bpid=$pid
python3 - "$port" <<'PY' &
import socket, sys, time
a = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
a.sendall(b"hello")                  # relayed, never answered
b = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
b.sendall(b"bye"); b.shutdown(socket.SHUT_WR)   # half-closed, waits for the upstream
time.sleep(8)
PY
cpid=$!
sleep 0.5
kill -TERM "$bpid"
i=0; while kill -0 "$bpid" 2>/dev/null && [ $i -lt 60 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 "$bpid" 2>/dev/null; then
    fail "SIGTERM with silent upstreams: exits within 3 s"
    kill -KILL "$bpid" 2>/dev/null
else
    ok "SIGTERM with silent upstreams: exits within 3 s"
fi
wait "$bpid"; rc=$?
check "SIGTERM with silent upstreams: exit 0" [ $rc -eq 0 ]
check "SIGTERM with silent upstreams: both records say cut" sh -c "grep -c '\"end\":\"cut\"' bh.log | grep -qx 2"
kill "$cpid" "$bhpid" 2>/dev/null; wait "$cpid" "$bhpid" 2>/dev/null

# ---- the descriptor limit: no busy loop, serving resumes ------------------------------
# The limit: what the server holds idle (reactors' pollsets and wake-up
# pipes grow with the CPUs) plus room for 20 connections.
if [ -d /proc/self/fd ]; then
start fdprobe --listen 127.0.0.1:0 --echo --log fdprobe.log
base=$(ls /proc/$pid/fd | wc -l)
stop "$pid"
ULIMIT_N=$((base + 20)) start fdlim --listen 127.0.0.1:0 --echo --log fdlim.log
ok "serve under ulimit -n $((base + 20)) ($base idle + 20): starts"
fpid=$pid
cat > fdlim.py <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
port, pid, errfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])
socks = [conn(port) for i in range(60)]      # past the limit: wait in the backlog
time.sleep(0.2); c0 = cpu(); l0 = sum(1 for _ in open(errfile))
time.sleep(1)
c1 = cpu(); l1 = sum(1 for _ in open(errfile))
say(c1 - c0 < 30, "at the descriptor limit: no busy loop (%d ticks in 1 s)" % (c1 - c0))
say(l1 - l0 < 30, "at the descriptor limit: the log is not flooded (%d lines in 1 s)" % (l1 - l0))
for x in socks[:40]: x.close()
okn = 0
for i, x in enumerate(socks[40:]):
    x.settimeout(3)
    try:
        x.sendall(b"z")
        if x.recv(1) == b"z": okn += 1
    except OSError: pass
say(okn == 20, "after descriptors freed: the waiting clients are served (%d of 20)" % okn)
PY
py fdlim fdlim.py "$port" "$fpid" fdlim.err
stop "$fpid"
else
    skip "descriptor limit: no /proc"
fi

# ---- SIGTERM with transfers running: finished vs cut, and the peer can tell ------------
head -c 30000000 /dev/zero > big
check "serve --file: starts" start files --listen 127.0.0.1:0 --file big --grace 1.5 --log files.log
gpid=$pid
cat > grace.py <<'PY'
import sys; sys.path.insert(0, ".")
from lib import *
port, pid = int(sys.argv[1]), int(sys.argv[2])
res = {}
def client(name, delay):
    s = conn(port, timeout=10); n = 0; how = "eof"
    if delay: s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
    else: time.sleep(0.6)          # still running when the stop begins
    try:
        while True:
            b = s.recv(1 << 20 if not delay else 16384)
            if not b: break
            n += len(b)
            if delay: time.sleep(delay)
    except ConnectionResetError: how = "reset"
    except socket.timeout: how = "timeout"
    res[name] = (n, how)
ts = [threading.Thread(target=client, args=("fast", 0)),
      threading.Thread(target=client, args=("slow", 0.05))]
for t in ts: t.start()
time.sleep(0.3); os.kill(pid, 15)
for t in ts: t.join()
say(res["fast"] == (30000000, "eof"), "grace: the fast transfer finished (%r)" % (res["fast"],))
say(res["slow"][0] < 30000000 and res["slow"][1] == "reset",
    "grace: the cut transfer ends with a reset, not a clean EOF (%r)" % (res["slow"],))
PY
py grace grace.py "$port" "$gpid"
wait "$gpid"; rc=$?
check "grace: exit 0" [ $rc -eq 0 ]
check "grace: one record closed, one cut" sh -c "grep -c '\"end\":\"closed\"' files.log | grep -qx 1 && grep -c '\"end\":\"cut\"' files.log | grep -qx 1"
check "grace: report on stderr" grep -q 'stopped: 2 open, 1 finished, 1 cut' files.err

tool_finish
