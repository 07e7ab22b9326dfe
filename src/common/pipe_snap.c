/*
 * pipe_snap.c -- what every reader call shares: a snapshot of the readable
 * bytes taken under the lock and used without it, copying and searching
 * inside it, and consuming (see pipe.c for the locking rules).
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <string.h>

/* Under the lock: the answer for "no (more) data" in the current state. */
static apr_status_t empty_status(const strata_pipe_t *p)
{
    if (p->rclosed)
        return STRATA_ECLOSED;
    if (!p->wclosed)
        return APR_EAGAIN;
    return p->wstatus != APR_SUCCESS ? p->wstatus : APR_EOF;
}

/* Under the lock: end the last record view (see strata__pipe_consume):
 * the rewind guard goes, and the chunks it held are handed back for the
 * caller to return to the pool after unlocking. */
static strata__chunk_t *unhold(strata_pipe_t *p)
{
    strata__chunk_t *held = p->held;

    p->held = NULL;
    p->view_hold = 0;
    return held;
}

void strata__pipe_release(strata_pipe_t *p)
{
    strata__chunk_t *held;

    if (!p->view_hold)               /* only the reader sets it */
        return;
    apr_thread_mutex_lock(p->lock);
    held = unhold(p);
    apr_thread_mutex_unlock(p->lock);
    strata__chunk_put(p->cp, held);
}

apr_status_t strata__pipe_snap(strata_pipe_t *p, strata__pipe_snap_t *v)
{
    strata__chunk_t *held = NULL;
    int rclosed;

    apr_thread_mutex_lock(p->lock);
    if (p->view_hold)
        held = unhold(p);
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
    strata__chunk_put(p->cp, held);
    return rclosed ? STRATA_ECLOSED : APR_SUCCESS;
}

/* Copy @n bytes starting @off bytes into the view (off + n <= avail). */
void strata__pipe_snap_copy(const strata__pipe_snap_t *v, apr_size_t off,
                            char *dst, apr_size_t n)
{
    strata__chunk_t *c;
    apr_size_t s, e, k;

    for (c = v->head; c != NULL && n > 0; c = strata__snap_next(v, c)) {
        strata__snap_bounds(v, c, &s, &e);
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
static int view_match(const strata__pipe_snap_t *v, const strata__chunk_t *c,
                      apr_size_t i, const char *needle, apr_size_t nlen)
{
    apr_size_t s, e, k;

    while (nlen > 0 && c != NULL) {
        strata__snap_bounds(v, c, &s, &e);
        k = e - i < nlen ? e - i : nlen;
        if (memcmp(STRATA__CHUNK_DATA(c) + i, needle, k) != 0)
            return 0;
        needle += k;
        nlen -= k;
        if ((c = strata__snap_next(v, c)) != NULL)
            strata__snap_bounds(v, c, &i, &e);
    }
    return nlen == 0;
}

/* Offset of the first @needle wholly inside [start, end) of the view
 * (end <= avail, nlen >= 1); 0 with APR_NOTFOUND if absent. */
apr_status_t strata__pipe_snap_find(const strata__pipe_snap_t *v,
                                    const char *needle, apr_size_t nlen,
                                    apr_size_t start, apr_size_t end,
                                    apr_size_t *pos)
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
    for (c = v->head; c != NULL && off <= last; c = strata__snap_next(v, c)) {
        strata__snap_bounds(v, c, &s, &e);
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

void strata__pipe_consume(strata_pipe_t *p, apr_size_t n, int hold)
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
    if (hold) {                       /* keep the record's bytes in place */
        *dtail = p->held;
        p->held = drop;
        drop = NULL;
        p->view_hold = 1;
    }
    apr_thread_mutex_unlock(p->lock);
    strata__chunk_put(p->cp, drop);
    if (fn != NULL)
        fn(baton, p);
}

