/*
 * codec_pack.c -- decoding pack(1)'s Huffman format (".z", magic 1f 1e),
 * as gzip -d reads it.  Decoder only.
 *
 * A member: the magic, the plain length (4 bytes, most significant first),
 * the longest code length L (1..25), for each length 1..L the number of
 * leaves of that length (the count for L leaves out the end code and one
 * more), then the leaves' bytes, shortest codes first.  Codes follow, most
 * significant bit first; at each length the smallest values are the inner
 * nodes, the leaves come after them in the order of their bytes; the end
 * code is the last leaf of length L.  The bits after it, to the byte's end,
 * are padding.  The length read must match the plain length.
 */
#include "strata_codec_private.h"
#include <string.h>

#define PACK_MAXLEN 25
#define PACK_LITERALS 256

typedef enum { PACK_HEAD, PACK_COUNTS, PACK_LEAVES, PACK_CODES,
               PACK_DONE } pack_phase_t;

typedef struct pack_state_t {
    pack_phase_t phase;
    unsigned got;                   /* header bytes / counts / leaves read */
    unsigned char head[7];          /* magic, length, L */
    apr_uint32_t orig_len, out_len;
    unsigned max_len;
    unsigned leaves[PACK_MAXLEN + 1];
    unsigned parents[PACK_MAXLEN + 1];
    unsigned first[PACK_MAXLEN + 1];    /* index of the first leaf */
    unsigned nleaves, max_leaves;
    unsigned char literal[PACK_LITERALS + 2];
    apr_uint32_t code;              /* the code being read */
    unsigned len;                   /* its bits so far */
    unsigned byte, nbits;           /* input bits not yet used (MSB first) */
} pack_state_t;

static void pack_clear(pack_state_t *st)
{
    memset(st, 0, sizeof(*st));
    st->phase = PACK_HEAD;
    st->max_leaves = 1;
}

/* Header: magic, length, longest code. */
static apr_status_t pack_head(strata__codec_t *c, pack_state_t *st)
{
    while (st->got < 7 && c->avail_in > 0) {
        st->head[st->got++] = *c->next_in++;
        c->avail_in--;
    }
    if (st->got < 7)
        return APR_SUCCESS;
    if (st->head[0] != 0x1f || st->head[1] != 0x1e)
        return STRATA_EBADDATA;
    st->orig_len = (apr_uint32_t)st->head[2] << 24
                   | (apr_uint32_t)st->head[3] << 16
                   | (apr_uint32_t)st->head[4] << 8 | st->head[5];
    st->max_len = st->head[6];
    if (st->max_len == 0 || st->max_len > PACK_MAXLEN)
        return STRATA_EBADDATA;
    st->phase = PACK_COUNTS;
    st->got = 0;
    return APR_SUCCESS;
}

/* The inner nodes at each length, once the counts are known; 0 if the
 * tree cannot be. */
static int pack_tree(pack_state_t *st)
{
    unsigned len, nodes = 0, base = 0;

    for (len = 1; len <= st->max_len; len++) {
        st->first[len] = base;
        base += st->leaves[len];
    }
    st->leaves[st->max_len]++;          /* the end code */
    for (len = st->max_len; len >= 1; len--) {
        nodes >>= 1;
        st->parents[len] = nodes;
        nodes += st->leaves[len];
    }
    return nodes >> 1 == 1;
}

static apr_status_t pack_counts(strata__codec_t *c, pack_state_t *st)
{
    while (st->phase == PACK_COUNTS && c->avail_in > 0) {
        unsigned len = ++st->got, n = *c->next_in++;

        c->avail_in--;
        if (st->max_leaves - (len == st->max_len) < n)
            return STRATA_EBADDATA;     /* too many leaves */
        st->max_leaves = (st->max_leaves - n + 1) * 2 - 1;
        st->leaves[len] = n;
        st->nleaves += n;
        if (len == st->max_len) {
            if (st->nleaves >= PACK_LITERALS)
                return STRATA_EBADDATA;
            st->leaves[len]++;          /* stored less two; the end code
                                           is not among the bytes */
            st->nleaves++;
            st->phase = PACK_LEAVES;
            st->got = 0;
        }
    }
    return APR_SUCCESS;
}

static apr_status_t pack_leaves(strata__codec_t *c, pack_state_t *st)
{
    while (st->got < st->nleaves && c->avail_in > 0) {
        st->literal[st->got++] = *c->next_in++;
        c->avail_in--;
    }
    if (st->got < st->nleaves)
        return APR_SUCCESS;
    if (!pack_tree(st))
        return STRATA_EBADDATA;         /* too few leaves */
    st->phase = PACK_CODES;
    return APR_SUCCESS;
}

/* Codes to bytes while there is input and output room. */
static apr_status_t pack_codes(strata__codec_t *c, pack_state_t *st)
{
    while (c->avail_out > 0) {
        unsigned idx;

        if (st->nbits == 0) {
            if (c->avail_in == 0)
                return APR_SUCCESS;
            st->byte = *c->next_in++;
            c->avail_in--;
            st->nbits = 8;
        }
        st->code = st->code << 1 | ((st->byte >> --st->nbits) & 1);
        st->len++;
        if (st->code < st->parents[st->len]) {
            if (st->len >= st->max_len)
                return STRATA_EBADDATA;
            continue;                   /* an inner node: one more bit */
        }
        idx = st->code - st->parents[st->len];
        if (idx >= st->leaves[st->len])
            return STRATA_EBADDATA;     /* no such leaf */
        if (st->len == st->max_len && idx == st->leaves[st->len] - 1) {
            st->phase = PACK_DONE;      /* the end code */
            return st->out_len == st->orig_len ? APR_EOF : STRATA_EBADDATA;
        }
        *c->next_out++ = st->literal[st->first[st->len] + idx];
        c->avail_out--;
        st->out_len++;
        st->code = 0;
        st->len = 0;
    }
    return APR_SUCCESS;
}

static apr_status_t pack_run(strata__codec_t *c, int op)
{
    pack_state_t *st = c->state;
    pack_phase_t before;
    apr_status_t rv;

    (void)op;
    do {
        before = st->phase;
        switch (st->phase) {
        case PACK_HEAD:   rv = pack_head(c, st); break;
        case PACK_COUNTS: rv = pack_counts(c, st); break;
        case PACK_LEAVES: rv = pack_leaves(c, st); break;
        case PACK_CODES:  return pack_codes(c, st);
        default:          return APR_EOF;
        }
        if (rv != APR_SUCCESS)
            return rv;
    } while (st->phase != before);
    return APR_SUCCESS;
}

static apr_status_t pack_reset(strata__codec_t *c)
{
    pack_clear(c->state);
    return APR_SUCCESS;
}

static void pack_end(strata__codec_t *c)
{
    strata__alloc_free(c->alloc, c->state);
    c->state = NULL;
}

static const strata__codec_vt pack_vt = { pack_run, pack_reset, pack_end };

apr_status_t strata__pack_init(strata__codec_t *c)
{
    pack_state_t *st;

    if (c->encode)
        return STRATA_ENOTSUP;
    if ((st = strata__alloc(c->alloc, sizeof(*st))) == NULL)
        return strata__alloc_status(c->alloc);
    pack_clear(st);
    c->state = st;
    c->vt = &pack_vt;
    return APR_SUCCESS;
}
