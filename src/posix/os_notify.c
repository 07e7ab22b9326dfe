/*
 * os_notify.c (POSIX) -- the completion descriptor: an eventfd on Linux, a
 * non-blocking pipe elsewhere.
 */
#include "strata_os_notify.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

struct strata__notify_t {
    int rfd, wfd;       /* the same eventfd twice on Linux */
};

static apr_status_t notify_cleanup(void *data)
{
    strata__notify_t *n = data;

    if (n->wfd != n->rfd)
        close(n->wfd);
    close(n->rfd);
    return APR_SUCCESS;
}

apr_status_t strata__notify_create(strata__notify_t **out, apr_pool_t *pool)
{
    strata__notify_t *n = apr_pcalloc(pool, sizeof(*n));
#ifdef __linux__
    n->rfd = n->wfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (n->rfd < 0)
        return APR_FROM_OS_ERROR(errno);
#else
    int fds[2], i;

    if (pipe(fds) != 0)
        return APR_FROM_OS_ERROR(errno);
    for (i = 0; i < 2; i++) {
        fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
        fcntl(fds[i], F_SETFD, FD_CLOEXEC);
    }
    n->rfd = fds[0];
    n->wfd = fds[1];
#endif
    apr_pool_cleanup_register(pool, n, notify_cleanup, apr_pool_cleanup_null);
    *out = n;
    return APR_SUCCESS;
}

void strata__notify_signal(strata__notify_t *n)
{
#ifdef __linux__
    apr_uint64_t one = 1;
    const void *p = &one;
    size_t len = sizeof(one);
#else
    const void *p = "x";
    size_t len = 1;
#endif
    ssize_t rc;

    do {
        rc = write(n->wfd, p, len);
    } while (rc < 0 && errno == EINTR);
    /* EAGAIN: already readable (full pipe or saturated counter) */
}

void strata__notify_drain(strata__notify_t *n)
{
    char buf[64];
    ssize_t rc;

    do {
        rc = read(n->rfd, buf, sizeof(buf));
    } while (rc > 0 || (rc < 0 && errno == EINTR));
}

apr_os_sock_t strata__notify_fd(strata__notify_t *n)
{
    return n->rfd;
}
