/*
 * strata_os.h -- the small set of things that differ by platform.
 * Implemented once in src/posix and once in src/win32; the build picks one.
 * Portable code includes this header, never an OS header.
 */
#ifndef STRATA_OS_H
#define STRATA_OS_H

#include <apr_file_io.h>
#include <apr_portable.h>

/*
 * Let the kernel move up to @len bytes from @from to @to at their current
 * positions (copy_file_range, sendfile or splice on Linux).  *n is what
 * moved (0 at end of input, with APR_SUCCESS).  STRATA_ENOTSUP, with nothing
 * moved, when the OS cannot join these two files: the caller falls back to
 * a read/write loop.
 */
apr_status_t strata__os_copy_chunk(apr_file_t *from, apr_file_t *to,
                                   apr_size_t len, apr_size_t *n);

/* Send up to @len bytes of @from, from its position, to the blocking socket
 * @to, and move the file's position past what was sent (*n).  APR_SUCCESS
 * with *n == 0 at the end of the file; STRATA_ENOTSUP, nothing sent, where
 * the OS cannot (the caller's loop then copies). */
apr_status_t strata__os_sendfile_chunk(apr_file_t *from, apr_socket_t *to,
                                       apr_size_t len, apr_size_t *n);

/*
 * Read up to @len (> 0) bytes from the unbuffered file @f, whose OS handle
 * is @fd, at its current position: *n is what was read (never more than
 * @len, and > 0 with APR_SUCCESS); APR_EOF with *n == 0 at the end; other
 * errors as the OS gives them, with *n == 0.  Called as file.c's last act
 * (a tail call), so that as few stack frames as possible are live across
 * the system call: on CPUs whose kernels refill the return predictor on
 * every kernel exit, each frame costs a mispredicted return per read.
 * POSIX: read(2) on @fd (EINTR retried).  Windows: apr_file_read on @f.
 */
apr_status_t strata__os_read(apr_file_t *f, apr_os_file_t fd, void *buf,
                             apr_size_t len, apr_size_t *n);

/* Make a rename in folder @dir durable (fsync of the folder on POSIX;
 * nothing to do on Windows).  Best effort: errors are returned but the
 * rename itself has already happened. */
apr_status_t strata__os_sync_dir(const char *dir, apr_pool_t *pool);

/* Give the file @path the group, then the owner, of the file @like, each
 * as far as allowed (as gzip keeps them when root; others keep at least a
 * group they belong to).  APR_SUCCESS if both took; else the first error
 * (callers may ignore it).  APR_ENOTIMPL on Windows. */
apr_status_t strata__os_copy_owner(const char *path, const char *like);

/* Non-zero if @f is a terminal (console). */
int strata__os_isatty(apr_file_t *f);

/* Width of the terminal behind @f in columns, or 80 if unknown. */
int strata__os_term_width(apr_file_t *f);

/* Writes to a closed socket or pipe return an error instead of killing the
 * process (SIGPIPE ignored on POSIX; nothing to do on Windows). */
void strata__os_ignore_sigpipe(void);

/*
 * Atomic replace without a visible temporary (O_TMPFILE on Linux).
 *
 * strata__os_tmpfile_open creates an unnamed file in folder @dir, open for
 * writing with APR flags @aflags (APR_FOPEN_BUFFERED and _XTHREAD are
 * honoured), with permissions @perm -- or those of @like, when @like names
 * an existing file.  Nothing appears in @dir until strata__os_tmpfile_link.
 * STRATA_ENOTSUP when the OS or the file system cannot (the caller then uses
 * a named temporary file); any other error is the OS's about @dir.
 *
 * strata__os_tmpfile_link gives that unnamed file the name @path, which must
 * not exist (APR_EEXIST if it does: pick another name).
 */
apr_status_t strata__os_tmpfile_open(apr_file_t **f, const char *dir,
                                     const char *like, apr_int32_t aflags,
                                     apr_fileperms_t perm, apr_pool_t *pool);
apr_status_t strata__os_tmpfile_link(apr_file_t *f, const char *path);
/* Before starting threads: load what a thread needs to exit, so that an
 * exit under memory pressure cannot abort the process (glibc loads
 * libgcc_s on a thread's first exit; when that load fails it aborts).
 * Once per process, thread-safe; nothing to do on Windows. */
void strata__os_thread_prepare(void);

/* Number of processors online (at least 1). */
int strata__os_ncpu(void);

#endif /* STRATA_OS_H */
