/*
 * os_uring.c (Windows) -- no io_uring: the calls are the portable
 * ENOTSUP ones (src/common/async_uring_none.c); only the test hook lives
 * here.
 */
#include "strata_private.h"
#include "strata_os_uring.h"

volatile apr_uint32_t strata__uring_refuse_ops;
