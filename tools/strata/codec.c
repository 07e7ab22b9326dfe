/*
 * codec.c -- the shared compression options, layers, copy loop and codec
 * messages (see codec.h).
 */
#include "codec.h"
#include "strata_os.h"
#include <apr_strings.h>
#include <string.h>

#define CODEC_BUFSIZE (128 * 1024)

void tool_codec_init(tool_codec_t *tc)
{
    memset(tc, 0, sizeof(*tc));
    tc->format = STRATA_CODEC_AUTO;
    tc->level = STRATA_LEVEL_DEFAULT;
}

int tool_parse_size(const char *s, apr_uint64_t *v)
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
    if (*s == 'i' && mul > 1 && s[1] == 'B')    /* "64KiB" */
        s += 2;
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

    if (optch >= '0' && optch <= '9') {
        tc->level = optch - '0';
        return 1;
    }
    switch (optch) {
    case 'F':
        c = strata_codec_from_name(arg);
        if (c == STRATA_CODEC_UNKNOWN || c == STRATA_CODEC_NONE) {
            *msg = apr_psprintf(pool, "unknown format '%s'%s", arg,
                                apr_strnatcasecmp(arg, "zstd") == 0
                                ? " (not in this build)" : "");
            return -1;
        }
        tc->format = c;
        return 1;
    case TOOL_CODEC_OPT_FAST:
        tc->level = 1;
        return 1;
    case TOOL_CODEC_OPT_BEST:
        tc->level = 9;
        return 1;
    case TOOL_CODEC_OPT_LEVEL:
        if (!tool_parse_size(arg, &v) || v > 99) {
            *msg = apr_psprintf(pool, "bad level '%s'", arg);
            return -1;
        }
        tc->level = (int)v;
        return 1;
    case 'T':
        if (!tool_parse_size(arg, &v) || v > 256) {
            *msg = apr_psprintf(pool, "bad thread count '%s' (0..256)", arg);
            return -1;
        }
        /* 0: one per processor, as xz -T0 and zstd -T0 */
        tc->threads = v == 0 ? (unsigned)strata__os_ncpu() : (unsigned)v;
        return 1;
    case TOOL_CODEC_OPT_MAX_OUTPUT:
        if (!tool_parse_size(arg, &v) || v == 0) {
            *msg = apr_psprintf(pool, "bad size '%s'", arg);
            return -1;
        }
        tc->max_output = tc->output_left = v;
        tc->max_output_arg = arg;
        return 1;
    case TOOL_CODEC_OPT_MAX_RATIO:
        if (!tool_parse_size(arg, &v) || v == 0) {
            *msg = apr_psprintf(pool, "bad ratio '%s'", arg);
            return -1;
        }
        tc->max_ratio = v;
        return 1;
    }
    return 0;
}

/* The levels each codec accepts (zstd's top is checked by libzstd). */
static void codec_level_range(strata_codec_t c, int *lo, int *hi)
{
    *lo = 0;
    *hi = 9;
    if (c == STRATA_CODEC_BZIP2)
        *lo = 1;
    else if (c == STRATA_CODEC_ZSTD) {
        *lo = 1;
        *hi = 22;
    }
}

int tool_codec_check(const tool_codec_t *tc, int decoding, int encoding,
                     strata_codec_t enc, const char **msg, apr_pool_t *pool)
{
    int lo, hi;

    if (tc->max_ratio && !decoding) {
        *msg = "--max-ratio applies only when decompressing";
        return -1;
    }
    if (encoding && tc->level != STRATA_LEVEL_DEFAULT) {
        codec_level_range(enc, &lo, &hi);
        if (tc->level < lo || tc->level > hi) {
            *msg = apr_psprintf(pool, "level %d is out of range for %s "
                                "(%d..%d)", tc->level, strata_codec_name(enc),
                                lo, hi);
            return -1;
        }
    }
    return 0;
}

apr_status_t tool_codec_push_decoder(const tool_codec_t *tc,
                                     tool_endpoint_t *ep, strata_codec_t codec,
                                     int passthrough, const char **msg,
                                     apr_pool_t *pool)
{
    strata_decompress_opts_t d;
    strata_stream_t *z;
    apr_status_t rv;

    strata_decompress_opts_init(&d);
    d.max_ratio = tc->max_ratio;
    d.passthrough = passthrough && codec == STRATA_CODEC_AUTO;
    d.trailing = tc->trailing;
    rv = strata_decompress_reader(&z, ep->top, codec, &d, 0, pool);
    if (rv != APR_SUCCESS) {
        *msg = apr_psprintf(pool, "cannot decode %s: %s", ep->display,
                            tool_strerror(rv, pool));
        return rv;
    }
    tool_endpoint_push(ep, z);
    return APR_SUCCESS;
}

apr_status_t tool_codec_push_encoder(const tool_codec_t *tc,
                                     tool_endpoint_t *ep, strata_codec_t codec,
                                     const char **msg, apr_pool_t *pool)
{
    strata_compress_opts_t c;
    strata_stream_t *z;
    apr_status_t rv;

    strata_compress_opts_init(&c);
    c.level = tc->level;
    c.threads = tc->threads;
    c.block_size = tc->block_size;
    c.gzip_members = tc->members;
    c.gzip_header = tc->gzip_header;
    c.gzip_name = tc->gzip_name;
    c.gzip_mtime = tc->gzip_mtime;
    rv = strata_compress_writer(&z, ep->top, codec, &c, 0, pool);
    if (rv != APR_SUCCESS) {
        *msg = apr_psprintf(pool, "cannot compress with %s%s: %s",
                            strata_codec_name(codec),
                            rv == APR_EINVAL ? " (bad level?)" : "",
                            tool_strerror(rv, pool));
        return rv;
    }
    tool_endpoint_push(ep, z);
    return APR_SUCCESS;
}

strata_codec_t tool_codec_of(strata_stream_t *layer)
{
    strata_codec_info_t info;

    if (layer == NULL || strata_codec_stream_info(layer, &info) != APR_SUCCESS)
        return STRATA_CODEC_UNKNOWN;
    return info.codec;
}

const char *tool_layer_name(strata_stream_t *layer)
{
    strata_codec_info_t info;

    if (strata_stream_is_codec(layer)
        && strata_codec_stream_info(layer, &info) == APR_SUCCESS) {
        if (info.codec == STRATA_CODEC_NONE)
            return "plain";
        if (info.codec != STRATA_CODEC_AUTO
            && info.codec != STRATA_CODEC_UNKNOWN)
            return strata_codec_name(info.codec);
    }
    return strata_stream_name(layer);
}

/* ---- copying ------------------------------------------------------------------ */

/* At the output limit: is there more input?  One byte is read to know. */
static apr_status_t codec_probe_more(tool_endpoint_t *in, tool_side_t *side)
{
    char byte;
    apr_size_t n = 0;
    apr_status_t rv = strata_read(in->top, &byte, 1, &n);

    if (rv == APR_EOF)
        return APR_SUCCESS;
    if (rv != APR_SUCCESS) {
        *side = TOOL_SIDE_IN;
        return rv;
    }
    *side = TOOL_SIDE_LIMIT;
    return STRATA_ELIMIT_OUTPUT;
}

/* Which end made strata_copy fail: a chunk read but not written, or an
 * error only writes give, is the output's; else the input's. */
static tool_side_t codec_copy_side(apr_status_t rv, apr_uint64_t read,
                                   apr_uint64_t written)
{
    if (APR_STATUS_IS_EPIPE(rv) || APR_STATUS_IS_ENOSPC(rv) || read > written)
        return TOOL_SIDE_OUT;
    return TOOL_SIDE_IN;
}

/* Plain data on both ends: strata_copy (the kernel may move the bytes). */
static apr_status_t codec_copy_fast(tool_codec_t *tc, tool_endpoint_t *in,
                                    tool_endpoint_t *out,
                                    const tool_copy_progress_t *prog,
                                    apr_uint64_t *copied, tool_side_t *side)
{
    strata_copy_opts_t opts;
    strata_counts_t in0, in1;
    apr_status_t rv;

    if (tc->max_output && tc->output_left == 0)
        return codec_probe_more(in, side);
    memset(&opts, 0, sizeof(opts));
    if (prog != NULL) {
        opts.progress = prog->fn;
        opts.baton = prog->baton;
    }
    opts.max = tc->max_output ? tc->output_left : 0;
    strata_stream_counts(in->top, &in0);
    rv = strata_copy(in->top, out->top, &opts, copied);
    if (tc->max_output)
        tc->output_left -= *copied;
    if (rv != APR_SUCCESS) {
        strata_stream_counts(in->top, &in1);
        *side = codec_copy_side(rv, in1.read_bytes - in0.read_bytes, *copied);
        return rv;
    }
    if (tc->max_output && tc->output_left == 0)
        return codec_probe_more(in, side);
    return APR_SUCCESS;
}

/* Where the decoder's last complete member ended, for the trailing-data
 * check: plain bytes and compressed bytes at that point. */
static void codec_track_members(tool_endpoint_t *in)
{
    strata_codec_info_t info;

    if (in->codec == NULL || strata_codec_stream_info(in->codec, &info)
                             != APR_SUCCESS || info.compressing)
        return;
    if (info.members != in->members) {
        in->members = info.members;
        in->member_end_plain = info.plain_bytes;
        in->member_end_coded = info.coded_used;
    }
}

/* What the bytes of @a path from @a offset on are: all zeros, another
 * gzip member (its magic), or something else; NONE if unreadable. */
static tool_trailing_t codec_tail_of(const char *path, apr_uint64_t offset,
                                     apr_pool_t *pool)
{
    unsigned char buf[4096];
    apr_off_t off = (apr_off_t)offset;
    apr_size_t n, i, seen = 0;
    apr_file_t *f;
    apr_status_t rv = APR_SUCCESS;
    tool_trailing_t t = TOOL_TRAILING_ZEROS;

    if (apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                      APR_FPROT_OS_DEFAULT, pool) != APR_SUCCESS)
        return TOOL_TRAILING_NONE;
    if (apr_file_seek(f, APR_SET, &off) != APR_SUCCESS)
        t = TOOL_TRAILING_NONE;
    while (t == TOOL_TRAILING_ZEROS && rv == APR_SUCCESS) {
        n = sizeof(buf);
        rv = apr_file_read(f, buf, &n);
        if (seen == 0 && n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b)
            t = TOOL_TRAILING_NONE;         /* a member, cut or damaged */
        for (i = 0; i < n && t == TOOL_TRAILING_ZEROS; i++)
            if (buf[i] != 0)
                t = TOOL_TRAILING_GARBAGE;
        seen += n;
    }
    apr_file_close(f);
    if (t == TOOL_TRAILING_GARBAGE && seen == 1)
        t = TOOL_TRAILING_SHORT;            /* gzip: a magic cut short */
    return t;
}

tool_trailing_t tool_codec_trailing(tool_endpoint_t *in, apr_status_t rv,
                                    apr_pool_t *pool)
{
    strata_codec_info_t info;

    if ((rv != STRATA_EBADDATA && rv != STRATA_ETRUNCATED) || in->codec == NULL
        || strata_codec_stream_info(in->codec, &info) != APR_SUCCESS
        || info.codec != STRATA_CODEC_GZIP || info.members == 0
        || info.plain_bytes != in->member_end_plain)
        return TOOL_TRAILING_NONE;
    if (strcmp(in->spec, "-") != 0)     /* a file: look at what follows */
        return codec_tail_of(in->spec, in->member_end_coded, pool);
    return rv == STRATA_EBADDATA ? TOOL_TRAILING_GARBAGE : TOOL_TRAILING_NONE;
}

apr_status_t tool_copy(tool_codec_t *tc, tool_endpoint_t *in,
                       tool_endpoint_t *out, const tool_copy_progress_t *prog,
                       apr_uint64_t *copied, tool_side_t *side)
{
    static char buf[CODEC_BUFSIZE];
    apr_size_t n, want, written;
    apr_status_t rv;

    *copied = 0;
    *side = TOOL_SIDE_NONE;
    if (in->codec == NULL && out->codec == NULL)
        return codec_copy_fast(tc, in, out, prog, copied, side);
    for (;;) {
        want = sizeof(buf);
        if (tc->max_output) {
            if (tc->output_left == 0)
                return codec_probe_more(in, side);
            if (want > tc->output_left)
                want = (apr_size_t)tc->output_left;
        }
        n = 0;
        rv = strata_read(in->top, buf, want, &n);
        codec_track_members(in);
        if (rv == APR_EOF)
            return APR_SUCCESS;
        if (rv != APR_SUCCESS && n == 0) {
            *side = TOOL_SIDE_IN;
            return rv;
        }
        written = 0;
        if (n > 0) {
            apr_status_t wrv = strata_write_all(out->top, buf, n, &written);

            *copied += written;
            if (tc->max_output)
                tc->output_left -= written;
            if (prog != NULL && prog->fn != NULL)
                prog->fn(prog->baton, *copied);
            if (wrv != APR_SUCCESS) {
                *side = TOOL_SIDE_OUT;
                return wrv;
            }
        }
        if (rv != APR_SUCCESS) {
            *side = TOOL_SIDE_IN;
            return rv;
        }
    }
}

/* ---- messages ----------------------------------------------------------------- */

const char *tool_codec_limit_message(const tool_codec_t *tc, apr_pool_t *pool)
{
    return apr_psprintf(pool, "stopped at the output limit (--max-output %s "
                        "for the whole run)", tc->max_output_arg);
}

const char *tool_codec_error(const tool_codec_t *tc, tool_endpoint_t *ep,
                             strata_codec_t want, apr_status_t rv,
                             apr_pool_t *pool)
{
    strata_codec_info_t info;
    const char *name;

    if (ep->codec == NULL
        || strata_codec_stream_info(ep->codec, &info) != APR_SUCCESS)
        return tool_strerror(rv, pool);
    if (rv == STRATA_ETRUNCATED)
        return info.coded_bytes == 0 ? "input is empty (unexpected end of file)"
                                     : "input ended early (unexpected end of file)";
    if (rv == STRATA_EBADDATA) {
        if (info.codec == STRATA_CODEC_AUTO
            || info.codec == STRATA_CODEC_UNKNOWN)     /* no magic matched */
            return strata_codec_available(STRATA_CODEC_ZSTD)
                   ? "not in gzip format (nor bzip2, xz, zstd, zlib)"
                   : "not in gzip format (nor bzip2, xz, zlib)";
        name = strata_codec_name(info.codec);
        if (want != STRATA_CODEC_AUTO && info.members == 0
            && info.plain_bytes == 0 && info.coded_used <= 32)
            return apr_psprintf(pool, "not in %s format", name);
        return apr_psprintf(pool, "%s data is corrupt at byte %"
                            APR_UINT64_T_FMT, name, info.coded_used);
    }
    if (rv == STRATA_ELIMIT_RATIO
        || (rv == STRATA_ELIMIT && tc->max_ratio && info.plain_bytes > 0))
        return apr_psprintf(pool, "stopped at the ratio limit (--max-ratio "
                            "%" APR_UINT64_T_FMT ": %" APR_UINT64_T_FMT
                            " bytes from %" APR_UINT64_T_FMT " compressed)",
                            tc->max_ratio, info.plain_bytes,
                            info.coded_used);
    if (rv == STRATA_ELIMIT_MEMORY || rv == STRATA_ELIMIT)
        return "the decoder needs more memory than its limit (256 MiB)";
    return tool_strerror(rv, pool);
}

/* ---- suffixes ----------------------------------------------------------------- */

const char *tool_codec_suffix(strata_codec_t codec)
{
    switch (codec) {
    case STRATA_CODEC_GZIP:  return ".gz";
    case STRATA_CODEC_BZIP2: return ".bz2";
    case STRATA_CODEC_XZ:    return ".xz";
    case STRATA_CODEC_ZSTD:  return ".zst";
    case STRATA_CODEC_ZLIB:  return ".zz";
    default:                 return NULL;
    }
}

apr_size_t tool_codec_match_suffix(const char *name, strata_codec_t *codec,
                                   const char **replacement)
{
    static const struct {
        const char *suffix, *plain;
        strata_codec_t codec;
    } known[] = {
        { ".gz", "", STRATA_CODEC_GZIP },    { ".tgz", ".tar", STRATA_CODEC_GZIP },
        { ".taz", ".tar", STRATA_CODEC_GZIP }, { "-gz", "", STRATA_CODEC_GZIP },
        { ".z", "", STRATA_CODEC_GZIP },     { "_z", "", STRATA_CODEC_GZIP },
        { "-z", "", STRATA_CODEC_GZIP },
        { ".bz2", "", STRATA_CODEC_BZIP2 },  { ".tbz2", ".tar", STRATA_CODEC_BZIP2 },
        { ".tbz", ".tar", STRATA_CODEC_BZIP2 }, { ".bz", "", STRATA_CODEC_BZIP2 },
        { ".xz", "", STRATA_CODEC_XZ },      { ".txz", ".tar", STRATA_CODEC_XZ },
        { ".zst", "", STRATA_CODEC_ZSTD },   { ".tzst", ".tar", STRATA_CODEC_ZSTD },
        { ".zz", "", STRATA_CODEC_ZLIB },
    };
    apr_size_t len = strlen(name), i, sl;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        sl = strlen(known[i].suffix);
        if (len > sl && apr_strnatcasecmp(name + len - sl, known[i].suffix) == 0
            && name[len - sl - 1] != '/') {
            *codec = known[i].codec;
            *replacement = known[i].plain;
            return sl;
        }
    }
    return 0;
}
