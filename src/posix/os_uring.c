/*
 * os_uring.c (POSIX) -- io_uring for async file reads and writes, when the
 * build found liburing (STRATA_HAVE_URING); otherwise src/common/async_uring_none.c answers STRATA_ENOTSUP.
 *
 * Submissions are serialised by a mutex; one thread waits on the completion
 * queue and runs each request's done().  A NOP whose user data is the ring
 * itself tells that thread to stop.
 *
 * Other threads only queue their requests and wake the completion thread
 * (an eventfd it polls through the ring), which hands everything queued to
 * the kernel in one io_uring_submit().  Submitting from the caller's thread
 * would run a page-cached read right there, inside io_uring_enter(): a
 * loop thread that resubmits from its completions (a libuv loop, say)
 * would then do every read itself.  One wake-up covers all the requests
 * queued before it is handled.
 */
#include "strata_private.h"
#include "strata_os_uring.h"

volatile apr_uint32_t strata__uring_refuse_ops;

#if STRATA_HAVE_URING
#include <liburing.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#define URING_ENTRIES 256

struct strata__uring_t {
    struct io_uring ring;
    apr_pool_t *pool;
    apr_thread_mutex_t *mu;        /* the submission side */
    apr_thread_t *thread;
    apr_os_thread_t reaper;        /* the completion thread, once running */
    volatile apr_uint32_t reaper_set;
    int wake_fd;                   /* eventfd: requests are queued */
    apr_uint32_t wake_pending;     /* a wake-up is on its way (atomic) */
    char wake_tag;                 /* its address: the poll's user data */
};

/* Poll the wake eventfd through the ring (under mu; submitted by the
 * caller or the completion thread's next submit). */
static int uring_arm_wake(strata__uring_t *r)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

    if (sqe == NULL) {
        io_uring_submit(&r->ring);
        sqe = io_uring_get_sqe(&r->ring);
    }
    if (sqe == NULL)
        return -1;
    io_uring_prep_poll_add(sqe, r->wake_fd, POLLIN);
    io_uring_sqe_set_data(sqe, &r->wake_tag);
    return 0;
}

/* Run one completion; non-zero when it was the stop request. */
static int uring_complete(strata__uring_t *r, struct io_uring_cqe *cqe)
{
    void *ud = io_uring_cqe_get_data(cqe);
    int res = cqe->res;
    strata__uring_req_t *req = ud;

    io_uring_cqe_seen(&r->ring, cqe);
    if (ud == r)
        return 1;
    if (ud == &r->wake_tag) {       /* queued requests: the loop submits */
        eventfd_t v;

        (void)eventfd_read(r->wake_fd, &v);
        __atomic_store_n(&r->wake_pending, 0, __ATOMIC_RELEASE);
        apr_thread_mutex_lock(r->mu);
        (void)uring_arm_wake(r);
        apr_thread_mutex_unlock(r->mu);
        return 0;
    }
    /* pairs with the release store before submission */
    (void)__atomic_load_n(&req->ready, __ATOMIC_ACQUIRE);
    if (req->refuse)
        res = -EINVAL;
    if (res < 0)
        req->done(req, APR_FROM_OS_ERROR(-res), 0);
    else
        req->done(req, APR_SUCCESS, (apr_size_t)res);
    return 0;
}

/*
 * The completion thread.  Requests that its own callbacks submit are only
 * queued (no system call each); it hands them to the kernel in one
 * io_uring_submit() before it looks for completions again, and runs every
 * completion that is ready before it waits.
 */
static void *APR_THREAD_FUNC uring_reaper(apr_thread_t *thd, void *data)
{
    strata__uring_t *r = data;
    struct io_uring_cqe *cqe;
    int rc, stop = 0;

    r->reaper = apr_os_thread_current();
    __atomic_store_n(&r->reaper_set, 1, __ATOMIC_RELEASE);
    while (!stop) {
        apr_thread_mutex_lock(r->mu);
        if (io_uring_sq_ready(&r->ring) > 0)
            io_uring_submit(&r->ring);
        apr_thread_mutex_unlock(r->mu);
        rc = io_uring_wait_cqe(&r->ring, &cqe);
        if (rc == -EINTR || rc == -EAGAIN)
            continue;
        if (rc < 0)
            break;              /* cannot happen with a live ring */
        stop = uring_complete(r, cqe);
        while (!stop && io_uring_peek_cqe(&r->ring, &cqe) == 0)
            stop = uring_complete(r, cqe);
    }
    apr_thread_exit(thd, APR_SUCCESS);
    return NULL;
}

/* Non-zero on the completion thread (its submissions wait for its loop). */
static int on_reaper(strata__uring_t *r)
{
    return __atomic_load_n(&r->reaper_set, __ATOMIC_ACQUIRE)
           && apr_os_thread_equal(r->reaper, apr_os_thread_current());
}

apr_status_t strata__uring_create(strata__uring_t **out)
{
    strata__uring_t *r = calloc(1, sizeof(*r));
    apr_status_t rv;
    int rc;

    if (r == NULL)
        return APR_ENOMEM;
    /* Under valgrind a thread blocked in io_uring_enter() stalls the whole
     * process (the call is not treated as blocking): use the pool there. */
    if (RUNNING_ON_VALGRIND) {
        free(r);
        return STRATA_ENOTSUP;
    }
    rc = io_uring_queue_init(URING_ENTRIES, &r->ring, 0);
    if (rc < 0) {
        free(r);
        return STRATA_ENOTSUP;
    }
    r->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (r->wake_fd < 0 || uring_arm_wake(r) != 0
        || io_uring_submit(&r->ring) < 0) {
        if (r->wake_fd >= 0)
            close(r->wake_fd);
        io_uring_queue_exit(&r->ring);
        free(r);
        return STRATA_ENOTSUP;
    }
    rv = apr_pool_create(&r->pool, NULL);
    if (rv == APR_SUCCESS)
        rv = apr_thread_mutex_create(&r->mu, APR_THREAD_MUTEX_DEFAULT, r->pool);
    if (rv == APR_SUCCESS)
        rv = apr_thread_create(&r->thread, NULL, uring_reaper, r, r->pool);
    if (rv != APR_SUCCESS) {
        if (r->pool != NULL)
            apr_pool_destroy(r->pool);
        io_uring_queue_exit(&r->ring);
        close(r->wake_fd);
        free(r);
        return rv;
    }
    *out = r;
    return APR_SUCCESS;
}

apr_status_t strata__uring_submit(strata__uring_t *r, int write,
                                  apr_os_file_t fd, void *buf,
                                  apr_size_t len, apr_off_t off,
                                  strata__uring_req_t *req)
{
    struct io_uring_sqe *sqe;
    int rc;

    if (len > 0x7ffff000u)
        len = 0x7ffff000u;      /* the kernel's own cap per call */
    apr_thread_mutex_lock(r->mu);
    sqe = io_uring_get_sqe(&r->ring);
    if (sqe == NULL) {
        io_uring_submit(&r->ring);
        sqe = io_uring_get_sqe(&r->ring);
    }
    if (sqe == NULL) {
        apr_thread_mutex_unlock(r->mu);
        return APR_EAGAIN;
    }
    req->refuse = __atomic_load_n(&strata__uring_refuse_ops, __ATOMIC_RELAXED) != 0;
    if (req->refuse)
        io_uring_prep_nop(sqe);
    else if (write)
        io_uring_prep_write(sqe, fd, buf, (unsigned)len, (__u64)off);
    else
        io_uring_prep_read(sqe, fd, buf, (unsigned)len, (__u64)off);
    io_uring_sqe_set_data(sqe, req);
    __atomic_store_n(&req->ready, 1, __ATOMIC_RELEASE);
    /* The completion thread's loop submits the batch; another thread wakes
     * it, unless a wake-up is already on its way.  Once in the ring the
     * request completes. */
    apr_thread_mutex_unlock(r->mu);
    if (!on_reaper(r)
        && __atomic_exchange_n(&r->wake_pending, 1, __ATOMIC_ACQ_REL) == 0) {
        int tries = 0;
        while ((rc = eventfd_write(r->wake_fd, 1)) < 0 && errno == EINTR
               && ++tries < 1000)
            ;
    }
    return APR_SUCCESS;
}

void strata__uring_destroy(strata__uring_t *r)
{
    struct io_uring_sqe *sqe;
    apr_status_t trv;

    if (r == NULL)
        return;
    apr_thread_mutex_lock(r->mu);
    while ((sqe = io_uring_get_sqe(&r->ring)) == NULL)
        io_uring_submit(&r->ring);
    io_uring_prep_nop(sqe);
    io_uring_sqe_set_data(sqe, r);
    io_uring_submit(&r->ring);
    apr_thread_mutex_unlock(r->mu);
    apr_thread_join(&trv, r->thread);
    io_uring_queue_exit(&r->ring);
    close(r->wake_fd);
    apr_pool_destroy(r->pool);
    free(r);
}

#endif /* STRATA_HAVE_URING */
