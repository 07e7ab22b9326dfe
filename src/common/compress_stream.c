/*
 * compress_stream.c -- the four codec decorators over one engine
 * (strata_codec_private.h): compressing writer and reader, decompressing
 * reader and writer.
 *
 * One state machine per stream (cs_state), one fixed buffer (the input
 * buffer of a reader, the output buffer of a writer), one cleanup path
 * (cs_close ends the engine), codec errors sticky, inner errors not.
 * Readers decode or encode straight into the caller's buffer.
 */
#include "strata_codec_private.h"
#include <apr_strings.h>
#include <string.h>

#define CS_BUFSIZE   ((apr_size_t)64 * 1024)
#define CS_MAX_STALL 16                 /* no-progress calls before giving up */
#define CS_DEFAULT_DEC_MEMORY ((apr_size_t)256 * 1024 * 1024)
#define CS_DEFAULT_GRACE STRATA_RATIO_GRACE_DEFAULT

typedef enum cs_state {
    CS_DETECT,      /* auto: collecting the magic bytes */
    CS_RUN,         /* coding: compressing, or inside a member */
    CS_FLUSHING,    /* compressing writer: a sync flush in progress */
    CS_FINISHING,   /* writing the trailer / finishing a decoder's input */
    CS_BETWEEN,     /* decoder: a member ended, another may follow */
    CS_PLAIN,       /* auto with pass-through: not compressed; or the
                       bytes after the members (STRATA_TRAILING_PASS) */
    CS_TRAILING,    /* reader: dropping what follows the members (_STOP) */
    CS_DONE         /* everything produced */
} cs_state;

typedef struct codec_stream_t {
    strata_stream_t base;           /* must be first */
    strata__codec_t c;
    strata__alloc_t alloc;
    int live;                       /* the engine is set up */
    cs_state state;
    int encode, reader;
    strata_codec_t codec;           /* detected, or as asked */
    apr_status_t err;               /* sticky codec error */
    unsigned char *buf;             /* reader: input; writer: output */
    apr_size_t pos, len;            /* unread/unwritten bytes: [pos, len) */
    unsigned char detect[16];       /* auto writer: the first bytes */
    apr_size_t dlen, dpos;
    int in_eof;                     /* reader: inner reached EOF */
    unsigned stalls;
    strata_decompress_opts_t d;
    apr_uint64_t plain, coded, members;
    unsigned char *ghdr;            /* gzip reader: the input's first bytes */
    apr_size_t ghdr_len;            /* (the first member's header) */
    unsigned char tail[16];         /* trailing: bytes the engine held, */
    apr_size_t tail_len, tail_pos;  /* which come first */
    int trailing_on;                /* past the members (PASS / STOP) */
    apr_uint64_t trail_bytes;       /* what followed them: how much, */
    int trail_nonzero;              /* whether any was not 0, */
    unsigned char trail_head[4];    /* and how it began */
} codec_stream_t;

#define CS_GHDR_CAP 4096            /* most header bytes kept */

/* ---- helpers ------------------------------------------------------------- */

static apr_status_t cs_fail(codec_stream_t *cs, apr_status_t rv)
{
    if (rv == APR_EGENERAL || rv == STRATA_EBADDATA || STRATA_STATUS_IS_LIMIT(rv)
        || rv == STRATA_ETRUNCATED || rv == APR_ENOMEM)
        cs->err = rv;
    return rv;
}

/* Plain bytes this decoder may still produce, given @seen compressed
 * bytes in total, and which limit binds (*which: STRATA_ELIMIT_OUTPUT or
 * STRATA_ELIMIT_RATIO; may be NULL).  The ratio is measured on totals and
 * only past the grace: total output <= max(ratio_grace, max_ratio * seen). */
static apr_uint64_t cs_allowance_of(const codec_stream_t *cs,
                                    apr_uint64_t seen, apr_status_t *which)
{
    apr_uint64_t allow = APR_UINT64_MAX, cap;

    if (which != NULL)
        *which = STRATA_ELIMIT_OUTPUT;
    if (cs->d.max_output)
        allow = cs->d.max_output > cs->plain ? cs->d.max_output - cs->plain : 0;
    if (cs->d.max_ratio) {
        cap = seen > APR_UINT64_MAX / cs->d.max_ratio
              ? APR_UINT64_MAX : seen * cs->d.max_ratio;
        if (cap < cs->d.ratio_grace)
            cap = cs->d.ratio_grace;
        cap = cap > cs->plain ? cap - cs->plain : 0;
        if (cap < allow) {
            allow = cap;
            if (which != NULL)
                *which = STRATA_ELIMIT_RATIO;
        }
    }
    return allow;
}

static apr_status_t cs_engine_start(codec_stream_t *cs, strata_codec_t codec)
{
    apr_status_t rv;

    cs->codec = codec;
    cs->c.codec = codec;
    if ((rv = strata__codec_init(&cs->c)) != APR_SUCCESS)
        return rv;
    cs->live = 1;
    return APR_SUCCESS;
}

/*
 * One decoder call on the input already set in cs->c, producing into
 * out[0..outlen) within the limits.  *produced is the plain output;
 * *progress says whether anything moved.  A member end moves the state.
 */
static apr_status_t cs_decode(codec_stream_t *cs, unsigned char *out,
                              apr_size_t outlen, apr_uint64_t seen, int op,
                              apr_size_t *produced, int *progress)
{
    apr_status_t which;
    apr_uint64_t allow = cs_allowance_of(cs, seen, &which);
    unsigned char probe;
    apr_size_t in_before = cs->c.avail_in;
    int probing = 0;
    apr_status_t rv;

    if (allow == 0) {               /* anything more is past the limit */
        out = &probe;
        outlen = 1;
        probing = 1;
    } else if (outlen > allow) {
        outlen = (apr_size_t)allow;
    }
    cs->c.next_out = out;
    cs->c.avail_out = outlen;
    rv = cs->c.vt->run(&cs->c, op);
    *produced = outlen - cs->c.avail_out;
    *progress = *produced > 0 || cs->c.avail_in != in_before;
    if (probing && *produced > 0) {
        *produced = 0;
        return cs_fail(cs, which);
    }
    cs->plain += *produced;
    if (APR_STATUS_IS_EOF(rv)) {
        cs->members++;
        cs->state = cs->d.first_member_only || cs->c.self_concat
                    ? CS_DONE : CS_BETWEEN;
        *progress = 1;
        return APR_SUCCESS;
    }
    if (rv != APR_SUCCESS)
        return cs_fail(cs, rv);
    return APR_SUCCESS;
}

/* Reader: read more input from the inner stream into the buffer. */
static apr_status_t cs_fill(codec_stream_t *cs)
{
    apr_size_t n;
    apr_status_t rv;

    if (cs->pos == cs->len) {
        cs->pos = cs->len = 0;
    } else if (cs->len == CS_BUFSIZE) {
        memmove(cs->buf, cs->buf + cs->pos, cs->len - cs->pos);
        cs->len -= cs->pos;
        cs->pos = 0;
    }
    rv = strata_read(cs->base.inner, cs->buf + cs->len, CS_BUFSIZE - cs->len,
                     &n);
    if (cs->ghdr != NULL && cs->ghdr_len < CS_GHDR_CAP
        && cs->coded == cs->ghdr_len) {         /* the input's first bytes */
        apr_size_t k = CS_GHDR_CAP - cs->ghdr_len < n
                       ? CS_GHDR_CAP - cs->ghdr_len : n;
        memcpy(cs->ghdr + cs->ghdr_len, cs->buf + cs->len, k);
        cs->ghdr_len += k;
    }
    cs->len += n;
    if (cs->encode)
        cs->plain += n;
    else
        cs->coded += n;
    if (APR_STATUS_IS_EOF(rv))
        cs->in_eof = 1;
    return rv;
}

/* Writer: push the pending output to the inner stream. */
static apr_status_t cs_drain(codec_stream_t *cs)
{
    apr_size_t n;
    apr_status_t rv;

    while (cs->pos < cs->len) {
        rv = strata_write(cs->base.inner, cs->buf + cs->pos,
                          cs->len - cs->pos, &n);
        cs->pos += n;
        if (rv != APR_SUCCESS)
            return rv;
    }
    cs->pos = cs->len = 0;
    return APR_SUCCESS;
}

/* Decide the codec from the magic bytes at @p (auto); len is all there is
 * when @at_end.  APR_EAGAIN-like APR_INCOMPLETE: need more bytes. */
static apr_status_t cs_detect(codec_stream_t *cs, const unsigned char *p,
                              apr_size_t len, int at_end)
{
    strata_codec_t codec = strata_codec_detect(p, len);
    apr_status_t rv;

    if (codec == STRATA_CODEC_AUTO && !at_end)
        return APR_INCOMPLETE;
    if (codec == STRATA_CODEC_AUTO || codec == STRATA_CODEC_NONE) {
        if (cs->d.passthrough) {
            cs->codec = STRATA_CODEC_NONE;
            cs->state = CS_PLAIN;
            return APR_SUCCESS;
        }
        return cs_fail(cs, len == 0 ? STRATA_ETRUNCATED : STRATA_EBADDATA);
    }
    if ((rv = cs_engine_start(cs, codec)) != APR_SUCCESS)
        return cs_fail(cs, rv == APR_ENOMEM || STRATA_STATUS_IS_LIMIT(rv)
                           ? rv : APR_EGENERAL);
    cs->state = CS_RUN;
    return APR_SUCCESS;
}

/* ---- decompressing reader -------------------------------------------------- */

/* Count trailing bytes p[0..n) (strata_codec_trailing). */
static void cs_trail_note(codec_stream_t *cs, const unsigned char *p,
                          apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++) {
        if (cs->trail_bytes + i < sizeof(cs->trail_head))
            cs->trail_head[cs->trail_bytes + i] = p[i];
        if (p[i] != 0)
            cs->trail_nonzero = 1;
    }
    cs->trail_bytes += n;
}

/* Between gzip members with a trailing mode: does another member follow
 * (APR_SUCCESS), are more bytes needed to know (APR_INCOMPLETE), or not
 * (APR_EOF: the state has moved to CS_PLAIN or CS_TRAILING)?  The bytes
 * the engine held past the last member's end come first. */
static apr_status_t cs_trailing_check(codec_stream_t *cs)
{
    unsigned char m[2];
    apr_size_t k = 0, i;

    for (i = 0; i < cs->c.held && k < 2; i++)
        m[k++] = cs->c.held_at[i];
    for (i = cs->pos; i < cs->len && k < 2; i++)
        m[k++] = cs->buf[i];
    if (k < 2 && !cs->in_eof)
        return APR_INCOMPLETE;
    if (k == 2 && m[0] == 0x1f && m[1] == 0x8b)
        return APR_SUCCESS;
    cs->tail_len = cs->c.held < sizeof(cs->tail) ? cs->c.held
                                                 : sizeof(cs->tail);
    if (cs->tail_len > 0)
        memcpy(cs->tail, cs->c.held_at, cs->tail_len);
    cs->tail_pos = 0;
    cs->trailing_on = 1;
    cs->state = cs->d.trailing == STRATA_TRAILING_PASS ? CS_PLAIN
                                                       : CS_TRAILING;
    return APR_EOF;
}

/* CS_TRAILING: read to the end of the input, counting. */
static apr_status_t cs_trailing_drop(codec_stream_t *cs)
{
    apr_status_t rv;

    cs_trail_note(cs, cs->tail + cs->tail_pos, cs->tail_len - cs->tail_pos);
    cs->tail_pos = cs->tail_len;
    for (;;) {
        cs_trail_note(cs, cs->buf + cs->pos, cs->len - cs->pos);
        cs->pos = cs->len;
        if (cs->in_eof) {
            cs->state = CS_DONE;
            return APR_EOF;
        }
        rv = cs_fill(cs);
        if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
            return rv;
    }
}

static apr_status_t dec_read_plain(codec_stream_t *cs, unsigned char *out,
                                   apr_size_t len, apr_size_t *n)
{
    apr_status_t which, rv = APR_SUCCESS;
    apr_uint64_t allow = cs_allowance_of(cs, APR_UINT64_MAX / 2, &which);

    if (allow == 0) {
        /* at the limit: fine only if nothing follows */
        if (cs->pos == cs->len && !cs->in_eof) {
            rv = cs_fill(cs);
            if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
                return rv;
        }
        return cs->pos < cs->len ? cs_fail(cs, which) : APR_EOF;
    }
    if (len > allow)
        len = (apr_size_t)allow;
    if (cs->tail_pos < cs->tail_len) {  /* held by the engine: first */
        *n = cs->tail_len - cs->tail_pos < len ? cs->tail_len - cs->tail_pos
                                               : len;
        memcpy(out, cs->tail + cs->tail_pos, *n);
        cs->tail_pos += *n;
    } else if (cs->pos < cs->len) {
        *n = cs->len - cs->pos < len ? cs->len - cs->pos : len;
        memcpy(out, cs->buf + cs->pos, *n);
        cs->pos += *n;
    } else if (cs->in_eof) {
        return APR_EOF;
    } else {
        rv = strata_read(cs->base.inner, out, len, n);
        cs->coded += *n;
    }
    if (cs->trailing_on)
        cs_trail_note(cs, out, *n);
    cs->plain += *n;
    return rv;
}

static apr_status_t dec_read(codec_stream_t *cs, unsigned char *out,
                             apr_size_t len, apr_size_t *n)
{
    apr_size_t produced;
    int progress;
    apr_status_t rv;

    for (;;) {
        switch (cs->state) {
        case CS_DONE:
            return APR_EOF;
        case CS_PLAIN:
            return dec_read_plain(cs, out, len, n);
        case CS_TRAILING:
            return cs_trailing_drop(cs);
        case CS_DETECT:
            rv = cs_detect(cs, cs->buf + cs->pos, cs->len - cs->pos,
                           cs->in_eof);
            if (rv == APR_INCOMPLETE) {
                rv = cs_fill(cs);
                if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
                    return rv;
            } else if (rv != APR_SUCCESS) {
                return rv;
            }
            continue;
        case CS_BETWEEN:
            if (cs->pos == cs->len && cs->c.held == 0) {
                if (cs->in_eof) {
                    cs->state = CS_DONE;
                    return APR_EOF;
                }
                rv = cs_fill(cs);
                if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
                    return rv;
                continue;
            }
            if (cs->d.trailing != STRATA_TRAILING_ERROR
                && cs->codec == STRATA_CODEC_GZIP
                && (rv = cs_trailing_check(cs)) != APR_SUCCESS) {
                if (rv == APR_INCOMPLETE) {
                    rv = cs_fill(cs);
                    if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
                        return rv;
                }
                continue;
            }
            if ((rv = cs->c.vt->reset(&cs->c)) != APR_SUCCESS)
                return cs_fail(cs, rv);
            cs->state = CS_RUN;
            continue;
        default:
            break;
        }
        /* CS_RUN / CS_FINISHING: decode into the caller's buffer */
        cs->c.next_in = cs->buf + cs->pos;
        cs->c.avail_in = cs->len - cs->pos;
        rv = cs_decode(cs, out, len, cs->coded,
                       cs->state == CS_FINISHING ? STRATA__OP_FINISH
                                                 : STRATA__OP_RUN,
                       &produced, &progress);
        cs->pos = cs->len - cs->c.avail_in;
        if (rv != APR_SUCCESS) {
            /* output made before a codec error goes out first; the error
             * is sticky and comes on the next call */
            if (produced > 0 && rv == cs->err) {
                *n = produced;
                return APR_SUCCESS;
            }
            return rv;
        }
        if (produced > 0) {
            cs->stalls = 0;
            *n = produced;
            return APR_SUCCESS;
        }
        if (progress) {
            cs->stalls = 0;
            continue;
        }
        if (cs->pos < cs->len || cs->state == CS_FINISHING) {
            if (++cs->stalls > CS_MAX_STALL)
                return cs_fail(cs, cs->state == CS_FINISHING
                                   ? STRATA_ETRUNCATED : STRATA_EBADDATA);
            continue;
        }
        if (cs->in_eof) {
            if (!cs->c.self_concat)
                return cs_fail(cs, STRATA_ETRUNCATED);
            cs->state = CS_FINISHING;
            continue;
        }
        rv = cs_fill(cs);
        if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
            return rv;
    }
}

/* ---- compressing reader ---------------------------------------------------- */

static apr_status_t enc_read(codec_stream_t *cs, unsigned char *out,
                             apr_size_t len, apr_size_t *n)
{
    apr_size_t in_before;
    apr_status_t rv;

    for (;;) {
        if (cs->state == CS_DONE)
            return APR_EOF;
        cs->c.next_in = cs->buf + cs->pos;
        cs->c.avail_in = in_before = cs->len - cs->pos;
        cs->c.next_out = out;
        cs->c.avail_out = len;
        rv = cs->c.vt->run(&cs->c, cs->in_eof ? STRATA__OP_FINISH
                                              : STRATA__OP_RUN);
        cs->pos = cs->len - cs->c.avail_in;
        *n = len - cs->c.avail_out;
        cs->coded += *n;
        if (APR_STATUS_IS_EOF(rv) && cs->in_eof) {
            cs->state = CS_DONE;
            cs->members++;
            return *n > 0 ? APR_SUCCESS : APR_EOF;
        }
        if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv)) {
            *n = 0;
            return cs_fail(cs, rv);
        }
        if (*n > 0) {
            cs->stalls = 0;
            return APR_SUCCESS;
        }
        if (cs->c.avail_in != in_before) {
            cs->stalls = 0;
            continue;
        }
        if (cs->in_eof || cs->pos < cs->len) {
            if (++cs->stalls > CS_MAX_STALL)
                return cs_fail(cs, APR_EGENERAL);
            continue;
        }
        rv = cs_fill(cs);
        if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
            return rv;
    }
}

static apr_status_t cs_read(strata_stream_t *s, void *buf, apr_size_t len,
                            apr_size_t *n)
{
    codec_stream_t *cs = (codec_stream_t *)s;

    if (cs->err)
        return cs->err;
    if (len == 0)
        return APR_SUCCESS;
    return cs->encode ? enc_read(cs, buf, len, n) : dec_read(cs, buf, len, n);
}

/* ---- writers ------------------------------------------------------------------ */

/* Compress in[0..len) into the free part of the output buffer. */
static apr_status_t enc_step(codec_stream_t *cs, const unsigned char *in,
                             apr_size_t len, int op, apr_size_t *used)
{
    apr_size_t out_before = CS_BUFSIZE - cs->len;
    apr_status_t rv;

    cs->c.next_in = in;
    cs->c.avail_in = len;
    cs->c.next_out = cs->buf + cs->len;
    cs->c.avail_out = out_before;
    rv = cs->c.vt->run(&cs->c, op);
    *used = len - cs->c.avail_in;
    cs->len += out_before - cs->c.avail_out;
    cs->coded += out_before - cs->c.avail_out;
    cs->plain += *used;
    if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
        return cs_fail(cs, rv);
    if (*used == 0 && out_before == cs->c.avail_out && !APR_STATUS_IS_EOF(rv)) {
        if (++cs->stalls > CS_MAX_STALL)
            return cs_fail(cs, APR_EGENERAL);
    } else {
        cs->stalls = 0;
    }
    return rv;
}

/* Decode in[0..len) into the free part of the output buffer. */
static apr_status_t dec_step(codec_stream_t *cs, const unsigned char *in,
                             apr_size_t len, int op, apr_size_t *used)
{
    apr_size_t produced;
    int progress;
    apr_status_t rv;

    *used = 0;
    switch (cs->state) {
    case CS_DONE:                       /* first member only: drop the rest */
        if (cs->d.first_member_only) {
            *used = len;
            cs->coded += len;
            return APR_SUCCESS;
        }
        return cs_fail(cs, STRATA_EBADDATA);
    case CS_BETWEEN:
        if (len == 0 && cs->c.held == 0)
            return APR_SUCCESS;
        if ((rv = cs->c.vt->reset(&cs->c)) != APR_SUCCESS)
            return cs_fail(cs, rv);
        cs->state = CS_RUN;
        return APR_SUCCESS;
    case CS_PLAIN: {
        apr_status_t which;
        apr_uint64_t allow = cs_allowance_of(cs, APR_UINT64_MAX / 2, &which);
        apr_size_t room = CS_BUFSIZE - cs->len;
        if (len > 0 && allow == 0)
            return cs_fail(cs, which);
        if (room > len)
            room = len;
        if (room > allow)
            room = (apr_size_t)allow;
        if (room > 0)
            memcpy(cs->buf + cs->len, in, room);
        cs->len += room;
        cs->plain += room;
        cs->coded += room;
        *used = room;
        return APR_SUCCESS;
    }
    default:
        break;
    }
    cs->c.next_in = in;
    cs->c.avail_in = len;
    rv = cs_decode(cs, cs->buf + cs->len, CS_BUFSIZE - cs->len,
                   cs->coded + len, op, &produced, &progress);
    *used = len - cs->c.avail_in;
    cs->coded += *used;
    cs->len += produced;
    if (rv != APR_SUCCESS)
        return rv;
    if (!progress && cs->len < CS_BUFSIZE) {
        if (len > 0 || op == STRATA__OP_FINISH) {
            if (++cs->stalls > CS_MAX_STALL)
                return cs_fail(cs, op == STRATA__OP_FINISH
                                   ? STRATA_ETRUNCATED : STRATA_EBADDATA);
        }
    } else {
        cs->stalls = 0;
    }
    return APR_SUCCESS;
}

/* Auto decompressing writer: collect the magic, then decide. */
static apr_status_t dec_detect_write(codec_stream_t *cs, const unsigned char *in,
                                     apr_size_t len, int at_end,
                                     apr_size_t *used)
{
    apr_size_t take = sizeof(cs->detect) - cs->dlen;
    apr_status_t rv;

    if (take > len)
        take = len;
    if (take > 0)
        memcpy(cs->detect + cs->dlen, in, take);
    cs->dlen += take;
    *used = take;
    rv = cs_detect(cs, cs->detect, cs->dlen,
                   at_end || cs->dlen == sizeof(cs->detect));
    return rv == APR_INCOMPLETE ? APR_SUCCESS : rv;
}

/* One step of a writer over in[0..len): detection bytes first. */
static apr_status_t wr_step(codec_stream_t *cs, const unsigned char *in,
                            apr_size_t len, int op, apr_size_t *used)
{
    apr_size_t n;
    apr_status_t rv;

    *used = 0;
    if (cs->encode)
        return enc_step(cs, in, len, op, used);
    if (cs->state == CS_DETECT)
        return dec_detect_write(cs, in, len, op == STRATA__OP_FINISH, used);
    if (cs->dpos < cs->dlen) {          /* replay the detection bytes */
        rv = dec_step(cs, cs->detect + cs->dpos, cs->dlen - cs->dpos, op, &n);
        cs->dpos += n;
        return rv;
    }
    return dec_step(cs, in, len, op, used);
}

static apr_status_t cs_complete(codec_stream_t *cs, int op, cs_state until,
                                int final);

static apr_status_t cs_write(strata_stream_t *s, const void *buf,
                             apr_size_t len, apr_size_t *n)
{
    codec_stream_t *cs = (codec_stream_t *)s;
    const unsigned char *p = buf;
    apr_size_t used;
    apr_status_t rv;

    if (cs->err)
        return cs->err;
    if ((rv = cs_drain(cs)) != APR_SUCCESS)
        return rv;
    if (cs->state == CS_FLUSHING) {    /* an interrupted sync flush ends first */
        if ((rv = cs_complete(cs, STRATA__OP_SYNC, CS_RUN, 0)) != APR_SUCCESS)
            return rv;
    }
    while (*n < len) {
        if (cs->len == CS_BUFSIZE) {
            rv = cs_drain(cs);
            if (rv != APR_SUCCESS)
                return *n > 0 ? APR_SUCCESS : rv;
        }
        rv = wr_step(cs, p + *n, len - *n, STRATA__OP_RUN, &used);
        *n += used;
        if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
            return rv;
    }
    return APR_SUCCESS;
}

/* Run @op to completion (encoder: SYNC or FINISH; decoder: FINISH),
 * draining as the buffer fills; @final: retry inner EINTR/EAGAIN here. */
static apr_status_t cs_complete(codec_stream_t *cs, int op, cs_state until,
                                int final)
{
    apr_size_t used, done;
    apr_status_t rv;

    while (cs->state != until) {
        if (cs->len == CS_BUFSIZE) {
            if (final) {
                rv = strata__codec_write_out(cs->base.inner, cs->buf + cs->pos,
                                             cs->len - cs->pos, &done);
                cs->pos += done;
                if (rv == APR_SUCCESS)
                    cs->pos = cs->len = 0;
            } else {
                rv = cs_drain(cs);
            }
            if (rv != APR_SUCCESS)
                return rv;
        }
        rv = wr_step(cs, NULL, 0, op, &used);
        if (APR_STATUS_IS_EOF(rv) && cs->encode) {
            cs->state = until;
            if (op == STRATA__OP_FINISH)
                cs->members++;
        }
        else if (rv != APR_SUCCESS && !APR_STATUS_IS_EOF(rv))
            return rv;
    }
    return APR_SUCCESS;
}

static apr_status_t cs_flush(strata_stream_t *s, int mode)
{
    codec_stream_t *cs = (codec_stream_t *)s;
    apr_status_t rv;

    if (cs->reader)
        return strata_flush(s->inner, mode);
    if (cs->err)
        return cs->err;
    if (cs->encode && mode >= STRATA_FLUSH_SYNC && cs->state == CS_RUN)
        cs->state = CS_FLUSHING;
    if (cs->state == CS_FLUSHING) {
        rv = cs_complete(cs, STRATA__OP_SYNC, CS_RUN, 0);
        if (rv != APR_SUCCESS)
            return rv;
    }
    if ((rv = cs_drain(cs)) != APR_SUCCESS)
        return rv;
    return strata_flush(s->inner, mode);
}

/* End of a decompressing writer's input: the member must be complete. */
static apr_status_t dec_finish(codec_stream_t *cs)
{
    apr_size_t used;
    apr_status_t rv;

    if (cs->state == CS_DETECT) {
        rv = wr_step(cs, NULL, 0, STRATA__OP_FINISH, &used);
        if (rv != APR_SUCCESS)
            return rv;
    }
    while (cs->dpos < cs->dlen && cs->state != CS_PLAIN) {
        if (cs->len == CS_BUFSIZE)
            return APR_SUCCESS;            /* caller drains and calls again */
        rv = wr_step(cs, NULL, 0, STRATA__OP_RUN, &used);
        if (rv != APR_SUCCESS)
            return rv;
    }
    if (cs->state == CS_PLAIN && cs->dpos < cs->dlen) {
        rv = dec_step(cs, cs->detect + cs->dpos, cs->dlen - cs->dpos,
                      STRATA__OP_RUN, &used);
        cs->dpos += used;
        return rv;
    }
    if (cs->state == CS_BETWEEN && cs->c.held > 0) {
        /* the engine holds the start of what follows a member: run it */
        rv = wr_step(cs, NULL, 0, STRATA__OP_RUN, &used);
        if (rv == APR_SUCCESS && cs->state == CS_RUN)
            rv = wr_step(cs, NULL, 0, STRATA__OP_RUN, &used);
        if (rv != APR_SUCCESS)
            return rv;
    }
    if (cs->state == CS_RUN && cs->c.self_concat)
        cs->state = CS_FINISHING;
    while (cs->state == CS_FINISHING && cs->len < CS_BUFSIZE) {
        rv = wr_step(cs, NULL, 0, STRATA__OP_FINISH, &used);
        if (rv != APR_SUCCESS)
            return rv;
    }
    if (cs->state == CS_RUN)
        return cs_fail(cs, STRATA_ETRUNCATED);
    return APR_SUCCESS;
}

static apr_status_t cs_shutdown(strata_stream_t *s)
{
    codec_stream_t *cs = (codec_stream_t *)s;
    apr_status_t rv = cs->err, rv2;
    apr_size_t done;
    unsigned rounds = 0;

    if (rv == APR_SUCCESS && cs->encode && cs->state == CS_FLUSHING)
        rv = cs_complete(cs, STRATA__OP_SYNC, CS_RUN, 1);
    if (rv == APR_SUCCESS && cs->encode) {
        cs->state = CS_FINISHING;
        rv = cs_complete(cs, STRATA__OP_FINISH, CS_DONE, 1);
    } else if (rv == APR_SUCCESS) {
        /* decoder: finish the input, draining as the buffer fills */
        while (rv == APR_SUCCESS && ++rounds < 1000000) {
            rv = dec_finish(cs);
            if (rv != APR_SUCCESS || cs->len < CS_BUFSIZE)
                break;
            rv = strata__codec_write_out(s->inner, cs->buf + cs->pos,
                                         cs->len - cs->pos, &done);
            cs->pos = cs->len = 0;
        }
    }
    if (cs->pos < cs->len) {           /* what was produced still goes out */
        rv2 = strata__codec_write_out(s->inner, cs->buf + cs->pos,
                                      cs->len - cs->pos, &done);
        cs->pos = cs->len = 0;
        if (rv == APR_SUCCESS)
            rv = rv2;
    }
    return strata__shutdown_inner(s, rv);
}

static apr_status_t cs_close(strata_stream_t *s)
{
    codec_stream_t *cs = (codec_stream_t *)s;

    if (cs->live)
        cs->c.vt->end(&cs->c);
    cs->live = 0;
    return APR_SUCCESS;
}

static apr_status_t cs_control(strata_stream_t *s, int op, void *arg)
{
    return strata_control(s->inner, op, arg);
}

/* ---- for seeking a decompressing reader (compress_seek.c) ------------------ */

int strata__cs_positions(const strata_stream_t *s, apr_uint64_t *plain,
                         apr_uint64_t *coded)
{
    const codec_stream_t *cs = (const codec_stream_t *)s;

    if (cs->encode || !cs->reader)
        return 0;
    *plain = cs->plain;
    *coded = cs->coded;
    return 1;
}

apr_status_t strata__cs_restart(strata_stream_t *s, int detect)
{
    codec_stream_t *cs = (codec_stream_t *)s;

    if (cs->live)
        cs->c.vt->end(&cs->c);
    cs->live = 0;
    cs->pos = cs->len = 0;
    cs->in_eof = 0;
    cs->stalls = 0;
    cs->err = APR_SUCCESS;
    cs->plain = cs->coded = cs->members = 0;
    cs->tail_len = cs->tail_pos = 0;
    cs->trailing_on = cs->trail_nonzero = 0;
    cs->trail_bytes = 0;
    if (detect) {
        cs->state = CS_DETECT;
        return APR_SUCCESS;
    }
    cs->state = CS_RUN;
    return cs_fail(cs, cs_engine_start(cs, cs->codec));
}

/* ---- types and constructors ------------------------------------------------ */

#define CS_TYPE(name)                                                     \
    { STRATA_STREAM_TYPE_VERSION, name, STRATA_CAP_READ | STRATA_CAP_WRITE, \
      sizeof(codec_stream_t), cs_read, cs_write, cs_flush, strata__cs_seek, \
      cs_shutdown, cs_close, cs_control }

/* Indexed by strata_codec_t; [0] and [AUTO] are decoder-only names. */
static const strata_stream_type_t cs_types[2][11] = {
    { CS_TYPE("none"), CS_TYPE("gzip"), CS_TYPE("zlib"), CS_TYPE("deflate"),
      CS_TYPE("bzip2"), CS_TYPE("xz"), CS_TYPE("zstd"), CS_TYPE("auto"),
      CS_TYPE("lzw"), CS_TYPE("pack"), CS_TYPE("zip") },
    { CS_TYPE("none-d"), CS_TYPE("gzip-d"), CS_TYPE("zlib-d"),
      CS_TYPE("deflate-d"), CS_TYPE("bzip2-d"), CS_TYPE("xz-d"),
      CS_TYPE("zstd-d"), CS_TYPE("auto-d"), CS_TYPE("lzw-d"),
      CS_TYPE("pack-d"), CS_TYPE("zip-d") },
};

int strata_stream_is_codec(const strata_stream_t *s)
{
    const strata_stream_type_t *t;

    if (s == NULL)
        return 0;
    t = s->type;
    return (t >= &cs_types[0][0] && t <= &cs_types[1][10])
           || t == &strata__gzip_parallel_type;
}

void strata_compress_opts_init(strata_compress_opts_t *o)
{
    memset(o, 0, sizeof(*o));
    o->level = STRATA_LEVEL_DEFAULT;
}

void strata_decompress_opts_init(strata_decompress_opts_t *o)
{
    memset(o, 0, sizeof(*o));
}

/* gzip encoders: gzip(1)'s header when asked (the name copied). */
static void cs_gzip_header_opts(codec_stream_t *cs,
                                const strata_compress_opts_t *o,
                                apr_pool_t *pool)
{
    cs->c.gz_header = o->gzip_header || o->gzip_name != NULL
                      || o->gzip_mtime != 0 || o->gzip_comment != NULL;
    cs->c.gz_comment = o->gzip_comment != NULL
                       ? apr_pstrdup(pool, o->gzip_comment) : NULL;
    cs->c.gz_name = o->gzip_name != NULL ? apr_pstrdup(pool, o->gzip_name)
                                         : NULL;
    cs->c.gz_mtime = o->gzip_mtime;
}

static apr_status_t cs_create(strata_stream_t **out, strata_stream_t *inner,
                              strata_codec_t codec, int encode, int reader,
                              const strata_compress_opts_t *copts,
                              const strata_decompress_opts_t *dopts,
                              unsigned flags, apr_pool_t *pool)
{
    unsigned need = reader ? STRATA_CAP_READ : STRATA_CAP_WRITE;
    strata_compress_opts_t cdef;
    strata_decompress_opts_t ddef;
    codec_stream_t *cs;
    strata_stream_t *s;
    apr_size_t memcap;
    apr_status_t rv;

    if (copts == NULL) {                  /* NULL options: the defaults */
        strata_compress_opts_init(&cdef);
        copts = &cdef;
    }
    if (dopts == NULL) {
        strata_decompress_opts_init(&ddef);
        dopts = &ddef;
    }
    if (out == NULL || inner == NULL || pool == NULL
        || (strata_stream_caps(inner) & need) != need
        || strata_stream_is_closed(inner))
        return APR_EINVAL;
    if (codec <= STRATA_CODEC_NONE || codec > STRATA_CODEC_ZIP
        || (encode && codec == STRATA_CODEC_AUTO))
        return APR_EINVAL;
    if (encode && codec > STRATA_CODEC_AUTO)
        return STRATA_ENOTSUP;              /* decoding only */
    if (!strata_codec_available(codec))
        return STRATA_ENOTSUP;
    if (!encode && strata__codec_depth(inner) + 1
                   > (dopts->max_depth ? dopts->max_depth
                                       : STRATA_CODEC_MAX_DEPTH))
        return STRATA_ELIMIT_DEPTH;
    rv = strata_stream_alloc(&s, &cs_types[!encode][codec], inner, flags,
                             pool);
    if (rv != APR_SUCCESS)
        return rv;
    cs = (codec_stream_t *)s;
    cs->encode = encode;
    cs->reader = reader;
    cs->codec = codec;
    if (!encode) {
        cs->d = *dopts;
        if (cs->d.ratio_grace == 0)
            cs->d.ratio_grace = CS_DEFAULT_GRACE;
        if (cs->d.max_memory == 0)
            cs->d.max_memory = CS_DEFAULT_DEC_MEMORY;
    }
    memcap = encode ? copts->max_memory : cs->d.max_memory;
    strata__alloc_init(&cs->alloc, memcap);
    cs->c.alloc = &cs->alloc;
    cs->c.encode = encode;
    cs->c.level = encode ? copts->level : 0;
    cs->c.threads = encode ? copts->threads : 0;
    cs->c.max_memory = cs->d.max_memory;
    cs->c.first_only = cs->d.first_member_only;
    cs->c.engine = encode ? copts->engine : cs->d.engine;
    if (encode && codec == STRATA_CODEC_GZIP)
        cs_gzip_header_opts(cs, copts, pool);
    cs->buf = apr_palloc(pool, CS_BUFSIZE);
    if (!encode && reader
        && (codec == STRATA_CODEC_GZIP || codec == STRATA_CODEC_AUTO))
        cs->ghdr = apr_palloc(pool, CS_GHDR_CAP);
    if (codec == STRATA_CODEC_AUTO) {
        cs->state = CS_DETECT;
    } else {
        if ((rv = cs_engine_start(cs, codec)) != APR_SUCCESS)
            return rv;
        cs->state = CS_RUN;
    }
    s->caps = need | (reader && !encode ? STRATA_CAP_SEEK : 0);
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata_compress_writer(strata_stream_t **out,
                                    strata_stream_t *inner,
                                    strata_codec_t codec,
                                    const strata_compress_opts_t *opts,
                                    unsigned flags, apr_pool_t *pool)
{
    strata_compress_opts_t def;
    apr_status_t rv;
    int level;

    if (opts == NULL) {
        strata_compress_opts_init(&def);
        opts = &def;
    }
    if (codec == STRATA_CODEC_GZIP && opts->threads > 1) {
        if (out == NULL || inner == NULL || pool == NULL
            || !(strata_stream_caps(inner) & STRATA_CAP_WRITE))
            return APR_EINVAL;
        if ((rv = strata__codec_level(codec, opts->level, &level)) != APR_SUCCESS)
            return rv;
        return strata__gzip_parallel_create(out, inner, opts, level, flags,
                                            pool);
    }
    return cs_create(out, inner, codec, 1, 0, opts, NULL, flags, pool);
}

apr_status_t strata_compress_reader(strata_stream_t **out,
                                    strata_stream_t *inner,
                                    strata_codec_t codec,
                                    const strata_compress_opts_t *opts,
                                    unsigned flags, apr_pool_t *pool)
{
    return cs_create(out, inner, codec, 1, 1, opts, NULL, flags, pool);
}

apr_status_t strata_decompress_reader(strata_stream_t **out,
                                      strata_stream_t *inner,
                                      strata_codec_t codec,
                                      const strata_decompress_opts_t *opts,
                                      unsigned flags, apr_pool_t *pool)
{
    return cs_create(out, inner, codec, 0, 1, NULL, opts, flags, pool);
}

apr_status_t strata_decompress_writer(strata_stream_t **out,
                                      strata_stream_t *inner,
                                      strata_codec_t codec,
                                      const strata_decompress_opts_t *opts,
                                      unsigned flags, apr_pool_t *pool)
{
    return cs_create(out, inner, codec, 0, 0, NULL, opts, flags, pool);
}

apr_status_t strata_codec_stream_info(strata_stream_t *s,
                                      strata_codec_info_t *info)
{
    codec_stream_t *cs = (codec_stream_t *)s;

    if (s == NULL || info == NULL || !strata_stream_is_codec(s))
        return APR_EINVAL;
    if (s->type == &strata__gzip_parallel_type)
        return strata__gzip_parallel_info(s, info);
    memset(info, 0, sizeof(*info));
    info->codec = cs->state == CS_DETECT ? STRATA_CODEC_AUTO : cs->codec;
    info->compressing = cs->encode;
    info->threads = cs->encode && cs->c.threads > 1 ? cs->c.threads : 0;
    info->plain_bytes = cs->plain;
    info->coded_bytes = cs->coded;
    info->coded_used = cs->coded;
    if (cs->reader && !cs->encode && cs->len >= cs->pos
        && cs->coded >= cs->len - cs->pos)
        info->coded_used = cs->coded - (cs->len - cs->pos);
    info->members = cs->members;
    info->mem_current = (apr_size_t)cs->alloc.current;
    info->mem_peak = (apr_size_t)cs->alloc.peak;
    info->engine = cs->state == CS_DETECT || cs->state == CS_PLAIN
                   ? STRATA_ENGINE_AUTO : cs->c.engine;
    return APR_SUCCESS;
}

apr_status_t strata_gzip_header(strata_stream_t *s, strata_gzip_header_t *h,
                                apr_pool_t *pool)
{
    codec_stream_t *cs = (codec_stream_t *)s;
    apr_status_t rv;
    int complete;

    if (s == NULL || h == NULL || pool == NULL || !strata_stream_is_codec(s)
        || s->type == &strata__gzip_parallel_type || cs->ghdr == NULL)
        return APR_EINVAL;
    if (cs->state == CS_DETECT)
        return APR_INCOMPLETE;
    if (cs->codec != STRATA_CODEC_GZIP)
        return APR_EINVAL;
    complete = cs->in_eof && cs->ghdr_len == cs->coded;
    rv = strata__gzip_header_parse(cs->ghdr, cs->ghdr_len, complete, h, pool);
    if (rv == APR_INCOMPLETE && cs->ghdr_len == CS_GHDR_CAP)
        return STRATA_ENOTSUP;
    return rv;
}

apr_status_t strata_codec_trailing(strata_stream_t *s, apr_uint64_t *bytes,
                                   int *all_zero, unsigned char head[4])
{
    codec_stream_t *cs = (codec_stream_t *)s;

    if (s == NULL || !strata_stream_is_codec(s)
        || s->type == &strata__gzip_parallel_type || cs->encode
        || !cs->reader)
        return APR_EINVAL;
    if (bytes != NULL)
        *bytes = cs->trail_bytes;
    if (all_zero != NULL)
        *all_zero = !cs->trail_nonzero;
    if (head != NULL)
        memcpy(head, cs->trail_head, 4);
    return APR_SUCCESS;
}

/* ---- stacked auto-detection ---------------------------------------------------- */

/* Fill an auto reader's input until its magic decides. */
static apr_status_t cs_detect_now(codec_stream_t *cs)
{
    apr_status_t rv = APR_SUCCESS;

    while (cs->state == CS_DETECT) {
        rv = cs_detect(cs, cs->buf + cs->pos, cs->len - cs->pos, cs->in_eof);
        if (rv != APR_INCOMPLETE) {
            if (rv != APR_SUCCESS)
                return rv;
            continue;
        }
        rv = cs_fill(cs);
        if (APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EOF(rv))
            rv = APR_SUCCESS;
        if (rv != APR_SUCCESS)
            return rv;
    }
    return rv;
}

/* Each layer is an auto reader over the previous one; detection happens
 * on its own input buffer, so nothing is lost by looking.  The top layer
 * is the one that found plain data and passes it through. */
apr_status_t strata_decompress_auto_stack(strata_stream_t **out,
                                          strata_stream_t *inner,
                                          const strata_decompress_opts_t *opts,
                                          unsigned flags, unsigned *depth,
                                          apr_pool_t *pool)
{
    strata_decompress_opts_t o;
    strata_stream_t *top = inner, *bottom = NULL, *s;
    unsigned made = 0;
    apr_status_t rv;

    if (depth != NULL)
        *depth = 0;
    if (out == NULL || inner == NULL || pool == NULL)
        return APR_EINVAL;
    if (opts != NULL)
        o = *opts;
    else
        strata_decompress_opts_init(&o);
    o.max_depth = (o.max_depth ? o.max_depth : STRATA_CODEC_MAX_DEPTH) + 1;
    o.passthrough = 1;
    for (;;) {
        /* the bottom layer takes ownership of inner only on success */
        rv = strata_decompress_reader(&s, top, STRATA_CODEC_AUTO, &o,
                                      top == inner ? 0 : STRATA_OWN_INNER,
                                      pool);
        if (rv != APR_SUCCESS)
            break;
        top = s;
        if (bottom == NULL)
            bottom = s;
        if ((rv = cs_detect_now((codec_stream_t *)s)) != APR_SUCCESS)
            break;
        if (((codec_stream_t *)s)->state == CS_PLAIN) {
            if (flags & STRATA_OWN_INNER)
                strata__stream_take_inner(bottom);
            *out = top;
            if (depth != NULL)
                *depth = made;
            return APR_SUCCESS;
        }
        made++;
    }
    if (top != inner)
        strata_close(top);             /* closes every layer made, not inner */
    return rv;
}
