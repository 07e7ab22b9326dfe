/*
 * os_misc.c (Windows) -- file reads, folder sync, consoles, SIGPIPE.
 */
#include "strata_private.h"
#include "strata_os.h"
#include <apr_portable.h>
#include <windows.h>

apr_status_t strata__os_read(apr_file_t *f, apr_os_file_t fd, void *buf,
                             apr_size_t len, apr_size_t *n)
{
    apr_status_t rv;

    (void)fd;                    /* APR's ReadFile path stays in charge */
    *n = len;
    rv = apr_file_read(f, buf, n);
    if (rv != APR_SUCCESS && *n > 0)
        rv = APR_SUCCESS;        /* the error will come again next call */
    if (rv != APR_SUCCESS)
        *n = 0;
    return rv;
}

apr_status_t strata__os_copy_owner(const char *path, const char *like)
{
    (void)path;
    (void)like;
    return APR_ENOTIMPL;                /* ACLs: not gzip's business */
}

apr_status_t strata__os_sync_dir(const char *dir, apr_pool_t *pool)
{
    /* MoveFileEx with MOVEFILE_WRITE_THROUGH (used by apr_file_rename's
     * replace) is as durable as NTFS gets; there is no folder fsync. */
    (void)dir; (void)pool;
    return APR_SUCCESS;
}

int strata__os_isatty(apr_file_t *f)
{
    apr_os_file_t h;
    DWORD mode;

    return apr_os_file_get(&h, f) == APR_SUCCESS && GetConsoleMode(h, &mode);
}

int strata__os_term_width(apr_file_t *f)
{
    apr_os_file_t h;
    CONSOLE_SCREEN_BUFFER_INFO info;

    if (apr_os_file_get(&h, f) == APR_SUCCESS
        && GetConsoleScreenBufferInfo(h, &info))
        return info.srWindow.Right - info.srWindow.Left + 1;
    return 80;
}

void strata__os_ignore_sigpipe(void)
{
    /* Windows has no SIGPIPE: writes to a closed pipe or socket fail. */
}

int strata__os_ncpu(void)
{
    SYSTEM_INFO si;

    GetSystemInfo(&si);
    return si.dwNumberOfProcessors > 0 ? (int)si.dwNumberOfProcessors : 1;
}
