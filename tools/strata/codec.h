/*
 * codec.h -- the compression options every command shares (-F/--format,
 * -1..-9, --fast, --best, --level, -T/--threads, --max-output,
 * --max-ratio), the layers they put on endpoints, the copy loop with the
 * whole-run output limit, and the messages for codec errors.
 */
#ifndef STRATA_TOOL_CODEC_H
#define STRATA_TOOL_CODEC_H

#include "endpoint.h"
#include "strata/compress.h"

/* Long-only option values. */
enum { TOOL_CODEC_OPT_MAX_OUTPUT = 300, TOOL_CODEC_OPT_MAX_RATIO,
       TOOL_CODEC_OPT_FAST, TOOL_CODEC_OPT_BEST, TOOL_CODEC_OPT_LEVEL };

/* The option table entries, to be copied into a command's table.  Only
 * -1 carries help text ("-1 .. -9"); -0 and -2..-9 are hidden. */
#define TOOL_CODEC_OPTIONS                                                    \
    { "format", 'F', "FORMAT",                                                \
      "gzip, bzip2, xz, zstd, zlib, deflate, auto; lzw, pack, zip (read)" }, \
    { NULL, '1', NULL, "compression level, fastest .. best" },          \
    { NULL, '0', NULL, NULL }, { NULL, '2', NULL, NULL },                     \
    { NULL, '3', NULL, NULL }, { NULL, '4', NULL, NULL },                     \
    { NULL, '5', NULL, NULL }, { NULL, '6', NULL, NULL },                     \
    { NULL, '7', NULL, NULL }, { NULL, '8', NULL, NULL },                     \
    { NULL, '9', NULL, NULL },                                                \
    { "fast", TOOL_CODEC_OPT_FAST, NULL, "same as -1" },                      \
    { "best", TOOL_CODEC_OPT_BEST, NULL, "same as -9" },                      \
    { "level", TOOL_CODEC_OPT_LEVEL, "N",                                     \
      "any level of the codec's range (zstd: 1..19)" },                       \
    { "threads", 'T', "N", "compress on N threads (0: one per CPU)" },        \
    { "max-output", TOOL_CODEC_OPT_MAX_OUTPUT, "BYTES",                       \
      "stop past BYTES of output, whole run (K, M, G)" },               \
    { "max-ratio", TOOL_CODEC_OPT_MAX_RATIO, "N",                             \
      "decompressing: stop past N bytes out per byte in" }

typedef struct tool_codec_t {
    strata_codec_t format;          /* -F; STRATA_CODEC_AUTO if not given */
    int level;                      /* STRATA_LEVEL_DEFAULT if not given */
    unsigned threads;
    apr_size_t block_size;          /* parallel gzip: 0 = the default */
    int members;                    /* parallel gzip: a member per block */
    apr_uint64_t max_output;        /* 0: none; for the whole run */
    const char *max_output_arg;     /* as given, for messages */
    apr_uint64_t max_ratio;         /* 0: none; per decoded input */
    apr_uint64_t output_left;       /* of max_output, as the run goes */
    int gzip_header;                /* encoder: gzip(1)'s header, with */
    const char *gzip_name;          /* this name (or NULL) */
    apr_uint32_t gzip_mtime;        /* and this time (0: none) */
    int trailing;                   /* decoder: STRATA_TRAILING_* */
} tool_codec_t;

void tool_codec_init(tool_codec_t *tc);

/* Handle one parsed option: 1 handled, 0 not a codec option, -1 bad value
 * (*msg says why: a usage error). */
int tool_codec_option(tool_codec_t *tc, int optch, const char *arg,
                      const char **msg, apr_pool_t *pool);

/* After parsing: check the options against what the command will do
 * (@a decoding, and @a encoding with codec @a enc).  0 fine, -1 a usage
 * error (*msg says why). */
int tool_codec_check(const tool_codec_t *tc, int decoding, int encoding,
                     strata_codec_t enc, const char **msg, apr_pool_t *pool);

/* Put a decoder for @a codec (STRATA_CODEC_AUTO: detect; with
 * @a passthrough, plain data passes unchanged) on the input @a ep. */
apr_status_t tool_codec_push_decoder(const tool_codec_t *tc,
                                     tool_endpoint_t *ep, strata_codec_t codec,
                                     int passthrough, const char **msg,
                                     apr_pool_t *pool);

/* Put an encoder for @a codec on the output @a ep. */
apr_status_t tool_codec_push_encoder(const tool_codec_t *tc,
                                     tool_endpoint_t *ep, strata_codec_t codec,
                                     const char **msg, apr_pool_t *pool);

/* The codec a decoder layer found or was given (STRATA_CODEC_AUTO before
 * it knew, STRATA_CODEC_NONE for plain pass-through). */
strata_codec_t tool_codec_of(strata_stream_t *layer);

/* A stream layer's name for --stats: the detected codec for a decoder
 * ("gzip", not "auto-d"), else the type's name. */
const char *tool_layer_name(strata_stream_t *layer);

/* Which side of a copy failed. */
typedef enum { TOOL_SIDE_NONE, TOOL_SIDE_IN, TOOL_SIDE_OUT,
               TOOL_SIDE_LIMIT } tool_side_t;

/* strata_copy_progress_fn and its baton, or NULL. */
typedef struct tool_copy_progress_t {
    strata_copy_progress_fn *fn;
    void *baton;
} tool_copy_progress_t;

/*
 * Copy @a in to @a out (their top layers) until the end of @a in, at most
 * tc->output_left bytes when --max-output is set (then one more byte of
 * input is STRATA_ELIMIT, side TOOL_SIDE_LIMIT).  *copied is what was
 * written to @a out.  On error *side says which end failed.
 */
apr_status_t tool_copy(tool_codec_t *tc, tool_endpoint_t *in,
                       tool_endpoint_t *out, const tool_copy_progress_t *prog,
                       apr_uint64_t *copied, tool_side_t *side);

/* What follows the last gzip member when decoding failed with @a rv:
 * nothing to say (a real error), zero bytes (gzip ignores them quietly),
 * one stray non-zero byte (gzip: "unexpected end of file", an error) or
 * other bytes (gzip decodes the members, warns and exits with 2). */
typedef enum { TOOL_TRAILING_NONE, TOOL_TRAILING_ZEROS,
               TOOL_TRAILING_GARBAGE, TOOL_TRAILING_SHORT } tool_trailing_t;
tool_trailing_t tool_codec_trailing(tool_endpoint_t *in, apr_status_t rv,
                                    apr_pool_t *pool);

/*
 * A message for an error of the input @a ep that a decoder may have
 * caused: "not in gzip format", "xz data is corrupt at byte 1234",
 * "input ended early", "stopped at the ratio limit (--max-ratio 100)", or
 * strata_strerror's text for anything else.  @a want is the codec the
 * user asked for (STRATA_CODEC_AUTO: any).
 */
const char *tool_codec_error(const tool_codec_t *tc, tool_endpoint_t *ep,
                             strata_codec_t want, apr_status_t rv,
                             apr_pool_t *pool);

/* The message for hitting --max-output. */
const char *tool_codec_limit_message(const tool_codec_t *tc, apr_pool_t *pool);

/* The file suffix of @a codec (".gz", ".bz2", ".xz", ".zst", ".zz"), or
 * NULL for one without (raw deflate). */
const char *tool_codec_suffix(strata_codec_t codec);

/* If @a name ends in a known compressed suffix: its length, the codec it
 * implies and the plain suffix replacing it (".tgz" -> ".tar", else "").
 * 0 if none. */
apr_size_t tool_codec_match_suffix(const char *name, strata_codec_t *codec,
                                   const char **replacement);

/* "123", "64K", "10M", "2G" (binary multiples): 1 parsed, 0 not. */
int tool_parse_size(const char *s, apr_uint64_t *v);

#endif /* STRATA_TOOL_CODEC_H */
