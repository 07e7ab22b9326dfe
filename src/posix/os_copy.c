/*
 * os_copy.c (POSIX) -- kernel-side copies between two file descriptors:
 * copy_file_range, then sendfile, then splice (Linux); elsewhere the caller
 * falls back to its read/write loop.
 */
#include "strata_private.h"
#include "strata_os.h"
#include <apr_portable.h>
#include <errno.h>
#include <unistd.h>
#ifdef __linux__
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#endif

#ifdef __linux__
/* Errors meaning "this kind of copy does not work for these fds". */
static int os_copy_unsupported(int e)
{
    return e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP
        || e == EBADF || e == ESPIPE || e == ETXTBSY || e == EPERM;
}

static ssize_t os_try(int method, int in, int out, size_t len)
{
    switch (method) {
    case 0:  return copy_file_range(in, NULL, out, NULL, len, 0);
    case 1:  return sendfile(out, in, NULL, len);
    default: return splice(in, NULL, out, NULL, len, SPLICE_F_MOVE);
    }
}
#endif

apr_status_t strata__os_copy_chunk(apr_file_t *from, apr_file_t *to,
                                   apr_size_t len, apr_size_t *n)
{
#ifdef __linux__
    apr_os_file_t in, out;
    ssize_t r;
    int method;

    *n = 0;
    if (apr_os_file_get(&in, from) != APR_SUCCESS
        || apr_os_file_get(&out, to) != APR_SUCCESS)
        return STRATA_ENOTSUP;
    for (method = 0; method < 3; method++) {
        do {
            r = os_try(method, in, out, len);
        } while (r < 0 && errno == EINTR);
        if (r >= 0) {
            *n = (apr_size_t)r;
            return APR_SUCCESS;
        }
        if (!os_copy_unsupported(errno))
            return APR_FROM_OS_ERROR(errno);
    }
    return STRATA_ENOTSUP;
#else
    (void)from; (void)to; (void)len;
    *n = 0;
    return STRATA_ENOTSUP;
#endif
}

/* apr_socket_sendfile (sendfile(2) on Linux, the BSDs and macOS) from the
 * file's position, which then moves past what was sent (sendfile itself
 * leaves it). */
apr_status_t strata__os_sendfile_chunk(apr_file_t *from, apr_socket_t *to,
                                       apr_size_t len, apr_size_t *n)
{
#if APR_HAS_SENDFILE
    apr_off_t pos = 0, at;
    apr_size_t sent = len;
    apr_status_t rv, srv;

    *n = 0;
    if (apr_file_seek(from, APR_CUR, &pos) != APR_SUCCESS)
        return STRATA_ENOTSUP;
    at = pos;
    rv = apr_socket_sendfile(to, from, NULL, &at, &sent, 0);
    if (sent > 0) {
        pos += (apr_off_t)sent;
        if ((srv = apr_file_seek(from, APR_SET, &pos)) != APR_SUCCESS
            && rv == APR_SUCCESS)
            rv = srv;
    }
    *n = sent;
    if (rv == APR_EOF)                  /* nothing left: the end, as 0 */
        return APR_SUCCESS;
    if (sent == 0 && (rv == APR_ENOTIMPL || APR_STATUS_IS_EINVAL(rv)))
        return STRATA_ENOTSUP;
    return rv;
#else
    (void)from; (void)to; (void)len;
    *n = 0;
    return STRATA_ENOTSUP;
#endif
}
