/*
 * test_pipe.c -- the chunked pipe and its chunk pool, single-threaded:
 * the writer protocol, every reader call, chunk boundaries at every offset,
 * the fault stream feeding the pipe, ends, errors and allocation counts.
 * (Cross-thread use is in test_pipe_threads.c.)
 */
#include "test_util.h"
#include "strata/fault.h"
#include <string.h>

#define P strata_test_pool

static strata_pipe_t *new_pipe(apr_size_t chunk, strata_chunk_pool_t **cpo)
{
    strata_chunk_pool_t *cp;
    strata_pipe_opts_t o;
    strata_pipe_t *p;

    memset(&o, 0, sizeof(o));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_chunk_pool_create(&cp, chunk, 4, P));
    o.chunks = cp;
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
    return n == strlen(expect) && memcmp(buf, expect, n) == 0;
}

/* ---- chunk pool --------------------------------------------------------- */

static void chunk_pool_reuses_returned_chunks(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(16, &cp);
    char buf[64];
    apr_size_t n;
    apr_uint64_t made;
    int i;

    strata_chunk_pool_stats(cp, &st);
    made = st.allocations;        /* what creating the pipe stocked */
    for (i = 0; i < 100; i++) {
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "0123456789abcdef0123456789", 26));
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, buf, 26, &n));
    }
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.chunk_size == 16);
    CU_ASSERT(st.allocations == made);
    CU_ASSERT(st.in_use <= 2);
    CU_ASSERT(st.frees == 0);
}

static void chunk_pool_keeps_at_most_max_spare(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(8, &cp);
    static char big[8 * 10];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, big, sizeof(big)));
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 10 && st.allocations == 10);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, big, sizeof(big), &n));
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 1);           /* the tail stays for the writer */
    CU_ASSERT(st.spare == 4 && st.frees == 5);
}

static void chunk_pool_default_is_one_pool(void)
{
    strata_chunk_pool_t *a = strata_chunk_pool_default();
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p;
    char buf[4];
    apr_size_t n;

    CU_ASSERT_FATAL(a != NULL);
    CU_ASSERT(a == strata_chunk_pool_default());
    strata_chunk_pool_stats(a, &st);
    CU_ASSERT(st.chunk_size == STRATA_CHUNK_DEFAULT_SIZE);
    CU_ASSERT(st.max_spare == STRATA_CHUNK_DEFAULT_SPARE);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, P));
    put(p, "abc");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, buf, 4, &n));
    CU_ASSERT(is(buf, n, "abc"));
    ASSERT_RV(APR_EINVAL, strata_chunk_pool_create(NULL, 0, 0, P));
}

/* ---- writer protocol ---------------------------------------------------- */

static void pipe_get_buffer_and_commit_publish(void)
{
    strata_pipe_t *p = new_pipe(8, NULL);
    char out[16];
    void *buf;
    apr_size_t cap, n;

    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 0, &buf, &cap));
    CU_ASSERT(cap >= 1 && cap <= 8);
    memcpy(buf, "hey", 3);
    CU_ASSERT(strata_pipe_length(p) == 0);        /* not yet visible */
    ASSERT_RV(APR_EAGAIN, strata_pipe_peek(p, out, 3, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 3));
    CU_ASSERT(strata_pipe_length(p) == 3);
    /* a sizehint that no longer fits the tail starts a new chunk */
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 8, &buf, &cap));
    CU_ASSERT(cap == 8);
    memcpy(buf, "12345678", 8);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 8));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, out, 11, &n));
    CU_ASSERT(is(out, n, "hey12345678"));
}

static void pipe_commit_protocol_errors(void)
{
    strata_pipe_t *p = new_pipe(8, NULL);
    void *buf;
    apr_size_t cap;
    char out[8];
    apr_size_t n;

    ASSERT_RV(STRATA_ESTATE, strata_pipe_commit(p, 1));     /* no get_buffer */
    ASSERT_RV(STRATA_ESTATE, strata_pipe_commit(p, 0));
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 4, &buf, &cap));
    ASSERT_RV(APR_EINVAL, strata_pipe_commit(p, cap + 1));  /* over cap */
    CU_ASSERT(strata_pipe_length(p) == 0);
    ASSERT_RV(STRATA_ESTATE, strata_pipe_write(p, "x", 1)); /* outstanding */
    memcpy(buf, "ab", 2);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 2));       /* still valid */
    ASSERT_RV(STRATA_ESTATE, strata_pipe_commit(p, 1));     /* used up */
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 0, &buf, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 0));       /* zero: nothing */
    CU_ASSERT(strata_pipe_length(p) == 2);
    ASSERT_RV(STRATA_ESTATE, strata_pipe_commit(p, 0));
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 9, &buf, &cap));
    CU_ASSERT(buf != NULL && cap >= 9);           /* a larger size class */
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 0));
    ASSERT_RV(APR_ENOMEM, strata_pipe_get_buffer(p, APR_SIZE_MAX, &buf,
                                                 &cap));
    CU_ASSERT(buf == NULL && cap == 0);
    ASSERT_RV(APR_EINVAL, strata_pipe_get_buffer(p, 1, NULL, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "", 0));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 8, &n));
    CU_ASSERT(is(out, n, "ab"));
}

static void pipe_write_spans_many_chunks(void)
{
    static char src[1000], dst[1000];
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(7, &cp);
    apr_size_t n;

    strata_test_fill(src, sizeof(src), 5);
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, src, 3));
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, src + 3, sizeof(src) - 3));
    CU_ASSERT(strata_pipe_length(p) == sizeof(src));
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == (sizeof(src) + 6) / 7);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, dst, sizeof(dst), &n));
    CU_ASSERT(n == sizeof(src) && memcmp(src, dst, n) == 0);
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_bytes(p, dst, 1, &n));
}

typedef struct seen_t {
    int calls;
    apr_size_t bytes;
    int closes;
} seen_t;

static void on_data(void *baton, strata_pipe_t *p, apr_size_t n)
{
    seen_t *s = baton;

    if (n == 0)
        s->closes++;
    s->calls++;
    s->bytes += n;
    CU_ASSERT(n == 0 || strata_pipe_length(p) >= n);
}

static void pipe_on_data_called_after_each_commit(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    seen_t s = { 0, 0, 0 };
    void *buf;
    apr_size_t cap;

    strata_pipe_on_data(p, on_data, &s);
    put(p, "hello world");                       /* one call for 3 chunks */
    CU_ASSERT(s.calls == 1 && s.bytes == 11);
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 2, &buf, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 0));
    CU_ASSERT(s.calls == 1);                     /* zero commit: no call */
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 2, &buf, &cap));
    memcpy(buf, "!!", 2);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, 2));
    CU_ASSERT(s.calls == 2 && s.bytes == 13);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    CU_ASSERT(s.calls == 3 && s.closes == 1);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_EGENERAL));
    CU_ASSERT(s.closes == 1);
}

/* An event loop: the callback reads complete lines in place. */
typedef struct lines_seen_t {
    int lines, ends;
    char last[32];
} lines_seen_t;

static void read_lines_cb(void *baton, strata_pipe_t *p, apr_size_t n)
{
    lines_seen_t *ls = baton;
    apr_size_t got;
    apr_status_t rv;

    while ((rv = strata_pipe_read_line(p, ls->last, sizeof(ls->last), &got))
           == APR_SUCCESS)
        ls->lines++;
    if (n == 0) {
        ASSERT_RV(APR_EOF, rv);
        ls->ends++;
    } else {
        ASSERT_RV(APR_EAGAIN, rv);
    }
}

static void pipe_on_data_callback_can_read_in_place(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    lines_seen_t ls;

    memset(&ls, 0, sizeof(ls));
    strata_pipe_on_data(p, read_lines_cb, &ls);
    put(p, "one\ntw");
    CU_ASSERT(ls.lines == 1);
    put(p, "o\nthree\nfo");
    CU_ASSERT(ls.lines == 3);
    put(p, "ur");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    CU_ASSERT(ls.lines == 4 && ls.ends == 1);
    CU_ASSERT(memcmp(ls.last, "four", 4) == 0);
    strata_pipe_on_data(p, NULL, NULL);
}

static void pipe_writer_calls_after_close_are_eclosed(void)
{
    strata_pipe_t *p = new_pipe(8, NULL);
    void *buf;
    apr_size_t cap, n;
    char out[4];

    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 1, &buf, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_commit(p, 1));    /* dropped */
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_write(p, "x", 1));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_get_buffer(p, 1, &buf, &cap));
    ASSERT_RV(APR_EOF, strata_pipe_read_atmost(p, out, 4, &n));
}

/* ---- reader calls ------------------------------------------------------- */

static void pipe_read_atmost_again_data_eof(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    char out[16];
    apr_size_t n = 99;

    ASSERT_RV(APR_EAGAIN, strata_pipe_read_atmost(p, out, 16, &n));
    CU_ASSERT(n == 0);
    put(p, "abcdefghij");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 3, &n));
    CU_ASSERT(is(out, n, "abc"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 0, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 16, &n));
    CU_ASSERT(is(out, n, "defghij"));
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_atmost(p, out, 16, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_EOF));
    ASSERT_RV(APR_EOF, strata_pipe_read_atmost(p, out, 16, &n));
    ASSERT_RV(APR_EOF, strata_pipe_read_atmost(p, out, 16, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_atmost(p, NULL, 16, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_atmost(p, out, 16, NULL));
}

static void pipe_read_bytes_exact_or_truncated(void)
{
    strata_pipe_t *p = new_pipe(3, NULL);
    char out[16];
    apr_size_t n;

    put(p, "12345");
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_bytes(p, out, 6, &n));
    CU_ASSERT(n == 0 && strata_pipe_length(p) == 5);
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, out, 0, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, out, 4, &n));
    CU_ASSERT(is(out, n, "1234"));
    put(p, "67");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_bytes(p, out, 6, &n));
    CU_ASSERT(is(out, n, "567"));
    ASSERT_RV(APR_EOF, strata_pipe_read_bytes(p, out, 6, &n));
    CU_ASSERT(n == 0);
}

static void pipe_read_until_keeps_or_drops_delimiter(void)
{
    strata_pipe_t *p = new_pipe(5, NULL);
    char out[32];
    apr_size_t n;

    put(p, "key: v\r\nnext\r\n");
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, "\r\n", 2, 0, out, 32, &n));
    CU_ASSERT(is(out, n, "key: v"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, "\r\n", 2,
                                                  STRATA_PIPE_KEEP_DELIM,
                                                  out, 32, &n));
    CU_ASSERT(is(out, n, "next\r\n"));
    CU_ASSERT(strata_pipe_length(p) == 0);
    put(p, "partial");
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_until(p, "\r\n", 2, 0, out, 32, &n));
    CU_ASSERT(n == 0 && strata_pipe_length(p) == 7);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_until(p, "\r\n", 2, 0, out, 32, &n));
    CU_ASSERT(is(out, n, "partial"));
    ASSERT_RV(APR_EOF, strata_pipe_read_until(p, "\r\n", 2, 0, out, 32, &n));
}

static void pipe_read_until_limit_consumes_nothing(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    char out[32];
    apr_size_t n;

    put(p, "0123456789\n");
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line(p, out, 10, &n));
    CU_ASSERT(n == 0 && strata_pipe_length(p) == 11);
    /* the delimiter must fit even when it is dropped */
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_until(p, "\n", 1, 0, out, 10, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, "\n", 1, 0, out, 11, &n));
    CU_ASSERT(is(out, n, "0123456789"));
    /* a delimiter that never comes: EAGAIN below the limit, then ELIMIT */
    put(p, "xxxxx");
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_line(p, out, 8, &n));
    put(p, "yyyyy");
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line(p, out, 8, &n));
    CU_ASSERT(strata_pipe_length(p) == 10);
}

/* A record trickling in byte by byte, with the delimiter and the limit
 * changing between the tries. */
static void pipe_trickled_record_with_changing_delimiter_and_limit(void)
{
    static const char text[] = "abc\r\ndefgh\nij";
    strata_pipe_t *p = new_pipe(3, NULL);
    char out[64];
    apr_size_t i, n;
    apr_status_t rv = APR_EAGAIN;

    for (i = 0; i < 5; i++) {                       /* "abc\r\n" */
        ASSERT_RV(APR_EAGAIN, strata_pipe_read_until(p, "\n\n", 2, 0, out,
                                                     32, &n));
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, text + i, 1));
    }
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, "\r\n", 2, 0, out, 32, &n));
    CU_ASSERT(is(out, n, "abc"));
    for (; i < 11; i++) {                           /* "defgh\n" */
        rv = strata_pipe_read_line(p, out, 32, &n);
        if (i < 9)
            ASSERT_RV(APR_EAGAIN, rv);
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, text + i, 1));
    }
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line(p, out, 4, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 6, &n));
    CU_ASSERT(is(out, n, "defgh\n"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, text + 11, 2));   /* "ij" */
    while (strata_pipe_length(p) < 32) {            /* then x, x, x, ... */
        ASSERT_RV(APR_EAGAIN, strata_pipe_read_line(p, out, 32, &n));
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "x", 1));
    }
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line(p, out, 32, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "\n", 1));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 34, &n));
    CU_ASSERT(n == 33 && memcmp(out, "ijxx", 4) == 0 && out[32] == '\n');
}

static void pipe_read_until_bad_arguments(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    char out[8];
    apr_size_t n = 7;

    put(p, "a\n");
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until(p, "\n", 0, 0, out, 8, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until(p, NULL, 1, 0, out, 8, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_until(p, "\r\n", 2, 0, out, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_line(p, out, 0, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_line(p, NULL, 8, &n));
    ASSERT_RV(APR_EINVAL, strata_pipe_read_line(NULL, out, 8, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 8, &n));
    CU_ASSERT(is(out, n, "a\n"));
}

static void pipe_readline_spans_three_chunks(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    char out[32];
    apr_size_t n;

    put(p, "ab");
    put(p, "cdefghij\nk");          /* "abcd" "efgh" "ij\nk" */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 32, &n));
    CU_ASSERT(is(out, n, "abcdefghij\n"));
    ASSERT_RV(APR_EAGAIN, strata_pipe_read_line(p, out, 32, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 32, &n));  /* last */
    CU_ASSERT(is(out, n, "k"));
    ASSERT_RV(APR_EOF, strata_pipe_read_line(p, out, 32, &n));
}

/* A delimiter (and a needle) at every offset relative to every chunk size. */
static void pipe_delimiter_across_chunk_boundaries_at_every_offset(void)
{
    char text[64], out[64];
    apr_size_t chunk, k, n, pos;
    strata_pipe_t *p;

    for (chunk = 1; chunk <= 9; chunk++) {
        for (k = 0; k <= 24; k++) {
            p = new_pipe(chunk, NULL);
            memset(text, '.', k);
            memcpy(text + k, "\r\n\r\n~\r\n\r", 8);
            ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, text, k + 8));
            ASSERT_RV(APR_SUCCESS, strata_pipe_find(p, "\r\n\r\n", 4, 0,
                                                    STRATA_PIPE_END, &pos));
            CU_ASSERT(pos == k);
            ASSERT_RV(APR_NOTFOUND, strata_pipe_find(p, "\r\n\r\n", 4, 0,
                                                     k + 3, &pos));
            ASSERT_RV(APR_NOTFOUND, strata_pipe_find(p, "\r\n\r\n", 4, k + 1,
                                                     STRATA_PIPE_END, &pos));
            ASSERT_RV(APR_SUCCESS, strata_pipe_find(p, "~\r\n", 3, k,
                                                    STRATA_PIPE_END, &pos));
            CU_ASSERT(pos == k + 4);
            ASSERT_RV(APR_SUCCESS, strata_pipe_find_byte(p, '~', 0,
                                                         STRATA_PIPE_END, &pos));
            CU_ASSERT(pos == k + 4);
            ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, "\r\n\r\n", 4,
                                                          STRATA_PIPE_KEEP_DELIM,
                                                          out, sizeof(out), &n));
            CU_ASSERT(n == k + 4 && memcmp(out, text, n) == 0);
            ASSERT_RV(APR_EAGAIN, strata_pipe_read_until(p, "\r\n\r\n", 4, 0,
                                                         out, sizeof(out), &n));
            ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
            ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_until(p, "\r\n\r\n", 4, 0,
                                                                out, sizeof(out), &n));
            CU_ASSERT(is(out, n, "~\r\n\r"));
        }
    }
}

/* Needles of every length placed at every offset, chunk size 3, and the
 * start/end window at every position around them. */
static void pipe_find_needle_window_at_every_offset(void)
{
    static const char hay[] = "the quick brown fox jumps over the lazy dog";
    strata_pipe_t *p = new_pipe(3, NULL);
    apr_size_t len = sizeof(hay) - 1, at, nl, start, end, pos, want;
    const char *hit;
    apr_status_t rv;

    put(p, hay);
    for (at = 0; at < len; at += 2) {
        for (nl = 1; nl <= 5 && at + nl <= len; nl += 2) {
            for (start = 0; start <= len; start += 5) {
                for (end = start; end <= len + 2; end += 4) {
                    rv = strata_pipe_find(p, hay + at, nl, start, end, &pos);
                    hit = NULL;
                    for (want = start; want + nl <= (end < len ? end : len); want++)
                        if (memcmp(hay + want, hay + at, nl) == 0) {
                            hit = hay + want;
                            break;
                        }
                    if (hit != NULL) {
                        ASSERT_RV(APR_SUCCESS, rv);
                        CU_ASSERT(pos == (apr_size_t)(hit - hay));
                    } else {
                        ASSERT_RV(APR_NOTFOUND, rv);
                    }
                }
            }
        }
    }
    CU_ASSERT(strata_pipe_length(p) == len);        /* find consumes nothing */
}

static void pipe_find_bad_input(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    apr_size_t pos = 9;

    ASSERT_RV(APR_NOTFOUND, strata_pipe_find_byte(p, 'a', 0, STRATA_PIPE_END, &pos));
    put(p, "abcabc");
    ASSERT_RV(APR_EINVAL, strata_pipe_find(p, "", 0, 0, STRATA_PIPE_END, &pos));
    ASSERT_RV(APR_EINVAL, strata_pipe_find(p, NULL, 1, 0, STRATA_PIPE_END, &pos));
    ASSERT_RV(APR_EINVAL, strata_pipe_find(p, "a", 1, 4, 3, &pos));
    ASSERT_RV(APR_NOTFOUND, strata_pipe_find(p, "a", 1, 6, STRATA_PIPE_END, &pos));
    ASSERT_RV(APR_NOTFOUND, strata_pipe_find(p, "abcabcd", 7, 0, STRATA_PIPE_END, &pos));
    ASSERT_RV(APR_SUCCESS, strata_pipe_find(p, "a", 1, 1, 100, &pos));
    CU_ASSERT(pos == 3);
    ASSERT_RV(APR_SUCCESS, strata_pipe_find_byte(p, 'c' + 256, 0, 6, &pos));
    CU_ASSERT(pos == 2);
    ASSERT_RV(APR_EINVAL, strata_pipe_find(p, "a", 1, 0, 6, NULL));
}

static void pipe_peek_does_not_consume(void)
{
    strata_pipe_t *p = new_pipe(2, NULL);
    char out[8];
    apr_size_t n;

    ASSERT_RV(APR_EAGAIN, strata_pipe_peek(p, out, 4, &n));
    put(p, "abcde");
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek(p, out, 0, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek(p, out, 4, &n));
    CU_ASSERT(is(out, n, "abcd"));
    ASSERT_RV(APR_SUCCESS, strata_pipe_peek(p, out, 8, &n));
    CU_ASSERT(is(out, n, "abcde"));
    CU_ASSERT(strata_pipe_length(p) == 5);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, out, 8, &n));
    ASSERT_RV(APR_EOF, strata_pipe_peek(p, out, 4, &n));
}

/* The writer's error reaches the reader only after the data, on every
 * reader call, every time. */
static void pipe_writer_error_after_data(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    strata_pipe_iovec_t v[4];
    char out[16];
    apr_size_t n, c, t, pos;

    put(p, "line\nrest");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_ECONNRESET));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_line(p, out, 16, &n));
    CU_ASSERT(is(out, n, "line\n"));
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_line(p, out, 16, &n));
    CU_ASSERT(is(out, n, "rest"));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_line(p, out, 16, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_until(p, "x", 1, 0, out, 16, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_bytes(p, out, 1, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_atmost(p, out, 1, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_peek(p, out, 1, &n));
    ASSERT_RV(APR_ECONNRESET, strata_pipe_segments(p, v, 4, &c, &t));
    ASSERT_RV(APR_NOTFOUND, strata_pipe_find(p, "x", 1, 0, STRATA_PIPE_END, &pos));
}

static void pipe_reads_after_close_reader_are_eclosed(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(4, &cp);
    strata_pipe_iovec_t v[2];
    char out[8];
    void *buf;
    apr_size_t n, c, t, pos, cap;

    put(p, "0123456789");
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    CU_ASSERT(strata_pipe_length(p) == 0);
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 1);
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_atmost(p, out, 8, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_atmost(p, out, 0, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_bytes(p, out, 1, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_line(p, out, 8, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_peek(p, out, 8, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_find_byte(p, '1', 0, 8, &pos));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_segments(p, v, 2, &c, &t));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_advance(p, 0, 0));
    /* the writer learns the reader is gone */
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_write(p, "x", 1));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_get_buffer(p, 1, &buf, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
}

static void pipe_close_reader_with_buffer_outstanding(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    void *buf;
    apr_size_t cap;

    put(p, "abcdef");
    ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 2, &buf, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    memcpy(buf, "zz", 2);                /* still valid memory */
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_commit(p, 2));
}

/* ---- zero-copy segments ------------------------------------------------- */

static void pipe_segments_and_advance_examined(void)
{
    strata_pipe_t *p = new_pipe(4, NULL);
    strata_pipe_iovec_t v[8];
    apr_size_t c, t;

    ASSERT_RV(APR_EAGAIN, strata_pipe_segments(p, v, 8, &c, &t));
    put(p, "GET / HT");
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 8, &c, &t));
    CU_ASSERT(c == 2 && t == 8);
    CU_ASSERT(v[0].len == 4 && memcmp(v[0].base, "GET ", 4) == 0);
    CU_ASSERT(v[1].len == 4 && memcmp(v[1].base, "/ HT", 4) == 0);
    /* the parser looked at everything and needs more */
    ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, 4, 8));
    CU_ASSERT(strata_pipe_length(p) == 4);
    ASSERT_RV(APR_EAGAIN, strata_pipe_segments(p, v, 8, &c, &t));
    CU_ASSERT(c == 0 && t == 0);
    put(p, "TP\r\n");
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 8, &c, &t));
    CU_ASSERT(t == 8 && memcmp(v[0].base, "/ HT", 4) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 1, &c, &t));  /* nvec */
    CU_ASSERT(c == 1 && t == 4);
    /* bad advances change nothing */
    ASSERT_RV(APR_EINVAL, strata_pipe_advance(p, 5, 4));
    ASSERT_RV(APR_EINVAL, strata_pipe_advance(p, 0, 9));
    ASSERT_RV(APR_EINVAL, strata_pipe_segments(p, v, 0, &c, &t));
    CU_ASSERT(strata_pipe_length(p) == 8);
    ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, 2, 8));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    /* the end came with an unfinished record: handed out, truncated */
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_segments(p, v, 8, &c, &t));
    CU_ASSERT(t == 6);
    ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, 6, 6));
    ASSERT_RV(APR_EOF, strata_pipe_segments(p, v, 8, &c, &t));
    ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, 0, 0));
}

/* ---- the fault stream feeding the pipe ---------------------------------- */

/* Move one read of @src into @p through get_buffer/commit (zero copy).
 * The end of @src, or an error other than EINTR/EAGAIN, closes the writer
 * (with the error).  Returns non-zero while the writer is open. */
static int pump(strata_stream_t *src, strata_pipe_t *p, apr_size_t hint)
{
    void *buf;
    apr_size_t cap, n;
    apr_status_t rv;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_get_buffer(p, hint, &buf, &cap));
    rv = strata_read(src, buf, cap, &n);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, n));
    if (rv == APR_SUCCESS || APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv))
        return 1;
    strata_pipe_close_writer(p, APR_STATUS_IS_EOF(rv) ? APR_SUCCESS : rv);
    return 0;
}

enum { R_LINE, R_UNTIL_KEEP, R_UNTIL_DROP, R_BYTES, R_ATMOST, R_FIND,
       R_FIND_BYTE, R_PEEK, R_SEGMENTS, R_KINDS };

/* One record with reader call @kind: its bytes are appended to @got (the
 * dropped delimiter put back); returns the call's status. */
static apr_status_t read_record(strata_pipe_t *p, int kind, char *got,
                                apr_size_t *glen)
{
    strata_pipe_iovec_t v[64];
    apr_size_t n = 0, c, t, i, pos;
    apr_status_t rv;

    switch (kind) {
    case R_LINE:
        rv = strata_pipe_read_line(p, got + *glen, 256, &n);
        break;
    case R_UNTIL_KEEP:
        rv = strata_pipe_read_until(p, "\r\n", 2, STRATA_PIPE_KEEP_DELIM,
                                    got + *glen, 256, &n);
        break;
    case R_UNTIL_DROP:
        rv = strata_pipe_read_until(p, "\r\n", 2, 0, got + *glen, 256, &n);
        if (rv == APR_SUCCESS) {
            memcpy(got + *glen + n, "\r\n", 2);
            n += 2;
        }
        break;
    case R_BYTES:
        rv = strata_pipe_read_bytes(p, got + *glen, 13, &n);
        break;
    case R_ATMOST:
        rv = strata_pipe_read_atmost(p, got + *glen, 9, &n);
        break;
    case R_FIND:      /* find the delimiter, then take the record exactly */
        rv = strata_pipe_find(p, "\r\n", 2, 0, STRATA_PIPE_END, &pos);
        if (rv == APR_SUCCESS)
            rv = strata_pipe_read_bytes(p, got + *glen, pos + 2, &n);
        else      /* no record yet: EAGAIN, or the rest after the end */
            rv = strata_pipe_read_bytes(p, got + *glen,
                                        strata_pipe_length(p) + 1, &n);
        break;
    case R_FIND_BYTE: /* find_byte '\n', then take through it exactly */
        rv = strata_pipe_find_byte(p, '\n', 0, STRATA_PIPE_END, &pos);
        if (rv == APR_SUCCESS)
            rv = strata_pipe_read_bytes(p, got + *glen, pos + 1, &n);
        else
            rv = strata_pipe_read_bytes(p, got + *glen,
                                        strata_pipe_length(p) + 1, &n);
        break;
    case R_PEEK:      /* peek up to 11 bytes, then consume what was seen */
        rv = strata_pipe_peek(p, got + *glen, 11, &n);
        if (rv == APR_SUCCESS) {
            char again[11];
            ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, again, n, &c));
            CU_ASSERT(c == n && memcmp(again, got + *glen, n) == 0);
        }
        break;
    default:          /* segments: consume whole "\r\n" records in place */
        rv = strata_pipe_segments(p, v, 64, &c, &t);
        if (rv != APR_SUCCESS && rv != STRATA_ETRUNCATED)
            break;
        for (i = 0; i < c; i++) {
            memcpy(got + *glen + n, v[i].base, v[i].len);
            n += v[i].len;
        }
        for (pos = 0, i = 0; i + 1 < n; i++)
            if (got[*glen + i] == '\r' && got[*glen + i + 1] == '\n')
                pos = i + 2;
        if (rv == STRATA_ETRUNCATED || (c == 64 && pos == 0))
            pos = n;             /* take the rest / avoid stalling on nvec */
        ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, pos, n));
        n = pos;
        break;
    }
    *glen += n;
    return rv;
}

static void run_fed_by_fault(int kind, const strata_fault_opts_t *fo,
                             apr_size_t chunk, const char *src,
                             apr_size_t len, apr_status_t end_rv)
{
    static char got[8192];
    strata_stream_t *mem, *f;
    strata_pipe_t *p = new_pipe(chunk, NULL);
    apr_size_t glen = 0;
    apr_status_t rv;
    int open = 1, spins = 0;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&mem, src, len, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, mem, fo, 0, P));
    for (;;) {
        rv = read_record(p, kind, got, &glen);
        CU_ASSERT_FATAL(glen <= len);
        if (rv == APR_SUCCESS || rv == STRATA_ETRUNCATED)
            continue;
        if (rv == APR_EAGAIN) {
            CU_ASSERT_FATAL(open);
            CU_ASSERT_FATAL(++spins < 100000);
            open = pump(f, p, 1 + (spins % chunk));
            continue;
        }
        break;
    }
    ASSERT_RV(end_rv, rv);
    CU_ASSERT(memcmp(got, src, glen) == 0);
    if (end_rv == APR_EOF)
        CU_ASSERT(glen == len);
}

static apr_size_t make_text(char *buf, apr_size_t cap)
{
    apr_size_t len = 0, i, k;

    for (i = 0; len + 40 < cap; i++) {
        for (k = 0; k < (i * 7) % 29; k++)
            buf[len++] = (char)('A' + (i + k) % 26);
        buf[len++] = i % 4 ? '\r' : '\n';
        buf[len++] = '\n';
    }
    memcpy(buf + len, "no end", 6);
    return len + 6;
}

static void pipe_every_reader_call_fed_by_fault_stream(void)
{
    static char text[1500];
    apr_size_t len = make_text(text, sizeof(text)), chunks[] = { 1, 3, 7, 64 };
    strata_fault_opts_t fo;
    int kind, mode, c;

    for (kind = 0; kind < R_KINDS; kind++) {
        for (mode = 0; mode < 4; mode++) {
            for (c = 0; c < 4; c++) {
                memset(&fo, 0, sizeof(fo));
                fo.one_byte = mode < 3;
                fo.eintr_every = mode == 1 ? 2 : 0;
                fo.eagain_every = mode == 2 ? 3 : 0;
                run_fed_by_fault(kind, &fo, chunks[c], text, len, APR_EOF);
            }
        }
    }
}

static void pipe_every_reader_call_sees_source_error_at_call_n(void)
{
    static char text[600];
    apr_size_t len = make_text(text, sizeof(text));
    strata_fault_opts_t fo;
    apr_uint64_t at;
    int kind;

    for (kind = 0; kind < R_KINDS; kind++) {
        for (at = 1; at < 90; at += 4) {
            memset(&fo, 0, sizeof(fo));
            fo.one_byte = at % 2;
            fo.fail_read_at = at;
            fo.fail_status = APR_ECONNRESET;
            run_fed_by_fault(kind, &fo, 5, text, len,
                             at % 2 || at * 5 < len ? APR_ECONNRESET : APR_EOF);
        }
    }
}

/* ---- random operations against a model ------------------------------------ */

static apr_uint32_t rnd_next(apr_uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* The model is the unread bytes model[mpos, mlen). */
static long model_find(const char *m, apr_size_t len, const char *needle,
                       apr_size_t nl, apr_size_t start, apr_size_t end)
{
    apr_size_t i;

    if (end > len)
        end = len;
    for (i = start; i + nl <= end; i++)
        if (memcmp(m + i, needle, nl) == 0)
            return (long)i;
    return -1;
}

static void random_ops_round(apr_uint32_t seed, apr_size_t chunk)
{
    static char model[1 << 16], buf[512], out[512];
    static const char *needles[] = { "\n", "ab", "b\na", "aab" };
    strata_pipe_iovec_t v[32];
    strata_pipe_t *p = new_pipe(chunk, NULL);
    apr_size_t mpos = 0, mlen = 0, n, k, c, t, pos, i;
    apr_uint32_t x = seed;
    const char *nd;
    long want;
    void *wb;
    int op;

    for (i = 0; i < 3000; i++) {
        op = (int)(rnd_next(&x) % 9);
        k = rnd_next(&x) % 40;
        switch (op) {
        case 0:                                   /* write */
        case 1:
            if (mlen + k > sizeof(model))
                break;
            for (n = 0; n < k; n++)
                buf[n] = "aab\n"[rnd_next(&x) % 4];
            ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, buf, k));
            memcpy(model + mlen, buf, k);
            mlen += k;
            break;
        case 2:                                   /* get_buffer + commit */
            ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_get_buffer(p, k % (chunk + 1),
                                                                &wb, &c));
            k = c < k ? c : k;
            if (mlen + k > sizeof(model))
                k = 0;
            for (n = 0; n < k; n++)
                ((char *)wb)[n] = "ab\n"[rnd_next(&x) % 3];
            memcpy(model + mlen, wb, k);
            mlen += k;
            ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, k));
            break;
        case 3:                                   /* read_atmost */
            ASSERT_RV(k ? (mlen > mpos ? APR_SUCCESS : APR_EAGAIN) : APR_SUCCESS,
                      strata_pipe_read_atmost(p, out, k, &n));
            CU_ASSERT_FATAL(n == (k < mlen - mpos ? k : mlen - mpos));
            CU_ASSERT_FATAL(memcmp(out, model + mpos, n) == 0);
            mpos += n;
            break;
        case 4:                                   /* read_bytes */
            ASSERT_RV(k <= mlen - mpos ? APR_SUCCESS : APR_EAGAIN,
                      strata_pipe_read_bytes(p, out, k, &n));
            if (k <= mlen - mpos) {
                CU_ASSERT_FATAL(n == k && memcmp(out, model + mpos, k) == 0);
                mpos += k;
            }
            break;
        case 5:                                   /* read_until */
            nd = needles[rnd_next(&x) % 4];
            k += strlen(nd);
            want = model_find(model + mpos, mlen - mpos, nd, strlen(nd), 0, k);
            n = 0;
            if (want >= 0) {
                ASSERT_RV(APR_SUCCESS, strata_pipe_read_until(p, nd, strlen(nd),
                          STRATA_PIPE_KEEP_DELIM, out, k, &n));
                CU_ASSERT_FATAL(n == (apr_size_t)want + strlen(nd));
                CU_ASSERT_FATAL(memcmp(out, model + mpos, n) == 0);
                mpos += n;
            } else {
                ASSERT_RV(mlen - mpos >= k ? STRATA_ELIMIT_RECORD : APR_EAGAIN,
                          strata_pipe_read_until(p, nd, strlen(nd), 0, out, k,
                                                 &n));
            }
            break;
        case 6:                                   /* find in a window */
            nd = needles[rnd_next(&x) % 4];
            c = rnd_next(&x) % 50;
            t = c + rnd_next(&x) % 80;
            want = model_find(model + mpos, mlen - mpos, nd, strlen(nd), c, t);
            ASSERT_RV(want >= 0 ? APR_SUCCESS : APR_NOTFOUND,
                      strata_pipe_find(p, nd, strlen(nd), c, t, &pos));
            CU_ASSERT_FATAL(want < 0 || pos == (apr_size_t)want);
            break;
        case 7:                                   /* peek */
            ASSERT_RV(k == 0 || mlen > mpos ? APR_SUCCESS : APR_EAGAIN,
                      strata_pipe_peek(p, out, k, &n));
            CU_ASSERT_FATAL(n == (k < mlen - mpos ? k : mlen - mpos));
            CU_ASSERT_FATAL(memcmp(out, model + mpos, n) == 0);
            break;
        default:                                  /* segments + advance */
            if (strata_pipe_segments(p, v, 32, &c, &t) != APR_SUCCESS)
                break;
            for (n = 0, pos = 0; n < c; pos += v[n].len, n++)
                CU_ASSERT_FATAL(memcmp(v[n].base, model + mpos + pos,
                                       v[n].len) == 0);
            CU_ASSERT_FATAL(pos == t && t <= mlen - mpos);
            k = t ? rnd_next(&x) % (t + 1) : 0;
            ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, k, t));
            mpos += k;
            break;
        }
        CU_ASSERT_FATAL(strata_pipe_length(p) == mlen - mpos);
    }
}

static void pipe_random_operations_match_a_model(void)
{
    apr_size_t chunks[] = { 1, 2, 5, 16, 100 };
    unsigned seed;

    for (seed = 1; seed <= 20; seed++)
        random_ops_round(seed * 7919u, chunks[seed % 5]);
}

/* ---- allocation and lifetime -------------------------------------------- */

static void pipe_steady_state_allocates_nothing(void)
{
    static char block[5000];
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(1024, &cp);
    apr_uint64_t warm;
    apr_size_t n;
    int i;

    for (i = 0; i < 3; i++) {
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, block, sizeof(block)));
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, sizeof(block), &n));
    }
    strata_chunk_pool_stats(cp, &st);
    warm = st.allocations;
    for (i = 0; i < 1000; i++) {
        ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, block, sizeof(block)));
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, 2000, &n));
        ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, 3000, &n));
    }
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.allocations == warm);
}

static void pipe_pool_destroy_returns_chunks(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p;
    apr_pool_t *sub;
    void *buf;
    apr_size_t cap;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_chunk_pool_create(&cp, 8, 100, P));
    apr_pool_create(&sub, P);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, sub));
    apr_pool_destroy(sub);
    {
        strata_pipe_opts_t o;
        memset(&o, 0, sizeof(o));
        o.chunks = cp;
        apr_pool_create(&sub, P);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &o, sub));
        put(p, "0123456789012345678901234567890123456789");
        ASSERT_RV(APR_SUCCESS, strata_pipe_get_buffer(p, 8, &buf, &cap));
        strata_chunk_pool_stats(cp, &st);
        CU_ASSERT(st.in_use == 6);
        apr_pool_destroy(sub);
    }
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.in_use == 0 && st.spare >= 6);
    CU_ASSERT(st.spare == st.allocations);    /* every chunk came back */
}

static void pipe_create_bad_options(void)
{
    strata_pipe_opts_t o;
    strata_pipe_t *p;

    memset(&o, 0, sizeof(o));
    o.pause_threshold = 10;
    o.resume_threshold = 11;
    ASSERT_RV(APR_EINVAL, strata_pipe_create(&p, &o, P));
    ASSERT_RV(APR_EINVAL, strata_pipe_create(NULL, NULL, P));
    ASSERT_RV(APR_EINVAL, strata_pipe_create(&p, NULL, NULL));
    CU_ASSERT(strata_pipe_length(NULL) == 0);
}

static CU_TestInfo tests[] = {
    { "chunk_pool_reuses_returned_chunks", chunk_pool_reuses_returned_chunks },
    { "chunk_pool_keeps_at_most_max_spare", chunk_pool_keeps_at_most_max_spare },
    { "chunk_pool_default_is_one_pool", chunk_pool_default_is_one_pool },
    { "pipe_get_buffer_and_commit_publish", pipe_get_buffer_and_commit_publish },
    { "pipe_commit_protocol_errors", pipe_commit_protocol_errors },
    { "pipe_write_spans_many_chunks", pipe_write_spans_many_chunks },
    { "pipe_on_data_called_after_each_commit", pipe_on_data_called_after_each_commit },
    { "pipe_on_data_callback_can_read_in_place", pipe_on_data_callback_can_read_in_place },
    { "pipe_writer_calls_after_close_are_eclosed", pipe_writer_calls_after_close_are_eclosed },
    { "pipe_read_atmost_again_data_eof", pipe_read_atmost_again_data_eof },
    { "pipe_read_bytes_exact_or_truncated", pipe_read_bytes_exact_or_truncated },
    { "pipe_read_until_keeps_or_drops_delimiter", pipe_read_until_keeps_or_drops_delimiter },
    { "pipe_read_until_limit_consumes_nothing", pipe_read_until_limit_consumes_nothing },
    { "pipe_trickled_record_with_changing_delimiter_and_limit", pipe_trickled_record_with_changing_delimiter_and_limit },
    { "pipe_read_until_bad_arguments", pipe_read_until_bad_arguments },
    { "pipe_readline_spans_three_chunks", pipe_readline_spans_three_chunks },
    { "pipe_delimiter_across_chunk_boundaries_at_every_offset", pipe_delimiter_across_chunk_boundaries_at_every_offset },
    { "pipe_find_needle_window_at_every_offset", pipe_find_needle_window_at_every_offset },
    { "pipe_find_bad_input", pipe_find_bad_input },
    { "pipe_peek_does_not_consume", pipe_peek_does_not_consume },
    { "pipe_writer_error_after_data", pipe_writer_error_after_data },
    { "pipe_reads_after_close_reader_are_eclosed", pipe_reads_after_close_reader_are_eclosed },
    { "pipe_close_reader_with_buffer_outstanding", pipe_close_reader_with_buffer_outstanding },
    { "pipe_segments_and_advance_examined", pipe_segments_and_advance_examined },
    { "pipe_every_reader_call_fed_by_fault_stream", pipe_every_reader_call_fed_by_fault_stream },
    { "pipe_every_reader_call_sees_source_error_at_call_n", pipe_every_reader_call_sees_source_error_at_call_n },
    { "pipe_random_operations_match_a_model", pipe_random_operations_match_a_model },
    { "pipe_steady_state_allocates_nothing", pipe_steady_state_allocates_nothing },
    { "pipe_pool_destroy_returns_chunks", pipe_pool_destroy_returns_chunks },
    { "pipe_create_bad_options", pipe_create_bad_options },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("pipe", tests)
