/*
 * stats.c -- the --stats table.
 *
 * Byte counts print exactly (billing-grade); the human-readable columns are
 * for the eye only.  Columns are aligned to their widest cell; the endpoint
 * comes last, so that a path with spaces does not break the columns.
 */
#include "stats.h"
#include "codec.h"
#include "strata/compress.h"
#include <apr_strings.h>
#include <string.h>

enum { COL_LAYER, COL_RBYTES, COL_ROPS, COL_WBYTES, COL_WOPS, COL_RHUMAN,
       COL_WHUMAN, COL_RATIO, COL_ENDPOINT, NCOLS };

static const char *const stats_header[NCOLS] = {
    "layer", "read_bytes", "read_ops", "write_bytes", "write_ops", "read",
    "written", "ratio", "endpoint"
};

typedef struct stats_row_t {
    const char *cell[NCOLS];
} stats_row_t;

static const char *stats_u64(apr_uint64_t v, apr_pool_t *pool)
{
    return apr_psprintf(pool, "%" APR_UINT64_T_FMT, v);
}

static const char *stats_human(apr_uint64_t v, apr_pool_t *pool)
{
    char buf[32];

    tool_human_size(buf, sizeof(buf), v);
    return apr_pstrdup(pool, buf);
}

/* A codec layer's compression ratio (plain / compressed), else "-". */
static const char *stats_ratio(const strata_stream_t *s, apr_pool_t *pool)
{
    strata_codec_info_t info;

    if (!strata_stream_is_codec(s)
        || strata_codec_stream_info((strata_stream_t *)s, &info) != APR_SUCCESS
        || info.coded_bytes == 0)
        return "-";
    return apr_psprintf(pool, "%.2f",
                        (double)info.plain_bytes / (double)info.coded_bytes);
}

static void stats_fill(stats_row_t *row, const tool_endpoint_t *ep,
                       const strata_stream_t *s, apr_pool_t *pool)
{
    strata_counts_t c;

    strata_stream_counts(s, &c);
    row->cell[COL_LAYER] = apr_pstrcat(pool, ep->dir == TOOL_EP_IN ? "in:" : "out:",
                                       tool_layer_name((strata_stream_t *)s),
                                       NULL);
    row->cell[COL_RBYTES] = stats_u64(c.read_bytes, pool);
    row->cell[COL_ROPS] = stats_u64(c.read_ops, pool);
    row->cell[COL_WBYTES] = stats_u64(c.write_bytes, pool);
    row->cell[COL_WOPS] = stats_u64(c.write_ops, pool);
    row->cell[COL_RHUMAN] = stats_human(c.read_bytes, pool);
    row->cell[COL_WHUMAN] = stats_human(c.write_bytes, pool);
    row->cell[COL_RATIO] = stats_ratio(s, pool);
    row->cell[COL_ENDPOINT] = ep->spec;
}

static int stats_count_rows(tool_endpoint_t *const *eps, int n)
{
    const strata_stream_t *s;
    int i, rows = 0;

    for (i = 0; i < n; i++)
        for (s = eps[i]->top; s != NULL; s = strata_stream_inner(s))
            rows++;
    return rows;
}

static void stats_print_row(apr_file_t *f, const stats_row_t *row,
                            const apr_size_t *width)
{
    apr_size_t len;
    int col;

    for (col = 0; col < NCOLS; col++) {
        len = strlen(row->cell[col]);
        if (col == COL_LAYER) {             /* text: left-aligned */
            apr_file_printf(f, "%s%*s", row->cell[col],
                            (int)(width[col] - len), "");
        } else if (col == COL_ENDPOINT) {   /* last: no padding */
            apr_file_printf(f, "  %s", row->cell[col]);
        } else {                            /* numbers: right-aligned */
            apr_file_printf(f, "  %*s%s", (int)(width[col] - len), "",
                            row->cell[col]);
        }
    }
    apr_file_puts("\n", f);
}

void tool_stats_print(apr_file_t *f, tool_endpoint_t *const *eps, int n,
                      apr_pool_t *pool)
{
    int nrows = stats_count_rows(eps, n) + 1, i, r = 0, col;
    stats_row_t *rows = apr_pcalloc(pool, nrows * sizeof(*rows));
    apr_size_t width[NCOLS] = { 0 };
    const strata_stream_t *s;

    for (col = 0; col < NCOLS; col++)
        rows[0].cell[col] = stats_header[col];
    for (i = 0; i < n; i++)
        for (s = eps[i]->top; s != NULL; s = strata_stream_inner(s))
            stats_fill(&rows[++r], eps[i], s, pool);
    for (r = 0; r < nrows; r++)
        for (col = 0; col < NCOLS; col++)
            if (strlen(rows[r].cell[col]) > width[col])
                width[col] = strlen(rows[r].cell[col]);
    for (r = 0; r < nrows; r++)
        stats_print_row(f, &rows[r], width);
    /* which engine coded each gzip/zlib/deflate layer (after the table) */
    for (i = 0; i < n; i++)
        for (s = eps[i]->top; s != NULL; s = strata_stream_inner(s))
            if (strata_engine_from_name(
                    strata_codec_engine_name((strata_stream_t *)s)) > 0)
                apr_file_printf(f, "engine %s%s: %s\n",
                                eps[i]->dir == TOOL_EP_IN ? "in:" : "out:",
                                strata_stream_name(s),
                                strata_codec_engine_name((strata_stream_t *)s));
}
