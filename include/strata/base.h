/*
 * strata/base.h -- version, export macro and error codes.
 *
 * Every strata call returns an apr_status_t: APR's own codes (APR_EOF,
 * APR_TIMEUP, APR_EINTR, OS errors...) or one of the STRATA_E* codes below,
 * which live in APR's user error space.  Test them with the STRATA_STATUS_IS_*
 * macros or plain equality; name any of them with strata_strerror().
 */
#ifndef STRATA_BASE_H
#define STRATA_BASE_H

#include <apr.h>
#include <apr_errno.h>
#include <apr_pools.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STRATA_VERSION_MAJOR 0
#define STRATA_VERSION_MINOR 1
#define STRATA_VERSION_PATCH 0
#define STRATA_VERSION_STRING "0.1.0"

/* STRATA_API marks the exported interface; everything else is hidden. */
#if defined(_WIN32) && !defined(STRATA_STATIC)
#  ifdef STRATA_BUILDING
#    define STRATA_API __declspec(dllexport)
#  else
#    define STRATA_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define STRATA_API __attribute__((visibility("default")))
#else
#  define STRATA_API
#endif

/* First status code of strata's own range (inside APR's user error space). */
#define STRATA_START_ERROR (APR_OS_START_USERERR + 2000)

/** Corrupt input: a decoder or parser met bytes that cannot be valid. */
#define STRATA_EBADDATA   (STRATA_START_ERROR + 1)
/** A configured limit was reached.  Limits that have a code of their own
 *  (STRATA_ELIMIT_RECORD ... _DEPTH below) use it; this code remains for the
 *  others (memory stream size, meters per stream, pipe buffer hint).  Test
 *  for any limit with STRATA_STATUS_IS_LIMIT(). */
#define STRATA_ELIMIT     (STRATA_START_ERROR + 2)
/** A shared meter's byte quota is spent; nothing moved past it. */
#define STRATA_EQUOTA     (STRATA_START_ERROR + 3)
/** The stream (or the direction used) is closed or shut down. */
#define STRATA_ECLOSED    (STRATA_START_ERROR + 4)
/** The stream type does not support this operation. */
#define STRATA_ENOTSUP    (STRATA_START_ERROR + 5)
/** The input ended before a complete unit (member, frame, record). */
#define STRATA_ETRUNCATED (STRATA_START_ERROR + 6)
/** A stream type broke the method contract (e.g. reported n > len). */
#define STRATA_EBADSTREAM (STRATA_START_ERROR + 7)
/** A call came in the wrong order (e.g. commit without a buffer). */
#define STRATA_ESTATE     (STRATA_START_ERROR + 8)
/* Last code in use; strata_strerror() names everything up to here. */
#define STRATA_LAST_ERROR STRATA_ESTATE

/* Net (strata/net.h, strata/tcp_server.h): STRATA_START_ERROR + 60..79. */
/** The peer reset the connection (RST), or is gone (EPIPE, ECONNABORTED). */
#define STRATA_ERESET     (STRATA_START_ERROR + 60)
/** The server cut the connection (idle timeout, or stop after its grace). */
#define STRATA_ECUT       (STRATA_START_ERROR + 61)
#define STRATA_NET_LAST_ERROR STRATA_ECUT

/* Codes +20..+39 (hardening-core).  STRATA_LAST_ERROR above keeps its
 * meaning; strata_strerror() names these too. */
/** A record (read_line / read_until / pipe read_until) is longer than the
 *  maximum the call allows. */
#define STRATA_ELIMIT_RECORD (STRATA_START_ERROR + 20)
/** A decoder reached its output limit (max_output) with more to come. */
#define STRATA_ELIMIT_OUTPUT (STRATA_START_ERROR + 21)
/** A decoder's output outgrew max_ratio times its compressed input (past
 *  the grace): a likely decompression bomb. */
#define STRATA_ELIMIT_RATIO  (STRATA_START_ERROR + 22)
/** A codec needs more memory than its cap (max_memory, xz dictionary, zstd
 *  window). */
#define STRATA_ELIMIT_MEMORY (STRATA_START_ERROR + 23)
/** A stack would have more codec layers than max_depth. */
#define STRATA_ELIMIT_DEPTH  (STRATA_START_ERROR + 24)
/** The stream was abandoned with strata_abort(): what was written through it
 *  is discarded (a pipe reader sees this after the data). */
#define STRATA_EABORTED      (STRATA_START_ERROR + 25)
/* Last code of this block. */
#define STRATA_LAST_ERROR_CORE STRATA_EABORTED

#define STRATA_STATUS_IS_BADDATA(s)   ((s) == STRATA_EBADDATA)
/** True for STRATA_ELIMIT and every STRATA_ELIMIT_* code. */
#define STRATA_STATUS_IS_LIMIT(s)     ((s) == STRATA_ELIMIT \
    || ((s) >= STRATA_ELIMIT_RECORD && (s) <= STRATA_ELIMIT_DEPTH))
#define STRATA_STATUS_IS_ABORTED(s)   ((s) == STRATA_EABORTED)
#define STRATA_STATUS_IS_QUOTA(s)     ((s) == STRATA_EQUOTA)
#define STRATA_STATUS_IS_CLOSED(s)    ((s) == STRATA_ECLOSED)
#define STRATA_STATUS_IS_NOTSUP(s)    ((s) == STRATA_ENOTSUP)
#define STRATA_STATUS_IS_TRUNCATED(s) ((s) == STRATA_ETRUNCATED)

/**
 * Describe @a status in @a buf (at most @a bufsize bytes, always
 * NUL-terminated when bufsize > 0).  Names strata's own codes and defers to
 * apr_strerror() for everything else, so OS and APR codes read as usual.
 * Returns @a buf, like apr_strerror().
 */
STRATA_API char *strata_strerror(apr_status_t status, char *buf,
                                 apr_size_t bufsize);

/** The library's version string, e.g. "0.1.0". */
STRATA_API const char *strata_version(void);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_BASE_H */
