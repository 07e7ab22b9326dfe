/*
 * serve_http.h -- the small HTTP/1.x server behind `strata serve
 * --metrics`: an event handler for strata's TCP server that answers
 * GET and HEAD for one path, keeps connections alive, answers pipelined
 * requests in order, and refuses what it does not serve with the right
 * status (400, 404, 405, 408, 431, 505).
 */
#ifndef STRATA_TOOL_SERVE_HTTP_H
#define STRATA_TOOL_SERVE_HTTP_H

#include "strata/strata.h"

/** Writes the body for the served path to @a out (a memory stream). */
typedef apr_status_t (serve_http_body_fn)(void *baton, strata_stream_t *out);

typedef struct serve_http_t {
    const char *path;            /**< the one path served, e.g. "/metrics" */
    const char *content_type;    /**< of its body */
    serve_http_body_fn *body;
    void *baton;                 /**< for body */
    /** A request head must be complete this long after its first byte
     *  (else 408 and close); <= 0: no limit. */
    apr_interval_time_t head_timeout;
} serve_http_t;

/** Longest request head accepted (request line and headers); longer: 431. */
#define SERVE_HTTP_HEAD_MAX 8192

/** The event handler; the server's baton must be a serve_http_t. */
apr_status_t serve_http_event(void *baton, strata_tcp_conn_t *c,
                              unsigned events);

#endif /* STRATA_TOOL_SERVE_HTTP_H */
