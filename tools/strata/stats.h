/*
 * stats.h -- the --stats table: every layer of every stream the tool
 * opened, with its meters as exact byte and op counts.
 */
#ifndef STRATA_TOOL_STATS_H
#define STRATA_TOOL_STATS_H

#include "endpoint.h"

/*
 * Print on @a f a header and one row per layer of each endpoint in @a eps,
 * top layer first: "in:file", "out:gzip", "out:file", ... with read bytes,
 * read ops, write bytes, write ops, the byte counts again in human form,
 * for codec layers the compression ratio (plain / compressed bytes), and
 * the endpoint's spec.
 */
void tool_stats_print(apr_file_t *f, tool_endpoint_t *const *eps, int n,
                      apr_pool_t *pool);

#endif /* STRATA_TOOL_STATS_H */
