/*
 * os_thread.c (Windows) -- what starting threads needs beyond APR: nothing.
 */
#include "strata_private.h"
#include "strata_os.h"

void strata__os_thread_prepare(void)
{
}
