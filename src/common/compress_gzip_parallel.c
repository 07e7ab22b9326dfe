/*
 * compress_gzip_parallel.c -- the gzip writer with threads > 1.
 *
 * Input is cut into blocks (block_size, at least 32 KiB); each block is
 * deflated on one of the stream's worker threads and the results are written
 * in order by the caller's thread.  Two output forms, both standard:
 *  - one gzip member (default, as pigz writes): each block is raw deflate
 *    primed with the previous block's last 32 KiB as dictionary and ended
 *    by a sync flush; the writer adds the header, an empty final block and
 *    the trailer, whose CRC is combined from the blocks' (crc32_combine);
 *  - one independent gzip member per block (gzip_members).
 * At most 2 * threads + 2 blocks are in flight (threads + 1 with
 * libdeflate, whose blocks are 2 MiB by default), so memory stays bounded:
 * about 2 * block_size per block in flight; every buffer and deflate state
 * comes from the counting allocator.
 *
 * The workers are the stream's own apr_threads (not an apr_thread_pool,
 * whose worker that cannot allocate its bookkeeping exits uncounted, so
 * that destroying the pool waits forever): a failed start stops and joins
 * those already running and returns the error; workers end by returning.
 * Or, with opts->executor, each queued block is one task on that executor
 * (pgz_task); its completion callback (pgz_task_done) counts it off, and
 * close waits until every task has been counted off.  A cancelled task
 * fails the block it stood for with STRATA_ECANCELED; a refused one is
 * compressed on the writer's thread.
 */
#include "strata_codec_private.h"
#include <apr_strings.h>
#include "strata_os.h"
#include "strata/executor.h"
#include <apr_thread_proc.h>
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <string.h>
#include <zlib.h>

#define PGZ_DICT        32768
#define PGZ_MIN_BLOCK   PGZ_DICT
#define PGZ_DEF_BLOCK   ((apr_size_t)128 * 1024)
#define PGZ_MAX_BLOCK   ((apr_size_t)64 * 1024 * 1024)

typedef struct pgz_stream_t pgz_stream_t;

typedef struct pgz_zs_t {             /* a deflate state, reused */
    struct pgz_zs_t *next;
    z_stream z;                      /* zlib engine */
    void *eng;                       /* ISA-L block state / libdeflate's */
} pgz_zs_t;

typedef enum pgz_job_state { JOB_FREE, JOB_FILLING, JOB_QUEUED, JOB_DONE } pgz_job_state;

typedef struct pgz_job_t {
    pgz_stream_t *owner;
    pgz_job_state state;             /* JOB_DONE is set under owner->mu */
    int first;                       /* the stream's first block */
    unsigned char *in;               /* block_size */
    apr_size_t in_len;
    unsigned char *dict;             /* PGZ_DICT */
    apr_size_t dict_len;
    unsigned char *out;
    apr_size_t out_cap, out_len, out_pos;
    apr_uint32_t crc;
    int crc_taken;                   /* folded into the stream's CRC */
    apr_status_t rv;
} pgz_job_t;

struct pgz_stream_t {
    strata_stream_t base;            /* must be first */
    strata__alloc_t alloc;
    apr_pool_t *tpool;               /* own top-level pool: thread pool, mutex,
                                        cond; destroyed by close, so a pool
                                        clear cannot take it away first */
    apr_thread_t **workers;          /* nworkers running */
    unsigned nworkers;
    strata_executor_t *ex;           /* or the blocks are tasks there */
    unsigned tasks;                  /* under mu: tasks not counted off */
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;           /* a job is done (the writer waits) */
    apr_thread_cond_t *work_cv;      /* a job is queued, or stop */
    pgz_job_t **queue;               /* jobs to compress, FIFO, under mu */
    unsigned qhead, qlen;
    int stopping;                    /* under mu: workers end when idle */
    pgz_zs_t *zfree;                 /* under mu */
    pgz_job_t *jobs;                 /* ring of njobs, in stream order */
    unsigned njobs, head, count;     /* queued or done, oldest at head */
    pgz_job_t *cur;                  /* being filled (not in the ring count) */
    apr_size_t block;
    int level, members;
    strata_engine_t engine;          /* the block engine */
    int elevel;                      /* its own level */
    unsigned threads;
    unsigned char dict[PGZ_DICT];    /* the last 32 KiB of input submitted */
    apr_size_t dict_len;
    apr_uint32_t crc;                /* single member: CRC of all input */
    apr_uint64_t plain, coded, blocks;
    unsigned char *tail;             /* header (empty input), final block,
                                        trailer: pending */
    int gz_header;                   /* write gzip(1)'s header: */
    const char *gz_name;             /* FNAME (from the pool), or NULL */
    const char *gz_comment;          /* FCOMMENT (the same), or NULL */
    apr_uint32_t gz_mtime;           /* MTIME */
    apr_size_t tail_len, tail_pos;
    int finished;
    apr_status_t err;                /* sticky */
};

/* ---- the worker ------------------------------------------------------------ */

static voidpf pgz_zalloc(voidpf opaque, uInt items, uInt size)
{
    return strata__alloc_n(opaque, items, size);
}

static void pgz_zfree(voidpf opaque, voidpf p)
{
    strata__alloc_free(opaque, p);
}

static pgz_zs_t *pgz_get_z(pgz_stream_t *g)
{
    pgz_zs_t *zs;

    apr_thread_mutex_lock(g->mu);
    zs = g->zfree;
    if (zs != NULL)
        g->zfree = zs->next;
    apr_thread_mutex_unlock(g->mu);
    if (zs != NULL) {
        if (g->engine == STRATA_ENGINE_ZLIB)
            deflateReset(&zs->z);
        return zs;
    }
    zs = strata__alloc(&g->alloc, sizeof(*zs));
    if (zs == NULL)
        return NULL;
    memset(zs, 0, sizeof(*zs));
    if (g->engine != STRATA_ENGINE_ZLIB) {
        zs->eng = g->engine == STRATA_ENGINE_ISAL
                  ? strata__isal_block_new(&g->alloc, g->elevel)
                  : strata__ldef_alloc(&g->alloc, g->elevel);
        if (zs->eng == NULL) {
            strata__alloc_free(&g->alloc, zs);
            return NULL;
        }
        return zs;
    }
    zs->z.zalloc = pgz_zalloc;
    zs->z.zfree = pgz_zfree;
    zs->z.opaque = &g->alloc;
    if (deflateInit2(&zs->z, g->level, Z_DEFLATED, -15, 8,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        strata__alloc_free(&g->alloc, zs);
        return NULL;
    }
    return zs;
}

static void pgz_put_z(pgz_stream_t *g, pgz_zs_t *zs)
{
    apr_thread_mutex_lock(g->mu);
    zs->next = g->zfree;
    g->zfree = zs;
    apr_thread_mutex_unlock(g->mu);
}

static apr_size_t pgz_put_header(const pgz_stream_t *g, unsigned char *p)
{
    static const unsigned char hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    int level = g->level;

    if (g->gz_header)
        return strata__gzip_header_put(p, level, g->gz_name, g->gz_comment,
                                       g->gz_mtime);
    memcpy(p, hdr, 10);
    p[8] = level >= 9 ? 2 : level == 1 ? 4 : 0;
    return 10;
}

static void pgz_put_le32(unsigned char *p, apr_uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void pgz_free_z(pgz_stream_t *g, pgz_zs_t *zs)
{
    if (g->engine == STRATA_ENGINE_ISAL)
        strata__isal_block_free(&g->alloc, zs->eng);
    else if (g->engine == STRATA_ENGINE_LIBDEFLATE)
        strata__ldef_free(&g->alloc, zs->eng, g->elevel);
    else
        deflateEnd(&zs->z);
    strata__alloc_free(&g->alloc, zs);
}

/* The block through ISA-L or libdeflate (which cannot take the previous
 * block as dictionary: its blocks are larger instead). */
static apr_status_t pgz_deflate_other(pgz_stream_t *g, pgz_job_t *job,
                                      pgz_zs_t *zs)
{
    unsigned char *out = job->out + job->out_len;
    apr_size_t cap = job->out_cap - job->out_len - 8, n;

    if (g->engine == STRATA_ENGINE_ISAL)
        n = strata__isal_block(zs->eng, job->dict,
                               g->members ? 0 : job->dict_len, job->in,
                               job->in_len, out, cap, g->members);
    else
        n = strata__ldef_compress(zs->eng, job->in, job->in_len, out, cap,
                                  !g->members);
    pgz_put_z(g, zs);
    if (n == 0)
        return APR_EGENERAL;             /* out_cap is a true bound */
    job->out_len += n;
    return APR_SUCCESS;
}

/* Deflate one block into job->out; the block is at most 64 MiB, so its
 * sizes fit zlib's uInt. */
static apr_status_t pgz_deflate(pgz_stream_t *g, pgz_job_t *job)
{
    pgz_zs_t *zs = pgz_get_z(g);
    z_stream *z;
    apr_status_t rv;
    int ret;

    if (zs == NULL)
        return strata__alloc_status(&g->alloc);
    z = &zs->z;
    job->out_len = 0;
    if (g->members || job->first)
        job->out_len = pgz_put_header(g, job->out);
    if (g->engine != STRATA_ENGINE_ZLIB) {
        if ((rv = pgz_deflate_other(g, job, zs)) != APR_SUCCESS)
            return rv;
        goto trailer;
    }
    if (!g->members && job->dict_len > 0)
        deflateSetDictionary(z, job->dict, (uInt)job->dict_len);
    z->next_in = job->in;
    z->avail_in = (uInt)job->in_len;
    z->next_out = job->out + job->out_len;
    z->avail_out = (uInt)(job->out_cap - job->out_len - 8);
    ret = deflate(z, g->members ? Z_FINISH : Z_SYNC_FLUSH);
    if (z->avail_in != 0 || (ret != Z_OK && ret != Z_STREAM_END)
        || z->avail_out == 0) {
        pgz_put_z(g, zs);
        return APR_EGENERAL;             /* out_cap is a true bound */
    }
    job->out_len = (apr_size_t)(z->next_out - job->out);
    pgz_put_z(g, zs);
trailer:
    job->crc = (apr_uint32_t)crc32(0, job->in, (uInt)job->in_len);
    if (g->members) {
        pgz_put_le32(job->out + job->out_len, job->crc);
        pgz_put_le32(job->out + job->out_len + 4, (apr_uint32_t)job->in_len);
        job->out_len += 8;
    }
    return APR_SUCCESS;
}

/* Take the oldest queued job off the queue (under mu), or NULL. */
static pgz_job_t *pgz_dequeue(pgz_stream_t *g)
{
    pgz_job_t *job;

    if (g->qlen == 0)
        return NULL;
    job = g->queue[g->qhead];
    g->qhead = (g->qhead + 1) % g->njobs;
    g->qlen--;
    return job;
}

/* Mark @job done with @rv and wake the writer (under mu). */
static void pgz_job_done(pgz_stream_t *g, pgz_job_t *job, apr_status_t rv)
{
    job->rv = rv;
    job->state = JOB_DONE;
    apr_thread_cond_broadcast(g->cv);
}

/* A worker: compress queued jobs until stopped with an empty queue. */
static void *APR_THREAD_FUNC pgz_worker(apr_thread_t *t, void *data)
{
    pgz_stream_t *g = data;
    pgz_job_t *job;
    apr_status_t rv;

    (void)t;
    apr_thread_mutex_lock(g->mu);
    for (;;) {
        while (g->qlen == 0 && !g->stopping)
            apr_thread_cond_wait(g->work_cv, g->mu);
        if ((job = pgz_dequeue(g)) == NULL)
            break;
        apr_thread_mutex_unlock(g->mu);
        rv = pgz_deflate(g, job);
        apr_thread_mutex_lock(g->mu);
        pgz_job_done(g, job, rv);
    }
    apr_thread_mutex_unlock(g->mu);
    return NULL;                     /* returning ends the thread, no unwind */
}

/* An executor task: compress one queued job (each task was submitted for
 * one, so there is one to take). */
static apr_status_t pgz_task(void *arg, void **result)
{
    pgz_stream_t *g = arg;
    pgz_job_t *job;
    apr_status_t rv;

    (void)result;
    apr_thread_mutex_lock(g->mu);
    job = pgz_dequeue(g);
    apr_thread_mutex_unlock(g->mu);
    if (job == NULL)
        return APR_SUCCESS;
    rv = pgz_deflate(g, job);
    apr_thread_mutex_lock(g->mu);
    pgz_job_done(g, job, rv);
    apr_thread_mutex_unlock(g->mu);
    return APR_SUCCESS;
}

/* A task's completion: count it off; a cancelled one fails its job. */
static void pgz_task_done(strata_future_t *f, void *baton)
{
    pgz_stream_t *g = baton;
    pgz_job_t *job;

    apr_thread_mutex_lock(g->mu);
    if (strata_future_status(f) == STRATA_ECANCELED
        && (job = pgz_dequeue(g)) != NULL)
        pgz_job_done(g, job, STRATA_ECANCELED);
    g->tasks--;
    apr_thread_cond_broadcast(g->cv);
    apr_thread_mutex_unlock(g->mu);
}

/* Queue a task for the job just queued; compress it here if refused. */
static void pgz_task_submit(pgz_stream_t *g)
{
    strata_future_t *f;

    apr_thread_mutex_lock(g->mu);
    g->tasks++;
    apr_thread_mutex_unlock(g->mu);
    if (strata_executor_submit(g->ex, pgz_task, g, &f) == APR_SUCCESS) {
        strata_future_then(f, pgz_task_done, g);
        strata_future_release(f);
        return;
    }
    apr_thread_mutex_lock(g->mu);
    g->tasks--;
    apr_thread_mutex_unlock(g->mu);
    pgz_task(g, NULL);
}

/* Wait until every executor task has been counted off. */
static void pgz_wait_tasks(pgz_stream_t *g)
{
    apr_thread_mutex_lock(g->mu);
    while (g->tasks > 0)
        apr_thread_cond_wait(g->cv, g->mu);
    apr_thread_mutex_unlock(g->mu);
}

/* Stop the workers once the queue is empty and join them. */
static void pgz_stop_workers(pgz_stream_t *g)
{
    apr_status_t ignored;
    unsigned i;

    if (g->nworkers == 0)
        return;
    apr_thread_mutex_lock(g->mu);
    g->stopping = 1;
    apr_thread_cond_broadcast(g->work_cv);
    apr_thread_mutex_unlock(g->mu);
    for (i = 0; i < g->nworkers; i++)
        apr_thread_join(&ignored, g->workers[i]);
    g->nworkers = 0;
}

unsigned strata__pgz_fail_start_at;

/* Start the workers; on a failure, stop those started and say why. */
static apr_status_t pgz_start_workers(pgz_stream_t *g)
{
    apr_threadattr_t *attr = NULL;
    apr_status_t rv;
    unsigned i;

    strata__os_thread_prepare();     /* a thread's exit must not abort */
    g->workers = apr_pcalloc(g->tpool, g->threads * sizeof(*g->workers));
    g->queue = apr_pcalloc(g->tpool, g->njobs * sizeof(*g->queue));
    if (g->workers == NULL || g->queue == NULL)
        return APR_ENOMEM;
    /* deflate needs little stack: 1 MiB, not the default 8 */
    if (apr_threadattr_create(&attr, g->tpool) != APR_SUCCESS
        || apr_threadattr_stacksize_set(attr, (apr_size_t)1 << 20)
           != APR_SUCCESS)
        attr = NULL;
    for (i = 0; i < g->threads; i++) {
        if (strata__pgz_fail_start_at == i + 1)
            rv = APR_EAGAIN;         /* the tests' seam */
        else
            rv = apr_thread_create(&g->workers[i], attr, pgz_worker, g,
                                   g->tpool);
        if (rv != APR_SUCCESS) {
            pgz_stop_workers(g);
            return rv;
        }
        g->nworkers = i + 1;
    }
    return APR_SUCCESS;
}

/* ---- the writer side -------------------------------------------------------- */

static apr_status_t pgz_fail(pgz_stream_t *g, apr_status_t rv)
{
    if (g->err == APR_SUCCESS)
        g->err = rv;
    return rv;
}

static apr_status_t pgz_job_alloc(pgz_stream_t *g, pgz_job_t *job)
{
    apr_size_t b = g->block;

    job->owner = g;
    job->in = strata__alloc(&g->alloc, b);
    job->dict = strata__alloc(&g->alloc, PGZ_DICT);
    /* deflate's worst case (stored blocks) plus header, flush, trailer;
     * ISA-L's and libdeflate's stored blocks are no worse than this */
    job->out_cap = b + (b >> 12) + (b >> 14) + 5 * (b / 16383 + 1) + 64;
    if (g->engine == STRATA_ENGINE_LIBDEFLATE
        && strata__ldef_bound(b) + 64 > job->out_cap)
        job->out_cap = strata__ldef_bound(b) + 64;
    job->out_cap += strata__gzip_header_len(g->gz_name, g->gz_comment);
    job->out = strata__alloc(&g->alloc, job->out_cap);
    if (job->in == NULL || job->dict == NULL || job->out == NULL)
        return strata__alloc_status(&g->alloc);
    return APR_SUCCESS;
}

/* A block to fill: the free slot after the ring's last, once one is free. */
static pgz_job_t *pgz_slot(pgz_stream_t *g)
{
    pgz_job_t *job;

    if (g->count == g->njobs)
        return NULL;
    job = &g->jobs[(g->head + g->count) % g->njobs];
    if (job->in == NULL && pgz_job_alloc(g, job) != APR_SUCCESS) {
        pgz_fail(g, strata__alloc_status(&g->alloc));
        return NULL;
    }
    job->state = JOB_FILLING;
    job->in_len = 0;
    job->out_pos = 0;
    job->crc_taken = 0;
    return job;
}

static apr_status_t pgz_submit(pgz_stream_t *g)
{
    pgz_job_t *job = g->cur;
    apr_size_t keep;

    job->first = g->blocks == 0;
    job->dict_len = g->dict_len;
    if (g->dict_len)
        memcpy(job->dict, g->dict, g->dict_len);
    /* the next block's dictionary: the last 32 KiB of input so far */
    if (job->in_len >= PGZ_DICT) {
        memcpy(g->dict, job->in + job->in_len - PGZ_DICT, PGZ_DICT);
        g->dict_len = PGZ_DICT;
    } else {
        keep = PGZ_DICT - job->in_len;
        if (keep > g->dict_len)
            keep = g->dict_len;
        memmove(g->dict, g->dict + g->dict_len - keep, keep);
        memcpy(g->dict + keep, job->in, job->in_len);
        g->dict_len = keep + job->in_len;
    }
    g->blocks++;
    g->cur = NULL;
    g->count++;
    apr_thread_mutex_lock(g->mu);
    job->state = JOB_QUEUED;
    g->queue[(g->qhead + g->qlen) % g->njobs] = job;
    g->qlen++;
    apr_thread_cond_signal(g->work_cv);
    apr_thread_mutex_unlock(g->mu);
    if (g->ex != NULL)
        pgz_task_submit(g);
    return APR_SUCCESS;
}

/* Write the oldest block out; @wait: block until it is compressed.
 * APR_INCOMPLETE when it is not ready and !wait. */
static apr_status_t pgz_retire(pgz_stream_t *g, int wait, int final)
{
    pgz_job_t *job = &g->jobs[g->head];
    apr_size_t n;
    apr_status_t rv;

    apr_thread_mutex_lock(g->mu);
    while (job->state != JOB_DONE && wait)
        apr_thread_cond_wait(g->cv, g->mu);
    rv = job->state == JOB_DONE ? job->rv : APR_INCOMPLETE;
    apr_thread_mutex_unlock(g->mu);
    if (rv == APR_INCOMPLETE)
        return rv;
    if (rv != APR_SUCCESS)
        return pgz_fail(g, rv);
    if (!job->crc_taken && !g->members) {
        g->crc = job->first ? job->crc
               : (apr_uint32_t)crc32_combine(g->crc, job->crc,
                                             (z_off_t)job->in_len);
        job->crc_taken = 1;
    }
    while (job->out_pos < job->out_len) {
        if (final)
            rv = strata__codec_write_out(g->base.inner, job->out + job->out_pos,
                                         job->out_len - job->out_pos, &n);
        else
            rv = strata_write(g->base.inner, job->out + job->out_pos,
                              job->out_len - job->out_pos, &n);
        job->out_pos += n;
        g->coded += n;
        if (rv != APR_SUCCESS)
            return rv;                  /* the rest goes on the next call */
    }
    if (g->members)
        g->crc = 0;
    job->state = JOB_FREE;
    g->head = (g->head + 1) % g->njobs;
    g->count--;
    return APR_SUCCESS;
}

static apr_status_t pgz_write(strata_stream_t *s, const void *buf,
                              apr_size_t len, apr_size_t *n)
{
    pgz_stream_t *g = (pgz_stream_t *)s;
    const unsigned char *p = buf;
    apr_size_t take;
    apr_status_t rv;

    if (g->err)
        return g->err;
    while (*n < len) {
        /* write out what is ready, without waiting */
        while (g->count > 0 && (rv = pgz_retire(g, 0, 0)) != APR_INCOMPLETE) {
            if (rv != APR_SUCCESS)
                return *n > 0 && rv != g->err ? APR_SUCCESS : rv;
        }
        if (g->cur == NULL && (g->cur = pgz_slot(g)) == NULL) {
            if (g->err)
                return g->err;
            rv = pgz_retire(g, 1, 0);    /* all slots busy: wait for one */
            if (rv != APR_SUCCESS)
                return *n > 0 && rv != g->err ? APR_SUCCESS : rv;
            continue;
        }
        take = g->block - g->cur->in_len;
        if (take > len - *n)
            take = len - *n;
        memcpy(g->cur->in + g->cur->in_len, p + *n, take);
        g->cur->in_len += take;
        *n += take;
        g->plain += take;
        if (g->cur->in_len == g->block)
            pgz_submit(g);
    }
    return APR_SUCCESS;
}

/* Submit the partial block and write out everything. */
static apr_status_t pgz_drain_all(pgz_stream_t *g, int final)
{
    apr_status_t rv;

    if (g->cur != NULL && g->cur->in_len > 0)
        pgz_submit(g);
    while (g->count > 0)
        if ((rv = pgz_retire(g, 1, final)) != APR_SUCCESS)
            return rv;
    return APR_SUCCESS;
}

static apr_status_t pgz_flush(strata_stream_t *s, int mode)
{
    pgz_stream_t *g = (pgz_stream_t *)s;
    apr_status_t rv;

    if (g->err)
        return g->err;
    if (mode >= STRATA_FLUSH_SYNC) {
        if ((rv = pgz_drain_all(g, 0)) != APR_SUCCESS)
            return rv;
    } else {
        while (g->count > 0 && (rv = pgz_retire(g, 0, 0)) != APR_INCOMPLETE)
            if (rv != APR_SUCCESS)
                return rv;
    }
    return strata_flush(s->inner, mode);
}

static apr_status_t pgz_shutdown(strata_stream_t *s)
{
    pgz_stream_t *g = (pgz_stream_t *)s;
    apr_status_t rv = g->err;
    apr_size_t n;

    if (rv == APR_SUCCESS)
        rv = pgz_drain_all(g, 1);
    if (rv == APR_SUCCESS) {
        apr_size_t t = 0;
        if (g->blocks == 0)                 /* empty input: one empty member */
            t = pgz_put_header(g, g->tail);
        if (g->blocks == 0 || !g->members) {
            g->tail[t++] = 0x03;            /* empty final fixed block */
            g->tail[t++] = 0x00;
            pgz_put_le32(g->tail + t, g->members ? 0 : g->crc);
            pgz_put_le32(g->tail + t + 4, (apr_uint32_t)g->plain);
            t += 8;
        }
        rv = strata__codec_write_out(s->inner, g->tail, t, &n);
        g->coded += n;
        if (rv == APR_SUCCESS)
            g->finished = 1;
    }
    return strata__shutdown_inner(s, rv);
}

/* The one cleanup path: wait for the workers, stop the pool, free all. */
static void pgz_release(pgz_stream_t *g)
{
    pgz_zs_t *zs;
    unsigned i;

    pgz_stop_workers(g);             /* they finish the queue first */
    if (g->ex != NULL)
        pgz_wait_tasks(g);
    while ((zs = g->zfree) != NULL) {
        g->zfree = zs->next;
        pgz_free_z(g, zs);
    }
    for (i = 0; g->jobs != NULL && i < g->njobs; i++) {
        strata__alloc_free(&g->alloc, g->jobs[i].in);
        strata__alloc_free(&g->alloc, g->jobs[i].dict);
        strata__alloc_free(&g->alloc, g->jobs[i].out);
        g->jobs[i].in = g->jobs[i].dict = g->jobs[i].out = NULL;
    }
}

static apr_status_t pgz_close(strata_stream_t *s)
{
    pgz_stream_t *g = (pgz_stream_t *)s;

    pgz_release(g);
    apr_pool_destroy(g->tpool);
    g->tpool = NULL;
    return APR_SUCCESS;
}

static apr_status_t pgz_control(strata_stream_t *s, int op, void *arg)
{
    return strata_control(s->inner, op, arg);
}

const strata_stream_type_t strata__gzip_parallel_type = {
    STRATA_STREAM_TYPE_VERSION, "gzip", STRATA_CAP_WRITE,
    sizeof(pgz_stream_t),
    NULL, pgz_write, pgz_flush, NULL, pgz_shutdown, pgz_close, pgz_control
};

apr_status_t strata__gzip_parallel_create(strata_stream_t **out,
                                          strata_stream_t *inner,
                                          const strata_compress_opts_t *opts,
                                          int level, unsigned flags,
                                          apr_pool_t *pool)
{
    strata_stream_t *s;
    pgz_stream_t *g;
    apr_status_t rv;

    rv = strata_stream_alloc(&s, &strata__gzip_parallel_type, inner, flags,
                             pool);
    if (rv != APR_SUCCESS)
        return rv;
    g = (pgz_stream_t *)s;
    strata__alloc_init(&g->alloc, opts->max_memory);
    g->level = level;
    g->gz_header = opts->gzip_header || opts->gzip_name != NULL
                   || opts->gzip_mtime != 0 || opts->gzip_comment != NULL;
    g->gz_comment = opts->gzip_comment != NULL
                    ? apr_pstrdup(pool, opts->gzip_comment) : NULL;
    g->gz_name = opts->gzip_name != NULL ? apr_pstrdup(pool, opts->gzip_name)
                                         : NULL;
    g->gz_mtime = opts->gzip_mtime;
    g->tail = apr_palloc(pool, 16 + strata__gzip_header_len(g->gz_name, g->gz_comment));
    g->members = opts->gzip_members;
    g->threads = opts->threads;
    g->ex = opts->executor;
    rv = strata__engine_pick(opts->engine, g->members ? STRATA__USE_MEMBERS
                                                     : STRATA__USE_BLOCKS,
                             level, opts->block_size, &g->engine, &g->elevel);
    if (rv != APR_SUCCESS)
        return rv;
    g->block = opts->block_size ? opts->block_size
             : g->engine == STRATA_ENGINE_LIBDEFLATE ? STRATA__LDEF_PAR_BLOCK
             : PGZ_DEF_BLOCK;
    if (g->block < PGZ_MIN_BLOCK)
        g->block = PGZ_MIN_BLOCK;
    if (g->block > PGZ_MAX_BLOCK)
        g->block = PGZ_MAX_BLOCK;
    g->njobs = g->engine == STRATA_ENGINE_LIBDEFLATE ? g->threads + 1
             : 2 * g->threads + 2;
    g->jobs = apr_pcalloc(pool, g->njobs * sizeof(pgz_job_t));
    if ((rv = apr_pool_create(&g->tpool, NULL)) != APR_SUCCESS)
        return rv;
    rv = apr_thread_mutex_create(&g->mu, APR_THREAD_MUTEX_DEFAULT, g->tpool);
    if (rv == APR_SUCCESS)
        rv = apr_thread_cond_create(&g->cv, g->tpool);
    if (rv == APR_SUCCESS)
        rv = apr_thread_cond_create(&g->work_cv, g->tpool);
    if (rv == APR_SUCCESS && g->ex != NULL) {
        g->queue = apr_pcalloc(g->tpool, g->njobs * sizeof(*g->queue));
        rv = g->queue != NULL ? APR_SUCCESS : APR_ENOMEM;
    } else if (rv == APR_SUCCESS) {
        rv = pgz_start_workers(g);
    }
    if (rv != APR_SUCCESS) {
        apr_pool_destroy(g->tpool);
        return rv;
    }
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata__gzip_parallel_info(strata_stream_t *s,
                                        strata_codec_info_t *info)
{
    pgz_stream_t *g = (pgz_stream_t *)s;

    memset(info, 0, sizeof(*info));
    info->codec = STRATA_CODEC_GZIP;
    info->compressing = 1;
    info->threads = g->threads;
    info->plain_bytes = g->plain;
    info->coded_bytes = g->coded;
    info->coded_used = g->coded;
    info->members = g->members ? g->blocks : (apr_uint64_t)g->finished;
    info->mem_current = (apr_size_t)g->alloc.current;
    info->mem_peak = (apr_size_t)g->alloc.peak;
    info->engine = g->engine;
    return APR_SUCCESS;
}
