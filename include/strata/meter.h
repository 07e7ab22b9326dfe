/*
 * strata/meter.h -- per-stream counters and shared meters.
 *
 * Every stream counts what crossed its own layer: read_bytes, read_ops,
 * write_bytes, write_ops.  An op is one call that reached the type's method,
 * even one that moved 0 bytes or failed; bytes are what it moved.  Calls the
 * dispatcher refused (closed stream, bad arguments, spent quota) are not ops,
 * nor is a call to a method the type lacks (STRATA_ENOTSUP).
 *
 * A stream may also feed up to STRATA_STREAM_MAX_METERS shared meters
 * (strata_meter_t: a tenant, a server, the process).  Their counters are
 * updated atomically and may be read, reset and exported from any thread.
 * A meter can carry a byte quota: a call is clamped so that the bytes counted
 * against the quota never pass it, and once it is spent the next call fails
 * with STRATA_EQUOTA and moves nothing.
 */
#ifndef STRATA_METER_H
#define STRATA_METER_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A snapshot of four counters. */
typedef struct strata_counts_t {
    apr_uint64_t read_bytes;
    apr_uint64_t read_ops;
    apr_uint64_t write_bytes;
    apr_uint64_t write_ops;
} strata_counts_t;

/* Directions a quota applies to. */
#define STRATA_METER_READ  0x1u
#define STRATA_METER_WRITE 0x2u
#define STRATA_METER_BOTH  (STRATA_METER_READ | STRATA_METER_WRITE)

/** Snapshot the stream's own counters (safe from any thread). */
STRATA_API void strata_stream_counts(const strata_stream_t *s,
                                     strata_counts_t *out);

/**
 * Create a shared meter named @a name (copied; used as the `meter` label in
 * the Prometheus output) in @a pool, which owns it.  The meter must outlive
 * every stream that feeds it.
 */
STRATA_API apr_status_t strata_meter_create(strata_meter_t **out,
                                            const char *name,
                                            apr_pool_t *pool);

/** The meter's name. */
STRATA_API const char *strata_meter_name(const strata_meter_t *m);

/**
 * Make @a s feed @a m from now on.  APR_EINVAL for NULL arguments,
 * STRATA_ELIMIT if the stream already feeds STRATA_STREAM_MAX_METERS meters.
 * Attaching the same meter twice is a no-op.  Not to be called while another
 * thread is using @a s.
 */
STRATA_API apr_status_t strata_stream_attach_meter(strata_stream_t *s,
                                                   strata_meter_t *m);

/** Stop feeding @a m.  APR_NOTFOUND if it was not attached. */
STRATA_API apr_status_t strata_stream_detach_meter(strata_stream_t *s,
                                                   strata_meter_t *m);

/** Snapshot the meter's counters (each counter is read atomically). */
STRATA_API void strata_meter_snapshot(const strata_meter_t *m,
                                      strata_counts_t *out);

/** Zero the counters and the bytes counted against the quota. */
STRATA_API void strata_meter_reset(strata_meter_t *m);

/**
 * Set a quota of @a bytes over the directions in @a dirs (STRATA_METER_READ,
 * _WRITE or _BOTH), counted from now on.  @a dirs == 0 removes the quota.
 * Bytes reserved by calls in flight count against it, so concurrent streams
 * together never move more than @a bytes.
 */
STRATA_API void strata_meter_set_quota(strata_meter_t *m, apr_uint64_t bytes,
                                       unsigned dirs);

/** Bytes still allowed under the quota, or APR_UINT64_MAX without a quota. */
STRATA_API apr_uint64_t strata_meter_quota_left(const strata_meter_t *m);

/**
 * Write @a n meters in the Prometheus text exposition format (version 0.0.4)
 * to @a out: counters <prefix>_read_bytes_total, _read_ops_total,
 * _write_bytes_total, _write_ops_total and, for meters with a quota, gauges
 * <prefix>_quota_bytes and <prefix>_quota_used_bytes, each with the label
 * meter="<name>" (escaped as the format requires).  @a prefix NULL means
 * "strata"; a prefix that is not a valid metric name gives APR_EINVAL and
 * writes nothing.  Returns the first write error.
 */
STRATA_API apr_status_t strata_meter_write_prometheus(strata_stream_t *out,
                                                      strata_meter_t *const *meters,
                                                      apr_size_t n,
                                                      const char *prefix);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_METER_H */
