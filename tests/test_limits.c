/*
 * test_limits.c -- limits that say which.
 *
 * Record length, decoder output, ratio, codec memory and stack depth each
 * have their own code and strata_strerror() text, and STRATA_STATUS_IS_LIMIT
 * is true for all of them.  The ratio limit is measured on totals past a
 * grace, so data that is very compressible only at its start (a real log)
 * passes max_ratio 100, while a bomb still stops within
 * max(grace, ratio * input).
 */
#include "test_util.h"
#include "strata/compress.h"
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

static const apr_status_t limit_codes[] = {
    STRATA_ELIMIT, STRATA_ELIMIT_RECORD, STRATA_ELIMIT_OUTPUT,
    STRATA_ELIMIT_RATIO, STRATA_ELIMIT_MEMORY, STRATA_ELIMIT_DEPTH,
};
#define NLIMITS (sizeof(limit_codes) / sizeof(limit_codes[0]))

static void limit_codes_are_distinct_and_named(void)
{
    char a[128], b[128];
    unsigned i, j;

    for (i = 0; i < NLIMITS; i++) {
        CU_ASSERT(STRATA_STATUS_IS_LIMIT(limit_codes[i]));
        strata_strerror(limit_codes[i], a, sizeof(a));
        CU_ASSERT(strstr(a, "unknown") == NULL);
        CU_ASSERT(strstr(a, "limit") != NULL);
        for (j = 0; j < i; j++)
            CU_ASSERT(strcmp(a, strata_strerror(limit_codes[j], b, sizeof(b)))
                      != 0);
    }
    CU_ASSERT(strstr(strata_strerror(STRATA_ELIMIT_RATIO, a, sizeof(a)),
                     "ratio") != NULL);
    CU_ASSERT(strstr(strata_strerror(STRATA_ELIMIT_RECORD, a, sizeof(a)),
                     "record") != NULL);
    CU_ASSERT(strstr(strata_strerror(STRATA_ELIMIT_DEPTH, a, sizeof(a)),
                     "layers") != NULL);
    CU_ASSERT(strstr(strata_strerror(STRATA_EABORTED, a, sizeof(a)),
                     "abort") != NULL);
    CU_ASSERT(!STRATA_STATUS_IS_LIMIT(STRATA_EQUOTA));
    CU_ASSERT(!STRATA_STATUS_IS_LIMIT(STRATA_EBADDATA));
    CU_ASSERT(!STRATA_STATUS_IS_LIMIT(STRATA_EABORTED));
    CU_ASSERT(!STRATA_STATUS_IS_LIMIT(APR_SUCCESS));
    CU_ASSERT(STRATA_STATUS_IS_ABORTED(STRATA_EABORTED));
    /* the codes of this block stay out of the older range */
    CU_ASSERT(STRATA_ELIMIT_RECORD > STRATA_LAST_ERROR);
}

static void record_limit_says_record(void)
{
    strata_stream_t *mem, *b;
    strata_pipe_t *p;
    const char *d;
    char buf[16];
    apr_size_t n;

    strata_memory_open_buffer(&mem, "a line much longer than ten\n", 28,
                              strata_test_pool);
    strata_buffered_create(&b, mem, 0, 0, 0, strata_test_pool);
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_line(b, 10, &d, &n));
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_read_until(b, "x", 1, 10, &d, &n));
    /* nothing consumed, still usable */
    ASSERT_RV(APR_SUCCESS, strata_read_line(b, 100, &d, &n));
    CU_ASSERT(n == 28);
    ASSERT_RV(APR_SUCCESS, strata_pipe_create(&p, NULL, strata_test_pool));
    strata_pipe_write(p, "0123456789abcdef\n", 17);
    ASSERT_RV(STRATA_ELIMIT_RECORD, strata_pipe_read_line(p, buf, 8, &n));
}

/* ---- the ratio ------------------------------------------------------------ */

static void gzip_mem(const char *data, apr_size_t len, char **c,
                     apr_size_t *clen)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    const void *p;

    strata_compress_opts_init(&o);
    o.level = 1;
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &z, mem, STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_write_all(z, data, len, NULL));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_close(z));
    strata_memory_contents(mem, &p, clen);
    *c = apr_pmemdup(strata_test_pool, p, *clen);
}

/* Decode @c with @d; returns the status, *plain the output size and
 * *coded the compressed bytes the layer read. */
static apr_status_t decode(const char *c, apr_size_t clen,
                           const strata_decompress_opts_t *d,
                           apr_uint64_t *plain, apr_uint64_t *coded)
{
    strata_stream_t *in, *z;
    strata_codec_info_t info;
    static char buf[65536];
    apr_size_t n;
    apr_status_t rv;

    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                        &z, in, STRATA_CODEC_AUTO, d, 0, strata_test_pool));
    while ((rv = strata_read(z, buf, sizeof(buf), &n)) == APR_SUCCESS)
        ;
    strata_codec_stream_info(z, &info);
    *plain = info.plain_bytes;
    *coded = info.coded_bytes;
    strata_close(z);
    return rv;
}

/* A log shaped like the report's: its first 8 MiB are one line repeated
 * (hundreds to one in the first 64 KiB of input), the rest varied lines
 * (a few to one), about 15:1 overall. */
static char *log_like(apr_size_t *len)
{
    static const char line[] =
        "2026-12-02T10:00:00Z INFO health check ok path=/health status=200\n";
    apr_size_t head = 8 * 1024 * 1024, tail = 2 * 1024 * 1024, i, k, ll;
    unsigned char rnd[64];
    char *p = apr_palloc(strata_test_pool, head + tail);

    ll = sizeof(line) - 1;
    for (i = 0; i + ll <= head; i += ll)
        memcpy(p + i, line, ll);
    memset(p + i, '\n', head - i);
    for (k = 0; i + 128 < head + tail; k++) {
        int w;
        strata_test_fill(rnd, sizeof(rnd), (unsigned)k + 1);
        w = apr_snprintf(p + i, head + tail - i,
                         "2026-12-02T10:%02u:%02uZ %s id=%02x%02x%02x%02x "
                         "user=%u bytes=%u ms=%u\n",
                         rnd[0] % 60, rnd[1] % 60,
                         rnd[2] & 1 ? "INFO request" : "WARN slow",
                         rnd[3], rnd[4], rnd[5], rnd[6],
                         (unsigned)rnd[7] * 7, (unsigned)rnd[8] * 131,
                         (unsigned)rnd[9] % 97);
        i += (apr_size_t)w;
    }
    memset(p + i, '\n', head + tail - i);
    *len = head + tail;
    return p;
}

static void ratio_real_log_passes_max_ratio_100(void)
{
    strata_decompress_opts_t d;
    apr_uint64_t plain, coded;
    apr_size_t len, clen;
    char *text, *c;

    text = log_like(&len);
    gzip_mem(text, len, &c, &clen);
    CU_ASSERT(len / clen < 100);             /* overall: well under 100:1 */
    CU_ASSERT(len / clen > 5);
    strata_decompress_opts_init(&d);
    d.max_ratio = 100;
    ASSERT_RV(APR_EOF, decode(c, clen, &d, &plain, &coded));
    CU_ASSERT(plain == len);
    /* measured early (a small grace), its start alone would trip it */
    d.ratio_grace = 1024 * 1024;
    ASSERT_RV(STRATA_ELIMIT_RATIO, decode(c, clen, &d, &plain, &coded));
}

/* 1 GiB of zeros (one gzip member of 1 MiB of zeros, repeated) stops
 * within max(grace, ratio * input) under the default grace. */
static void ratio_bomb_stops_within_the_cap(void)
{
    strata_decompress_opts_t d;
    apr_uint64_t plain, coded;
    apr_size_t onelen, clen, i;
    char *zeros, *one, *c;

    zeros = apr_pcalloc(strata_test_pool, 1024 * 1024);
    gzip_mem(zeros, 1024 * 1024, &one, &onelen);
    clen = onelen * 1024;
    c = apr_palloc(strata_test_pool, clen);
    for (i = 0; i < 1024; i++)
        memcpy(c + i * onelen, one, onelen);
    strata_decompress_opts_init(&d);
    d.max_ratio = 100;
    ASSERT_RV(STRATA_ELIMIT_RATIO, decode(c, clen, &d, &plain, &coded));
    CU_ASSERT(plain <= 16 * 1024 * 1024 || plain <= 100 * coded);
    CU_ASSERT(plain >= 15 * 1024 * 1024);     /* the grace is the default */
    /* with both limits, the output one says so when it binds first */
    d.max_output = 2 * 1024 * 1024;
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, decode(c, clen, &d, &plain, &coded));
    CU_ASSERT(plain == 2 * 1024 * 1024);
}

static CU_TestInfo tests[] = {
    { "limit_codes_are_distinct_and_named", limit_codes_are_distinct_and_named },
    { "record_limit_says_record", record_limit_says_record },
    { "ratio_real_log_passes_max_ratio_100", ratio_real_log_passes_max_ratio_100 },
    { "ratio_bomb_stops_within_the_cap", ratio_bomb_stops_within_the_cap },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("limits", tests)
