/*
 * meter_prom.c -- shared meters in the Prometheus text exposition format.
 */
#include "strata_private.h"
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

/* Label values escape backslash, double quote and newline. */
static const char *prom_escape(const char *v, apr_pool_t *pool)
{
    apr_size_t len = strlen(v), i, o = 0;
    char *out = apr_palloc(pool, 2 * len + 1);

    for (i = 0; i < len; i++) {
        if (v[i] == '\\' || v[i] == '"') {
            out[o++] = '\\';
            out[o++] = v[i];
        } else if (v[i] == '\n') {
            out[o++] = '\\';
            out[o++] = 'n';
        } else {
            out[o++] = v[i];
        }
    }
    out[o] = '\0';
    return out;
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
                apr_psprintf(tmp, "%s_%s{meter=\"%s\"} %" APR_UINT64_T_FMT "\n",
                                prefix, prom_metrics[k].suffix,
                                prom_escape(meters[i]->name, tmp),
                                prom_value(meters[i], &counts[i], k));
        }
    }
    text = apr_array_pstrcat(tmp, lines, 0);
    rv = strata_write_all(out, text, strlen(text), NULL);
    apr_pool_destroy(tmp);
    return rv;
}
