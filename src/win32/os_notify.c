/*
 * os_notify.c (Windows) -- the completion descriptor: the reading end of a
 * connected pair of loopback TCP sockets (made with APR), so select() and
 * WSAPoll() can watch it.  Signalling sends one byte; draining receives
 * whatever is there without blocking.
 */
#include "strata_os_notify.h"
#include <apr_network_io.h>

struct strata__notify_t {
    apr_socket_t *rd, *wr;
};

static apr_status_t notify_pair(strata__notify_t *n, apr_pool_t *pool)
{
    apr_sockaddr_t *sa;
    apr_socket_t *lis;
    apr_status_t rv;

    rv = apr_sockaddr_info_get(&sa, "127.0.0.1", APR_INET, 0, 0, pool);
    if (rv == APR_SUCCESS)
        rv = apr_socket_create(&lis, APR_INET, SOCK_STREAM, APR_PROTO_TCP, pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = apr_socket_bind(lis, sa);
    if (rv == APR_SUCCESS)
        rv = apr_socket_listen(lis, 1);
    if (rv == APR_SUCCESS)
        rv = apr_socket_addr_get(&sa, APR_LOCAL, lis);
    if (rv == APR_SUCCESS)
        rv = apr_socket_create(&n->wr, APR_INET, SOCK_STREAM, APR_PROTO_TCP,
                               pool);
    if (rv == APR_SUCCESS)
        rv = apr_socket_connect(n->wr, sa);
    if (rv == APR_SUCCESS)
        rv = apr_socket_accept(&n->rd, lis, pool);
    apr_socket_close(lis);
    if (rv != APR_SUCCESS)
        return rv;
    apr_socket_opt_set(n->wr, APR_TCP_NODELAY, 1);
    apr_socket_timeout_set(n->wr, 0);   /* non-blocking */
    apr_socket_timeout_set(n->rd, 0);
    return APR_SUCCESS;
}

apr_status_t strata__notify_create(strata__notify_t **out, apr_pool_t *pool)
{
    strata__notify_t *n = apr_pcalloc(pool, sizeof(*n));
    apr_status_t rv = notify_pair(n, pool);

    if (rv != APR_SUCCESS)
        return rv;     /* sockets made so far close with the pool */
    *out = n;
    return APR_SUCCESS;
}

void strata__notify_signal(strata__notify_t *n)
{
    apr_size_t len = 1;

    apr_socket_send(n->wr, "x", &len);   /* a full buffer is still readable */
}

void strata__notify_drain(strata__notify_t *n)
{
    char buf[256];
    apr_size_t len;

    do {
        len = sizeof(buf);
    } while (apr_socket_recv(n->rd, buf, &len) == APR_SUCCESS && len > 0);
}

apr_os_sock_t strata__notify_fd(strata__notify_t *n)
{
    apr_os_sock_t fd;

    apr_os_sock_get(&fd, n->rd);
    return fd;
}
