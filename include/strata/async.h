/*
 * strata/async.h -- any stream made async, and files opened off the
 * calling thread.
 *
 * An async stream is a serial queue in front of a stream: each call below
 * queues one operation and returns at once with a future (strata/executor.h);
 * the operations run on the executor's workers one at a time, in the order
 * they were queued, never two at once on the same async stream.  So several
 * threads may queue reads of lines on one async stream and each gets whole,
 * distinct lines.  The stream underneath counts its meters as usual.
 *
 * On Linux, reads and writes of an unbuffered, undecorated file stream go
 * through io_uring when the build has liburing and the kernel allows it, and
 * through the pool otherwise (the portable path, also the fallback when
 * io_uring is refused at run time).  STRATA_ASYNC_NO_URING, or the
 * environment variable STRATA_NO_URING=1, forces the pool path.  On that
 * path a call on an idle stream starts its operation on the calling thread
 * without blocking (a read or write goes to the ring; a seek or tell is
 * arithmetic and completes at once, so its callback may run inside the
 * call).
 *
 * Futures.  Every call returns APR_SUCCESS once it has queued its operation
 * (*out, if @a out is not NULL, is the future, one reference for the caller)
 * and an error only when it queued nothing: APR_EINVAL for bad arguments,
 * APR_ENOMEM.  Everything else comes through the future's status: the
 * stream's own answer (APR_EOF, STRATA_EBADDATA, ...), STRATA_ECLOSED for an
 * operation queued after strata_async_close() (a second close completes
 * with APR_SUCCESS), STRATA_ECANCELED when the future was cancelled before
 * the operation started or the executor was destroyed with
 * STRATA_EXECUTOR_CANCEL, and, after a failed strata_async_open(), the open's
 * error.  The future's result pointer is the async stream.
 *
 * Out-parameters and buffers belong to the caller and must stay valid until
 * the future completes.  The operation writes them on the worker before its
 * future completes (never at the call); an operation that never ran
 * (cancelled, queued after a close or a failed open) leaves them as they
 * were.  Two operations in flight must not share an out-parameter.
 *
 * Lifetime.  The async stream lives in @a pool.  Close it (and let the close
 * complete) before the pool goes; if the pool goes first, its cleanup waits
 * for the operations already queued and closes the stream (so never destroy
 * that pool from a callback of the stream's own futures).  The executor
 * must outlive its async streams.
 */
#ifndef STRATA_ASYNC_H
#define STRATA_ASYNC_H

#include "strata/stream.h"
#include "strata/executor.h"
#include "strata/compress.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct strata_async_t strata_async_t;

/** Flag: never use io_uring for this stream (the pool path only). */
#define STRATA_ASYNC_NO_URING 0x0400u

/**
 * Make @a inner async on @a ex.  @a flags: STRATA_OWN_INNER (the async close
 * closes @a inner; without it the close only flushes it),
 * STRATA_ASYNC_NO_URING.  From now on @a inner must only be used through
 * the async stream (its meters may be read any time).
 * @return APR_SUCCESS; APR_EINVAL for NULL arguments; APR_ENOMEM.
 */
STRATA_API apr_status_t strata_async_create(strata_async_t **out,
                                            strata_stream_t *inner,
                                            strata_executor_t *ex,
                                            unsigned flags, apr_pool_t *pool);

/** strata_async_open() options; start from strata_async_open_opts_init(). */
typedef struct strata_async_open_opts_t {
    /** STRATA_CODEC_NONE (the default): plain file.  A codec: compress on
     *  writing, decompress on reading.  STRATA_CODEC_AUTO: reading detects
     *  by magic bytes; writing picks by the name's extension (.gz, .zz,
     *  .deflate, .bz2, .xz, .zst), plain if none matches. */
    strata_codec_t codec;
    /** Compression level (STRATA_LEVEL_DEFAULT). */
    int level;
    /** Permissions of a created file (APR_FPROT_OS_DEFAULT). */
    apr_fileperms_t perm;
    /** STRATA_ASYNC_NO_URING or 0. */
    unsigned flags;
} strata_async_open_opts_t;

/** Fill @a o with the defaults. */
STRATA_API void strata_async_open_opts_init(strata_async_open_opts_t *o);

/**
 * Open @a path off the calling thread.  @a mode as fopen(): "r" read, "w"
 * write (create, truncate), "a" append (create), "x" write a new file
 * (fails with APR_EEXIST if it exists); "+" adds the other direction to any
 * of them; a "b" is accepted and ignored.  A codec reads or writes, not
 * both: "+" with a codec other than NONE is APR_EINVAL, and "a" with a codec
 * appends a new member/stream (every codec here decodes concatenations).
 * *out is usable at once: operations queued on it run after the open.
 * The future completes when the file is open (or failed to open: e.g.
 * APR_ENOENT, APR_EEXIST, STRATA_EBADDATA for data that is no codec's).
 * @a path is copied.  @a opts may be NULL.
 * @return APR_SUCCESS; APR_EINVAL for NULL arguments or a bad mode.
 */
STRATA_API apr_status_t strata_async_open(strata_async_t **out,
                                          const char *path, const char *mode,
                                          const strata_async_open_opts_t *opts,
                                          strata_executor_t *ex,
                                          apr_pool_t *pool,
                                          strata_future_t **future);

/** Queue strata_read(): up to @a len bytes into @a buf, count in *nread.
 *  The future's status is strata_read()'s (APR_EOF at the end). */
STRATA_API apr_status_t strata_async_read(strata_async_t *a, void *buf,
                                          apr_size_t len, apr_size_t *nread,
                                          strata_future_t **out);

/** Queue strata_write_all(): all @a len bytes of @a buf; *nwritten (may be
 *  NULL) is how many went, also on error. */
STRATA_API apr_status_t strata_async_write(strata_async_t *a, const void *buf,
                                           apr_size_t len,
                                           apr_size_t *nwritten,
                                           strata_future_t **out);

/**
 * Queue the reading of one line, copied to @a buf (at most @a max bytes,
 * the '\n' included; not NUL-terminated), its length in *len.  The stream
 * gets a read buffer for this on first use (unless it is a buffered stream
 * already), and later operations go through that buffer.  Status as
 * strata_read_line(): APR_SUCCESS (a last line without '\n' too), APR_EOF,
 * STRATA_ELIMIT_RECORD for a longer line (nothing consumed).
 */
STRATA_API apr_status_t strata_async_read_line(strata_async_t *a, char *buf,
                                               apr_size_t max,
                                               apr_size_t *len,
                                               strata_future_t **out);

/** Queue strata_flush() with @a mode (STRATA_FLUSH_*). */
STRATA_API apr_status_t strata_async_flush(strata_async_t *a, int mode,
                                           strata_future_t **out);

/** Queue strata_seek(); *newpos (may be NULL) is the new position. */
STRATA_API apr_status_t strata_async_seek(strata_async_t *a, apr_off_t offset,
                                          int where, apr_off_t *newpos,
                                          strata_future_t **out);

/** Queue strata_tell(). */
STRATA_API apr_status_t strata_async_tell(strata_async_t *a, apr_off_t *pos,
                                          strata_future_t **out);

/**
 * Queue the close: after the operations before it, flush and close the
 * stream underneath (with STRATA_OWN_INNER or after strata_async_open()),
 * or flush it (without).  Operations queued later complete with
 * STRATA_ECLOSED; closing again completes with APR_SUCCESS.
 */
STRATA_API apr_status_t strata_async_close(strata_async_t *a,
                                           strata_future_t **out);

/** The stream underneath (the top of the stack after strata_async_open(),
 *  NULL until the open has completed): read its meters; do not do I/O on
 *  it while the async stream is open. */
STRATA_API strata_stream_t *strata_async_stream(strata_async_t *a);

/** Non-zero if this stream's plain file reads and writes go through
 *  io_uring (known once the open or the first operation has completed). */
STRATA_API int strata_async_uses_uring(strata_async_t *a);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_ASYNC_H */
