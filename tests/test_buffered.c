/*
 * test_buffered.c -- the buffered stream: read_until / read_line / peek,
 * buffered reads and writes, limits, faults and meters.
 */
#include "test_util.h"
#include "strata/fault.h"
#include "strata/stream_type.h"
#include <string.h>
#include <stdio.h>

#define P strata_test_pool

/* A buffered stream over @len bytes at @data behind a fault stream. */
static strata_stream_t *open_faulty(const void *data, apr_size_t len,
                                    const strata_fault_opts_t *fo,
                                    apr_size_t rbuf, strata_stream_t **fault)
{
    strata_stream_t *mem, *f, *b;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&mem, data, len, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, mem, fo,
                                                     STRATA_OWN_INNER, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, f, rbuf, 0,
                                                        STRATA_OWN_INNER, P));
    if (fault != NULL)
        *fault = f;
    return b;
}

static strata_stream_t *open_text(const char *text, apr_size_t rbuf)
{
    return open_faulty(text, strlen(text), NULL, rbuf, NULL);
}

static int view_is(const char *data, apr_size_t len, const char *expect)
{
    return len == strlen(expect) && memcmp(data, expect, len) == 0;
}

/* First occurrence of @d (dlen bytes) in @p[0, len), or -1. */
static long find_mem(const char *p, apr_size_t len, const char *d,
                     apr_size_t dlen)
{
    apr_size_t i;

    for (i = 0; i + dlen <= len; i++)
        if (memcmp(p + i, d, dlen) == 0)
            return (long)i;
    return -1;
}

/*
 * Read every record of @b with strata_read_until, retrying APR_EAGAIN and
 * any injected error (a bounded number of times); check that each record
 * ends at the first delimiter, and that the records put together are
 * exactly @expect.  Returns the number of records.
 */
static unsigned drain_records(strata_stream_t *b, const char *delim,
                              apr_size_t dlen, apr_size_t max,
                              const char *expect, apr_size_t expect_len,
                              int line_mode)
{
    apr_size_t off = 0, len;
    const char *data;
    unsigned records = 0, retries = 0;
    apr_status_t rv;
    long at;

    for (;;) {
        rv = line_mode ? strata_read_line(b, max, &data, &len)
                       : strata_read_until(b, delim, dlen, max, &data, &len);
        if (rv == APR_SUCCESS || rv == STRATA_ETRUNCATED) {
            retries = 0;
            CU_ASSERT_FATAL(len > 0);
            CU_ASSERT_FATAL(off + len <= expect_len);
            CU_ASSERT_FATAL(memcmp(data, expect + off, len) == 0);
            at = find_mem(data, len, delim, dlen);
            if (rv == STRATA_ETRUNCATED || (line_mode && at < 0)) {
                CU_ASSERT(at < 0);
                CU_ASSERT(off + len == expect_len);
            } else {
                CU_ASSERT(at == (long)(len - dlen));
            }
            off += len;
            records++;
            continue;
        }
        CU_ASSERT(len == 0 && data == NULL);
        if (APR_STATUS_IS_EOF(rv))
            break;
        CU_ASSERT_FATAL(++retries < 1000);
    }
    CU_ASSERT(off == expect_len);
    return records;
}

/* ---- read_line / read_until --------------------------------------------- */

static void buffered_read_line_returns_lines_with_newline(void)
{
    strata_stream_t *b = open_text("one\ntwo\n\nthree\n", 0);
    const char *d;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "one\n"));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "two\n"));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "\n"));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "three\n"));
    ASSERT_RV(APR_EOF, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(n == 0 && d == NULL);
    ASSERT_RV(APR_EOF, strata_read_line(b, 100, &d, &n));
}

static void buffered_read_line_last_line_without_newline_is_a_line(void)
{
    strata_stream_t *b = open_text("a\nlast", 0);
    const char *d;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "a\n"));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "last"));
    ASSERT_RV(APR_EOF, strata_read_line(b, 100, &d, &n));
}

static void buffered_read_until_truncated_then_eof(void)
{
    strata_stream_t *b = open_text("head\r\n\r\nbody\r\n", 4);
    const char *d;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
    CU_ASSERT(view_is(d, n, "head\r\n\r\n"));
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
    CU_ASSERT(view_is(d, n, "body\r\n"));
    ASSERT_RV(APR_EOF, strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
    CU_ASSERT(n == 0);
}

static void buffered_read_until_on_empty_input_is_eof(void)
{
    strata_stream_t *b = open_text("", 0);
    const char *d = "x";
    apr_size_t n = 5;

    ASSERT_RV(APR_EOF, strata_read_until(b, "\n", 1, 10, &d, &n));
    CU_ASSERT(n == 0 && d == NULL);
    ASSERT_RV(APR_EOF, strata_peek(b, 4, &d, &n));
    ASSERT_RV(APR_EOF, strata_read_line(b, 10, &d, &n));
}

/* A multi-byte delimiter is found wherever it falls relative to the
 * refills: every read-buffer size, every offset. */
static void buffered_read_until_multibyte_delim_at_every_offset(void)
{
    char text[64];
    apr_size_t rbuf, k, n;
    const char *d;
    strata_stream_t *b;

    for (rbuf = 1; rbuf <= 9; rbuf++) {
        for (k = 0; k <= 20; k++) {
            memset(text, 'a', k);
            memcpy(text + k, "\r\n\r\ntail\r\n\r", 11);
            b = open_faulty(text, k + 11, NULL, rbuf, NULL);
            ASSERT_RV(APR_SUCCESS,
                      strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
            CU_ASSERT(n == k + 4 && memcmp(d, text, k + 4) == 0);
            ASSERT_RV(STRATA_ETRUNCATED,
                      strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
            CU_ASSERT(view_is(d, n, "tail\r\n\r"));
            strata_close(b);
        }
    }
}

/* The delimiter's first bytes appearing before the real one (a partial
 * match) do not hide it. */
static void buffered_read_until_partial_match_then_real_delim(void)
{
    strata_stream_t *b = open_text("x\r\n\ry\r\r\n\r\n\r\nz", 3);
    const char *d;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
    CU_ASSERT(view_is(d, n, "x\r\n\ry\r\r\n\r\n"));
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_until(b, "\r\n\r\n", 4, 64, &d, &n));
    CU_ASSERT(view_is(d, n, "\r\nz"));
}

static void buffered_read_until_limit_consumes_nothing(void)
{
    strata_stream_t *b = open_text("0123456789\nrest\n", 4);
    char buf[32];
    const char *d;
    apr_size_t n;

    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_line(b, 10, &d, &n));
    CU_ASSERT(n == 0 && d == NULL);
    CU_ASSERT(strata_buffered_read_capacity(b) <= 10);
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_line(b, 10, &d, &n));
    /* exactly fitting (delimiter included) works */
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 11, &d, &n));
    CU_ASSERT(view_is(d, n, "0123456789\n"));
    /* after a limit the stream is still usable with plain reads */
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_line(b, 2, &d, &n));
    ASSERT_RV(APR_SUCCESS, strata_read_exact(b, buf, 5, &n));
    CU_ASSERT(memcmp(buf, "rest\n", 5) == 0);
    ASSERT_RV(APR_EOF, strata_read_line(b, 2, &d, &n));
}

static void buffered_delimiter_that_never_arrives(void)
{
    static char big[20000];
    strata_stream_t *b;
    const char *d;
    apr_size_t n;

    memset(big, 'q', sizeof(big));
    b = open_faulty(big, sizeof(big), NULL, 64, NULL);
    /* within max: limit; bigger max than the input: truncated at the end */
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_until(b, "END", 3, 1000, &d, &n));
    CU_ASSERT(strata_buffered_read_capacity(b) <= 1000);
    ASSERT_RV(STRATA_ETRUNCATED, strata_read_until(b, "END", 3, 30000, &d, &n));
    CU_ASSERT(n == sizeof(big));
    ASSERT_RV(APR_EOF, strata_read_until(b, "END", 3, 30000, &d, &n));
}

static void buffered_read_until_bad_arguments(void)
{
    strata_stream_t *b = open_text("abc\n", 0), *mem;
    const char *d = "x";
    apr_size_t n = 9;

    ASSERT_RV(APR_EINVAL, strata_read_until(b, "\n", 0, 10, &d, &n));
    CU_ASSERT(n == 0 && d == NULL);
    ASSERT_RV(APR_EINVAL, strata_read_until(b, NULL, 1, 10, &d, &n));
    ASSERT_RV(APR_EINVAL, strata_read_until(b, "\r\n", 2, 1, &d, &n));
    ASSERT_RV(APR_EINVAL, strata_read_until(b, "\n", 1, 0, &d, &n));
    ASSERT_RV(APR_EINVAL, strata_read_line(b, 0, &d, &n));
    ASSERT_RV(APR_EINVAL, strata_read_line(b, 10, NULL, &n));
    ASSERT_RV(APR_EINVAL, strata_read_line(b, 10, &d, NULL));
    ASSERT_RV(APR_EINVAL, strata_read_line(NULL, 10, &d, &n));
    ASSERT_RV(APR_EINVAL, strata_peek(b, 1, NULL, &n));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&mem, "a\n", 2, P));
    ASSERT_RV(STRATA_ENOTSUP, strata_read_line(mem, 10, &d, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_peek(mem, 1, &d, &n));
    CU_ASSERT(strata_buffered_available(mem) == 0);
    /* nothing was consumed by the refused calls */
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 10, &d, &n));
    CU_ASSERT(view_is(d, n, "abc\n"));
}

static void buffered_long_line_does_not_leave_large_buffer(void)
{
    static char text[100000 + 16];
    strata_stream_t *b;
    const char *d;
    apr_size_t n;

    memset(text, 'L', 100000);
    memcpy(text + 100000, "\nshort\nend\n", 11);
    b = open_faulty(text, 100011, NULL, 256, NULL);
    CU_ASSERT(strata_buffered_read_capacity(b) == 256);
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 200000, &d, &n));
    CU_ASSERT(n == 100001);
    CU_ASSERT(strata_buffered_read_capacity(b) >= 100001);
    CU_ASSERT(strata_buffered_read_capacity(b) <= 200000);
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 200000, &d, &n));
    CU_ASSERT(view_is(d, n, "short\n"));
    CU_ASSERT(strata_buffered_read_capacity(b) == 256);
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 200000, &d, &n));
    CU_ASSERT(view_is(d, n, "end\n"));
}

/* A record trickling in (one byte per read, APR_EAGAIN in between) is
 * found, and changing the delimiter or the limit between the retries
 * still gives the right answers. */
static void buffered_trickled_record_with_changing_delimiter_and_limit(void)
{
    static char text[50000 + 8];
    strata_fault_opts_t fo;
    strata_stream_t *b;
    const char *d;
    apr_size_t n;
    apr_status_t rv;
    long calls = 0;

    memset(&fo, 0, sizeof(fo));
    fo.one_byte = 1;
    fo.eagain_every = 2;
    memset(text, 'x', 50000);
    memcpy(text + 50000, "\r\nend\n", 6);
    b = open_faulty(text, 50006, &fo, 0, NULL);
    while ((rv = strata_read_until(b, "\r\n", 2, 100000, &d, &n)) == APR_EAGAIN)
        CU_ASSERT_FATAL(++calls < 200000);
    ASSERT_RV(APR_SUCCESS, rv);
    CU_ASSERT(n == 50002 && memcmp(d + 49998, "xx\r\n", 4) == 0);
    strata_close(b);

    b = open_faulty("abc\r\ndef\n", 9, &fo, 0, NULL);
    while (strata_buffered_available(b) < 4)      /* "abc\r", no "\n" yet */
        CU_ASSERT_FATAL(strata_read_until(b, "\n", 1, 100, &d, &n)
                        == APR_EAGAIN && ++calls < 300000);
    while ((rv = strata_read_until(b, "\r\n", 2, 100, &d, &n)) == APR_EAGAIN)
        ;
    ASSERT_RV(APR_SUCCESS, rv);
    CU_ASSERT(view_is(d, n, "abc\r\n"));
    while ((rv = strata_read_line(b, 100, &d, &n)) == APR_EAGAIN
           && strata_buffered_available(b) < 2)
        ;
    CU_ASSERT(rv == APR_EAGAIN);
    while ((rv = strata_read_line(b, 2, &d, &n)) == APR_EAGAIN)
        ;
    ASSERT_RV(STRATA_ELIMIT_RECORD, rv);                  /* smaller limit now */
    while ((rv = strata_read_line(b, 10, &d, &n)) == APR_EAGAIN)
        ;
    ASSERT_RV(APR_SUCCESS, rv);
    CU_ASSERT(view_is(d, n, "def\n"));
}

/* ---- peek --------------------------------------------------------------- */

static void buffered_peek_does_not_consume(void)
{
    strata_stream_t *b = open_text("hello world\n", 4);
    const char *d;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_peek(b, 0, &d, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 5, &d, &n));
    CU_ASSERT(view_is(d, n, "hello"));
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 8, &d, &n));   /* grows past 4 */
    CU_ASSERT(view_is(d, n, "hello wo"));
    CU_ASSERT(strata_buffered_available(b) >= 8);
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 100, &d, &n));  /* ends first */
    CU_ASSERT(view_is(d, n, "hello world\n"));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "hello world\n"));
    ASSERT_RV(APR_EOF, strata_peek(b, 1, &d, &n));
    CU_ASSERT(n == 0 && d == NULL);
}

static void buffered_peek_under_faults(void)
{
    strata_fault_opts_t fo;
    strata_stream_t *b;
    const char *d;
    apr_size_t n;
    apr_status_t rv;
    int tries = 0;

    memset(&fo, 0, sizeof(fo));
    fo.one_byte = 1;
    fo.eintr_every = 2;
    fo.eagain_every = 5;
    b = open_faulty("abcdefghij", 10, &fo, 2, NULL);
    do {
        rv = strata_peek(b, 7, &d, &n);
        if (rv == APR_EAGAIN) {             /* what is there is shown */
            CU_ASSERT(n == strata_buffered_available(b) || n == 7);
            CU_ASSERT(n == 0 || memcmp(d, "abcdefg", n) == 0);
        }
    } while (rv == APR_EAGAIN && ++tries < 100);
    ASSERT_RV(APR_SUCCESS, rv);
    CU_ASSERT(view_is(d, n, "abcdefg"));
    /* an error at the next call: reported, the buffered bytes are kept */
    fo.eintr_every = fo.eagain_every = 0;
    fo.fail_read_at = strata_fault_read_calls(strata_stream_inner(b)) + 1;
    fo.fail_status = APR_ECONNRESET;
    strata_fault_set(strata_stream_inner(b), &fo);
    rv = strata_peek(b, 9, &d, &n);
    ASSERT_RV(APR_ECONNRESET, rv);
    CU_ASSERT(n == 7 && memcmp(d, "abcdefg", 7) == 0);
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 9, &d, &n));
    CU_ASSERT(view_is(d, n, "abcdefghi"));
}

/* ---- every read function against the fault stream ----------------------- */

/* Text with "\r\n" and "\r\n\r\n" records of varied lengths. */
static apr_size_t make_records(char *buf, apr_size_t cap)
{
    apr_size_t len = 0, i, k;

    for (i = 0; len + 64 < cap; i++) {
        for (k = 0; k < i % 23; k++)
            buf[len++] = (char)('a' + (i + k) % 26);
        memcpy(buf + len, i % 3 ? "\r\n" : "\r\n\r\n", i % 3 ? 2 : 4);
        len += i % 3 ? 2 : 4;
        if (i % 5 == 0)
            buf[len++] = '\n';
    }
    memcpy(buf + len, "tail\r", 5);
    return len + 5;
}

static void run_fault_matrix(int line_mode)
{
    static char text[3000];
    apr_size_t len = make_records(text, sizeof(text)), rbuf;
    const char *delim = line_mode ? "\n" : "\r\n\r\n";
    apr_size_t dlen = line_mode ? 1 : 4;
    strata_fault_opts_t fo;
    strata_stream_t *b;
    int mode;
    apr_uint64_t at;

    for (mode = 0; mode < 4; mode++) {
        for (rbuf = 1; rbuf <= 67; rbuf += 11) {
            memset(&fo, 0, sizeof(fo));
            fo.one_byte = mode != 3;
            fo.eintr_every = mode == 1 ? 2 : 0;
            fo.eagain_every = mode == 2 ? 3 : 0;
            b = open_faulty(text, len, &fo, rbuf, NULL);
            drain_records(b, delim, dlen, 4096, text, len, line_mode);
            strata_close(b);
        }
    }
    /* an error at call N, for every N up to the end of the input */
    for (at = 1; at < 80; at += 1) {
        memset(&fo, 0, sizeof(fo));
        fo.fail_read_at = at;
        b = open_faulty(text, len, &fo, 37, NULL);
        drain_records(b, delim, dlen, 4096, text, len, line_mode);
        strata_close(b);
    }
}

static void buffered_read_until_under_every_fault(void)
{
    run_fault_matrix(0);
}

static void buffered_read_line_under_every_fault(void)
{
    run_fault_matrix(1);
}

static void buffered_plain_read_under_faults(void)
{
    static char src[5000];
    strata_fault_opts_t fo;
    strata_stream_t *b;
    char *got;
    apr_size_t n;

    strata_test_fill(src, sizeof(src), 3);
    memset(&fo, 0, sizeof(fo));
    fo.one_byte = 1;
    fo.eintr_every = 3;
    fo.eagain_every = 7;
    b = open_faulty(src, sizeof(src), &fo, 100, NULL);
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(b, 33, P, &got, &n));
    CU_ASSERT(n == sizeof(src) && memcmp(got, src, n) == 0);
    /* large reads bypass the buffer, small ones use it */
    b = open_faulty(src, sizeof(src), NULL, 100, NULL);
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(b, 1000, P, &got, &n));
    CU_ASSERT(n == sizeof(src) && memcmp(got, src, n) == 0);
}

static void buffered_read_error_is_passed_up_without_loss(void)
{
    strata_fault_opts_t fo;
    strata_stream_t *b;
    const char *d;
    apr_size_t n;

    memset(&fo, 0, sizeof(fo));
    fo.one_byte = 1;
    fo.fail_read_at = 3;
    fo.fail_status = APR_ECONNRESET;
    fo.fail_sticky = 1;
    b = open_faulty("abcdef\n", 7, &fo, 0, NULL);
    ASSERT_RV(APR_ECONNRESET, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(n == 0);
    CU_ASSERT(strata_buffered_available(b) == 2);
    ASSERT_RV(APR_ECONNRESET, strata_read_line(b, 100, &d, &n));
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 2, &d, &n));
    CU_ASSERT(view_is(d, n, "ab"));
}

/* ---- random mixes of read calls against the source ------------------------ */

static apr_uint32_t rnd_next(apr_uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* Mixed strata_read / read_until / read_line / peek calls, with small and
 * large limits, over a faulty source: every answer must match the source
 * at the current position, and nothing may be lost or repeated. */
static void buffered_random_read_mix_matches_source(void)
{
    static char src[20000];
    static const char *delims[] = { "\n", "ab", "\r\n\r\n" };
    strata_fault_opts_t fo;
    strata_stream_t *b;
    apr_uint32_t x = 99;
    apr_size_t len, pos, n, k, i;
    const char *d, *dl;
    char out[300];
    apr_status_t rv;
    long at;
    int round, op;

    for (i = 0; i < sizeof(src); i++)
        src[i] = "ab\r\nxyz"[rnd_next(&x) % 7];
    for (round = 0; round < 12; round++) {
        memset(&fo, 0, sizeof(fo));
        fo.one_byte = round % 3 == 0;
        fo.eintr_every = round % 4 == 1 ? 3 : 0;
        fo.eagain_every = round % 4 == 2 ? 5 : 0;
        fo.fail_read_at = round % 4 == 3 ? 7 : 0;
        len = sizeof(src) - (apr_size_t)round * 13;
        b = open_faulty(src, len, &fo, 1 + (apr_size_t)round * 5, NULL);
        for (pos = 0, i = 0; i < 200000 && pos < len; i++) {
            op = (int)(rnd_next(&x) % 4);
            k = 1 + rnd_next(&x) % (op == 0 ? 300 : 120);
            switch (op) {
            case 0:
                rv = strata_read(b, out, k, &n);
                if (rv == APR_SUCCESS)
                    CU_ASSERT_FATAL(n <= k && memcmp(out, src + pos, n) == 0);
                pos += n;
                break;
            case 1:
            case 2:
                dl = op == 2 ? "\n" : delims[rnd_next(&x) % 3];
                if (k < strlen(dl))
                    k = strlen(dl);
                rv = op == 2 ? strata_read_line(b, k, &d, &n)
                             : strata_read_until(b, dl, strlen(dl), k, &d, &n);
                at = find_mem(src + pos, len - pos < k ? len - pos : k, dl,
                              strlen(dl));
                if (rv == APR_SUCCESS || rv == STRATA_ETRUNCATED) {
                    CU_ASSERT_FATAL(memcmp(d, src + pos, n) == 0);
                    CU_ASSERT_FATAL(at < 0 ? pos + n == len
                                           : n == (apr_size_t)at + strlen(dl));
                } else if (rv == STRATA_ELIMIT_RECORD) {
                    CU_ASSERT_FATAL(at < 0 && len - pos >= k);
                }
                pos += n;
                break;
            default:
                rv = strata_peek(b, k, &d, &n);
                CU_ASSERT_FATAL(n <= k && memcmp(d ? d : "", src + pos, n) == 0);
                if (rv == APR_SUCCESS)
                    CU_ASSERT_FATAL(n == k || pos + n == len);
                break;
            }
            /* never more than the largest max/n asked for */
            CU_ASSERT_FATAL(strata_buffered_read_capacity(b) <= 120);
        }
        CU_ASSERT(pos == len);
        strata_close(b);
    }
}

/* ---- writes ------------------------------------------------------------- */

static void buffered_writes_wait_for_flush(void)
{
    strata_stream_t *mem, *b;
    strata_counts_t c;
    const void *data;
    apr_size_t len, n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 0, 64, 0, P));
    ASSERT_RV(APR_SUCCESS, strata_write(b, "hello ", 6, &n));
    CU_ASSERT(n == 6);
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "world", 5, &n));
    CU_ASSERT(strata_buffered_pending(b) == 11);
    strata_memory_contents(mem, &data, &len);
    CU_ASSERT(len == 0);
    ASSERT_RV(APR_SUCCESS, strata_flush(b, STRATA_FLUSH_BUFFERS));
    strata_memory_contents(mem, &data, &len);
    CU_ASSERT(len == 11 && memcmp(data, "hello world", 11) == 0);
    CU_ASSERT(strata_buffered_pending(b) == 0);
    strata_stream_counts(mem, &c);
    CU_ASSERT(c.write_ops == 1);
    ASSERT_RV(APR_SUCCESS, strata_write(b, "", 0, &n));
    CU_ASSERT(n == 0);
}

static void buffered_large_write_bypasses_buffer(void)
{
    static char big[1000];
    strata_stream_t *mem, *b;
    strata_counts_t c;
    const void *data;
    apr_size_t len, n;

    strata_test_fill(big, sizeof(big), 1);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 0, 64, 0, P));
    ASSERT_RV(APR_SUCCESS, strata_write(b, "ab", 2, &n));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, big, sizeof(big), &n));
    CU_ASSERT(n == sizeof(big));
    strata_stream_counts(mem, &c);
    CU_ASSERT(c.write_ops == 2);       /* "ab" flushed, then big in one go */
    strata_memory_contents(mem, &data, &len);
    CU_ASSERT(len == 1002 && memcmp((const char *)data + 2, big, 1000) == 0);
}

static void buffered_close_flushes_and_later_calls_fail(void)
{
    strata_stream_t *mem, *b;
    const void *data;
    const char *d;
    apr_size_t len, n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 0, 0, 0, P));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "bye\n", 4, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(b));
    strata_memory_contents(mem, &data, &len);
    CU_ASSERT(len == 4);
    CU_ASSERT(!strata_stream_is_closed(mem));  /* not owned */
    ASSERT_RV(STRATA_ECLOSED, strata_read_line(b, 10, &d, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_peek(b, 1, &d, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_write(b, "x", 1, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_read(b, &len, 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_close(b));
}

static void buffered_shutdown_finishes_inner_only_when_owned(void)
{
    strata_pipe_t *p;
    strata_stream_t *mem, *w, *b;
    const void *data;
    char out[8];
    apr_size_t len, n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 0, 0, 0, P));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "a", 1, NULL));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(b));
    ASSERT_RV(STRATA_ECLOSED, strata_write(b, "b", 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_write(mem, "c", 1, &n));  /* borrowed */
    strata_memory_contents(mem, &data, &len);
    CU_ASSERT(len == 2 && memcmp(data, "ac", 2) == 0);

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, w, 0, 0,
                                                        STRATA_OWN_INNER, P));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "end", 3, NULL));
    CU_ASSERT(strata_pipe_length(p) == 0);
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(b));         /* owned */
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_bytes(p, out, 8, &n));
    CU_ASSERT(n == 3 && memcmp(out, "end", 3) == 0);
    ASSERT_RV(APR_EOF, strata_pipe_read_bytes(p, out, 8, &n));
}

static void buffered_writes_under_faults_lose_nothing(void)
{
    static char src[7000];
    strata_fault_opts_t fo;
    strata_stream_t *mem, *f, *b;
    const void *data;
    apr_size_t len, n, done;
    apr_status_t rv;
    int mode, guard;

    strata_test_fill(src, sizeof(src), 9);
    for (mode = 0; mode < 3; mode++) {
        memset(&fo, 0, sizeof(fo));
        fo.one_byte = 1;
        fo.eintr_every = mode == 0 ? 2 : 0;
        fo.eagain_every = mode == 1 ? 3 : 0;
        fo.fail_write_at = mode == 2 ? 5 : 0;
        ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
        ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, mem, &fo, 0, P));
        ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, f, 0, 100, 0, P));
        for (done = 0, guard = 0; done < sizeof(src) && guard < 100000; guard++) {
            n = sizeof(src) - done < 77 ? sizeof(src) - done : 77;
            rv = strata_write(b, src + done, n, &n);
            done += n;
            CU_ASSERT(rv == APR_SUCCESS || rv == APR_EAGAIN || rv == APR_EGENERAL);
        }
        for (guard = 0; strata_flush(b, STRATA_FLUSH_BUFFERS) != APR_SUCCESS
                        && guard < 100000; guard++)
            ;
        strata_memory_contents(mem, &data, &len);
        CU_ASSERT(len == sizeof(src) && memcmp(data, src, len) == 0);
    }
}

/* A stream that reads from one stream and writes to another (a socket). */
typedef struct duplex_t {
    strata_stream_t base;
    strata_stream_t *in, *out;
} duplex_t;

static apr_status_t duplex_read(strata_stream_t *s, void *buf, apr_size_t len,
                                apr_size_t *n)
{
    return strata_read(((duplex_t *)s)->in, buf, len, n);
}

static apr_status_t duplex_write(strata_stream_t *s, const void *buf,
                                 apr_size_t len, apr_size_t *n)
{
    return strata_write(((duplex_t *)s)->out, buf, len, n);
}

static const strata_stream_type_t duplex_type = {
    STRATA_STREAM_TYPE_VERSION, "duplex", STRATA_CAP_READ | STRATA_CAP_WRITE,
    sizeof(duplex_t), duplex_read, duplex_write, NULL, NULL, NULL, NULL, NULL
};

static void buffered_reads_and_writes_are_independent(void)
{
    strata_stream_t *in, *out, *dx, *b;
    const void *data;
    const char *d;
    apr_size_t len, n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&in, "GET /\r\n\r\nGET /b\r\n\r\n", 20, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&out, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_stream_alloc(&dx, &duplex_type, NULL, 0, P));
    ((duplex_t *)dx)->in = in;
    ((duplex_t *)dx)->out = out;
    strata_stream_ready(dx);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, dx, 0, 0, 0, P));
    ASSERT_RV(APR_SUCCESS, strata_read_until(b, "\r\n\r\n", 4, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "GET /\r\n\r\n"));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "200 OK\r\n", 8, NULL));
    /* reading did not flush, writing did not drop the buffered request */
    strata_memory_contents(out, &data, &len);
    CU_ASSERT(len == 0);
    ASSERT_RV(APR_SUCCESS, strata_read_until(b, "\r\n\r\n", 4, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "GET /b\r\n\r\n"));
    ASSERT_RV(APR_SUCCESS, strata_flush(b, STRATA_FLUSH_BUFFERS));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT(len == 8 && memcmp(data, "200 OK\r\n", 8) == 0);
}

/* ---- seek, meters, quota, ownership ------------------------------------- */

static void buffered_seek_and_tell_account_for_buffer(void)
{
    strata_stream_t *b = open_text("line1\nline2\nline3\n", 0);
    const char *d;
    apr_size_t n;
    apr_off_t pos;

    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    ASSERT_RV(APR_SUCCESS, strata_tell(b, &pos));
    CU_ASSERT(pos == 6);
    ASSERT_RV(APR_SUCCESS, strata_seek(b, 6, APR_CUR, &pos));
    CU_ASSERT(pos == 12);
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "line3\n"));
    ASSERT_RV(APR_SUCCESS, strata_seek(b, 0, APR_SET, &pos));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "line1\n"));
}

static void buffered_read_line_counts_one_op_per_call(void)
{
    strata_stream_t *mem, *b;
    strata_counts_t c, ci;
    const char *d;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&mem, "ab\ncd\nef", 8, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 4, 0, 0, P));
    while (strata_read_line(b, 10, &d, &n) == APR_SUCCESS)
        ;
    ASSERT_RV(APR_SUCCESS, strata_peek(b, 0, &d, &n));
    strata_stream_counts(b, &c);
    CU_ASSERT(c.read_ops == 5);        /* 3 lines, the EOF, the peek */
    CU_ASSERT(c.read_bytes == 8);
    strata_stream_counts(mem, &ci);
    CU_ASSERT(ci.read_bytes == 8);     /* the refills */
    CU_ASSERT(ci.read_ops >= 3);
}

static void buffered_read_line_respects_quota(void)
{
    strata_stream_t *b = open_text("aaaa\nbbbb\ncccc\n", 0);
    strata_meter_t *m;
    const char *d;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_meter_create(&m, "t", P));
    strata_meter_set_quota(m, 8, STRATA_METER_READ);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_stream_attach_meter(b, m));
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(n == 5);
    ASSERT_RV(STRATA_EQUOTA, strata_read_line(b, 100, &d, &n));  /* 3 left */
    CU_ASSERT(n == 0);
    CU_ASSERT(strata_meter_quota_left(m) == 3);
    strata_meter_set_quota(m, 0, 0);
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(view_is(d, n, "bbbb\n"));
}

static void buffered_read_calls_on_write_only_stream_are_notsup(void)
{
    strata_stream_t *mem, *ro, *b;
    const char *d;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&ro, "x\n", 2, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, ro, 0, 0, 0, P));
    CU_ASSERT(!(strata_stream_caps(b) & STRATA_CAP_WRITE));
    ASSERT_RV(STRATA_ENOTSUP, strata_write(b, "y", 1, &n));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&ro, mem, NULL, 0, P));
    ((strata_stream_t *)ro)->caps = STRATA_CAP_WRITE;      /* write-only */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, ro, 0, 0, 0, P));
    CU_ASSERT(strata_buffered_read_capacity(b) == 0);
    ASSERT_RV(STRATA_ENOTSUP, strata_read_line(b, 10, &d, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_peek(b, 1, &d, &n));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "ok", 2, &n));
}

static void buffered_own_inner_closes_inner(void)
{
    strata_stream_t *mem, *b;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, mem, 0, 0,
                                                        STRATA_OWN_INNER, P));
    CU_ASSERT(strcmp(strata_stream_name(b), "buffered") == 0);
    CU_ASSERT(strata_stream_inner(b) == mem);
    CU_ASSERT(strata_stream_caps(b) == strata_stream_caps(mem));
    ASSERT_RV(APR_SUCCESS, strata_close(b));
    CU_ASSERT(strata_stream_is_closed(mem));
    ASSERT_RV(APR_EINVAL, strata_buffered_create(&b, NULL, 0, 0, 0, P));
}

static void buffered_forgotten_stream_is_flushed_by_pool(void)
{
    const char *path = strata_test_tmpname("buf", P);
    strata_stream_t *f, *b;
    apr_pool_t *sub;
    char *data;
    apr_size_t len;

    apr_pool_create(&sub, P);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&f, path, APR_FOPEN_WRITE
                    | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                    APR_FPROT_OS_DEFAULT, 0, sub));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, f, 0, 0,
                                                        STRATA_OWN_INNER, sub));
    ASSERT_RV(APR_SUCCESS, strata_write_all(b, "kept\n", 5, NULL));
    apr_pool_destroy(sub);
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(path, &data, &len, P));
    CU_ASSERT(len == 5 && memcmp(data, "kept\n", 5) == 0);
    apr_file_remove(path, P);
}

static CU_TestInfo tests[] = {
    { "buffered_read_line_returns_lines_with_newline", buffered_read_line_returns_lines_with_newline },
    { "buffered_read_line_last_line_without_newline_is_a_line", buffered_read_line_last_line_without_newline_is_a_line },
    { "buffered_read_until_truncated_then_eof", buffered_read_until_truncated_then_eof },
    { "buffered_read_until_on_empty_input_is_eof", buffered_read_until_on_empty_input_is_eof },
    { "buffered_read_until_multibyte_delim_at_every_offset", buffered_read_until_multibyte_delim_at_every_offset },
    { "buffered_read_until_partial_match_then_real_delim", buffered_read_until_partial_match_then_real_delim },
    { "buffered_read_until_limit_consumes_nothing", buffered_read_until_limit_consumes_nothing },
    { "buffered_delimiter_that_never_arrives", buffered_delimiter_that_never_arrives },
    { "buffered_read_until_bad_arguments", buffered_read_until_bad_arguments },
    { "buffered_trickled_record_with_changing_delimiter_and_limit", buffered_trickled_record_with_changing_delimiter_and_limit },
    { "buffered_long_line_does_not_leave_large_buffer", buffered_long_line_does_not_leave_large_buffer },
    { "buffered_peek_does_not_consume", buffered_peek_does_not_consume },
    { "buffered_peek_under_faults", buffered_peek_under_faults },
    { "buffered_read_until_under_every_fault", buffered_read_until_under_every_fault },
    { "buffered_read_line_under_every_fault", buffered_read_line_under_every_fault },
    { "buffered_plain_read_under_faults", buffered_plain_read_under_faults },
    { "buffered_read_error_is_passed_up_without_loss", buffered_read_error_is_passed_up_without_loss },
    { "buffered_random_read_mix_matches_source", buffered_random_read_mix_matches_source },
    { "buffered_writes_wait_for_flush", buffered_writes_wait_for_flush },
    { "buffered_large_write_bypasses_buffer", buffered_large_write_bypasses_buffer },
    { "buffered_close_flushes_and_later_calls_fail", buffered_close_flushes_and_later_calls_fail },
    { "buffered_shutdown_finishes_inner_only_when_owned", buffered_shutdown_finishes_inner_only_when_owned },
    { "buffered_writes_under_faults_lose_nothing", buffered_writes_under_faults_lose_nothing },
    { "buffered_reads_and_writes_are_independent", buffered_reads_and_writes_are_independent },
    { "buffered_seek_and_tell_account_for_buffer", buffered_seek_and_tell_account_for_buffer },
    { "buffered_read_line_counts_one_op_per_call", buffered_read_line_counts_one_op_per_call },
    { "buffered_read_line_respects_quota", buffered_read_line_respects_quota },
    { "buffered_read_calls_on_write_only_stream_are_notsup", buffered_read_calls_on_write_only_stream_are_notsup },
    { "buffered_own_inner_closes_inner", buffered_own_inner_closes_inner },
    { "buffered_forgotten_stream_is_flushed_by_pool", buffered_forgotten_stream_is_flushed_by_pool },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("buffered", tests)
