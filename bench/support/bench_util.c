/*
 * bench_util.c -- timing and reporting for the benches.
 */
#include "bench_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_now(void)
{
#if defined(CLOCK_MONOTONIC) && !defined(_WIN32)
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#else
    return (double)apr_time_now() / 1e6;
#endif
}

apr_size_t bench_env_size(const char *name, apr_size_t def)
{
    const char *v = getenv(name);

    return v != NULL && *v ? (apr_size_t)strtoull(v, NULL, 10) : def;
}

void bench_row(const char *name, const char *unit, double strata,
               const char *peer, double peer_value, double target,
               int higher_is_better)
{
    double ratio = higher_is_better ? strata / peer_value : peer_value / strata;

    printf("ROW %-28s strata=%.1f %s  %s=%.1f %s  ratio=%.3f  target>=%.2f  %s\n",
           name, strata, unit, peer, peer_value, unit, ratio, target,
           ratio >= target ? "ok" : "BELOW");
    fflush(stdout);
}

double bench_best(int reps, double (*fn)(void *), void *arg)
{
    double best = 0, v;
    int i;

    for (i = 0; i < reps; i++) {
        v = fn(arg);
        if (v > best)
            best = v;
    }
    return best;
}
