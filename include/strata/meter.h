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
 *
 * Labels.  A meter has a name (the Prometheus label meter="NAME") and may
 * carry up to STRATA_METER_MAX_LABELS more labels, set with
 * strata_meter_set_label(): "tenant" and "layer" by convention
 * (STRATA_LABEL_TENANT, STRATA_LABEL_LAYER), or any name the user likes.
 * They describe the meter; they do not change what it counts.
 *
 * Which layer a tenant meter belongs on.  A meter counts the calls that
 * reach the streams it is attached to, so the layer decides what is billed:
 * attached to the bottom of a stack (the file or socket) it counts bytes
 * on the disk or the wire -- what compression saved is not billed; attached
 * to the top (e.g. the gzip writer a handler writes into) it counts the
 * plain, logical bytes the tenant produced.  Pick one layer per meter and
 * say which with the "layer" label ("wire", "plain", or the stream's
 * name).  To see both, use two meters (same tenant label, different layer
 * labels).  One meter attached to two layers of the same stack counts the
 * same data twice -- once per layer it crosses -- and its quota is spent
 * twice as fast.
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

/** Most labels a meter carries besides its name. */
#define STRATA_METER_MAX_LABELS 8
/** Conventional label: whose bytes these are. */
#define STRATA_LABEL_TENANT "tenant"
/** Conventional label: which layer of the stack the meter is attached to. */
#define STRATA_LABEL_LAYER  "layer"

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
 * Give @a m the label @a name with @a value (both copied into the meter's
 * pool), replacing that label's value if it has one; @a value NULL removes
 * the label (APR_NOTFOUND if there was none).  @a name must be a valid
 * Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*), not starting with "__"
 * and not "meter" (the name's own label): APR_EINVAL otherwise, as for NULL
 * @a m or @a name.  @a value may hold any bytes: the Prometheus writer
 * escapes backslash, double quote and newline, and writes a byte that is
 * not valid UTF-8 as U+FFFD.  STRATA_ELIMIT when the meter already has
 * STRATA_METER_MAX_LABELS labels.  Set labels before the meter is shared:
 * not to be called while another thread exports or reads its labels.
 */
STRATA_API apr_status_t strata_meter_set_label(strata_meter_t *m,
                                               const char *name,
                                               const char *value);

/** The value of label @a name on @a m, or NULL if it has none. */
STRATA_API const char *strata_meter_get_label(const strata_meter_t *m,
                                              const char *name);

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
 * to @a out, one metric family per counter, each introduced by its # HELP
 * and # TYPE lines: counters <prefix>_read_bytes_total, _read_ops_total,
 * _write_bytes_total, _write_ops_total and, when some meter has a quota,
 * gauges <prefix>_quota_bytes and <prefix>_quota_used_bytes (for those
 * meters only).  Each sample carries meter="<name>" followed by the meter's
 * own labels in the order they were first set, values escaped as the format
 * requires.  Each meter is snapshotted once, so its lines agree.
 * @a prefix NULL means "strata".  APR_EINVAL, with nothing written, for a
 * prefix that is not a valid metric name, a NULL @a out, a NULL @a meters
 * with @a n > 0, or two meters with the same name and labels (Prometheus
 * would reject the duplicate series).  Otherwise returns the first write
 * error.  The text is built in memory and written with one
 * strata_write_all().
 */
STRATA_API apr_status_t strata_meter_write_prometheus(strata_stream_t *out,
                                                      strata_meter_t *const *meters,
                                                      apr_size_t n,
                                                      const char *prefix);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_METER_H */
