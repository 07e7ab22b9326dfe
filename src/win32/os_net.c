/*
 * os_net.c (Windows) -- non-blocking recv/send with flags, WSA errors.
 * Windows has no SIGPIPE and no MSG_DONTWAIT (select() stands in).
 */
#include "strata_private.h"
#include "strata_net_os.h"
#include <apr_portable.h>
#include <winsock2.h>
#include <windows.h>

static SOCKET sock_of(apr_socket_t *s)
{
    apr_os_sock_t fd = INVALID_SOCKET;

    apr_os_sock_get(&fd, s);
    return fd;
}

static apr_status_t map_wsa(int e)
{
    if (e == WSAECONNRESET || e == WSAECONNABORTED || e == WSAENETRESET)
        return STRATA_ERESET;
    if (e == WSAEWOULDBLOCK || e == WSAETIMEDOUT)
        return APR_EAGAIN;
    return APR_FROM_OS_ERROR(e);
}

static int os_flags(unsigned flags)
{
    int f = 0;

    if (flags & STRATA_MSG_PEEK)
        f |= MSG_PEEK;
    if (flags & STRATA_MSG_OOB)
        f |= MSG_OOB;
    return f;
}

strata__sock_t strata__os_sock_handle(apr_socket_t *s)
{
    return (strata__sock_t)sock_of(s);
}

apr_status_t strata__os_sock_prepare(apr_socket_t *s)
{
    (void)s;                     /* no SIGPIPE on Windows */
    return APR_SUCCESS;
}

static int set_timeo(SOCKET fd, int opt, apr_interval_time_t t)
{
    DWORD ms = t > 0 ? (DWORD)((t + 999) / 1000) : 0;

    return setsockopt(fd, SOL_SOCKET, opt, (const char *)&ms, sizeof(ms));
}

apr_status_t strata__os_sock_timeouts(apr_socket_t *s, apr_interval_time_t rd,
                                      apr_interval_time_t wr)
{
    SOCKET fd = sock_of(s);

    if (set_timeo(fd, SO_RCVTIMEO, rd) != 0
        || set_timeo(fd, SO_SNDTIMEO, wr) != 0)
        return APR_FROM_OS_ERROR(WSAGetLastError());
    return APR_SUCCESS;
}

/* DONTWAIT on a blocking socket: ask select() first (Windows has no
 * MSG_DONTWAIT).  Non-zero when the call may go ahead. */
static int ready_now(SOCKET fd, int for_write)
{
    fd_set set;
    struct timeval tv = { 0, 0 };

    FD_ZERO(&set);
    FD_SET(fd, &set);
    return select(0, for_write ? NULL : &set, for_write ? &set : NULL, NULL,
                  &tv) > 0;
}

static int clamp_len(apr_size_t len)
{
    return len > 0x7fffffff ? 0x7fffffff : (int)len;
}

apr_status_t strata__os_sock_recv(strata__sock_t s, void *buf, apr_size_t len,
                                  unsigned flags, apr_size_t *n)
{
    int r;

    *n = 0;
    if ((flags & (STRATA_MSG_DONTWAIT | STRATA__MSG_NONBLOCKING))
            == STRATA_MSG_DONTWAIT && !ready_now((SOCKET)s, 0))
        return APR_EAGAIN;
    r = recv((SOCKET)s, buf, clamp_len(len), os_flags(flags));
    if (r == SOCKET_ERROR)
        return map_wsa(WSAGetLastError());
    if (r == 0)
        return len > 0 ? APR_EOF : APR_SUCCESS;
    *n = (apr_size_t)r;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_send(strata__sock_t s, const void *buf,
                                  apr_size_t len, unsigned flags,
                                  apr_size_t *n)
{
    int r;

    *n = 0;
    if ((flags & (STRATA_MSG_DONTWAIT | STRATA__MSG_NONBLOCKING))
            == STRATA_MSG_DONTWAIT && !ready_now((SOCKET)s, 1))
        return APR_EAGAIN;
    r = send((SOCKET)s, buf, clamp_len(len), os_flags(flags & ~STRATA_MSG_PEEK));
    if (r == SOCKET_ERROR)
        return map_wsa(WSAGetLastError());
    *n = (apr_size_t)r;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_sendv(strata__sock_t s, const strata__iov_t *iov,
                                   int niov, apr_size_t *n)
{
    WSABUF v[STRATA__IOV_MAX];
    DWORD sent = 0;
    int i;

    *n = 0;
    if (niov > STRATA__IOV_MAX)
        niov = STRATA__IOV_MAX;
    for (i = 0; i < niov; i++) {
        v[i].buf = (char *)iov[i].base;
        v[i].len = (ULONG)(iov[i].len > 0x7fffffff ? 0x7fffffff : iov[i].len);
    }
    if (WSASend((SOCKET)s, v, (DWORD)niov, &sent, 0, NULL, NULL) != 0)
        return map_wsa(WSAGetLastError());
    *n = sent;
    return APR_SUCCESS;
}

apr_status_t strata__os_sock_linger0(apr_socket_t *s)
{
    struct linger li;

    li.l_onoff = 1;
    li.l_linger = 0;
    if (setsockopt(sock_of(s), SOL_SOCKET, SO_LINGER, (const char *)&li,
                   sizeof(li)) != 0)
        return APR_FROM_OS_ERROR(WSAGetLastError());
    return APR_SUCCESS;
}


int strata__os_is_notconn(apr_status_t rv)
{
    return rv == APR_FROM_OS_ERROR(WSAENOTCONN);
}
