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

static void memory_from_copy_reads_initial_bytes_without_counting_writes(void)
{
    char src[] = "hello world";
    strata_stream_t *s;
    strata_meter_t *meter;
    strata_counts_t c;
    const void *p;
    char buf[32];
    apr_size_t n, len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create_from(&s, src, 11, 0,
                                                           STRATA_MEMORY_COPY,
                                                           strata_test_pool));
    memset(src, 'X', sizeof(src) - 1);       /* the copy does not see this */
    ASSERT_RV(APR_SUCCESS, strata_meter_create(&meter, "m", strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(s, meter));
    strata_stream_counts(s, &c);
    CU_ASSERT(c.write_bytes == 0 && c.write_ops == 0);
    ASSERT_RV(APR_SUCCESS, strata_read_exact(s, buf, 11, &n));
    CU_ASSERT(memcmp(buf, "hello world", 11) == 0);
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 6, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "strata!", 7, NULL));
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT(len == 13 && memcmp(p, "hello strata!", 13) == 0);
    strata_stream_counts(s, &c);
    CU_ASSERT_EQUAL(c.write_bytes, 7);       /* only what was written */
    CU_ASSERT_EQUAL(c.read_bytes, 11);
    strata_meter_snapshot(meter, &c);
    CU_ASSERT_EQUAL(c.write_bytes, 7);
}

static void memory_from_borrow_copies_on_first_write(void)
{
    static const char src[] = "0123456789";
    strata_stream_t *s;
    const void *p;
    char buf[4];
    apr_size_t n, len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create_from(&s, src, 10, 0,
                                                           STRATA_MEMORY_BORROW,
                                                           strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT_PTR_EQUAL(p, src);             /* read in place */
    CU_ASSERT_EQUAL(len, 10);
    ASSERT_RV(APR_SUCCESS, strata_read_exact(s, buf, 4, &n));
    CU_ASSERT(memcmp(buf, "0123", 4) == 0);
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "ab", 2, NULL));   /* at 4 */
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT_PTR_NOT_EQUAL(p, src);
    CU_ASSERT(len == 10 && memcmp(p, "0123ab6789", 10) == 0);
    CU_ASSERT(memcmp(src, "0123456789", 10) == 0);   /* never written */
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_END, NULL));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "XYZ", 3, NULL));  /* grows */
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT(len == 13 && memcmp(p, "0123ab6789XYZ", 13) == 0);
}

static void memory_from_borrow_truncate_lets_go(void)
{
    static const char src[] = "borrowed";
    strata_stream_t *s;
    const void *p;
    apr_size_t len;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create_from(&s, src, 8, 0,
                                                           STRATA_MEMORY_BORROW,
                                                           strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_memory_truncate(s));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "new", 3, NULL));
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(s, &p, &len));
    CU_ASSERT(len == 3 && memcmp(p, "new", 3) == 0);
    CU_ASSERT(memcmp(src, "borrowed", 8) == 0);
}

static void memory_from_checks_arguments_and_cap(void)
{
    strata_stream_t *s = NULL;
    char buf[8];
    apr_size_t n;

    ASSERT_RV(APR_EINVAL, strata_memory_create_from(NULL, "x", 1, 0, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_memory_create_from(&s, NULL, 1, 0, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_memory_create_from(&s, "x", 1, 0, 0x80, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_memory_create_from(&s, "x", 1, 0, 0, NULL));
    ASSERT_RV(STRATA_ELIMIT, strata_memory_create_from(&s, "abcdef", 6, 4, 0,
                                                       strata_test_pool));
    CU_ASSERT_PTR_NULL(s);
    /* Empty start, and the cap counts the initial bytes. */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create_from(&s, NULL, 0, 0,
                                                           STRATA_MEMORY_BORROW,
                                                           strata_test_pool));
    ASSERT_RV(APR_EOF, strata_read(s, buf, 1, &n));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create_from(&s, "abcd", 4, 6, 0,
                                                           strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_END, NULL));
    ASSERT_RV(APR_SUCCESS, strata_write(s, "efgh", 4, &n));
    CU_ASSERT_EQUAL(n, 2);
    ASSERT_RV(STRATA_ELIMIT, strata_write(s, "gh", 2, &n));
}

static CU_TestInfo tests[] = {
    { "memory_grows_and_reads_back", memory_grows_and_reads_back },
    { "memory_seek_past_end_leaves_zero_gap", memory_seek_past_end_leaves_zero_gap },
    { "memory_cap_writes_what_fits_then_elimit", memory_cap_writes_what_fits_then_elimit },
    { "memory_buffer_view_is_read_only", memory_buffer_view_is_read_only },
    { "memory_contents_survive_close", memory_contents_survive_close },
    { "memory_truncate_rewinds", memory_truncate_rewinds },
    { "memory_from_copy_reads_initial_bytes_without_counting_writes", memory_from_copy_reads_initial_bytes_without_counting_writes },
    { "memory_from_borrow_copies_on_first_write", memory_from_borrow_copies_on_first_write },
    { "memory_from_borrow_truncate_lets_go", memory_from_borrow_truncate_lets_go },
    { "memory_from_checks_arguments_and_cap", memory_from_checks_arguments_and_cap },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("memory", tests)
