/*
 * stream.c -- the dispatcher: every public stream call checks its
 * arguments and the stream's state here, calls the type's method, checks
 * the result against the contract and counts it.  Types never meter.
 */
#include "strata_private.h"
#include <apr_atomic.h>
#include <string.h>

/* ---- lifecycle ----------------------------------------------------------- */

apr_status_t strata_stream_alloc(strata_stream_t **out,
                                 const strata_stream_type_t *type,
                                 strata_stream_t *inner, unsigned flags,
                                 apr_pool_t *pool)
{
    strata_stream_t *s;

    if (out == NULL || type == NULL || pool == NULL)
        return APR_EINVAL;
    if (type->version != STRATA_STREAM_TYPE_VERSION
        || type->size < sizeof(strata_stream_t) || type->name == NULL)
        return APR_EINVAL;
    s = apr_pcalloc(pool, type->size);
    s->type = type;
    s->pool = pool;
    s->inner = inner;
    s->flags = flags;
    s->caps = type->caps;
    *out = s;
    return APR_SUCCESS;
}

/* ---- failure ------------------------------------------------------------- */

void strata__stream_fail(strata_stream_t *s, apr_status_t rv)
{
    for (; s != NULL && rv != APR_SUCCESS; s = s->inner)
        if (s->failed == APR_SUCCESS)
            s->failed = rv;
}

apr_status_t strata__stack_failed(const strata_stream_t *s)
{
    for (; s != NULL; s = s->inner)
        if (s->failed != APR_SUCCESS)
            return s->failed;
    return APR_SUCCESS;
}

int strata__stream_aborted(const strata_stream_t *s)
{
    return s != NULL && (strata__st(s) & STRATA__ST_ABORTED) != 0;
}

apr_status_t strata_stream_failed(const strata_stream_t *s)
{
    return s != NULL ? s->failed : APR_SUCCESS;
}

/* "Nothing lost, call again": these never mark a stream failed. */
static int status_is_transient(apr_status_t rv)
{
    return APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv)
           || APR_STATUS_IS_TIMEUP(rv);
}

/* A write-side method failed with @rv: mark the stack unless transient. */
static apr_status_t write_side_result(strata_stream_t *s, apr_status_t rv)
{
    if (rv != APR_SUCCESS && !status_is_transient(rv))
        strata__stream_fail(s, rv);
    return rv;
}

apr_status_t strata__shutdown_inner(strata_stream_t *s, apr_status_t rv)
{
    if (rv != APR_SUCCESS) {
        strata__stream_fail(s, rv);
        return rv;
    }
    if ((s->flags & STRATA_OWN_INNER)
        && (strata_stream_caps(s->inner) & STRATA_CAP_WRITE))
        return strata_shutdown_write(s->inner);
    return strata_flush(s->inner, STRATA_FLUSH_BUFFERS);
}

static apr_status_t stream_shutdown(strata_stream_t *s)
{
    apr_status_t rv;

    if (strata__st(s) & STRATA__ST_WRITE_SHUT)
        return APR_SUCCESS;
    if (s->type->shutdown_write != NULL)
        rv = s->type->shutdown_write(s);
    else
        rv = strata_flush(s, STRATA_FLUSH_BUFFERS);
    /* Shut even on failure: a half-written trailer must not be retried.
     * Any failure here (EAGAIN included) leaves the output incomplete. */
    strata__st_set(s, STRATA__ST_WRITE_SHUT);
    if (rv != APR_SUCCESS)
        strata__stream_fail(s, rv);
    return rv;
}

/* The pool cleanup, also run by strata_close(). */
static apr_status_t stream_cleanup(void *data)
{
    strata_stream_t *s = data;
    apr_status_t rv = APR_SUCCESS, rv2;

    if (strata__st(s) & (STRATA__ST_CLOSING | STRATA__ST_CLOSED))
        return APR_SUCCESS;
    strata__st_set(s, STRATA__ST_CLOSING);
    /* A failed stack is not finished: no flush, no trailer, nothing
     * published below (the failure travels down to the base). */
    if ((s->caps & STRATA_CAP_WRITE) && strata__stack_failed(s) == APR_SUCCESS)
        rv = stream_shutdown(s);
    if ((rv2 = strata__stack_failed(s)) != APR_SUCCESS)
        strata__stream_fail(s, rv2);
    if (s->type->close != NULL) {
        rv2 = s->type->close(s);
        if (rv == APR_SUCCESS)
            rv = rv2;
    }
    if ((s->flags & STRATA_OWN_INNER) && s->inner != NULL) {
        if (strata__st(s) & STRATA__ST_EXPLICIT)
            rv2 = strata_close(s->inner);
        else  /* pool cleanup: close the inner the same way */
            rv2 = apr_pool_cleanup_run(s->inner->pool, s->inner, stream_cleanup);
        if (rv == APR_SUCCESS)
            rv = rv2;
    }
    strata__st_change(s, STRATA__ST_CLOSING, STRATA__ST_CLOSED);
    if (strata__st(s) & STRATA__ST_ABORTED)
        return rv == STRATA_EABORTED ? APR_SUCCESS : rv;
    if (rv == APR_SUCCESS)
        rv = s->failed;
    return rv;
}

void strata_stream_ready(strata_stream_t *s)
{
    strata__st_set(s, STRATA__ST_READY);
    apr_pool_cleanup_register(s->pool, s, stream_cleanup,
                              apr_pool_cleanup_null);
}

void strata__stream_take_inner(strata_stream_t *s)
{
    s->flags |= STRATA_OWN_INNER;
}

int strata_stream_closing_explicitly(const strata_stream_t *s)
{
    return (strata__st(s) & STRATA__ST_EXPLICIT) != 0;
}

apr_status_t strata_close(strata_stream_t *s)
{
    if (s == NULL || !(strata__st(s) & STRATA__ST_READY))
        return APR_EINVAL;
    if (strata__st(s) & (STRATA__ST_CLOSING | STRATA__ST_CLOSED))
        return APR_SUCCESS;
    strata__st_set(s, STRATA__ST_EXPLICIT);
    return apr_pool_cleanup_run(s->pool, s, stream_cleanup);
}

static void stack_mark_aborted(strata_stream_t *s)
{
    strata__stream_fail(s, STRATA_EABORTED);
    for (; s != NULL; s = (s->flags & STRATA_OWN_INNER) ? s->inner : NULL)
        strata__st_set(s, STRATA__ST_ABORTED);
}

apr_status_t strata_abort(strata_stream_t *s)
{
    if (s == NULL || !(strata__st(s) & STRATA__ST_READY))
        return APR_EINVAL;
    if (strata__st(s) & (STRATA__ST_CLOSING | STRATA__ST_CLOSED))
        return STRATA_ECLOSED;
    stack_mark_aborted(s);
    return strata_close(s);
}

/* ---- checks and metering -------------------------------------------------- */

static apr_status_t stream_check(const strata_stream_t *s, unsigned cap)
{
    if (s == NULL || !(strata__st(s) & STRATA__ST_READY))
        return APR_EINVAL;
    if (strata__st(s) & STRATA__ST_CLOSED)
        return STRATA_ECLOSED;
    if ((s->caps & cap) != cap)
        return STRATA_ENOTSUP;
    return APR_SUCCESS;
}

apr_status_t strata__io_begin(strata_stream_t *s, int dir, apr_size_t want,
                              apr_size_t *grant)
{
    unsigned cap = dir == STRATA__DIR_READ ? STRATA_CAP_READ : STRATA_CAP_WRITE;
    apr_uint64_t g = want, got[STRATA_STREAM_MAX_METERS];
    apr_status_t rv;
    int i, j;

    *grant = 0;
    if ((rv = stream_check(s, cap)) != APR_SUCCESS)
        return rv;
    if (dir == STRATA__DIR_WRITE && (strata__st(s) & STRATA__ST_WRITE_SHUT))
        return STRATA_ECLOSED;
    for (i = 0; i < STRATA_STREAM_MAX_METERS && s->meters[i] != NULL; i++) {
        rv = strata__meter_reserve(s->meters[i], dir, g, &got[i]);
        if (rv != APR_SUCCESS) {
            for (j = 0; j < i; j++)
                strata__meter_release(s->meters[j], dir, got[j]);
            return rv;
        }
        if (got[i] < g)
            g = got[i];
    }
    /* Give back what earlier meters reserved beyond the final grant. */
    for (j = 0; j < i; j++)
        strata__meter_release(s->meters[j], dir, got[j] - g);
    *grant = (apr_size_t)g;
    return APR_SUCCESS;
}

void strata__io_end(strata_stream_t *s, int dir, apr_size_t grant,
                    apr_size_t moved)
{
    int i;

    if (dir == STRATA__DIR_READ) {
        strata__counter_add(&s->read_ops, 1);
        strata__counter_add(&s->read_bytes, moved);
    } else {
        strata__counter_add(&s->write_ops, 1);
        strata__counter_add(&s->write_bytes, moved);
    }
    for (i = 0; i < STRATA_STREAM_MAX_METERS && s->meters[i] != NULL; i++) {
        strata__meter_count(s->meters[i], dir, moved);
        strata__meter_release(s->meters[i], dir, grant - moved);
    }
}

void strata__io_cancel(strata_stream_t *s, int dir, apr_size_t grant)
{
    int i;

    for (i = 0; i < STRATA_STREAM_MAX_METERS && s->meters[i] != NULL; i++)
        strata__meter_release(s->meters[i], dir, grant);
}

/* ---- the calls ------------------------------------------------------------ */

apr_status_t strata_read(strata_stream_t *s, void *buf, apr_size_t len,
                         apr_size_t *nread)
{
    apr_size_t grant, n = 0;
    apr_status_t rv;

    if (nread == NULL)
        return APR_EINVAL;
    *nread = 0;
    if (buf == NULL && len > 0)
        return APR_EINVAL;
    if ((rv = strata__io_begin(s, STRATA__DIR_READ, len, &grant)) != APR_SUCCESS)
        return rv;
    if (s->type->read == NULL) {     /* never reached a method: no op */
        strata__io_cancel(s, STRATA__DIR_READ, grant);
        return STRATA_ENOTSUP;
    }
    rv = s->type->read(s, buf, grant, &n);
    if (n > grant) {
        n = 0;
        rv = STRATA_EBADSTREAM;
    } else if (n > 0) {
        rv = APR_SUCCESS;            /* data never comes with an error */
    } else if (rv == APR_SUCCESS && grant > 0) {
        rv = STRATA_EBADSTREAM;      /* "success, 0 bytes" would spin callers */
    }
    strata__io_end(s, STRATA__DIR_READ, grant, n);
    *nread = n;
    return rv;
}

apr_status_t strata_write(strata_stream_t *s, const void *buf, apr_size_t len,
                          apr_size_t *nwritten)
{
    apr_size_t grant, n = 0;
    apr_status_t rv;

    if (nwritten == NULL)
        return APR_EINVAL;
    *nwritten = 0;
    if (buf == NULL && len > 0)
        return APR_EINVAL;
    rv = strata__io_begin(s, STRATA__DIR_WRITE, len, &grant);
    if (rv == STRATA_EQUOTA)         /* the write cannot be done: failed */
        strata__stream_fail(s, rv);
    if (rv != APR_SUCCESS)
        return rv;
    if (s->type->write == NULL) {    /* never reached a method: no op */
        strata__io_cancel(s, STRATA__DIR_WRITE, grant);
        return STRATA_ENOTSUP;
    }
    rv = s->type->write(s, buf, grant, &n);
    if (n > grant) {
        n = grant;                   /* cannot un-write; report the breach */
        rv = STRATA_EBADSTREAM;
    } else if (rv == APR_SUCCESS && n == 0 && grant > 0) {
        rv = STRATA_EBADSTREAM;
    }
    strata__io_end(s, STRATA__DIR_WRITE, grant, n);
    *nwritten = n;
    return write_side_result(s, rv);
}

apr_status_t strata_read_exact(strata_stream_t *s, void *buf, apr_size_t len,
                               apr_size_t *nread)
{
    char *p = buf;
    apr_size_t total = 0, n;
    apr_status_t rv = APR_SUCCESS;

    if (nread != NULL)
        *nread = 0;
    if (buf == NULL && len > 0)
        return APR_EINVAL;
    while (total < len) {
        rv = strata_read(s, p + total, len - total, &n);
        total += n;
        if (rv == APR_SUCCESS || APR_STATUS_IS_EINTR(rv))
            continue;
        if (APR_STATUS_IS_EOF(rv) && total > 0)
            rv = STRATA_ETRUNCATED;
        break;
    }
    if (total == len)
        rv = APR_SUCCESS;
    if (nread != NULL)
        *nread = total;
    return rv;
}

apr_status_t strata_write_all(strata_stream_t *s, const void *buf,
                              apr_size_t len, apr_size_t *nwritten)
{
    const char *p = buf;
    apr_size_t total = 0, n;
    apr_status_t rv = APR_SUCCESS;

    if (nwritten != NULL)
        *nwritten = 0;
    if (buf == NULL && len > 0)
        return APR_EINVAL;
    if (len == 0)
        return strata_write(s, buf, 0, &n);
    while (total < len) {
        rv = strata_write(s, p + total, len - total, &n);
        total += n;
        if (rv == APR_SUCCESS || APR_STATUS_IS_EINTR(rv))
            continue;
        break;
    }
    if (total == len)
        rv = APR_SUCCESS;
    if (nwritten != NULL)
        *nwritten = total;
    return rv;
}

apr_status_t strata_flush(strata_stream_t *s, int mode)
{
    apr_status_t rv;

    if ((rv = stream_check(s, 0)) != APR_SUCCESS)
        return rv;
    if (mode < STRATA_FLUSH_BUFFERS || mode > STRATA_FLUSH_DURABLE)
        return APR_EINVAL;
    if (s->type->flush != NULL)
        return (s->caps & STRATA_CAP_WRITE)
               ? write_side_result(s, s->type->flush(s, mode))
               : s->type->flush(s, mode);
    if (s->inner != NULL)
        return strata_flush(s->inner, mode);
    return APR_SUCCESS;
}

apr_status_t strata_seek(strata_stream_t *s, apr_off_t offset, int where,
                         apr_off_t *newpos)
{
    apr_off_t pos = 0;
    apr_status_t rv;

    if (newpos != NULL)
        *newpos = 0;
    if ((rv = stream_check(s, STRATA_CAP_SEEK)) != APR_SUCCESS)
        return rv;
    if (where != APR_SET && where != APR_CUR && where != APR_END)
        return APR_EINVAL;
    if (where == APR_SET && offset < 0)
        return APR_EINVAL;
    if (s->type->seek == NULL)
        return STRATA_ENOTSUP;
    rv = s->type->seek(s, offset, where, &pos);
    if (rv == APR_SUCCESS && newpos != NULL)
        *newpos = pos;
    return rv;
}

apr_status_t strata_tell(strata_stream_t *s, apr_off_t *pos)
{
    if (pos == NULL)
        return APR_EINVAL;
    return strata_seek(s, 0, APR_CUR, pos);
}

apr_status_t strata_shutdown_write(strata_stream_t *s)
{
    apr_status_t rv;

    if ((rv = stream_check(s, STRATA_CAP_WRITE)) != APR_SUCCESS)
        return rv;
    return stream_shutdown(s);
}

apr_status_t strata_control(strata_stream_t *s, int op, void *arg)
{
    apr_status_t rv;

    if ((rv = stream_check(s, 0)) != APR_SUCCESS)
        return rv;
    if (s->type->control == NULL)
        return STRATA_ENOTSUP;
    return s->type->control(s, op, arg);
}

/* ---- accessors ------------------------------------------------------------ */

strata_stream_t *strata_stream_inner(const strata_stream_t *s)
{
    return s != NULL ? s->inner : NULL;
}

const char *strata_stream_name(const strata_stream_t *s)
{
    return s != NULL ? s->type->name : NULL;
}

unsigned strata_stream_caps(const strata_stream_t *s)
{
    return s != NULL ? s->caps : 0;
}

int strata_stream_is_closed(const strata_stream_t *s)
{
    return s != NULL && (strata__st(s) & STRATA__ST_CLOSED) != 0;
}

apr_pool_t *strata_stream_pool(const strata_stream_t *s)
{
    return s != NULL ? s->pool : NULL;
}

void strata_stream_counts(const strata_stream_t *s, strata_counts_t *out)
{
    strata_stream_t *m = (strata_stream_t *)s;   /* atomics take non-const */

    out->read_bytes = apr_atomic_read64(&m->read_bytes);
    out->read_ops = apr_atomic_read64(&m->read_ops);
    out->write_bytes = apr_atomic_read64(&m->write_bytes);
    out->write_ops = apr_atomic_read64(&m->write_ops);
}
