/*
 * util.c -- messages and human-readable numbers for the tool.
 */
#include "tool.h"
#include <apr_strings.h>
#include <apr_version.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#if STRATA_HAVE_ZSTD
#include <zstd.h>
#endif
#include <stdarg.h>
#include <string.h>

/* Write PREFIX MSG and a newline on standard error without allocating:
 * apr_file_printf() mallocs its buffer, and an error message must still
 * come out when memory has run out. */
static void tool_put_line(tool_ctx_t *ctx, const char *prefix, const char *msg)
{
    char line[1200];
    apr_size_t len = (apr_size_t)apr_snprintf(line, sizeof(line) - 1, "%s%s",
                                              prefix, msg);

    line[len++] = '\n';
    apr_file_write_full(ctx->err, line, len, NULL);
}

const char *tool_progname = "strata";

void tool_error(tool_ctx_t *ctx, const char *fmt, ...)
{
    char msg[1024], prefix[64];
    va_list ap;

    va_start(ap, fmt);
    apr_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    apr_snprintf(prefix, sizeof(prefix), "%s: ", tool_progname);
    tool_put_line(ctx, prefix, msg);
}

void tool_usage_error(tool_ctx_t *ctx, const char *prog, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    apr_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    apr_file_printf(ctx->err, "%s: %s (see '%s --help')\n", prog, msg, prog);
}

const char *tool_strerror(apr_status_t rv, apr_pool_t *pool)
{
    char buf[256];
    apr_size_t len;

    strata_strerror(rv, buf, sizeof(buf));
    /* Windows' messages end in ".  " or "\r\n": keep the line clean. */
    len = strlen(buf);
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\r'
                       || buf[len - 1] == '\n'))
        buf[--len] = '\0';
    return apr_pstrdup(pool, buf);
}

void tool_human_size(char *buf, apr_size_t size, apr_uint64_t bytes)
{
    static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB",
                                         "EiB" };
    double v = (double)bytes;
    int u = -1;

    if (bytes < 1024) {
        apr_snprintf(buf, size, "%" APR_UINT64_T_FMT "B", bytes);
        return;
    }
    while (v >= 1024.0 && u < 5) {
        v /= 1024.0;
        u++;
    }
    /* 1023.95 would print as "1024.0": go up a unit instead. */
    if (v >= 1023.95 && u < 5) {
        v /= 1024.0;
        u++;
    }
    apr_snprintf(buf, size, "%.1f%s", v, units[u]);
}

void tool_human_duration(char *buf, apr_size_t size, apr_uint64_t seconds)
{
    apr_uint64_t h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;

    if (h > 0)
        apr_snprintf(buf, size, "%" APR_UINT64_T_FMT ":%02u:%02u", h,
                     (unsigned)m, (unsigned)s);
    else
        apr_snprintf(buf, size, "%u:%02u", (unsigned)m, (unsigned)s);
}

/* The libraries' versions as they report them at run time. */
void tool_print_version(tool_ctx_t *ctx)
{
    char bz[32];
    const char *comma;

    /* "1.0.8, 13-Jul-2019": keep the number. */
    apr_cpystrn(bz, BZ2_bzlibVersion(), sizeof(bz));
    if ((comma = strchr(bz, ',')) != NULL)
        bz[comma - bz] = '\0';
    apr_file_printf(ctx->out, "strata %s\n", strata_version());
    apr_file_printf(ctx->out, "zlib %s, bzip2 %s, liblzma %s, ", zlibVersion(),
                    bz, lzma_version_string());
#if STRATA_HAVE_ZSTD
    apr_file_printf(ctx->out, "zstd %s, ", ZSTD_versionString());
#else
    apr_file_puts("zstd (not in this build), ", ctx->out);
#endif
    apr_file_printf(ctx->out, "APR %s\n", apr_version_string());
    apr_file_printf(ctx->out, "gzip engines: %s\n", strata_engines_built());
}
