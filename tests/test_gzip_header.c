/*
 * test_gzip_header.c -- gzip(1)'s member header on every engine
 * (strata_compress_opts_t gzip_header / gzip_name / gzip_mtime), reading it
 * back (strata_gzip_header) and what follows the last member
 * (strata_decompress_opts_t.trailing, strata_codec_trailing).
 */
#include "test_util.h"
#include "strata/compress.h"
#include <string.h>

static const char text[] = "a line of text for the header tests\n";

/* Compress text with @eng and the header options into memory. */
static apr_status_t gz_make(strata_engine_t eng, int level, int threads,
                            const char *name, apr_uint32_t mtime, int hdr,
                            const unsigned char **out, apr_size_t *len)
{
    strata_compress_opts_t o;
    strata_stream_t *mem, *z;
    apr_status_t rv;
    apr_size_t n;

    strata_compress_opts_init(&o);
    o.engine = eng;
    o.level = level;
    o.threads = (unsigned)threads;
    o.gzip_header = hdr;
    o.gzip_name = name;
    o.gzip_mtime = mtime;
    if ((rv = strata_memory_create(&mem, 0, strata_test_pool)) != APR_SUCCESS)
        return rv;
    rv = strata_compress_writer(&z, mem, STRATA_CODEC_GZIP, &o, 0,
                                strata_test_pool);
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = strata_write(z, text, sizeof(text) - 1, &n)) != APR_SUCCESS)
        return rv;
    if ((rv = strata_close(z)) != APR_SUCCESS)
        return rv;
    return strata_memory_contents(mem, (const void **)out, len);
}

static void header_bytes_as_gzip_on_every_engine(void)
{
    static const strata_engine_t engines[] = { STRATA_ENGINE_ZLIB,
        STRATA_ENGINE_ISAL, STRATA_ENGINE_LIBDEFLATE };
    static const int levels[] = { 1, 6, 9 };
    static const unsigned char xfl[] = { 4, 0, 2 };
    unsigned char want[12] = { 0x1f, 0x8b, 8, 8, 0xa0, 0x5d, 0x0d, 0x5e, 0,
                               3, 'f', 0 };
    const unsigned char *p;
    apr_size_t len;
    int e, l, t;

    for (e = 0; e < 3; e++) {
        if (!strata_engine_available(engines[e]))
            continue;
        for (l = 0; l < 3; l++) {
            for (t = 1; t <= 2; t++) {
                ASSERT_RV_FATAL(APR_SUCCESS,
                                gz_make(engines[e], levels[l], t, "f",
                                        0x5e0d5da0u, 0, &p, &len));
                want[8] = xfl[l];
                CU_ASSERT_FATAL(len > 12);
                CU_ASSERT(memcmp(p, want, 12) == 0);
            }
            /* gzip -n: no name, no time, still gzip's XFL and OS */
            ASSERT_RV_FATAL(APR_SUCCESS, gz_make(engines[e], levels[l], 1,
                                                 NULL, 0, 1, &p, &len));
            CU_ASSERT(p[3] == 0 && p[4] == 0 && p[7] == 0);
            CU_ASSERT(p[8] == xfl[l] && p[9] == 3);
        }
    }
}

static void default_header_unchanged(void)
{
    const unsigned char *p;
    apr_size_t len;

    ASSERT_RV_FATAL(APR_SUCCESS, gz_make(STRATA_ENGINE_ZLIB, 6, 1, NULL, 0, 0,
                                         &p, &len));
    CU_ASSERT(p[3] == 0 && p[4] == 0 && p[5] == 0 && p[6] == 0 && p[7] == 0);
}

/* A reader over p[0..len) with @trailing. */
static strata_stream_t *gz_reader(const void *p, apr_size_t len,
                                  strata_codec_t codec, int trailing,
                                  strata_engine_t eng)
{
    strata_decompress_opts_t d;
    strata_stream_t *mem, *z = NULL;

    strata_decompress_opts_init(&d);
    d.trailing = trailing;
    d.engine = eng;
    if (strata_memory_create_from(&mem, p, len, 0, STRATA_MEMORY_COPY,
                                  strata_test_pool) != APR_SUCCESS
        || strata_decompress_reader(&z, mem, codec, &d, STRATA_OWN_INNER,
                                    strata_test_pool) != APR_SUCCESS)
        return NULL;
    return z;
}

static void header_read_back(void)
{
    strata_gzip_header_t h;
    const unsigned char *p;
    strata_stream_t *z;
    apr_size_t len, n;
    char *out;

    ASSERT_RV_FATAL(APR_SUCCESS, gz_make(STRATA_ENGINE_ZLIB, 6, 1,
                                         "orig.txt", 1234567890u, 0,
                                         &p, &len));
    z = gz_reader(p, len, STRATA_CODEC_AUTO, 0, STRATA_ENGINE_AUTO);
    CU_ASSERT_FATAL(z != NULL);
    ASSERT_RV(APR_INCOMPLETE, strata_gzip_header(z, &h, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_read_all(z, 7, strata_test_pool,
                                                      &out, &n));
    CU_ASSERT(n == sizeof(text) - 1 && memcmp(out, text, n) == 0);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_gzip_header(z, &h, strata_test_pool));
    CU_ASSERT(h.name != NULL && strcmp(h.name, "orig.txt") == 0);
    CU_ASSERT(h.mtime == 1234567890u && h.os == 3);
    CU_ASSERT(h.header_len == 10 + sizeof("orig.txt"));
    strata_close(z);
}

/* A comment (FCOMMENT, after FNAME) on every engine, threads or not:
 * the same header bytes everywhere, read back by strata and by gzip. */
static void header_comment_on_every_engine(void)
{
    static const strata_engine_t engines[] = { STRATA_ENGINE_ZLIB,
        STRATA_ENGINE_ISAL, STRATA_ENGINE_LIBDEFLATE };
    static const unsigned char want[] = { 0x1f, 0x8b, 8, 8 | 16, 1, 0, 0, 0,
        0, 3, 'n', 0, 'a', ' ', 'n', 'o', 't', 'e', 0 };
    strata_compress_opts_t o;
    strata_gzip_header_t h;
    strata_stream_t *mem, *z;
    const void *c;
    apr_size_t clen, n;
    char *out;
    int e, t;

    for (e = 0; e < 3; e++) {
        if (!strata_engine_available(engines[e]))
            continue;
        for (t = 1; t <= 2; t++) {
            strata_compress_opts_init(&o);
            o.engine = engines[e];
            o.threads = (unsigned)t;
            o.gzip_name = "n";
            o.gzip_mtime = 1;
            o.gzip_comment = "a note";
            strata_memory_create(&mem, 0, strata_test_pool);
            ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&z, mem,
                STRATA_CODEC_GZIP, &o, 0, strata_test_pool));
            ASSERT_RV(APR_SUCCESS, strata_write_all(z, text, sizeof(text) - 1,
                                                    NULL));
            ASSERT_RV(APR_SUCCESS, strata_close(z));
            strata_memory_contents(mem, &c, &clen);
            CU_ASSERT_FATAL(clen > sizeof(want));
            CU_ASSERT(memcmp(c, want, sizeof(want)) == 0);
            z = gz_reader(c, clen, STRATA_CODEC_GZIP, 0, STRATA_ENGINE_AUTO);
            CU_ASSERT_FATAL(z != NULL);
            ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 5, strata_test_pool,
                                                        &out, &n));
            CU_ASSERT(n == sizeof(text) - 1 && memcmp(out, text, n) == 0);
            ASSERT_RV_FATAL(APR_SUCCESS, strata_gzip_header(z, &h,
                                                            strata_test_pool));
            CU_ASSERT(h.comment != NULL && strcmp(h.comment, "a note") == 0);
            CU_ASSERT(h.name != NULL && strcmp(h.name, "n") == 0);
            CU_ASSERT_EQUAL(h.header_len, sizeof(want));
            strata_close(z);
        }
    }
}

static void header_cut_short(void)
{
    static const unsigned char cut[] = { 0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3,
                                         'a', 'b' };
    strata_gzip_header_t h;
    strata_stream_t *z = gz_reader(cut, sizeof(cut), STRATA_CODEC_GZIP, 0,
                                   STRATA_ENGINE_ZLIB);
    char buf[16];
    apr_size_t n;

    CU_ASSERT_FATAL(z != NULL);
    CU_ASSERT(strata_read(z, buf, sizeof(buf), &n) != APR_SUCCESS
              || strata_read(z, buf, sizeof(buf), &n) != APR_SUCCESS);
    ASSERT_RV(STRATA_ETRUNCATED, strata_gzip_header(z, &h, strata_test_pool));
    strata_close(z);
}

/* member + tail, through a reader with @mode, on each decoding engine. */
static void trailing_case(const char *tail, apr_size_t tlen, int mode,
                          apr_uint64_t want_bytes, int want_zero)
{
    static const strata_engine_t engines[] = { STRATA_ENGINE_ZLIB,
                                               STRATA_ENGINE_ISAL };
    const unsigned char *p;
    apr_size_t len, n;
    apr_uint64_t bytes;
    unsigned char head[4];
    char *buf, *out;
    int zero, e;

    ASSERT_RV_FATAL(APR_SUCCESS, gz_make(STRATA_ENGINE_ZLIB, 6, 1, NULL, 0, 1,
                                         &p, &len));
    buf = apr_palloc(strata_test_pool, len + tlen);
    memcpy(buf, p, len);
    memcpy(buf + len, tail, tlen);
    for (e = 0; e < 2; e++) {
        strata_stream_t *z;

        if (!strata_engine_available(engines[e]))
            continue;
        z = gz_reader(buf, len + tlen, STRATA_CODEC_GZIP, mode, engines[e]);
        CU_ASSERT_FATAL(z != NULL);
        ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 5, strata_test_pool,
                                                    &out, &n));
        if (mode == STRATA_TRAILING_PASS) {
            CU_ASSERT(n == sizeof(text) - 1 + tlen);
            CU_ASSERT(n >= tlen && memcmp(out + n - tlen, tail, tlen) == 0);
        } else {
            CU_ASSERT(n == sizeof(text) - 1);
        }
        ASSERT_RV(APR_SUCCESS, strata_codec_trailing(z, &bytes, &zero, head));
        CU_ASSERT(bytes == want_bytes && zero == want_zero);
        if (tlen > 0)
            CU_ASSERT(head[0] == (unsigned char)tail[0]);
        strata_close(z);
    }
}

static void trailing_stop_counts_zeros_and_garbage(void)
{
    trailing_case("\0\0\0", 3, STRATA_TRAILING_STOP, 3, 1);
    trailing_case("garbage", 7, STRATA_TRAILING_STOP, 7, 0);
    trailing_case("\1", 1, STRATA_TRAILING_STOP, 1, 0);
    trailing_case("", 0, STRATA_TRAILING_STOP, 0, 1);
}

static void trailing_pass_copies_the_rest(void)
{
    trailing_case("yyy\n", 4, STRATA_TRAILING_PASS, 4, 0);
    trailing_case("\0", 1, STRATA_TRAILING_PASS, 1, 1);
    trailing_case("\x1f", 1, STRATA_TRAILING_PASS, 1, 0);
}

static void trailing_error_is_the_default(void)
{
    const unsigned char *p;
    apr_size_t len, n;
    char *buf, *out;
    strata_stream_t *z;

    ASSERT_RV_FATAL(APR_SUCCESS, gz_make(STRATA_ENGINE_ZLIB, 6, 1, NULL, 0, 1,
                                         &p, &len));
    buf = apr_palloc(strata_test_pool, len + 4);
    memcpy(buf, p, len);
    memcpy(buf + len, "junk", 4);
    z = gz_reader(buf, len + 4, STRATA_CODEC_GZIP, STRATA_TRAILING_ERROR,
                  STRATA_ENGINE_ZLIB);
    CU_ASSERT_FATAL(z != NULL);
    ASSERT_RV(STRATA_EBADDATA, strata_test_read_all(z, 64, strata_test_pool,
                                                    &out, &n));
    strata_close(z);
}

static CU_TestInfo tests[] = {
    { "header_bytes_as_gzip_on_every_engine",
      header_bytes_as_gzip_on_every_engine },
    { "default_header_unchanged", default_header_unchanged },
    { "header_read_back", header_read_back },
    { "header_comment_on_every_engine", header_comment_on_every_engine },
    { "header_cut_short", header_cut_short },
    { "trailing_stop_counts_zeros_and_garbage",
      trailing_stop_counts_zeros_and_garbage },
    { "trailing_pass_copies_the_rest", trailing_pass_copies_the_rest },
    { "trailing_error_is_the_default", trailing_error_is_the_default },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("gzip_header", tests)
