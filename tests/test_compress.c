/*
 * test_compress.c -- the codec decorators: every codec in all four
 * directions, options, sync flush, concatenated members, auto-detection,
 * limits and bombs, memory accounting, and the fault-injection stream.
 */
#include "test_util.h"
#include "strata/fault.h"
#include "strata/compress.h"
#include "strata_codec_private.h"  /* strata__pgz_fail_start_at */
#include "strata/executor.h"
#include <apr_env.h>
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>
#include <apr_thread_proc.h>
#include <zlib.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

/* memcmp that accepts NULL with a zero length (empty streams). */
static int tmemcmp(const void *a, const void *b, apr_size_t n)
{
    return n ? memcmp(a, b, n) : 0;
}

static const strata_codec_t all_codecs[] = {
    STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE,
    STRATA_CODEC_BZIP2, STRATA_CODEC_XZ,
#if STRATA_HAVE_ZSTD
    STRATA_CODEC_ZSTD,
#endif
};
#define NCODECS (sizeof(all_codecs) / sizeof(all_codecs[0]))

/* Compressible sample: words with some noise. */
static char *sample(apr_size_t len, unsigned seed)
{
    static const char *words[] = { "strata ", "stream ", "meter ", "gzip ",
                                   "layer ", "bytes\n", "of ", "the " };
    char *p = apr_palloc(strata_test_pool, len + 1);
    apr_uint32_t x = seed * 2654435761u + 7;
    apr_size_t i = 0, w;

    while (i < len) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        if ((x & 31) == 0) {
            p[i++] = (char)(x >> 8);
            continue;
        }
        w = strlen(words[x % 8]);
        if (w > len - i)
            w = len - i;
        memcpy(p + i, words[x % 8], w);
        i += w;
    }
    p[len] = 0;
    return p;
}

static apr_status_t compress_mem(strata_codec_t codec,
                                 const strata_compress_opts_t *o,
                                 const void *data, apr_size_t len,
                                 char **out, apr_size_t *outlen)
{
    strata_stream_t *mem, *z;
    const void *p;
    apr_status_t rv;

    strata_memory_create(&mem, 0, strata_test_pool);
    rv = strata_compress_writer(&z, mem, codec, o, 0, strata_test_pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = strata_test_write_all(z, data, len, 7777);
    if (rv == APR_SUCCESS)
        rv = strata_close(z);
    strata_memory_contents(mem, &p, outlen);
    *out = apr_pmemdup(strata_test_pool, p, *outlen + 1);
    return rv;
}

static apr_status_t decompress_mem(strata_codec_t codec,
                                   const strata_decompress_opts_t *o,
                                   const void *data, apr_size_t len,
                                   char **out, apr_size_t *outlen)
{
    strata_stream_t *mem, *z;
    apr_status_t rv;

    strata_memory_open_buffer(&mem, data, len, strata_test_pool);
    rv = strata_decompress_reader(&z, mem, codec, o, STRATA_OWN_INNER,
                                  strata_test_pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = strata_test_read_all(z, 5000, strata_test_pool, out, outlen);
    strata_close(z);
    return rv;
}

/* ---- names ------------------------------------------------------------------ */

static void codec_names_and_lookup(void)
{
    CU_ASSERT_EQUAL(strata_codec_from_name("xz"), STRATA_CODEC_XZ);
    CU_ASSERT_EQUAL(strata_codec_from_name("GZIP"), STRATA_CODEC_GZIP);
    CU_ASSERT_EQUAL(strata_codec_from_name("gz"), STRATA_CODEC_GZIP);
    CU_ASSERT_EQUAL(strata_codec_from_name("bz2"), STRATA_CODEC_BZIP2);
    CU_ASSERT_EQUAL(strata_codec_from_name("deflate"), STRATA_CODEC_DEFLATE);
    CU_ASSERT_EQUAL(strata_codec_from_name("zlib"), STRATA_CODEC_ZLIB);
    CU_ASSERT_EQUAL(strata_codec_from_name("auto"), STRATA_CODEC_AUTO);
    CU_ASSERT_EQUAL(strata_codec_from_name("lz4"), STRATA_CODEC_UNKNOWN);
    CU_ASSERT_EQUAL(strata_codec_from_name(NULL), STRATA_CODEC_UNKNOWN);
    CU_ASSERT_EQUAL(strata_codec_from_name("zstd"),
                    STRATA_HAVE_ZSTD ? STRATA_CODEC_ZSTD : STRATA_CODEC_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(strata_codec_name(STRATA_CODEC_BZIP2), "bzip2");
    CU_ASSERT_STRING_EQUAL(strata_codec_name((strata_codec_t)99), "unknown");
    CU_ASSERT_EQUAL(strata_codec_detect("\x1f\x8b\x08", 3), STRATA_CODEC_GZIP);
    CU_ASSERT_EQUAL(strata_codec_detect("\x1f", 1), STRATA_CODEC_AUTO);
    CU_ASSERT_EQUAL(strata_codec_detect("BZh9", 4), STRATA_CODEC_BZIP2);
    CU_ASSERT_EQUAL(strata_codec_detect("BZhx", 4), STRATA_CODEC_NONE);
    CU_ASSERT_EQUAL(strata_codec_detect("\xfd" "7zXZ\0", 6), STRATA_CODEC_XZ);
    CU_ASSERT_EQUAL(strata_codec_detect("\x78\x9c", 2), STRATA_CODEC_ZLIB);
    CU_ASSERT_EQUAL(strata_codec_detect("hello", 5), STRATA_CODEC_NONE);
}

static void codec_bad_arguments(void)
{
    strata_stream_t *mem, *z;
    strata_compress_opts_t o;

    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_opts_init(&o);
    o.level = 42;
    ASSERT_RV(APR_EINVAL, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                 &o, 0, strata_test_pool));
    o.level = 0;
    ASSERT_RV(APR_EINVAL, strata_compress_writer(&z, mem, STRATA_CODEC_BZIP2,
                                                 &o, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_compress_writer(&z, mem, STRATA_CODEC_AUTO,
                                                 NULL, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_compress_writer(&z, NULL, STRATA_CODEC_GZIP,
                                                 NULL, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_decompress_reader(&z, mem,
                                                   (strata_codec_t)77, NULL,
                                                   0, strata_test_pool));
#if !STRATA_HAVE_ZSTD
    ASSERT_RV(STRATA_ENOTSUP, strata_compress_writer(&z, mem, STRATA_CODEC_ZSTD,
                                                     NULL, 0, strata_test_pool));
#endif
    /* the inner stream is untouched: still usable */
    ASSERT_RV(APR_SUCCESS, strata_write_all(mem, "x", 1, NULL));
}

/* ---- round trips, four directions ------------------------------------------------ */

static void roundtrip_one(strata_codec_t codec, const char *data,
                          apr_size_t len)
{
    strata_stream_t *mem, *src, *z, *dst;
    char *c1, *c2, *plain;
    apr_size_t c1len, c2len, plen;
    const void *p;
    strata_counts_t cz, cm;

    /* compressing writer */
    ASSERT_RV_FATAL(APR_SUCCESS,
                    compress_mem(codec, NULL, data, len, &c1, &c1len));
    /* decompressing reader */
    ASSERT_RV(APR_SUCCESS, decompress_mem(codec, NULL, c1, c1len, &plain,
                                          &plen));
    CU_ASSERT_EQUAL(plen, len);
    CU_ASSERT(plen == len && tmemcmp(plain, data, len) == 0);

    /* compressing reader gives a stream of the same codec */
    strata_memory_open_buffer(&src, data, len, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_reader(&z, src, codec, NULL,
                                                        STRATA_OWN_INNER,
                                                        strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 333, strata_test_pool,
                                                &c2, &c2len));
    strata_stream_counts(z, &cz);
    CU_ASSERT_EQUAL(cz.read_bytes, c2len);
    ASSERT_RV(APR_SUCCESS, strata_close(z));

    /* decompressing writer */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_writer(&dst, mem, codec,
                                                          NULL, 0,
                                                          strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(dst, c2, c2len, 1000));
    ASSERT_RV(APR_SUCCESS, strata_close(dst));
    strata_memory_contents(mem, &p, &plen);
    CU_ASSERT_EQUAL(plen, len);
    CU_ASSERT(plen == len && tmemcmp(p, data, len) == 0);
    /* each layer metered: plain on the codec layer, coded below it */
    strata_stream_counts(dst, &cz);
    strata_stream_counts(mem, &cm);
    CU_ASSERT_EQUAL(cz.write_bytes, c2len);
    CU_ASSERT_EQUAL(cm.write_bytes, len);
}

static void roundtrip_all_codecs_four_directions(void)
{
    apr_size_t i;
    char *data = sample(300000, 1);

    for (i = 0; i < NCODECS; i++) {
        roundtrip_one(all_codecs[i], data, 300000);
        roundtrip_one(all_codecs[i], data, 1);
        roundtrip_one(all_codecs[i], "", 0);
    }
}

static void roundtrip_levels_and_incompressible(void)
{
    strata_compress_opts_t o;
    char *rnd = apr_palloc(strata_test_pool, 200000), *c, *plain;
    apr_size_t clen, plen, i;
    int level;

    strata_test_fill(rnd, 200000, 3);
    for (i = 0; i < NCODECS; i++) {
        for (level = 1; level <= 9; level += 8) {
            strata_compress_opts_init(&o);
            o.level = level;
            ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], &o, rnd, 200000,
                                                &c, &clen));
            ASSERT_RV(APR_SUCCESS, decompress_mem(all_codecs[i], NULL, c, clen,
                                                  &plain, &plen));
            CU_ASSERT(plen == 200000 && tmemcmp(plain, rnd, plen) == 0);
        }
    }
}

/* ---- sync flush ------------------------------------------------------------------- */

static void sync_flush_makes_data_decodable(void)
{
    apr_size_t i, clen, n, got;
    const void *p;
    char buf[64];

    for (i = 0; i < NCODECS; i++) {
        strata_stream_t *mem, *z, *in, *dz;
        strata_memory_create(&mem, 0, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                            &z, mem, all_codecs[i], NULL, 0, strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_write_all(z, "hello, world", 12, NULL));
        ASSERT_RV(APR_SUCCESS, strata_flush(z, STRATA_FLUSH_SYNC));
        ASSERT_RV(APR_SUCCESS, strata_flush(z, STRATA_FLUSH_SYNC)); /* again */
        strata_memory_contents(mem, &p, &clen);
        CU_ASSERT(clen > 0);
        /* a reader over just what is there so far gets all 12 bytes */
        strata_memory_open_buffer(&in, p, clen, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                            &dz, in, all_codecs[i], NULL, 0, strata_test_pool));
        got = 0;
        while (got < 12) {
            apr_status_t rv = strata_read(dz, buf + got, sizeof(buf) - got, &n);
            got += n;
            if (rv != APR_SUCCESS)
                break;
        }
        if (got != 12)
            fprintf(stderr, "\n%s: %u bytes after sync flush\n",
                    strata_codec_name(all_codecs[i]), (unsigned)got);
        CU_ASSERT_EQUAL(got, 12);
        CU_ASSERT(tmemcmp(buf, "hello, world", 12) == 0);
        ASSERT_RV(APR_SUCCESS, strata_write_all(z, "!", 1, NULL));
        ASSERT_RV(APR_SUCCESS, strata_close(z));
        strata_close(dz);
    }
}

/* ---- engines ------------------------------------------------------------------ */

static strata_engine_t engine_of(strata_codec_t codec, int level,
                                 strata_engine_t asked, apr_size_t cap,
                                 int decode, apr_status_t *rv)
{
    strata_compress_opts_t o;
    strata_decompress_opts_t d;
    strata_codec_info_t info;
    strata_stream_t *mem, *z;

    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_opts_init(&o);
    strata_decompress_opts_init(&d);
    o.level = level;
    o.engine = d.engine = asked;
    o.max_memory = cap;
    *rv = decode ? strata_decompress_reader(&z, mem, codec, &d, 0,
                                            strata_test_pool)
                 : strata_compress_writer(&z, mem, codec, &o, 0,
                                          strata_test_pool);
    if (*rv != APR_SUCCESS)
        return (strata_engine_t)-1;
    strata_codec_stream_info(z, &info);
    strata_close(z);
    return info.engine;
}

static void engines_names_choice_and_forcing(void)
{
    strata_engine_t e;
    apr_status_t rv;
    char *saved = NULL;
    strata_stream_t *mem, *z;

    /* the automatic choice, without the variable the ctest entries set */
    apr_env_get(&saved, STRATA_ENGINE_ENV, strata_test_pool);
    apr_env_delete(STRATA_ENGINE_ENV, strata_test_pool);
    CU_ASSERT_STRING_EQUAL(strata_engine_name(STRATA_ENGINE_LIBDEFLATE),
                           "libdeflate");
    CU_ASSERT_EQUAL(strata_engine_from_name("ISA-L"), STRATA_ENGINE_ISAL);
    CU_ASSERT_EQUAL(strata_engine_from_name("zlib"), STRATA_ENGINE_ZLIB);
    CU_ASSERT_EQUAL(strata_engine_from_name("lz4"), -1);
    CU_ASSERT(strata_engine_available(STRATA_ENGINE_ZLIB));
    CU_ASSERT(strstr(strata_engines_built(), "zlib ") != NULL);
    /* level 1: ISA-L, else libdeflate, else zlib */
    e = engine_of(STRATA_CODEC_GZIP, 1, STRATA_ENGINE_AUTO, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_HAVE_ISAL ? STRATA_ENGINE_ISAL
                       : STRATA_HAVE_LIBDEFLATE ? STRATA_ENGINE_LIBDEFLATE
                       : STRATA_ENGINE_ZLIB);
    /* level 6: libdeflate, not under a small memory cap; level 9: zlib */
    e = engine_of(STRATA_CODEC_ZLIB, 6, STRATA_ENGINE_AUTO, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_HAVE_LIBDEFLATE ? STRATA_ENGINE_LIBDEFLATE
                                              : STRATA_ENGINE_ZLIB);
    e = engine_of(STRATA_CODEC_ZLIB, 6, STRATA_ENGINE_AUTO, 4 << 20, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    e = engine_of(STRATA_CODEC_DEFLATE, 9, STRATA_ENGINE_AUTO, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    /* decoding: ISA-L when built; libdeflate cannot, so zlib */
    e = engine_of(STRATA_CODEC_GZIP, 0, STRATA_ENGINE_AUTO, 0, 1, &rv);
    CU_ASSERT_EQUAL(e, STRATA_HAVE_ISAL ? STRATA_ENGINE_ISAL
                                        : STRATA_ENGINE_ZLIB);
    if (STRATA_HAVE_LIBDEFLATE) {
        e = engine_of(STRATA_CODEC_GZIP, 0, STRATA_ENGINE_LIBDEFLATE, 0, 1,
                      &rv);
        CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    }
    /* forced by option; an absent engine is refused */
    e = engine_of(STRATA_CODEC_GZIP, 6, STRATA_ENGINE_ZLIB, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    e = engine_of(STRATA_CODEC_GZIP, 6, STRATA_ENGINE_ISAL, 0, 0, &rv);
    ASSERT_RV(STRATA_HAVE_ISAL ? APR_SUCCESS : STRATA_ENOTSUP, rv);
    e = engine_of(STRATA_CODEC_GZIP, 6, (strata_engine_t)7, 0, 0, &rv);
    ASSERT_RV(APR_EINVAL, rv);
    /* forced by the variable (an unknown name is ignored) */
    apr_env_set(STRATA_ENGINE_ENV, "zlib", strata_test_pool);
    e = engine_of(STRATA_CODEC_GZIP, 1, STRATA_ENGINE_AUTO, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    apr_env_set(STRATA_ENGINE_ENV, "nonsense", strata_test_pool);
    e = engine_of(STRATA_CODEC_GZIP, 0, STRATA_ENGINE_AUTO, 0, 0, &rv);
    CU_ASSERT_EQUAL(e, STRATA_ENGINE_ZLIB);
    /* the name per layer: other codecs name their library */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_BZIP2,
                                                  NULL, 0, strata_test_pool));
    CU_ASSERT_STRING_EQUAL(strata_codec_engine_name(z), "bzip2");
    strata_close(z);
    CU_ASSERT_PTR_NULL(strata_codec_engine_name(mem));
    ASSERT_RV(APR_SUCCESS, strata_decompress_reader(&z, mem, STRATA_CODEC_AUTO,
                                                    NULL, 0, strata_test_pool));
    CU_ASSERT_PTR_NULL(strata_codec_engine_name(z));  /* not detected yet */
    strata_close(z);
    if (saved != NULL)
        apr_env_set(STRATA_ENGINE_ENV, saved, strata_test_pool);
    else
        apr_env_delete(STRATA_ENGINE_ENV, strata_test_pool);
}

/* The automatic choice hands a short stream to zlib (its exact bytes),
 * a long one keeps the table's engine. */
static void engine_auto_short_stream_is_zlibs(void)
{
    strata_compress_opts_t o;
    strata_codec_info_t info;
    strata_stream_t *mem, *z;
    char *data = sample(300000, 5), *za, *zz;
    apr_size_t alen, zlen;

    if (!STRATA_HAVE_LIBDEFLATE || getenv(STRATA_ENGINE_ENV) != NULL)
        return;                     /* the engine is forced in this run */
    strata_compress_opts_init(&o);
    o.level = 6;
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_GZIP, &o, data, 100000,
                                        &za, &alen));
    o.engine = STRATA_ENGINE_ZLIB;
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_GZIP, &o, data, 100000,
                                        &zz, &zlen));
    CU_ASSERT(alen == zlen && memcmp(za, zz, alen) == 0);
    /* the engine says so once the stream has ended */
    o.engine = STRATA_ENGINE_AUTO;
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem,
        STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, data, 1000, NULL));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(z));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.engine, STRATA_ENGINE_ZLIB);
    strata_close(z);
    /* longer than the short-stream bound: libdeflate */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem,
        STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, data, 300000, NULL));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(z));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.engine, STRATA_ENGINE_LIBDEFLATE);
    strata_close(z);
}

/* libdeflate's block buffer starts small and grows to its 4 MiB block: a
 * short stream holds little memory, a long one spans several blocks and a
 * sync flush in the middle of a growing block; zlib reads every byte. */
static void libdeflate_blocks_grow_and_span(void)
{
    strata_compress_opts_t o;
    strata_decompress_opts_t d;
    strata_codec_info_t info;
    strata_stream_t *mem, *z;
    apr_size_t len = ((apr_size_t)4 << 20) + 12345, half = (apr_size_t)5 << 19;
    apr_size_t clen, plen, done;
    char *text, *plain;
    const void *c;

    if (!STRATA_HAVE_LIBDEFLATE)
        return;
    text = sample(len, 41);
    strata_compress_opts_init(&o);
    strata_decompress_opts_init(&d);
    o.level = 6;
    o.engine = STRATA_ENGINE_LIBDEFLATE;
    d.engine = STRATA_ENGINE_ZLIB;
    /* short: under 1 MiB of codec memory (compressor included) */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                  &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, text, 10000, NULL));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.engine, STRATA_ENGINE_LIBDEFLATE);
    ASSERT_RV(APR_SUCCESS, strata_close(z));
    CU_ASSERT(info.mem_peak < (apr_size_t)1 << 20);
    /* long: 2.5 MiB, a sync flush, the rest (past one block); odd writes */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                  &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, text, half,
                                                 77777));
    ASSERT_RV(APR_SUCCESS, strata_flush(z, STRATA_FLUSH_SYNC));
    strata_memory_contents(mem, &c, &done);
    CU_ASSERT(done > 0);
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, text + half,
                                                 len - half,
                                                 333333));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    /* one 4 MiB block, its output and the compressor, no more */
    CU_ASSERT(info.mem_peak < (apr_size_t)10 << 20);
    ASSERT_RV(APR_SUCCESS, strata_close(z));
    strata_memory_contents(mem, &c, &clen);
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, &d, c, clen,
                                          &plain, &plen));
    CU_ASSERT_EQUAL(plen, len);
    CU_ASSERT(plen == len && memcmp(plain, text, len) == 0);
}

/* libdeflate's pieces are joined by clearing BFINAL: check the walker on
 * zlib's raw deflate of every block type, joined and inflated by zlib. */
static void deflate_unfinal_joins_streams(void)
{
    static const int strategy[3] = { Z_DEFAULT_STRATEGY, Z_FIXED,
                                     Z_DEFAULT_STRATEGY };
    static const int level[3] = { 6, 6, 0 };      /* dynamic, fixed, stored */
    char *data = sample(200000, 3), *joined, *out;
    apr_size_t cap = 3 * 260000, len = 0, n, piece;
    unsigned char bad[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    z_stream z;
    int i;

    joined = apr_palloc(strata_test_pool, cap + 8);
    out = apr_palloc(strata_test_pool, 3 * 200000 + 1);
    for (i = 0; i < 3; i++) {
        memset(&z, 0, sizeof(z));
        deflateInit2(&z, level[i], Z_DEFLATED, -15, 8, strategy[i]);
        z.next_in = (Bytef *)data + i * 1000;
        z.avail_in = 150000;
        z.next_out = (Bytef *)joined + len;
        z.avail_out = (uInt)(cap - len);
        CU_ASSERT_EQUAL(deflate(&z, Z_FINISH), Z_STREAM_END);
        piece = (apr_size_t)z.total_out;
        deflateEnd(&z);
        n = piece;
        ASSERT_RV(APR_SUCCESS, strata__deflate_unfinal(
                      (unsigned char *)joined + len, &n, cap - len));
        CU_ASSERT(n >= piece + 4 && n <= piece + 5);
        len += n;
    }
    joined[len++] = 0x03;                          /* empty final block */
    joined[len++] = 0x00;
    memset(&z, 0, sizeof(z));
    inflateInit2(&z, -15);
    z.next_in = (Bytef *)joined;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = 3 * 200000;
    CU_ASSERT_EQUAL(inflate(&z, Z_FINISH), Z_STREAM_END);
    CU_ASSERT_EQUAL(z.total_out, 3 * 150000);
    CU_ASSERT_EQUAL(z.avail_in, 0);
    for (i = 0; i < 3; i++)
        CU_ASSERT(memcmp(out + i * 150000, data + i * 1000, 150000) == 0);
    inflateEnd(&z);
    /* what does not parse is refused, and nothing past the room written */
    n = sizeof(bad) - 5;
    ASSERT_RV(APR_EGENERAL, strata__deflate_unfinal(bad, &n, sizeof(bad)));
    n = 2;
    ASSERT_RV(APR_EGENERAL, strata__deflate_unfinal(
                  (unsigned char *)"\x03\x00", &n, 4));   /* no room */
}

/* ---- concatenation --------------------------------------------------------------- */

static void concatenated_members_read_to_end(void)
{
    apr_size_t i, alen, blen, plen;
    char *a, *b, *cat, *plain;
    strata_decompress_opts_t d;
    apr_status_t rv;
    char msg[128];

    for (i = 0; i < NCODECS; i++) {
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, "first;", 6,
                                            &a, &alen));
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, "second", 6,
                                            &b, &blen));
        cat = apr_palloc(strata_test_pool, alen + blen + 1);
        memcpy(cat, a, alen);
        memcpy(cat + alen, b, blen);
        ASSERT_RV(APR_SUCCESS, decompress_mem(all_codecs[i], NULL, cat,
                                              alen + blen, &plain, &plen));
        CU_ASSERT(plen == 12 && tmemcmp(plain, "first;second", 12) == 0);
        strata_decompress_opts_init(&d);
        d.first_member_only = 1;
        ASSERT_RV(APR_SUCCESS, decompress_mem(all_codecs[i], &d, cat,
                                              alen + blen, &plain, &plen));
        CU_ASSERT(plen == 6 && tmemcmp(plain, "first;", 6) == 0);
        /* auto-detect sees the same */
        if (all_codecs[i] != STRATA_CODEC_DEFLATE) {
            ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_AUTO, NULL, cat,
                                                  alen + blen, &plain, &plen));
            CU_ASSERT(plen == 12 && tmemcmp(plain, "first;second", 12) == 0);
        }
        /* trailing garbage after a member is corrupt input, whatever the
         * engine (not "input ended early": it did not) */
        memcpy(cat + alen, "garbage!", 8);
        rv = decompress_mem(all_codecs[i], NULL, cat, alen + 8, &plain, &plen);
        /* raw deflate has no header (it may parse); xz judges a stream
         * header only once it has 12 bytes (xz(1) says "unexpected end") */
        if (all_codecs[i] == STRATA_CODEC_DEFLATE
            || all_codecs[i] == STRATA_CODEC_XZ)
            CU_ASSERT(rv == STRATA_EBADDATA || rv == STRATA_ETRUNCATED)
        else if (rv != STRATA_EBADDATA) {
            CU_FAIL("trailing garbage is not STRATA_EBADDATA");
            fprintf(stderr, "%s: %s\n", strata_codec_name(all_codecs[i]),
                    strata_strerror(rv, msg, sizeof(msg)));
        }
    }
}

/* Members that end while the decoder waits for output room, or inside a
 * tiny write: bytes an engine read past a member's end are not lost. */
static void concatenated_members_tiny_reads_and_writes(void)
{
    static const strata_codec_t fam[3] = {
        STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE };
    char *a, *b, *cat, *plain, *want, *data = sample(3000, 5);
    apr_size_t alen, blen, plen, i, chunk, k;
    strata_stream_t *mem, *z;
    const void *p;

    want = apr_palloc(strata_test_pool, 3 * 3000 + 2);
    for (i = 0; i < 3; i++) {
        ASSERT_RV(APR_SUCCESS, compress_mem(fam[i], NULL, data, 3000, &a, &alen));
        ASSERT_RV(APR_SUCCESS, compress_mem(fam[i], NULL, "xy", 2, &b, &blen));
        /* a, b, a: the short member sits right after a long one */
        cat = apr_palloc(strata_test_pool, 2 * alen + blen);
        memcpy(cat, a, alen);
        memcpy(cat + alen, b, blen);
        memcpy(cat + alen + blen, a, alen);
        memcpy(want, data, 3000);
        memcpy(want + 3000, "xy", 2);
        memcpy(want + 3002, data, 3000);
        for (chunk = 1; chunk <= 9; chunk += 4) {
            strata_stream_t *in;
            strata_memory_open_buffer(&in, cat, 2 * alen + blen,
                                      strata_test_pool);
            ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                                &z, in, fam[i], NULL, 0, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, chunk,
                                                        strata_test_pool,
                                                        &plain, &plen));
            if (!(plen == 6002 && tmemcmp(plain, want, plen) == 0)) {
                fprintf(stderr, "\n%s reader, reads of %u: %u bytes out\n",
                        strata_codec_name(fam[i]), (unsigned)chunk,
                        (unsigned)plen);
                CU_FAIL("concatenated members read back");
            }
            strata_close(z);
            for (k = 0; k < 2; k++) {
                strata_memory_create(&mem, 0, strata_test_pool);
                ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_writer(
                                    &z, mem, fam[i], NULL, 0,
                                    strata_test_pool));
                ASSERT_RV(APR_SUCCESS, strata_test_write_all(
                              z, cat, 2 * alen + blen - k * alen, chunk));
                ASSERT_RV(APR_SUCCESS, strata_close(z));
                strata_memory_contents(mem, &p, &plen);
                CU_ASSERT(plen == 6002 - k * 3000
                          && tmemcmp(p, want, plen) == 0);
            }
        }
    }
}

static void decompress_writer_concatenated_and_first_only(void)
{
    char *a, *b;
    apr_size_t alen, blen, plen, i;
    const void *p;

    for (i = 0; i < NCODECS; i++) {
        strata_stream_t *mem, *dz;
        strata_decompress_opts_t d;
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, "one", 3, &a,
                                            &alen));
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, "two", 3, &b,
                                            &blen));
        strata_decompress_opts_init(&d);
        d.first_member_only = 1;
        strata_memory_create(&mem, 0, strata_test_pool);
        ASSERT_RV(APR_SUCCESS, strata_decompress_writer(&dz, mem, all_codecs[i],
                                                        &d, 0, strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, a, alen, 2));
        ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, b, blen, 2));
        ASSERT_RV(APR_SUCCESS, strata_close(dz));
        strata_memory_contents(mem, &p, &plen);
        CU_ASSERT(plen == 3 && tmemcmp(p, "one", 3) == 0);

        strata_memory_create(&mem, 0, strata_test_pool);
        ASSERT_RV(APR_SUCCESS, strata_decompress_writer(&dz, mem, all_codecs[i],
                                                        NULL, 0, strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, a, alen, 1));
        ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, b, blen, 1));
        ASSERT_RV(APR_SUCCESS, strata_close(dz));
        strata_memory_contents(mem, &p, &plen);
        CU_ASSERT(plen == 6 && tmemcmp(p, "onetwo", 6) == 0);
    }
}

/* ---- auto-detection -------------------------------------------------------------- */

static void auto_detect_and_passthrough(void)
{
    strata_decompress_opts_t d;
    char *c, *plain;
    apr_size_t clen, plen, i;
    const char *text = "just some plain text, nothing compressed";

    for (i = 0; i < NCODECS; i++) {
        if (all_codecs[i] == STRATA_CODEC_DEFLATE)
            continue;
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, text,
                                            strlen(text), &c, &clen));
        ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_AUTO, NULL, c, clen,
                                              &plain, &plen));
        CU_ASSERT(plen == strlen(text) && tmemcmp(plain, text, plen) == 0);
    }
    ASSERT_RV(STRATA_EBADDATA, decompress_mem(STRATA_CODEC_AUTO, NULL, text,
                                              strlen(text), &plain, &plen));
    strata_decompress_opts_init(&d);
    d.passthrough = 1;
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_AUTO, &d, text,
                                          strlen(text), &plain, &plen));
    CU_ASSERT(plen == strlen(text) && tmemcmp(plain, text, plen) == 0);
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_AUTO, &d, "ab", 2,
                                          &plain, &plen));
    CU_ASSERT(plen == 2 && tmemcmp(plain, "ab", 2) == 0);
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_AUTO, &d, "", 0,
                                          &plain, &plen));
    CU_ASSERT_EQUAL(plen, 0);
    ASSERT_RV(STRATA_ETRUNCATED, decompress_mem(STRATA_CODEC_AUTO, NULL, "", 0,
                                                &plain, &plen));
    ASSERT_RV(STRATA_ETRUNCATED, decompress_mem(STRATA_CODEC_GZIP, NULL, "", 0,
                                                &plain, &plen));
}

static void auto_writer_passthrough_and_detect(void)
{
    strata_decompress_opts_t d;
    strata_stream_t *mem, *dz;
    const void *p;
    char *c;
    apr_size_t clen, plen;

    strata_decompress_opts_init(&d);
    d.passthrough = 1;
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_XZ, NULL, "xz data", 7,
                                        &c, &clen));
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_decompress_writer(&dz, mem, STRATA_CODEC_AUTO,
                                                    &d, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, c, clen, 1));
    ASSERT_RV(APR_SUCCESS, strata_close(dz));
    strata_memory_contents(mem, &p, &plen);
    CU_ASSERT(plen == 7 && tmemcmp(p, "xz data", 7) == 0);

    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_decompress_writer(&dz, mem, STRATA_CODEC_AUTO,
                                                    &d, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(dz, "pl", 2, 1));
    ASSERT_RV(APR_SUCCESS, strata_close(dz));
    strata_memory_contents(mem, &p, &plen);
    CU_ASSERT(plen == 2 && tmemcmp(p, "pl", 2) == 0);
}

static void auto_stack_nested_and_depth_bound(void)
{
    strata_decompress_opts_t d;
    strata_stream_t *in, *top;
    char *c = "payload", *plain;
    apr_size_t clen = 7, plen;
    unsigned depth, i;
    static const strata_codec_t nest[] = { STRATA_CODEC_GZIP, STRATA_CODEC_XZ,
                                           STRATA_CODEC_BZIP2, STRATA_CODEC_GZIP,
                                           STRATA_CODEC_ZLIB, STRATA_CODEC_GZIP };

    for (i = 0; i < 3; i++)
        ASSERT_RV(APR_SUCCESS, compress_mem(nest[i], NULL, c, clen, &c, &clen));
    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_auto_stack(
                        &top, in, NULL, STRATA_OWN_INNER, &depth,
                        strata_test_pool));
    CU_ASSERT_EQUAL(depth, 3);
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(top, 100, strata_test_pool,
                                                &plain, &plen));
    CU_ASSERT(plen == 7 && tmemcmp(plain, "payload", 7) == 0);
    ASSERT_RV(APR_SUCCESS, strata_close(top));

    for (; i < 6; i++)
        ASSERT_RV(APR_SUCCESS, compress_mem(nest[i], NULL, c, clen, &c, &clen));
    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV(STRATA_ELIMIT_DEPTH, strata_decompress_auto_stack(
                  &top, in, NULL, 0, &depth, strata_test_pool));
    CU_ASSERT(!strata_stream_is_closed(in));
    strata_decompress_opts_init(&d);
    d.max_depth = 6;
    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_decompress_auto_stack(
                  &top, in, &d, 0, &depth, strata_test_pool));
    CU_ASSERT_EQUAL(depth, 6);
}

static void decoder_stack_depth_is_bounded(void)
{
    strata_stream_t *s, *mem;
    int i;

    strata_memory_create(&mem, 0, strata_test_pool);
    s = mem;
    for (i = 0; i < STRATA_CODEC_MAX_DEPTH; i++)
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                            &s, s, STRATA_CODEC_GZIP, NULL, STRATA_OWN_INNER,
                            strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT_DEPTH, strata_decompress_reader(
                  &s, s, STRATA_CODEC_GZIP, NULL, 0, strata_test_pool));
}

/* ---- limits and bombs -------------------------------------------------------- */

/* A gzip of @mib MiB of zeros, written in 1 MiB pieces. */
static void make_bomb(strata_codec_t codec, apr_size_t mib, char **c,
                      apr_size_t *clen)
{
    strata_stream_t *mem, *z;
    strata_compress_opts_t o;
    char *zeros = calloc(1, 1 << 20);
    const void *p;
    apr_size_t i;

    strata_compress_opts_init(&o);
    o.level = codec <= STRATA_CODEC_DEFLATE ? 9 : 1;
    o.engine = STRATA_ENGINE_ZLIB;      /* the same bomb for every decoder */
    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_writer(&z, mem, codec, &o, 0, strata_test_pool);
    for (i = 0; i < mib; i++)
        strata_write_all(z, zeros, 1 << 20, NULL);
    strata_close(z);
    strata_memory_contents(mem, &p, clen);
    *c = apr_pmemdup(strata_test_pool, p, *clen);
    free(zeros);
}

static void limit_max_output_exact_and_past(void)
{
    strata_decompress_opts_t d;
    char *c, *plain;
    apr_size_t clen, plen, i;
    char *data = sample(100000, 9);

    for (i = 0; i < NCODECS; i++) {
        ASSERT_RV(APR_SUCCESS, compress_mem(all_codecs[i], NULL, data, 100000,
                                            &c, &clen));
        strata_decompress_opts_init(&d);
        d.max_output = 100000;          /* exactly the size: fine */
        ASSERT_RV(APR_SUCCESS, decompress_mem(all_codecs[i], &d, c, clen,
                                              &plain, &plen));
        CU_ASSERT_EQUAL(plen, 100000);
        d.max_output = 99999;
        ASSERT_RV(STRATA_ELIMIT_OUTPUT, decompress_mem(all_codecs[i], &d, c, clen,
                                                &plain, &plen));
        CU_ASSERT_EQUAL(plen, 99999);   /* never produced past the limit */
    }
}

static void bomb_hits_ratio_limit_fast_with_small_memory(void)
{
    strata_decompress_opts_t d;
    strata_codec_info_t info;
    strata_stream_t *in, *z;
    char *c, *plain;
    apr_size_t clen, plen, i;
    apr_time_t t0;

    for (i = 0; i < NCODECS; i++) {
        strata_codec_t codec = all_codecs[i];
        /* 16 MiB of zeros: a few KiB compressed (ratio 1000..1,000,000) */
        make_bomb(codec, 16, &c, &clen);
        CU_ASSERT(clen < 32 * 1024);
        strata_decompress_opts_init(&d);
        d.max_ratio = 100;
        d.ratio_grace = 1024 * 1024;  /* the default (16 MiB) is the bomb */
        d.max_memory = 16 * 1024 * 1024;
        t0 = apr_time_now();
        strata_memory_open_buffer(&in, c, clen, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                            &z, in, codec, &d, 0, strata_test_pool));
        ASSERT_RV(STRATA_ELIMIT_RATIO, strata_test_read_all(
                      z, 65536, strata_test_pool, &plain, &plen));
        /* sticky */
        ASSERT_RV(STRATA_ELIMIT_RATIO, strata_read(z, plain, 1, &plen));
        CU_ASSERT(apr_time_now() - t0 < apr_time_from_sec(5));
        strata_codec_stream_info(z, &info);
        /* totals, past the grace: output <= max(grace, ratio * input) */
        CU_ASSERT(info.plain_bytes <= 1024 * 1024
                  || info.plain_bytes <= 100 * info.coded_bytes);
        CU_ASSERT(info.mem_peak < 16 * 1024 * 1024);
        strata_close(z);
    }
}

/* 4 GiB of zeros from 4 MiB: one gzip member of 1 MiB of zeros (about
 * 1 KiB) repeated 4096 times.  The ratio limit stops it at once, with the
 * decoder's fixed memory. */
static void bomb_of_gigabytes_stops_at_once(void)
{
    strata_decompress_opts_t d;
    strata_codec_info_t info;
    strata_stream_t *in, *z;
    char *one, *c, *plain;
    apr_size_t onelen, clen, plen, i;
    apr_time_t t0;

    make_bomb(STRATA_CODEC_GZIP, 1, &one, &onelen);
    clen = onelen * 4096;
    c = malloc(clen);
    for (i = 0; i < 4096; i++)
        memcpy(c + i * onelen, one, onelen);
    strata_decompress_opts_init(&d);
    d.max_ratio = 50;
    d.ratio_grace = 1024 * 1024;
    t0 = apr_time_now();
    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                        &z, in, STRATA_CODEC_AUTO, &d, 0, strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT_RATIO, strata_test_read_all(
                  z, 65536, strata_test_pool, &plain, &plen));
    CU_ASSERT(plen <= 50 * 65536 || plen <= 1024 * 1024);
    CU_ASSERT(apr_time_now() - t0 < apr_time_from_sec(2));
    strata_codec_stream_info(z, &info);
    CU_ASSERT(info.mem_peak < 256 * 1024);
    strata_close(z);
    /* and with only an output limit: stops exactly there */
    strata_decompress_opts_init(&d);
    d.max_output = 3 * 1024 * 1024;
    strata_memory_open_buffer(&in, c, clen, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                        &z, in, STRATA_CODEC_GZIP, &d, 0, strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_test_read_all(
                  z, 65536, strata_test_pool, &plain, &plen));
    CU_ASSERT_EQUAL(plen, 3 * 1024 * 1024);
    strata_close(z);
    free(c);
}

static void bomb_writer_hits_max_output(void)
{
    strata_decompress_opts_t d;
    strata_stream_t *mem, *z;
    char *c;
    apr_size_t clen, n;
    strata_counts_t cm;

    make_bomb(STRATA_CODEC_GZIP, 8, &c, &clen);
    strata_decompress_opts_init(&d);
    d.max_output = 1000000;
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_decompress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                    &d, 0, strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_write_all(z, c, clen, &n));
    CU_ASSERT(n <= clen);
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_close(z));
    /* a failed writer does not push out what it still holds, and marks
     * the stream under it failed (so an atomic file there discards) */
    strata_stream_counts(mem, &cm);
    CU_ASSERT(cm.write_bytes <= 1000000);
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_stream_failed(mem));
}

static void xz_memory_limit(void)
{
    strata_decompress_opts_t d;
    strata_compress_opts_t o;
    char *c, *plain;
    apr_size_t clen, plen;

    strata_compress_opts_init(&o);
    o.level = 9;                        /* 64 MiB dictionary */
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_XZ, &o, "abc", 3, &c,
                                        &clen));
    strata_decompress_opts_init(&d);
    d.max_memory = 8 * 1024 * 1024;
    ASSERT_RV(STRATA_ELIMIT_MEMORY, decompress_mem(STRATA_CODEC_XZ, &d, c, clen,
                                            &plain, &plen));
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_XZ, NULL, c, clen,
                                          &plain, &plen));
    CU_ASSERT(plen == 3 && tmemcmp(plain, "abc", 3) == 0);
}

static void compress_memory_cap_and_info(void)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    strata_codec_info_t info;

    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_opts_init(&o);
    o.max_memory = 1000;
    ASSERT_RV(STRATA_ELIMIT_MEMORY, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                    &o, 0, strata_test_pool));
    o.max_memory = 0;
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                  &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, "abc", 3, NULL));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.codec, STRATA_CODEC_GZIP);
    CU_ASSERT(info.compressing);
    CU_ASSERT_EQUAL(info.plain_bytes, 3);
    CU_ASSERT(info.mem_current > 200 * 1024);   /* deflate's state */
    ASSERT_RV(APR_SUCCESS, strata_close(z));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.mem_current, 0);
    CU_ASSERT_EQUAL(info.members, 1);
    ASSERT_RV(APR_EINVAL, strata_codec_stream_info(mem, &info));
}

/* ---- fault injection ---------------------------------------------------------- */

static void fault_opts(strata_fault_opts_t *f, int kind)
{
    memset(f, 0, sizeof(*f));
    switch (kind) {
    case 0: f->one_byte = 1; break;
    case 1: f->eintr_every = 3; break;
    case 2: f->eagain_every = 2; break;
    case 3: f->one_byte = 1; f->eintr_every = 5; f->eagain_every = 7; break;
    }
}

static void fault_all_directions_lose_nothing(void)
{
    char *data = sample(40000, 5), *c, *out;
    apr_size_t clen, olen, i;
    int kind;
    const void *p;

    for (i = 0; i < NCODECS; i++) {
        strata_codec_t codec = all_codecs[i];
        ASSERT_RV(APR_SUCCESS, compress_mem(codec, NULL, data, 40000, &c, &clen));
        for (kind = 0; kind < 4; kind++) {
            strata_fault_opts_t f;
            strata_stream_t *mem, *fs, *z;
            fault_opts(&f, kind);

            /* decompressing reader over a faulty source */
            strata_memory_open_buffer(&mem, c, clen, strata_test_pool);
            strata_fault_create(&fs, mem, &f, STRATA_OWN_INNER, strata_test_pool);
            ASSERT_RV(APR_SUCCESS, strata_decompress_reader(
                          &z, fs, codec, NULL, STRATA_OWN_INNER, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 4096, strata_test_pool,
                                                        &out, &olen));
            CU_ASSERT(olen == 40000 && tmemcmp(out, data, olen) == 0);
            strata_close(z);

            /* compressing writer over a faulty sink */
            strata_memory_create(&mem, 0, strata_test_pool);
            strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
            ASSERT_RV(APR_SUCCESS, strata_compress_writer(
                          &z, fs, codec, NULL, 0, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, data, 40000, 3000));
            ASSERT_RV(APR_SUCCESS, strata_close(z));
            strata_memory_contents(mem, &p, &olen);
            ASSERT_RV(APR_SUCCESS, decompress_mem(codec, NULL, p, olen, &out,
                                                  &olen));
            CU_ASSERT(olen == 40000 && tmemcmp(out, data, olen) == 0);

            /* compressing reader over a faulty source */
            strata_memory_open_buffer(&mem, data, 40000, strata_test_pool);
            strata_fault_create(&fs, mem, &f, STRATA_OWN_INNER, strata_test_pool);
            ASSERT_RV(APR_SUCCESS, strata_compress_reader(
                          &z, fs, codec, NULL, STRATA_OWN_INNER, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 1000, strata_test_pool,
                                                        &out, &olen));
            strata_close(z);
            ASSERT_RV(APR_SUCCESS, decompress_mem(codec, NULL, out, olen, &out,
                                                  &olen));
            CU_ASSERT(olen == 40000 && tmemcmp(out, data, olen) == 0);

            /* decompressing writer over a faulty sink */
            strata_memory_create(&mem, 0, strata_test_pool);
            strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
            ASSERT_RV(APR_SUCCESS, strata_decompress_writer(
                          &z, fs, codec, NULL, 0, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, c, clen, 500));
            ASSERT_RV(APR_SUCCESS, strata_close(z));
            strata_memory_contents(mem, &p, &olen);
            CU_ASSERT(olen == 40000 && tmemcmp(p, data, olen) == 0);
        }
    }
}

/* A sync flush interrupted by EAGAIN, then more writes, more flushes and
 * close: the flush is completed before new input, nothing is lost. */
static void fault_interrupted_sync_flush(void)
{
    char *data = apr_palloc(strata_test_pool, 300000), *out;
    apr_size_t i, olen, off, n;
    const void *p;
    int kind;

    /* incompressible, so the output buffer fills in the middle of a flush */
    strata_test_fill(data, 300000, 12);

    for (i = 0; i < NCODECS; i++) {
        for (kind = 2; kind <= 3; kind++) {
            strata_fault_opts_t f;
            strata_stream_t *mem, *fs, *z;
            apr_status_t rv;
            fault_opts(&f, kind);
            strata_memory_create(&mem, 0, strata_test_pool);
            strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
            ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                                &z, fs, all_codecs[i], NULL, 0, strata_test_pool));
            for (off = 0; off < 300000; off += n) {
                n = 300000 - off < 100000 ? 300000 - off : 100000;
                ASSERT_RV_FATAL(APR_SUCCESS,
                                strata_test_write_all(z, data + off, n, n));
                rv = strata_flush(z, STRATA_FLUSH_SYNC);   /* may be EAGAIN */
                CU_ASSERT(rv == APR_SUCCESS || APR_STATUS_IS_EAGAIN(rv)
                          || APR_STATUS_IS_EINTR(rv));
            }
            ASSERT_RV(APR_SUCCESS, strata_close(z));
            strata_memory_contents(mem, &p, &olen);
            ASSERT_RV(APR_SUCCESS, decompress_mem(all_codecs[i], NULL, p, olen,
                                                  &out, &olen));
            CU_ASSERT(olen == 300000 && tmemcmp(out, data, olen) == 0);
        }
    }
}

static void fault_error_at_call_n_passes_up(void)
{
    char *data = sample(50000, 6), *c, *out;
    apr_size_t clen, olen, i;
    apr_uint64_t at;

    for (i = 0; i < NCODECS; i++) {
        strata_codec_t codec = all_codecs[i];
        ASSERT_RV(APR_SUCCESS, compress_mem(codec, NULL, data, 50000, &c, &clen));
        for (at = 1; at <= 3; at++) {
            strata_fault_opts_t f;
            strata_stream_t *mem, *fs, *z;
            apr_status_t rv;
            memset(&f, 0, sizeof(f));
            f.one_byte = 1;
            f.fail_read_at = at * 7;
            f.fail_write_at = at;
            f.fail_status = APR_ECONNRESET;

            strata_memory_open_buffer(&mem, c, clen, strata_test_pool);
            strata_fault_create(&fs, mem, &f, STRATA_OWN_INNER, strata_test_pool);
            strata_decompress_reader(&z, fs, codec, NULL, STRATA_OWN_INNER,
                                     strata_test_pool);
            ASSERT_RV(APR_ECONNRESET, strata_test_read_all(
                          z, 4096, strata_test_pool, &out, &olen));
            /* not sticky: the next read goes on where it stopped */
            ASSERT_RV(APR_SUCCESS, strata_test_read_all(
                          z, 4096, strata_test_pool, &out, &olen));
            strata_close(z);

            strata_memory_create(&mem, 0, strata_test_pool);
            strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
            strata_compress_writer(&z, fs, codec, NULL, 0, strata_test_pool);
            rv = strata_test_write_all(z, data, 50000, 50000);
            if (rv == APR_SUCCESS)
                rv = strata_flush(z, STRATA_FLUSH_SYNC);
            if (rv == APR_SUCCESS)
                rv = strata_shutdown_write(z);
            ASSERT_RV(APR_ECONNRESET, rv);
            strata_close(z);
        }
    }
}

/* The other two directions and the parallel writer: an inner error at
 * call N comes up as it is, and a retry after it loses nothing. */
static void fault_error_at_call_n_other_directions(void)
{
    char *data = sample(50000, 7), *c, *out;
    apr_size_t clen, olen, i;
    apr_uint64_t at;
    const void *p;

    for (i = 0; i < NCODECS; i++) {
        strata_codec_t codec = all_codecs[i];
        ASSERT_RV(APR_SUCCESS, compress_mem(codec, NULL, data, 50000, &c, &clen));
        for (at = 1; at <= 3; at++) {
            strata_fault_opts_t f;
            strata_stream_t *mem, *fs, *z;
            apr_status_t rv;
            memset(&f, 0, sizeof(f));
            f.fail_read_at = at * 3;
            f.fail_write_at = at;
            f.fail_status = APR_ECONNRESET;

            /* compressing reader: error, then the rest, then a valid stream */
            strata_memory_open_buffer(&mem, data, 50000, strata_test_pool);
            strata_fault_create(&fs, mem, &f, STRATA_OWN_INNER, strata_test_pool);
            f.one_byte = 1;
            strata_fault_set(fs, &f);
            strata_compress_reader(&z, fs, codec, NULL, STRATA_OWN_INNER,
                                   strata_test_pool);
            ASSERT_RV(APR_ECONNRESET, strata_test_read_all(
                          z, 4096, strata_test_pool, &out, &olen));
            {
                char *rest;
                apr_size_t rlen;
                ASSERT_RV(APR_SUCCESS, strata_test_read_all(
                              z, 4096, strata_test_pool, &rest, &rlen));
                c = apr_palloc(strata_test_pool, olen + rlen + 1);
                memcpy(c, out, olen);
                memcpy(c + olen, rest, rlen);
                ASSERT_RV(APR_SUCCESS, decompress_mem(codec, NULL, c, olen + rlen,
                                                      &out, &olen));
                CU_ASSERT(olen == 50000 && tmemcmp(out, data, olen) == 0);
            }
            strata_close(z);

            /* decompressing writer: the error comes up; retrying goes on */
            ASSERT_RV(APR_SUCCESS, compress_mem(codec, NULL, data, 50000, &c,
                                                &clen));
            strata_memory_create(&mem, 0, strata_test_pool);
            strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
            strata_decompress_writer(&z, fs, codec, NULL, 0, strata_test_pool);
            rv = strata_test_write_all(z, c, clen, 100);
            if (rv == APR_SUCCESS)
                rv = strata_flush(z, STRATA_FLUSH_BUFFERS);
            ASSERT_RV(APR_ECONNRESET, rv);
            strata_close(z);
        }
    }
    /* parallel gzip over a sink that fails at its 2nd write */
    {
        strata_compress_opts_t o;
        strata_fault_opts_t f;
        strata_stream_t *mem, *fs, *z;
        apr_status_t rv;
        char *big = apr_palloc(strata_test_pool, 1000000);
        strata_test_fill(big, 1000000, 3);
        memset(&f, 0, sizeof(f));
        f.fail_write_at = 2;
        f.fail_status = APR_ECONNRESET;
        f.fail_sticky = 1;
        strata_compress_opts_init(&o);
        o.threads = 2;
        o.block_size = 128 * 1024;      /* several blocks with any engine */
        strata_memory_create(&mem, 0, strata_test_pool);
        strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                            &z, fs, STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
        rv = strata_test_write_all(z, big, 1000000, 65536);
        if (rv == APR_SUCCESS)
            rv = strata_flush(z, STRATA_FLUSH_SYNC);
        ASSERT_RV(APR_ECONNRESET, rv);
        ASSERT_RV(APR_ECONNRESET, strata_close(z));   /* joined, no leak */
        strata_memory_contents(mem, &p, &olen);
        CU_ASSERT(olen > 0);
    }
}

static void parallel_gzip_roundtrip_forms(void)
{
    strata_compress_opts_t o;
    char *data = sample(1000000, 8), *c, *plain;
    apr_size_t clen, plen;
    int members;
    strata_stream_t *mem, *z, *fs;
    strata_fault_opts_t f;
    strata_codec_info_t info;
    const void *p;

    for (members = 0; members <= 1; members++) {
        strata_compress_opts_init(&o);
        o.threads = 2;
        o.block_size = 65536;
        o.gzip_members = members;
        ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_GZIP, &o, data, 1000000,
                                            &c, &clen));
        ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, NULL, c, clen,
                                              &plain, &plen));
        CU_ASSERT(plen == 1000000 && tmemcmp(plain, data, plen) == 0);
        ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_GZIP, &o, "", 0,
                                            &c, &clen));
        ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, NULL, c, clen,
                                              &plain, &plen));
        CU_ASSERT_EQUAL(plen, 0);
    }
    /* over a faulty sink, with sync flushes */
    fault_opts(&f, 3);
    strata_memory_create(&mem, 0, strata_test_pool);
    strata_fault_create(&fs, mem, &f, 0, strata_test_pool);
    o.gzip_members = 0;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, fs, STRATA_CODEC_GZIP,
                                                        &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, data, 300000, 70000));
    while (strata_flush(z, STRATA_FLUSH_SYNC) != APR_SUCCESS)
        ;
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, data + 300000, 700000, 9999));
    ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
    CU_ASSERT_EQUAL(info.threads, 2);
    CU_ASSERT(info.mem_peak < 8 * 1024 * 1024);
    ASSERT_RV(APR_SUCCESS, strata_close(z));
    strata_memory_contents(mem, &p, &clen);
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, NULL, p, clen,
                                          &plain, &plen));
    CU_ASSERT(plen == 1000000 && tmemcmp(plain, data, plen) == 0);
}

/* Parallel gzip on a shared executor: both forms, every engine the
 * build has, through the executor's workers. */
static void parallel_gzip_on_executor(void)
{
    static const strata_engine_t engines[] = {
        STRATA_ENGINE_AUTO, STRATA_ENGINE_ZLIB, STRATA_ENGINE_ISAL,
        STRATA_ENGINE_LIBDEFLATE };
    strata_executor_t *ex;
    strata_compress_opts_t o;
    strata_codec_info_t info;
    strata_stream_t *mem, *z;
    char *data = sample(700000, 12), *plain;
    const void *c;
    apr_size_t clen, plen;
    unsigned e;
    int members;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2,
                                                        strata_test_pool));
    for (e = 0; e < sizeof(engines) / sizeof(engines[0]); e++) {
        if (!strata_engine_available(engines[e]))
            continue;
        for (members = 0; members <= 1; members++) {
            strata_compress_opts_init(&o);
            o.threads = 2;
            o.block_size = 65536;
            o.gzip_members = members;
            o.engine = engines[e];
            o.executor = ex;
            strata_memory_create(&mem, 0, strata_test_pool);
            ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                &z, mem, STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_test_write_all(z, data, 700000,
                                                         33333));
            ASSERT_RV(APR_SUCCESS, strata_codec_stream_info(z, &info));
            CU_ASSERT_EQUAL(info.threads, 2);
            ASSERT_RV(APR_SUCCESS, strata_close(z));
            strata_memory_contents(mem, &c, &clen);
            ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, NULL, c,
                                                  clen, &plain, &plen));
            CU_ASSERT(plen == 700000 && tmemcmp(plain, data, plen) == 0);
        }
    }
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH));
}

/* Two tasks that hold the executor's workers until released. */
typedef struct hold_t {
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cv;
    int go, waiting;
} hold_t;

static apr_status_t hold_task(void *arg, void **result)
{
    hold_t *h = arg;

    (void)result;
    apr_thread_mutex_lock(h->mu);
    h->waiting++;
    apr_thread_cond_broadcast(h->cv);
    while (!h->go)
        apr_thread_cond_wait(h->cv, h->mu);
    apr_thread_mutex_unlock(h->mu);
    return APR_SUCCESS;
}

static void *APR_THREAD_FUNC hold_release_later(apr_thread_t *t, void *arg)
{
    hold_t *h = arg;

    apr_sleep(100000);              /* after the destroy has cancelled */
    apr_thread_mutex_lock(h->mu);
    h->go = 1;
    apr_thread_cond_broadcast(h->cv);
    apr_thread_mutex_unlock(h->mu);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* The executor is destroyed with its blocks still queued: the stream fails
 * with STRATA_ECANCELED, and close neither hangs nor leaks. */
static void parallel_gzip_executor_cancel_fails_stream(void)
{
    strata_executor_t *ex;
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    apr_thread_t *t;
    apr_status_t trv, rv;
    hold_t h;
    char *data = sample(3 * 65536, 13);

    memset(&h, 0, sizeof(h));
    apr_thread_mutex_create(&h.mu, APR_THREAD_MUTEX_DEFAULT, strata_test_pool);
    apr_thread_cond_create(&h.cv, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2,
                                                        strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_executor_submit(ex, hold_task, &h, NULL));
    ASSERT_RV(APR_SUCCESS, strata_executor_submit(ex, hold_task, &h, NULL));
    apr_thread_mutex_lock(h.mu);
    while (h.waiting < 2)
        apr_thread_cond_wait(h.cv, h.mu);
    apr_thread_mutex_unlock(h.mu);
    strata_compress_opts_init(&o);
    o.threads = 2;
    o.block_size = 65536;
    o.engine = STRATA_ENGINE_ZLIB;
    o.executor = ex;
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem,
        STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
    /* three whole blocks: queued behind the held workers */
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, data, 3 * 65536, NULL));
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&t, NULL,
        hold_release_later, &h, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
    apr_thread_join(&trv, t);
    rv = strata_flush(z, STRATA_FLUSH_SYNC);
    CU_ASSERT_EQUAL(rv, STRATA_ECANCELED);
    rv = strata_close(z);
    CU_ASSERT_EQUAL(rv, STRATA_ECANCELED);
}

static void parallel_gzip_forgotten_stream_closed_by_pool(void)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    apr_pool_t *sub;
    char *data = sample(500000, 2);

    strata_memory_create(&mem, 0, strata_test_pool);
    apr_pool_create(&sub, strata_test_pool);
    strata_compress_opts_init(&o);
    o.threads = 3;
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP, &o,
                                                  0, sub));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, data, 500000, NULL));
    apr_pool_destroy(sub);          /* flushes, writes the trailer, joins */
    {
        const void *p;
        char *plain;
        apr_size_t clen, plen;
        strata_memory_contents(mem, &p, &clen);
        ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_GZIP, NULL, p, clen,
                                              &plain, &plen));
        CU_ASSERT(plen == 500000 && tmemcmp(plain, data, plen) == 0);
    }
}

/* issue 7 item 5: a worker that cannot start fails the constructor with
 * the error; those already started are stopped and joined; inner intact */
static void parallel_gzip_thread_start_failure_is_clean(void)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z = NULL;
    unsigned at;

    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_opts_init(&o);
    o.threads = 4;
    for (at = 1; at <= 4; at++) {
        strata__pgz_fail_start_at = at;
        ASSERT_RV(APR_EAGAIN, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                     &o, 0, strata_test_pool));
    }
    strata__pgz_fail_start_at = 0;
    CU_ASSERT(!strata_stream_is_closed(mem));
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_GZIP,
                                                  &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, "after", 5, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(z));
}

static void threaded_xz_and_zstd(void)
{
    strata_compress_opts_t o;
    char *data = sample(3000000, 4), *c, *plain;
    apr_size_t clen, plen;

    strata_compress_opts_init(&o);
    o.threads = 2;
    o.level = 1;
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_XZ, &o, data, 3000000,
                                        &c, &clen));
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_XZ, NULL, c, clen,
                                          &plain, &plen));
    CU_ASSERT(plen == 3000000 && tmemcmp(plain, data, plen) == 0);
#if STRATA_HAVE_ZSTD
    ASSERT_RV(APR_SUCCESS, compress_mem(STRATA_CODEC_ZSTD, &o, data, 3000000,
                                        &c, &clen));
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_ZSTD, NULL, c, clen,
                                          &plain, &plen));
    CU_ASSERT(plen == 3000000 && tmemcmp(plain, data, plen) == 0);
#endif
}

static void forgotten_writer_is_finished_by_pool(void)
{
    strata_stream_t *mem, *z;
    apr_pool_t *sub;
    const void *p;
    char *plain;
    apr_size_t clen, plen;

    strata_memory_create(&mem, 0, strata_test_pool);
    apr_pool_create(&sub, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_compress_writer(&z, mem, STRATA_CODEC_XZ, NULL,
                                                  0, sub));
    ASSERT_RV(APR_SUCCESS, strata_write_all(z, "left open", 9, NULL));
    apr_pool_destroy(sub);
    strata_memory_contents(mem, &p, &clen);
    ASSERT_RV(APR_SUCCESS, decompress_mem(STRATA_CODEC_XZ, NULL, p, clen,
                                          &plain, &plen));
    CU_ASSERT(plen == 9 && tmemcmp(plain, "left open", 9) == 0);
}

static CU_TestInfo tests[] = {
    { "codec_names_and_lookup", codec_names_and_lookup },
    { "codec_bad_arguments", codec_bad_arguments },
    { "engines_names_choice_and_forcing", engines_names_choice_and_forcing },
    { "deflate_unfinal_joins_streams", deflate_unfinal_joins_streams },
    { "libdeflate_blocks_grow_and_span", libdeflate_blocks_grow_and_span },
    { "engine_auto_short_stream_is_zlibs", engine_auto_short_stream_is_zlibs },
    { "roundtrip_all_codecs_four_directions", roundtrip_all_codecs_four_directions },
    { "roundtrip_levels_and_incompressible", roundtrip_levels_and_incompressible },
    { "sync_flush_makes_data_decodable", sync_flush_makes_data_decodable },
    { "concatenated_members_read_to_end", concatenated_members_read_to_end },
    { "concatenated_members_tiny_reads_and_writes",
      concatenated_members_tiny_reads_and_writes },
    { "decompress_writer_concatenated_and_first_only",
      decompress_writer_concatenated_and_first_only },
    { "auto_detect_and_passthrough", auto_detect_and_passthrough },
    { "auto_writer_passthrough_and_detect", auto_writer_passthrough_and_detect },
    { "auto_stack_nested_and_depth_bound", auto_stack_nested_and_depth_bound },
    { "decoder_stack_depth_is_bounded", decoder_stack_depth_is_bounded },
    { "limit_max_output_exact_and_past", limit_max_output_exact_and_past },
    { "bomb_hits_ratio_limit_fast_with_small_memory",
      bomb_hits_ratio_limit_fast_with_small_memory },
    { "bomb_of_gigabytes_stops_at_once", bomb_of_gigabytes_stops_at_once },
    { "bomb_writer_hits_max_output", bomb_writer_hits_max_output },
    { "xz_memory_limit", xz_memory_limit },
    { "compress_memory_cap_and_info", compress_memory_cap_and_info },
    { "fault_all_directions_lose_nothing", fault_all_directions_lose_nothing },
    { "fault_interrupted_sync_flush", fault_interrupted_sync_flush },
    { "fault_error_at_call_n_passes_up", fault_error_at_call_n_passes_up },
    { "fault_error_at_call_n_other_directions",
      fault_error_at_call_n_other_directions },
    { "parallel_gzip_roundtrip_forms", parallel_gzip_roundtrip_forms },
    { "parallel_gzip_on_executor", parallel_gzip_on_executor },
    { "parallel_gzip_executor_cancel_fails_stream",
      parallel_gzip_executor_cancel_fails_stream },
    { "parallel_gzip_forgotten_stream_closed_by_pool",
      parallel_gzip_forgotten_stream_closed_by_pool },
    { "parallel_gzip_thread_start_failure_is_clean",
      parallel_gzip_thread_start_failure_is_clean },
    { "threaded_xz_and_zstd", threaded_xz_and_zstd },
    { "forgotten_writer_is_finished_by_pool", forgotten_writer_is_finished_by_pool },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("compress", tests)
