/*
 * test_memory.c -- the memory stream: growth, shared position, seeking past
 * the end, the size cap, read-only buffers, contents after close.
 */
#include "test_util.h"
#include "strata/fault.h"
#include <string.h>

static void memory_grows_and_reads_back(void)
{
    static char data[100000], back[100000];
    strata_stream_t *s;
    const void *p;
    apr_size_t n, len;

    strata_test_fill(data, sizeof(data), 1);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(s, data, sizeof(data), 777));
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT_EQUAL(len, sizeof(data));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_read_exact(s, back, sizeof(back), &n));
    CU_ASSERT(memcmp(back, data, sizeof(data)) == 0);
    ASSERT_RV(APR_EOF, strata_read(s, back, 1, &n));
}

static void memory_seek_past_end_leaves_zero_gap(void)
{
    strata_stream_t *s;
    const void *p;
    apr_size_t len;
    apr_off_t pos;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "ab", 2, NULL));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 5, APR_SET, &pos));
    CU_ASSERT_EQUAL(pos, 5);
    strata_memory_contents(s, &p, &len);
    CU_ASSERT_EQUAL(len, 2);            /* a seek alone does not grow */
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "z", 1, NULL));
    strata_memory_contents(s, &p, &len);
    CU_ASSERT_EQUAL(len, 6);
    CU_ASSERT(memcmp(p, "ab\0\0\0z", 6) == 0);
    ASSERT_RV(APR_EINVAL, strata_seek(s, -7, APR_END, &pos));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, -1, APR_END, &pos));
    CU_ASSERT_EQUAL(pos, 5);
}

static void memory_cap_writes_what_fits_then_elimit(void)
{
    strata_stream_t *s;
    const void *p;
    apr_size_t n, len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 4, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write(s, "abcdef", 6, &n));
    CU_ASSERT_EQUAL(n, 4);
    ASSERT_RV(STRATA_ELIMIT, strata_write(s, "x", 1, &n));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(STRATA_ELIMIT, strata_write_all(s, "y", 1, &n));
    strata_memory_contents(s, &p, &len);
    CU_ASSERT_EQUAL(len, 4);
}

static void memory_buffer_view_is_read_only(void)
{
    const char text[] = "view";
    strata_stream_t *s;
    char buf[8];
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_open_buffer(&s, text, 4,
                                                           strata_test_pool));
    ASSERT_RV(STRATA_ENOTSUP, strata_write(s, "x", 1, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_memory_truncate(s));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 4);
    ASSERT_RV(APR_EINVAL, strata_memory_open_buffer(&s, NULL, 3, strata_test_pool));
}

static void memory_contents_survive_close(void)
{
    strata_stream_t *s, *f;
    const void *p;
    apr_size_t len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, s, NULL, STRATA_OWN_INNER,
                                               strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(f, "kept", 4, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(f));
    CU_ASSERT(strata_stream_is_closed(s));
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT(len == 4 && memcmp(p, "kept", 4) == 0);
    ASSERT_RV(STRATA_ECLOSED, strata_memory_truncate(s));
    ASSERT_RV(APR_EINVAL, strata_memory_contents(f, &p, &len));  /* not memory */
}

static void memory_truncate_rewinds(void)
{
    strata_stream_t *s;
    const void *p;
    apr_size_t len;
    apr_off_t pos;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    strata_write_all(s, "abc", 3, NULL);
    ASSERT_RV(APR_SUCCESS, strata_memory_truncate(s));
    strata_memory_contents(s, &p, &len);
    CU_ASSERT_EQUAL(len, 0);
    ASSERT_RV(APR_SUCCESS, strata_tell(s, &pos));
    CU_ASSERT_EQUAL(pos, 0);
}

static CU_TestInfo tests[] = {
    { "memory_grows_and_reads_back", memory_grows_and_reads_back },
    { "memory_seek_past_end_leaves_zero_gap", memory_seek_past_end_leaves_zero_gap },
    { "memory_cap_writes_what_fits_then_elimit", memory_cap_writes_what_fits_then_elimit },
    { "memory_buffer_view_is_read_only", memory_buffer_view_is_read_only },
    { "memory_contents_survive_close", memory_contents_survive_close },
    { "memory_truncate_rewinds", memory_truncate_rewinds },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("memory", tests)
