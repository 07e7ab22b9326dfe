/*
 * strata_os.h -- the small set of things that differ by platform.
 * Implemented once in src/posix and once in src/win32; the build picks one.
 * Portable code includes this header, never an OS header.
 */
#ifndef STRATA_OS_H
#define STRATA_OS_H

#include <apr_file_io.h>

/*
 * Let the kernel move up to @len bytes from @from to @to at their current
 * positions (copy_file_range, sendfile or splice on Linux).  *n is what
 * moved (0 at end of input, with APR_SUCCESS).  STRATA_ENOTSUP, with nothing
 * moved, when the OS cannot join these two files: the caller falls back to
 * a read/write loop.
 */
apr_status_t strata__os_copy_chunk(apr_file_t *from, apr_file_t *to,
                                   apr_size_t len, apr_size_t *n);

/* Make a rename in folder @dir durable (fsync of the folder on POSIX;
 * nothing to do on Windows).  Best effort: errors are returned but the
 * rename itself has already happened. */
apr_status_t strata__os_sync_dir(const char *dir, apr_pool_t *pool);

/* Non-zero if @f is a terminal (console). */
int strata__os_isatty(apr_file_t *f);

/* Width of the terminal behind @f in columns, or 80 if unknown. */
int strata__os_term_width(apr_file_t *f);

/* Writes to a closed socket or pipe return an error instead of killing the
 * process (SIGPIPE ignored on POSIX; nothing to do on Windows). */
void strata__os_ignore_sigpipe(void);

/* Number of processors online (at least 1). */
int strata__os_ncpu(void);

#endif /* STRATA_OS_H */
