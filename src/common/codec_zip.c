/*
 * codec_zip.c -- decoding the first entry of a zip file (magic "PK\3\4"),
 * as gzip -d does: deflated or stored, checked against the CRC-32 and the
 * length of its local header or of the data descriptor that follows it
 * (with or without its signature; 8-byte sizes for a zip64 entry).  What
 * comes after the entry (more entries, the central directory) is not read.
 * Encrypted entries and other methods are corrupt data here (use unzip).
 * Decoder only.
 */
#include "strata_codec_private.h"
#include <zlib.h>
#include <string.h>

#define ZIP_LOCAL 30                    /* fixed part of a local header */
#define ZIP_XCAP  512                   /* extra field bytes looked at */

typedef enum { ZIP_HEAD, ZIP_NAME, ZIP_DATA, ZIP_DESC, ZIP_DONE } zip_phase_t;

typedef struct zip_state_t {
    zip_phase_t phase;
    unsigned char h[ZIP_LOCAL];
    unsigned char x[ZIP_XCAP];          /* the extra field's start */
    unsigned char d[24];                /* the data descriptor */
    apr_size_t got, skip, dlen;
    unsigned method, flags, nlen, xlen;
    apr_uint32_t crc, want_crc;
    apr_uint64_t out, left, want_len;   /* left: stored bytes to copy */
    int zip64, live;
    z_stream z;
} zip_state_t;

static apr_uint32_t zip_le(const unsigned char *p, int n)
{
    apr_uint32_t v = 0;

    while (n-- > 0)
        v = v << 8 | p[n];
    return v;
}

static voidpf zip_zalloc(voidpf opaque, uInt items, uInt size)
{
    return strata__alloc_n(opaque, items, size);
}

static void zip_zfree(voidpf opaque, voidpf p)
{
    strata__alloc_free(opaque, p);
}

/* Take up to @want bytes into @dst at *got; non-zero once all are in. */
static int zip_take(strata__codec_t *c, unsigned char *dst, apr_size_t *got,
                    apr_size_t want)
{
    apr_size_t n = want - *got < c->avail_in ? want - *got : c->avail_in;

    if (n > 0) {
        memcpy(dst + *got, c->next_in, n);
        c->next_in += n;
        c->avail_in -= n;
        *got += n;
    }
    return *got == want;
}

/* zip64: the sizes from the extra field (id 1: plain size first). */
static void zip_extra64(zip_state_t *st)
{
    apr_size_t i = 0, lim = st->xlen < ZIP_XCAP ? st->xlen : ZIP_XCAP;

    while (i + 4 <= lim) {
        unsigned id = (unsigned)zip_le(st->x + i, 2);
        unsigned sz = (unsigned)zip_le(st->x + i + 2, 2);

        if (id == 1 && sz >= 8 && i + 12 <= lim) {
            st->want_len = zip_le(st->x + i + 4, 4);    /* mod 2^32 */
            return;
        }
        i += 4 + sz;
    }
}

static apr_status_t zip_head(strata__codec_t *c, zip_state_t *st)
{
    if (!zip_take(c, st->h, &st->got, ZIP_LOCAL))
        return APR_SUCCESS;
    if (zip_le(st->h, 4) != 0x04034b50)
        return STRATA_EBADDATA;
    st->flags = (unsigned)zip_le(st->h + 6, 2);
    st->method = (unsigned)zip_le(st->h + 8, 2);
    st->want_crc = zip_le(st->h + 14, 4);
    st->left = zip_le(st->h + 18, 4);
    st->want_len = zip_le(st->h + 22, 4);
    st->zip64 = zip_le(st->h + 18, 4) == 0xffffffffu
                || zip_le(st->h + 22, 4) == 0xffffffffu;
    st->nlen = (unsigned)zip_le(st->h + 26, 2);
    st->xlen = (unsigned)zip_le(st->h + 28, 2);
    if ((st->flags & 1) || (st->method != 0 && st->method != 8)
        || (st->method == 0 && ((st->flags & 8) || st->zip64
                                || st->left != st->want_len)))
        return STRATA_EBADDATA;         /* encrypted, other methods */
    st->skip = st->nlen;
    st->got = 0;
    st->phase = ZIP_NAME;
    return APR_SUCCESS;
}

/* The name (skipped), then the extra field (its start kept). */
static apr_status_t zip_name(strata__codec_t *c, zip_state_t *st)
{
    apr_size_t n;

    n = st->skip < c->avail_in ? st->skip : c->avail_in;
    if (n > 0) {                        /* next_in may be NULL with 0 */
        c->next_in += n;
        c->avail_in -= n;
        st->skip -= n;
    }
    if (st->skip > 0)
        return APR_SUCCESS;
    while (st->got < st->xlen && c->avail_in > 0) {
        if (st->got < ZIP_XCAP)
            st->x[st->got] = *c->next_in;
        st->got++;
        c->next_in++;
        c->avail_in--;
    }
    if (st->got < st->xlen)
        return APR_SUCCESS;
    if (st->zip64 && !(st->flags & 8))
        zip_extra64(st);
    st->phase = ZIP_DATA;
    return APR_SUCCESS;
}

static apr_status_t zip_data(strata__codec_t *c, zip_state_t *st)
{
    apr_size_t in, out;
    int ret;

    if (st->method == 0) {              /* stored */
        apr_size_t n = c->avail_in < c->avail_out ? c->avail_in : c->avail_out;

        if (n > st->left)
            n = (apr_size_t)st->left;
        if (n > 0) {
            memcpy(c->next_out, c->next_in, n);
            st->crc = (apr_uint32_t)crc32(st->crc, c->next_out, (uInt)n);
            c->next_in += n;
            c->avail_in -= n;
            c->next_out += n;
            c->avail_out -= n;
            st->left -= n;
            st->out += n;
        }
        if (st->left == 0)
            st->phase = ZIP_DESC;
        return APR_SUCCESS;
    }
    in = c->avail_in < STRATA__CODEC_PIECE ? c->avail_in : STRATA__CODEC_PIECE;
    out = c->avail_out < STRATA__CODEC_PIECE ? c->avail_out
                                             : STRATA__CODEC_PIECE;
    st->z.next_in = (Bytef *)c->next_in;
    st->z.avail_in = (uInt)in;
    st->z.next_out = c->next_out;
    st->z.avail_out = (uInt)out;
    ret = inflate(&st->z, Z_NO_FLUSH);
    if (out != st->z.avail_out) {
        st->crc = (apr_uint32_t)crc32(st->crc, c->next_out,
                                      (uInt)(out - st->z.avail_out));
        st->out += out - st->z.avail_out;
        c->next_out += out - st->z.avail_out;
        c->avail_out -= out - st->z.avail_out;
    }
    if (in != st->z.avail_in) {
        c->next_in += in - st->z.avail_in;
        c->avail_in -= in - st->z.avail_in;
    }
    if (ret == Z_STREAM_END)
        st->phase = ZIP_DESC;
    else if (ret == Z_MEM_ERROR)
        return strata__alloc_status(c->alloc);
    else if (ret != Z_OK && ret != Z_BUF_ERROR)
        return STRATA_EBADDATA;
    return APR_SUCCESS;
}

/* The data descriptor, if the header says one follows; then the checks. */
static apr_status_t zip_desc(strata__codec_t *c, zip_state_t *st)
{
    if (st->flags & 8) {
        apr_size_t want = st->zip64 ? 20 : 12, off = 0;

        if (!zip_take(c, st->d, &st->dlen, 4))
            return APR_SUCCESS;
        if (zip_le(st->d, 4) == 0x08074b50)
            want += 4;                  /* with its signature */
        if (!zip_take(c, st->d, &st->dlen, want))
            return APR_SUCCESS;
        off = want - (st->zip64 ? 20 : 12);
        st->want_crc = zip_le(st->d + off, 4);
        st->want_len = zip_le(st->d + off + (st->zip64 ? 12 : 8), 4);
    }
    if (st->crc != st->want_crc
        || (apr_uint32_t)st->out != (apr_uint32_t)st->want_len)
        return STRATA_EBADDATA;         /* crc or length error */
    st->phase = ZIP_DONE;
    return APR_EOF;
}

static apr_status_t zip_run(strata__codec_t *c, int op)
{
    zip_state_t *st = c->state;
    zip_phase_t before;
    apr_status_t rv = APR_SUCCESS;

    do {
        before = st->phase;
        switch (st->phase) {
        case ZIP_HEAD: rv = zip_head(c, st); break;
        case ZIP_NAME: rv = zip_name(c, st); break;
        case ZIP_DATA: rv = zip_data(c, st); break;
        case ZIP_DESC: rv = zip_desc(c, st); break;
        default:       return APR_EOF;
        }
    } while (rv == APR_SUCCESS && st->phase != before);
    if (rv == APR_SUCCESS && op == STRATA__OP_FINISH && c->avail_in == 0
        && c->avail_out > 0)
        return STRATA_ETRUNCATED;       /* the input ended inside it */
    return rv;
}

static apr_status_t zip_reset(strata__codec_t *c)
{
    (void)c;
    return APR_SUCCESS;                 /* the first entry only */
}

static void zip_end(strata__codec_t *c)
{
    zip_state_t *st = c->state;

    if (st == NULL)
        return;
    if (st->live)
        inflateEnd(&st->z);
    strata__alloc_free(c->alloc, st);
    c->state = NULL;
}

static const strata__codec_vt zip_vt = { zip_run, zip_reset, zip_end };

apr_status_t strata__zip_init(strata__codec_t *c)
{
    zip_state_t *st;

    if (c->encode)
        return STRATA_ENOTSUP;
    if ((st = strata__alloc(c->alloc, sizeof(*st))) == NULL)
        return strata__alloc_status(c->alloc);
    memset(st, 0, sizeof(*st));
    st->z.zalloc = zip_zalloc;
    st->z.zfree = zip_zfree;
    st->z.opaque = c->alloc;
    if (inflateInit2(&st->z, -15) != Z_OK) {
        apr_status_t rv = strata__alloc_status(c->alloc);
        strata__alloc_free(c->alloc, st);
        return rv;
    }
    st->live = 1;
    st->phase = ZIP_HEAD;
    c->state = st;
    c->self_concat = 1;
    c->vt = &zip_vt;
    return APR_SUCCESS;
}
