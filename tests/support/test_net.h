/*
 * test_net.h -- loopback helpers for the network tests (127.0.0.1 and ::1
 * only), descriptor counting and the load scale.
 */
#ifndef STRATA_TEST_NET_H
#define STRATA_TEST_NET_H

#include <apr_network_io.h>
#include "strata/strata.h"

/* A listening TCP socket on @host (a loopback literal) and a free port,
 * with @backlog; *port says which.  APR status. */
apr_status_t strata_test_listen(apr_socket_t **out, const char *host,
                                int backlog, apr_port_t *port,
                                apr_pool_t *pool);

/* Accept one connection (waiting up to 5 s) and wrap it as a socket stream
 * that owns it. */
apr_status_t strata_test_accept(strata_stream_t **out, apr_socket_t *lsn,
                                apr_pool_t *pool);

/* Open descriptors of this process (/proc/self/fd), or -1 where that
 * cannot be counted (the test then skips the comparison). */
int strata_test_fd_count(void);

/* STRATA_TEST_SCALE in percent (default 100); @n scaled, at least @min. */
apr_size_t strata_test_scaled(apr_size_t n, apr_size_t min);

/* Non-zero when running under wine (WINELOADERNOEXEC/WINEPREFIX set, or a
 * Windows build run on wine), where some socket details differ. */
int strata_test_on_wine(void);

#endif /* STRATA_TEST_NET_H */
