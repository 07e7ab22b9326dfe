/*
 * codec.h -- the tool's compression options: -c/--compress CODEC,
 * -l/--level, -T/--threads, -d/--decompress [CODEC|auto], --max-output,
 * --max-ratio; and the layers they put on the endpoints.
 */
#ifndef STRATA_TOOL_CODEC_H
#define STRATA_TOOL_CODEC_H

#include "endpoint.h"
#include "strata/compress.h"

/* Long-only option values (above cmd_cat's own). */
enum { TOOL_CODEC_OPT_MAX_OUTPUT = 300, TOOL_CODEC_OPT_MAX_RATIO };

/* The option table entries, to be copied into a command's table. */
#define TOOL_CODEC_OPTIONS                                                    \
    { "compress", 'c', "CODEC",                                               \
      "compress the output: gzip, zlib, deflate, bzip2, xz, zstd" },          \
    { "level", 'l', "LEVEL", "compression level (codec's range; default)" },  \
    { "threads", 'T', "N", "compress on N threads (gzip, xz, zstd)" },        \
    { "decompress", 'd', NULL,                                                \
      "decompress each input; -d CODEC names the codec (default auto)" },     \
    { "max-output", TOOL_CODEC_OPT_MAX_OUTPUT, "BYTES",                       \
      "decoding: fail past BYTES of output per input (K, M, G suffixes)" },   \
    { "max-ratio", TOOL_CODEC_OPT_MAX_RATIO, "N",                             \
      "decoding: fail past N bytes out per byte in (bomb guard)" }

typedef struct tool_codec_t {
    strata_codec_t compress;        /* STRATA_CODEC_NONE: no compression */
    strata_codec_t decompress;      /* STRATA_CODEC_NONE: no decompression */
    strata_compress_opts_t c;
    strata_decompress_opts_t d;
} tool_codec_t;

/*
 * Set defaults and take "-d CODEC", "-dCODEC" and "--decompress=CODEC" out
 * of @a argv (the option parser has no optional arguments): the codec name
 * is recorded and a plain "-d" left in its place.  A word after -d that is
 * not a codec name stays an operand.  *argv_out is in @a pool.
 */
void tool_codec_prescan(tool_codec_t *tc, int argc, const char *const *argv,
                        int *argc_out, const char *const **argv_out,
                        apr_pool_t *pool);

/* Handle one parsed option: 1 handled, 0 not a codec option, -1 bad value
 * (*msg says why). */
int tool_codec_option(tool_codec_t *tc, int optch, const char *arg,
                      const char **msg, apr_pool_t *pool);

/* Put the decoding layer on an input / the encoding layer on an output, as
 * configured (nothing if not).  On failure *msg says why. */
apr_status_t tool_codec_push_input(tool_codec_t *tc, tool_endpoint_t *ep,
                                   const char **msg, apr_pool_t *pool);
apr_status_t tool_codec_push_output(tool_codec_t *tc, tool_endpoint_t *ep,
                                    const char **msg, apr_pool_t *pool);

#endif /* STRATA_TOOL_CODEC_H */
