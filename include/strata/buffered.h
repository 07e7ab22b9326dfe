/*
 * strata/buffered.h -- the buffered stream: a decorator over any stream that
 * buffers reads and writes and reads delimited records without copying.
 *
 * The buffered stream is itself a stream: strata_read(), strata_write(),
 * strata_write_all(), strata_flush(), strata_seek() and strata_close() work
 * on it as on any stream.  On top of that it answers strata_read_until(),
 * strata_read_line() and strata_peek(), which hand out a view into its read
 * buffer instead of copying.
 *
 * Buffers.  The read side and the write side have separate buffers and
 * separate state: reading never flushes pending writes and writing never
 * drops buffered input, so one buffered stream over a socket serves a
 * request/response protocol, and its read side and its write side may be
 * driven from two different threads when the inner stream allows that.
 * The read buffer starts at its configured size and grows only as far as a
 * call's @a max (read_until, read_line) or @a n (peek) requires; once the
 * bytes that made it grow are consumed, the next read-side call shrinks it
 * back to the configured size, so one long line does not pin a large buffer.
 * A write of at least the write buffer's size, arriving when the buffer is
 * empty, goes straight to the inner stream.
 *
 * Meters.  The dispatcher counts the buffered stream's strata_read() and
 * strata_write() calls as usual: bytes handed to or taken from the caller.
 * strata_read_until(), strata_read_line() and strata_peek() count on the
 * buffered stream's read meters too: each call that passes the argument and
 * state checks is one read op, and its bytes are the bytes it consumed (the
 * returned length for read_until and read_line, including a truncated last
 * record; 0 for peek and for every call that fails).  They are subject to
 * shared-meter quotas like strata_read().  The inner stream counts its own
 * reads and writes, i.e. the refills and flushes.
 *
 * Errors from the inner stream.  APR_EINTR is retried inside the read-side
 * calls below.  Any other error (APR_EAGAIN included) is returned with
 * nothing consumed: bytes already buffered stay buffered, so calling again
 * after APR_EAGAIN continues where the call left off.
 *
 * Lasting errors.  An inner read error about the data itself --
 * STRATA_EBADDATA, STRATA_ETRUNCATED (a decompressing reader's corrupt or
 * truncated input), any STRATA_STATUS_IS_LIMIT() code, STRATA_EBADSTREAM --
 * is sticky:
 * the buffered stream remembers it and, once the bytes buffered before it
 * are used up, every read-side call (strata_read, read_until, read_line,
 * peek, strata_read_exact) returns it again, without calling the inner
 * stream -- never "success with 0 bytes", never a clean end.  A record cut
 * short by such an error is handed out with STRATA_ETRUNCATED (see
 * strata_read_until); the error follows on the next call.  A successful
 * strata_seek() clears it.  Other inner errors (I/O errors, APR_TIMEUP,
 * STRATA_EQUOTA) are passed up as they happen and the inner stream is
 * asked again on the next call.
 */
#ifndef STRATA_BUFFERED_H
#define STRATA_BUFFERED_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Buffer size used when 0 is given to strata_buffered_create(). */
#define STRATA_BUFFERED_DEFAULT_SIZE 16384

/**
 * Create a buffered stream over @a inner in @a pool.
 * @a read_buf and @a write_buf are the sizes of the read and write buffers
 * (0: STRATA_BUFFERED_DEFAULT_SIZE); a buffer is only allocated for a
 * direction @a inner supports.  The stream's capabilities are @a inner's
 * (read, write, seek).  @a flags: STRATA_OWN_INNER closes @a inner when the
 * buffered stream is closed.  Closing (or strata_shutdown_write()) flushes
 * pending writes first; then, with STRATA_OWN_INNER, it shuts down the
 * inner stream's write side, and without it only flushes the inner stream,
 * which stays usable.
 * Returns APR_EINVAL for a NULL argument, APR_ENOMEM if a buffer cannot be
 * allocated; on failure *out is untouched and @a inner is not affected.
 */
STRATA_API apr_status_t strata_buffered_create(strata_stream_t **out,
                                               strata_stream_t *inner,
                                               apr_size_t read_buf,
                                               apr_size_t write_buf,
                                               unsigned flags,
                                               apr_pool_t *pool);

/**
 * Read up to and including the first occurrence of the @a delim_len byte
 * delimiter @a delim, refilling from the inner stream as needed (a
 * delimiter that straddles two refills is found).  On success *data points
 * at the record, delimiter included, *len is its length (<= @a max), and
 * the record is consumed.  The view stays valid until the next call of any
 * kind on @a s.
 * @return APR_SUCCESS      record found;
 *         STRATA_ELIMIT_RECORD no delimiter within the first @a max bytes:
 *                          nothing consumed, *len == 0, the stream stays
 *                          usable (read the bytes with strata_read(), or
 *                          call again with a larger max);
 *         STRATA_ETRUNCATED with *len > 0: the input ended (or failed with
 *                          a lasting error, see above) before a delimiter:
 *                          *data and *len hold the remaining bytes, which
 *                          are consumed; the next call gives APR_EOF (or
 *                          the lasting error);
 *         APR_EOF          the input ended with no bytes left, *len == 0;
 *         STRATA_EQUOTA    a shared meter's quota is spent, or the record
 *                          does not fit in what is left of it (nothing
 *                          consumed);
 *         APR_EINVAL       NULL arguments, @a delim_len == 0, or @a max <
 *                          @a delim_len (so @a max == 0 is always invalid);
 *                          no I/O is done;
 *         STRATA_ENOTSUP   @a s is not a buffered stream or cannot read;
 *         STRATA_ECLOSED   @a s is closed;
 *         any inner error  (APR_EAGAIN included) with nothing consumed and
 *                          *len == 0 -- this may itself be STRATA_ETRUNCATED
 *                          (a decoder's truncated input): STRATA_ETRUNCATED
 *                          with *len == 0 is always the inner error.
 * *data is set to NULL and *len to 0 whenever no bytes are returned.
 */
STRATA_API apr_status_t strata_read_until(strata_stream_t *s,
                                          const void *delim,
                                          apr_size_t delim_len,
                                          apr_size_t max, const char **data,
                                          apr_size_t *len);

/**
 * Read one line: strata_read_until() with the delimiter "\n" (kept in the
 * view), except that a last line without a newline before a clean end of
 * input comes back with APR_SUCCESS, as getline() does; the call after it
 * gives APR_EOF.  APR_SUCCESS always comes with *len > 0, so
 * "while (strata_read_line(...) == APR_SUCCESS)" ends: a last line cut
 * short by an inner error comes with STRATA_ETRUNCATED, and the inner error
 * (e.g. a decoder's STRATA_ETRUNCATED or STRATA_EBADDATA) comes with
 * *len == 0, every time.  A line longer than @a max gives
 * STRATA_ELIMIT_RECORD with nothing consumed.  Other answers as for
 * strata_read_until() (@a max == 0 gives APR_EINVAL).
 */
STRATA_API apr_status_t strata_read_line(strata_stream_t *s, apr_size_t max,
                                         const char **data, apr_size_t *len);

/**
 * Look at the next @a n bytes without consuming them, refilling as needed.
 * The view is valid until the next call of any kind on @a s.
 * @return APR_SUCCESS with *len == @a n; or with 0 < *len < @a n when the
 *         input ended first (the end is reported again by the next read);
 *         APR_SUCCESS with *len == 0 when @a n == 0 (no I/O);
 *         APR_EOF with *len == 0 at the end of input;
 *         an inner error (APR_EAGAIN included): *data and *len then show
 *         whatever is buffered (possibly nothing), so a non-blocking caller
 *         can still look at it; nothing is lost or consumed (a lasting
 *         error comes back every call);
 *         APR_EINVAL, STRATA_ENOTSUP, STRATA_ECLOSED, STRATA_EQUOTA as for
 *         strata_read_until().
 */
STRATA_API apr_status_t strata_peek(strata_stream_t *s, apr_size_t n,
                                    const char **data, apr_size_t *len);

/** Bytes buffered on the read side and not consumed yet (0 if @a s is not
 *  a buffered stream).  Reading that many bytes does not touch the inner
 *  stream. */
STRATA_API apr_size_t strata_buffered_available(const strata_stream_t *s);

/** Bytes written to @a s but not yet passed to the inner stream (0 if @a s
 *  is not a buffered stream). */
STRATA_API apr_size_t strata_buffered_pending(const strata_stream_t *s);

/** The read buffer's current allocation in bytes (0 if @a s is not a
 *  buffered stream or cannot read): the configured size, or more while a
 *  long record is being read. */
STRATA_API apr_size_t strata_buffered_read_capacity(const strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_BUFFERED_H */
