/*
 * strata/file.h -- streams over apr_file_t.
 *
 * The file stream reads, writes and seeks an apr_file_t.  STRATA_FLUSH_DURABLE
 * flushes and then syncs the file to storage (fsync).
 *
 * Atomic replace (STRATA_FILE_ATOMIC): the stream writes to a new temporary
 * file in the target's folder; a successful explicit strata_close() flushes,
 * syncs and renames it over the target (and syncs the folder on POSIX).  The
 * target is never seen half-written: strata_abort() (or strata_file_abort())
 * on any layer above it, a failed write or flush of the file or of any
 * layer stacked on it (see strata_stream_failed()), a failed close, the pool going away without strata_close(), or the
 * process dying all leave the old target (or no target) in place and the
 * temporary file removed.
 *
 * The temporary file: on Linux it is created unnamed (O_TMPFILE), so nothing
 * is visible in the folder before commit, even if the process is killed
 * (kill -9 included); commit names it ".NAME.<12 hex digits>.tmp" for the
 * instant before the rename.  Where the OS or file system cannot (other
 * systems, or a Linux file system that refuses O_TMPFILE) the temporary is
 * created with that name from the start, and a process that dies before
 * close leaves it behind: a program that wants to remove it on a signal can
 * learn its name with STRATA_CTL_FILE_TEMP_PATH.  NAME is the target's last
 * path component.
 */
#ifndef STRATA_FILE_H
#define STRATA_FILE_H

#include "strata/stream.h"
#include <apr_file_io.h>

#ifdef __cplusplus
extern "C" {
#endif

/** strata_file_open() flag: replace the target atomically on close. */
#define STRATA_FILE_ATOMIC 0x0100u
/** strata_file_wrap() flag: the stream closes the apr_file_t. */
#define STRATA_FILE_OWN    0x0200u

/* strata_control() operations answered by file streams. */
/** arg: apr_file_t ** -- the underlying file. */
#define STRATA_CTL_FILE_GET 0x0101
/** arg: apr_off_t * -- the file's size (from apr_file_info_get). */
#define STRATA_CTL_FILE_SIZE 0x0102
/**
 * arg: const char ** -- atomic replace only: the temporary file's path, or
 * NULL while it has no name (unnamed O_TMPFILE, nothing to clean up).  The
 * string lives as long as the stream's pool.  STRATA_ENOTSUP on a stream
 * opened without STRATA_FILE_ATOMIC.
 */
#define STRATA_CTL_FILE_TEMP_PATH 0x0103

/**
 * Open @a path with APR flags @a aflags (APR_FOPEN_READ, _WRITE, _CREATE,
 * _TRUNCATE, _APPEND, _EXCL, _BUFFERED, ...; APR_FOPEN_BINARY is always
 * added) and permissions @a perm (APR_FPROT_OS_DEFAULT for the usual).
 * @a sflags may hold STRATA_FILE_ATOMIC, which needs APR_FOPEN_WRITE and
 * excludes APR_FOPEN_READ and APR_FOPEN_APPEND (APR_EINVAL otherwise), and
 * gives STRATA_ENOTSUP when @a path exists and is not a regular file (a
 * device, FIFO, folder or symlink would itself be replaced by the rename).
 * Returns APR's error (e.g. APR_ENOENT) when the open fails; *out is then
 * untouched.  With STRATA_FILE_ATOMIC the target itself is not opened: an
 * OS error (APR_ENOENT, APR_EACCES, ...) is about creating the temporary
 * file in the folder strata_file_temp_dir(path) returns, and a message
 * should name that folder, not @a path.
 */
STRATA_API apr_status_t strata_file_open(strata_stream_t **out,
                                         const char *path, apr_int32_t aflags,
                                         apr_fileperms_t perm, unsigned sflags,
                                         apr_pool_t *pool);

/**
 * Wrap an open apr_file_t.  The stream's capabilities follow the file's
 * open flags (a file from apr_file_open_stdin reads, stdout writes; seek is
 * offered but fails with the OS error on pipes).  With STRATA_FILE_OWN the
 * stream closes @a f; otherwise the caller still owns it.
 */
STRATA_API apr_status_t strata_file_wrap(strata_stream_t **out,
                                         apr_file_t *f, unsigned sflags,
                                         apr_pool_t *pool);

/**
 * strata_abort() under its older name: on any layer of a stack, discard
 * everything written, close the stack (an atomic-replace file at its base
 * removes the temporary file and leaves the target as it was).  After
 * close: STRATA_ECLOSED; APR_EINVAL for NULL.
 */
STRATA_API apr_status_t strata_file_abort(strata_stream_t *s);

/**
 * The folder in which STRATA_FILE_ATOMIC creates the temporary file for
 * @a path: everything before its last separator ('/', or '\\' too), "/" for
 * a file at the root, "." for a bare name.  Allocated in @a pool; NULL when
 * an argument is NULL.
 */
STRATA_API const char *strata_file_temp_dir(const char *path,
                                            apr_pool_t *pool);

/** The underlying apr_file_t, or NULL if @a s is not a file stream. */
STRATA_API apr_file_t *strata_file_get(strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_FILE_H */
