/*
 * strata_codec_private.h -- the codec engine shared by the compression
 * decorators (compress_stream.c, compress_gzip_parallel.c) and the codec
 * back ends (codec_zlib.c, codec_bzip2.c, codec_xz.c, codec_zstd.c).
 *
 * An engine is one codec in one direction with a zlib-like interface: the
 * caller sets next_in/avail_in and next_out/avail_out (apr_size_t; back ends
 * feed their libraries in bounded pieces) and calls run with an op.
 */
#ifndef STRATA_CODEC_PRIVATE_H
#define STRATA_CODEC_PRIVATE_H

#include "strata_private.h"
#include "strata/compress.h"

/* ---- the counting allocator ---------------------------------------------- */

/* Every codec allocation goes through this; counters are atomic because
 * liblzma's and libzstd's workers may allocate from their threads. */
typedef struct strata__alloc_t {
    volatile apr_uint64_t current;   /* bytes held */
    volatile apr_uint64_t peak;      /* high-water mark */
    apr_uint64_t cap;                /* 0: none */
    volatile apr_uint32_t refused;   /* an allocation hit the cap */
} strata__alloc_t;

void strata__alloc_init(strata__alloc_t *a, apr_size_t cap);
void *strata__alloc(strata__alloc_t *a, apr_size_t size);
void *strata__alloc_n(strata__alloc_t *a, apr_size_t n, apr_size_t size);
void strata__alloc_free(strata__alloc_t *a, void *p);
/* Count @size bytes a library allocated on its own (libdeflate's
 * compressor): 0 if the cap refuses them. */
int strata__alloc_charge(strata__alloc_t *a, apr_size_t size);
void strata__alloc_uncharge(strata__alloc_t *a, apr_size_t size);
/* STRATA_ELIMIT_MEMORY if the cap refused an allocation, else APR_ENOMEM. */
apr_status_t strata__alloc_status(strata__alloc_t *a);

/* ---- the engine ---------------------------------------------------------- */

/* Ops for run(). */
#define STRATA__OP_RUN    0   /* consume input, produce what is ready */
#define STRATA__OP_SYNC   1   /* encoder: make all input so far decodable */
#define STRATA__OP_FINISH 2   /* encoder: write the trailer; decoder: the
                                 input has ended (self_concat back ends) */

typedef struct strata__codec_t strata__codec_t;

typedef struct strata__codec_vt {
    /* Advance the codec.  Returns APR_SUCCESS (progress or not: the caller
     * compares the pointers), APR_EOF when the op is complete (encoder:
     * SYNC done / FINISH done; decoder: a member/stream ended), or
     * STRATA_EBADDATA, STRATA_ETRUNCATED, STRATA_ELIMIT_MEMORY, APR_ENOMEM. */
    apr_status_t (*run)(strata__codec_t *c, int op);
    /* Decoder: be ready for the next member.  */
    apr_status_t (*reset)(strata__codec_t *c);
    /* Release everything; safe to call once after a successful init. */
    void (*end)(strata__codec_t *c);
} strata__codec_vt;

struct strata__codec_t {
    const strata__codec_vt *vt;
    strata_codec_t codec;
    int encode;
    const unsigned char *next_in;
    apr_size_t avail_in;
    unsigned char *next_out;
    apr_size_t avail_out;
    int self_concat;            /* decoder walks concatenated streams itself
                                   and needs OP_FINISH at the end of input */
    int level;
    unsigned threads;
    apr_uint64_t max_memory;    /* decoder memory limit (xz, zstd) */
    int first_only;
    strata_engine_t engine;     /* gzip/zlib/deflate: asked (in), the one
                                   running (after init) */
    int engine_level;           /* the engine's own level for c->level */
    int engine_auto;            /* the engine was the automatic choice (not
                                   forced by option or environment) */
    apr_size_t held;            /* decoder: input bytes it holds for the
                                   next member (more input than avail_in) */
    const unsigned char *held_at; /* decoder: where the held bytes are */
    int gz_header;              /* gzip encoder: write gzip(1)'s header */
    const char *gz_name;        /* its FNAME (owned by the stream), or NULL */
    const char *gz_comment;     /* its FCOMMENT (the same), or NULL */
    apr_uint32_t gz_mtime;      /* its MTIME */
    strata__alloc_t *alloc;     /* owned by the stream */
    void *state;                /* the back end's, from alloc */
};

/* Back ends: set up @c (codec, encode, level, threads, alloc, max_memory,
 * first_only already filled in).  On failure nothing is left allocated. */
apr_status_t strata__zlib_init(strata__codec_t *c);
apr_status_t strata__bzip2_init(strata__codec_t *c);
apr_status_t strata__xz_init(strata__codec_t *c);
apr_status_t strata__zstd_init(strata__codec_t *c);
apr_status_t strata__lzw_init(strata__codec_t *c);     /* decoder only */
apr_status_t strata__pack_init(strata__codec_t *c);    /* decoder only */
apr_status_t strata__zip_init(strata__codec_t *c);     /* decoder only */

/* The optional gzip/zlib/deflate engines (STRATA_ENOTSUP when absent). */
apr_status_t strata__isal_init(strata__codec_t *c);
apr_status_t strata__libdeflate_init(strata__codec_t *c);

/* ---- engine choice (codec_engine.c) -------------------------------------- */

/* What an engine is asked to do. */
#define STRATA__USE_DECODE  0   /* streaming decoder */
#define STRATA__USE_ENCODE  1   /* streaming encoder (writer, reader) */
#define STRATA__USE_BLOCKS  2   /* parallel gzip: primed blocks, one member */
#define STRATA__USE_MEMBERS 3   /* parallel gzip: one member per block */

/* Pick the engine for @use at zlib level @level (encoders; resolved):
 * @asked, else the environment variable, else the table; an engine that
 * cannot do @use falls back to zlib.  @cap (0: none) steers the automatic
 * choice only: a streaming encoder's memory cap, or the parallel writer's
 * block size when the caller set one (libdeflate needs large blocks).  *elevel is the engine's own level.  STRATA_ENOTSUP when @asked
 * is not built, APR_EINVAL when it is not an engine. */
apr_status_t strata__engine_pick(strata_engine_t asked, int use, int level,
                                 apr_uint64_t cap, strata_engine_t *engine,
                                 int *elevel);

/* ISA-L whole blocks for the parallel writer (codec_isal.c): a state for
 * the engine @level (NULL: no memory), its release, and one block as raw
 * deflate primed with dict[0..dlen), ended by a sync flush or, @final, as
 * the last block; the length, 0 if it failed or did not fit. */
void *strata__isal_block_new(strata__alloc_t *a, int level);
void strata__isal_block_free(strata__alloc_t *a, void *b);
apr_size_t strata__isal_block(void *b, const unsigned char *dict,
                              apr_size_t dlen, const unsigned char *in,
                              apr_size_t n, unsigned char *out,
                              apr_size_t cap, int final);

/* libdeflate (codec_libdeflate.c), shared with the parallel writer: a
 * compressor for the engine @level, counted in @a (NULL if the cap or
 * memory refuses), and its release. */
void *strata__ldef_alloc(strata__alloc_t *a, int level);
void strata__ldef_free(strata__alloc_t *a, void *comp, int level);
/* Compress in[0..n) as raw deflate into out[0..cap): the length, 0 if it
 * did not fit; @cont: make it continuable (strata__deflate_unfinal). */
apr_size_t strata__ldef_compress(void *comp, const unsigned char *in,
                                 apr_size_t n, unsigned char *out,
                                 apr_size_t cap, int cont);
/* Worst-case output of strata__ldef_compress for @n bytes of input. */
apr_size_t strata__ldef_bound(apr_size_t n);

/* Non-zero when STRATA_ENGINE_ENV names an engine the build has. */
int strata__engine_env_forces(void);

/* libdeflate's streaming-encoder block (input bytes per block), and the
 * block buffer's first size (it doubles up to the block as input comes);
 * the parallel writer's default block with libdeflate (2 MiB: no
 * dictionary between blocks, so smaller blocks cost size; see
 * docs/compression.md). */
#define STRATA__LDEF_BLOCK ((apr_size_t)4 * 1024 * 1024)
#define STRATA__LDEF_FIRST ((apr_size_t)64 * 1024)
#define STRATA__LDEF_PAR_BLOCK ((apr_size_t)2 * 1024 * 1024)

/* Make a complete raw deflate stream in buf[0..*len) continuable: clear
 * the BFINAL bit of its last block and append an empty stored block (a
 * sync marker), so that it ends byte-aligned and another stream's blocks
 * may follow.  Needs 5 bytes of room past *len (cap).  APR_EGENERAL if
 * the stream does not parse (never for a compressor's own output). */
apr_status_t strata__deflate_unfinal(unsigned char *buf, apr_size_t *len,
                                     apr_size_t cap);

/* ---- gzip(1)'s member header (codec_gzip_header.c) ------------------------ */

/* The OS byte gzip writes on POSIX systems (and strata everywhere). */
#define STRATA__GZIP_OS 3

/* XFL for a zlib-scale @level: 2 at 9, 4 at 0 and 1, else 0. */
int strata__gzip_xfl(int level);
/* Length of the header with FNAME @name (NULL: none). */
apr_size_t strata__gzip_header_len(const char *name, const char *comment);
/* Write it at @p (strata__gzip_header_len bytes of room) for the
 * zlib-scale @level: the length. */
apr_size_t strata__gzip_header_put(unsigned char *p, int level,
                                   const char *name, const char *comment,
                                   apr_uint32_t mtime);
/* Parse a header at p[0..n): APR_SUCCESS, APR_INCOMPLETE (more bytes
 * needed; STRATA_ETRUNCATED instead when @complete), STRATA_EBADDATA. */
apr_status_t strata__gzip_header_parse(const unsigned char *p, apr_size_t n,
                                       int complete, strata_gzip_header_t *h,
                                       apr_pool_t *pool);

/* Dispatch to the back end for c->codec; checks and defaults the level. */
apr_status_t strata__codec_init(strata__codec_t *c);

/* Resolve STRATA_LEVEL_DEFAULT and check the range: APR_EINVAL. */
apr_status_t strata__codec_level(strata_codec_t codec, int level, int *out);

/* Number of codec layers in the chain from @s down (0 if none). */
unsigned strata__codec_depth(const strata_stream_t *s);

/* The parallel gzip writer (compress_gzip_parallel.c). */
apr_status_t strata__gzip_parallel_create(strata_stream_t **out,
                                          strata_stream_t *inner,
                                          const strata_compress_opts_t *opts,
                                          int level, unsigned flags,
                                          apr_pool_t *pool);
extern const strata_stream_type_t strata__gzip_parallel_type;
apr_status_t strata__gzip_parallel_info(strata_stream_t *s,
                                        strata_codec_info_t *info);
/* Tests only: the Nth worker start of a parallel writer fails with
 * APR_EAGAIN (0: never). */
extern unsigned strata__pgz_fail_start_at;

/* Write all of out[0..len) to @inner for a shutdown path: retries
 * APR_EINTR, APR_EAGAIN and short writes a bounded number of times. */
apr_status_t strata__codec_write_out(strata_stream_t *inner,
                                     const unsigned char *buf,
                                     apr_size_t len, apr_size_t *done);

/* Seeking a decompressing reader (compress_seek.c, over compress_stream.c):
 * the seek method; the plain position and the compressed bytes read from
 * the inner stream (0 if @s is no decompressing reader); and a restart at
 * the first byte once the inner stream is back where its data starts
 * (@detect: auto-detect again). */
apr_status_t strata__cs_seek(strata_stream_t *s, apr_off_t offset, int where,
                             apr_off_t *newpos);
int strata__cs_positions(const strata_stream_t *s, apr_uint64_t *plain,
                         apr_uint64_t *coded);
apr_status_t strata__cs_restart(strata_stream_t *s, int detect);

/* Largest piece handed to a library whose sizes are unsigned int. */
#define STRATA__CODEC_PIECE ((apr_size_t)1 << 30)

#endif /* STRATA_CODEC_PRIVATE_H */
