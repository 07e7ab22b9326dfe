/*
 * strata_net_private.h -- the server's structures, shared by
 * net_server.c (start, accept, stop), net_reactor.c (the event loop) and
 * net_conn.c (the connection API, the duplex stream, stream handlers).
 * Not exported.
 */
#ifndef STRATA_NET_PRIVATE_H
#define STRATA_NET_PRIVATE_H

#include "strata/tcp_server.h"
#include "strata_net_os.h"
#include <apr_poll.h>
#include <apr_thread_proc.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>

/* net_socket.c: a socket stream over the server's non-blocking socket
 * (owned; reads and writes never wait), and a metered gathered send. */
apr_status_t strata__socket_wrap_nb(strata_stream_t **out, apr_socket_t *sock,
                                    apr_pool_t *pool);
/* The blocking socket under a socket stream made by strata_socket_wrap() or
 * strata_tcp_connect() (for strata_copy's sendfile path), else NULL. */
apr_socket_t *strata__socket_raw(strata_stream_t *s);

apr_status_t strata__socket_sendv(strata_stream_t *s, const strata__iov_t *iov,
                                  int niov, apr_size_t *n);

/* strata_tcp_connect() after the name lookup: try each address of @list
 * in order (a seam for tests: a list mixing families, one refusing). */
apr_status_t strata__tcp_connect_addrs(strata_stream_t **out,
                                      apr_sockaddr_t *list,
                                      const strata_tcp_opts_t *opts,
                                      apr_pool_t *pool);

typedef struct strata__reactor_t strata__reactor_t;

/* Connection.  (R) fields belong to its reactor thread; (A) are atomics
 * other threads touch. */
struct strata_tcp_conn_t {
    strata_tcp_server_t *srv;
    strata__reactor_t *r;
    apr_pool_t *pool;
    apr_socket_t *sock;
    strata_stream_t *wire;           /* metered socket stream (R) */
    strata_stream_t *duplex;         /* stream handlers: the "tcp-conn" */
    strata_pipe_t *in, *out;
    apr_pollfd_t pfd;                /* registered in r->ps (R) */
    apr_int16_t reg;                 /* events registered now, 0: none (R) */
    char peer[64];
    apr_port_t local_port;
    apr_time_t start, last;          /* (R) */
    strata_tcp_conn_t *prev, *next;  /* r's list, by last activity (R) */
    strata_tcp_conn_t *qnext;        /* r's inbox (r->qlock) */
    int queued;                      /* in the inbox (r->qlock) */
    int isnew;                       /* queued, not yet set up (R) */
    int in_eof;                      /* input ended (R) */
    int close_req;                   /* finish once output is sent (R) */
    int eof_seen;                    /* event: EV_EOF delivered (R) */
    int wr_shut;                     /* FIN sent (R) */
    apr_time_t linger_until;         /* after FIN: discard input until (R) */
    int want_writable;               /* event: write got EAGAIN (R) */
    int told_stopping;               /* EV_STOPPING delivered (R) */
    int dead;                        /* socket closed (R) */
    int buried;                      /* in r->grave (R) */
    int handler_started;             /* stream handler queued (set before) */
    volatile apr_uint32_t running;   /* (A) its worker has begun */
    int running_seen;                /* the reactor knows: idle timer on (R) */
    int handler_done;                /* stream handler returned (r->qlock) */
    apr_status_t handler_rv;         /* its status (r->qlock) */
    /* (A) the error the server ended the connection with (STRATA_ECUT,
     * STRATA_ERESET...), 0: none; a stream handler's writes report it */
    volatile apr_uint32_t killed;
    const char *how;
    apr_status_t status;
    /* event handlers' logical counts and meters (R) */
    strata_counts_t logical;
    apr_uint64_t consumed_seen;
    strata_meter_t *lmeters[STRATA_STREAM_MAX_METERS];
    void *user;
};

struct strata__reactor_t {
    strata_tcp_server_t *srv;
    int index;
    apr_pool_t *pool;
    apr_pollset_t *ps;
    apr_thread_t *thread;
    apr_thread_mutex_t *qlock;
    strata_tcp_conn_t *qhead, *qtail;    /* inbox (qlock) */
    int sleeping;                        /* in poll, wake it (qlock) */
    strata_tcp_conn_t *lru_head, *lru_tail;  /* (R) oldest first */
    apr_size_t nconns;                   /* (R) */
    strata_tcp_conn_t *grave;            /* dead, to free (R), by next */
    int stop_seen, cut_seen;             /* (R) */
    int listening;                       /* listener registered (R, #0) */
    /* accept failed (descriptors, memory): listener out of the pollset
     * until then, 0: not backing off (R, #0) */
    apr_time_t accept_retry;
    int accept_logged;                   /* that failure was logged (R, #0) */
};

struct strata_tcp_server_t {
    apr_pool_t *pool;                /* the server's own (mutexed) pool */
    apr_pool_t *user_pool;
    strata_tcp_server_opts_t o;
    apr_socket_t *lsn;
    apr_pollfd_t lpfd;
    apr_port_t port;
    strata__reactor_t *reactors;
    int nreactors;
    unsigned next_reactor;           /* round robin (reactor 0 only) */
    strata_meter_t *wire_meter, *logical_meter;
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *changed;      /* active went down, or cut done */
    volatile apr_uint32_t stopping;  /* (A) stop began */
    volatile apr_uint32_t cutting;   /* (A) grace over: cut the rest */
    volatile apr_uint32_t quit;      /* (A) reactors leave their loop */
    volatile apr_uint32_t resume_accept;  /* (A) below max_conns again */
    int stopped;                     /* (lock) stop finished */
    int accept_paused;               /* (lock) max_conns stopped accept */
    apr_uint64_t active;             /* (lock) */
    strata_tcp_server_stats_t st;    /* (lock) */
    strata_tcp_stop_report_t report; /* (lock) */
    apr_thread_mutex_t *loglock;
};

/* net_reactor.c */
void *APR_THREAD_FUNC strata__reactor_main(apr_thread_t *t, void *data);
/* Queue @c for its reactor (any thread) and wake the reactor. */
void strata__reactor_push(strata_tcp_conn_t *c);
/* A stream handler returned @rv: the last thing its worker does with @c. */
void strata__reactor_push_done(strata_tcp_conn_t *c, apr_status_t rv);
/* Wake reactor @r without news for a connection. */
void strata__reactor_wake(strata__reactor_t *r);

/* net_conn.c */
/* Make the per-connection pipes, the duplex stream and the callbacks. */
apr_status_t strata__conn_setup(strata_tcp_conn_t *c);
/* Stream handlers: queue the handler on the executor. */
apr_status_t strata__conn_start_stream(strata_tcp_conn_t *c);
/* Event handlers: count what the handler consumed and wrote. */
void strata__conn_count_logical(strata_tcp_conn_t *c);

/* net_server.c */
/* Log one line about @c (failures). */
void strata__server_log(strata_tcp_server_t *srv, strata_tcp_conn_t *c,
                        const char *what, apr_status_t rv);
/* Accept what is waiting on the listener (reactor 0). */
void strata__server_accept(strata_tcp_server_t *srv);
/* Reactor 0: listen again once an accept failure's back-off is over. */
void strata__server_accept_retry(strata_tcp_server_t *srv, apr_time_t now);
/* A connection is gone: count it, report it, free it. */
void strata__server_conn_gone(strata_tcp_conn_t *c);

#endif /* STRATA_NET_PRIVATE_H */
