/*
 * memory.c -- growable in-memory stream (BytesIO) and read-only buffer view.
 */
#include "strata_private.h"
#include <stdlib.h>
#include <string.h>

typedef struct memory_stream_t {
    strata_stream_t base;       /* must be first */
    char *data;                 /* malloc'd (owned) or the caller's bytes */
    apr_size_t len, cap, pos;   /* pos may be past len after a seek */
    apr_size_t max;             /* 0: no cap */
    int owned;                  /* data is ours to realloc and free */
} memory_stream_t;

static apr_status_t memory_read(strata_stream_t *s, void *buf, apr_size_t len,
                                apr_size_t *n)
{
    memory_stream_t *m = (memory_stream_t *)s;
    apr_size_t avail;

    if (len == 0)
        return APR_SUCCESS;
    if (m->pos >= m->len)
        return APR_EOF;
    avail = m->len - m->pos;
    *n = len < avail ? len : avail;
    memcpy(buf, m->data + m->pos, *n);
    m->pos += *n;
    return APR_SUCCESS;
}

static apr_status_t memory_grow(memory_stream_t *m, apr_size_t need)
{
    apr_size_t cap = m->cap ? m->cap : 256;
    char *p;

    while (cap < need)
        cap = cap > APR_SIZE_MAX / 2 ? need : cap * 2;
    if (m->max && cap > m->max)
        cap = m->max;
    p = realloc(m->data, cap);
    if (p == NULL)
        return APR_ENOMEM;
    m->data = p;
    m->cap = cap;
    return APR_SUCCESS;
}

/* Take a private copy of borrowed bytes, with room for @need bytes. */
static apr_status_t memory_own(memory_stream_t *m, apr_size_t need)
{
    apr_size_t cap = need > m->len ? need : m->len;
    char *p = malloc(cap ? cap : 1);

    if (p == NULL)
        return APR_ENOMEM;
    if (m->len)
        memcpy(p, m->data, m->len);
    m->data = p;
    m->cap = cap;
    m->owned = 1;
    return APR_SUCCESS;
}

static apr_status_t memory_write(strata_stream_t *s, const void *buf,
                                 apr_size_t len, apr_size_t *n)
{
    memory_stream_t *m = (memory_stream_t *)s;
    apr_size_t room = len, end;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    if (m->max) {
        if (m->pos >= m->max)
            return STRATA_ELIMIT;
        if (room > m->max - m->pos)
            room = m->max - m->pos;
    } else if (len > APR_SIZE_MAX - m->pos) {
        return STRATA_ELIMIT;
    }
    end = m->pos + room;
    if (!m->owned && (rv = memory_own(m, end)) != APR_SUCCESS)
        return rv;                          /* copy on first write */
    if (end > m->cap && (rv = memory_grow(m, end)) != APR_SUCCESS)
        return rv;
    if (m->pos > m->len)                    /* a gap after a seek reads as 0 */
        memset(m->data + m->len, 0, m->pos - m->len);
    memcpy(m->data + m->pos, buf, room);
    m->pos = end;
    if (end > m->len)
        m->len = end;
    *n = room;
    return APR_SUCCESS;
}

static apr_status_t memory_seek(strata_stream_t *s, apr_off_t offset,
                                int where, apr_off_t *newpos)
{
    memory_stream_t *m = (memory_stream_t *)s;
    apr_off_t base = where == APR_SET ? 0
                   : where == APR_CUR ? (apr_off_t)m->pos : (apr_off_t)m->len;

    if ((offset < 0 && base + offset < 0)
        || (offset > 0 && base > APR_INT64_MAX - offset))
        return APR_EINVAL;
    if ((apr_uint64_t)(base + offset) > (apr_uint64_t)APR_SIZE_MAX)
        return APR_EINVAL;
    m->pos = (apr_size_t)(base + offset);
    *newpos = base + offset;
    return APR_SUCCESS;
}

static const strata_stream_type_t memory_type = {
    STRATA_STREAM_TYPE_VERSION, "memory",
    STRATA_CAP_READ | STRATA_CAP_WRITE | STRATA_CAP_SEEK,
    sizeof(memory_stream_t),
    memory_read, memory_write, NULL, memory_seek, NULL, NULL, NULL
};

static apr_status_t memory_free(void *data)
{
    memory_stream_t *m = data;

    if (m->owned)
        free(m->data);
    m->data = NULL;
    m->len = m->cap = m->pos = 0;
    return APR_SUCCESS;
}

static apr_status_t memory_new(memory_stream_t **out, apr_pool_t *pool)
{
    strata_stream_t *s;
    apr_status_t rv;

    if (out == NULL || pool == NULL)
        return APR_EINVAL;
    rv = strata_stream_alloc(&s, &memory_type, NULL, 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    /* Registered before the close cleanup, so it runs after it (LIFO). */
    apr_pool_cleanup_register(pool, s, memory_free, apr_pool_cleanup_null);
    *out = (memory_stream_t *)s;
    return APR_SUCCESS;
}

apr_status_t strata_memory_create(strata_stream_t **out, apr_size_t max_size,
                                  apr_pool_t *pool)
{
    memory_stream_t *m;
    apr_status_t rv;

    if ((rv = memory_new(&m, pool)) != APR_SUCCESS)
        return rv;
    m->owned = 1;
    m->max = max_size;
    strata_stream_ready(&m->base);
    *out = &m->base;
    return APR_SUCCESS;
}

apr_status_t strata_memory_create_from(strata_stream_t **out,
                                       const void *data, apr_size_t len,
                                       apr_size_t max_size, unsigned flags,
                                       apr_pool_t *pool)
{
    memory_stream_t *m;
    char *copy = NULL;
    apr_status_t rv;

    if (out == NULL || pool == NULL || (data == NULL && len > 0)
        || (flags & ~STRATA_MEMORY_BORROW))
        return APR_EINVAL;
    if (max_size && len > max_size)
        return STRATA_ELIMIT;
    if (!(flags & STRATA_MEMORY_BORROW) && len > 0) {
        if ((copy = malloc(len)) == NULL)
            return APR_ENOMEM;
        memcpy(copy, data, len);
    }
    if ((rv = memory_new(&m, pool)) != APR_SUCCESS) {
        free(copy);
        return rv;
    }
    m->owned = !(flags & STRATA_MEMORY_BORROW) || len == 0;
    m->data = m->owned ? copy : (char *)data;
    m->len = m->cap = len;
    m->max = max_size;
    strata_stream_ready(&m->base);
    *out = &m->base;
    return APR_SUCCESS;
}

apr_status_t strata_memory_open_buffer(strata_stream_t **out, const void *data,
                                       apr_size_t len, apr_pool_t *pool)
{
    memory_stream_t *m;
    apr_status_t rv;

    if (data == NULL && len > 0)
        return APR_EINVAL;
    if ((rv = memory_new(&m, pool)) != APR_SUCCESS)
        return rv;
    m->data = (char *)data;     /* never written: caps exclude WRITE */
    m->len = m->cap = len;
    m->base.caps = STRATA_CAP_READ | STRATA_CAP_SEEK;
    strata_stream_ready(&m->base);
    *out = &m->base;
    return APR_SUCCESS;
}

apr_status_t strata_memory_contents(strata_stream_t *s, const void **data,
                                    apr_size_t *len)
{
    memory_stream_t *m = (memory_stream_t *)s;

    if (s == NULL || s->type != &memory_type || data == NULL || len == NULL)
        return APR_EINVAL;
    *data = m->data;
    *len = m->len;
    return APR_SUCCESS;
}

apr_status_t strata_memory_truncate(strata_stream_t *s)
{
    memory_stream_t *m = (memory_stream_t *)s;

    if (s == NULL || s->type != &memory_type)
        return APR_EINVAL;
    if (strata_stream_is_closed(s))
        return STRATA_ECLOSED;
    if (!(s->caps & STRATA_CAP_WRITE))
        return STRATA_ENOTSUP;              /* a read-only buffer view */
    if (!m->owned) {                        /* let the borrowed bytes go */
        m->data = NULL;
        m->cap = 0;
        m->owned = 1;
    }
    m->len = m->pos = 0;
    return APR_SUCCESS;
}
