/*
 * strata/fault.h -- a stream that fails on demand, for testing your code.
 *
 * The fault stream wraps any stream and passes every call through to it,
 * except that, as its options say, it:
 *  - moves at most max_io bytes per read or write (one_byte: at most 1), so
 *    short reads and short writes happen on every call;
 *  - answers every Nth read or write call with APR_EINTR (eintr_every) or
 *    APR_EAGAIN (eagain_every), without reaching the inner stream;
 *  - fails the Nth read call (fail_read_at, counted from 1) or the Nth write
 *    call (fail_write_at), every flush (fail_flush) and/or the close
 *    (fail_close) with fail_status; with fail_sticky, every read (or write)
 *    after the failing one fails the same way, as a broken disk or a reset
 *    connection would.
 * Read and write calls are counted per direction, injected faults included,
 * so "fail at call N" is reproducible: run your code once under the fault
 * stream with no faults, read the call counts, then rerun it failing at
 * each call from 1 to that count to reach every error path.
 *
 * Everything else (seek, control, shutdown_write) passes through.  The
 * stream's capabilities are the inner stream's.  It is metered like any
 * stream: an injected fault that reached the fault stream's method counts as
 * an op on the fault layer (not on the inner stream, which never saw it).
 *
 * Example -- is my reader correct when the file gives one byte at a time
 * and every third call is interrupted?
 *
 *     strata_fault_opts_t o = { 0 };
 *     o.one_byte = 1;
 *     o.eintr_every = 3;
 *     strata_fault_create(&f, file, &o, STRATA_OWN_INNER, pool);
 *     my_parser(f);     // must retry APR_EINTR and loop on short reads
 *
 * See examples/fault_injection.c for a whole program.
 */
#ifndef STRATA_FAULT_H
#define STRATA_FAULT_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What to inject.  All zero: pass everything through unchanged. */
typedef struct strata_fault_opts_t {
    int one_byte;              /**< non-zero: at most 1 byte per read/write */
    unsigned eintr_every;      /**< every Nth read/write call: APR_EINTR */
    unsigned eagain_every;     /**< every Nth read/write call: APR_EAGAIN */
    apr_uint64_t fail_read_at; /**< read call N (1-based) fails; 0: never */
    apr_uint64_t fail_write_at;/**< write call N (1-based) fails; 0: never */
    int fail_flush;            /**< non-zero: every flush fails */
    apr_status_t fail_status;  /**< the failure's code; 0 means APR_EGENERAL */
    int fail_sticky;           /**< non-zero: calls after a failed one fail too */
    apr_size_t max_io;         /**< at most this many bytes per read/write; 0: no cap */
    int fail_close;            /**< non-zero: close returns fail_status (the
                                    stream, and with STRATA_OWN_INNER the
                                    inner stream, are closed anyway) */
} strata_fault_opts_t;

/**
 * Create a fault stream over @a inner.  @a flags may hold STRATA_OWN_INNER
 * (closing the fault stream closes @a inner).  @a opts is copied; NULL means
 * pass everything through.  APR_EINVAL for a NULL @a out, @a inner or
 * @a pool; on any error @a inner is untouched and *out unchanged.
 */
STRATA_API apr_status_t strata_fault_create(strata_stream_t **out,
                                            strata_stream_t *inner,
                                            const strata_fault_opts_t *opts,
                                            unsigned flags, apr_pool_t *pool);

/**
 * Replace the options of a live fault stream, e.g. to start failing after a
 * setup phase.  The call counters keep running; a sticky failure is
 * forgotten.  APR_EINVAL if @a s is not a fault stream or @a opts is NULL.
 * Not to be called while another thread is using @a s.
 */
STRATA_API apr_status_t strata_fault_set(strata_stream_t *s,
                                         const strata_fault_opts_t *opts);

/** Read calls the fault stream has seen (injected faults included);
 *  0 if @a s is not a fault stream. */
STRATA_API apr_uint64_t strata_fault_read_calls(strata_stream_t *s);

/** Write calls the fault stream has seen (injected faults included);
 *  0 if @a s is not a fault stream. */
STRATA_API apr_uint64_t strata_fault_write_calls(strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_FAULT_H */
