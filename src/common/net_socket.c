/*
 * net_socket.c -- the socket stream: a base stream over a connected
 * apr_socket_t (see strata/net.h).  The socket stays blocking with kernel
 * timeouts, so one read is one recv() and one write one send(); the
 * platform calls live behind strata_net_os.h.
 */
#include "strata_private.h"
#include "strata_net_os.h"
#include "strata_net_private.h"
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

typedef struct sock_stream_t {
    strata_stream_t base;        /* must be first */
    apr_socket_t *sock;
    strata__sock_t h;            /* its OS handle */
    int own;                     /* close sock with the stream */
    int nb;                      /* non-blocking socket (the server's) */
    volatile apr_uint32_t rd_shut;
} sock_stream_t;

static const strata_stream_type_t sock_type;

static sock_stream_t *as_sock(strata_stream_t *s)
{
    return s != NULL && s->type == &sock_type ? (sock_stream_t *)s : NULL;
}

/* Set by strata_socket_shutdown_read(), maybe on another thread. */
static int rd_shut(sock_stream_t *ss)
{
#if defined(__GNUC__) || defined(__clang__)
    return __atomic_load_n(&ss->rd_shut, __ATOMIC_RELAXED) != 0;
#else
    return apr_atomic_read32(&ss->rd_shut) != 0;
#endif
}

/* One system call.  On a blocking socket "would block" can only mean the
 * kernel timeout passed; with DONTWAIT it means "not now". */
static apr_status_t sock_call(sock_stream_t *ss, int wr, void *buf,
                              apr_size_t len, unsigned flags, apr_size_t *n)
{
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    if (!wr && rd_shut(ss))
        return STRATA_ECLOSED;
    if (ss->nb)
        flags |= STRATA_MSG_DONTWAIT | STRATA__MSG_NONBLOCKING;
    rv = wr ? strata__os_sock_send(ss->h, buf, len, flags, n)
            : strata__os_sock_recv(ss->h, buf, len, flags, n);
    if (APR_STATUS_IS_EAGAIN(rv) && !(flags & STRATA_MSG_DONTWAIT))
        rv = APR_TIMEUP;
    return rv;
}

static apr_status_t sock_read(strata_stream_t *s, void *buf, apr_size_t len,
                              apr_size_t *n)
{
    return sock_call((sock_stream_t *)s, 0, buf, len, 0, n);
}

static apr_status_t sock_write(strata_stream_t *s, const void *buf,
                               apr_size_t len, apr_size_t *n)
{
    return sock_call((sock_stream_t *)s, 1, (void *)buf, len, 0, n);
}

static apr_status_t sock_shutdown(strata_stream_t *s)
{
    sock_stream_t *ss = (sock_stream_t *)s;
    apr_status_t rv;

    /* Closing a stream that does not own its socket leaves it as it is. */
    if ((strata__st(s) & STRATA__ST_CLOSING) && !ss->own)
        return APR_SUCCESS;
    rv = apr_socket_shutdown(ss->sock, APR_SHUTDOWN_WRITE);

    /* A peer that is already gone has nothing left to tell. */
    return strata__os_is_notconn(rv) ? APR_SUCCESS : rv;
}

static apr_status_t sock_close(strata_stream_t *s)
{
    sock_stream_t *ss = (sock_stream_t *)s;

    return ss->own ? apr_socket_close(ss->sock) : APR_SUCCESS;
}

static const strata_stream_type_t sock_type = {
    STRATA_STREAM_TYPE_VERSION, "socket", STRATA_CAP_READ | STRATA_CAP_WRITE,
    sizeof(sock_stream_t),
    sock_read, sock_write, NULL, NULL, sock_shutdown, sock_close, NULL
};

/* ---- construction ----------------------------------------------------- */

apr_status_t strata_socket_wrap(strata_stream_t **out, apr_socket_t *sock,
                                unsigned flags, apr_pool_t *pool)
{
    strata_stream_t *s;
    sock_stream_t *ss;
    apr_status_t rv;

    if (out == NULL || sock == NULL || pool == NULL)
        return APR_EINVAL;
    *out = NULL;
    if ((rv = strata_stream_alloc(&s, &sock_type, NULL, 0, pool))
            != APR_SUCCESS)
        return rv;
    /* Blocking, with the kernel's timeouts (none until set). */
    if ((rv = apr_socket_timeout_set(sock, -1)) != APR_SUCCESS
        || (rv = strata__os_sock_prepare(sock)) != APR_SUCCESS
        || (rv = strata__os_sock_timeouts(sock, 0, 0)) != APR_SUCCESS)
        return rv;
    ss = (sock_stream_t *)s;
    ss->sock = sock;
    ss->h = strata__os_sock_handle(sock);
    ss->own = (flags & STRATA_SOCKET_OWN) != 0;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata__socket_wrap_nb(strata_stream_t **out, apr_socket_t *sock,
                                    apr_pool_t *pool)
{
    strata_stream_t *s;
    apr_status_t rv;

    if ((rv = strata_stream_alloc(&s, &sock_type, NULL, 0, pool))
            != APR_SUCCESS)
        return rv;
    if ((rv = apr_socket_timeout_set(sock, 0)) != APR_SUCCESS
        || (rv = strata__os_sock_prepare(sock)) != APR_SUCCESS)
        return rv;
    ((sock_stream_t *)s)->sock = sock;
    ((sock_stream_t *)s)->h = strata__os_sock_handle(sock);
    ((sock_stream_t *)s)->own = 1;
    ((sock_stream_t *)s)->nb = 1;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata__socket_sendv(strata_stream_t *s, const strata__iov_t *iov,
                                  int niov, apr_size_t *n)
{
    strata__iov_t v[STRATA__IOV_MAX];
    apr_size_t want = 0, grant, left, moved = 0;
    apr_status_t rv;
    int i, k = 0;

    *n = 0;
    if (niov > STRATA__IOV_MAX)
        niov = STRATA__IOV_MAX;
    for (i = 0; i < niov; i++)
        want += iov[i].len;
    if ((rv = strata__io_begin(s, STRATA__DIR_WRITE, want, &grant))
            != APR_SUCCESS)
        return rv;
    for (left = grant, i = 0; i < niov && left > 0; i++, k++) {
        v[k] = iov[i];
        if (v[k].len > left)
            v[k].len = left;
        left -= v[k].len;
    }
    rv = k > 0 ? strata__os_sock_sendv(((sock_stream_t *)s)->h, v, k, &moved)
               : APR_SUCCESS;
    strata__io_end(s, STRATA__DIR_WRITE, grant, moved);
    *n = moved;
    return rv;
}

static apr_status_t set_opts(apr_socket_t *sock, const strata_tcp_opts_t *o)
{
    apr_status_t rv = APR_SUCCESS;

    if (o->nodelay)
        rv = apr_socket_opt_set(sock, APR_TCP_NODELAY, 1);
    if (rv == APR_SUCCESS && o->keepalive)
        rv = apr_socket_opt_set(sock, APR_SO_KEEPALIVE, 1);
    return rv;
}

/* Connect one address before @deadline (0: no limit). */
static apr_status_t connect_one(apr_socket_t **out, apr_sockaddr_t *sa,
                                const strata_tcp_opts_t *o,
                                apr_time_t deadline, apr_pool_t *pool)
{
    apr_socket_t *sock;
    apr_sockaddr_t *local;
    apr_interval_time_t left = -1;
    apr_status_t rv;

    if ((rv = apr_socket_create(&sock, sa->family, SOCK_STREAM, APR_PROTO_TCP,
                                pool)) != APR_SUCCESS)
        return rv;
    if (o->bind_host != NULL || o->bind_port != 0) {
        rv = apr_sockaddr_info_get(&local, o->bind_host, sa->family,
                                   o->bind_port, 0, pool);
        if (rv == APR_SUCCESS)
            rv = apr_socket_bind(sock, local);
    }
    if (rv == APR_SUCCESS && deadline != 0) {
        left = deadline - apr_time_now();
        if (left <= 0)
            rv = APR_TIMEUP;
    }
    if (rv == APR_SUCCESS)
        rv = apr_socket_timeout_set(sock, left);
    if (rv == APR_SUCCESS)
        rv = apr_socket_connect(sock, sa);
    if (rv == APR_SUCCESS)
        rv = set_opts(sock, o);
    if (rv != APR_SUCCESS) {
        apr_socket_close(sock);
        return rv;
    }
    *out = sock;
    return APR_SUCCESS;
}

apr_status_t strata__tcp_connect_addrs(strata_stream_t **out,
                                      apr_sockaddr_t *list,
                                      const strata_tcp_opts_t *opts,
                                      apr_pool_t *pool)
{
    strata_tcp_opts_t o;
    apr_sockaddr_t *sa;
    apr_socket_t *sock = NULL;
    apr_time_t deadline = 0;
    apr_status_t rv;

    if (out == NULL || list == NULL || pool == NULL)
        return APR_EINVAL;
    *out = NULL;
    memset(&o, 0, sizeof(o));
    if (opts != NULL)
        o = *opts;
    if (o.connect_timeout > 0)
        deadline = apr_time_now() + o.connect_timeout;
    rv = APR_EGENERAL;
    for (sa = list; sa != NULL; sa = sa->next) {
        if ((rv = connect_one(&sock, sa, &o, deadline, pool)) == APR_SUCCESS)
            break;
        if (rv == APR_TIMEUP && deadline != 0 && apr_time_now() >= deadline)
            return APR_TIMEUP;
    }
    if (rv != APR_SUCCESS)
        return rv;
    rv = strata_socket_wrap(out, sock, STRATA_SOCKET_OWN, pool);
    if (rv == APR_SUCCESS)
        rv = strata_socket_set_timeouts(*out, o.read_timeout, o.write_timeout);
    if (rv != APR_SUCCESS) {
        if (*out != NULL)
            strata_close(*out);
        else
            apr_socket_close(sock);
        *out = NULL;
    }
    return rv;
}

apr_status_t strata_tcp_connect(strata_stream_t **out, const char *host,
                                apr_port_t port, const strata_tcp_opts_t *opts,
                                apr_pool_t *pool)
{
    apr_sockaddr_t *list;
    apr_status_t rv;

    if (out == NULL || host == NULL || pool == NULL)
        return APR_EINVAL;
    *out = NULL;
    rv = apr_sockaddr_info_get(&list, host, opts != NULL ? opts->family
                                                         : APR_UNSPEC,
                               port, 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    /* Every address in the resolver's order, within one connect_timeout. */
    return strata__tcp_connect_addrs(out, list, opts, pool);
}

/* ---- socket calls ----------------------------------------------------- */

apr_socket_t *strata_socket_get(strata_stream_t *s)
{
    sock_stream_t *ss = as_sock(s);

    return ss != NULL ? ss->sock : NULL;
}

#define RECV_FLAGS (STRATA_MSG_PEEK | STRATA_MSG_OOB | STRATA_MSG_DONTWAIT)
#define SEND_FLAGS (STRATA_MSG_OOB | STRATA_MSG_DONTWAIT)

/* A flagged call, metered like strata_read()/strata_write(). */
static apr_status_t flagged(strata_stream_t *s, int wr, void *buf,
                            apr_size_t len, unsigned flags, apr_size_t *n)
{
    int dir = wr ? STRATA__DIR_WRITE : STRATA__DIR_READ;
    apr_size_t grant, moved = 0;
    apr_status_t rv;

    if (n == NULL)
        return APR_EINVAL;
    *n = 0;
    if (as_sock(s) == NULL || (buf == NULL && len > 0)
        || (flags & ~(wr ? SEND_FLAGS : RECV_FLAGS)) != 0)
        return APR_EINVAL;
    if ((rv = strata__io_begin(s, dir, len, &grant)) != APR_SUCCESS)
        return rv;
    rv = sock_call((sock_stream_t *)s, wr, buf, grant, flags, &moved);
    if (moved > 0)
        rv = APR_SUCCESS;
    strata__io_end(s, dir, grant, moved);
    *n = moved;
    return rv;
}

apr_status_t strata_socket_recv(strata_stream_t *s, void *buf, apr_size_t len,
                                unsigned flags, apr_size_t *n)
{
    return flagged(s, 0, buf, len, flags, n);
}

apr_status_t strata_socket_send(strata_stream_t *s, const void *buf,
                                apr_size_t len, unsigned flags, apr_size_t *n)
{
    return flagged(s, 1, (void *)buf, len, flags, n);
}

static apr_status_t live_sock(strata_stream_t *s, sock_stream_t **ss)
{
    if ((*ss = as_sock(s)) == NULL)
        return APR_EINVAL;
    return strata_stream_is_closed(s) ? STRATA_ECLOSED : APR_SUCCESS;
}

apr_status_t strata_socket_set_timeouts(strata_stream_t *s,
                                        apr_interval_time_t rd,
                                        apr_interval_time_t wr)
{
    sock_stream_t *ss;
    apr_status_t rv;

    if ((rv = live_sock(s, &ss)) != APR_SUCCESS)
        return rv;
    return strata__os_sock_timeouts(ss->sock, rd, wr);
}

apr_status_t strata_socket_set_nodelay(strata_stream_t *s, int on)
{
    sock_stream_t *ss;
    apr_status_t rv;

    if ((rv = live_sock(s, &ss)) != APR_SUCCESS)
        return rv;
    return apr_socket_opt_set(ss->sock, APR_TCP_NODELAY, on != 0);
}

apr_status_t strata_socket_set_keepalive(strata_stream_t *s, int on)
{
    sock_stream_t *ss;
    apr_status_t rv;

    if ((rv = live_sock(s, &ss)) != APR_SUCCESS)
        return rv;
    return apr_socket_opt_set(ss->sock, APR_SO_KEEPALIVE, on != 0);
}

apr_status_t strata_socket_shutdown_read(strata_stream_t *s)
{
    sock_stream_t *ss;
    apr_status_t rv;

    if ((rv = live_sock(s, &ss)) != APR_SUCCESS)
        return rv;
    if (apr_atomic_xchg32(&ss->rd_shut, 1))
        return APR_SUCCESS;
    rv = apr_socket_shutdown(ss->sock, APR_SHUTDOWN_READ);
    return strata__os_is_notconn(rv) ? APR_SUCCESS : rv;
}

apr_status_t strata_socket_abort(strata_stream_t *s)
{
    sock_stream_t *ss;
    apr_status_t rv, rv2;

    if ((rv = live_sock(s, &ss)) != APR_SUCCESS)
        return rv;
    rv = strata__os_sock_linger0(ss->sock);
    /* No FIN first: a shut write side would turn the reset into a close. */
    strata__st_set(s, STRATA__ST_WRITE_SHUT);
    rv2 = strata_close(s);
    return rv != APR_SUCCESS ? rv : rv2;
}

apr_sockaddr_t *strata_socket_addr(strata_stream_t *s, int remote)
{
    sock_stream_t *ss = as_sock(s);
    apr_sockaddr_t *sa = NULL;

    if (ss == NULL || strata_stream_is_closed(s))
        return NULL;
    if (apr_socket_addr_get(&sa, remote ? APR_REMOTE : APR_LOCAL, ss->sock)
            != APR_SUCCESS)
        return NULL;
    return sa;
}

/* ---- addresses -------------------------------------------------------- */

char *strata_sockaddr_format(const apr_sockaddr_t *sa, char *buf,
                             apr_size_t len)
{
    char ip[64];

    if (buf == NULL || len == 0)
        return buf;
    if (sa == NULL
        || apr_sockaddr_ip_getbuf(ip, sizeof(ip), (apr_sockaddr_t *)sa)
               != APR_SUCCESS) {
        apr_cpystrn(buf, "?", len);
        return buf;
    }
#if APR_HAVE_IPV6
    if (sa->family == APR_INET6) {
        apr_snprintf(buf, len, "[%s]:%u", ip, (unsigned)sa->port);
        return buf;
    }
#endif
    apr_snprintf(buf, len, "%s:%u", ip, (unsigned)sa->port);
    return buf;
}

apr_status_t strata_parse_hostport(const char *text, char **host,
                                   apr_port_t *port, apr_pool_t *pool)
{
    const char *colon, *h, *he;
    char *end;
    long v;

    if (text == NULL || host == NULL || port == NULL || pool == NULL)
        return APR_EINVAL;
    *host = NULL;
    *port = 0;
    if (text[0] == '[') {
        he = strchr(text, ']');
        if (he == NULL || he[1] != ':')
            return APR_EINVAL;
        h = text + 1;
        colon = he + 1;
    } else {
        colon = strrchr(text, ':');
        if (colon == NULL)
            return APR_EINVAL;
        h = text;
        he = colon;
        if (memchr(text, ':', (apr_size_t)(colon - text)) != NULL)
            return APR_EINVAL;   /* a bare IPv6 address needs brackets */
    }
    if (colon[1] == '\0')
        return APR_EINVAL;
    v = strtol(colon + 1, &end, 10);
    if (*end != '\0' || v < 0 || v > 65535)
        return APR_EINVAL;
    if (he > h && !(he - h == 1 && *h == '*'))
        *host = apr_pstrmemdup(pool, h, (apr_size_t)(he - h));
    *port = (apr_port_t)v;
    return APR_SUCCESS;
}

apr_socket_t *strata__socket_raw(strata_stream_t *s)
{
    sock_stream_t *ss = as_sock(s);

    return ss != NULL && !ss->nb ? ss->sock : NULL;
}
