/*
 * strata/memory.h -- a growable in-memory stream, like Python's BytesIO.
 *
 * One position shared by reads and writes; writes past the end grow the
 * buffer (the gap, after a seek past the end, reads as zeros); reads at the
 * end give APR_EOF.  The buffer is released when the stream's pool is cleared
 * or destroyed -- not at close, so the contents of a closed memory stream can
 * still be read with strata_memory_contents().
 */
#ifndef STRATA_MEMORY_H
#define STRATA_MEMORY_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create an empty, readable, writable, seekable memory stream.  @a max_size
 * caps its size (0: no cap); a write past the cap writes what fits and then
 * fails with STRATA_ELIMIT.  APR_ENOMEM if growing fails.
 */
STRATA_API apr_status_t strata_memory_create(strata_stream_t **out,
                                             apr_size_t max_size,
                                             apr_pool_t *pool);

/* strata_memory_create_from() flags. */
/** Copy the initial bytes into the stream's own buffer (the default). */
#define STRATA_MEMORY_COPY   0x0u
/** Borrow the initial bytes: no copy until the first write (see below). */
#define STRATA_MEMORY_BORROW 0x1u

/**
 * Create a readable, writable, seekable memory stream whose contents start
 * as the @a len bytes at @a data, positioned at 0 (seek to APR_END to
 * append).  The initial bytes are contents, not traffic: they are not
 * counted as writes on the stream or on any meter (its counters start at
 * zero), and they count towards @a max_size like written bytes.
 *
 * With STRATA_MEMORY_COPY (0) the bytes are copied now and the caller may
 * reuse @a data at once.  With STRATA_MEMORY_BORROW they are read in place:
 * the caller keeps them alive and unchanged until the stream's first write,
 * strata_memory_truncate() or the stream's pool going, whichever comes
 * first; the first write copies them into the stream's own buffer before it
 * changes anything, so the caller's bytes are never written.
 *
 * Returns APR_EINVAL for a NULL @a out or @a pool, @a data NULL with
 * @a len > 0, or unknown @a flags; STRATA_ELIMIT if @a max_size is not 0
 * and @a len > @a max_size; APR_ENOMEM if the copy cannot be allocated.
 * *out is untouched on error.
 */
STRATA_API apr_status_t strata_memory_create_from(strata_stream_t **out,
                                                  const void *data,
                                                  apr_size_t len,
                                                  apr_size_t max_size,
                                                  unsigned flags,
                                                  apr_pool_t *pool);

/**
 * Create a read-only, seekable stream over @a len bytes at @a data, without
 * copying them: the caller keeps them alive and unchanged for the stream's
 * life.  Writes give STRATA_ENOTSUP.
 */
STRATA_API apr_status_t strata_memory_open_buffer(strata_stream_t **out,
                                                  const void *data,
                                                  apr_size_t len,
                                                  apr_pool_t *pool);

/**
 * The whole contents (independent of the position), valid until the next
 * write or until the pool goes.  APR_EINVAL if @a s is not a memory stream.
 */
STRATA_API apr_status_t strata_memory_contents(strata_stream_t *s,
                                               const void **data,
                                               apr_size_t *len);

/** Drop the contents and rewind to 0 (keeps the allocation for reuse; a
 *  borrowed buffer is let go).  STRATA_ENOTSUP on a read-only buffer view. */
STRATA_API apr_status_t strata_memory_truncate(strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_MEMORY_H */
