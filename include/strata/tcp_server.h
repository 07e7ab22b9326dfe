/*
 * strata/tcp_server.h -- a TCP server: reactors over apr_pollset, each
 * connection's input and output in two chunked pipes, two handler styles,
 * metering, idle timeout, connection limit and graceful stop.  The design
 * is explained in docs/net.md.
 *
 * Handler styles (pick one per server with the options):
 *  - event handler (on_event): runs inline on the connection's reactor
 *    thread whenever the connection has news (STRATA_TCP_EV_*).  It reads
 *    what is there from strata_tcp_conn_in() with the pipe's non-blocking
 *    reader calls, writes with strata_tcp_conn_write() and never waits.
 *    An idle connection costs two small pipes and no thread.
 *  - stream handler (on_stream): runs on a worker of an executor and gets
 *    the connection as one blocking duplex stream ("tcp-conn": reads come
 *    from the input pipe, writes go to the output pipe); any decorator
 *    stacks on it.  When it returns, its output is sent, the write side is
 *    shut (FIN) and the connection closed.  It must close or shut what it
 *    stacked (e.g. a gzip writer's trailer) before returning.
 *
 * Backpressure: the reactor stops reading a socket while its input pipe
 * holds in_limit bytes (a lagging handler slows its own client only); a
 * stream handler's write waits while the output pipe holds out_limit bytes;
 * an event handler's strata_tcp_conn_write() answers APR_EAGAIN instead and
 * the handler gets STRATA_TCP_EV_WRITABLE once the output drained.
 *
 * Meters: each connection counts the wire (one op per recv/send system
 * call, the bytes they moved) and the logical bytes its handler read and
 * wrote.  The wire counts feed the server's wire meter, the logical counts
 * its logical meter; strata_tcp_conn_attach_meter() adds a tenant's meters
 * (from on_accept, by port or peer address, or later, e.g. after a first
 * message).  A quota on a wire meter ends a connection once it is spent
 * (how = "quota"; its handler's input ends with STRATA_EQUOTA); a quota on
 * a logical meter makes a stream handler's reads and writes fail with
 * STRATA_EQUOTA.
 *
 * Failures: a handler that returns an error, or whose connection resets,
 * is logged (opts.log) and counted; its connection alone is closed.
 */
#ifndef STRATA_TCP_SERVER_H
#define STRATA_TCP_SERVER_H

#include "strata/net.h"
#include "strata/pipe.h"
#include "strata/meter.h"
#include "strata/executor.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct strata_tcp_server_t strata_tcp_server_t;
typedef struct strata_tcp_conn_t strata_tcp_conn_t;

/* Events for an event handler (several may come in one call). */
/** First call, right after accept. */
#define STRATA_TCP_EV_OPEN     0x01u
/** New input is in strata_tcp_conn_in(). */
#define STRATA_TCP_EV_DATA     0x02u
/** The peer finished sending (FIN); the input pipe ends after its bytes.
 *  Once the handler returns from this (or a later EV_WRITABLE) call without
 *  a write left waiting (APR_EAGAIN), the server finishes the connection
 *  after its output is sent. */
#define STRATA_TCP_EV_EOF      0x04u
/** A strata_tcp_conn_write() got APR_EAGAIN and the output has drained. */
#define STRATA_TCP_EV_WRITABLE 0x08u
/** The server is stopping: finish up (once per connection). */
#define STRATA_TCP_EV_STOPPING 0x10u
/** Last call: the connection is gone (finished, reset, idle, cut); no I/O,
 *  the return value is ignored.  Free what the handler attached here. */
#define STRATA_TCP_EV_CLOSE    0x20u

/**
 * Event handler: called on the reactor thread; must not block.  A status
 * other than APR_SUCCESS (or APR_EOF) is logged and counted as a failure
 * and closes this connection (output not yet sent is dropped).
 */
typedef apr_status_t (strata_tcp_event_fn)(void *baton, strata_tcp_conn_t *c,
                                           unsigned events);

/**
 * Stream handler: called on an executor worker with the connection's
 * duplex stream @a s (owned by the server: closing it is allowed, not
 * needed).  Allocate in strata_tcp_conn_pool(c).  A status other than
 * APR_SUCCESS (or APR_EOF) is logged and counted as a failure; the output
 * written before returning is still sent.
 */
typedef apr_status_t (strata_tcp_stream_fn)(void *baton, strata_tcp_conn_t *c,
                                            strata_stream_t *s);

/**
 * Accept hook, on the accepting reactor before any handler runs: attach a
 * tenant meter, look at the peer, or refuse (any status other than
 * APR_SUCCESS closes the connection at once; counted as refused).
 */
typedef apr_status_t (strata_tcp_accept_fn)(void *baton, strata_tcp_conn_t *c);

/** What a finished connection did (a billing record). */
typedef struct strata_tcp_conn_info_t {
    char peer[64];               /**< "127.0.0.1:5678" / "[::1]:5678" */
    apr_time_t start;            /**< accepted at */
    apr_time_t end;              /**< closed at */
    strata_counts_t wire;        /**< recv = read, send = write */
    strata_counts_t logical;     /**< what the handler read and wrote */
    /** "closed" (finished normally), "reset" (by the peer), "idle" (cut by
     *  the idle timeout), "cut" (by stop after the grace), "error" (the
     *  handler failed), "refused" (by the accept hook), "quota" (a wire
     *  meter's quota was spent). */
    const char *how;
    apr_status_t status;         /**< the handler's or the socket's status */
} strata_tcp_conn_info_t;

/** Called once per connection after it is closed, on a reactor thread
 *  (several reactors may call it at once). */
typedef void (strata_tcp_finish_fn)(void *baton,
                                    const strata_tcp_conn_info_t *info);

/** Server options; zero means the default for each. */
typedef struct strata_tcp_server_opts_t {
    const char *host;            /**< NULL: all addresses (IPv4) */
    apr_port_t port;             /**< 0: the OS picks (strata_tcp_server_port) */
    int backlog;                 /**< listen backlog; 0: 511 */
    int reactors;                /**< reactor threads; 0: one per CPU */
    /** Most connections open at once; 0: 10000.  Beyond it the server
     *  stops accepting: new connections wait in the kernel's backlog (and
     *  past the backlog the kernel drops or refuses them) until one
     *  closes. */
    apr_size_t max_conns;
    /** Close a connection after this long without a byte moving either way
     *  (microseconds); <= 0: never. */
    apr_interval_time_t idle_timeout;
    apr_size_t in_limit;         /**< input pipe bound; 0: 64 KiB */
    apr_size_t out_limit;        /**< output pipe bound; 0: 256 KiB */
    strata_tcp_event_fn *on_event;   /**< one of on_event / on_stream */
    strata_tcp_stream_fn *on_stream;
    /** Required with on_stream; each running stream handler holds one
     *  worker.  Stop the server before destroying it. */
    strata_executor_t *executor;
    void *baton;                 /**< passed to every callback */
    strata_tcp_accept_fn *on_accept;   /**< may be NULL */
    strata_tcp_finish_fn *on_finish;   /**< may be NULL */
    strata_chunk_pool_t *chunks; /**< NULL: the default chunk pool */
    apr_file_t *log;             /**< failures are logged here; NULL: not */
} strata_tcp_server_opts_t;

/** Server-wide counts (strata_tcp_server_stats()). */
typedef struct strata_tcp_server_stats_t {
    apr_uint64_t accepted;       /**< connections accepted, ever */
    apr_uint64_t active;         /**< open now */
    apr_uint64_t closed;         /**< finished normally ("closed") */
    apr_uint64_t reset;          /**< reset by the peer */
    apr_uint64_t idle;           /**< cut by the idle timeout */
    apr_uint64_t cut;            /**< cut by strata_tcp_server_stop() */
    apr_uint64_t failed;         /**< handlers that returned an error (their
                                      connections end as "error", or as "cut"
                                      / "idle" when that made them fail) */
    apr_uint64_t refused;        /**< refused by the accept hook */
    apr_uint64_t quota;          /**< ended by a spent wire quota */
    apr_uint64_t paused;         /**< times the limit stopped accepting */
} strata_tcp_server_stats_t;

/**
 * Listen and start the reactors.  The server lives in a sub-pool of
 * @a pool; destroying @a pool stops it with no grace.
 * @return APR_SUCCESS; APR_EINVAL for NULL arguments, both or neither
 *         handler, or on_stream without an executor; the socket error of
 *         bind/listen (e.g. APR_EADDRINUSE); an APR error if threads or
 *         pollsets cannot be made.  On failure nothing is left running.
 */
STRATA_API apr_status_t strata_tcp_server_start(strata_tcp_server_t **out,
                                                const strata_tcp_server_opts_t *opts,
                                                apr_pool_t *pool);

/** The port the server listens on (the one the OS picked for port 0). */
STRATA_API apr_port_t strata_tcp_server_port(const strata_tcp_server_t *srv);

/** Snapshot the server's counts (any thread). */
STRATA_API void strata_tcp_server_stats(strata_tcp_server_t *srv,
                                        strata_tcp_server_stats_t *out);

/** The server's wire meter ("wire") and logical meter ("logical"). */
STRATA_API strata_meter_t *strata_tcp_server_wire_meter(strata_tcp_server_t *srv);
STRATA_API strata_meter_t *strata_tcp_server_logical_meter(strata_tcp_server_t *srv);

/** Non-zero once strata_tcp_server_stop() has begun. */
STRATA_API int strata_tcp_server_stopping(strata_tcp_server_t *srv);

/** What strata_tcp_server_stop() did. */
typedef struct strata_tcp_stop_report_t {
    apr_uint64_t open;           /**< connections open when stop began */
    apr_uint64_t finished;       /**< of those, ended within the grace */
    apr_uint64_t cut;            /**< of those, closed by the server */
} strata_tcp_stop_report_t;

/**
 * Stop: close the listener at once, tell every handler (EV_STOPPING;
 * strata_tcp_conn_stopping() turns true), let connections finish and their
 * output drain for up to @a grace microseconds, then cut the rest (their
 * handlers' I/O fails with STRATA_ECUT), wait for every stream handler to
 * return, stop the reactors and free everything.  Output a handler wrote
 * before it returned within the grace is sent before its socket closes.
 * @a report may be NULL.  Must not be called from a handler.  A second call
 * returns APR_SUCCESS and does nothing.  The server handle stays valid
 * until its pool goes (stats remain readable).
 */
STRATA_API apr_status_t strata_tcp_server_stop(strata_tcp_server_t *srv,
                                               apr_interval_time_t grace,
                                               strata_tcp_stop_report_t *report);

/* ---- connections (from within handlers and hooks) -------------------- */

/** The input pipe (event handlers read it with the non-blocking calls). */
STRATA_API strata_pipe_t *strata_tcp_conn_in(strata_tcp_conn_t *c);

/**
 * Event handlers: queue @a len bytes for the peer (copied).  All or
 * nothing: APR_SUCCESS; APR_EAGAIN while the output pipe holds out_limit
 * bytes (nothing queued; EV_WRITABLE follows); STRATA_ECLOSED after
 * strata_tcp_conn_close() or when the connection is gone; APR_EINVAL for a
 * stream-handler connection.  Counted as one logical write op.
 */
STRATA_API apr_status_t strata_tcp_conn_write(strata_tcp_conn_t *c,
                                              const void *data,
                                              apr_size_t len);

/** Event handlers: finish the connection once its output is sent (FIN,
 *  then close).  Input that still arrives is discarded. */
STRATA_API apr_status_t strata_tcp_conn_close(strata_tcp_conn_t *c);

/** The peer's address as "host:port" (valid while the connection lives). */
STRATA_API const char *strata_tcp_conn_peer(strata_tcp_conn_t *c);

/** The port the connection came in on. */
STRATA_API apr_port_t strata_tcp_conn_local_port(strata_tcp_conn_t *c);

/** The connection's pool (lives until after EV_CLOSE / the handler). */
STRATA_API apr_pool_t *strata_tcp_conn_pool(strata_tcp_conn_t *c);

/** The server the connection belongs to. */
STRATA_API strata_tcp_server_t *strata_tcp_conn_server(strata_tcp_conn_t *c);

/** Non-zero once the server is stopping. */
STRATA_API int strata_tcp_conn_stopping(strata_tcp_conn_t *c);

/**
 * Whether the server has ended the connection under its handler (any
 * thread): APR_SUCCESS while it is open; else the error it ended with
 * (STRATA_ECUT: cut by the stop or the idle timeout; STRATA_ERESET: reset
 * by the peer; STRATA_EQUOTA...), which the handler's reads and writes on
 * it give too.  For a stream handler that waits on something else (e.g.
 * an upstream socket, with a timeout) to notice that its client is gone.
 * APR_EINVAL for NULL.
 */
STRATA_API apr_status_t strata_tcp_conn_status(strata_tcp_conn_t *c);

/** A pointer for the handler's own state (NULL at first). */
STRATA_API void strata_tcp_conn_set_data(strata_tcp_conn_t *c, void *data);
STRATA_API void *strata_tcp_conn_get_data(strata_tcp_conn_t *c);

/**
 * Make the connection also feed a tenant's @a wire and/or @a logical meter
 * (either may be NULL), from now on.  Call from on_accept or an event
 * handler (any event); a stream handler may attach a @a logical meter only
 * (before its first read or write), since the wire belongs to the reactor.
 * STRATA_ELIMIT when too many meters are attached; APR_EINVAL for a wire
 * meter from a stream handler's worker.
 */
STRATA_API apr_status_t strata_tcp_conn_attach_meter(strata_tcp_conn_t *c,
                                                     strata_meter_t *wire,
                                                     strata_meter_t *logical);

/** Snapshot the connection's wire and logical counts (either may be
 *  NULL). */
STRATA_API void strata_tcp_conn_counts(strata_tcp_conn_t *c,
                                       strata_counts_t *wire,
                                       strata_counts_t *logical);

/* ---- ready-made handlers ----------------------------------------------- */

/**
 * Event handler that sends back every byte the peer sends, in order (the
 * baton is unused).  It consumes its input as far as the output takes it
 * (when strata_tcp_conn_write() answers APR_EAGAIN, the rest waits in the
 * input for EV_WRITABLE); after the peer's FIN the connection ends once
 * everything came back.  Returns APR_SUCCESS, or the error of a write that
 * failed otherwise (the server then ends the connection).
 */
STRATA_API apr_status_t strata_tcp_echo_event(void *baton,
                                              strata_tcp_conn_t *c,
                                              unsigned events);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_TCP_SERVER_H */
