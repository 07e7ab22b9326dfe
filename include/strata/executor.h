/*
 * strata/executor.h -- a thread pool and futures.
 *
 * An executor runs functions on a fixed set of worker threads (an
 * apr_thread_pool underneath).  One executor per program is the norm: async
 * streams, the TCP server's stream handlers and parallel compression can all
 * take the same one.
 *
 * A future stands for one piece of work.  It completes exactly once, with
 * the status its function returned (and a result pointer), or with
 * STRATA_ECANCELED when it was cancelled before it started.  Completion can
 * be waited for (strata_future_wait, with a timeout), or handled by one
 * callback (strata_future_then) that runs on the thread that completed it.
 *
 * Threads.  Every call here is safe from any thread.  Nothing may wait on
 * an executor's own work from inside one of its workers when every worker
 * could be doing the same (that deadlocks, as with any fixed pool).
 *
 * Ownership.  A future is reference counted: strata_executor_submit() hands
 * the caller one reference, released with strata_future_release(); the
 * executor holds its own until the work and the callback are done, so the
 * caller may release at any time, callbacks included.  The result pointer
 * is never interpreted or freed by strata: what the function stored is the
 * caller's.  A cancelled function never runs and stores nothing (result
 * NULL): whatever it would have freed (its argument) is for the callback or
 * the waiter to free when the status is STRATA_ECANCELED.
 */
#ifndef STRATA_EXECUTOR_H
#define STRATA_EXECUTOR_H

#include "strata/base.h"
#include <apr_portable.h>   /* apr_os_sock_t */

#ifdef __cplusplus
extern "C" {
#endif

/** Work that was cancelled before it started (strata_future_cancel, or
 *  strata_executor_destroy with STRATA_EXECUTOR_CANCEL). */
#define STRATA_ECANCELED (STRATA_START_ERROR + 40)

typedef struct strata_executor_t strata_executor_t;
typedef struct strata_future_t strata_future_t;

/**
 * A function run on a worker.  Its return value becomes the future's
 * status; what it stores in *result (NULL before the call) becomes the
 * future's result.
 */
typedef apr_status_t (strata_task_fn)(void *arg, void **result);

/**
 * Called once when a future completes, on the thread that completed it: a
 * worker, the thread that cancelled it, or, when the future had already
 * completed, the thread that called strata_future_then().  Read the outcome
 * with strata_future_status() / strata_future_result().  It may call
 * strata_future_release() on its own reference and may submit more work.
 */
typedef void (strata_future_cb)(strata_future_t *f, void *baton);

/* How strata_executor_destroy() treats work that has not started yet. */
/** Run all queued work (and work it submits) to the end, then stop. */
#define STRATA_EXECUTOR_FINISH 0
/** Complete every queued future with STRATA_ECANCELED without running it;
 *  wait only for the functions already running. */
#define STRATA_EXECUTOR_CANCEL 1

/**
 * Create an executor with @a threads workers (1 to 1024) in @a pool.
 * The executor is destroyed with STRATA_EXECUTOR_CANCEL when @a pool is
 * cleared or destroyed, if strata_executor_destroy() did not run before.
 * @return APR_SUCCESS; APR_EINVAL for a NULL argument or a thread count out
 *         of range; an APR error if the threads cannot be made (*out is then
 *         untouched).
 */
STRATA_API apr_status_t strata_executor_create(strata_executor_t **out,
                                               apr_size_t threads,
                                               apr_pool_t *pool);

/**
 * Stop the executor and join its threads.  @a how is STRATA_EXECUTOR_FINISH
 * (every queued function runs; work submitted while finishing is accepted
 * and runs too) or STRATA_EXECUTOR_CANCEL (queued functions complete with
 * STRATA_ECANCELED; later submissions get STRATA_ECLOSED).  Either way every
 * future of this executor has completed, and its callback has returned,
 * when this call returns.  Must not be called from one of its workers.
 * Futures still referenced stay valid (all done) until released.  Calling
 * it again returns APR_SUCCESS and does nothing.
 * @return APR_SUCCESS; APR_EINVAL for a NULL executor or an unknown @a how.
 */
STRATA_API apr_status_t strata_executor_destroy(strata_executor_t *ex,
                                                int how);

/** The number of worker threads. */
STRATA_API apr_size_t strata_executor_threads(const strata_executor_t *ex);

/** Functions submitted and not finished yet (queued or running). */
STRATA_API apr_size_t strata_executor_pending(strata_executor_t *ex);

/**
 * Queue @a fn(@a arg) to run on a worker.  With @a out non-NULL, *out is the
 * future (one reference for the caller); with @a out NULL nobody holds one
 * (fire and forget: the status is dropped).
 * @return APR_SUCCESS; APR_EINVAL for a NULL @a ex or @a fn;
 *         STRATA_ECLOSED once strata_executor_destroy() has begun (with
 *         STRATA_EXECUTOR_CANCEL) or ended; APR_ENOMEM.  On failure
 *         nothing was queued and *out is untouched.
 */
STRATA_API apr_status_t strata_executor_submit(strata_executor_t *ex,
                                               strata_task_fn *fn, void *arg,
                                               strata_future_t **out);

/**
 * Wait until @a f completes, at most @a timeout microseconds (negative:
 * without limit; 0: just look).
 * @return APR_SUCCESS when the future has completed (its own status is
 *         strata_future_status()); APR_TIMEUP when it has not within
 *         @a timeout; APR_EINVAL for a NULL future.  A callback attached to
 *         @a f may still be running when this returns.
 */
STRATA_API apr_status_t strata_future_wait(strata_future_t *f,
                                           apr_interval_time_t timeout);

/** Non-zero once @a f has completed. */
STRATA_API int strata_future_done(strata_future_t *f);

/**
 * The future's status: what the function returned, STRATA_ECANCELED, or
 * APR_EBUSY while it has not completed.
 */
STRATA_API apr_status_t strata_future_status(strata_future_t *f);

/** The result pointer the function stored (NULL while not completed, when
 *  cancelled, or when it stored nothing).  Owned by the caller, see above. */
STRATA_API void *strata_future_result(strata_future_t *f);

/**
 * Attach @a cb: it runs once when @a f completes (on the completing thread),
 * or right now on this thread if @a f has already completed.
 * @return APR_SUCCESS; APR_EINVAL for a NULL argument; STRATA_ESTATE if a
 *         callback is already attached (one per future).
 */
STRATA_API apr_status_t strata_future_then(strata_future_t *f,
                                           strata_future_cb *cb, void *baton);

/**
 * Cancel @a f if its function has not started: it then completes now, on
 * this thread, with STRATA_ECANCELED (its callback runs here) and the
 * function never runs.
 * @return APR_SUCCESS if this call cancelled it; APR_EBUSY if it has
 *         started or already completed (it completes normally);
 *         APR_EINVAL for a NULL future.
 */
STRATA_API apr_status_t strata_future_cancel(strata_future_t *f);

/** Take another reference to @a f (released with strata_future_release). */
STRATA_API void strata_future_retain(strata_future_t *f);

/**
 * Drop one reference.  The future's memory goes with the last one (its
 * work still runs to completion if it has not).  NULL is ignored.
 */
STRATA_API void strata_future_release(strata_future_t *f);


/* ---- completions for the program's own loop ------------------------------ */

/**
 * A completion queue hands completed futures to the thread that owns it, so
 * a program built on its own event loop (libuv, libevent, GLib, poll())
 * never runs strata callbacks on foreign threads: attach futures with
 * strata_future_then_queue(), watch strata_completion_queue_fd() for
 * readability in the loop, and call strata_completion_queue_poll() when it
 * is readable.  The queue is safe from any thread; its callbacks run only
 * inside strata_completion_queue_poll().
 */
typedef struct strata_completion_queue_t strata_completion_queue_t;

/**
 * Create a completion queue in @a pool; it and its descriptor go with the
 * pool.  Completions still waiting then are dropped (their callbacks never
 * run), so destroy it after the futures attached to it have completed.
 * @return APR_SUCCESS; APR_EINVAL for NULL arguments; the OS error if the
 *         descriptor cannot be made.
 */
STRATA_API apr_status_t strata_completion_queue_create(
    strata_completion_queue_t **out, apr_pool_t *pool);

/**
 * The descriptor to watch: readable while completions wait to be polled
 * (an eventfd or a pipe's reading end on POSIX, a loopback socket on
 * Windows -- watch it with select()/WSAPoll() there).  Owned by the queue:
 * never read, write or close it.
 */
STRATA_API apr_os_sock_t strata_completion_queue_fd(
    strata_completion_queue_t *q);

/**
 * Run the callbacks of completions waiting on @a q, oldest first, at most
 * @a max of them (0: all that wait when the call starts), on this thread.
 * *ran (may be NULL) is how many ran.  The descriptor stops being readable
 * once nothing waits.
 * @return APR_SUCCESS (also when nothing waited); APR_EINVAL for NULL @a q.
 */
STRATA_API apr_status_t strata_completion_queue_poll(
    strata_completion_queue_t *q, apr_size_t max, apr_size_t *ran);

/** Completions waiting on @a q now. */
STRATA_API apr_size_t strata_completion_queue_size(strata_completion_queue_t *q);

/**
 * Like strata_future_then(), but @a cb runs inside
 * strata_completion_queue_poll(@a q) on the owner's thread, after @a f has
 * completed.  The queue holds its own reference to @a f until then.
 * @return APR_SUCCESS; APR_EINVAL for NULL arguments; STRATA_ESTATE if a
 *         callback is already attached; APR_ENOMEM.
 */
STRATA_API apr_status_t strata_future_then_queue(strata_future_t *f,
                                                 strata_completion_queue_t *q,
                                                 strata_future_cb *cb,
                                                 void *baton);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_EXECUTOR_H */
