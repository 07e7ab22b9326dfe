/*
 * executor.c -- the executor (an apr_thread_pool) and futures.
 *
 * A future's state moves PENDING -> CLAIMED -> DONE.  Whoever wins the
 * PENDING -> CLAIMED step (a worker about to run the function, or a cancel)
 * completes it, so it completes exactly once.  Futures are malloc'ed and
 * reference counted; their wait/callback state is guarded by one of a few
 * striped mutexes of the executor, so a future costs no APR objects.  A
 * DONE future is read without locks, which lets futures outlive their
 * executor.
 */
#include "strata_private.h"
#include "strata_executor_private.h"
#include "strata_os.h"
#include <apr_thread_pool.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_atomic.h>
#include <stdlib.h>

#define EX_STRIPES 16
#define EX_MAX_THREADS 1024

/* Future states. */
#define F_PENDING 0u
#define F_CLAIMED 1u
#define F_DONE    2u

/* Executor states (guarded by mu). */
#define EX_OPEN      0
#define EX_FINISHING 1
#define EX_CANCELING 2
#define EX_DESTROYED 3

typedef struct ex_stripe_t {
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cond;
} ex_stripe_t;

struct strata_executor_t {
    apr_pool_t *pool;           /* sub-pool: the thread pool and the locks,
                                   which live as long as the handle */
    apr_thread_pool_t *tp;
    apr_size_t threads;
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *idle;    /* signalled when outstanding reaches 0 */
    apr_size_t outstanding;     /* tasks + holds not finished */
    int state;
    volatile apr_uint32_t canceling;   /* read by workers without mu */
    volatile apr_uint32_t destroyed;   /* the workers are gone */
    volatile apr_uint32_t next_stripe;
    ex_stripe_t stripes[EX_STRIPES];
    /* One extension object (the io_uring ring), made on first demand and
     * stopped after the last work; ext_state 0 none, 1 made, 2 failed. */
    void *ext;
    void (*ext_stop)(void *);
    int ext_state;
};

struct strata_future_t {
    strata_executor_t *ex;
    strata_task_fn *fn;
    void *arg;
    void *result;
    apr_status_t status;
    volatile apr_uint32_t state;
    volatile apr_uint32_t refs;
    strata_future_cb *cb;
    void *baton;
    unsigned stripe;
    unsigned waiters;
    int always;         /* strata's own work: runs even when cancelling */
};

/* ---- futures ------------------------------------------------------------ */

static strata_future_t *future_alloc(strata_executor_t *ex, apr_uint32_t refs)
{
    strata_future_t *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return NULL;
    f->ex = ex;
    f->status = APR_EBUSY;
    f->stripe = strata__at_inc(&ex->next_stripe) % EX_STRIPES;
    strata__at_store(&f->state, F_PENDING);
    strata__at_store(&f->refs, refs);
    return f;
}

static void future_unref(strata_future_t *f)
{
    if (strata__at_dec(&f->refs) == 0)
        free(f);
}

int strata__future_claim(strata_future_t *f)
{
    return strata__at_cas(&f->state, F_CLAIMED, F_PENDING) == F_PENDING;
}

void strata__future_complete(strata_future_t *f, apr_status_t status,
                             void *result)
{
    ex_stripe_t *st = &f->ex->stripes[f->stripe];
    strata_future_cb *cb;
    void *baton;

    int wake;

    apr_thread_mutex_lock(st->mu);
    f->status = status;
    f->result = result;
    cb = f->cb;
    baton = f->baton;
    f->cb = NULL;
    strata__at_store(&f->state, F_DONE);
    wake = f->waiters > 0;
    apr_thread_mutex_unlock(st->mu);
    /* Woken after the unlock, a waiter does not block again on the mutex
     * (the condition lives as long as the executor's locks). */
    if (wake)
        apr_thread_cond_broadcast(st->cond);
    if (cb != NULL)
        cb(f, baton);
}

apr_status_t strata__future_new(strata_future_t **out, strata_executor_t *ex,
                                int caller_ref)
{
    strata_future_t *f = future_alloc(ex, caller_ref ? 2 : 1);

    if (f == NULL)
        return APR_ENOMEM;
    *out = f;
    return APR_SUCCESS;
}

strata_executor_t *strata__future_executor(strata_future_t *f)
{
    return f->ex;
}

int strata_future_done(strata_future_t *f)
{
    return f != NULL && strata__at_load(&f->state) == F_DONE;
}

apr_status_t strata_future_status(strata_future_t *f)
{
    if (f == NULL)
        return APR_EINVAL;
    return strata_future_done(f) ? f->status : APR_EBUSY;
}

void *strata_future_result(strata_future_t *f)
{
    return strata_future_done(f) ? f->result : NULL;
}

apr_status_t strata_future_wait(strata_future_t *f,
                                apr_interval_time_t timeout)
{
    ex_stripe_t *st;
    apr_time_t deadline;
    apr_status_t rv = APR_SUCCESS;

    if (f == NULL)
        return APR_EINVAL;
    if (strata_future_done(f))
        return APR_SUCCESS;
    if (timeout == 0)
        return APR_TIMEUP;
    st = &f->ex->stripes[f->stripe];
    deadline = timeout > 0 ? apr_time_now() + timeout : 0;
    apr_thread_mutex_lock(st->mu);
    f->waiters++;
    while (strata__at_load(&f->state) != F_DONE) {
        if (timeout < 0) {
            apr_thread_cond_wait(st->cond, st->mu);
        } else {
            apr_time_t left = deadline - apr_time_now();
            if (left <= 0) {
                rv = APR_TIMEUP;
                break;
            }
            apr_thread_cond_timedwait(st->cond, st->mu, left);
        }
    }
    f->waiters--;
    apr_thread_mutex_unlock(st->mu);
    return rv;
}

apr_status_t strata_future_then(strata_future_t *f, strata_future_cb *cb,
                                void *baton)
{
    ex_stripe_t *st;

    if (f == NULL || cb == NULL)
        return APR_EINVAL;
    if (!strata_future_done(f)) {
        st = &f->ex->stripes[f->stripe];
        apr_thread_mutex_lock(st->mu);
        if (strata__at_load(&f->state) != F_DONE) {
            if (f->cb != NULL) {
                apr_thread_mutex_unlock(st->mu);
                return STRATA_ESTATE;
            }
            f->cb = cb;
            f->baton = baton;
            apr_thread_mutex_unlock(st->mu);
            return APR_SUCCESS;
        }
        apr_thread_mutex_unlock(st->mu);
    }
    cb(f, baton);
    return APR_SUCCESS;
}

apr_status_t strata_future_cancel(strata_future_t *f)
{
    if (f == NULL)
        return APR_EINVAL;
    if (!strata__future_claim(f))
        return APR_EBUSY;
    strata__future_complete(f, STRATA_ECANCELED, NULL);
    return APR_SUCCESS;
}

void strata_future_retain(strata_future_t *f)
{
    if (f != NULL)
        strata__at_inc(&f->refs);
}

void strata_future_release(strata_future_t *f)
{
    if (f != NULL)
        future_unref(f);
}

/* ---- the executor ------------------------------------------------------- */

apr_status_t strata__executor_hold(strata_executor_t *ex)
{
    apr_status_t rv = APR_SUCCESS;

    apr_thread_mutex_lock(ex->mu);
    if (ex->state >= EX_CANCELING)
        rv = STRATA_ECLOSED;
    else
        ex->outstanding++;
    apr_thread_mutex_unlock(ex->mu);
    return rv;
}

void strata__executor_unhold(strata_executor_t *ex)
{
    apr_thread_mutex_lock(ex->mu);
    if (--ex->outstanding == 0)
        apr_thread_cond_broadcast(ex->idle);
    apr_thread_mutex_unlock(ex->mu);
}

int strata__executor_cancelling(strata_executor_t *ex)
{
    return strata__at_load(&ex->canceling) != 0;
}

static void *APR_THREAD_FUNC ex_task(apr_thread_t *thd, void *arg)
{
    strata_future_t *f = arg;
    strata_executor_t *ex = f->ex;

    (void)thd;
    if (strata__future_claim(f)) {
        if (strata__executor_cancelling(ex) && !f->always) {
            strata__future_complete(f, STRATA_ECANCELED, NULL);
        } else {
            void *result = NULL;
            apr_status_t rv = f->fn(f->arg, &result);
            strata__future_complete(f, rv, result);
        }
    }
    future_unref(f);
    strata__executor_unhold(ex);
    return NULL;
}

static apr_status_t ex_submit(strata_executor_t *ex, strata_task_fn *fn,
                              void *arg, strata_future_t **out, int always)
{
    strata_future_t *f;
    apr_status_t rv;

    if (ex == NULL || fn == NULL)
        return APR_EINVAL;
    f = future_alloc(ex, out != NULL ? 2 : 1);
    if (f == NULL)
        return APR_ENOMEM;
    f->fn = fn;
    f->arg = arg;
    f->always = always;
    rv = strata__executor_hold(ex);
    if (rv != APR_SUCCESS) {
        free(f);
        return rv;
    }
    if (out != NULL)
        *out = f;
    rv = apr_thread_pool_push(ex->tp, ex_task, f,
                              APR_THREAD_TASK_PRIORITY_NORMAL, ex);
    if (rv != APR_SUCCESS) {
        free(f);
        strata__executor_unhold(ex);
    }
    return rv;
}

apr_status_t strata_executor_submit(strata_executor_t *ex, strata_task_fn *fn,
                                    void *arg, strata_future_t **out)
{
    return ex_submit(ex, fn, arg, out, 0);
}

apr_status_t strata__executor_submit_always(strata_executor_t *ex,
                                            strata_task_fn *fn, void *arg)
{
    return ex_submit(ex, fn, arg, NULL, 1);
}

apr_size_t strata_executor_threads(const strata_executor_t *ex)
{
    return ex != NULL ? ex->threads : 0;
}

apr_size_t strata_executor_pending(strata_executor_t *ex)
{
    apr_size_t n;

    if (ex == NULL)
        return 0;
    apr_thread_mutex_lock(ex->mu);
    n = ex->outstanding;
    apr_thread_mutex_unlock(ex->mu);
    return n;
}

apr_status_t strata__executor_ext(strata_executor_t *ex,
                                 apr_status_t (*make)(strata_executor_t *,
                                                      void **),
                                 void (*stop)(void *), void **ext)
{
    apr_status_t rv = APR_SUCCESS;

    apr_thread_mutex_lock(ex->mu);
    if (ex->ext_state == 0 && ex->state == EX_OPEN) {
        rv = make(ex, &ex->ext);
        ex->ext_state = rv == APR_SUCCESS ? 1 : 2;
        ex->ext_stop = stop;
    }
    if (ex->ext_state == 1) {
        *ext = ex->ext;
        rv = APR_SUCCESS;
    } else if (rv == APR_SUCCESS) {
        rv = STRATA_ENOTSUP;
    }
    apr_thread_mutex_unlock(ex->mu);
    return rv;
}

static void ex_stop(strata_executor_t *ex, int how)
{
    if (strata__at_load(&ex->destroyed))
        return;
    apr_thread_mutex_lock(ex->mu);
    if (how == STRATA_EXECUTOR_CANCEL) {
        ex->state = EX_CANCELING;
        strata__at_store(&ex->canceling, 1);
    } else if (ex->state == EX_OPEN) {
        ex->state = EX_FINISHING;
    }
    while (ex->outstanding > 0)
        apr_thread_cond_wait(ex->idle, ex->mu);
    ex->state = EX_DESTROYED;
    apr_thread_mutex_unlock(ex->mu);
    if (ex->ext_state == 1)
        ex->ext_stop(ex->ext);
    ex->ext_state = 2;
    /* No task is left; the workers only need joining. */
    apr_thread_pool_destroy(ex->tp);
    /* The locks stay until @pool goes, so a late submit finds them. */
    strata__at_store(&ex->destroyed, 1);
}

static apr_status_t ex_cleanup(void *data)
{
    ex_stop(data, STRATA_EXECUTOR_CANCEL);
    return APR_SUCCESS;
}

apr_status_t strata_executor_destroy(strata_executor_t *ex, int how)
{
    if (ex == NULL
        || (how != STRATA_EXECUTOR_FINISH && how != STRATA_EXECUTOR_CANCEL))
        return APR_EINVAL;
    ex_stop(ex, how);
    return APR_SUCCESS;
}

apr_status_t strata_executor_create(strata_executor_t **out, apr_size_t threads,
                                    apr_pool_t *pool)
{
    strata_executor_t *ex;
    apr_pool_t *sub;
    apr_status_t rv;
    int i;

    if (out == NULL || pool == NULL || threads < 1 || threads > EX_MAX_THREADS)
        return APR_EINVAL;
    rv = apr_pool_create(&sub, pool);
    if (rv != APR_SUCCESS)
        return rv;
    ex = apr_pcalloc(pool, sizeof(*ex));
    ex->pool = sub;
    ex->threads = threads;
    rv = apr_thread_mutex_create(&ex->mu, APR_THREAD_MUTEX_DEFAULT, sub);
    if (rv == APR_SUCCESS)
        rv = apr_thread_cond_create(&ex->idle, sub);
    for (i = 0; rv == APR_SUCCESS && i < EX_STRIPES; i++) {
        rv = apr_thread_mutex_create(&ex->stripes[i].mu,
                                     APR_THREAD_MUTEX_DEFAULT, sub);
        if (rv == APR_SUCCESS)
            rv = apr_thread_cond_create(&ex->stripes[i].cond, sub);
    }
    strata__os_thread_prepare();     /* a worker's exit must not abort */
    if (rv == APR_SUCCESS)
        rv = apr_thread_pool_create(&ex->tp, threads, threads, sub);
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(sub);
        return rv;
    }
    /* Idle workers stay: the pool never shrinks below its size. */
    apr_thread_pool_idle_max_set(ex->tp, threads);
    /* A pre-cleanup runs before sub-pools go, so workers stop while the
     * locks they use still exist. */
    apr_pool_pre_cleanup_register(pool, ex, ex_cleanup);
    *out = ex;
    return APR_SUCCESS;
}
