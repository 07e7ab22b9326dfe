/*
 * os_tmpfile.c (POSIX) -- an unnamed temporary file for atomic replace.
 *
 * On Linux, open(dir, O_TMPFILE) makes a file with no name: if the process
 * dies before commit, the kernel frees it and nothing is left in the folder.
 * Commit gives it a name with linkat() (through /proc/self/fd, which needs
 * no privilege, or AT_EMPTY_PATH) and file.c renames that over the target.
 * Elsewhere, or where the file system refuses O_TMPFILE, STRATA_ENOTSUP
 * sends file.c to its named temporary file.
 *
 * STRATA_FILE_NO_TMPFILE=1 in the environment forces the named temporary
 * (tests use it to cover both paths on one machine).
 */
#include "strata_private.h"
#include "strata_os.h"
#include <apr_portable.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__) && defined(O_TMPFILE)

/* APR permission bits to a POSIX mode. */
static mode_t perm_to_mode(apr_fileperms_t perm)
{
    static const struct { apr_fileperms_t apr; mode_t mode; } bits[] = {
        { APR_FPROT_USETID, S_ISUID }, { APR_FPROT_GSETID, S_ISGID },
        { APR_FPROT_WSTICKY, S_ISVTX },
        { APR_FPROT_UREAD, S_IRUSR }, { APR_FPROT_UWRITE, S_IWUSR },
        { APR_FPROT_UEXECUTE, S_IXUSR }, { APR_FPROT_GREAD, S_IRGRP },
        { APR_FPROT_GWRITE, S_IWGRP }, { APR_FPROT_GEXECUTE, S_IXGRP },
        { APR_FPROT_WREAD, S_IROTH }, { APR_FPROT_WWRITE, S_IWOTH },
        { APR_FPROT_WEXECUTE, S_IXOTH },
    };
    mode_t mode = 0;
    size_t i;

    if (perm == APR_FPROT_OS_DEFAULT)
        return 0666;
    for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (perm & bits[i].apr)
            mode |= bits[i].mode;
    return mode;
}

static int tmpfile_disabled(void)
{
    const char *v = getenv("STRATA_FILE_NO_TMPFILE");

    return v != NULL && *v != '\0' && *v != '0';
}

/* The /proc path that names descriptor @fd. */
static void proc_fd_path(char *buf, size_t size, int fd)
{
    snprintf(buf, size, "/proc/self/fd/%d", fd);
}

apr_status_t strata__os_tmpfile_open(apr_file_t **f, const char *dir,
                                     const char *like, apr_int32_t aflags,
                                     apr_fileperms_t perm, apr_pool_t *pool)
{
    int fd, err;
    struct stat st;
    char proc[64];
    apr_os_file_t osf;
    apr_status_t rv;

    if (tmpfile_disabled())
        return STRATA_ENOTSUP;
    fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, perm_to_mode(perm));
    if (fd < 0) {
        err = errno;
        /* Kernels and file systems without O_TMPFILE answer these. */
        if (err == EOPNOTSUPP || err == EISDIR || err == EINVAL
            || err == ENOSYS)
            return STRATA_ENOTSUP;
        return APR_FROM_OS_ERROR(err);
    }
    /* Commit links through /proc/self/fd; without /proc, use a named file
     * rather than find out at commit time. */
    proc_fd_path(proc, sizeof(proc), fd);
    if (lstat(proc, &st) != 0) {
        close(fd);
        return STRATA_ENOTSUP;
    }
    /* Keep the permissions of the file being replaced (best effort). */
    if (like != NULL && stat(like, &st) == 0)
        (void)fchmod(fd, st.st_mode & 07777);
    osf = fd;
    rv = apr_os_file_put(f, &osf, (aflags & (APR_FOPEN_BUFFERED
                                             | APR_FOPEN_XTHREAD))
                                  | APR_FOPEN_WRITE | APR_FOPEN_BINARY, pool);
    if (rv != APR_SUCCESS)
        close(fd);
    return rv;
}

apr_status_t strata__os_tmpfile_link(apr_file_t *f, const char *path)
{
    apr_os_file_t fd;
    char proc[64];
    apr_status_t rv;

    if ((rv = apr_os_file_get(&fd, f)) != APR_SUCCESS)
        return rv;
    proc_fd_path(proc, sizeof(proc), fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0)
        return APR_SUCCESS;
    if (errno == EEXIST)
        return APR_EEXIST;
#ifdef AT_EMPTY_PATH
    /* Without /proc: needs CAP_DAC_READ_SEARCH, so it is the second try. */
    if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0)
        return APR_SUCCESS;
#endif
    return APR_FROM_OS_ERROR(errno);
}

#else /* no O_TMPFILE: always the named temporary file */

apr_status_t strata__os_tmpfile_open(apr_file_t **f, const char *dir,
                                     const char *like, apr_int32_t aflags,
                                     apr_fileperms_t perm, apr_pool_t *pool)
{
    (void)f; (void)dir; (void)like; (void)aflags; (void)perm; (void)pool;
    return STRATA_ENOTSUP;
}

apr_status_t strata__os_tmpfile_link(apr_file_t *f, const char *path)
{
    (void)f; (void)path;
    return STRATA_ENOTSUP;
}

#endif
