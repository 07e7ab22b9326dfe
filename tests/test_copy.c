/*
 * test_copy.c -- strata_copy(): fast path and loop give the same bytes and
 * the same meters; limits, progress, quotas and faults.
 */
#include "test_util.h"
#include "strata/fault.h"
#include "test_net.h"
#include "strata/net.h"
#include <apr_thread_proc.h>
#include <string.h>

#define BIG (3 * 1024 * 1024 + 17)

static char *big_data(void)
{
    char *d = apr_palloc(strata_test_pool, BIG);

    strata_test_fill(d, BIG, 42);
    return d;
}

static void open_pair(const char *src, const char *dst, strata_stream_t **from,
                      strata_stream_t **to)
{
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(from, src, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(to, dst, APR_FOPEN_WRITE
                                                  | APR_FOPEN_CREATE
                                                  | APR_FOPEN_TRUNCATE,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
}

static void check_copy(int no_fastpath)
{
    const char *src = strata_test_tmpname("csrc", strata_test_pool);
    const char *dst = strata_test_tmpname("cdst", strata_test_pool);
    char *data = big_data(), *back;
    strata_stream_t *from, *to;
    strata_copy_opts_t o = { 0 };
    strata_counts_t rc, wc;
    apr_uint64_t copied;
    apr_size_t len;

    strata_test_write_file(src, data, BIG, strata_test_pool);
    open_pair(src, dst, &from, &to);
    o.no_fastpath = no_fastpath;
    ASSERT_RV(APR_SUCCESS, strata_copy(from, to, &o, &copied));
    CU_ASSERT_EQUAL(copied, BIG);
    strata_stream_counts(from, &rc);
    strata_stream_counts(to, &wc);
    CU_ASSERT_EQUAL(rc.read_bytes, BIG);
    CU_ASSERT_EQUAL(wc.write_bytes, BIG);
    CU_ASSERT(rc.read_ops >= 1);
    CU_ASSERT(wc.write_ops >= 1);
    /* Both paths: the read that met EOF is an op, no write follows it. */
    CU_ASSERT_EQUAL(wc.write_ops + 1, rc.read_ops);
#ifdef __linux__
    /* The kernel path moves up to 4 MiB a call; the loop 64 KiB. */
    if (!no_fastpath)
        CU_ASSERT(rc.read_ops <= 3);
#endif
    if (no_fastpath)
        CU_ASSERT(rc.read_ops >= BIG / 65536);
    strata_close(from);
    strata_close(to);
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(dst, &back, &len, strata_test_pool));
    CU_ASSERT_EQUAL(len, BIG);
    CU_ASSERT(memcmp(back, data, BIG) == 0);
    apr_file_remove(src, strata_test_pool);
    apr_file_remove(dst, strata_test_pool);
}

static void copy_file_to_file_fast_path(void) { check_copy(0); }
static void copy_file_to_file_loop(void) { check_copy(1); }

typedef struct progress_t { int calls; apr_uint64_t last; int monotonic; } progress_t;

static void on_progress(void *baton, apr_uint64_t copied)
{
    progress_t *p = baton;

    if (copied < p->last)
        p->monotonic = 0;
    p->last = copied;
    p->calls++;
}

static void copy_max_and_progress(void)
{
    char *data = big_data();
    strata_stream_t *from, *to;
    strata_copy_opts_t o = { 0 };
    progress_t pr = { 0, 0, 1 };
    const void *p;
    apr_uint64_t copied;
    apr_size_t len;

    strata_memory_open_buffer(&from, data, BIG, strata_test_pool);
    strata_memory_create(&to, 0, strata_test_pool);
    o.max = 100000;
    o.bufsize = 4096;
    o.progress = on_progress;
    o.baton = &pr;
    ASSERT_RV(APR_SUCCESS, strata_copy(from, to, &o, &copied));
    CU_ASSERT_EQUAL(copied, 100000);
    CU_ASSERT(pr.calls >= 24);
    CU_ASSERT(pr.monotonic);
    CU_ASSERT_EQUAL(pr.last, 100000);
    strata_memory_contents(to, &p, &len);
    CU_ASSERT(len == 100000 && memcmp(p, data, len) == 0);
}

static void copy_stops_at_quota_in_both_paths(void)
{
    const char *src = strata_test_tmpname("qsrc", strata_test_pool);
    const char *dst = strata_test_tmpname("qdst", strata_test_pool);
    char *data = big_data();
    strata_stream_t *from, *to;
    strata_meter_t *m;
    strata_copy_opts_t o = { 0 };
    apr_uint64_t copied;
    strata_counts_t c;
    int fast;

    strata_test_write_file(src, data, BIG, strata_test_pool);
    for (fast = 0; fast < 2; fast++) {
        open_pair(src, dst, &from, &to);
        strata_meter_create(&m, "tenant", strata_test_pool);
        strata_meter_set_quota(m, 1000003, STRATA_METER_WRITE);
        strata_stream_attach_meter(to, m);
        o.no_fastpath = !fast;
        ASSERT_RV(STRATA_EQUOTA, strata_copy(from, to, &o, &copied));
        CU_ASSERT_EQUAL(copied, 1000003);
        strata_meter_snapshot(m, &c);
        CU_ASSERT_EQUAL(c.write_bytes, 1000003);
        strata_close(from);
        strata_close(to);
    }
    apr_file_remove(src, strata_test_pool);
    apr_file_remove(dst, strata_test_pool);
}

static void copy_through_faults_loses_nothing(void)
{
    char *data = big_data();
    strata_stream_t *m, *from, *to, *sink;
    strata_fault_opts_t ro = { 0 }, wo = { 0 };
    const void *p;
    apr_size_t len;
    apr_uint64_t copied;

    strata_memory_open_buffer(&m, data, 50000, strata_test_pool);
    ro.eintr_every = 2;
    strata_fault_create(&from, m, &ro, 0, strata_test_pool);
    strata_memory_create(&sink, 0, strata_test_pool);
    wo.one_byte = 1;
    wo.eintr_every = 7;
    strata_fault_create(&to, sink, &wo, 0, strata_test_pool);
    ASSERT_RV(APR_SUCCESS, strata_copy(from, to, NULL, &copied));
    CU_ASSERT_EQUAL(copied, 50000);
    strata_memory_contents(sink, &p, &len);
    CU_ASSERT(len == 50000 && memcmp(p, data, len) == 0);
}

static void copy_reports_write_error_with_count(void)
{
    char *data = big_data();
    strata_stream_t *from, *to, *sink;
    strata_fault_opts_t wo = { 0 };
    apr_uint64_t copied;

    strata_memory_open_buffer(&from, data, 200000, strata_test_pool);
    strata_memory_create(&sink, 0, strata_test_pool);
    wo.fail_write_at = 2;
    wo.fail_status = APR_ENOSPC;
    strata_fault_create(&to, sink, &wo, 0, strata_test_pool);
    ASSERT_RV(APR_ENOSPC, strata_copy(from, to, NULL, &copied));
    CU_ASSERT_EQUAL(copied, 65536);
    ASSERT_RV(APR_EINVAL, strata_copy(from, from, NULL, &copied));
}

/* The receiving end of copy_file_to_socket: reads until the end. */
typedef struct sink_t {
    strata_stream_t *s;
    char *buf;
    apr_size_t len, cap;
    apr_status_t rv;
} sink_t;

static void *APR_THREAD_FUNC sink_run(apr_thread_t *t, void *arg)
{
    sink_t *k = arg;
    apr_size_t n;

    for (;;) {
        k->rv = strata_read(k->s, k->buf + k->len, k->cap - k->len, &n);
        if (k->rv != APR_SUCCESS || k->len + n == k->cap) {
            k->len += k->rv == APR_SUCCESS ? n : 0;
            break;
        }
        k->len += n;
    }
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

/* File to a socket stream (sendfile where the OS has it), from the file's
 * current position; the file's position moves past what was sent, and
 * both meters count exactly what crossed. */
static void check_copy_to_socket(int no_fastpath)
{
    const char *src = strata_test_tmpname("csock", strata_test_pool);
    char *data = big_data(), head[1000];
    strata_stream_t *from, *client;
    strata_copy_opts_t o = { 0 };
    strata_counts_t rc, wc;
    apr_socket_t *lsn;
    apr_port_t port;
    apr_thread_t *t;
    apr_uint64_t copied;
    apr_status_t trv;
    apr_off_t pos = 0;
    apr_size_t n;
    sink_t k;

    strata_test_write_file(src, data, BIG, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&from, src, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_listen(&lsn, "127.0.0.1", 4,
                                                    &port, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_tcp_connect(&client, "127.0.0.1",
                                                    port, NULL,
                                                    strata_test_pool));
    memset(&k, 0, sizeof(k));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_accept(&k.s, lsn,
                                                    strata_test_pool));
    k.cap = BIG + 1;
    k.buf = apr_palloc(strata_test_pool, k.cap);
    ASSERT_RV_FATAL(APR_SUCCESS, apr_thread_create(&t, NULL, sink_run, &k,
                                                   strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_read_exact(from, head, sizeof(head), &n));
    o.no_fastpath = no_fastpath;
    ASSERT_RV(APR_SUCCESS, strata_copy(from, client, &o, &copied));
    CU_ASSERT_EQUAL(copied, BIG - sizeof(head));
    ASSERT_RV(APR_SUCCESS, strata_tell(from, &pos));
    CU_ASSERT_EQUAL(pos, BIG);
    CU_ASSERT_EQUAL(strata_read(from, head, 1, &n), APR_EOF);
    ASSERT_RV(APR_SUCCESS, strata_shutdown_write(client));
    apr_thread_join(&trv, t);
    CU_ASSERT_EQUAL(k.rv, APR_EOF);
    CU_ASSERT_EQUAL(k.len, BIG - sizeof(head));
    CU_ASSERT(k.len == BIG - sizeof(head)
              && memcmp(k.buf, data + sizeof(head), k.len) == 0);
    strata_stream_counts(from, &rc);
    strata_stream_counts(client, &wc);
    CU_ASSERT_EQUAL(rc.read_bytes, BIG);
    CU_ASSERT_EQUAL(wc.write_bytes, BIG - sizeof(head));
#if defined(__linux__)
    if (!no_fastpath)
        CU_ASSERT(wc.write_ops <= 4);  /* up to 4 MiB a call, not 64 KiB */
#endif
    if (no_fastpath)
        CU_ASSERT(wc.write_ops >= (BIG - sizeof(head)) / 65536);
    strata_close(from);
    strata_close(client);
    strata_close(k.s);
    apr_socket_close(lsn);
    apr_file_remove(src, strata_test_pool);
}

static void copy_file_to_socket_fast_path(void) { check_copy_to_socket(0); }
static void copy_file_to_socket_loop(void) { check_copy_to_socket(1); }

static CU_TestInfo tests[] = {
    { "copy_file_to_file_fast_path", copy_file_to_file_fast_path },
    { "copy_file_to_file_loop", copy_file_to_file_loop },
    { "copy_file_to_socket_fast_path", copy_file_to_socket_fast_path },
    { "copy_file_to_socket_loop", copy_file_to_socket_loop },
    { "copy_max_and_progress", copy_max_and_progress },
    { "copy_stops_at_quota_in_both_paths", copy_stops_at_quota_in_both_paths },
    { "copy_through_faults_loses_nothing", copy_through_faults_loses_nothing },
    { "copy_reports_write_error_with_count", copy_reports_write_error_with_count },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("copy", tests)
