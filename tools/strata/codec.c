/*
 * codec.c -- the tool's compression options and layers (see codec.h).
 */
#include "codec.h"
#include <apr_strings.h>
#include <string.h>

static int codec_decodable(strata_codec_t c)
{
    return c != STRATA_CODEC_UNKNOWN && c != STRATA_CODEC_NONE;
}

/* Options of cat that take an argument: their argument is never a -d. */
static int codec_takes_arg(const char *a)
{
    static const char *const longs[] = { "--output", "--compress", "--level",
                                         "--threads", "--max-output",
                                         "--max-ratio", NULL };
    int i;

    if (a[0] == '-' && a[1] != '-' && a[1] != '\0' && a[2] == '\0')
        return strchr("oclT", a[1]) != NULL;
    for (i = 0; longs[i] != NULL; i++)
        if (strcmp(a, longs[i]) == 0)
            return 1;
    return 0;
}

void tool_codec_prescan(tool_codec_t *tc, int argc, const char *const *argv,
                        int *argc_out, const char *const **argv_out,
                        apr_pool_t *pool)
{
    const char **out = apr_palloc(pool, (argc + 1) * sizeof(*out));
    int i, n = 0;
    strata_codec_t c;

    memset(tc, 0, sizeof(*tc));
    tc->compress = STRATA_CODEC_NONE;
    tc->decompress = STRATA_CODEC_NONE;
    strata_compress_opts_init(&tc->c);
    strata_decompress_opts_init(&tc->d);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];
        out[n++] = a;
        if (i == 0)
            continue;
        if (strcmp(a, "--") == 0) {                 /* operands only now */
            while (++i < argc)
                out[n++] = argv[i];
            break;
        }
        if (codec_takes_arg(a) && i + 1 < argc) {
            out[n++] = argv[++i];
            continue;
        }
        if (strcmp(a, "-d") == 0 || strcmp(a, "--decompress") == 0) {
            tc->decompress = STRATA_CODEC_AUTO;
            if (i + 1 < argc
                && codec_decodable(c = strata_codec_from_name(argv[i + 1]))) {
                tc->decompress = c;
                i++;
            }
        } else if (strncmp(a, "--decompress=", 13) == 0
                   || (strncmp(a, "-d", 2) == 0 && a[2] != '\0'
                       && codec_decodable(strata_codec_from_name(a + 2)))) {
            c = strata_codec_from_name(a[1] == '-' ? a + 13 : a + 2);
            tc->decompress = codec_decodable(c) ? c : STRATA_CODEC_UNKNOWN;
            out[n - 1] = "-d";
        }
    }
    out[n] = NULL;
    *argc_out = n;
    *argv_out = out;
}

/* "123", "64K", "10M", "2G" (binary multiples). */
static int codec_parse_size(const char *s, apr_uint64_t *v)
{
    apr_uint64_t x = 0, mul = 1;

    if (*s < '0' || *s > '9')
        return 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        if (x > (APR_UINT64_MAX - 9) / 10)
            return 0;
        x = x * 10 + (apr_uint64_t)(*s - '0');
    }
    switch (*s) {
    case 'k': case 'K': mul = 1024; s++; break;
    case 'm': case 'M': mul = 1024 * 1024; s++; break;
    case 'g': case 'G': mul = 1024 * 1024 * 1024; s++; break;
    }
    if (*s != '\0' || (x && mul > APR_UINT64_MAX / x))
        return 0;
    *v = x * mul;
    return 1;
}

int tool_codec_option(tool_codec_t *tc, int optch, const char *arg,
                      const char **msg, apr_pool_t *pool)
{
    apr_uint64_t v;
    strata_codec_t c;

    switch (optch) {
    case 'c':
        c = strata_codec_from_name(arg);
        if (!codec_decodable(c) || c == STRATA_CODEC_AUTO) {
            *msg = apr_psprintf(pool, "unknown codec '%s'", arg);
            return -1;
        }
        tc->compress = c;
        return 1;
    case 'd':
        if (tc->decompress == STRATA_CODEC_UNKNOWN) {
            *msg = "unknown codec for -d";
            return -1;
        }
        if (tc->decompress == STRATA_CODEC_NONE)
            tc->decompress = STRATA_CODEC_AUTO;
        return 1;
    case 'l':
        if (!codec_parse_size(arg, &v) || v > 99) {
            *msg = apr_psprintf(pool, "bad level '%s'", arg);
            return -1;
        }
        tc->c.level = (int)v;
        return 1;
    case 'T':
        if (!codec_parse_size(arg, &v) || v > 256) {
            *msg = apr_psprintf(pool, "bad thread count '%s'", arg);
            return -1;
        }
        tc->c.threads = (unsigned)v;
        return 1;
    case TOOL_CODEC_OPT_MAX_OUTPUT:
        if (!codec_parse_size(arg, &v) || v == 0) {
            *msg = apr_psprintf(pool, "bad size '%s'", arg);
            return -1;
        }
        tc->d.max_output = v;
        return 1;
    case TOOL_CODEC_OPT_MAX_RATIO:
        if (!codec_parse_size(arg, &v) || v == 0) {
            *msg = apr_psprintf(pool, "bad ratio '%s'", arg);
            return -1;
        }
        tc->d.max_ratio = v;
        return 1;
    }
    return 0;
}

apr_status_t tool_codec_push_input(tool_codec_t *tc, tool_endpoint_t *ep,
                                   const char **msg, apr_pool_t *pool)
{
    strata_stream_t *z;
    apr_status_t rv;

    if (tc->decompress == STRATA_CODEC_NONE)
        return APR_SUCCESS;
    rv = strata_decompress_reader(&z, ep->top, tc->decompress, &tc->d, 0,
                                  pool);
    if (rv != APR_SUCCESS) {
        *msg = apr_psprintf(pool, "cannot decode %s: %s", ep->display,
                            tool_strerror(rv, pool));
        return rv;
    }
    tool_endpoint_push(ep, z);
    ep->size = -1;                  /* plain size unknown until the end */
    return APR_SUCCESS;
}

apr_status_t tool_codec_push_output(tool_codec_t *tc, tool_endpoint_t *ep,
                                    const char **msg, apr_pool_t *pool)
{
    strata_stream_t *z;
    apr_status_t rv;

    if (tc->compress == STRATA_CODEC_NONE)
        return APR_SUCCESS;
    rv = strata_compress_writer(&z, ep->top, tc->compress, &tc->c, 0, pool);
    if (rv != APR_SUCCESS) {
        *msg = apr_psprintf(pool, "cannot compress with %s%s: %s",
                            strata_codec_name(tc->compress),
                            rv == APR_EINVAL ? " (bad level?)" : "",
                            tool_strerror(rv, pool));
        return rv;
    }
    tool_endpoint_push(ep, z);
    return APR_SUCCESS;
}
