/*
 * strata_os_uring.h -- io_uring for plain file reads and writes (Linux with
 * liburing: src/posix/os_uring.c; elsewhere every call answers
 * STRATA_ENOTSUP and the caller uses the thread pool).
 *
 * One ring has one completion thread that runs each request's done()
 * callback.  Submissions may come from any thread.
 */
#ifndef STRATA_OS_URING_H
#define STRATA_OS_URING_H

#include <apr_pools.h>
#include <apr_portable.h>

typedef struct strata__uring_t strata__uring_t;
typedef struct strata__uring_req_t strata__uring_req_t;

/* Embed first in the caller's request.  done() runs on the completion
 * thread with the status (APR_SUCCESS or the OS error) and the byte count. */
struct strata__uring_req_t {
    void (*done)(strata__uring_req_t *req, apr_status_t rv, apr_size_t n);
    volatile apr_uint32_t ready;    /* handoff to the completion thread */
    int refuse;                     /* test seam: complete with EINVAL */
};

/* Test seam: while non-zero, every submitted read/write goes through the
 * ring as a no-op and completes with EINVAL, as from a kernel that cannot
 * do the op (the caller must fall back to the pool). */
extern volatile apr_uint32_t strata__uring_refuse_ops;

/* Make a ring and its completion thread.  STRATA_ENOTSUP when the build or
 * the kernel has no io_uring, or the OS refuses it (seccomp, limits). */
apr_status_t strata__uring_create(strata__uring_t **out);

/* Queue a read (@write 0) or a write (@write 1) of @len bytes at @off of
 * @fd.  APR_SUCCESS: done() will run exactly once.  Another status: nothing
 * was queued (the caller uses the pool instead). */
apr_status_t strata__uring_submit(strata__uring_t *r, int write,
                                  apr_os_file_t fd, void *buf,
                                  apr_size_t len, apr_off_t off,
                                  strata__uring_req_t *req);

/* Stop the completion thread and free the ring.  No request may be in
 * flight. */
void strata__uring_destroy(strata__uring_t *r);

#endif /* STRATA_OS_URING_H */
