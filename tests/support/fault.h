/*
 * fault.h -- a fault-injection stream for the tests.
 *
 * Wraps any stream and passes calls through, except that, on demand, it:
 *  - moves at most one byte per read or write (one_byte),
 *  - answers every Nth read/write call with APR_EINTR (eintr_every) or
 *    APR_EAGAIN (eagain_every) without reaching the inner stream,
 *  - fails the Nth read call (fail_read_at, 1-based) or the Nth write call
 *    (fail_write_at) or every flush (fail_flush) with fail_status, and, with
 *    fail_sticky, every later call of that direction too.
 * Calls are counted per direction, injected ones included.  Every decorator
 * is tested against it: a correct decorator either retries or passes the
 * fault up, and loses no data either way.
 */
#ifndef STRATA_TEST_FAULT_H
#define STRATA_TEST_FAULT_H

#include "strata/strata.h"

typedef struct strata_fault_opts_t {
    int one_byte;
    unsigned eintr_every;
    unsigned eagain_every;
    apr_uint64_t fail_read_at;
    apr_uint64_t fail_write_at;
    int fail_flush;
    apr_status_t fail_status;     /* 0 means APR_EGENERAL */
    int fail_sticky;
} strata_fault_opts_t;

/* Create the fault stream over @inner (flags: STRATA_OWN_INNER).  Its caps
 * are the inner stream's.  @opts is copied; NULL means pass-through. */
apr_status_t strata_fault_create(strata_stream_t **out, strata_stream_t *inner,
                                 const strata_fault_opts_t *opts,
                                 unsigned flags, apr_pool_t *pool);

/* Change the options of a live fault stream (counters keep running). */
void strata_fault_set(strata_stream_t *s, const strata_fault_opts_t *opts);

/* Calls seen so far, per direction. */
apr_uint64_t strata_fault_read_calls(strata_stream_t *s);
apr_uint64_t strata_fault_write_calls(strata_stream_t *s);

#endif /* STRATA_TEST_FAULT_H */
