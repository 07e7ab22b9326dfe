/*
 * async_uring_none.c -- the io_uring interface (strata_os_uring.h) where
 * the build has none (no liburing, or not Linux): every call is
 * STRATA_ENOTSUP, so async streams use the thread pool.
 */
#include "strata_private.h"
#include "strata_os_uring.h"

#if !STRATA_HAVE_URING

apr_status_t strata__uring_create(strata__uring_t **out)
{
    (void)out;
    return STRATA_ENOTSUP;
}

apr_status_t strata__uring_submit(strata__uring_t *r, int write,
                                  apr_os_file_t fd, void *buf,
                                  apr_size_t len, apr_off_t off,
                                  strata__uring_req_t *req)
{
    (void)r; (void)write; (void)fd; (void)buf; (void)len; (void)off;
    (void)req;
    return STRATA_ENOTSUP;
}

void strata__uring_destroy(strata__uring_t *r)
{
    (void)r;
}

#endif /* !STRATA_HAVE_URING */
