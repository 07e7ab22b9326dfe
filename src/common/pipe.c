/*
 * pipe.c -- the chunked pipe (see strata/pipe.h and docs/pipe.md).
 *
 * The data is a list of chunks from head to tail.  One mutex guards the
 * list links, the tail's end, the head's start and the counters; the bytes
 * themselves are copied outside it.  That is safe because each side owns
 * its part: the writer alone moves the tail and fills bytes past tail->end,
 * which the reader never looks at; the reader alone moves head->start and
 * frees chunks before the tail, which the writer never looks at.  A reader
 * takes a snapshot (head, tail, tail->end, unread count) under the lock and
 * then works on exactly those bytes; a chunk that is not the snapshot's
 * tail no longer changes.
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <stdlib.h>
#include <string.h>

/* ---- creation and teardown ---------------------------------------------- */

static apr_status_t pipe_cleanup(void *data)
{
    strata_pipe_t *p = data;

    strata__chunk_put(p->cp, p->head);
    strata__chunk_put(p->cp, p->held);
    free(p->scratch);
    p->held = NULL;
    p->scratch = NULL;
    p->head = p->tail = NULL;
    p->unread = 0;
    p->rclosed = p->wclosed = 1;
    return APR_SUCCESS;
}

apr_status_t strata_pipe_create(strata_pipe_t **out,
                                const strata_pipe_opts_t *opts,
                                apr_pool_t *pool)
{
    strata_pipe_opts_t o = { NULL, 0, 0, 0 };
    strata_pipe_t *p;
    apr_status_t rv;

    if (out == NULL || pool == NULL)
        return APR_EINVAL;
    if (opts != NULL)
        o = *opts;
    if (o.pause_threshold == 0)
        o.pause_threshold = 256 * 1024;
    if (o.resume_threshold == 0)
        o.resume_threshold = o.pause_threshold / 2 ? o.pause_threshold / 2 : 1;
    if (o.resume_threshold > o.pause_threshold)
        return APR_EINVAL;
    if (o.chunks == NULL && (o.chunks = strata_chunk_pool_default()) == NULL)
        return APR_ENOMEM;
    /* Stock the chunks a paused pipe can hold: unread bytes up to the
     * threshold, a part-filled tail, a part-read head and one in hand. */
    if (o.pause_threshold != APR_SIZE_MAX
        && (rv = strata_chunk_pool_reserve(o.chunks, o.pause_threshold
                                           / strata__chunk_size(o.chunks) + 4))
               != APR_SUCCESS)
        return rv;
    p = apr_pcalloc(pool, sizeof(*p));
    p->pool = pool;
    p->cp = o.chunks;
    p->pause = o.pause_threshold;
    p->resume = o.resume_threshold;
    p->timeout = o.timeout;
    if ((rv = apr_thread_mutex_create(&p->lock, APR_THREAD_MUTEX_DEFAULT,
                                      pool)) != APR_SUCCESS
        || (rv = apr_thread_cond_create(&p->readable, pool)) != APR_SUCCESS
        || (rv = apr_thread_cond_create(&p->writable, pool)) != APR_SUCCESS)
        return rv;
    /* Runs before the mutex and condition cleanups (LIFO). */
    apr_pool_cleanup_register(pool, p, pipe_cleanup, apr_pool_cleanup_null);
    *out = p;
    return APR_SUCCESS;
}

void strata_pipe_on_data(strata_pipe_t *p, strata_pipe_data_fn *fn,
                         void *baton)
{
    if (p == NULL)
        return;
    apr_thread_mutex_lock(p->lock);
    p->on_data = fn;
    p->baton = baton;
    apr_thread_mutex_unlock(p->lock);
}

apr_size_t strata_pipe_length(strata_pipe_t *p)
{
    apr_size_t n;

    if (p == NULL)
        return 0;
    apr_thread_mutex_lock(p->lock);
    n = p->unread;
    apr_thread_mutex_unlock(p->lock);
    return n;
}

/* ---- backpressure and end state ---------------------------------------- */

void strata_pipe_on_writable(strata_pipe_t *p, strata_pipe_writable_fn *fn,
                             void *baton)
{
    if (p == NULL)
        return;
    apr_thread_mutex_lock(p->lock);
    p->on_writable = fn;
    p->wbaton = baton;
    apr_thread_mutex_unlock(p->lock);
}

int strata_pipe_writer_paused(strata_pipe_t *p)
{
    int paused;

    if (p == NULL)
        return 0;
    apr_thread_mutex_lock(p->lock);
    paused = p->paused && !p->wclosed && !p->rclosed;
    apr_thread_mutex_unlock(p->lock);
    return paused;
}

apr_status_t strata_pipe_wait_writable(strata_pipe_t *p,
                                       apr_interval_time_t timeout)
{
    apr_time_t deadline = 0;
    apr_status_t rv = APR_SUCCESS;

    if (p == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(p->lock);
    if (timeout > 0)
        deadline = apr_time_now() + timeout;
    while (p->paused && !p->wclosed && !p->rclosed) {
        if (timeout == 0) {
            rv = APR_TIMEUP;
            break;
        }
        rv = strata__pipe_wait(p, 0, deadline);
        if (rv != APR_SUCCESS && p->paused && !p->wclosed && !p->rclosed)
            break;                   /* timed out (or failed), still paused */
        rv = APR_SUCCESS;
    }
    if (rv == APR_SUCCESS && (p->wclosed || p->rclosed))
        rv = STRATA_ECLOSED;
    apr_thread_mutex_unlock(p->lock);
    return rv;
}

apr_status_t strata_pipe_wait_readable(strata_pipe_t *p, apr_size_t min,
                                       apr_interval_time_t timeout)
{
    apr_time_t deadline = 0;
    apr_status_t rv = APR_SUCCESS;

    if (p == NULL)
        return APR_EINVAL;
    if (min == 0)
        min = 1;
    apr_thread_mutex_lock(p->lock);
    if (timeout > 0)
        deadline = apr_time_now() + timeout;
#define READER_WAITS (p->unread < min && !p->wclosed && !p->rclosed)
    while (READER_WAITS) {
        if (timeout == 0) {
            rv = APR_TIMEUP;
            break;
        }
        rv = strata__pipe_wait(p, 1, deadline);
        if (rv != APR_SUCCESS && READER_WAITS)
            break;                   /* timed out (or failed), still short */
        rv = APR_SUCCESS;
    }
#undef READER_WAITS
    if (p->rclosed)
        rv = STRATA_ECLOSED;
    apr_thread_mutex_unlock(p->lock);
    return rv;
}

int strata_pipe_writer_closed(strata_pipe_t *p, apr_status_t *status)
{
    int closed = 0;
    apr_status_t st = APR_SUCCESS;

    if (p != NULL) {
        apr_thread_mutex_lock(p->lock);
        closed = p->wclosed;
        if (closed)
            st = p->wstatus;
        apr_thread_mutex_unlock(p->lock);
    }
    if (status != NULL)
        *status = st;
    return closed;
}

int strata_pipe_reader_closed(strata_pipe_t *p)
{
    int closed;

    if (p == NULL)
        return 0;
    apr_thread_mutex_lock(p->lock);
    closed = p->rclosed;
    apr_thread_mutex_unlock(p->lock);
    return closed;
}

/* ---- writer ------------------------------------------------------------- */

/* Under the lock: a drained single chunk starts over from its beginning
 * (unless a record view still points into it). */
static void tail_rewind(strata_pipe_t *p)
{
    strata__chunk_t *t = p->tail;

    if (t != NULL && t == p->head && t->start == t->end && !p->pending
        && !p->view_hold)
        t->start = t->end = 0;
}

/* Under the lock: publish @n bytes added at the tail; pause if due; wake a
 * waiting reader. */
static void publish(strata_pipe_t *p, apr_size_t n)
{
    p->unread += n;
    if (p->unread >= p->pause)
        p->paused = 1;
    if (p->rwaiting)
        apr_thread_cond_signal(p->readable);
}

static void notify(strata_pipe_t *p, apr_size_t n)
{
    strata_pipe_data_fn *fn = p->on_data;

    if (fn != NULL)
        fn(p->baton, p, n);
}

apr_status_t strata_pipe_get_buffer(strata_pipe_t *p, apr_size_t sizehint,
                                    void **buf, apr_size_t *cap)
{
    strata__chunk_t *t, *c;
    apr_status_t rv;

    if (buf == NULL || cap == NULL)
        return APR_EINVAL;
    *buf = NULL;
    *cap = 0;
    if (p == NULL)
        return APR_EINVAL;
    if (sizehint == 0)
        sizehint = 1;
    apr_thread_mutex_lock(p->lock);
    if (p->wclosed || p->rclosed) {
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ECLOSED;
    }
    p->pending = 0;
    tail_rewind(p);
    t = p->tail;
    if (t == NULL || t->cap - t->end < sizehint) {
        if ((rv = strata__chunk_get_size(p->cp, sizehint, &c))
            != APR_SUCCESS) {
            apr_thread_mutex_unlock(p->lock);
            return rv;
        }
        if (t != NULL)
            t->next = c;
        else
            p->head = c;
        p->tail = t = c;
    }
    p->pending = 1;
    p->pending_cap = t->cap - t->end;
    apr_thread_mutex_unlock(p->lock);
    *buf = STRATA__CHUNK_DATA(t) + t->end;
    *cap = t->cap - t->end;
    return APR_SUCCESS;
}

apr_status_t strata_pipe_commit(strata_pipe_t *p, apr_size_t n)
{
    if (p == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(p->lock);
    if (p->wclosed || p->rclosed) {
        p->pending = 0;
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ECLOSED;
    }
    if (!p->pending) {
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ESTATE;
    }
    if (n > p->pending_cap) {
        apr_thread_mutex_unlock(p->lock);
        return APR_EINVAL;
    }
    p->pending = 0;
    if (n > 0) {
        p->tail->end += n;
        publish(p, n);
    }
    apr_thread_mutex_unlock(p->lock);
    if (n > 0)
        notify(p, n);
    return APR_SUCCESS;
}

/* Take the chunks for @len - @room bytes from the pool into a private list. */
static apr_status_t take_chunks(strata_pipe_t *p, apr_size_t need,
                                strata__chunk_t **first,
                                strata__chunk_t **last)
{
    strata__chunk_t *c;
    apr_size_t got = 0;
    apr_status_t rv;

    *first = *last = NULL;
    while (got < need) {
        if ((rv = strata__chunk_get(p->cp, &c)) != APR_SUCCESS) {
            strata__chunk_put(p->cp, *first);
            *first = *last = NULL;
            return rv;
        }
        if (*last != NULL)
            (*last)->next = c;
        else
            *first = c;
        *last = c;
        got += c->cap;
    }
    return APR_SUCCESS;
}

/* Copy @len bytes: first into the tail's free room, then into @list. */
static void fill_chunks(strata__chunk_t *t, apr_size_t room,
                        strata__chunk_t *list, const char *src,
                        apr_size_t len)
{
    apr_size_t k;

    if (room > 0) {
        k = len < room ? len : room;
        memcpy(STRATA__CHUNK_DATA(t) + t->end, src, k);
        src += k;
        len -= k;
    }
    for (; len > 0; list = list->next) {
        k = len < list->cap ? len : list->cap;
        memcpy(STRATA__CHUNK_DATA(list), src, k);
        list->end = k;
        src += k;
        len -= k;
    }
}

apr_status_t strata__pipe_put(strata_pipe_t *p, const void *data,
                              apr_size_t len)
{
    strata__chunk_t *t, *first, *last;
    apr_size_t room;
    apr_status_t rv;

    apr_thread_mutex_lock(p->lock);
    if (p->wclosed || p->rclosed) {
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ECLOSED;
    }
    if (p->pending) {
        apr_thread_mutex_unlock(p->lock);
        return STRATA_ESTATE;
    }
    if (len == 0) {
        apr_thread_mutex_unlock(p->lock);
        return APR_SUCCESS;
    }
    tail_rewind(p);
    t = p->tail;
    room = t != NULL ? t->cap - t->end : 0;
    rv = take_chunks(p, len > room ? len - room : 0, &first, &last);
    /* Keep the tail from being rewound while we copy into it unlocked. */
    p->pending = rv == APR_SUCCESS;
    apr_thread_mutex_unlock(p->lock);
    if (rv != APR_SUCCESS)
        return rv;
    fill_chunks(t, room, first, data, len);
    apr_thread_mutex_lock(p->lock);
    p->pending = 0;
    if (p->rclosed) {
        apr_thread_mutex_unlock(p->lock);
        strata__chunk_put(p->cp, first);
        return STRATA_ECLOSED;
    }
    if (t != NULL)
        t->end += len < room ? len : room;
    if (first != NULL) {
        if (t != NULL)
            t->next = first;
        else
            p->head = first;
        p->tail = last;
    }
    publish(p, len);
    apr_thread_mutex_unlock(p->lock);
    notify(p, len);
    return APR_SUCCESS;
}

apr_status_t strata_pipe_write(strata_pipe_t *p, const void *data,
                               apr_size_t len)
{
    if (p == NULL || (data == NULL && len > 0))
        return APR_EINVAL;
    return strata__pipe_put(p, data, len);
}

apr_status_t strata_pipe_close_writer(strata_pipe_t *p, apr_status_t status)
{
    if (p == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(p->lock);
    if (p->wclosed) {
        apr_thread_mutex_unlock(p->lock);
        return APR_SUCCESS;
    }
    p->wclosed = 1;
    p->wstatus = APR_STATUS_IS_EOF(status) ? APR_SUCCESS : status;
    p->pending = 0;
    apr_thread_cond_broadcast(p->readable);
    if (p->wwaiting)             /* another thread in wait_writable */
        apr_thread_cond_broadcast(p->writable);
    apr_thread_mutex_unlock(p->lock);
    notify(p, 0);
    return APR_SUCCESS;
}

/* ---- waiting (the blocking views) --------------------------------------- */

apr_status_t strata__pipe_wait(strata_pipe_t *p, int for_reader,
                               apr_time_t deadline)
{
    apr_thread_cond_t *cond = for_reader ? p->readable : p->writable;
    int *waiting = for_reader ? &p->rwaiting : &p->wwaiting;
    apr_time_t now;
    apr_status_t rv;

    (*waiting)++;
    if (deadline == 0) {
        rv = apr_thread_cond_wait(cond, p->lock);
    } else if ((now = apr_time_now()) >= deadline) {
        rv = APR_TIMEUP;
    } else {
        rv = apr_thread_cond_timedwait(cond, p->lock, deadline - now);
    }
    (*waiting)--;
    return rv;
}
