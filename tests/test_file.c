/*
 * test_file.c -- the file stream: open errors, read/write/seek, durable
 * flush, wrapping, and atomic replace (commit, abort, failure, forgotten,
 * and a process killed mid-write).
 */
#include "test_util.h"
#include "strata/fault.h"
#include <apr_thread_proc.h>
#include <apr_strings.h>
#include <apr_env.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#if APR_HAS_FORK
#include <signal.h>
#endif
#ifndef _WIN32
#include <unistd.h>   /* symlink */
#endif

#define RW_NEW (APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE)

static int file_equals(const char *path, const char *text)
{
    char *data;
    apr_size_t len;

    if (strata_test_read_file(path, &data, &len, strata_test_pool) != APR_SUCCESS)
        return 0;
    return len == strlen(text) && memcmp(data, text, len) == 0;
}

static int file_exists(const char *path)
{
    apr_finfo_t fi;

    return apr_stat(&fi, path, APR_FINFO_TYPE, strata_test_pool) == APR_SUCCESS;
}

/* Number of entries in @dir whose name starts with @prefix. */
static int count_entries(const char *dir, const char *prefix)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    if (apr_dir_open(&d, dir, strata_test_pool) != APR_SUCCESS)
        return -1;
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS)
        if (strncmp(fi.name, prefix, strlen(prefix)) == 0)
            n++;
    apr_dir_close(d);
    return n;
}

/* A fresh empty folder for one test. */
static const char *fresh_dir(const char *tag)
{
    const char *dir = strata_test_tmpname(tag, strata_test_pool);

    CU_ASSERT_FATAL(apr_dir_make(dir, APR_FPROT_OS_DEFAULT, strata_test_pool)
                    == APR_SUCCESS);
    return dir;
}

/* The temporary's path (NULL while unnamed); fails the test unless @s is an
 * atomic-replace stream. */
static const char *temp_path(strata_stream_t *s)
{
    const char *tmp = "unset";

    ASSERT_RV(APR_SUCCESS, strata_control(s, STRATA_CTL_FILE_TEMP_PATH, &tmp));
    CU_ASSERT(tmp == NULL || strcmp(tmp, "unset") != 0);
    return tmp;
}

/* Temporaries a live atomic stream @s shows in its folder: 0 or 1. */
static int visible_temps(strata_stream_t *s)
{
    const char *tmp = temp_path(s);

#ifdef __linux__
    if (getenv("STRATA_FILE_NO_TMPFILE") == NULL)
        CU_ASSERT_PTR_NULL(tmp);            /* O_TMPFILE: no name at all */
#endif
    if (tmp != NULL)
        CU_ASSERT(file_exists(tmp));
    return tmp != NULL;
}

/* Run @test once with the named temporary forced (STRATA_FILE_NO_TMPFILE). */
static void with_named_temp(void (*test)(void))
{
    CU_ASSERT_FATAL(apr_env_set("STRATA_FILE_NO_TMPFILE", "1", strata_test_pool)
                    == APR_SUCCESS);
    test();
    apr_env_delete("STRATA_FILE_NO_TMPFILE", strata_test_pool);
}

static void file_open_missing_is_enoent_and_out_untouched(void)
{
    strata_stream_t *s = (strata_stream_t *)&s;
    strata_stream_t *before = s;
    apr_status_t rv;

    rv = strata_file_open(&s, "/nonexistent-dir-strata/x", APR_FOPEN_READ,
                          APR_FPROT_OS_DEFAULT, 0, strata_test_pool);
    CU_ASSERT(APR_STATUS_IS_ENOENT(rv));
    CU_ASSERT_PTR_EQUAL(s, before);
    ASSERT_RV(APR_EINVAL, strata_file_open(&s, "x", 0, APR_FPROT_OS_DEFAULT, 0,
                                           strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_file_open(&s, "x", APR_FOPEN_READ | APR_FOPEN_WRITE,
                                           APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                                           strata_test_pool));
}

static void file_write_seek_read_round_trip(void)
{
    const char *path = strata_test_tmpname("rw", strata_test_pool);
    strata_stream_t *s;
    apr_off_t pos, size;
    char buf[16];
    apr_size_t n;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW | APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    CU_ASSERT_STRING_EQUAL(strata_stream_name(s), "file");
    CU_ASSERT_EQUAL(strata_stream_caps(s),
                    STRATA_CAP_READ | STRATA_CAP_WRITE | STRATA_CAP_SEEK);
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "hello world", 11, &n));
    ASSERT_RV(APR_SUCCESS, strata_flush(s, STRATA_FLUSH_DURABLE));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, -5, APR_END, &pos));
    CU_ASSERT_EQUAL(pos, 6);
    ASSERT_RV(APR_SUCCESS, strata_read_exact(s, buf, 5, &n));
    CU_ASSERT_NSTRING_EQUAL(buf, "world", 5);
    ASSERT_RV(APR_EOF, strata_read(s, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_SUCCESS, strata_seek(s, -11, APR_CUR, &pos));
    CU_ASSERT_EQUAL(pos, 0);
    ASSERT_RV(APR_EINVAL, strata_seek(s, -1, APR_CUR, &pos));
    ASSERT_RV(APR_SUCCESS, strata_control(s, STRATA_CTL_FILE_SIZE, &size));
    CU_ASSERT_EQUAL(size, 11);
    CU_ASSERT_PTR_NOT_NULL(strata_file_get(s));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    CU_ASSERT(file_equals(path, "hello world"));
    apr_file_remove(path, strata_test_pool);
}

static void file_read_only_refuses_writes(void)
{
    const char *path = strata_test_tmpname("ro", strata_test_pool);
    strata_stream_t *s;
    apr_size_t n;

    strata_test_write_file(path, "abc", 3, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV(STRATA_ENOTSUP, strata_write(s, "x", 1, &n));
    ASSERT_RV(STRATA_ENOTSUP, strata_shutdown_write(s));
    ASSERT_RV(APR_SUCCESS, strata_flush(s, STRATA_FLUSH_DURABLE));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    apr_file_remove(path, strata_test_pool);
}

static void file_wrap_leaves_unowned_file_open(void)
{
    const char *path = strata_test_tmpname("wrap", strata_test_pool);
    apr_file_t *f;
    strata_stream_t *s;
    apr_size_t n = 3;

    ASSERT_RV_FATAL(APR_SUCCESS, apr_file_open(&f, path, RW_NEW | APR_FOPEN_BINARY,
                                               APR_FPROT_OS_DEFAULT, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_file_wrap(&s, f, 0, strata_test_pool));
    CU_ASSERT_EQUAL(strata_stream_caps(s), STRATA_CAP_WRITE | STRATA_CAP_SEEK);
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "abc", 3, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    ASSERT_RV(APR_SUCCESS, apr_file_write(f, "def", &n));   /* still open */
    ASSERT_RV(APR_SUCCESS, apr_file_close(f));
    CU_ASSERT(file_equals(path, "abcdef"));
    apr_file_remove(path, strata_test_pool);
}

static void file_atomic_replace_commits_on_close(void)
{
    const char *dir = fresh_dir("atomic");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/target.txt", NULL);
    strata_stream_t *s;

    strata_test_write_file(path, "old", 3, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "new content", 11, NULL));
    CU_ASSERT(file_equals(path, "old"));           /* not yet visible */
    CU_ASSERT_EQUAL(count_entries(dir, ".target.txt."), visible_temps(s));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    CU_ASSERT(file_equals(path, "new content"));
    CU_ASSERT_EQUAL(count_entries(dir, ".target.txt."), 0);
    CU_ASSERT_EQUAL(count_entries(dir, ""), 1 + 2);  /* target, ".", ".." */
}

static void file_atomic_replace_creates_missing_target(void)
{
    const char *dir = fresh_dir("atomic-new");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/fresh", NULL);
    strata_stream_t *s;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, strata_test_pool));
    CU_ASSERT(!file_exists(path));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "x", 1, NULL));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    CU_ASSERT(file_equals(path, "x"));
}

static void file_atomic_abort_keeps_old_content(void)
{
    const char *dir = fresh_dir("abort");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/t", NULL);
    strata_stream_t *s, *plain;

    strata_test_write_file(path, "old", 3, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "partial", 7, NULL));
    ASSERT_RV(APR_SUCCESS, strata_file_abort(s));
    ASSERT_RV(STRATA_ECLOSED, strata_file_abort(s));
    CU_ASSERT(file_equals(path, "old"));
    CU_ASSERT_EQUAL(count_entries(dir, ".t."), 0);
    ASSERT_RV(APR_SUCCESS, strata_memory_create(&plain, 0, strata_test_pool));
    /* any stream can be aborted now (strata_abort under its old name) */
    ASSERT_RV(APR_SUCCESS, strata_file_abort(plain));
    CU_ASSERT(strata_stream_is_closed(plain));
}

static void file_atomic_forgotten_stream_is_discarded(void)
{
    const char *dir = fresh_dir("forgot");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/t", NULL);
    strata_stream_t *s;
    apr_pool_t *p;

    strata_test_write_file(path, "old", 3, strata_test_pool);
    apr_pool_create(&p, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, p));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "never confirmed", 15, NULL));
    apr_pool_destroy(p);
    CU_ASSERT(file_equals(path, "old"));
    CU_ASSERT_EQUAL(count_entries(dir, ".t."), 0);
}

static void file_atomic_failed_write_never_commits(void)
{
    const char *dir = fresh_dir("failw");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/t", NULL);
    strata_stream_t *s;
    apr_file_t *f;
    apr_size_t n;

    strata_test_write_file(path, "old", 3, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(s, "abc", 3, NULL));
    /* Break the file under the stream: closing its handle makes the next
     * write fail the way a full disk or an I/O error would. */
    f = strata_file_get(s);
    ASSERT_RV(APR_SUCCESS, apr_file_close(f));
    CU_ASSERT(strata_write(s, "def", 3, &n) != APR_SUCCESS);
    CU_ASSERT(strata_close(s) != APR_SUCCESS);
    CU_ASSERT(file_equals(path, "old"));
    CU_ASSERT_EQUAL(count_entries(dir, ".t."), 0);
}

static void file_atomic_survives_a_killed_writer(void)
{
#if APR_HAS_FORK && !defined(_WIN32)
    const char *dir = fresh_dir("kill");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/t", NULL);
    apr_file_t *rd, *wr;
    apr_proc_t proc;
    apr_exit_why_e why;
    int code;
    char c;
    apr_size_t n = 1;
    apr_status_t rv;

    strata_test_write_file(path, "old content", 11, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, apr_file_pipe_create(&rd, &wr, strata_test_pool));
    rv = apr_proc_fork(&proc, strata_test_pool);
    if (rv == APR_INCHILD) {
        static char block[64 * 1024];
        strata_stream_t *s;
        const char *tmp = NULL;
        int i;

        memset(block, 'n', sizeof(block));
        if (strata_file_open(&s, path, RW_NEW, APR_FPROT_OS_DEFAULT,
                             STRATA_FILE_ATOMIC, strata_test_pool) != APR_SUCCESS
            || strata_control(s, STRATA_CTL_FILE_TEMP_PATH, &tmp) != APR_SUCCESS)
            _exit(3);
        for (i = 0; i < 16; i++)
            strata_write_all(s, block, sizeof(block), NULL);
        strata_flush(s, STRATA_FLUSH_BUFFERS);
        /* "I am mid-write", and whether my temporary has a name */
        apr_file_write(wr, tmp == NULL ? "u" : "n", &n);
        apr_sleep(apr_time_from_sec(30));      /* killed long before */
        _exit(4);
    }
    ASSERT_RV_FATAL(APR_INPARENT, rv);
    ASSERT_RV(APR_SUCCESS, apr_file_read(rd, &c, &n));
    ASSERT_RV(APR_SUCCESS, apr_proc_kill(&proc, SIGKILL));
    apr_proc_wait(&proc, &code, &why, APR_WAIT);
    CU_ASSERT(why == APR_PROC_SIGNAL && code == SIGKILL);
    CU_ASSERT(file_equals(path, "old content"));
    if (c == 'u') {
        CU_ASSERT_EQUAL(count_entries(dir, ".t."), 0);   /* no litter */
    } else {
        /* The named fallback: the kernel cannot clean up after kill -9;
         * the litter is the one documented temporary, nothing else. */
        CU_ASSERT_EQUAL(c, 'n');
#ifdef __linux__
        CU_ASSERT_PTR_NOT_NULL(getenv("STRATA_FILE_NO_TMPFILE"));
#endif
        CU_ASSERT_EQUAL(count_entries(dir, ".t."), 1);
    }
    /* the target, ".", "..", and the named temporary if there is one */
    CU_ASSERT_EQUAL(count_entries(dir, ""), 1 + 2 + (c == 'n'));
#else
    printf(" (skipped: no fork on this platform) ");
#endif
}

static void file_atomic_keeps_target_permissions(void)
{
#ifndef _WIN32
    const char *dir = fresh_dir("perm");
    const char *path = apr_pstrcat(strata_test_pool, dir, "/t", NULL);
    strata_stream_t *s;
    apr_finfo_t fi;

    strata_test_write_file(path, "old", 3, strata_test_pool);
    apr_file_perms_set(path, APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT,
                                                  STRATA_FILE_ATOMIC, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    ASSERT_RV(APR_SUCCESS, apr_stat(&fi, path, APR_FINFO_PROT, strata_test_pool));
    CU_ASSERT_EQUAL(fi.protection,
                    APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD);
#endif
}

static void file_atomic_refuses_non_regular_targets(void)
{
    const char *dir = fresh_dir("nonreg");
    strata_stream_t *s;

    ASSERT_RV(STRATA_ENOTSUP, strata_file_open(&s, dir, RW_NEW,
                                               APR_FPROT_OS_DEFAULT,
                                               STRATA_FILE_ATOMIC, strata_test_pool));
#ifndef _WIN32
    {
        const char *link = apr_pstrcat(strata_test_pool, dir, "/link", NULL);

        ASSERT_RV(STRATA_ENOTSUP, strata_file_open(&s, "/dev/null", RW_NEW,
                                                   APR_FPROT_OS_DEFAULT,
                                                   STRATA_FILE_ATOMIC,
                                                   strata_test_pool));
        CU_ASSERT_EQUAL_FATAL(symlink("elsewhere", link), 0);
        ASSERT_RV(STRATA_ENOTSUP, strata_file_open(&s, link, RW_NEW,
                                                   APR_FPROT_OS_DEFAULT,
                                                   STRATA_FILE_ATOMIC,
                                                   strata_test_pool));
    }
#endif
    CU_ASSERT_EQUAL(count_entries(dir, ".l"), 0);   /* no temporary left */
}

/* Reads of a file strata opened go straight to the OS: EOF stays EOF, an
 * OS error comes back as that error with 0 bytes, and nothing is lost. */
static void file_direct_reads_report_eof_and_errors(void)
{
    const char *path = strata_test_tmpname("direct", strata_test_pool);
    strata_stream_t *s;
    char buf[8];
    apr_size_t n;

    strata_test_write_file(path, "abcdef", 6, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 4, &n));
    CU_ASSERT(n == 4 && memcmp(buf, "abcd", 4) == 0);
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, sizeof(buf), &n));
    CU_ASSERT(n == 2 && memcmp(buf, "ef", 2) == 0);
    ASSERT_RV(APR_EOF, strata_read(s, buf, sizeof(buf), &n));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_EOF, strata_read(s, buf, sizeof(buf), &n));
    ASSERT_RV(APR_SUCCESS, strata_seek(s, 1, APR_SET, NULL));
    ASSERT_RV(APR_SUCCESS, strata_read(s, buf, 1, &n));
    CU_ASSERT(n == 1 && buf[0] == 'b');
    ASSERT_RV(APR_SUCCESS, strata_close(s));
#ifndef _WIN32
    /* A folder opens for reading on POSIX; reading it is the OS's EISDIR. */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, ".", APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    n = 99;
    CU_ASSERT(strata_read(s, buf, sizeof(buf), &n) == APR_FROM_OS_ERROR(EISDIR));
    CU_ASSERT_EQUAL(n, 0);
    ASSERT_RV(APR_SUCCESS, strata_close(s));
#endif
    apr_file_remove(path, strata_test_pool);
}

static void file_atomic_temp_folder_is_named_on_error(void)
{
    strata_stream_t *s = NULL;
    apr_status_t rv;

    rv = strata_file_open(&s, "/nonexistent-dir-strata/sub/out.gz", RW_NEW,
                          APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                          strata_test_pool);
    CU_ASSERT(APR_STATUS_IS_ENOENT(rv));
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_STRING_EQUAL(strata_file_temp_dir("/nonexistent-dir-strata/sub/out.gz",
                                                strata_test_pool),
                           "/nonexistent-dir-strata/sub");
    CU_ASSERT_STRING_EQUAL(strata_file_temp_dir("/version", strata_test_pool), "/");
    CU_ASSERT_STRING_EQUAL(strata_file_temp_dir("bare", strata_test_pool), ".");
    CU_ASSERT_STRING_EQUAL(strata_file_temp_dir("a\\b", strata_test_pool), "a");
    CU_ASSERT_PTR_NULL(strata_file_temp_dir(NULL, strata_test_pool));
}

static void file_temp_path_needs_atomic_stream(void)
{
    const char *path = strata_test_tmpname("tp", strata_test_pool);
    const char *tmp;
    strata_stream_t *s;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&s, path, RW_NEW,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV(STRATA_ENOTSUP, strata_control(s, STRATA_CTL_FILE_TEMP_PATH, &tmp));
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    apr_file_remove(path, strata_test_pool);
}

static void file_named_temp_commits_on_close(void)
{
    with_named_temp(file_atomic_replace_commits_on_close);
}

static void file_named_temp_creates_missing_target(void)
{
    with_named_temp(file_atomic_replace_creates_missing_target);
}

static void file_named_temp_abort_leaves_nothing(void)
{
    with_named_temp(file_atomic_abort_keeps_old_content);
}

static void file_named_temp_forgotten_leaves_nothing(void)
{
    with_named_temp(file_atomic_forgotten_stream_is_discarded);
}

static void file_named_temp_failed_write_leaves_nothing(void)
{
    with_named_temp(file_atomic_failed_write_never_commits);
}

static void file_named_temp_killed_writer_leaves_one_temp(void)
{
    with_named_temp(file_atomic_survives_a_killed_writer);
}

static void file_named_temp_keeps_target_permissions(void)
{
    with_named_temp(file_atomic_keeps_target_permissions);
}

static void file_reads_through_fault_stream_lose_nothing(void)
{
    const char *path = strata_test_tmpname("fault", strata_test_pool);
    static char data[10000];
    strata_stream_t *f, *s;
    strata_fault_opts_t o = { 0 };
    char *back;
    apr_size_t len;

    strata_test_fill(data, sizeof(data), 7);
    strata_test_write_file(path, data, sizeof(data), strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&f, path, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    o.eintr_every = 3;
    o.eagain_every = 5;
    ASSERT_RV(APR_SUCCESS, strata_fault_create(&s, f, &o, STRATA_OWN_INNER,
                                               strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_test_read_all(s, 333, strata_test_pool, &back, &len));
    CU_ASSERT_EQUAL(len, sizeof(data));
    CU_ASSERT(memcmp(back, data, sizeof(data)) == 0);
    ASSERT_RV(APR_SUCCESS, strata_close(s));
    CU_ASSERT(strata_stream_is_closed(f));
    apr_file_remove(path, strata_test_pool);
}

static CU_TestInfo tests[] = {
    { "file_open_missing_is_enoent_and_out_untouched", file_open_missing_is_enoent_and_out_untouched },
    { "file_write_seek_read_round_trip", file_write_seek_read_round_trip },
    { "file_read_only_refuses_writes", file_read_only_refuses_writes },
    { "file_wrap_leaves_unowned_file_open", file_wrap_leaves_unowned_file_open },
    { "file_atomic_replace_commits_on_close", file_atomic_replace_commits_on_close },
    { "file_atomic_replace_creates_missing_target", file_atomic_replace_creates_missing_target },
    { "file_atomic_abort_keeps_old_content", file_atomic_abort_keeps_old_content },
    { "file_atomic_forgotten_stream_is_discarded", file_atomic_forgotten_stream_is_discarded },
    { "file_atomic_failed_write_never_commits", file_atomic_failed_write_never_commits },
    { "file_atomic_survives_a_killed_writer", file_atomic_survives_a_killed_writer },
    { "file_atomic_keeps_target_permissions", file_atomic_keeps_target_permissions },
    { "file_atomic_refuses_non_regular_targets", file_atomic_refuses_non_regular_targets },
    { "file_direct_reads_report_eof_and_errors", file_direct_reads_report_eof_and_errors },
    { "file_atomic_temp_folder_is_named_on_error", file_atomic_temp_folder_is_named_on_error },
    { "file_temp_path_needs_atomic_stream", file_temp_path_needs_atomic_stream },
    { "file_named_temp_commits_on_close", file_named_temp_commits_on_close },
    { "file_named_temp_creates_missing_target", file_named_temp_creates_missing_target },
    { "file_named_temp_abort_leaves_nothing", file_named_temp_abort_leaves_nothing },
    { "file_named_temp_forgotten_leaves_nothing", file_named_temp_forgotten_leaves_nothing },
    { "file_named_temp_failed_write_leaves_nothing", file_named_temp_failed_write_leaves_nothing },
    { "file_named_temp_killed_writer_leaves_one_temp", file_named_temp_killed_writer_leaves_one_temp },
    { "file_named_temp_keeps_target_permissions", file_named_temp_keeps_target_permissions },
    { "file_reads_through_fault_stream_lose_nothing", file_reads_through_fault_stream_lose_nothing },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("file", tests)
