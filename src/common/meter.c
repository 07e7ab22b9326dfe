/*
 * meter.c -- shared meters: atomic counters, quotas, attach/detach.
 * The Prometheus writer lives in meter_prom.c.
 */
#include "strata_private.h"
#include <apr_atomic.h>
#include <apr_strings.h>
#include <string.h>

apr_status_t strata_meter_create(strata_meter_t **out, const char *name,
                                 apr_pool_t *pool)
{
    strata_meter_t *m;

    if (out == NULL || name == NULL || pool == NULL)
        return APR_EINVAL;
    m = apr_pcalloc(pool, sizeof(*m));
    m->name = apr_pstrdup(pool, name);
    m->pool = pool;
    *out = m;
    return APR_SUCCESS;
}

const char *strata_meter_name(const strata_meter_t *m)
{
    return m != NULL ? m->name : NULL;
}

/* [a-zA-Z_][a-zA-Z0-9_]*, not reserved ("__...") and not "meter". */
static int label_name_ok(const char *name)
{
    const char *c;

    if (*name == '\0' || (*name >= '0' && *name <= '9')
        || strncmp(name, "__", 2) == 0 || strcmp(name, "meter") == 0)
        return 0;
    for (c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
              || (*c >= '0' && *c <= '9') || *c == '_'))
            return 0;
    return 1;
}

static int label_find(const strata_meter_t *m, const char *name)
{
    int i;

    for (i = 0; i < m->nlabels; i++)
        if (strcmp(m->label_names[i], name) == 0)
            return i;
    return -1;
}

apr_status_t strata_meter_set_label(strata_meter_t *m, const char *name,
                                    const char *value)
{
    int i;

    if (m == NULL || name == NULL || !label_name_ok(name))
        return APR_EINVAL;
    i = label_find(m, name);
    if (value == NULL) {                /* remove, keeping the order */
        if (i < 0)
            return APR_NOTFOUND;
        for (; i + 1 < m->nlabels; i++) {
            m->label_names[i] = m->label_names[i + 1];
            m->label_values[i] = m->label_values[i + 1];
        }
        m->nlabels--;
        return APR_SUCCESS;
    }
    if (i < 0) {
        if (m->nlabels >= STRATA_METER_MAX_LABELS)
            return STRATA_ELIMIT;
        i = m->nlabels++;
        m->label_names[i] = apr_pstrdup(m->pool, name);
    }
    m->label_values[i] = apr_pstrdup(m->pool, value);
    return APR_SUCCESS;
}

const char *strata_meter_get_label(const strata_meter_t *m, const char *name)
{
    int i;

    if (m == NULL || name == NULL || (i = label_find(m, name)) < 0)
        return NULL;
    return m->label_values[i];
}

static unsigned dir_bit(int dir)
{
    return dir == STRATA__DIR_READ ? STRATA_METER_READ : STRATA_METER_WRITE;
}

apr_status_t strata__meter_reserve(strata_meter_t *m, int dir,
                                   apr_uint64_t want, apr_uint64_t *got)
{
    apr_uint64_t used, quota, take;

    *got = want;
    if (!(apr_atomic_read32(&m->quota_dirs) & dir_bit(dir)))
        return APR_SUCCESS;
    quota = apr_atomic_read64(&m->quota);
    for (;;) {
        used = apr_atomic_read64(&m->quota_used);
        if (used >= quota) {
            *got = 0;
            return STRATA_EQUOTA;
        }
        take = quota - used < want ? quota - used : want;
        if (apr_atomic_cas64(&m->quota_used, used + take, used) == used)
            break;
    }
    *got = take;
    return APR_SUCCESS;
}

void strata__meter_release(strata_meter_t *m, int dir, apr_uint64_t unused)
{
    apr_uint64_t used;

    if (unused == 0 || !(apr_atomic_read32(&m->quota_dirs) & dir_bit(dir)))
        return;
    /* Never below zero: the quota may have been reset while we held it. */
    do {
        used = apr_atomic_read64(&m->quota_used);
    } while (apr_atomic_cas64(&m->quota_used,
                              used > unused ? used - unused : 0, used) != used);
}

void strata__meter_count(strata_meter_t *m, int dir, apr_uint64_t bytes)
{
    if (dir == STRATA__DIR_READ) {
        apr_atomic_inc64(&m->read_ops);
        if (bytes)
            apr_atomic_add64(&m->read_bytes, bytes);
    } else {
        apr_atomic_inc64(&m->write_ops);
        if (bytes)
            apr_atomic_add64(&m->write_bytes, bytes);
    }
}

apr_status_t strata_stream_attach_meter(strata_stream_t *s, strata_meter_t *m)
{
    int i;

    if (s == NULL || m == NULL)
        return APR_EINVAL;
    for (i = 0; i < STRATA_STREAM_MAX_METERS; i++) {
        if (s->meters[i] == m)
            return APR_SUCCESS;
        if (s->meters[i] == NULL) {
            s->meters[i] = m;
            return APR_SUCCESS;
        }
    }
    return STRATA_ELIMIT;
}

apr_status_t strata_stream_detach_meter(strata_stream_t *s, strata_meter_t *m)
{
    int i, j;

    if (s == NULL || m == NULL)
        return APR_EINVAL;
    for (i = 0; i < STRATA_STREAM_MAX_METERS && s->meters[i] != NULL; i++) {
        if (s->meters[i] != m)
            continue;
        for (j = i; j + 1 < STRATA_STREAM_MAX_METERS; j++)
            s->meters[j] = s->meters[j + 1];
        s->meters[STRATA_STREAM_MAX_METERS - 1] = NULL;
        return APR_SUCCESS;
    }
    return APR_NOTFOUND;
}

void strata_meter_snapshot(const strata_meter_t *m, strata_counts_t *out)
{
    strata_meter_t *w = (strata_meter_t *)m;   /* atomics take non-const */

    out->read_bytes = apr_atomic_read64(&w->read_bytes);
    out->read_ops = apr_atomic_read64(&w->read_ops);
    out->write_bytes = apr_atomic_read64(&w->write_bytes);
    out->write_ops = apr_atomic_read64(&w->write_ops);
}

void strata_meter_reset(strata_meter_t *m)
{
    apr_atomic_set64(&m->read_bytes, 0);
    apr_atomic_set64(&m->read_ops, 0);
    apr_atomic_set64(&m->write_bytes, 0);
    apr_atomic_set64(&m->write_ops, 0);
    apr_atomic_set64(&m->quota_used, 0);
}

void strata_meter_set_quota(strata_meter_t *m, apr_uint64_t bytes,
                            unsigned dirs)
{
    apr_atomic_set32(&m->quota_dirs, 0);
    apr_atomic_set64(&m->quota, bytes);
    apr_atomic_set64(&m->quota_used, 0);
    apr_atomic_set32(&m->quota_dirs, dirs & STRATA_METER_BOTH);
}

apr_uint64_t strata_meter_quota_left(const strata_meter_t *m)
{
    strata_meter_t *w = (strata_meter_t *)m;
    apr_uint64_t quota, used;

    if (!apr_atomic_read32(&w->quota_dirs))
        return APR_UINT64_MAX;
    quota = apr_atomic_read64(&w->quota);
    used = apr_atomic_read64(&w->quota_used);
    return used >= quota ? 0 : quota - used;
}
