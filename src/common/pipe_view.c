/*
 * pipe_view.c -- record views: read_until / read_line / read_exact that
 * hand out a pointer instead of copying.
 *
 * A record that lies inside the head chunk is returned in place; one that
 * spans chunks is copied once into the pipe's scratch buffer (reader-owned,
 * grown on demand, kept for reuse, freed with the pipe).  Either way the
 * record is consumed when it is returned -- the writer may resume and the
 * unread count drops -- but the chunks under an in-place record are held
 * (strata__pipe_consume with hold) and the tail is not rewound until the
 * next reader call, which gives them back (strata__pipe_snap,
 * strata__pipe_release).
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <stdlib.h>

/* Make room for @len bytes in the scratch buffer. */
static apr_status_t scratch_fit(strata_pipe_t *p, apr_size_t len)
{
    apr_size_t cap = p->scratch_cap ? p->scratch_cap : 256;
    char *b;

    if (len <= p->scratch_cap)
        return APR_SUCCESS;
    while (cap < len)
        cap = cap <= APR_SIZE_MAX / 2 ? cap * 2 : len;
    if ((b = malloc(cap)) == NULL)
        return APR_ENOMEM;
    free(p->scratch);
    p->scratch = b;
    p->scratch_cap = cap;
    return APR_SUCCESS;
}

/* Point *rec at the first @len bytes of @v and consume @used (>= len)
 * bytes: in place when the record lies in the head chunk (*rec stays valid
 * until the next reader call), else copied into the scratch buffer.
 * APR_ENOMEM (nothing consumed) if the scratch buffer cannot grow. */
static apr_status_t take_record(strata_pipe_t *p, const strata__pipe_snap_t *v,
                                apr_size_t len, apr_size_t used,
                                const char **rec)
{
    apr_size_t s, e;
    apr_status_t rv;

    if (len == 0) {
        *rec = "";
        if (used > 0)
            strata__pipe_consume(p, used, 0);
        return APR_SUCCESS;
    }
    strata__snap_bounds(v, v->head, &s, &e);      /* len > 0: a head */
    if (e - s >= len) {
        *rec = STRATA__CHUNK_DATA(v->head) + s;
        strata__pipe_consume(p, used, 1);
        return APR_SUCCESS;
    }
    if ((rv = scratch_fit(p, len)) != APR_SUCCESS)
        return rv;
    strata__pipe_snap_copy(v, 0, p->scratch, len);
    *rec = p->scratch;
    strata__pipe_consume(p, used, 0);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_read_until_view(strata_pipe_t *p, const void *delim,
                                         apr_size_t delim_len, unsigned flags,
                                         apr_size_t max, const char **rec,
                                         apr_size_t *n)
{
    strata__pipe_snap_t v;
    apr_size_t pos, take;
    apr_status_t rv;

    if (n == NULL || rec == NULL)
        return APR_EINVAL;
    *n = 0;
    *rec = NULL;
    if (p == NULL || delim == NULL || delim_len == 0 || max < delim_len)
        return APR_EINVAL;
    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS)
        return rv;
    rv = strata__pipe_until(p, &v, delim, delim_len, max, &pos);
    if (rv == APR_SUCCESS) {
        take = (flags & STRATA_PIPE_KEEP_DELIM) ? pos + delim_len : pos;
        if ((rv = take_record(p, &v, take, pos + delim_len, rec))
            == APR_SUCCESS)
            *n = take;
        return rv;
    }
    if (v.avail >= max)
        return STRATA_ELIMIT_RECORD;
    if (!v.wclosed || v.avail == 0)
        return v.empty_rv;
    if ((rv = take_record(p, &v, v.avail, v.avail, rec)) != APR_SUCCESS)
        return rv;
    *n = v.avail;
    return STRATA_ETRUNCATED;
}

apr_status_t strata_pipe_read_line_view(strata_pipe_t *p, apr_size_t max,
                                        const char **line, apr_size_t *n)
{
    apr_status_t rv = strata_pipe_read_until_view(p, "\n", 1,
                                                  STRATA_PIPE_KEEP_DELIM,
                                                  max, line, n);

    /* As strata_pipe_read_line: a last line without "\n" after a clean end
     * is a line. */
    if (rv == STRATA_ETRUNCATED) {
        apr_thread_mutex_lock(p->lock);
        if (p->wstatus == APR_SUCCESS)
            rv = APR_SUCCESS;
        apr_thread_mutex_unlock(p->lock);
    }
    return rv;
}

apr_status_t strata_pipe_read_exact_view(strata_pipe_t *p, apr_size_t len,
                                         const char **rec, apr_size_t *n)
{
    strata__pipe_snap_t v;
    apr_status_t rv;

    if (n == NULL || rec == NULL)
        return APR_EINVAL;
    *n = 0;
    *rec = NULL;
    if (p == NULL)
        return APR_EINVAL;
    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS)
        return rv;
    if (v.avail >= len) {
        if ((rv = take_record(p, &v, len, len, rec)) == APR_SUCCESS)
            *n = len;
        return rv;
    }
    if (!v.wclosed || v.avail == 0)
        return v.empty_rv;
    if ((rv = take_record(p, &v, v.avail, v.avail, rec)) != APR_SUCCESS)
        return rv;
    *n = v.avail;
    return STRATA_ETRUNCATED;
}
