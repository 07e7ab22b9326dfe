/*
 * completion.c -- completion queues: futures' callbacks delivered to the
 * thread that polls, with a descriptor that is readable while any wait.
 */
#include "strata_private.h"
#include "strata_executor_private.h"
#include "strata_os_notify.h"
#include <apr_thread_mutex.h>
#include <stdlib.h>

typedef struct cq_entry_t {
    struct cq_entry_t *next;
    strata_completion_queue_t *q;
    strata_future_t *f;
    strata_future_cb *cb;
    void *baton;
} cq_entry_t;

struct strata_completion_queue_t {
    apr_thread_mutex_t *mu;
    strata__notify_t *notify;
    cq_entry_t *head, *tail;
    apr_size_t size;
    int signalled;
};

static apr_status_t cq_cleanup(void *data)
{
    strata_completion_queue_t *q = data;
    cq_entry_t *e, *next;

    for (e = q->head; e != NULL; e = next) {
        next = e->next;
        strata_future_release(e->f);
        free(e);
    }
    q->head = q->tail = NULL;
    q->size = 0;
    return APR_SUCCESS;
}

apr_status_t strata_completion_queue_create(strata_completion_queue_t **out,
                                            apr_pool_t *pool)
{
    strata_completion_queue_t *q;
    apr_status_t rv;

    if (out == NULL || pool == NULL)
        return APR_EINVAL;
    q = apr_pcalloc(pool, sizeof(*q));
    rv = apr_thread_mutex_create(&q->mu, APR_THREAD_MUTEX_DEFAULT, pool);
    if (rv == APR_SUCCESS)
        rv = strata__notify_create(&q->notify, pool);
    if (rv != APR_SUCCESS)
        return rv;
    apr_pool_cleanup_register(pool, q, cq_cleanup, apr_pool_cleanup_null);
    *out = q;
    return APR_SUCCESS;
}

apr_os_sock_t strata_completion_queue_fd(strata_completion_queue_t *q)
{
    return strata__notify_fd(q->notify);
}

apr_size_t strata_completion_queue_size(strata_completion_queue_t *q)
{
    apr_size_t n;

    if (q == NULL)
        return 0;
    apr_thread_mutex_lock(q->mu);
    n = q->size;
    apr_thread_mutex_unlock(q->mu);
    return n;
}

/* Runs on the completing thread: queue the entry and wake the owner. */
static void cq_enqueue(strata_future_t *f, void *baton)
{
    cq_entry_t *e = baton;
    strata_completion_queue_t *q = e->q;

    (void)f;
    apr_thread_mutex_lock(q->mu);
    if (q->tail != NULL)
        q->tail->next = e;
    else
        q->head = e;
    q->tail = e;
    q->size++;
    if (!q->signalled) {
        q->signalled = 1;
        strata__notify_signal(q->notify);
    }
    apr_thread_mutex_unlock(q->mu);
}

apr_status_t strata_future_then_queue(strata_future_t *f,
                                      strata_completion_queue_t *q,
                                      strata_future_cb *cb, void *baton)
{
    cq_entry_t *e;
    apr_status_t rv;

    if (f == NULL || q == NULL || cb == NULL)
        return APR_EINVAL;
    e = calloc(1, sizeof(*e));
    if (e == NULL)
        return APR_ENOMEM;
    e->q = q;
    e->f = f;
    e->cb = cb;
    e->baton = baton;
    strata_future_retain(f);
    rv = strata_future_then(f, cq_enqueue, e);
    if (rv != APR_SUCCESS) {
        strata_future_release(f);
        free(e);
    }
    return rv;
}

apr_status_t strata_completion_queue_poll(strata_completion_queue_t *q,
                                          apr_size_t max, apr_size_t *ran)
{
    cq_entry_t *batch, *last, *e;
    apr_size_t n = 0;

    if (ran != NULL)
        *ran = 0;
    if (q == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(q->mu);
    batch = q->head;
    last = NULL;
    for (e = q->head; e != NULL && (max == 0 || n < max); e = e->next) {
        last = e;
        n++;
    }
    if (last != NULL) {
        q->head = last->next;
        last->next = NULL;
        if (q->head == NULL)
            q->tail = NULL;
        q->size -= n;
    } else {
        batch = NULL;
    }
    if (q->head == NULL && q->signalled) {
        q->signalled = 0;
        strata__notify_drain(q->notify);
    }
    apr_thread_mutex_unlock(q->mu);
    while (batch != NULL) {
        e = batch;
        batch = e->next;
        e->cb(e->f, e->baton);
        strata_future_release(e->f);
        free(e);
    }
    if (ran != NULL)
        *ran = n;
    return APR_SUCCESS;
}
