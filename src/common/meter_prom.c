/*
 * meter_prom.c -- shared meters in the Prometheus text exposition format.
 */
#include "strata_private.h"
#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>
#include <string.h>

static int prom_name_ok(const char *p)
{
    const char *c;

    if (*p == '\0' || (*p >= '0' && *p <= '9'))
        return 0;
    for (c = p; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')
              || (*c >= '0' && *c <= '9') || *c == '_' || *c == ':'))
            return 0;
    }
    return 1;
}

/* Length of the valid UTF-8 sequence at @p (at most @left bytes), or 0. */
static apr_size_t utf8_len(const unsigned char *p, apr_size_t left)
{
    apr_size_t need, i;
    unsigned char lo = 0x80, hi = 0xBF;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        need = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        need = 3;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        need = 4;
    else
        return 0;
    if (p[0] == 0xE0) lo = 0xA0;        /* overlong */
    if (p[0] == 0xED) hi = 0x9F;        /* surrogates */
    if (p[0] == 0xF0) lo = 0x90;        /* overlong */
    if (p[0] == 0xF4) hi = 0x8F;        /* past U+10FFFF */
    if (left < need || p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < need; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return need;
}

/* A label value as the format wants it: backslash, double quote and
 * newline escaped, a byte that is not valid UTF-8 written as U+FFFD. */
static const char *prom_escape(const char *v, apr_pool_t *pool)
{
    const unsigned char *u = (const unsigned char *)v;
    apr_size_t len = strlen(v), i = 0, o = 0, k;
    char *out = apr_palloc(pool, 3 * len + 1);

    while (i < len) {
        if (u[i] == '\\' || u[i] == '"') {
            out[o++] = '\\';
            out[o++] = v[i++];
        } else if (u[i] == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
            i++;
        } else if ((k = utf8_len(u + i, len - i)) == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, v + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    return out;
}

/* meter="NAME" and the meter's own labels, escaped. */
static const char *prom_labels(const strata_meter_t *m, apr_pool_t *pool)
{
    const char *text = apr_pstrcat(pool, "meter=\"", prom_escape(m->name, pool),
                                   "\"", NULL);
    int i;

    for (i = 0; i < m->nlabels; i++)
        text = apr_pstrcat(pool, text, ",", m->label_names[i], "=\"",
                           prom_escape(m->label_values[i], pool), "\"", NULL);
    return text;
}

typedef struct prom_metric_t {
    const char *suffix, *type, *help;
} prom_metric_t;

static const prom_metric_t prom_metrics[] = {
    { "read_bytes_total", "counter", "Bytes read through the metered streams." },
    { "read_ops_total", "counter", "Read calls that reached a stream." },
    { "write_bytes_total", "counter", "Bytes written through the metered streams." },
    { "write_ops_total", "counter", "Write calls that reached a stream." },
    { "quota_bytes", "gauge", "Byte quota of the meter." },
    { "quota_used_bytes", "gauge", "Bytes counted against the quota." },
};

static apr_uint64_t prom_value(strata_meter_t *m, const strata_counts_t *c,
                               int which)
{
    switch (which) {
    case 0: return c->read_bytes;
    case 1: return c->read_ops;
    case 2: return c->write_bytes;
    case 3: return c->write_ops;
    case 4: return m->quota;
    default: return m->quota - strata_meter_quota_left(m);
    }
}

apr_status_t strata_meter_write_prometheus(strata_stream_t *out,
                                           strata_meter_t *const *meters,
                                           apr_size_t n, const char *prefix)
{
    apr_pool_t *tmp;
    strata_counts_t *counts;
    const char **labels;
    apr_hash_t *seen;
    apr_array_header_t *lines;
    const char *text;
    apr_size_t i;
    int k, any_quota = 0;
    apr_status_t rv;

    if (out == NULL || (meters == NULL && n > 0))
        return APR_EINVAL;
    if (prefix == NULL)
        prefix = "strata";
    if (!prom_name_ok(prefix))
        return APR_EINVAL;
    if ((rv = apr_pool_create(&tmp, out->pool)) != APR_SUCCESS)
        return rv;
    /* One snapshot per meter, so each meter's lines agree. */
    counts = apr_pcalloc(tmp, (n ? n : 1) * sizeof(*counts));
    labels = apr_pcalloc(tmp, (n ? n : 1) * sizeof(*labels));
    seen = apr_hash_make(tmp);
    for (i = 0; i < n; i++) {
        if (meters[i] == NULL) {
            apr_pool_destroy(tmp);
            return APR_EINVAL;
        }
        labels[i] = prom_labels(meters[i], tmp);
        if (apr_hash_get(seen, labels[i], APR_HASH_KEY_STRING) != NULL) {
            apr_pool_destroy(tmp);          /* a duplicate series */
            return APR_EINVAL;
        }
        apr_hash_set(seen, labels[i], APR_HASH_KEY_STRING, labels[i]);
    }
    for (i = 0; i < n; i++) {
        strata_meter_snapshot(meters[i], &counts[i]);
        if (meters[i]->quota_dirs)
            any_quota = 1;
    }
    lines = apr_array_make(tmp, 16, sizeof(const char *));
    for (k = 0; k < 6; k++) {
        if (k >= 4 && !any_quota)
            break;
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(tmp, "# HELP %s_%s %s\n# TYPE %s_%s %s\n", prefix, prom_metrics[k].suffix, prom_metrics[k].help,
                            prefix, prom_metrics[k].suffix, prom_metrics[k].type);
        for (i = 0; i < n; i++) {
            if (k >= 4 && !meters[i]->quota_dirs)
                continue;
            APR_ARRAY_PUSH(lines, const char *) =
                apr_psprintf(tmp, "%s_%s{%s} %" APR_UINT64_T_FMT "\n",
                                prefix, prom_metrics[k].suffix, labels[i],
                                prom_value(meters[i], &counts[i], k));
        }
    }
    text = apr_array_pstrcat(tmp, lines, 0);
    rv = strata_write_all(out, text, strlen(text), NULL);
    apr_pool_destroy(tmp);
    return rv;
}
