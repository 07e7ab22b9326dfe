/*
 * strata/net.h -- TCP socket streams (client side, or any connected
 * apr_socket_t).  The server is in strata/tcp_server.h.
 *
 * A socket stream is a base stream ("socket") over a connected
 * apr_socket_t: strata_read() is one recv() and strata_write() one send(),
 * each counted as one op by the dispatcher (a failed call counts one op and
 * 0 bytes).  strata_socket_recv() / strata_socket_send() take flags
 * (STRATA_MSG_*) and are metered the same way.  Every decorator stacks on a
 * socket stream (gzip over TCP, buffered read_line over TCP...).
 *
 * Results every socket read/write may give besides data:
 *   APR_EOF        the peer closed its write side cleanly (FIN) and every
 *                  byte before it was read (reads only);
 *   STRATA_ERESET  the peer reset the connection (RST, SO_LINGER 0), or
 *                  is gone so that a send cannot be delivered (EPIPE,
 *                  ECONNRESET, ECONNABORTED on every platform).  Data the
 *                  peer sent before the reset may be lost;
 *   APR_TIMEUP     the read or write timeout passed with nothing moved;
 *   APR_EAGAIN     with STRATA_MSG_DONTWAIT, nothing could move at once;
 *   STRATA_ECLOSED after strata_socket_shutdown_read() (reads) or
 *                  strata_shutdown_write() (writes).
 * No call ever raises SIGPIPE (MSG_NOSIGNAL, SO_NOSIGPIPE, or nothing to
 * do on Windows).
 *
 * Threads: one thread may read while another writes (full duplex); the
 * option setters must not run while another thread uses the stream.
 */
#ifndef STRATA_NET_H
#define STRATA_NET_H

#include "strata/stream.h"
#include <apr_network_io.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for strata_socket_recv() / strata_socket_send(); they map to the
 * platform's MSG_PEEK, MSG_OOB; DONTWAIT is done by strata itself on every
 * platform (the socket is non-blocking underneath). */
/** Look at incoming bytes without consuming them (recv only). */
#define STRATA_MSG_PEEK     0x1u
/** Out-of-band (TCP urgent) data. */
#define STRATA_MSG_OOB      0x2u
/** Do not wait: APR_EAGAIN with nothing moved if the call would block. */
#define STRATA_MSG_DONTWAIT 0x4u

/** Flag for strata_socket_wrap(): close the apr_socket_t with the stream. */
#define STRATA_SOCKET_OWN   0x1u

/** Options for strata_tcp_connect(); zero means the default for each. */
typedef struct strata_tcp_opts_t {
    /** Whole connect (every address tried) must finish within this many
     *  microseconds, else APR_TIMEUP; <= 0: the OS's own limit. */
    apr_interval_time_t connect_timeout;
    /** Per call: a read / write that waited this long gives APR_TIMEUP
     *  with nothing moved; <= 0: wait as long as it takes. */
    apr_interval_time_t read_timeout;
    apr_interval_time_t write_timeout;
    /** Local address and port to bind before connecting (NULL / 0: any). */
    const char *bind_host;
    apr_port_t bind_port;
    /** APR_UNSPEC (0: IPv4 and IPv6, in the resolver's order), APR_INET
     *  or APR_INET6. */
    int family;
    /** Non-zero: disable Nagle (TCP_NODELAY). */
    int nodelay;
    /** Non-zero: enable TCP keep-alive probes (SO_KEEPALIVE). */
    int keepalive;
} strata_tcp_opts_t;

/**
 * Resolve @a host (name, IPv4 or IPv6 literal), try each address in turn
 * and return a socket stream (readable and writable) for the first that
 * connects, in @a pool.  @a opts may be NULL.
 * @return APR_SUCCESS; APR_TIMEUP when connect_timeout passed;
 *         the last address's error otherwise (APR_ECONNREFUSED, ...); a
 *         resolver error (e.g. APR_EGENERAL family) when @a host does not
 *         resolve; APR_EINVAL for NULL arguments.  On failure nothing is
 *         left open.
 */
STRATA_API apr_status_t strata_tcp_connect(strata_stream_t **out,
                                           const char *host, apr_port_t port,
                                           const strata_tcp_opts_t *opts,
                                           apr_pool_t *pool);

/**
 * A socket stream over @a sock, a connected TCP socket the caller already
 * has.  The socket is switched to non-blocking mode underneath (strata
 * waits with poll); do not use it directly while the stream is open.  With
 * STRATA_SOCKET_OWN in @a flags, closing the stream closes @a sock;
 * otherwise the caller closes it after closing the stream.  APR_EINVAL for
 * NULL arguments.
 */
STRATA_API apr_status_t strata_socket_wrap(strata_stream_t **out,
                                           apr_socket_t *sock, unsigned flags,
                                           apr_pool_t *pool);

/** The apr_socket_t under a socket stream, or NULL if @a s is not one. */
STRATA_API apr_socket_t *strata_socket_get(strata_stream_t *s);

/**
 * recv() with @a flags (STRATA_MSG_PEEK, _OOB, _DONTWAIT).  Metered as a
 * read: one op, the bytes received (peeked bytes count again when they are
 * read).  Answers as strata_read(), plus APR_EAGAIN with DONTWAIT; other
 * flag bits give APR_EINVAL.
 */
STRATA_API apr_status_t strata_socket_recv(strata_stream_t *s, void *buf,
                                           apr_size_t len, unsigned flags,
                                           apr_size_t *n);

/**
 * send() with @a flags (STRATA_MSG_OOB, _DONTWAIT).  Metered as a write.
 * May be short.  Answers as strata_write(), plus APR_EAGAIN with DONTWAIT.
 */
STRATA_API apr_status_t strata_socket_send(strata_stream_t *s,
                                           const void *buf, apr_size_t len,
                                           unsigned flags, apr_size_t *n);

/** Set the read and write timeouts (microseconds; <= 0: none). */
STRATA_API apr_status_t strata_socket_set_timeouts(strata_stream_t *s,
                                                   apr_interval_time_t rd,
                                                   apr_interval_time_t wr);

/** TCP_NODELAY on (@a on != 0) or off. */
STRATA_API apr_status_t strata_socket_set_nodelay(strata_stream_t *s, int on);

/** SO_KEEPALIVE on or off. */
STRATA_API apr_status_t strata_socket_set_keepalive(strata_stream_t *s,
                                                    int on);

/**
 * Shut the read side: later reads give STRATA_ECLOSED without a system
 * call.  (strata_shutdown_write() shuts the write side: the peer reads
 * APR_EOF.)  Calling it twice is harmless.
 */
STRATA_API apr_status_t strata_socket_shutdown_read(strata_stream_t *s);

/**
 * Close the stream with a reset instead of a clean close (SO_LINGER 0):
 * unsent data is dropped and the peer's next call gives STRATA_ERESET.
 * The stream is closed afterwards, as by strata_close().
 */
STRATA_API apr_status_t strata_socket_abort(strata_stream_t *s);

/** The peer's (@a remote non-zero) or the local address of @a s, or NULL. */
STRATA_API apr_sockaddr_t *strata_socket_addr(strata_stream_t *s, int remote);

/**
 * Format @a sa as "127.0.0.1:80" or "[::1]:80" into @a buf (at most @a len
 * bytes, NUL-terminated).  Returns @a buf ("?" when @a sa is NULL).
 */
STRATA_API char *strata_sockaddr_format(const apr_sockaddr_t *sa, char *buf,
                                        apr_size_t len);

/**
 * Split "HOST:PORT", "[V6]:PORT" or ":PORT" into a host (NULL for ":PORT"
 * and "*") and a port, allocated in @a pool.  APR_EINVAL if the port is
 * missing or not a number in 0..65535.
 */
STRATA_API apr_status_t strata_parse_hostport(const char *text, char **host,
                                              apr_port_t *port,
                                              apr_pool_t *pool);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_NET_H */
