/*
 * chunk_pool.c -- the thread-safe pool of chunks behind pipes.
 *
 * Chunks come in size classes: class k holds chunk_size << k usable bytes
 * (k < STRATA_CHUNK_CLASSES, fewer when the larger sizes would overflow).
 * Class 0 is what pipes use for all ordinary traffic; the larger classes
 * serve a get_buffer() that asks for more than one chunk.  Returned chunks
 * are kept on a free list per class -- max_spare for class 0, max_spare >> k
 * (at least 1) for class k, so each class pins at most about max_spare
 * base chunks' worth of memory -- and handed out again, so a pipe in steady
 * use does not allocate.  A request larger than the largest class gets a
 * one-off chunk of exactly that size, freed when it comes back.  One mutex
 * guards the lists and the counters.
 */
#include "strata_executor_private.h"   /* strata__at_*: atomics TSan sees */
#include "strata_private.h"
#include "strata_pipe_private.h"
#include <apr_atomic.h>
#include <apr_thread_mutex.h>
#include <apr_allocator.h>
#include <apr_time.h>
#include <stdlib.h>

struct strata_chunk_pool_t {
    apr_size_t chunk_size, max_spare;
    unsigned nclasses;               /* size classes in use, >= 1 */
    apr_thread_mutex_t *lock;
    strata__chunk_t *spare[STRATA_CHUNK_CLASSES];  /* free lists, by next */
    apr_size_t nspare[STRATA_CHUNK_CLASSES];
    apr_size_t in_use;
    apr_uint64_t allocations, frees, oneoff;
};

#define HDR sizeof(strata__chunk_t)

static apr_size_t class_size(const strata_chunk_pool_t *cp, unsigned k)
{
    return cp->chunk_size << k;
}

static apr_size_t class_spare(const strata_chunk_pool_t *cp, unsigned k)
{
    apr_size_t n = cp->max_spare >> k;

    return k == 0 || n > 0 ? n : 1;
}

static apr_status_t chunk_pool_cleanup(void *data)
{
    strata_chunk_pool_t *cp = data;
    strata__chunk_t *c;
    unsigned k;

    for (k = 0; k < STRATA_CHUNK_CLASSES; k++) {
        while ((c = cp->spare[k]) != NULL) {
            cp->spare[k] = c->next;
            free(c);
        }
        cp->nspare[k] = 0;
    }
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
    cp->nclasses = 1;
    while (cp->nclasses < STRATA_CHUNK_CLASSES
           && cp->chunk_size <= ((APR_SIZE_MAX - HDR) >> cp->nclasses))
        cp->nclasses++;
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
    if (chunk_size > APR_SIZE_MAX - HDR)
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

    while ((st = strata__at_cas(&default_state, 1, 0)) != 2) {
        if (st == 0) {               /* we set it to 1: make the pool */
            if (!default_make()) {
                strata__at_store(&default_state, 0);
                return NULL;
            }
            strata__at_store(&default_state, 2);
            break;
        }
        apr_sleep(1000);             /* another thread is making it */
    }
    return &default_cp;
}

/* The class for @size bytes, or nclasses for a one-off chunk. */
static unsigned class_for(const strata_chunk_pool_t *cp, apr_size_t size)
{
    unsigned k = 0;

    while (k < cp->nclasses && class_size(cp, k) < size)
        k++;
    return k;
}

/* The class of a chunk coming back, from its cap; nclasses if one-off. */
static unsigned class_of(const strata_chunk_pool_t *cp,
                         const strata__chunk_t *c)
{
    unsigned k = class_for(cp, c->cap);

    return k < cp->nclasses && class_size(cp, k) == c->cap ? k
                                                           : cp->nclasses;
}

apr_status_t strata__chunk_get_size(strata_chunk_pool_t *cp, apr_size_t size,
                                    strata__chunk_t **out)
{
    strata__chunk_t *c;
    unsigned k = class_for(cp, size);
    apr_size_t cap = k < cp->nclasses ? class_size(cp, k) : size;

    *out = NULL;
    if (cap > APR_SIZE_MAX - HDR)
        return APR_ENOMEM;
    apr_thread_mutex_lock(cp->lock);
    if (k < cp->nclasses && (c = cp->spare[k]) != NULL) {
        cp->spare[k] = c->next;
        cp->nspare[k]--;
    } else {
        apr_thread_mutex_unlock(cp->lock);
        if ((c = malloc(HDR + cap)) == NULL)    /* outside the lock */
            return APR_ENOMEM;
        apr_thread_mutex_lock(cp->lock);
        cp->allocations++;
        if (k == cp->nclasses)
            cp->oneoff++;
    }
    cp->in_use++;
    apr_thread_mutex_unlock(cp->lock);
    c->next = NULL;
    c->start = c->end = 0;
    c->cap = cap;
    *out = c;
    return APR_SUCCESS;
}

apr_status_t strata__chunk_get(strata_chunk_pool_t *cp, strata__chunk_t **out)
{
    return strata__chunk_get_size(cp, cp->chunk_size, out);
}

void strata__chunk_put(strata_chunk_pool_t *cp, strata__chunk_t *list)
{
    strata__chunk_t *c, *drop = NULL;
    unsigned k;

    if (list == NULL)
        return;
    apr_thread_mutex_lock(cp->lock);
    while ((c = list) != NULL) {
        list = c->next;
        cp->in_use--;
        k = class_of(cp, c);
        if (k < cp->nclasses && cp->nspare[k] < class_spare(cp, k)) {
            c->next = cp->spare[k];
            cp->spare[k] = c;
            cp->nspare[k]++;
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
    while (cp->nspare[0] < n) {
        if ((c = malloc(HDR + cp->chunk_size)) == NULL) {
            rv = APR_ENOMEM;
            break;
        }
        cp->allocations++;
        c->next = cp->spare[0];
        cp->spare[0] = c;
        cp->nspare[0]++;
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
    unsigned k;

    apr_thread_mutex_lock(cp->lock);
    out->chunk_size = cp->chunk_size;
    out->max_spare = cp->max_spare;
    out->spare = 0;
    out->spare_bytes = 0;
    for (k = 0; k < cp->nclasses; k++) {
        out->spare += cp->nspare[k];
        out->spare_bytes += cp->nspare[k] * class_size(cp, k);
    }
    out->in_use = cp->in_use;
    out->allocations = cp->allocations;
    out->frees = cp->frees;
    out->max_class_size = class_size(cp, cp->nclasses - 1);
    out->oneoff_allocations = cp->oneoff;
    apr_thread_mutex_unlock(cp->lock);
}
