/*
 * codec_core.c -- codec names, magic detection, levels, the counting
 * allocator every codec library allocates through, and engine dispatch.
 */
#include "strata_codec_private.h"
#include <apr_atomic.h>
#include <apr_time.h>
#include <stdlib.h>
#include <string.h>

#if STRATA_HAVE_ZSTD
#include <zstd.h>
#endif

/* ---- names ---------------------------------------------------------------- */

static const struct {
    const char *name;
    strata_codec_t codec;
} codec_names[] = {
    { "gzip", STRATA_CODEC_GZIP }, { "gz", STRATA_CODEC_GZIP },
    { "zlib", STRATA_CODEC_ZLIB },
    { "deflate", STRATA_CODEC_DEFLATE }, { "raw", STRATA_CODEC_DEFLATE },
    { "bzip2", STRATA_CODEC_BZIP2 }, { "bz2", STRATA_CODEC_BZIP2 },
    { "xz", STRATA_CODEC_XZ },
    { "zstd", STRATA_CODEC_ZSTD }, { "zst", STRATA_CODEC_ZSTD },
    { "lzw", STRATA_CODEC_LZW }, { "compress", STRATA_CODEC_LZW },
    { "pack", STRATA_CODEC_PACK }, { "zip", STRATA_CODEC_ZIP },
    { "auto", STRATA_CODEC_AUTO },
    { "none", STRATA_CODEC_NONE },
};

static int name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

strata_codec_t strata_codec_from_name(const char *name)
{
    apr_size_t i;

    if (name == NULL)
        return STRATA_CODEC_UNKNOWN;
    for (i = 0; i < sizeof(codec_names) / sizeof(codec_names[0]); i++) {
        if (name_eq(name, codec_names[i].name))
            return strata_codec_available(codec_names[i].codec)
                   ? codec_names[i].codec : STRATA_CODEC_UNKNOWN;
    }
    return STRATA_CODEC_UNKNOWN;
}

const char *strata_codec_name(strata_codec_t codec)
{
    switch (codec) {
    case STRATA_CODEC_NONE:    return "none";
    case STRATA_CODEC_GZIP:    return "gzip";
    case STRATA_CODEC_ZLIB:    return "zlib";
    case STRATA_CODEC_DEFLATE: return "deflate";
    case STRATA_CODEC_BZIP2:   return "bzip2";
    case STRATA_CODEC_XZ:      return "xz";
    case STRATA_CODEC_ZSTD:    return "zstd";
    case STRATA_CODEC_AUTO:    return "auto";
    case STRATA_CODEC_LZW:     return "lzw";
    case STRATA_CODEC_PACK:    return "pack";
    case STRATA_CODEC_ZIP:     return "zip";
    default:                   return "unknown";
    }
}

int strata_codec_available(strata_codec_t codec)
{
    if (codec == STRATA_CODEC_ZSTD)
        return STRATA_HAVE_ZSTD;
    return (codec >= STRATA_CODEC_NONE && codec <= STRATA_CODEC_AUTO)
           || codec == STRATA_CODEC_LZW || codec == STRATA_CODEC_PACK
           || codec == STRATA_CODEC_ZIP;
}

/* ---- detection -------------------------------------------------------------- */

/* Compare a known magic: 1 match, 0 mismatch, -1 prefix only. */
static int magic_cmp(const unsigned char *p, apr_size_t len,
                     const char *magic, apr_size_t mlen)
{
    apr_size_t n = len < mlen ? len : mlen;

    if (memcmp(p, magic, n) != 0)
        return 0;
    return n == mlen ? 1 : -1;
}

strata_codec_t strata_codec_detect(const void *buf, apr_size_t len)
{
    const unsigned char *p = buf;
    int more = 0, r;

    if (p == NULL || len == 0)
        return STRATA_CODEC_AUTO;
    if ((r = magic_cmp(p, len, "\x1f\x8b\x08", 3)) == 1)
        return STRATA_CODEC_GZIP;
    more |= r < 0;
    if ((r = magic_cmp(p, len, "\x1f\x9d", 2)) == 1)
        return STRATA_CODEC_LZW;
    more |= r < 0;
    if ((r = magic_cmp(p, len, "\x1f\x1e", 2)) == 1)
        return STRATA_CODEC_PACK;
    more |= r < 0;
    if ((r = magic_cmp(p, len, "PK\x03\x04", 4)) == 1)
        return STRATA_CODEC_ZIP;
    more |= r < 0;
    if ((r = magic_cmp(p, len, "\xfd" "7zXZ\0", 6)) == 1)
        return STRATA_CODEC_XZ;
    more |= r < 0;
    if ((r = magic_cmp(p, len, "BZh", 3)) == 1) {
        if (len < 4)
            return STRATA_CODEC_AUTO;
        if (p[3] >= '1' && p[3] <= '9')
            return STRATA_CODEC_BZIP2;
    }
    more |= r < 0;
    if (STRATA_HAVE_ZSTD) {
        if ((r = magic_cmp(p, len, "\x28\xb5\x2f\xfd", 4)) == 1)
            return STRATA_CODEC_ZSTD;
        more |= r < 0;
        /* skippable frame: 0x184D2A50..5F little-endian */
        if ((p[0] & 0xf0) == 0x50) {
            if ((r = magic_cmp(p + 1, len - 1, "\x2a\x4d\x18", 3)) == 1)
                return STRATA_CODEC_ZSTD;
            more |= r < 0;
        }
    }
    /* zlib: CM 8, CINFO <= 7, no FDICT, header check multiple of 31 */
    if ((p[0] & 0x0f) == 8 && (p[0] >> 4) <= 7) {
        if (len < 2)
            more = 1;
        else if (!(p[1] & 0x20) && ((unsigned)p[0] * 256 + p[1]) % 31 == 0)
            return STRATA_CODEC_ZLIB;
    }
    return more ? STRATA_CODEC_AUTO : STRATA_CODEC_NONE;
}

/* ---- levels ------------------------------------------------------------------ */

apr_status_t strata__codec_level(strata_codec_t codec, int level, int *out)
{
    int lo = 0, hi = 9, def = 6;

    switch (codec) {
    case STRATA_CODEC_GZIP: case STRATA_CODEC_ZLIB: case STRATA_CODEC_DEFLATE:
        break;
    case STRATA_CODEC_BZIP2:
        lo = 1; def = 9;
        break;
    case STRATA_CODEC_XZ:
        break;
    case STRATA_CODEC_ZSTD:
#if STRATA_HAVE_ZSTD
        lo = 1; hi = ZSTD_maxCLevel(); def = 3;
        break;
#else
        return STRATA_ENOTSUP;
#endif
    default:
        return APR_EINVAL;
    }
    if (level == STRATA_LEVEL_DEFAULT)
        level = def;
    if (level < lo || level > hi)
        return APR_EINVAL;
    *out = level;
    return APR_SUCCESS;
}

/* ---- the counting allocator -------------------------------------------------- */

/* Each block carries its size in a header big enough for any alignment. */
typedef union alloc_hdr {
    apr_size_t size;
    void *p;
    double d;
    long double ld;
    apr_uint64_t u;
} alloc_hdr;

void strata__alloc_init(strata__alloc_t *a, apr_size_t cap)
{
    a->current = 0;
    a->peak = 0;
    a->cap = cap;
    a->refused = 0;
}

void *strata__alloc(strata__alloc_t *a, apr_size_t size)
{
    apr_uint64_t now, peak;
    alloc_hdr *h;

    if (size > APR_SIZE_MAX - sizeof(alloc_hdr))
        return NULL;
    now = apr_atomic_add64(&a->current, size) + size;
    if (a->cap && now > a->cap) {
        apr_atomic_sub64(&a->current, size);
        apr_atomic_set32(&a->refused, 1);
        return NULL;
    }
    h = malloc(sizeof(alloc_hdr) + size);
    if (h == NULL) {
        apr_atomic_sub64(&a->current, size);
        return NULL;
    }
    h->size = size;
    while ((peak = apr_atomic_read64(&a->peak)) < now
           && apr_atomic_cas64(&a->peak, now, peak) != peak)
        ;
    return h + 1;
}

void *strata__alloc_n(strata__alloc_t *a, apr_size_t n, apr_size_t size)
{
    if (size != 0 && n > APR_SIZE_MAX / size)
        return NULL;
    return strata__alloc(a, n * size);
}

void strata__alloc_free(strata__alloc_t *a, void *p)
{
    alloc_hdr *h;

    if (p == NULL)
        return;
    h = (alloc_hdr *)p - 1;
    apr_atomic_sub64(&a->current, h->size);
    free(h);
}

int strata__alloc_charge(strata__alloc_t *a, apr_size_t size)
{
    apr_uint64_t now, peak;

    now = apr_atomic_add64(&a->current, size) + size;
    if (a->cap && now > a->cap) {
        apr_atomic_sub64(&a->current, size);
        apr_atomic_set32(&a->refused, 1);
        return 0;
    }
    while ((peak = apr_atomic_read64(&a->peak)) < now
           && apr_atomic_cas64(&a->peak, now, peak) != peak)
        ;
    return 1;
}

void strata__alloc_uncharge(strata__alloc_t *a, apr_size_t size)
{
    apr_atomic_sub64(&a->current, size);
}

apr_status_t strata__alloc_status(strata__alloc_t *a)
{
    return apr_atomic_read32(&a->refused) ? STRATA_ELIMIT_MEMORY : APR_ENOMEM;
}

/* ---- engine dispatch ------------------------------------------------------------ */

apr_status_t strata__codec_init(strata__codec_t *c)
{
    strata_engine_t asked = c->engine;
    apr_status_t rv;

    c->engine = STRATA_ENGINE_AUTO;     /* set by the gzip family's init */
    if (c->encode) {
        rv = strata__codec_level(c->codec, c->level, &c->level);
        if (rv != APR_SUCCESS)
            return rv;
    }
    switch (c->codec) {
    case STRATA_CODEC_GZIP: case STRATA_CODEC_ZLIB: case STRATA_CODEC_DEFLATE:
        rv = strata__engine_pick(asked, c->encode ? STRATA__USE_ENCODE
                                                      : STRATA__USE_DECODE,
                                 c->level, c->alloc->cap, &c->engine,
                                 &c->engine_level);
        if (rv != APR_SUCCESS)
            return rv;
        c->engine_auto = asked == STRATA_ENGINE_AUTO
                         && !strata__engine_env_forces();
        if (c->engine == STRATA_ENGINE_ISAL)
            return strata__isal_init(c);
        if (c->engine == STRATA_ENGINE_LIBDEFLATE)
            return strata__libdeflate_init(c);
        return strata__zlib_init(c);
    case STRATA_CODEC_LZW:
        return strata__lzw_init(c);
    case STRATA_CODEC_PACK:
        return strata__pack_init(c);
    case STRATA_CODEC_ZIP:
        return strata__zip_init(c);
    case STRATA_CODEC_BZIP2:
        return strata__bzip2_init(c);
    case STRATA_CODEC_XZ:
        return strata__xz_init(c);
    case STRATA_CODEC_ZSTD:
#if STRATA_HAVE_ZSTD
        return strata__zstd_init(c);
#else
        return STRATA_ENOTSUP;
#endif
    default:
        return APR_EINVAL;
    }
}

apr_status_t strata__codec_write_out(strata_stream_t *inner,
                                     const unsigned char *buf, apr_size_t len,
                                     apr_size_t *done)
{
    unsigned retries = 0;
    apr_size_t n;
    apr_status_t rv;

    *done = 0;
    while (*done < len) {
        rv = strata_write(inner, buf + *done, len - *done, &n);
        *done += n;
        if (rv == APR_SUCCESS) {
            retries = 0;
            continue;
        }
        if ((APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv))
            && ++retries < 10000) {
            if (APR_STATUS_IS_EAGAIN(rv) && retries > 100)
                apr_sleep(1000);
            continue;
        }
        return rv;
    }
    return APR_SUCCESS;
}

unsigned strata__codec_depth(const strata_stream_t *s)
{
    unsigned n = 0;

    for (; s != NULL; s = s->inner)
        if (strata_stream_is_codec(s))
            n++;
    return n;
}
