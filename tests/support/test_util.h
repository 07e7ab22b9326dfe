/*
 * test_util.h -- the harness every tests/test_*.c uses.
 *
 * A test file lists its tests in a CU_TestInfo array and ends with
 * STRATA_TEST_MAIN("suite", tests).  Each test gets a fresh pool,
 * strata_test_pool, destroyed after it (so leaks of pool-tied resources show
 * up under valgrind and ASan).  Run one test: ./test_x NAME.
 */
#ifndef STRATA_TEST_UTIL_H
#define STRATA_TEST_UTIL_H

#include <CUnit/CUnit.h>
#include <apr_general.h>
#include "strata/strata.h"

extern apr_pool_t *strata_test_pool;

int strata_test_run(int argc, const char *const *argv, const char *suite,
                    CU_TestInfo *tests);

#define STRATA_TEST_MAIN(suite, tests)                                   \
    int main(int argc, const char *const *argv)                         \
    {                                                                    \
        return strata_test_run(argc, argv, suite, tests);                \
    }

/* Assert an apr_status_t, printing both names when they differ. */
#define ASSERT_RV(expected, actual)                                      \
    CU_ASSERT(strata_test_check_rv((expected), (actual), #actual,        \
                                   __FILE__, __LINE__))
#define ASSERT_RV_FATAL(expected, actual)                                \
    CU_ASSERT_FATAL(strata_test_check_rv((expected), (actual), #actual,  \
                                         __FILE__, __LINE__))
int strata_test_check_rv(apr_status_t expected, apr_status_t actual,
                         const char *expr, const char *file, int line);

/* Deterministic pseudo-random bytes (seeded) for test data. */
void strata_test_fill(void *buf, apr_size_t len, unsigned seed);

/*
 * Read @s to APR_EOF, retrying APR_EINTR and APR_EAGAIN (a bounded number
 * of times in a row, so a stuck stream fails instead of hanging), in reads of
 * at most @chunk bytes.  Returns the final status: APR_SUCCESS at EOF.
 * The data is allocated in @pool.
 */
apr_status_t strata_test_read_all(strata_stream_t *s, apr_size_t chunk,
                                  apr_pool_t *pool, char **data,
                                  apr_size_t *len);

/* Decode z[0..zlen) with a decompressing reader of @codec (default
 * options), reading @chunk bytes a call, into *out (from the test pool). */
apr_status_t strata_test_decode(const void *z, apr_size_t zlen,
                                strata_codec_t codec, apr_size_t chunk,
                                char **out, apr_size_t *len);

/* Write all of @data, retrying APR_EINTR/APR_EAGAIN (bounded) and short
 * writes, in writes of at most @chunk bytes. */
apr_status_t strata_test_write_all(strata_stream_t *s, const void *data,
                                   apr_size_t len, apr_size_t chunk);

/* A temporary path (in the system temp folder) unique to this process. */
const char *strata_test_tmpname(const char *tag, apr_pool_t *pool);

/* Write @len bytes to @path (replacing it); returns APR status. */
apr_status_t strata_test_write_file(const char *path, const void *data,
                                    apr_size_t len, apr_pool_t *pool);
/* Read all of @path into pool memory. */
apr_status_t strata_test_read_file(const char *path, char **data,
                                   apr_size_t *len, apr_pool_t *pool);

#endif /* STRATA_TEST_UTIL_H */
