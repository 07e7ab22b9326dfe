/*
 * codec_lzw.c -- decoding the LZW format of compress(1) (".Z", magic
 * 1f 9d), as gzip -d does.  Decoder only.
 *
 * The format: a third header byte with the largest code width (9..16 bits)
 * and the block-mode flag (code 256 clears the table).  Codes are packed
 * least significant bit first, starting at 9 bits; the width grows when
 * the table fills its range.  compress(1) writes codes in groups of eight
 * (one group is "width" bytes); when the width changes, or after a clear,
 * the rest of the current group is padding and is skipped.  The stream
 * ends with the input: the engine runs as self_concat and finishes on
 * STRATA__OP_FINISH.  Bits left over at the end (fewer than a code) are
 * ignored.
 */
#include "strata_codec_private.h"
#include <string.h>

#define LZW_MAXBITS 16
#define LZW_TABLE   ((apr_size_t)1 << LZW_MAXBITS)
#define LZW_CLEAR   256

typedef enum { LZW_HEADER, LZW_CODES, LZW_END } lzw_phase_t;

typedef struct lzw_state_t {
    lzw_phase_t phase;
    unsigned char hdr[3];
    unsigned nhdr;
    unsigned maxbits, block_mode;
    apr_uint32_t maxmaxcode, maxcode, free_ent;
    unsigned n_bits;
    long oldcode;                   /* -1: none yet */
    unsigned finchar;
    apr_uint32_t bitbuf;            /* bits not yet used, LSB first */
    unsigned nbits;                 /* how many */
    apr_uint64_t gbits;             /* bits taken since the group origin */
    apr_uint64_t skip;              /* padding bits still to skip */
    unsigned short *prefix;         /* LZW_TABLE entries */
    unsigned char *suffix;          /* LZW_TABLE entries */
    unsigned char *stack;           /* LZW_TABLE: one string, reversed */
    apr_size_t sp;                  /* stack[sp..LZW_TABLE) waits to go out */
} lzw_state_t;

/* Width change or clear: skip to the end of the current group of eight
 * codes (n_bits bytes). */
static void lzw_align(lzw_state_t *st)
{
    apr_uint64_t g = (apr_uint64_t)st->n_bits * 8;

    if (st->gbits % g != 0)
        st->skip = g - st->gbits % g;
    st->gbits = 0;
}

/* Codes of @n_bits from now on.  As compress(1) and gzip, the first width
 * (9) always ends at code 511, even when the header says 9 bits at most:
 * such streams then go on with 10-bit codes. */
static void lzw_width(lzw_state_t *st, unsigned n_bits)
{
    st->n_bits = n_bits;
    st->maxcode = n_bits != 9 && n_bits == st->maxbits
                  ? st->maxmaxcode : ((apr_uint32_t)1 << n_bits) - 1;
}

/* Copy what waits on the stack to the output. */
static void lzw_flush(strata__codec_t *c, lzw_state_t *st)
{
    apr_size_t n = LZW_TABLE - st->sp;

    if (n > c->avail_out)
        n = c->avail_out;
    if (n == 0)
        return;
    memcpy(c->next_out, st->stack + st->sp, n);
    c->next_out += n;
    c->avail_out -= n;
    st->sp += n;
}

static apr_status_t lzw_header(strata__codec_t *c, lzw_state_t *st)
{
    while (st->nhdr < 3 && c->avail_in > 0) {
        st->hdr[st->nhdr++] = *c->next_in++;
        c->avail_in--;
    }
    if (st->nhdr < 3)
        return APR_SUCCESS;
    if (st->hdr[0] != 0x1f || st->hdr[1] != 0x9d)
        return STRATA_EBADDATA;
    st->maxbits = st->hdr[2] & 0x1f;
    st->block_mode = st->hdr[2] & 0x80;
    if (st->maxbits > LZW_MAXBITS)      /* the flags 0x60 are ignored, */
        return STRATA_EBADDATA;         /* as gzip does (it warns) */
    st->maxmaxcode = (apr_uint32_t)1 << st->maxbits;
    lzw_width(st, 9);
    st->free_ent = st->block_mode ? LZW_CLEAR + 1 : LZW_CLEAR;
    st->oldcode = -1;
    st->phase = LZW_CODES;
    return APR_SUCCESS;
}

/* One code: its string onto the stack, the table grown. */
static apr_status_t lzw_code(lzw_state_t *st, apr_uint32_t code)
{
    apr_uint32_t incode = code;
    apr_size_t sp = LZW_TABLE;

    if (st->oldcode < 0) {
        if (code >= 256)
            return STRATA_EBADDATA;
        st->finchar = code;
        st->oldcode = (long)code;
        st->stack[--sp] = (unsigned char)code;
        st->sp = sp;
        return APR_SUCCESS;
    }
    if (code == LZW_CLEAR && st->block_mode) {
        memset(st->prefix, 0, 256 * sizeof(*st->prefix));
        st->free_ent = LZW_CLEAR;
        lzw_align(st);
        lzw_width(st, 9);
        return APR_SUCCESS;
    }
    if (code >= st->free_ent) {             /* the KwKwK case */
        if (code > st->free_ent)
            return STRATA_EBADDATA;
        st->stack[--sp] = (unsigned char)st->finchar;
        code = (apr_uint32_t)st->oldcode;
    }
    while (code >= 256) {
        if (sp <= 1)
            return STRATA_EBADDATA;         /* a loop: hostile input */
        st->stack[--sp] = st->suffix[code];
        code = st->prefix[code];
    }
    st->finchar = st->suffix[code];
    st->stack[--sp] = (unsigned char)st->finchar;
    st->sp = sp;
    if (st->free_ent < st->maxmaxcode) {
        st->prefix[st->free_ent] = (unsigned short)st->oldcode;
        st->suffix[st->free_ent] = (unsigned char)st->finchar;
        st->free_ent++;
    }
    st->oldcode = (long)incode;
    return APR_SUCCESS;
}

static apr_status_t lzw_run(strata__codec_t *c, int op)
{
    lzw_state_t *st = c->state;
    apr_status_t rv;
    apr_uint32_t code;

    for (;;) {
        lzw_flush(c, st);
        if (st->sp < LZW_TABLE)
            return APR_SUCCESS;             /* the output is full */
        if (st->phase == LZW_HEADER) {
            if ((rv = lzw_header(c, st)) != APR_SUCCESS)
                return rv;
            if (st->phase == LZW_HEADER)
                return op == STRATA__OP_FINISH ? STRATA_ETRUNCATED
                                               : APR_SUCCESS;
            continue;
        }
        if (st->phase == LZW_END)
            return APR_EOF;
        while (st->skip > 0 && (st->nbits > 0 || c->avail_in > 0)) {
            if (st->nbits == 0) {
                st->bitbuf = *c->next_in++;
                c->avail_in--;
                st->nbits = 8;
            }
            st->bitbuf >>= 1;
            st->nbits--;
            st->skip--;
        }
        if (st->skip == 0 && st->free_ent > st->maxcode
            && st->n_bits < LZW_MAXBITS) {
            lzw_align(st);
            lzw_width(st, st->n_bits + 1);
            continue;
        }
        while (st->skip == 0 && st->nbits < st->n_bits && c->avail_in > 0) {
            st->bitbuf |= (apr_uint32_t)*c->next_in++ << st->nbits;
            c->avail_in--;
            st->nbits += 8;
        }
        if (st->skip > 0 || st->nbits < st->n_bits) {
            if (op != STRATA__OP_FINISH)
                return APR_SUCCESS;         /* more input, please */
            st->phase = LZW_END;            /* leftover bits: ignored */
            continue;
        }
        code = st->bitbuf & (((apr_uint32_t)1 << st->n_bits) - 1);
        st->bitbuf >>= st->n_bits;
        st->nbits -= st->n_bits;
        st->gbits += st->n_bits;
        if ((rv = lzw_code(st, code)) != APR_SUCCESS)
            return rv;
    }
}

static apr_status_t lzw_reset(strata__codec_t *c)
{
    (void)c;
    return APR_SUCCESS;                     /* one stream per input */
}

static void lzw_end(strata__codec_t *c)
{
    lzw_state_t *st = c->state;

    if (st == NULL)
        return;
    strata__alloc_free(c->alloc, st->prefix);
    strata__alloc_free(c->alloc, st->suffix);
    strata__alloc_free(c->alloc, st->stack);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt lzw_vt = { lzw_run, lzw_reset, lzw_end };

apr_status_t strata__lzw_init(strata__codec_t *c)
{
    lzw_state_t *st;
    apr_size_t i;

    if (c->encode)
        return STRATA_ENOTSUP;
    if ((st = strata__alloc(c->alloc, sizeof(*st))) == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    c->state = st;
    st->prefix = strata__alloc_n(c->alloc, LZW_TABLE, sizeof(*st->prefix));
    st->suffix = strata__alloc(c->alloc, LZW_TABLE);
    st->stack = strata__alloc(c->alloc, LZW_TABLE);
    if (st->prefix == NULL || st->suffix == NULL || st->stack == NULL) {
        apr_status_t rv = strata__alloc_status(c->alloc);
        lzw_end(c);
        return rv;
    }
    memset(st->prefix, 0, LZW_TABLE * sizeof(*st->prefix));
    for (i = 0; i < LZW_TABLE; i++)
        st->suffix[i] = (unsigned char)i;
    st->sp = LZW_TABLE;
    st->phase = LZW_HEADER;
    c->self_concat = 1;
    c->vt = &lzw_vt;
    return APR_SUCCESS;
}
