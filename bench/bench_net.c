/*
 * bench_net.c -- socket streams and the TCP server, side by side:
 *  1. stream send/recv vs raw send()/recv() over a loopback connection;
 *  2. an echo server with event handlers, and one with stream handlers,
 *     vs a libuv echo server, at 100 and 1,000 connections with 64-byte
 *     messages (a load generator in another process, net_loadgen.c);
 *  3. 10,000 idle connections held by event handlers: the server's RSS
 *     and thread count (clients in another process).
 * The two sides of each row alternate; the row gives the median of the
 * per-pair ratios and their spread (min..max).  POSIX only (fork, /proc).
 *
 * Environment: STRATA_BENCH_NET_REPS (pairs, default 5),
 * STRATA_BENCH_NET_MS (measured milliseconds per run, default 1000),
 * STRATA_BENCH_NET_IDLE (idle connections, default 10000),
 * STRATA_BENCH_NET_REACTORS (reactors of the strata servers, default 0:
 * one per CPU), STRATA_BENCH_NET_ONLY (raw, echo or idle: that part only).
 */
#include "bench_util.h"
#include "strata/strata.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include "net_loadgen.h"
#include <apr_portable.h>
#include <apr_thread_proc.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef STRATA_BENCH_HAVE_UV
#include <uv.h>
#endif

#define MAX_REPS 64

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One ROW from @n pairs: medians of each side, median and spread of the
 * per-pair ratios (strata / peer, higher is better). */
static void row(const char *name, const char *unit, double *s, double *p,
                int n, const char *peer, double target)
{
    double r[MAX_REPS], lo = 1e300, hi = 0, mr;
    int i;

    for (i = 0; i < n; i++) {
        r[i] = p[i] > 0 ? s[i] / p[i] : 0;
        lo = r[i] < lo ? r[i] : lo;
        hi = r[i] > hi ? r[i] : hi;
    }
    mr = median(r, n);
    printf("ROW %-28s strata=%.1f %s  %s=%.1f %s  ratio=%.3f  spread=%.3f..%.3f"
           "  pairs=%d  target>=%.2f  %s\n",
           name, median(s, n), unit, peer, median(p, n), unit, mr, lo, hi, n,
           target, mr >= target ? "ok" : "BELOW");
    fflush(stdout);
}

/* ---- 1. stream vs raw calls ------------------------------------------------ */

#define XFER_MSG 1024

typedef struct xfer_t {
    apr_socket_t *a, *b;         /* connected pair */
    strata_stream_t *sa, *sb;
    apr_uint64_t total;
    int use_strata;
} xfer_t;

static int fd_of(apr_socket_t *s)
{
    apr_os_sock_t fd;

    apr_os_sock_get(&fd, s);
    return fd;
}

static void *APR_THREAD_FUNC xfer_reader(apr_thread_t *t, void *arg)
{
    xfer_t *x = arg;
    char buf[XFER_MSG];
    apr_uint64_t got = 0;
    apr_size_t n;
    ssize_t r;

    while (got < x->total) {
        if (x->use_strata) {
            if (strata_read(x->sb, buf, sizeof(buf), &n) != APR_SUCCESS)
                break;
            got += n;
        } else {
            r = recv(fd_of(x->b), buf, sizeof(buf), 0);
            if (r <= 0)
                break;
            got += (apr_uint64_t)r;
        }
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* CPU seconds (user + system) this process has used. */
static double cpu_now(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
           + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double last_cpu;          /* CPU seconds of the last xfer_run */

static double xfer_run(xfer_t *x, int use_strata, apr_pool_t *pool)
{
    double c0 = cpu_now(), mbs;
    static char buf[XFER_MSG];
    apr_thread_t *th;
    apr_status_t trv;
    apr_uint64_t sent = 0;
    apr_size_t n;
    double t0;

    x->use_strata = use_strata;
    apr_thread_create(&th, NULL, xfer_reader, x, pool);
    t0 = bench_now();
    while (sent < x->total) {
        if (use_strata) {
            if (strata_write(x->sa, buf, sizeof(buf), &n) != APR_SUCCESS)
                break;
            sent += n;
        } else {
            ssize_t r = send(fd_of(x->a), buf, sizeof(buf), MSG_NOSIGNAL);
            if (r <= 0)
                break;
            sent += (apr_uint64_t)r;
        }
    }
    apr_thread_join(&trv, th);
    mbs = (double)x->total / (bench_now() - t0) / 1e6;
    last_cpu = cpu_now() - c0;
    return mbs;
}

static void bench_stream_vs_raw(int reps, apr_pool_t *pool)
{
    apr_socket_t *lsn;
    apr_sockaddr_t *sa;
    xfer_t x;
    double s[MAX_REPS], p[MAX_REPS], cs[MAX_REPS], cp[MAX_REPS];
    int i;

    apr_sockaddr_info_get(&sa, "127.0.0.1", APR_INET, 0, 0, pool);
    apr_socket_create(&lsn, APR_INET, SOCK_STREAM, APR_PROTO_TCP, pool);
    apr_socket_bind(lsn, sa);
    apr_socket_listen(lsn, 4);
    apr_socket_addr_get(&sa, APR_LOCAL, lsn);
    if (strata_tcp_connect(&x.sa, "127.0.0.1", sa->port, NULL, pool)
            != APR_SUCCESS
        || apr_socket_accept(&x.b, lsn, pool) != APR_SUCCESS
        || strata_socket_wrap(&x.sb, x.b, 0, pool) != APR_SUCCESS) {
        printf("SKIP stream_vs_raw: no loopback connection\n");
        return;
    }
    x.a = strata_socket_get(x.sa);
    x.total = (apr_uint64_t)bench_env_size("STRATA_BENCH_NET_MB", 256) << 20;
    xfer_run(&x, 1, pool);                  /* warm-up */
    for (i = 0; i < reps; i++) {
        if (i % 2 == 0) {
            s[i] = xfer_run(&x, 1, pool);
            cs[i] = (double)(x.total >> 20) / last_cpu;
            p[i] = xfer_run(&x, 0, pool);
            cp[i] = (double)(x.total >> 20) / last_cpu;
        } else {
            p[i] = xfer_run(&x, 0, pool);
            cp[i] = (double)(x.total >> 20) / last_cpu;
            s[i] = xfer_run(&x, 1, pool);
            cs[i] = (double)(x.total >> 20) / last_cpu;
        }
    }
    printf("INFO stream_vs_raw: %lu MiB per run in %d-byte sends and recvs\n",
           (unsigned long)(x.total >> 20), XFER_MSG);
    row("socket_stream_vs_raw_calls", "MB/s", s, p, reps, "raw", 0.95);
    /* The same runs per CPU second: what the layer costs, whatever else
     * the machine is doing. */
    row("socket_stream_vs_raw_cpu", "MiB/cpu-s", cs, cp, reps, "raw", 0.95);
    strata_close(x.sa);
    strata_close(x.sb);
    apr_socket_close(x.b);
    apr_socket_close(lsn);
}

/* ---- servers in child processes ------------------------------------------------- */

typedef enum { SRV_EVENT, SRV_STREAM, SRV_UV, SRV_IDLE } srv_kind_t;

typedef struct child_t {
    pid_t pid;
    int ctl;                     /* write end: closing it stops the child */
    int ready;                   /* read end: what the child reports */
    apr_port_t port;
} child_t;

static apr_status_t echo_stream(void *baton, strata_tcp_conn_t *c,
                                strata_stream_t *s)
{
    char buf[4096];
    apr_size_t n;
    apr_status_t rv;

    while ((rv = strata_read(s, buf, sizeof(buf), &n)) == APR_SUCCESS)
        if ((rv = strata_write_all(s, buf, n, NULL)) != APR_SUCCESS)
            return rv;
    return rv == APR_EOF ? APR_SUCCESS : rv;
}

/* "VmRSS: N kB" and "Threads: N" of /proc/self/status. */
static void self_status(long *rss_kb, long *threads)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];

    *rss_kb = *threads = -1;
    if (f == NULL)
        return;
    while (fgets(line, sizeof(line), f) != NULL) {
        sscanf(line, "VmRSS: %ld", rss_kb);
        sscanf(line, "Threads: %ld", threads);
    }
    fclose(f);
}

#ifdef STRATA_BENCH_HAVE_UV
typedef struct uv_wreq_t {
    uv_write_t req;
    uv_buf_t buf;
} uv_wreq_t;

static void uv_alloc(uv_handle_t *h, size_t size, uv_buf_t *b)
{
    b->base = malloc(size);
    b->len = size;
}

static void uv_after_write(uv_write_t *req, int status)
{
    uv_wreq_t *w = (uv_wreq_t *)req;

    free(w->buf.base);
    free(w);
}

static void uv_free_handle(uv_handle_t *h)
{
    free(h);
}

static void uv_on_read(uv_stream_t *cl, ssize_t n, const uv_buf_t *buf)
{
    uv_wreq_t *w;

    if (n > 0) {
        w = malloc(sizeof(*w));
        w->buf = uv_buf_init(buf->base, (unsigned)n);
        uv_write(&w->req, cl, &w->buf, 1, uv_after_write);
        return;
    }
    if (n < 0)
        uv_close((uv_handle_t *)cl, uv_free_handle);
    free(buf->base);
}

static void uv_on_conn(uv_stream_t *srv, int status)
{
    uv_tcp_t *c = malloc(sizeof(*c));

    uv_tcp_init(srv->loop, c);
    if (uv_accept(srv, (uv_stream_t *)c) == 0)
        uv_read_start((uv_stream_t *)c, uv_alloc, uv_on_read);
    else
        uv_close((uv_handle_t *)c, uv_free_handle);
}

static apr_port_t uv_serve(uv_loop_t *loop, uv_tcp_t *srv)
{
    struct sockaddr_in a;
    struct sockaddr_storage got;
    int len = sizeof(got);

    uv_ip4_addr("127.0.0.1", 0, &a);
    uv_tcp_init(loop, srv);
    uv_tcp_bind(srv, (const struct sockaddr *)&a, 0);
    if (uv_listen((uv_stream_t *)srv, 511, uv_on_conn) != 0)
        return 0;
    uv_tcp_getsockname(srv, (struct sockaddr *)&got, &len);
    return ntohs(((struct sockaddr_in *)&got)->sin_port);
}
#endif

/* In the child: run a server of @kind until @ctl closes. */
static void child_serve(srv_kind_t kind, int conns, int ready, int ctl)
{
    apr_pool_t *pool;
    strata_tcp_server_opts_t o;
    strata_tcp_server_t *srv;
    strata_executor_t *ex;
    strata_tcp_server_stats_t st;
    char msg[256], b;
    long rss0, thr0, rss, thr;
    int i;

    apr_initialize();
    apr_pool_create(&pool, NULL);
#ifdef STRATA_BENCH_HAVE_UV
    if (kind == SRV_UV) {
        uv_loop_t *loop = uv_default_loop();
        uv_tcp_t usrv;
        apr_port_t port = uv_serve(loop, &usrv);

        snprintf(msg, sizeof(msg), "%u", (unsigned)port);
        if (write(ready, msg, sizeof(msg)) < 0)
            _exit(1);
        uv_run(loop, UV_RUN_DEFAULT);  /* until the parent kills us */
        _exit(0);
    }
#endif
    memset(&o, 0, sizeof(o));
    o.host = "127.0.0.1";
    o.reactors = (int)bench_env_size("STRATA_BENCH_NET_REACTORS", 0);
    o.max_conns = 20000;
    if (kind == SRV_STREAM) {
        if (strata_executor_create(&ex, (apr_size_t)(conns > 1024 ? 1024 : conns),
                                   pool) != APR_SUCCESS)
            _exit(1);
        o.on_stream = echo_stream;
        o.executor = ex;
    } else {
        o.on_event = strata_tcp_echo_event;
    }
    self_status(&rss0, &thr0);
    if (strata_tcp_server_start(&srv, &o, pool) != APR_SUCCESS)
        _exit(1);
    snprintf(msg, sizeof(msg), "%u", (unsigned)strata_tcp_server_port(srv));
    if (write(ready, msg, sizeof(msg)) < 0)
        _exit(1);
    if (kind == SRV_IDLE) {
        /* Wait for the idle clients, then say what they cost. */
        for (i = 0; i < 600; i++) {
            strata_tcp_server_stats(srv, &st);
            if (st.active >= (apr_uint64_t)conns)
                break;
            apr_sleep(apr_time_from_msec(100));
        }
        apr_sleep(apr_time_from_msec(200));
        self_status(&rss, &thr);
        strata_tcp_server_stats(srv, &st);
        snprintf(msg, sizeof(msg), "%lu %ld %ld %ld %ld",
                 (unsigned long)st.active, rss0, rss, thr0, thr);
        if (write(ready, msg, sizeof(msg)) < 0)
            _exit(1);
    }
    while (read(ctl, &b, 1) > 0)
        ;
    _exit(0);
}

static int child_start(child_t *c, srv_kind_t kind, int conns)
{
    int rp[2], cp[2];
    char msg[256];

    if (pipe(rp) != 0 || pipe(cp) != 0)
        return -1;
    fflush(stdout);
    if ((c->pid = fork()) == 0) {
        close(rp[0]);
        close(cp[1]);
        child_serve(kind, conns, rp[1], cp[0]);
    }
    close(rp[1]);
    close(cp[0]);
    c->ctl = cp[1];
    c->ready = rp[0];
    if (read(rp[0], msg, sizeof(msg)) != (ssize_t)sizeof(msg))
        return -1;
    c->port = (apr_port_t)atoi(msg);
    return c->port != 0 ? 0 : -1;
}

static void child_stop(child_t *c)
{
    int st;

    close(c->ctl);
    close(c->ready);
    kill(c->pid, SIGTERM);
    waitpid(c->pid, &st, 0);
}

/* Run the load generator in its own process; round trips per second. */
static double load(apr_port_t port, int conns, double seconds)
{
    int p[2], st;
    double v = -1;
    pid_t pid;

    if (pipe(p) != 0)
        return -1;
    fflush(stdout);
    if ((pid = fork()) == 0) {
        close(p[0]);
        apr_initialize();
        v = loadgen_echo(port, conns, 64, 0.2, seconds);
        if (write(p[1], &v, sizeof(v)) < 0)
            _exit(1);
        _exit(0);
    }
    close(p[1]);
    if (read(p[0], &v, sizeof(v)) != (ssize_t)sizeof(v))
        v = -1;
    close(p[0]);
    waitpid(pid, &st, 0);
    return v;
}

/* ---- 2. echo servers ----------------------------------------------------------------- */

static void bench_echo(int conns, int reps, double seconds)
{
    child_t ev, sm, uv;
    double e[MAX_REPS], s[MAX_REPS], u1[MAX_REPS], u2[MAX_REPS];
    char name[64];
    int i;

    if (child_start(&ev, SRV_EVENT, conns) != 0
        || child_start(&sm, SRV_STREAM, conns) != 0
        || child_start(&uv, SRV_UV, conns) != 0) {
        printf("SKIP echo_%d: a server did not start\n", conns);
        return;
    }
    for (i = 0; i < reps; i++) {
        /* Alternate which side goes first. */
        if (i % 2 == 0) {
            e[i] = load(ev.port, conns, seconds);
            u1[i] = load(uv.port, conns, seconds);
            s[i] = load(sm.port, conns, seconds);
            u2[i] = load(uv.port, conns, seconds);
        } else {
            u1[i] = load(uv.port, conns, seconds);
            e[i] = load(ev.port, conns, seconds);
            u2[i] = load(uv.port, conns, seconds);
            s[i] = load(sm.port, conns, seconds);
        }
    }
    snprintf(name, sizeof(name), "echo_event_%d_conns", conns);
    row(name, "msg/s", e, u1, reps, "libuv", 1.2);
    snprintf(name, sizeof(name), "echo_stream_%d_conns", conns);
    row(name, "msg/s", s, u2, reps, "libuv", 0.8);
    child_stop(&ev);
    child_stop(&sm);
    child_stop(&uv);
}

/* ---- 3. idle connections ------------------------------------------------------------- */

static void bench_idle(int conns)
{
    child_t srv;
    unsigned long active = 0;
    long rss0 = -1, rss = -1, thr0 = -1, thr = -1;
    int rp[2], wp[2], st;
    char b, msg[256];
    pid_t pid;

    {
        struct rlimit rl;     /* each side holds conns descriptors */

        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
            && (rlim_t)conns + 64 > rl.rlim_cur) {
            printf("INFO idle: descriptor limit %lu, %d connections instead of %d\n",
                   (unsigned long)rl.rlim_cur, (int)rl.rlim_cur - 64, conns);
            conns = (int)rl.rlim_cur - 64;
        }
    }
    if (child_start(&srv, SRV_IDLE, conns) != 0) {
        printf("SKIP idle: the server did not start\n");
        return;
    }
    if (pipe(rp) != 0 || pipe(wp) != 0)
        return;
    fflush(stdout);
    if ((pid = fork()) == 0) {           /* the clients */
        close(rp[0]);
        close(wp[1]);
        apr_initialize();
        loadgen_idle(srv.port, conns, rp[1], wp[0]);
        _exit(0);
    }
    close(rp[1]);
    close(wp[0]);
    if (read(rp[0], &b, 1) == 1
        && read(srv.ready, msg, sizeof(msg)) == (ssize_t)sizeof(msg))
        sscanf(msg, "%lu %ld %ld %ld %ld", &active, &rss0, &rss, &thr0, &thr);
    close(wp[1]);                        /* let the clients go */
    waitpid(pid, &st, 0);
    close(rp[0]);
    child_stop(&srv);
    printf("ROW %-28s connections=%lu  rss=%.1f MiB (%.1f MiB before, %.0f bytes"
           "/conn)  threads=%ld (%ld before start)  target: rss<64 MiB %s\n",
           "idle_event_connections", active, rss / 1024.0, rss0 / 1024.0,
           active > 0 ? (rss - rss0) * 1024.0 / (double)active : 0.0, thr, thr0,
           rss >= 0 && rss < 64 * 1024 && active == (unsigned long)conns
           ? "ok" : "BELOW");
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool;
    int reps = (int)bench_env_size("STRATA_BENCH_NET_REPS", 5);
    double seconds = (double)bench_env_size("STRATA_BENCH_NET_MS", 1000) / 1000;
    int idle = (int)bench_env_size("STRATA_BENCH_NET_IDLE", 10000);
    const char *only = getenv("STRATA_BENCH_NET_ONLY");

    if (reps > MAX_REPS)
        reps = MAX_REPS;
    if (reps < 1)
        reps = 1;
    signal(SIGPIPE, SIG_IGN);
    /* The children are forked before this process makes any thread. */
    if (only == NULL || strcmp(only, "echo") == 0) {
#ifdef STRATA_BENCH_HAVE_UV
        bench_echo(100, reps, seconds);
        bench_echo(1000, reps, seconds);
#else
        printf("SKIP echo rows: built without libuv (libuv1-dev)\n");
#endif
    }
    if (only == NULL || strcmp(only, "idle") == 0)
        bench_idle(idle);
    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    if (only == NULL || strcmp(only, "raw") == 0)
        bench_stream_vs_raw(reps, pool);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}

#else

int main(void)
{
    printf("SKIP bench_net: POSIX only (fork, /proc)\n");
    return 0;
}

#endif
