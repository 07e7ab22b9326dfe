/*
 * test_pipe_backpressure.c -- the pipe's flow control for a reserve/commit
 * writer: the paused query, wait_writable, the on_writable callback, the
 * writer stream's reserve/commit, the end-state queries, and producers on
 * another thread that must stay within the pause threshold (with chunk
 * allocations bounded, measured by the pool's figures).  Every wait has a
 * timeout, so a bug fails a test instead of hanging it.
 */
#include "test_util.h"
#include <apr_thread_proc.h>
#include <apr_atomic.h>
#include <stdlib.h>
#include <string.h>

#define P strata_test_pool
#define TIMEOUT (10 * APR_USEC_PER_SEC)

static strata_pipe_t *new_pipe(apr_size_t chunk, apr_size_t spare,
                               apr_size_t pause, apr_size_t resume,
                               apr_interval_time_t timeout,
                               strata_chunk_pool_t **cpo)
{
    strata_chunk_pool_t *cp;
    strata_pipe_opts_t o;
    strata_pipe_t *p;

    memset(&o, 0, sizeof(o));
    ASSERT_RV_FATAL(APR_SUCCESS,
                    strata_chunk_pool_create(&cp, chunk, spare, P));
    o.chunks = cp;
    o.pause_threshold = pause;
    o.resume_threshold = resume;
    o.timeout = timeout;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, &o, P));
    if (cpo != NULL)
        *cpo = cp;
    return p;
}

static void commit_bytes(strata_pipe_t *p, apr_size_t n)
{
    void *b;
    apr_size_t cap;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_get_buffer(p, n, &b, &cap));
    memset(b, 'x', n);
    ASSERT_RV(APR_SUCCESS, strata_pipe_commit(p, n));
}

static void drop(strata_pipe_t *p, apr_size_t n)
{
    char buf[512];
    apr_size_t got;

    CU_ASSERT_FATAL(n <= sizeof(buf));
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_bytes(p, buf, n, &got));
}

typedef struct calls_t {
    int n;
    apr_size_t unread;               /* strata_pipe_length() in the call */
} calls_t;

static void count_writable(void *baton, strata_pipe_t *p)
{
    calls_t *c = baton;

    c->n++;
    c->unread = strata_pipe_length(p);
}

/* ---- single thread ------------------------------------------------------ */

static void pipe_paused_from_pause_until_below_resume(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, 0, NULL);
    calls_t c = { 0, 0 };

    strata_pipe_on_writable(p, count_writable, &c);
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_writable(p, 0));
    commit_bytes(p, 60);
    commit_bytes(p, 39);
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);            /* 99 < 100 */
    commit_bytes(p, 1);
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);            /* 100 */
    ASSERT_RV(APR_TIMEUP, strata_pipe_wait_writable(p, 0));
    ASSERT_RV(APR_TIMEUP, strata_pipe_wait_writable(p, 2000));
    drop(p, 40);
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);            /* 60 >= 50 */
    drop(p, 10);
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);            /* 50 >= 50 */
    CU_ASSERT(c.n == 0);
    drop(p, 1);                                              /* 49 < 50 */
    CU_ASSERT(c.n == 1 && c.unread == 49);
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_writable(p, 0));
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_writable(p, -1));
    drop(p, 49);
    CU_ASSERT(c.n == 1);                  /* once per pause, not per read */
    ASSERT_RV(APR_EINVAL, strata_pipe_wait_writable(NULL, 0));
    CU_ASSERT(strata_pipe_writer_paused(NULL) == 0);
}

static void pipe_on_writable_fires_after_advance_and_close_reader(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, 0, NULL);
    calls_t c = { 0, 0 };
    strata_pipe_iovec_t v[4];
    apr_size_t cnt, total;

    strata_pipe_on_writable(p, count_writable, &c);
    commit_bytes(p, 64);
    commit_bytes(p, 64);
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);
    ASSERT_RV(APR_SUCCESS, strata_pipe_segments(p, v, 4, &cnt, &total));
    CU_ASSERT(total == 128);
    ASSERT_RV(APR_SUCCESS, strata_pipe_advance(p, 100, 128));
    CU_ASSERT(c.n == 1 && c.unread == 28);
    commit_bytes(p, 64);
    commit_bytes(p, 10);                                     /* 102 */
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    CU_ASSERT(c.n == 2);                  /* the writer learns of the end */
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_wait_writable(p, 0));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_wait_writable(p, -1));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    CU_ASSERT(c.n == 2);                  /* a second close is a no-op */
    strata_pipe_on_writable(p, NULL, NULL);
}

static void pipe_no_pause_with_threshold_max(void)
{
    strata_pipe_t *p = new_pipe(64, 8, APR_SIZE_MAX, APR_SIZE_MAX, 0, NULL);
    static char big[10000];

    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, big, sizeof(big)));
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_wait_writable(p, 0));
}

static void pipe_wait_writable_after_close_writer_is_eclosed(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, 0, NULL);

    commit_bytes(p, 64);
    commit_bytes(p, 36);
    CU_ASSERT(strata_pipe_writer_paused(p) == 1);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_SUCCESS));
    CU_ASSERT(strata_pipe_writer_paused(p) == 0);
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_wait_writable(p, 0));
}

static void pipe_writer_closed_without_reading(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 0, 0, 0, NULL);
    strata_pipe_t *q = new_pipe(64, 8, 0, 0, 0, NULL);
    apr_status_t st = APR_EGENERAL;
    char buf[8];
    apr_size_t n;

    CU_ASSERT(strata_pipe_writer_closed(p, &st) == 0);
    CU_ASSERT(st == APR_SUCCESS);
    CU_ASSERT(strata_pipe_writer_closed(p, NULL) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_write(p, "abc", 3));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(p, APR_ECONNRESET));
    CU_ASSERT(strata_pipe_writer_closed(p, &st) == 1);
    CU_ASSERT(st == APR_ECONNRESET);
    CU_ASSERT(strata_pipe_length(p) == 3);        /* nothing was read */
    ASSERT_RV(APR_SUCCESS, strata_pipe_read_atmost(p, buf, 8, &n));
    CU_ASSERT(n == 3);
    ASSERT_RV(APR_ECONNRESET, strata_pipe_read_atmost(p, buf, 8, &n));
    CU_ASSERT(strata_pipe_reader_closed(p) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    CU_ASSERT(strata_pipe_reader_closed(p) == 1);
    CU_ASSERT(strata_pipe_writer_closed(p, &st) == 1 && st == APR_ECONNRESET);

    ASSERT_RV(APR_SUCCESS, strata_pipe_close_writer(q, APR_EOF));
    st = APR_EGENERAL;
    CU_ASSERT(strata_pipe_writer_closed(q, &st) == 1 && st == APR_SUCCESS);
    CU_ASSERT(strata_pipe_writer_closed(NULL, &st) == 0 && st == APR_SUCCESS);
    CU_ASSERT(strata_pipe_reader_closed(NULL) == 0);
}

static void pipe_writer_stream_reserve_commit_single_thread(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, 20000, NULL);
    strata_stream_t *w, *r;
    strata_counts_t cw;
    void *b;
    apr_size_t cap, n;
    char buf[256];

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    ASSERT_RV(STRATA_ESTATE, strata_pipe_writer_commit(w, 1));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 10, &b, &cap));
    CU_ASSERT(cap >= 10 && cap <= 64);
    memcpy(b, "hello", 5);
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_commit(w, cap + 1));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 5));  /* still out */
    CU_ASSERT(strata_pipe_length(p) == 5);
    ASSERT_RV(STRATA_ESTATE, strata_pipe_writer_commit(w, 1));
    /* A reserve that is dropped publishes nothing and is not an op. */
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 0));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 0));
    strata_stream_counts(w, &cw);
    CU_ASSERT(cw.write_ops == 1 && cw.write_bytes == 5);
    /* Fill to the threshold: the cap stops at pause - unread. */
    n = 5;
    while (n < 100) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b,
                                                                &cap));
        CU_ASSERT(cap <= 100 - n);
        memset(b, 'y', cap);
        ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, cap));
        n += cap;
    }
    CU_ASSERT(n == 100 && strata_pipe_writer_paused(p) == 1);
    ASSERT_RV(APR_TIMEUP, strata_pipe_writer_reserve(w, 1, &b, &cap));
    CU_ASSERT(b == NULL && cap == 0);
    ASSERT_RV(APR_SUCCESS, strata_read(r, buf, 60, &n));
    CU_ASSERT(n == 60 && memcmp(buf, "hello", 5) == 0);
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    CU_ASSERT(cap >= 1 && cap <= 60);      /* at most 100 - 40 unread */
    /* A hint beyond the room is honoured (the producer asked for it). */
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 64, &b, &cap));
    CU_ASSERT(cap == 64);
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 64));
    strata_stream_counts(w, &cw);
    CU_ASSERT(cw.write_bytes == 5 + 95 + 64);
    /* Mixing: a plain write while a reserve is out is a state error. */
    ASSERT_RV(APR_SUCCESS, strata_read(r, buf, 104, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(STRATA_ESTATE, strata_write(w, "z", 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 0));
    ASSERT_RV(APR_SUCCESS, strata_write(w, "z", 1, &n));
    /* Not a pipe-writer; NULL arguments. */
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_reserve(r, 1, &b, &cap));
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_commit(r, 1));
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_reserve(NULL, 1, &b, &cap));
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_reserve(w, 1, NULL, &cap));
    ASSERT_RV(APR_EINVAL, strata_pipe_writer_reserve(w, 1, &b, NULL));
    /* After shutdown, no more space. */
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(w));
    ASSERT_RV(STRATA_ESTATE, strata_pipe_writer_commit(w, 1));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_writer_reserve(w, 1, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_read(r, buf, sizeof(buf), &n));
    CU_ASSERT(n == 1 && buf[0] == 'z');
    ASSERT_RV(APR_EOF, strata_read(r, buf, sizeof(buf), &n));
}

static void pipe_writer_stream_commit_after_close_reader(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, 20000, NULL);
    strata_stream_t *w;
    strata_counts_t cw;
    void *b;
    apr_size_t cap;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 8, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_pipe_close_reader(p));
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_writer_commit(w, 8));
    strata_stream_counts(w, &cw);
    CU_ASSERT(cw.write_ops == 1 && cw.write_bytes == 0);
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_writer_reserve(w, 8, &b, &cap));
    ASSERT_RV(APR_SUCCESS, strata_close(w));
}

static void pipe_writer_stream_reserve_honours_quota(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 1000, 0, 20000, NULL);
    strata_stream_t *w;
    strata_meter_t *m;
    void *b;
    apr_size_t cap;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p, P));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_meter_create(&m, "q", P));
    strata_meter_set_quota(m, 20, STRATA_METER_WRITE);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_stream_attach_meter(w, m));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 8, &b, &cap));
    CU_ASSERT(cap >= 8 && cap <= 20);
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 8));
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_reserve(w, 30, &b, &cap));
    CU_ASSERT(cap == 12);                  /* what the quota leaves */
    ASSERT_RV(APR_SUCCESS, strata_pipe_writer_commit(w, 12));
    ASSERT_RV(STRATA_EQUOTA, strata_pipe_writer_reserve(w, 1, &b, &cap));
    CU_ASSERT(strata_pipe_length(p) == 20);
}

/* ---- across threads ----------------------------------------------------- */

typedef struct prod_t {
    strata_pipe_t *p;
    strata_stream_t *w;             /* NULL: the raw pipe calls */
    apr_size_t total;               /* bytes to produce */
    apr_size_t hint_max;            /* largest sizehint asked for */
    apr_size_t max_unread;          /* highest length seen after a commit */
    apr_uint64_t commits;
    apr_status_t rv;
} prod_t;

/* Byte i of the stream is (i * 7 + i / 251) & 0xff. */
static unsigned char byte_at(apr_size_t i)
{
    return (unsigned char)((i * 7 + i / 251) & 0xff);
}

static apr_status_t produce_one(prod_t *j, apr_size_t off, apr_size_t hint,
                                apr_size_t *n)
{
    unsigned char *b;
    void *vb;
    apr_size_t cap, k;
    apr_status_t rv;

    *n = 0;
    if (j->w != NULL) {
        rv = strata_pipe_writer_reserve(j->w, hint, &vb, &cap);
    } else {
        if ((rv = strata_pipe_wait_writable(j->p, TIMEOUT)) != APR_SUCCESS)
            return rv;
        rv = strata_pipe_get_buffer(j->p, hint, &vb, &cap);
    }
    if (rv != APR_SUCCESS)
        return rv;
    b = vb;
    if (cap > j->total - off)
        cap = j->total - off;
    for (k = 0; k < cap; k++)
        b[k] = byte_at(off + k);
    rv = j->w != NULL ? strata_pipe_writer_commit(j->w, cap)
                      : strata_pipe_commit(j->p, cap);
    *n = cap;
    return rv;
}

static void *APR_THREAD_FUNC reserve_producer(apr_thread_t *t, void *arg)
{
    prod_t *j = arg;
    apr_size_t off = 0, n, len, hint = 1;

    j->rv = APR_SUCCESS;
    while (off < j->total && j->rv == APR_SUCCESS) {
        j->rv = produce_one(j, off, hint, &n);
        off += n;
        j->commits++;
        if ((len = strata_pipe_length(j->p)) > j->max_unread)
            j->max_unread = len;
        hint = hint * 5 % (j->hint_max + 1);
    }
    if (j->rv == APR_SUCCESS)
        j->rv = strata_pipe_close_writer(j->p, APR_SUCCESS);
    return NULL;                    /* see join() */
}

static apr_thread_t *start(apr_thread_start_t fn, void *j)
{
    apr_thread_t *t;

    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&t, NULL, fn, j, P));
    return t;
}

/* Threads return instead of calling apr_thread_exit() (see docs/pipe.md):
 * Windows APR's join then answers APR_INCOMPLETE. */
static void join(apr_thread_t *t)
{
    apr_status_t st, rv = apr_thread_join(&st, t);

    CU_ASSERT(rv == APR_SUCCESS || rv == APR_INCOMPLETE);
}

/* Read everything through the blocking reader view in small, slow steps
 * (a yield after each), checking every byte. */
static void consume_all(strata_pipe_t *p, apr_size_t total)
{
    strata_stream_t *r;
    unsigned char buf[700];
    apr_size_t off = 0, n, k;
    apr_status_t rv;
    int bad = 0;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_reader_stream(&r, p, P));
    while ((rv = strata_read(r, buf, 1 + off % sizeof(buf), &n))
           == APR_SUCCESS) {
        for (k = 0; k < n; k++)
            bad += buf[k] != byte_at(off + k);
        off += n;
        apr_thread_yield();
    }
    ASSERT_RV(APR_EOF, rv);
    CU_ASSERT(off == total);
    CU_ASSERT(bad == 0);
    ASSERT_RV(APR_SUCCESS, strata_close(r));
}

/* The most chunks a producer can have in the pipe (and so the pool can
 * ever have allocated for it): @max_unread bytes in chunks of @chunk bytes,
 * each filled to at least chunk - hint_max + 1 (a sizehint that does not fit
 * the tail's room starts a new chunk), plus a part-read head and the chunk
 * in hand. */
static apr_size_t chunk_bound(apr_size_t max_unread, apr_size_t chunk,
                              apr_size_t hint_max)
{
    apr_size_t fill = chunk - hint_max + 1;

    return (max_unread + fill - 1) / fill + 2;
}

static apr_size_t scaled(apr_size_t n)
{
    const char *s = getenv("STRATA_TEST_SCALE");
    int d = s != NULL ? atoi(s) : 0;

    return d > 1 ? n / (apr_size_t)d : n;
}

/* The figure from the issue: a producer committing through get_buffer ran
 * megabytes ahead of its reader and made thousands of chunks.  Asking
 * wait_writable first keeps it at the threshold. */
static void pipe_threads_reserve_commit_producer_stays_bounded(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(512, 64, 4096, 1024, TIMEOUT, &cp);
    apr_thread_t *t;
    prod_t j;

    memset(&j, 0, sizeof(j));
    j.p = p;
    j.total = scaled(2u << 20);
    j.hint_max = 128;
    t = start(reserve_producer, &j);
    consume_all(p, j.total);
    join(t);
    ASSERT_RV(APR_SUCCESS, j.rv);
    CU_ASSERT(j.max_unread <= 4096 + 512);
    strata_chunk_pool_stats(cp, &st);
    /* Without the wait: thousands (one per 512 bytes of the 2 MiB). */
    CU_ASSERT(st.allocations <= chunk_bound(4096 + 512, 512, 128));
    CU_ASSERT(st.frees == 0);
}

static void pipe_threads_writer_stream_reserve_commit_bounded(void)
{
    strata_chunk_pool_t *cp;
    strata_chunk_pool_stats_t st;
    strata_pipe_t *p = new_pipe(256, 64, 2048, 0, TIMEOUT, &cp);
    strata_counts_t cw;
    apr_thread_t *t;
    prod_t j;

    memset(&j, 0, sizeof(j));
    j.p = p;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&j.w, p, P));
    j.total = scaled(1u << 20);
    j.hint_max = 64;
    t = start(reserve_producer, &j);
    consume_all(p, j.total);
    join(t);
    ASSERT_RV(APR_SUCCESS, j.rv);
    CU_ASSERT(j.max_unread <= 2048 + 64);
    strata_stream_counts(j.w, &cw);
    CU_ASSERT(cw.write_bytes == j.total);
    CU_ASSERT(cw.write_ops == j.commits);
    strata_chunk_pool_stats(cp, &st);
    CU_ASSERT(st.allocations <= chunk_bound(2048 + 64, 256, 64));
    CU_ASSERT(st.frees == 0);
    ASSERT_RV(APR_SUCCESS, strata_close(j.w));
}

/* An event-driven writer: it never blocks; when paused it stops and waits
 * for the on_writable callback (here a flag it polls, standing for a
 * reactor's wake-up). */
typedef struct evprod_t {
    strata_pipe_t *p;
    apr_size_t total, max_unread;
    volatile apr_uint32_t woken;
    apr_uint32_t waits;
    apr_status_t rv;
} evprod_t;

static void wake(void *baton, strata_pipe_t *p)
{
    evprod_t *e = baton;

    apr_atomic_set32(&e->woken, 1);
}

static void *APR_THREAD_FUNC event_producer(apr_thread_t *t, void *arg)
{
    evprod_t *e = arg;
    apr_size_t off = 0, cap, k, len;
    apr_time_t give_up = apr_time_now() + TIMEOUT;
    unsigned char *b;
    void *vb;

    e->rv = APR_SUCCESS;
    while (off < e->total && e->rv == APR_SUCCESS) {
        if (strata_pipe_writer_paused(e->p)) {
            e->waits++;
            while (!apr_atomic_cas32(&e->woken, 0, 1)) {
                if (apr_time_now() > give_up) {
                    e->rv = APR_TIMEUP;
                    return NULL;
                }
                apr_thread_yield();
            }
            continue;               /* may have paused again since */
        }
        apr_atomic_set32(&e->woken, 0);
        if ((e->rv = strata_pipe_get_buffer(e->p, 100, &vb, &cap))
            != APR_SUCCESS)
            break;
        b = vb;
        cap = cap > e->total - off ? e->total - off : cap;
        for (k = 0; k < cap; k++)
            b[k] = byte_at(off + k);
        e->rv = strata_pipe_commit(e->p, cap);
        off += cap;
        if ((len = strata_pipe_length(e->p)) > e->max_unread)
            e->max_unread = len;
    }
    if (e->rv == APR_SUCCESS)
        e->rv = strata_pipe_close_writer(e->p, APR_SUCCESS);
    return NULL;
}

static void pipe_threads_event_writer_resumes_on_callback(void)
{
    strata_pipe_t *p = new_pipe(128, 64, 1024, 256, TIMEOUT, NULL);
    apr_thread_t *t;
    evprod_t e;

    memset(&e, 0, sizeof(e));
    e.p = p;
    e.total = scaled(256u << 10);
    strata_pipe_on_writable(p, wake, &e);
    t = start(event_producer, &e);
    consume_all(p, e.total);
    join(t);
    ASSERT_RV(APR_SUCCESS, e.rv);
    CU_ASSERT(e.max_unread <= 1024 + 128);
    CU_ASSERT(e.waits > 0);
}

static void *APR_THREAD_FUNC close_reader_soon(apr_thread_t *t, void *arg)
{
    apr_sleep(20000);
    strata_pipe_close_reader(arg);
    return NULL;
}

static void pipe_threads_close_reader_wakes_wait_writable(void)
{
    strata_pipe_t *p = new_pipe(64, 8, 100, 50, TIMEOUT, NULL);
    apr_thread_t *t;

    commit_bytes(p, 64);
    commit_bytes(p, 64);
    t = start(close_reader_soon, p);
    ASSERT_RV(STRATA_ECLOSED, strata_pipe_wait_writable(p, TIMEOUT));
    join(t);
}

static CU_TestInfo tests[] = {
    { "pipe_paused_from_pause_until_below_resume", pipe_paused_from_pause_until_below_resume },
    { "pipe_on_writable_fires_after_advance_and_close_reader", pipe_on_writable_fires_after_advance_and_close_reader },
    { "pipe_no_pause_with_threshold_max", pipe_no_pause_with_threshold_max },
    { "pipe_wait_writable_after_close_writer_is_eclosed", pipe_wait_writable_after_close_writer_is_eclosed },
    { "pipe_writer_closed_without_reading", pipe_writer_closed_without_reading },
    { "pipe_writer_stream_reserve_commit_single_thread", pipe_writer_stream_reserve_commit_single_thread },
    { "pipe_writer_stream_commit_after_close_reader", pipe_writer_stream_commit_after_close_reader },
    { "pipe_writer_stream_reserve_honours_quota", pipe_writer_stream_reserve_honours_quota },
    { "pipe_threads_reserve_commit_producer_stays_bounded", pipe_threads_reserve_commit_producer_stays_bounded },
    { "pipe_threads_writer_stream_reserve_commit_bounded", pipe_threads_writer_stream_reserve_commit_bounded },
    { "pipe_threads_event_writer_resumes_on_callback", pipe_threads_event_writer_resumes_on_callback },
    { "pipe_threads_close_reader_wakes_wait_writable", pipe_threads_close_reader_wakes_wait_writable },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("pipe_backpressure", tests)
