/*
 * bench_util.c -- timing, paired alternation and reporting for the benches.
 */
#include "bench_util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _WIN32
#include <windows.h>
#endif

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

double bench_cpu_now(void)
{
#if defined(_WIN32)
    FILETIME c, e, k, u;
    ULARGE_INTEGER kk, uu;

    if (!GetProcessTimes(GetCurrentProcess(), &c, &e, &k, &u))
        return 0;
    kk.LowPart = k.dwLowDateTime;
    kk.HighPart = k.dwHighDateTime;
    uu.LowPart = u.dwLowDateTime;
    uu.HighPart = u.dwHighDateTime;
    return (double)(kk.QuadPart + uu.QuadPart) / 1e7;   /* 100 ns units */
#elif defined(CLOCK_PROCESS_CPUTIME_ID)
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
#else
    return (double)clock() / CLOCKS_PER_SEC;
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

/* ---- paired alternation ---------------------------------------------------- */

int bench_pairs(int def)
{
    apr_size_t n = bench_env_size("STRATA_BENCH_PAIRS", 0);

    return n > 0 && n < 100000 ? (int)n : def;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* The @p quantile of sorted @v (linear interpolation between ranks). */
static double quantile(const double *v, int n, double p)
{
    double pos = p * (n - 1);
    int i = (int)pos;

    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (pos - i) * (v[i + 1] - v[i]);
}

/* Fill @st from the @n values at @v (sorted in place). */
static void stats_of(double *v, int n, bench_stats_t *st)
{
    memset(st, 0, sizeof(*st));
    if (n <= 0)
        return;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    st->n = n;
    st->min = v[0];
    st->max = v[n - 1];
    st->median = quantile(v, n, 0.5);
    st->q1 = quantile(v, n, 0.25);
    st->q3 = quantile(v, n, 0.75);
}

/* One timed run of @fn: wall and CPU seconds. */
static int time_one(int (*fn)(void *), void *arg, double *wall, double *cpu)
{
    double w0 = bench_now(), c0 = bench_cpu_now();
    int rc = fn(arg);

    *wall = bench_now() - w0;
    *cpu = bench_cpu_now() - c0;
    if (*wall <= 0)
        *wall = 1e-9;
    if (*cpu <= 0)
        *cpu = 1e-9;
    return rc;
}

/* Timed runs of A and B in the order A B B A: one block, one ratio. */
static int time_block(int (*fa)(void *), void *a, int (*fb)(void *), void *b,
                      double wa[2], double ca[2], double wb[2], double cb[2])
{
    return time_one(fa, a, &wa[0], &ca[0]) || time_one(fb, b, &wb[0], &cb[0])
           || time_one(fb, b, &wb[1], &cb[1]) || time_one(fa, a, &wa[1], &ca[1]);
}

/* STRATA_BENCH_CONTROL=1: also time B against itself (an A/A control). */
static int control_wanted(void)
{
    const char *v = getenv("STRATA_BENCH_CONTROL");

    return v != NULL && *v != '\0' && *v != '0';
}

/* The control: B B B B blocks, ratio of the middle two to the outer two. */
static void time_control(int blocks, int clock, int (*fb)(void *), void *b,
                         bench_pair_t *r)
{
    double *v = malloc((size_t)blocks * sizeof(*v));
    double wa[2], ca[2], wb[2], cb[2];
    int i;

    if (v == NULL)
        return;
    for (i = 0; i < blocks; i++) {
        if (time_block(fb, b, fb, b, wa, ca, wb, cb)) {
            free(v);
            return;
        }
        v[i] = clock == BENCH_CPU ? (cb[0] + cb[1]) / (ca[0] + ca[1])
                                  : (wb[0] + wb[1]) / (wa[0] + wa[1]);
    }
    stats_of(v, blocks, &r->control);
    free(v);
}

int bench_pair_time(int pairs, int clock, int (*fa)(void *),
                    int (*fb)(void *), void *arg, bench_pair_t *r)
{
    return bench_pair_time2(pairs, clock, fa, arg, fb, arg, r);
}

int bench_pair_time2(int pairs, int clock, int (*fa)(void *), void *a,
                     int (*fb)(void *), void *b, bench_pair_t *r)
{
    double *v, w, c, wa[2], ca[2], wb[2], cb[2], rw, rc;
    int i, blocks = pairs < 2 ? 1 : (pairs + 1) / 2;

    memset(r, 0, sizeof(*r));
    r->clock = clock == BENCH_WALL ? BENCH_WALL : BENCH_CPU;
    v = malloc(6 * (size_t)blocks * sizeof(*v));
    if (v == NULL || time_one(fa, a, &w, &c) || time_one(fb, b, &w, &c)) {
        free(v);
        r->failed = 1;
        return -1;
    }
    for (i = 0; i < blocks; i++) {
        if (time_block(fa, a, fb, b, wa, ca, wb, cb)) {
            free(v);
            r->failed = 1;
            return -1;
        }
        rw = (wb[0] + wb[1]) / (wa[0] + wa[1]);
        rc = (cb[0] + cb[1]) / (ca[0] + ca[1]);
        v[i] = r->clock == BENCH_CPU ? rc : rw;                          /* ratio */
        v[blocks + i] = r->clock == BENCH_CPU ? rw : rc;                 /* alt */
        v[2 * blocks + i] = (r->clock == BENCH_CPU ? ca[0] + ca[1] : wa[0] + wa[1]) / 2;
        v[3 * blocks + i] = (r->clock == BENCH_CPU ? cb[0] + cb[1] : wb[0] + wb[1]) / 2;
    }
    stats_of(v, blocks, &r->ratio);
    stats_of(v + blocks, blocks, &r->ratio_alt);
    stats_of(v + 2 * blocks, blocks, &r->a);
    stats_of(v + 3 * blocks, blocks, &r->b);
    free(v);
    if (control_wanted())
        time_control(blocks, r->clock, fb, b, r);
    return 0;
}

int bench_pair_values(int pairs, double (*fa)(void *), double (*fb)(void *),
                      void *arg, bench_pair_t *r)
{
    return bench_pair_values2(pairs, fa, arg, fb, arg, r);
}

int bench_pair_values2(int pairs, double (*fa)(void *), void *aarg,
                       double (*fb)(void *), void *barg, bench_pair_t *r)
{
    double *v, a[2], b[2];
    int i, blocks = pairs < 2 ? 1 : (pairs + 1) / 2;

    memset(r, 0, sizeof(*r));
    r->clock = BENCH_VALUE;
    v = malloc(3 * (size_t)blocks * sizeof(*v));
    if (v == NULL || fa(aarg) <= 0 || fb(barg) <= 0) {
        free(v);
        r->failed = 1;
        return -1;
    }
    for (i = 0; i < blocks; i++) {
        a[0] = fa(aarg);                 /* A B B A */
        b[0] = fb(barg);
        b[1] = fb(barg);
        a[1] = fa(aarg);
        if (a[0] <= 0 || a[1] <= 0 || b[0] <= 0 || b[1] <= 0) {
            free(v);
            r->failed = 1;
            return -1;
        }
        v[i] = (a[0] + a[1]) / (b[0] + b[1]);
        v[blocks + i] = (a[0] + a[1]) / 2;
        v[2 * blocks + i] = (b[0] + b[1]) / 2;
    }
    stats_of(v, blocks, &r->ratio);
    stats_of(v + blocks, blocks, &r->a);
    stats_of(v + 2 * blocks, blocks, &r->b);
    free(v);
    return 0;
}

void bench_pair_row(const char *name, const char *unit, double work,
                    const char *peer, const bench_pair_t *r, double target)
{
    static const char *const clocks[] = { "cpu", "wall", "value" };
    double sv, pv;
    const bench_stats_t *q = &r->ratio;

    if (r->failed) {
        printf("ROW %-28s FAILED (a run did not complete)\n", name);
        fflush(stdout);
        return;
    }
    if (r->clock == BENCH_VALUE) {
        sv = r->a.median;
        pv = r->b.median;
    } else {
        sv = work / r->a.median;
        pv = work / r->b.median;
    }
    printf("ROW %-28s strata=%.1f %s  %s=%.1f %s  ratio=%.3f iqr=%.3f-%.3f "
           "range=%.3f-%.3f pairs=%d clock=%s",
           name, sv, unit, peer, pv, unit, q->median, q->q1, q->q3, q->min,
           q->max, 2 * q->n, clocks[r->clock]);
    if (r->clock != BENCH_VALUE)
        printf(" (%s=%.3f)", clocks[r->clock == BENCH_CPU ? BENCH_WALL : BENCH_CPU],
               r->ratio_alt.median);
    if (r->control.n > 0)
        printf(" control=%.3f(%.3f-%.3f)", r->control.median, r->control.q1,
               r->control.q3);
    printf("  target>=%.2f  %s%s\n", target, q->median >= target ? "ok" : "BELOW",
           q->q1 < target && q->q3 >= target ? " noisy" : "");
    fflush(stdout);
}
