/*
 * codec_xz.c -- xz through liblzma.  The sync flush is LZMA_FULL_FLUSH (the
 * block ends, everything so far is decodable); threads > 1 uses
 * lzma_stream_encoder_mt.  The decoder walks concatenated streams (and
 * stream padding) itself with LZMA_CONCATENATED, so it is told the end of
 * input with OP_FINISH.
 */
#include "strata_codec_private.h"
#include <lzma.h>
#include <string.h>

typedef struct xz_state_t {
    lzma_stream lz;
    lzma_allocator al;
    int live;
    int any_in;                /* decoder: some input was given */
} xz_state_t;

static void *xz_alloc(void *opaque, size_t n, size_t size)
{
    return strata__alloc_n(opaque, n, size);
}

static void xz_free(void *opaque, void *p)
{
    strata__alloc_free(opaque, p);
}

static apr_status_t xz_error(strata__codec_t *c, lzma_ret ret)
{
    switch (ret) {
    case LZMA_MEM_ERROR:
        return strata__alloc_status(c->alloc);
    case LZMA_MEMLIMIT_ERROR:
        return STRATA_ELIMIT_MEMORY;
    case LZMA_FORMAT_ERROR: case LZMA_DATA_ERROR: case LZMA_OPTIONS_ERROR:
    case LZMA_UNSUPPORTED_CHECK:
        return STRATA_EBADDATA;
    default:
        return APR_EGENERAL;
    }
}

static apr_status_t xz_run(strata__codec_t *c, int op)
{
    xz_state_t *st = c->state;
    lzma_action action = op == STRATA__OP_SYNC ? LZMA_FULL_FLUSH
                       : op == STRATA__OP_FINISH ? LZMA_FINISH : LZMA_RUN;
    lzma_ret ret;

    if (c->avail_in > 0)
        st->any_in = 1;
    else if (!c->encode && action == LZMA_FINISH && !st->any_in)
        return STRATA_ETRUNCATED;      /* empty input is no xz stream */
    st->lz.next_in = c->next_in;
    st->lz.avail_in = c->avail_in;
    st->lz.next_out = c->next_out;
    st->lz.avail_out = c->avail_out;
    ret = lzma_code(&st->lz, action);
    c->next_in = st->lz.next_in;
    c->avail_in = st->lz.avail_in;
    c->next_out = st->lz.next_out;
    c->avail_out = st->lz.avail_out;
    switch (ret) {
    case LZMA_OK:
        return APR_SUCCESS;
    case LZMA_STREAM_END:
        return APR_EOF;
    case LZMA_BUF_ERROR:
        /* No progress twice: at the end of a decoder's input, truncated. */
        return !c->encode && action == LZMA_FINISH ? STRATA_ETRUNCATED
                                                   : APR_SUCCESS;
    default:
        return xz_error(c, ret);
    }
}

static apr_status_t xz_init_lib(strata__codec_t *c, xz_state_t *st)
{
    lzma_stream init = LZMA_STREAM_INIT;
    lzma_ret ret;

    st->lz = init;
    st->lz.allocator = &st->al;
    if (!c->encode) {
        ret = lzma_stream_decoder(&st->lz, c->max_memory,
                                  c->first_only ? 0 : LZMA_CONCATENATED);
    } else if (c->threads > 1) {
        lzma_mt mt;
        memset(&mt, 0, sizeof(mt));
        mt.threads = c->threads;
        mt.preset = (uint32_t)c->level;
        mt.check = LZMA_CHECK_CRC64;
        ret = lzma_stream_encoder_mt(&st->lz, &mt);
    } else {
        ret = lzma_easy_encoder(&st->lz, (uint32_t)c->level, LZMA_CHECK_CRC64);
    }
    if (ret != LZMA_OK) {
        lzma_end(&st->lz);
        return ret == LZMA_OPTIONS_ERROR ? APR_EINVAL : xz_error(c, ret);
    }
    st->live = 1;
    return APR_SUCCESS;
}

static apr_status_t xz_reset(strata__codec_t *c)
{
    xz_state_t *st = c->state;

    if (st->live)
        lzma_end(&st->lz);
    st->live = 0;
    return xz_init_lib(c, st);
}

static void xz_end(strata__codec_t *c)
{
    xz_state_t *st = c->state;

    if (st == NULL)
        return;
    if (st->live)
        lzma_end(&st->lz);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt xz_vt = { xz_run, xz_reset, xz_end };

apr_status_t strata__xz_init(strata__codec_t *c)
{
    xz_state_t *st = strata__alloc(c->alloc, sizeof(*st));
    apr_status_t rv;

    if (st == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    st->al.alloc = xz_alloc;
    st->al.free = xz_free;
    st->al.opaque = c->alloc;
    if ((rv = xz_init_lib(c, st)) != APR_SUCCESS) {
        strata__alloc_free(c->alloc, st);
        return rv;
    }
    c->state = st;
    c->vt = &xz_vt;
    c->self_concat = !c->encode && !c->first_only;
    return APR_SUCCESS;
}
