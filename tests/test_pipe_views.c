/*
 * test_pipe_views.c -- the pipe's skip / skip_exact / peek_exact readers,
 * the record views (read_until_view, read_line_view, read_exact_view: in
 * place within a chunk, one copy when spanning, valid until the next reader
 * call even while the writer goes on), wait_readable, and get_buffer
 * beyond a chunk (the pool's size classes and one-off chunks).  The views
 * are checked against the copying calls on random input, and across
 * threads.
 */
#include "test_util.h"
#include <apr_thread_proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P strata_test_pool
#define TIMEOUT (10 * APR_USEC_PER_SEC)

static strata_pipe_t *new_pipe(apr_size_t chunk, apr_size_t spare,
                               apr_size_t pause, strata_chunk_pool_t **cpo)
{
    strata_chunk_pool_t *cp;
    strata_pipe_opts_t o;
    strata_pipe_t *p;

    memset(&o, 0, sizeof(o));
    ASSERT_RV_FATAL(APR_SUCCESS,
                    strata_chunk_pool_create(&cp, chunk, spare, P));
    o.chunks = cp;
    o.pause_threshold = pause;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &o, P));
    if (cpo != NULL)
        *cpo = cp;
    return p;
}

static void put(strata_pipe_t *p, const char *s)
{
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, s, strlen(s)));
}

static int is(const char *buf, apr_size_t n, const char *expect)
{
    return buf != NULL && n == strlen(expect) && memcmp(buf, expect, n) == 0;
}

/* ---- skip, skip_exact, peek_exact --------------------------------------- */

static void pipe_skip_consumes_without_copying(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(8, 4, 0, &cp);
    char out[16];
    apr_size_t n;

    ASSERT_RV(APR_EAGAIN, strata_pipe_skip(p, 4, &n));
    CU_ASSERT(n == 0);
    put(p, "0123456789abcdefXYZ");                 /* three chunks */
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 0, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 17, &n));
    CU_ASSERT(n == 17 && strata_pipe_length(p) == 2);
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 1);                      /* two went back */
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 100, &n));
    CU_ASSERT(n == 2);
    ASSERT_RV(APR_EAGAIN, strata_pipe_skip(p, 1, &n));
    put(p, "tail");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_EOF));
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 16, &n));
    CU_ASSERT(is(out, n, "ail"));
    ASSERT_RV(APR_EOF, strata_pipe_skip(p, 1, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_skip(p, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_skip(p, 1, NULL));
    ASSERT_RV(APR_EINVAL, strata_pipe_skip(NULL, 1, &n));
}

static void pipe_skip_exact_again_truncated_error(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    strata_pipe_t *q = new_pipe(8, 4, 0, NULL);
    char out[16];
    apr_size_t n;

    put(p, "abcdefghijk");
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip_exact(p, 0, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip_exact(p, 9, &n));
    CU_ASSERT(n == 9);
    ASSERT_RV(APR_EAGAIN, strata_pipe_skip_exact(p, 3, &n));
    CU_ASSERT(n == 0 && strata_pipe_length(p) == 2);   /* nothing taken */
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_skip_exact(p, 3, &n));
    CU_ASSERT(n == 2 && strata_pipe_length(p) == 0);    /* the rest went */
    ASSERT_RV(APR_EOF, strata_pipe_skip_exact(p, 3, &n));
    CU_ASSERT(n == 0);

    put(q, "xyz");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(q, APR_ECONNRESET));
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip_exact(q, 1, &n));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_skip_exact(q, 5, &n));
    CU_ASSERT(n == 2);
    ASSERT_RV(APR_ECONNRESET, strata_pipe_skip_exact(q, 5, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_atmost(q, out, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_skip_exact(q, 1, NULL));
}

static void pipe_peek_exact_consumes_nothing(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    char out[32];
    apr_size_t n;

    put(p, "0123456789ab");
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek_exact(p, out, 10, &n));
    CU_ASSERT(is(out, n, "0123456789"));
    CU_ASSERT(strata_pipe_length(p) == 12);
    ASSERT_RV(APR_EAGAIN, strata_pipe_peek_exact(p, out, 13, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek_exact(p, out, 0, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_peek_exact(p, out, 13, &n));
    CU_ASSERT(is(out, n, "0123456789ab"));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_peek_exact(p, out, 13, &n));
    CU_ASSERT(n == 12 && strata_pipe_length(p) == 12);  /* still there */
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek_exact(p, out, 12, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 12, &n));
    ASSERT_RV(APR_EOF, strata_pipe_peek_exact(p, out, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_peek_exact(p, NULL, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_peek_exact(p, out, 1, NULL));
}

/* ---- record views ------------------------------------------------------- */

static void pipe_until_view_in_chunk_is_zero_copy(void)
{
    strata_pipe_t *p = new_pipe(64, 4, 0, NULL);
    strata_pipe_iovec_t v[2];
    apr_size_t cnt, total, n;
    const char *rec, *base;

    put(p, "abc\ndef\nxy");
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 2, &cnt, &total));
    base = v[0].base;
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(rec == base && is(rec, n, "abc\n"));
    CU_ASSERT(strata_pipe_length(p) == 6);          /* consumed at once */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(p, "\n", 1, 0, 100,
                                                       &rec, &n));
    CU_ASSERT(rec == base + 4 && is(rec, n, "def"));
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(rec == NULL && n == 0 && strata_pipe_length(p) == 2);
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line_view(p, 2, &rec, &n));
    CU_ASSERT(strata_pipe_length(p) == 2);
    put(p, "z\n\n");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(rec == base + 8 && is(rec, n, "xyz\n"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(p, "\n", 1, 0, 100,
                                                       &rec, &n));
    CU_ASSERT(rec != NULL && n == 0);               /* an empty record */
    CU_ASSERT(strata_pipe_length(p) == 0);
}

static void pipe_until_view_spanning_chunks_is_copied_once(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    strata_pipe_iovec_t v[4];
    apr_size_t cnt, total, n, i;
    const char *rec;
    int inside = 0;

    put(p, "0123456789ABCDEFGHIJ--rest");               /* spans 3 chunks */
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 4, &cnt, &total));
    CU_ASSERT(cnt == 4);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(
                  p, "--", 2, STRATA_PIPE_KEEP_DELIM, 100, &rec, &n));
    CU_ASSERT(is(rec, n, "0123456789ABCDEFGHIJ--"));
    for (i = 0; i < cnt; i++)
        inside |= rec >= v[i].base && rec < v[i].base + v[i].len;
    CU_ASSERT(inside == 0);                         /* the scratch copy */
    put(p, "--");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(p, "--", 2, 0, 100,
                                                       &rec, &n));
    CU_ASSERT(is(rec, n, "rest"));
}

static void pipe_until_view_record_in_chunk_delimiter_across(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    strata_pipe_iovec_t v[2];
    apr_size_t cnt, total, n;
    const char *rec;

    put(p, "abcdefg--");                  /* "abcdefg-" | "-" */
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 2, &cnt, &total));
    CU_ASSERT(cnt == 2 && v[0].len == 8);
    /* Without KEEP_DELIM only the record must be contiguous: in place. */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(p, "--", 2, 0, 100,
                                                       &rec, &n));
    CU_ASSERT(rec == v[0].base && is(rec, n, "abcdefg"));
    put(p, "xyzuvwa--");                  /* "x..." | "yzuvwa--" */
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 2, &cnt, &total));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until_view(
                  p, "--", 2, STRATA_PIPE_KEEP_DELIM, 100, &rec, &n));
    CU_ASSERT(is(rec, n, "xyzuvwa--"));
    CU_ASSERT(rec != v[0].base && rec != v[1].base);      /* copied */
}

static void pipe_view_stays_valid_while_writer_goes_on(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(16, 8, 0, &cp);
    char big[64];
    const char *rec, *rec2;
    apr_size_t n, n2, before;

    /* The record drains the only chunk: without the guard the writer would
     * rewind it and write over the record. */
    put(p, "hello world\n");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(strata_pipe_length(p) == 0);
    put(p, "OVERWRITE!\n");
    memset(big, '#', sizeof(big));
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, big, sizeof(big)));
    CU_ASSERT(is(rec, n, "hello world\n"));
    /* Chunks drained under a view are held until the next reader call. */
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 11, &n2));
    put(p, "\n");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(p, 5, &rec, &n));
    CU_ASSERT(is(rec, n, "#####"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(p, 11, &rec2, &n2));
    CU_ASSERT(is(rec2, n2, "###########"));
    strata_chunk_pool_stats(cp, &st);
    before = st.in_use;
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 16, &n));   /* next call */
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use < before);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(n == 64 - 32 + 1 && rec[n - 1] == '\n');
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_line_view(p, 100, &rec, &n));
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use <= 1);
}

static void pipe_views_at_the_end(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    strata_pipe_t *q = new_pipe(8, 4, 0, NULL);
    const char *rec;
    apr_size_t n;

    put(p, "one\nlast without newline");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(is(rec, n, "one\n"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(is(rec, n, "last without newline"));
    ASSERT_RV(APR_EOF, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(rec == NULL && n == 0);
    ASSERT_RV(APR_EOF, strata_pipe_read_exact_view(p, 1, &rec, &n));

    put(q, "abcdef\nrest");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(q, APR_ECONNRESET));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(q, 0, &rec, &n));
    CU_ASSERT(rec != NULL && n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(q, 7, &rec, &n));
    CU_ASSERT(is(rec, n, "abcdef\n"));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_line_view(q, 100, &rec, &n));
    CU_ASSERT(is(rec, n, "rest"));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_line_view(q, 100, &rec, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_exact_view(q, 1, &rec, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(q));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_exact_view(q, 1, &rec, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_line_view(q, 9, &rec, &n));
}

static void pipe_exact_view_again_and_truncated(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    const char *rec;
    apr_size_t n;

    put(p, "0123456789");
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_exact_view(p, 11, &rec, &n));
    CU_ASSERT(rec == NULL && n == 0 && strata_pipe_length(p) == 10);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(p, 3, &rec, &n));
    CU_ASSERT(is(rec, n, "012"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(p, 6, &rec, &n));
    CU_ASSERT(is(rec, n, "345678"));                 /* spans: copied */
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_exact_view(p, 4, &rec, &n));
    CU_ASSERT(is(rec, n, "9"));
    ASSERT_RV(APR_EOF, strata_pipe_read_exact_view(p, 4, &rec, &n));
}

static void pipe_view_bad_arguments(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);
    const char *rec;
    apr_size_t n;

    put(p, "a\n");
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(p, "\n", 1, 0, 0, &rec,
                                                      &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(p, "ab", 2, 0, 1, &rec,
                                                      &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(p, NULL, 1, 0, 9, &rec,
                                                      &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(p, "\n", 0, 0, 9, &rec,
                                                      &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(p, "\n", 1, 0, 9, NULL,
                                                      &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until_view(NULL, "\n", 1, 0, 9,
                                                      &rec, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_line_view(p, 9, &rec, NULL));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_exact_view(p, 1, NULL, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_exact_view(NULL, 1, &rec, &n));
    CU_ASSERT(strata_pipe_length(p) == 2);
}

/* A view's consumption resumes a paused writer at once. */
static int resumed;
static void on_resume(void *baton, strata_pipe_t *p)
{
    resumed++;
}

static void pipe_view_resumes_paused_writer(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 40, NULL);
    const char *rec;
    apr_size_t n;

    resumed = 0;
    strata_pipe_on_writable(p, on_resume, NULL);
    put(p, "0123456789012345678901234567890123456789\nab");
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line_view(p, 100, &rec, &n));
    CU_ASSERT(resumed == 1 && strata_pipe_writer_paused(p) == 0);
    CU_ASSERT(n == 41 && rec[0] == '0');
}

/* Random writes (random chunk sizes; one pipe fed in place with hints up
 * to three chunks, the other by copy) read by the views and the copying
 * calls side by side. */
static apr_uint32_t rnd(apr_uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void views_match_copies_round(apr_uint32_t seed)
{
    static const char *delims[] = { "\n", "ab", "b\na" };
    apr_size_t chunk = 4 + rnd(&seed) % 29;
    strata_pipe_t *a = new_pipe(chunk, 4, 0, NULL);
    strata_pipe_t *b = new_pipe(chunk, 4, 0, NULL);
    char data[256], copy[128];
    const char *rec, *d;
    apr_size_t len, na, nb, max, k, cap;
    apr_status_t ra, rb;
    void *vb;
    int op, step, closed = 0, bad = 0;

    for (step = 0; step < 400 && !bad; step++) {
        op = (int)(rnd(&seed) % 6);
        if (op <= 1 && !closed) {
            len = rnd(&seed) % 40;
            for (k = 0; k < len; k++)
                data[k] = "ab\nxyz"[rnd(&seed) % 6];
            /* a: in place, sometimes asking for more than a chunk (the
             * larger size classes); b: copied in */
            ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(
                          a, len + rnd(&seed) % (3 * chunk), &vb, &cap));
            if (cap >= len && vb != NULL) {
                memcpy(vb, data, len);
                ASSERT_RV(APR_SUCCESS, strata_pipe_commit(a, len));
            }
            ASSERT_RV(APR_SUCCESS, strata_pipe_write(b, data, len));
            if (rnd(&seed) % 50 == 0) {
                strata_pipe_close_writer(a, APR_SUCCESS);
                strata_pipe_close_writer(b, APR_SUCCESS);
                closed = 1;
            }
            continue;
        }
        max = 3 + rnd(&seed) % 100;
        if (op <= 3) {
            d = delims[rnd(&seed) % 3];
            k = rnd(&seed) % 2 ? STRATA_PIPE_KEEP_DELIM : 0;
            ra = strata_pipe_read_until_view(a, d, strlen(d), (unsigned)k,
                                             max, &rec, &na);
            rb = strata_pipe_read_until(b, d, strlen(d), (unsigned)k, copy,
                                        max, &nb);
        } else if (op == 4) {
            ra = strata_pipe_read_line_view(a, max, &rec, &na);
            rb = strata_pipe_read_line(b, copy, max, &nb);
        } else {
            max %= sizeof(copy);
            ra = strata_pipe_read_exact_view(a, max, &rec, &na);
            rb = strata_pipe_read_bytes(b, copy, max, &nb);
        }
        if (ra != rb || na != nb
            || strata_pipe_length(a) != strata_pipe_length(b)
            || (na > 0 && memcmp(rec, copy, na) != 0))
            bad = 1;
    }
    CU_ASSERT(bad == 0);
    if (bad)
        fprintf(stderr, "seed %u step %d\n", (unsigned)seed, step);
}

static void pipe_views_match_copying_reads_on_random_input(void)
{
    apr_uint32_t seed;

    for (seed = 1; seed <= 60; seed++)
        views_match_copies_round(seed * 2654435761u);
}

/* ---- wait_readable ------------------------------------------------------ */

static void pipe_wait_readable_answers(void)
{
    strata_pipe_t *p = new_pipe(8, 4, 0, NULL);

    ASSERT_RV(APR_TIMEUP, strata_pipe_wait_readable(p, 1, 0));
    ASSERT_RV(APR_TIMEUP, strata_pipe_wait_readable(p, 0, 2000));
    put(p, "abc");
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_readable(p, 3, 0));
    ASSERT_RV(APR_TIMEUP, strata_pipe_wait_readable(p, 4, 1000));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_readable(p, 4, -1));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_wait_readable(p, 1, -1));
    ASSERT_RV(APR_EINVAL, strata_pipe_wait_readable(NULL, 1, 0));
}

/* ---- get_buffer beyond a chunk ------------------------------------------ */

static void pipe_get_buffer_larger_than_a_chunk_is_contiguous(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st, st2;
    strata_pipe_t *p = new_pipe(64, 8, APR_SIZE_MAX, &cp);
    static char src[300], got[300];
    const char *rec;
    void *b;
    apr_size_t cap, n;
    int round;

    strata_test_fill(src, sizeof(src), 3);
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.max_class_size == (apr_size_t)64 << (STRATA_CHUNK_CLASSES
                                                      - 1));
    put(p, "x");
    for (round = 0; round < 5; round++) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_get_buffer(p, 200, &b, &cap));
        CU_ASSERT(cap >= 200 && cap <= 256);      /* the 256-byte class */
        memcpy(b, src, 200);
        ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 200));
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, got, 1, &n));
        /* One span: the 200 bytes are one record in one chunk. */
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_exact_view(p, 199, &rec, &n));
        CU_ASSERT(n == 199 && memcmp(rec, src, 199) == 0);
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, got, 1, &n));
        CU_ASSERT(got[0] == src[199]);
        put(p, "x");
        if (round == 0)
            strata_chunk_pool_stats(cp, &st);
    }
    /* The steady state reuses the class's spare chunk. */
    strata_chunk_pool_stats(cp, &st2);
    CU_ASSERT(st2.allocations == st.allocations);
    CU_ASSERT(st2.oneoff_allocations == 0);
}

static void pipe_get_buffer_beyond_largest_class_is_one_off(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st, st2;
    strata_pipe_t *p = new_pipe(16, 8, APR_SIZE_MAX, &cp);
    apr_size_t big = ((apr_size_t)16 << (STRATA_CHUNK_CLASSES - 1)) + 5;
    char *b;
    void *vb;
    apr_size_t cap, n;

    strata_chunk_pool_stats(cp, &st);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_get_buffer(p, big, &vb, &cap));
    CU_ASSERT(cap == big);
    b = vb;
    memset(b, 'q', big);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, big));
    strata_chunk_pool_stats(cp, &st2);
    CU_ASSERT(st2.oneoff_allocations == st.oneoff_allocations + 1);
    put(p, "tail");                       /* the writer moves on */
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, big, &n));
    CU_ASSERT(n == big);
    ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p, 1, &n));  /* releases it */
    strata_chunk_pool_stats(cp, &st2);
    CU_ASSERT(st2.frees == st.frees + 1);         /* never kept */
}

static void chunk_pool_classes_keep_fewer_spares(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p[6];
    apr_size_t cap, n;
    void *b;
    int i;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_chunk_pool_create(&cp, 16, 4, P));
    for (i = 0; i < 6; i++) {
        strata_pipe_opts_t o;

        memset(&o, 0, sizeof(o));
        o.chunks = cp;
        o.pause_threshold = APR_SIZE_MAX;
        ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p[i], &o, P));
        ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p[i], 60, &b, &cap));
        CU_ASSERT(cap == 64);                      /* class 2 */
        ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p[i], 60));
    }
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 6 && st.allocations == 6);
    for (i = 0; i < 6; i++) {
        /* 4 bytes fill the class-2 chunk, 1 starts an ordinary one */
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p[i], "!!!!!", 5));
        ASSERT_RV(APR_SUCCESS, strata_pipe_skip(p[i], 64, &n));
    }
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.spare == 1);                      /* 4 >> 2 */
    CU_ASSERT(st.spare_bytes == 64);
    CU_ASSERT(st.frees == 5);
}

/* ---- across threads ----------------------------------------------------- */

typedef struct lines_t {
    strata_pipe_t *p;
    int lines;
    apr_status_t rv;
} lines_t;

static apr_size_t make_line(char *buf, int i)
{
    return (apr_size_t)snprintf(buf, 128, "line %d %.*s\n", i, (i * 7) % 90,
                                "0123456789012345678901234567890123456789"
                                "0123456789012345678901234567890123456789"
                                "0123456789");
}

/* A reserve/commit writer bounded by the threshold, committing each line
 * in pieces so that records straddle chunks and commits. */
static void *APR_THREAD_FUNC line_writer(apr_thread_t *t, void *arg)
{
    lines_t *j = arg;
    char line[128];
    apr_size_t len, off, cap, k;
    void *b;
    int i;

    j->rv = APR_SUCCESS;
    for (i = 0; i < j->lines && j->rv == APR_SUCCESS; i++) {
        len = make_line(line, i);
        for (off = 0; off < len && j->rv == APR_SUCCESS; off += k) {
            if ((j->rv = strata_pipe_wait_writable(j->p, TIMEOUT))
                != APR_SUCCESS)
                break;
            if ((j->rv = strata_pipe_get_buffer(j->p, 1, &b, &cap))
                != APR_SUCCESS)
                break;
            k = len - off < cap ? len - off : cap;
            k = k > 1 + (apr_size_t)i % 37 ? 1 + (apr_size_t)i % 37 : k;
            memcpy(b, line + off, k);
            j->rv = strata_pipe_commit(j->p, k);
        }
    }
    if (j->rv == APR_SUCCESS)
        j->rv = strata_pipe_close_writer(j->p, APR_SUCCESS);
    return NULL;
}

static void pipe_threads_line_views_against_a_bounded_writer(void)
{
    strata_pipe_t *p = new_pipe(64, 64, 512, NULL);
    char expect[128];
    const char *rec;
    apr_size_t n, len, have;
    apr_thread_t *t;
    apr_status_t rv, st;
    lines_t j;
    int i = 0, bad = 0;

    memset(&j, 0, sizeof(j));
    j.p = p;
    j.lines = 3000;
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&t, NULL, line_writer, &j,
                                                   P));
    for (;;) {
        have = strata_pipe_length(p);       /* before the attempt */
        rv = strata_pipe_read_line_view(p, 200, &rec, &n);
        if (rv == APR_EAGAIN) {
            rv = strata_pipe_wait_readable(p, have + 1, TIMEOUT);
            if (rv != APR_SUCCESS)
                break;
            continue;
        }
        if (rv != APR_SUCCESS)
            break;
        len = make_line(expect, i);
        apr_thread_yield();          /* the writer goes on meanwhile */
        if (n != len || memcmp(rec, expect, n) != 0)
            bad++;
        i++;
    }
    ASSERT_RV(APR_EOF, rv);
    CU_ASSERT(i == j.lines);
    CU_ASSERT(bad == 0);
    rv = apr_thread_join(&st, t);
    CU_ASSERT(rv == APR_SUCCESS || rv == APR_INCOMPLETE);
    ASSERT_RV(APR_SUCCESS, j.rv);
}

static CU_TestInfo tests[] = {
    { "pipe_skip_consumes_without_copying", pipe_skip_consumes_without_copying },
    { "pipe_skip_exact_again_truncated_error", pipe_skip_exact_again_truncated_error },
    { "pipe_peek_exact_consumes_nothing", pipe_peek_exact_consumes_nothing },
    { "pipe_until_view_in_chunk_is_zero_copy", pipe_until_view_in_chunk_is_zero_copy },
    { "pipe_until_view_spanning_chunks_is_copied_once", pipe_until_view_spanning_chunks_is_copied_once },
    { "pipe_until_view_record_in_chunk_delimiter_across", pipe_until_view_record_in_chunk_delimiter_across },
    { "pipe_view_stays_valid_while_writer_goes_on", pipe_view_stays_valid_while_writer_goes_on },
    { "pipe_views_at_the_end", pipe_views_at_the_end },
    { "pipe_exact_view_again_and_truncated", pipe_exact_view_again_and_truncated },
    { "pipe_view_bad_arguments", pipe_view_bad_arguments },
    { "pipe_view_resumes_paused_writer", pipe_view_resumes_paused_writer },
    { "pipe_views_match_copying_reads_on_random_input", pipe_views_match_copying_reads_on_random_input },
    { "pipe_wait_readable_answers", pipe_wait_readable_answers },
    { "pipe_get_buffer_larger_than_a_chunk_is_contiguous", pipe_get_buffer_larger_than_a_chunk_is_contiguous },
    { "pipe_get_buffer_beyond_largest_class_is_one_off", pipe_get_buffer_beyond_largest_class_is_one_off },
    { "chunk_pool_classes_keep_fewer_spares", chunk_pool_classes_keep_fewer_spares },
    { "pipe_threads_line_views_against_a_bounded_writer", pipe_threads_line_views_against_a_bounded_writer },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("pipe_views", tests)
