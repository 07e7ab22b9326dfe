/*
 * net_loadgen.h -- the load generator of bench_net: many loopback
 * connections driven from one thread over an apr_pollset.
 */
#ifndef STRATA_BENCH_NET_LOADGEN_H
#define STRATA_BENCH_NET_LOADGEN_H

#include <apr_network_io.h>

/*
 * Echo load: open @conns connections to 127.0.0.1:@port, then on each keep
 * one @msg-byte message in flight (send, wait for the whole echo, check it,
 * send the next) for @warmup then @seconds seconds.  Returns the round
 * trips per second completed during the measured part, or -1 on error
 * (a connection failed or an echo differed).
 */
double loadgen_echo(apr_port_t port, int conns, apr_size_t msg,
                    double warmup, double seconds);

/*
 * Idle load: open @conns connections and hold them, sending nothing, until
 * a byte (or EOF) arrives on descriptor @wait_fd; writes one byte to
 * @ready_fd once all are open.  Returns the number it opened.
 */
int loadgen_idle(apr_port_t port, int conns, int ready_fd, int wait_fd);

#endif /* STRATA_BENCH_NET_LOADGEN_H */
