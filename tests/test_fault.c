/*
 * test_fault.c -- the public fault-injection stream: each fault it offers,
 * its counters, and its argument checks.
 */
#include "test_util.h"
#include "strata/fault.h"
#include <string.h>

/* A memory stream holding "0123456789" behind a fault stream. */
static strata_stream_t *fault_over_digits(const strata_fault_opts_t *o,
                                          strata_stream_t **mem)
{
    strata_stream_t *m, *f;

    CU_ASSERT_FATAL(strata_memory_open_buffer(&m, "0123456789", 10,
                                              strata_test_pool) == APR_SUCCESS);
    CU_ASSERT_FATAL(strata_fault_create(&f, m, o, STRATA_OWN_INNER,
                                        strata_test_pool) == APR_SUCCESS);
    if (mem != NULL)
        *mem = m;
    return f;
}

static void fault_null_opts_pass_everything_through(void)
{
    strata_stream_t *f = fault_over_digits(NULL, NULL);
    char buf[16];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 10);
    ASSERT_RV(APR_EOF, strata_read(f, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(strata_fault_read_calls(f), 2);
    CU_ASSERT_EQUAL(strata_stream_caps(f), STRATA_CAP_READ | STRATA_CAP_SEEK);
    ASSERT_RV(APR_SUCCESS, strata_close(f));
}

static void fault_one_byte_and_max_io_make_short_reads(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *f;
    char buf[16];
    apr_size_t n;

    o.one_byte = 1;
    f = fault_over_digits(&o, NULL);
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 1);
    o.one_byte = 0;
    o.max_io = 4;
    ASSERT_RV(APR_SUCCESS, strata_fault_set(f, &o));
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT(memcmp(buf, "1234", 4) == 0);
}

static void fault_short_writes_lose_nothing(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *m, *f;
    const void *data;
    apr_size_t len, n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    o.max_io = 3;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write(f, "abcdefgh", 8, &n));
    CU_ASSERT_EQUAL(n, 3);
    ASSERT_RV(APR_SUCCESS, strata_write_all(f, "defgh", 5, NULL));
    CU_ASSERT_EQUAL(strata_fault_write_calls(f), 3);      /* 3 + 3 + 2 */
    ASSERT_RV(APR_SUCCESS, strata_memory_contents(m, &data, &len));
    CU_ASSERT(len == 8 && memcmp(data, "abcdefgh", 8) == 0);
    ASSERT_RV(APR_SUCCESS, strata_close(f));
    CU_ASSERT(!strata_stream_is_closed(m));               /* not owned */
}

static void fault_eintr_and_eagain_come_on_schedule(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *f;
    strata_counts_t c;
    char buf[1];
    apr_size_t n;

    o.one_byte = 1;
    o.eintr_every = 2;
    o.eagain_every = 3;
    f = fault_over_digits(&o, NULL);
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, 1, &n));   /* call 1 */
    ASSERT_RV(APR_EINTR, strata_read(f, buf, 1, &n));     /* call 2 */
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_EAGAIN, strata_read(f, buf, 1, &n));    /* call 3 */
    ASSERT_RV(APR_EINTR, strata_read(f, buf, 1, &n));     /* call 4 */
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, 1, &n));   /* call 5 */
    CU_ASSERT_EQUAL(buf[0], '1');                         /* nothing lost */
    ASSERT_RV(APR_EINTR, strata_read(f, buf, 1, &n));     /* call 6: 2 and 3 */
    strata_stream_counts(strata_stream_inner(f), &c);
    CU_ASSERT_EQUAL(c.read_ops, 2);           /* the inner saw only real calls */
    strata_stream_counts(f, &c);
    CU_ASSERT_EQUAL(c.read_ops, 6);
}

static void fault_error_at_call_n_then_recovers(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *f;
    char buf[2];
    apr_size_t n;

    o.max_io = 2;
    o.fail_read_at = 2;
    o.fail_status = APR_ECONNRESET;
    f = fault_over_digits(&o, NULL);
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, 2, &n));
    ASSERT_RV(APR_ECONNRESET, strata_read(f, buf, 2, &n));
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, 2, &n));   /* not sticky */
    CU_ASSERT(memcmp(buf, "23", 2) == 0);
}

static void fault_sticky_error_stays(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *m, *f;
    apr_size_t n;
    int i;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    o.fail_write_at = 3;
    o.fail_sticky = 1;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, m, &o, STRATA_OWN_INNER,
                                                     strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write(f, "a", 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_write(f, "b", 1, &n));
    for (i = 0; i < 3; i++)
        ASSERT_RV(APR_EGENERAL, strata_write(f, "c", 1, &n));
    CU_ASSERT_EQUAL(strata_fault_write_calls(f), 5);
    o.fail_write_at = 0;                     /* a new set forgets the failure */
    ASSERT_RV(APR_SUCCESS, strata_fault_set(f, &o));
    ASSERT_RV(APR_SUCCESS, strata_write(f, "d", 1, &n));
}

static void fault_flush_and_close_fail_on_demand(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *m, *f;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    o.fail_flush = 1;
    o.fail_close = 1;
    o.fail_status = APR_ENOSPC;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&f, m, &o, STRATA_OWN_INNER,
                                                     strata_test_pool));
    ASSERT_RV(APR_ENOSPC, strata_flush(f, STRATA_FLUSH_BUFFERS));
    ASSERT_RV(APR_ENOSPC, strata_close(f));
    CU_ASSERT(strata_stream_is_closed(f));
    CU_ASSERT(strata_stream_is_closed(m));   /* closed anyway */
}

static void fault_refuses_bad_arguments(void)
{
    strata_fault_opts_t o = { 0 };
    strata_stream_t *m, *f = NULL;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&m, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_fault_create(&f, NULL, &o, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_fault_create(NULL, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_fault_create(&f, m, &o, 0, NULL));
    CU_ASSERT_PTR_NULL(f);
    ASSERT_RV(APR_EINVAL, strata_fault_set(m, &o));       /* not a fault stream */
    ASSERT_RV(APR_EINVAL, strata_fault_set(NULL, &o));
    CU_ASSERT_EQUAL(strata_fault_read_calls(m), 0);
    CU_ASSERT_EQUAL(strata_fault_write_calls(NULL), 0);
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, NULL, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_fault_set(f, NULL));
}

static CU_TestInfo tests[] = {
    { "fault_null_opts_pass_everything_through", fault_null_opts_pass_everything_through },
    { "fault_one_byte_and_max_io_make_short_reads", fault_one_byte_and_max_io_make_short_reads },
    { "fault_short_writes_lose_nothing", fault_short_writes_lose_nothing },
    { "fault_eintr_and_eagain_come_on_schedule", fault_eintr_and_eagain_come_on_schedule },
    { "fault_error_at_call_n_then_recovers", fault_error_at_call_n_then_recovers },
    { "fault_sticky_error_stays", fault_sticky_error_stays },
    { "fault_flush_and_close_fail_on_demand", fault_flush_and_close_fail_on_demand },
    { "fault_refuses_bad_arguments", fault_refuses_bad_arguments },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("fault", tests)
