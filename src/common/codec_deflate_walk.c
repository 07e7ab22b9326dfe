/*
 * codec_deflate_walk.c -- make a finished raw deflate stream continuable.
 *
 * libdeflate compresses whole buffers and always ends with a final block.
 * To join such pieces into one stream (a gzip member of many blocks), the
 * final block's BFINAL bit must be cleared and the piece byte-aligned with
 * an empty stored block, as zlib's sync flush ends.  The bit's position is
 * only known by walking the blocks: this walks them, decoding Huffman
 * symbols (a 10-bit table, and canonical decoding bit by bit for the rare
 * longer codes) without producing any output.  The walk costs about a
 * tenth of libdeflate's compression time, so it is kept lean: the bit
 * buffer is refilled eight bytes at a time, and a table entry for a length
 * or distance code counts its extra bits too, so one shift skips both.
 */
#include "strata_codec_private.h"
#include <string.h>

#define WALK_TBITS 10

/* What a table entry's bit count covers (walk_build's @extra). */
enum { WALK_CODE_ONLY, WALK_LIT_EXTRA, WALK_DIST_EXTRA };

typedef struct walk_huff_t {
    apr_uint16_t table[1 << WALK_TBITS];    /* symbol << 5 | bits; 0: long
                                               code (bits: the code's, plus
                                               its extra bits if any) */
    apr_uint16_t count[16];                 /* codes per length */
    apr_uint16_t symbol[288];               /* symbols in canonical order */
} walk_huff_t;

typedef struct walk_t {
    const unsigned char *buf;
    apr_size_t len, next;                   /* bytes; next to load */
    apr_uint64_t bb;                        /* bit buffer, LSB first */
    unsigned nb;                            /* bits in bb */
    walk_huff_t lit, dist;
} walk_t;

static void walk_refill(walk_t *w)
{
    if (w->next + 8 <= w->len) {            /* eight bytes at once */
        const unsigned char *p = w->buf + w->next;
        apr_uint64_t v = (apr_uint64_t)p[0] | (apr_uint64_t)p[1] << 8
            | (apr_uint64_t)p[2] << 16 | (apr_uint64_t)p[3] << 24
            | (apr_uint64_t)p[4] << 32 | (apr_uint64_t)p[5] << 40
            | (apr_uint64_t)p[6] << 48 | (apr_uint64_t)p[7] << 56;

        w->bb |= v << w->nb;
        w->next += (63 - w->nb) >> 3;
        w->nb |= 56;
        return;
    }
    while (w->nb <= 56) {
        if (w->next < w->len)
            w->bb |= (apr_uint64_t)w->buf[w->next] << w->nb;
        w->next++;                          /* past the end: zeros */
        w->nb += 8;
    }
}

static apr_uint64_t walk_pos(const walk_t *w)
{
    return (apr_uint64_t)w->next * 8 - w->nb;
}

static unsigned walk_bits(walk_t *w, unsigned n)
{
    unsigned v;

    walk_refill(w);
    v = (unsigned)(w->bb & (((apr_uint64_t)1 << n) - 1));
    w->bb >>= n;
    w->nb -= n;
    return v;
}

static const unsigned char walk_lext[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const unsigned char walk_dext[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* Extra bits after symbol @sym of a table built with @extra. */
static unsigned walk_extra(int extra, unsigned sym)
{
    if (extra == WALK_LIT_EXTRA)
        return sym >= 257 && sym <= 285 ? walk_lext[sym - 257] : 0;
    if (extra == WALK_DIST_EXTRA)
        return sym < 30 ? walk_dext[sym] : 0;
    return 0;
}

/* Build a decoder from code lengths; -1 if over-subscribed. */
static int walk_build(walk_huff_t *h, const unsigned char *lens, unsigned n,
                      int extra)
{
    apr_uint16_t offs[16];
    unsigned code, len, sym, i, rev, step;
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (sym = 0; sym < n; sym++)
        h->count[lens[sym]]++;
    h->count[0] = 0;
    for (len = 1; len < 16; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0)
            return -1;
    }
    offs[1] = 0;
    for (len = 1; len < 15; len++)
        offs[len + 1] = (apr_uint16_t)(offs[len] + h->count[len]);
    for (sym = 0; sym < n; sym++)
        if (lens[sym] != 0)
            h->symbol[offs[lens[sym]]++] = (apr_uint16_t)sym;
    /* the table: canonical codes, bit-reversed (deflate sends MSB first) */
    memset(h->table, 0, sizeof(h->table));
    code = 0;
    i = 0;
    for (len = 1; len <= WALK_TBITS; len++) {
        for (sym = 0; sym < h->count[len]; sym++, code++, i++) {
            unsigned c = code, b;
            rev = 0;
            for (b = 0; b < len; b++) {
                rev = (rev << 1) | (c & 1);
                c >>= 1;
            }
            step = 1u << len;
            for (; rev < (1u << WALK_TBITS); rev += step)
                h->table[rev] = (apr_uint16_t)(h->symbol[i] << 5
                                  | (len + walk_extra(extra, h->symbol[i])));
        }
        code <<= 1;
    }
    return 0;
}

/* One symbol, and its extra bits skipped as the table was built (@extra);
 * -1 for a code that is not in the table.  Needs 15 + 13 bits in the
 * buffer (the caller refills). */
static int walk_decode(walk_t *w, const walk_huff_t *h, int extra)
{
    unsigned e, len, code = 0, first = 0, index = 0, count, sym, x;

    e = h->table[w->bb & ((1u << WALK_TBITS) - 1)];
    if (e != 0) {
        w->bb >>= e & 31;
        w->nb -= e & 31;
        return (int)(e >> 5);
    }
    for (len = 1; len < 16; len++) {        /* canonical, bit by bit */
        code |= (unsigned)(w->bb & 1);
        w->bb >>= 1;
        w->nb--;
        count = h->count[len];
        if (code - first < count) {
            sym = h->symbol[index + (code - first)];
            x = walk_extra(extra, sym);
            w->bb >>= x;
            w->nb -= x;
            return (int)sym;
        }
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -1;
}

/* Skip the symbols of a Huffman block up to its end-of-block code.  A
 * length and distance pair takes at most 48 bits with their extra bits, so
 * symbols are decoded without refilling while 48 bits remain. */
static int walk_codes(walk_t *w)
{
    int sym;

    for (;;) {
        if (w->next > w->len + 8)
            return -1;                      /* ran off the end */
        walk_refill(w);
        while (w->nb >= 48) {
            sym = walk_decode(w, &w->lit, WALK_LIT_EXTRA);
            if (sym < 256) {
                if (sym < 0)
                    return -1;
                continue;
            }
            if (sym == 256)
                return 0;
            if (sym > 285)
                return -1;
            sym = walk_decode(w, &w->dist, WALK_DIST_EXTRA);
            if (sym < 0 || sym > 29)
                return -1;
        }
    }
}

static int walk_fixed(walk_t *w)
{
    unsigned char lens[288];
    unsigned i;

    for (i = 0; i < 144; i++) lens[i] = 8;
    for (; i < 256; i++) lens[i] = 9;
    for (; i < 280; i++) lens[i] = 7;
    for (; i < 288; i++) lens[i] = 8;
    walk_build(&w->lit, lens, 288, WALK_LIT_EXTRA);
    for (i = 0; i < 30; i++) lens[i] = 5;
    walk_build(&w->dist, lens, 30, WALK_DIST_EXTRA);
    return walk_codes(w);
}

static int walk_dynamic(walk_t *w)
{
    static const unsigned char order[19] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    unsigned char lens[320];
    unsigned nlen, ndist, ncode, i, rep;
    int sym;

    nlen = walk_bits(w, 5) + 257;
    ndist = walk_bits(w, 5) + 1;
    ncode = walk_bits(w, 4) + 4;
    if (nlen > 286 || ndist > 30)
        return -1;
    memset(lens, 0, sizeof(lens));
    for (i = 0; i < ncode; i++)
        lens[order[i]] = (unsigned char)walk_bits(w, 3);
    if (walk_build(&w->lit, lens, 19, WALK_CODE_ONLY) != 0)
        return -1;
    for (i = 0; i < nlen + ndist;) {
        walk_refill(w);
        sym = walk_decode(w, &w->lit, WALK_CODE_ONLY);
        if (sym < 0)
            return -1;
        if (sym < 16) {
            lens[i++] = (unsigned char)sym;
            continue;
        }
        if (sym == 16) {
            if (i == 0)
                return -1;
            rep = 3 + walk_bits(w, 2);
            sym = lens[i - 1];
        } else {
            rep = sym == 17 ? 3 + walk_bits(w, 3) : 11 + walk_bits(w, 7);
            sym = 0;
        }
        if (i + rep > nlen + ndist)
            return -1;
        while (rep--)
            lens[i++] = (unsigned char)sym;
    }
    if (walk_build(&w->lit, lens, nlen, WALK_LIT_EXTRA) != 0
        || walk_build(&w->dist, lens + nlen, ndist, WALK_DIST_EXTRA) != 0)
        return -1;
    return walk_codes(w);
}

static int walk_stored(walk_t *w)
{
    apr_uint64_t pos;
    unsigned n, nn;

    w->bb >>= w->nb & 7;                    /* to a byte boundary */
    w->nb -= w->nb & 7;
    n = walk_bits(w, 16);
    nn = walk_bits(w, 16);
    if ((n ^ 0xffff) != nn)
        return -1;
    pos = walk_pos(w) / 8 + n;
    if (pos > w->len)
        return -1;
    w->next = (apr_size_t)pos;
    w->bb = 0;
    w->nb = 0;
    return 0;
}

apr_status_t strata__deflate_unfinal(unsigned char *buf, apr_size_t *len,
                                     apr_size_t cap)
{
    walk_t ws, *w = &ws;            /* two tables: about 5 KiB of stack */
    apr_uint64_t hdr, end;
    apr_size_t n;
    unsigned final, type;
    int rc;

    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->len = *len;
    do {
        hdr = walk_pos(w);
        final = walk_bits(w, 1);
        type = walk_bits(w, 2);
        rc = type == 0 ? walk_stored(w) : type == 1 ? walk_fixed(w)
           : type == 2 ? walk_dynamic(w) : -1;
        if (rc != 0 || walk_pos(w) > (apr_uint64_t)*len * 8)
            return APR_EGENERAL;
    } while (!final);
    end = walk_pos(w);
    if ((end + 7) / 8 != *len || *len + 5 > cap)
        return APR_EGENERAL;
    buf[hdr / 8] &= (unsigned char)~(1u << (hdr % 8));
    if (end % 8)                            /* bits past the end: zero */
        buf[end / 8] &= (unsigned char)((1u << (end % 8)) - 1);
    n = (apr_size_t)((end + 3 + 7) / 8);    /* an empty stored block */
    if (n > *len)
        buf[*len] = 0;
    buf[n] = 0;
    buf[n + 1] = 0;
    buf[n + 2] = 0xff;
    buf[n + 3] = 0xff;
    *len = n + 4;
    return APR_SUCCESS;
}
