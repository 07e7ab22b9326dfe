/*
 * metered_copy.c -- copy a file through strata with a per-tenant meter and
 * a quota, then print the meter in Prometheus format.
 *
 *   example_metered_copy IN OUT [QUOTA_BYTES]
 */
#include <stdio.h>
#include <stdlib.h>
#include <strata/strata.h>

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool;
    strata_stream_t *in, *out, *report;
    strata_meter_t *tenant;
    apr_uint64_t copied = 0;
    apr_status_t rv;
    char err[128];

    if (argc < 3) {
        fprintf(stderr, "usage: %s IN OUT [QUOTA_BYTES]\n", argv[0]);
        return 2;
    }
    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);

    /* One meter per tenant; every stream of that tenant feeds it. */
    strata_meter_create(&tenant, "tenant-42", pool);
    if (argc > 3)
        strata_meter_set_quota(tenant, strtoull(argv[3], NULL, 10),
                               STRATA_METER_WRITE);

    rv = strata_file_open(&in, argv[1], APR_FOPEN_READ, APR_FPROT_OS_DEFAULT,
                          0, pool);
    if (rv == APR_SUCCESS)   /* atomic: OUT is replaced whole or not at all */
        rv = strata_file_open(&out, argv[2], APR_FOPEN_WRITE | APR_FOPEN_CREATE
                              | APR_FOPEN_TRUNCATE, APR_FPROT_OS_DEFAULT,
                              STRATA_FILE_ATOMIC, pool);
    if (rv == APR_SUCCESS) {
        strata_stream_attach_meter(in, tenant);
        strata_stream_attach_meter(out, tenant);
        rv = strata_copy(in, out, NULL, &copied);
        if (rv == APR_SUCCESS)
            rv = strata_close(out);     /* commits the new file */
        else
            strata_file_abort(out);     /* leaves the old file as it was */
    }
    if (rv != APR_SUCCESS)
        fprintf(stderr, "copy failed after %llu bytes: %s\n",
                (unsigned long long)copied, strata_strerror(rv, err, sizeof(err)));

    /* Export the meter, as a /metrics handler would. */
    apr_file_t *so;
    apr_file_open_stdout(&so, pool);
    strata_file_wrap(&report, so, 0, pool);
    strata_meter_write_prometheus(report, &tenant, 1, NULL);

    apr_pool_destroy(pool);     /* closes whatever is still open */
    apr_terminate();
    return rv == APR_SUCCESS ? 0 : 1;
}
