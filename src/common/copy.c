/*
 * copy.c -- strata_copy(): the kernel's fast path where both ends allow it
 * (strata_os.h: file to file, and file to a blocking socket stream), a read/write_all loop otherwise;
 * all metered exactly.
 */
#include "strata_private.h"
#include "strata_os.h"
#include "strata_net_private.h"
#include <stdlib.h>

#define COPY_DEFAULT_BUF   (64 * 1024)
#define COPY_FAST_CHUNK    (4 * 1024 * 1024)   /* per kernel call: progress */

static apr_size_t copy_want(const strata_copy_opts_t *o, apr_uint64_t done,
                            apr_size_t chunk)
{
    if (o->max && o->max - done < chunk)
        return (apr_size_t)(o->max - done);
    return chunk;
}

/* The two ends of a kernel copy: a raw file, and a raw file or socket. */
typedef struct copy_ends_t {
    apr_file_t *ff, *tf;
    apr_socket_t *ts;
} copy_ends_t;

static apr_status_t copy_chunk(const copy_ends_t *e, apr_size_t len,
                               apr_size_t *n)
{
    if (e->ts != NULL)
        return strata__os_sendfile_chunk(e->ff, e->ts, len, n);
    return strata__os_copy_chunk(e->ff, e->tf, len, n);
}

/* Kernel copy.  Returns STRATA_ENOTSUP, having moved nothing, when the OS
 * cannot join the two ends; the caller then uses the loop. */
static apr_status_t copy_fast(strata_stream_t *from, strata_stream_t *to,
                              const copy_ends_t *e,
                              const strata_copy_opts_t *o, apr_uint64_t *done)
{
    apr_size_t want, rgrant, wgrant, n;
    apr_status_t rv;

    for (;;) {
        want = copy_want(o, *done, COPY_FAST_CHUNK);
        if (want == 0)
            return APR_SUCCESS;
        if ((rv = strata__io_begin(from, STRATA__DIR_READ, want, &rgrant)))
            return rv;
        rv = strata__io_begin(to, STRATA__DIR_WRITE, rgrant, &wgrant);
        if (rv != APR_SUCCESS) {
            strata__io_cancel(from, STRATA__DIR_READ, rgrant);
            if (rv == STRATA_EQUOTA)     /* as strata_write would */
                strata__stream_fail(to, rv);
            return rv;
        }
        n = 0;
        rv = copy_chunk(e, wgrant, &n);
        /* A first call that reports EOF may be a pseudo file the kernel
         * cannot copy (procfs says 0): let the loop read it to be sure. */
        if ((rv == STRATA_ENOTSUP || (rv == APR_SUCCESS && *done == 0))
            && n == 0 && wgrant > 0) {
            rv = STRATA_ENOTSUP;
            strata__io_cancel(from, STRATA__DIR_READ, rgrant);
            strata__io_cancel(to, STRATA__DIR_WRITE, wgrant);
            return rv;
        }
        strata__io_end(from, STRATA__DIR_READ, rgrant, n);
        if (n == 0 && rv == APR_SUCCESS)   /* EOF: nothing reached `to` */
            strata__io_cancel(to, STRATA__DIR_WRITE, wgrant);
        else
            strata__io_end(to, STRATA__DIR_WRITE, wgrant, n);
        *done += n;
        if (n > 0 && o->progress != NULL)
            o->progress(o->baton, *done);
        if (rv != APR_SUCCESS) {
            /* `to` holds a cut-short copy: as a failed strata_write */
            if (!APR_STATUS_IS_EINTR(rv) && !APR_STATUS_IS_EAGAIN(rv))
                strata__stream_fail(to, rv);
            return rv;
        }
        if (n == 0)
            return APR_SUCCESS;          /* end of input */
    }
}

static apr_status_t copy_loop(strata_stream_t *from, strata_stream_t *to,
                              const strata_copy_opts_t *o, apr_uint64_t *done)
{
    apr_size_t bufsize = o->bufsize ? o->bufsize : COPY_DEFAULT_BUF;
    apr_size_t want, n, w;
    apr_status_t rv = APR_SUCCESS;
    char *buf = malloc(bufsize);

    if (buf == NULL)
        return APR_ENOMEM;
    while ((want = copy_want(o, *done, bufsize)) > 0) {
        rv = strata_read(from, buf, want, &n);
        if (APR_STATUS_IS_EINTR(rv))
            continue;
        if (APR_STATUS_IS_EOF(rv)) {
            rv = APR_SUCCESS;
            break;
        }
        if (rv != APR_SUCCESS) {
            /* the source failed: what reached `to` is cut short */
            if (!APR_STATUS_IS_EAGAIN(rv) && !APR_STATUS_IS_TIMEUP(rv))
                strata__stream_fail(to, rv);
            break;
        }
        rv = strata_write_all(to, buf, n, &w);
        *done += w;
        if (o->progress != NULL)
            o->progress(o->baton, *done);
        if (rv != APR_SUCCESS)
            break;
    }
    free(buf);
    return rv;
}

apr_status_t strata_copy(strata_stream_t *from, strata_stream_t *to,
                         const strata_copy_opts_t *opts, apr_uint64_t *copied)
{
    static const strata_copy_opts_t defaults = { 0, 0, NULL, NULL, 0 };
    const strata_copy_opts_t *o = opts != NULL ? opts : &defaults;
    apr_uint64_t done = 0;
    copy_ends_t e;
    apr_status_t rv = STRATA_ENOTSUP;

    if (copied != NULL)
        *copied = 0;
    if (from == NULL || to == NULL || from == to)
        return APR_EINVAL;
    e.ff = strata__file_raw(from);
    e.tf = strata__file_raw(to);
    e.ts = e.ff != NULL && e.tf == NULL ? strata__socket_raw(to) : NULL;
    if (!o->no_fastpath && e.ff != NULL && (e.tf != NULL || e.ts != NULL))
        rv = copy_fast(from, to, &e, o, &done);
    if (rv == STRATA_ENOTSUP)
        rv = copy_loop(from, to, o, &done);
    if (copied != NULL)
        *copied = done;
    return rv;
}
