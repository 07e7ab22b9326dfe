/*
 * test_read_errors.c -- every record reader ends with the decoder's error.
 *
 * The compressed form of a small text, for every codec, is truncated at
 * every offset near its ends and at strided offsets in between (every
 * offset with STRATA_TEST_SCALE >= 10), or has one bit flipped.  Each
 * reader -- strata_read_line, strata_read_until, strata_peek,
 * strata_read_exact and plain strata_read over a buffered stream; the
 * pipe's read_line, read_until, read_bytes, peek, segments, and its reader
 * stream (alone and under a buffered stream) -- is driven in a loop with a
 * call budget.  It must deliver exactly the bytes the decoder produced and
 * then end with the decoder's own status (STRATA_ETRUNCATED,
 * STRATA_EBADDATA..., or APR_EOF where a flipped bit went unnoticed), and
 * give that status again on later calls: never "success with 0 bytes",
 * never a loop that outlives the budget.
 */
#include "test_util.h"
#include "fault.h"
#include "strata/compress.h"
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAMPLE_LEN 3000
#define EDGE 40                 /* every offset this close to either end */
#define STRIDED 60              /* about this many offsets in between */
#define MAXREC 65536            /* longer than any output (a record limit
                                   is not what is tested here) */

static const strata_codec_t codecs[] = {
    STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE,
    STRATA_CODEC_BZIP2, STRATA_CODEC_XZ, STRATA_CODEC_ZSTD,
};
#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

/* ---- data --------------------------------------------------------------- */

/* Lines of varied length (some long, some empty) from a few words. */
static char *sample(void)
{
    static const char *const words[] = {
        "alpha", "beta", "gamma", "delta", "request", "ok", "GET", "/index",
        "200", "timeout", "user=42", "x"
    };
    char *p = apr_palloc(strata_test_pool, SAMPLE_LEN);
    unsigned char rnd[SAMPLE_LEN];
    apr_size_t i = 0, k = 0;

    strata_test_fill(rnd, sizeof(rnd), 7);
    while (i < SAMPLE_LEN) {
        const char *w = words[rnd[k++ % SAMPLE_LEN] % 12];
        apr_size_t wl = strlen(w);
        unsigned r = rnd[k++ % SAMPLE_LEN];

        if (i + wl + 1 > SAMPLE_LEN)
            wl = SAMPLE_LEN - i - 1;
        memcpy(p + i, w, wl);
        i += wl;
        p[i++] = r % 7 == 0 ? '\n' : r % 23 == 0 ? '\n' : ' ';
    }
    p[SAMPLE_LEN - 1] = 'z';    /* no newline at the very end */
    return p;
}

static int scale(void)
{
    const char *e = getenv("STRATA_TEST_SCALE");

    return e != NULL ? atoi(e) : 1;
}

static void compress(strata_codec_t codec, const char *data, apr_size_t len,
                     char **c, apr_size_t *clen)
{
    strata_stream_t *mem, *z;
    strata_compress_opts_t o;
    const void *p;

    strata_compress_opts_init(&o);
    o.level = 1;                 /* small decoder state: quick under valgrind */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem, codec, &o, 0,
                                                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_write_all(z, data, len, NULL));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_close(z));
    strata_memory_contents(mem, &p, clen);
    *c = apr_pmemdup(strata_test_pool, p, *clen);
}

static strata_stream_t *decoder(strata_codec_t codec, const char *c,
                                apr_size_t clen, apr_pool_t *pool)
{
    strata_decompress_opts_t d;
    strata_stream_t *in, *z;

    /* a flipped bit can make a decoder emit far more than the text: cap it
     * (then the ending is STRATA_ELIMIT_OUTPUT, the same for every reader) */
    strata_decompress_opts_init(&d);
    d.max_output = MAXREC / 2;
    /* every third length goes through auto-detection instead (the
     * reference takes the same path, so both see the same stream) */
    if (clen % 3 == 0 && codec != STRATA_CODEC_DEFLATE)
        codec = STRATA_CODEC_AUTO;
    strata_memory_open_buffer(&in, c, clen, pool);
    if (strata_decompress_reader(&z, in, codec, &d, STRATA_OWN_INNER, pool)
        != APR_SUCCESS)
        return NULL;
    return z;
}

static strata_stream_t *buffered_decoder(strata_codec_t codec, const char *c,
                                         apr_size_t clen, apr_size_t bufsize,
                                         apr_pool_t *pool)
{
    strata_stream_t *z = decoder(codec, c, clen, pool), *b;

    if (z == NULL || strata_buffered_create(&b, z, bufsize, 0,
                                            STRATA_OWN_INNER, pool)
                     != APR_SUCCESS)
        return NULL;
    return b;
}

/* What the decoder itself yields: its bytes and its final status. */
typedef struct outcome_t {
    char *data;
    apr_size_t len;
    apr_status_t rv;
} outcome_t;

/* A reader run: what it delivered and how it ended. */
typedef struct run_t {
    char *data;
    apr_size_t len, cap;
    apr_status_t rv;
    unsigned calls, budget;
    int zero_success;            /* APR_SUCCESS came with 0 bytes */
} run_t;

static void run_init(run_t *r, const outcome_t *ref)
{
    memset(r, 0, sizeof(*r));
    r->cap = ref->len + 1;
    r->data = apr_palloc(strata_test_pool, r->cap);
    r->budget = (unsigned)ref->len * 2 + 200;
    r->rv = APR_SUCCESS;
}

static void run_add(run_t *r, const void *p, apr_size_t n)
{
    if (r->len + n > r->cap)
        n = r->cap - r->len;     /* more than the reference: caught below */
    memcpy(r->data + r->len, p, n);
    r->len += n;
}

/* 1 while the budget lasts. */
static int run_more(run_t *r)
{
    return ++r->calls <= r->budget;
}

/* The decoder's own answer, read with plain strata_read. */
static void reference(strata_codec_t codec, const char *c, apr_size_t clen,
                      outcome_t *out)
{
    strata_stream_t *z = decoder(codec, c, clen, strata_test_pool);
    char buf[512];
    apr_size_t n, cap = MAXREC - 1;
    unsigned calls = 0;
    apr_status_t rv;

    out->data = apr_palloc(strata_test_pool, cap);
    out->len = 0;
    CU_ASSERT_FATAL(z != NULL);
    do {
        rv = strata_read(z, buf, sizeof(buf), &n);
        CU_ASSERT_FATAL(out->len + n <= cap);
        memcpy(out->data + out->len, buf, n);
        out->len += n;
    } while (rv == APR_SUCCESS && ++calls < 100000);
    CU_ASSERT_FATAL(rv != APR_SUCCESS);
    out->rv = rv;
    strata_close(z);
}

/* ---- the buffered readers ------------------------------------------------- */

/* Ending rule for every driver: an answer with bytes is taken and the loop
 * goes on; an answer without bytes ends it (APR_SUCCESS without bytes is
 * the bug this file exists for, and ends it too). */

static void drive_read_line(strata_stream_t *b, run_t *r)
{
    const char *d;
    apr_size_t n;
    apr_status_t rv;

    while (run_more(r)) {
        rv = strata_read_line(b, MAXREC, &d, &n);
        if (n > 0) {
            run_add(r, d, n);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

static void drive_read_until(strata_stream_t *b, run_t *r)
{
    const char *d;
    apr_size_t n;
    apr_status_t rv;

    while (run_more(r)) {
        rv = strata_read_until(b, "a ", 2, MAXREC, &d, &n);
        if (n > 0) {
            run_add(r, d, n);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

static void drive_peek(strata_stream_t *b, run_t *r)
{
    const char *d;
    char seen[128], got[128];
    apr_size_t n, m;
    apr_status_t rv;

    while (run_more(r)) {
        rv = strata_peek(b, 100, &d, &n);
        if (n > 0) {
            CU_ASSERT_FATAL(n <= sizeof(seen));
            memcpy(seen, d, n);
            /* what peek showed is buffered: reading it cannot fail */
            ASSERT_RV(APR_SUCCESS, strata_read_exact(b, got, n, &m));
            CU_ASSERT(m == n && memcmp(seen, got, n) == 0);
            run_add(r, got, m);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

static void drive_read_exact(strata_stream_t *b, run_t *r)
{
    char buf[37];
    apr_size_t n;
    apr_status_t rv;

    while (run_more(r)) {
        rv = strata_read_exact(b, buf, sizeof(buf), &n);
        if (n > 0) {
            run_add(r, buf, n);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

static void drive_read(strata_stream_t *b, apr_size_t chunk, run_t *r)
{
    char buf[8192];
    apr_size_t n;
    apr_status_t rv;

    while (run_more(r)) {
        rv = strata_read(b, buf, chunk, &n);
        if (n > 0) {
            run_add(r, buf, n);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

/* Later calls repeat the ending (sticky). */
static void check_repeats(strata_stream_t *b, apr_status_t end)
{
    const char *d;
    char buf[16];
    apr_size_t n;
    int i;

    for (i = 0; i < 2; i++) {
        ASSERT_RV(end, strata_read_line(b, MAXREC, &d, &n));
        CU_ASSERT(n == 0);
        ASSERT_RV(end, strata_read_until(b, "a ", 2, MAXREC, &d, &n));
        CU_ASSERT(n == 0);
        ASSERT_RV(end, strata_peek(b, 10, &d, &n));
        CU_ASSERT(n == 0);
        ASSERT_RV(end, strata_read(b, buf, sizeof(buf), &n));
        CU_ASSERT(n == 0);
    }
}

/* With @exact, the bytes must be the reference's; without (corrupt input),
 * how much a decoder emits before it notices may depend on the size of the
 * reads, so the two must only agree as far as both go. */
static int check_run(const run_t *r, const outcome_t *ref, const char *what,
                     strata_codec_t codec, apr_size_t where, int exact)
{
    apr_size_t common = r->len < ref->len ? r->len : ref->len;
    int ok = r->calls <= r->budget && !r->zero_success && r->rv == ref->rv
             && (!exact || r->len == ref->len)
             && (common == 0 || memcmp(r->data, ref->data, common) == 0);

    if (!ok) {
        char e1[80], e2[80];
        fprintf(stderr, "\n%s/%s at %lu: calls %u/%u, zero-success %d, "
                "got %lu bytes '%s', want %lu bytes '%s'\n",
                strata_codec_name(codec), what, (unsigned long)where,
                r->calls, r->budget, r->zero_success, (unsigned long)r->len,
                strata_strerror(r->rv, e1, sizeof(e1)),
                (unsigned long)ref->len,
                strata_strerror(ref->rv, e2, sizeof(e2)));
    }
    CU_ASSERT(ok);
    return ok;
}

/* Every buffered reader over the decoder of c[0..clen). */
static void buffered_readers(strata_codec_t codec, const char *c,
                             apr_size_t clen, const outcome_t *ref,
                             apr_size_t where, int exact)
{
    static const char *const names[] = {
        "read_line", "read_until", "peek", "read_exact", "read-small",
        "read-bypass", "read_line-tiny-buffer"
    };
    apr_pool_t *p;
    strata_stream_t *b;
    run_t r;
    int k;

    for (k = 0; k < 7; k++) {
        apr_pool_create(&p, strata_test_pool);
        b = buffered_decoder(codec, c, clen, k == 6 ? 64 : 0, p);
        CU_ASSERT_FATAL(b != NULL);
        run_init(&r, ref);
        switch (k) {
        case 0: case 6: drive_read_line(b, &r); break;
        case 1: drive_read_until(b, &r); break;
        case 2: drive_peek(b, &r); break;
        case 3: drive_read_exact(b, &r); break;
        case 4: drive_read(b, 100, &r); break;
        default: drive_read(b, 8192, &r); break;   /* bypasses the buffer */
        }
        if (check_run(&r, ref, names[k], codec, where, exact))
            check_repeats(b, ref->rv);
        apr_pool_destroy(p);
    }
}

/* ---- the pipe's readers --------------------------------------------------- */

/* A pipe holding what the decoder produced, closed with its status. */
static strata_pipe_t *pipe_of(const outcome_t *ref, apr_pool_t *pool)
{
    strata_pipe_t *p;
    strata_pipe_opts_t o;

    memset(&o, 0, sizeof(o));
    o.pause_threshold = APR_SIZE_MAX;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &o, pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_write(p, ref->data, ref->len));
    strata_pipe_close_writer(p, APR_STATUS_IS_EOF(ref->rv) ? APR_SUCCESS
                                                          : ref->rv);
    return p;
}

static void drive_pipe(strata_pipe_t *p, int k, run_t *r)
{
    char buf[MAXREC];
    strata_pipe_iovec_t vec[4];
    apr_size_t n, cnt, total, i;
    apr_status_t rv;

    while (run_more(r)) {
        switch (k) {
        case 0: rv = strata_pipe_read_line(p, buf, sizeof(buf), &n); break;
        case 1: rv = strata_pipe_read_until(p, "a ", 2, STRATA_PIPE_KEEP_DELIM,
                                            buf, sizeof(buf), &n); break;
        case 2: rv = strata_pipe_read_bytes(p, buf, 37, &n); break;
        case 3:
            rv = strata_pipe_peek(p, buf, 50, &n);
            if (n > 0) {
                apr_size_t m;
                ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, buf, n, &m));
                CU_ASSERT(m == n);
            }
            break;
        default:
            rv = strata_pipe_segments(p, vec, 4, &cnt, &total);
            n = 0;
            for (i = 0; i < cnt && n < 300; i++) {
                apr_size_t k2 = vec[i].len < 300 - n ? vec[i].len : 300 - n;
                memcpy(buf + n, vec[i].base, k2);
                n += k2;
            }
            if (n > 0)
                strata_pipe_advance(p, n, n);
            break;
        }
        if (n > 0) {
            run_add(r, buf, n);
            continue;
        }
        r->zero_success = rv == APR_SUCCESS;
        r->rv = rv;
        return;
    }
}

static void pipe_readers(strata_codec_t codec, const outcome_t *ref,
                         apr_size_t where, int exact)
{
    static const char *const names[] = {
        "pipe_read_line", "pipe_read_until", "pipe_read_bytes", "pipe_peek",
        "pipe_segments", "pipe-reader stream", "buffered pipe-reader"
    };
    strata_stream_t *rs, *b;
    strata_pipe_t *pp;
    apr_pool_t *p;
    char buf[8];
    apr_size_t n;
    run_t r;
    int k;

    for (k = 0; k < 7; k++) {
        apr_pool_create(&p, strata_test_pool);
        pp = pipe_of(ref, p);
        run_init(&r, ref);
        if (k < 5) {
            drive_pipe(pp, k, &r);
            if (check_run(&r, ref, names[k], codec, where, exact)) {
                ASSERT_RV(r.rv, strata_pipe_read_line(pp, buf, sizeof(buf), &n));
                ASSERT_RV(r.rv, strata_pipe_read_bytes(pp, buf, 4, &n));
            }
        } else {
            ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&rs, pp, p));
            if (k == 5) {
                drive_read(rs, 77, &r);
                if (check_run(&r, ref, names[k], codec, where, exact))
                    ASSERT_RV(r.rv, strata_read(rs, buf, sizeof(buf), &n));
            } else {
                ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(
                                    &b, rs, 0, 0, STRATA_OWN_INNER, p));
                drive_read_line(b, &r);
                if (check_run(&r, ref, names[k], codec, where, exact))
                    check_repeats(b, ref->rv);
            }
        }
        apr_pool_destroy(p);
    }
}

/* ---- the tests ------------------------------------------------------------ */

static int decoder_error(apr_status_t rv)
{
    return rv == STRATA_ETRUNCATED || rv == STRATA_EBADDATA;
}

/* The offsets to try in [0, clen): all near the ends, strided between. */
static int offset_wanted(apr_size_t i, apr_size_t clen)
{
    apr_size_t stride = clen / STRIDED + 1;

    if (scale() >= 10)
        return 1;
    return i < EDGE || i + EDGE >= clen || i % stride == 0;
}

static void readers_end_with_the_error_of_truncated_input(void)
{
    const char *plain = sample();
    outcome_t ref;
    char *c;
    apr_size_t clen, cut, tried;
    unsigned i;

    for (i = 0; i < NCODECS; i++) {
        if (!strata_codec_available(codecs[i]))
            continue;
        compress(codecs[i], plain, SAMPLE_LEN, &c, &clen);
        tried = 0;
        for (cut = 0; cut < clen; cut++) {
            if (!offset_wanted(cut, clen))
                continue;
            reference(codecs[i], c, cut, &ref);
            /* a cut-short stream is always an error, and a prefix of the
             * text came out before it */
            CU_ASSERT(decoder_error(ref.rv));
            CU_ASSERT(ref.len <= SAMPLE_LEN
                      && memcmp(ref.data, plain, ref.len) == 0);
            buffered_readers(codecs[i], c, cut, &ref, cut, 1);
            pipe_readers(codecs[i], &ref, cut, 1);
            tried++;
        }
        CU_ASSERT(tried >= (clen < 2 * EDGE ? clen : 2 * EDGE));
        /* the whole input reads to a clean end through every reader */
        reference(codecs[i], c, clen, &ref);
        ASSERT_RV(APR_EOF, ref.rv);
        CU_ASSERT(ref.len == SAMPLE_LEN && memcmp(ref.data, plain, SAMPLE_LEN) == 0);
        buffered_readers(codecs[i], c, clen, &ref, clen, 1);
        pipe_readers(codecs[i], &ref, clen, 1);
    }
}

static void readers_end_with_the_error_of_flipped_bits(void)
{
    const char *plain = sample();
    outcome_t ref;
    char *c, *bad;
    apr_size_t clen, at, errors;
    unsigned i;

    for (i = 0; i < NCODECS; i++) {
        if (!strata_codec_available(codecs[i]))
            continue;
        compress(codecs[i], plain, SAMPLE_LEN, &c, &clen);
        bad = apr_pmemdup(strata_test_pool, c, clen);
        errors = 0;
        for (at = 0; at < clen; at++) {
            if (!offset_wanted(at, clen))
                continue;
            bad[at] ^= (char)(1u << (at % 8));
            reference(codecs[i], bad, clen, &ref);
            /* a decoder error, or a clean end where the bit was one no
             * check covers (raw deflate, a gzip header's mtime...) */
            CU_ASSERT(decoder_error(ref.rv) || STRATA_STATUS_IS_LIMIT(ref.rv)
                      || APR_STATUS_IS_EOF(ref.rv));
            errors += !APR_STATUS_IS_EOF(ref.rv);
            buffered_readers(codecs[i], bad, clen, &ref, at, 0);
            pipe_readers(codecs[i], &ref, at, 1);
            bad[at] = c[at];
        }
        CU_ASSERT(errors > 0);
    }
}

/* The exact scene of the report: a truncated .gz read line by line with
 * the usual loop ends, with STRATA_ETRUNCATED, and keeps saying so. */
static void read_line_loop_over_truncated_gzip_ends(void)
{
    const char *plain = sample();
    strata_stream_t *b;
    const char *d;
    apr_size_t n, clen;
    unsigned lines = 0;
    apr_status_t rv;
    char *c;

    compress(STRATA_CODEC_GZIP, plain, SAMPLE_LEN, &c, &clen);
    b = buffered_decoder(STRATA_CODEC_GZIP, c, clen - 3, 0, strata_test_pool);
    while ((rv = strata_read_line(b, MAXREC, &d, &n)) == APR_SUCCESS) {
        CU_ASSERT_FATAL(n > 0);
        CU_ASSERT_FATAL(++lines < 10000);
    }
    /* the last partial line (if any) is handed out, then the error */
    if (rv == STRATA_ETRUNCATED && n > 0)
        rv = strata_read_line(b, MAXREC, &d, &n);
    ASSERT_RV(STRATA_ETRUNCATED, rv);
    CU_ASSERT(n == 0 && d == NULL);
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_line(b, MAXREC, &d, &n));
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_until(b, "\n", 1, 10, &d, &n));
    CU_ASSERT(n == 0);
    CU_ASSERT(lines > 10);
    strata_close(b);
}

/* A clean end still gives the last line without "\n" with APR_SUCCESS. */
static void read_line_last_line_before_clean_end_is_success(void)
{
    const char *plain = sample();
    strata_stream_t *b;
    const char *d, *last = NULL;
    apr_size_t n, lastn = 0, clen;
    apr_status_t rv;
    char *c;

    compress(STRATA_CODEC_XZ, plain, SAMPLE_LEN, &c, &clen);
    b = buffered_decoder(STRATA_CODEC_XZ, c, clen, 0, strata_test_pool);
    while ((rv = strata_read_line(b, MAXREC, &d, &n)) == APR_SUCCESS) {
        last = d;
        lastn = n;
    }
    ASSERT_RV(APR_EOF, rv);
    CU_ASSERT(lastn > 0 && last != NULL);
    CU_ASSERT(last != NULL && last[lastn - 1] == 'z');
    strata_close(b);
}

/* Transient faults under the decoder (one byte at a time, EINTR, EAGAIN)
 * neither hide the decoder's error nor end the loop early. */
static void transient_faults_do_not_hide_the_error(void)
{
    static const strata_codec_t some[] = {
        STRATA_CODEC_GZIP, STRATA_CODEC_BZIP2, STRATA_CODEC_XZ
    };
    const char *plain = sample();
    strata_fault_opts_t fo;
    strata_stream_t *in, *f, *z, *b;
    const char *d;
    apr_size_t n, clen, got;
    unsigned i, calls, again;
    apr_status_t rv;
    char *c;

    memset(&fo, 0, sizeof(fo));
    fo.one_byte = 1;
    fo.eintr_every = 5;
    fo.eagain_every = 3;
    for (i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
        compress(some[i], plain, SAMPLE_LEN, &c, &clen);
        strata_memory_open_buffer(&in, c, clen - 5, strata_test_pool);
        strata_fault_create(&f, in, &fo, STRATA_OWN_INNER, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                            &z, f, some[i], NULL, STRATA_OWN_INNER,
                            strata_test_pool));
        strata_buffered_create(&b, z, 0, 0, STRATA_OWN_INNER, strata_test_pool);
        got = 0;
        again = 0;
        for (calls = 0; calls < 100000; calls++) {
            rv = strata_read_line(b, MAXREC, &d, &n);
            if (n > 0) {
                CU_ASSERT_FATAL(got + n <= SAMPLE_LEN);
                CU_ASSERT(memcmp(d, plain + got, n) == 0);
                got += n;
                continue;
            }
            CU_ASSERT(rv != APR_SUCCESS);
            if (APR_STATUS_IS_EAGAIN(rv) || APR_STATUS_IS_EINTR(rv)) {
                again++;
                continue;
            }
            break;
        }
        CU_ASSERT(calls < 100000);
        CU_ASSERT(again > 0);
        ASSERT_RV(STRATA_ETRUNCATED, rv);
        CU_ASSERT(got > 0);           /* a cut footer may come after all data */
        ASSERT_RV(STRATA_ETRUNCATED, strata_read_line(b, MAXREC, &d, &n));
        strata_close(b);
    }
}

/* Across threads: a producer copies a truncated decoder into a pipe's
 * writer stream and closes it; the consumer reads lines from the reader
 * stream through a buffered stream and ends with the decoder's error, not
 * a clean end of a cut-short text. */
typedef struct producer_t {
    strata_stream_t *from, *to;
    apr_status_t copy_rv, close_rv;
} producer_t;

static void *APR_THREAD_FUNC producer_main(apr_thread_t *t, void *data)
{
    producer_t *pr = data;

    pr->copy_rv = strata_copy(pr->from, pr->to, NULL, NULL);
    pr->close_rv = strata_close(pr->to);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void pipe_across_threads_carries_the_error(void)
{
    const char *plain = sample();
    strata_pipe_opts_t po;
    strata_stream_t *rs, *b;
    strata_pipe_t *p;
    apr_thread_t *th;
    apr_status_t rv, trv;
    producer_t pr;
    const char *d;
    apr_size_t n, clen, got = 0;
    unsigned calls = 0;
    char *c;

    compress(STRATA_CODEC_GZIP, plain, SAMPLE_LEN, &c, &clen);
    memset(&po, 0, sizeof(po));
    po.pause_threshold = 512;            /* the producer waits on the reader */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &po, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&pr.to, p,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&rs, p,
                                                           strata_test_pool));
    pr.from = decoder(STRATA_CODEC_GZIP, c, clen / 2 + 1, strata_test_pool);
    CU_ASSERT_FATAL(pr.from != NULL);
    strata_buffered_create(&b, rs, 100, 0, STRATA_OWN_INNER, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&th, NULL, producer_main,
                                                   &pr, strata_test_pool));
    while (++calls < 100000) {
        rv = strata_read_line(b, MAXREC, &d, &n);
        if (n == 0)
            break;
        CU_ASSERT_FATAL(got + n <= SAMPLE_LEN);
        CU_ASSERT(memcmp(d, plain + got, n) == 0);
        got += n;
    }
    apr_thread_join(&trv, th);
    ASSERT_RV(STRATA_ETRUNCATED, rv);
    ASSERT_RV(STRATA_ETRUNCATED, pr.copy_rv);
    ASSERT_RV(STRATA_ETRUNCATED, pr.close_rv);
    CU_ASSERT(got > 0 && got < SAMPLE_LEN);
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_line(b, MAXREC, &d, &n));
    strata_close(b);
    strata_close(pr.from);
}

static CU_TestInfo tests[] = {
    { "pipe_across_threads_carries_the_error",
      pipe_across_threads_carries_the_error },
    { "transient_faults_do_not_hide_the_error",
      transient_faults_do_not_hide_the_error },
    { "read_line_loop_over_truncated_gzip_ends",
      read_line_loop_over_truncated_gzip_ends },
    { "read_line_last_line_before_clean_end_is_success",
      read_line_last_line_before_clean_end_is_success },
    { "readers_end_with_the_error_of_truncated_input",
      readers_end_with_the_error_of_truncated_input },
    { "readers_end_with_the_error_of_flipped_bits",
      readers_end_with_the_error_of_flipped_bits },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("read_errors", tests)
