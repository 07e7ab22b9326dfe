/*
 * fuzz_readers.c -- libFuzzer target for the record readers: the buffered
 * stream over a fault stream, and the chunked pipe (not built by default).
 *
 * The input is split at its first 0xFF byte: before it, a program of one
 * byte per operation; after it, the data.  Both halves drive a model check:
 *  - buffered: the data sits in a memory stream under a fault stream (short
 *    transfers, APR_EINTR / APR_EAGAIN every few calls, as the first program
 *    bytes say) under a buffered stream with a small read buffer; each
 *    program byte is a read, read_exact, read_line, read_until, peek or
 *    available call with a small size.  Every byte a call hands out must be
 *    the next bytes of the data, peeks consume nothing, errors other than
 *    EINTR/EAGAIN/ELIMIT_RECORD never occur, and draining at the end must
 *    give exactly the rest and then APR_EOF;
 *  - pipe: a pipe on a chunk pool of tiny chunks; program bytes alternate
 *    writes of the data's next piece (write, or get_buffer/commit) with the
 *    pipe's readers (read_atmost, read_bytes, read_until and its view,
 *    read_line, peek, peek_exact, skip, skip_exact, find, segments and
 *    advance); what the readers consume must be the data in order, and
 *    after close_writer the rest drains to APR_EOF.
 * A mismatch aborts (a finding); anything else is fine.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *       fuzz/fuzz_readers.c build/libstrata.a \
 *       $(pkg-config --cflags --libs apr-1 apr-util-1) -lz -lbz2 -llzma \
 *       -lzstd -lisal -ldeflate
 */
#include "strata/strata.h"
#include "strata/buffered.h"
#include "strata/fault.h"
#include "strata/memory.h"
#include "strata/pipe.h"
#include <apr_general.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static apr_pool_t *root;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

typedef struct model_t {
    const uint8_t *data;
    size_t len, pos;                /* pos: bytes consumed so far */
} model_t;

/* @n bytes at @p were consumed: they must be the data's next ones. */
static void model_take(model_t *m, const void *p, size_t n)
{
    CHECK(n <= m->len - m->pos);
    CHECK(n == 0 || memcmp(p, m->data + m->pos, n) == 0);
    m->pos += n;
}

/* @n bytes at @p were looked at, not consumed. */
static void model_see(const model_t *m, const void *p, size_t n)
{
    CHECK(n <= m->len - m->pos);
    CHECK(n == 0 || memcmp(p, m->data + m->pos, n) == 0);
}

static int soft(apr_status_t rv)
{
    return rv == APR_EINTR || rv == APR_EAGAIN;
}

/* ---- buffered stream ----------------------------------------------------- */

static void fuzz_buffered(const uint8_t *prog, size_t plen, model_t *m,
                          apr_pool_t *p)
{
    strata_fault_opts_t fo;
    strata_stream_t *mem, *f, *b;
    char buf[64];
    const char *view;
    apr_size_t n, len;
    apr_status_t rv;
    size_t i, spins = 0;

    memset(&fo, 0, sizeof(fo));
    fo.max_io = plen > 0 ? 1 + prog[0] % 17 : 0;
    fo.eintr_every = plen > 1 && prog[1] % 5 ? prog[1] % 5 + 1 : 0;  /* 2.. */
    fo.eagain_every = plen > 2 && prog[2] % 7 ? prog[2] % 7 + 1 : 0;
    if (strata_memory_open_buffer(&mem, m->data, m->len, p) != APR_SUCCESS
        || strata_fault_create(&f, mem, &fo, STRATA_OWN_INNER, p)
           != APR_SUCCESS
        || strata_buffered_create(&b, f, plen > 3 ? 1 + prog[3] % 40 : 8, 0,
                                  STRATA_OWN_INNER, p) != APR_SUCCESS)
        return;
    for (i = 4; i < plen; i++) {
        unsigned op = prog[i] & 7, arg = (prog[i] >> 3) + 1;  /* 1..32 */

        n = len = 0;
        view = NULL;
        switch (op) {
        case 0:
            rv = strata_read(b, buf, arg, &n);
            if (rv == APR_SUCCESS)
                model_take(m, buf, n);
            break;
        case 1:
            rv = strata_read_exact(b, buf, arg, &n);
            CHECK(rv == APR_SUCCESS || n < arg);
            model_take(m, buf, n);
            if (rv == STRATA_ETRUNCATED || rv == APR_EOF)
                CHECK(m->pos == m->len);
            break;
        case 2:
            rv = strata_read_line(b, arg, &view, &len);
            if (rv == APR_SUCCESS) {
                CHECK(len > 0 && len <= arg);
                model_take(m, view, len);
                CHECK(view[len - 1] == '\n' || m->pos == m->len);
            } else if (rv == STRATA_ETRUNCATED && len > 0) {
                model_take(m, view, len);
            } else {
                CHECK(len == 0);
            }
            break;
        case 3:
            rv = strata_read_until(b, "\r\n", 2, arg + 1, &view, &len);
            if (rv == APR_SUCCESS) {
                CHECK(len >= 2 && memcmp(view + len - 2, "\r\n", 2) == 0);
                model_take(m, view, len);
            } else if (rv == STRATA_ETRUNCATED && len > 0) {
                model_take(m, view, len);
                CHECK(m->pos == m->len);
            } else {
                CHECK(len == 0);
            }
            break;
        case 4:
            rv = strata_peek(b, arg, &view, &len);
            if (rv == APR_SUCCESS || soft(rv))
                model_see(m, view, len);
            break;
        case 5:
            n = strata_buffered_available(b);
            CHECK(n <= m->len - m->pos);
            rv = APR_SUCCESS;
            break;
        default:
            rv = strata_read(b, buf, 1, &n);
            if (rv == APR_SUCCESS)
                model_take(m, buf, n);
            break;
        }
        if (rv == APR_EOF)
            CHECK(m->pos == m->len);
        else
            CHECK(rv == APR_SUCCESS || soft(rv) || rv == STRATA_ETRUNCATED
                  || rv == STRATA_ELIMIT_RECORD);
    }
    /* drain: exactly the rest, then the end */
    for (;;) {
        rv = strata_read(b, buf, sizeof(buf), &n);
        if (rv == APR_SUCCESS) {
            model_take(m, buf, n);
            continue;
        }
        if (soft(rv) && ++spins < 100000)
            continue;
        CHECK(rv == APR_EOF && m->pos == m->len);
        break;
    }
    CHECK(strata_close(b) == APR_SUCCESS);
}

/* ---- pipe ------------------------------------------------------------------ */

static void pipe_feed(strata_pipe_t *pp, model_t *w, size_t n, int reserve)
{
    void *dst;
    apr_size_t cap;

    if (n > w->len - w->pos)
        n = w->len - w->pos;
    if (n == 0)
        return;
    if (reserve) {
        if (strata_pipe_get_buffer(pp, n, &dst, &cap) != APR_SUCCESS)
            return;
        if (cap < n)
            n = cap;
        memcpy(dst, w->data + w->pos, n);
        CHECK(strata_pipe_commit(pp, n) == APR_SUCCESS);
    } else {
        CHECK(strata_pipe_write(pp, w->data + w->pos, n) == APR_SUCCESS);
    }
    w->pos += n;
}

/* One reader call; the answers every pipe reader may give. */
static void pipe_read_op(strata_pipe_t *pp, unsigned op, apr_size_t arg,
                         model_t *m, int closed)
{
    char buf[64];
    const char *rec = NULL;
    strata_pipe_iovec_t vec[4];
    apr_size_t n = 0, k, pos, i, total, seen;
    apr_status_t rv;

    switch (op) {
    case 0:
        rv = strata_pipe_read_atmost(pp, buf, arg, &n);
        model_take(m, buf, n);
        break;
    case 1:
        rv = strata_pipe_read_bytes(pp, buf, arg, &n);
        model_take(m, buf, n);
        break;
    case 2:
        rv = strata_pipe_read_until(pp, "\n", 1, STRATA_PIPE_KEEP_DELIM, buf,
                                    arg + 1, &n);
        model_take(m, buf, n);
        CHECK(rv != APR_SUCCESS || (n > 0 && buf[n - 1] == '\n'));
        break;
    case 3:
        rv = strata_pipe_read_until_view(pp, "ab", 2, STRATA_PIPE_KEEP_DELIM,
                                         arg + 2, &rec, &n);
        if (n > 0)
            model_take(m, rec, n);
        break;
    case 4:
        rv = strata_pipe_peek(pp, buf, arg, &n);
        model_see(m, buf, n);
        break;
    case 5:
        rv = strata_pipe_peek_exact(pp, buf, arg, &n);
        model_see(m, buf, n);
        break;
    case 6:                         /* skip: what it skips is the data */
        k = m->len - m->pos < arg ? m->len - m->pos : arg;
        rv = (arg & 1) ? strata_pipe_skip(pp, arg, &n)
                       : strata_pipe_skip_exact(pp, arg, &n);
        CHECK(n <= k);
        m->pos += n;
        break;
    case 7:
        rv = strata_pipe_find(pp, "\n", 1, 0, STRATA_PIPE_END, &pos);
        if (rv == APR_SUCCESS)
            CHECK(m->data[m->pos + pos] == '\n');
        break;
    case 8:
        rv = strata_pipe_read_line_view(pp, arg, &rec, &n);
        if (n > 0)
            model_take(m, rec, n);
        break;
    default:        /* segments, consume some, examine some or all */
        rv = strata_pipe_segments(pp, vec, 4, &n, &total);
        if (rv != APR_SUCCESS && rv != STRATA_ETRUNCATED)
            break;
        k = 0;
        for (i = 0, seen = 0; i < n; i++) {
            CHECK(vec[i].len <= m->len - m->pos - seen);
            CHECK(memcmp(vec[i].base, m->data + m->pos + seen,
                         vec[i].len) == 0);
            seen += vec[i].len;
        }
        CHECK(seen == total);
        k = total < arg ? total : arg;
        CHECK(strata_pipe_advance(pp, k, (arg & 1) ? total : k)
              == APR_SUCCESS);
        m->pos += k;
        break;
    }
    if (rv == APR_EOF)
        CHECK(closed && m->pos == m->len);
    else if (rv == APR_EAGAIN)
        CHECK(!closed);
    else
        CHECK(rv == APR_SUCCESS || rv == STRATA_ETRUNCATED
              || rv == STRATA_ELIMIT_RECORD || rv == APR_NOTFOUND);
}

static void fuzz_pipe(const uint8_t *prog, size_t plen, model_t *m,
                      apr_pool_t *p)
{
    strata_chunk_pool_t *cp;
    strata_pipe_opts_t po;
    strata_pipe_t *pp;
    model_t w = *m;                 /* the writer's position in the data */
    char buf[64];
    apr_size_t n;
    apr_status_t rv;
    size_t i;
    int closed = 0;

    if (strata_chunk_pool_create(&cp, plen > 0 ? 1 + prog[0] % 48 : 16, 4, p)
        != APR_SUCCESS)
        return;
    memset(&po, 0, sizeof(po));
    po.chunks = cp;
    if (strata_pipe_create(&pp, &po, p) != APR_SUCCESS)
        return;
    for (i = 1; i < plen; i++) {
        unsigned op = prog[i] % 12, arg = prog[i] / 12 + 1;     /* 1..22 */

        if (op >= 10) {
            pipe_feed(pp, &w, arg * (op == 10 ? 1 : 3), op == 11);
            continue;
        }
        if (!closed && w.pos == w.len && (prog[i] & 0x80)) {
            CHECK(strata_pipe_close_writer(pp, APR_SUCCESS) == APR_SUCCESS);
            closed = 1;
        }
        pipe_read_op(pp, op, arg, m, closed);
    }
    pipe_feed(pp, &w, w.len, 0);
    if (!closed)
        CHECK(strata_pipe_close_writer(pp, APR_SUCCESS) == APR_SUCCESS);
    for (;;) {
        rv = strata_pipe_read_atmost(pp, buf, sizeof(buf), &n);
        if (rv != APR_SUCCESS)
            break;
        model_take(m, buf, n);
    }
    CHECK(rv == APR_EOF && m->pos == m->len);
    CHECK(strata_pipe_close_reader(pp) == APR_SUCCESS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cut = memchr(data, 0xFF, size);
    size_t plen = cut ? (size_t)(cut - data) : size / 2;
    model_t m;
    apr_pool_t *p;

    if (root == NULL) {
        apr_initialize();
        atexit(apr_terminate);
        apr_pool_create(&root, NULL);
    }
    if (plen > 4096)
        plen = 4096;
    apr_pool_create(&p, root);
    m.data = data + plen + (cut != NULL);
    m.len = size - plen - (cut != NULL);
    m.pos = 0;
    fuzz_buffered(data, plen, &m, p);
    m.pos = 0;
    fuzz_pipe(data, plen, &m, p);
    apr_pool_destroy(p);
    return 0;
}
