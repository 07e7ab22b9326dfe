/*
 * test_async.c -- async streams and async open: order under concurrency,
 * whole lines for concurrent readers, the open modes, compressed round
 * trips for every codec, errors through the future, cancelling 10,000
 * queued operations, executor destroy with operations in flight, meters.
 * File tests run twice: through io_uring where the build and the kernel
 * allow it ("_uring"), and on the thread pool ("_pool").
 */
#include "test_util.h"
#include "strata_os_uring.h"
#include "strata_executor_private.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_strings.h>
#include <apr_env.h>
#include <apr_thread_proc.h>
#include <apr_atomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAIT_US apr_time_from_sec(60)

static int pool_path;          /* the _pool variant of a test is running */
static int uring_works = -1;   /* the kernel gives us a ring */

static unsigned path_flags(void)
{
    return pool_path ? STRATA_ASYNC_NO_URING : 0;
}

static int expect_uring(void)
{
    if (uring_works < 0) {
        strata__uring_t *r;
        uring_works = strata__uring_create(&r) == APR_SUCCESS;
        if (uring_works)
            strata__uring_destroy(r);
        else
            fprintf(stderr, "(io_uring not available: both variants use the pool)\n");
    }
    return !pool_path && uring_works && getenv("STRATA_NO_URING") == NULL;
}

/* Wait for @f, check its status, release it. */
static apr_status_t done(strata_future_t *f)
{
    apr_status_t rv;

    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(strata_future_wait(f, WAIT_US) == APR_SUCCESS);
    rv = strata_future_status(f);
    strata_future_release(f);
    return rv;
}

static strata_executor_t *new_ex(apr_size_t n)
{
    strata_executor_t *ex = NULL;

    CU_ASSERT_FATAL(strata_executor_create(&ex, n, strata_test_pool) == APR_SUCCESS);
    return ex;
}

/* OS errors differ by platform (Windows has its own codes for these). */
static void check_status(apr_status_t expect, apr_status_t got)
{
    if (expect == APR_EEXIST) {
        CU_ASSERT(APR_STATUS_IS_EEXIST(got));
    } else if (expect == APR_ENOENT) {
        CU_ASSERT(APR_STATUS_IS_ENOENT(got));
    } else {
        ASSERT_RV(expect, got);
    }
}

static strata_async_t *open_path(strata_executor_t *ex, const char *path,
                                 const char *mode, strata_codec_t codec,
                                 apr_status_t expect)
{
    strata_async_open_opts_t o;
    strata_async_t *a = NULL;
    strata_future_t *f;

    strata_async_open_opts_init(&o);
    o.codec = codec;
    o.flags = path_flags();
    CU_ASSERT_FATAL(strata_async_open(&a, path, mode, &o, ex, strata_test_pool, &f)
                    == APR_SUCCESS);
    check_status(expect, done(f));
    return a;
}

static apr_status_t a_write(strata_async_t *a, const void *buf, apr_size_t len)
{
    strata_future_t *f;
    apr_size_t n;
    apr_status_t rv;

    CU_ASSERT_FATAL(strata_async_write(a, buf, len, &n, &f) == APR_SUCCESS);
    rv = done(f);
    if (rv == APR_SUCCESS)
        CU_ASSERT_EQUAL(n, len);
    return rv;
}

/* Read to EOF in @chunk pieces into pool memory. */
static apr_status_t a_read_all(strata_async_t *a, apr_size_t chunk,
                               char **data, apr_size_t *len)
{
    apr_size_t cap = 1 << 16, n;
    strata_future_t *f;
    apr_status_t rv;
    char *buf = malloc(cap);

    *len = 0;
    for (;;) {
        if (*len + chunk > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        CU_ASSERT_FATAL(strata_async_read(a, buf + *len, chunk, &n, &f) == APR_SUCCESS);
        rv = done(f);
        if (rv != APR_SUCCESS)
            break;
        *len += n;
    }
    *data = apr_pmemdup(strata_test_pool, buf, *len + 1);
    free(buf);
    return rv == APR_EOF ? APR_SUCCESS : rv;
}

static apr_status_t a_close(strata_async_t *a)
{
    strata_future_t *f;

    CU_ASSERT_FATAL(strata_async_close(a, &f) == APR_SUCCESS);
    return done(f);
}

/* ---- basic calls and errors ------------------------------------------------- */

static void async_memory_calls_in_order(void)
{
    strata_executor_t *ex = new_ex(2);
    strata_stream_t *m;
    strata_async_t *a;
    strata_future_t *f[8];
    apr_size_t nw, nr, nr2 = 99;
    apr_off_t pos, tpos;
    char buf[16], buf2[16];
    strata_counts_t c;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, STRATA_OWN_INNER,
                                                     strata_test_pool));
    CU_ASSERT_PTR_EQUAL(strata_async_stream(a), m);
    /* queued back to back, no waiting in between */
    ASSERT_RV(APR_SUCCESS, strata_async_write(a, "hello world", 11, &nw, &f[0]));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 6, APR_SET, &pos, &f[1]));
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, sizeof(buf), &nr, &f[2]));
    ASSERT_RV(APR_SUCCESS, strata_async_tell(a, &tpos, &f[3]));
    ASSERT_RV(APR_SUCCESS, strata_async_flush(a, STRATA_FLUSH_BUFFERS, &f[4]));
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf2, sizeof(buf2), &nr2, &f[5]));
    ASSERT_RV(APR_SUCCESS, done(f[0]));
    CU_ASSERT_EQUAL(nw, 11);
    ASSERT_RV(APR_SUCCESS, done(f[1]));
    CU_ASSERT_EQUAL(pos, 6);
    ASSERT_RV(APR_SUCCESS, done(f[2]));
    ASSERT_RV(APR_SUCCESS, done(f[3]));
    CU_ASSERT_EQUAL(tpos, 11);
    ASSERT_RV(APR_SUCCESS, done(f[4]));
    ASSERT_RV(APR_EOF, done(f[5]));
    CU_ASSERT_EQUAL(nr2, 0);
    strata_stream_counts(m, &c);
    CU_ASSERT_EQUAL(c.write_bytes, 11);
    CU_ASSERT_EQUAL(c.read_bytes, 5);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    CU_ASSERT(strata_stream_is_closed(m));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void async_closed_stream_fails_eclosed(void)
{
    strata_executor_t *ex = new_ex(1);
    strata_stream_t *m;
    strata_async_t *a;
    strata_future_t *f;
    apr_size_t n;
    apr_off_t pos;
    char buf[4], line[8];

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    CU_ASSERT(!strata_stream_is_closed(m));     /* not owned: only flushed */
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, 4, &n, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, strata_async_write(a, "x", 1, NULL, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, strata_async_read_line(a, line, 8, &n, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 0, APR_SET, NULL, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, strata_async_tell(a, &pos, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, strata_async_flush(a, 0, &f));
    ASSERT_RV(STRATA_ECLOSED, done(f));
    ASSERT_RV(APR_SUCCESS, a_close(a));         /* second close: harmless */
    ASSERT_RV(APR_SUCCESS, strata_async_close(a, NULL));
    /* bad arguments queue nothing */
    ASSERT_RV(APR_EINVAL, strata_async_read(a, NULL, 4, &n, &f));
    ASSERT_RV(APR_EINVAL, strata_async_read(a, buf, 4, NULL, &f));
    ASSERT_RV(APR_EINVAL, strata_async_read_line(a, line, 0, &n, &f));
    ASSERT_RV(APR_EINVAL, strata_async_seek(a, 0, 42, NULL, &f));
    ASSERT_RV(APR_EINVAL, strata_async_create(&a, NULL, ex, 0, strata_test_pool));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* Several threads queue tagged records on one stream; each record lands
 * whole, and each thread's records in its own order. */
#define WRITERS 4
#define RECORDS 200

typedef struct writer_t {
    strata_async_t *a;
    int id;
    char recs[RECORDS][16];
    strata_future_t *f[RECORDS];
} writer_t;

static void *APR_THREAD_FUNC writer_main(apr_thread_t *t, void *arg)
{
    writer_t *w = arg;
    int i;

    for (i = 0; i < RECORDS; i++) {
        snprintf(w->recs[i], sizeof(w->recs[i]), "w%d:%04d\n", w->id, i);
        strata_async_write(w->a, w->recs[i], strlen(w->recs[i]), NULL, &w->f[i]);
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void async_concurrent_writers_keep_order(void)
{
    strata_executor_t *ex = new_ex(2);
    strata_stream_t *m;
    strata_async_t *a;
    apr_thread_t *th[WRITERS];
    static writer_t w[WRITERS];
    int i, j, next[WRITERS] = { 0 }, bad = 0;
    apr_status_t trv;
    const void *p;
    apr_size_t len;
    char *text, *line, *save;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, 0, strata_test_pool));
    for (i = 0; i < WRITERS; i++) {
        w[i].a = a;
        w[i].id = i;
        apr_thread_create(&th[i], NULL, writer_main, &w[i], strata_test_pool);
    }
    for (i = 0; i < WRITERS; i++)
        apr_thread_join(&trv, th[i]);
    for (i = 0; i < WRITERS; i++)
        for (j = 0; j < RECORDS; j++)
            bad += done(w[i].f[j]) != APR_SUCCESS;
    CU_ASSERT_EQUAL(bad, 0);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    strata_memory_contents(m, &p, &len);
    CU_ASSERT_EQUAL(len, WRITERS * RECORDS * 8);
    text = apr_pstrmemdup(strata_test_pool, p, len);
    for (line = apr_strtok(text, "\n", &save); line != NULL;
         line = apr_strtok(NULL, "\n", &save)) {
        int id, seq;
        if (sscanf(line, "w%d:%d", &id, &seq) != 2 || id < 0 || id >= WRITERS
            || seq != next[id]) {
            bad++;
            continue;
        }
        next[id]++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    for (i = 0; i < WRITERS; i++)
        CU_ASSERT_EQUAL(next[i], RECORDS);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* ---- concurrent line readers -------------------------------------------------- */

#define READERS 4
#define LINES 2000

typedef struct reader_t {
    strata_async_t *a;
    int *seen;                 /* shared, indexed by line number */
    apr_thread_mutex_t *mu;
    int bad, got;
} reader_t;

static void *APR_THREAD_FUNC reader_main(apr_thread_t *t, void *arg)
{
    reader_t *r = arg;
    char line[64], expect[64];
    apr_size_t n;
    strata_future_t *f;
    apr_status_t rv;
    int no;

    for (;;) {
        if (strata_async_read_line(r->a, line, sizeof(line) - 1, &n, &f) != APR_SUCCESS)
            break;
        strata_future_wait(f, WAIT_US);
        rv = strata_future_status(f);
        strata_future_release(f);
        if (rv != APR_SUCCESS)
            break;
        line[n] = '\0';
        if (sscanf(line, "line %d", &no) != 1 || no < 0 || no >= LINES) {
            r->bad++;
            continue;
        }
        snprintf(expect, sizeof(expect), "line %d %.*s\n", no, no % 23,
                 "abcdefghijklmnopqrstuvwxyz");
        if (strcmp(line, expect) != 0)
            r->bad++;
        apr_thread_mutex_lock(r->mu);
        r->seen[no]++;
        apr_thread_mutex_unlock(r->mu);
        r->got++;
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static void async_concurrent_line_readers(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("lines", strata_test_pool);
    strata_async_t *a;
    apr_thread_t *th[READERS];
    reader_t r[READERS];
    apr_thread_mutex_t *mu;
    char *text = apr_palloc(strata_test_pool, LINES * 64);
    int *seen = apr_pcalloc(strata_test_pool, LINES * sizeof(int));
    apr_size_t len = 0;
    apr_status_t trv;
    int i, total = 0, bad = 0, once = 0;

    for (i = 0; i < LINES; i++)
        len += sprintf(text + len, "line %d %.*s\n", i, i % 23,
                       "abcdefghijklmnopqrstuvwxyz");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_write_file(path, text, len, strata_test_pool));
    a = open_path(ex, path, "r", STRATA_CODEC_NONE, APR_SUCCESS);
    apr_thread_mutex_create(&mu, APR_THREAD_MUTEX_DEFAULT, strata_test_pool);
    for (i = 0; i < READERS; i++) {
        memset(&r[i], 0, sizeof(r[i]));
        r[i].a = a;
        r[i].seen = seen;
        r[i].mu = mu;
        apr_thread_create(&th[i], NULL, reader_main, &r[i], strata_test_pool);
    }
    for (i = 0; i < READERS; i++) {
        apr_thread_join(&trv, th[i]);
        total += r[i].got;
        bad += r[i].bad;
    }
    for (i = 0; i < LINES; i++)
        once += seen[i] == 1;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(total, LINES);
    CU_ASSERT_EQUAL(once, LINES);
    {
        strata_counts_t k;
        strata_stream_counts(strata_async_stream(a), &k);
        CU_ASSERT_EQUAL(k.read_bytes, len);    /* the file's own meter */
    }
    ASSERT_RV(APR_SUCCESS, a_close(a));
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void async_read_line_limit_and_last_line(void)
{
    strata_executor_t *ex = new_ex(1);
    strata_stream_t *m;
    strata_async_t *a;
    strata_future_t *f;
    char line[8];
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&m, "0123456789\nab", 13,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_async_read_line(a, line, sizeof(line), &n, &f));
    ASSERT_RV(STRATA_ELIMIT_RECORD, done(f));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, line, 8, &n, &f));   /* via buffer */
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT(n == 8 && memcmp(line, "01234567", 8) == 0);
    ASSERT_RV(APR_SUCCESS, strata_async_read_line(a, line, sizeof(line), &n, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT(n == 3 && memcmp(line, "89\n", 3) == 0);
    ASSERT_RV(APR_SUCCESS, strata_async_read_line(a, line, sizeof(line), &n, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT(n == 2 && memcmp(line, "ab", 2) == 0);
    ASSERT_RV(APR_SUCCESS, strata_async_read_line(a, line, sizeof(line), &n, &f));
    ASSERT_RV(APR_EOF, done(f));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* ---- files: modes, paths, codecs ---------------------------------------------- */

static void async_file_round_trip(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("rt", strata_test_pool);
    static char data[300000];
    strata_async_t *a;
    strata_future_t *f;
    strata_counts_t c;
    char *back;
    apr_size_t len, n;
    apr_off_t pos;
    char buf[10];

    strata_test_fill(data, sizeof(data), 7);
    a = open_path(ex, path, "w+", STRATA_CODEC_NONE, APR_SUCCESS);
    CU_ASSERT_EQUAL(strata_async_uses_uring(a), expect_uring());
    ASSERT_RV(APR_SUCCESS, a_write(a, data, sizeof(data)));
    ASSERT_RV(APR_SUCCESS, strata_async_tell(a, &pos, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT_EQUAL(pos, sizeof(data));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, -10, APR_END, &pos, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT_EQUAL(pos, sizeof(data) - 10);
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, 10, &n, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT(n == 10 && memcmp(buf, data + sizeof(data) - 10, 10) == 0);
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 0, APR_SET, NULL, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    ASSERT_RV(APR_SUCCESS, a_read_all(a, 4096, &back, &len));
    CU_ASSERT(len == sizeof(data) && memcmp(back, data, len) == 0);
    ASSERT_RV(APR_SUCCESS, strata_async_flush(a, STRATA_FLUSH_DURABLE, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    strata_stream_counts(strata_async_stream(a), &c);
    CU_ASSERT_EQUAL(c.write_bytes, sizeof(data));
    CU_ASSERT_EQUAL(c.read_bytes, sizeof(data) + 10);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(path, &back, &len, strata_test_pool));
    CU_ASSERT(len == sizeof(data) && memcmp(back, data, len) == 0);
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static char *slurp(strata_executor_t *ex, const char *path, strata_codec_t codec,
                   apr_size_t *len)
{
    strata_async_t *a = open_path(ex, path, "r", codec, APR_SUCCESS);
    char *data = NULL;

    ASSERT_RV(APR_SUCCESS, a_read_all(a, 7000, &data, len));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    return data;
}

static void async_open_modes(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("modes", strata_test_pool);
    const char *missing = strata_test_tmpname("missing", strata_test_pool);
    strata_async_t *a;
    strata_future_t *f;
    apr_size_t len, n;
    char *back, buf[8];

    apr_file_remove(path, strata_test_pool);
    /* x: a new file; again: EEXIST when the open completes */
    a = open_path(ex, path, "x", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "abc", 3));
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, 1, &n, &f));
    CU_ASSERT(done(f) != APR_SUCCESS);          /* write-only */
    ASSERT_RV(APR_SUCCESS, a_close(a));
    a = open_path(ex, path, "x", STRATA_CODEC_NONE, APR_EEXIST);
    ASSERT_RV(APR_SUCCESS, strata_async_write(a, "z", 1, NULL, &f));
    check_status(APR_EEXIST, done(f));          /* the open's error */
    ASSERT_RV(APR_SUCCESS, a_close(a));
    a = open_path(ex, path, "x+", STRATA_CODEC_NONE, APR_EEXIST);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    /* r: missing fails at completion; existing reads */
    a = open_path(ex, missing, "r", STRATA_CODEC_NONE, APR_ENOENT);
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, 1, &n, &f));
    check_status(APR_ENOENT, done(f));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    a = open_path(ex, missing, "r+", STRATA_CODEC_NONE, APR_ENOENT);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    back = slurp(ex, path, STRATA_CODEC_NONE, &len);
    CU_ASSERT(len == 3 && memcmp(back, "abc", 3) == 0);
    /* a: appends */
    a = open_path(ex, path, "a", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "de", 2));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    back = slurp(ex, path, STRATA_CODEC_NONE, &len);
    CU_ASSERT(len == 5 && memcmp(back, "abcde", 5) == 0);
    /* a+: appends and reads from the start */
    a = open_path(ex, path, "a+", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "f", 1));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 0, APR_SET, NULL, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    ASSERT_RV(APR_SUCCESS, a_read_all(a, 2, &back, &len));
    CU_ASSERT(len == 6 && memcmp(back, "abcdef", 6) == 0);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    /* r+: overwrite in place */
    a = open_path(ex, path, "r+", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "AB", 2));
    ASSERT_RV(APR_SUCCESS, a_read_all(a, 3, &back, &len));
    CU_ASSERT(len == 4 && memcmp(back, "cdef", 4) == 0);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    /* w: truncates; w+ reads back */
    a = open_path(ex, path, "w", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "w", 1));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    back = slurp(ex, path, STRATA_CODEC_NONE, &len);
    CU_ASSERT(len == 1 && back[0] == 'w');
    a = open_path(ex, path, "wb+", STRATA_CODEC_NONE, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "xyz", 3));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 1, APR_SET, NULL, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    ASSERT_RV(APR_SUCCESS, a_read_all(a, 8, &back, &len));
    CU_ASSERT(len == 2 && memcmp(back, "yz", 2) == 0);
    ASSERT_RV(APR_SUCCESS, a_close(a));
    /* bad modes queue nothing */
    ASSERT_RV(APR_EINVAL, strata_async_open(&a, path, "q", NULL, ex, strata_test_pool, &f));
    ASSERT_RV(APR_EINVAL, strata_async_open(&a, path, "r++", NULL, ex, strata_test_pool, &f));
    ASSERT_RV(APR_EINVAL, strata_async_open(&a, path, "", NULL, ex, strata_test_pool, &f));
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void async_codec_round_trips(void)
{
    static const strata_codec_t codecs[] = {
        STRATA_CODEC_GZIP, STRATA_CODEC_BZIP2, STRATA_CODEC_XZ,
        STRATA_CODEC_ZSTD, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE
    };
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("codec", strata_test_pool);
    char *data = apr_palloc(strata_test_pool, 200000), *back;
    strata_async_t *a;
    apr_size_t len, i;

    for (i = 0; i < 200000; i++)      /* compressible, not trivial */
        data[i] = "strata async "[i % 13] + (char)((i / 997) % 3);
    for (i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
        if (!strata_codec_available(codecs[i]))
            continue;
        a = open_path(ex, path, "w", codecs[i], APR_SUCCESS);
        ASSERT_RV(APR_SUCCESS, a_write(a, data, 120000));
        ASSERT_RV(APR_SUCCESS, a_write(a, data + 120000, 80000));
        ASSERT_RV(APR_SUCCESS, a_close(a));
        back = slurp(ex, path, codecs[i], &len);
        CU_ASSERT(len == 200000 && memcmp(back, data, len) == 0);
        if (codecs[i] == STRATA_CODEC_ZLIB || codecs[i] == STRATA_CODEC_DEFLATE)
            continue;          /* no concatenation / no magic */
        /* append a second member; auto-detect on reading */
        a = open_path(ex, path, "a", codecs[i], APR_SUCCESS);
        ASSERT_RV(APR_SUCCESS, a_write(a, "tail", 4));
        ASSERT_RV(APR_SUCCESS, a_close(a));
        back = slurp(ex, path, STRATA_CODEC_AUTO, &len);
        CU_ASSERT(len == 200004 && memcmp(back, data, 200000) == 0
                  && memcmp(back + 200000, "tail", 4) == 0);
    }
    /* a codec cannot read and write */
    {
        strata_async_open_opts_t o;
        strata_future_t *f;
        strata_async_open_opts_init(&o);
        o.codec = STRATA_CODEC_GZIP;
        ASSERT_RV(APR_EINVAL, strata_async_open(&a, path, "r+", &o, ex,
                                                strata_test_pool, &f));
    }
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void async_codec_by_extension_and_corrupt_data(void)
{
    strata_executor_t *ex = new_ex(1);
    const char *gz = apr_pstrcat(strata_test_pool,
                                 strata_test_tmpname("ext", strata_test_pool),
                                 ".gz", NULL);
    strata_async_t *a;
    strata_future_t *f;
    char *back, buf[64];
    apr_size_t len, n;

    a = open_path(ex, gz, "w", STRATA_CODEC_AUTO, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, a_write(a, "by extension", 12));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(gz, &back, &len, strata_test_pool));
    CU_ASSERT(len > 2 && (unsigned char)back[0] == 0x1f
              && (unsigned char)back[1] == 0x8b);
    back = slurp(ex, gz, STRATA_CODEC_AUTO, &len);
    CU_ASSERT(len == 12 && memcmp(back, "by extension", 12) == 0);
    /* a gzip header followed by garbage */
    memset(buf, 0x5a, sizeof(buf));
    memcpy(buf, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff", 12);
    ASSERT_RV(APR_SUCCESS, strata_test_write_file(gz, buf, sizeof(buf), strata_test_pool));
    a = open_path(ex, gz, "r", STRATA_CODEC_GZIP, APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, sizeof(buf), &n, &f));
    ASSERT_RV(STRATA_EBADDATA, done(f));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    apr_file_remove(gz, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* ---- cancelling and destroying ---------------------------------------------- */

#define MANY 10000

/* A gate a worker waits at until the executor begins cancelling. */
typedef struct stall_t {
    strata_executor_t *ex;
    volatile apr_uint32_t arrived;
} stall_t;

static apr_status_t stall_task(void *arg, void **result)
{
    stall_t *s = arg;
    int i;

    apr_atomic_set32(&s->arrived, 1);
    for (i = 0; i < 60000 && !strata__executor_cancelling(s->ex); i++)
        apr_sleep(1000);
    return APR_SUCCESS;
}

static volatile apr_uint32_t completions[MANY];
static apr_size_t idx[MANY];

static void count_cb(strata_future_t *f, void *baton)
{
    apr_atomic_inc32(&completions[(apr_size_t *)baton - idx]);
}

/* A memory stream behind a stalled executor: 10,000 reads queued, half
 * cancelled by hand, the rest by destroying the executor. */
static void async_10000_queued_cancelled_exactly_once(void)
{
    strata_executor_t *ex = new_ex(1);
    strata_stream_t *m;
    strata_async_t *a;
    strata_future_t **fs = apr_pcalloc(strata_test_pool, MANY * sizeof(*fs));
    static char buf[MANY];
    static apr_size_t nr[MANY];
    apr_size_t i, once = 0, canceled = 0, ok = 0;

    stall_t st;
    int k;

    memset((void *)completions, 0, sizeof(completions));
    st.ex = ex;
    apr_atomic_set32(&st.arrived, 0);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, stall_task, &st, NULL));
    for (k = 0; k < 60000 && !apr_atomic_read32(&st.arrived); k++)
        apr_sleep(1000);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&m, "0123456789", 10,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, 0, strata_test_pool));
    for (i = 0; i < MANY; i++) {
        CU_ASSERT_FATAL(strata_async_read(a, &buf[i], 1, &nr[i], &fs[i]) == APR_SUCCESS);
        CU_ASSERT_FATAL(strata_future_then(fs[i], count_cb, &idx[i]) == APR_SUCCESS);
    }
    for (i = 0; i < MANY; i += 2)
        strata_future_cancel(fs[i]);
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
    for (i = 0; i < MANY; i++) {
        apr_status_t rv = strata_future_status(fs[i]);
        once += apr_atomic_read32(&completions[i]) == 1;
        canceled += rv == STRATA_ECANCELED;
        ok += rv == APR_SUCCESS || rv == APR_EOF;
        strata_future_release(fs[i]);
    }
    CU_ASSERT_EQUAL(once, MANY);
    CU_ASSERT_EQUAL(canceled, MANY);     /* the only worker was stalled */
    CU_ASSERT_EQUAL(ok, 0);
    /* the stream is still closable, without the executor */
    {
        strata_future_t *f;
        ASSERT_RV(APR_SUCCESS, strata_async_close(a, &f));
        ASSERT_RV(STRATA_ECANCELED, done(f));
    }
}

/* Operations in flight on several streams while the executor finishes. */
static void async_executor_destroy_finish_with_ops_in_flight(void)
{
    strata_executor_t *ex = new_ex(2);
    strata_stream_t *m[4];
    strata_async_t *a[4];
    strata_future_t *f[4][50];
    static char data[4096];
    int i, j, bad = 0;

    for (i = 0; i < 4; i++) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m[i], 0, strata_test_pool));
        ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a[i], m[i], ex, 0,
                                                         strata_test_pool));
        for (j = 0; j < 50; j++)
            strata_async_write(a[i], data, sizeof(data), NULL, &f[i][j]);
    }
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH));
    for (i = 0; i < 4; i++) {
        strata_counts_t c;
        for (j = 0; j < 50; j++) {
            bad += !strata_future_done(f[i][j])
                   || strata_future_status(f[i][j]) != APR_SUCCESS;
            strata_future_release(f[i][j]);
        }
        strata_stream_counts(m[i], &c);
        CU_ASSERT_EQUAL(c.write_bytes, 50 * sizeof(data));
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* The same with plain files (io_uring in flight on that path), then the
 * files closed with the executor gone: every write landed. */
static void async_destroy_finish_with_file_ops_in_flight(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path[3];
    strata_async_t *a[3];
    strata_future_t *f[3][40];
    static char data[8192];
    char *back;
    apr_size_t len;
    int i, j, bad = 0;

    apr_pool_t *test_pool = strata_test_pool, *sub;

    strata_test_fill(data, sizeof(data), 11);
    for (i = 0; i < 3; i++)
        path[i] = strata_test_tmpname(i == 0 ? "inflight0" : i == 1 ? "inflight1"
                                                                     : "inflight2",
                                      strata_test_pool);
    apr_pool_create(&sub, test_pool);
    strata_test_pool = sub;             /* the streams live in @sub */
    for (i = 0; i < 3; i++) {
        a[i] = open_path(ex, path[i], "w", STRATA_CODEC_NONE, APR_SUCCESS);
        CU_ASSERT_EQUAL(strata_async_uses_uring(a[i]), expect_uring());
        for (j = 0; j < 40; j++)
            strata_async_write(a[i], data, sizeof(data), NULL, &f[i][j]);
    }
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH));
    for (i = 0; i < 3; i++) {
        strata_future_t *c;
        for (j = 0; j < 40; j++) {
            bad += !strata_future_done(f[i][j])
                   || strata_future_status(f[i][j]) != APR_SUCCESS;
            strata_future_release(f[i][j]);
        }
        /* the executor is gone: the close is refused, the pool closes */
        ASSERT_RV(APR_SUCCESS, strata_async_close(a[i], &c));
        ASSERT_RV(STRATA_ECANCELED, done(c));
    }
    CU_ASSERT_EQUAL(bad, 0);
    strata_test_pool = test_pool;
    apr_pool_destroy(sub);              /* its cleanup closes the files */
    for (i = 0; i < 3; i++) {
        ASSERT_RV(APR_SUCCESS, strata_test_read_file(path[i], &back, &len,
                                                     strata_test_pool));
        CU_ASSERT_EQUAL(len, 40 * sizeof(data));
        apr_file_remove(path[i], strata_test_pool);
    }
}

static void async_cancelled_op_is_skipped(void)
{
    strata_executor_t *ex = new_ex(1);
    strata_stream_t *m;
    strata_async_t *a;
    strata_future_t *f[3];
    const void *p;
    apr_size_t len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_create(&a, m, ex, 0, strata_test_pool));
    /* queue three; cancel the middle one if it has not started */
    strata_async_write(a, "a", 1, NULL, &f[0]);
    strata_async_write(a, "b", 1, NULL, &f[1]);
    strata_async_write(a, "c", 1, NULL, &f[2]);
    if (strata_future_cancel(f[1]) == APR_SUCCESS) {
        ASSERT_RV(APR_SUCCESS, done(f[0]));
        ASSERT_RV(STRATA_ECANCELED, done(f[1]));
        ASSERT_RV(APR_SUCCESS, done(f[2]));
        strata_memory_contents(m, &p, &len);
        CU_ASSERT(len == 2 && memcmp(p, "ac", 2) == 0);
    } else {
        done(f[0]);
        ASSERT_RV(APR_SUCCESS, done(f[1]));
        done(f[2]);
    }
    ASSERT_RV(APR_SUCCESS, a_close(a));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void async_stream_closed_with_its_pool(void)
{
    strata_executor_t *ex = new_ex(1);
    const char *path = strata_test_tmpname("poolgo", strata_test_pool);
    strata_async_open_opts_t o;
    strata_async_t *a;
    apr_pool_t *p;
    char *back;
    apr_size_t len;

    strata_async_open_opts_init(&o);
    o.codec = STRATA_CODEC_GZIP;
    o.flags = path_flags();
    apr_pool_create(&p, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_open(&a, path, "w", &o, ex, p, NULL));
    strata_async_write(a, "kept", 4, NULL, NULL);
    apr_pool_destroy(p);            /* waits, writes the trailer, closes */
    back = slurp(ex, path, STRATA_CODEC_GZIP, &len);
    CU_ASSERT(len == 4 && memcmp(back, "kept", 4) == 0);
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* Reads through the file from many streams with a callback chain each (the
 * bench's pattern): every read completes, data right. */
#define CHAINS 8
#define CHAIN_READS 200

typedef struct chain_t {
    strata_async_t *a;
    const char *data;
    apr_size_t size;
    unsigned seed;
    int left, bad;
    char buf[512];
    apr_size_t n;
    apr_off_t off;
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;
    int *running;
} chain_t;

static void chain_next(chain_t *c);

static void chain_cb(strata_future_t *f, void *baton)
{
    chain_t *c = baton;

    if (strata_future_status(f) != APR_SUCCESS || c->n != sizeof(c->buf)
        || memcmp(c->buf, c->data + c->off, c->n) != 0)
        c->bad++;
    strata_future_release(f);
    chain_next(c);
}

static void chain_next(chain_t *c)
{
    strata_future_t *f;

    if (c->left-- == 0) {
        apr_thread_mutex_lock(c->mu);
        (*c->running)--;
        apr_thread_cond_signal(c->cv);
        apr_thread_mutex_unlock(c->mu);
        return;
    }
    c->seed = c->seed * 1103515245u + 12345u;
    c->off = (apr_off_t)((c->seed >> 8) % (c->size / sizeof(c->buf))) * sizeof(c->buf);
    strata_async_seek(c->a, c->off, APR_SET, NULL, NULL);
    strata_async_read(c->a, c->buf, sizeof(c->buf), &c->n, &f);
    strata_future_then(f, chain_cb, c);
}

static void async_random_reads_from_many_streams(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("rand", strata_test_pool);
    apr_size_t size = 1 << 20;
    char *data = apr_palloc(strata_test_pool, size);
    chain_t c[CHAINS];
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;
    int i, running = CHAINS, bad = 0;

    strata_test_fill(data, size, 3);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_write_file(path, data, size, strata_test_pool));
    apr_thread_mutex_create(&mu, APR_THREAD_MUTEX_DEFAULT, strata_test_pool);
    apr_thread_cond_create(&cv, strata_test_pool);
    for (i = 0; i < CHAINS; i++) {
        memset(&c[i], 0, sizeof(c[i]));
        c[i].a = open_path(ex, path, "r", STRATA_CODEC_NONE, APR_SUCCESS);
        CU_ASSERT_EQUAL(strata_async_uses_uring(c[i].a), expect_uring());
        c[i].data = data;
        c[i].size = size;
        c[i].seed = i + 1;
        c[i].left = CHAIN_READS;
        c[i].mu = mu;
        c[i].cv = cv;
        c[i].running = &running;
    }
    for (i = 0; i < CHAINS; i++)
        chain_next(&c[i]);
    apr_thread_mutex_lock(mu);
    while (running > 0)
        apr_thread_cond_timedwait(cv, mu, WAIT_US);
    apr_thread_mutex_unlock(mu);
    CU_ASSERT_EQUAL(running, 0);
    for (i = 0; i < CHAINS; i++) {
        strata_counts_t k;
        bad += c[i].bad;
        strata_stream_counts(strata_async_stream(c[i].a), &k);
        CU_ASSERT_EQUAL(k.read_ops, CHAIN_READS);
        CU_ASSERT_EQUAL(k.read_bytes, CHAIN_READS * sizeof(c[i].buf));
        ASSERT_RV(APR_SUCCESS, a_close(c[i].a));
    }
    CU_ASSERT_EQUAL(bad, 0);
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* STRATA_NO_URING=1 forces the pool path; a quota on the file's meter
 * stops reads on either path, with the error through the future. */
static void async_env_forces_pool_and_quota_holds(void)
{
    strata_executor_t *ex = new_ex(1);
    const char *path = strata_test_tmpname("quota", strata_test_pool);
    static char data[10000], buf[4000];
    strata_meter_t *m;
    strata_async_t *a;
    strata_future_t *f;
    apr_size_t n;

    strata_test_fill(data, sizeof(data), 5);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_write_file(path, data, sizeof(data),
                                                        strata_test_pool));
    apr_env_set("STRATA_NO_URING", "1", strata_test_pool);
    a = open_path(ex, path, "r", STRATA_CODEC_NONE, APR_SUCCESS);
    CU_ASSERT(!strata_async_uses_uring(a));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    apr_env_delete("STRATA_NO_URING", strata_test_pool);
    uring_works = -1;       /* look again, without the variable */

    a = open_path(ex, path, "r", STRATA_CODEC_NONE, APR_SUCCESS);
    CU_ASSERT_EQUAL(strata_async_uses_uring(a), expect_uring());
    ASSERT_RV_FATAL(APR_SUCCESS, strata_meter_create(&m, "tenant", strata_test_pool));
    strata_meter_set_quota(m, 5000, STRATA_METER_READ);
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(strata_async_stream(a), m));
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, sizeof(buf), &n, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT_EQUAL(n, sizeof(buf));
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, sizeof(buf), &n, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    CU_ASSERT_EQUAL(n, 1000);                  /* what the quota left */
    ASSERT_RV(APR_SUCCESS, strata_async_read(a, buf, sizeof(buf), &n, &f));
    ASSERT_RV(STRATA_EQUOTA, done(f));
    CU_ASSERT(memcmp(buf, data + 4000, 1000) == 0);
    ASSERT_RV(APR_SUCCESS, a_close(a));

    /* a write quota: the part that fits is written, then STRATA_EQUOTA */
    a = open_path(ex, path, "w", STRATA_CODEC_NONE, APR_SUCCESS);
    CU_ASSERT_EQUAL(strata_async_uses_uring(a), expect_uring());
    strata_meter_set_quota(m, 6000, STRATA_METER_WRITE);
    strata_meter_reset(m);
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(strata_async_stream(a), m));
    ASSERT_RV(APR_SUCCESS, strata_async_write(a, data, sizeof(data), &n, &f));
    ASSERT_RV(STRATA_EQUOTA, done(f));
    CU_ASSERT_EQUAL(n, 6000);
    CU_ASSERT_EQUAL(strata_stream_failed(strata_async_stream(a)), STRATA_EQUOTA);
    ASSERT_RV(STRATA_EQUOTA, a_close(a));      /* the stream failed */
    {
        char *back;
        apr_size_t len;
        ASSERT_RV(APR_SUCCESS, strata_test_read_file(path, &back, &len, strata_test_pool));
        CU_ASSERT(len == 6000 && memcmp(back, data, 6000) == 0);
    }
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* A kernel that answers EINVAL for reads/writes (test seam): the stream
 * leaves io_uring and the pool does the work; nothing is lost. */
static void async_uring_refused_falls_back_to_pool(void)
{
    strata_executor_t *ex = new_ex(2);
    const char *path = strata_test_tmpname("refuse", strata_test_pool);
    static char data[50000];
    strata_async_t *a;
    strata_future_t *f;
    strata_counts_t c;
    char *back;
    apr_size_t len;
    int had_uring;

    strata_test_fill(data, sizeof(data), 9);
    a = open_path(ex, path, "w+", STRATA_CODEC_NONE, APR_SUCCESS);
    had_uring = strata_async_uses_uring(a);
    CU_ASSERT_EQUAL(had_uring, expect_uring());
    strata__uring_refuse_ops = 1;
    ASSERT_RV(APR_SUCCESS, a_write(a, data, sizeof(data)));
    ASSERT_RV(APR_SUCCESS, strata_async_seek(a, 0, APR_SET, NULL, &f));
    ASSERT_RV(APR_SUCCESS, done(f));
    ASSERT_RV(APR_SUCCESS, a_read_all(a, 999, &back, &len));
    strata__uring_refuse_ops = 0;
    CU_ASSERT(len == sizeof(data) && memcmp(back, data, len) == 0);
    strata_stream_counts(strata_async_stream(a), &c);
    CU_ASSERT_EQUAL(c.write_bytes, sizeof(data));
    CU_ASSERT_EQUAL(c.read_bytes, sizeof(data));
    ASSERT_RV(APR_SUCCESS, a_close(a));
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(path, &back, &len, strata_test_pool));
    CU_ASSERT(len == sizeof(data) && memcmp(back, data, len) == 0);
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

/* ---- both paths ------------------------------------------------------------ */

#define BOTH(name)                                                        \
    static void name##_uring(void) { pool_path = 0; name(); }             \
    static void name##_pool(void) { pool_path = 1; name(); pool_path = 0; }
BOTH(async_concurrent_line_readers)
BOTH(async_file_round_trip)
BOTH(async_open_modes)
BOTH(async_codec_round_trips)
BOTH(async_stream_closed_with_its_pool)
BOTH(async_random_reads_from_many_streams)
BOTH(async_env_forces_pool_and_quota_holds)
BOTH(async_destroy_finish_with_file_ops_in_flight)
#define BOTH_INFO(name) \
    { #name "_uring", name##_uring }, { #name "_pool", name##_pool }

static CU_TestInfo tests[] = {
    { "async_memory_calls_in_order", async_memory_calls_in_order },
    { "async_closed_stream_fails_eclosed", async_closed_stream_fails_eclosed },
    { "async_concurrent_writers_keep_order", async_concurrent_writers_keep_order },
    BOTH_INFO(async_concurrent_line_readers),
    { "async_read_line_limit_and_last_line", async_read_line_limit_and_last_line },
    BOTH_INFO(async_file_round_trip),
    BOTH_INFO(async_open_modes),
    BOTH_INFO(async_codec_round_trips),
    { "async_codec_by_extension_and_corrupt_data", async_codec_by_extension_and_corrupt_data },
    { "async_10000_queued_cancelled_exactly_once", async_10000_queued_cancelled_exactly_once },
    { "async_executor_destroy_finish_with_ops_in_flight", async_executor_destroy_finish_with_ops_in_flight },
    BOTH_INFO(async_destroy_finish_with_file_ops_in_flight),
    { "async_cancelled_op_is_skipped", async_cancelled_op_is_skipped },
    BOTH_INFO(async_env_forces_pool_and_quota_holds),
    { "async_uring_refused_falls_back_to_pool", async_uring_refused_falls_back_to_pool },
    BOTH_INFO(async_stream_closed_with_its_pool),
    BOTH_INFO(async_random_reads_from_many_streams),
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("async", tests)
