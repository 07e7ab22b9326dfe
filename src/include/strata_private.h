/*
 * strata_private.h -- internals shared by the files of src/common.
 * Nothing here is exported; names carry the strata__ prefix.
 */
#ifndef STRATA_PRIVATE_H
#define STRATA_PRIVATE_H

#include "strata/strata.h"
#include "strata/stream_type.h"
#include <apr_atomic.h>

/* Dispatcher state bits (strata_stream_t.state). */
#define STRATA__ST_READY      0x01u  /* strata_stream_ready() ran */
#define STRATA__ST_WRITE_SHUT 0x02u  /* shutdown_write ran */
#define STRATA__ST_CLOSING    0x04u  /* close in progress */
#define STRATA__ST_CLOSED     0x08u  /* close finished */
#define STRATA__ST_EXPLICIT   0x10u  /* strata_close() was called */
#define STRATA__ST_ABORTED    0x20u  /* strata_abort() reached this stream */

/* The state bits are read and changed atomically: a socket may be read on
 * one thread while another shuts its write side down. */
static APR_INLINE apr_uint32_t strata__st(const strata_stream_t *s)
{
#if defined(__GNUC__) || defined(__clang__)
    return __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
#else
    return apr_atomic_read32((volatile apr_uint32_t *)&s->state);
#endif
}

/* Clear the bits @clear and set the bits @set in one atomic step. */
static APR_INLINE void strata__st_change(strata_stream_t *s, apr_uint32_t clear,
                                         apr_uint32_t set)
{
    apr_uint32_t old;

#if defined(__GNUC__) || defined(__clang__)
    old = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);
    while (!__atomic_compare_exchange_n(&s->state, &old, (old & ~clear) | set,
                                        0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ;
#else
    do {
        old = apr_atomic_read32(&s->state);
    } while (apr_atomic_cas32(&s->state, (old & ~clear) | set, old) != old);
#endif
}

#define strata__st_set(s, bits) strata__st_change((s), 0, (bits))

/* Directions for the metering helpers. */
#define STRATA__DIR_READ  0
#define STRATA__DIR_WRITE 1

struct strata_meter_t {
    const char *name;
    apr_pool_t *pool;                  /* owns the meter and its labels */
    int nlabels;
    const char *label_names[STRATA_METER_MAX_LABELS];
    const char *label_values[STRATA_METER_MAX_LABELS];
    volatile apr_uint64_t read_bytes, read_ops, write_bytes, write_ops;
    volatile apr_uint64_t quota;       /* bytes allowed */
    volatile apr_uint64_t quota_used;  /* spent + reserved by calls in flight */
    volatile apr_uint32_t quota_dirs;  /* STRATA_METER_* or 0: no quota */
};

/*
 * Begin one metered transfer on @s in direction @dir: checks the stream's
 * state and capability, then reserves up to @want bytes from every quota
 * that applies; *grant is what may move (<= want).  STRATA_EQUOTA when a
 * quota is spent.  Every successful begin must be paired with
 * strata__io_end(s, dir, grant, moved), which counts one op and the bytes
 * and gives back what was reserved but not moved.
 */
apr_status_t strata__io_begin(strata_stream_t *s, int dir, apr_size_t want,
                              apr_size_t *grant);
void strata__io_end(strata_stream_t *s, int dir, apr_size_t grant,
                    apr_size_t moved);
/* Undo a begin whose transfer never reached the stream: not an op. */
void strata__io_cancel(strata_stream_t *s, int dir, apr_size_t grant);

/*
 * Add @n to one of a stream's own counters.  Each of them has one writer at a
 * time -- the thread driving that direction, as stream.h requires -- so a
 * relaxed load and store suffice (no locked read-modify-write), and readers
 * on other threads still see whole values.  Shared meters, which many
 * threads feed, use apr_atomic_add64 instead.
 */
static APR_INLINE void strata__counter_add(volatile apr_uint64_t *c,
                                           apr_uint64_t n)
{
#if defined(__GNUC__) || defined(__clang__)
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + n,
                     __ATOMIC_RELAXED);
#else
    apr_atomic_add64(c, n);
#endif
}

/* Quota reservation on one meter (meter.c): *got is what was reserved
 * (<= want; want itself when no quota applies to @dir); STRATA_EQUOTA with
 * nothing reserved when the quota is spent.  Release gives back unused. */
apr_status_t strata__meter_reserve(strata_meter_t *m, int dir,
                                   apr_uint64_t want, apr_uint64_t *got);
void strata__meter_release(strata_meter_t *m, int dir, apr_uint64_t unused);
void strata__meter_count(strata_meter_t *m, int dir, apr_uint64_t bytes);

/* Mark @s and every stream under it failed with @rv (the first status
 * stays); see strata_stream_failed().  A decorator whose own finishing
 * failed calls this before deciding not to shut its inner stream down. */
void strata__stream_fail(strata_stream_t *s, apr_status_t rv);

/* The first failure status found in @s or any stream under it. */
apr_status_t strata__stack_failed(const strata_stream_t *s);

/* Non-zero if strata_abort() marked @s (its close must discard quietly). */
int strata__stream_aborted(const strata_stream_t *s);

/* For a decorator's shutdown_write: @rv is the result of finishing its own
 * output.  On failure, mark the stack failed and leave the inner stream's
 * write side open (closing will discard); on success shut the inner stream
 * down when owned and writable, else flush it. */
apr_status_t strata__shutdown_inner(strata_stream_t *s, apr_status_t rv);

/* From now on @s closes its inner stream (STRATA_OWN_INNER), for a
 * constructor that takes ownership only once a whole stack was built. */
void strata__stream_take_inner(strata_stream_t *s);

/* file.c: the apr_file_t behind a base file stream that the OS may copy
 * from/to directly (unbuffered, not decorated), or NULL. */
apr_file_t *strata__file_raw(strata_stream_t *s);

#endif /* STRATA_PRIVATE_H */
