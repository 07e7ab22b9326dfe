/*
 * os_net.c (POSIX) -- non-blocking recv/send with flags, no SIGPIPE.
 */
#include "strata_private.h"
#include "strata_net_os.h"
#include <apr_portable.h>
#include <errno.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <string.h>
#include <unistd.h>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0           /* SO_NOSIGPIPE instead (macOS, BSD) */
#endif

static int sock_fd(apr_socket_t *s)
{
    apr_os_sock_t fd = -1;

    apr_os_sock_get(&fd, s);
    return fd;
}

static apr_status_t map_errno(int e)
{
    if (e == ECONNRESET || e == EPIPE || e == ECONNABORTED)
        return STRATA_ERESET;
    if (e == EWOULDBLOCK)
        return APR_EAGAIN;
    return APR_FROM_OS_ERROR(e);
}

static int os_flags(unsigned flags)
{
    int f = MSG_NOSIGNAL;

    if (flags & (STRATA_MSG_DONTWAIT | STRATA__MSG_NONBLOCKING))
        f |= MSG_DONTWAIT;
    if (flags & STRATA_MSG_PEEK)
        f |= MSG_PEEK;
    if (flags & STRATA_MSG_OOB)
        f |= MSG_OOB;
    return f;
}

strata__sock_t strata__os_sock_handle(apr_socket_t *s)
{
    return (strata__sock_t)sock_fd(s);
}

apr_status_t strata__os_sock_prepare(apr_socket_t *s)
{
    int fd = sock_fd(s);

    if (fd < 0)
        return APR_EINVAL;
#ifdef SO_NOSIGPIPE
    {
        int one = 1;
        if (setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) != 0)
            return APR_FROM_OS_ERROR(errno);
    }
#endif
    return APR_SUCCESS;
}

static int set_timeo(int fd, int opt, apr_interval_time_t t)
{
    struct timeval tv;

    tv.tv_sec = t > 0 ? (time_t)(t / 1000000) : 0;
    tv.tv_usec = t > 0 ? (suseconds_t)(t % 1000000) : 0;
    return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

apr_status_t strata__os_sock_timeouts(apr_socket_t *s, apr_interval_time_t rd,
                                      apr_interval_time_t wr)
{
    int fd = sock_fd(s);

    if (set_timeo(fd, SO_RCVTIMEO, rd) != 0
        || set_timeo(fd, SO_SNDTIMEO, wr) != 0)
        return APR_FROM_OS_ERROR(errno);
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_recv(strata__sock_t s, void *buf, apr_size_t len,
                                  unsigned flags, apr_size_t *n)
{
    ssize_t r;

    *n = 0;
    do {
        r = recv((int)s, buf, len, os_flags(flags));
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return map_errno(errno);
    if (r == 0)
        return len > 0 ? APR_EOF : APR_SUCCESS;
    *n = (apr_size_t)r;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_send(strata__sock_t s, const void *buf,
                                  apr_size_t len, unsigned flags,
                                  apr_size_t *n)
{
    ssize_t r;

    *n = 0;
    do {
        r = send((int)s, buf, len, os_flags(flags & ~STRATA_MSG_PEEK));
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return map_errno(errno);
    *n = (apr_size_t)r;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_sendv(strata__sock_t s, const strata__iov_t *iov,
                                   int niov, apr_size_t *n)
{
    struct iovec v[STRATA__IOV_MAX];
    struct msghdr msg;
    ssize_t r;
    int i;

    *n = 0;
    if (niov > STRATA__IOV_MAX)
        niov = STRATA__IOV_MAX;
    for (i = 0; i < niov; i++) {
        v[i].iov_base = (void *)iov[i].base;
        v[i].iov_len = iov[i].len;
    }
    memset(&msg, 0, sizeof(msg));
    msg.msg_iov = v;
    msg.msg_iovlen = niov;
    do {
        r = sendmsg((int)s, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return map_errno(errno);
    *n = (apr_size_t)r;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_linger0(apr_socket_t *s)
{
    struct linger li;

    li.l_onoff = 1;
    li.l_linger = 0;
    if (setsockopt(sock_fd(s), SOL_SOCKET, SO_LINGER, &li, sizeof(li)) != 0)
        return APR_FROM_OS_ERROR(errno);
    return APR_SUCCESS;
}


int strata__os_is_notconn(apr_status_t rv)
{
    return rv == APR_FROM_OS_ERROR(ENOTCONN);
}
