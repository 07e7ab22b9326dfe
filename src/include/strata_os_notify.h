/*
 * strata_os_notify.h -- a descriptor that a foreign event loop can watch:
 * readable while signalled.  POSIX: an eventfd (Linux) or a pipe; Windows:
 * a connected pair of loopback sockets (select/WSAPoll watch sockets only).
 * Implemented in src/posix/os_notify.c and src/win32/os_notify.c.
 */
#ifndef STRATA_OS_NOTIFY_H
#define STRATA_OS_NOTIFY_H

#include <apr_pools.h>
#include <apr_portable.h>

typedef struct strata__notify_t strata__notify_t;

/* Make one, closed when @pool goes. */
apr_status_t strata__notify_create(strata__notify_t **out, apr_pool_t *pool);

/* Make the descriptor readable (idempotent while not drained). */
void strata__notify_signal(strata__notify_t *n);

/* Make it unreadable again (consume every signal so far). */
void strata__notify_drain(strata__notify_t *n);

/* The descriptor to watch for readability. */
apr_os_sock_t strata__notify_fd(strata__notify_t *n);

#endif /* STRATA_OS_NOTIFY_H */
