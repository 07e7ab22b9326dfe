/*
 * test_compress_corrupt.c -- hostile input: the compressed form of a small
 * sample truncated at every offset and with single bit flips at many
 * offsets, through the decompressing reader and writer, gives a clean
 * error or the correct data (for raw deflate, which has no checksum, any
 * data), never a crash, a hang or a leak.  Kept small for ASan/valgrind.
 */
#include "test_util.h"
#include "strata/compress.h"
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

/* memcmp that accepts NULL with a zero length (empty streams). */
static int tmemcmp(const void *a, const void *b, apr_size_t n)
{
    return n ? memcmp(a, b, n) : 0;
}

#define SAMPLE_LEN 3000

static const strata_codec_t codecs[] = {
    STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE,
    STRATA_CODEC_BZIP2, STRATA_CODEC_XZ,
#if STRATA_HAVE_ZSTD
    STRATA_CODEC_ZSTD,
#endif
};
#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

static char *sample(void)
{
    char *p = apr_palloc(strata_test_pool, SAMPLE_LEN);
    apr_size_t i;

    strata_test_fill(p, SAMPLE_LEN, 21);
    for (i = 0; i < SAMPLE_LEN; i++)
        if (p[i] & 0x60)
            p[i] = "a sample of corruptible text. "[i % 30];
    return p;
}

static void compress_sample(strata_codec_t codec, const char *data,
                            char **c, apr_size_t *clen)
{
    strata_stream_t *mem, *z;
    strata_compress_opts_t o;
    const void *p;

    strata_compress_opts_init(&o);
    if (codec == STRATA_CODEC_XZ)
        o.level = 0;                    /* small dictionary: cheap decoders */
    strata_memory_create(&mem, 0, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem, codec, &o, 0,
                                                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_write_all(z, data, SAMPLE_LEN, NULL));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_close(z));
    strata_memory_contents(mem, &p, clen);
    *c = apr_pmemdup(strata_test_pool, p, *clen);
}

static int clean_error(apr_status_t rv)
{
    return rv == STRATA_EBADDATA || rv == STRATA_ETRUNCATED
           || STRATA_STATUS_IS_LIMIT(rv);
}

/* Decode with a reader; *out is what came out before the end or error. */
static apr_status_t decode_reader(strata_codec_t codec, const char *c,
                                  apr_size_t clen, char **out,
                                  apr_size_t *olen, apr_pool_t *pool)
{
    strata_decompress_opts_t d;
    strata_stream_t *mem, *z;
    apr_status_t rv;

    strata_decompress_opts_init(&d);
    d.max_output = 16 * SAMPLE_LEN;
    d.max_memory = 8 * 1024 * 1024;
    strata_memory_open_buffer(&mem, c, clen, pool);
    rv = strata_decompress_reader(&z, mem, codec, &d, STRATA_OWN_INNER, pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = strata_test_read_all(z, 1024, pool, out, olen);
    strata_close(z);
    return rv;
}

static apr_status_t decode_writer(strata_codec_t codec, const char *c,
                                  apr_size_t clen, char **out,
                                  apr_size_t *olen, apr_pool_t *pool)
{
    strata_decompress_opts_t d;
    strata_stream_t *mem, *z;
    const void *p;
    apr_status_t rv, rv2;

    strata_decompress_opts_init(&d);
    d.max_output = 16 * SAMPLE_LEN;
    d.max_memory = 8 * 1024 * 1024;
    strata_memory_create(&mem, 0, pool);
    rv = strata_decompress_writer(&z, mem, codec, &d, 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = strata_test_write_all(z, c, clen, 777);
    rv2 = strata_close(z);
    if (rv == APR_SUCCESS)
        rv = rv2;
    strata_memory_contents(mem, &p, olen);
    *out = (char *)p;
    return rv;
}

typedef apr_status_t (*decode_fn)(strata_codec_t, const char *, apr_size_t,
                                  char **, apr_size_t *, apr_pool_t *);

static void truncate_everywhere(decode_fn decode)
{
    char *data = sample(), *c, *out;
    apr_size_t clen, olen, cut, i;
    apr_pool_t *sub;
    apr_status_t rv;

    apr_pool_create(&sub, strata_test_pool);
    for (i = 0; i < NCODECS; i++) {
        compress_sample(codecs[i], data, &c, &clen);
        for (cut = 0; cut < clen; cut++) {
            apr_pool_clear(sub);
            rv = decode(codecs[i], c, cut, &out, &olen, sub);
            if (rv == APR_SUCCESS || !clean_error(rv)
                || olen > SAMPLE_LEN || tmemcmp(out, data, olen) != 0) {
                fprintf(stderr, "\n%s cut at %u of %u: rv %d, %u bytes out\n",
                        strata_codec_name(codecs[i]), (unsigned)cut,
                        (unsigned)clen, (int)rv, (unsigned)olen);
                CU_FAIL("truncated input not reported cleanly");
                break;
            }
        }
        /* the whole thing decodes */
        apr_pool_clear(sub);
        ASSERT_RV(APR_SUCCESS, decode(codecs[i], c, clen, &out, &olen, sub));
        CU_ASSERT(olen == SAMPLE_LEN && tmemcmp(out, data, olen) == 0);
    }
    apr_pool_destroy(sub);
}

static void flip_bits(decode_fn decode, apr_size_t stride)
{
    char *data = sample(), *c, *bad, *out;
    apr_size_t clen, olen, off, i;
    apr_pool_t *sub;
    apr_status_t rv;
    unsigned wrong_ok = 0;

    apr_pool_create(&sub, strata_test_pool);
    for (i = 0; i < NCODECS; i++) {
        compress_sample(codecs[i], data, &c, &clen);
        bad = apr_palloc(strata_test_pool, clen);
        for (off = 0; off < clen; off += stride) {
            memcpy(bad, c, clen);
            bad[off] ^= (char)(1u << ((off * 5 + i) % 8));
            apr_pool_clear(sub);
            rv = decode(codecs[i], bad, clen, &out, &olen, sub);
            if (rv == APR_SUCCESS && olen == SAMPLE_LEN
                && tmemcmp(out, data, olen) == 0)
                continue;                      /* e.g. a header's MTIME */
            if (codecs[i] == STRATA_CODEC_DEFLATE
                && (rv == APR_SUCCESS || clean_error(rv))) {
                wrong_ok++;                    /* no checksum to catch it */
                continue;
            }
            if (rv == APR_SUCCESS || !clean_error(rv)) {
                fprintf(stderr, "\n%s flip at %u: rv %d, %u bytes out\n",
                        strata_codec_name(codecs[i]), (unsigned)off, (int)rv,
                        (unsigned)olen);
                CU_FAIL("corrupt input not reported cleanly");
            }
        }
    }
    (void)wrong_ok;
    apr_pool_destroy(sub);
}

static void reader_truncated_at_every_offset(void)
{
    truncate_everywhere(decode_reader);
}

static void writer_truncated_at_every_offset(void)
{
    truncate_everywhere(decode_writer);
}

static void reader_single_bit_flips(void)
{
    flip_bits(decode_reader, 1);
}

static void writer_single_bit_flips(void)
{
    flip_bits(decode_writer, 3);
}

static void auto_reader_on_garbage_and_flips(void)
{
    char *data = sample(), *c, *bad, *out;
    apr_size_t clen, olen, off, i;
    apr_pool_t *sub;
    apr_status_t rv;

    apr_pool_create(&sub, strata_test_pool);
    for (i = 0; i < NCODECS; i++) {
        if (codecs[i] == STRATA_CODEC_DEFLATE)
            continue;
        compress_sample(codecs[i], data, &c, &clen);
        bad = apr_palloc(strata_test_pool, clen);
        for (off = 0; off < clen && off < 64; off++) {   /* the magic area */
            memcpy(bad, c, clen);
            bad[off] ^= 0x10;
            apr_pool_clear(sub);
            rv = decode_reader(STRATA_CODEC_AUTO, bad, clen, &out, &olen, sub);
            CU_ASSERT((rv == APR_SUCCESS && olen == SAMPLE_LEN
                       && tmemcmp(out, data, olen) == 0) || clean_error(rv));
        }
    }
    apr_pool_destroy(sub);
}

static CU_TestInfo tests[] = {
    { "reader_truncated_at_every_offset", reader_truncated_at_every_offset },
    { "writer_truncated_at_every_offset", writer_truncated_at_every_offset },
    { "reader_single_bit_flips", reader_single_bit_flips },
    { "writer_single_bit_flips", writer_single_bit_flips },
    { "auto_reader_on_garbage_and_flips", auto_reader_on_garbage_and_flips },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("compress_corrupt", tests)
