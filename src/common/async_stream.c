/*
 * async_stream.c -- async streams: a serial queue of operations in front of
 * a stream, drained on the executor (or, for plain file reads and writes,
 * through io_uring).
 *
 * One "pump" at a time drains a stream's queue (a->scheduled says one is
 * queued, running, or waiting for an io_uring completion), so operations
 * never overlap or reorder.  The pump runs on a pool worker; after an
 * io_uring completion it goes on on the ring's thread for as long as the
 * next operations are ones io_uring (or plain arithmetic) can do, and hands
 * over to a worker for anything that may block.
 */
#include "strata_private.h"
#include "strata_executor_private.h"
#include "strata_async_private.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_strings.h>
#include <apr_env.h>
#include <stdlib.h>
#include <string.h>

/* ---- the queue ------------------------------------------------------------ */

static void op_free(aop_t *op)
{
    free(op);
}

/* Complete a claimed operation and drop the completer's reference. */
static void op_finish(aop_t *op, apr_status_t rv)
{
    strata_future_t *f = op->f;
    strata_async_t *a = op->a;

    op_free(op);
    strata__future_complete(f, rv, a);
    strata_future_release(f);
}

void strata__async_finish(aop_t *op, apr_status_t rv)
{
    op_finish(op, rv);
}

/* Put a claimed operation back in front (to run on a worker instead). */
void strata__async_requeue(strata_async_t *a, aop_t *op)
{
    op->claimed = 1;
    apr_thread_mutex_lock(a->mu);
    op->next = a->head;
    a->head = op;
    if (a->tail == NULL)
        a->tail = op;
    apr_thread_mutex_unlock(a->mu);
}

/* Fail everything queued (the executor refused the pump). */
static void async_fail_all(strata_async_t *a, apr_status_t rv)
{
    aop_t *op, *next;

    apr_thread_mutex_lock(a->mu);
    op = a->head;
    a->head = a->tail = NULL;
    a->scheduled = 0;
    apr_thread_cond_broadcast(a->idle);
    apr_thread_mutex_unlock(a->mu);
    for (; op != NULL; op = next) {
        next = op->next;
        if (op->claimed || strata__future_claim(op->f))
            op_finish(op, rv);
        else {
            strata_future_release(op->f);
            op_free(op);
        }
    }
}

static apr_status_t async_pump_task(void *arg, void **result);

/* Hand the pump to a pool worker. */
void strata__async_pump_on_pool(strata_async_t *a)
{
    apr_status_t rv = strata__executor_submit_always(a->ex, async_pump_task, a);

    if (rv != APR_SUCCESS)
        async_fail_all(a, rv == STRATA_ECLOSED ? STRATA_ECANCELED : rv);
}

/* Can @op run on the io_uring thread (no blocking call)? */
static int op_inline_ok(strata_async_t *a, const aop_t *op)
{
    if (a->ring == NULL)
        return 0;
    switch (op->kind) {
    case AOP_READ: case AOP_WRITE: case AOP_TELL: case AOP_SEEK:
        return 1;
    default:
        return 0;
    }
}

/*
 * Drain the queue.  @on_pool: this is a pool worker (anything may run);
 * otherwise the io_uring thread (only what op_inline_ok allows).
 */
void strata__async_pump(strata_async_t *a, int on_pool)
{
    aop_t *op;
    apr_status_t rv;

    for (;;) {
        apr_thread_mutex_lock(a->mu);
        op = a->head;
        if (op == NULL) {
            a->scheduled = 0;
            apr_thread_cond_broadcast(a->idle);
            apr_thread_mutex_unlock(a->mu);
            return;
        }
        if (!on_pool && !op_inline_ok(a, op)) {
            apr_thread_mutex_unlock(a->mu);
            strata__async_pump_on_pool(a);
            return;
        }
        a->head = op->next;
        if (a->head == NULL)
            a->tail = NULL;
        apr_thread_mutex_unlock(a->mu);

        if (!op->claimed && !strata__future_claim(op->f)) {   /* cancelled */
            strata_future_release(op->f);
            op_free(op);
            continue;
        }
        if (strata__executor_cancelling(a->ex)) {
            op_finish(op, STRATA_ECANCELED);
            continue;
        }
        if (a->broken != APR_SUCCESS && op->kind != AOP_CLOSE) {
            op_finish(op, a->broken);
            continue;
        }
        if (a->ring != NULL && op->len > 0
            && (op->kind == AOP_READ || op->kind == AOP_WRITE)) {
            if (strata__async_uring_start(a, op) == APR_SUCCESS)
                return;         /* the completion goes on pumping */
            if (!on_pool) {     /* refused: a worker does it */
                strata__async_requeue(a, op);
                strata__async_pump_on_pool(a);
                return;
            }
        }
        rv = strata__async_run(a, op);
        op_finish(op, rv);
    }
}

static apr_status_t async_pump_task(void *arg, void **result)
{
    (void)result;
    strata__async_pump(arg, 1);
    return APR_SUCCESS;
}

apr_status_t strata__async_enqueue(strata_async_t *a, aop_t *op,
                                   strata_future_t **out)
{
    apr_status_t rv, early = APR_SUCCESS;
    int start = 0, done_now = 0;

    rv = strata__future_new(&op->f, a->ex, out != NULL);
    if (rv != APR_SUCCESS) {
        op_free(op);
        return rv;
    }
    op->a = a;
    if (out != NULL)
        *out = op->f;
    apr_thread_mutex_lock(a->mu);
    if (a->closed) {
        done_now = 1;
        early = op->kind == AOP_CLOSE ? APR_SUCCESS : STRATA_ECLOSED;
    } else {
        if (op->kind == AOP_CLOSE)
            a->closed = 1;
        if (a->tail != NULL)
            a->tail->next = op;
        else
            a->head = op;
        a->tail = op;
        if (!a->scheduled)
            start = a->scheduled = 1;
    }
    apr_thread_mutex_unlock(a->mu);
    if (done_now) {
        strata__future_claim(op->f);
        op_finish(op, early);
    } else if (start && a->ring != NULL) {
        /* This thread owns the pump now (scheduled was 0).  On the
         * io_uring path it starts here what cannot block -- a read or
         * write goes to the ring, a seek or tell is arithmetic and
         * completes here -- and hands anything else to a worker, so an
         * idle stream costs no thread hop. */
        strata__async_pump(a, 0);
    } else if (start) {
        strata__async_pump_on_pool(a);
    }
    return APR_SUCCESS;
}

/* ---- running one operation (pool path) ------------------------------------ */

/* Make the read buffer that read_line needs (on the pump). */
static apr_status_t async_lines(strata_async_t *a)
{
    apr_status_t rv;

    if (a->lines != NULL)
        return APR_SUCCESS;
    if (strcmp(strata_stream_name(a->inner), "buffered") == 0) {
        a->lines = a->inner;
        return APR_SUCCESS;
    }
    strata__async_uring_leave(a);
    rv = strata_buffered_create(&a->lines, a->inner, 0, 0, 0, a->pool);
    if (rv == APR_SUCCESS)
        a->top = a->lines;
    return rv;
}

static apr_status_t async_close_now(strata_async_t *a)
{
    apr_status_t rv = APR_SUCCESS, rv2;

    if (a->inner == NULL)       /* never opened */
        return APR_SUCCESS;
    if (a->lines != NULL && a->lines != a->inner)
        rv = strata_close(a->lines);   /* flushes; the inner stream stays */
    if (a->own)
        rv2 = strata_close(a->inner);
    else
        rv2 = strata_flush(a->inner, STRATA_FLUSH_BUFFERS);
    return rv != APR_SUCCESS ? rv : rv2;
}

apr_status_t strata__async_run(strata_async_t *a, aop_t *op)
{
    const char *data;
    apr_size_t n;
    apr_status_t rv;

    if (op->kind != AOP_OPEN && op->kind != AOP_CLOSE && a->top == NULL)
        return STRATA_ECLOSED;
    if (a->ring != NULL && (op->kind == AOP_SEEK || op->kind == AOP_TELL))
        return strata__async_uring_seek(a, op);
    if (op->kind != AOP_OPEN)
        strata__async_uring_sync(a);
    switch (op->kind) {
    case AOP_OPEN:
        rv = strata__async_do_open(a, op);
        if (rv != APR_SUCCESS)
            a->broken = rv;
        return rv;
    case AOP_READ:
        return strata_read(a->top, op->buf, op->len, op->count);
    case AOP_WRITE:             /* io_uring may have written a part */
        n = 0;
        rv = strata_write_all(a->top, (char *)op->buf + op->moved,
                              op->len - op->moved, &n);
        op->moved += n;
        *op->count = op->moved;
        return rv;
    case AOP_LINE:
        *op->count = 0;
        if ((rv = async_lines(a)) != APR_SUCCESS)
            return rv;
        rv = strata_read_line(a->lines, op->len, &data, &n);
        if (rv == APR_SUCCESS) {
            memcpy(op->buf, data, n);
            *op->count = n;
        }
        return rv;
    case AOP_FLUSH:
        return strata_flush(a->top, op->where);
    case AOP_SEEK:
        return strata_seek(a->top, op->off, op->where, op->pos);
    case AOP_TELL:
        return strata_tell(a->top, op->pos);
    case AOP_CLOSE:
        rv = async_close_now(a);
        strata__async_uring_leave(a);
        a->top = NULL;
        return rv;
    }
    return APR_EINVAL;
}

/* ---- public calls ------------------------------------------------------------ */

static apr_status_t async_cleanup(void *data)
{
    strata_async_t *a = data;
    aop_t *op = calloc(1, sizeof(*op));

    /* Queue a close (harmless if one was queued) and wait for the queue. */
    if (op != NULL) {
        op->kind = AOP_CLOSE;
        strata__async_enqueue(a, op, NULL);
    }
    apr_thread_mutex_lock(a->mu);
    while (a->scheduled)
        apr_thread_cond_wait(a->idle, a->mu);
    apr_thread_mutex_unlock(a->mu);
    if (a->top != NULL)         /* the executor was gone: close here */
        async_close_now(a);
    a->top = NULL;
    return APR_SUCCESS;
}

apr_status_t strata__async_new(strata_async_t **out, strata_executor_t *ex,
                               unsigned flags, apr_pool_t *pool)
{
    strata_async_t *a;
    apr_pool_t *sub;
    apr_status_t rv;

    rv = apr_pool_create(&sub, pool);
    if (rv != APR_SUCCESS)
        return rv;
    a = apr_pcalloc(sub, sizeof(*a));
    a->pool = sub;
    a->ex = ex;
    a->flags = flags;
    rv = apr_thread_mutex_create(&a->mu, APR_THREAD_MUTEX_DEFAULT, sub);
    if (rv == APR_SUCCESS)
        rv = apr_thread_cond_create(&a->idle, sub);
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(sub);
        return rv;
    }
    /* Before the sub-pool's own cleanups, so the stream still exists. */
    apr_pool_pre_cleanup_register(sub, a, async_cleanup);
    *out = a;
    return APR_SUCCESS;
}

apr_status_t strata_async_create(strata_async_t **out, strata_stream_t *inner,
                                 strata_executor_t *ex, unsigned flags,
                                 apr_pool_t *pool)
{
    strata_async_t *a;
    apr_status_t rv;

    if (out == NULL || inner == NULL || ex == NULL || pool == NULL)
        return APR_EINVAL;
    rv = strata__async_new(&a, ex, flags, pool);
    if (rv != APR_SUCCESS)
        return rv;
    a->inner = a->top = inner;
    a->own = (flags & STRATA_OWN_INNER) != 0;
    a->published = inner;
    strata__async_uring_enter(a);
    *out = a;
    return APR_SUCCESS;
}

static aop_t *op_new(int kind)
{
    aop_t *op = calloc(1, sizeof(*op));

    if (op != NULL)
        op->kind = kind;
    return op;
}

apr_status_t strata_async_read(strata_async_t *a, void *buf, apr_size_t len,
                               apr_size_t *nread, strata_future_t **out)
{
    aop_t *op;

    if (a == NULL || (buf == NULL && len > 0) || nread == NULL)
        return APR_EINVAL;
    if ((op = op_new(AOP_READ)) == NULL)
        return APR_ENOMEM;
    op->buf = buf;
    op->len = len;
    op->count = nread;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_write(strata_async_t *a, const void *buf,
                                apr_size_t len, apr_size_t *nwritten,
                                strata_future_t **out)
{
    aop_t *op;

    if (a == NULL || (buf == NULL && len > 0))
        return APR_EINVAL;
    if ((op = op_new(AOP_WRITE)) == NULL)
        return APR_ENOMEM;
    op->buf = (void *)buf;
    op->len = len;
    op->count = nwritten != NULL ? nwritten : &op->scratch;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_read_line(strata_async_t *a, char *buf,
                                    apr_size_t max, apr_size_t *len,
                                    strata_future_t **out)
{
    aop_t *op;

    if (a == NULL || buf == NULL || max == 0 || len == NULL)
        return APR_EINVAL;
    if ((op = op_new(AOP_LINE)) == NULL)
        return APR_ENOMEM;
    op->buf = buf;
    op->len = max;
    op->count = len;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_flush(strata_async_t *a, int mode,
                                strata_future_t **out)
{
    aop_t *op;

    if (a == NULL)
        return APR_EINVAL;
    if ((op = op_new(AOP_FLUSH)) == NULL)
        return APR_ENOMEM;
    op->where = mode;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_seek(strata_async_t *a, apr_off_t offset, int where,
                               apr_off_t *newpos, strata_future_t **out)
{
    aop_t *op;

    if (a == NULL || (where != APR_SET && where != APR_CUR && where != APR_END))
        return APR_EINVAL;
    if ((op = op_new(AOP_SEEK)) == NULL)
        return APR_ENOMEM;
    op->off = offset;
    op->where = where;
    op->pos = newpos != NULL ? newpos : &op->scratch_off;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_tell(strata_async_t *a, apr_off_t *pos,
                               strata_future_t **out)
{
    aop_t *op;

    if (a == NULL || pos == NULL)
        return APR_EINVAL;
    if ((op = op_new(AOP_TELL)) == NULL)
        return APR_ENOMEM;
    op->pos = pos;
    return strata__async_enqueue(a, op, out);
}

apr_status_t strata_async_close(strata_async_t *a, strata_future_t **out)
{
    aop_t *op;

    if (a == NULL)
        return APR_EINVAL;
    if ((op = op_new(AOP_CLOSE)) == NULL)
        return APR_ENOMEM;
    return strata__async_enqueue(a, op, out);
}

strata_stream_t *strata_async_stream(strata_async_t *a)
{
    strata_stream_t *s;

    if (a == NULL)
        return NULL;
    apr_thread_mutex_lock(a->mu);
    s = a->published;
    apr_thread_mutex_unlock(a->mu);
    return s;
}

void strata__async_publish(strata_async_t *a, strata_stream_t *s)
{
    apr_thread_mutex_lock(a->mu);
    a->published = s;
    apr_thread_mutex_unlock(a->mu);
}

int strata_async_uses_uring(strata_async_t *a)
{
    return a != NULL && strata__at_load(&a->uses_uring) != 0;
}
