/*
 * codec_libdeflate.c -- gzip, zlib and raw deflate compression through
 * libdeflate, which compresses whole buffers only.
 *
 * The streaming encoder collects its input in blocks of STRATA__LDEF_BLOCK
 * bytes and compresses each whole; every block but the last is made
 * continuable (strata__deflate_unfinal: BFINAL cleared, an empty stored
 * block appended), so the output is one ordinary stream (one gzip member),
 * and a sync flush is the same operation on a partial block.  libdeflate
 * keeps no history across calls, so each block starts without a
 * dictionary: at 1 MiB blocks that cost up to 1.3 % of size on man pages,
 * at 4 MiB it is under 0.5 % on every corpus measured.  The block buffer
 * starts at STRATA__LDEF_FIRST bytes and doubles as input arrives, so a
 * short stream does not hold 4 MiB; the output buffer follows it.
 *
 * libdeflate (1.14) allocates its compressor itself, in one piece whose
 * size depends on the level only; that size (measured, rounded up) is
 * charged to the stream's counting allocator, so caps and figures hold.
 * The block and output buffers come from the counting allocator.
 * There is no decoder here: libdeflate cannot decode a stream piecewise.
 */
#include "strata_codec_private.h"
#include <string.h>
#include <zlib.h>

#if !STRATA_HAVE_LIBDEFLATE

apr_status_t strata__libdeflate_init(strata__codec_t *c)
{
    (void)c;
    return STRATA_ENOTSUP;
}

void *strata__ldef_alloc(strata__alloc_t *a, int level)
{
    (void)a;
    (void)level;
    return NULL;
}

void strata__ldef_free(strata__alloc_t *a, void *comp, int level)
{
    (void)a;
    (void)comp;
    (void)level;
}

apr_size_t strata__ldef_compress(void *comp, const unsigned char *in,
                                 apr_size_t n, unsigned char *out,
                                 apr_size_t cap, int cont)
{
    (void)comp; (void)in; (void)n; (void)out; (void)cap; (void)cont;
    return 0;
}

apr_size_t strata__ldef_bound(apr_size_t n)
{
    return n;
}

#else

#include <libdeflate.h>

/* The compressor's size per level in libdeflate 1.14, rounded up. */
static apr_size_t ldef_charge(int level)
{
    return level <= 0 ? 8 * 1024
         : level == 1 ? 200 * 1024
         : level <= 9 ? 656 * 1024 : 8800 * 1024;
}

void *strata__ldef_alloc(strata__alloc_t *a, int level)
{
    void *comp;

    if (!strata__alloc_charge(a, ldef_charge(level)))
        return NULL;
    comp = libdeflate_alloc_compressor(level);
    if (comp == NULL)
        strata__alloc_uncharge(a, ldef_charge(level));
    return comp;
}

void strata__ldef_free(strata__alloc_t *a, void *comp, int level)
{
    if (comp == NULL)
        return;
    libdeflate_free_compressor(comp);
    strata__alloc_uncharge(a, ldef_charge(level));
}

apr_size_t strata__ldef_bound(apr_size_t n)
{
    return libdeflate_deflate_compress_bound(NULL, n) + 8;
}

apr_size_t strata__ldef_compress(void *comp, const unsigned char *in,
                                 apr_size_t n, unsigned char *out,
                                 apr_size_t cap, int cont)
{
    apr_size_t len = libdeflate_deflate_compress(comp, in, n, out,
                                                 cont ? cap - 5 : cap);

    if (len == 0 || !cont)
        return len;
    return strata__deflate_unfinal(out, &len, cap) == APR_SUCCESS ? len : 0;
}

typedef struct ldef_state_t {
    void *comp;
    unsigned char *blk;             /* input collected: [0, blk_len) */
    apr_size_t blk_len, blk_cap;
    unsigned char *out;             /* output pending: [out_pos, out_len) */
    apr_size_t out_pos, out_len, out_cap;
    apr_uint32_t check;             /* gzip: CRC-32; zlib: Adler-32 */
    apr_uint64_t total;             /* plain bytes (gzip ISIZE) */
    int started;                    /* header written */
    int finished;                   /* trailer queued */
    z_stream *z;                    /* the probe chose zlib: it codes */
} ldef_state_t;

#define LDEF_SHORT ((apr_size_t)128 * 1024)

static voidpf ldef_zalloc(voidpf opaque, uInt items, uInt size)
{
    return strata__alloc_n(opaque, items, size);
}

static void ldef_zfree(voidpf opaque, voidpf p)
{
    strata__alloc_free(opaque, p);
}

/* A raw deflate stream at c->level from the counting allocator, or NULL. */
static z_stream *ldef_zopen(strata__codec_t *c)
{
    z_stream *z = strata__alloc(c->alloc, sizeof(*z));

    if (z == NULL)
        return NULL;
    memset(z, 0, sizeof(*z));
    z->zalloc = ldef_zalloc;
    z->zfree = ldef_zfree;
    z->opaque = c->alloc;
    if (deflateInit2(z, c->level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY)
        != Z_OK) {
        strata__alloc_free(c->alloc, z);
        return NULL;
    }
    return z;
}

static void ldef_zclose(strata__codec_t *c, z_stream *z)
{
    if (z == NULL)
        return;
    deflateEnd(z);
    strata__alloc_free(c->alloc, z);
}

/* Run @z over in[0..n) into out[0..cap) with @flush: the bytes made, or 0
 * if it did not take all the input or end as asked. */
static apr_size_t ldef_zrun(z_stream *z, const unsigned char *in, apr_size_t n,
                            unsigned char *out, apr_size_t cap, int flush)
{
    int rc;

    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = (uInt)cap;
    rc = deflate(z, flush);
    if (z->avail_in != 0 || (flush == Z_FINISH ? rc != Z_STREAM_END
                                               : rc != Z_OK))
        return 0;
    return cap - z->avail_out;
}

/* The first block of an automatic choice, when it is also the last and
 * short: hand the stream to zlib (see the header). */
static apr_status_t ldef_probe(strata__codec_t *c, int final)
{
    ldef_state_t *st = c->state;
    z_stream *z;

    if (!final || st->blk_len >= LDEF_SHORT)
        return APR_SUCCESS;
    if ((z = ldef_zopen(c)) == NULL)
        return strata__alloc_status(c->alloc);
    st->z = z;
    strata__ldef_free(c->alloc, st->comp, c->engine_level);
    st->comp = NULL;
    c->engine = STRATA_ENGINE_ZLIB;
    c->engine_level = c->level;
    return APR_SUCCESS;
}

/* Output room for gzip(1)'s header beyond the usual 10 bytes. */
static apr_size_t ldef_header_room(const strata__codec_t *c)
{
    return c->gz_header ? strata__gzip_header_len(c->gz_name, c->gz_comment) : 0;
}

static apr_size_t ldef_header(strata__codec_t *c, unsigned char *p)
{
    static const unsigned char gz[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    int lvl = c->level;

    if (c->codec == STRATA_CODEC_GZIP && c->gz_header)
        return strata__gzip_header_put(p, c->level, c->gz_name, c->gz_comment,
                                       c->gz_mtime);   /* gzip(1)'s header */
    if (c->codec == STRATA_CODEC_GZIP) {
        memcpy(p, gz, 10);
        p[8] = lvl >= 9 ? 2 : lvl == 1 ? 4 : 0;
        return 10;
    }
    if (c->codec == STRATA_CODEC_ZLIB) {
        unsigned flev = lvl < 2 ? 0 : lvl < 6 ? 1 : lvl == 6 ? 2 : 3;
        unsigned h = 0x7800 | flev << 6;
        h += 31 - h % 31;
        p[0] = (unsigned char)(h >> 8);
        p[1] = (unsigned char)h;
        return 2;
    }
    return 0;
}

static void ldef_put32(unsigned char *p, apr_uint32_t v, int big)
{
    int i;

    for (i = 0; i < 4; i++)
        p[big ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

/* Compress the collected block into the (empty) output buffer. */
static apr_status_t ldef_block(strata__codec_t *c, int final)
{
    ldef_state_t *st = c->state;
    apr_size_t n = 0, len;
    apr_size_t need = strata__ldef_bound(st->blk_len) + 32
                      + ldef_header_room(c);
    apr_size_t zneed = compressBound((uLong)st->blk_len) + 32
                       + ldef_header_room(c);
    apr_status_t rv;

    if (zneed > need)
        need = zneed;                   /* zlib's bound, for the probe */

    if (need > st->out_cap) {           /* the output buffer is empty here */
        unsigned char *out = strata__alloc(c->alloc, need);

        if (out == NULL)
            return strata__alloc_status(c->alloc);
        strata__alloc_free(c->alloc, st->out);
        st->out = out;
        st->out_cap = need;
    }
    if (!st->started && c->engine_auto
        && (rv = ldef_probe(c, final)) != APR_SUCCESS)
        return rv;
    if (!st->started) {
        n = ldef_header(c, st->out);
        st->started = 1;
    }
    if (c->codec == STRATA_CODEC_GZIP)
        st->check = libdeflate_crc32(st->check, st->blk, st->blk_len);
    else if (c->codec == STRATA_CODEC_ZLIB)
        st->check = libdeflate_adler32(st->check, st->blk, st->blk_len);
    st->total += st->blk_len;
    if (st->z != NULL)                  /* one zlib stream across blocks */
        len = ldef_zrun(st->z, st->blk, st->blk_len, st->out + n,
                        st->out_cap - n - 8, final ? Z_FINISH : Z_SYNC_FLUSH);
    else
        len = strata__ldef_compress(st->comp, st->blk, st->blk_len,
                                    st->out + n, st->out_cap - n - 8, !final);
    if (len == 0)
        return APR_EGENERAL;            /* out_cap is a true bound */
    n += len;
    if (final && c->codec == STRATA_CODEC_GZIP) {
        ldef_put32(st->out + n, st->check, 0);
        ldef_put32(st->out + n + 4, (apr_uint32_t)st->total, 0);
        n += 8;
    } else if (final && c->codec == STRATA_CODEC_ZLIB) {
        ldef_put32(st->out + n, st->check, 1);
        n += 4;
    }
    st->out_pos = 0;
    st->out_len = n;
    st->blk_len = 0;
    st->finished = final;
    return APR_SUCCESS;
}

static void ldef_drain(strata__codec_t *c)
{
    ldef_state_t *st = c->state;
    apr_size_t n = st->out_len - st->out_pos;

    if (n > c->avail_out)
        n = c->avail_out;
    if (n == 0)
        return;
    memcpy(c->next_out, st->out + st->out_pos, n);
    st->out_pos += n;
    c->next_out += n;
    c->avail_out -= n;
}

/* Double the block buffer, keeping what it holds. */
static apr_status_t ldef_grow(strata__codec_t *c)
{
    ldef_state_t *st = c->state;
    apr_size_t cap = st->blk_cap * 2;
    unsigned char *blk;

    if (cap > STRATA__LDEF_BLOCK)
        cap = STRATA__LDEF_BLOCK;
    if ((blk = strata__alloc(c->alloc, cap)) == NULL)
        return strata__alloc_status(c->alloc);
    memcpy(blk, st->blk, st->blk_len);
    strata__alloc_free(c->alloc, st->blk);
    st->blk = blk;
    st->blk_cap = cap;
    return APR_SUCCESS;
}

static apr_status_t ldef_run(strata__codec_t *c, int op)
{
    ldef_state_t *st = c->state;
    apr_size_t n;
    apr_status_t rv;

    for (;;) {
        ldef_drain(c);
        if (st->out_pos < st->out_len)
            return APR_SUCCESS;         /* no room for the rest now */
        if (st->finished)
            return op == STRATA__OP_FINISH ? APR_EOF : APR_SUCCESS;
        if (st->blk_len == st->blk_cap && c->avail_in > 0
            && st->blk_cap < STRATA__LDEF_BLOCK
            && (rv = ldef_grow(c)) != APR_SUCCESS)
            return rv;
        n = st->blk_cap - st->blk_len;
        if (n > c->avail_in)
            n = c->avail_in;
        if (n > 0) {
            memcpy(st->blk + st->blk_len, c->next_in, n);
            st->blk_len += n;
            c->next_in += n;
            c->avail_in -= n;
        }
        if (st->blk_len == STRATA__LDEF_BLOCK && c->avail_in > 0)
            rv = ldef_block(c, 0);      /* full, and more follows */
        else if (c->avail_in > 0 || op == STRATA__OP_RUN)
            return APR_SUCCESS;
        else if (op == STRATA__OP_FINISH)
            rv = ldef_block(c, 1);
        else if (st->blk_len > 0)       /* sync: the partial block */
            rv = ldef_block(c, 0);
        else
            return APR_EOF;             /* sync complete */
        if (rv != APR_SUCCESS)
            return rv;
    }
}

static apr_status_t ldef_reset(strata__codec_t *c)
{
    (void)c;
    return APR_ENOTIMPL;                /* encoders only */
}

static void ldef_end(strata__codec_t *c)
{
    ldef_state_t *st = c->state;

    if (st == NULL)
        return;
    strata__ldef_free(c->alloc, st->comp, c->engine_level);
    ldef_zclose(c, st->z);
    strata__alloc_free(c->alloc, st->blk);
    strata__alloc_free(c->alloc, st->out);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt ldef_vt = { ldef_run, ldef_reset, ldef_end };

apr_status_t strata__libdeflate_init(strata__codec_t *c)
{
    ldef_state_t *st;

    if (!c->encode || c->engine_level < 0 || c->engine_level > 12)
        return APR_EINVAL;
    if ((st = strata__alloc(c->alloc, sizeof(*st))) == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    c->state = st;
    st->blk_cap = STRATA__LDEF_FIRST;
    st->out_cap = strata__ldef_bound(st->blk_cap) + 32 + ldef_header_room(c);
    st->check = c->codec == STRATA_CODEC_ZLIB ? 1 : 0;
    st->blk = strata__alloc(c->alloc, st->blk_cap);
    st->out = st->blk ? strata__alloc(c->alloc, st->out_cap) : NULL;
    st->comp = st->out ? strata__ldef_alloc(c->alloc, c->engine_level) : NULL;
    if (st->comp == NULL) {
        apr_status_t rv = strata__alloc_status(c->alloc);
        ldef_end(c);
        return rv;
    }
    c->vt = &ldef_vt;
    return APR_SUCCESS;
}

#endif /* STRATA_HAVE_LIBDEFLATE */
