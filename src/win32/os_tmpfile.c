/*
 * os_tmpfile.c (Windows) -- no unnamed temporary files here.
 *
 * Windows has no O_TMPFILE: STRATA_ENOTSUP tells file.c to use its named
 * temporary file, which it removes on abort, failure and pool cleanup.
 */
#include "strata_private.h"
#include "strata_os.h"

apr_status_t strata__os_tmpfile_open(apr_file_t **f, const char *dir,
                                     const char *like, apr_int32_t aflags,
                                     apr_fileperms_t perm, apr_pool_t *pool)
{
    (void)f; (void)dir; (void)like; (void)aflags; (void)perm; (void)pool;
    return STRATA_ENOTSUP;   /* not available: use the named temporary */
}

apr_status_t strata__os_tmpfile_link(apr_file_t *f, const char *path)
{
    (void)f; (void)path;
    return STRATA_ENOTSUP;
}
