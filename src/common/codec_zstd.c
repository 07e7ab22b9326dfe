/*
 * codec_zstd.c -- zstd through libzstd (only when the build found it).
 * Frames carry a checksum; the sync flush is ZSTD_e_flush; the decoder's
 * window is bounded by max_memory through ZSTD_d_windowLogMax, and its
 * allocations go through strata's allocator (ZSTD_customMem).
 */
#include "strata_codec_private.h"

#if STRATA_HAVE_ZSTD
#define ZSTD_STATIC_LINKING_ONLY   /* ZSTD_customMem, *_advanced */
#include <zstd.h>
#include <zstd_errors.h>

typedef struct zstd_state_t {
    ZSTD_CCtx *cc;
    ZSTD_DCtx *dc;
    int in_frame;              /* decoder: a frame has begun */
} zstd_state_t;

static void *zstd_alloc(void *opaque, size_t size)
{
    return strata__alloc(opaque, size);
}

static void zstd_free(void *opaque, void *p)
{
    strata__alloc_free(opaque, p);
}

static apr_status_t zstd_error(strata__codec_t *c, size_t ret)
{
    switch (ZSTD_getErrorCode(ret)) {
    case ZSTD_error_memory_allocation:
        return strata__alloc_status(c->alloc);
    case ZSTD_error_frameParameter_windowTooLarge:
        return STRATA_ELIMIT_MEMORY;
    case ZSTD_error_parameter_unsupported:
    case ZSTD_error_parameter_outOfBound:
    case ZSTD_error_init_missing: case ZSTD_error_stage_wrong:
        return APR_EGENERAL;
    default:
        return STRATA_EBADDATA;
    }
}

static apr_status_t zstd_run(strata__codec_t *c, int op)
{
    zstd_state_t *st = c->state;
    ZSTD_inBuffer in = { c->next_in, c->avail_in, 0 };
    ZSTD_outBuffer out = { c->next_out, c->avail_out, 0 };
    size_t ret;

    if (c->encode) {
        ZSTD_EndDirective d = op == STRATA__OP_SYNC ? ZSTD_e_flush
                            : op == STRATA__OP_FINISH ? ZSTD_e_end
                            : ZSTD_e_continue;
        ret = ZSTD_compressStream2(st->cc, &out, &in, d);
    } else {
        ret = ZSTD_decompressStream(st->dc, &out, &in);
    }
    if (in.pos) {        /* NULL + 0 is undefined behaviour */
        c->next_in += in.pos;
        c->avail_in -= in.pos;
    }
    if (out.pos) {
        c->next_out += out.pos;
        c->avail_out -= out.pos;
    }
    if (ZSTD_isError(ret))
        return zstd_error(c, ret);
    if (c->encode)
        return ret == 0 && op != STRATA__OP_RUN && c->avail_in == 0
               ? APR_EOF : APR_SUCCESS;
    if (in.pos > 0 || out.pos > 0)
        st->in_frame = 1;
    if (ret == 0 && st->in_frame) {   /* a frame decoded and flushed */
        st->in_frame = 0;
        return APR_EOF;
    }
    return APR_SUCCESS;
}

static apr_status_t zstd_reset(strata__codec_t *c)
{
    zstd_state_t *st = c->state;

    st->in_frame = 0;
    return APR_SUCCESS;        /* the context is ready for the next frame */
}

static void zstd_end(strata__codec_t *c)
{
    zstd_state_t *st = c->state;

    if (st == NULL)
        return;
    ZSTD_freeCCtx(st->cc);
    ZSTD_freeDCtx(st->dc);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt zstd_vt = { zstd_run, zstd_reset, zstd_end };

/* The largest window log that fits in @mem (at least 10, at most 31). */
static int zstd_window_log(apr_uint64_t mem)
{
    int log = 10;

    while (log < 31 && ((apr_uint64_t)1 << (log + 1)) <= mem)
        log++;
    return log;
}

static apr_status_t zstd_setup(strata__codec_t *c, zstd_state_t *st)
{
    size_t r = 0;

    if (!c->encode)
        return ZSTD_isError(ZSTD_DCtx_setParameter(st->dc, ZSTD_d_windowLogMax,
                                zstd_window_log(c->max_memory)))
               ? APR_EGENERAL : APR_SUCCESS;
    r = ZSTD_CCtx_setParameter(st->cc, ZSTD_c_compressionLevel, c->level);
    if (!ZSTD_isError(r))
        r = ZSTD_CCtx_setParameter(st->cc, ZSTD_c_checksumFlag, 1);
    if (ZSTD_isError(r))
        return APR_EINVAL;
    if (c->threads > 1) {
        /* Fails harmlessly when libzstd has no thread support. */
        if (ZSTD_isError(ZSTD_CCtx_setParameter(st->cc, ZSTD_c_nbWorkers,
                                                (int)c->threads)))
            c->threads = 0;
    }
    return APR_SUCCESS;
}

apr_status_t strata__zstd_init(strata__codec_t *c)
{
    ZSTD_customMem mem;
    zstd_state_t *st = strata__alloc(c->alloc, sizeof(*st));
    apr_status_t rv;

    if (st == NULL)
        return strata__alloc_status(c->alloc);
    mem.customAlloc = zstd_alloc;
    mem.customFree = zstd_free;
    mem.opaque = c->alloc;
    st->cc = NULL;
    st->dc = NULL;
    st->in_frame = 0;
    if (c->encode)
        st->cc = ZSTD_createCCtx_advanced(mem);
    else
        st->dc = ZSTD_createDCtx_advanced(mem);
    if (st->cc == NULL && st->dc == NULL) {
        strata__alloc_free(c->alloc, st);
        return strata__alloc_status(c->alloc);
    }
    c->state = st;
    c->vt = &zstd_vt;
    if ((rv = zstd_setup(c, st)) != APR_SUCCESS) {
        zstd_end(c);
        c->vt = NULL;
        return rv;
    }
    return APR_SUCCESS;
}

#else  /* !STRATA_HAVE_ZSTD */

apr_status_t strata__zstd_init(strata__codec_t *c)
{
    (void)c;
    return STRATA_ENOTSUP;
}

#endif
