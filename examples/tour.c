/* tour.c -- the README's tour, compiled in CI (keep the two identical). */
#include <stdio.h>
#include <strata/strata.h>

int main(int argc, const char *const *argv)
{
    apr_pool_t *pool;
    strata_stream_t *mem;
    strata_meter_t *tenant;
    strata_counts_t c;
    char buf[5];
    apr_size_t n;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);

    /* A stream counts what crosses it; a shared meter sums many streams
     * (atomically, from any thread) and can enforce a byte quota. */
    strata_memory_create(&mem, 0, pool);
    strata_meter_create(&tenant, "tenant-42", pool);
    strata_meter_set_quota(tenant, 1 << 20, STRATA_METER_BOTH);
    strata_stream_attach_meter(mem, tenant);

    strata_write_all(mem, "hello, strata", 13, NULL);
    strata_seek(mem, 0, APR_SET, NULL);
    strata_read_exact(mem, buf, sizeof(buf), &n);

    strata_stream_counts(mem, &c);
    printf("read %llu bytes in %llu ops, wrote %llu bytes in %llu ops\n",
           (unsigned long long)c.read_bytes, (unsigned long long)c.read_ops,
           (unsigned long long)c.write_bytes, (unsigned long long)c.write_ops);
    printf("quota left: %llu bytes\n",
           (unsigned long long)strata_meter_quota_left(tenant));

    apr_pool_destroy(pool);   /* closes every stream still open in it */
    apr_terminate();
    return 0;
}
