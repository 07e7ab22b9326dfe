/*
 * async_uring.c -- the io_uring path of async streams: plain file reads and
 * writes submitted to one of the executor's rings (made on first use),
 * completed on that ring's thread, which then goes on pumping the stream's
 * queue.  The file position is kept here (upos) while in this mode
 * and given back to the OS before anything else touches the file.
 */
#include "strata_private.h"
#include "strata_executor_private.h"
#include "strata_async_private.h"
#include <apr_env.h>
#include <stdlib.h>
#include <string.h>

/*
 * The executor's rings: as many as it has threads (at most RING_MAX), each
 * with its completion thread, so the completion work of many streams is
 * spread over the cores as the pool's is; a stream keeps the ring it got.
 */
#define RING_MAX 16

typedef struct ring_set_t {
    apr_size_t n;
    volatile apr_uint32_t next;
    strata__uring_t *ring[RING_MAX];
} ring_set_t;

static apr_status_t ring_make(strata_executor_t *ex, void **ext)
{
    apr_size_t want = strata_executor_threads(ex);
    ring_set_t *set = calloc(1, sizeof(*set));
    apr_status_t rv = APR_ENOMEM;

    if (set == NULL)
        return rv;
    if (want > RING_MAX)
        want = RING_MAX;
    while (set->n < want
           && (rv = strata__uring_create(&set->ring[set->n])) == APR_SUCCESS)
        set->n++;
    if (set->n == 0) {          /* none at all: the pool path */
        free(set);
        return rv;
    }
    *ext = set;
    return APR_SUCCESS;
}

static void ring_stop(void *ext)
{
    ring_set_t *set = ext;
    apr_size_t i;

    for (i = 0; i < set->n; i++)
        strata__uring_destroy(set->ring[i]);
    free(set);
}

static strata__uring_t *ring_pick(ring_set_t *set)
{
    return set->ring[strata__at_inc(&set->next) % set->n];
}

/* STRATA_NO_URING set to anything but "" or "0" forces the pool path. */
static int uring_disabled_by_env(void)
{
    const char *v = getenv("STRATA_NO_URING");

    return v != NULL && *v != '\0' && strcmp(v, "0") != 0;
}

void strata__async_uring_enter(strata_async_t *a)
{
    apr_file_t *f;
    apr_off_t pos = 0;
    void *set;

    if ((a->flags & STRATA_ASYNC_NO_URING) || uring_disabled_by_env())
        return;
    f = strata__file_raw(a->inner);
    if (f == NULL || (apr_file_flags_get(f) & APR_FOPEN_APPEND))
        return;
    if (apr_file_seek(f, APR_CUR, &pos) != APR_SUCCESS)
        return;                 /* not seekable (a pipe): the pool reads it */
    if (strata__executor_ext(a->ex, ring_make, ring_stop, &set) != APR_SUCCESS)
        return;
    apr_os_file_get(&a->fd, f);
    a->file = f;
    a->upos = pos;
    a->pos_stale = 0;
    a->ring = ring_pick(set);
    strata__at_store(&a->uses_uring, 1);
}

void strata__async_uring_sync(strata_async_t *a)
{
    apr_off_t pos;

    if (a->ring != NULL && a->pos_stale) {
        pos = a->upos;
        apr_file_seek(a->file, APR_SET, &pos);
        a->pos_stale = 0;
    }
}

void strata__async_uring_leave(strata_async_t *a)
{
    strata__async_uring_sync(a);
    a->ring = NULL;
}

apr_status_t strata__async_uring_seek(strata_async_t *a, aop_t *op)
{
    apr_off_t base = 0, np;
    apr_status_t rv;

    if (op->kind == AOP_TELL) {
        *op->pos = a->upos;
        return APR_SUCCESS;
    }
    switch (op->where) {
    case APR_SET:
        base = 0;
        break;
    case APR_CUR:
        base = a->upos;
        break;
    default:                    /* APR_END */
        rv = strata_control(a->inner, STRATA_CTL_FILE_SIZE, &base);
        if (rv != APR_SUCCESS)
            return rv;
        break;
    }
    np = base + op->off;
    if (np < 0)
        return APR_EINVAL;
    a->upos = np;
    a->pos_stale = 1;
    *op->pos = np;
    return APR_SUCCESS;
}

static void uring_done(strata__uring_req_t *req, apr_status_t rv,
                       apr_size_t n);

/* Reserve on the meters and submit the (rest of the) transfer. */
static apr_status_t uring_submit(strata_async_t *a, aop_t *op)
{
    int dir = op->kind == AOP_WRITE ? STRATA__DIR_WRITE : STRATA__DIR_READ;
    apr_size_t done = op->kind == AOP_WRITE ? op->moved : 0;
    apr_status_t rv;

    rv = strata__io_begin(a->inner, dir, op->len - done, &op->grant);
    if (rv == STRATA_EQUOTA && dir == STRATA__DIR_WRITE)
        strata__stream_fail(a->inner, rv);    /* as strata_write() does */
    if (rv != APR_SUCCESS)
        return rv;
    op->req.done = uring_done;
    rv = strata__uring_submit(a->ring, dir == STRATA__DIR_WRITE, a->fd,
                              (char *)op->buf + done, op->grant, a->upos,
                              &op->req);
    if (rv != APR_SUCCESS)
        strata__io_cancel(a->inner, dir, op->grant);
    return rv;
}

apr_status_t strata__async_uring_start(strata_async_t *a, aop_t *op)
{
    apr_status_t rv = strata__executor_hold(a->ex);

    if (rv != APR_SUCCESS)
        return rv;
    rv = uring_submit(a, op);
    if (rv != APR_SUCCESS)
        strata__executor_unhold(a->ex);
    return rv;
}

/* On the ring's thread. */
static void uring_done(strata__uring_req_t *req, apr_status_t rv, apr_size_t n)
{
    aop_t *op = (aop_t *)req;
    strata_async_t *a = op->a;
    strata_executor_t *ex = a->ex;
    int write = op->kind == AOP_WRITE;

    strata__io_end(a->inner, write ? STRATA__DIR_WRITE : STRATA__DIR_READ,
                   op->grant, rv == APR_SUCCESS ? n : 0);
    if (rv == APR_SUCCESS) {
        a->upos += (apr_off_t)n;
        a->pos_stale = 1;
        if (write) {
            op->moved += n;
            *op->count = op->moved;
            if (n == 0)
                rv = APR_EGENERAL;          /* no progress: give up */
            else if (op->moved < op->len
                     && (rv = uring_submit(a, op)) == APR_SUCCESS)
                return;                     /* the rest; still held */
        } else {
            *op->count = n;
            if (n == 0)
                rv = APR_EOF;
        }
    } else if (APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv)) {
        if (uring_submit(a, op) == APR_SUCCESS)
            return;
    } else if (APR_STATUS_IS_EINVAL(rv) || APR_STATUS_IS_ENOTIMPL(rv)
               || rv == APR_FROM_OS_ERROR(95) /* EOPNOTSUPP */) {
        /* The kernel cannot do this op here: the pool does it from now on
         * (a write keeps its partial count). */
        strata__async_uring_leave(a);
        strata__async_requeue(a, op);
        strata__async_pump_on_pool(a);
        strata__executor_unhold(ex);
        return;
    }
    /* A write that failed for good fails the stream, as strata_write(). */
    if (write && rv != APR_SUCCESS && !APR_STATUS_IS_EINTR(rv)
        && !APR_STATUS_IS_EAGAIN(rv))
        strata__stream_fail(a->inner, rv);
    strata__async_finish(op, rv);
    strata__async_pump(a, 0);
    strata__executor_unhold(ex);
}
