/*
 * test_meter.c -- per-stream counters, shared meters, quotas, concurrency
 * and the Prometheus text output.
 */
#include "test_util.h"
#include "strata/fault.h"
#include "strata/stream_type.h"
#include <apr_thread_proc.h>
#include <stdio.h>
#include <string.h>

static strata_stream_t *mem_with(const char *text)
{
    strata_stream_t *s;
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&s, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, text, strlen(text), &n));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_SET, NULL));
    return s;
}

static void reset_counts(strata_stream_t **s, const char *text)
{
    *s = mem_with(text);   /* fresh stream: the setup writes are not counted */
}

static void meter_counts_one_read_and_one_write_exactly(void)
{
    strata_stream_t *s, *m;
    strata_counts_t c;
    char buf[7];
    apr_size_t n;

    /* Counted through a pass-through layer, so the setup is not counted. */
    reset_counts(&m, "0123456789");
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&s, m, NULL, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 7, &n));
    CU_ASSERT_EQUAL(n, 7);
    ASSERT_RV(APR_SUCCESS, strata_write(s, "abcdefghi", 9, &n));
    CU_ASSERT_EQUAL(n, 9);
    strata_stream_counts(s, &c);
    CU_ASSERT_EQUAL(c.read_bytes, 7);
    CU_ASSERT_EQUAL(c.read_ops, 1);
    CU_ASSERT_EQUAL(c.write_bytes, 9);
    CU_ASSERT_EQUAL(c.write_ops, 1);
}

static void meter_zero_byte_read_is_still_an_op(void)
{
    strata_stream_t *m = mem_with(""), *s;
    strata_counts_t c;
    char buf[4];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_fault_create(&s, m, NULL, 0, strata_test_pool));
    ASSERT_RV(APR_EOF, strata_read(s, buf, 4, &n));      /* at EOF: 0 bytes */
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 0, &n));  /* len 0 */
    strata_stream_counts(s, &c);
    CU_ASSERT_EQUAL(c.read_ops, 2);
    CU_ASSERT_EQUAL(c.read_bytes, 0);
}

static void meter_refused_calls_are_not_ops(void)
{
    strata_stream_t *s = mem_with("abc");
    strata_counts_t before, after;
    char buf[4];
    apr_size_t n;

    strata_stream_counts(s, &before);
    ASSERT_RV(APR_EINVAL, strata_read(s, NULL, 3, &n));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    ASSERT_RV(STRATA_ECLOSED, strata_read(s, buf, 3, &n));
    strata_stream_counts(s, &after);
    CU_ASSERT_EQUAL(after.read_ops, before.read_ops);
}

/* A type that claims both directions but has neither method. */
static const strata_stream_type_t hollow_type = {
    STRATA_STREAM_TYPE_VERSION, "hollow", STRATA_CAP_READ | STRATA_CAP_WRITE,
    sizeof(strata_stream_t), NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

static void meter_missing_method_is_enotsup_and_not_an_op(void)
{
    strata_stream_t *s;
    strata_meter_t *m;
    strata_counts_t c;
    char buf[4];
    apr_size_t n = 7;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_stream_alloc(&s, &hollow_type, NULL, 0,
                                                     strata_test_pool));
    strata_stream_ready(s);
    strata_meter_create(&m, "m", strata_test_pool);
    strata_meter_set_quota(m, 10, STRATA_METER_BOTH);
    strata_stream_attach_meter(s, m);
    ASSERT_RV(STRATA_ENOTSUP, strata_write(s, "abc", 3, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(STRATA_ENOTSUP, strata_read(s, buf, 3, &n));
    CU_ASSERT(n == 0);
    ASSERT_RV(STRATA_ENOTSUP, strata_write_all(s, "abc", 3, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_read_exact(s, buf, 3, &n));
    strata_stream_counts(s, &c);
    CU_ASSERT_EQUAL(c.write_ops, 0);
    CU_ASSERT_EQUAL(c.read_ops, 0);
    CU_ASSERT_EQUAL(c.write_bytes + c.read_bytes, 0);
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.write_ops + c.read_ops, 0);
    /* nothing reserved stays reserved against the quota */
    CU_ASSERT_EQUAL(strata_meter_quota_left(m), 10);
    /* a missing method is not a failure of the stream */
    ASSERT_RV(APR_SUCCESS, strata_stream_failed(s));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
}

static void meter_failed_call_counts_as_op_with_bytes_moved(void)
{
    strata_stream_t *m = mem_with(""), *s;
    strata_fault_opts_t o = { 0 };
    strata_counts_t c;
    apr_size_t n;

    o.fail_write_at = 1;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&s, m, &o, 0, strata_test_pool));
    ASSERT_RV(APR_EGENERAL, strata_write(s, "abc", 3, &n));
    strata_stream_counts(s, &c);
    CU_ASSERT_EQUAL(c.write_ops, 1);
    CU_ASSERT_EQUAL(c.write_bytes, 0);
}

static void meter_shared_meter_sums_several_streams(void)
{
    strata_stream_t *a = mem_with("aaaa"), *b = mem_with("bbbbbb");
    strata_meter_t *m;
    strata_counts_t c;
    char buf[16];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "tenant-a", strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(a, m));
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(b, m));
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(b, m));   /* no-op */
    ASSERT_RV(APR_SUCCESS, strata_read(a, buf, sizeof(buf), &n));
    ASSERT_RV(APR_SUCCESS, strata_read(b, buf, sizeof(buf), &n));
    ASSERT_RV(APR_SUCCESS, strata_write(b, "xy", 2, &n));
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.read_bytes, 10);
    CU_ASSERT_EQUAL(c.read_ops, 2);
    CU_ASSERT_EQUAL(c.write_bytes, 2);
    CU_ASSERT_EQUAL(c.write_ops, 1);
    ASSERT_RV(APR_SUCCESS, strata_stream_detach_meter(a, m));
    ASSERT_RV(APR_NOTFOUND, strata_stream_detach_meter(a, m));
    ASSERT_RV(APR_SUCCESS, strata_seek(a, 0, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_read(a, buf, sizeof(buf), &n));
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.read_bytes, 10);             /* detached: not counted */
    strata_meter_reset(m);
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.read_bytes + c.read_ops + c.write_bytes + c.write_ops, 0);
}

static void meter_attach_limit_is_elimit(void)
{
    strata_stream_t *s = mem_with("");
    strata_meter_t *m;
    int i;

    for (i = 0; i < STRATA_STREAM_MAX_METERS; i++) {
        ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "m", strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(s, m));
    }
    ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "one-too-many", strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT, strata_stream_attach_meter(s, m));
    ASSERT_RV(APR_EINVAL, strata_stream_attach_meter(NULL, m));
}

static void meter_read_quota_stops_at_the_exact_byte(void)
{
    strata_stream_t *s = mem_with("0123456789abcdef");
    strata_meter_t *m;
    char buf[16];
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "q", strata_test_pool));
    strata_meter_set_quota(m, 10, STRATA_METER_READ);
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(s, m));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 4, &n));
    CU_ASSERT_EQUAL(n, 4);
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 16, &n));   /* clamped */
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_NSTRING_EQUAL(buf, "456789", 6);
    CU_ASSERT_EQUAL(strata_meter_quota_left(m), 0);
    ASSERT_RV(STRATA_EQUOTA, strata_read(s, buf, 16, &n));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(STRATA_EQUOTA, strata_read(s, buf, 0, &n));
    /* Nothing past the quota was consumed from the stream. */
    strata_meter_set_quota(m, 0, 0);
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 16, &n));
    CU_ASSERT_NSTRING_EQUAL(buf, "abcdef", 6);
}

static void meter_write_quota_lets_write_all_fail_at_the_byte(void)
{
    strata_stream_t *s = mem_with("");
    strata_meter_t *m;
    const void *data;
    apr_size_t n, len;
    char buf[4];

    ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "q", strata_test_pool));
    strata_meter_set_quota(m, 5, STRATA_METER_WRITE);
    ASSERT_RV(APR_SUCCESS, strata_stream_attach_meter(s, m));
    ASSERT_RV(STRATA_EQUOTA, strata_write_all(s, "abcdefgh", 8, &n));
    CU_ASSERT_EQUAL(n, 5);
    strata_memory_contents(s, &data, &len);
    CU_ASSERT_EQUAL(len, 5);
    /* A read-only quota does not limit writes, a write quota not reads. */
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 0, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 4, &n));
    CU_ASSERT_EQUAL(n, 4);
}

static void meter_quota_spans_every_stream_feeding_it(void)
{
    strata_stream_t *a = mem_with(""), *b = mem_with("");
    strata_meter_t *m;
    apr_size_t n;

    ASSERT_RV(APR_SUCCESS, strata_meter_create(&m, "tenant", strata_test_pool));
    strata_meter_set_quota(m, 12, STRATA_METER_BOTH);
    strata_stream_attach_meter(a, m);
    strata_stream_attach_meter(b, m);
    ASSERT_RV(APR_SUCCESS, strata_write_all(a, "12345678", 8, &n));
    ASSERT_RV(STRATA_EQUOTA, strata_write_all(b, "12345678", 8, &n));
    CU_ASSERT_EQUAL(n, 4);
    strata_meter_reset(m);                 /* a new billing period */
    CU_ASSERT_EQUAL(strata_meter_quota_left(m), 12);
}

static void meter_tightest_of_several_quotas_applies(void)
{
    strata_stream_t *s = mem_with("");
    strata_meter_t *big, *small;
    apr_size_t n;

    strata_meter_create(&big, "big", strata_test_pool);
    strata_meter_create(&small, "small", strata_test_pool);
    strata_meter_set_quota(big, 100, STRATA_METER_BOTH);
    strata_meter_set_quota(small, 3, STRATA_METER_WRITE);
    strata_stream_attach_meter(s, big);
    strata_stream_attach_meter(s, small);
    ASSERT_RV(STRATA_EQUOTA, strata_write_all(s, "abcdef", 6, &n));
    CU_ASSERT_EQUAL(n, 3);
    /* the big meter was charged exactly what moved, nothing reserved */
    CU_ASSERT_EQUAL(strata_meter_quota_left(big), 97);
}

/* ---- concurrency ----------------------------------------------------------- */

#define WRITERS 4
#define WRITES_PER 2000

typedef struct writer_arg_t {
    strata_meter_t *meter;
    apr_uint64_t moved;
    apr_status_t last;
} writer_arg_t;

static void *APR_THREAD_FUNC writer_main(apr_thread_t *t, void *data)
{
    writer_arg_t *w = data;
    apr_pool_t *p;
    strata_stream_t *s;
    apr_size_t n;
    char chunk[37];
    int i;

    apr_pool_create(&p, NULL);
    memset(chunk, 'z', sizeof(chunk));
    strata_memory_create(&s, 0, p);
    strata_stream_attach_meter(s, w->meter);
    for (i = 0; i < WRITES_PER; i++) {
        w->last = strata_write_all(s, chunk, (apr_size_t)(1 + i % 37), &n);
        w->moved += n;
        if (w->last != APR_SUCCESS)
            break;
    }
    apr_pool_destroy(p);
    apr_thread_exit(t, APR_SUCCESS);
    return NULL;
}

static apr_uint64_t run_writers(strata_meter_t *m, writer_arg_t *args)
{
    apr_thread_t *th[WRITERS];
    apr_status_t trv;
    apr_uint64_t total = 0;
    int i;

    for (i = 0; i < WRITERS; i++) {
        args[i].meter = m;
        args[i].moved = 0;
        ASSERT_RV(APR_SUCCESS, apr_thread_create(&th[i], NULL, writer_main,
                                                 &args[i], strata_test_pool));
    }
    for (i = 0; i < WRITERS; i++) {
        apr_thread_join(&trv, th[i]);
        total += args[i].moved;
    }
    return total;
}

static void meter_shared_meter_adds_up_under_concurrent_writers(void)
{
    writer_arg_t args[WRITERS];
    strata_meter_t *m;
    strata_counts_t c;
    apr_uint64_t expect = 0;
    int i;

    for (i = 0; i < WRITES_PER; i++)
        expect += (apr_uint64_t)(1 + i % 37);
    strata_meter_create(&m, "shared", strata_test_pool);
    CU_ASSERT_EQUAL(run_writers(m, args), expect * WRITERS);
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.write_bytes, expect * WRITERS);
    CU_ASSERT_EQUAL(c.write_ops, (apr_uint64_t)WRITES_PER * WRITERS);
}

static void meter_quota_is_exact_under_concurrent_writers(void)
{
    writer_arg_t args[WRITERS];
    strata_meter_t *m;
    strata_counts_t c;
    int i, quota_hits;

    strata_meter_create(&m, "capped", strata_test_pool);
    strata_meter_set_quota(m, 50001, STRATA_METER_WRITE);
    CU_ASSERT_EQUAL(run_writers(m, args), 50001);
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.write_bytes, 50001);
    /* Whoever was writing when it ran out got STRATA_EQUOTA; a writer
     * that finished its whole run first saw only successes. */
    for (i = 0, quota_hits = 0; i < WRITERS; i++) {
        CU_ASSERT(args[i].last == APR_SUCCESS || args[i].last == STRATA_EQUOTA);
        quota_hits += args[i].last == STRATA_EQUOTA;
    }
    CU_ASSERT(quota_hits >= 1);
}

/* ---- Prometheus ------------------------------------------------------------ */

static void meter_prometheus_text_is_exact(void)
{
    strata_stream_t *out = mem_with(""), *s = mem_with("hello");
    strata_meter_t *m[2];
    const void *data;
    apr_size_t len, n;
    char buf[8];
    const char *expect =
        "# HELP app_read_bytes_total Bytes read through the metered streams.\n"
        "# TYPE app_read_bytes_total counter\n"
        "app_read_bytes_total{meter=\"a\\\"b\\\\c\\nd\"} 5\n"
        "app_read_bytes_total{meter=\"idle\"} 0\n"
        "# HELP app_read_ops_total Read calls that reached a stream.\n"
        "# TYPE app_read_ops_total counter\n"
        "app_read_ops_total{meter=\"a\\\"b\\\\c\\nd\"} 1\n"
        "app_read_ops_total{meter=\"idle\"} 0\n"
        "# HELP app_write_bytes_total Bytes written through the metered streams.\n"
        "# TYPE app_write_bytes_total counter\n"
        "app_write_bytes_total{meter=\"a\\\"b\\\\c\\nd\"} 0\n"
        "app_write_bytes_total{meter=\"idle\"} 0\n"
        "# HELP app_write_ops_total Write calls that reached a stream.\n"
        "# TYPE app_write_ops_total counter\n"
        "app_write_ops_total{meter=\"a\\\"b\\\\c\\nd\"} 0\n"
        "app_write_ops_total{meter=\"idle\"} 0\n"
        "# HELP app_quota_bytes Byte quota of the meter.\n"
        "# TYPE app_quota_bytes gauge\n"
        "app_quota_bytes{meter=\"a\\\"b\\\\c\\nd\"} 100\n"
        "# HELP app_quota_used_bytes Bytes counted against the quota.\n"
        "# TYPE app_quota_used_bytes gauge\n"
        "app_quota_used_bytes{meter=\"a\\\"b\\\\c\\nd\"} 5\n";

    strata_meter_create(&m[0], "a\"b\\c\nd", strata_test_pool);
    strata_meter_create(&m[1], "idle", strata_test_pool);
    strata_meter_set_quota(m[0], 100, STRATA_METER_BOTH);
    strata_stream_attach_meter(s, m[0]);
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, sizeof(buf), &n));
    ASSERT_RV(APR_SUCCESS, strata_meter_write_prometheus(out, m, 2, "app"));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT_EQUAL(len, strlen(expect));
    CU_ASSERT_NSTRING_EQUAL(data, expect, strlen(expect));
}

static void meter_prometheus_rejects_bad_prefix_and_writes_nothing(void)
{
    strata_stream_t *out = mem_with("");
    strata_meter_t *m;
    const void *data;
    apr_size_t len;

    strata_meter_create(&m, "x", strata_test_pool);
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, &m, 1, "9bad"));
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, &m, 1, "has-dash"));
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, NULL, 1, NULL));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT_EQUAL(len, 0);
    ASSERT_RV(APR_SUCCESS, strata_meter_write_prometheus(out, &m, 1, NULL));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT(len > 0 && memcmp(data, "# HELP strata_read_bytes_total", 30) == 0);
}

/* ---- labels ----------------------------------------------------------------- */

static void meter_labels_set_replace_remove(void)
{
    strata_meter_t *m;
    char name[16];
    int i;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_meter_create(&m, "m", strata_test_pool));
    CU_ASSERT_PTR_NULL(strata_meter_get_label(m, STRATA_LABEL_TENANT));
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, STRATA_LABEL_TENANT, "t1"));
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, STRATA_LABEL_LAYER, "wire"));
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, STRATA_LABEL_TENANT, "t2"));
    CU_ASSERT_STRING_EQUAL(strata_meter_get_label(m, "tenant"), "t2");
    CU_ASSERT_STRING_EQUAL(strata_meter_get_label(m, "layer"), "wire");
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, "tenant", NULL));
    ASSERT_RV(APR_NOTFOUND, strata_meter_set_label(m, "tenant", NULL));
    CU_ASSERT_PTR_NULL(strata_meter_get_label(m, "tenant"));
    CU_ASSERT_STRING_EQUAL(strata_meter_get_label(m, "layer"), "wire");
    for (i = 1; i < STRATA_METER_MAX_LABELS; i++) {
        sprintf(name, "l%d", i);
        ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, name, "v"));
    }
    ASSERT_RV(STRATA_ELIMIT, strata_meter_set_label(m, "one_too_many", "v"));
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, "l1", "still settable"));
}

static void meter_label_names_are_checked(void)
{
    strata_meter_t *m;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_meter_create(&m, "m", strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, "meter", "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, "__reserved", "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, "9lives", "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, "has-dash", "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, "", "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(m, NULL, "x"));
    ASSERT_RV(APR_EINVAL, strata_meter_set_label(NULL, "ok", "x"));
    ASSERT_RV(APR_SUCCESS, strata_meter_set_label(m, "_Ok_9", ""));
}

static void meter_prometheus_writes_labels_escaped(void)
{
    strata_stream_t *out = mem_with("");
    strata_meter_t *m[2];
    const void *data;
    apr_size_t len;
    const char *expect =
        "# HELP p_read_bytes_total Bytes read through the metered streams.\n"
        "# TYPE p_read_bytes_total counter\n"
        "p_read_bytes_total{meter=\"a\",tenant=\"t \\\"x\\\"\",layer=\"wire\"} 0\n"
        "p_read_bytes_total{meter=\"a\",tenant=\"a\\\\b\\nc\xef\xbf\xbd\xc3\xa9\",layer=\"wire\"} 0\n";

    strata_meter_create(&m[0], "a", strata_test_pool);
    strata_meter_create(&m[1], "a", strata_test_pool);
    strata_meter_set_label(m[0], "tenant", "t \"x\"");
    strata_meter_set_label(m[0], "layer", "wire");
    /* backslash, newline, a lone 0xff byte, then a valid two-byte letter */
    strata_meter_set_label(m[1], "tenant", "a\\b\nc\xff\xc3\xa9");
    strata_meter_set_label(m[1], "layer", "wire");
    ASSERT_RV(APR_SUCCESS, strata_meter_write_prometheus(out, m, 2, "p"));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT_FATAL(len > strlen(expect));
    CU_ASSERT_NSTRING_EQUAL(data, expect, strlen(expect));
}

static void meter_prometheus_refuses_duplicate_series(void)
{
    strata_stream_t *out = mem_with("");
    strata_meter_t *m[2];
    const void *data;
    apr_size_t len;

    strata_meter_create(&m[0], "same", strata_test_pool);
    strata_meter_create(&m[1], "same", strata_test_pool);
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, m, 2, NULL));
    strata_meter_set_label(m[0], "layer", "wire");
    strata_meter_set_label(m[1], "layer", "wire");
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, m, 2, NULL));
    strata_memory_contents(out, &data, &len);
    CU_ASSERT_EQUAL(len, 0);                    /* nothing written */
    strata_meter_set_label(m[1], "layer", "plain");
    ASSERT_RV(APR_SUCCESS, strata_meter_write_prometheus(out, m, 2, NULL));
    m[1] = NULL;
    ASSERT_RV(APR_EINVAL, strata_meter_write_prometheus(out, m, 2, NULL));
}

/* The documented pitfall: one meter on two layers of a stack counts the
 * same bytes twice. */
static void meter_on_two_layers_counts_twice(void)
{
    strata_stream_t *mem, *buf;
    strata_meter_t *m;
    strata_counts_t c;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_memory_create(&mem, 0, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(&buf, mem, 0, 0,
                                                        STRATA_OWN_INNER,
                                                        strata_test_pool));
    strata_meter_create(&m, "both", strata_test_pool);
    strata_stream_attach_meter(mem, m);
    strata_stream_attach_meter(buf, m);
    ASSERT_RV(APR_SUCCESS, strata_write_all(buf, "0123456789", 10, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(buf));
    strata_meter_snapshot(m, &c);
    CU_ASSERT_EQUAL(c.write_bytes, 20);
}

static CU_TestInfo tests[] = {
    { "meter_missing_method_is_enotsup_and_not_an_op",
      meter_missing_method_is_enotsup_and_not_an_op },
    { "meter_counts_one_read_and_one_write_exactly", meter_counts_one_read_and_one_write_exactly },
    { "meter_zero_byte_read_is_still_an_op", meter_zero_byte_read_is_still_an_op },
    { "meter_refused_calls_are_not_ops", meter_refused_calls_are_not_ops },
    { "meter_failed_call_counts_as_op_with_bytes_moved", meter_failed_call_counts_as_op_with_bytes_moved },
    { "meter_shared_meter_sums_several_streams", meter_shared_meter_sums_several_streams },
    { "meter_attach_limit_is_elimit", meter_attach_limit_is_elimit },
    { "meter_read_quota_stops_at_the_exact_byte", meter_read_quota_stops_at_the_exact_byte },
    { "meter_write_quota_lets_write_all_fail_at_the_byte", meter_write_quota_lets_write_all_fail_at_the_byte },
    { "meter_quota_spans_every_stream_feeding_it", meter_quota_spans_every_stream_feeding_it },
    { "meter_tightest_of_several_quotas_applies", meter_tightest_of_several_quotas_applies },
    { "meter_shared_meter_adds_up_under_concurrent_writers", meter_shared_meter_adds_up_under_concurrent_writers },
    { "meter_quota_is_exact_under_concurrent_writers", meter_quota_is_exact_under_concurrent_writers },
    { "meter_prometheus_text_is_exact", meter_prometheus_text_is_exact },
    { "meter_labels_set_replace_remove", meter_labels_set_replace_remove },
    { "meter_label_names_are_checked", meter_label_names_are_checked },
    { "meter_prometheus_writes_labels_escaped", meter_prometheus_writes_labels_escaped },
    { "meter_prometheus_refuses_duplicate_series", meter_prometheus_refuses_duplicate_series },
    { "meter_on_two_layers_counts_twice", meter_on_two_layers_counts_twice },
    { "meter_prometheus_rejects_bad_prefix_and_writes_nothing", meter_prometheus_rejects_bad_prefix_and_writes_nothing },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("meter", tests)
