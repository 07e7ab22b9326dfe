/*
 * test_compress_interop.c -- what strata writes, gzip/bzip2/xz/zstd/pigz
 * read back byte for byte, and what they write (single, multi-member,
 * concatenated), strata reads back.  Each test that needs a tool skips with
 * a note (and passes) when the tool is missing, and always on Windows.
 */
#include "test_util.h"
#include "strata/compress.h"
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <stdio.h>
#include <string.h>

/* memcmp that accepts NULL with a zero length (empty streams). */
static int tmemcmp(const void *a, const void *b, apr_size_t n)
{
    return n ? memcmp(a, b, n) : 0;
}

#define DATA_LEN 700000

static char *data;      /* DATA_LEN bytes, compressible with some noise */

static void make_data(void)
{
    apr_size_t i;

    data = apr_palloc(strata_test_pool, DATA_LEN);
    strata_test_fill(data, DATA_LEN, 11);
    for (i = 0; i < DATA_LEN; i++)           /* mostly text, some noise */
        if (data[i] & 0x70)
            data[i] = "interop line of text\n"[i % 21];
}

/* Run @cmd through the shell; returns its exit code, -1 if it could not
 * be started. */
static int sh(const char *cmd)
{
#ifdef _WIN32
    (void)cmd;
    return -1;
#else
    apr_procattr_t *attr;
    apr_proc_t proc;
    const char *argv[2];
    int code = -1;
    apr_exit_why_e why;

    argv[0] = cmd;
    argv[1] = NULL;
    if (apr_procattr_create(&attr, strata_test_pool) != APR_SUCCESS
        || apr_procattr_cmdtype_set(attr, APR_SHELLCMD) != APR_SUCCESS
        || apr_proc_create(&proc, cmd, argv, NULL, attr, strata_test_pool)
           != APR_SUCCESS)
        return -1;
    apr_proc_wait(&proc, &code, &why, APR_WAIT);
    return why == APR_PROC_EXIT ? code : -1;
#endif
}

static int have(const char *tool)
{
    if (sh(apr_psprintf(strata_test_pool, "command -v %s >/dev/null 2>&1",
                        tool)) == 0)
        return 1;
    fprintf(stderr, "\n  note: %s not found, skipped\n", tool);
    return 0;
}

static int write_with(strata_codec_t codec, const strata_compress_opts_t *o,
                      const char *path, apr_size_t len, int syncs)
{
    strata_stream_t *f, *z;
    apr_size_t step = syncs ? len / (syncs + 1) + 1 : len, done = 0, n;

    if (strata_file_open(&f, path, APR_FOPEN_WRITE | APR_FOPEN_CREATE
                         | APR_FOPEN_TRUNCATE, APR_FPROT_OS_DEFAULT, 0,
                         strata_test_pool) != APR_SUCCESS)
        return 0;
    if (strata_compress_writer(&z, f, codec, o, STRATA_OWN_INNER,
                               strata_test_pool) != APR_SUCCESS)
        return 0;
    while (done < len) {
        n = len - done < step ? len - done : step;
        if (strata_test_write_all(z, data + done, n, 10000) != APR_SUCCESS)
            return 0;
        done += n;
        if (syncs && strata_flush(z, STRATA_FLUSH_SYNC) != APR_SUCCESS)
            return 0;
    }
    return strata_close(z) == APR_SUCCESS;
}

static int file_equals(const char *path, const char *want, apr_size_t len)
{
    char *got;
    apr_size_t glen;

    if (strata_test_read_file(path, &got, &glen, strata_test_pool)
        != APR_SUCCESS)
        return 0;
    return glen == len && tmemcmp(got, want, len) == 0;
}

static int read_with(strata_codec_t codec, const char *path,
                     const char *want, apr_size_t len)
{
    strata_stream_t *f, *z;
    char *got;
    apr_size_t glen;
    apr_status_t rv;

    if (strata_file_open(&f, path, APR_FOPEN_READ, APR_FPROT_OS_DEFAULT, 0,
                         strata_test_pool) != APR_SUCCESS)
        return 0;
    if (strata_decompress_reader(&z, f, codec, NULL, STRATA_OWN_INNER,
                                 strata_test_pool) != APR_SUCCESS)
        return 0;
    rv = strata_test_read_all(z, 65536, strata_test_pool, &got, &glen);
    strata_close(z);
    ASSERT_RV(APR_SUCCESS, rv);
    return rv == APR_SUCCESS && glen == len && tmemcmp(got, want, len) == 0;
}

/* strata writes, the tool reads: plain, with sync flushes, small, empty */
static void strata_to_tool(strata_codec_t codec, const char *tool,
                           const char *dcmd)
{
    const char *z = strata_test_tmpname("iz", strata_test_pool);
    const char *p = strata_test_tmpname("ip", strata_test_pool);
    static const apr_size_t sizes[] = { DATA_LEN, 1, 0 };
    apr_size_t i;
    int syncs;

    if (!have(tool))
        return;
    make_data();
    for (i = 0; i < 3; i++) {
        for (syncs = 0; syncs <= 3; syncs += 3) {
            CU_ASSERT_FATAL(write_with(codec, NULL, z, sizes[i], syncs));
            if (sh(apr_psprintf(strata_test_pool, "%s < '%s' > '%s'",
                                dcmd, z, p)) != 0 || !file_equals(p, data, sizes[i])) {
                fprintf(stderr, "\n%s: %u bytes, %d syncs: FAILED\n", dcmd,
                        (unsigned)sizes[i], syncs);
                CU_FAIL("tool could not read strata's output");
                sh(apr_psprintf(strata_test_pool, "cp '%s' /tmp/strata-interop-fail", z));
            }
        }
    }
    apr_file_remove(z, strata_test_pool);
    apr_file_remove(p, strata_test_pool);
}

/* the tool writes (@ccmd, twice concatenated with @ccmd2 too), strata reads */
static void tool_to_strata(strata_codec_t codec, const char *tool,
                           const char *ccmd, const char *ccmd2)
{
    const char *in = strata_test_tmpname("in", strata_test_pool);
    const char *z = strata_test_tmpname("tz", strata_test_pool);
    char *twice;

    if (!have(tool))
        return;
    make_data();
    ASSERT_RV_FATAL(APR_SUCCESS, strata_test_write_file(in, data, DATA_LEN,
                                                        strata_test_pool));
    CU_ASSERT_FATAL(sh(apr_psprintf(strata_test_pool, "%s < '%s' > '%s'",
                                    ccmd, in, z)) == 0);
    CU_ASSERT(read_with(codec, z, data, DATA_LEN));
    CU_ASSERT(read_with(STRATA_CODEC_AUTO, z, data, DATA_LEN));
    /* concatenated: cat a.z b.z */
    CU_ASSERT_FATAL(sh(apr_psprintf(strata_test_pool, "%s < '%s' >> '%s'",
                                    ccmd2, in, z)) == 0);
    twice = apr_palloc(strata_test_pool, 2 * DATA_LEN);
    memcpy(twice, data, DATA_LEN);
    memcpy(twice + DATA_LEN, data, DATA_LEN);
    CU_ASSERT(read_with(codec, z, twice, 2 * DATA_LEN));
    CU_ASSERT(read_with(STRATA_CODEC_AUTO, z, twice, 2 * DATA_LEN));
    /* empty input */
    CU_ASSERT_FATAL(sh(apr_psprintf(strata_test_pool, "%s < /dev/null > '%s'",
                                    ccmd, z)) == 0);
    CU_ASSERT(read_with(codec, z, "", 0));
    apr_file_remove(in, strata_test_pool);
    apr_file_remove(z, strata_test_pool);
}

static void gzip_strata_to_gzip(void)
{
    strata_to_tool(STRATA_CODEC_GZIP, "gzip", "gzip -dc");
}

static void gzip_gzip_to_strata(void)
{
    tool_to_strata(STRATA_CODEC_GZIP, "gzip", "gzip -c", "gzip -1 -c");
}

static void bzip2_strata_to_bzip2(void)
{
    strata_to_tool(STRATA_CODEC_BZIP2, "bzip2", "bzip2 -dc");
}

static void bzip2_bzip2_to_strata(void)
{
    tool_to_strata(STRATA_CODEC_BZIP2, "bzip2", "bzip2 -c", "bzip2 -1 -c");
}

static void xz_strata_to_xz(void)
{
    strata_to_tool(STRATA_CODEC_XZ, "xz", "xz -dc");
}

static void xz_xz_to_strata(void)
{
    tool_to_strata(STRATA_CODEC_XZ, "xz", "xz -c", "xz -T2 --block-size=100000 -c");
}

static void zstd_both_ways(void)
{
#if STRATA_HAVE_ZSTD
    strata_to_tool(STRATA_CODEC_ZSTD, "zstd", "zstd -q -dc");
    tool_to_strata(STRATA_CODEC_ZSTD, "zstd", "zstd -q -c", "zstd -q -19 -c");
#else
    fprintf(stderr, "\n  note: built without zstd, skipped\n");
#endif
}

static void zlib_and_deflate_via_pigz(void)
{
    /* pigz -z writes and reads zlib streams */
    strata_to_tool(STRATA_CODEC_ZLIB, "pigz", "pigz -dc -z");
    tool_to_strata(STRATA_CODEC_ZLIB, "pigz", "pigz -c -z", "pigz -c -z");
}

static void pigz_reads_strata_gzip_every_form(void)
{
    const char *z = strata_test_tmpname("pz", strata_test_pool);
    const char *p = strata_test_tmpname("pp", strata_test_pool);
    strata_compress_opts_t o;
    int members, threads;

    if (!have("pigz") || !have("gzip"))
        return;
    make_data();
    strata_to_tool(STRATA_CODEC_GZIP, "pigz", "pigz -dc");
    for (threads = 2; threads <= 4; threads += 2) {
        for (members = 0; members <= 1; members++) {
            strata_compress_opts_init(&o);
            o.threads = (unsigned)threads;
            o.gzip_members = members;
            o.block_size = 40000;
            CU_ASSERT_FATAL(write_with(STRATA_CODEC_GZIP, &o, z, DATA_LEN,
                                       members ? 0 : 4));
            CU_ASSERT(sh(apr_psprintf(strata_test_pool, "pigz -dc < '%s' > '%s'",
                                      z, p)) == 0);
            CU_ASSERT(file_equals(p, data, DATA_LEN));
            CU_ASSERT(sh(apr_psprintf(strata_test_pool, "gzip -dc < '%s' > '%s'",
                                      z, p)) == 0);
            CU_ASSERT(file_equals(p, data, DATA_LEN));
            CU_ASSERT(read_with(STRATA_CODEC_GZIP, z, data, DATA_LEN));
            /* empty input still gives a valid gzip file */
            CU_ASSERT_FATAL(write_with(STRATA_CODEC_GZIP, &o, z, 0, 0));
            CU_ASSERT(sh(apr_psprintf(strata_test_pool, "gzip -dc < '%s' > '%s'",
                                      z, p)) == 0);
            CU_ASSERT(file_equals(p, "", 0));
        }
    }
    apr_file_remove(z, strata_test_pool);
    apr_file_remove(p, strata_test_pool);
}

static void pigz_writes_strata_reads(void)
{
    /* pigz blocks with sync points, and independent blocks (-i), and
     * pigz's multi-member output concatenated with gzip's */
    tool_to_strata(STRATA_CODEC_GZIP, "pigz", "pigz -p 2 -b 32 -c",
                   "pigz -p 2 -i -b 32 -c");
}

static CU_TestInfo tests[] = {
    { "gzip_strata_to_gzip", gzip_strata_to_gzip },
    { "gzip_gzip_to_strata", gzip_gzip_to_strata },
    { "bzip2_strata_to_bzip2", bzip2_strata_to_bzip2 },
    { "bzip2_bzip2_to_strata", bzip2_bzip2_to_strata },
    { "xz_strata_to_xz", xz_strata_to_xz },
    { "xz_xz_to_strata", xz_xz_to_strata },
    { "zstd_both_ways", zstd_both_ways },
    { "zlib_and_deflate_via_pigz", zlib_and_deflate_via_pigz },
    { "pigz_reads_strata_gzip_every_form", pigz_reads_strata_gzip_every_form },
    { "pigz_writes_strata_reads", pigz_writes_strata_reads },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("compress_interop", tests)
