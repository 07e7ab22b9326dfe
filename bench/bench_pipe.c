/*
 * bench_pipe.c -- a producer thread and a consumer thread joined by the
 * pipe (blocking stream views, 64 KiB writes and reads) against the same
 * transfer over a socketpair (target >= 2x), plus the number of chunk
 * allocations after warm-up (must be 0).
 * Paired alternation (bench_util.h), timed in wall-clock time (two threads
 * per side, and waiting is part of the cost); STRATA_BENCH_PAIRS (21).
 * Data size: STRATA_BENCH_MB (default 1 GiB per run); the pipe's pause
 * threshold STRATA_BENCH_PIPE_PAUSE (default 512 KiB, resume at half) and
 * chunk size STRATA_BENCH_PIPE_CHUNK (default 16 KiB).
 */
#include "bench_util.h"
#include "strata/strata.h"
#include <apr_thread_proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <sys/socket.h>
#include <unistd.h>
#include <errno.h>

#define BLOCK (64 * 1024)

typedef struct xfer_t {
    apr_uint64_t total;
    strata_stream_t *w, *r;      /* pipe ends */
    int fd[2];                   /* socketpair */
    char *src;
} xfer_t;

static void *APR_THREAD_FUNC pipe_producer(apr_thread_t *t, void *arg)
{
    xfer_t *x = arg;
    apr_uint64_t done;

    for (done = 0; done < x->total; done += BLOCK)
        if (strata_write_all(x->w, x->src, BLOCK, NULL) != APR_SUCCESS)
            abort();
    strata_shutdown_write(x->w);
    return NULL;
}

static void *APR_THREAD_FUNC sock_producer(apr_thread_t *t, void *arg)
{
    xfer_t *x = arg;
    apr_uint64_t done;
    ssize_t n;
    size_t off;

    for (done = 0; done < x->total; done += BLOCK) {
        for (off = 0; off < BLOCK; off += (size_t)n) {
            n = write(x->fd[0], x->src + off, BLOCK - off);
            if (n < 0 && errno != EINTR)
                abort();
            if (n < 0)
                n = 0;
        }
    }
    shutdown(x->fd[0], SHUT_WR);
    return NULL;
}

/* Consume everything (the producer thread included in the run). */
static void consume_pipe(xfer_t *x, apr_pool_t *pool)
{
    static char dst[BLOCK];
    apr_uint64_t got = 0;
    apr_thread_t *t;
    apr_status_t st, rv;
    apr_size_t n;

    apr_thread_create(&t, NULL, pipe_producer, x, pool);
    while ((rv = strata_read(x->r, dst, BLOCK, &n)) == APR_SUCCESS)
        got += n;
    apr_thread_join(&st, t);
    if (rv != APR_EOF || got != x->total) {
        fprintf(stderr, "bench_pipe: pipe moved %lu bytes\n",
                (unsigned long)got);
        exit(1);
    }
}

static void consume_sock(xfer_t *x, apr_pool_t *pool)
{
    static char dst[BLOCK];
    apr_uint64_t got = 0;
    apr_thread_t *t;
    apr_status_t st;
    ssize_t n;

    apr_thread_create(&t, NULL, sock_producer, x, pool);
    while ((n = read(x->fd[1], dst, BLOCK)) != 0) {
        if (n < 0 && errno != EINTR)
            abort();
        if (n > 0)
            got += (apr_uint64_t)n;
    }
    apr_thread_join(&st, t);
    if (got != x->total) {
        fprintf(stderr, "bench_pipe: socketpair moved %lu bytes\n",
                (unsigned long)got);
        exit(1);
    }
}

typedef struct run_t {
    apr_pool_t *pool;
    strata_chunk_pool_t *chunks;
    apr_uint64_t total;
    apr_size_t pause;
    char *src;
} run_t;

static int run_pipe(void *arg)
{
    run_t *r = arg;
    strata_pipe_opts_t o;
    strata_pipe_t *p;
    apr_pool_t *pool;
    xfer_t x;

    apr_pool_create(&pool, r->pool);
    memset(&o, 0, sizeof(o));
    o.chunks = r->chunks;
    o.pause_threshold = r->pause;
    o.resume_threshold = r->pause / 2;
    memset(&x, 0, sizeof(x));
    x.total = r->total;
    x.src = r->src;
    if (strata_pipe_create(&p, &o, pool) != APR_SUCCESS
        || strata_pipe_writer_stream(&x.w, p, pool) != APR_SUCCESS
        || strata_pipe_reader_stream(&x.r, p, pool) != APR_SUCCESS)
        abort();
    consume_pipe(&x, pool);
    apr_pool_destroy(pool);
    return 0;
}

static int run_sock(void *arg)
{
    run_t *r = arg;
    apr_pool_t *pool;
    xfer_t x;

    apr_pool_create(&pool, r->pool);
    memset(&x, 0, sizeof(x));
    x.total = r->total;
    x.src = r->src;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, x.fd) != 0)
        abort();
    consume_sock(&x, pool);
    close(x.fd[0]);
    close(x.fd[1]);
    apr_pool_destroy(pool);
    return 0;
}

int main(int argc, const char *const *argv)
{
    apr_size_t mb = bench_env_size("STRATA_BENCH_MB", 1024);
    strata_chunk_pool_stats_t st;
    apr_uint64_t warm;
    apr_size_t bound;
    bench_pair_t res;
    run_t r;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&r.pool, NULL);
    r.total = ((apr_uint64_t)mb << 20) / BLOCK * BLOCK;
    r.src = malloc(BLOCK);
    memset(r.src, 'p', BLOCK);
    /* the pipes use their own chunk pool so its counters are theirs */
    r.pause = bench_env_size("STRATA_BENCH_PIPE_PAUSE", 512 * 1024);
    if (strata_chunk_pool_create(&r.chunks,
                                 bench_env_size("STRATA_BENCH_PIPE_CHUNK", 0),
                                 1024, r.pool) != APR_SUCCESS)
        abort();
    /* The most chunks a transfer can hold: the writer waits once `pause`
     * bytes are unread, so one 64 KiB write may start just below that; plus
     * the chunk the writer is filling and the one the reader is emptying.
     * Warm-up tops the pool up to that bound (one run alone reaches it only
     * by chance), so any allocation after it is one beyond the bound. */
    strata_chunk_pool_stats(r.chunks, &st);
    bound = (r.pause + BLOCK + st.chunk_size - 1) / st.chunk_size + 2;
    if (strata_chunk_pool_reserve(r.chunks, bound) != APR_SUCCESS)
        abort();
    run_pipe(&r);                          /* warm-up */
    strata_chunk_pool_stats(r.chunks, &st);
    warm = st.allocations;
    bench_pair_time(bench_pairs(21), BENCH_WALL, run_pipe, run_sock, &r, &res);
    strata_chunk_pool_stats(r.chunks, &st);
    printf("INFO %lu MiB per run in 64 KiB writes; chunk allocations: "
           "%lu in warm-up (bound %lu), %lu after warm-up (must be 0) %s\n",
           (unsigned long)mb, (unsigned long)warm, (unsigned long)bound,
           (unsigned long)(st.allocations - warm),
           st.allocations == warm ? "ok" : "BAD");
    bench_pair_row("pipe_threads_vs_socketpair", "MB/s", (double)r.total / 1e6,
                   "socketpair", &res, 2.0);
    free(r.src);
    apr_pool_destroy(r.pool);
    apr_terminate();
    return 0;
}

#else

int main(void)
{
    printf("SKIP bench_pipe: the socketpair peer is POSIX-only\n");
    return 0;
}

#endif
