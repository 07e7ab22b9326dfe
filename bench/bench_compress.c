/*
 * bench_compress.c -- the codec layers against the raw libraries and pigz,
 * one run, same data, same level, 64 KiB calls on both sides.
 *
 *   gzip writer vs raw deflate (level 6)        target >= 0.98
 *   gzip reader vs raw inflate                  target >= 0.97
 *   bzip2 writer/reader vs raw libbz2 (level 9) target >= 0.98 / 0.97
 *   xz writer/reader vs raw liblzma (level 1)   target >= 0.98 / 0.97
 *   parallel gzip, 2 threads, vs pigz -p 2      target >= 1.0
 *   parallel gzip, 2 threads, vs raw deflate    target >= 1.85
 *   parallel gzip's peak memory (its allocator)   16 MiB budget
 *   peak codec memory compressing 1 GiB (gzip level 1, generated data,
 *   counted by strata's allocator high-water mark plus the layer's 64 KiB
 *   buffer) against a 16 MiB budget            target >= 1.0
 *
 * Sizes: STRATA_BENCH_MB (default 32) for gzip, a quarter of it for bzip2
 * and xz; STRATA_BENCH_BIG_MB (default 1024) for the memory row.
 * Benches print and never fail.
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

#define CHUNK ((apr_size_t)64 * 1024)

/* Single-threaded rows are timed in process CPU time, so that other load
 * on the machine does not skew one side of a ratio; the threaded rows
 * (and pigz, a child process) in wall-clock time. */
static int use_wall;

static double now(void)
{
    return use_wall ? bench_now() : (double)clock() / CLOCKS_PER_SEC;
}

/* Best of @reps for two functions, run alternately. */
static void best_pair(int reps, double (*fa)(void *), double (*fb)(void *),
                      void *arg, double *a, double *b)
{
    double v;
    int i;

    *a = *b = 0;
    for (i = 0; i < reps; i++) {
        if ((v = fa(arg)) > *a)
            *a = v;
        if ((v = fb(arg)) > *b)
            *b = v;
    }
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
} job_t;

static double strata_compress(void *arg)
{
    job_t *j = arg;
    strata_compress_opts_t o;
    strata_codec_info_t info;
    strata_stream_t *z;
    apr_pool_t *p;
    apr_size_t off, r, n;
    double t0, t;

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
    strata_codec_stream_info(z, &info);
    j->peak = info.mem_peak;
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

    apr_pool_create(&p, pool);
    t0 = now();
    strata_memory_open_buffer(&in, j->in, j->len, p);
    if (strata_decompress_reader(&z, in, j->codec, NULL, 0, p) != APR_SUCCESS)
        return 0;
    while (strata_read(z, outbuf, CHUNK, &n) == APR_SUCCESS)
        total += n;
    strata_close(z);
    t = now() - t0;
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

/* ---- pigz ---------------------------------------------------------------------- */

static const char *pigz_file;

static double pigz_2(void *arg)
{
    job_t *j = arg;
    char cmd[512];
    double t0;

    snprintf(cmd, sizeof(cmd), "pigz -p 2 -%d -c < '%s' > /dev/null",
             j->level, pigz_file);
    t0 = now();
    if (system(cmd) != 0)
        return 0;
    return (double)j->len / (now() - t0) / 1e6;
}

/* Keep the compressed forms for the reader rows. */
static unsigned char *compress_all(strata_codec_t codec, int level,
                                   const unsigned char *in, apr_size_t len,
                                   apr_size_t *outlen)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    const void *p;

    strata_compress_opts_init(&o);
    o.level = level;
    strata_memory_create(&mem, 0, pool);
    strata_compress_writer(&z, mem, codec, &o, 0, pool);
    strata_write_all(z, in, len, NULL);
    strata_close(z);
    strata_memory_contents(mem, &p, outlen);
    return (unsigned char *)p;
}

int main(int argc, const char *const *argv)
{
    apr_size_t mb = bench_env_size("STRATA_BENCH_MB", 32);
    apr_size_t big_mb = bench_env_size("STRATA_BENCH_BIG_MB", 1024);
    job_t js, jr;
    double a, b, st, v;
    int i;
    apr_file_t *f;
    int have_pigz;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    plain_len = mb * 1024 * 1024;
    small_len = plain_len / 4;
    plain = malloc(plain_len);
    gen(plain, plain_len, 1);
    gz = compress_all(STRATA_CODEC_GZIP, 6, plain, plain_len, &gz_len);
    bz = compress_all(STRATA_CODEC_BZIP2, 9, plain, small_len, &bz_len);
    xz = compress_all(STRATA_CODEC_XZ, 1, plain, small_len, &xz_len);
    printf("# data: %lu MiB generated text (gzip -6 ratio %.2f); bzip2/xz rows "
           "on %lu MiB\n", (unsigned long)mb,
           (double)plain_len / (double)gz_len, (unsigned long)(mb / 4));

    /* gzip */
    js = (job_t){ STRATA_CODEC_GZIP, 6, 0, plain, plain_len, 1, 0 };
    best_pair(3, strata_compress, raw_deflate, &js, &a, &st);
    bench_row("gzip_writer_vs_deflate", "MB/s", a, "zlib", st, 0.98, 1);
    jr = (job_t){ STRATA_CODEC_GZIP, 6, 0, gz, gz_len, 1, 0 };
    best_pair(7, strata_decompress, raw_inflate, &jr, &a, &b);
    bench_row("gzip_reader_vs_inflate", "MB/s", a, "zlib", b, 0.97, 1);

    /* bzip2 */
    js = (job_t){ STRATA_CODEC_BZIP2, 9, 0, plain, small_len, 1, 0 };
    best_pair(3, strata_compress, raw_bzip2, &js, &a, &b);
    bench_row("bzip2_writer_vs_libbz2", "MB/s", a, "libbz2", b, 0.98, 1);
    jr = (job_t){ STRATA_CODEC_BZIP2, 9, 0, bz, bz_len, 1, 0 };
    best_pair(5, strata_decompress, raw_bunzip2, &jr, &a, &b);
    bench_row("bzip2_reader_vs_libbz2", "MB/s", a, "libbz2", b, 0.97, 1);

    /* xz */
    js = (job_t){ STRATA_CODEC_XZ, 1, 0, plain, small_len, 1, 0 };
    best_pair(3, strata_compress, raw_xz, &js, &a, &b);
    bench_row("xz_writer_vs_liblzma", "MB/s", a, "liblzma", b, 0.98, 1);
    jr = (job_t){ STRATA_CODEC_XZ, 1, 0, xz, xz_len, 1, 0 };
    best_pair(5, strata_decompress, raw_unxz, &jr, &a, &b);
    bench_row("xz_reader_vs_liblzma", "MB/s", a, "liblzma", b, 0.97, 1);

    /* parallel gzip: wall clock, against pigz and single-threaded zlib,
     * all three alternating, best of 5 (other load on the machine only
     * ever slows a run down) */
    use_wall = 1;
    js = (job_t){ STRATA_CODEC_GZIP, 6, 2, plain, plain_len, 1, 0 };
    have_pigz = system("command -v pigz >/dev/null 2>&1") == 0;
    pigz_file = "bench_compress_pigz.tmp";
    if (have_pigz
        && apr_file_open(&f, pigz_file, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                         | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY,
                         APR_FPROT_OS_DEFAULT, pool) == APR_SUCCESS) {
        apr_file_write_full(f, plain, plain_len, NULL);
        apr_file_close(f);
    } else {
        have_pigz = 0;
    }
    a = b = st = 0;
    for (i = 0; i < 5; i++) {
        if ((v = strata_compress(&js)) > a)
            a = v;
        if ((v = raw_deflate(&js)) > st)
            st = v;
        if (have_pigz && (v = pigz_2(&js)) > b)
            b = v;
    }
    if (have_pigz) {
        apr_file_remove(pigz_file, pool);
        bench_row("pgzip_2threads_vs_pigz_p2", "MB/s", a, "pigz", b, 1.0, 1);
    } else {
        printf("# pigz not found: pgzip_2threads_vs_pigz_p2 skipped\n");
    }
    bench_row("pgzip_2threads_vs_deflate", "MB/s", a, "zlib", st, 1.85, 1);
    bench_row("pgzip_2threads_peak_memory", "MiB",
              (double)js.peak / (1024.0 * 1024.0), "budget", 16.0, 1.0, 0);
    use_wall = 0;

    /* memory: 1 GiB through a gzip writer */
    js = (job_t){ STRATA_CODEC_GZIP, 1, 0, plain, 1024 * 1024, big_mb, 0 };
    a = strata_compress(&js);
    bench_row("gzip_1GiB_peak_memory", "MiB",
              (double)(js.peak + CHUNK) / (1024.0 * 1024.0), "budget", 16.0,
              1.0, 0);
    printf("# %lu MiB at %.0f MB/s, codec peak %lu bytes + 64 KiB buffer\n",
           (unsigned long)big_mb, a, (unsigned long)js.peak);

    free(plain);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
