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

/* pipe_read.c: strata_pipe_read_atmost without the argument checks. */
apr_status_t strata__pipe_read_atmost(strata_pipe_t *p, void *buf,
                                      apr_size_t max, apr_size_t *n);

#endif /* STRATA_PIPE_PRIVATE_H */
