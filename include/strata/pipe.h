/*
 * strata/pipe.h -- the chunked pipe: a segmented byte queue built from
 * fixed-size chunks drawn from a chunk pool (the model is .NET's
 * System.IO.Pipelines and the Python chunkedbuffer package).
 *
 * One writer puts bytes in, one reader takes them out, in order.  The
 * writer either asks for space and commits what it wrote there
 * (strata_pipe_get_buffer / strata_pipe_commit, no copy; space larger than
 * a chunk comes from the pool's larger size classes), or copies with
 * strata_pipe_write().  The reader's calls never block: they answer with
 * data, APR_EAGAIN ("not enough data yet"), APR_EOF (the writer closed
 * cleanly and everything was read) or the writer's error (after everything
 * before it was read).  A reader copies out at most once; the record views
 * (strata_pipe_read_until_view and friends) hand out a pointer into the
 * chunk, and strata_pipe_segments() / strata_pipe_advance() hand out all
 * the readable segments.  Chunks go back to their pool as they are read,
 * so a pipe in steady use allocates nothing once the pool holds enough
 * spare chunks.
 *
 * Flow control.  The pipe is paused while pause_threshold bytes or more
 * are unread (until a read takes it below resume_threshold).  The
 * non-blocking calls never wait: a writer asks strata_pipe_writer_paused()
 * and waits with strata_pipe_wait_writable() or for the
 * strata_pipe_on_writable() callback; a reader waits for bytes with
 * strata_pipe_wait_readable() or the strata_pipe_on_data() callback.
 *
 * Threads.  Writer calls (get_buffer, commit, write, close_writer,
 * wait_writable, and strata_pipe_writer_reserve / _commit on the writer
 * stream) may run on one thread while reader calls (every read, view,
 * skip, find, peek, segments, advance, wait_readable, close_reader) run on
 * another; strata_pipe_length(), strata_pipe_writer_paused(),
 * strata_pipe_writer_closed(), strata_pipe_reader_closed() and
 * strata_pipe_on_writable() are safe from any thread.  Two threads must
 * not both write, or both read.  For a producer thread and a consumer
 * thread, the blocking stream views strata_pipe_reader_stream() and
 * strata_pipe_writer_stream() wait instead of answering APR_EAGAIN, and let
 * either end be stacked under any decorator (e.g. a buffered stream for
 * read_line).
 *
 * Ends.  strata_pipe_close_writer() marks the end of the data (optionally
 * with an error for the reader).  strata_pipe_close_reader() drops what is
 * unread; later writer calls get STRATA_ECLOSED (like EPIPE) and later
 * reader calls STRATA_ECLOSED.  A pipe lives in the pool it was created in;
 * when that pool goes, its chunks return to the chunk pool, which must
 * therefore outlive it (create the chunk pool first, in the same pool or an
 * ancestor, or use the default pool).
 */
#ifndef STRATA_PIPE_H
#define STRATA_PIPE_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- chunk pools -------------------------------------------------------- */

typedef struct strata_chunk_pool_t strata_chunk_pool_t;

/** Chunk size of the default pool, and when 0 is given. */
#define STRATA_CHUNK_DEFAULT_SIZE 16384
/** Spare chunks kept by the default pool, and when 0 is given. */
#define STRATA_CHUNK_DEFAULT_SPARE 64
/**
 * Size classes of a chunk pool: class k holds chunk_size << k bytes, for k
 * below this (so 16 KiB .. 2 MiB for the default pool).  Only
 * strata_pipe_get_buffer() with a sizehint larger than chunk_size draws
 * from the larger classes; anything beyond the largest class is a one-off
 * chunk of exactly the size asked, freed when it is read.
 */
#define STRATA_CHUNK_CLASSES 8

/** What a chunk pool has done (strata_chunk_pool_stats()). */
typedef struct strata_chunk_pool_stats_t {
    apr_size_t chunk_size;       /**< usable bytes per (class 0) chunk */
    apr_size_t max_spare;        /**< spare class-0 chunks it keeps at most */
    apr_size_t spare;            /**< spare chunks it holds now (all classes) */
    apr_size_t in_use;           /**< chunks handed out and not returned */
    apr_uint64_t allocations;    /**< chunks it allocated from the heap, ever
                                      (all classes and one-offs) */
    apr_uint64_t frees;          /**< chunks it gave back to the heap, ever */
    apr_size_t spare_bytes;      /**< usable bytes in the spare chunks */
    apr_size_t max_class_size;   /**< the largest pooled size; larger
                                      requests are one-off chunks */
    apr_uint64_t oneoff_allocations; /**< of allocations, one-off chunks */
} strata_chunk_pool_stats_t;

/**
 * Create a thread-safe chunk pool in @a pool: chunks of @a chunk_size
 * usable bytes (0: STRATA_CHUNK_DEFAULT_SIZE), keeping at most @a max_spare
 * returned chunks for reuse (0: STRATA_CHUNK_DEFAULT_SPARE) and freeing the
 * rest.  The larger size classes (STRATA_CHUNK_CLASSES) keep max_spare >> k
 * returned chunks of class k, at least one each.  The spare chunks are freed when @a pool goes; every pipe using the
 * chunk pool must be gone by then.  APR_EINVAL for NULL arguments; an APR
 * error if the mutex cannot be created.
 */
STRATA_API apr_status_t strata_chunk_pool_create(strata_chunk_pool_t **out,
                                                 apr_size_t chunk_size,
                                                 apr_size_t max_spare,
                                                 apr_pool_t *pool);

/**
 * The process-wide default pool (STRATA_CHUNK_DEFAULT_SIZE, _SPARE), made on
 * first use (safe from any thread; needs apr_initialize()).  It lives in an
 * unmanaged APR pool and is never destroyed.  NULL if it cannot be made.
 */
STRATA_API strata_chunk_pool_t *strata_chunk_pool_default(void);

/**
 * Top @a cp's free list up to @a n spare chunks (at most its max_spare),
 * allocating what is missing now rather than on the data path.  A pipe does
 * this for the chunks its pause threshold can hold, so a pipe in steady use
 * allocates nothing.  APR_ENOMEM if an allocation fails (the chunks made so
 * far stay), APR_EINVAL for a NULL pool.
 */
STRATA_API apr_status_t strata_chunk_pool_reserve(strata_chunk_pool_t *cp,
                                                  apr_size_t n);

/** Snapshot @a cp's figures into @a out (safe from any thread). */
STRATA_API void strata_chunk_pool_stats(strata_chunk_pool_t *cp,
                                        strata_chunk_pool_stats_t *out);

/* ---- the pipe ----------------------------------------------------------- */

typedef struct strata_pipe_t strata_pipe_t;

/** Options for strata_pipe_create(); zero means the default for each. */
typedef struct strata_pipe_opts_t {
    strata_chunk_pool_t *chunks;     /**< NULL: strata_chunk_pool_default() */
    /** Blocking writer view: wait once this many bytes are unread.
     *  0: 256 KiB; APR_SIZE_MAX: never wait. */
    apr_size_t pause_threshold;
    /** ...and go on once fewer than this many are unread.
     *  0: pause_threshold / 2 (at least 1); must be <= pause_threshold. */
    apr_size_t resume_threshold;
    /** Blocking views: a read or write that has waited this long, in
     *  microseconds, gives APR_TIMEUP with nothing moved; <= 0: wait as
     *  long as it takes. */
    apr_interval_time_t timeout;
} strata_pipe_opts_t;

/** A readable segment handed out by strata_pipe_segments(). */
typedef struct strata_pipe_iovec_t {
    const char *base;
    apr_size_t len;
} strata_pipe_iovec_t;

/**
 * Called on the writer's thread after each commit that published bytes
 * (@a n > 0, also for strata_pipe_write() and the writer stream), and once
 * with @a n == 0 after strata_pipe_close_writer().  No lock is held: the
 * callback may call the reader functions (an event loop reading in place).
 */
typedef void (strata_pipe_data_fn)(void *baton, strata_pipe_t *p,
                                   apr_size_t n);

/** Pass as @a end to strata_pipe_find() to search to the end of the data. */
#define STRATA_PIPE_END APR_SIZE_MAX

/** Flag for strata_pipe_read_until(): keep the delimiter in the output. */
#define STRATA_PIPE_KEEP_DELIM 0x1u

/**
 * Create an empty pipe in @a pool.  @a opts may be NULL (all defaults).
 * APR_EINVAL for NULL arguments or resume_threshold > pause_threshold;
 * APR_ENOMEM if the default chunk pool cannot be made; APR's error if the
 * mutex or condition variables cannot be.
 */
STRATA_API apr_status_t strata_pipe_create(strata_pipe_t **out,
                                           const strata_pipe_opts_t *opts,
                                           apr_pool_t *pool);

/** Set (or with @a fn NULL, clear) the on-data callback.  Call it before
 *  the writer starts, not while writer calls are in flight. */
STRATA_API void strata_pipe_on_data(strata_pipe_t *p, strata_pipe_data_fn *fn,
                                    void *baton);

/** Bytes committed and not yet consumed (safe from either thread). */
STRATA_API apr_size_t strata_pipe_length(strata_pipe_t *p);

/* ---- backpressure and end state --------------------------------------------
 *
 * The pipe is "paused" from the moment a commit (or write) brings the
 * unread bytes to pause_threshold until a read takes them below
 * resume_threshold (never, with pause_threshold APR_SIZE_MAX).  The
 * non-blocking writer calls (get_buffer, commit, write) do not look at it:
 * a reserve/commit producer that must not run ahead asks first, with
 * strata_pipe_wait_writable() (a thread that may block),
 * strata_pipe_writer_paused() plus strata_pipe_on_writable() (an event
 * loop that must not), or uses the writer stream's
 * strata_pipe_writer_reserve() / strata_pipe_writer_commit().  A producer
 * that asks before each get_buffer keeps the unread bytes below
 * pause_threshold + the largest buffer it commits.
 */

/**
 * Called when the pipe stops being paused: on the reader's thread, right
 * after the read or advance that took the unread bytes below
 * resume_threshold, and once on the thread that calls
 * strata_pipe_close_reader() (the writer's next call then fails with
 * STRATA_ECLOSED).  No lock is held: the callback may call any pipe
 * function the thread it runs on may call (e.g. wake a reactor's pollset,
 * or, when the reader and the writer share one thread, write).
 */
typedef void (strata_pipe_writable_fn)(void *baton, strata_pipe_t *p);

/**
 * Set (or with @a fn NULL, clear) the writable callback.  Safe from any
 * thread at any time; a call of the old callback that has already started
 * may still be running when this returns.
 */
STRATA_API void strata_pipe_on_writable(strata_pipe_t *p,
                                        strata_pipe_writable_fn *fn,
                                        void *baton);

/**
 * Non-zero while the pipe is paused (see above), 0 otherwise, and 0 once
 * either end is closed (the writer's calls then answer STRATA_ECLOSED
 * rather than wait) or for a NULL pipe.  Safe from any thread; the answer
 * can change as soon as it is given, but a writer that sees 1 is sure to
 * get the on_writable callback (or STRATA_ECLOSED) afterwards.
 */
STRATA_API int strata_pipe_writer_paused(strata_pipe_t *p);

/**
 * Wait until the pipe is not paused: at once when it is not, else until a
 * read takes the unread bytes below resume_threshold.  @a timeout in
 * microseconds: < 0 waits as long as it takes, 0 does not wait, > 0 waits
 * at most that long.
 * @return APR_SUCCESS  not paused: the writer may go on;
 *         APR_TIMEUP   still paused when @a timeout ran out (at once for 0);
 *         STRATA_ECLOSED  the reader end was closed, or the writer end was
 *                      (also when that happens during the wait);
 *         APR_EINVAL   NULL pipe.
 * Thread: the writer's (one waiting thread at a time); it may block.  Do
 * not call it on the thread that reads, which could then never wake it.
 */
STRATA_API apr_status_t strata_pipe_wait_writable(strata_pipe_t *p,
                                                  apr_interval_time_t timeout);

/**
 * The reader's counterpart: wait until at least @a min bytes (1 when 0)
 * are unread, or the writer has closed (then the reader calls give the
 * last bytes and the end status).  For a record that has not arrived
 * whole, pass one more than the strata_pipe_length() taken *before* the
 * read that answered APR_EAGAIN (taken after it, bytes that arrived in
 * between could complete the record and the wait would then want a byte
 * a paused writer cannot send).  @a timeout as for
 * strata_pipe_wait_writable().
 * @return APR_SUCCESS  enough bytes, or the writer closed;
 *         APR_TIMEUP   neither within @a timeout (at once for 0);
 *         STRATA_ECLOSED  after strata_pipe_close_reader();
 *         APR_EINVAL   NULL pipe.
 * Thread: the reader's (one waiting thread at a time); it may block.
 */
STRATA_API apr_status_t strata_pipe_wait_readable(strata_pipe_t *p,
                                                  apr_size_t min,
                                                  apr_interval_time_t timeout);

/**
 * Has the writer closed, and how?  Returns non-zero once
 * strata_pipe_close_writer() was called (whether or not the reader has
 * read everything yet), and sets *status (if @a status is not NULL) to its
 * status: APR_SUCCESS for a clean end (also when it was given as APR_EOF),
 * else the error the reader will get after the data.  Returns 0 (and
 * *status APR_SUCCESS) while the writer is open, and for a NULL pipe.
 * Reads nothing and consumes nothing.  Safe from any thread.
 */
STRATA_API int strata_pipe_writer_closed(strata_pipe_t *p,
                                         apr_status_t *status);

/**
 * Non-zero once strata_pipe_close_reader() was called (the writer's calls
 * then answer STRATA_ECLOSED), 0 otherwise and for a NULL pipe.  Safe from
 * any thread.
 */
STRATA_API int strata_pipe_reader_closed(strata_pipe_t *p);

/* ---- writer ------------------------------------------------------------- */

/**
 * Get one contiguous span of at least @a sizehint bytes (at least 1 when
 * @a sizehint is 0) at the end of the tail chunk, or of a new chunk when
 * the tail has less room: *buf points at it, *cap (>= sizehint) is how many
 * bytes may be written there.  A @a sizehint up to the pool's chunk size
 * uses ordinary chunks (the steady state allocates nothing); a larger one
 * gets a chunk of the smallest size class that holds it (see
 * STRATA_CHUNK_CLASSES), or beyond the largest class a one-off chunk of
 * exactly @a sizehint bytes, freed once read.  Nothing is visible to the
 * reader until strata_pipe_commit().  Asking again before committing
 * replaces the earlier buffer (its bytes are not published).  Never waits
 * (see strata_pipe_wait_writable()).
 * @return APR_SUCCESS; STRATA_ECLOSED after close_writer or close_reader;
 *         APR_ENOMEM (also for a @a sizehint too large to allocate);
 *         APR_EINVAL for NULL arguments.  On failure *buf is NULL and
 *         *cap 0.
 * Thread: the writer's.
 */
STRATA_API apr_status_t strata_pipe_get_buffer(strata_pipe_t *p,
                                               apr_size_t sizehint,
                                               void **buf, apr_size_t *cap);

/**
 * Publish the first @a n bytes written into the buffer of the last
 * strata_pipe_get_buffer(), wake a waiting reader and call the on-data
 * callback.  The buffer is used up either way: the next commit needs a new
 * get_buffer.  @a n == 0 publishes nothing (no wake-up, no callback) and
 * just ends the buffer.
 * @return APR_SUCCESS; STRATA_ESTATE without an outstanding get_buffer;
 *         APR_EINVAL if @a n exceeds its cap (nothing happens, the buffer
 *         stays outstanding); STRATA_ECLOSED if an end was closed since.
 */
STRATA_API apr_status_t strata_pipe_commit(strata_pipe_t *p, apr_size_t n);

/**
 * Copy @a len bytes into the pipe (as many chunks as needed) and publish
 * them at once.  All or nothing: APR_SUCCESS, or an error with nothing
 * published: STRATA_ESTATE while a get_buffer is outstanding, STRATA_ECLOSED
 * after close_writer or close_reader, APR_ENOMEM.  @a len == 0 succeeds and
 * does nothing.  This call never waits, whatever the thresholds.
 */
STRATA_API apr_status_t strata_pipe_write(strata_pipe_t *p, const void *data,
                                          apr_size_t len);

/**
 * Mark the end of the data.  @a status APR_SUCCESS (or APR_EOF) is a clean
 * end: the reader gets APR_EOF after the last byte.  Any other status is
 * given to the reader, after the last byte, by every later read (and a
 * partial record before it comes back with STRATA_ETRUNCATED).  An
 * outstanding get_buffer is dropped.  Wakes a waiting reader.  A second call
 * does nothing and returns APR_SUCCESS (the first status stays).
 */
STRATA_API apr_status_t strata_pipe_close_writer(strata_pipe_t *p,
                                                 apr_status_t status);

/* ---- reader (non-blocking) -------------------------------------------------
 *
 * Common answers when no data is returned:
 *   APR_EAGAIN      not enough data yet and the writer is still open;
 *   APR_EOF         the writer closed cleanly and everything was read;
 *   the writer's status, once everything before it was read;
 *   STRATA_ECLOSED  after strata_pipe_close_reader();
 *   APR_EINVAL      NULL arguments (as documented per call).
 * Count out-parameters are always set (0 when nothing came back).
 */

/**
 * Copy up to @a max bytes into @a buf and consume them.  APR_SUCCESS with
 * *n > 0; APR_SUCCESS with *n == 0 when @a max is 0; otherwise the common
 * answers.
 */
STRATA_API apr_status_t strata_pipe_read_atmost(strata_pipe_t *p, void *buf,
                                                apr_size_t max,
                                                apr_size_t *n);

/**
 * Copy exactly @a len bytes into @a buf and consume them.  APR_SUCCESS with
 * *n == len (also for len 0); APR_EAGAIN with nothing consumed while fewer
 * are there and the writer is open; STRATA_ETRUNCATED when the writer has
 * closed with fewer than @a len (but some) bytes left: they are copied,
 * consumed and counted in *n; otherwise the common answers.
 */
STRATA_API apr_status_t strata_pipe_read_bytes(strata_pipe_t *p, void *buf,
                                               apr_size_t len, apr_size_t *n);

/**
 * Copy the bytes up to and including the first @a delim_len byte @a delim
 * into @a buf and consume them; the delimiter is copied only with
 * STRATA_PIPE_KEEP_DELIM in @a flags (*n counts what was copied).  The
 * record with its delimiter must fit in @a bufsize bytes (kept or not).
 * @return APR_SUCCESS;
 *         STRATA_ELIMIT_RECORD no delimiter within the first @a bufsize bytes:
 *                        nothing consumed;
 *         APR_EAGAIN     no delimiter yet, fewer than @a bufsize bytes
 *                        there, writer open: nothing consumed;
 *         STRATA_ETRUNCATED the writer closed before a delimiter: the rest
 *                        (at least one byte) is copied and consumed;
 *         APR_EINVAL     NULL arguments, @a delim_len == 0, or @a bufsize
 *                        < @a delim_len (so @a bufsize 0 is invalid);
 *         otherwise the common answers.
 */
STRATA_API apr_status_t strata_pipe_read_until(strata_pipe_t *p,
                                               const void *delim,
                                               apr_size_t delim_len,
                                               unsigned flags, void *buf,
                                               apr_size_t bufsize,
                                               apr_size_t *n);

/**
 * Read one line, "\n" kept: strata_pipe_read_until() with "\n" and
 * STRATA_PIPE_KEEP_DELIM, except that after a clean end a last line without
 * "\n" comes back with APR_SUCCESS (after a writer error it comes back with
 * STRATA_ETRUNCATED, and the error follows).
 */
STRATA_API apr_status_t strata_pipe_read_line(strata_pipe_t *p, void *buf,
                                              apr_size_t bufsize,
                                              apr_size_t *n);

/**
 * Copy up to @a max bytes into @a buf without consuming them.  APR_SUCCESS
 * with *n > 0 (fewer than @a max when fewer are there); APR_SUCCESS with
 * *n == 0 when @a max is 0; otherwise the common answers.
 */
STRATA_API apr_status_t strata_pipe_peek(strata_pipe_t *p, void *buf,
                                         apr_size_t max, apr_size_t *n);

/**
 * Copy exactly @a len bytes into @a buf without consuming them.
 * APR_SUCCESS with *n == len (also for len 0); APR_EAGAIN with nothing
 * copied while fewer are there and the writer is open; STRATA_ETRUNCATED
 * when the writer has closed with fewer than @a len (but some) bytes left:
 * they are copied (still not consumed) and counted in *n, and every later
 * peek_exact of more says the same -- consume them (read, skip) to get the
 * end status; otherwise the common answers.
 */
STRATA_API apr_status_t strata_pipe_peek_exact(strata_pipe_t *p, void *buf,
                                               apr_size_t len,
                                               apr_size_t *n);

/**
 * Consume up to @a max bytes without copying them (their chunks go back to
 * the pool).  APR_SUCCESS with *n > 0 (fewer than @a max when fewer are
 * there); APR_SUCCESS with *n == 0 when @a max is 0; otherwise the common
 * answers.
 */
STRATA_API apr_status_t strata_pipe_skip(strata_pipe_t *p, apr_size_t max,
                                         apr_size_t *n);

/**
 * Consume exactly @a len bytes without copying them.  APR_SUCCESS with
 * *n == len (also for len 0); APR_EAGAIN with nothing consumed while fewer
 * are there and the writer is open; STRATA_ETRUNCATED when the writer has
 * closed with fewer than @a len (but some) bytes left: they are consumed
 * and counted in *n; otherwise the common answers -- as
 * strata_pipe_read_bytes().
 */
STRATA_API apr_status_t strata_pipe_skip_exact(strata_pipe_t *p,
                                               apr_size_t len, apr_size_t *n);

/* Record views: the record-reading calls without the copy.  *rec points
 * at the record's bytes: inside the pipe's chunk when the record lies in
 * one chunk (zero-copy), else in a scratch buffer the pipe owns, into which
 * the record spanning chunks was copied once (grown to the largest such
 * record, kept for reuse and freed with the pipe; APR_ENOMEM with nothing
 * consumed if it cannot grow).  The record is consumed when it is returned
 * (the unread count drops and a paused writer may resume), and *rec stays
 * valid and unchanged until the next reader call on the pipe (any call of
 * this section, the reader stream's read, or close_reader).  On failure
 * *rec is NULL.  Thread: the reader's. */

/**
 * strata_pipe_read_until() returning a view: the record up to the first
 * @a delim_len byte @a delim found within the first @a max bytes, the
 * delimiter in *n and *rec only with STRATA_PIPE_KEEP_DELIM (it is
 * consumed either way).  Returns as strata_pipe_read_until() with @a max
 * for @a bufsize: APR_SUCCESS; STRATA_ELIMIT_RECORD (nothing consumed);
 * APR_EAGAIN (nothing consumed); STRATA_ETRUNCATED (the rest, at least one
 * byte, is the view and consumed); APR_ENOMEM; APR_EINVAL for NULL
 * arguments, @a delim_len 0 or @a max < @a delim_len; otherwise the
 * common answers.
 */
STRATA_API apr_status_t strata_pipe_read_until_view(strata_pipe_t *p,
                                                    const void *delim,
                                                    apr_size_t delim_len,
                                                    unsigned flags,
                                                    apr_size_t max,
                                                    const char **rec,
                                                    apr_size_t *n);

/** strata_pipe_read_line() returning a view (see above): "\n" kept, a last
 *  line without it after a clean end comes back with APR_SUCCESS. */
STRATA_API apr_status_t strata_pipe_read_line_view(strata_pipe_t *p,
                                                   apr_size_t max,
                                                   const char **line,
                                                   apr_size_t *n);

/**
 * strata_pipe_read_bytes() returning a view of exactly @a len bytes:
 * APR_SUCCESS with *n == len (len 0: *rec is an empty string); APR_EAGAIN
 * with nothing consumed while fewer are there and the writer is open;
 * STRATA_ETRUNCATED when the writer has closed with fewer (but some): they
 * are the view and consumed; APR_ENOMEM; otherwise the common answers.
 */
STRATA_API apr_status_t strata_pipe_read_exact_view(strata_pipe_t *p,
                                                    apr_size_t len,
                                                    const char **rec,
                                                    apr_size_t *n);

/**
 * Find the first @a needle_len byte @a needle lying wholly inside the
 * unread bytes [@a start, @a end) (offsets from the read position; @a end
 * is clipped to strata_pipe_length(), STRATA_PIPE_END means "to the end").
 * Consumes nothing.  APR_SUCCESS with *pos its offset; APR_NOTFOUND if it is
 * not there (also when start >= the length); APR_EINVAL for an empty
 * needle, start > end, or NULL arguments; STRATA_ECLOSED after close_reader.
 */
STRATA_API apr_status_t strata_pipe_find(strata_pipe_t *p, const void *needle,
                                         apr_size_t needle_len,
                                         apr_size_t start, apr_size_t end,
                                         apr_size_t *pos);

/** strata_pipe_find() for the single byte @a c. */
STRATA_API apr_status_t strata_pipe_find_byte(strata_pipe_t *p, int c,
                                              apr_size_t start,
                                              apr_size_t end,
                                              apr_size_t *pos);

/**
 * Zero-copy read: fill @a vec (room for @a nvec entries) with the readable
 * segments from the read position on; *count is how many were filled and
 * *total their summed length.  The bytes stay valid and unchanged until
 * they are consumed by strata_pipe_advance() or another read.  Examined
 * bytes (see strata_pipe_advance) are handed out again only together with
 * new data:
 * @return APR_SUCCESS    there are bytes beyond the examined mark;
 *         APR_EAGAIN     everything unread was examined (or nothing is
 *                        unread) and the writer is open: *count == 0;
 *         STRATA_ETRUNCATED the writer closed, bytes are left but all were
 *                        examined: they are handed out (a parser's record
 *                        will never be completed);
 *         otherwise the common answers (APR_EINVAL for NULL arguments or
 *         @a nvec == 0).
 */
STRATA_API apr_status_t strata_pipe_segments(strata_pipe_t *p,
                                             strata_pipe_iovec_t *vec,
                                             apr_size_t nvec,
                                             apr_size_t *count,
                                             apr_size_t *total);

/**
 * After strata_pipe_segments(): consume the first @a consumed bytes and mark
 * the first @a examined bytes (both counted from the read position before
 * this call) as looked at, so strata_pipe_segments() answers APR_EAGAIN
 * until more data arrives -- Pipelines' AdvanceTo.  Fully consumed chunks
 * go back to the chunk pool.
 * @return APR_SUCCESS; APR_EINVAL (nothing changes) unless consumed <=
 *         examined <= strata_pipe_length(); STRATA_ECLOSED after
 *         close_reader.
 */
STRATA_API apr_status_t strata_pipe_advance(strata_pipe_t *p,
                                            apr_size_t consumed,
                                            apr_size_t examined);

/**
 * Stop reading: drop the unread bytes (their chunks go back to the pool),
 * make later writer calls fail with STRATA_ECLOSED, wake a waiting writer.
 * A second call does nothing.  Returns APR_SUCCESS.
 */
STRATA_API apr_status_t strata_pipe_close_reader(strata_pipe_t *p);

/* ---- blocking stream views ---------------------------------------------- */

/**
 * A readable stream ("pipe-reader") over the reader end, in @a pool (which
 * must not outlive the pipe's pool).  strata_read() waits until there is
 * data, the end, or the timeout (APR_TIMEUP); then it answers like
 * strata_pipe_read_atmost() (APR_EOF at a clean end, the writer's error
 * after the data).  Closing the stream closes the reader end.  The view is
 * an ordinary stream: the dispatcher meters it, and decorators stack on it.
 * APR_EINVAL for NULL arguments.
 */
STRATA_API apr_status_t strata_pipe_reader_stream(strata_stream_t **out,
                                                  strata_pipe_t *p,
                                                  apr_pool_t *pool);

/**
 * A writable stream ("pipe-writer") over the writer end.  strata_write()
 * waits while the pipe is paused -- from the moment pause_threshold bytes
 * are unread until fewer than resume_threshold are -- then accepts at most
 * pause_threshold minus the unread bytes (a short write; strata_write_all()
 * goes on).  It gives STRATA_ECLOSED once the reader end is closed and
 * APR_TIMEUP when a wait exceeds the timeout.  strata_flush() does nothing
 * (written bytes are visible at once); strata_shutdown_write() and closing
 * the stream close the writer end cleanly (use strata_pipe_close_writer()
 * first to pass an error instead).  If the stream (or a layer stacked on
 * it) failed -- see strata_stream_failed() -- or was aborted, closing it
 * closes the writer end with that status (STRATA_EABORTED after
 * strata_abort()), so the reader gets the error after the data, never a
 * clean end of a cut-short stream.  APR_EINVAL for NULL arguments.
 */
STRATA_API apr_status_t strata_pipe_writer_stream(strata_stream_t **out,
                                                  strata_pipe_t *p,
                                                  apr_pool_t *pool);

/**
 * Reserve/commit on a writer stream made by strata_pipe_writer_stream():
 * wait like strata_write() does (while the pipe is paused, up to the
 * pipe's timeout), then get space for at least @a sizehint bytes (at least
 * 1 when 0) as strata_pipe_get_buffer() does.  *cap is clipped to the
 * larger of @a sizehint and pause_threshold minus the unread bytes, so a
 * producer that loops reserve/commit stays below pause_threshold plus its
 * largest @a sizehint; it is smaller than @a sizehint only when a quota of
 * the stream's meters leaves less.  Asking again before committing drops
 * the earlier space.
 * @return APR_SUCCESS; APR_TIMEUP if the wait ran out; STRATA_ECLOSED once
 *         either end of the pipe, or the stream, is closed (or shut for
 *         writing); STRATA_EQUOTA; APR_ENOMEM; APR_EINVAL for NULL
 *         arguments or a stream that is not a pipe-writer.  On failure
 *         *buf is NULL and *cap 0.
 * Thread: the writer's; it may block.
 */
STRATA_API apr_status_t strata_pipe_writer_reserve(strata_stream_t *w,
                                                   apr_size_t sizehint,
                                                   void **buf,
                                                   apr_size_t *cap);

/**
 * Publish the first @a n bytes of the space from the last
 * strata_pipe_writer_reserve() (strata_pipe_commit()), counting one write
 * op of @a n bytes on the stream and its meters, as strata_write() would.
 * @a n == 0 just drops the space (not an op).  Never waits.
 * @return APR_SUCCESS; STRATA_ESTATE without an outstanding reserve;
 *         APR_EINVAL if @a n exceeds its cap (the space stays outstanding)
 *         or for a stream that is not a pipe-writer; STRATA_ECLOSED if an
 *         end was closed since (nothing is published; counted as an op of
 *         0 bytes).
 * Thread: the writer's.
 */
STRATA_API apr_status_t strata_pipe_writer_commit(strata_stream_t *w,
                                                  apr_size_t n);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_PIPE_H */
