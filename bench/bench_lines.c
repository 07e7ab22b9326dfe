/*
 * bench_lines.c -- strata_read_line over a buffered file stream against
 * glibc getline() on the same file, in lines per second (target >= 1.5x).
 * Data size: STRATA_BENCH_MB (default 64 MiB of lines of 1..120 bytes);
 * STRATA_BENCH_LINES_BUF sets the read buffer (default 64 KiB).
 * Paired alternation (bench_util.h), timed in process CPU time (both sides
 * are single-threaded over a cached file); STRATA_BENCH_PAIRS (default 21).
 */
#include "bench_util.h"
#include "strata/strata.h"
#include <apr_file_io.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32

typedef struct lines_job_t {
    const char *path;
    apr_size_t bufsize;
    apr_pool_t *pool;
    apr_uint64_t lines, bytes;
} lines_job_t;

static int run_strata(void *arg)
{
    lines_job_t *j = arg;
    strata_stream_t *f, *b;
    const char *d;
    apr_size_t n;
    apr_uint64_t lines = 0, bytes = 0;
    apr_pool_t *pool;
    apr_status_t rv;

    apr_pool_create(&pool, j->pool);
    if (strata_file_open(&f, j->path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, 0,
                         pool) != APR_SUCCESS
        || strata_buffered_create(&b, f, j->bufsize, 0, STRATA_OWN_INNER, pool) != APR_SUCCESS) {
        fprintf(stderr, "bench_lines: cannot open %s\n", j->path);
        exit(1);
    }
    while ((rv = strata_read_line(b, 1 << 20, &d, &n)) == APR_SUCCESS) {
        lines++;
        bytes += n;
    }
    strata_close(b);
    apr_pool_destroy(pool);
    if (rv != APR_EOF
        || (j->lines && (lines != j->lines || bytes != j->bytes))) {
        fprintf(stderr, "bench_lines: strata read %lu lines\n",
                (unsigned long)lines);
        exit(1);
    }
    return 0;
}

static int run_getline(void *arg)
{
    lines_job_t *j = arg;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    apr_uint64_t lines = 0, bytes = 0;
    FILE *fp;

    if ((fp = fopen(j->path, "rb")) == NULL) {
        fprintf(stderr, "bench_lines: cannot open %s\n", j->path);
        exit(1);
    }
    while ((n = getline(&line, &cap, fp)) > 0) {
        lines++;
        bytes += (apr_uint64_t)n;
    }
    fclose(fp);
    free(line);
    if (j->lines && (lines != j->lines || bytes != j->bytes)) {
        fprintf(stderr, "bench_lines: getline read %lu lines\n",
                (unsigned long)lines);
        exit(1);
    }
    j->lines = lines;
    j->bytes = bytes;
    return 0;
}

/* Write @size bytes of lines of 1..120 bytes to @path. */
static void make_file(const char *path, apr_size_t size, apr_pool_t *pool)
{
    static char block[1 << 16];
    apr_size_t len = 0, k;
    apr_uint32_t x = 12345;
    apr_file_t *f;

    if (apr_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                      | APR_FOPEN_TRUNCATE | APR_FOPEN_BINARY,
                      APR_FPROT_OS_DEFAULT, pool) != APR_SUCCESS) {
        fprintf(stderr, "bench_lines: cannot create %s\n", path);
        exit(1);
    }
    while (size > 0) {
        for (len = 0; len + 121 < sizeof(block);) {
            x = x * 1103515245u + 12345u;
            k = (x >> 16) % 120;
            memset(block + len, 'a' + (int)(k % 26), k);
            len += k;
            block[len++] = '\n';
        }
        if (len > size)
            len = size;
        apr_file_write_full(f, block, len, NULL);
        size -= len;
    }
    apr_file_close(f);
}

int main(int argc, const char *const *argv)
{
    apr_size_t mb = bench_env_size("STRATA_BENCH_MB", 64);
    const char *dir = NULL, *path;
    lines_job_t j;
    apr_pool_t *pool;
    bench_pair_t r;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    if (apr_temp_dir_get(&dir, pool) != APR_SUCCESS)
        dir = ".";
    path = apr_psprintf(pool, "%s/strata-bench-lines-%lu", dir,
                        (unsigned long)apr_time_now());
    make_file(path, mb << 20, pool);
    memset(&j, 0, sizeof(j));
    j.path = path;
    j.pool = pool;
    j.bufsize = bench_env_size("STRATA_BENCH_LINES_BUF", 64 * 1024);
    run_getline(&j);                      /* warm the page cache, count */
    printf("INFO %lu lines, %lu MiB\n", (unsigned long)j.lines,
           (unsigned long)mb);
    bench_pair_time(bench_pairs(21), BENCH_CPU, run_strata, run_getline, &j, &r);
    bench_pair_row("read_line_vs_getline", "lines/s", (double)j.lines,
                   "getline", &r, 1.5);
    apr_file_remove(path, pool);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}

#else

int main(void)
{
    printf("SKIP bench_lines: getline() is POSIX-only\n");
    return 0;
}

#endif
