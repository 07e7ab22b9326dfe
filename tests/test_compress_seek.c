/*
 * test_compress_seek.c -- decompressing readers seek in the plain data:
 * forward by decoding, backward by rewinding the inner stream, from the
 * end; tell gives the plain position; past the end; an inner stream that
 * cannot seek; every codec; multi-member data; through an async stream.
 */
#include "test_util.h"
#include <string.h>

#define SIZE 300000

static char *plain_data(void)
{
    static char data[SIZE];
    apr_size_t i;

    for (i = 0; i < SIZE; i++)
        data[i] = (char)("seekable plain data "[i % 20] ^ (char)(i / 4099));
    return data;
}

/* Compress @len bytes of @data with @codec into a fresh memory stream
 * (rewound); @members > 1 writes that many members. */
static strata_stream_t *compressed(strata_codec_t codec, const char *data,
                                   apr_size_t len, int members)
{
    strata_stream_t *mem, *w;
    apr_size_t part = len / members, off = 0;
    int m;

    CU_ASSERT_FATAL(strata_memory_create(&mem, 0, strata_test_pool) == APR_SUCCESS);
    for (m = 0; m < members; m++) {
        apr_size_t n = m == members - 1 ? len - off : part;
        CU_ASSERT_FATAL(strata_compress_writer(&w, mem, codec, NULL, 0,
                                               strata_test_pool) == APR_SUCCESS);
        CU_ASSERT_FATAL(strata_write_all(w, data + off, n, NULL) == APR_SUCCESS);
        CU_ASSERT_FATAL(strata_close(w) == APR_SUCCESS);
        off += n;
    }
    CU_ASSERT_FATAL(strata_seek(mem, 0, APR_SET, NULL) == APR_SUCCESS);
    return mem;
}

static void check_at(strata_stream_t *r, const char *data, apr_off_t at,
                     apr_size_t len)
{
    static char buf[4096];
    apr_size_t n;
    apr_off_t pos;

    CU_ASSERT(strata_read_exact(r, buf, len, &n) == APR_SUCCESS);
    CU_ASSERT(n == len && memcmp(buf, data + at, len) == 0);
    CU_ASSERT(strata_tell(r, &pos) == APR_SUCCESS);
    CU_ASSERT_EQUAL(pos, at + (apr_off_t)len);
}

static void seek_all_ways(strata_codec_t codec, strata_codec_t dec, int members)
{
    const char *data = plain_data();
    strata_stream_t *mem = compressed(codec, data, SIZE, members), *r;
    strata_counts_t c;
    apr_off_t pos;
    char b;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(&r, mem, dec, NULL,
                                                          STRATA_OWN_INNER,
                                                          strata_test_pool));
    CU_ASSERT(strata_stream_caps(r) & STRATA_CAP_SEEK);
    ASSERT_RV(APR_SUCCESS, strata_tell(r, &pos));
    CU_ASSERT_EQUAL(pos, 0);
    check_at(r, data, 0, 100);
    ASSERT_RV(APR_SUCCESS, strata_seek(r, 150000, APR_SET, &pos));   /* forward */
    CU_ASSERT_EQUAL(pos, 150000);
    check_at(r, data, 150000, 4096);
    ASSERT_RV(APR_SUCCESS, strata_seek(r, 7, APR_SET, &pos));        /* back */
    CU_ASSERT_EQUAL(pos, 7);
    check_at(r, data, 7, 1000);
    ASSERT_RV(APR_SUCCESS, strata_seek(r, -500, APR_CUR, &pos));
    CU_ASSERT_EQUAL(pos, 507);
    check_at(r, data, 507, 10);
    ASSERT_RV(APR_SUCCESS, strata_seek(r, -100, APR_END, &pos));
    CU_ASSERT_EQUAL(pos, SIZE - 100);
    check_at(r, data, SIZE - 100, 100);
    ASSERT_RV(APR_EOF, strata_read(r, &b, 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_seek(r, 0, APR_SET, &pos));        /* after EOF */
    check_at(r, data, 0, 4096);
    ASSERT_RV(APR_EOF, strata_seek(r, SIZE + 10, APR_SET, &pos));    /* past end */
    ASSERT_RV(APR_SUCCESS, strata_tell(r, &pos));
    CU_ASSERT_EQUAL(pos, SIZE);
    ASSERT_RV(APR_EINVAL, strata_seek(r, -SIZE - 1, APR_CUR, &pos));
    /* what the caller read is metered; what seeking decoded is not */
    strata_stream_counts(r, &c);
    CU_ASSERT_EQUAL(c.read_bytes, 100 + 4096 + 1000 + 10 + 100 + 4096);
    ASSERT_RV(APR_SUCCESS, strata_close(r));
}

static void decompress_seek_gzip(void) { seek_all_ways(STRATA_CODEC_GZIP, STRATA_CODEC_GZIP, 1); }
static void decompress_seek_gzip_members(void) { seek_all_ways(STRATA_CODEC_GZIP, STRATA_CODEC_GZIP, 3); }
static void decompress_seek_bzip2(void) { seek_all_ways(STRATA_CODEC_BZIP2, STRATA_CODEC_BZIP2, 1); }
static void decompress_seek_xz(void) { seek_all_ways(STRATA_CODEC_XZ, STRATA_CODEC_XZ, 2); }
static void decompress_seek_zlib(void) { seek_all_ways(STRATA_CODEC_ZLIB, STRATA_CODEC_ZLIB, 1); }
static void decompress_seek_auto(void) { seek_all_ways(STRATA_CODEC_GZIP, STRATA_CODEC_AUTO, 2); }

static void decompress_seek_zstd(void)
{
    if (!strata_codec_available(STRATA_CODEC_ZSTD))
        return;
    seek_all_ways(STRATA_CODEC_ZSTD, STRATA_CODEC_ZSTD, 2);
}

/* The inner stream cannot seek (a compressing reader makes the bytes):
 * forward works, backward fails with its error and changes nothing. */
static void decompress_seek_back_needs_seekable_inner(void)
{
    const char *data = plain_data();
    strata_stream_t *src, *gz, *r;
    apr_off_t pos;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&src, data, SIZE,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_reader(&gz, src, STRATA_CODEC_GZIP,
                                                        NULL, STRATA_OWN_INNER,
                                                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(&r, gz, STRATA_CODEC_GZIP,
                                                          NULL, STRATA_OWN_INNER,
                                                          strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_seek(r, 1000, APR_SET, &pos));
    check_at(r, data, 1000, 50);
    ASSERT_RV(STRATA_ENOTSUP, strata_seek(r, 0, APR_SET, &pos));
    ASSERT_RV(APR_SUCCESS, strata_tell(r, &pos));
    CU_ASSERT_EQUAL(pos, 1050);
    check_at(r, data, 1050, 50);
    ASSERT_RV(APR_SUCCESS, strata_close(r));
}

/* Writers and compressing readers do not seek. */
static void compress_streams_do_not_seek(void)
{
    strata_stream_t *mem, *w;
    apr_off_t pos;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(&w, mem, STRATA_CODEC_GZIP,
                                                        NULL, 0, strata_test_pool));
    CU_ASSERT(!(strata_stream_caps(w) & STRATA_CAP_SEEK));
    CU_ASSERT(strata_seek(w, 0, APR_SET, &pos) != APR_SUCCESS);
    ASSERT_RV(APR_SUCCESS, strata_close(w));
}

/* A compressed file opened async seeks and tells in plain offsets. */
static void async_compressed_file_seeks(void)
{
    const char *data = plain_data();
    const char *path = strata_test_tmpname("cseek", strata_test_pool);
    strata_executor_t *ex;
    strata_async_open_opts_t o;
    strata_async_t *a;
    strata_future_t *f;
    static char buf[1000];
    apr_size_t n;
    apr_off_t pos;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    strata_async_open_opts_init(&o);
    o.codec = STRATA_CODEC_XZ;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_open(&a, path, "w", &o, ex,
                                                   strata_test_pool, NULL));
    strata_async_write(a, data, SIZE, NULL, NULL);
    strata_async_close(a, &f);
    strata_future_wait(f, -1);
    ASSERT_RV(APR_SUCCESS, strata_future_status(f));
    strata_future_release(f);
    o.codec = STRATA_CODEC_AUTO;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_async_open(&a, path, "r", &o, ex,
                                                   strata_test_pool, NULL));
    strata_async_seek(a, 200000, APR_SET, NULL, NULL);
    strata_async_read(a, buf, sizeof(buf), &n, NULL);
    strata_async_seek(a, 5, APR_SET, NULL, NULL);
    strata_async_tell(a, &pos, &f);
    strata_future_wait(f, -1);
    ASSERT_RV(APR_SUCCESS, strata_future_status(f));
    strata_future_release(f);
    CU_ASSERT_EQUAL(pos, 5);
    CU_ASSERT(n == sizeof(buf) && memcmp(buf, data + 200000, n) == 0);
    strata_async_close(a, &f);
    strata_future_wait(f, -1);
    ASSERT_RV(APR_SUCCESS, strata_future_status(f));
    strata_future_release(f);
    apr_file_remove(path, strata_test_pool);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static CU_TestInfo tests[] = {
    { "decompress_seek_gzip", decompress_seek_gzip },
    { "decompress_seek_gzip_members", decompress_seek_gzip_members },
    { "decompress_seek_bzip2", decompress_seek_bzip2 },
    { "decompress_seek_xz", decompress_seek_xz },
    { "decompress_seek_zstd", decompress_seek_zstd },
    { "decompress_seek_zlib", decompress_seek_zlib },
    { "decompress_seek_auto", decompress_seek_auto },
    { "decompress_seek_back_needs_seekable_inner", decompress_seek_back_needs_seekable_inner },
    { "compress_streams_do_not_seek", compress_streams_do_not_seek },
    { "async_compressed_file_seeks", async_compressed_file_seeks },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("compress_seek", tests)
