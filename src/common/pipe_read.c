/*
 * pipe_read.c -- the pipe's reader side: snapshots, copies, searches and
 * consumption (see pipe.c for the locking rules).
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <string.h>

/* What the reader may look at: taken under the lock, used without it. */
typedef struct pipe_view_t {
    strata__chunk_t *head, *tail;
    apr_size_t head_start, tail_end;
    apr_size_t avail;               /* unread bytes in the view */
    apr_uint64_t consumed, examined;
    apr_status_t empty_rv;          /* the answer when avail is not enough */
    int wclosed;
} pipe_view_t;

/* Under the lock: the answer for "no (more) data" in the current state. */
static apr_status_t empty_status(const strata_pipe_t *p)
{
    if (p->rclosed)
        return STRATA_ECLOSED;
    if (!p->wclosed)
        return APR_EAGAIN;
    return p->wstatus != APR_SUCCESS ? p->wstatus : APR_EOF;
}

/* Take a view.  Returns STRATA_ECLOSED after close_reader, else success. */
static apr_status_t view_take(strata_pipe_t *p, pipe_view_t *v)
{
    int rclosed;

    apr_thread_mutex_lock(p->lock);
    rclosed = p->rclosed;
    v->head = p->head;
    v->tail = p->tail;
    v->head_start = p->head != NULL ? p->head->start : 0;
    v->tail_end = p->tail != NULL ? p->tail->end : 0;
    v->avail = p->unread;
    v->consumed = p->consumed;
    v->examined = p->examined;
    v->wclosed = p->wclosed;
    v->empty_rv = empty_status(p);
    apr_thread_mutex_unlock(p->lock);
    return rclosed ? STRATA_ECLOSED : APR_SUCCESS;
}

/* Bounds of chunk @c's unread bytes within the view. */
static void view_bounds(const pipe_view_t *v, const strata__chunk_t *c,
                        apr_size_t *s, apr_size_t *e)
{
    *s = c == v->head ? v->head_start : c->start;
    *e = c == v->tail ? v->tail_end : c->end;
}

static strata__chunk_t *view_next(const pipe_view_t *v,
                                  const strata__chunk_t *c)
{
    return c == v->tail ? NULL : c->next;
}

/* Copy @n bytes starting @off bytes into the view (off + n <= avail). */
static void view_copy(const pipe_view_t *v, apr_size_t off, char *dst,
                      apr_size_t n)
{
    strata__chunk_t *c;
    apr_size_t s, e, k;

    for (c = v->head; c != NULL && n > 0; c = view_next(v, c)) {
        view_bounds(v, c, &s, &e);
        if (off >= e - s) {
            off -= e - s;
            continue;
        }
        s += off;
        off = 0;
        k = e - s < n ? e - s : n;
        memcpy(dst, STRATA__CHUNK_DATA(c) + s, k);
        dst += k;
        n -= k;
    }
}

/* Does @needle start at index @i of chunk @c (continuing into the next
 * chunks of the view)?  The caller guarantees the view holds enough bytes. */
static int view_match(const pipe_view_t *v, const strata__chunk_t *c,
                      apr_size_t i, const char *needle, apr_size_t nlen)
{
    apr_size_t s, e, k;

    while (nlen > 0 && c != NULL) {
        view_bounds(v, c, &s, &e);
        k = e - i < nlen ? e - i : nlen;
        if (memcmp(STRATA__CHUNK_DATA(c) + i, needle, k) != 0)
            return 0;
        needle += k;
        nlen -= k;
        if ((c = view_next(v, c)) != NULL)
            view_bounds(v, c, &i, &e);
    }
    return nlen == 0;
}

/* Offset of the first @needle wholly inside [start, end) of the view
 * (end <= avail, nlen >= 1); 0 with APR_NOTFOUND if absent. */
static apr_status_t view_find(const pipe_view_t *v, const char *needle,
                              apr_size_t nlen, apr_size_t start,
                              apr_size_t end, apr_size_t *pos)
{
    const strata__chunk_t *c;
    apr_size_t off = 0, s, e, last, lo, hi;
    const char *base, *q;

    *pos = 0;
    if (end > v->avail)
        end = v->avail;
    if (start >= end || end - start < nlen)
        return APR_NOTFOUND;
    last = end - nlen;                        /* last candidate offset */
    for (c = v->head; c != NULL && off <= last; c = view_next(v, c)) {
        view_bounds(v, c, &s, &e);
        if (off + (e - s) <= start) {
            off += e - s;
            continue;
        }
        lo = start > off ? start - off : 0;
        hi = last - off + 1 < e - s ? last - off + 1 : e - s;
        base = STRATA__CHUNK_DATA(c) + s;
        for (q = base + lo; q < base + hi; q++) {
            q = memchr(q, (unsigned char)needle[0],
                       (apr_size_t)(base + hi - q));
            if (q == NULL)
                break;
            if (nlen == 1 || view_match(v, c, s + (apr_size_t)(q - base),
                                        needle, nlen)) {
                *pos = off + (apr_size_t)(q - base);
                return APR_SUCCESS;
            }
        }
        off += e - s;
    }
    return APR_NOTFOUND;
}

/* Consume @n unread bytes: move head->start, return drained chunks before
 * the tail to the pool, resume a paused writer when due. */
static void consume(strata_pipe_t *p, apr_size_t n)
{
    strata__chunk_t *c, *drop = NULL, **dtail = &drop;
    strata_pipe_writable_fn *fn = NULL;
    void *baton = NULL;
    apr_size_t k;

    apr_thread_mutex_lock(p->lock);
    if (p->rclosed) {                 /* close_reader already dropped them */
        apr_thread_mutex_unlock(p->lock);
        return;
    }
    p->unread -= n;
    p->consumed += n;
    while ((c = p->head) != NULL) {
        k = c->end - c->start;
        if (n < k || c == p->tail) {
            c->start += n < k ? n : k;
            break;
        }
        n -= k;
        p->head = c->next;
        c->next = NULL;
        *dtail = c;
        dtail = &c->next;
    }
    if (p->paused && p->unread < p->resume) {
        p->paused = 0;
        if (p->wwaiting)
            apr_thread_cond_signal(p->writable);
        fn = p->on_writable;
        baton = p->wbaton;
    }
    apr_thread_mutex_unlock(p->lock);
    strata__chunk_put(p->cp, drop);
    if (fn != NULL)
        fn(baton, p);
}

/* ---- the reader calls --------------------------------------------------- */

apr_status_t strata__pipe_read_atmost(strata_pipe_t *p, void *buf,
                                      apr_size_t max, apr_size_t *n)
{
    pipe_view_t v;
    apr_status_t rv;

    *n = 0;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    if (max == 0)
        return APR_SUCCESS;
    if (v.avail == 0)
        return v.empty_rv;
    *n = v.avail < max ? v.avail : max;
    view_copy(&v, 0, buf, *n);
    consume(p, *n);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_read_atmost(strata_pipe_t *p, void *buf,
                                     apr_size_t max, apr_size_t *n)
{
    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || (buf == NULL && max > 0))
        return APR_EINVAL;
    return strata__pipe_read_atmost(p, buf, max, n);
}

apr_status_t strata_pipe_read_bytes(strata_pipe_t *p, void *buf,
                                    apr_size_t len, apr_size_t *n)
{
    pipe_view_t v;
    apr_status_t rv;

    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || (buf == NULL && len > 0))
        return APR_EINVAL;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    if (len == 0)
        return APR_SUCCESS;
    if (v.avail >= len) {
        view_copy(&v, 0, buf, len);
        consume(p, len);
        *n = len;
        return APR_SUCCESS;
    }
    if (!v.wclosed || v.avail == 0)
        return v.empty_rv;
    view_copy(&v, 0, buf, v.avail);
    consume(p, v.avail);
    *n = v.avail;
    return STRATA_ETRUNCATED;
}

apr_status_t strata_pipe_read_until(strata_pipe_t *p, const void *delim,
                                    apr_size_t delim_len, unsigned flags,
                                    void *buf, apr_size_t bufsize,
                                    apr_size_t *n)
{
    apr_size_t pos, take, window, from = 0;
    pipe_view_t v;
    apr_status_t rv;

    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || buf == NULL || delim == NULL || delim_len == 0
        || bufsize < delim_len)
        return APR_EINVAL;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    window = v.avail < bufsize ? v.avail : bufsize;
    if (p->scan_dlen == delim_len && p->scan_at == v.consumed
        && memcmp(p->scan_delim, delim, delim_len) == 0)
        from = p->scan_from < window ? p->scan_from : window;
    rv = view_find(&v, delim, delim_len, from, window, &pos);
    if (rv != APR_SUCCESS && delim_len <= sizeof(p->scan_delim)) {
        memcpy(p->scan_delim, delim, delim_len);
        p->scan_dlen = delim_len;
        p->scan_at = v.consumed;
        p->scan_from = window >= delim_len - 1 ? window - (delim_len - 1) : 0;
    }
    if (rv == APR_SUCCESS) {
        take = (flags & STRATA_PIPE_KEEP_DELIM) ? pos + delim_len : pos;
        view_copy(&v, 0, buf, take);
        consume(p, pos + delim_len);
        *n = take;
        return APR_SUCCESS;
    }
    if (v.avail >= bufsize)
        return STRATA_ELIMIT;
    if (!v.wclosed || v.avail == 0)
        return v.empty_rv;
    view_copy(&v, 0, buf, v.avail);
    consume(p, v.avail);
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
    pipe_view_t v;
    apr_status_t rv;

    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (p == NULL || (buf == NULL && max > 0))
        return APR_EINVAL;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    if (max == 0)
        return APR_SUCCESS;
    if (v.avail == 0)
        return v.empty_rv;
    *n = v.avail < max ? v.avail : max;
    view_copy(&v, 0, buf, *n);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_find(strata_pipe_t *p, const void *needle,
                              apr_size_t needle_len, apr_size_t start,
                              apr_size_t end, apr_size_t *pos)
{
    pipe_view_t v;
    apr_status_t rv;

    if (pos == NULL)
        return APR_EINVAL;
    *pos = 0;
    if (p == NULL || needle == NULL || needle_len == 0 || start > end)
        return APR_EINVAL;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    return view_find(&v, needle, needle_len, start, end, pos);
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
    pipe_view_t v;
    apr_status_t rv;

    if (count == NULL || total == NULL)
        return APR_EINVAL;
    *count = *total = 0;
    if (p == NULL || vec == NULL || nvec == 0)
        return APR_EINVAL;
    if ((rv = view_take(p, &v)) != APR_SUCCESS)
        return rv;
    if (v.avail == 0)
        return v.empty_rv;
    if (v.consumed + v.avail <= v.examined) {     /* nothing new */
        if (!v.wclosed)
            return APR_EAGAIN;
        rv = STRATA_ETRUNCATED;
    }
    for (c = v.head; c != NULL && *count < nvec; c = view_next(&v, c)) {
        view_bounds(&v, c, &s, &e);
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
        consume(p, consumed);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_close_reader(strata_pipe_t *p)
{
    strata__chunk_t *drop = NULL, *t, *c;
    strata_pipe_writable_fn *fn = NULL;
    void *baton = NULL;

    if (p == NULL)
        return APR_EINVAL;
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
