/*
 * test_pack.c -- decoding pack(1)'s Huffman format (".z", 1f 1e): gzip's
 * own sample, streaming in any piece size, members one after another,
 * and bad trees, lengths and cut input.
 */
#include "test_util.h"
#include "strata/compress.h"
#include <string.h>

/* "banana", from gzip's test suite (unpack-valid) */
static const unsigned char banana[] = { 0x1f, 0x1e, 0x00, 0x00, 0x00, 0x06,
    0x03, 0x01, 0x01, 0x00, 0x61, 0x6e, 0x62, 0x16, 0xc8 };

static void pack_banana(void)
{
    char *out;
    apr_size_t len, chunk;

    for (chunk = 1; chunk <= 64; chunk *= 4) {
        ASSERT_RV(APR_SUCCESS, strata_test_decode(banana, sizeof(banana),
                                           STRATA_CODEC_AUTO, chunk, &out,
                                           &len));
        CU_ASSERT(len == 6 && memcmp(out, "banana", 6) == 0);
    }
    CU_ASSERT(strata_codec_detect(banana, 2) == STRATA_CODEC_PACK);
    CU_ASSERT(strata_codec_from_name("pack") == STRATA_CODEC_PACK);
}

static void pack_two_members(void)
{
    unsigned char two[2 * sizeof(banana)];
    char *out;
    apr_size_t len;

    memcpy(two, banana, sizeof(banana));
    memcpy(two + sizeof(banana), banana, sizeof(banana));
    ASSERT_RV(APR_SUCCESS, strata_test_decode(two, sizeof(two), STRATA_CODEC_PACK, 5,
                                       &out, &len));
    CU_ASSERT(len == 12 && memcmp(out, "bananabanana", 12) == 0);
}

static void pack_bad_input(void)
{
    unsigned char b[sizeof(banana)];
    char *out;
    apr_size_t len;

    memcpy(b, banana, sizeof(b));
    b[5] = 7;                           /* length 7, 6 bytes coded */
    ASSERT_RV(STRATA_EBADDATA, strata_test_decode(b, sizeof(b), STRATA_CODEC_PACK,
                                           16, &out, &len));
    memcpy(b, banana, sizeof(b));
    b[6] = 26;                          /* longest code past 25 bits */
    ASSERT_RV(STRATA_EBADDATA, strata_test_decode(b, sizeof(b), STRATA_CODEC_PACK,
                                           16, &out, &len));
    memcpy(b, banana, sizeof(b));
    b[7] = 3;                           /* three leaves of one bit */
    ASSERT_RV(STRATA_EBADDATA, strata_test_decode(b, sizeof(b), STRATA_CODEC_PACK,
                                           16, &out, &len));
    memcpy(b, banana, sizeof(b));
    b[7] = 0; b[8] = 0;                 /* too few leaves: no tree */
    ASSERT_RV(STRATA_EBADDATA, strata_test_decode(b, sizeof(b), STRATA_CODEC_PACK,
                                           16, &out, &len));
    ASSERT_RV(STRATA_ETRUNCATED, strata_test_decode(banana, sizeof(banana) - 1,
                                             STRATA_CODEC_PACK, 16, &out,
                                             &len));
    ASSERT_RV(STRATA_ETRUNCATED, strata_test_decode(banana, 4, STRATA_CODEC_PACK, 16,
                                             &out, &len));
}

static void pack_has_no_encoder(void)
{
    strata_stream_t *mem, *z;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0,
                                                      strata_test_pool));
    ASSERT_RV(STRATA_ENOTSUP, strata_compress_writer(&z, mem,
                                                     STRATA_CODEC_PACK, NULL,
                                                     0, strata_test_pool));
}

static CU_TestInfo tests[] = {
    { "pack_banana", pack_banana },
    { "pack_two_members", pack_two_members },
    { "pack_bad_input", pack_bad_input },
    { "pack_has_no_encoder", pack_has_no_encoder },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("pack", tests)
