/*
 * test_executor.c -- the executor and futures: results, waits with a
 * timeout, callbacks, cancelling queued work, both ways of destroying an
 * executor with work in flight, exactly-once completion under load.
 */
#include "test_util.h"
#include "strata_executor_private.h"
#include <apr_thread_mutex.h>
#include <apr_thread_cond.h>
#include <apr_atomic.h>
#include <apr_thread_proc.h>
#include <string.h>
#ifdef _WIN32
#include <winsock2.h>
#else
#include <poll.h>
#endif

/* A gate that tasks wait at until the test opens it. */
typedef struct gate_t {
    apr_thread_mutex_t *mu;
    apr_thread_cond_t *cond;
    int open;
    int arrived;
} gate_t;

static void gate_init(gate_t *g)
{
    memset(g, 0, sizeof(*g));
    apr_thread_mutex_create(&g->mu, APR_THREAD_MUTEX_DEFAULT, strata_test_pool);
    apr_thread_cond_create(&g->cond, strata_test_pool);
}

static void gate_open(gate_t *g)
{
    apr_thread_mutex_lock(g->mu);
    g->open = 1;
    apr_thread_cond_broadcast(g->cond);
    apr_thread_mutex_unlock(g->mu);
}

/* Wait until @n tasks are at the gate. */
static void gate_await(gate_t *g, int n)
{
    apr_thread_mutex_lock(g->mu);
    while (g->arrived < n)
        apr_thread_cond_wait(g->cond, g->mu);
    apr_thread_mutex_unlock(g->mu);
}

static apr_status_t task_gate(void *arg, void **result)
{
    gate_t *g = arg;

    apr_thread_mutex_lock(g->mu);
    g->arrived++;
    apr_thread_cond_broadcast(g->cond);
    while (!g->open)
        apr_thread_cond_wait(g->cond, g->mu);
    apr_thread_mutex_unlock(g->mu);
    *result = g;
    return APR_SUCCESS;
}

static volatile apr_uint32_t ran;

static apr_status_t task_count(void *arg, void **result)
{
    apr_atomic_inc32(&ran);
    *result = arg;
    return APR_SUCCESS;
}

static apr_status_t task_fail(void *arg, void **result)
{
    return APR_EGENERAL;
}

static apr_status_t task_double(void *arg, void **result)
{
    int *v = arg;
    *v *= 2;
    *result = v;
    return APR_SUCCESS;
}

static void executor_runs_work_and_returns_result(void)
{
    strata_executor_t *ex;
    strata_future_t *f, *g;
    int v = 21;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2, strata_test_pool));
    CU_ASSERT_EQUAL(strata_executor_threads(ex), 2);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_double, &v, &f));
    ASSERT_RV(APR_SUCCESS, strata_future_wait(f, -1));
    CU_ASSERT(strata_future_done(f));
    ASSERT_RV(APR_SUCCESS, strata_future_status(f));
    CU_ASSERT_PTR_EQUAL(strata_future_result(f), &v);
    CU_ASSERT_EQUAL(v, 42);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_fail, NULL, &g));
    ASSERT_RV(APR_SUCCESS, strata_future_wait(g, apr_time_from_sec(10)));
    ASSERT_RV(APR_EGENERAL, strata_future_status(g));
    CU_ASSERT_PTR_NULL(strata_future_result(g));
    strata_future_release(f);
    strata_future_release(g);
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH));
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
}

static void executor_rejects_bad_arguments(void)
{
    strata_executor_t *ex;
    strata_future_t *f;

    ASSERT_RV(APR_EINVAL, strata_executor_create(&ex, 0, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_executor_create(&ex, 5000, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_executor_create(NULL, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV(APR_EINVAL, strata_executor_submit(ex, NULL, NULL, &f));
    ASSERT_RV(APR_EINVAL, strata_executor_submit(NULL, task_count, NULL, &f));
    ASSERT_RV(APR_EINVAL, strata_executor_destroy(ex, 7));
    ASSERT_RV(APR_EINVAL, strata_future_wait(NULL, 0));
    ASSERT_RV(APR_EINVAL, strata_future_cancel(NULL));
    ASSERT_RV(APR_EINVAL, strata_future_status(NULL));
    strata_future_release(NULL);
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
    ASSERT_RV(STRATA_ECLOSED, strata_executor_submit(ex, task_count, NULL, &f));
}

static void future_wait_times_out_then_completes(void)
{
    strata_executor_t *ex;
    strata_future_t *f;
    gate_t g;

    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &f));
    ASSERT_RV(APR_TIMEUP, strata_future_wait(f, 0));
    ASSERT_RV(APR_TIMEUP, strata_future_wait(f, apr_time_from_msec(20)));
    CU_ASSERT(!strata_future_done(f));
    ASSERT_RV(APR_EBUSY, strata_future_status(f));
    CU_ASSERT_PTR_NULL(strata_future_result(f));
    gate_open(&g);
    ASSERT_RV(APR_SUCCESS, strata_future_wait(f, apr_time_from_sec(30)));
    CU_ASSERT_PTR_EQUAL(strata_future_result(f), &g);
    strata_future_release(f);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

typedef struct cb_rec_t {
    volatile apr_uint32_t calls;
    apr_status_t status;
    void *result;
} cb_rec_t;

static void record_cb(strata_future_t *f, void *baton)
{
    cb_rec_t *r = baton;

    r->status = strata_future_status(f);
    r->result = strata_future_result(f);
    apr_atomic_inc32(&r->calls);
}

static void future_then_runs_once_on_completion(void)
{
    strata_executor_t *ex;
    strata_future_t *f;
    cb_rec_t r1, r2;
    gate_t g;

    memset(&r1, 0, sizeof(r1));
    memset(&r2, 0, sizeof(r2));
    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &f));
    ASSERT_RV(APR_SUCCESS, strata_future_then(f, record_cb, &r1));
    ASSERT_RV(STRATA_ESTATE, strata_future_then(f, record_cb, &r2));
    ASSERT_RV(APR_EINVAL, strata_future_then(f, NULL, &r2));
    CU_ASSERT_EQUAL(apr_atomic_read32(&r1.calls), 0);
    gate_open(&g);
    /* destroy(FINISH) returns after callbacks have returned */
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    CU_ASSERT_EQUAL(apr_atomic_read32(&r1.calls), 1);
    ASSERT_RV(APR_SUCCESS, r1.status);
    CU_ASSERT_PTR_EQUAL(r1.result, &g);
    /* attached after completion (and after the executor): runs right here */
    ASSERT_RV(APR_SUCCESS, strata_future_then(f, record_cb, &r2));
    CU_ASSERT_EQUAL(apr_atomic_read32(&r2.calls), 1);
    ASSERT_RV(APR_SUCCESS, strata_future_wait(f, 0));
    strata_future_release(f);
}

static void future_cancel_before_start_never_runs(void)
{
    strata_executor_t *ex;
    strata_future_t *busy, *f;
    cb_rec_t r;
    gate_t g;

    memset(&r, 0, sizeof(r));
    gate_init(&g);
    apr_atomic_set32(&ran, 0);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy));
    gate_await(&g, 1);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_count, &r, &f));
    ASSERT_RV(APR_SUCCESS, strata_future_then(f, record_cb, &r));
    ASSERT_RV(APR_SUCCESS, strata_future_cancel(f));
    CU_ASSERT_EQUAL(apr_atomic_read32(&r.calls), 1);    /* ran here */
    ASSERT_RV(STRATA_ECANCELED, r.status);
    ASSERT_RV(STRATA_ECANCELED, strata_future_status(f));
    ASSERT_RV(APR_EBUSY, strata_future_cancel(f));       /* once only */
    ASSERT_RV(APR_EBUSY, strata_future_cancel(busy));    /* running */
    gate_open(&g);
    ASSERT_RV(APR_SUCCESS, strata_future_wait(busy, -1));
    ASSERT_RV(APR_SUCCESS, strata_future_status(busy));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    CU_ASSERT_EQUAL(apr_atomic_read32(&ran), 0);
    CU_ASSERT_EQUAL(apr_atomic_read32(&r.calls), 1);
    strata_future_release(busy);
    strata_future_release(f);
}

#define MANY 10000

typedef struct many_t {
    volatile apr_uint32_t completions[MANY];
    volatile apr_uint32_t canceled, succeeded;
} many_t;

static many_t many;
static apr_size_t many_index[MANY];   /* baton i is &many_index[i] */

static void many_cb(strata_future_t *f, void *baton)
{
    apr_size_t i = (apr_size_t)((apr_size_t *)baton - many_index);

    apr_atomic_inc32(&many.completions[i]);
    if (strata_future_status(f) == STRATA_ECANCELED)
        apr_atomic_inc32(&many.canceled);
    else if (strata_future_status(f) == APR_SUCCESS)
        apr_atomic_inc32(&many.succeeded);
    strata_future_release(f);         /* the callback owns the reference */
}

/* Submit MANY counted tasks behind a gate, with callbacks; return with the
 * gate still closed. */
static strata_future_t **submit_many(strata_executor_t *ex, gate_t *g)
{
    strata_future_t **fs = apr_pcalloc(strata_test_pool, MANY * sizeof(*fs));
    apr_size_t i;

    memset((void *)&many, 0, sizeof(many));
    apr_atomic_set32(&ran, 0);
    for (i = 0; i < MANY; i++) {
        CU_ASSERT_FATAL(strata_executor_submit(ex, task_count, NULL, &fs[i])
                        == APR_SUCCESS);
        strata_future_retain(fs[i]);      /* one for the test, one for cb */
        CU_ASSERT_FATAL(strata_future_then(fs[i], many_cb,
                                           &many_index[i]) == APR_SUCCESS);
    }
    (void)g;
    return fs;
}

static void check_many_once(strata_future_t **fs, apr_uint32_t expect_canceled)
{
    apr_size_t i, once = 0;

    for (i = 0; i < MANY; i++) {
        once += apr_atomic_read32(&many.completions[i]) == 1;
        CU_ASSERT(strata_future_done(fs[i]));
        strata_future_release(fs[i]);
    }
    CU_ASSERT_EQUAL(once, MANY);
    CU_ASSERT_EQUAL(apr_atomic_read32(&many.canceled)
                    + apr_atomic_read32(&many.succeeded), MANY);
    CU_ASSERT_EQUAL(apr_atomic_read32(&many.succeeded), apr_atomic_read32(&ran));
    if (expect_canceled)
        CU_ASSERT_EQUAL(apr_atomic_read32(&many.canceled), expect_canceled);
}

static void executor_cancels_10000_queued_exactly_once(void)
{
    strata_executor_t *ex;
    strata_future_t *busy[2], **fs;
    apr_size_t i;
    gate_t g;

    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy[0]));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy[1]));
    gate_await(&g, 2);
    fs = submit_many(ex, &g);
    /* cancel every other one by hand, the rest through destroy */
    for (i = 0; i < MANY; i += 2)
        ASSERT_RV(APR_SUCCESS, strata_future_cancel(fs[i]));
    gate_open(&g);
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
    check_many_once(fs, 0);
    /* the hand-cancelled half at least; the rest raced with the workers */
    CU_ASSERT(apr_atomic_read32(&many.canceled) >= MANY / 2);
    ASSERT_RV(APR_SUCCESS, strata_future_status(busy[0]));
    ASSERT_RV(APR_SUCCESS, strata_future_status(busy[1]));
    strata_future_release(busy[0]);
    strata_future_release(busy[1]);
}

/* Opens the gate once the executor has begun cancelling (polled, bounded). */
typedef struct opener_t {
    strata_executor_t *ex;
    gate_t *g;
} opener_t;

static apr_status_t task_open_when_cancelling(void *arg, void **result)
{
    opener_t *o = arg;
    int i;

    for (i = 0; i < 30000 && !strata__executor_cancelling(o->ex); i++)
        apr_sleep(1000);
    gate_open(o->g);
    return APR_SUCCESS;
}

static void executor_destroy_cancel_with_work_in_flight(void)
{
    strata_executor_t *ex, *helper;
    strata_future_t *busy, **fs;
    opener_t o;
    gate_t g;

    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&helper, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy));
    gate_await(&g, 1);
    fs = submit_many(ex, &g);
    o.ex = ex;
    o.g = &g;
    ASSERT_RV(APR_SUCCESS, strata_executor_submit(helper, task_open_when_cancelling,
                                                  &o, NULL));
    /* the only worker is busy: destroy waits for it, and cancels the rest */
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_CANCEL));
    ASSERT_RV(APR_SUCCESS, strata_future_status(busy));
    check_many_once(fs, MANY);
    CU_ASSERT_EQUAL(apr_atomic_read32(&ran), 0);
    strata_future_release(busy);
    strata_executor_destroy(helper, STRATA_EXECUTOR_FINISH);
}

static void executor_destroy_finish_runs_everything(void)
{
    strata_executor_t *ex;
    strata_future_t *busy, **fs;
    gate_t g;

    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy));
    gate_await(&g, 1);
    fs = submit_many(ex, &g);
    gate_open(&g);
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH));
    CU_ASSERT_EQUAL(apr_atomic_read32(&ran), MANY);
    check_many_once(fs, 0);
    CU_ASSERT_EQUAL(apr_atomic_read32(&many.canceled), 0);
    CU_ASSERT_EQUAL(strata_executor_pending(ex), 0);
    strata_future_release(busy);
}

static void executor_destroyed_with_its_pool(void)
{
    apr_pool_t *p;
    strata_executor_t *ex;
    strata_future_t *f;
    gate_t g;
    cb_rec_t r;

    memset(&r, 0, sizeof(r));
    gate_init(&g);
    apr_atomic_set32(&ran, 0);
    apr_pool_create(&p, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, p));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, NULL));
    gate_await(&g, 1);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_count, NULL, &f));
    strata_future_then(f, record_cb, &r);
    gate_open(&g);
    apr_pool_destroy(p);               /* cancels what has not started */
    CU_ASSERT(strata_future_done(f));
    CU_ASSERT_EQUAL(apr_atomic_read32(&r.calls), 1);
    CU_ASSERT(r.status == STRATA_ECANCELED || r.status == APR_SUCCESS);
    CU_ASSERT_EQUAL(apr_atomic_read32(&ran), r.status == APR_SUCCESS);
    strata_future_release(f);
}

/* Work that submits more work while the executor finishes. */
typedef struct chain_t {
    strata_executor_t *ex;
    volatile apr_uint32_t left;
} chain_t;

static apr_status_t task_chain(void *arg, void **result)
{
    chain_t *c = arg;

    if (apr_atomic_dec32(&c->left) != 0)
        return strata_executor_submit(c->ex, task_chain, c, NULL);
    return APR_SUCCESS;
}

static void executor_finish_runs_work_submitted_while_finishing(void)
{
    chain_t c;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&c.ex, 2, strata_test_pool));
    apr_atomic_set32(&c.left, 100);
    ASSERT_RV(APR_SUCCESS, strata_executor_submit(c.ex, task_chain, &c, NULL));
    ASSERT_RV(APR_SUCCESS, strata_executor_destroy(c.ex, STRATA_EXECUTOR_FINISH));
    CU_ASSERT_EQUAL(apr_atomic_read32(&c.left), 0);
}

static void executor_strerror_names_canceled(void)
{
    char buf[80];

    strata_strerror(STRATA_ECANCELED, buf, sizeof(buf));
    CU_ASSERT(strstr(buf, "cancel") != NULL);
}

/* ---- completion queues ---------------------------------------------------- */

/* Wait up to @ms for the descriptor to be readable: 1 yes, 0 no. */
static int fd_readable(apr_os_sock_t fd, int ms)
{
#ifdef _WIN32
    fd_set set;
    struct timeval tv;

    FD_ZERO(&set);
    FD_SET(fd, &set);
    tv.tv_sec = ms / 1000;
    tv.tv_usec = (ms % 1000) * 1000;
    return select(0, &set, NULL, NULL, &tv) == 1;
#else
    struct pollfd p;

    p.fd = fd;
    p.events = POLLIN;
    p.revents = 0;
    return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
#endif
}

typedef struct loop_rec_t {
    apr_os_thread_t owner;
    int wrong_thread;
    int calls;
    apr_status_t last;
} loop_rec_t;

static void loop_cb(strata_future_t *f, void *baton)
{
    loop_rec_t *r = baton;

    if (!apr_os_thread_equal(r->owner, apr_os_thread_current()))
        r->wrong_thread++;
    r->calls++;
    r->last = strata_future_status(f);
}

static void completion_queue_wakes_poll_loop(void)
{
    strata_executor_t *ex;
    strata_completion_queue_t *q;
    strata_future_t *fs[50];
    loop_rec_t r;
    apr_size_t n, total = 0;
    int i, rounds = 0;

    memset(&r, 0, sizeof(r));
    r.owner = apr_os_thread_current();
    apr_atomic_set32(&ran, 0);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 2, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_completion_queue_create(&q, strata_test_pool));
    CU_ASSERT(!fd_readable(strata_completion_queue_fd(q), 0));
    for (i = 0; i < 50; i++) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_count, NULL, &fs[i]));
        ASSERT_RV(APR_SUCCESS, strata_future_then_queue(fs[i], q, loop_cb, &r));
        strata_future_release(fs[i]);   /* the queue keeps its own */
    }
    /* the loop: sleep in poll() until the descriptor says so */
    while (total < 50 && rounds++ < 1000) {
        if (!fd_readable(strata_completion_queue_fd(q), 10000))
            break;
        ASSERT_RV(APR_SUCCESS, strata_completion_queue_poll(q, 0, &n));
        total += n;
    }
    CU_ASSERT_EQUAL(total, 50);
    CU_ASSERT_EQUAL(r.calls, 50);
    CU_ASSERT_EQUAL(r.wrong_thread, 0);
    ASSERT_RV(APR_SUCCESS, r.last);
    CU_ASSERT_EQUAL(strata_completion_queue_size(q), 0);
    CU_ASSERT(!fd_readable(strata_completion_queue_fd(q), 0));
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
}

static void completion_queue_poll_max_and_cancelled(void)
{
    strata_executor_t *ex;
    strata_completion_queue_t *q;
    strata_future_t *busy, *f[3];
    loop_rec_t r;
    apr_size_t n;
    gate_t g;
    int i;

    memset(&r, 0, sizeof(r));
    r.owner = apr_os_thread_current();
    gate_init(&g);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_create(&ex, 1, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_completion_queue_create(&q, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_gate, &g, &busy));
    gate_await(&g, 1);
    for (i = 0; i < 3; i++) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_executor_submit(ex, task_count, NULL, &f[i]));
        ASSERT_RV(APR_SUCCESS, strata_future_then_queue(f[i], q, loop_cb, &r));
    }
    ASSERT_RV(STRATA_ESTATE, strata_future_then_queue(f[0], q, loop_cb, &r));
    for (i = 0; i < 3; i++)
        ASSERT_RV(APR_SUCCESS, strata_future_cancel(f[i]));
    CU_ASSERT_EQUAL(r.calls, 0);          /* queued, not run */
    CU_ASSERT(fd_readable(strata_completion_queue_fd(q), 0));
    ASSERT_RV(APR_SUCCESS, strata_completion_queue_poll(q, 2, &n));
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT(fd_readable(strata_completion_queue_fd(q), 0));
    ASSERT_RV(APR_SUCCESS, strata_completion_queue_poll(q, 0, &n));
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(r.calls, 3);
    ASSERT_RV(STRATA_ECANCELED, r.last);
    CU_ASSERT(!fd_readable(strata_completion_queue_fd(q), 0));
    ASSERT_RV(APR_SUCCESS, strata_completion_queue_poll(q, 0, &n));
    CU_ASSERT_EQUAL(n, 0);
    gate_open(&g);
    strata_executor_destroy(ex, STRATA_EXECUTOR_FINISH);
    for (i = 0; i < 3; i++)
        strata_future_release(f[i]);
    strata_future_release(busy);
}

static CU_TestInfo tests[] = {
    { "executor_runs_work_and_returns_result", executor_runs_work_and_returns_result },
    { "executor_rejects_bad_arguments", executor_rejects_bad_arguments },
    { "future_wait_times_out_then_completes", future_wait_times_out_then_completes },
    { "future_then_runs_once_on_completion", future_then_runs_once_on_completion },
    { "future_cancel_before_start_never_runs", future_cancel_before_start_never_runs },
    { "executor_cancels_10000_queued_exactly_once", executor_cancels_10000_queued_exactly_once },
    { "executor_destroy_cancel_with_work_in_flight", executor_destroy_cancel_with_work_in_flight },
    { "executor_destroy_finish_runs_everything", executor_destroy_finish_runs_everything },
    { "executor_destroyed_with_its_pool", executor_destroyed_with_its_pool },
    { "executor_finish_runs_work_submitted_while_finishing", executor_finish_runs_work_submitted_while_finishing },
    { "executor_strerror_names_canceled", executor_strerror_names_canceled },
    { "completion_queue_wakes_poll_loop", completion_queue_wakes_poll_loop },
    { "completion_queue_poll_max_and_cancelled", completion_queue_poll_max_and_cancelled },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("executor", tests)
