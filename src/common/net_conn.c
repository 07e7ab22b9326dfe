/*
 * net_conn.c -- a server connection: its pipes, the duplex stream a
 * stream handler sees ("tcp-conn"), the handler's task on the executor,
 * and the calls handlers make.
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include "strata_net_private.h"
#include <string.h>

/* ---- the duplex stream ------------------------------------------------------ */

typedef struct duplex_t {
    strata_stream_t base;        /* must be first */
    strata_tcp_conn_t *c;
    strata_stream_t *rd, *wr;    /* the pipes' blocking views */
} duplex_t;

static apr_status_t duplex_read(strata_stream_t *s, void *buf, apr_size_t len,
                                apr_size_t *n)
{
    return strata_read(((duplex_t *)s)->rd, buf, len, n);
}

static apr_status_t duplex_write(strata_stream_t *s, const void *buf,
                                 apr_size_t len, apr_size_t *n)
{
    duplex_t *d = (duplex_t *)s;
    apr_status_t rv = strata_write(d->wr, buf, len, n);
    apr_uint32_t k;

    /* The reactor closed the output pipe's reader: say why. */
    if (rv == STRATA_ECLOSED && (k = apr_atomic_read32(&d->c->killed)) != 0)
        rv = (apr_status_t)k;
    return rv;
}

static apr_status_t duplex_flush(strata_stream_t *s, int mode)
{
    return APR_SUCCESS;          /* the reactor sends as soon as it can */
}

static apr_status_t duplex_shutdown(strata_stream_t *s)
{
    return strata_shutdown_write(((duplex_t *)s)->wr);
}

static apr_status_t duplex_close(strata_stream_t *s)
{
    duplex_t *d = (duplex_t *)s;

    strata_close(d->rd);
    return strata_close(d->wr);
}

static const strata_stream_type_t duplex_type = {
    STRATA_STREAM_TYPE_VERSION, "tcp-conn", STRATA_CAP_READ | STRATA_CAP_WRITE,
    sizeof(duplex_t),
    duplex_read, duplex_write, duplex_flush, NULL, duplex_shutdown,
    duplex_close, NULL
};

/* ---- setup ---------------------------------------------------------------- */

/* The pipes' callbacks, on the stream handler's worker: tell the reactor. */
static void out_has_data(void *baton, strata_pipe_t *p, apr_size_t n)
{
    strata__reactor_push(baton);
}

static void in_has_room(void *baton, strata_pipe_t *p)
{
    strata__reactor_push(baton);
}

static apr_status_t make_duplex(strata_tcp_conn_t *c)
{
    strata_stream_t *s;
    duplex_t *d;
    apr_status_t rv;

    if ((rv = strata_stream_alloc(&s, &duplex_type, NULL, 0, c->pool))
            != APR_SUCCESS)
        return rv;
    d = (duplex_t *)s;
    d->c = c;
    if ((rv = strata_pipe_reader_stream(&d->rd, c->in, c->pool)) != APR_SUCCESS
        || (rv = strata_pipe_writer_stream(&d->wr, c->out, c->pool))
               != APR_SUCCESS)
        return rv;
    strata_stream_ready(s);
    if ((rv = strata_stream_attach_meter(s, c->srv->logical_meter))
            != APR_SUCCESS)
        return rv;
    strata_pipe_on_data(c->out, out_has_data, c);
    strata_pipe_on_writable(c->in, in_has_room, c);
    c->duplex = s;
    return APR_SUCCESS;
}

apr_status_t strata__conn_setup(strata_tcp_conn_t *c)
{
    strata_tcp_server_t *srv = c->srv;
    strata_pipe_opts_t po;
    apr_sockaddr_t *sa;
    apr_status_t rv;

    if ((rv = strata__socket_wrap_nb(&c->wire, c->sock, c->pool))
            != APR_SUCCESS)
        return rv;
    if ((rv = strata_stream_attach_meter(c->wire, srv->wire_meter))
            != APR_SUCCESS)
        return rv;
    memset(&po, 0, sizeof(po));
    po.chunks = srv->o.chunks;
    po.pause_threshold = srv->o.in_limit;
    if ((rv = strata_pipe_create(&c->in, &po, c->pool)) != APR_SUCCESS)
        return rv;
    po.pause_threshold = srv->o.out_limit;
    if ((rv = strata_pipe_create(&c->out, &po, c->pool)) != APR_SUCCESS)
        return rv;
    strata_sockaddr_format(strata_socket_addr(c->wire, 1), c->peer,
                           sizeof(c->peer));
    if ((sa = strata_socket_addr(c->wire, 0)) != NULL)
        c->local_port = sa->port;
    c->lmeters[0] = srv->logical_meter;
    if (srv->o.on_stream != NULL)
        return make_duplex(c);
    return APR_SUCCESS;
}

/* ---- stream handlers ---------------------------------------------------------- */

static apr_status_t stream_task(void *arg, void **result)
{
    strata_tcp_conn_t *c = arg;
    strata_tcp_server_t *srv = c->srv;
    apr_status_t rv;

    (void)result;
    /* Waiting for a worker was not idleness: the reactor starts the idle
     * timer now. */
    apr_atomic_set32(&c->running, 1);
    strata__reactor_push(c);
    rv = srv->o.on_stream(srv->o.baton, c, c->duplex);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv)) {
        apr_thread_mutex_lock(srv->lock);
        srv->st.failed++;
        apr_thread_mutex_unlock(srv->lock);
        strata__server_log(srv, c, "handler failed", rv);
    }
    /* What it wrote is sent, then FIN; what it did not read is dropped. */
    strata_close(c->duplex);
    strata__reactor_push_done(c, rv);    /* c is not ours after this */
    /* The future's status only tells "ran" from "cancelled"
     * (stream_task_done), whatever the handler returned. */
    return APR_SUCCESS;
}

/* Only for work the executor cancelled before it ran (its destroy with
 * STRATA_EXECUTOR_CANCEL): end the connection as stream_task would have. */
static void stream_task_done(strata_future_t *f, void *baton)
{
    strata_tcp_conn_t *c = baton;

    if (strata_future_status(f) == STRATA_ECANCELED) {
        strata_tcp_server_t *srv = c->srv;

        apr_thread_mutex_lock(srv->lock);
        srv->st.failed++;
        apr_thread_mutex_unlock(srv->lock);
        strata__server_log(srv, c, "handler cancelled", STRATA_ECANCELED);
        strata_close(c->duplex);
        strata__reactor_push_done(c, STRATA_ECANCELED);
    }
}

apr_status_t strata__conn_start_stream(strata_tcp_conn_t *c)
{
    strata_future_t *f;
    apr_status_t rv;

    c->handler_started = 1;      /* before the worker can see c */
    rv = strata_executor_submit(c->srv->o.executor, stream_task, c, &f);
    if (rv != APR_SUCCESS)
        return rv;
    /* c may be gone once the callback has run: nothing touches it after. */
    strata_future_then(f, stream_task_done, c);
    strata_future_release(f);
    return APR_SUCCESS;
}

/* ---- event handlers' logical counts ----------------------------------------------- */

static void count_logical(strata_tcp_conn_t *c, int dir, apr_uint64_t bytes)
{
    int i;

    if (dir == STRATA__DIR_READ) {
        c->logical.read_ops++;
        c->logical.read_bytes += bytes;
    } else {
        c->logical.write_ops++;
        c->logical.write_bytes += bytes;
    }
    for (i = 0; i < STRATA_STREAM_MAX_METERS && c->lmeters[i] != NULL; i++)
        strata__meter_count(c->lmeters[i], dir, bytes);
}

void strata__conn_count_logical(strata_tcp_conn_t *c)
{
    apr_uint64_t consumed;

    /* The reactor is the input pipe's reader: its counter is ours. */
    apr_thread_mutex_lock(c->in->lock);
    consumed = c->in->consumed;
    apr_thread_mutex_unlock(c->in->lock);
    if (consumed > c->consumed_seen) {
        count_logical(c, STRATA__DIR_READ, consumed - c->consumed_seen);
        c->consumed_seen = consumed;
    }
}

/* ---- the calls handlers make ------------------------------------------------------- */

strata_pipe_t *strata_tcp_conn_in(strata_tcp_conn_t *c)
{
    return c != NULL ? c->in : NULL;
}

apr_status_t strata_tcp_conn_write(strata_tcp_conn_t *c, const void *data,
                                   apr_size_t len)
{
    apr_status_t rv;

    if (c == NULL || (data == NULL && len > 0) || c->srv->o.on_event == NULL)
        return APR_EINVAL;
    if (c->dead || c->close_req)
        return STRATA_ECLOSED;
    if (strata_pipe_writer_paused(c->out)) {
        c->want_writable = 1;
        return APR_EAGAIN;
    }
    if ((rv = strata_pipe_write(c->out, data, len)) == APR_SUCCESS)
        count_logical(c, STRATA__DIR_WRITE, len);
    return rv;
}

apr_status_t strata_tcp_conn_close(strata_tcp_conn_t *c)
{
    if (c == NULL || c->srv->o.on_event == NULL)
        return APR_EINVAL;
    c->close_req = 1;
    return APR_SUCCESS;
}

const char *strata_tcp_conn_peer(strata_tcp_conn_t *c)
{
    return c != NULL ? c->peer : NULL;
}

apr_port_t strata_tcp_conn_local_port(strata_tcp_conn_t *c)
{
    return c != NULL ? c->local_port : 0;
}

apr_pool_t *strata_tcp_conn_pool(strata_tcp_conn_t *c)
{
    return c != NULL ? c->pool : NULL;
}

strata_tcp_server_t *strata_tcp_conn_server(strata_tcp_conn_t *c)
{
    return c != NULL ? c->srv : NULL;
}

int strata_tcp_conn_stopping(strata_tcp_conn_t *c)
{
    return c != NULL && apr_atomic_read32(&c->srv->stopping) != 0;
}

apr_status_t strata_tcp_conn_status(strata_tcp_conn_t *c)
{
    if (c == NULL)
        return APR_EINVAL;
    return (apr_status_t)apr_atomic_read32(&c->killed);
}

void strata_tcp_conn_set_data(strata_tcp_conn_t *c, void *data)
{
    if (c != NULL)
        c->user = data;
}

void *strata_tcp_conn_get_data(strata_tcp_conn_t *c)
{
    return c != NULL ? c->user : NULL;
}

apr_status_t strata_tcp_conn_attach_meter(strata_tcp_conn_t *c,
                                          strata_meter_t *wire,
                                          strata_meter_t *logical)
{
    apr_status_t rv = APR_SUCCESS;
    int i;

    if (c == NULL || (wire != NULL && c->handler_started))
        return APR_EINVAL;
    if (wire != NULL
        && (rv = strata_stream_attach_meter(c->wire, wire)) != APR_SUCCESS)
        return rv;
    if (logical == NULL)
        return APR_SUCCESS;
    if (c->duplex != NULL)
        return strata_stream_attach_meter(c->duplex, logical);
    for (i = 0; i < STRATA_STREAM_MAX_METERS; i++) {
        if (c->lmeters[i] == logical)
            return APR_SUCCESS;
        if (c->lmeters[i] == NULL) {
            c->lmeters[i] = logical;
            return APR_SUCCESS;
        }
    }
    return STRATA_ELIMIT;
}

void strata_tcp_conn_counts(strata_tcp_conn_t *c, strata_counts_t *wire,
                            strata_counts_t *logical)
{
    if (c == NULL)
        return;
    if (wire != NULL)
        strata_stream_counts(c->wire, wire);
    if (logical != NULL) {
        if (c->duplex != NULL)
            strata_stream_counts(c->duplex, logical);
        else
            *logical = c->logical;
    }
}
