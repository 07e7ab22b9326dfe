/*
 * bench_file.c -- reading a large cached file through the file stream
 * versus plain read(2), side by side, at 4 KiB and 64 KiB chunks.
 * Targets: >= 0.98 of read() at 64 KiB, >= 0.95 at 4 KiB.
 * Paired alternation (bench_util.h), timed in process CPU time: the two
 * sides are single-threaded and the file is in the page cache.
 * Env: STRATA_BENCH_MB (file size, default 256), STRATA_BENCH_PAIRS (31).
 */
#include "bench_util.h"
#include "strata/strata.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <fcntl.h>
#include <unistd.h>

typedef struct file_case_t {
    const char *path;
    apr_size_t chunk;
    apr_uint64_t size;
    char *buf;
    apr_pool_t *pool;            /* cleared by each strata run */
} file_case_t;

/* One pass over the file with read(2); 0 if every byte came. */
static int run_raw(void *arg)
{
    file_case_t *c = arg;
    apr_uint64_t total = 0;
    ssize_t r;
    int fd = open(c->path, O_RDONLY);

    if (fd < 0)
        return -1;
    while ((r = read(fd, c->buf, c->chunk)) > 0)
        total += (apr_uint64_t)r;
    close(fd);
    return total == c->size ? 0 : -1;
}

/* The same pass through a strata file stream. */
static int run_strata(void *arg)
{
    file_case_t *c = arg;
    strata_stream_t *s;
    apr_uint64_t total = 0;
    apr_size_t n;
    int rc = -1;

    apr_pool_clear(c->pool);
    if (strata_file_open(&s, c->path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, 0,
                         c->pool) == APR_SUCCESS) {
        while (strata_read(s, c->buf, c->chunk, &n) == APR_SUCCESS)
            total += n;
        strata_close(s);
        rc = total == c->size ? 0 : -1;
    }
    return rc;
}

static int make_file(const char *path, apr_uint64_t size)
{
    static char block[1 << 20];
    apr_uint64_t done;
    unsigned i;
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    for (i = 0; i < sizeof(block); i++)
        block[i] = (char)(i * 131 + (i >> 9));
    for (done = 0; done < size; done += sizeof(block))
        if (fwrite(block, 1, sizeof(block), f) != sizeof(block))
            break;
    return fclose(f);
}

int main(int argc, const char *const *argv)
{
    static const apr_size_t chunks[] = { 4096, 65536 };
    static const double targets[] = { 0.95, 0.98 };
    apr_size_t mb = bench_env_size("STRATA_BENCH_MB", 256);
    const char *path = "bench-file.dat";
    file_case_t c;
    bench_pair_t r;
    char name[64];
    int i;

    apr_app_initialize(&argc, &argv, NULL);
    c.path = path;
    c.size = (apr_uint64_t)mb << 20;
    if (make_file(path, c.size) != 0) {
        fprintf(stderr, "bench_file: cannot write %s\n", path);
        return 1;
    }
    c.buf = malloc(65536);
    apr_pool_create(&c.pool, NULL);
    for (i = 0; i < 2; i++) {
        c.chunk = chunks[i];
        run_raw(&c);                    /* warm the page cache */
        bench_pair_time(bench_pairs(31), BENCH_CPU, run_strata, run_raw, &c, &r);
        snprintf(name, sizeof(name), "file-read-%uk", (unsigned)(chunks[i] / 1024));
        bench_pair_row(name, "MiB/s", (double)mb, "read()", &r, targets[i]);
    }
    apr_pool_destroy(c.pool);
    free(c.buf);
    remove(path);
    apr_terminate();
    return 0;
}
#else
int main(void)
{
    printf("bench_file: skipped on Windows (compares against POSIX read)\n");
    return 0;
}
#endif
