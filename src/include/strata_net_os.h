/*
 * strata_net_os.h -- the socket calls that differ by platform, for the
 * socket stream (net_socket.c) and the server (net_server*.c).
 * Implemented in src/posix/os_net.c and src/win32/os_net.c.
 *
 * Socket streams keep their socket blocking, with the kernel's own
 * timeouts (SO_RCVTIMEO / SO_SNDTIMEO): a read is exactly one recv().  A
 * call that would block on a non-blocking socket, that passed its kernel
 * timeout, or that had STRATA_MSG_DONTWAIT and could not move at once gives
 * APR_EAGAIN (the caller tells a timeout from the rest).  Errors that mean "the peer is gone"
 * (ECONNRESET, EPIPE, ECONNABORTED and their WSA twins) come back as
 * STRATA_ERESET; recv of 0 bytes (len > 0) comes back as APR_EOF.
 */
#ifndef STRATA_NET_OS_H
#define STRATA_NET_OS_H

#include "strata/net.h"
#include "strata_os.h"           /* strata__os_ncpu() */

/* Same layout as strata_pipe_iovec_t. */
typedef struct strata__iov_t {
    const char *base;
    apr_size_t len;
} strata__iov_t;

/* Most segments strata__os_sock_sendv() sends in one call. */
#define STRATA__IOV_MAX 16

/* The OS handle of a socket (a descriptor or a SOCKET), looked up once so
 * the data path does not call into APR for it. */
typedef apr_uintptr_t strata__sock_t;
strata__sock_t strata__os_sock_handle(apr_socket_t *s);

/* Keep sends on @s from raising SIGPIPE (SO_NOSIGPIPE where it exists). */
apr_status_t strata__os_sock_prepare(apr_socket_t *s);

/* Kernel read and write timeouts in microseconds (<= 0: none). */
apr_status_t strata__os_sock_timeouts(apr_socket_t *s, apr_interval_time_t rd,
                                      apr_interval_time_t wr);

/* Internal flag: the socket is non-blocking already (the server's), so
 * STRATA_MSG_DONTWAIT needs no emulation. */
#define STRATA__MSG_NONBLOCKING 0x100u

/* recv/send with STRATA_MSG_PEEK, _OOB, _DONTWAIT. */
apr_status_t strata__os_sock_recv(strata__sock_t s, void *buf, apr_size_t len,
                                  unsigned flags, apr_size_t *n);
apr_status_t strata__os_sock_send(strata__sock_t s, const void *buf,
                                  apr_size_t len, unsigned flags,
                                  apr_size_t *n);

/* One gathered send of up to STRATA__IOV_MAX segments on a non-blocking
 * socket. */
apr_status_t strata__os_sock_sendv(strata__sock_t s, const strata__iov_t *iov,
                                   int niov, apr_size_t *n);

/* Arrange for close to send a reset (SO_LINGER on, 0 seconds). */
apr_status_t strata__os_sock_linger0(apr_socket_t *s);

/* Non-zero if @rv means "not connected" (ENOTCONN / WSAENOTCONN). */
int strata__os_is_notconn(apr_status_t rv);


#endif /* STRATA_NET_OS_H */
