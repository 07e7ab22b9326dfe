/*
 * test_util.c -- the CUnit harness and helpers shared by the tests.
 */
#include "test_util.h"
#include <CUnit/Basic.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

apr_pool_t *strata_test_pool;
static apr_pool_t *root_pool;

static void test_setup(void)
{
    apr_pool_create(&strata_test_pool, root_pool);
}

static void test_teardown(void)
{
    apr_pool_destroy(strata_test_pool);
    strata_test_pool = NULL;
}

int strata_test_run(int argc, const char *const *argv, const char *suite,
                    CU_TestInfo *tests)
{
    CU_pSuite s;
    unsigned failed;
    int i, added = 0;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&root_pool, NULL);
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    s = CU_add_suite_with_setup_and_teardown(suite, NULL, NULL, test_setup,
                                             test_teardown);
    for (i = 0; tests[i].pName != NULL; i++) {
        if (argc > 1 && strcmp(argv[1], tests[i].pName) != 0)
            continue;
        CU_add_test(s, tests[i].pName, tests[i].pTestFunc);
        added++;
    }
    if (added == 0) {
        fprintf(stderr, "no test named %s\n", argc > 1 ? argv[1] : "");
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    apr_pool_destroy(root_pool);
    apr_terminate();
    return failed ? 1 : 0;
}

int strata_test_check_rv(apr_status_t expected, apr_status_t actual,
                         const char *expr, const char *file, int line)
{
    char e[128], a[128];

    if (expected == actual)
        return 1;
    fprintf(stderr, "\n%s:%d: %s: expected %d (%s), got %d (%s)\n", file, line,
            expr, (int)expected, strata_strerror(expected, e, sizeof(e)),
            (int)actual, strata_strerror(actual, a, sizeof(a)));
    return 0;
}

void strata_test_fill(void *buf, apr_size_t len, unsigned seed)
{
    unsigned char *p = buf;
    apr_uint32_t x = seed * 2654435761u + 1;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (unsigned char)x;
    }
}

#define RETRY_LIMIT 100000

apr_status_t strata_test_read_all(strata_stream_t *s, apr_size_t chunk,
                                  apr_pool_t *pool, char **data,
                                  apr_size_t *len)
{
    apr_size_t cap = 4096, n;
    char *buf = malloc(cap);
    unsigned retries = 0;
    apr_status_t rv;

    *len = 0;
    for (;;) {
        if (cap - *len < chunk) {
            cap = (cap + chunk) * 2;
            buf = realloc(buf, cap);
        }
        rv = strata_read(s, buf + *len, chunk, &n);
        *len += n;
        if (rv == APR_SUCCESS) {
            retries = 0;
            continue;
        }
        if ((APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv))
            && ++retries < RETRY_LIMIT)
            continue;
        break;
    }
    *data = apr_pmemdup(pool, buf, *len + 1);
    (*data)[*len] = '\0';
    free(buf);
    return APR_STATUS_IS_EOF(rv) ? APR_SUCCESS : rv;
}

apr_status_t strata_test_write_all(strata_stream_t *s, const void *data,
                                   apr_size_t len, apr_size_t chunk)
{
    const char *p = data;
    apr_size_t done = 0, n, want;
    unsigned retries = 0;
    apr_status_t rv;

    while (done < len) {
        want = len - done < chunk ? len - done : chunk;
        rv = strata_write(s, p + done, want, &n);
        done += n;
        if (rv == APR_SUCCESS) {
            retries = 0;
            continue;
        }
        if ((APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv))
            && ++retries < RETRY_LIMIT)
            continue;
        return rv;
    }
    return APR_SUCCESS;
}

const char *strata_test_tmpname(const char *tag, apr_pool_t *pool)
{
    static unsigned counter;
    const char *dir = NULL;

    if (apr_temp_dir_get(&dir, pool) != APR_SUCCESS)
        dir = ".";
    return apr_psprintf(pool, "%s/strata-test-%s-%lu-%u", dir, tag,
                        (unsigned long)apr_time_now() % 1000000ul, ++counter);
}

apr_status_t strata_test_write_file(const char *path, const void *data,
                                    apr_size_t len, apr_pool_t *pool)
{
    apr_file_t *f;
    apr_status_t rv;

    rv = apr_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                       | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY,
                       APR_FPROT_OS_DEFAULT, pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = apr_file_write_full(f, data, len, NULL);
    apr_file_close(f);
    return rv;
}

apr_status_t strata_test_read_file(const char *path, char **data,
                                   apr_size_t *len, apr_pool_t *pool)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_FPROT_OS_DEFAULT, pool);
    if (rv != APR_SUCCESS)
        return rv;
    apr_file_info_get(&fi, APR_FINFO_SIZE, f);
    *len = (apr_size_t)fi.size;
    *data = apr_palloc(pool, *len + 1);
    rv = *len ? apr_file_read_full(f, *data, *len, NULL) : APR_SUCCESS;
    (*data)[*len] = '\0';
    apr_file_close(f);
    return rv;
}

apr_status_t strata_test_decode(const void *z, apr_size_t zlen,
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
