/*
 * chunk_pool.c -- the thread-safe pool of fixed-size chunks behind pipes.
 *
 * Returned chunks are kept on a free list (up to max_spare) and handed out
 * again, so a pipe in steady use does not allocate.  One mutex guards the
 * list and the counters.
 */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <apr_atomic.h>
#include <apr_thread_mutex.h>
#include <apr_allocator.h>
#include <apr_time.h>
#include <stdlib.h>

struct strata_chunk_pool_t {
    apr_size_t chunk_size, max_spare;
    apr_thread_mutex_t *lock;
    strata__chunk_t *spare;          /* free list, linked by next */
    apr_size_t nspare, in_use;
    apr_uint64_t allocations, frees;
};

static apr_status_t chunk_pool_cleanup(void *data)
{
    strata_chunk_pool_t *cp = data;
    strata__chunk_t *c;

    while ((c = cp->spare) != NULL) {
        cp->spare = c->next;
        free(c);
    }
    cp->nspare = 0;
    return APR_SUCCESS;
}

/* Set up @cp with its mutex in @pool; the spare chunks are freed when
 * @pool goes. */
static apr_status_t chunk_pool_init(strata_chunk_pool_t *cp,
                                    apr_size_t chunk_size,
                                    apr_size_t max_spare, apr_pool_t *pool)
{
    apr_status_t rv;

    cp->chunk_size = chunk_size ? chunk_size : STRATA_CHUNK_DEFAULT_SIZE;
    cp->max_spare = max_spare ? max_spare : STRATA_CHUNK_DEFAULT_SPARE;
    rv = apr_thread_mutex_create(&cp->lock, APR_THREAD_MUTEX_DEFAULT, pool);
    if (rv != APR_SUCCESS)
        return rv;
    /* Registered after the mutex's own cleanup, so it runs before it. */
    apr_pool_cleanup_register(pool, cp, chunk_pool_cleanup,
                              apr_pool_cleanup_null);
    return APR_SUCCESS;
}

apr_status_t strata_chunk_pool_create(strata_chunk_pool_t **out,
                                      apr_size_t chunk_size,
                                      apr_size_t max_spare, apr_pool_t *pool)
{
    strata_chunk_pool_t *cp;
    apr_status_t rv;

    if (out == NULL || pool == NULL)
        return APR_EINVAL;
    if (chunk_size > APR_SIZE_MAX - sizeof(strata__chunk_t))
        return APR_EINVAL;
    cp = apr_pcalloc(pool, sizeof(*cp));
    if ((rv = chunk_pool_init(cp, chunk_size, max_spare, pool)) != APR_SUCCESS)
        return rv;
    *out = cp;
    return APR_SUCCESS;
}

/*
 * The default pool is a static object (so leak checkers see its spare
 * chunks) whose mutex lives in an unmanaged APR pool with its own
 * allocator: apr_terminate() does not destroy it under pipes that may still
 * be alive in other pools.  State: 0 not made, 1 being made, 2 ready.
 */
static strata_chunk_pool_t default_cp;
static apr_allocator_t *default_allocator;
static apr_pool_t *default_apr_pool;
static volatile apr_uint32_t default_state;

static int default_make(void)
{
    if (apr_allocator_create(&default_allocator) != APR_SUCCESS)
        return 0;
    if (apr_pool_create_unmanaged_ex(&default_apr_pool, NULL,
                                     default_allocator) != APR_SUCCESS) {
        apr_allocator_destroy(default_allocator);
        return 0;
    }
    apr_allocator_owner_set(default_allocator, default_apr_pool);
    if (chunk_pool_init(&default_cp, 0, 0, default_apr_pool) != APR_SUCCESS) {
        apr_pool_destroy(default_apr_pool);
        return 0;
    }
    return 1;
}

strata_chunk_pool_t *strata_chunk_pool_default(void)
{
    apr_uint32_t st;

    while ((st = apr_atomic_cas32(&default_state, 1, 0)) != 2) {
        if (st == 0) {               /* we set it to 1: make the pool */
            if (!default_make()) {
                apr_atomic_set32(&default_state, 0);
                return NULL;
            }
            apr_atomic_set32(&default_state, 2);
            break;
        }
        apr_sleep(1000);             /* another thread is making it */
    }
    return &default_cp;
}

apr_status_t strata__chunk_get(strata_chunk_pool_t *cp, strata__chunk_t **out)
{
    strata__chunk_t *c;

    apr_thread_mutex_lock(cp->lock);
    if ((c = cp->spare) != NULL) {
        cp->spare = c->next;
        cp->nspare--;
    } else {
        c = malloc(sizeof(*c) + cp->chunk_size);
        if (c == NULL) {
            apr_thread_mutex_unlock(cp->lock);
            return APR_ENOMEM;
        }
        cp->allocations++;
    }
    cp->in_use++;
    apr_thread_mutex_unlock(cp->lock);
    c->next = NULL;
    c->start = c->end = 0;
    c->cap = cp->chunk_size;
    *out = c;
    return APR_SUCCESS;
}

void strata__chunk_put(strata_chunk_pool_t *cp, strata__chunk_t *list)
{
    strata__chunk_t *c, *drop = NULL;

    if (list == NULL)
        return;
    apr_thread_mutex_lock(cp->lock);
    while ((c = list) != NULL) {
        list = c->next;
        cp->in_use--;
        if (cp->nspare < cp->max_spare) {
            c->next = cp->spare;
            cp->spare = c;
            cp->nspare++;
        } else {
            c->next = drop;
            drop = c;
            cp->frees++;
        }
    }
    apr_thread_mutex_unlock(cp->lock);
    while ((c = drop) != NULL) {
        drop = c->next;
        free(c);
    }
}

apr_status_t strata_chunk_pool_reserve(strata_chunk_pool_t *cp, apr_size_t n)
{
    strata__chunk_t *c;
    apr_status_t rv = APR_SUCCESS;

    if (cp == NULL)
        return APR_EINVAL;
    apr_thread_mutex_lock(cp->lock);
    if (n > cp->max_spare)
        n = cp->max_spare;
    while (cp->nspare < n) {
        if ((c = malloc(sizeof(*c) + cp->chunk_size)) == NULL) {
            rv = APR_ENOMEM;
            break;
        }
        cp->allocations++;
        c->next = cp->spare;
        cp->spare = c;
        cp->nspare++;
    }
    apr_thread_mutex_unlock(cp->lock);
    return rv;
}

apr_size_t strata__chunk_size(const strata_chunk_pool_t *cp)
{
    return cp->chunk_size;
}

void strata_chunk_pool_stats(strata_chunk_pool_t *cp,
                             strata_chunk_pool_stats_t *out)
{
    apr_thread_mutex_lock(cp->lock);
    out->chunk_size = cp->chunk_size;
    out->max_spare = cp->max_spare;
    out->spare = cp->nspare;
    out->in_use = cp->in_use;
    out->allocations = cp->allocations;
    out->frees = cp->frees;
    apr_thread_mutex_unlock(cp->lock);
}
