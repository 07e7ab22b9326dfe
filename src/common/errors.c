/*
 * errors.c -- strata_strerror() and the version string.
 */
#include "strata_private.h"
#include "strata/executor.h"
#include <apr_strings.h>

static const char *const strata_messages[] = {
    /* STRATA_EBADDATA   */ "corrupt input data",
    /* STRATA_ELIMIT     */ "a configured limit was reached",
    /* STRATA_EQUOTA     */ "meter quota exhausted",
    /* STRATA_ECLOSED    */ "stream is closed",
    /* STRATA_ENOTSUP    */ "operation not supported by this stream",
    /* STRATA_ETRUNCATED */ "input ended early (truncated)",
    /* STRATA_EBADSTREAM */ "stream type broke the method contract",
    /* STRATA_ESTATE     */ "call out of order for the object's state",
};

static const char *const strata_net_messages[] = {
    /* STRATA_ERESET */ "connection reset by peer",
    /* STRATA_ECUT   */ "connection cut by the server (idle or stopping)",
};

/* STRATA_ELIMIT_RECORD .. STRATA_LAST_ERROR_CORE */
static const char *const strata_messages_core[] = {
    /* STRATA_ELIMIT_RECORD */ "record longer than the allowed maximum "
                               "(record length limit)",
    /* STRATA_ELIMIT_OUTPUT */ "decompressed output limit reached",
    /* STRATA_ELIMIT_RATIO  */ "decompression ratio limit exceeded "
                               "(possible decompression bomb)",
    /* STRATA_ELIMIT_MEMORY */ "codec memory limit reached",
    /* STRATA_ELIMIT_DEPTH  */ "too many nested codec layers "
                               "(stack depth limit)",
    /* STRATA_EABORTED      */ "stream was aborted; its output was discarded",
};

/* Codes of the executor and async streams (strata/executor.h). */
static const char *const strata_async_messages[] = {
    /* STRATA_ECANCELED  */ "operation cancelled before it started",
};
#define STRATA__ASYNC_FIRST STRATA_ECANCELED
#define STRATA__ASYNC_COUNT \
    (sizeof(strata_async_messages) / sizeof(strata_async_messages[0]))

char *strata_strerror(apr_status_t status, char *buf, apr_size_t bufsize)
{
    if (buf == NULL || bufsize == 0)
        return buf;
    if (status >= STRATA_ERESET && status <= STRATA_NET_LAST_ERROR) {
        apr_cpystrn(buf, strata_net_messages[status - STRATA_ERESET], bufsize);
        return buf;
    }
    if (status > STRATA_START_ERROR && status <= STRATA_LAST_ERROR) {
        apr_cpystrn(buf, strata_messages[status - STRATA_START_ERROR - 1],
                    bufsize);
        return buf;
    }
    if (status >= STRATA_ELIMIT_RECORD && status <= STRATA_LAST_ERROR_CORE) {
        apr_cpystrn(buf, strata_messages_core[status - STRATA_ELIMIT_RECORD],
                    bufsize);
        return buf;
    }
    if (status >= STRATA__ASYNC_FIRST
        && status < STRATA__ASYNC_FIRST + (apr_status_t)STRATA__ASYNC_COUNT) {
        apr_cpystrn(buf, strata_async_messages[status - STRATA__ASYNC_FIRST],
                    bufsize);
        return buf;
    }
    if (status >= STRATA_START_ERROR && status < STRATA_START_ERROR + 1000) {
        apr_snprintf(buf, bufsize, "unknown strata error %d", (int)status);
        return buf;
    }
    return apr_strerror(status, buf, bufsize);
}

const char *strata_version(void)
{
    return STRATA_VERSION_STRING;
}
