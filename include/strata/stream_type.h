/*
 * strata/stream_type.h -- for those who implement a stream type.
 *
 * A type is a static const strata_stream_type_t; an instance is a struct
 * whose first member is a strata_stream_t:
 *
 *     typedef struct { strata_stream_t base;  // must be first
 *                      ... } my_stream_t;
 *     static const strata_stream_type_t my_type = {
 *         STRATA_STREAM_TYPE_VERSION, "mine", STRATA_CAP_READ,
 *         sizeof(my_stream_t), my_read, NULL, NULL, NULL, NULL, my_close, NULL };
 *
 * Construction is two steps: strata_stream_alloc() gives a zeroed instance
 * that is not yet live (nothing to undo if the constructor then fails: free
 * what the type itself acquired and return the error; the inner stream is
 * untouched), and strata_stream_ready() makes it live and registers the pool
 * cleanup that closes it.
 *
 * Methods are called only by the dispatcher, which guarantees: s is live and
 * not closed; buf is valid for len bytes; out-parameters are non-NULL and
 * preset to 0; writes never come after shutdown_write; close is called at
 * most once, after shutdown_write (when the stream was writable).  Methods
 * must: report *n <= len; never return APR_EOF with data from read (if they
 * do, the dispatcher returns APR_SUCCESS and the type must report the end
 * again on the next call); never touch meters -- the dispatcher counts.
 * A method slot may be NULL: the dispatcher answers STRATA_ENOTSUP (flush and
 * shutdown_write have defaults, see below).
 */
#ifndef STRATA_STREAM_TYPE_H
#define STRATA_STREAM_TYPE_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STRATA_STREAM_TYPE_VERSION 1

struct strata_stream_type_t {
    int version;                 /**< STRATA_STREAM_TYPE_VERSION */
    const char *name;            /**< short lowercase name: "file", "gzip" */
    unsigned caps;               /**< STRATA_CAP_* the type can ever have */
    apr_size_t size;             /**< instance size, >= sizeof(strata_stream_t) */
    apr_status_t (*read)(strata_stream_t *s, void *buf, apr_size_t len,
                         apr_size_t *n);
    apr_status_t (*write)(strata_stream_t *s, const void *buf, apr_size_t len,
                          apr_size_t *n);
    /** NULL: a decorator flushes its inner stream, a base stream succeeds. */
    apr_status_t (*flush)(strata_stream_t *s, int mode);
    apr_status_t (*seek)(strata_stream_t *s, apr_off_t offset, int where,
                         apr_off_t *newpos);
    /** NULL: the dispatcher flushes (STRATA_FLUSH_BUFFERS) instead. */
    apr_status_t (*shutdown_write)(strata_stream_t *s);
    /** Release the type's resources; NULL if there are none.  The inner
     *  stream is closed by the dispatcher (STRATA_OWN_INNER), not here. */
    apr_status_t (*close)(strata_stream_t *s);
    apr_status_t (*control)(strata_stream_t *s, int op, void *arg);
};

/* The handle.  Fields other than those marked "type may set" belong to the
 * dispatcher; read them through the accessors in stream.h and meter.h. */
struct strata_stream_t {
    const strata_stream_type_t *type;     /* must be first */
    apr_pool_t *pool;
    strata_stream_t *inner;               /* decorated stream or NULL */
    unsigned flags;                       /* STRATA_OWN_INNER, ... */
    unsigned caps;                        /* type may set before ready */
    volatile apr_uint32_t state;          /* dispatcher's STRATA__ST_* bits */
    volatile apr_uint64_t read_bytes, read_ops, write_bytes, write_ops;
    strata_meter_t *meters[STRATA_STREAM_MAX_METERS];
    apr_status_t failed;                  /* see strata_stream_failed() */
};

/**
 * Allocate a zeroed instance of type->size bytes in @a pool with caps set to
 * type->caps.  @a inner may be NULL.  APR_EINVAL for a bad type (wrong
 * version, size too small).  The instance is not live until
 * strata_stream_ready().
 */
STRATA_API apr_status_t strata_stream_alloc(strata_stream_t **out,
                                            const strata_stream_type_t *type,
                                            strata_stream_t *inner,
                                            unsigned flags, apr_pool_t *pool);

/** Make @a s live: calls are accepted and a pool cleanup will close it. */
STRATA_API void strata_stream_ready(strata_stream_t *s);

/** Within a close method: non-zero if strata_close() was called explicitly,
 *  zero if the stream is being closed by its pool's cleanup.  A type that
 *  publishes on close (atomic replace) also checks strata_stream_failed():
 *  a failed or aborted stream must discard instead. */
STRATA_API int strata_stream_closing_explicitly(const strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_STREAM_TYPE_H */
