/*
 * test_zip.c -- the first entry of a zip file, as gzip -d reads it:
 * deflated with a data descriptor, stored, what follows ignored, and
 * bad CRC, cut input, encrypted and other methods refused.
 */
#include "test_util.h"
#include "strata/compress.h"
#include <string.h>

/* A deflated entry written to a pipe (so with a data descriptor and its
 * signature), then the central directory: "zip entry text, ..." x 3. */
static const unsigned char zip_dd[] = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00,
    0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x74, 0x2e, 0x74, 0x78, 0x74, 0xab,
    0xca, 0x2c, 0x50, 0x48, 0xcd, 0x2b, 0x29, 0xaa, 0x54, 0x28, 0x49, 0xad,
    0x28, 0xd1, 0x51, 0xa8, 0xc2, 0xcb, 0xe7, 0xc2, 0x2f, 0x4d, 0xa9, 0x72,
    0x00, 0x50, 0x4b, 0x07, 0x08, 0x1c, 0x2c, 0x54, 0xbb, 0x1a, 0x00, 0x00,
    0x00, 0x8d, 0x00, 0x00, 0x00, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14,
    0x00, 0x08, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x1c, 0x2c, 0x54,
    0xbb, 0x1a, 0x00, 0x00, 0x00, 0x8d, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00,
    0x00, 0x00, 0x00, 0x74, 0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b, 0x05, 0x06,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x33, 0x00, 0x00, 0x00,
    0x4d, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* A stored entry with sizes and CRC in its local header: "stored bytes\n". */
static const unsigned char zip_stored[] = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaf, 0xa0,
    0x82, 0x5d, 0xea, 0x59, 0x06, 0x6c, 0x0d, 0x00, 0x00, 0x00, 0x0d, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x73, 0x73, 0x74, 0x6f, 0x72, 0x65,
    0x64, 0x20, 0x62, 0x79, 0x74, 0x65, 0x73, 0x0a, 0x50, 0x4b, 0x01, 0x02,
    0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaf, 0xa0, 0x82, 0x5d,
    0xea, 0x59, 0x06, 0x6c, 0x0d, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x73, 0x50, 0x4b, 0x05, 0x06, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x2f, 0x00, 0x00, 0x00, 0x2c,
    0x00, 0x00, 0x00, 0x00, 0x00,
};

static const char dd_text[] = "zip entry text, zip entry text, zip entry text\n";

static apr_status_t zip_decode(const void *z, apr_size_t zlen,
                               strata_codec_t codec, apr_size_t chunk,
                               char **out, apr_size_t *len)
{
    strata_stream_t *mem, *d;
    apr_status_t rv;

    if ((rv = strata_memory_create_from(&mem, z, zlen, 0, STRATA_MEMORY_COPY,
                                        strata_test_pool)) != APR_SUCCESS)
        return rv;
    if ((rv = strata_decompress_reader(&d, mem, codec, NULL, STRATA_OWN_INNER,
                                       strata_test_pool)) != APR_SUCCESS)
        return rv;
    rv = strata_test_read_all(d, chunk, strata_test_pool, out, len);
    strata_close(d);
    return rv;
}

static void zip_deflated_with_descriptor(void)
{
    apr_size_t n = strlen(dd_text), len, chunk;
    char *out;

    for (chunk = 1; chunk <= 4096; chunk *= 8) {
        ASSERT_RV(APR_SUCCESS, zip_decode(zip_dd, sizeof(zip_dd),
                                          STRATA_CODEC_AUTO, chunk, &out,
                                          &len));
        CU_ASSERT(len == 3 * n && memcmp(out, dd_text, n) == 0
                  && memcmp(out + 2 * n, dd_text, n) == 0);
    }
    CU_ASSERT(strata_codec_detect(zip_dd, 4) == STRATA_CODEC_ZIP);
    CU_ASSERT(strata_codec_from_name("zip") == STRATA_CODEC_ZIP);
}

static void zip_stored_entry(void)
{
    char *out;
    apr_size_t len;

    ASSERT_RV(APR_SUCCESS, zip_decode(zip_stored, sizeof(zip_stored),
                                      STRATA_CODEC_ZIP, 5, &out, &len));
    CU_ASSERT(len == 13 && memcmp(out, "stored bytes\n", 13) == 0);
}

static void zip_bad_input(void)
{
    unsigned char b[sizeof(zip_stored)];
    char *out;
    apr_size_t len;

    memcpy(b, zip_stored, sizeof(b));
    b[14] ^= 1;                             /* CRC */
    ASSERT_RV(STRATA_EBADDATA, zip_decode(b, sizeof(b), STRATA_CODEC_ZIP, 64,
                                          &out, &len));
    memcpy(b, zip_stored, sizeof(b));
    b[6] |= 1;                              /* encrypted */
    ASSERT_RV(STRATA_EBADDATA, zip_decode(b, sizeof(b), STRATA_CODEC_ZIP, 64,
                                          &out, &len));
    memcpy(b, zip_stored, sizeof(b));
    b[8] = 12;                              /* bzip2 method */
    ASSERT_RV(STRATA_EBADDATA, zip_decode(b, sizeof(b), STRATA_CODEC_ZIP, 64,
                                          &out, &len));
    ASSERT_RV(STRATA_ETRUNCATED, zip_decode(zip_dd, 60, STRATA_CODEC_ZIP, 64,
                                            &out, &len));
    ASSERT_RV(STRATA_ETRUNCATED, zip_decode(zip_stored, 20, STRATA_CODEC_ZIP,
                                            64, &out, &len));
}

static void zip_has_no_encoder(void)
{
    strata_stream_t *mem, *z;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0,
                                                      strata_test_pool));
    ASSERT_RV(STRATA_ENOTSUP, strata_compress_writer(&z, mem, STRATA_CODEC_ZIP,
                                                     NULL, 0,
                                                     strata_test_pool));
}

static CU_TestInfo tests[] = {
    { "zip_deflated_with_descriptor", zip_deflated_with_descriptor },
    { "zip_stored_entry", zip_stored_entry },
    { "zip_bad_input", zip_bad_input },
    { "zip_has_no_encoder", zip_has_no_encoder },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("zip", tests)
