/*
 * codec_zlib.c -- gzip, zlib and raw deflate through zlib.
 *
 * zlib's sizes are uInt: each call gets at most STRATA__CODEC_PIECE bytes
 * of input and of output space, never a truncated apr_size_t.
 */
#include "strata_codec_private.h"
#include <zlib.h>
#include <string.h>

typedef struct zlib_state_t {
    z_stream z;
    gz_header head;            /* encoder: gzip(1)'s header, if asked */
    int live;                  /* deflateInit/inflateInit succeeded */
} zlib_state_t;

/* Encoder: have zlib write gzip(1)'s header (name, time, OS) when asked.
 * zlib sets XFL from the level as gzip does. */
static int zlib_own_header(strata__codec_t *c, zlib_state_t *st)
{
    if (!c->gz_header || c->codec != STRATA_CODEC_GZIP)
        return Z_OK;
    memset(&st->head, 0, sizeof(st->head));
    st->head.time = c->gz_mtime;
    st->head.os = STRATA__GZIP_OS;
    st->head.name = (Bytef *)c->gz_name;   /* the stream owns both */
    st->head.comment = (Bytef *)c->gz_comment;
    return deflateSetHeader(&st->z, &st->head);
}

static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size)
{
    return strata__alloc_n(opaque, items, size);
}

static void zlib_free(voidpf opaque, voidpf p)
{
    strata__alloc_free(opaque, p);
}

static int zlib_wbits(strata_codec_t codec)
{
    return codec == STRATA_CODEC_GZIP ? 15 + 16
         : codec == STRATA_CODEC_ZLIB ? 15 : -15;
}

static apr_status_t zlib_error(strata__codec_t *c, int ret)
{
    switch (ret) {
    case Z_MEM_ERROR:
        return strata__alloc_status(c->alloc);
    case Z_DATA_ERROR: case Z_NEED_DICT:
        return STRATA_EBADDATA;
    default:
        return APR_EGENERAL;
    }
}

/* Hand zlib one bounded piece and account for what it took. */
static int zlib_step(strata__codec_t *c, z_stream *z, int flush)
{
    uInt in = (uInt)(c->avail_in < STRATA__CODEC_PIECE
                     ? c->avail_in : STRATA__CODEC_PIECE);
    uInt out = (uInt)(c->avail_out < STRATA__CODEC_PIECE
                      ? c->avail_out : STRATA__CODEC_PIECE);
    int ret;

    z->next_in = (Bytef *)c->next_in;
    z->avail_in = in;
    z->next_out = c->next_out;
    z->avail_out = out;
    ret = c->encode ? deflate(z, flush) : inflate(z, Z_NO_FLUSH);
    /* Advance only by what moved: NULL + 0 is undefined behaviour. */
    if (in != z->avail_in) {
        c->next_in += in - z->avail_in;
        c->avail_in -= in - z->avail_in;
    }
    if (out != z->avail_out) {
        c->next_out += out - z->avail_out;
        c->avail_out -= out - z->avail_out;
    }
    return ret;
}

static apr_status_t zlib_run(strata__codec_t *c, int op)
{
    zlib_state_t *st = c->state;
    int flush = op == STRATA__OP_SYNC ? Z_SYNC_FLUSH
              : op == STRATA__OP_FINISH ? Z_FINISH : Z_NO_FLUSH;
    int ret;

    do {
        ret = zlib_step(c, &st->z, flush);
        if (ret == Z_STREAM_END)
            return APR_EOF;
        if (ret != Z_OK && ret != Z_BUF_ERROR)
            return zlib_error(c, ret);
        /* A sync flush is complete when zlib had room to spare (a repeated
         * flush with nothing new gives Z_BUF_ERROR: also complete). */
        if (flush == Z_SYNC_FLUSH && c->avail_in == 0 && st->z.avail_out > 0)
            return APR_EOF;
        if (ret == Z_BUF_ERROR)        /* no progress possible now */
            return APR_SUCCESS;
    } while (c->avail_out > 0 && (c->avail_in > 0 || flush != Z_NO_FLUSH)
             && st->z.avail_out == 0);
    return APR_SUCCESS;
}

static apr_status_t zlib_reset(strata__codec_t *c)
{
    zlib_state_t *st = c->state;

    return inflateReset(&st->z) == Z_OK ? APR_SUCCESS : APR_EGENERAL;
}

static void zlib_end(strata__codec_t *c)
{
    zlib_state_t *st = c->state;

    if (st == NULL)
        return;
    if (st->live) {
        if (c->encode)
            deflateEnd(&st->z);
        else
            inflateEnd(&st->z);
    }
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt zlib_vt = { zlib_run, zlib_reset, zlib_end };

apr_status_t strata__zlib_init(strata__codec_t *c)
{
    zlib_state_t *st = strata__alloc(c->alloc, sizeof(*st));
    int ret;

    if (st == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    st->z.zalloc = zlib_alloc;
    st->z.zfree = zlib_free;
    st->z.opaque = c->alloc;
    if (c->encode) {
        ret = deflateInit2(&st->z, c->level, Z_DEFLATED,
                           zlib_wbits(c->codec), 8, Z_DEFAULT_STRATEGY);
        if (ret == Z_OK && zlib_own_header(c, st) != Z_OK) {
            deflateEnd(&st->z);
            ret = Z_STREAM_ERROR;
        }
    } else
        ret = inflateInit2(&st->z, zlib_wbits(c->codec));
    if (ret != Z_OK) {
        apr_status_t rv = zlib_error(c, ret);
        strata__alloc_free(c->alloc, st);
        return rv == APR_EGENERAL ? APR_EINVAL : rv;
    }
    st->live = 1;
    c->state = st;
    c->vt = &zlib_vt;
    return APR_SUCCESS;
}
