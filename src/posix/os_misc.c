/*
 * os_misc.c (POSIX) -- file reads, folder sync, terminals, SIGPIPE.
 */
#include "strata_private.h"
#include "strata_os.h"
#include <apr_portable.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

apr_status_t strata__os_read(apr_file_t *f, apr_os_file_t fd, void *buf,
                             apr_size_t len, apr_size_t *n)
{
    ssize_t r;

    (void)f;
    do {
        r = read(fd, buf, len);
    } while (r < 0 && errno == EINTR);
    if (r > 0) {
        *n = (apr_size_t)r;
        return APR_SUCCESS;
    }
    return r == 0 ? APR_EOF : APR_FROM_OS_ERROR(errno);
}

apr_status_t strata__os_copy_owner(const char *path, const char *like)
{
    struct stat st;
    apr_status_t rv = APR_SUCCESS;

    if (stat(like, &st) != 0)
        return APR_FROM_OS_ERROR(errno);
    if (chown(path, (uid_t)-1, st.st_gid) != 0)
        rv = APR_FROM_OS_ERROR(errno);
    if (chown(path, st.st_uid, (gid_t)-1) != 0 && rv == APR_SUCCESS)
        rv = APR_FROM_OS_ERROR(errno);
    return rv;
}

apr_status_t strata__os_sync_dir(const char *dir, apr_pool_t *pool)
{
    int fd, rc;

    (void)pool;
    fd = open(dir, O_RDONLY);
    if (fd < 0)
        return APR_FROM_OS_ERROR(errno);
    rc = fsync(fd);
    close(fd);
    /* Some file systems cannot sync a folder; the rename stands anyway. */
    if (rc != 0 && errno != EINVAL && errno != EBADF)
        return APR_FROM_OS_ERROR(errno);
    return APR_SUCCESS;
}

int strata__os_isatty(apr_file_t *f)
{
    apr_os_file_t fd;

    return apr_os_file_get(&fd, f) == APR_SUCCESS && isatty(fd);
}

int strata__os_term_width(apr_file_t *f)
{
    apr_os_file_t fd;
    struct winsize ws;

    if (apr_os_file_get(&fd, f) == APR_SUCCESS
        && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

void strata__os_ignore_sigpipe(void)
{
    signal(SIGPIPE, SIG_IGN);
}

int strata__os_ncpu(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n > 0 && n < 4096 ? (int)n : 1;
}
