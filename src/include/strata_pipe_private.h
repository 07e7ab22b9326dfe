/*
 * strata_pipe_private.h -- the chunk layout shared by chunk_pool.c and the
 * pipe (pipe.c, pipe_stream.c).  Not exported.
 */
#ifndef STRATA_PIPE_PRIVATE_H
#define STRATA_PIPE_PRIVATE_H

#include "strata/pipe.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>

/* A chunk: this header, then cap bytes of data.  Unread bytes are
 * data[start, end); the writer fills from end on. */
typedef struct strata__chunk_t {
    struct strata__chunk_t *next;
    apr_size_t start, end, cap;
} strata__chunk_t;

#define STRATA__CHUNK_DATA(c) ((char *)((c) + 1))

/* Take a chunk (start = end = 0, next = NULL) from @cp: a spare one, or a
 * new one from the heap.  APR_ENOMEM if the heap says no. */
apr_status_t strata__chunk_get(strata_chunk_pool_t *cp, strata__chunk_t **out);

/* Take a chunk of at least @size usable bytes: of the smallest size class
 * that holds it, or a one-off chunk of exactly @size beyond the largest
 * class.  APR_ENOMEM if the heap says no (or @size cannot be allocated). */
apr_status_t strata__chunk_get_size(strata_chunk_pool_t *cp, apr_size_t size,
                                    strata__chunk_t **out);

/* Give back a NULL-terminated list of chunks linked by next. */
void strata__chunk_put(strata_chunk_pool_t *cp, strata__chunk_t *list);

/* Usable bytes per chunk. */
apr_size_t strata__chunk_size(const strata_chunk_pool_t *cp);

/* The pipe.  Fields marked (lock) are read and written under lock only;
 * see pipe.c for who owns what. */
struct strata_pipe_t {
    apr_pool_t *pool;
    strata_chunk_pool_t *cp;
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *readable;     /* a reader waits here for data/end */
    apr_thread_cond_t *writable;     /* a writer waits here to resume */
    strata__chunk_t *head, *tail;    /* (lock) */
    apr_size_t unread;               /* (lock) committed, not consumed */
    apr_uint64_t consumed;           /* (lock) bytes consumed, ever */
    apr_uint64_t examined;           /* (lock) absolute examined mark */
    apr_status_t wstatus;            /* (lock) the writer's closing status */
    int wclosed, rclosed, paused;    /* (lock) */
    int rwaiting, wwaiting;          /* (lock) threads in a wait */
    int pending;                     /* (lock) a get_buffer is outstanding */
    apr_size_t pending_cap;          /* (lock) its cap */
    /* Reader only: the last read_until that found nothing, while the read
     * position was scan_at: offsets below scan_from hold no start of
     * scan_delim (scan_dlen 0: none), so a trickling record is scanned
     * once. */
    apr_uint64_t scan_at;
    apr_size_t scan_from, scan_dlen;
    char scan_delim[16];
    apr_size_t pause, resume;
    apr_interval_time_t timeout;
    strata_pipe_data_fn *on_data;
    void *baton;
    strata_pipe_writable_fn *on_writable;   /* (lock) */
    void *wbaton;                            /* (lock) */
    /* Record views (pipe_view.c): chunks consumed under a view, returned
     * at the next reader call; while view_hold is set the writer does not
     * rewind the tail.  Written by the reader under the lock. */
    strata__chunk_t *held;
    int view_hold;
    char *scratch;                   /* reader only: a spanning record */
    apr_size_t scratch_cap;
};

/* pipe.c: copy @len bytes in and publish them (strata_pipe_write without
 * the argument checks). */
apr_status_t strata__pipe_put(strata_pipe_t *p, const void *data,
                              apr_size_t len);

/* pipe.c: wait on the reader's (@for_reader) or the writer's condition,
 * with p->lock held, until @deadline (0: no limit).  APR_TIMEUP once the
 * deadline has passed. */
apr_status_t strata__pipe_wait(strata_pipe_t *p, int for_reader,
                               apr_time_t deadline);

/* What the reader may look at: taken under the lock, used without it.  A
 * chunk that is not the snapshot's tail no longer changes; in the tail,
 * only bytes past tail_end do. */
typedef struct strata__pipe_snap_t {
    strata__chunk_t *head, *tail;
    apr_size_t head_start, tail_end;
    apr_size_t avail;               /* unread bytes in the snapshot */
    apr_uint64_t consumed, examined;
    apr_status_t empty_rv;          /* the answer when avail is not enough */
    int wclosed;
} strata__pipe_snap_t;

/* Bounds [*s, *e) of chunk @c's unread bytes within @v. */
static APR_INLINE void strata__snap_bounds(const strata__pipe_snap_t *v,
                                           const strata__chunk_t *c,
                                           apr_size_t *s, apr_size_t *e)
{
    *s = c == v->head ? v->head_start : c->start;
    *e = c == v->tail ? v->tail_end : c->end;
}

/* The chunk after @c in @v, NULL after its tail. */
static APR_INLINE strata__chunk_t *strata__snap_next(
    const strata__pipe_snap_t *v, const strata__chunk_t *c)
{
    return c == v->tail ? NULL : c->next;
}

/* pipe_snap.c: take a snapshot (ending the last record view first).
 * STRATA_ECLOSED after close_reader (the snapshot is still filled in),
 * else APR_SUCCESS. */
apr_status_t strata__pipe_snap(strata_pipe_t *p, strata__pipe_snap_t *v);

/* pipe_snap.c: copy @n bytes starting @off bytes into @v
 * (off + n <= avail). */
void strata__pipe_snap_copy(const strata__pipe_snap_t *v, apr_size_t off,
                            char *dst, apr_size_t n);

/* pipe_snap.c: offset of the first @needle (@nlen >= 1) lying wholly in
 * [@start, @end) of @v (end clipped to avail); APR_NOTFOUND (*pos 0). */
apr_status_t strata__pipe_snap_find(const strata__pipe_snap_t *v,
                                    const char *needle, apr_size_t nlen,
                                    apr_size_t start, apr_size_t end,
                                    apr_size_t *pos);

/* pipe_snap.c: consume @n unread bytes: move head->start, return drained
 * chunks before the tail to the pool (with @hold, keep them on p->held and
 * keep the writer from rewinding the tail, so a record view into them
 * stays valid until the next reader call), resume a paused writer when
 * due (signal, on_writable callback). */
void strata__pipe_consume(strata_pipe_t *p, apr_size_t n, int hold);

/* pipe_snap.c: end the last record view, if any (reader's thread). */
void strata__pipe_release(strata_pipe_t *p);

/* pipe_read.c: find the first @delim lying wholly inside the first @max
 * bytes of @v, remembering (in p->scan_*) how far a failed search looked
 * so that a trickling record is scanned once.  APR_NOTFOUND if absent. */
apr_status_t strata__pipe_until(strata_pipe_t *p,
                                const strata__pipe_snap_t *v,
                                const char *delim, apr_size_t delim_len,
                                apr_size_t max, apr_size_t *pos);

/* pipe_read.c: strata_pipe_read_atmost without the argument checks. */
apr_status_t strata__pipe_read_atmost(strata_pipe_t *p, void *buf,
                                      apr_size_t max, apr_size_t *n);

#endif /* STRATA_PIPE_PRIVATE_H */
