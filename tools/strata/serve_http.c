/*
 * serve_http.c -- HTTP/1.0 and 1.1 for `strata serve --metrics`: GET and
 * HEAD of one path, keep-alive (1.1 by default, 1.0 with "Connection:
 * keep-alive"), pipelined requests answered in order, bounded and timed
 * request heads.  Runs as an event handler on the server's reactor: it
 * never waits; a response that meets a full output pipe waits for
 * EV_WRITABLE with its request still unread.
 */
#include "serve_http.h"
#include <apr_strings.h>
#include <apr_lib.h>
#include <string.h>

typedef struct http_conn_t {
    apr_time_t head_start;       /* first byte of the pending head; 0: none */
} http_conn_t;

typedef struct http_req_t {
    const char *method, *target;
    int minor;                   /* HTTP/1.<minor> */
    int keep_alive;
    int has_body;                /* Content-Length > 0 or Transfer-Encoding */
} http_req_t;

/* Length of the head in @a buf (up to and with the blank line), 0 if not
 * complete.  Lines may end in CRLF or a bare LF. */
static apr_size_t head_length(const char *buf, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i + 1 < n; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 2;
        if (buf[i + 1] == '\r' && i + 2 < n && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Does the comma-separated header value @a v hold the token @a tok? */
static int has_token(const char *v, const char *tok)
{
    apr_size_t tl = strlen(tok);

    while (*v != '\0') {
        const char *e;
        apr_size_t i;

        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        for (e = v; *e != '\0' && *e != ',' && *e != ' ' && *e != '\t'; e++)
            ;
        if ((apr_size_t)(e - v) == tl) {
            for (i = 0; i < tl && apr_tolower(v[i]) == tok[i]; i++)
                ;
            if (i == tl)
                return 1;
        }
        v = e;
    }
    return 0;
}

static int name_is(const char *name, apr_size_t len, const char *want)
{
    apr_size_t i;

    if (len != strlen(want))
        return 0;
    for (i = 0; i < len && apr_tolower(name[i]) == want[i]; i++)
        ;
    return i == len;
}

/* Parse the head (NUL-terminated, in place).  0 or the status to refuse
 * it with (400, 505). */
static int parse_head(char *head, http_req_t *rq)
{
    char *line, *last, *sp1, *sp2, *colon, *v, *e;
    int conn_close = 0, conn_keep = 0;

    memset(rq, 0, sizeof(*rq));
    if ((line = apr_strtok(head, "\n", &last)) == NULL)
        return 400;
    if ((e = strchr(line, '\r')) != NULL)
        *e = '\0';
    if ((sp1 = strchr(line, ' ')) == NULL
        || (sp2 = strchr(sp1 + 1, ' ')) == NULL || sp1 == line
        || sp2 == sp1 + 1)
        return 400;
    *sp1 = *sp2 = '\0';
    rq->method = line;
    rq->target = sp1 + 1;
    for (e = line; *e != '\0'; e++)
        if (!apr_isupper(*e))
            return 400;
    if (strncmp(sp2 + 1, "HTTP/1.", 7) != 0 || !apr_isdigit(sp2[8])
        || sp2[9] != '\0')
        return strncmp(sp2 + 1, "HTTP/", 5) == 0 ? 505 : 400;
    rq->minor = sp2[8] - '0';
    while ((line = apr_strtok(NULL, "\n", &last)) != NULL) {
        if ((e = strchr(line, '\r')) != NULL)
            *e = '\0';
        if (*line == '\0')
            break;
        if ((colon = strchr(line, ':')) == NULL || colon == line)
            return 400;
        for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
            ;
        if (name_is(line, (apr_size_t)(colon - line), "connection")) {
            conn_close |= has_token(v, "close");
            conn_keep |= has_token(v, "keep-alive");
        } else if (name_is(line, (apr_size_t)(colon - line),
                           "content-length")) {
            if (!apr_isdigit(*v))
                return 400;
            rq->has_body |= apr_atoi64(v) > 0;
        } else if (name_is(line, (apr_size_t)(colon - line),
                           "transfer-encoding")) {
            rq->has_body = 1;
        }
    }
    rq->keep_alive = !conn_close && (rq->minor >= 1 || conn_keep);
    return 0;
}

static const char *reason(int code)
{
    switch (code) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 505: return "HTTP Version Not Supported";
    default:  return "Error";
    }
}

/* Queue one whole response (all or nothing).  APR_EAGAIN: the output is
 * full, nothing queued. */
static apr_status_t respond(serve_http_t *h, strata_tcp_conn_t *c, int code,
                            int head_only, int keep)
{
    apr_pool_t *rp;
    strata_stream_t *m;
    const void *body = "";
    apr_size_t blen = 0, hlen;
    char head[512], *all;
    apr_status_t rv;

    if ((rv = apr_pool_create(&rp, strata_tcp_conn_pool(c))) != APR_SUCCESS)
        return rv;
    if ((rv = strata_memory_create(&m, 0, rp)) != APR_SUCCESS) {
        apr_pool_destroy(rp);
        return rv;
    }
    if (code == 200)
        rv = h->body(h->baton, m);
    else
        rv = strata_write_all(m, reason(code), strlen(reason(code)), NULL);
    if (rv == APR_SUCCESS)
        rv = strata_write_all(m, code == 200 ? "" : "\n", code == 200 ? 0 : 1,
                              NULL);
    if (rv == APR_SUCCESS)
        rv = strata_memory_contents(m, &body, &blen);
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(rp);
        return rv;
    }
    hlen = (apr_size_t)apr_snprintf(head, sizeof(head),
        "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %"
        APR_SIZE_T_FMT "\r\n%sConnection: %s\r\n\r\n", code, reason(code),
        code == 200 ? h->content_type : "text/plain; charset=utf-8", blen,
        code == 405 ? "Allow: GET, HEAD\r\n" : "",
        keep ? "keep-alive" : "close");
    if (head_only)
        blen = 0;
    all = apr_palloc(rp, hlen + blen);
    memcpy(all, head, hlen);
    if (blen > 0)
        memcpy(all + hlen, body, blen);
    rv = strata_tcp_conn_write(c, all, hlen + blen);
    apr_pool_destroy(rp);
    return rv;
}

/* Refuse with @a code and finish the connection. */
static apr_status_t refuse(serve_http_t *h, strata_tcp_conn_t *c, int code)
{
    apr_status_t rv = respond(h, c, code, 0, 0);

    strata_tcp_conn_close(c);
    return rv == APR_EAGAIN || rv == STRATA_ECLOSED ? APR_SUCCESS : rv;
}

/* Answer one complete head of @a hlen bytes at the front of the input.
 * APR_SUCCESS: answered and consumed (*more: go on with the next one);
 * APR_EAGAIN: output full, left unread. */
static apr_status_t answer(serve_http_t *h, strata_tcp_conn_t *c, char *head,
                           apr_size_t hlen, int *more)
{
    http_req_t rq;
    apr_size_t plen = strlen(h->path), n;
    int code, is_head, keep;
    apr_status_t rv;

    *more = 0;
    if ((code = parse_head(head, &rq)) != 0) {
        strata_pipe_skip(strata_tcp_conn_in(c), hlen, &n);
        return refuse(h, c, code);
    }
    is_head = strcmp(rq.method, "HEAD") == 0;
    if (!is_head && strcmp(rq.method, "GET") != 0)
        code = 405;
    else if (strncmp(rq.target, h->path, plen) == 0
             && (rq.target[plen] == '\0' || rq.target[plen] == '?'))
        code = 200;
    else
        code = 404;
    keep = rq.keep_alive && !rq.has_body;   /* a body is not read: close */
    rv = respond(h, c, code, is_head, keep);
    if (rv == APR_EAGAIN)
        return rv;
    strata_pipe_skip(strata_tcp_conn_in(c), hlen, &n);
    if (rv != APR_SUCCESS || !keep) {
        strata_tcp_conn_close(c);
        return rv == STRATA_ECLOSED ? APR_SUCCESS : rv;
    }
    *more = 1;
    return APR_SUCCESS;
}

apr_status_t serve_http_event(void *baton, strata_tcp_conn_t *c,
                              unsigned events)
{
    serve_http_t *h = baton;
    strata_pipe_t *in = strata_tcp_conn_in(c);
    http_conn_t *hc = strata_tcp_conn_get_data(c);
    char buf[SERVE_HTTP_HEAD_MAX + 1];
    apr_size_t n, hlen;
    apr_status_t rv;
    int more = 1;

    if (events & STRATA_TCP_EV_CLOSE)
        return APR_SUCCESS;
    if (hc == NULL) {
        hc = apr_pcalloc(strata_tcp_conn_pool(c), sizeof(*hc));
        strata_tcp_conn_set_data(c, hc);
    }
    while (more) {
        rv = strata_pipe_peek(in, buf, SERVE_HTTP_HEAD_MAX, &n);
        if (rv != APR_SUCCESS) {          /* empty: wait, or the end */
            hc->head_start = 0;
            if (rv != APR_EAGAIN)
                strata_tcp_conn_close(c);
            return APR_SUCCESS;
        }
        if ((hlen = head_length(buf, n)) == 0) {
            if (n >= SERVE_HTTP_HEAD_MAX)
                return refuse(h, c, 431);
            if (strata_pipe_writer_closed(in, NULL))
                return refuse(h, c, 400);      /* ended inside a head */
            if (hc->head_start == 0)
                hc->head_start = apr_time_now();
            else if (h->head_timeout > 0
                     && apr_time_now() - hc->head_start > h->head_timeout)
                return refuse(h, c, 408);
            return APR_SUCCESS;               /* the rest is to come */
        }
        buf[hlen] = '\0';
        hc->head_start = 0;
        if ((rv = answer(h, c, buf, hlen, &more)) == APR_EAGAIN)
            return APR_SUCCESS;               /* EV_WRITABLE comes */
        if (rv != APR_SUCCESS)
            return rv;
    }
    return APR_SUCCESS;
}
