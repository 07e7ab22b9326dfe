/*
 * strata/stream.h -- the stream handle and the calls every stream answers.
 *
 * A strata_stream_t is a file, a socket, a memory buffer, one end of a pipe,
 * or a decorator (buffering, compression, ...) wrapping another stream.  All
 * public calls go through one dispatcher that checks the arguments and the
 * stream's state, calls the type's method, checks what it returned and
 * updates the stream's meters (see strata/meter.h).
 *
 * Conventions for every call in this header:
 *  - Sizes are apr_size_t, offsets apr_off_t, counters apr_uint64_t.
 *  - Count out-parameters (nread, nwritten, ...) are always set, to 0 on
 *    failure before anything moved.
 *  - Reads may be short.  APR_EOF comes with 0 bytes, never with data.
 *  - A call on a closed stream returns STRATA_ECLOSED; an operation the type
 *    lacks returns STRATA_ENOTSUP; a NULL stream or a NULL out-parameter
 *    returns APR_EINVAL.
 *  - A stream is used from one thread at a time, except that its read side
 *    and its write side may be driven from two different threads where the
 *    type says so (sockets, pipe ends).  Meters are safe from any thread.
 */
#ifndef STRATA_STREAM_H
#define STRATA_STREAM_H

#include "strata/base.h"
#include <apr_file_io.h>   /* APR_SET, APR_CUR, APR_END */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct strata_stream_t strata_stream_t;
typedef struct strata_stream_type_t strata_stream_type_t;
typedef struct strata_meter_t strata_meter_t;

/** How many shared meters one stream can feed (strata/meter.h). */
#define STRATA_STREAM_MAX_METERS 4

/* Construction flags shared by every decorator. */
/** The decorator closes its inner stream when it is closed. */
#define STRATA_OWN_INNER 0x0001u

/* Capabilities: what a stream instance can do. */
#define STRATA_CAP_READ  0x0001u
#define STRATA_CAP_WRITE 0x0002u
#define STRATA_CAP_SEEK  0x0004u

/* Flush modes for strata_flush(). */
/** Push buffered bytes down to the inner stream / the OS. */
#define STRATA_FLUSH_BUFFERS 0
/** As BUFFERS, and make everything written so far decodable on the other
 *  side (codec sync flush).  Types without such a notion treat it as BUFFERS. */
#define STRATA_FLUSH_SYNC    1
/** As SYNC, and make it durable on storage (fsync). */
#define STRATA_FLUSH_DURABLE 2

/**
 * Read up to @a len bytes into @a buf.
 * @return APR_SUCCESS with *nread > 0 (or 0 when len was 0);
 *         APR_EOF with *nread == 0 at the end of input;
 *         another status with *nread == 0 on error (APR_EINTR and APR_EAGAIN
 *         mean "nothing moved, call again"); STRATA_EQUOTA when a shared
 *         meter's quota is spent.  A call that reaches the type's method
 *         counts as one read op even when it moves 0 bytes.
 */
STRATA_API apr_status_t strata_read(strata_stream_t *s, void *buf,
                                    apr_size_t len, apr_size_t *nread);

/**
 * Write up to @a len bytes from @a buf.  May be short.  *nwritten bytes were
 * accepted; an error may come with a partial count (those bytes were
 * written).  Writing after strata_shutdown_write() gives STRATA_ECLOSED.
 */
STRATA_API apr_status_t strata_write(strata_stream_t *s, const void *buf,
                                     apr_size_t len, apr_size_t *nwritten);

/**
 * Read exactly @a len bytes, calling strata_read() as often as needed and
 * retrying APR_EINTR.  Returns APR_SUCCESS with *nread == len; APR_EOF if the
 * input ended before the first byte; STRATA_ETRUNCATED if it ended after some
 * bytes (*nread tells how many, they are in buf); any other error with the
 * partial count in *nread (APR_EAGAIN included: call again for the rest).
 * @a nread may be NULL when the caller does not need the partial count.
 */
STRATA_API apr_status_t strata_read_exact(strata_stream_t *s, void *buf,
                                          apr_size_t len, apr_size_t *nread);

/**
 * Write all @a len bytes, retrying short writes and APR_EINTR.  On error
 * *nwritten (may be NULL) tells how many bytes went out before it.
 */
STRATA_API apr_status_t strata_write_all(strata_stream_t *s, const void *buf,
                                         apr_size_t len, apr_size_t *nwritten);

/**
 * Flush with @a mode (STRATA_FLUSH_BUFFERS, _SYNC or _DURABLE).  Decorators
 * flush their own state and then their inner stream with the same mode.
 * A stream that buffers nothing returns APR_SUCCESS.
 */
STRATA_API apr_status_t strata_flush(strata_stream_t *s, int mode);

/**
 * Move the position: @a where is APR_SET, APR_CUR or APR_END.  On success
 * *newpos (may be NULL) is the new absolute position.  STRATA_ENOTSUP on
 * streams that cannot seek; APR_EINVAL for a negative resulting position.
 */
STRATA_API apr_status_t strata_seek(strata_stream_t *s, apr_off_t offset,
                                    int where, apr_off_t *newpos);

/** The current position (strata_seek(s, 0, APR_CUR, pos)). */
STRATA_API apr_status_t strata_tell(strata_stream_t *s, apr_off_t *pos);

/**
 * Finish the write side: a compressor writes its trailer, a socket sends
 * FIN, a pipe writer marks the end.  Later writes give STRATA_ECLOSED; reads
 * still work.  Calling it twice is harmless.  A type without a notion of
 * half-close flushes its buffers.
 */
STRATA_API apr_status_t strata_shutdown_write(strata_stream_t *s);

/**
 * Close the stream: finish the write side if it is still open (trailers,
 * buffered bytes), release its resources and, with STRATA_OWN_INNER, close
 * the inner stream.  Returns the first error met; the stream is closed in
 * any case.  If the stack is failed (see strata_stream_failed()) the write
 * side is not finished, nothing is published, and the failure status is
 * returned.  Closing again returns APR_SUCCESS and does nothing.  A stream
 * that is never closed is closed when its pool is cleared or destroyed.
 * The handle's memory belongs to its pool and stays valid until then.
 */
STRATA_API apr_status_t strata_close(strata_stream_t *s);

/**
 * Abandon @a s and what was written through it.  Marks @a s and every
 * stream under it failed (strata_stream_failed() gives STRATA_EABORTED
 * unless an earlier error marked it), then closes @a s without finishing
 * its write side: buffered bytes are dropped and no trailer is written.
 * With STRATA_OWN_INNER the inner stream is aborted the same way, down to
 * the base: an atomic-replace file removes its temporary file and leaves
 * the target as it was; a pipe writer stream closes its end with
 * STRATA_EABORTED, which the reader gets after the data.  A borrowed
 * (not owned) inner stream stays open but is marked failed, so its own
 * strata_close() discards too (and returns STRATA_EABORTED).
 * Works on any layer and any stream type; a read-only stream is just
 * closed.  Returns APR_SUCCESS, or the first error met while releasing
 * resources; STRATA_ECLOSED if @a s is already closed; APR_EINVAL for NULL.
 */
STRATA_API apr_status_t strata_abort(strata_stream_t *s);

/**
 * Why @a s is failed, or APR_SUCCESS if it is not.  A write-side call
 * (strata_write, strata_flush, strata_shutdown_write) that fails with a
 * lasting error marks the stream it was made on and every stream under it
 * failed with that status (the first one stays).  APR_EINTR, APR_EAGAIN and
 * APR_TIMEUP from write and flush ("nothing lost, call again") do not mark;
 * nor do calls refused for bad arguments, a closed or shut stream or a
 * missing method.  A spent quota (STRATA_EQUOTA) does.  Closing a stream
 * whose stack (itself or any stream under it) is failed does not finish
 * the write side (no flush, no trailer), makes an atomic-replace file
 * discard its temporary file, and returns the failure status (unless the
 * close came from strata_abort()).  Reads never mark a stream failed.
 */
STRATA_API apr_status_t strata_stream_failed(const strata_stream_t *s);

/** Generic control call; @a op is type-specific.  STRATA_ENOTSUP if unknown. */
STRATA_API apr_status_t strata_control(strata_stream_t *s, int op, void *arg);

/** The stream this one decorates, or NULL for a base stream. */
STRATA_API strata_stream_t *strata_stream_inner(const strata_stream_t *s);

/** The type's name ("file", "memory", "gzip", ...); never NULL for a valid s. */
STRATA_API const char *strata_stream_name(const strata_stream_t *s);

/** The instance's capabilities (STRATA_CAP_*). */
STRATA_API unsigned strata_stream_caps(const strata_stream_t *s);

/** Non-zero once strata_close() has run. */
STRATA_API int strata_stream_is_closed(const strata_stream_t *s);

/** The pool the stream was created in. */
STRATA_API apr_pool_t *strata_stream_pool(const strata_stream_t *s);

/* ---- copying ------------------------------------------------------------ */

/** Called by strata_copy() after each chunk with the running total. */
typedef void (strata_copy_progress_fn)(void *baton, apr_uint64_t copied);

typedef struct strata_copy_opts_t {
    apr_uint64_t max;          /**< copy at most this many bytes; 0 = to EOF */
    apr_size_t bufsize;        /**< chunk size of the plain loop; 0 = 64 KiB */
    strata_copy_progress_fn *progress;  /**< may be NULL */
    void *baton;
    int no_fastpath;           /**< non-zero: always use the plain loop */
} strata_copy_opts_t;

/**
 * Copy from @a from to @a to until EOF (or opts->max bytes).  Where both are
 * base streams the OS can join (two files: copy_file_range; a file to a
 * socket or pipe: sendfile; a pipe: splice) the kernel moves the bytes;
 * otherwise a read/write_all loop does.  Either way both streams' meters
 * count exactly what moved.  @a opts may be NULL.  *copied (may be NULL) is
 * the number of bytes written to @a to, also on error.  Reaching EOF is
 * APR_SUCCESS.  Does not flush or close either stream.  If either side
 * fails part way with a lasting error (anything but APR_EINTR, APR_EAGAIN
 * and APR_TIMEUP), @a to is marked failed (strata_stream_failed()): what
 * reached it is cut short, so closing it will not publish it (an atomic
 * file discards, a pipe writer stream passes the error to its reader).
 */
STRATA_API apr_status_t strata_copy(strata_stream_t *from, strata_stream_t *to,
                                    const strata_copy_opts_t *opts,
                                    apr_uint64_t *copied);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_STREAM_H */
