/*
 * net_loadgen.c -- the load generator of bench_net (see net_loadgen.h).
 * POSIX only, like bench_net itself; runs in its own process.
 */
#ifndef _WIN32
#include "net_loadgen.h"
#include "bench_util.h"
#include <apr_poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct lg_conn_t {
    apr_socket_t *s;
    apr_size_t got;
    unsigned seq;
} lg_conn_t;

static apr_status_t lg_connect(apr_socket_t **out, apr_port_t port,
                               apr_pool_t *pool)
{
    apr_sockaddr_t *sa;
    apr_status_t rv;

    if ((rv = apr_sockaddr_info_get(&sa, "127.0.0.1", APR_INET, port, 0, pool))
            != APR_SUCCESS
        || (rv = apr_socket_create(out, APR_INET, SOCK_STREAM, APR_PROTO_TCP,
                                   pool)) != APR_SUCCESS)
        return rv;
    if ((rv = apr_socket_connect(*out, sa)) != APR_SUCCESS)
        return rv;
    apr_socket_opt_set(*out, APR_TCP_NODELAY, 1);
    return APR_SUCCESS;
}

static void lg_fill(char *buf, apr_size_t msg, unsigned seq)
{
    apr_size_t i;

    for (i = 0; i < msg; i++)
        buf[i] = (char)(seq * 31 + i);
}

static int lg_send(lg_conn_t *c, apr_size_t msg)
{
    char buf[4096];
    apr_size_t n = msg;

    lg_fill(buf, msg, ++c->seq);
    c->got = 0;
    return apr_socket_send(c->s, buf, &n) == APR_SUCCESS && n == msg;
}

double loadgen_echo(apr_port_t port, int conns, apr_size_t msg,
                    double warmup, double seconds)
{
    apr_pool_t *pool;
    apr_pollset_t *ps;
    lg_conn_t *cs;
    apr_pollfd_t pfd;
    const apr_pollfd_t *ev;
    apr_int32_t num, i;
    char buf[4096], expect[4096];
    apr_size_t n;
    apr_uint64_t done = 0;
    double t0, start = 0, end;
    int k, bad = 0, measuring = 0;

    if (msg > sizeof(buf))
        return -1;
    apr_pool_create(&pool, NULL);
    cs = apr_pcalloc(pool, sizeof(*cs) * (apr_size_t)conns);
    if (apr_pollset_create(&ps, (apr_uint32_t)conns + 1, pool, 0)
            != APR_SUCCESS)
        return -1;
    for (k = 0; k < conns; k++) {
        if (lg_connect(&cs[k].s, port, pool) != APR_SUCCESS)
            return -1;
        memset(&pfd, 0, sizeof(pfd));
        pfd.p = pool;
        pfd.desc_type = APR_POLL_SOCKET;
        pfd.desc.s = cs[k].s;
        pfd.reqevents = APR_POLLIN;
        pfd.client_data = &cs[k];
        apr_pollset_add(ps, &pfd);
    }
    for (k = 0; k < conns; k++) {
        apr_socket_timeout_set(cs[k].s, 0);
        if (!lg_send(&cs[k], msg))
            return -1;
    }
    t0 = bench_now();
    end = t0 + warmup + seconds;
    while (bench_now() < end && !bad) {
        if (!measuring && bench_now() >= t0 + warmup) {
            measuring = 1;
            done = 0;
            start = bench_now();
        }
        if (apr_pollset_poll(ps, 100000, &num, &ev) != APR_SUCCESS)
            continue;
        for (i = 0; i < num; i++) {
            lg_conn_t *c = ev[i].client_data;
            n = msg - c->got;
            if (apr_socket_recv(c->s, buf + c->got, &n) != APR_SUCCESS) {
                bad = 1;
                break;
            }
            c->got += n;
            if (c->got < msg)
                continue;
            lg_fill(expect, msg, c->seq);
            if (memcmp(buf, expect, msg) != 0 || !lg_send(c, msg)) {
                bad = 1;
                break;
            }
            done++;
        }
    }
    end = bench_now();
    apr_pool_destroy(pool);
    if (bad || !measuring)
        return -1;
    return (double)done / (end - start);
}

int loadgen_idle(apr_port_t port, int conns, int ready_fd, int wait_fd)
{
    apr_pool_t *pool;
    apr_socket_t *s;
    char b = 1;
    int k;

    apr_pool_create(&pool, NULL);
    for (k = 0; k < conns; k++)
        if (lg_connect(&s, port, pool) != APR_SUCCESS)
            break;
    if (write(ready_fd, &b, 1) != 1)
        k = -1;
    if (read(wait_fd, &b, 1) < 0)
        k = -1;
    apr_pool_destroy(pool);
    return k;
}
#endif
