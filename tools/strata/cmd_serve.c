/*
 * cmd_serve.c -- `strata serve`: an echo, discard, forwarding or file
 * server on strata's TCP server, one JSON line per finished connection (a
 * billing record), Prometheus metrics over HTTP, graceful stop on SIGINT /
 * SIGTERM.
 */
#include "tool.h"
#include "serve_http.h"
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <apr_thread_mutex.h>
#include <apr_atomic.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>

enum {
    SERVE_OPT_LISTEN = 256, SERVE_OPT_ECHO, SERVE_OPT_DISCARD,
    SERVE_OPT_FORWARD, SERVE_OPT_FILE, SERVE_OPT_METRICS, SERVE_OPT_LOG,
    SERVE_OPT_GRACE, SERVE_OPT_MAXCONNS, SERVE_OPT_IDLE, SERVE_OPT_WORKERS
};

static const tool_option_t serve_options[] = {
    { "listen",  SERVE_OPT_LISTEN, "HOST:PORT",
      "listen there (port 0: any free port, printed on standard error)" },
    { "echo",    SERVE_OPT_ECHO, NULL, "send back what each client sends" },
    { "discard", SERVE_OPT_DISCARD, NULL, "read and drop what clients send" },
    { "forward", SERVE_OPT_FORWARD, "HOST:PORT",
      "relay each connection to HOST:PORT, both ways" },
    { "file",    SERVE_OPT_FILE, "PATH", "send PATH to each client, then close" },
    { "metrics", SERVE_OPT_METRICS, "HOST:PORT",
      "serve GET /metrics (Prometheus text format) there" },
    { "log",     SERVE_OPT_LOG, "FILE",
      "append the JSON lines to FILE (default: standard output)" },
    { "grace",   SERVE_OPT_GRACE, "SECONDS",
      "on SIGINT/SIGTERM, let connections finish this long (default 5)" },
    { "max-conns", SERVE_OPT_MAXCONNS, "N",
      "at most N connections at once; more wait (default 10000)" },
    { "idle-timeout", SERVE_OPT_IDLE, "SECONDS",
      "close connections idle this long (default: never; for --metrics\n"
      "clients, and their request heads, 10)" },
    { "workers", SERVE_OPT_WORKERS, "N",
      "worker threads for --forward, one per relayed connection; more\n"
      "clients wait for one, in order (default 32)" },
    { "help",    'h', NULL, "show this help and exit" },
    { "version", 'V', NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL }
};

typedef enum { MODE_NONE, MODE_ECHO, MODE_DISCARD, MODE_FORWARD,
               MODE_FILE } serve_mode_t;

typedef struct serve_t {
    tool_ctx_t *ctx;
    serve_mode_t mode;
    const char *listen, *forward, *file, *metrics, *log;
    char *fwd_host;
    apr_port_t fwd_port;
    double grace, idle;
    apr_size_t max_conns, workers;
    apr_file_t *logf;
    apr_thread_mutex_t *loglock;
    strata_tcp_server_t *srv, *msrv;
    serve_http_t http;
} serve_t;

static volatile sig_atomic_t serve_signalled;

static void serve_on_signal(int sig)
{
    serve_signalled = sig;
}

/* Catch @a sig unless it was ignored when the tool started (a shell's
 * background job ignores SIGINT; keep it so, as signals.c does). */
static void serve_catch(int sig)
{
    if (signal(sig, serve_on_signal) == SIG_IGN)
        signal(sig, SIG_IGN);
}

static void serve_usage(apr_file_t *f)
{
    apr_file_puts(
        "usage: strata serve --listen HOST:PORT\n"
        "                    (--echo | --discard | --forward HOST:PORT | --file PATH)\n"
        "                    [--metrics HOST:PORT] [--log FILE] [--grace SECONDS]\n"
        "                    [--max-conns N] [--idle-timeout SECONDS]\n"
        "\n"
        "Serve TCP clients through metered streams.  Each finished connection\n"
        "writes one JSON line: peer, start, duration, wire and logical bytes\n"
        "and ops each way, and how it ended.  SIGINT or SIGTERM stops\n"
        "accepting, lets connections finish for the grace period, then cuts\n"
        "the rest.\n"
        "\n"
        "options:\n", f);
    tool_opts_print(f, serve_options);
}

/* ---- the JSON record ------------------------------------------------------ */

static void serve_counts_json(char *buf, apr_size_t len,
                              const strata_counts_t *c)
{
    apr_snprintf(buf, len,
                 "{\"read_bytes\":%" APR_UINT64_T_FMT
                 ",\"read_ops\":%" APR_UINT64_T_FMT
                 ",\"write_bytes\":%" APR_UINT64_T_FMT
                 ",\"write_ops\":%" APR_UINT64_T_FMT "}",
                 c->read_bytes, c->read_ops, c->write_bytes, c->write_ops);
}

static void serve_on_finish(void *baton, const strata_tcp_conn_info_t *info)
{
    serve_t *sv = baton;
    apr_time_exp_t tm;
    char wire[160], logical[160], err[120];

    apr_time_exp_gmt(&tm, info->start);
    serve_counts_json(wire, sizeof(wire), &info->wire);
    serve_counts_json(logical, sizeof(logical), &info->logical);
    strata_strerror(info->status, err, sizeof(err));
    apr_thread_mutex_lock(sv->loglock);
    apr_file_printf(sv->logf,
                    "{\"peer\":\"%s\",\"start\":\"%04d-%02d-%02dT%02d:%02d:"
                    "%02d.%06dZ\",\"duration_s\":%.6f,\"wire\":%s,"
                    "\"logical\":%s,\"end\":\"%s\",\"status\":\"%s\"}\n",
                    info->peer, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                    tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_usec,
                    (double)(info->end - info->start) / APR_USEC_PER_SEC,
                    wire, logical, info->how,
                    info->status == APR_SUCCESS ? "ok" : err);
    apr_file_flush(sv->logf);
    apr_thread_mutex_unlock(sv->loglock);
}

/* ---- discard (an event handler; echo is strata_tcp_echo_event) ------- */

static apr_status_t serve_discard(void *baton, strata_tcp_conn_t *c,
                                  unsigned ev)
{
    strata_pipe_t *in = strata_tcp_conn_in(c);
    apr_size_t n = strata_pipe_length(in);

    if (!(ev & STRATA_TCP_EV_CLOSE) && n > 0)
        strata_pipe_advance(in, n, n);
    return APR_SUCCESS;
}

/* ---- file (an event handler) and forward (a stream handler) ---------------- */

/* --file: an event handler, so a slow client holds no thread.  Each call
 * queues 16 KiB file chunks until the output is full (APR_EAGAIN:
 * EV_WRITABLE brings it back, also after the client's FIN) or the file
 * ends.  Its output bound is 64 KiB: the kernel's buffers hold the rest,
 * and a thousand stalled clients cost ~80 MB, not 320. */
#define SERVE_FILE_CHUNK 16384

typedef struct file_conn_t {
    strata_stream_t *f;          /* NULL once sent */
    char *buf;
    apr_size_t len;              /* read from f, not yet queued */
} file_conn_t;

static apr_status_t serve_file(void *baton, strata_tcp_conn_t *c, unsigned ev)
{
    serve_t *sv = baton;
    file_conn_t *fc = strata_tcp_conn_get_data(c);
    strata_pipe_t *in = strata_tcp_conn_in(c);
    apr_pool_t *pool = strata_tcp_conn_pool(c);
    apr_size_t n = strata_pipe_length(in);
    apr_status_t rv;

    if (ev & STRATA_TCP_EV_CLOSE)
        return APR_SUCCESS;      /* the file closes with the pool */
    if (n > 0)
        strata_pipe_advance(in, n, n);       /* what clients send: dropped */
    if (fc == NULL) {
        fc = apr_pcalloc(pool, sizeof(*fc));
        fc->buf = apr_palloc(pool, SERVE_FILE_CHUNK);
        strata_tcp_conn_set_data(c, fc);
        if ((rv = strata_file_open(&fc->f, sv->file, APR_FOPEN_READ,
                                   APR_FPROT_OS_DEFAULT, 0, pool))
                != APR_SUCCESS) {
            fc->f = NULL;
            return rv;
        }
    }
    while (fc->f != NULL) {
        if (fc->len == 0) {
            rv = strata_read(fc->f, fc->buf, SERVE_FILE_CHUNK, &fc->len);
            if (rv == APR_EOF) {
                strata_close(fc->f);
                fc->f = NULL;
                return strata_tcp_conn_close(c);   /* sent, then FIN */
            }
            if (rv != APR_SUCCESS)
                return rv;
        }
        rv = strata_tcp_conn_write(c, fc->buf, fc->len);
        if (rv == APR_EAGAIN || rv == STRATA_ECLOSED)
            return APR_SUCCESS;
        if (rv != APR_SUCCESS)
            return rv;
        fc->len = 0;
    }
    return APR_SUCCESS;
}

/* --forward: two pumps, client -> upstream on the worker, upstream ->
 * client on a thread of their own.  The upstream socket has short
 * timeouts so that a pump blocked on it looks up now and then whether the
 * relay is over (the other pump failed, or the server cut the client);
 * a silent upstream cannot hold a stop up. */
#define SERVE_FWD_TICK apr_time_from_msec(200)
#define SERVE_FWD_BUF 16384

typedef struct relay_t {
    strata_tcp_conn_t *c;
    strata_stream_t *client, *up;
    volatile apr_uint32_t over;  /* a pump failed: the other one stops */
    apr_status_t down_rv;
} relay_t;

static int relay_over(relay_t *r)
{
    return apr_atomic_read32(&r->over) != 0
           || strata_tcp_conn_status(r->c) != APR_SUCCESS;
}

/* Read from the upstream, waiting in ticks. */
static apr_status_t relay_read_up(relay_t *r, char *buf, apr_size_t *n)
{
    apr_status_t rv;

    while ((rv = strata_read(r->up, buf, SERVE_FWD_BUF, n)) == APR_TIMEUP)
        if (relay_over(r))
            return STRATA_ECUT;
    return rv;
}

/* Write all of @a buf to the upstream, waiting in ticks (a timed-out
 * send moved nothing: it is tried again). */
static apr_status_t relay_write_up(relay_t *r, const char *buf, apr_size_t len)
{
    apr_size_t n;
    apr_status_t rv;

    while (len > 0) {
        rv = strata_write(r->up, buf, len, &n);
        if (rv == APR_TIMEUP) {
            if (relay_over(r))
                return STRATA_ECUT;
            continue;
        }
        if (rv != APR_SUCCESS)
            return rv;
        buf += n;
        len -= n;
    }
    return APR_SUCCESS;
}

/* Upstream -> client, then the upstream's end (FIN) on to the client. */
static void *APR_THREAD_FUNC serve_down_thread(apr_thread_t *t, void *arg)
{
    relay_t *r = arg;
    char buf[SERVE_FWD_BUF];
    apr_size_t n;
    apr_status_t rv;

    while ((rv = relay_read_up(r, buf, &n)) == APR_SUCCESS
           && (rv = strata_write_all(r->client, buf, n, NULL)) == APR_SUCCESS)
        ;
    if (rv == APR_EOF) {
        rv = APR_SUCCESS;
        strata_shutdown_write(r->client);
    } else {
        apr_atomic_set32(&r->over, 1);
    }
    r->down_rv = rv;
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* Client -> upstream, then the client's end (FIN) on to the upstream. */
static apr_status_t serve_up(relay_t *r)
{
    char buf[SERVE_FWD_BUF];
    apr_size_t n;
    apr_status_t rv;

    while ((rv = strata_read(r->client, buf, sizeof(buf), &n)) == APR_SUCCESS
           && (rv = relay_write_up(r, buf, n)) == APR_SUCCESS)
        ;
    if (rv == APR_EOF) {
        strata_shutdown_write(r->up);
        return APR_SUCCESS;
    }
    apr_atomic_set32(&r->over, 1);
    return rv;
}

static apr_status_t serve_forward(void *baton, strata_tcp_conn_t *c,
                                  strata_stream_t *s)
{
    serve_t *sv = baton;
    apr_pool_t *pool = strata_tcp_conn_pool(c);
    strata_tcp_opts_t o;
    relay_t *r;
    apr_thread_t *th;
    apr_status_t rv, trv;

    memset(&o, 0, sizeof(o));
    o.connect_timeout = apr_time_from_sec(10);
    o.read_timeout = SERVE_FWD_TICK;
    o.write_timeout = SERVE_FWD_TICK;
    r = apr_pcalloc(pool, sizeof(*r));
    r->c = c;
    r->client = s;
    rv = strata_tcp_connect(&r->up, sv->fwd_host, sv->fwd_port, &o, pool);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = apr_thread_create(&th, NULL, serve_down_thread, r, pool))
            != APR_SUCCESS) {
        strata_close(r->up);
        return rv;
    }
    rv = serve_up(r);
    apr_thread_join(&trv, th);
    strata_close(r->up);
    /* A pump that stopped because the other failed reports STRATA_ECUT;
     * the first real failure is the one to report. */
    if (rv != APR_SUCCESS && !(rv == STRATA_ECUT && r->down_rv != APR_SUCCESS))
        return rv;
    return r->down_rv;
}

/* ---- metrics ------------------------------------------------------------------ */

static void serve_gauge(strata_stream_t *m, const char *name, const char *type,
                        const char *help, apr_uint64_t v)
{
    char line[256];

    apr_snprintf(line, sizeof(line),
                 "# HELP strata_serve_%s %s\n# TYPE strata_serve_%s %s\n"
                 "strata_serve_%s %" APR_UINT64_T_FMT "\n",
                 name, help, name, type, name, v);
    strata_write_all(m, line, strlen(line), NULL);
}

static apr_status_t serve_metrics_body(serve_t *sv, strata_stream_t *m)
{
    strata_meter_t *meters[2];
    strata_tcp_server_stats_t st;

    meters[0] = strata_tcp_server_wire_meter(sv->srv);
    meters[1] = strata_tcp_server_logical_meter(sv->srv);
    strata_tcp_server_stats(sv->srv, &st);
    serve_gauge(m, "connections_active", "gauge",
                "Connections open now.", st.active);
    serve_gauge(m, "connections_accepted_total", "counter",
                "Connections accepted.", st.accepted);
    serve_gauge(m, "connections_closed_total", "counter",
                "Connections that finished normally.", st.closed);
    serve_gauge(m, "connections_reset_total", "counter",
                "Connections reset by the peer.", st.reset);
    serve_gauge(m, "connections_idle_total", "counter",
                "Connections cut by the idle timeout.", st.idle);
    serve_gauge(m, "connections_cut_total", "counter",
                "Connections cut by a stop.", st.cut);
    serve_gauge(m, "connections_quota_total", "counter",
                "Connections ended by a spent quota.", st.quota);
    serve_gauge(m, "handler_failures_total", "counter",
                "Handlers that failed.", st.failed);
    return strata_meter_write_prometheus(m, meters, 2, "strata_serve");
}

static apr_status_t serve_metrics_http(void *baton, strata_stream_t *m)
{
    return serve_metrics_body(baton, m);
}

/* ---- the command ----------------------------------------------------------------- */

static int serve_parse(serve_t *sv, int argc, const char *const *argv)
{
    tool_ctx_t *ctx = sv->ctx;
    tool_opts_t *o = tool_opts_init("strata serve", argc, argv, serve_options,
                                    1, ctx->pool);
    const char *arg, *const *rest;
    char *end;
    int ch, rc;

    sv->grace = 5;
    sv->workers = 32;
    while ((rc = tool_opts_next(o, &ch, &arg)) == 1) {
        switch (ch) {
        case 'h': serve_usage(ctx->out); return -1;
        case 'V': tool_print_version(ctx); return -1;
        case SERVE_OPT_LISTEN: sv->listen = arg; break;
        case SERVE_OPT_ECHO: sv->mode = MODE_ECHO; break;
        case SERVE_OPT_DISCARD: sv->mode = MODE_DISCARD; break;
        case SERVE_OPT_FORWARD: sv->mode = MODE_FORWARD; sv->forward = arg; break;
        case SERVE_OPT_FILE: sv->mode = MODE_FILE; sv->file = arg; break;
        case SERVE_OPT_METRICS: sv->metrics = arg; break;
        case SERVE_OPT_LOG: sv->log = arg; break;
        case SERVE_OPT_GRACE:
        case SERVE_OPT_IDLE:
            *(ch == SERVE_OPT_GRACE ? &sv->grace : &sv->idle) = strtod(arg, &end);
            if (*end != '\0' || end == arg || strtod(arg, NULL) < 0) {
                tool_usage_error(ctx, "strata serve", "bad number of seconds '%s'", arg);
                return TOOL_EXIT_USAGE;
            }
            break;
        case SERVE_OPT_MAXCONNS:
        case SERVE_OPT_WORKERS:
            *(ch == SERVE_OPT_MAXCONNS ? &sv->max_conns : &sv->workers)
                = (apr_size_t)strtoul(arg, &end, 10);
            if (*end != '\0' || end == arg || arg[0] == '-' || strtoul(arg, NULL, 10) == 0) {
                tool_usage_error(ctx, "strata serve", "bad count '%s'", arg);
                return TOOL_EXIT_USAGE;
            }
            break;
        }
    }
    if (rc < 0) {
        apr_file_printf(ctx->err, "%s (see 'strata serve --help')\n",
                        tool_opts_error(o));
        return TOOL_EXIT_USAGE;
    }
    if (tool_opts_operands(o, &rest) != 0) {
        tool_usage_error(ctx, "strata serve", "unexpected operand '%s'", rest[0]);
        return TOOL_EXIT_USAGE;
    }
    if (sv->listen == NULL || sv->mode == MODE_NONE) {
        tool_usage_error(ctx, "strata serve",
                         "--listen and one of --echo, --discard, --forward, --file are needed");
        return TOOL_EXIT_USAGE;
    }
    if (sv->mode == MODE_FORWARD
        && (strata_parse_hostport(sv->forward, &sv->fwd_host, &sv->fwd_port,
                                  ctx->pool) != APR_SUCCESS
            || sv->fwd_host == NULL || sv->fwd_port == 0)) {
        tool_usage_error(ctx, "strata serve", "bad --forward '%s'", sv->forward);
        return TOOL_EXIT_USAGE;
    }
    if (sv->workers > 1024)
        sv->workers = 1024;
    return 0;
}

static int serve_start(serve_t *sv, strata_tcp_server_t **out,
                       const char *where, strata_tcp_server_opts_t *so)
{
    tool_ctx_t *ctx = sv->ctx;
    char *host;
    apr_port_t port;
    apr_status_t rv;

    if (strata_parse_hostport(where, &host, &port, ctx->pool) != APR_SUCCESS) {
        tool_usage_error(ctx, "strata serve", "bad address '%s'", where);
        return TOOL_EXIT_USAGE;
    }
    so->host = host;
    so->port = port;
    if ((rv = strata_tcp_server_start(out, so, ctx->pool)) != APR_SUCCESS) {
        tool_error(ctx, "cannot listen on %s: %s", where,
                   tool_strerror(rv, ctx->pool));
        return TOOL_EXIT_FAIL;
    }
    apr_file_printf(ctx->err, "strata serve: %s on %s:%u\n",
                    so->on_event == serve_http_event ? "metrics" : "listening",
                    host != NULL ? host : "*",
                    (unsigned)strata_tcp_server_port(*out));
    return 0;
}

int tool_cmd_serve(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    serve_t sv;
    strata_tcp_server_opts_t so;
    strata_executor_t *ex = NULL;
    strata_tcp_stop_report_t rep;
    apr_status_t rv;
    int rc;

    memset(&sv, 0, sizeof(sv));
    sv.ctx = ctx;
    if ((rc = serve_parse(&sv, argc, argv)) != 0)
        return rc < 0 ? TOOL_EXIT_OK : rc;
    sv.logf = ctx->out;
    if (sv.log != NULL
        && (rv = apr_file_open(&sv.logf, sv.log, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                               | APR_FOPEN_APPEND, APR_FPROT_OS_DEFAULT,
                               ctx->pool)) != APR_SUCCESS) {
        tool_error(ctx, "cannot open '%s': %s", sv.log, tool_strerror(rv, ctx->pool));
        return TOOL_EXIT_FAIL;
    }
    apr_thread_mutex_create(&sv.loglock, APR_THREAD_MUTEX_DEFAULT, ctx->pool);
    memset(&so, 0, sizeof(so));
    so.max_conns = sv.max_conns;
    so.idle_timeout = (apr_interval_time_t)(sv.idle * APR_USEC_PER_SEC);
    so.baton = &sv;
    so.on_finish = serve_on_finish;
    so.log = ctx->err;
    tool_signals_hold(1);   /* reactors and workers never take them */
    if (sv.mode == MODE_FILE) {
        strata_stream_t *f;

        /* Refuse a file that cannot be read now rather than fail every
         * connection. */
        if ((rv = strata_file_open(&f, sv.file, APR_FOPEN_READ,
                                   APR_FPROT_OS_DEFAULT, 0, ctx->pool))
                != APR_SUCCESS) {
            tool_error(ctx, "cannot open '%s': %s", sv.file,
                       tool_strerror(rv, ctx->pool));
            return TOOL_EXIT_FAIL;
        }
        strata_close(f);
    }
    if (sv.mode == MODE_FILE)    /* per client: the kernel's buffers do */
        so.out_limit = 4 * SERVE_FILE_CHUNK;        /* the rest */
    if (sv.mode != MODE_FORWARD) {
        so.on_event = sv.mode == MODE_ECHO ? strata_tcp_echo_event
                      : sv.mode == MODE_FILE ? serve_file : serve_discard;
    } else {
        if ((rv = strata_executor_create(&ex, sv.workers, ctx->pool))
                != APR_SUCCESS) {
            tool_error(ctx, "cannot start workers: %s", tool_strerror(rv, ctx->pool));
            return TOOL_EXIT_FAIL;
        }
        so.on_stream = serve_forward;
        so.executor = ex;
    }
    if ((rc = serve_start(&sv, &sv.srv, sv.listen, &so)) != 0)
        return rc;
    if (sv.metrics != NULL) {
        strata_tcp_server_opts_t mo;

        memset(&mo, 0, sizeof(mo));
        sv.http.path = "/metrics";
        sv.http.content_type = "text/plain; version=0.0.4; charset=utf-8";
        sv.http.body = serve_metrics_http;
        sv.http.baton = &sv;
        /* --idle-timeout bounds the metrics clients too (10 s without). */
        sv.http.head_timeout = so.idle_timeout > 0 ? so.idle_timeout
                                                   : apr_time_from_sec(10);
        mo.on_event = serve_http_event;
        mo.baton = &sv.http;
        mo.reactors = 1;
        mo.idle_timeout = sv.http.head_timeout;
        if ((rc = serve_start(&sv, &sv.msrv, sv.metrics, &mo)) != 0) {
            strata_tcp_server_stop(sv.srv, 0, NULL);
            return rc;
        }
    }
    serve_catch(SIGINT);
    serve_catch(SIGTERM);
#ifndef __linux__
    tool_signals_hold(0);
#endif
    while (!serve_signalled) {
        int sig = tool_signals_wait(50);

        if (sig != 0)
            serve_signalled = sig;
    }
    apr_file_printf(ctx->err, "strata serve: stopping (grace %.1fs)\n", sv.grace);
    strata_tcp_server_stop(sv.srv, (apr_interval_time_t)(sv.grace * APR_USEC_PER_SEC),
                           &rep);
    if (sv.msrv != NULL)
        strata_tcp_server_stop(sv.msrv, 0, NULL);
    if (ex != NULL)
        strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL);
    apr_file_printf(ctx->err,
                    "strata serve: stopped: %" APR_UINT64_T_FMT " open, %"
                    APR_UINT64_T_FMT " finished, %" APR_UINT64_T_FMT " cut\n",
                    rep.open, rep.finished, rep.cut);
    return TOOL_EXIT_OK;
}
