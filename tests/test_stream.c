/*
 * test_stream.c -- the dispatcher's contract: argument and state checks,
 * what it enforces on types, close semantics, read_exact/write_all, walking
 * a stack.
 */
#include "test_util.h"
#include "strata/fault.h"
#include "strata/stream_type.h"
#include <string.h>

/* ---- a deliberately misbehaving type ---------------------------------- */

enum { BAD_OVERREAD, BAD_EOF_WITH_DATA, BAD_ZERO_SUCCESS };

typedef struct bad_stream_t {
    strata_stream_t base;
    int mode;
} bad_stream_t;

static int bad_closes;   /* close calls seen, across instances */

static apr_status_t bad_read(strata_stream_t *s, void *buf, apr_size_t len,
                             apr_size_t *n)
{
    bad_stream_t *b = (bad_stream_t *)s;

    switch (b->mode) {
    case BAD_OVERREAD:
        *n = len + 1;
        return APR_SUCCESS;
    case BAD_EOF_WITH_DATA:
        if (len > 0) {
            memset(buf, 'x', 1);
            *n = 1;
        }
        return APR_EOF;
    default:
        return APR_SUCCESS;
    }
}

static apr_status_t bad_close(strata_stream_t *s)
{
    (void)s;
    bad_closes++;
    return APR_SUCCESS;
}

static const strata_stream_type_t bad_type = {
    STRATA_STREAM_TYPE_VERSION, "bad", STRATA_CAP_READ, sizeof(bad_stream_t),
    bad_read, NULL, NULL, NULL, NULL, bad_close, NULL
};

static strata_stream_t *bad_new(int mode)
{
    strata_stream_t *s;

    CU_ASSERT_FATAL(strata_stream_alloc(&s, &bad_type, NULL, 0,
                                        strata_test_pool) == APR_SUCCESS);
    ((bad_stream_t *)s)->mode = mode;
    strata_stream_ready(s);
    bad_closes = 0;
    return s;
}

static strata_stream_t *mem_with(const char *text)
{
    strata_stream_t *s;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, text, strlen(text), &n));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_SET, NULL));
    return s;
}

/* ---- tests -------------------------------------------------------------- */

static void stream_null_arguments_are_einval(void)
{
    strata_stream_t *s = mem_with("abc");
    char buf[4];
    apr_size_t n = 99;

    ASSERT_RV(APR_EINVAL, strata_read(NULL, buf, 1, &n));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_EINVAL, strata_read(s, buf, 1, NULL));
    ASSERT_RV(APR_EINVAL, strata_read(s, NULL, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_write(s, NULL, 1, &n));
    ASSERT_RV(APR_EINVAL, strata_close(NULL));
    ASSERT_RV(APR_EINVAL, strata_flush(s, 42));
    ASSERT_RV(APR_EINVAL, strata_seek(s, 0, 99, NULL));
    ASSERT_RV(APR_EINVAL, strata_seek(s, -1, APR_SET, NULL));
    ASSERT_RV(APR_EINVAL, strata_tell(s, NULL));
}

static void stream_rejects_bad_type_tables(void)
{
    static const strata_stream_type_t old = {
        0, "old", STRATA_CAP_READ, sizeof(strata_stream_t),
        NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    static const strata_stream_type_t tiny = {
        STRATA_STREAM_TYPE_VERSION, "tiny", STRATA_CAP_READ, 4,
        NULL, NULL, NULL, NULL, NULL, NULL, NULL };
    strata_stream_t *s;

    ASSERT_RV(APR_EINVAL, strata_stream_alloc(&s, &old, NULL, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_stream_alloc(&s, &tiny, NULL, 0, strata_test_pool));
}

static void stream_overread_is_reported_not_passed_on(void)
{
    strata_stream_t *s = bad_new(BAD_OVERREAD);
    char buf[8];
    apr_size_t n = 5;

    ASSERT_RV(STRATA_EBADSTREAM, strata_read(s, buf, 4, &n));
    CU_ASSERT_EQUAL(n, 0);
}

static void stream_eof_never_comes_with_data(void)
{
    strata_stream_t *s = bad_new(BAD_EOF_WITH_DATA);
    char buf[8];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 1);
}

static void stream_success_with_zero_bytes_is_a_contract_error(void)
{
    strata_stream_t *s = bad_new(BAD_ZERO_SUCCESS);
    char buf[8];
    apr_size_t n;

    ASSERT_RV(STRATA_EBADSTREAM, strata_read(s, buf, sizeof(buf), &n));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 0, &n));   /* len 0 is fine */
}

static void stream_missing_methods_are_enotsup(void)
{
    strata_stream_t *s = bad_new(BAD_OVERREAD);
    apr_size_t n;

    ASSERT_RV(STRATA_ENOTSUP, strata_write(s, "a", 1, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_seek(s, 0, APR_SET, NULL));
    ASSERT_RV(STRATA_ENOTSUP, strata_shutdown_write(s));
    ASSERT_RV(STRATA_ENOTSUP, strata_control(s, 1, NULL));
    ASSERT_RV(APR_SUCCESS, strata_flush(s, STRATA_FLUSH_BUFFERS));
}

static void stream_close_is_idempotent(void)
{
    strata_stream_t *s = bad_new(BAD_OVERREAD);
    char buf[4];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_close(s));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    CU_ASSERT_EQUAL(bad_closes, 1);
    CU_ASSERT(strata_stream_is_closed(s));
    ASSERT_RV(STRATA_ECLOSED, strata_read(s, buf, 1, &n));
    ASSERT_RV(STRATA_ECLOSED, strata_flush(s, STRATA_FLUSH_BUFFERS));
    ASSERT_RV(STRATA_ECLOSED, strata_seek(s, 0, APR_SET, NULL));
}

static void stream_pool_cleanup_closes_forgotten_streams(void)
{
    apr_pool_t *p;
    strata_stream_t *s;

    apr_pool_create(&p, strata_test_pool);
    CU_ASSERT_FATAL(strata_stream_alloc(&s, &bad_type, NULL, 0, p) == APR_SUCCESS);
    strata_stream_ready(s);
    bad_closes = 0;
    apr_pool_destroy(p);
    CU_ASSERT_EQUAL(bad_closes, 1);
}

static void stream_owner_closes_inner_only_when_asked(void)
{
    strata_stream_t *inner1 = mem_with("x"), *inner2 = mem_with("y");
    strata_stream_t *f1, *f2;

    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f1, inner1, NULL,
                                               STRATA_OWN_INNER, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f2, inner2, NULL, 0,
                                               strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_close(f1));
    ASSERT_RV(APR_SUCCESS, strata_close(f2));
    CU_ASSERT(strata_stream_is_closed(inner1));
    CU_ASSERT(!strata_stream_is_closed(inner2));
    ASSERT_RV(APR_SUCCESS, strata_close(inner1));      /* harmless */
}

static void stream_walks_the_stack_by_name(void)
{
    strata_stream_t *m = mem_with("x"), *f;

    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, NULL, 0, strata_test_pool));
    CU_ASSERT_STRING_EQUAL(strata_stream_name(f), "fault");
    CU_ASSERT_PTR_EQUAL(strata_stream_inner(f), m);
    CU_ASSERT_STRING_EQUAL(strata_stream_name(strata_stream_inner(f)), "memory");
    CU_ASSERT_PTR_NULL(strata_stream_inner(m));
}

static void stream_write_after_shutdown_is_eclosed(void)
{
    strata_stream_t *m = mem_with("");
    apr_size_t n;
    char buf[4];

    ASSERT_RV(APR_SUCCESS, strata_write_all(m, "abc", 3, &n));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(m));
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(m));
    ASSERT_RV(STRATA_ECLOSED, strata_write(m, "d", 1, &n));
    ASSERT_RV(APR_SUCCESS, strata_seek(m, 0, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_read_exact(m, buf, 3, &n));  /* reads still work */
    CU_ASSERT_NSTRING_EQUAL(buf, "abc", 3);
}

static void stream_read_exact_reports_truncation(void)
{
    strata_stream_t *m = mem_with("hello");
    char buf[16];
    apr_size_t n;

    ASSERT_RV(STRATA_ETRUNCATED, strata_read_exact(m, buf, 8, &n));
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_NSTRING_EQUAL(buf, "hello", 5);
    ASSERT_RV(APR_EOF, strata_read_exact(m, buf, 8, &n));
    CU_ASSERT_EQUAL(n, 0);
}

static void stream_read_exact_survives_one_byte_and_eintr(void)
{
    strata_stream_t *m = mem_with("0123456789"), *f;
    strata_fault_opts_t o = { 0 };
    char buf[10];
    apr_size_t n;

    o.one_byte = 1;
    o.eintr_every = 2;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_read_exact(f, buf, 10, &n));
    CU_ASSERT_EQUAL(n, 10);
    CU_ASSERT_NSTRING_EQUAL(buf, "0123456789", 10);
}

static void stream_read_exact_passes_eagain_with_partial_count(void)
{
    strata_stream_t *m = mem_with("abcdef"), *f;
    strata_fault_opts_t o = { 0 };
    char buf[6];
    apr_size_t n, more;

    o.one_byte = 1;
    o.eagain_every = 3;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_EAGAIN, strata_read_exact(f, buf, 6, &n));
    CU_ASSERT_EQUAL(n, 2);
    o.eagain_every = 0;
    strata_fault_set(f, &o);
    ASSERT_RV(APR_SUCCESS, strata_read_exact(f, buf + n, 6 - n, &more));
    CU_ASSERT_EQUAL(n + more, 6);   /* resumes where it stopped: nothing lost */
    CU_ASSERT_NSTRING_EQUAL(buf, "abcdef", 6);
}

static void stream_write_all_handles_short_writes_and_errors(void)
{
    strata_stream_t *m = mem_with(""), *f;
    strata_fault_opts_t o = { 0 };
    const void *data;
    apr_size_t n, len;

    o.one_byte = 1;
    o.eintr_every = 3;
    o.fail_write_at = 9;
    o.fail_status = APR_ENOSPC;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_ENOSPC, strata_write_all(f, "abcdefghij", 10, &n));
    /* calls 1..8: 3 and 6 were EINTR, so 6 bytes went out before call 9 */
    CU_ASSERT_EQUAL(n, 6);
    strata_memory_contents(m, &data, &len);
    CU_ASSERT_EQUAL(len, 6);
    CU_ASSERT_NSTRING_EQUAL(data, "abcdef", 6);
}

static void stream_error_at_call_n_is_sticky_when_asked(void)
{
    strata_stream_t *m = mem_with("abcdef"), *f;
    strata_fault_opts_t o = { 0 };
    char buf[2];
    apr_size_t n;

    o.fail_read_at = 2;
    o.fail_sticky = 1;
    o.one_byte = 1;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&f, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_read(f, buf, 2, &n));
    ASSERT_RV(APR_EGENERAL, strata_read(f, buf, 2, &n));
    ASSERT_RV(APR_EGENERAL, strata_read(f, buf, 2, &n));
    CU_ASSERT_EQUAL(strata_fault_read_calls(f), 3);
}

static void stream_strerror_names_strata_and_apr_codes(void)
{
    char buf[128];

    CU_ASSERT_PTR_NOT_NULL(strstr(strata_strerror(STRATA_EQUOTA, buf, sizeof(buf)),
                                  "quota"));
    CU_ASSERT_PTR_NOT_NULL(strstr(strata_strerror(STRATA_ETRUNCATED, buf, sizeof(buf)),
                                  "truncated"));
    CU_ASSERT_PTR_NOT_NULL(strstr(strata_strerror(STRATA_LAST_ERROR + 5, buf,
                                                  sizeof(buf)), "unknown strata"));
    CU_ASSERT(strlen(strata_strerror(APR_ENOENT, buf, sizeof(buf))) > 0);
    CU_ASSERT(strlen(strata_strerror(APR_EOF, buf, sizeof(buf))) > 0);
    strata_strerror(STRATA_EBADDATA, buf, 4);
    CU_ASSERT_EQUAL(strlen(buf), 3);           /* truncated, terminated */
}

static CU_TestInfo tests[] = {
    { "stream_null_arguments_are_einval", stream_null_arguments_are_einval },
    { "stream_rejects_bad_type_tables", stream_rejects_bad_type_tables },
    { "stream_overread_is_reported_not_passed_on", stream_overread_is_reported_not_passed_on },
    { "stream_eof_never_comes_with_data", stream_eof_never_comes_with_data },
    { "stream_success_with_zero_bytes_is_a_contract_error", stream_success_with_zero_bytes_is_a_contract_error },
    { "stream_missing_methods_are_enotsup", stream_missing_methods_are_enotsup },
    { "stream_close_is_idempotent", stream_close_is_idempotent },
    { "stream_pool_cleanup_closes_forgotten_streams", stream_pool_cleanup_closes_forgotten_streams },
    { "stream_owner_closes_inner_only_when_asked", stream_owner_closes_inner_only_when_asked },
    { "stream_walks_the_stack_by_name", stream_walks_the_stack_by_name },
    { "stream_write_after_shutdown_is_eclosed", stream_write_after_shutdown_is_eclosed },
    { "stream_read_exact_reports_truncation", stream_read_exact_reports_truncation },
    { "stream_read_exact_survives_one_byte_and_eintr", stream_read_exact_survives_one_byte_and_eintr },
    { "stream_read_exact_passes_eagain_with_partial_count", stream_read_exact_passes_eagain_with_partial_count },
    { "stream_write_all_handles_short_writes_and_errors", stream_write_all_handles_short_writes_and_errors },
    { "stream_error_at_call_n_is_sticky_when_asked", stream_error_at_call_n_is_sticky_when_asked },
    { "stream_strerror_names_strata_and_apr_codes", stream_strerror_names_strata_and_apr_codes },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("stream", tests)
