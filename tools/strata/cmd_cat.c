/*
 * cmd_cat.c -- `strata cat [-o OUT] [-d] [-F FORMAT] [-1..-9] [-T N]
 *              [--max-output BYTES] [--max-ratio N] [--stats] [--progress]
 *              [IN...]`
 *
 * Opens the output, then copies each input in turn.  Like cat, an input
 * that cannot be opened is reported and skipped, the others are still
 * copied, and the exit status is 1 at the end.  A failure while copying
 * (corrupt data, a limit, a write error) stops the run.  A file output is
 * replaced atomically: it appears only once the run has ended without a
 * copy failure; otherwise (and on a signal) it is left as it was.
 */
#include "tool.h"
#include "endpoint.h"
#include "codec.h"
#include "progress.h"
#include "stats.h"
#include <apr_strings.h>
#include <string.h>

#define CAT_PROG "strata cat"

enum { CAT_OPT_STATS = 256, CAT_OPT_PROGRESS };

static const tool_option_t cat_options[] = {
    { "output",     'o', "OUT",
      "write to OUT (- for standard output, the default)" },
    { "decompress", 'd', NULL,
      "decompress each input (format detected, or -F)" },
    TOOL_CODEC_OPTIONS,
    { "stats",      CAT_OPT_STATS, NULL,
      "at the end, print each layer's meters (stderr)" },
    { "progress",   CAT_OPT_PROGRESS, NULL,
      "show progress on stderr, if a terminal" },
    { "help",       'h', NULL, "show this help and exit" },
    { "version",    'V', NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL }
};

typedef struct cat_t {
    tool_ctx_t *ctx;
    const char *output;
    int stats, progress, decompress;
    const char *const *inputs;
    int ninputs;
    tool_endpoint_t **eps;      /* the inputs opened, then the output */
    int neps;
    tool_endpoint_t *out;
    tool_progress_t *bar;       /* NULL without --progress */
    tool_codec_t codec;
    int missing;                /* inputs skipped or with trailing garbage */
    int pipe_closed;
} cat_t;

static void cat_usage(apr_file_t *f)
{
    apr_file_puts(
        "usage: strata cat [-o OUT] [-d] [-F FORMAT] [-1..-9] [-T N]\n"
        "                  [--max-output BYTES] [--max-ratio N]\n"
        "                  [--stats] [--progress] [IN...]\n"
        "\n"
        "Copy each IN in turn to OUT through metered streams.  IN is a file or\n"
        "- for standard input; without IN, standard input is read.  An IN that\n"
        "cannot be opened is reported and skipped (exit status 1 at the end).\n"
        "OUT is a file, replaced atomically once everything was copied (a failed\n"
        "copy leaves it as it was), or - for standard output.  -F FORMAT\n"
        "compresses OUT; with -d, each IN is decompressed (all members; format\n"
        "detected, or the one -F names).  --max-output counts the whole run's\n"
        "output; --max-ratio each decompressed IN.\n"
        "\n"
        "options:\n", f);
    tool_opts_print(f, cat_options);
}

/* Returns -1 to go on, or the exit code. */
static int cat_parse(cat_t *c, int argc, const char *const *argv)
{
    static const char *const stdin_only[] = { "-", NULL };
    tool_opts_t *o;
    const char *arg, *msg = NULL;
    strata_codec_t enc;
    int ch, rc;

    tool_codec_init(&c->codec);
    o = tool_opts_init(CAT_PROG, argc, argv, cat_options, 1, c->ctx->pool);
    c->output = "-";
    while ((rc = tool_opts_next(o, &ch, &arg)) == 1) {
        switch (ch) {
        case 'o':
            if (*arg == '\0') {
                tool_usage_error(c->ctx, CAT_PROG, "-o needs a file name");
                return TOOL_EXIT_USAGE;
            }
            c->output = arg;
            break;
        case 'd':
            c->decompress = 1;
            break;
        case CAT_OPT_STATS:
            c->stats = 1;
            break;
        case CAT_OPT_PROGRESS:
            c->progress = 1;
            break;
        case 'h':
            cat_usage(c->ctx->out);
            return TOOL_EXIT_OK;
        case 'V':
            tool_print_version(c->ctx);
            return TOOL_EXIT_OK;
        default:
            if (tool_codec_option(&c->codec, ch, arg, &msg, c->ctx->pool) < 0) {
                tool_usage_error(c->ctx, CAT_PROG, "%s", msg);
                return TOOL_EXIT_USAGE;
            }
        }
    }
    if (rc < 0) {
        tool_usage_error(c->ctx, CAT_PROG, "%s", tool_opts_error(o));
        return TOOL_EXIT_USAGE;
    }
    enc = c->codec.format;
    if (!c->decompress && enc == STRATA_CODEC_AUTO)
        enc = STRATA_CODEC_NONE;
    if (tool_codec_check(&c->codec, c->decompress,
                         !c->decompress && enc != STRATA_CODEC_NONE, enc,
                         &msg, c->ctx->pool) < 0) {
        tool_usage_error(c->ctx, CAT_PROG, "%s", msg);
        return TOOL_EXIT_USAGE;
    }
    c->ninputs = tool_opts_operands(o, &c->inputs);
    if (c->ninputs == 0) {
        c->inputs = stdin_only;
        c->ninputs = 1;
    }
    return -1;
}

/* Total size of the inputs for the progress bar, or -1 if any is unknown. */
static apr_off_t cat_total(const cat_t *c)
{
    apr_off_t total = 0;
    apr_finfo_t fi;
    int i;

    for (i = 0; i < c->ninputs; i++) {
        if (strcmp(c->inputs[i], "-") == 0
            || apr_stat(&fi, c->inputs[i], APR_FINFO_SIZE | APR_FINFO_TYPE,
                        c->ctx->pool) != APR_SUCCESS
            || fi.filetype != APR_REG)
            return -1;
        total += fi.size;
    }
    return total;
}

/* The output, with its compressing layer.  0, or -1 after the message. */
static int cat_open_output(cat_t *c)
{
    const char *msg = NULL;

    if (tool_endpoint_open_output(&c->out, c->ctx, c->output,
                                  APR_FPROT_OS_DEFAULT, &msg) != APR_SUCCESS) {
        tool_error(c->ctx, "%s", msg);
        return -1;
    }
    c->eps[c->neps++] = c->out;
    if (!c->decompress && c->codec.format != STRATA_CODEC_AUTO
        && tool_codec_push_encoder(&c->codec, c->out, c->codec.format, &msg,
                                   c->ctx->pool) != APR_SUCCESS) {
        tool_error(c->ctx, "%s", msg);
        return -1;
    }
    return 0;
}

/* Report a failed copy; quiet for a closed standard output. */
static void cat_copy_failed(cat_t *c, tool_endpoint_t *in, apr_status_t rv,
                            tool_side_t side)
{
    apr_pool_t *p = c->ctx->pool;

    if (side == TOOL_SIDE_OUT && APR_STATUS_IS_EPIPE(rv) && !c->out->atomic) {
        c->pipe_closed = 1;
        return;
    }
    if (side == TOOL_SIDE_LIMIT)
        tool_error(c->ctx, "%s", tool_codec_limit_message(&c->codec, p));
    else if (side == TOOL_SIDE_OUT)
        tool_error(c->ctx, "cannot write %s: %s", c->out->display,
                   tool_strerror(rv, p));
    else if (in->codec != NULL)
        tool_error(c->ctx, "%s: %s", in->display,
                   tool_codec_error(&c->codec, in, c->codec.format, rv, p));
    else
        tool_error(c->ctx, "cannot read %s: %s", in->display,
                   tool_strerror(rv, p));
}

/* Open, copy and close one input.  0 fine or skipped, -1 stop the run. */
static int cat_one(cat_t *c, int i)
{
    tool_copy_progress_t prog = { NULL, NULL };
    tool_side_t side = TOOL_SIDE_NONE;
    tool_endpoint_t *in;
    const char *msg = NULL;
    apr_uint64_t copied = 0;
    apr_status_t rv;

    if (tool_endpoint_open_input(&in, c->ctx, c->inputs[i], &msg)
            != APR_SUCCESS) {
        tool_error(c->ctx, "%s", msg);
        c->missing++;
        return 0;
    }
    c->eps[c->neps++] = in;
    if (c->decompress
        && tool_codec_push_decoder(&c->codec, in, c->codec.format, 0, &msg,
                                   c->ctx->pool) != APR_SUCCESS) {
        tool_error(c->ctx, "%s", msg);
        return -1;
    }
    if (c->bar != NULL) {
        tool_progress_file(c->bar, c->ninputs > 1 ? c->inputs[i] : NULL,
                           i + 1, c->ninputs, in->base);
        prog.fn = tool_progress_copied;
        prog.baton = c->bar;
    }
    rv = tool_copy(&c->codec, in, c->out, &prog, &copied, &side);
    if (c->bar != NULL)
        tool_progress_next_input(c->bar, copied);
    if (side == TOOL_SIDE_IN) {         /* gzip: data after the members */
        tool_trailing_t t = tool_codec_trailing(in, rv, c->ctx->pool);

        if (t == TOOL_TRAILING_GARBAGE) {
            tool_error(c->ctx, "%s: decompression OK, trailing garbage "
                       "ignored", in->display);
            c->missing++;               /* exit status 1 at the end */
        }
        if (t == TOOL_TRAILING_ZEROS || t == TOOL_TRAILING_GARBAGE) {
            rv = APR_SUCCESS;
            tool_endpoint_abort(in);
        }
    }
    if (rv == APR_SUCCESS && (rv = tool_endpoint_close(in)) != APR_SUCCESS)
        side = TOOL_SIDE_IN;
    if (rv != APR_SUCCESS) {
        cat_copy_failed(c, in, rv, side);
        return -1;
    }
    return 0;
}

static int cat_run(cat_t *c)
{
    apr_status_t rv = APR_SUCCESS;
    int i, failed = 0;

    c->eps = apr_pcalloc(c->ctx->pool, (apr_size_t)(c->ninputs + 1)
                                       * sizeof(*c->eps));
    if (cat_open_output(c) < 0) {
        failed = 1;
    } else {
        if (c->progress)
            c->bar = tool_progress_create(c->ctx->err, cat_total(c),
                                          c->ctx->pool);
        for (i = 0; i < c->ninputs && !failed; i++)
            failed = cat_one(c, i) < 0;
        if (!failed && (rv = tool_endpoint_close(c->out)) != APR_SUCCESS) {
            failed = 1;
            cat_copy_failed(c, c->out, rv, TOOL_SIDE_OUT);
        }
        if (c->bar != NULL)
            tool_progress_finish(c->bar);
    }
    for (i = 0; i < c->neps; i++)
        tool_endpoint_abort(c->eps[i]);     /* nothing after a close */
    if (c->stats && c->neps > 0) {          /* inputs first, then OUT */
        tool_endpoint_t **rows = apr_palloc(c->ctx->pool, (apr_size_t)c->neps
                                                          * sizeof(*rows));

        memcpy(rows, c->eps + 1, (apr_size_t)(c->neps - 1) * sizeof(*rows));
        rows[c->neps - 1] = c->eps[0];
        tool_stats_print(c->ctx->err, rows, c->neps, c->ctx->pool);
    }
    if (c->pipe_closed)
        return TOOL_EXIT_PIPE;
    return failed || c->missing ? TOOL_EXIT_FAIL : TOOL_EXIT_OK;
}

int tool_cmd_cat(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    cat_t c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.ctx = ctx;
    if ((rc = cat_parse(&c, argc, argv)) >= 0)
        return rc;
    return cat_run(&c);
}
