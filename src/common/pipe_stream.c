/*
 * pipe_stream.c -- the blocking stream views of a pipe's two ends.
 *
 * The reader view waits on p->readable until there is data or an end; the
 * writer view waits on p->writable while the pipe is paused.  Both then use
 * the non-blocking calls, so the waking rules live in pipe.c/pipe_read.c:
 * every publish signals a waiting reader, every consume that drops below
 * the resume threshold signals a waiting writer, and closing either end
 * broadcasts to both.
 */
#include "strata_private.h"
#include "strata_pipe_private.h"

typedef struct pipe_end_t {
    strata_stream_t base;        /* must be first */
    strata_pipe_t *p;
    /* Writer view, writer's thread only: an outstanding reserve. */
    int reserved;
    apr_size_t grant;            /* bytes reserved from the meters' quotas */
    apr_size_t cap;              /* what the reserve handed out */
} pipe_end_t;

static const strata_stream_type_t writer_type;

static apr_time_t deadline_of(const strata_pipe_t *p)
{
    return p->timeout > 0 ? apr_time_now() + p->timeout : 0;
}

static apr_status_t reader_read(strata_stream_t *s, void *buf, apr_size_t len,
                                apr_size_t *n)
{
    strata_pipe_t *p = ((pipe_end_t *)s)->p;
    apr_time_t deadline = 0;
    apr_status_t rv = APR_SUCCESS;

    if (len == 0)
        return APR_SUCCESS;
    apr_thread_mutex_lock(p->lock);
#define READER_WAITS (p->unread == 0 && !p->wclosed && !p->rclosed)
    while (READER_WAITS) {
        if (deadline == 0)
            deadline = deadline_of(p);
        rv = strata__pipe_wait(p, 1, deadline);
        if (rv != APR_SUCCESS && READER_WAITS)
            break;               /* timed out (or failed) with nothing new */
        rv = APR_SUCCESS;
    }
#undef READER_WAITS
    apr_thread_mutex_unlock(p->lock);
    if (rv != APR_SUCCESS)
        return rv;
    return strata__pipe_read_atmost(p, buf, len, n);
}

static apr_status_t reader_close(strata_stream_t *s)
{
    return strata_pipe_close_reader(((pipe_end_t *)s)->p);
}

/* Wait while the pipe is paused (up to its timeout); then *room is what
 * may be added before pause_threshold, 0 if an end is closed. */
static apr_status_t writer_wait(strata_pipe_t *p, apr_size_t *room)
{
    apr_time_t deadline = 0;
    apr_status_t rv = APR_SUCCESS;

    *room = 0;
    apr_thread_mutex_lock(p->lock);
#define WRITER_WAITS (p->paused && !p->rclosed && !p->wclosed)
    while (WRITER_WAITS) {
        if (deadline == 0)
            deadline = deadline_of(p);
        rv = strata__pipe_wait(p, 0, deadline);
        if (rv != APR_SUCCESS && WRITER_WAITS)
            break;               /* timed out (or failed), still paused */
        rv = APR_SUCCESS;
    }
#undef WRITER_WAITS
    if (rv == APR_SUCCESS && !p->rclosed && !p->wclosed)
        *room = p->pause - p->unread;    /* not paused: unread < pause */
    apr_thread_mutex_unlock(p->lock);
    return rv;
}

static apr_status_t writer_write(strata_stream_t *s, const void *buf,
                                 apr_size_t len, apr_size_t *n)
{
    strata_pipe_t *p = ((pipe_end_t *)s)->p;
    apr_size_t room;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    if ((rv = writer_wait(p, &room)) != APR_SUCCESS)
        return rv;
    if (len > room)
        len = room;
    if (len == 0)
        return STRATA_ECLOSED;
    if ((rv = strata__pipe_put(p, buf, len)) == APR_SUCCESS)
        *n = len;
    return rv;
}

/* Drop an outstanding reserve: its quota goes back, it was not an op. */
static void writer_unreserve(pipe_end_t *e)
{
    if (e->reserved) {
        e->reserved = 0;
        strata__io_cancel(&e->base, STRATA__DIR_WRITE, e->grant);
    }
}

apr_status_t strata_pipe_writer_reserve(strata_stream_t *w,
                                        apr_size_t sizehint, void **buf,
                                        apr_size_t *cap)
{
    pipe_end_t *e = (pipe_end_t *)w;
    apr_size_t room, want, grant, got;
    void *b;
    apr_status_t rv;

    if (buf == NULL || cap == NULL)
        return APR_EINVAL;
    *buf = NULL;
    *cap = 0;
    if (w == NULL || w->type != &writer_type)
        return APR_EINVAL;
    writer_unreserve(e);
    if (sizehint == 0)
        sizehint = 1;
    if ((rv = strata__io_begin(w, STRATA__DIR_WRITE, sizehint, &grant))
        != APR_SUCCESS)
        return rv;
    strata__io_cancel(w, STRATA__DIR_WRITE, grant);    /* checks passed */
    if ((rv = writer_wait(e->p, &room)) != APR_SUCCESS)
        return rv;
    if (room == 0)
        return STRATA_ECLOSED;
    want = room > sizehint ? room : sizehint;
    if ((rv = strata__io_begin(w, STRATA__DIR_WRITE, want, &grant))
        != APR_SUCCESS)
        return rv;
    rv = strata_pipe_get_buffer(e->p, grant < sizehint ? grant : sizehint,
                                &b, &got);
    if (rv != APR_SUCCESS) {
        strata__io_cancel(w, STRATA__DIR_WRITE, grant);
        return rv;
    }
    e->reserved = 1;
    e->grant = grant;
    e->cap = got < grant ? got : grant;
    *buf = b;
    *cap = e->cap;
    return APR_SUCCESS;
}

apr_status_t strata_pipe_writer_commit(strata_stream_t *w, apr_size_t n)
{
    pipe_end_t *e = (pipe_end_t *)w;
    apr_status_t rv;

    if (w == NULL || w->type != &writer_type)
        return APR_EINVAL;
    if (!e->reserved)
        return STRATA_ESTATE;
    if (n > e->cap)
        return APR_EINVAL;
    if (n == 0) {
        writer_unreserve(e);
        return strata_pipe_commit(e->p, 0) == STRATA_ECLOSED ? STRATA_ECLOSED
                                                              : APR_SUCCESS;
    }
    e->reserved = 0;
    rv = strata_pipe_commit(e->p, n);
    strata__io_end(w, STRATA__DIR_WRITE, e->grant, rv == APR_SUCCESS ? n : 0);
    return rv;
}

static apr_status_t writer_shutdown(strata_stream_t *s)
{
    writer_unreserve((pipe_end_t *)s);
    return strata_pipe_close_writer(((pipe_end_t *)s)->p, APR_SUCCESS);
}

/* Close after shutdown does nothing; a failed or aborted writer stream is
 * closed without shutdown, so its end closes here with the failure, which
 * the reader gets after the data instead of a clean APR_EOF. */
static apr_status_t writer_close(strata_stream_t *s)
{
    apr_status_t why = strata_stream_failed(s);

    return strata_pipe_close_writer(((pipe_end_t *)s)->p,
                                    why != APR_SUCCESS ? why : APR_SUCCESS);
}

static apr_status_t writer_flush(strata_stream_t *s, int mode)
{
    return APR_SUCCESS;
}

static const strata_stream_type_t reader_type = {
    STRATA_STREAM_TYPE_VERSION, "pipe-reader", STRATA_CAP_READ,
    sizeof(pipe_end_t),
    reader_read, NULL, NULL, NULL, NULL, reader_close, NULL
};

static const strata_stream_type_t writer_type = {
    STRATA_STREAM_TYPE_VERSION, "pipe-writer", STRATA_CAP_WRITE,
    sizeof(pipe_end_t),
    NULL, writer_write, writer_flush, NULL, writer_shutdown, writer_close,
    NULL
};

static apr_status_t end_create(strata_pipe_t *p, const strata_stream_type_t *t,
                               apr_pool_t *pool, strata_stream_t **out)
{
    strata_stream_t *s;
    apr_status_t rv;

    if (p == NULL || pool == NULL || out == NULL)
        return APR_EINVAL;
    if ((rv = strata_stream_alloc(&s, t, NULL, 0, pool)) != APR_SUCCESS)
        return rv;
    ((pipe_end_t *)s)->p = p;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata_pipe_reader_stream(strata_stream_t **out,
                                       strata_pipe_t *p, apr_pool_t *pool)
{
    return end_create(p, &reader_type, pool, out);
}

apr_status_t strata_pipe_writer_stream(strata_stream_t **out,
                                       strata_pipe_t *p, apr_pool_t *pool)
{
    return end_create(p, &writer_type, pool, out);
}
