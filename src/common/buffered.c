/*
 * buffered.c -- the buffered stream decorator (see strata/buffered.h).
 *
 * Read side: rbuf[rpos, rend) holds unread input.  The buffer is malloc'd
 * (it grows for a long record and shrinks back afterwards), its configured
 * size is rdef.  Write side: wbuf[0, wlen) holds bytes not yet written to
 * the inner stream.  The two sides share no state.
 */
#include "strata_private.h"
#include "strata/buffered.h"
#include <apr_atomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct buffered_t {
    strata_stream_t base;        /* must be first */
    char *rbuf;
    apr_size_t rcap, rdef, rpos, rend;
    char *wbuf;
    apr_size_t wcap, wlen;
    /* The last read_until that found nothing: offsets from rpos below
     * scan_from hold no start of scan_delim (scan_dlen 0: none).  Lets a
     * record that trickles in be scanned once, not once per call. */
    apr_size_t scan_from, scan_dlen;
    char scan_delim[16];
    /* A lasting error of the inner stream's reads (corrupt or truncated
     * input, a decoder limit...): once met, every refill answers it again
     * without calling the inner stream, so it is never lost. */
    apr_status_t rerr;
} buffered_t;

/* Inner read errors about the data itself, which no retry can change.
 * I/O errors, EINTR, EAGAIN, a timeout or a spent quota are not: the
 * inner stream is asked again next time (and answers for itself). */
static int read_error_lasts(apr_status_t rv)
{
    return rv == STRATA_EBADDATA || rv == STRATA_ETRUNCATED
           || STRATA_STATUS_IS_LIMIT(rv) || rv == STRATA_EBADSTREAM;
}

/* One read of the inner stream, remembering a lasting error. */
static apr_status_t inner_read(buffered_t *b, void *buf, apr_size_t len,
                               apr_size_t *n)
{
    apr_status_t rv;

    *n = 0;
    if (b->rerr != APR_SUCCESS)
        return b->rerr;
    rv = strata_read(b->base.inner, buf, len, n);
    if (read_error_lasts(rv))
        b->rerr = rv;
    return rv;
}

/* Consume @n buffered bytes (forgetting the remembered scan). */
static void rbuf_consume(buffered_t *b, apr_size_t n)
{
    b->rpos += n;
    b->scan_dlen = 0;
}

/* ---- read buffer management --------------------------------------------- */

/* Give back a buffer grown for a long record once it is no longer needed. */
static void rbuf_shrink(buffered_t *b)
{
    apr_size_t avail = b->rend - b->rpos;
    char *p;

    if (b->rcap <= b->rdef || avail > b->rdef)
        return;
    if (avail > 0 && b->rpos > 0)
        memmove(b->rbuf, b->rbuf + b->rpos, avail);
    b->rpos = 0;
    b->rend = avail;
    p = realloc(b->rbuf, b->rdef);
    if (p != NULL) {             /* on failure keep the larger buffer */
        b->rbuf = p;
        b->rcap = b->rdef;
    }
}

/* Make room after rend: compact, then grow up to @limit bytes in total. */
static apr_status_t rbuf_make_room(buffered_t *b, apr_size_t limit)
{
    apr_size_t avail = b->rend - b->rpos, cap;
    char *p;

    if (b->rend < b->rcap)
        return APR_SUCCESS;
    if (b->rpos > 0) {
        memmove(b->rbuf, b->rbuf + b->rpos, avail);
        b->rpos = 0;
        b->rend = avail;
        return APR_SUCCESS;
    }
    if (b->rcap >= limit)        /* callers never ask for more than limit */
        return STRATA_ELIMIT_RECORD;
    cap = b->rcap > APR_SIZE_MAX / 2 ? APR_SIZE_MAX : b->rcap * 2;
    if (cap > limit)
        cap = limit;
    p = realloc(b->rbuf, cap);
    if (p == NULL)
        return APR_ENOMEM;
    b->rbuf = p;
    b->rcap = cap;
    return APR_SUCCESS;
}

/* One refill from the inner stream (APR_EINTR retried).  The buffer may
 * grow up to @limit bytes.  APR_EOF when the input is at its end. */
static apr_status_t rbuf_fill(buffered_t *b, apr_size_t limit)
{
    apr_size_t n;
    apr_status_t rv;

    if (b->rerr != APR_SUCCESS)
        return b->rerr;
    if ((rv = rbuf_make_room(b, limit)) != APR_SUCCESS)
        return rv;
    do {
        rv = inner_read(b, b->rbuf + b->rend, b->rcap - b->rend, &n);
    } while (APR_STATUS_IS_EINTR(rv));
    b->rend += n;
    return rv;
}

/* Offset just past the first @dlen-byte @delim that ends within @len bytes
 * of @p, searching from @from; 0 if there is none. */
static apr_size_t delim_search(const char *p, apr_size_t len, apr_size_t from,
                               const char *delim, apr_size_t dlen)
{
    const char *q, *end = p + len;

    if (len < dlen)
        return 0;
    if (dlen == 1) {
        q = memchr(p + from, delim[0], len - from);
        return q != NULL ? (apr_size_t)(q - p) + 1 : 0;
    }
    for (q = p + from; q + dlen <= end; q++) {
        q = memchr(q, delim[0], (apr_size_t)(end - q) - (dlen - 1));
        if (q == NULL)
            return 0;
        if (memcmp(q + 1, delim + 1, dlen - 1) == 0)
            return (apr_size_t)(q - p) + dlen;
    }
    return 0;
}

/* ---- the stream methods ------------------------------------------------- */

static apr_status_t buffered_read(strata_stream_t *s, void *buf,
                                  apr_size_t len, apr_size_t *n)
{
    buffered_t *b = (buffered_t *)s;
    apr_size_t avail;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    rbuf_shrink(b);
    if (b->rpos == b->rend) {
        b->rpos = b->rend = 0;
        b->scan_dlen = 0;
        if (len >= b->rcap)      /* a large read bypasses the buffer */
            return inner_read(b, buf, len, n);
        if ((rv = rbuf_fill(b, b->rcap)) != APR_SUCCESS)
            return rv;
    }
    avail = b->rend - b->rpos;
    *n = len < avail ? len : avail;
    memcpy(buf, b->rbuf + b->rpos, *n);
    rbuf_consume(b, *n);
    return APR_SUCCESS;
}

/* Write the whole write buffer to the inner stream; on error keep what did
 * not go out, at the front of the buffer. */
static apr_status_t wbuf_flush(buffered_t *b)
{
    apr_size_t done = 0;
    apr_status_t rv;

    if (b->wlen == 0)
        return APR_SUCCESS;
    rv = strata_write_all(b->base.inner, b->wbuf, b->wlen, &done);
    if (done > 0 && done < b->wlen)
        memmove(b->wbuf, b->wbuf + done, b->wlen - done);
    b->wlen -= done;
    return rv;
}

static apr_status_t buffered_write(strata_stream_t *s, const void *buf,
                                   apr_size_t len, apr_size_t *n)
{
    buffered_t *b = (buffered_t *)s;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    if (b->wlen > 0 && len > b->wcap - b->wlen
        && (rv = wbuf_flush(b)) != APR_SUCCESS)
        return rv;                       /* nothing of buf was taken */
    if (b->wlen == 0 && len >= b->wcap)  /* a large write bypasses the buffer */
        return strata_write(s->inner, buf, len, n);
    memcpy(b->wbuf + b->wlen, buf, len);
    b->wlen += len;
    *n = len;
    return APR_SUCCESS;
}

static apr_status_t buffered_flush(strata_stream_t *s, int mode)
{
    buffered_t *b = (buffered_t *)s;
    apr_status_t rv;

    if ((rv = wbuf_flush(b)) != APR_SUCCESS)
        return rv;
    return strata_flush(s->inner, mode);
}

static apr_status_t buffered_shutdown(strata_stream_t *s)
{
    buffered_t *b = (buffered_t *)s;
    apr_status_t rv;

    /* Only an owned inner stream is finished with us; a borrowed one is
     * flushed and stays usable (as the codec streams do).  If our bytes
     * did not all go out, the stack is failed and the inner stays open. */
    rv = wbuf_flush(b);
    return strata__shutdown_inner(s, rv);
}

static apr_status_t buffered_seek(strata_stream_t *s, apr_off_t offset,
                                  int where, apr_off_t *newpos)
{
    buffered_t *b = (buffered_t *)s;
    apr_off_t unread = (apr_off_t)(b->rend - b->rpos), pos;
    apr_status_t rv;

    if (where == APR_CUR && offset == 0 && b->wlen == 0) {   /* tell */
        if ((rv = strata_seek(s->inner, 0, APR_CUR, &pos)) != APR_SUCCESS)
            return rv;
        *newpos = pos - unread;
        return APR_SUCCESS;
    }
    if ((rv = wbuf_flush(b)) != APR_SUCCESS)
        return rv;
    if (where == APR_CUR)
        offset -= unread;        /* the inner stream is ahead of the caller */
    b->rpos = b->rend = 0;
    b->scan_dlen = 0;
    if ((rv = strata_seek(s->inner, offset, where, newpos)) == APR_SUCCESS)
        b->rerr = APR_SUCCESS;           /* a new position, a new chance */
    return rv;
}

static apr_status_t buffered_close(strata_stream_t *s)
{
    buffered_t *b = (buffered_t *)s;

    free(b->rbuf);
    free(b->wbuf);
    b->rbuf = b->wbuf = NULL;
    b->rcap = b->rpos = b->rend = b->wcap = b->wlen = 0;
    return APR_SUCCESS;
}

static apr_status_t buffered_control(strata_stream_t *s, int op, void *arg)
{
    return strata_control(s->inner, op, arg);
}

static const strata_stream_type_t buffered_type = {
    STRATA_STREAM_TYPE_VERSION, "buffered",
    STRATA_CAP_READ | STRATA_CAP_WRITE | STRATA_CAP_SEEK,
    sizeof(buffered_t),
    buffered_read, buffered_write, buffered_flush, buffered_seek,
    buffered_shutdown, buffered_close, buffered_control
};

apr_status_t strata_buffered_create(strata_stream_t **out,
                                    strata_stream_t *inner,
                                    apr_size_t read_buf, apr_size_t write_buf,
                                    unsigned flags, apr_pool_t *pool)
{
    strata_stream_t *s;
    buffered_t *b;
    unsigned caps;
    apr_status_t rv;

    if (inner == NULL || pool == NULL || out == NULL)
        return APR_EINVAL;
    caps = strata_stream_caps(inner) & buffered_type.caps;
    rv = strata_stream_alloc(&s, &buffered_type, inner, flags, pool);
    if (rv != APR_SUCCESS)
        return rv;
    b = (buffered_t *)s;
    s->caps = caps;
    b->rdef = read_buf ? read_buf : STRATA_BUFFERED_DEFAULT_SIZE;
    b->wcap = write_buf ? write_buf : STRATA_BUFFERED_DEFAULT_SIZE;
    if ((caps & STRATA_CAP_READ) && (b->rbuf = malloc(b->rdef)) == NULL)
        return APR_ENOMEM;
    if ((caps & STRATA_CAP_WRITE) && (b->wbuf = malloc(b->wcap)) == NULL) {
        free(b->rbuf);
        return APR_ENOMEM;
    }
    b->rcap = (caps & STRATA_CAP_READ) ? b->rdef : 0;
    if (!(caps & STRATA_CAP_WRITE))
        b->wcap = 0;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

/* ---- delimited reads ---------------------------------------------------- */

/* Common entry checks of the read-side calls; on success one metered read
 * is begun and must be ended with strata__io_end(). */
static apr_status_t view_begin(strata_stream_t *s, const char **data,
                               apr_size_t *len, apr_size_t want,
                               apr_size_t *grant)
{
    if (data == NULL || len == NULL)
        return APR_EINVAL;
    *data = NULL;
    *len = 0;
    if (s == NULL)
        return APR_EINVAL;
    if (s->type != &buffered_type)
        return STRATA_ENOTSUP;
    return strata__io_begin(s, STRATA__DIR_READ, want, grant);
}

/* read_until's loop; *len is the record (or partial) length on return:
 * the record (APR_SUCCESS), the rest before a clean end (STRATA_ETRUNCATED
 * with *inner 0), or what is buffered when the inner stream failed (*inner
 * 1, any status). */
static apr_status_t until_loop(buffered_t *b, const char *delim,
                               apr_size_t dlen, apr_size_t lim,
                               apr_size_t *len, int *inner)
{
    apr_size_t from = 0, avail, window, end;
    apr_status_t rv;

    if (b->scan_dlen == dlen && memcmp(b->scan_delim, delim, dlen) == 0)
        from = b->scan_from;
    for (;;) {
        avail = b->rend - b->rpos;
        window = avail < lim ? avail : lim;
        if (from > window)
            from = window;
        end = delim_search(b->rbuf + b->rpos, window, from, delim, dlen);
        if (end > 0) {
            *len = end;
            return APR_SUCCESS;
        }
        from = window >= dlen - 1 ? window - (dlen - 1) : 0;
        if (dlen <= sizeof(b->scan_delim)) {
            memcpy(b->scan_delim, delim, dlen);
            b->scan_dlen = dlen;
            b->scan_from = from;
        }
        if (window >= lim)
            return STRATA_ELIMIT_RECORD;
        rv = rbuf_fill(b, lim);
        if (APR_STATUS_IS_EOF(rv)) {
            *len = b->rend - b->rpos;
            return *len > 0 ? STRATA_ETRUNCATED : APR_EOF;
        }
        if (rv != APR_SUCCESS) {
            *inner = 1;
            *len = b->rend - b->rpos;
            return rv;
        }
    }
}

/*
 * The fast path: a whole record already buffered, on a live stream without
 * shared meters.  It counts exactly as strata__io_end() would (one read op,
 * the bytes consumed), through the same counter helper; everything else
 * takes the full strata__io_begin/_end path.
 */
static int fast_record(strata_stream_t *s, const char *delim, apr_size_t dlen,
                       apr_size_t max, const char **data, apr_size_t *len)
{
    buffered_t *b = (buffered_t *)s;
    apr_size_t avail, end;

    if (s == NULL || s->type != &buffered_type || data == NULL || len == NULL
        || delim == NULL || dlen == 0 || max < dlen
        || (strata__st(s) & (STRATA__ST_READY | STRATA__ST_CLOSING
                        | STRATA__ST_CLOSED)) != STRATA__ST_READY
        || s->meters[0] != NULL
        || !(s->caps & STRATA_CAP_READ) || b->rcap > b->rdef
        || b->scan_dlen != 0)
        return 0;
    avail = b->rend - b->rpos;
    if (avail > max)
        avail = max;
    if (dlen == 1) {
        const char *q = memchr(b->rbuf + b->rpos, delim[0], avail);
        end = q != NULL ? (apr_size_t)(q - (b->rbuf + b->rpos)) + 1 : 0;
    } else {
        end = delim_search(b->rbuf + b->rpos, avail, 0, delim, dlen);
    }
    if (end == 0)
        return 0;
    *data = b->rbuf + b->rpos;
    *len = end;
    rbuf_consume(b, end);
    strata__counter_add(&s->read_ops, 1);
    strata__counter_add(&s->read_bytes, end);
    return 1;
}

/* strata_read_until(); *clean is set when a STRATA_ETRUNCATED partial
 * record came from a clean end of input (read_line then answers success). */
static apr_status_t read_until_impl(strata_stream_t *s, const void *delim,
                                    apr_size_t delim_len, apr_size_t max,
                                    const char **data, apr_size_t *len,
                                    int *clean)
{
    buffered_t *b = (buffered_t *)s;
    apr_size_t grant, n = 0;
    apr_status_t rv;
    int inner = 0;

    *clean = 0;
    if (data != NULL && len != NULL && (delim == NULL || delim_len == 0
                                        || max < delim_len)) {
        *data = NULL;
        *len = 0;
        return APR_EINVAL;
    }
    if ((rv = view_begin(s, data, len, max, &grant)) != APR_SUCCESS)
        return rv;
    rbuf_shrink(b);
    rv = until_loop(b, delim, delim_len, grant, &n, &inner);
    if (rv == STRATA_ELIMIT_RECORD && !inner && grant < max)
        rv = STRATA_EQUOTA;
    if (rv == STRATA_ETRUNCATED && !inner)
        *clean = 1;
    else if (inner && n > 0 && rv == b->rerr)
        rv = STRATA_ETRUNCATED;  /* the record can never end: hand out the
                                    rest; the error comes next call */
    else if (inner)
        n = 0;
    if (rv == APR_SUCCESS || (rv == STRATA_ETRUNCATED && n > 0)) {
        *data = b->rbuf + b->rpos;
        *len = n;
        rbuf_consume(b, n);
    } else {
        n = 0;
    }
    strata__io_end(s, STRATA__DIR_READ, grant, n);
    return rv;
}

apr_status_t strata_read_until(strata_stream_t *s, const void *delim,
                               apr_size_t delim_len, apr_size_t max,
                               const char **data, apr_size_t *len)
{
    int clean;

    if (fast_record(s, delim, delim_len, max, data, len))
        return APR_SUCCESS;
    return read_until_impl(s, delim, delim_len, max, data, len, &clean);
}

apr_status_t strata_read_line(strata_stream_t *s, apr_size_t max,
                              const char **data, apr_size_t *len)
{
    apr_status_t rv;
    int clean;

    if (fast_record(s, "\n", 1, max, data, len))
        return APR_SUCCESS;
    rv = read_until_impl(s, "\n", 1, max, data, len, &clean);
    /* Only a last line before a clean end is a line (as in getline); a
     * decoder's STRATA_ETRUNCATED is an error, never "success, 0 bytes". */
    return rv == STRATA_ETRUNCATED && clean ? APR_SUCCESS : rv;
}

apr_status_t strata_peek(strata_stream_t *s, apr_size_t n, const char **data,
                         apr_size_t *len)
{
    buffered_t *b = (buffered_t *)s;
    apr_size_t grant;
    apr_status_t rv;

    if ((rv = view_begin(s, data, len, 0, &grant)) != APR_SUCCESS)
        return rv;
    if (n > 0)
        rbuf_shrink(b);
    while (b->rend - b->rpos < n) {
        rv = rbuf_fill(b, n);
        if (rv != APR_SUCCESS)
            break;
    }
    *len = b->rend - b->rpos;
    if (*len > n)
        *len = n;
    if (APR_STATUS_IS_EOF(rv) && *len > 0)
        rv = APR_SUCCESS;
    *data = *len > 0 ? b->rbuf + b->rpos : NULL;
    strata__io_end(s, STRATA__DIR_READ, grant, 0);
    return rv;
}

apr_size_t strata_buffered_available(const strata_stream_t *s)
{
    const buffered_t *b = (const buffered_t *)s;

    if (s == NULL || s->type != &buffered_type)
        return 0;
    return b->rend - b->rpos;
}

apr_size_t strata_buffered_pending(const strata_stream_t *s)
{
    if (s == NULL || s->type != &buffered_type)
        return 0;
    return ((const buffered_t *)s)->wlen;
}

apr_size_t strata_buffered_read_capacity(const strata_stream_t *s)
{
    if (s == NULL || s->type != &buffered_type)
        return 0;
    return ((const buffered_t *)s)->rcap;
}
