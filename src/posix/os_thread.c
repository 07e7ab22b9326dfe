/*
 * os_thread.c (POSIX) -- what starting threads needs beyond APR.
 */
#include "strata_private.h"
#include "strata_os.h"
#include <dlfcn.h>
#include <pthread.h>

static pthread_once_t os_thread_once = PTHREAD_ONCE_INIT;

static void os_thread_load(void)
{
    /* glibc's pthread_exit unwinds through libgcc_s, which it dlopens on
     * first use; kept loaded (RTLD_NODELETE), that later dlopen only finds
     * it.  Elsewhere (no such library) this fails harmlessly. */
    (void)dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_NODELETE);
}

void strata__os_thread_prepare(void)
{
    pthread_once(&os_thread_once, os_thread_load);
}
