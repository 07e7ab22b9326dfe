/*
 * pipe_read.c -- the pipe's copying reader calls, search, the segments /
 * advance pair and close_reader (snapshots and consumption are in
 * pipe_snap.c; see pipe.c for the locking rules).
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <string.h>

/* ---- the reader calls --------------------------------------------------- */

/* How pipe_take takes: all of @len or what there is (EXACT), leaving the
 * bytes in the pipe (PEEK), without copying them (SKIP). */
enum { TAKE_ATMOST = 0, TAKE_EXACT = 1, TAKE_PEEK = 2, TAKE_SKIP = 4 };

/* The six copying and skipping calls in one: read, peek and skip, each
 * "at most" (what is there, at least one byte, else the empty status) or
 * "exact" (all @len, else the empty status until the writer has closed,
 * then what is left with STRATA_ETRUNCATED). */
static apr_status_t pipe_take(strata_pipe_t *p, void *buf, apr_size_t len,
                              unsigned how, apr_size_t *n)
{
    strata__pipe_snap_t v;
    apr_size_t m;
    apr_status_t rv = APR_SUCCESS;

    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS || len == 0)
        return rv;
    if (v.avail == 0)
        return v.empty_rv;
    m = v.avail < len ? v.avail : len;
    if ((how & TAKE_EXACT) && m < len) {
        if (!v.wclosed)
            return v.empty_rv;
        rv = STRATA_ETRUNCATED;
    }
    if (!(how & TAKE_SKIP))
        strata__pipe_snap_copy(&v, 0, buf, m);
    if (!(how & TAKE_PEEK))
        strata__pipe_consume(p, m, 0);
    *n = m;
    return rv;
}

/* The public calls' argument checks, then pipe_take. */
static apr_status_t pipe_take_checked(strata_pipe_t *p, void *buf,
                                      apr_size_t len, unsigned how,
                                      apr_size_t *n)
{
    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || (buf == NULL && len > 0 && !(how & TAKE_SKIP)))
        return APR_EINVAL;
    return pipe_take(p, buf, len, how, n);
}

apr_status_t strata__pipe_read_atmost(strata_pipe_t *p, void *buf,
                                      apr_size_t max, apr_size_t *n)
{
    *n = 0;
    return pipe_take(p, buf, max, TAKE_ATMOST, n);
}

apr_status_t strata_pipe_read_atmost(strata_pipe_t *p, void *buf,
                                     apr_size_t max, apr_size_t *n)
{
    return pipe_take_checked(p, buf, max, TAKE_ATMOST, n);
}

apr_status_t strata_pipe_read_bytes(strata_pipe_t *p, void *buf,
                                    apr_size_t len, apr_size_t *n)
{
    return pipe_take_checked(p, buf, len, TAKE_EXACT, n);
}

apr_status_t strata__pipe_until(strata_pipe_t *p,
                                const strata__pipe_snap_t *v,
                                const char *delim, apr_size_t delim_len,
                                apr_size_t max, apr_size_t *pos)
{
    apr_size_t window = v->avail < max ? v->avail : max, from = 0;
    apr_status_t rv;

    if (p->scan_dlen == delim_len && p->scan_at == v->consumed
        && memcmp(p->scan_delim, delim, delim_len) == 0)
        from = p->scan_from < window ? p->scan_from : window;
    rv = strata__pipe_snap_find(v, delim, delim_len, from, window, pos);
    if (rv != APR_SUCCESS && delim_len <= sizeof(p->scan_delim)) {
        memcpy(p->scan_delim, delim, delim_len);
        p->scan_dlen = delim_len;
        p->scan_at = v->consumed;
        p->scan_from = window >= delim_len - 1 ? window - (delim_len - 1) : 0;
    }
    return rv;
}

apr_status_t strata_pipe_read_until(strata_pipe_t *p, const void *delim,
                                    apr_size_t delim_len, unsigned flags,
                                    void *buf, apr_size_t bufsize,
                                    apr_size_t *n)
{
    apr_size_t pos, take;
    strata__pipe_snap_t v;
    apr_status_t rv;

    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || buf == NULL || delim == NULL || delim_len == 0
        || bufsize < delim_len)
        return APR_EINVAL;
    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS)
        return rv;
    rv = strata__pipe_until(p, &v, delim, delim_len, bufsize, &pos);
    if (rv == APR_SUCCESS) {
        take = (flags & STRATA_PIPE_KEEP_DELIM) ? pos + delim_len : pos;
        strata__pipe_snap_copy(&v, 0, buf, take);
        strata__pipe_consume(p, pos + delim_len, 0);
        *n = take;
        return APR_SUCCESS;
    }
    if (v.avail >= bufsize)
        return STRATA_ELIMIT_RECORD;
    if (!v.wclosed || v.avail == 0)
        return v.empty_rv;
    strata__pipe_snap_copy(&v, 0, buf, v.avail);
    strata__pipe_consume(p, v.avail, 0);
    *n = v.avail;
    return STRATA_ETRUNCATED;
}

apr_status_t strata_pipe_read_line(strata_pipe_t *p, void *buf,
                                   apr_size_t bufsize, apr_size_t *n)
{
    apr_status_t rv = strata_pipe_read_until(p, "\n", 1,
                                             STRATA_PIPE_KEEP_DELIM, buf,
                                             bufsize, n);

    /* A last line without "\n" after a clean end is a line, as in getline;
     * after a writer error the error follows on the next call. */
    if (rv == STRATA_ETRUNCATED) {
        apr_thread_mutex_lock(p->lock);
        if (p->wstatus == APR_SUCCESS)
            rv = APR_SUCCESS;
        apr_thread_mutex_unlock(p->lock);
    }
    return rv;
}

apr_status_t strata_pipe_peek(strata_pipe_t *p, void *buf, apr_size_t max,
                              apr_size_t *n)
{
    return pipe_take_checked(p, buf, max, TAKE_PEEK, n);
}

apr_status_t strata_pipe_peek_exact(strata_pipe_t *p, void *buf,
                                    apr_size_t len, apr_size_t *n)
{
    return pipe_take_checked(p, buf, len, TAKE_EXACT | TAKE_PEEK, n);
}

apr_status_t strata_pipe_skip(strata_pipe_t *p, apr_size_t max,
                              apr_size_t *n)
{
    return pipe_take_checked(p, NULL, max, TAKE_SKIP, n);
}

apr_status_t strata_pipe_skip_exact(strata_pipe_t *p, apr_size_t len,
                                    apr_size_t *n)
{
    return pipe_take_checked(p, NULL, len, TAKE_EXACT | TAKE_SKIP, n);
}

apr_status_t strata_pipe_find(strata_pipe_t *p, const void *needle,
                              apr_size_t needle_len, apr_size_t start,
                              apr_size_t end, apr_size_t *pos)
{
    strata__pipe_snap_t v;
    apr_status_t rv;

    if (pos == NULL)
        return APR_EINVAL;
    *pos = 0;
    if (p == NULL || needle == NULL || needle_len == 0 || start > end)
        return APR_EINVAL;
    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS)
        return rv;
    return strata__pipe_snap_find(&v, needle, needle_len, start, end, pos);
}

apr_status_t strata_pipe_find_byte(strata_pipe_t *p, int c, apr_size_t start,
                                   apr_size_t end, apr_size_t *pos)
{
    char b = (char)c;

    return strata_pipe_find(p, &b, 1, start, end, pos);
}

apr_status_t strata_pipe_segments(strata_pipe_t *p, strata_pipe_iovec_t *vec,
                                  apr_size_t nvec, apr_size_t *count,
                                  apr_size_t *total)
{
    const strata__chunk_t *c;
    apr_size_t s, e;
    strata__pipe_snap_t v;
    apr_status_t rv;

    if (count == NULL || total == NULL)
        return APR_EINVAL;
    *count = *total = 0;
    if (p == NULL || vec == NULL || nvec == 0)
        return APR_EINVAL;
    if ((rv = strata__pipe_snap(p, &v)) != APR_SUCCESS)
        return rv;
    if (v.avail == 0)
        return v.empty_rv;
    if (v.consumed + v.avail <= v.examined) {     /* nothing new */
        if (!v.wclosed)
            return APR_EAGAIN;
        rv = STRATA_ETRUNCATED;
    }
    for (c = v.head; c != NULL && *count < nvec; c = strata__snap_next(&v, c)) {
        strata__snap_bounds(&v, c, &s, &e);
        if (s == e)
            continue;
        vec[*count].base = STRATA__CHUNK_DATA(c) + s;
        vec[*count].len = e - s;
        *total += e - s;
        (*count)++;
    }
    return rv;
}

apr_status_t strata_pipe_advance(strata_pipe_t *p, apr_size_t consumed,
                                 apr_size_t examined)
{
    if (p == NULL)
        return APR_EINVAL;
    strata__pipe_release(p);
    apr_thread_mutex_lock(p->lock);
    if (p->rclosed) {
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ECLOSED;
    }
    if (consumed > examined || examined > p->unread) {
        apr_thread_mutex_unlock(p->lock);
        return APR_EINVAL;
    }
    p->examined = p->consumed + examined;
    apr_thread_mutex_unlock(p->lock);
    if (consumed > 0)
        strata__pipe_consume(p, consumed, 0);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_close_reader(strata_pipe_t *p)
{
    strata__chunk_t *drop = NULL, *t, *c;
    strata_pipe_writable_fn *fn = NULL;
    void *baton = NULL;

    if (p == NULL)
        return APR_EINVAL;
    strata__pipe_release(p);
    apr_thread_mutex_lock(p->lock);
    if (!p->rclosed) {
        p->rclosed = 1;
        /* Everything before the tail goes; the tail stays, since the
         * writer may be filling it right now (pipe_cleanup frees it). */
        t = p->tail;
        if (t != NULL && p->head != t) {
            drop = p->head;
            for (c = drop; c->next != t; c = c->next)
                ;
            c->next = NULL;
            p->head = t;
        }
        if (t != NULL)
            t->start = t->end;
        p->consumed += p->unread;
        p->unread = 0;
        p->paused = 0;
        apr_thread_cond_broadcast(p->writable);
        apr_thread_cond_broadcast(p->readable);
        fn = p->on_writable;
        baton = p->wbaton;
    }
    apr_thread_mutex_unlock(p->lock);
    strata__chunk_put(p->cp, drop);
    if (fn != NULL)
        fn(baton, p);
    return APR_SUCCESS;
}
