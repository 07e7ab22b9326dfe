/*
 * sample.c -- print meters in the Prometheus text format, for
 * tests/prometheus/check.sh to hand to `promtool check metrics`.
 *
 * Two tenants, each with a meter on the plain (gzip) layer and one on the
 * wire (memory) layer, labels that need escaping, a quota on one meter, and
 * a meter with no traffic: everything the writer can produce.
 */
#include <stdio.h>
#include <string.h>
#include "strata/strata.h"

static int feed(const char *tenant, const char *text, strata_meter_t **plain,
                strata_meter_t **wire, apr_pool_t *pool)
{
    strata_stream_t *mem, *gz, *out;
    char buf[7];
    apr_size_t i;

    if (strata_meter_create(plain, "cat", pool) != APR_SUCCESS
        || strata_meter_create(wire, "cat", pool) != APR_SUCCESS
        || strata_meter_set_label(*plain, STRATA_LABEL_TENANT, tenant) != APR_SUCCESS
        || strata_meter_set_label(*plain, STRATA_LABEL_LAYER, "plain") != APR_SUCCESS
        || strata_meter_set_label(*wire, STRATA_LABEL_TENANT, tenant) != APR_SUCCESS
        || strata_meter_set_label(*wire, STRATA_LABEL_LAYER, "wire") != APR_SUCCESS
        || strata_memory_create(&mem, 0, pool) != APR_SUCCESS
        || strata_compress_writer(&gz, mem, STRATA_CODEC_GZIP, NULL,
                                  STRATA_OWN_INNER, pool) != APR_SUCCESS)
        return 1;
    strata_stream_attach_meter(gz, *plain);
    strata_stream_attach_meter(mem, *wire);
    for (i = 0; i < 100; i++)
        if (strata_write_all(gz, text, strlen(text), NULL) != APR_SUCCESS)
            return 1;
    if (strata_close(gz) != APR_SUCCESS)
        return 1;
    /* and read the text once through the plain meter */
    if (strata_memory_open_buffer(&out, text, strlen(text), pool) != APR_SUCCESS)
        return 1;
    strata_stream_attach_meter(out, *plain);
    while (strata_read(out, buf, sizeof(buf), &i) == APR_SUCCESS)
        ;
    return 0;
}

int main(int argc, const char *const *argv)
{
    strata_meter_t *m[5];
    strata_stream_t *so;
    apr_file_t *f;
    apr_pool_t *pool;
    apr_status_t rv;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    if (feed("acme \"quoted\" \\ back\\slash", "hello, metered world\n",
             &m[0], &m[1], pool) != 0
        || feed("line\nbreak \xc3\xa9t\xc3\xa9 \xff", "another tenant's text\n",
                &m[2], &m[3], pool) != 0
        || strata_meter_create(&m[4], "idle", pool) != APR_SUCCESS) {
        fprintf(stderr, "sample: setting up the meters failed\n");
        return 1;
    }
    strata_meter_set_quota(m[0], 1 << 20, STRATA_METER_WRITE);
    apr_file_open_stdout(&f, pool);
    strata_file_wrap(&so, f, 0, pool);
    rv = strata_meter_write_prometheus(so, m, 5, "strata_sample");
    apr_pool_destroy(pool);
    apr_terminate();
    return rv == APR_SUCCESS ? 0 : 1;
}
