/*
 * compress_seek.c -- seeking a decompressing reader in its plain data.
 *
 * Forward: decode and discard.  Backward: rewind the inner stream to where
 * the compressed data started (its position now, less the compressed bytes
 * read so far) and decode again from the start.  APR_END decodes to the end
 * first to learn the plain size.  The position is the plain-data offset, so
 * strata_tell() on a decompressing reader says how much it has produced.
 * Bytes decoded by a seek are not counted as reads of the reader (its
 * meters count what the caller read); the inner stream's meters count the
 * compressed bytes it delivered, as for any read.
 */
#include "strata_codec_private.h"
#include <string.h>

#define SEEK_CHUNK 16384

/* Decode and drop @want plain bytes; *got is how many went (fewer at EOF). */
static apr_status_t cs_discard(strata_stream_t *s, apr_uint64_t want,
                               apr_uint64_t *got)
{
    unsigned char scratch[SEEK_CHUNK];
    apr_size_t n;
    apr_status_t rv = APR_SUCCESS;
    unsigned eintr = 0;

    *got = 0;
    while (*got < want) {
        apr_size_t len = want - *got < SEEK_CHUNK ? (apr_size_t)(want - *got)
                                                  : SEEK_CHUNK;
        n = 0;
        rv = s->type->read(s, scratch, len, &n);
        if (n > len)
            return STRATA_EBADSTREAM;
        *got += n;
        if (n > 0) {
            rv = APR_SUCCESS;
            eintr = 0;
            continue;
        }
        if (APR_STATUS_IS_EINTR(rv) && ++eintr < 100)
            continue;
        if (rv == APR_SUCCESS)
            rv = STRATA_EBADSTREAM;      /* 0 bytes, no error: would spin */
        break;
    }
    return rv;
}

/* Back to plain offset 0: rewind the inner stream, restart the decoder. */
static apr_status_t cs_rewind(strata_stream_t *s, apr_uint64_t coded)
{
    apr_off_t inner_pos, start;
    apr_status_t rv;

    rv = strata_tell(s->inner, &inner_pos);
    if (rv != APR_SUCCESS)
        return rv;              /* STRATA_ENOTSUP: cannot go back */
    start = inner_pos - (apr_off_t)coded;
    if (start < 0)
        return STRATA_EBADSTREAM;
    rv = strata_seek(s->inner, start, APR_SET, NULL);
    if (rv != APR_SUCCESS)
        return rv;
    return strata__cs_restart(s, strcmp(strata_stream_name(s), "auto-d") == 0);
}

apr_status_t strata__cs_seek(strata_stream_t *s, apr_off_t offset, int where,
                             apr_off_t *newpos)
{
    apr_uint64_t plain, coded, got, target;
    apr_status_t rv;
    apr_off_t t;

    if (!strata__cs_positions(s, &plain, &coded))
        return STRATA_ENOTSUP;
    if (where == APR_END) {
        rv = cs_discard(s, APR_UINT64_MAX, &got);
        if (!APR_STATUS_IS_EOF(rv))
            return rv;
        strata__cs_positions(s, &plain, &coded);
        t = (apr_off_t)plain + offset;
    } else if (where == APR_CUR) {
        t = (apr_off_t)plain + offset;
    } else {
        t = offset;
    }
    if (t < 0)
        return APR_EINVAL;
    target = (apr_uint64_t)t;
    if (target < plain) {
        if ((rv = cs_rewind(s, coded)) != APR_SUCCESS)
            return rv;
        plain = 0;
    }
    rv = cs_discard(s, target - plain, &got);
    strata__cs_positions(s, &plain, &coded);
    *newpos = (apr_off_t)plain;
    if (plain == target)
        return APR_SUCCESS;
    /* APR_EOF: the data ends before @target; else the error that stopped */
    return rv == APR_SUCCESS ? STRATA_EBADSTREAM : rv;
}
