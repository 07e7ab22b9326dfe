/*
 * bench_async.c -- async streams and the executor against libuv's pool.
 *
 * Rows (bench_pair_values: the two sides alternate, the row reports the
 * median of the per-pair ratios, their IQR and range):
 *  - rand4k_pool / rand4k_uring: 4 KiB reads at random offsets of a
 *    page-cached file (256 MiB), 64 in flight, through 64 async streams
 *    (pool path; io_uring path) vs uv_fs_read() on libuv's pool with the
 *    same thread count.  Targets 1.0 and 2.0.  Completions run as callbacks
 *    where they complete (each queues the next read); the _uvloop rows
 *    deliver them to a libuv loop on the main thread through a completion
 *    queue instead, as libuv delivers its own.
 *  - gzip_async_write: writing a large file through an async gzip file vs
 *    the same stack written synchronously.  Target 0.95.
 *  - empty_roundtrip: an empty function submitted and its completion seen
 *    by the submitter (strata_executor_submit + strata_future_wait; and
 *    through a completion queue and poll()) vs uv_queue_work's round trip.
 *    Reported as a ratio (no target).
 * Env: STRATA_BENCH_ASYNC_MB (file size, 256), STRATA_BENCH_GZ_MB (64),
 * STRATA_BENCH_THREADS (2), STRATA_BENCH_PAIRS (7), STRATA_BENCH_READS
 * (reads per run, 40000), STRATA_BENCH_CALLS (round trips per run, 20000).
 * Without libuv (STRATA_BENCH_HAVE_UV 0) only strata's figures print.
 */
#include "bench_util.h"
#include "strata/strata.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if STRATA_BENCH_HAVE_UV
#include <uv.h>
#endif

#define INFLIGHT 64
#define RSIZE 4096

static apr_size_t threads, pairs, reads_per_run, calls_per_run;

/* STRATA_BENCH_ONLY=rand|gzip|empty runs only the rows whose name has it. */
static int want(const char *row)
{
    const char *only = getenv("STRATA_BENCH_ONLY");

    return only == NULL || *only == '\0' || strstr(row, only) != NULL;
}

/* ---- a test file ------------------------------------------------------------ */

static const char *make_file(apr_pool_t *pool, apr_size_t mb)
{
    const char *dir = NULL, *path;
    strata_stream_t *s;
    char *buf = malloc(1 << 20);
    apr_size_t i, n;

    if (apr_temp_dir_get(&dir, pool) != APR_SUCCESS)
        dir = ".";
    path = apr_psprintf(pool, "%s/strata-bench-async-%lu", dir,
                        (unsigned long)apr_time_now());
    for (i = 0; i < (1 << 20); i++)
        buf[i] = (char)(i * 2654435761u >> 24);
    if (strata_file_open(&s, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                         | APR_FOPEN_TRUNCATE, APR_FPROT_OS_DEFAULT, 0,
                         pool) != APR_SUCCESS) {
        free(buf);
        return NULL;
    }
    for (i = 0; i < mb; i++)
        strata_write_all(s, buf, 1 << 20, &n);
    strata_close(s);
    /* read it once: page-cached from now on */
    if (strata_file_open(&s, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, 0,
                         pool) == APR_SUCCESS) {
        while (strata_read(s, buf, 1 << 20, &n) == APR_SUCCESS)
            ;
        strata_close(s);
    }
    free(buf);
    return path;
}

static apr_uint64_t next_rand(apr_uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* ---- random reads: strata ----------------------------------------------------- */

typedef struct rr_run_t rr_run_t;

typedef struct rr_slot_t {
    rr_run_t *run;
    strata_async_t *a;
    char buf[RSIZE];
    apr_size_t n;
    apr_uint64_t seed;
} rr_slot_t;

struct rr_run_t {
    strata_executor_t *ex;
    apr_size_t blocks;
    volatile apr_uint32_t issued;  /* reads started */
    volatile apr_uint32_t errors;
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;
    int active;
    strata_completion_queue_t *q;   /* non-NULL: completions to the loop */
    void (*all_done)(rr_run_t *r);  /* queue mode: the last one finished */
    rr_slot_t slot[INFLIGHT];
};

static void rr_issue(rr_slot_t *sl);

static void rr_done(strata_future_t *f, void *baton)
{
    rr_slot_t *sl = baton;

    if (strata_future_status(f) != APR_SUCCESS || sl->n != RSIZE)
        __atomic_add_fetch(&sl->run->errors, 1, __ATOMIC_RELAXED);
    strata_future_release(f);
    rr_issue(sl);
}

static void rr_issue(rr_slot_t *sl)
{
    rr_run_t *r = sl->run;
    strata_future_t *f;
    apr_off_t off;

    if (__atomic_fetch_add(&r->issued, 1, __ATOMIC_RELAXED) >= reads_per_run) {
        if (r->q != NULL) {             /* on the loop's thread */
            if (--r->active == 0)
                r->all_done(r);
            return;
        }
        apr_thread_mutex_lock(r->mu);
        if (--r->active == 0)
            apr_thread_cond_signal(r->cv);
        apr_thread_mutex_unlock(r->mu);
        return;
    }
    off = (apr_off_t)(next_rand(&sl->seed) % r->blocks) * RSIZE;
    strata_async_seek(sl->a, off, APR_SET, NULL, NULL);
    strata_async_read(sl->a, sl->buf, RSIZE, &sl->n, &f);
    if (r->q != NULL)
        strata_future_then_queue(f, r->q, rr_done, sl);
    else
        strata_future_then(f, rr_done, sl);
}

/* Reads per second, or 0 on failure. */
static void (*rr_loop)(rr_run_t *r);   /* queue mode: runs the loop */

static double rr_strata(const char *path, apr_size_t mb, unsigned flags,
                        int *used_uring)
{
    static rr_run_t r;
    apr_pool_t *pool;
    double t0, rate = 0;
    int i;

    apr_pool_create(&pool, NULL);
    memset(&r, 0, sizeof(r));
    r.blocks = mb * (1048576 / RSIZE);
    apr_thread_mutex_create(&r.mu, APR_THREAD_MUTEX_DEFAULT, pool);
    apr_thread_cond_create(&r.cv, pool);
    strata_executor_create(&r.ex, threads, pool);
    for (i = 0; i < INFLIGHT; i++) {
        strata_stream_t *s;
        r.slot[i].run = &r;
        r.slot[i].seed = 88172645463325252ull + (apr_uint64_t)i * 7919;
        if (strata_file_open(&s, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, 0,
                             pool) != APR_SUCCESS
            || strata_async_create(&r.slot[i].a, s, r.ex,
                                   STRATA_OWN_INNER | flags, pool) != APR_SUCCESS)
            goto out;
    }
    *used_uring = strata_async_uses_uring(r.slot[0].a);
    r.active = INFLIGHT;
    if (rr_loop != NULL)
        strata_completion_queue_create(&r.q, pool);
    t0 = bench_now();
    for (i = 0; i < INFLIGHT; i++)
        rr_issue(&r.slot[i]);
    if (rr_loop != NULL) {
        rr_loop(&r);
    } else {
        apr_thread_mutex_lock(r.mu);
        while (r.active > 0)
            apr_thread_cond_wait(r.cv, r.mu);
        apr_thread_mutex_unlock(r.mu);
    }
    rate = (double)reads_per_run / (bench_now() - t0);
    if (r.errors)
        rate = 0;
    for (i = 0; i < INFLIGHT; i++)
        strata_async_close(r.slot[i].a, NULL);
out:
    strata_executor_destroy(r.ex, STRATA_EXECUTOR_FINISH);
    apr_pool_destroy(pool);
    return rate;
}

/* ---- empty round trips: strata -------------------------------------------------- */

static apr_status_t empty_task(void *arg, void **result)
{
    (void)arg;
    (void)result;
    return APR_SUCCESS;
}

static double rt_strata_wait(void)
{
    apr_pool_t *pool;
    strata_executor_t *ex;
    strata_future_t *f;
    double t0, rate;
    apr_size_t i;

    apr_pool_create(&pool, NULL);
    strata_executor_create(&ex, threads, pool);
    t0 = bench_now();
    for (i = 0; i < calls_per_run; i++) {
        strata_executor_submit(ex, empty_task, NULL, &f);
        strata_future_wait(f, -1);
        strata_future_release(f);
    }
    rate = (double)calls_per_run / (bench_now() - t0);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    apr_pool_destroy(pool);
    return rate;
}

/* ---- gzip writing: async vs sync ------------------------------------------------- */

#define GZ_CHUNK (256 * 1024)

static char *gz_data;

static void gz_fill(void)
{
    apr_size_t i;

    gz_data = malloc(GZ_CHUNK * 4);
    for (i = 0; i < GZ_CHUNK * 4; i++)     /* text-like, compressible */
        gz_data[i] = "the quick brown fox jumps over the lazy dog 0123456789\n"
                     [(i * 7 + i / 61) % 55];
}

/* MiB/s of plain data. */
static double gz_sync(const char *path, apr_size_t mb)
{
    apr_pool_t *pool;
    strata_stream_t *f, *z;
    apr_size_t i, chunks = mb * (1048576 / GZ_CHUNK);
    double t0 = bench_now(), rate = 0;

    apr_pool_create(&pool, NULL);
    if (strata_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                         | APR_FOPEN_TRUNCATE, APR_FPROT_OS_DEFAULT, 0,
                         pool) == APR_SUCCESS
        && strata_compress_writer(&z, f, STRATA_CODEC_GZIP, NULL,
                                  STRATA_OWN_INNER, pool) == APR_SUCCESS) {
        for (i = 0; i < chunks; i++)
            strata_write_all(z, gz_data + (i % 4) * GZ_CHUNK, GZ_CHUNK, NULL);
        if (strata_close(z) == APR_SUCCESS)
            rate = (double)mb / (bench_now() - t0);
    }
    apr_pool_destroy(pool);
    return rate;
}

static double gz_async(const char *path, apr_size_t mb)
{
    apr_pool_t *pool;
    strata_executor_t *ex;
    strata_async_open_opts_t o;
    strata_async_t *a;
    strata_future_t *f;
    apr_size_t i, chunks = mb * (1048576 / GZ_CHUNK);
    double t0, rate = 0;

    apr_pool_create(&pool, NULL);
    strata_executor_create(&ex, threads, pool);
    strata_async_open_opts_init(&o);
    o.codec = STRATA_CODEC_GZIP;
    t0 = bench_now();
    strata_async_open(&a, path, "w", &o, ex, pool, NULL);
    /* the caller's data is constant, so everything can be queued at once */
    for (i = 0; i < chunks; i++)
        strata_async_write(a, gz_data + (i % 4) * GZ_CHUNK, GZ_CHUNK, NULL, NULL);
    strata_async_close(a, &f);
    strata_future_wait(f, -1);
    if (strata_future_status(f) == APR_SUCCESS)
        rate = (double)mb / (bench_now() - t0);
    strata_future_release(f);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    apr_pool_destroy(pool);
    return rate;
}

/* ---- libuv side ---------------------------------------------------------------------- */

#if STRATA_BENCH_HAVE_UV

typedef struct uv_rr_t {
    uv_loop_t loop;
    uv_file fd;
    apr_size_t blocks, issued, errors;
    struct uv_slot_t {
        uv_fs_t req;
        char buf[RSIZE];
        uv_buf_t ub;
        apr_uint64_t seed;
        struct uv_rr_t *run;
    } slot[INFLIGHT];
} uv_rr_t;

static void uv_rr_issue(struct uv_slot_t *sl);

static void uv_rr_done(uv_fs_t *req)
{
    struct uv_slot_t *sl = req->data;

    if (req->result != RSIZE)
        sl->run->errors++;
    uv_fs_req_cleanup(req);
    uv_rr_issue(sl);
}

static void uv_rr_issue(struct uv_slot_t *sl)
{
    uv_rr_t *r = sl->run;
    int64_t off;

    if (r->issued++ >= reads_per_run)
        return;
    off = (int64_t)(next_rand(&sl->seed) % r->blocks) * RSIZE;
    sl->ub = uv_buf_init(sl->buf, RSIZE);
    sl->req.data = sl;
    uv_fs_read(&r->loop, &sl->req, r->fd, &sl->ub, 1, off, uv_rr_done);
}

static double rr_uv(const char *path, apr_size_t mb)
{
    static uv_rr_t r;
    uv_fs_t open_req;
    double t0, rate;
    int i;

    memset(&r, 0, sizeof(r));
    uv_loop_init(&r.loop);
    r.fd = uv_fs_open(NULL, &open_req, path, UV_FS_O_RDONLY, 0, NULL);
    uv_fs_req_cleanup(&open_req);
    r.blocks = mb * (1048576 / RSIZE);
    t0 = bench_now();
    for (i = 0; i < INFLIGHT; i++) {
        r.slot[i].run = &r;
        r.slot[i].seed = 88172645463325252ull + (apr_uint64_t)i * 7919;
        uv_rr_issue(&r.slot[i]);
    }
    uv_run(&r.loop, UV_RUN_DEFAULT);
    rate = (double)reads_per_run / (bench_now() - t0);
    uv_fs_close(NULL, &open_req, r.fd, NULL);
    uv_fs_req_cleanup(&open_req);
    uv_loop_close(&r.loop);
    return r.errors ? 0 : rate;
}

/* Queue mode of the strata side: completions come back to a libuv loop on
 * this thread through a completion queue, as libuv's own do. */
static uv_poll_t rrq_poll;

static void rrq_readable(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    strata_completion_queue_poll(((rr_run_t *)h->data)->q, 0, NULL);
}

static void rrq_all_done(rr_run_t *r)
{
    (void)r;
    uv_poll_stop(&rrq_poll);
}

static void rrq_loop(rr_run_t *r)
{
    uv_loop_t loop;

    uv_loop_init(&loop);
    r->all_done = rrq_all_done;
    uv_poll_init(&loop, &rrq_poll, (int)strata_completion_queue_fd(r->q));
    rrq_poll.data = r;
    uv_poll_start(&rrq_poll, UV_READABLE, rrq_readable);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&rrq_poll, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
}

static apr_size_t uv_calls_left;

static void uv_empty_work(uv_work_t *w)
{
    (void)w;
}

static void uv_empty_after(uv_work_t *w, int status)
{
    (void)status;
    if (--uv_calls_left > 0)
        uv_queue_work(w->loop, w, uv_empty_work, uv_empty_after);
}

static double rt_uv(void)
{
    uv_loop_t loop;
    uv_work_t w;
    double t0, rate;

    uv_loop_init(&loop);
    uv_calls_left = calls_per_run;
    t0 = bench_now();
    uv_queue_work(&loop, &w, uv_empty_work, uv_empty_after);
    uv_run(&loop, UV_RUN_DEFAULT);
    rate = (double)calls_per_run / (bench_now() - t0);
    uv_loop_close(&loop);
    return rate;
}

/* The same round trip with strata's completion delivered to a libuv loop
 * through a completion queue: the loop-integrated path. */
typedef struct rtq_t {
    strata_executor_t *ex;
    strata_completion_queue_t *q;
    uv_poll_t poll;
    apr_size_t left;
} rtq_t;

static void rtq_submit(rtq_t *r);

static void rtq_done(strata_future_t *f, void *baton)
{
    rtq_t *r = baton;

    strata_future_release(f);
    if (--r->left > 0)
        rtq_submit(r);
    else
        uv_poll_stop(&r->poll);
}

static void rtq_submit(rtq_t *r)
{
    strata_future_t *f;

    strata_executor_submit(r->ex, empty_task, NULL, &f);
    strata_future_then_queue(f, r->q, rtq_done, r);
}

static void rtq_readable(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    strata_completion_queue_poll(((rtq_t *)h->data)->q, 0, NULL);
}

static double rt_strata_queue(void)
{
    apr_pool_t *pool;
    uv_loop_t loop;
    rtq_t r;
    double t0, rate;

    apr_pool_create(&pool, NULL);
    strata_executor_create(&r.ex, threads, pool);
    strata_completion_queue_create(&r.q, pool);
    uv_loop_init(&loop);
    uv_poll_init(&loop, &r.poll, (int)strata_completion_queue_fd(r.q));
    r.poll.data = &r;
    uv_poll_start(&r.poll, UV_READABLE, rtq_readable);
    r.left = calls_per_run;
    t0 = bench_now();
    rtq_submit(&r);
    uv_run(&loop, UV_RUN_DEFAULT);
    rate = (double)calls_per_run / (bench_now() - t0);
    uv_close((uv_handle_t *)&r.poll, NULL);
    uv_run(&loop, UV_RUN_DEFAULT);
    uv_loop_close(&loop);
    strata_executor_destroy(r.ex, STRATA_EXECUTOR_FINISH);
    apr_pool_destroy(pool);
    return rate;
}

#endif /* STRATA_BENCH_HAVE_UV */

/* ---- rows ------------------------------------------------------------------------------ */

/* One row: the two sides alternate (bench_pair_values), median ratio. */
static void row(const char *name, const char *unit, double (*a)(void *),
                double (*b)(void *), void *arg, const char *peer,
                double target)
{
    bench_pair_t r;

    if (bench_pair_values((int)pairs, a, b, arg, &r) != 0) {
        printf("SKIP %s: a run failed\n", name);
        return;
    }
    bench_pair_row(name, unit, 0, peer, &r, target);
}

typedef struct rr_arg_t {
    const char *path;
    apr_size_t mb;
    unsigned flags;
    int uring;
} rr_arg_t;

static double side_rr_strata(void *arg)
{
    rr_arg_t *a = arg;
    return rr_strata(a->path, a->mb, a->flags, &a->uring);
}

static double side_gz_sync(void *arg)
{
    rr_arg_t *a = arg;
    return gz_sync(a->path, a->mb);
}

static double side_gz_async(void *arg)
{
    rr_arg_t *a = arg;
    return gz_async(a->path, a->mb);
}

static double side_rt_wait(void *arg)
{
    (void)arg;
    return rt_strata_wait();
}

#if STRATA_BENCH_HAVE_UV
static double side_rr_uv(void *arg)
{
    rr_arg_t *a = arg;
    return rr_uv(a->path, a->mb);
}

static double side_rt_uv(void *arg)
{
    (void)arg;
    return rt_uv();
}

static double side_rt_queue(void *arg)
{
    (void)arg;
    return rt_strata_queue();
}
#endif

int main(int argc, const char *const *argv)
{
    apr_size_t mb = bench_env_size("STRATA_BENCH_ASYNC_MB", 256);
    apr_size_t gzmb = bench_env_size("STRATA_BENCH_GZ_MB", 64);
    apr_pool_t *pool;
    rr_arg_t ra;
    int have_uring = 0;
    char tbuf[32];

    (void)have_uring;                      /* unused without libuv */
    threads = bench_env_size("STRATA_BENCH_THREADS", 2);
    pairs = (apr_size_t)bench_pairs(7);
    reads_per_run = bench_env_size("STRATA_BENCH_READS", 40000);
    calls_per_run = bench_env_size("STRATA_BENCH_CALLS", 20000);
    /* libuv reads its pool size once, on first use */
    apr_snprintf(tbuf, sizeof(tbuf), "%lu", (unsigned long)threads);
#ifdef _WIN32
    _putenv_s("UV_THREADPOOL_SIZE", tbuf);
#else
    setenv("UV_THREADPOOL_SIZE", tbuf, 1);
#endif
    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    printf("INFO threads=%lu pairs=%lu file=%lu MiB reads/run=%lu in flight=%d\n",
           (unsigned long)threads, (unsigned long)pairs, (unsigned long)mb,
           (unsigned long)reads_per_run, INFLIGHT);

    memset(&ra, 0, sizeof(ra));
    ra.mb = mb;
    ra.path = make_file(pool, mb);
    if (ra.path == NULL) {
        printf("SKIP bench_async: cannot write the test file\n");
        return 0;
    }
#if STRATA_BENCH_HAVE_UV
    if (!want("rand4k")) {
        /* skipped */
    } else {
    ra.flags = STRATA_ASYNC_NO_URING;
    row("rand4k_pool", "reads/s", side_rr_strata, side_rr_uv, &ra,
        "uv_fs_read", 1.0);
    ra.flags = 0;
    side_rr_strata(&ra);                   /* learn whether io_uring works */
    have_uring = ra.uring;
    if (have_uring)
        row("rand4k_uring", "reads/s", side_rr_strata, side_rr_uv, &ra,
            "uv_fs_read", 2.0);
    else
        printf("SKIP rand4k_uring: io_uring not available here\n");
    /* the same with completions delivered to a libuv loop, as uv's are */
    rr_loop = rrq_loop;
    ra.flags = STRATA_ASYNC_NO_URING;
    row("rand4k_pool_uvloop", "reads/s", side_rr_strata, side_rr_uv, &ra,
        "uv_fs_read", 1.0);
    ra.flags = 0;
    if (have_uring)
        row("rand4k_uring_uvloop", "reads/s", side_rr_strata, side_rr_uv, &ra,
            "uv_fs_read", 2.0);
    rr_loop = NULL;
    }
#else
    ra.flags = STRATA_ASYNC_NO_URING;
    printf("INFO rand4k_pool strata=%.0f reads/s (no libuv to compare)\n",
           side_rr_strata(&ra));
#endif
    apr_file_remove(ra.path, pool);

    if (want("gzip")) {
        gz_fill();
        ra.path = apr_pstrcat(pool, ra.path, ".gz", NULL);
        ra.mb = gzmb;
        row("gzip_async_write", "MiB/s", side_gz_async, side_gz_sync, &ra,
            "sync_gzip", 0.95);
        apr_file_remove(ra.path, pool);
        free(gz_data);
    }

#if STRATA_BENCH_HAVE_UV
    if (want("empty")) {
    row("empty_roundtrip", "calls/s", side_rt_wait, side_rt_uv, NULL,
        "uv_queue_work", 0);
    row("empty_rt_uvloop", "calls/s", side_rt_queue, side_rt_uv, NULL,
        "uv_queue_work", 0);
    }
#else
    printf("INFO empty_roundtrip strata=%.0f calls/s (no libuv to compare)\n",
           side_rt_wait(NULL));
#endif
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
