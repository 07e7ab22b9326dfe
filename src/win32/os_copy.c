/*
 * os_copy.c (Windows) -- no kernel file-to-file join is used: the caller's
 * read/write loop is as fast as CopyFileEx for streams at their positions.
 */
#include "strata_private.h"
#include "strata_os.h"

apr_status_t strata__os_copy_chunk(apr_file_t *from, apr_file_t *to,
                                   apr_size_t len, apr_size_t *n)
{
    (void)from; (void)to; (void)len;
    *n = 0;
    return STRATA_ENOTSUP;
}

/* TransmitFile would do, but wine's hangs: the caller's loop copies. */
apr_status_t strata__os_sendfile_chunk(apr_file_t *from, apr_socket_t *to,
                                       apr_size_t len, apr_size_t *n)
{
    (void)from; (void)to; (void)len;
    *n = 0;
    return STRATA_ENOTSUP;
}
