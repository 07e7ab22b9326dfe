/*
 * test_net.c -- loopback helpers for the network tests.
 */
#include "test_net.h"
#include <apr_file_io.h>
#include <apr_env.h>
#include <stdlib.h>

apr_status_t strata_test_listen(apr_socket_t **out, const char *host,
                                int backlog, apr_port_t *port,
                                apr_pool_t *pool)
{
    apr_sockaddr_t *sa, *bound;
    apr_socket_t *s;
    apr_status_t rv;

    rv = apr_sockaddr_info_get(&sa, host, APR_UNSPEC, 0, 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = apr_socket_create(&s, sa->family, SOCK_STREAM, APR_PROTO_TCP,
                                pool)) != APR_SUCCESS)
        return rv;
    if ((rv = apr_socket_bind(s, sa)) != APR_SUCCESS
        || (rv = apr_socket_listen(s, backlog)) != APR_SUCCESS
        || (rv = apr_socket_addr_get(&bound, APR_LOCAL, s)) != APR_SUCCESS) {
        apr_socket_close(s);
        return rv;
    }
    *port = bound->port;
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata_test_accept(strata_stream_t **out, apr_socket_t *lsn,
                                apr_pool_t *pool)
{
    apr_socket_t *c;
    apr_status_t rv;

    apr_socket_timeout_set(lsn, apr_time_from_sec(5));
    if ((rv = apr_socket_accept(&c, lsn, pool)) != APR_SUCCESS)
        return rv;
    rv = strata_socket_wrap(out, c, STRATA_SOCKET_OWN, pool);
    if (rv != APR_SUCCESS)
        apr_socket_close(c);
    return rv;
}

int strata_test_fd_count(void)
{
    apr_pool_t *p;
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    if (strata_test_on_wine())
        return -1;
    apr_pool_create(&p, NULL);
    if (apr_dir_open(&d, "/proc/self/fd", p) != APR_SUCCESS) {
        apr_pool_destroy(p);
        return -1;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS)
        if (fi.name[0] != '.')
            n++;
    apr_dir_close(d);
    apr_pool_destroy(p);
    return n - 1;                /* the folder's own descriptor */
}

apr_size_t strata_test_scaled(apr_size_t n, apr_size_t min)
{
    const char *v = getenv("STRATA_TEST_SCALE");
    long pct = v != NULL ? strtol(v, NULL, 10) : 100;
    apr_size_t r;

    if (pct <= 0)
        pct = 100;
    r = (apr_size_t)((double)n * (double)pct / 100.0);
    return r < min ? min : r;
}

int strata_test_on_wine(void)
{
#ifdef _WIN32
    return 1;   /* Windows builds are only run under wine by the CI */
#else
    return 0;
#endif
}
