/*
 * codec_isal.c -- gzip, zlib and raw deflate through Intel ISA-L
 * (isal_deflate / isal_inflate, both streaming).
 *
 * ISA-L keeps its whole state (history, hash tables, Huffman tables) in
 * the structures it is handed, so the state and the level buffer come
 * from strata's counting allocator and are counted exactly.  Its sizes are
 * uint32_t: each call gets at most STRATA__CODEC_PIECE bytes each way.
 */
#include "strata_codec_private.h"
#include <string.h>

#if !STRATA_HAVE_ISAL

apr_status_t strata__isal_init(strata__codec_t *c)
{
    (void)c;
    return STRATA_ENOTSUP;
}

void *strata__isal_block_new(strata__alloc_t *a, int level)
{
    (void)a;
    (void)level;
    return NULL;
}

void strata__isal_block_free(strata__alloc_t *a, void *b)
{
    (void)a;
    (void)b;
}

apr_size_t strata__isal_block(void *b, const unsigned char *dict,
                              apr_size_t dlen, const unsigned char *in,
                              apr_size_t n, unsigned char *out,
                              apr_size_t cap, int final)
{
    (void)b; (void)dict; (void)dlen; (void)in; (void)n; (void)out;
    (void)cap; (void)final;
    return 0;
}

#else

#include <isa-l.h>

typedef struct isal_state_t {
    union {
        struct isal_zstream d;      /* encoder */
        struct inflate_state i;     /* decoder */
    } u;
    unsigned char *level_buf;
    int fresh;                      /* encoder: nothing since the last sync */
    unsigned char held[16];         /* decoder: bytes ISA-L had read past a */
    unsigned nheld, hpos;           /* member's end, fed first to the next */
    unsigned char hist[8];          /* decoder: the last bytes it took */
    unsigned nhist;
    unsigned char magic[2];         /* decoder: a member's first bytes, */
    unsigned nmagic;                /* checked as they come */
    unsigned char *hdr;             /* encoder: gzip(1)'s header, pending */
    apr_size_t hlen, hdone;         /* from hdone on */
} isal_state_t;

static apr_size_t isal_piece(apr_size_t n)
{
    return n < STRATA__CODEC_PIECE ? n : STRATA__CODEC_PIECE;
}

static apr_size_t isal_level_buf_size(int level)
{
    switch (level) {
    case 1:  return ISAL_DEF_LVL1_DEFAULT;
    case 2:  return ISAL_DEF_LVL2_DEFAULT;
    case 3:  return ISAL_DEF_LVL3_DEFAULT;
    default: return 0;
    }
}

/* Account for what moved between the codec's fields and ISA-L's. */
static void isal_took(strata__codec_t *c, apr_size_t in, apr_size_t in_left,
                      apr_size_t out, apr_size_t out_left)
{
    if (in != in_left) {
        c->next_in += in - in_left;
        c->avail_in -= in - in_left;
    }
    if (out != out_left) {
        c->next_out += out - out_left;
        c->avail_out -= out - out_left;
    }
}

/* Encoder with gzip(1)'s header (ISA-L writes the rest of the member):
 * copy what fits of it to the output; non-zero once all of it is out. */
static int isal_put_header(strata__codec_t *c, isal_state_t *st)
{
    apr_size_t n = st->hlen - st->hdone;

    if (n > c->avail_out)
        n = c->avail_out;
    if (n > 0) {
        memcpy(c->next_out, st->hdr + st->hdone, n);
        c->next_out += n;
        c->avail_out -= n;
        st->hdone += n;
    }
    return st->hdone == st->hlen;
}

/* Set up gzip(1)'s header, when asked for, in place of ISA-L's own. */
static apr_status_t isal_own_header(strata__codec_t *c, isal_state_t *st)
{
    if (!c->gz_header || c->codec != STRATA_CODEC_GZIP)
        return APR_SUCCESS;
    st->hlen = strata__gzip_header_len(c->gz_name, c->gz_comment);
    if ((st->hdr = strata__alloc(c->alloc, st->hlen)) == NULL)
        return strata__alloc_status(c->alloc);
    strata__gzip_header_put(st->hdr, c->level, c->gz_name, c->gz_comment,
                            c->gz_mtime);
    st->u.d.gzip_flag = IGZIP_GZIP_NO_HDR;
    return APR_SUCCESS;
}

static apr_status_t isal_encode(strata__codec_t *c, int op)
{
    isal_state_t *st = c->state;
    struct isal_zstream *z = &st->u.d;
    apr_size_t in, out;
    int ret;

    if (st->hdone < st->hlen && !isal_put_header(c, st))
        return APR_SUCCESS;             /* the header first, room permitting */
    if (op == STRATA__OP_SYNC && st->fresh && c->avail_in == 0)
        return APR_EOF;                 /* nothing new: nothing to write */
    for (;;) {
        in = isal_piece(c->avail_in);
        out = isal_piece(c->avail_out);
        z->next_in = (uint8_t *)c->next_in;
        z->avail_in = (uint32_t)in;
        z->next_out = c->next_out;
        z->avail_out = (uint32_t)out;
        z->flush = op == STRATA__OP_SYNC ? SYNC_FLUSH : NO_FLUSH;
        z->end_of_stream = op == STRATA__OP_FINISH && in == c->avail_in;
        ret = isal_deflate(z);
        isal_took(c, in, z->avail_in, out, z->avail_out);
        if (ret != COMP_OK)
            return APR_EGENERAL;
        if (in != z->avail_in)
            st->fresh = 0;
        if (op == STRATA__OP_FINISH && z->internal_state.state == ZSTATE_END)
            return APR_EOF;
        /* a sync flush is complete once all input is in and ISA-L had
         * output room to spare (its own buffer is then empty) */
        if (op == STRATA__OP_SYNC && c->avail_in == 0 && z->avail_out > 0) {
            st->fresh = 1;
            return APR_EOF;
        }
        if (z->avail_out > 0 || c->avail_out == 0
            || (c->avail_in == 0 && op == STRATA__OP_RUN))
            return APR_SUCCESS;
    }
}

/* Decoder: keep the last 8 bytes ISA-L took, which it may give back. */
static void isal_remember(isal_state_t *st, const unsigned char *p,
                          apr_size_t n)
{
    unsigned keep;

    if (n >= sizeof(st->hist)) {
        memcpy(st->hist, p + n - sizeof(st->hist), sizeof(st->hist));
        st->nhist = sizeof(st->hist);
        return;
    }
    keep = (unsigned)(sizeof(st->hist) - n);
    if (keep > st->nhist)
        keep = st->nhist;
    memmove(st->hist, st->hist + st->nhist - keep, keep);
    if (n > 0)
        memcpy(st->hist + keep, p, n);
    st->nhist = keep + (unsigned)n;
}

/* ISA-L gave back @k bytes taken before this call (it rewinds next_in at
 * a gzip member's end): they are the newest of hist[], held for the next
 * member. */
static void isal_hold_hist(isal_state_t *st, unsigned k)
{
    if (k > st->nhist)
        k = st->nhist;                  /* never: it holds at most 8 bytes */
    memcpy(st->held, st->hist + st->nhist - k, k);
    st->nheld = k;
    st->hpos = 0;
}

/*
 * At a member's end ISA-L may hold whole bytes of what follows in its bit
 * buffer.  Give them back: by stepping next_in back over this call's
 * input, and what came from an earlier call (when the end waited for
 * output room) into held[], which the next member reads first.
 */
static void isal_give_back(strata__codec_t *c, isal_state_t *st,
                           apr_size_t consumed)
{
    struct inflate_state *z = &st->u.i;
    unsigned n = (unsigned)z->read_in_length / 8, skip, k, i;

    if (n == 0)
        return;
    k = n <= consumed ? n : (unsigned)consumed;
    c->next_in -= k;
    c->avail_in += k;
    /* the earlier bytes: the oldest n - k whole bytes of the bit buffer,
     * after any already held */
    skip = (unsigned)z->read_in_length % 8;
    for (i = 0; i < n - k && st->nheld < sizeof(st->held); i++)
        st->held[st->nheld++] = (unsigned char)(z->read_in >> (skip + 8 * i));
    z->read_in = 0;
    z->read_in_length = 0;
}

/* Check a member's first two bytes as ISA-L takes them: ISA-L waits for a
 * whole header before judging it, so garbage shorter than a header after a
 * member would end as "truncated" instead of "corrupt", as zlib says. */
static int isal_magic_bad(strata__codec_t *c, isal_state_t *st,
                          const unsigned char *p, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n && st->nmagic < 2; i++)
        st->magic[st->nmagic++] = p[i];
    if (c->codec == STRATA_CODEC_GZIP)
        return (st->nmagic >= 1 && st->magic[0] != 0x1f)
            || (st->nmagic >= 2 && st->magic[1] != 0x8b);
    if (c->codec == STRATA_CODEC_ZLIB && st->nmagic == 2)
        return (st->magic[0] & 0x0f) != 8
            || ((st->magic[0] << 8) | st->magic[1]) % 31 != 0;
    return 0;
}

static apr_status_t isal_decode(strata__codec_t *c, int op)
{
    isal_state_t *st = c->state;
    struct inflate_state *z = &st->u.i;
    apr_size_t in, out, consumed = 0;
    int ret;

    (void)op;
    while (st->hpos < st->nheld && c->avail_out > 0) {
        /* first the bytes held from the previous member's end */
        unsigned given = st->nheld - st->hpos;
        z->next_in = st->held + st->hpos;
        z->avail_in = given;
        z->next_out = c->next_out;
        z->avail_out = (uint32_t)isal_piece(c->avail_out);
        out = z->avail_out;
        ret = isal_inflate(z);
        if (z->avail_in <= given) {
            isal_remember(st, st->held + st->hpos, given - z->avail_in);
            if (isal_magic_bad(c, st, st->held + st->hpos, given - z->avail_in))
                return STRATA_EBADDATA;
            st->hpos += given - z->avail_in;
        } else {                        /* given back: within held[] */
            unsigned k = z->avail_in - given;
            st->hpos = k <= st->hpos ? st->hpos - k : 0;
        }
        isal_took(c, 0, 0, out, z->avail_out);
        if (ret < 0)
            return STRATA_EBADDATA;
        if (z->block_state == ISAL_BLOCK_FINISH) {
            /* a whole member inside the held bytes: the rest stays held,
             * with what ISA-L read past its end (all from held[]) */
            unsigned n = (unsigned)z->read_in_length / 8;
            st->hpos = n <= st->hpos ? st->hpos - n : 0;
            z->read_in = 0;
            z->read_in_length = 0;
            c->held = st->nheld - st->hpos;
            c->held_at = st->held + st->hpos;
            st->nhist = 0;
            return APR_EOF;
        }
        if (z->avail_in > 0)
            return APR_SUCCESS;
    }
    c->held = st->nheld - st->hpos;
    c->held_at = st->held + st->hpos;
    if (c->held > 0)
        return APR_SUCCESS;             /* no output room for them yet */
    st->nheld = st->hpos = 0;
    for (;;) {
        in = isal_piece(c->avail_in);
        out = isal_piece(c->avail_out);
        z->next_in = (uint8_t *)c->next_in;
        z->avail_in = (uint32_t)in;
        z->next_out = c->next_out;
        z->avail_out = (uint32_t)out;
        ret = isal_inflate(z);
        if (z->avail_in > in) {
            /* gave back bytes from before this call: hold them, and this
             * call's input is all still there */
            isal_hold_hist(st, (unsigned)(z->avail_in - in));
            z->avail_in = (uint32_t)in;
            consumed = 0;
        } else {
            isal_remember(st, c->next_in, in - z->avail_in);
            if (isal_magic_bad(c, st, c->next_in, in - z->avail_in))
                return STRATA_EBADDATA;
            consumed += in - z->avail_in;
        }
        isal_took(c, in, z->avail_in, out, z->avail_out);
        switch (ret) {
        case ISAL_DECOMP_OK: case ISAL_END_INPUT: case ISAL_OUT_OVERFLOW:
            break;
        case ISAL_NAME_OVERFLOW: case ISAL_COMMENT_OVERFLOW:
        case ISAL_EXTRA_OVERFLOW:
            break;                      /* no header buffers given: skipped */
        default:                        /* corrupt, bad wrapper, checksum, dict */
            return STRATA_EBADDATA;
        }
        if (z->block_state == ISAL_BLOCK_FINISH) {
            isal_give_back(c, st, consumed);
            c->held = st->nheld - st->hpos;
            c->held_at = st->held + st->hpos;
            st->nhist = 0;
            return APR_EOF;
        }
        if (in == z->avail_in && out == z->avail_out)
            return APR_SUCCESS;         /* no progress possible now */
        if (c->avail_in == 0 || c->avail_out == 0)
            return APR_SUCCESS;
    }
}

static apr_status_t isal_run(strata__codec_t *c, int op)
{
    return c->encode ? isal_encode(c, op) : isal_decode(c, op);
}

static int isal_crc_flag(strata_codec_t codec)
{
    return codec == STRATA_CODEC_GZIP ? ISAL_GZIP
         : codec == STRATA_CODEC_ZLIB ? ISAL_ZLIB : ISAL_DEFLATE;
}

static apr_status_t isal_reset(strata__codec_t *c)
{
    isal_state_t *st = c->state;

    isal_inflate_reset(&st->u.i);
    st->u.i.crc_flag = isal_crc_flag(c->codec);
    st->nmagic = 0;
    return APR_SUCCESS;
}

static void isal_end(strata__codec_t *c)
{
    isal_state_t *st = c->state;

    if (st == NULL)
        return;
    strata__alloc_free(c->alloc, st->level_buf);
    strata__alloc_free(c->alloc, st->hdr);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt isal_vt = { isal_run, isal_reset, isal_end };

apr_status_t strata__isal_init(strata__codec_t *c)
{
    isal_state_t *st = strata__alloc(c->alloc, sizeof(*st));
    apr_size_t lb;

    if (st == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    if (c->encode) {
        if (c->engine_level < 0 || c->engine_level > ISAL_DEF_MAX_LEVEL) {
            strata__alloc_free(c->alloc, st);
            return APR_EINVAL;
        }
        lb = isal_level_buf_size(c->engine_level);
        if (lb > 0 && (st->level_buf = strata__alloc(c->alloc, lb)) == NULL) {
            strata__alloc_free(c->alloc, st);
            return strata__alloc_status(c->alloc);
        }
        if (lb > 0)
            memset(st->level_buf, 0, lb);   /* hash tables: defined */
        isal_deflate_init(&st->u.d);
        st->u.d.level = (uint32_t)c->engine_level;
        st->u.d.level_buf = st->level_buf;
        st->u.d.level_buf_size = (uint32_t)lb;
        st->u.d.gzip_flag = c->codec == STRATA_CODEC_GZIP ? IGZIP_GZIP
                          : c->codec == STRATA_CODEC_ZLIB ? IGZIP_ZLIB
                          : IGZIP_DEFLATE;
        if (isal_own_header(c, st) != APR_SUCCESS) {
            apr_status_t rv = strata__alloc_status(c->alloc);
            strata__alloc_free(c->alloc, st->level_buf);
            strata__alloc_free(c->alloc, st);
            return rv;
        }
    } else {
        isal_inflate_init(&st->u.i);
        st->u.i.crc_flag = isal_crc_flag(c->codec);
    }
    c->state = st;
    c->vt = &isal_vt;
    return APR_SUCCESS;
}

/* ---- whole blocks for the parallel gzip writer ------------------------------ */

typedef struct isal_block_t {
    struct isal_zstream z;
    unsigned char *level_buf;
    apr_size_t lb;
    int level;
} isal_block_t;

void *strata__isal_block_new(strata__alloc_t *a, int level)
{
    isal_block_t *b = strata__alloc(a, sizeof(*b));

    if (b == NULL)
        return NULL;
    memset(b, 0, sizeof(*b));
    b->level = level;
    b->lb = isal_level_buf_size(level);
    if (b->lb > 0) {
        if ((b->level_buf = strata__alloc(a, b->lb)) == NULL) {
            strata__alloc_free(a, b);
            return NULL;
        }
        memset(b->level_buf, 0, b->lb);
    }
    return b;
}

void strata__isal_block_free(strata__alloc_t *a, void *p)
{
    isal_block_t *b = p;

    if (b == NULL)
        return;
    strata__alloc_free(a, b->level_buf);
    strata__alloc_free(a, b);
}

apr_size_t strata__isal_block(void *p, const unsigned char *dict,
                              apr_size_t dlen, const unsigned char *in,
                              apr_size_t n, unsigned char *out,
                              apr_size_t cap, int final)
{
    isal_block_t *b = p;
    struct isal_zstream *z = &b->z;

    if (n > STRATA__CODEC_PIECE || cap > STRATA__CODEC_PIECE)
        return 0;
    isal_deflate_init(z);
    z->level = (uint32_t)b->level;
    z->level_buf = b->level_buf;
    z->level_buf_size = (uint32_t)b->lb;
    z->gzip_flag = IGZIP_DEFLATE;
    if (dlen > 0 && isal_deflate_set_dict(z, (uint8_t *)dict,
                                          (uint32_t)dlen) != COMP_OK)
        return 0;
    z->next_in = (uint8_t *)in;
    z->avail_in = (uint32_t)n;
    z->next_out = out;
    z->avail_out = (uint32_t)cap;
    z->flush = final ? NO_FLUSH : SYNC_FLUSH;
    z->end_of_stream = final;
    if (isal_deflate(z) != COMP_OK || z->avail_in != 0 || z->avail_out == 0)
        return 0;
    if (final && z->internal_state.state != ZSTATE_END)
        return 0;
    return cap - z->avail_out;
}

#endif /* STRATA_HAVE_ISAL */
