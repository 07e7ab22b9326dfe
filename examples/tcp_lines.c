/*
 * tcp_lines.c -- a line server with a stream handler, and a client.
 *
 * The server reads lines with strata_read_line() stacked on each
 * connection's duplex stream and answers each with its length; the client
 * sends three lines over a socket stream, reads the answers, and both
 * sides print their meters.  Loopback only; the server stops gracefully.
 */
#include <stdio.h>
#include <string.h>
#include <apr_general.h>
#include <strata/strata.h>

static apr_status_t count_lines(void *baton, strata_tcp_conn_t *c,
                                strata_stream_t *s)
{
    strata_stream_t *in;
    const char *line;
    apr_size_t len;
    char answer[32];
    apr_status_t rv;

    rv = strata_buffered_create(&in, s, 4096, 0, 0, strata_tcp_conn_pool(c));
    if (rv != APR_SUCCESS)
        return rv;
    while ((rv = strata_read_line(in, 1024, &line, &len)) == APR_SUCCESS) {
        snprintf(answer, sizeof(answer), "%lu\n", (unsigned long)len);
        if ((rv = strata_write_all(s, answer, strlen(answer), NULL))
                != APR_SUCCESS)
            return rv;
    }
    strata_close(in);
    return rv == APR_EOF ? APR_SUCCESS : rv;
}

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool;
    strata_executor_t *ex;
    strata_tcp_server_opts_t o;
    strata_tcp_server_t *srv;
    strata_tcp_stop_report_t rep;
    strata_stream_t *cl, *replies;
    strata_counts_t wire;
    const char *line;
    apr_size_t len;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    if (strata_executor_create(&ex, 4, pool) != APR_SUCCESS)
        return 1;
    memset(&o, 0, sizeof(o));
    o.host = "127.0.0.1";        /* port 0: any free port */
    o.on_stream = count_lines;
    o.executor = ex;
    if (strata_tcp_server_start(&srv, &o, pool) != APR_SUCCESS)
        return 1;
    printf("listening on 127.0.0.1:%u\n", (unsigned)strata_tcp_server_port(srv));

    if (strata_tcp_connect(&cl, "127.0.0.1", strata_tcp_server_port(srv),
                           NULL, pool) != APR_SUCCESS)
        return 1;
    strata_write_all(cl, "one\ntwo\nthree\n", 14, NULL);
    strata_shutdown_write(cl);           /* FIN: the handler sees EOF */
    strata_buffered_create(&replies, cl, 256, 0, 0, pool);
    while (strata_read_line(replies, 64, &line, &len) == APR_SUCCESS)
        printf("answer: %.*s", (int)len, line);
    strata_close(replies);
    strata_stream_counts(cl, &wire);
    printf("client: sent %lu bytes in %lu send calls, received %lu\n",
           (unsigned long)wire.write_bytes, (unsigned long)wire.write_ops,
           (unsigned long)wire.read_bytes);
    strata_close(cl);

    strata_tcp_server_stop(srv, apr_time_from_sec(5), &rep);
    strata_meter_snapshot(strata_tcp_server_wire_meter(srv), &wire);
    printf("server: %lu bytes in, %lu out; %lu finished, %lu cut\n",
           (unsigned long)wire.read_bytes, (unsigned long)wire.write_bytes,
           (unsigned long)rep.finished, (unsigned long)rep.cut);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
