/*
 * test_pipe_threads.c -- the pipe's blocking stream views across threads:
 * data integrity under pause/resume, decorators stacked on either end,
 * timeouts, and each end waking the other when it closes.  Every wait has
 * a timeout, so a bug fails a test instead of hanging it.
 */
#include "test_util.h"
#include "strata/stream_type.h"
#include <apr_thread_proc.h>
#include <string.h>
#include <stdio.h>

#define P strata_test_pool
#define TIMEOUT (10 * APR_USEC_PER_SEC)

static strata_pipe_t *new_pipe(apr_size_t chunk, apr_size_t pause,
                               apr_size_t resume, apr_interval_time_t timeout)
{
    strata_chunk_pool_t *cp;
    strata_pipe_opts_t o;
    strata_pipe_t *p;

    memset(&o, 0, sizeof(o));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_chunk_pool_create(&cp, chunk, 8, P));
    o.chunks = cp;
    o.pause_threshold = pause;
    o.resume_threshold = resume;
    o.timeout = timeout;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &o, P));
    return p;
}

typedef struct job_t {
    strata_stream_t *w;          /* the writer end (maybe decorated) */
    strata_pipe_t *p;
    const char *data;
    apr_size_t len;
    apr_status_t close_with;     /* close_writer status when not SUCCESS */
    apr_status_t rv;
    int lines;
} job_t;

static void *APR_THREAD_FUNC producer(apr_thread_t *t, void *arg)
{
    job_t *j = arg;
    apr_size_t off = 0, n, step = 1;

    j->rv = APR_SUCCESS;
    while (off < j->len && j->rv == APR_SUCCESS) {
        n = j->len - off < step ? j->len - off : step;
        j->rv = strata_write_all(j->w, j->data + off, n, &n);
        off += n;
        step = step * 3 % 7919 + 1;          /* 1 byte .. ~8 KiB writes */
    }
    if (j->close_with != APR_SUCCESS)
        strata_pipe_close_writer(j->p, j->close_with);
    else if (j->rv == APR_SUCCESS)
        j->rv = strata_shutdown_write(j->w);
    return NULL;                    /* see join() */
}

static void *APR_THREAD_FUNC line_producer(apr_thread_t *t, void *arg)
{
    job_t *j = arg;
    char line[64];
    int i;

    j->rv = APR_SUCCESS;
    for (i = 0; i < j->lines && j->rv == APR_SUCCESS; i++) {
        snprintf(line, sizeof(line), "line %d %.*s\n", i, i % 40,
                 "........................................");
        j->rv = strata_write_all(j->w, line, strlen(line), NULL);
    }
    if (j->rv == APR_SUCCESS)
        j->rv = strata_close(j->w);    /* flushes, then closes the end */
    return NULL;                    /* see join() */
}

static apr_thread_t *start(apr_thread_start_t fn, job_t *j)
{
    apr_thread_t *t;

    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&t, NULL, fn, j, P));
    return t;
}

/* The threads return instead of calling apr_thread_exit() (its
 * pthread_exit upsets ASan), so Windows APR's join, which has no exit value
 * to give, answers APR_INCOMPLETE after the thread has ended. */
static void join(apr_thread_t *t)
{
    apr_status_t st, rv = apr_thread_join(&st, t);

    CU_ASSERT(rv == APR_SUCCESS || rv == APR_INCOMPLETE);
}

static void pipe_threads_move_data_intact_through_pause_and_resume(void)
{
    static char src[1 << 20];
    strata_pipe_t *p = new_pipe(512, 4096, 1024, TIMEOUT);
    strata_stream_t *r, *w;
    strata_counts_t cr, cw;
    apr_thread_t *t;
    job_t j;
    char *got;
    apr_size_t n;

    strata_test_fill(src, sizeof(src), 11);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    memset(&j, 0, sizeof(j));
    j.w = w;
    j.p = p;
    j.data = src;
    j.len = sizeof(src);
    t = start(producer, &j);
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(r, 3001, P, &got, &n));
    join(t);
    ASSERT_RV(APR_SUCCESS, j.rv);
    CU_ASSERT(n == sizeof(src) && memcmp(got, src, n) == 0);
    strata_stream_counts(r, &cr);
    strata_stream_counts(w, &cw);
    CU_ASSERT(cr.read_bytes == sizeof(src) && cw.write_bytes == sizeof(src));
    CU_ASSERT(strcmp(strata_stream_name(r), "pipe-reader") == 0);
    CU_ASSERT(strcmp(strata_stream_name(w), "pipe-writer") == 0);
}

static void pipe_threads_read_line_through_buffered_ends(void)
{
    strata_pipe_t *p = new_pipe(64, 2048, 512, TIMEOUT);
    strata_stream_t *r, *w, *br, *bw;
    apr_thread_t *t;
    char expect[64];
    const char *d;
    apr_size_t n;
    apr_status_t rv;
    job_t j;
    int i = 0;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&br, r, 100, 0,
                                                        STRATA_OWN_INNER, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&bw, w, 0, 300,
                                                        STRATA_OWN_INNER, P));
    memset(&j, 0, sizeof(j));
    j.w = bw;
    j.p = p;
    j.lines = 5000;
    t = start(line_producer, &j);
    while ((rv = strata_read_line(br, 200, &d, &n)) == APR_SUCCESS) {
        snprintf(expect, sizeof(expect), "line %d %.*s\n", i, i % 40,
                 "........................................");
        CU_ASSERT(n == strlen(expect) && memcmp(d, expect, n) == 0);
        i++;
    }
    ASSERT_RV(APR_EOF, rv);
    join(t);
    ASSERT_RV(APR_SUCCESS, j.rv);
    CU_ASSERT(i == 5000);
}

static void pipe_threads_writer_error_reaches_blocking_reader(void)
{
    static char src[100000];
    strata_pipe_t *p = new_pipe(1000, 8000, 0, TIMEOUT);
    strata_stream_t *r, *w;
    apr_thread_t *t;
    job_t j;
    char *got;
    apr_size_t n;

    strata_test_fill(src, sizeof(src), 2);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    memset(&j, 0, sizeof(j));
    j.w = w;
    j.p = p;
    j.data = src;
    j.len = sizeof(src);
    j.close_with = APR_ECONNRESET;
    t = start(producer, &j);
    ASSERT_RV(APR_ECONNRESET, strata_test_read_all(r, 777, P, &got, &n));
    join(t);
    CU_ASSERT(n == sizeof(src) && memcmp(got, src, n) == 0);
}

static void *APR_THREAD_FUNC close_reader_later(apr_thread_t *t, void *arg)
{
    job_t *j = arg;

    apr_sleep(50000);
    j->rv = strata_pipe_close_reader(j->p);
    return NULL;                    /* see join() */
}

static void pipe_threads_close_reader_wakes_paused_writer(void)
{
    static char block[1000];
    strata_pipe_t *p = new_pipe(256, 1000, 10, TIMEOUT);
    strata_stream_t *w;
    apr_thread_t *t;
    apr_time_t t0;
    apr_size_t n;
    job_t j;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV(APR_SUCCESS, strata_write_all(w, block, 1000, &n));
    memset(&j, 0, sizeof(j));
    j.p = p;
    t0 = apr_time_now();
    t = start(close_reader_later, &j);
    ASSERT_RV(STRATA_ECLOSED, strata_write(w, block, 10, &n));   /* waits */
    CU_ASSERT(n == 0);
    CU_ASSERT(apr_time_now() - t0 < TIMEOUT / 2);
    join(t);
    ASSERT_RV(APR_SUCCESS, j.rv);
}

static void *APR_THREAD_FUNC close_writer_later(apr_thread_t *t, void *arg)
{
    job_t *j = arg;

    apr_sleep(50000);
    j->rv = strata_pipe_close_writer(j->p, APR_SUCCESS);
    return NULL;                    /* see join() */
}

static void pipe_threads_close_writer_wakes_waiting_reader(void)
{
    strata_pipe_t *p = new_pipe(256, 0, 0, TIMEOUT);
    strata_stream_t *r;
    apr_thread_t *t;
    char buf[8];
    apr_size_t n;
    job_t j;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    memset(&j, 0, sizeof(j));
    j.p = p;
    t = start(close_writer_later, &j);
    ASSERT_RV(APR_EOF, strata_read(r, buf, sizeof(buf), &n));    /* waits */
    join(t);
    ASSERT_RV(APR_SUCCESS, strata_close(r));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_read_atmost(p, buf, 8, &n));
}

static void pipe_reader_stream_times_out(void)
{
    strata_pipe_t *p = new_pipe(64, 0, 0, 30000);
    strata_stream_t *r;
    char buf[8];
    apr_size_t n;
    apr_time_t t0 = apr_time_now();

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    ASSERT_RV(APR_TIMEUP, strata_read(r, buf, sizeof(buf), &n));
    CU_ASSERT(n == 0);
    CU_ASSERT(apr_time_now() - t0 >= 25000);
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "ok", 2));
    ASSERT_RV(APR_SUCCESS, strata_read(r, buf, sizeof(buf), &n));
    CU_ASSERT(n == 2);
    ASSERT_RV(APR_SUCCESS, strata_read(r, buf, 0, &n));
}

static void pipe_writer_stream_pauses_and_resumes(void)
{
    static char block[300];
    strata_pipe_t *p = new_pipe(64, 100, 50, 20000);
    strata_stream_t *w;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV(APR_SUCCESS, strata_write(w, block, 300, &n));
    CU_ASSERT(n == 100);                     /* short: up to the threshold */
    CU_ASSERT(strata_pipe_length(p) == 100);
    ASSERT_RV(APR_TIMEUP, strata_write(w, block, 10, &n));   /* paused */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, 40, &n));
    ASSERT_RV(APR_TIMEUP, strata_write(w, block, 10, &n));   /* 60 >= 50 */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, 11, &n));
    ASSERT_RV(APR_SUCCESS, strata_write(w, block, 300, &n)); /* 49 < 50 */
    CU_ASSERT(n == 51);
    ASSERT_RV(APR_SUCCESS, strata_flush(w, STRATA_FLUSH_DURABLE));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(w));
    ASSERT_RV(STRATA_ECLOSED, strata_write(w, block, 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, block, 100, &n));
    ASSERT_RV(APR_EOF, strata_pipe_read_bytes(p, block, 1, &n));
}

/* A stream reading from one stream and writing to another (a socket). */
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

typedef struct side_t {
    strata_stream_t *b;
    int lines;
    apr_status_t rv;
} side_t;

static void *APR_THREAD_FUNC side_reader(apr_thread_t *t, void *arg)
{
    side_t *sd = arg;
    const char *d;
    apr_size_t n;

    while ((sd->rv = strata_read_line(sd->b, 100, &d, &n)) == APR_SUCCESS)
        sd->lines++;
    return NULL;                    /* see join() */
}

static void *APR_THREAD_FUNC side_writer(apr_thread_t *t, void *arg)
{
    side_t *sd = arg;
    int i;

    sd->rv = APR_SUCCESS;
    for (i = 0; i < sd->lines && sd->rv == APR_SUCCESS; i++)
        sd->rv = strata_write_all(sd->b, "pong\n", 5, NULL);
    if (sd->rv == APR_SUCCESS)
        sd->rv = strata_flush(sd->b, STRATA_FLUSH_BUFFERS);
    return NULL;                    /* see join() */
}

/* One buffered stream over a socket-like duplex: one thread reads lines,
 * another writes, at the same time. */
static void buffered_read_and_write_sides_on_two_threads(void)
{
    strata_pipe_t *up = new_pipe(128, 4096, 0, TIMEOUT);
    strata_pipe_t *down = new_pipe(128, 4096, 0, TIMEOUT);
    strata_stream_t *upr, *upw, *downr, *downw, *dx, *b;
    apr_thread_t *tr, *tw;
    side_t r, w;
    char *got;
    apr_size_t n;
    int i;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&upr, up, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&upw, up, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&downr, down, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&downw, down, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_stream_alloc(&dx, &duplex_type, NULL,
                                                     0, P));
    ((duplex_t *)dx)->in = upr;
    ((duplex_t *)dx)->out = downw;
    strata_stream_ready(dx);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&b, dx, 64, 64, 0, P));
    memset(&r, 0, sizeof(r));
    memset(&w, 0, sizeof(w));
    r.b = w.b = b;
    w.lines = 3000;
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&tr, NULL, side_reader,
                                                   &r, P));
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&tw, NULL, side_writer,
                                                   &w, P));
    for (i = 0; i < 3000; i++)
        ASSERT_RV(APR_SUCCESS, strata_write_all(upw, "ping\n", 5, NULL));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(upw));
    got = apr_palloc(P, 3000 * 5);
    ASSERT_RV(APR_SUCCESS, strata_read_exact(downr, got, 3000 * 5, &n));
    join(tr);
    join(tw);
    ASSERT_RV(APR_EOF, r.rv);
    ASSERT_RV(APR_SUCCESS, w.rv);
    CU_ASSERT(r.lines == 3000);
    CU_ASSERT(n == 15000 && memcmp(got, "pong\npong\n", 10) == 0);
    CU_ASSERT(memcmp(got + 14995, "pong\n", 5) == 0);
}

static CU_TestInfo tests[] = {
    { "pipe_threads_move_data_intact_through_pause_and_resume", pipe_threads_move_data_intact_through_pause_and_resume },
    { "pipe_threads_read_line_through_buffered_ends", pipe_threads_read_line_through_buffered_ends },
    { "pipe_threads_writer_error_reaches_blocking_reader", pipe_threads_writer_error_reaches_blocking_reader },
    { "pipe_threads_close_reader_wakes_paused_writer", pipe_threads_close_reader_wakes_paused_writer },
    { "pipe_threads_close_writer_wakes_waiting_reader", pipe_threads_close_writer_wakes_waiting_reader },
    { "pipe_reader_stream_times_out", pipe_reader_stream_times_out },
    { "buffered_read_and_write_sides_on_two_threads", buffered_read_and_write_sides_on_two_threads },
    { "pipe_writer_stream_pauses_and_resumes", pipe_writer_stream_pauses_and_resumes },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("pipe_threads", tests)
