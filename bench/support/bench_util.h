/*
 * bench_util.h -- shared by every bench/bench_*.c program.
 *
 * Each program measures strata and the raw library or peer side by side in
 * the same run and prints one ROW line per comparison:
 *   ROW <name> strata=<v> <unit>  <peer>=<v> <unit>  ratio=<median>
 *       iqr=<q1>-<q3> range=<min>-<max> pairs=<n> clock=<cpu|wall|value>
 *       [<other clock>=<median>]  target>=<t>  ok|BELOW [noisy]
 * bench/run.sh runs them all.  Benches never fail a build or a test run:
 * a ratio below target prints BELOW and the program still exits 0.
 *
 * Paired alternation.  A machine shared with other work speeds up and slows
 * down over seconds; "best of N" of each side, or one long run of each,
 * lets that drift land on one side of the ratio.  Instead the two sides run
 * in alternation, many times, in blocks of two pairs, A B B A: within a
 * block a steady drift and "which side ran first" both cancel, since each
 * side has one early and one late run, one after itself and one after the
 * other side.  Each block gives one ratio (from the sums of its two runs of
 * each side), and the row reports the median of those ratios with their
 * interquartile range and their extremes.  The verdict uses the median; the
 * row says "noisy" when the interquartile range straddles the target, i.e.
 * when this run cannot tell ok from BELOW.  STRATA_BENCH_CONTROL=1 adds an
 * A/A control to timed rows: B timed against itself in the same blocks,
 * whose median shows how far this machine, right now, moves a ratio that
 * should be 1.
 *
 * Two ways to use it:
 *  - bench_pair_time(): each side is a function that does one run of the
 *    same fixed work and returns 0 (non-zero: the run failed); the helper
 *    times every run, in wall-clock time and in process CPU time, and forms
 *    each block's ratio as time(B) / time(A) on the chosen clock (> 1: A is
 *    faster).  CPU time is the fairer clock for single-threaded work on a
 *    busy machine (time spent waiting for a core does not count); wall time
 *    is the one for threaded work and for anything that waits.  The row
 *    shows the other clock's median ratio too.
 *  - bench_pair_values(): each side measures itself and returns a value
 *    where higher is better (MB/s, say; <= 0 means the run failed).  For
 *    sides the helper cannot time
 *    (a child process such as pigz) or that already time themselves;
 *    each block's ratio is value(A) / value(B).
 * Either fills a bench_pair_t; bench_pair_row() prints it.  By convention
 * side A is strata and side B the peer, so a ratio above 1 favours strata.
 *
 *   static int run_strata(void *arg) { ...one pass over the data...; return 0; }
 *   static int run_raw(void *arg)    { ...the same pass, raw...;      return 0; }
 *   bench_pair_t r;
 *   bench_pair_time(bench_pairs(21), BENCH_CPU, run_strata, run_raw, &job, &r);
 *   bench_pair_row("file-read-4k", "MiB/s", mib_per_run, "read()", &r, 0.95);
 *
 * STRATA_BENCH_PAIRS overrides every program's number of pairs (rounded up
 * to whole blocks: 2 pairs each).
 */
#ifndef STRATA_BENCH_UTIL_H
#define STRATA_BENCH_UTIL_H

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_time.h>

/* Monotonic seconds. */
double bench_now(void);

/* CPU seconds used by the whole process (all threads, user + system). */
double bench_cpu_now(void);

/* An integer from the environment, or @def (e.g. STRATA_BENCH_MB). */
apr_size_t bench_env_size(const char *name, apr_size_t def);

/* Print a ROW line from two single figures: @higher_is_better says how the
 * ratio is formed (strata/peer when higher is better, peer/strata
 * otherwise).  For figures that are not timings (peak memory, say); timed
 * comparisons use the paired helpers below. */
void bench_row(const char *name, const char *unit, double strata,
               const char *peer, double peer_value, double target,
               int higher_is_better);

/* Run @fn @reps times and return the best (highest) value it reports. */
double bench_best(int reps, double (*fn)(void *), void *arg);

/* ---- paired alternation ---------------------------------------------------- */

/* Which measure a paired comparison's ratio uses. */
#define BENCH_CPU   0   /* process CPU time per run (bench_pair_time) */
#define BENCH_WALL  1   /* wall-clock time per run (bench_pair_time) */
#define BENCH_VALUE 2   /* the sides' own values (bench_pair_values) */

/* Order statistics of a sample. */
typedef struct bench_stats_t {
    int n;
    double median, q1, q3, min, max;
} bench_stats_t;

/* One paired comparison of side A against side B. */
typedef struct bench_pair_t {
    int clock;               /* BENCH_CPU, BENCH_WALL or BENCH_VALUE */
    int failed;              /* a run failed: the figures are not valid */
    bench_stats_t ratio;     /* per-block ratios on @clock; > 1 favours A */
    bench_stats_t ratio_alt; /* the same on the other clock (timed only) */
    bench_stats_t a, b;      /* per-run seconds on @clock, or the values
                                (each the mean of a block's two runs) */
    bench_stats_t control;   /* B against B (STRATA_BENCH_CONTROL); n = 0
                                when not run */
} bench_pair_t;

/* The number of pairs: STRATA_BENCH_PAIRS if set, else @def. */
int bench_pairs(int def);

/*
 * Time @fa and @fb (each one run of the same work, returning 0 on success)
 * alternately, in (@pairs + 1) / 2 blocks A B B A after one unrecorded
 * warm-up run of each, and fill @r; the ratio of each block is the time of
 * its B runs over that of its A runs on @clock (BENCH_CPU or BENCH_WALL).
 * Returns 0, or -1 if a run failed (r->failed is set).
 */
int bench_pair_time(int pairs, int clock, int (*fa)(void *),
                    int (*fb)(void *), void *arg, bench_pair_t *r);
/* The same with one argument per side: @fa(@a), @fb(@b). */
int bench_pair_time2(int pairs, int clock, int (*fa)(void *), void *a,
                     int (*fb)(void *), void *b, bench_pair_t *r);

/*
 * Run @fa and @fb (each returning its own higher-is-better value, <= 0 on
 * failure) alternately, in (@pairs + 1) / 2 blocks A B B A after one
 * unrecorded warm-up run of each, and fill @r; the ratio of each block is
 * the sum of its A values over the sum of its B values.  Returns 0, or -1
 * if a run failed.
 */
int bench_pair_values(int pairs, double (*fa)(void *), double (*fb)(void *),
                      void *arg, bench_pair_t *r);
/* The same with one argument per side: @fa(@a), @fb(@b). */
int bench_pair_values2(int pairs, double (*fa)(void *), void *a,
                       double (*fb)(void *), void *b, bench_pair_t *r);

/*
 * Print the ROW line for @r.  For a timed pair, the strata and peer figures
 * are @work (units of work per run, e.g. MiB) divided by each side's median
 * time, so @unit is "<work unit>/s"; for values they are each side's median
 * value and @work is ignored.
 */
void bench_pair_row(const char *name, const char *unit, double work,
                    const char *peer, const bench_pair_t *r, double target);

#endif /* STRATA_BENCH_UTIL_H */
