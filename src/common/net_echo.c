/*
 * net_echo.c -- a ready-made event handler: echo (what `strata serve
 * --echo` and bench_net run).
 */
#include "strata_private.h"
#include "strata/tcp_server.h"

#define ECHO_SEGMENTS 8

apr_status_t strata_tcp_echo_event(void *baton, strata_tcp_conn_t *c,
                                   unsigned events)
{
    strata_pipe_t *in = strata_tcp_conn_in(c);
    strata_pipe_iovec_t v[ECHO_SEGMENTS];
    apr_size_t cnt, total, i, done;
    apr_status_t rv;

    (void)baton;
    if (in == NULL || (events & STRATA_TCP_EV_CLOSE))
        return APR_SUCCESS;
    for (;;) {      /* until the input is all sent back or the output full */
        rv = strata_pipe_segments(in, v, ECHO_SEGMENTS, &cnt, &total);
        if (rv != APR_SUCCESS && rv != STRATA_ETRUNCATED)
            return APR_SUCCESS;  /* empty, or its end: the server ends it */
        for (i = 0, done = 0; i < cnt; i++) {
            if ((rv = strata_tcp_conn_write(c, v[i].base, v[i].len))
                    != APR_SUCCESS)
                break;
            done += v[i].len;
        }
        strata_pipe_advance(in, done, done);
        if (rv == APR_EAGAIN || rv == STRATA_ECLOSED)
            return APR_SUCCESS;  /* EV_WRITABLE brings us back / gone */
        if (rv != APR_SUCCESS)
            return rv;
    }
}
