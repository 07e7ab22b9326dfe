/*
 * strata_async_private.h -- the async stream's insides, shared by
 * async_stream.c (the queue and the pool path), async_uring.c (the io_uring
 * path) and async_open.c.
 */
#ifndef STRATA_ASYNC_PRIVATE_H
#define STRATA_ASYNC_PRIVATE_H

#include "strata/async.h"
#include "strata_os_uring.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>

enum { AOP_OPEN, AOP_READ, AOP_WRITE, AOP_LINE, AOP_FLUSH, AOP_SEEK,
       AOP_TELL, AOP_CLOSE };

typedef struct aop_t aop_t;
struct aop_t {
    strata__uring_req_t req;    /* must be first: the ring hands it back */
    aop_t *next;
    strata_async_t *a;
    strata_future_t *f;
    int kind;
    int claimed;                /* put back at the head after a claim */
    void *buf;
    apr_size_t len;             /* read/write length; read_line max */
    apr_size_t *count;          /* nread, nwritten, line length */
    apr_off_t off;
    int where;                  /* seek: APR_SET..; flush: mode */
    apr_off_t *pos;
    apr_size_t scratch;         /* for NULL out-parameters */
    apr_off_t scratch_off;
    apr_size_t grant;           /* io_uring: bytes reserved on the meters */
    apr_size_t moved;           /* write: bytes written so far */
    /* open */
    const char *path;
    apr_int32_t aflags;
    strata_async_open_opts_t oopts;
};

struct strata_async_t {
    apr_pool_t *pool;           /* sub-pool: what the pump makes lives here */
    strata_executor_t *ex;
    unsigned flags;
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *idle;    /* broadcast when the pump stops */
    aop_t *head, *tail;         /* guarded by mu, as the next three */
    int scheduled;
    int closed;
    strata_stream_t *published;
    /* Touched by the pump only (one at a time). */
    apr_status_t broken;        /* the open failed */
    strata_stream_t *inner;     /* the stream made async (or opened) */
    strata_stream_t *lines;     /* read buffer for read_line, if any */
    strata_stream_t *top;       /* where operations go; NULL once closed */
    int own;
    /* io_uring path */
    strata__uring_t *ring;      /* non-NULL: plain reads/writes go there */
    apr_file_t *file;
    apr_os_file_t fd;
    apr_off_t upos;             /* the file position in that mode */
    int pos_stale;              /* the OS position lags upos */
    volatile apr_uint32_t uses_uring;
};

apr_status_t strata__async_new(strata_async_t **out, strata_executor_t *ex,
                               unsigned flags, apr_pool_t *pool);
apr_status_t strata__async_enqueue(strata_async_t *a, aop_t *op,
                                   strata_future_t **out);
void strata__async_pump(strata_async_t *a, int on_pool);
apr_status_t strata__async_run(strata_async_t *a, aop_t *op);
void strata__async_finish(aop_t *op, apr_status_t rv);
void strata__async_requeue(strata_async_t *a, aop_t *op);
void strata__async_pump_on_pool(strata_async_t *a);
void strata__async_publish(strata_async_t *a, strata_stream_t *s);
apr_status_t strata__async_do_open(strata_async_t *a, aop_t *op);

/* io_uring path (async_uring.c). */
void strata__async_uring_enter(strata_async_t *a);   /* if allowed */
void strata__async_uring_leave(strata_async_t *a);   /* back to the pool */
void strata__async_uring_sync(strata_async_t *a);    /* OS position = upos */
apr_status_t strata__async_uring_start(strata_async_t *a, aop_t *op);
apr_status_t strata__async_uring_seek(strata_async_t *a, aop_t *op);

#endif /* STRATA_ASYNC_PRIVATE_H */
