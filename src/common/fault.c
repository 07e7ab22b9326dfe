/*
 * fault.c -- the fault-injection stream (see strata/fault.h).
 */
#include "strata_private.h"
#include "strata/fault.h"

typedef struct fault_stream_t {
    strata_stream_t base;             /* must be first */
    strata_fault_opts_t o;
    apr_uint64_t reads, writes;
    int read_failed, write_failed;
} fault_stream_t;

static apr_status_t fault_status(const fault_stream_t *f)
{
    return f->o.fail_status ? f->o.fail_status : APR_EGENERAL;
}

/* Decide whether call number @count gets a fault instead of passing. */
static apr_status_t fault_pick(fault_stream_t *f, apr_uint64_t count,
                               apr_uint64_t fail_at, int *failed)
{
    if (*failed && f->o.fail_sticky)
        return fault_status(f);
    if (fail_at && count == fail_at) {
        *failed = 1;
        return fault_status(f);
    }
    if (f->o.eintr_every && count % f->o.eintr_every == 0)
        return APR_EINTR;
    if (f->o.eagain_every && count % f->o.eagain_every == 0)
        return APR_EAGAIN;
    return APR_SUCCESS;
}

/* The most one call may move. */
static apr_size_t fault_cap(const fault_stream_t *f, apr_size_t len)
{
    if (f->o.one_byte && len > 1)
        len = 1;
    if (f->o.max_io && len > f->o.max_io)
        len = f->o.max_io;
    return len;
}

static apr_status_t fault_read(strata_stream_t *s, void *buf, apr_size_t len,
                               apr_size_t *n)
{
    fault_stream_t *f = (fault_stream_t *)s;
    apr_status_t rv = fault_pick(f, ++f->reads, f->o.fail_read_at,
                                 &f->read_failed);

    if (rv != APR_SUCCESS)
        return rv;
    return strata_read(s->inner, buf, fault_cap(f, len), n);
}

static apr_status_t fault_write(strata_stream_t *s, const void *buf,
                                apr_size_t len, apr_size_t *n)
{
    fault_stream_t *f = (fault_stream_t *)s;
    apr_status_t rv = fault_pick(f, ++f->writes, f->o.fail_write_at,
                                 &f->write_failed);

    if (rv != APR_SUCCESS)
        return rv;
    return strata_write(s->inner, buf, fault_cap(f, len), n);
}

static apr_status_t fault_flush(strata_stream_t *s, int mode)
{
    fault_stream_t *f = (fault_stream_t *)s;

    if (f->o.fail_flush)
        return fault_status(f);
    return strata_flush(s->inner, mode);
}

static apr_status_t fault_seek(strata_stream_t *s, apr_off_t offset,
                               int where, apr_off_t *newpos)
{
    return strata_seek(s->inner, offset, where, newpos);
}

static apr_status_t fault_shutdown(strata_stream_t *s)
{
    apr_status_t rv = fault_flush(s, STRATA_FLUSH_BUFFERS);

    if (rv != APR_SUCCESS)
        return rv;
    if (strata_stream_caps(s->inner) & STRATA_CAP_WRITE)
        return strata_shutdown_write(s->inner);
    return APR_SUCCESS;
}

static apr_status_t fault_close(strata_stream_t *s)
{
    fault_stream_t *f = (fault_stream_t *)s;

    return f->o.fail_close ? fault_status(f) : APR_SUCCESS;
}

static apr_status_t fault_control(strata_stream_t *s, int op, void *arg)
{
    return strata_control(s->inner, op, arg);
}

static const strata_stream_type_t fault_type = {
    STRATA_STREAM_TYPE_VERSION, "fault",
    STRATA_CAP_READ | STRATA_CAP_WRITE | STRATA_CAP_SEEK,
    sizeof(fault_stream_t),
    fault_read, fault_write, fault_flush, fault_seek, fault_shutdown, fault_close,
    fault_control
};

apr_status_t strata_fault_create(strata_stream_t **out, strata_stream_t *inner,
                                 const strata_fault_opts_t *opts,
                                 unsigned flags, apr_pool_t *pool)
{
    strata_stream_t *s;
    apr_status_t rv;

    if (out == NULL || inner == NULL || pool == NULL)
        return APR_EINVAL;
    rv = strata_stream_alloc(&s, &fault_type, inner, flags, pool);
    if (rv != APR_SUCCESS)
        return rv;
    s->caps = strata_stream_caps(inner);
    if (opts != NULL)
        ((fault_stream_t *)s)->o = *opts;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

static fault_stream_t *fault_of(strata_stream_t *s)
{
    return s != NULL && s->type == &fault_type ? (fault_stream_t *)s : NULL;
}

apr_status_t strata_fault_set(strata_stream_t *s,
                              const strata_fault_opts_t *opts)
{
    fault_stream_t *f = fault_of(s);

    if (f == NULL || opts == NULL)
        return APR_EINVAL;
    f->o = *opts;
    f->read_failed = f->write_failed = 0;
    return APR_SUCCESS;
}

apr_uint64_t strata_fault_read_calls(strata_stream_t *s)
{
    fault_stream_t *f = fault_of(s);

    return f != NULL ? f->reads : 0;
}

apr_uint64_t strata_fault_write_calls(strata_stream_t *s)
{
    fault_stream_t *f = fault_of(s);

    return f != NULL ? f->writes : 0;
}
