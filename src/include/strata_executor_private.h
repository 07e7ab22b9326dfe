/*
 * strata_executor_private.h -- futures completed by strata itself (async
 * streams, io_uring, completion queues), not by a function on the pool.
 */
#ifndef STRATA_EXECUTOR_PRIVATE_H
#define STRATA_EXECUTOR_PRIVATE_H

#include "strata/executor.h"
#include <apr_atomic.h>

/*
 * 32-bit atomics with acquire/release order.  The compiler's builtins where
 * there are any (so thread sanitizers see them: APR's own are compiled into
 * a library they do not instrument), APR's otherwise.
 */
#if defined(__GNUC__) || defined(__clang__)
#define strata__at_load(p)      __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define strata__at_store(p, v)  __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define strata__at_inc(p)       __atomic_fetch_add((p), 1, __ATOMIC_ACQ_REL)
/* new value, as apr_atomic_dec32's "zero or not" */
#define strata__at_dec(p)       __atomic_sub_fetch((p), 1, __ATOMIC_ACQ_REL)
static APR_INLINE apr_uint32_t strata__at_cas(volatile apr_uint32_t *p,
                                              apr_uint32_t with,
                                              apr_uint32_t cmp)
{
    __atomic_compare_exchange_n(p, &cmp, with, 0, __ATOMIC_ACQ_REL,
                                __ATOMIC_ACQUIRE);
    return cmp;
}
#else
#define strata__at_load(p)      apr_atomic_read32(p)
#define strata__at_store(p, v)  apr_atomic_set32((p), (v))
#define strata__at_inc(p)       apr_atomic_inc32(p)
#define strata__at_dec(p)       (apr_atomic_dec32(p) ? 1u : 0u)
#define strata__at_cas(p, w, c) apr_atomic_cas32((p), (w), (c))
#endif

/*
 * A pending future of @ex with no function: whoever claims it with
 * strata__future_claim() completes it with strata__future_complete().
 * *out holds one reference (the completer's); with @caller_ref non-zero
 * a second one for the caller.  APR_ENOMEM.
 */
apr_status_t strata__future_new(strata_future_t **out, strata_executor_t *ex,
                                int caller_ref);

/* Claim a pending future for running: non-zero if this caller won it (it
 * must then complete it); zero if it was cancelled (or claimed) first. */
int strata__future_claim(strata_future_t *f);

/* Complete a claimed future: store status and result, wake waiters, run the
 * callback on this thread.  Does not drop any reference. */
void strata__future_complete(strata_future_t *f, apr_status_t status,
                             void *result);

/* The executor a future belongs to. */
strata_executor_t *strata__future_executor(strata_future_t *f);

/* Count one piece of work that is not a pool task (e.g. an io_uring
 * submission) so that destroy waits for it; 0 or STRATA_ECLOSED. */
apr_status_t strata__executor_hold(strata_executor_t *ex);
void strata__executor_unhold(strata_executor_t *ex);

/* The executor's extension object (one per executor: the io_uring rings),
 * made by @make on first demand while the executor is open, stopped by
 * @stop after its last work when it is destroyed.  STRATA_ENOTSUP (for
 * good) if @make failed once or the executor is stopping. */
apr_status_t strata__executor_ext(strata_executor_t *ex,
                                 apr_status_t (*make)(strata_executor_t *,
                                                      void **),
                                 void (*stop)(void *), void **ext);

/* Submit strata's own work (an async stream's pump): it runs even while
 * the executor cancels, to complete what it holds; otherwise as
 * strata_executor_submit() with no future. */
apr_status_t strata__executor_submit_always(strata_executor_t *ex,
                                            strata_task_fn *fn, void *arg);

/* Non-zero once destroy with STRATA_EXECUTOR_CANCEL has begun. */
int strata__executor_cancelling(strata_executor_t *ex);

#endif /* STRATA_EXECUTOR_PRIVATE_H */
