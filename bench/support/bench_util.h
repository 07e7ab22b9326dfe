/*
 * bench_util.h -- shared by every bench/bench_*.c program.
 *
 * Each program measures strata and the raw library or peer side by side in
 * the same run and prints one ROW line per comparison:
 *   ROW <name> strata=<v> <unit> <peer>=<v> <unit> ratio=<r> target>=<t> ok|BELOW
 * bench/run.sh runs them all.  Benches never fail a build or a test run:
 * a ratio below target prints BELOW and the program still exits 0.
 */
#ifndef STRATA_BENCH_UTIL_H
#define STRATA_BENCH_UTIL_H

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_time.h>

/* Monotonic seconds. */
double bench_now(void);

/* An integer from the environment, or @def (e.g. STRATA_BENCH_MB). */
apr_size_t bench_env_size(const char *name, apr_size_t def);

/* Print a ROW line: @higher_is_better says how the ratio is formed
 * (strata/peer when higher is better, peer/strata otherwise). */
void bench_row(const char *name, const char *unit, double strata,
               const char *peer, double peer_value, double target,
               int higher_is_better);

/* Run @fn @reps times and return the best (highest) value it reports. */
double bench_best(int reps, double (*fn)(void *), void *arg);

#endif /* STRATA_BENCH_UTIL_H */
