/*
 * codec_engine.c -- which engine codes gzip, zlib and raw deflate: names,
 * what the build has, and the choice per direction and level.
 *
 * The auto table holds, for each zlib level, the fastest engine whose
 * output was no larger than zlib's at that level (within 0.5 %) on every
 * corpus measured (docs/compression.md, "Engines", has the figures).
 */
#include "strata_codec_private.h"
#include <stdlib.h>
#include <zlib.h>

#if STRATA_HAVE_ISAL
#include <isa-l.h>
#endif
#if STRATA_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

/* ---- names ----------------------------------------------------------------- */

int strata_engine_available(strata_engine_t engine)
{
    switch (engine) {
    case STRATA_ENGINE_AUTO: case STRATA_ENGINE_ZLIB:
        return 1;
    case STRATA_ENGINE_ISAL:
        return STRATA_HAVE_ISAL;
    case STRATA_ENGINE_LIBDEFLATE:
        return STRATA_HAVE_LIBDEFLATE;
    default:
        return 0;
    }
}

const char *strata_engine_name(strata_engine_t engine)
{
    switch (engine) {
    case STRATA_ENGINE_AUTO:       return "auto";
    case STRATA_ENGINE_ZLIB:       return "zlib";
    case STRATA_ENGINE_ISAL:       return "isal";
    case STRATA_ENGINE_LIBDEFLATE: return "libdeflate";
    default:                       return "unknown";
    }
}

static int engine_name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b)
            return 0;
    }
    return *a == *b;
}

int strata_engine_from_name(const char *name)
{
    if (name == NULL)
        return -1;
    if (engine_name_eq(name, "auto"))
        return STRATA_ENGINE_AUTO;
    if (engine_name_eq(name, "zlib"))
        return STRATA_ENGINE_ZLIB;
    if (engine_name_eq(name, "isal") || engine_name_eq(name, "isa-l"))
        return STRATA_ENGINE_ISAL;
    if (engine_name_eq(name, "libdeflate"))
        return STRATA_ENGINE_LIBDEFLATE;
    return -1;
}

#define ENGINE_STR_(x) #x
#define ENGINE_STR(x) ENGINE_STR_(x)

/* The versions built against (headers), as one constant string. */
const char *strata_engines_built(void)
{
    return "zlib " ZLIB_VERSION
#if STRATA_HAVE_ISAL
           ", isal " ENGINE_STR(ISAL_MAJOR_VERSION) "."
           ENGINE_STR(ISAL_MINOR_VERSION) "." ENGINE_STR(ISAL_PATCH_VERSION)
#endif
#if STRATA_HAVE_LIBDEFLATE
           ", libdeflate " LIBDEFLATE_VERSION_STRING
#endif
           ;
}

const char *strata_codec_engine_name(strata_stream_t *s)
{
    strata_codec_info_t info;

    if (s == NULL || strata_codec_stream_info(s, &info) != APR_SUCCESS)
        return NULL;
    switch (info.codec) {
    case STRATA_CODEC_GZIP: case STRATA_CODEC_ZLIB: case STRATA_CODEC_DEFLATE:
        return info.engine == STRATA_ENGINE_AUTO
               ? NULL : strata_engine_name(info.engine);
    case STRATA_CODEC_BZIP2: return "bzip2";
    case STRATA_CODEC_XZ:    return "xz";
    case STRATA_CODEC_ZSTD:  return "zstd";
    default:                 return NULL;
    }
}

/* ---- the choice ---------------------------------------------------------------- */

/* Per zlib level 0..9: the auto pick for encoders, then the engine level
 * that matches zlib's output size when an engine is forced (ISA-L has
 * levels 0..3, libdeflate 1..12; -1: that engine cannot, zlib codes). */
typedef struct engine_row_t {
    strata_engine_t pick, alt;      /* auto: first choice, second choice */
    signed char isal, ldef;
} engine_row_t;

#define E_Z STRATA_ENGINE_ZLIB
#define E_I STRATA_ENGINE_ISAL
#define E_L STRATA_ENGINE_LIBDEFLATE
static const engine_row_t engine_table[10] = {
    /* 0 */ { E_Z, E_Z, -1, -1 },   /* stored: zlib */
    /* 1 */ { E_I, E_L,  2,  1 },
    /* 2 */ { E_L, E_Z,  3,  1 },
    /* 3 */ { E_L, E_Z,  3,  4 },
    /* 4 */ { E_L, E_Z,  3,  3 },
    /* 5 */ { E_L, E_Z,  3,  6 },
    /* 6 */ { E_L, E_Z,  3,  7 },
    /* 7 */ { E_Z, E_Z,  3,  8 },
    /* 8 */ { E_Z, E_Z,  3, 10 },
    /* 9 */ { E_Z, E_Z,  3, 10 },
};
#undef E_Z
#undef E_I
#undef E_L

/* Below this cap libdeflate's 4 MiB block and its output do not fit. */
#define ENGINE_LDEF_MIN_CAP ((apr_uint64_t)12 * 1024 * 1024)

static int engine_can(strata_engine_t e, int use, int level, apr_uint64_t cap,
                      int *elevel)
{
    const engine_row_t *row = &engine_table[level < 0 || level > 9 ? 6 : level];

    switch (e) {
    case STRATA_ENGINE_ZLIB:
        *elevel = level;
        return 1;
    case STRATA_ENGINE_ISAL:
        if (!STRATA_HAVE_ISAL)
            return 0;
        if (use == STRATA__USE_DECODE) {
            *elevel = 0;
            return 1;
        }
        *elevel = row->isal;
        return row->isal >= 0;
    case STRATA_ENGINE_LIBDEFLATE:
        if (!STRATA_HAVE_LIBDEFLATE || use == STRATA__USE_DECODE)
            return 0;
        /* auto only (cap != 0): streaming, a memory cap too small for its
         * blocks; parallel, blocks too small to match zlib's size */
        if (use == STRATA__USE_ENCODE && cap != 0 && cap < ENGINE_LDEF_MIN_CAP)
            return 0;
        if (use == STRATA__USE_BLOCKS && cap != 0 && cap < STRATA__LDEF_PAR_BLOCK)
            return 0;
        *elevel = row->ldef;
        return row->ldef >= 0;
    default:
        return 0;
    }
}

int strata__engine_env_forces(void)
{
    const char *env = getenv(STRATA_ENGINE_ENV);
    int e = strata_engine_from_name(env);

    return e > 0 && strata_engine_available((strata_engine_t)e);
}

apr_status_t strata__engine_pick(strata_engine_t asked, int use, int level,
                                 apr_uint64_t cap, strata_engine_t *engine,
                                 int *elevel)
{
    const char *env;
    int e;

    if (asked != STRATA_ENGINE_AUTO) {
        if (asked < STRATA_ENGINE_AUTO || asked > STRATA_ENGINE_LIBDEFLATE)
            return APR_EINVAL;
        if (!strata_engine_available(asked))
            return STRATA_ENOTSUP;
    } else if ((env = getenv(STRATA_ENGINE_ENV)) != NULL
               && (e = strata_engine_from_name(env)) > 0
               && strata_engine_available((strata_engine_t)e)) {
        asked = (strata_engine_t)e;
    }
    if (asked == STRATA_ENGINE_AUTO) {
        const engine_row_t *row = &engine_table[level < 0 || level > 9
                                                ? 6 : level];
        /* the table's pick when it can, else its second choice, else zlib */
        if (use == STRATA__USE_DECODE)
            asked = STRATA_ENGINE_ISAL;
        else if (engine_can(row->pick, use, level, cap, elevel))
            asked = row->pick;
        else if (engine_can(row->alt, use, level, cap, elevel))
            asked = row->alt;
        else
            asked = STRATA_ENGINE_ZLIB;
    }
    if (!engine_can(asked, use, level, 0, elevel)) {   /* forced: cannot */
        asked = STRATA_ENGINE_ZLIB;
        *elevel = level;
    }
    *engine = asked;
    return APR_SUCCESS;
}
