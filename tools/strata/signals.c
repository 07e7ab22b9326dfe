/*
 * signals.c -- SIGINT, SIGTERM and SIGHUP remove the output the tool is
 * writing (the temporary file of an atomic replace) and end the process
 * with exit status 128 + the signal number, as a shell reports a process
 * killed by it.  Only standard C (<signal.h>, remove(), _Exit()) is used,
 * so the same code serves every platform (Windows has no SIGHUP).
 *
 * One file at most is tracked at a time: the tool writes one output at a
 * time.  Its name is copied into a static buffer, so the handler touches
 * no heap and no APR state.
 */
#include "tool.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifndef _WIN32
#include <pthread.h>
#include <time.h>
#endif

static char sig_path[4096];
static volatile sig_atomic_t sig_tracking;

static void sig_handler(int sig)
{
    if (sig_tracking)
        remove(sig_path);
    _Exit(128 + sig);
}

/* Catch @a sig unless it was ignored when the tool started (a shell's
 * background job ignores SIGINT; keep it so). */
static void sig_catch(int sig)
{
    if (signal(sig, sig_handler) == SIG_IGN)
        signal(sig, SIG_IGN);
}

void tool_signals_init(void)
{
    sig_catch(SIGINT);
    sig_catch(SIGTERM);
#ifdef SIGHUP
    sig_catch(SIGHUP);
#endif
}

void tool_signals_track(const char *path)
{
    sig_tracking = 0;
    if (path == NULL || strlen(path) >= sizeof(sig_path))
        return;
    memcpy(sig_path, path, strlen(path) + 1);
    sig_tracking = 1;
}

void tool_signals_untrack(void)
{
    sig_tracking = 0;
}

/* POSIX delivers a process signal to any thread that does not block it;
 * under a sanitizer that defers handlers, a reactor thread asleep in
 * epoll_wait may then never run it.  Threads started while the signals are
 * held inherit the mask, so only the thread that releases them gets them.
 * Windows runs console handlers on a thread of its own: nothing to do. */
void tool_signals_hold(int hold)
{
#ifndef _WIN32
    sigset_t set;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
#else
    (void)hold;
#endif
}

/* Wait up to @a ms milliseconds for SIGINT or SIGTERM, held by
 * tool_signals_hold(1): the signal number, or 0.  On Linux the signal is
 * taken with sigtimedwait(), so no handler runs at all (a sanitizer that
 * defers handlers cannot delay it); elsewhere this only sleeps and the
 * caller's handler reports the signal. */
int tool_signals_wait(int ms)
{
#ifdef __linux__
    sigset_t set;
    struct timespec ts;
    int sig;

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    sig = sigtimedwait(&set, NULL, &ts);
    return sig > 0 ? sig : 0;
#else
    apr_sleep(apr_time_from_msec(ms));
    return 0;
#endif
}
