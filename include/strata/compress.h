/*
 * strata/compress.h -- compression filters as stackable stream decorators.
 *
 * Codecs: gzip, zlib and raw deflate (zlib), bzip2 (libbz2), xz (liblzma)
 * and zstd (libzstd, when the build found it; see strata_codec_available()).
 * Each codec works in all four directions, each a decorator over any stream:
 *
 *   strata_compress_writer()    plain written in, compressed out to inner
 *   strata_decompress_reader()  compressed read from inner, plain read out
 *   strata_compress_reader()    plain read from inner, compressed read out
 *   strata_decompress_writer()  compressed written in, plain out to inner
 *
 * Every layer is an ordinary stream and is metered by the dispatcher, so a
 * gzip writer over a file shows the logical bytes written on the gzip layer
 * and the compressed bytes on the file layer.
 *
 * Errors common to all decoders: STRATA_EBADDATA for corrupt input (bad
 * magic, bad checksum, invalid bit stream, trailing garbage after a member),
 * STRATA_ETRUNCATED when the input ends inside a member (or is empty), and
 * a limit code naming the limit reached: STRATA_ELIMIT_OUTPUT (max_output),
 * STRATA_ELIMIT_RATIO (max_ratio), STRATA_ELIMIT_MEMORY (max_memory, an xz
 * dictionary or zstd window too large), STRATA_ELIMIT_DEPTH (max_depth);
 * STRATA_STATUS_IS_LIMIT() is true for all of them.  These are sticky:
 * every later read or write of that stream returns the same code.  A
 * decoder hands out the output it made before the error first (with
 * APR_SUCCESS); the error comes on the next call.  Errors of the inner
 * stream (APR_EINTR, APR_EAGAIN, I/O errors) pass up unchanged and are not
 * sticky: nothing was lost, call again.
 *
 * Limits are per stream: each decoder layer counts its own totals from its
 * creation, across all the members / frames it decodes, and two layers (or
 * two streams) never share them.  A program that opens one decoder per
 * input file gets limits per input.
 *
 * Failure.  An error of a writer (or a spent quota on it) marks the stack
 * under it failed (strata_stream_failed()): closing it then writes no
 * trailer and an atomic-replace file at the base is discarded.
 * strata_abort() on any layer discards the whole stack under it.
 *
 * Codec memory is allocated through strata's counting allocator (zlib,
 * bzip2, liblzma and, where the library allows it, zstd), so it can be
 * capped (max_memory) and read back (strata_codec_stream_info()).
 */
#ifndef STRATA_COMPRESS_H
#define STRATA_COMPRESS_H

#include "strata/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The codecs.  Values are stable. */
typedef enum strata_codec_t {
    STRATA_CODEC_UNKNOWN = -1,  /**< not a codec name / not detected */
    STRATA_CODEC_NONE = 0,      /**< plain, uncompressed data */
    STRATA_CODEC_GZIP = 1,      /**< RFC 1952, multi-member */
    STRATA_CODEC_ZLIB = 2,      /**< RFC 1950 */
    STRATA_CODEC_DEFLATE = 3,   /**< RFC 1951, raw, no header or checksum */
    STRATA_CODEC_BZIP2 = 4,
    STRATA_CODEC_XZ = 5,
    STRATA_CODEC_ZSTD = 6,
    STRATA_CODEC_AUTO = 7,      /**< decoders only: detect by magic bytes */
    STRATA_CODEC_LZW = 8,       /**< decoders only: compress(1)'s ".Z"
                                     (magic 1f 9d), as gzip -d reads it;
                                     encoders give STRATA_ENOTSUP */
    STRATA_CODEC_PACK = 9,      /**< decoders only: pack(1)'s Huffman ".z"
                                     (magic 1f 1e), as gzip -d reads it */
    STRATA_CODEC_ZIP = 10       /**< decoders only: the first entry of a
                                     zip file ("PK\3\4", deflated or
                                     stored), as gzip -d reads it */
} strata_codec_t;

/**
 * The engines that can code gzip, zlib and raw deflate.  zlib is always
 * there; ISA-L (streaming, fast inflate and low-level deflate) and
 * libdeflate (whole blocks, fast at mid and high levels) when the build
 * found them (strata_engine_available()).  Every engine writes standard
 * output and every decorator feature works the same on each.  Values are
 * stable.
 */
typedef enum strata_engine_t {
    STRATA_ENGINE_AUTO = 0,       /**< the table in docs/compression.md */
    STRATA_ENGINE_ZLIB = 1,
    STRATA_ENGINE_ISAL = 2,
    STRATA_ENGINE_LIBDEFLATE = 3
} strata_engine_t;

/** Environment variable that forces an engine when the options leave it
 *  at STRATA_ENGINE_AUTO: "zlib", "isal", "libdeflate" or "auto". */
#define STRATA_ENGINE_ENV "STRATA_GZIP_ENGINE"

/** Non-zero if @a engine is built in (AUTO and ZLIB always are). */
STRATA_API int strata_engine_available(strata_engine_t engine);

/** "auto", "zlib", "isal", "libdeflate", or "unknown". */
STRATA_API const char *strata_engine_name(strata_engine_t engine);

/** The engine called @a name (case-insensitive; "isa-l" too), or -1. */
STRATA_API int strata_engine_from_name(const char *name);

/** One line naming the built engines and the library versions built
 *  against, e.g. "zlib 1.2.13, isal 2.30.0, libdeflate 1.14" (a constant
 *  string). */
STRATA_API const char *strata_engines_built(void);

/** Default level for every codec (gzip/zlib/deflate 6, bzip2 9, xz 6,
 *  zstd 3). */
#define STRATA_LEVEL_DEFAULT (-1)

/** Default ratio grace: output a decoder may produce before max_ratio is
 *  checked (see strata_decompress_opts_t). */
#define STRATA_RATIO_GRACE_DEFAULT ((apr_uint64_t)16 * 1024 * 1024)

/** Default bound on the number of codec layers in one stack. */
#define STRATA_CODEC_MAX_DEPTH 5

/**
 * The codec called @a name (case-insensitive): "gzip" ("gz"), "zlib",
 * "deflate" ("raw"), "bzip2" ("bz2"), "xz", "zstd" ("zst"), "lzw"
 * ("compress"), "pack", "zip", "auto", "none".
 * STRATA_CODEC_UNKNOWN for anything else, and for "zstd" when the library
 * was built without zstd.
 */
STRATA_API strata_codec_t strata_codec_from_name(const char *name);

/** The canonical name of @a codec ("gzip", ...), or "unknown". */
STRATA_API const char *strata_codec_name(strata_codec_t codec);

/** Non-zero if @a codec can be used in this build (zstd may be absent). */
STRATA_API int strata_codec_available(strata_codec_t codec);

/**
 * Identify compressed data by the magic bytes at the start of @a buf:
 * gzip 1f 8b 08, bzip2 "BZh1".."BZh9", xz fd "7zXZ" 00, LZW 1f 9d, pack
 * 1f 1e, zip "PK\3\4", zstd 28 b5 2f fd
 * (or a skippable frame), zlib a valid two-byte header (CM 8, window <= 32K,
 * no preset dictionary).  Returns the codec; STRATA_CODEC_NONE when no
 * magic can match; STRATA_CODEC_AUTO when @a len is too short to decide
 * (give more bytes, or treat as NONE at the end of input).  Raw deflate has
 * no magic and is never detected.
 */
STRATA_API strata_codec_t strata_codec_detect(const void *buf, apr_size_t len);

/** Options for the compressing directions; zero-filled means defaults
 *  except level, so start from strata_compress_opts_init(). */
typedef struct strata_compress_opts_t {
    /** STRATA_LEVEL_DEFAULT or the codec's range: gzip/zlib/deflate 0..9,
     *  bzip2 1..9, xz 0..9, zstd 1..ZSTD_maxCLevel().  Else APR_EINVAL. */
    int level;
    /** Worker threads; 0 or 1: none.  gzip writer: parallel blocks on an
     *  apr_thread_pool (the gzip reader ignores it); xz: liblzma's
     *  multi-threaded encoder; zstd: libzstd's workers (when built with
     *  them); others ignore it. */
    unsigned threads;
    /** Parallel gzip: uncompressed bytes per block; 0 = 128 KiB. */
    apr_size_t block_size;
    /** Parallel gzip: 0 = one gzip member with sync points between blocks
     *  (as pigz writes), non-zero = one independent member per block. */
    int gzip_members;
    /** Cap on the codec's own memory in bytes; 0 = no cap.  Reaching it
     *  fails with STRATA_ELIMIT_MEMORY. */
    apr_size_t max_memory;
    /** gzip, zlib, deflate: the engine; STRATA_ENGINE_AUTO (0) = the
     *  environment variable STRATA_ENGINE_ENV if set, else the fastest
     *  engine whose output is no larger than zlib's at this level (within
     *  0.5 %).  An engine that cannot do the job (libdeflate has no
     *  streaming decoder) leaves it to zlib.  Asking for an engine the
     *  build lacks is STRATA_ENOTSUP; the variable is then ignored.  The
     *  automatic choice avoids libdeflate's block buffers (a few MiB)
     *  under a max_memory below 8 MiB. */
    strata_engine_t engine;
    /** Parallel gzip (threads > 1): the executor whose workers compress the
     *  blocks, or NULL for threads of the stream's own (started with the
     *  stream, joined by close).  With an executor, @a threads still sets
     *  how many blocks may be in flight; the executor must outlive the
     *  stream (close waits for its blocks).  A block the executor cancels
     *  (strata_executor_destroy with STRATA_EXECUTOR_CANCEL) fails the
     *  stream with STRATA_ECANCELED; one it refuses (closed, no memory) is
     *  compressed on the writer's own thread.  Other codecs ignore it
     *  (xz's and zstd's threads are their libraries'). */
    struct strata_executor_t *executor;
    /** gzip: non-zero writes each member's header as gzip(1) does, the same
     *  bytes on every engine: FNAME gzip_name (if not NULL), MTIME
     *  gzip_mtime, XFL 2 at level 9 and 4 at levels 0 and 1 (else 0), OS 3
     *  (Unix).  0 (the default): the engine's own header, no name, MTIME 0
     *  (ISA-L writes XFL 0 and OS 255; zlib the OS it was built for).
     *  Setting gzip_name or gzip_mtime implies it.  Other codecs ignore
     *  these three fields. */
    int gzip_header;
    /** gzip: the original file name stored in the header (gzip -N; the base
     *  name only, as gzip stores it), or NULL.  Copied when the stream is
     *  made. */
    const char *gzip_name;
    /** gzip: the header's MTIME, seconds since 1970-01-01 UTC; 0 = none (as
     *  gzip -n and gzip reading a pipe write). */
    apr_uint32_t gzip_mtime;
    /** gzip: a comment stored in the header (FCOMMENT), or NULL.  Copied
     *  when the stream is made; setting it implies gzip_header.  Read back
     *  with strata_gzip_header(). */
    const char *gzip_comment;
} strata_compress_opts_t;

/** Options for the decompressing directions; start from
 *  strata_decompress_opts_init(). */
typedef struct strata_decompress_opts_t {
    /** Most plain bytes this layer produces; 0 = no limit.  Reaching it
     *  while more output would follow gives STRATA_ELIMIT_OUTPUT; exactly
     *  max_output bytes of output is fine. */
    apr_uint64_t max_output;
    /** Most plain bytes per compressed byte, on totals; 0 = no limit.
     *  Not checked until the output passes ratio_grace; from then on the
     *  total output may be at most max_ratio times the total compressed
     *  bytes read so far (from the inner stream, up to 64 KiB ahead of the
     *  decoder; for a writer, passed to write).  So the output never exceeds
     *  max(ratio_grace, max_ratio * input) at any point, and nothing past
     *  it is produced; going past gives STRATA_ELIMIT_RATIO.  Data that is
     *  very compressible only at its start (a log: 116:1 over its first
     *  64 KiB, 17:1 overall) passes; a bomb stops at the grace. */
    apr_uint64_t max_ratio;
    /** Output allowed before the ratio is checked; 0 = 16 MiB
     *  (STRATA_RATIO_GRACE_DEFAULT). */
    apr_uint64_t ratio_grace;
    /** Cap on the decoder's own memory (xz dictionary, zstd window, ...);
     *  0 = 256 MiB.  A stream that declares more gives
     *  STRATA_ELIMIT_MEMORY. */
    apr_size_t max_memory;
    /** Non-zero: stop after the first member/stream and ignore what
     *  follows (reader: not decoded, though up to 64 KiB of it may have
     *  been read ahead from the inner stream; writer: accepted, dropped).
     *  Default: concatenated members are all decoded, and anything after
     *  a member that is not a valid member is STRATA_EBADDATA. */
    int first_member_only;
    /** With STRATA_CODEC_AUTO: data with no known magic passes through
     *  unchanged instead of failing with STRATA_EBADDATA. */
    int passthrough;
    /** Most codec layers in the stack including this one; 0 =
     *  STRATA_CODEC_MAX_DEPTH.  A deeper stack is refused
     *  (STRATA_ELIMIT_DEPTH). */
    unsigned max_depth;
    /** gzip, zlib, deflate (also when detected by AUTO): the decoding
     *  engine, as strata_compress_opts_t.engine (libdeflate decodes whole
     *  buffers only, so asking for it gives zlib here). */
    strata_engine_t engine;
    /** gzip readers: what to do with bytes after a complete member that do
     *  not start another member (a reader only; writers always take
     *  STRATA_TRAILING_ERROR).  See strata_codec_trailing(). */
    int trailing;
} strata_decompress_opts_t;

/** Values of strata_decompress_opts_t.trailing. */
#define STRATA_TRAILING_ERROR 0 /**< STRATA_EBADDATA (the default) */
#define STRATA_TRAILING_PASS  1 /**< pass them on unchanged as plain data,
                                     as gzip -cdf does */
#define STRATA_TRAILING_STOP  2 /**< read them to the end of the input and
                                     drop them: the reader ends with
                                     APR_EOF after the last member */

/** Fill @a o with the defaults (level STRATA_LEVEL_DEFAULT, no threads). */
STRATA_API void strata_compress_opts_init(strata_compress_opts_t *o);

/** Fill @a o with the defaults (no output/ratio limit, 256 MiB memory,
 *  all members, no pass-through). */
STRATA_API void strata_decompress_opts_init(strata_decompress_opts_t *o);

/**
 * Create a compressing writer over @a inner (which must be writable):
 * bytes written to it are compressed with @a codec and written to @a inner.
 * strata_flush() with STRATA_FLUSH_BUFFERS writes what the codec has
 * already emitted; with STRATA_FLUSH_SYNC (or _DURABLE) it first makes all
 * input so far decodable (zlib sync flush, bzip2 end of block, xz block
 * flush, zstd frame flush), then flushes @a inner with the same mode.
 * strata_shutdown_write() / strata_close() write the trailer; then, with
 * STRATA_OWN_INNER, the inner stream is shut down too, else only flushed
 * (so more may be written to it, e.g. another member).
 * A write that fails on @a inner after accepting input reports the accepted
 * count with APR_SUCCESS; the compressed bytes wait and go out first on the
 * next call: nothing is lost.  Shutdown retries APR_EINTR/APR_EAGAIN a
 * bounded number of times.
 * @a opts may be NULL (defaults).  Returns APR_EINVAL for a bad codec,
 * level or stream, STRATA_ENOTSUP for a codec absent from the build,
 * APR_ENOMEM / STRATA_ELIMIT_MEMORY if the codec cannot be set up; on failure
 * @a inner is untouched.  With threads > 1 and gzip the writer is the
 * parallel one (see strata_compress_opts_t).
 */
STRATA_API apr_status_t strata_compress_writer(strata_stream_t **out,
                                               strata_stream_t *inner,
                                               strata_codec_t codec,
                                               const strata_compress_opts_t *opts,
                                               unsigned flags, apr_pool_t *pool);

/**
 * Create a compressing reader over @a inner (which must be readable): reads
 * return the compressed form of what @a inner yields; at @a inner's EOF the
 * trailer follows, then APR_EOF.  Errors of @a inner pass up with 0 bytes
 * and the call can be repeated.  Arguments and failures as
 * strata_compress_writer().
 */
STRATA_API apr_status_t strata_compress_reader(strata_stream_t **out,
                                               strata_stream_t *inner,
                                               strata_codec_t codec,
                                               const strata_compress_opts_t *opts,
                                               unsigned flags, apr_pool_t *pool);

/**
 * Create a decompressing reader over @a inner: reads return the plain data
 * of the compressed stream @a inner yields, to its end (all members unless
 * first_member_only), then APR_EOF.
 * It seeks in the plain data (strata_seek, strata_tell give plain offsets):
 * forward by decoding and discarding, backward by rewinding @a inner (which
 * must then be seekable, else the seek fails with its error, e.g.
 * STRATA_ENOTSUP) and decoding again; APR_END decodes to the end first.
 * A seek past the end stops there and returns APR_EOF (strata_tell() then
 * gives the plain size).  @a codec may be STRATA_CODEC_AUTO.
 * Errors: see the top of this header.  @a opts may be NULL.  Construction
 * fails with STRATA_ELIMIT_DEPTH when the stack would have more than
 * max_depth codec layers, APR_EINVAL for bad arguments, STRATA_ENOTSUP for an absent
 * codec; @a inner is then untouched.
 */
STRATA_API apr_status_t strata_decompress_reader(strata_stream_t **out,
                                                 strata_stream_t *inner,
                                                 strata_codec_t codec,
                                                 const strata_decompress_opts_t *opts,
                                                 unsigned flags, apr_pool_t *pool);

/**
 * Create a decompressing writer over @a inner: compressed bytes written to
 * it are decoded and the plain data written to @a inner (through a 64 KiB
 * buffer: strata_flush() pushes it down; with STRATA_CODEC_AUTO the first
 * bytes are held until the magic decides).  A write reports
 * the compressed bytes accepted; a decoding error or limit comes with the
 * count accepted before it.  strata_shutdown_write() / strata_close() fail
 * with STRATA_ETRUNCATED if the input ended inside a member (or was empty),
 * then shut down (STRATA_OWN_INNER) or flush @a inner.  Else as
 * strata_decompress_reader().
 */
STRATA_API apr_status_t strata_decompress_writer(strata_stream_t **out,
                                                 strata_stream_t *inner,
                                                 strata_codec_t codec,
                                                 const strata_decompress_opts_t *opts,
                                                 unsigned flags, apr_pool_t *pool);

/**
 * Stack decompressing readers over @a inner as long as the data is
 * compressed (auto-detected, e.g. a .tar.gz.xz), with pass-through at the
 * bottom of plain data, at most @a opts->max_depth layers.  *out is the
 * top; every layer owns the one below it, and the bottom one owns @a inner
 * if @a flags has STRATA_OWN_INNER.  *depth (may be NULL) is the number of
 * layers made (0: @a inner was plain; *out is then still a pass-through
 * reader).  STRATA_ELIMIT_DEPTH if the data is still compressed at
 * max_depth.
 * Reads ahead a few bytes of each layer (retrying APR_EINTR): an error of
 * @a inner (APR_EAGAIN too) fails the call and nothing is left behind
 * except @a inner, whose bytes read so far are lost.
 */
STRATA_API apr_status_t strata_decompress_auto_stack(strata_stream_t **out,
                                                     strata_stream_t *inner,
                                                     const strata_decompress_opts_t *opts,
                                                     unsigned flags,
                                                     unsigned *depth,
                                                     apr_pool_t *pool);

/** What a codec layer reports about itself. */
typedef struct strata_codec_info_t {
    strata_codec_t codec;       /**< the codec (detected one for AUTO;
                                     NONE for plain pass-through, AUTO
                                     before detection) */
    int compressing;            /**< non-zero: compressor */
    unsigned threads;           /**< worker threads in use (0: none) */
    apr_uint64_t plain_bytes;   /**< uncompressed bytes in or out */
    apr_uint64_t coded_bytes;   /**< compressed bytes in or out */
    apr_uint64_t members;       /**< members / streams / frames finished */
    apr_size_t mem_current;     /**< codec memory now held */
    apr_size_t mem_peak;        /**< high-water mark of codec memory */
    strata_engine_t engine;     /**< gzip/zlib/deflate: the engine that
                                     runs (AUTO before detection and for
                                     the other codecs) */
    apr_uint64_t coded_used;    /**< decompressing reader: compressed bytes
                                     the codec consumed (coded_bytes less
                                     what waits in its buffer; near where
                                     a corruption was found); else
                                     coded_bytes */
} strata_codec_info_t;

/** Fill @a info for the codec layer @a s.  APR_EINVAL if @a s is not a
 *  codec stream (made by this header's constructors).  Works on a closed
 *  stream (memory figures are then 0 and the peak stays). */
STRATA_API apr_status_t strata_codec_stream_info(strata_stream_t *s,
                                                 strata_codec_info_t *info);

/**
 * The library that codes on the codec layer @a s: "zlib", "isal" or
 * "libdeflate" for gzip/zlib/deflate, "bzip2", "xz", "zstd" for the
 * others; NULL if @a s is not a codec layer or has not yet detected its
 * codec (or found plain data).  Static storage.
 */
STRATA_API const char *strata_codec_engine_name(strata_stream_t *s);

/** What strata_gzip_header() reports of a gzip member's header. */
typedef struct strata_gzip_header_t {
    const char *name;           /**< FNAME, or NULL (from the caller's pool) */
    const char *comment;        /**< FCOMMENT, or NULL (same) */
    apr_uint32_t mtime;         /**< MTIME; 0: none */
    int xfl, os, text;          /**< XFL, OS, the FTEXT flag */
    apr_size_t header_len;      /**< the header's length in bytes */
} strata_gzip_header_t;

/**
 * The header of the first gzip member a gzip decoding reader @a s (also
 * STRATA_CODEC_AUTO that found gzip) has read, with strings copied into
 * @a pool.  Call it after the first read (or at any time after).
 * APR_SUCCESS: *h filled.  APR_INCOMPLETE: not read that far yet.
 * STRATA_ETRUNCATED: the input ended inside the header.  STRATA_EBADDATA:
 * not a gzip header.  STRATA_ENOTSUP: a header over 64 KiB (a name or
 * comment that long; the data still decodes).  APR_EINVAL: @a s is not a
 * decompressing reader of gzip.
 */
STRATA_API apr_status_t strata_gzip_header(strata_stream_t *s,
                                           strata_gzip_header_t *h,
                                           apr_pool_t *pool);

/**
 * The bytes a gzip reader made with trailing = STRATA_TRAILING_PASS or
 * _STOP found after its last complete member: *bytes how many (0: none;
 * with _STOP known at the end of the input), *all_zero whether they were
 * all zero bytes (gzip ignores those quietly), and their first
 * min(4, *bytes) bytes in head[].  Any pointer may be NULL.  APR_EINVAL
 * if @a s is not a decompressing reader.
 */
STRATA_API apr_status_t strata_codec_trailing(strata_stream_t *s,
                                              apr_uint64_t *bytes,
                                              int *all_zero,
                                              unsigned char head[4]);

/** Non-zero if @a s is a codec layer made by this header. */
STRATA_API int strata_stream_is_codec(const strata_stream_t *s);

#ifdef __cplusplus
}
#endif
#endif /* STRATA_COMPRESS_H */
