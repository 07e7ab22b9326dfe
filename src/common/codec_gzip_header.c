/*
 * codec_gzip_header.c -- the gzip member header (RFC 1952) as gzip(1)
 * writes it, for every engine that writes gzip (zlib through
 * deflateSetHeader, ISA-L, libdeflate, the parallel writer), and its
 * parse for strata_gzip_header().
 */
#include "strata_codec_private.h"
#include <apr_strings.h>
#include <string.h>

#define GZH_FTEXT    1
#define GZH_FHCRC    2
#define GZH_FEXTRA   4
#define GZH_FNAME    8
#define GZH_FCOMMENT 16

int strata__gzip_xfl(int level)
{
    return level >= 9 ? 2 : level <= 1 ? 4 : 0;   /* gzip's and zlib's */
}

apr_size_t strata__gzip_header_len(const char *name, const char *comment)
{
    return 10 + (name != NULL ? strlen(name) + 1 : 0)
              + (comment != NULL ? strlen(comment) + 1 : 0);
}

apr_size_t strata__gzip_header_put(unsigned char *p, int level,
                                   const char *name, const char *comment,
                                   apr_uint32_t mtime)
{
    apr_size_t n = 10;
    apr_uint32_t t = mtime;

    p[0] = 0x1f;
    p[1] = 0x8b;
    p[2] = 8;                                   /* deflate */
    p[3] = (unsigned char)((name != NULL ? GZH_FNAME : 0)
                           | (comment != NULL ? GZH_FCOMMENT : 0));
    p[4] = (unsigned char)t;
    p[5] = (unsigned char)(t >> 8);
    p[6] = (unsigned char)(t >> 16);
    p[7] = (unsigned char)(t >> 24);
    p[8] = (unsigned char)strata__gzip_xfl(level);
    p[9] = STRATA__GZIP_OS;
    if (name != NULL) {
        apr_size_t len = strlen(name) + 1;

        memcpy(p + n, name, len);
        n += len;
    }
    if (comment != NULL) {              /* FCOMMENT follows FNAME */
        apr_size_t len = strlen(comment) + 1;

        memcpy(p + n, comment, len);
        n += len;
    }
    return n;
}

apr_status_t strata__gzip_header_parse(const unsigned char *p, apr_size_t n,
                                       int complete, strata_gzip_header_t *h,
                                       apr_pool_t *pool)
{
    apr_size_t pos = 10, start;
    unsigned flg;

    if (n < 10)
        return complete ? STRATA_ETRUNCATED : APR_INCOMPLETE;
    if (p[0] != 0x1f || p[1] != 0x8b || p[2] != 8)
        return STRATA_EBADDATA;
    flg = p[3];
    memset(h, 0, sizeof(*h));
    h->mtime = (apr_uint32_t)p[4] | (apr_uint32_t)p[5] << 8
               | (apr_uint32_t)p[6] << 16 | (apr_uint32_t)p[7] << 24;
    h->xfl = p[8];
    h->os = p[9];
    h->text = (flg & GZH_FTEXT) != 0;
    if (flg & GZH_FEXTRA) {
        if (pos + 2 > n)
            return complete ? STRATA_ETRUNCATED : APR_INCOMPLETE;
        pos += 2 + ((apr_size_t)p[pos] | (apr_size_t)p[pos + 1] << 8);
    }
    if (flg & GZH_FNAME) {
        for (start = pos; pos < n && p[pos] != 0; pos++)
            ;
        if (pos >= n)
            return complete ? STRATA_ETRUNCATED : APR_INCOMPLETE;
        h->name = apr_pstrmemdup(pool, (const char *)p + start, pos - start);
        pos++;
    }
    if (flg & GZH_FCOMMENT) {
        for (start = pos; pos < n && p[pos] != 0; pos++)
            ;
        if (pos >= n)
            return complete ? STRATA_ETRUNCATED : APR_INCOMPLETE;
        h->comment = apr_pstrmemdup(pool, (const char *)p + start,
                                    pos - start);
        pos++;
    }
    if (flg & GZH_FHCRC)
        pos += 2;
    if (pos > n)
        return complete ? STRATA_ETRUNCATED : APR_INCOMPLETE;
    h->header_len = pos;
    return APR_SUCCESS;
}
