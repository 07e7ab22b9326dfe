/*
 * bench_compress.c -- the codec layers against the raw libraries, pigz and
 * the gzip engines' own tools, one run, same data, 64 KiB calls.
 *
 * Every row pairs the two sides with bench_util's paired alternation
 * (blocks A B B A, STRATA_BENCH_PAIRS pairs, default 7; the median of the
 * per-block ratios, IQR and range).  Each side reports its own MB/s:
 * single-threaded rows timed in process CPU time, rows with threads or
 * child processes in wall-clock time, with the CPU time ratio of the two
 * sides printed under them.
 *
 *   per level 1, 6, 9:
 *   gzip writer (automatic engine) vs raw zlib deflate   goal >= 3.0 / 2.0 / -
 *   its output size vs zlib's (zlib / strata)             goal >= 0.995
 *   parallel gzip, 2 threads, vs pigz -p 2                 goal >= 2.0
 *   gzip reader (automatic engine) vs raw zlib inflate     goal >= 1.7
 *   ceilings: gzip writer vs igzip (level 1) and libdeflate-gzip (level 6),
 *   gzip reader vs igzip -d: how close the decorators come to the engines'
 *   own tools (no goal; >= 0.90 marked ok)
 *   bzip2/xz writer and reader vs libbz2/liblzma            >= 0.98 / 0.97
 *   parallel gzip's peak memory, and 1 GiB through a gzip writer (16 MiB)
 *
 * Sizes: STRATA_BENCH_MB (default 32) for gzip, a quarter of it for bzip2
 * and xz; STRATA_BENCH_BIG_MB (default 1024) for the memory row.
 * STRATA_BENCH_FILE: use that file's first STRATA_BENCH_MB MiB instead of
 * generated text.  Benches print and never fail.
 */
#include "bench_util.h"
#include "strata/strata.h"
#include "strata/compress.h"
#include "strata/stream_type.h"
#include <bzlib.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#ifndef _WIN32
#include <sys/resource.h>
#endif

#define CHUNK ((apr_size_t)64 * 1024)

/* Single-threaded rows are timed in process CPU time, so that other load
 * on the machine does not skew one side of a ratio; the threaded rows
 * (and pigz, a child process) in wall-clock time. */
static int use_wall;

static double now(void)
{
    return use_wall ? bench_now() : (double)clock() / CLOCKS_PER_SEC;
}

static apr_pool_t *pool;
static unsigned char *plain, *gz, *bz, *xz;
static apr_size_t plain_len, small_len, gz_len, bz_len, xz_len;
static unsigned char outbuf[CHUNK];

/* ---- a sink that swallows everything ------------------------------------- */

static apr_status_t null_write(strata_stream_t *s, const void *buf,
                               apr_size_t len, apr_size_t *n)
{
    *n = len;
    return APR_SUCCESS;
}

static const strata_stream_type_t null_type = {
    STRATA_STREAM_TYPE_VERSION, "null", STRATA_CAP_WRITE,
    sizeof(strata_stream_t), NULL, null_write, NULL, NULL, NULL, NULL, NULL
};

static strata_stream_t *null_sink(apr_pool_t *p)
{
    strata_stream_t *s;

    strata_stream_alloc(&s, &null_type, NULL, 0, p);
    strata_stream_ready(s);
    return s;
}

/* ---- data ------------------------------------------------------------------ */

static void gen(unsigned char *p, apr_size_t len, unsigned seed)
{
    static const char *words[] = { "the ", "stream ", "meter ", "layer ",
        "bytes ", "of ", "compressed ", "tenant ", "request ", "200 ",
        "GET /index.html ", "\n", "2026-11-21T18:00:00Z ", "error ", "ok " };
    apr_uint32_t x = seed * 2654435761u + 1;
    apr_size_t i = 0, w;

    while (i < len) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        if ((x & 7) == 0) {                /* a number: some entropy */
            p[i++] = (unsigned char)('0' + (x >> 8) % 10);
            continue;
        }
        w = strlen(words[(x >> 4) % 15]);
        if (w > len - i)
            w = len - i;
        memcpy(p + i, words[(x >> 4) % 15], w);
        i += w;
    }
}

/* ---- strata side ---------------------------------------------------------------- */

typedef struct job_t {
    strata_codec_t codec;
    int level;
    unsigned threads;
    const unsigned char *in;
    apr_size_t len;
    apr_size_t reps;                 /* write the input this many times */
    apr_size_t peak;                 /* out: codec memory high-water mark */
    apr_size_t out_len;              /* out: compressed bytes */
    strata_engine_t engine;          /* out: the engine that ran */
    const char *cmd;                 /* tool rows: the shell command */
    double cpu;                      /* out: CPU seconds of the last run
                                        (all threads; a tool: the child's) */
    double cpu_sum;                  /* out: summed over runs since reset */
    int runs;
} job_t;

/* ---- paired rows (bench_util's A B B A blocks) ------------------------------ */

/* Run @fa(@a) and @fb(@b) (each returns MB/s) in alternation and print the
 * row; for wall-clock rows also the ratio of the CPU time both sides spent
 * (a child's for a tool), which a busy machine does not move. */
static void pair_row(const char *name, double (*fa)(void *), void *a,
                     const char *peer, double (*fb)(void *), void *b,
                     double target)
{
    job_t *ja = a, *jb = b;
    bench_pair_t r;

    ja->cpu_sum = jb->cpu_sum = 0;
    ja->runs = jb->runs = 0;
    bench_pair_values2(bench_pairs(7), fa, a, fb, b, &r);
    bench_pair_row(name, "MB/s", 0, peer, &r, target);
    if (use_wall && ja != jb && ja->cpu_sum > 0 && jb->cpu_sum > 0
        && ja->runs > 0 && jb->runs > 0)
        printf("#   %s: CPU time ratio %.3f over all runs (%s per byte "
               "over strata's)\n", name,
               (jb->cpu_sum / jb->runs) / (ja->cpu_sum / ja->runs), peer);
    fflush(stdout);
}

static double strata_compress(void *arg)
{
    job_t *j = arg;
    strata_compress_opts_t o;
    strata_codec_info_t info;
    strata_stream_t *z;
    apr_pool_t *p;
    apr_size_t off, r, n;
    double t0, t;

    double c0 = (double)clock() / CLOCKS_PER_SEC;

    apr_pool_create(&p, pool);
    strata_compress_opts_init(&o);
    o.level = j->level;
    o.threads = j->threads;
    t0 = now();
    if (strata_compress_writer(&z, null_sink(p), j->codec, &o, 0, p)
        != APR_SUCCESS)
        return 0;
    for (r = 0; r < j->reps; r++)
        for (off = 0; off < j->len; off += n) {
            n = j->len - off < CHUNK ? j->len - off : CHUNK;
            strata_write_all(z, j->in + off, n, NULL);
        }
    strata_close(z);
    t = now() - t0;
    j->cpu = (double)clock() / CLOCKS_PER_SEC - c0;
    j->cpu_sum += j->cpu;
    j->runs++;
    strata_codec_stream_info(z, &info);
    j->peak = info.mem_peak;
    j->out_len = (apr_size_t)info.coded_bytes;
    j->engine = info.engine;
    apr_pool_destroy(p);
    return (double)j->len * (double)j->reps / t / 1e6;
}

static double strata_decompress(void *arg)
{
    job_t *j = arg;
    strata_stream_t *in, *z;
    apr_pool_t *p;
    apr_size_t n, total = 0;
    double t0, t;

    double c0 = (double)clock() / CLOCKS_PER_SEC;

    apr_pool_create(&p, pool);
    t0 = now();
    strata_memory_open_buffer(&in, j->in, j->len, p);
    if (strata_decompress_reader(&z, in, j->codec, NULL, 0, p) != APR_SUCCESS)
        return 0;
    while (strata_read(z, outbuf, CHUNK, &n) == APR_SUCCESS)
        total += n;
    strata_close(z);
    t = now() - t0;
    j->cpu = (double)clock() / CLOCKS_PER_SEC - c0;
    j->cpu_sum += j->cpu;
    j->runs++;
    apr_pool_destroy(p);
    return (double)total / t / 1e6;
}

/* ---- raw libraries ------------------------------------------------------------- */

static double raw_deflate(void *arg)
{
    job_t *j = arg;
    z_stream z;
    apr_size_t off = 0, n;
    double t0 = now();
    int flush;

    memset(&z, 0, sizeof(z));
    deflateInit2(&z, j->level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    do {
        n = j->len - off < CHUNK ? j->len - off : CHUNK;
        z.next_in = (Bytef *)j->in + off;
        z.avail_in = (uInt)n;
        off += n;
        flush = off == j->len ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = outbuf;
            z.avail_out = CHUNK;
            deflate(&z, flush);
        } while (z.avail_out == 0);
    } while (off < j->len);
    j->out_len = (apr_size_t)z.total_out;
    deflateEnd(&z);
    return (double)j->len / (now() - t0) / 1e6;
}

static double raw_inflate(void *arg)
{
    job_t *j = arg;
    z_stream z;
    apr_size_t total = 0;
    double t0 = now();
    int ret;

    memset(&z, 0, sizeof(z));
    inflateInit2(&z, 31);
    z.next_in = (Bytef *)j->in;
    z.avail_in = (uInt)j->len;
    do {
        z.next_out = outbuf;
        z.avail_out = CHUNK;
        ret = inflate(&z, Z_NO_FLUSH);
        total += CHUNK - z.avail_out;
    } while (ret == Z_OK);
    inflateEnd(&z);
    return (double)total / (now() - t0) / 1e6;
}

static double raw_bzip2(void *arg)
{
    job_t *j = arg;
    bz_stream b;
    apr_size_t off = 0, n;
    double t0 = now();
    int action, ret;

    memset(&b, 0, sizeof(b));
    BZ2_bzCompressInit(&b, j->level, 0, 0);
    do {
        n = j->len - off < CHUNK ? j->len - off : CHUNK;
        b.next_in = (char *)j->in + off;
        b.avail_in = (unsigned)n;
        off += n;
        action = off == j->len ? BZ_FINISH : BZ_RUN;
        do {
            b.next_out = (char *)outbuf;
            b.avail_out = CHUNK;
            ret = BZ2_bzCompress(&b, action);
        } while (action == BZ_FINISH ? ret != BZ_STREAM_END : b.avail_in > 0);
    } while (off < j->len);
    BZ2_bzCompressEnd(&b);
    return (double)j->len / (now() - t0) / 1e6;
}

static double raw_bunzip2(void *arg)
{
    job_t *j = arg;
    bz_stream b;
    apr_size_t total = 0;
    double t0 = now();
    int ret;

    memset(&b, 0, sizeof(b));
    BZ2_bzDecompressInit(&b, 0, 0);
    b.next_in = (char *)j->in;
    b.avail_in = (unsigned)j->len;
    do {
        b.next_out = (char *)outbuf;
        b.avail_out = CHUNK;
        ret = BZ2_bzDecompress(&b);
        total += CHUNK - b.avail_out;
    } while (ret == BZ_OK);
    BZ2_bzDecompressEnd(&b);
    return (double)total / (now() - t0) / 1e6;
}

static double raw_xz(void *arg)
{
    job_t *j = arg;
    lzma_stream l = LZMA_STREAM_INIT;
    apr_size_t off = 0, n;
    double t0 = now();
    lzma_action action;
    lzma_ret ret;

    if (lzma_easy_encoder(&l, (uint32_t)j->level, LZMA_CHECK_CRC64) != LZMA_OK)
        return 0;
    do {
        n = j->len - off < CHUNK ? j->len - off : CHUNK;
        l.next_in = j->in + off;
        l.avail_in = n;
        off += n;
        action = off == j->len ? LZMA_FINISH : LZMA_RUN;
        do {
            l.next_out = outbuf;
            l.avail_out = CHUNK;
            ret = lzma_code(&l, action);
        } while (action == LZMA_FINISH ? ret == LZMA_OK : l.avail_in > 0);
    } while (off < j->len);
    lzma_end(&l);
    return (double)j->len / (now() - t0) / 1e6;
}

static double raw_unxz(void *arg)
{
    job_t *j = arg;
    lzma_stream l = LZMA_STREAM_INIT;
    apr_size_t total = 0;
    double t0 = now();
    lzma_ret ret;

    if (lzma_stream_decoder(&l, UINT64_MAX, 0) != LZMA_OK)
        return 0;
    l.next_in = j->in;
    l.avail_in = j->len;
    do {
        l.next_out = outbuf;
        l.avail_out = CHUNK;
        ret = lzma_code(&l, LZMA_FINISH);
        total += CHUNK - l.avail_out;
    } while (ret == LZMA_OK);
    lzma_end(&l);
    return (double)total / (now() - t0) / 1e6;
}

/* ---- tools (pigz, igzip, libdeflate-gzip): wall clock ------------------- */

static const char *plain_file, *gz_file;

/* CPU seconds of the children waited for so far (0 where unknown). */
static double children_cpu(void)
{
#ifndef _WIN32
    struct rusage ru;

    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
             + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
#endif
    return 0;
}

static double run_tool(void *arg)
{
    job_t *j = arg;
    double t0 = bench_now(), c0 = children_cpu();

    if (system(j->cmd) != 0)
        return 0;
    j->cpu = children_cpu() - c0;
    j->cpu_sum += j->cpu;
    j->runs++;
    return (double)j->len / (bench_now() - t0) / 1e6;
}

static int have_tool(const char *name)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static void write_file(const char *path, const void *p, apr_size_t len)
{
    apr_file_t *f;

    if (apr_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                      | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY,
                      APR_FPROT_OS_DEFAULT, pool) == APR_SUCCESS) {
        apr_file_write_full(f, p, len, NULL);
        apr_file_close(f);
    }
}

/* Keep the compressed forms for the reader rows (zlib engine: the reader
 * rows decode what zlib wrote). */
static unsigned char *compress_all(strata_codec_t codec, int level,
                                   const unsigned char *in, apr_size_t len,
                                   apr_size_t *outlen)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    const void *p;

    strata_compress_opts_init(&o);
    o.level = level;
    o.engine = STRATA_ENGINE_ZLIB;
    strata_memory_create(&mem, 0, pool);
    strata_compress_writer(&z, mem, codec, &o, 0, pool);
    strata_write_all(z, in, len, NULL);
    strata_close(z);
    strata_memory_contents(mem, &p, outlen);
    return (unsigned char *)p;
}

static void load_plain(apr_size_t len)
{
    const char *path = getenv("STRATA_BENCH_FILE");
    FILE *f;
    size_t got = 0;

    plain = malloc(len);
    if (path != NULL && *path && (f = fopen(path, "rb")) != NULL) {
        got = fread(plain, 1, len, f);
        fclose(f);
        printf("# data: %lu bytes of %s\n", (unsigned long)got, path);
    }
    if (got < len / 2) {
        gen(plain, len, 1);
        got = len;
        printf("# data: %lu MiB generated text\n", (unsigned long)(len >> 20));
    }
    plain_len = got;
}

static void gzip_rows(int level, int have_pigz)
{
    static const char *const ceiling_l1 = "igzip -2 -c '%s' > /dev/null";
    static const char *const ceiling_l6 = "libdeflate-gzip -7 -c < '%s' > /dev/null";
    char name[64], cmd[512];
    job_t js, jz, jt;

    js = (job_t){ STRATA_CODEC_GZIP, level, 0, plain, plain_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    jz = js;
    use_wall = 0;
    snprintf(name, sizeof(name), "gzip_writer_L%d_vs_zlib", level);
    pair_row(name, strata_compress, &js, "zlib", raw_deflate, &jz,
             level == 1 ? 3.0 : level == 6 ? 2.0 : 1.0);
    printf("# level %d: strata engine %s, %lu bytes; zlib %lu bytes\n", level,
           strata_engine_name(js.engine), (unsigned long)js.out_len,
           (unsigned long)jz.out_len);
    snprintf(name, sizeof(name), "gzip_writer_L%d_size", level);
    bench_row(name, "bytes", (double)js.out_len, "zlib", (double)jz.out_len,
              0.995, 0);

    /* parallel: 2 threads against pigz -p 2, wall clock */
    use_wall = 1;
    if (have_pigz) {
        js.threads = 2;
        jt = js;
        snprintf(cmd, sizeof(cmd), "pigz -p 2 -%d -c < '%s' > /dev/null",
                 level, plain_file);
        jt.cmd = cmd;
        snprintf(name, sizeof(name), "pgzip_T2_L%d_vs_pigz_p2", level);
        pair_row(name, strata_compress, &js, "pigz", run_tool, &jt, 2.0);
        js.threads = 0;
    }
    /* the engine's own tool as the ceiling */
    if ((level == 1 && have_tool("igzip"))
        || (level == 6 && have_tool("libdeflate-gzip"))) {
        jt = js;
        snprintf(cmd, sizeof(cmd), level == 1 ? ceiling_l1 : ceiling_l6,
                 plain_file);
        jt.cmd = cmd;
        snprintf(name, sizeof(name), "gzip_writer_L%d_vs_%s", level,
                 level == 1 ? "igzip" : "libdeflate");
        pair_row(name, strata_compress, &js, level == 1 ? "igzip-2"
                 : "libdeflate-gzip-7", run_tool, &jt, 0.90);
    }
    use_wall = 0;
}

int main(int argc, const char *const *argv)
{
    apr_size_t mb = bench_env_size("STRATA_BENCH_MB", 32);
    apr_size_t big_mb = bench_env_size("STRATA_BENCH_BIG_MB", 1024);
    job_t js, jr, jt;
    char cmd[512];
    int have_pigz, level;
    double a;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    load_plain(mb * 1024 * 1024);
    small_len = plain_len / 4;
    gz = compress_all(STRATA_CODEC_GZIP, 6, plain, plain_len, &gz_len);
    bz = compress_all(STRATA_CODEC_BZIP2, 9, plain, small_len, &bz_len);
    xz = compress_all(STRATA_CODEC_XZ, 1, plain, small_len, &xz_len);
    printf("# gzip -6 ratio %.2f; bzip2/xz rows on a quarter; engines: %s\n",
           (double)plain_len / (double)gz_len, strata_engines_built());
    plain_file = "bench_compress_plain.tmp";
    gz_file = "bench_compress_gz.tmp";
    write_file(plain_file, plain, plain_len);
    write_file(gz_file, gz, gz_len);
    have_pigz = have_tool("pigz");
    if (!have_pigz)
        printf("# pigz not found: pgzip rows skipped\n");

    /* gzip, per level */
    for (level = 1; level <= 9; level += level == 1 ? 5 : 3)
        gzip_rows(level, have_pigz);

    /* gzip reader: automatic engine vs raw zlib, then igzip -d */
    jr = (job_t){ STRATA_CODEC_GZIP, 6, 0, gz, gz_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    pair_row("gzip_reader_vs_zlib_inflate", strata_decompress, &jr, "zlib",
             raw_inflate, &jr, 1.7);
    if (have_tool("igzip")) {
        use_wall = 1;
        jt = jr;
        jt.len = plain_len;         /* MB/s of plain output, as the reader */
        snprintf(cmd, sizeof(cmd), "igzip -d -c '%s' > /dev/null", gz_file);
        jt.cmd = cmd;
        pair_row("gzip_reader_vs_igzip_d", strata_decompress, &jr, "igzip-d",
                 run_tool, &jt, 0.90);
        use_wall = 0;
    }

    /* bzip2 */
    js = (job_t){ STRATA_CODEC_BZIP2, 9, 0, plain, small_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    pair_row("bzip2_writer_vs_libbz2", strata_compress, &js, "libbz2",
             raw_bzip2, &js, 0.98);
    jr = (job_t){ STRATA_CODEC_BZIP2, 9, 0, bz, bz_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    pair_row("bzip2_reader_vs_libbz2", strata_decompress, &jr, "libbz2",
             raw_bunzip2, &jr, 0.97);

    /* xz */
    js = (job_t){ STRATA_CODEC_XZ, 1, 0, plain, small_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    pair_row("xz_writer_vs_liblzma", strata_compress, &js, "liblzma", raw_xz,
             &js, 0.98);
    jr = (job_t){ STRATA_CODEC_XZ, 1, 0, xz, xz_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    pair_row("xz_reader_vs_liblzma", strata_decompress, &jr, "liblzma",
             raw_unxz, &jr, 0.97);

    /* memory: parallel gzip at level 6, and 1 GiB through a gzip writer */
    use_wall = 1;
    js = (job_t){ STRATA_CODEC_GZIP, 6, 2, plain, plain_len, 1, 0, 0, 0, NULL, 0, 0, 0 };
    strata_compress(&js);
    bench_row("pgzip_2threads_peak_memory", "MiB",
              (double)js.peak / (1024.0 * 1024.0), "budget", 16.0, 1.0, 0);
    use_wall = 0;
    js = (job_t){ STRATA_CODEC_GZIP, 1, 0, plain, 1024 * 1024, big_mb, 0, 0, 0, NULL, 0, 0, 0 };
    a = strata_compress(&js);
    bench_row("gzip_1GiB_peak_memory", "MiB",
              (double)(js.peak + CHUNK) / (1024.0 * 1024.0), "budget", 16.0,
              1.0, 0);
    printf("# %lu MiB at %.0f MB/s (engine %s), codec peak %lu bytes + 64 KiB "
           "buffer\n", (unsigned long)big_mb, a, strata_engine_name(js.engine),
           (unsigned long)js.peak);

    apr_file_remove(plain_file, pool);
    apr_file_remove(gz_file, pool);
    free(plain);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
