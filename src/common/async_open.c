/*
 * async_open.c -- strata_async_open(): the mode is parsed on the calling
 * thread; the file is opened (and a codec stacked on it) by the first
 * operation of the async stream's queue, on a worker.
 */
#include "strata_private.h"
#include "strata_executor_private.h"
#include "strata_async_private.h"
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

void strata_async_open_opts_init(strata_async_open_opts_t *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof(*o));
    o->codec = STRATA_CODEC_NONE;
    o->level = STRATA_LEVEL_DEFAULT;
    o->perm = APR_FPROT_OS_DEFAULT;
}

/* fopen() modes to APR flags; -1 for a bad mode. */
static apr_int32_t mode_flags(const char *mode)
{
    apr_int32_t fl;
    const char *p;
    int plus = 0;

    switch (mode[0]) {
    case 'r': fl = APR_FOPEN_READ; break;
    case 'w': fl = APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE; break;
    case 'a': fl = APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_APPEND; break;
    case 'x': fl = APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_EXCL; break;
    default: return -1;
    }
    for (p = mode + 1; *p != '\0'; p++) {
        if (*p == '+' && !plus)
            plus = 1;
        else if (*p != 'b')
            return -1;
    }
    if (plus)
        fl |= APR_FOPEN_READ | APR_FOPEN_WRITE;
    return fl;
}

/* The codec a name's extension asks for (writing with STRATA_CODEC_AUTO). */
static strata_codec_t codec_by_name(const char *path)
{
    static const struct { const char *ext; strata_codec_t codec; } map[] = {
        { ".gz", STRATA_CODEC_GZIP }, { ".zz", STRATA_CODEC_ZLIB },
        { ".deflate", STRATA_CODEC_DEFLATE }, { ".bz2", STRATA_CODEC_BZIP2 },
        { ".xz", STRATA_CODEC_XZ }, { ".zst", STRATA_CODEC_ZSTD },
    };
    apr_size_t i, n = strlen(path), e;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        e = strlen(map[i].ext);
        if (n > e && strcmp(path + n - e, map[i].ext) == 0)
            return map[i].codec;
    }
    return STRATA_CODEC_NONE;
}

apr_status_t strata__async_do_open(strata_async_t *a, aop_t *op)
{
    strata_stream_t *file, *top;
    strata_codec_t codec = op->oopts.codec;
    int reading = !(op->aflags & APR_FOPEN_WRITE);
    apr_status_t rv;

    rv = strata_file_open(&file, op->path, op->aflags, op->oopts.perm, 0,
                          a->pool);
    if (rv != APR_SUCCESS)
        return rv;
    if (codec == STRATA_CODEC_AUTO && !reading)
        codec = codec_by_name(op->path);
    top = file;
    if (codec != STRATA_CODEC_NONE && reading) {
        strata_decompress_opts_t d;
        strata_decompress_opts_init(&d);
        d.passthrough = codec == STRATA_CODEC_AUTO;
        rv = strata_decompress_reader(&top, file, codec, &d, STRATA_OWN_INNER,
                                      a->pool);
    } else if (codec != STRATA_CODEC_NONE) {
        strata_compress_opts_t c;
        strata_compress_opts_init(&c);
        c.level = op->oopts.level;
        rv = strata_compress_writer(&top, file, codec, &c, STRATA_OWN_INNER,
                                    a->pool);
    }
    if (rv != APR_SUCCESS) {
        strata_close(file);
        return rv;
    }
    a->inner = a->top = top;
    a->own = 1;
    strata__async_uring_enter(a);
    strata__async_publish(a, top);
    return APR_SUCCESS;
}

apr_status_t strata_async_open(strata_async_t **out, const char *path,
                               const char *mode,
                               const strata_async_open_opts_t *opts,
                               strata_executor_t *ex, apr_pool_t *pool,
                               strata_future_t **future)
{
    strata_async_open_opts_t o;
    strata_async_t *a;
    apr_int32_t fl;
    aop_t *op;
    apr_status_t rv;

    if (out == NULL || path == NULL || mode == NULL || ex == NULL
        || pool == NULL)
        return APR_EINVAL;
    if (opts != NULL)
        o = *opts;
    else
        strata_async_open_opts_init(&o);
    fl = mode_flags(mode);
    if (fl < 0)
        return APR_EINVAL;
    if (o.codec != STRATA_CODEC_NONE
        && (fl & APR_FOPEN_READ) && (fl & APR_FOPEN_WRITE))
        return APR_EINVAL;
    if (o.codec == STRATA_CODEC_UNKNOWN || o.codec > STRATA_CODEC_AUTO)
        return APR_EINVAL;
    rv = strata__async_new(&a, ex, o.flags, pool);
    if (rv != APR_SUCCESS)
        return rv;
    op = calloc(1, sizeof(*op));
    if (op == NULL)
        return APR_ENOMEM;
    op->kind = AOP_OPEN;
    op->path = apr_pstrdup(a->pool, path);
    op->aflags = fl;
    op->oopts = o;
    rv = strata__async_enqueue(a, op, future);
    if (rv != APR_SUCCESS)
        return rv;
    *out = a;
    return APR_SUCCESS;
}
