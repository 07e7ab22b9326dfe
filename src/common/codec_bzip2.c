/*
 * codec_bzip2.c -- bzip2 through libbz2.
 *
 * A sync flush must make everything so far decodable.  BZ_FLUSH ends the
 * block but keeps its last bits back until the next block, so a decoder
 * cannot finish it; the sync flush therefore ends the bzip2 stream
 * (BZ_FINISH) and starts a new one: concatenated streams, which bzip2 -d
 * and our decoder read as one.  A flush with no input since the last one
 * writes nothing.
 */
#include "strata_codec_private.h"
#include <bzlib.h>
#include <string.h>

typedef struct bz_state_t {
    bz_stream bz;
    int live;
    int dirty;                 /* encoder: input since the stream began */
    int ended;                 /* encoder: a stream was finished by a flush */
} bz_state_t;

static void *bz_alloc(void *opaque, int n, int m)
{
    if (n < 0 || m < 0)
        return NULL;
    return strata__alloc_n(opaque, (apr_size_t)n, (apr_size_t)m);
}

static void bz_free(void *opaque, void *p)
{
    strata__alloc_free(opaque, p);
}

static apr_status_t bz_error(strata__codec_t *c, int ret)
{
    switch (ret) {
    case BZ_MEM_ERROR:
        return strata__alloc_status(c->alloc);
    case BZ_DATA_ERROR: case BZ_DATA_ERROR_MAGIC:
        return STRATA_EBADDATA;
    default:
        return APR_EGENERAL;
    }
}

static int bz_step(strata__codec_t *c, bz_stream *bz, int action)
{
    unsigned in = (unsigned)(c->avail_in < STRATA__CODEC_PIECE
                             ? c->avail_in : STRATA__CODEC_PIECE);
    unsigned out = (unsigned)(c->avail_out < STRATA__CODEC_PIECE
                              ? c->avail_out : STRATA__CODEC_PIECE);
    int ret;

    bz->next_in = (char *)c->next_in;
    bz->avail_in = in;
    bz->next_out = (char *)c->next_out;
    bz->avail_out = out;
    ret = c->encode ? BZ2_bzCompress(bz, action) : BZ2_bzDecompress(bz);
    /* Advance only by what moved: NULL + 0 is undefined behaviour. */
    if (in != bz->avail_in) {
        c->next_in += in - bz->avail_in;
        c->avail_in -= in - bz->avail_in;
    }
    if (out != bz->avail_out) {
        c->next_out += out - bz->avail_out;
        c->avail_out -= out - bz->avail_out;
    }
    return ret;
}

static apr_status_t bz_init_lib(strata__codec_t *c, bz_state_t *st);

static apr_status_t bz_run(strata__codec_t *c, int op)
{
    bz_state_t *st = c->state;
    int action = op == STRATA__OP_RUN ? BZ_RUN : BZ_FINISH;
    apr_size_t in_before = c->avail_in;
    int ret;

    if (!c->encode) {
        ret = bz_step(c, &st->bz, 0);
        if (ret == BZ_STREAM_END)
            return APR_EOF;
        return ret == BZ_OK ? APR_SUCCESS : bz_error(c, ret);
    }
    /* nothing new: a flush is done, a finish after a flush too */
    if (op != STRATA__OP_RUN && !st->dirty
        && (op == STRATA__OP_SYNC || st->ended))
        return APR_EOF;
    for (;;) {
        ret = bz_step(c, &st->bz, action);
        if (c->avail_in != in_before)
            st->dirty = 1;
        switch (ret) {
        case BZ_STREAM_END:                 /* the stream is finished */
            if (op == STRATA__OP_SYNC) {    /* start the next one */
                BZ2_bzCompressEnd(&st->bz);
                st->live = 0;
                st->dirty = 0;
                st->ended = 1;
                if ((ret = bz_init_lib(c, st)) != APR_SUCCESS)
                    return ret;
            }
            return APR_EOF;
        case BZ_RUN_OK: case BZ_FINISH_OK:
            break;
        case BZ_PARAM_ERROR:                /* BZ_RUN without progress */
            if (action == BZ_RUN)
                return APR_SUCCESS;
            return APR_EGENERAL;
        default:
            return bz_error(c, ret);
        }
        if (c->avail_out == 0 || (action == BZ_RUN && c->avail_in == 0))
            return APR_SUCCESS;
    }
}

static apr_status_t bz_init_lib(strata__codec_t *c, bz_state_t *st)
{
    int ret;

    memset(&st->bz, 0, sizeof(st->bz));
    st->bz.bzalloc = bz_alloc;
    st->bz.bzfree = bz_free;
    st->bz.opaque = c->alloc;
    ret = c->encode ? BZ2_bzCompressInit(&st->bz, c->level, 0, 0)
                    : BZ2_bzDecompressInit(&st->bz, 0, 0);
    if (ret != BZ_OK)
        return bz_error(c, ret);
    st->live = 1;
    return APR_SUCCESS;
}

static apr_status_t bz_reset(strata__codec_t *c)
{
    bz_state_t *st = c->state;

    if (st->live)
        BZ2_bzDecompressEnd(&st->bz);
    st->live = 0;
    return bz_init_lib(c, st);
}

static void bz_end(strata__codec_t *c)
{
    bz_state_t *st = c->state;

    if (st == NULL)
        return;
    if (st->live) {
        if (c->encode)
            BZ2_bzCompressEnd(&st->bz);
        else
            BZ2_bzDecompressEnd(&st->bz);
    }
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt bz_vt = { bz_run, bz_reset, bz_end };

apr_status_t strata__bzip2_init(strata__codec_t *c)
{
    bz_state_t *st = strata__alloc(c->alloc, sizeof(*st));
    apr_status_t rv;

    if (st == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    if ((rv = bz_init_lib(c, st)) != APR_SUCCESS) {
        strata__alloc_free(c->alloc, st);
        return rv;
    }
    c->state = st;
    c->vt = &bz_vt;
    return APR_SUCCESS;
}
