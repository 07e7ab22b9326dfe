/*
 * cmd_compress.c -- `strata compress` and `strata decompress`, with gzip's
 * conventions: FILE becomes FILE.gz (or .bz2, .xz, .zst) in place and the
 * source goes unless -k; -c writes to standard output; -t tests; -l lists.
 *
 * Each FILE is done on its own: a failure is reported ("strata: NAME:
 * why") and the next FILE is tried; the exit status is the worst seen
 * (0 fine, 2 a warning such as a file skipped, 1 an error).  An in-place
 * output is written to a temporary file and renamed into place only once
 * complete, so after success, failure or a signal exactly one of FILE and
 * FILE.gz is there (kill -9 may leave the hidden temporary file).
 *
 * Where a user or a script would notice, it behaves as gzip 1.12 (checked
 * against it in tests/tool_gzip.sh): the header gzip writes (name and time
 * unless -n), -N, -l/-lv byte for byte, trailing data after the members,
 * gzip's messages and exit codes (a bad command line is 1), the GZIP
 * variable, -r, and, installed as gzip/gunzip/zcat, gzip's name in
 * messages.
 */
#include "tool.h"
#include "endpoint.h"
#include "codec.h"
#include "progress.h"
#include "stats.h"
#include "strata_os.h"
#include <apr_strings.h>
#include <apr_env.h>
#include <apr_file_info.h>
#include <apr_time.h>
#include <stdarg.h>
#include <string.h>

enum { ZC_OPT_STATS = 400, ZC_OPT_PROGRESS, ZC_OPT_SYNC, ZC_OPT_RSYNCABLE,
       ZC_OPT_PRESUME_TTY };

/* pigz's block size bounds, in KiB (its -b) */
#define ZC_BLOCK_MIN_KIB 32
#define ZC_BLOCK_MAX_KIB (64 * 1024)

static const tool_option_t zc_options[] = {
    { "stdout",     'c', NULL, "write to standard output, keep the files" },
    { "to-stdout",  'c', NULL, NULL },
    { "decompress", 'd', NULL, "decompress" },
    { "uncompress", 'd', NULL, NULL },
    { "compress",   'z', NULL, "compress (the default of 'strata compress')" },
    { "keep",       'k', NULL, "keep (don't delete) the input files" },
    { "force",      'f', NULL,
      "overwrite; allow a terminal; -dcf copies plain data" },
    { "test",       't', NULL, "test the compressed files' integrity" },
    { "list",       'l', NULL, "list sizes, ratio and name, as gzip -l" },
    { "quiet",      'q', NULL, "no warnings" },
    { "verbose",    'v', NULL, "name each file and its ratio" },
    { "suffix",     'S', "SUF", "use suffix SUF instead of the format's" },
    { "no-name",    'n', NULL,
      "compressing: store no name or time; decompressing: ignore them" },
    { "name",       'N', NULL,
      "compressing: store name and time (default); decompressing: use them" },
    { "recursive",  'r', NULL, "operate on the files under each directory" },
    { "synchronous", ZC_OPT_SYNC, NULL,
      "make each output durable (fsync) before the input goes" },
    { "rsyncable",  ZC_OPT_RSYNCABLE, NULL, "accepted and ignored" },
    { "license",    'L', NULL, "show the licence and exit" },
    { "-presume-input-tty", ZC_OPT_PRESUME_TTY, NULL, NULL },  /* gzip's tests */
    TOOL_CODEC_OPTIONS,
    { "processes",  'p', "N", "same as -T (pigz's name)" },
    { "blocksize",  'b', "KIB",
      "parallel gzip: KIB KiB per block (pigz -b; 32..65536)" },
    { "independent", 'i', NULL,
      "parallel gzip: each block its own member (pigz -i)" },
    { "stats",      ZC_OPT_STATS, NULL,
      "print each layer's meters on standard error" },
    { "progress",   ZC_OPT_PROGRESS, NULL,
      "show progress on stderr, if a terminal" },
    { "help",       'h', NULL, "show this help and exit" },
    { "version",    'V', NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL }
};

typedef enum { ZC_COMPRESS, ZC_DECOMPRESS, ZC_TEST, ZC_LIST } zc_mode_t;

typedef struct zc_t {
    tool_ctx_t *ctx;
    const char *prog;               /* "strata compress" */
    zc_mode_t mode;
    int decompress, test, list;
    int to_stdout, keep, force, quiet, verbose, stats, progress;
    int name;                       /* -N 1, -n 0: store / restore the
                                       gzip header's name and time */
    int recursive, sync, env_warning, presume_tty;
    int walking;                    /* -r: inside a directory */
    const char *suffix;             /* -S, or NULL */
    tool_codec_t codec;
    strata_codec_t enc;             /* the codec for compressing */
    const char *const *files;
    int nfiles;
    int rc;                         /* worst exit status so far */
    int pipe_closed;                /* standard output went away */
    tool_progress_t *bar;
    apr_pool_t *fpool;              /* one file's allocations */
    tool_ctx_t fctx;                /* ctx with fpool, for the endpoints */
    /* -l */
    int listed;
    apr_uint64_t list_in, list_out, list_overhead;
} zc_t;

/* ---- messages ----------------------------------------------------------------- */

static void zc_fail(zc_t *z, const char *name, const char *msg)
{
    if (name[0] == '\n')           /* already "\nPROG: NAME" */
        apr_file_printf(z->ctx->err, "%s: %s\n", name, msg);
    else
        apr_file_printf(z->ctx->err, "%s: %s: %s\n", tool_progname, name,
                        msg);
    z->rc = TOOL_EXIT_FAIL;
}

/* A warning: shown unless -q; the exit status becomes 2 unless worse. */
static void zc_warn(zc_t *z, int set_status, const char *fmt, ...)
    TOOL_PRINTF(3, 4);
static void zc_warn(zc_t *z, int set_status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    if (!z->quiet) {
        va_start(ap, fmt);
        apr_vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (msg[0] == '\n')        /* gzip's: after an empty line */
            apr_file_printf(z->ctx->err, "\n%s: %s\n", tool_progname,
                            msg + 1);
        else
            apr_file_printf(z->ctx->err, "%s: %s\n", tool_progname, msg);
    }
    if (set_status && z->rc == TOOL_EXIT_OK)
        z->rc = TOOL_EXIT_WARN;
}

static void zc_usage(zc_t *z, apr_file_t *f)
{
    apr_file_printf(f,
        "usage: %s [OPTION]... [FILE]...\n"
        "\n"
        "%s each FILE in place: FILE becomes FILE.gz\n"
        "(.bz2, .xz, .zst, .zz with -F) and FILE goes, unless -k or -c.  With\n"
        "no FILE, or when FILE is -, standard input goes to standard output.\n"
        "Compressed input's format is detected; -F names it.  Exit status:\n"
        "0 fine, 1 an error or a bad command line, 2 a warning (as gzip).\n"
        "\n"
        "options:\n", z->prog,
        z->mode == ZC_COMPRESS ? "Compress (-d: decompress)"
                               : "Decompress (-z: compress)");
    tool_opts_print(f, zc_options);
}

/* -h, -V, -L: through a buffered standard output whose errors count, so
 * that "--help > /dev/full" fails with 1, as gzip does. */
static int zc_info(zc_t *z, int ch)
{
    tool_ctx_t c = *z->ctx;
    apr_status_t rv;

    if (apr_file_open_flags_stdout(&c.out, APR_FOPEN_WRITE
                                   | APR_FOPEN_BUFFERED, c.pool)
        != APR_SUCCESS)
        c.out = z->ctx->out;
    if (ch == 'h')
        zc_usage(z, c.out);
    else
        tool_print_version(&c);
    if (ch == 'L')
        apr_file_puts("strata is distributed under the terms stated in its "
                      "distribution; there is NO WARRANTY,\nto the extent "
                      "permitted by law.\n", c.out);
    if ((rv = apr_file_flush(c.out)) != APR_SUCCESS) {
        tool_error(z->ctx, "%s", tool_strerror(rv, z->ctx->pool));
        return TOOL_EXIT_FAIL;
    }
    return TOOL_EXIT_OK;
}

/* ---- options ------------------------------------------------------------------ */

/* A bad command line: exit status 1, as gzip; in gzip's two lines when
 * the tool runs as gzip. */
static void zc_usage_error(zc_t *z, const char *msg)
{
    if (strcmp(tool_progname, "strata") == 0)
        tool_usage_error(z->ctx, z->prog, "%s", msg);
    else
        apr_file_printf(z->ctx->err, "%s: %s\nTry `%s --help' for more "
                        "information.\n", tool_progname, msg, tool_progname);
}

/* One option: -1 to go on, or the exit code. */
static int zc_option(zc_t *z, int ch, const char *arg)
{
    const char *msg = NULL;

    switch (ch) {
    case 'c': z->to_stdout = 1; break;
    case 'd': z->decompress = 1; break;
    case 'z': z->decompress = 0; break;
    case 'k': z->keep = 1; break;
    case 'f': z->force = 1; break;
    case 't': z->test = 1; break;
    case 'l': z->list = 1; break;
    case 'q': z->quiet = 1; z->verbose = 0; break;
    case 'v': z->verbose = 1; z->quiet = 0; break;
    case 'n': z->name = 0; break;
    case 'N': z->name = 1; break;
    case 'r': z->recursive = 1; break;
    case ZC_OPT_SYNC: z->sync = 1; break;
    case ZC_OPT_RSYNCABLE: break;
    case ZC_OPT_PRESUME_TTY: z->presume_tty = 1; break;
    case 'S':
        if (*arg == '\0' || strchr(arg, '/') != NULL) {
            tool_error(z->ctx, "invalid suffix '%s'", arg);  /* gzip */
            return TOOL_EXIT_FAIL;
        }
        z->suffix = arg;
        break;
    case ZC_OPT_STATS: z->stats = 1; break;
    case ZC_OPT_PROGRESS: z->progress = 1; break;
    case 'i': z->codec.members = 1; break;
    case 'b': {
        char *end;
        apr_int64_t kib = apr_strtoi64(arg, &end, 10);

        if (*arg == '\0' || *end != '\0' || kib < ZC_BLOCK_MIN_KIB
            || kib > ZC_BLOCK_MAX_KIB) {
            zc_usage_error(z, apr_psprintf(z->ctx->pool, "bad block size "
                           "'%s' (KiB, %d..%d)", arg, ZC_BLOCK_MIN_KIB,
                           ZC_BLOCK_MAX_KIB));
            return TOOL_EXIT_FAIL;
        }
        z->codec.block_size = (apr_size_t)kib * 1024;
        break;
    }
    case 'h': case 'V': case 'L':
        return zc_info(z, ch);
    case 'p':                           /* pigz's name for -T */
        ch = 'T';
        /* fall through */
    default:
        if (tool_codec_option(&z->codec, ch, arg, &msg, z->ctx->pool) < 0) {
            zc_usage_error(z, msg);
            return TOOL_EXIT_FAIL;
        }
    }
    return -1;
}

/* Options the GZIP environment variable may give (gzip 1.12's list). */
static int zc_env_allowed(int ch)
{
    return strchr("nNqv0123456789", ch) != NULL || ch == TOOL_CODEC_OPT_FAST
           || ch == TOOL_CODEC_OPT_BEST || ch == ZC_OPT_SYNC
           || ch == ZC_OPT_RSYNCABLE;
}

/* The obsolescent GZIP variable, as gzip 1.12 takes it: a warning, then
 * its options before the command line's, only those that change how (not
 * what) is done.  -1 to go on, or the exit code. */
static int zc_parse_env(zc_t *z)
{
    char *env = NULL, *word, *last;
    const char *argv[3], *arg;
    tool_opts_t *o;
    int ch, rc;

    if (apr_env_get(&env, "GZIP", z->ctx->pool) != APR_SUCCESS || *env == 0)
        return -1;
    z->env_warning = 1;
    argv[0] = z->prog;
    argv[2] = NULL;
    for (word = apr_strtok(env, " \t\n", &last); word != NULL;
         word = apr_strtok(NULL, " \t\n", &last)) {
        argv[1] = word;
        o = tool_opts_init(z->prog, 2, argv, zc_options, 1, z->ctx->pool);
        while ((rc = tool_opts_next(o, &ch, &arg)) == 1 && zc_env_allowed(ch))
            if ((rc = zc_option(z, ch, arg)) >= 0)
                return rc;
        if (rc != 0 || strcmp(word, "-") == 0 || strcmp(word, "--") == 0
            || word[0] != '-') {
            tool_error(z->ctx, "%s: option not valid in GZIP environment "
                       "variable", word);
            return TOOL_EXIT_FAIL;
        }
    }
    return -1;
}

/* Returns -1 to go on, or the exit code. */
static int zc_parse(zc_t *z, int argc, const char *const *argv)
{
    static const char *const stdin_only[] = { "-", NULL };
    tool_opts_t *o = tool_opts_init(z->prog, argc, argv, zc_options, 1,
                                    z->ctx->pool);
    const char *arg, *msg = NULL;
    int ch, rc, decoding;

    tool_codec_init(&z->codec);
    z->decompress = z->mode == ZC_DECOMPRESS;
    z->name = -1;
    if ((rc = zc_parse_env(z)) >= 0)
        return rc;
    while ((rc = tool_opts_next(o, &ch, &arg)) == 1)
        if ((rc = zc_option(z, ch, arg)) >= 0)
            return rc;
    if (rc < 0) {
        zc_usage_error(z, tool_opts_error(o));
        return TOOL_EXIT_FAIL;
    }
    if (z->env_warning && !z->quiet)
        tool_error(z->ctx, "warning: GZIP environment variable is deprecated;"
                   " use an alias or script");
    z->mode = z->list ? ZC_LIST : z->test ? ZC_TEST
            : z->decompress ? ZC_DECOMPRESS : ZC_COMPRESS;
    z->enc = z->codec.format == STRATA_CODEC_AUTO ? STRATA_CODEC_GZIP
                                                  : z->codec.format;
    decoding = z->mode != ZC_COMPRESS;
    if (tool_codec_check(&z->codec, decoding, !decoding, z->enc, &msg,
                         z->ctx->pool) < 0) {
        zc_usage_error(z, msg);
        return TOOL_EXIT_FAIL;
    }
    if (z->name < 0)        /* gzip: store them, but restore only on -N */
        z->name = !decoding;
    z->nfiles = tool_opts_operands(o, &z->files);
    if (z->nfiles == 0) {
        z->files = stdin_only;
        z->nfiles = 1;
    }
    return -1;
}

/* ---- one transfer --------------------------------------------------------------- */

typedef struct zc_job_t {
    const char *name;               /* for messages: the file, or "stdin" */
    tool_endpoint_t *in, *out;
    const char *target;             /* in-place output path, or NULL */
    apr_uint64_t plain, coded;      /* sizes, for -v and -l */
    const char *path;               /* the input file, NULL for stdin */
    apr_time_t mtime;               /* its time, if have_mtime */
    int have_mtime;
} zc_job_t;

/* The base name of @a path. */
static const char *zc_basename(const char *path)
{
    const char *p, *base = path;

    for (p = path; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    return base;
}

/* Compressing: the gzip header gzip(1) would write for the job (name and
 * time unless -n; a time gzip's 32 bits cannot hold is a warning). */
static void zc_header_for(zc_t *z, zc_job_t *j)
{
    apr_int64_t t = (apr_int64_t)apr_time_sec(j->mtime);

    z->codec.gzip_header = 1;
    z->codec.gzip_name = NULL;
    z->codec.gzip_mtime = 0;
    if (!z->name)
        return;
    if (j->path != NULL)
        z->codec.gzip_name = zc_basename(j->path);
    if (!j->have_mtime)
        return;
    if (t < 1 || t > (apr_int64_t)0xffffffffu)
        zc_warn(z, 1, "%s: warning: file timestamp out of range for gzip "
                "format", j->name);
    else
        z->codec.gzip_mtime = (apr_uint32_t)t;
}

/* Put the codec layer on the job's input or output. */
static int zc_layers(zc_t *z, zc_job_t *j)
{
    const char *msg = NULL;
    apr_status_t rv;

    if (z->mode == ZC_COMPRESS)
        zc_header_for(z, j);
    else
        z->codec.trailing = z->force ? STRATA_TRAILING_PASS
                                     : STRATA_TRAILING_STOP;
    if (z->mode == ZC_COMPRESS)
        rv = tool_codec_push_encoder(&z->codec, j->out, z->enc, &msg,
                                     z->fpool);
    else
        rv = tool_codec_push_decoder(&z->codec, j->in, z->codec.format,
                                     z->force && z->to_stdout
                                     && z->mode == ZC_DECOMPRESS,
                                     &msg, z->fpool);
    if (rv != APR_SUCCESS) {
        zc_fail(z, j->name, msg);
        return -1;
    }
    return 0;
}

/* gzip's words for an error inside a gzip member, or NULL. */
static const char *zc_gzip_words(zc_t *z, zc_job_t *j, apr_status_t rv)
{
    strata_codec_info_t info;

    if (j->in->codec == NULL
        || strata_codec_stream_info(j->in->codec, &info) != APR_SUCCESS)
        return NULL;
    if (rv == STRATA_ETRUNCATED)
        return "unexpected end of file";
    if (rv != STRATA_EBADDATA || (z->codec.format != STRATA_CODEC_AUTO
                                  && z->codec.format != STRATA_CODEC_GZIP
                                  && z->codec.format != STRATA_CODEC_LZW
                                  && z->codec.format != STRATA_CODEC_PACK
                                  && z->codec.format != STRATA_CODEC_ZIP))
        return NULL;
    if (info.codec == STRATA_CODEC_AUTO || info.codec == STRATA_CODEC_UNKNOWN
        || (info.codec == STRATA_CODEC_GZIP && info.members == 0
            && info.plain_bytes == 0 && info.coded_used <= 2))
        return "not in gzip format";
    if (info.codec == STRATA_CODEC_GZIP)
        return "invalid compressed data--format violated";
    if (info.codec == STRATA_CODEC_LZW)
        return "corrupt input.";
    if (info.codec == STRATA_CODEC_PACK || info.codec == STRATA_CODEC_ZIP)
        return "invalid compressed data--format violated";
    return NULL;
}

/* A failed copy: say why, in the words of the side that failed. */
static void zc_copy_failed(zc_t *z, zc_job_t *j, apr_status_t rv,
                           tool_side_t side)
{
    if (side == TOOL_SIDE_OUT && APR_STATUS_IS_EPIPE(rv)
        && j->target == NULL) {
        z->pipe_closed = 1;         /* quiet, as gzip under SIGPIPE */
        return;
    }
    if (side == TOOL_SIDE_LIMIT)
        zc_fail(z, j->name, tool_codec_limit_message(&z->codec, z->fpool));
    else if (side == TOOL_SIDE_OUT)
        zc_fail(z, j->target != NULL ? j->target : j->name,
                apr_psprintf(z->fpool, "cannot write %s: %s", j->out->display,
                             tool_strerror(rv, z->fpool)));
    else if (zc_gzip_words(z, j, rv) == NULL)
        zc_fail(z, j->name, tool_codec_error(&z->codec, j->in,
                                             z->codec.format, rv, z->fpool));
    else                        /* gzip's words, after an empty line */
        zc_fail(z, apr_pstrcat(z->fpool, "\n", tool_progname, ": ", j->name,
                               NULL), zc_gzip_words(z, j, rv));
}

/* Sizes of the job for -v and -l: plain and compressed bytes. */
static void zc_sizes(zc_t *z, zc_job_t *j, apr_uint64_t copied)
{
    strata_counts_t in, out;

    strata_stream_counts(j->in->base, &in);
    strata_stream_counts(j->out->base, &out);
    if (z->mode == ZC_COMPRESS) {
        j->plain = in.read_bytes;
        j->coded = out.write_bytes;
    } else {
        j->plain = copied;
        j->coded = in.read_bytes;
    }
}

/* What followed the last gzip member, as gzip takes it: zeros are fine
 * (said with -v), one stray byte is a cut member, the magic of a format
 * gzip would try to decode is an error, anything else a warning. */
static apr_status_t zc_trailing(zc_t *z, zc_job_t *j)
{
    apr_uint64_t bytes = 0;
    unsigned char h[4];
    int zeros = 1;

    if (j->in->codec == NULL
        || strata_codec_trailing(j->in->codec, &bytes, &zeros, h)
           != APR_SUCCESS || bytes == 0)
        return APR_SUCCESS;
    if (zeros) {
        if (z->verbose)
            zc_warn(z, 1, "\n%s: decompression OK, trailing zero bytes "
                    "ignored", j->name);
        return APR_SUCCESS;
    }
    if (bytes == 1)
        return STRATA_ETRUNCATED;
    if ((h[0] == 0x1f && (h[1] == 0x1e || h[1] == 0x9d || h[1] == 0xa0))
        || (bytes >= 4 && memcmp(h, "PK\003\004", 4) == 0))
        return STRATA_EBADDATA;     /* pack, LZW, LZH, zip: gzip fails */
    zc_warn(z, 1, "\n%s: decompression OK, trailing garbage ignored", j->name);
    return APR_SUCCESS;
}

/* Copy, then close both ends (committing the output).  0 or -1. */
static int zc_transfer(zc_t *z, zc_job_t *j, int index)
{
    tool_copy_progress_t prog = { NULL, NULL };
    tool_side_t side = TOOL_SIDE_NONE;
    apr_uint64_t copied = 0;
    apr_status_t rv;

    if (z->bar != NULL) {
        tool_progress_file(z->bar, j->name, index, z->nfiles, j->in->base);
        prog.fn = tool_progress_copied;
        prog.baton = z->bar;
    }
    rv = tool_copy(&z->codec, j->in, j->out, &prog, &copied, &side);
    if (z->bar != NULL)
        tool_progress_next_input(z->bar, copied);
    if (side == TOOL_SIDE_IN) {         /* gzip: data after the members */
        tool_trailing_t t = tool_codec_trailing(j->in, rv, z->fpool);

        if (t == TOOL_TRAILING_GARBAGE)
            zc_warn(z, 1, "\n%s: decompression OK, trailing garbage ignored",
                    j->name);
        if (t == TOOL_TRAILING_ZEROS && z->verbose)   /* as gzip: -v only */
            zc_warn(z, 1, "\n%s: decompression OK, trailing zero bytes "
                    "ignored", j->name);
        if (t == TOOL_TRAILING_SHORT)
            rv = STRATA_ETRUNCATED;     /* gzip: unexpected end of file */
        else if (t != TOOL_TRAILING_NONE) {
            rv = APR_SUCCESS;
            tool_endpoint_abort(j->in); /* its error is taken care of */
        }
    }
    if (rv == APR_SUCCESS && z->mode != ZC_COMPRESS && !z->force
        && (rv = zc_trailing(z, j)) != APR_SUCCESS) {
        tool_endpoint_abort(j->in);
        side = TOOL_SIDE_IN;
    }
    if (rv == APR_SUCCESS && (rv = tool_endpoint_close(j->in)) != APR_SUCCESS)
        side = TOOL_SIDE_IN;
    if (rv == APR_SUCCESS && (rv = tool_endpoint_close(j->out)) != APR_SUCCESS)
        side = TOOL_SIDE_OUT;
    zc_sizes(z, j, copied);
    if (z->stats) {
        tool_endpoint_t *eps[2];

        eps[0] = j->in;
        eps[1] = j->out;
        tool_stats_print(z->ctx->err, eps, 2, z->fpool);
    }
    if (rv != APR_SUCCESS) {
        tool_endpoint_abort(j->out);
        tool_endpoint_abort(j->in);
        zc_copy_failed(z, j, rv, side);
        return -1;
    }
    return 0;
}

/* gzip's ratio: the share of the plain size saved, "%5.1f%%", the
 * container's fixed bytes (@a overhead) not counted as compressed data. */
static const char *zc_ratio(apr_uint64_t plain, apr_uint64_t coded,
                            apr_uint64_t overhead, apr_pool_t *pool)
{
    double saved;

    if (plain == 0)
        return " -Inf%";        /* as gzip since 1.14 (1.12: "  0.0%") */
    saved = (double)plain - ((double)coded - (double)overhead);
    return apr_psprintf(pool, "%5.1f%%", 100.0 * saved / (double)plain);
}

/* Header and trailer bytes of the gzip member at the start of @a path (as
 * gzip -l counts them), or 0 if it cannot tell. */
static apr_uint64_t zc_gzip_overhead(const char *path, apr_pool_t *pool)
{
    unsigned char h[1024];
    apr_size_t n = sizeof(h), pos = 10, end;
    apr_file_t *f;
    apr_status_t rv;
    unsigned flg;

    if (strcmp(path, "-") == 0
        || apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                         APR_FPROT_OS_DEFAULT, pool) != APR_SUCCESS)
        return 0;
    rv = apr_file_read_full(f, h, sizeof(h), &n);
    apr_file_close(f);
    if ((rv != APR_SUCCESS && rv != APR_EOF) || n < 10 || h[0] != 0x1f
        || h[1] != 0x8b)
        return 0;
    flg = h[3];
    if (flg & 4) {                                  /* FEXTRA */
        if (pos + 2 > n)
            return 0;
        pos += 2 + (apr_size_t)(h[pos] | h[pos + 1] << 8);
    }
    for (end = 8; end <= 16; end <<= 1) {           /* FNAME, FCOMMENT */
        if (!(flg & end))
            continue;
        while (pos < n && h[pos] != 0)
            pos++;
        if (pos++ >= n)
            return 0;
    }
    if (flg & 2)                                    /* FHCRC */
        pos += 2;
    return pos > n ? 0 : pos + 8;
}

/* ---- in place and to standard output -------------------------------------------- */

/* The output name for @a path, or NULL after a warning (skip the file). */
static const char *zc_target(zc_t *z, const char *path)
{
    const char *base = strrchr(path, '/'), *repl, *suf;
    strata_codec_t c;
    apr_size_t len = strlen(path), sl;

    base = base != NULL ? base + 1 : path;
    if (z->mode == ZC_COMPRESS) {
        suf = z->suffix != NULL ? z->suffix : tool_codec_suffix(z->enc);
        if (suf == NULL) {
            zc_fail(z, path, apr_psprintf(z->fpool, "%s has no file suffix: "
                                          "use -c or -S",
                                          strata_codec_name(z->enc)));
            return NULL;
        }
        sl = strlen(suf);
        if (!z->force && ((len > sl && strcmp(path + len - sl, suf) == 0)
                          || (z->suffix == NULL
                              && tool_codec_match_suffix(base, &c, &repl)
                              && c == z->enc))) {
            if (z->walking && !z->verbose)
                return NULL;            /* gzip -r: quietly passed over */
            zc_warn(z, 0, "%s already has %s suffix -- unchanged", path,
                    z->suffix != NULL ? suf
                    : path + len - tool_codec_match_suffix(base, &c, &repl));
            return NULL;
        }
        return apr_pstrcat(z->fpool, path, suf, NULL);
    }
    if (z->suffix != NULL && len > (sl = strlen(z->suffix))
        && strcmp(path + len - sl, z->suffix) == 0 && base < path + len - sl)
        return apr_pstrndup(z->fpool, path, len - sl);
    if ((sl = tool_codec_match_suffix(base, &c, &repl)) != 0)
        return apr_pstrcat(z->fpool, apr_pstrndup(z->fpool, path, len - sl),
                           repl, NULL);
    if (z->verbose || (!z->walking && !z->quiet))   /* as gzip */
        zc_warn(z, 1, "%s: unknown suffix -- ignored", path);
    return NULL;
}

/* Check what an in-place run would do to @a path: 1 go on, 0 skip. */
static int zc_check_source(zc_t *z, const char *path, apr_finfo_t *fi)
{
    apr_status_t rv;

    rv = apr_stat(fi, path, APR_FINFO_TYPE | APR_FINFO_LINK | APR_FINFO_NLINK
                            | APR_FINFO_PROT | APR_FINFO_MTIME, z->fpool);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
        zc_fail(z, path, tool_strerror(rv, z->fpool));
        return 0;
    }
    if (fi->filetype == APR_LNK && !z->force && !z->to_stdout) {
        zc_fail(z, path, "Too many levels of symbolic links");  /* gzip */
        return 0;
    }
    if (fi->filetype == APR_LNK) {
        rv = apr_stat(fi, path, APR_FINFO_TYPE | APR_FINFO_NLINK
                                | APR_FINFO_PROT | APR_FINFO_MTIME, z->fpool);
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE) {
            zc_fail(z, path, tool_strerror(rv, z->fpool));
            return 0;
        }
    }
    if (fi->filetype == APR_DIR) {
        zc_warn(z, 1, "%s is a directory -- ignored", path);
        return 0;
    }
    if (fi->filetype != APR_REG && !z->to_stdout) {
        zc_warn(z, 1, "%s is not a directory or a regular file - ignored",
                path);
        return 0;
    }
    if (fi->filetype == APR_REG && fi->nlink > 1 && !z->force
        && !z->to_stdout && z->mode <= ZC_DECOMPRESS) {
        zc_warn(z, 1, "%s has %d other link%s -- file ignored", path,
                (int)fi->nlink - 1, fi->nlink > 2 ? "s" : "");
        return 0;
    }
    return 1;
}

static int zc_open_input(zc_t *z, zc_job_t *j, const char *spec)
{
    const char *msg = NULL;

    if (tool_endpoint_open_input(&j->in, &z->fctx, spec, &msg) != APR_SUCCESS) {
        /* "cannot open 'x': why" -> "x: why" */
        const char *why = strstr(msg, "': ");
        zc_fail(z, j->name, why != NULL ? why + 3 : msg);
        return -1;
    }
    return 0;
}

/* -v: the file's name first, as gzip, so that what goes wrong on the way
 * follows it on the same line. */
static void zc_verbose_name(zc_t *z, zc_job_t *j)
{
    if (z->verbose)
        apr_file_printf(z->ctx->err, "%s:\t", j->name);
}

/* The codec layer, the name for -v (@a say_name), the copy: 0 or -1. */
static int zc_job(zc_t *z, zc_job_t *j, int index, int say_name)
{
    if (zc_layers(z, j) < 0)
        return -1;
    if (say_name)
        zc_verbose_name(z, j);
    return zc_transfer(z, j, index);
}

/* The verbose line after a file: "a:\t 53.0% -- replaced with a.gz". */
static void zc_verbose(zc_t *z, zc_job_t *j)
{
    apr_uint64_t overhead = 0;
    strata_gzip_header_t h;

    if (!z->verbose)
        return;

    /* gzip counts the header (with its name) and trailer as overhead */
    if (z->mode == ZC_COMPRESS && z->enc == STRATA_CODEC_GZIP)
        overhead = 18 + (z->codec.gzip_name != NULL
                         ? strlen(z->codec.gzip_name) + 1 : 0);
    else if (z->mode != ZC_COMPRESS
             && tool_codec_of(j->in->codec) == STRATA_CODEC_GZIP)
        overhead = strata_gzip_header(j->in->codec, &h, z->fpool)
                   == APR_SUCCESS ? h.header_len + 8 : 18;
    if (z->mode == ZC_TEST) {
        apr_file_puts(" OK\n", z->ctx->err);
        return;
    }
    apr_file_printf(z->ctx->err, "%s -- %s %s\n",
                    zc_ratio(j->plain, j->coded, overhead, z->fpool),
                    j->target == NULL ? "replaced with"
                    : z->keep ? "created" : "replaced with",
                    j->target != NULL ? j->target : "stdout");
}

/* The first gzip header of the file @a path: 1 and *h, or 0. */
static int zc_peek_header(zc_t *z, const char *path, strata_gzip_header_t *h)
{
    tool_endpoint_t *ep;
    tool_codec_t tc;
    const char *msg = NULL;
    char byte;
    apr_size_t n = 0;
    int ok;

    if (tool_endpoint_open_input(&ep, &z->fctx, path, &msg) != APR_SUCCESS)
        return 0;
    tc = z->codec;
    tc.max_output = 0;
    if (tool_codec_push_decoder(&tc, ep, z->codec.format, 0, &msg, z->fpool)
        != APR_SUCCESS) {
        tool_endpoint_abort(ep);
        return 0;
    }
    strata_read(ep->top, &byte, 1, &n);
    ok = strata_gzip_header(ep->codec, h, z->fpool) == APR_SUCCESS;
    tool_endpoint_abort(ep);
    return ok;
}

/* FILE -> FILE.gz (or back), atomically; FILE removed unless -k. */
static void zc_in_place(zc_t *z, zc_job_t *j, const char *path, int index)
{
    apr_finfo_t fi, ti;
    const char *msg = NULL;
    apr_status_t rv;

    strata_gzip_header_t h;
    apr_time_t restore = 0;

    if (!zc_check_source(z, path, &fi))
        return;
    if ((j->target = zc_target(z, path)) == NULL)
        return;
    j->path = path;
    j->mtime = fi.mtime;
    j->have_mtime = 1;
    if (z->mode == ZC_DECOMPRESS && z->name && zc_peek_header(z, path, &h)) {
        if (h.name != NULL && *zc_basename(h.name) != '\0')  /* gzip -N */
            j->target = apr_pstrcat(z->fpool,
                                    apr_pstrndup(z->fpool, path,
                                                 (apr_size_t)(zc_basename(path)
                                                              - path)),
                                    zc_basename(h.name), NULL);
        restore = apr_time_from_sec(h.mtime);
    }
    rv = apr_stat(&ti, j->target, APR_FINFO_TYPE | APR_FINFO_LINK, z->fpool);
    if (rv == APR_SUCCESS || rv == APR_INCOMPLETE) {
        if (!z->force) {
            /* gzip says it even with -q (and asks on a terminal: not
             * here, the answer is no) */
            apr_file_printf(z->ctx->err, "%s: %s already exists;\tnot "
                            "overwritten\n", tool_progname, j->target);
            if (z->rc == TOOL_EXIT_OK)
                z->rc = TOOL_EXIT_WARN;
            return;
        }
        if (ti.filetype == APR_DIR) {
            zc_fail(z, j->target, "is a directory");
            return;
        }
        if (ti.filetype != APR_REG)     /* replace the node, as gzip -f */
            apr_file_remove(j->target, z->fpool);
    }
    if (zc_open_input(z, j, path) < 0)
        return;
    if (tool_endpoint_open_output(&j->out, &z->fctx, j->target,
                                  fi.protection, &msg) != APR_SUCCESS) {
        tool_endpoint_abort(j->in);
        zc_fail(z, j->target, msg);
        return;
    }
    j->out->durable = z->sync;
    if (zc_job(z, j, index, 1) < 0) {
        tool_endpoint_abort(j->out);
        tool_endpoint_abort(j->in);
        return;
    }
    strata__os_copy_owner(j->target, path);     /* as gzip: best effort */
    apr_file_perms_set(j->target, fi.protection);
    apr_file_mtime_set(j->target, restore != 0 ? restore : fi.mtime,
                       z->fpool);
    zc_verbose(z, j);
    if (!z->keep && (rv = apr_file_remove(path, z->fpool)) != APR_SUCCESS)
        zc_fail(z, path, apr_psprintf(z->fpool, "cannot remove: %s",
                                      tool_strerror(rv, z->fpool)));
}

/* A file or standard input to standard output, or to nothing (-t, -l). */
static void zc_streamed(zc_t *z, zc_job_t *j, const char *spec, int index)
{
    apr_finfo_t fi;
    const char *msg = NULL;
    apr_status_t rv;

    if (strcmp(spec, "-") != 0 && !zc_check_source(z, spec, &fi))
        return;
    if (strcmp(spec, "-") != 0) {
        j->path = spec;
        j->mtime = fi.mtime;
        j->have_mtime = 1;
    } else if (apr_file_info_get(&fi, APR_FINFO_TYPE | APR_FINFO_MTIME,
                                 z->ctx->in) == APR_SUCCESS
               && fi.filetype == APR_REG) {
        j->mtime = fi.mtime;        /* gzip < FILE keeps FILE's time */
        j->have_mtime = 1;
    }
    if (zc_open_input(z, j, spec) < 0)
        return;
    if (z->mode == ZC_TEST || z->mode == ZC_LIST)
        rv = tool_endpoint_open_null(&j->out, &z->fctx);
    else
        rv = tool_endpoint_open_output(&j->out, &z->fctx, "-",
                                       APR_FPROT_OS_DEFAULT, &msg);
    if (rv != APR_SUCCESS) {
        tool_endpoint_abort(j->in);
        zc_fail(z, j->name, msg != NULL ? msg : tool_strerror(rv, z->fpool));
        return;
    }
    if (zc_job(z, j, index, z->mode != ZC_LIST
                            && (z->mode == ZC_TEST || strcmp(spec, "-") != 0))
        < 0) {
        tool_endpoint_abort(j->out);
        tool_endpoint_abort(j->in);
        return;
    }
    if (z->mode == ZC_LIST)
        return;
    if (z->mode == ZC_TEST || strcmp(spec, "-") != 0)
        zc_verbose(z, j);
}

/* ---- -l ------------------------------------------------------------------------- */

/* -lv's method: gzip's names for the formats it reads, else ours. */
static const char *zc_list_method(zc_t *z, zc_job_t *j, strata_codec_t c)
{
    unsigned char h[10];
    apr_size_t n = sizeof(h);
    apr_file_t *f;

    switch (c) {
    case STRATA_CODEC_GZIP: return "defla";
    case STRATA_CODEC_LZW:  return "compr";
    case STRATA_CODEC_PACK: return "pack";
    case STRATA_CODEC_ZIP:  break;
    default:                return strata_codec_name(c);
    }
    /* zip: the first entry's method, from its local header */
    if (j->path == NULL
        || apr_file_open(&f, j->path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                         APR_FPROT_OS_DEFAULT, z->fpool) != APR_SUCCESS)
        return "defla";
    if (apr_file_read_full(f, h, sizeof(h), &n) != APR_SUCCESS)
        h[8] = 8;
    apr_file_close(f);
    return h[8] == 0 && h[9] == 0 ? "store" : "defla";
}

/* -lv: "defla 363a3020 Jan  2 03:04 ", as gzip -lv. */
static const char *zc_list_verbose(zc_t *z, zc_job_t *j, strata_codec_t c,
                                   const strata_gzip_header_t *h)
{
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
        "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    unsigned char t[8];
    apr_uint32_t crc = 0;
    apr_time_exp_t tm;
    apr_time_t when = z->name && h != NULL && h->mtime != 0   /* -lvN */
                      ? apr_time_from_sec(h->mtime) : j->mtime;
    apr_file_t *f;
    apr_off_t off = -8;
    apr_size_t n = 8;

    if (c == STRATA_CODEC_GZIP && j->path != NULL
        && apr_file_open(&f, j->path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                         APR_FPROT_OS_DEFAULT, z->fpool) == APR_SUCCESS) {
        if (apr_file_seek(f, APR_END, &off) == APR_SUCCESS
            && apr_file_read_full(f, t, 8, &n) == APR_SUCCESS)
            crc = (apr_uint32_t)t[0] | (apr_uint32_t)t[1] << 8
                  | (apr_uint32_t)t[2] << 16 | (apr_uint32_t)t[3] << 24;
        apr_file_close(f);
    }
    apr_time_exp_lt(&tm, when);
    return apr_psprintf(z->fpool, "%-5.5s %s %s%3d %02d:%02d ",
                        zc_list_method(z, j, c),
                        c == STRATA_CODEC_LZW || c == STRATA_CODEC_PACK
                        || c == STRATA_CODEC_ZIP
                        ? "ffffffffffffffff"    /* gzip's "no CRC", as is */
                        : apr_psprintf(z->fpool, "%08x", (unsigned)crc),
                        mon[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
                        tm.tm_min);
}

static void zc_list_row(zc_t *z, apr_uint64_t coded, apr_uint64_t plain,
                        apr_uint64_t overhead, const char *prefix,
                        const char *name)
{
    if (z->listed++ == 0)
        apr_file_printf(z->ctx->out, "%s         compressed        "
                        "uncompressed  ratio uncompressed_name\n",
                        z->verbose ? "method  crc     date  time  " : "");
    apr_file_printf(z->ctx->out, "%s%19" APR_UINT64_T_FMT " %19"
                    APR_UINT64_T_FMT " %s %s\n", prefix, coded, plain,
                    zc_ratio(plain, coded, overhead, z->fpool), name);
}

static void zc_list(zc_t *z, zc_job_t *j, const char *spec)
{
    strata_codec_t c = tool_codec_of(j->in->codec);
    strata_gzip_header_t h, *hp = NULL;
    const char *name, *repl;
    apr_uint64_t overhead = 0;
    apr_size_t sl;

    if (c == STRATA_CODEC_GZIP) {
        overhead = zc_gzip_overhead(spec, z->fpool);
        if (strata_gzip_header(j->in->codec, &h, z->fpool) == APR_SUCCESS) {
            hp = &h;
            overhead = h.header_len + 8;    /* also for standard input */
        }
    }
    name = strcmp(spec, "-") == 0 ? "stdout" : spec;
    if (strcmp(spec, "-") != 0
        && (sl = tool_codec_match_suffix(spec, &c, &repl)) != 0)
        name = apr_pstrcat(z->fpool, apr_pstrndup(z->fpool, spec,
                                                  strlen(spec) - sl),
                           repl, NULL);
    if (z->name && hp != NULL && hp->name != NULL && *hp->name != '\0')
        name = hp->name;                    /* gzip -lN */
    c = tool_codec_of(j->in->codec);
    zc_list_row(z, j->coded, j->plain, overhead,
                z->verbose ? zc_list_verbose(z, j, c, hp) : "", name);
    z->list_in += j->coded;
    z->list_out += j->plain;
    z->list_overhead = overhead;    /* gzip's totals use the last one */
}

/* ---- the run -------------------------------------------------------------------- */

/* gzip's refusals of compressed data on a terminal.  0 fine, -1 refused. */
static int zc_terminal_check(zc_t *z)
{
    int i, uses_stdin = 0, uses_stdout = z->to_stdout;

    for (i = 0; i < z->nfiles; i++)
        if (strcmp(z->files[i], "-") == 0)
            uses_stdin = uses_stdout = 1;
    if (z->force)
        return 0;
    if (z->mode == ZC_COMPRESS && uses_stdout
        && strata__os_isatty(z->ctx->out)) {
        tool_error(z->ctx, "compressed data not written to a terminal. "
                   "Use -f to force compression.");
        apr_file_printf(z->ctx->err, "For help, type: %s -h\n", z->prog);
        return -1;
    }
    if (z->mode != ZC_COMPRESS && uses_stdin
        && (z->presume_tty || strata__os_isatty(z->ctx->in))) {
        tool_error(z->ctx, "compressed data not read from a terminal. "
                   "Use -f to force decompression.");
        apr_file_printf(z->ctx->err, "For help, type: %s -h\n", z->prog);
        return -1;
    }
    return 0;
}

static apr_off_t zc_total(zc_t *z)
{
    apr_finfo_t fi;
    apr_off_t total = 0;
    int i;

    for (i = 0; i < z->nfiles; i++) {
        if (strcmp(z->files[i], "-") == 0
            || apr_stat(&fi, z->files[i], APR_FINFO_SIZE | APR_FINFO_TYPE,
                        z->ctx->pool) != APR_SUCCESS
            || fi.filetype != APR_REG)
            return -1;
        total += fi.size;
    }
    return total;
}

/* Decompressing "foo" that does not exist: "foo.gz" (or .bz2, .xz, .zst,
 * .zz, or -S's suffix) if one does, as gzip -d does.  Else @a f. */
static int zc_ends_with(const char *s, const char *suffix)
{
    apr_size_t a = strlen(s), b = strlen(suffix);

    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static const char *zc_find_compressed(zc_t *z, const char *f)
{
    strata_codec_t c;
    const char *repl;
    static const char *const sufs[] = { ".gz", ".bz2", ".xz", ".zst", ".zz",
                                        NULL };
    apr_finfo_t fi;
    const char *name;
    int i;

    if (z->mode == ZC_COMPRESS || strcmp(f, "-") == 0
        || !APR_STATUS_IS_ENOENT(apr_stat(&fi, f, APR_FINFO_TYPE
                                          | APR_FINFO_LINK, z->fpool)))
        return f;
    if (z->suffix != NULL) {
        name = apr_pstrcat(z->fpool, f, z->suffix, NULL);
        if (apr_stat(&fi, name, APR_FINFO_TYPE, z->fpool) == APR_SUCCESS)
            return name;
    }
    for (i = 0; sufs[i] != NULL; i++) {
        name = apr_pstrcat(z->fpool, f, sufs[i], NULL);
        if (apr_stat(&fi, name, APR_FINFO_TYPE, z->fpool) == APR_SUCCESS)
            return name;
    }
    if (!tool_codec_match_suffix(zc_basename(f), &c, &repl)
        && (z->suffix == NULL || !zc_ends_with(f, z->suffix)))
        return apr_pstrcat(z->fpool, f, z->suffix != NULL ? z->suffix : ".gz",
                           NULL);           /* gzip names FILE.gz missing */
    return f;
}

/* One operand (or a file found by -r). */
static void zc_one(zc_t *z, const char *spec, int index)
{
    zc_job_t job;
    const char *f = zc_find_compressed(z, spec);

    memset(&job, 0, sizeof(job));
    job.name = strcmp(f, "-") == 0 ? "stdin" : f;
    if (z->mode == ZC_TEST || z->mode == ZC_LIST || z->to_stdout
        || strcmp(f, "-") == 0) {
        int before = z->rc;

        zc_streamed(z, &job, f, index);
        if (z->mode == ZC_LIST && job.out != NULL && z->rc == before)
            zc_list(z, &job, f);
    } else {
        zc_in_place(z, &job, f, index);
    }
}

/* -r: every file under the directory @a dir, depth first.  As gzip -r,
 * files that already have the suffix (or, decompressing, none) are passed
 * over without a word. */
static void zc_walk(zc_t *z, const char *dir, int index)
{
    apr_pool_t *dpool;
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;

    if (apr_pool_create(&dpool, z->ctx->pool) != APR_SUCCESS)
        return;
    if ((rv = apr_dir_open(&d, dir, dpool)) != APR_SUCCESS) {
        zc_fail(z, dir, tool_strerror(rv, dpool));
        apr_pool_destroy(dpool);
        return;
    }
    z->walking++;
    while (!z->pipe_closed
           && apr_dir_read(&fi, APR_FINFO_TYPE | APR_FINFO_NAME, d)
              == APR_SUCCESS) {
        const char *path;

        if (fi.name == NULL || strcmp(fi.name, ".") == 0
            || strcmp(fi.name, "..") == 0)
            continue;
        path = apr_pstrcat(dpool, dir, "/", fi.name, NULL);
        apr_pool_clear(z->fpool);
        if (fi.filetype == APR_DIR)
            zc_walk(z, path, index);
        else
            zc_one(z, path, index);
    }
    z->walking--;
    apr_dir_close(d);
    apr_pool_destroy(dpool);
}

static int zc_run(zc_t *z)
{
    int i;

    if (zc_terminal_check(z) < 0)
        return TOOL_EXIT_FAIL;
    if (z->progress)
        z->bar = tool_progress_create(z->ctx->err, zc_total(z), z->ctx->pool);
    for (i = 0; i < z->nfiles && !z->pipe_closed; i++) {
        apr_finfo_t fi;

        apr_pool_clear(z->fpool);
        if (z->recursive && strcmp(z->files[i], "-") != 0
            && apr_stat(&fi, z->files[i], APR_FINFO_TYPE, z->fpool)
               == APR_SUCCESS && fi.filetype == APR_DIR)
            zc_walk(z, z->files[i], i + 1);
        else
            zc_one(z, z->files[i], i + 1);
    }
    if (z->bar != NULL)
        tool_progress_finish(z->bar);
    if (z->mode == ZC_LIST && z->listed > 1)
        apr_file_printf(z->ctx->out, "%s%19" APR_UINT64_T_FMT " %19"
                        APR_UINT64_T_FMT " %s (totals)\n",
                        z->verbose ? "                            " : "",
                        z->list_in, z->list_out,
                        zc_ratio(z->list_out, z->list_in, z->list_overhead,
                                 z->ctx->pool));
    return z->pipe_closed ? TOOL_EXIT_PIPE : z->rc;
}

static int zc_main(tool_ctx_t *ctx, int argc, const char *const *argv,
                   zc_mode_t mode, const char *prog)
{
    zc_t z;
    int rc;

    memset(&z, 0, sizeof(z));
    z.ctx = ctx;
    z.mode = mode;
    z.prog = prog;
    if ((rc = zc_parse(&z, argc, argv)) >= 0)
        return rc;
    if (apr_pool_create(&z.fpool, ctx->pool) != APR_SUCCESS) {
        tool_error(ctx, "out of memory");
        return TOOL_EXIT_FAIL;
    }
    z.fctx = *ctx;
    z.fctx.pool = z.fpool;
    return zc_run(&z);
}

int tool_cmd_compress(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    return zc_main(ctx, argc, argv, ZC_COMPRESS,
                   strcmp(tool_progname, "strata") == 0 ? "strata compress"
                                                        : tool_progname);
}

int tool_cmd_decompress(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    return zc_main(ctx, argc, argv, ZC_DECOMPRESS,
                   strcmp(tool_progname, "strata") == 0 ? "strata decompress"
                                                        : tool_progname);
}
