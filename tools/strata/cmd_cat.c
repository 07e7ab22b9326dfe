/*
 * cmd_cat.c -- `strata cat [-o OUT] [-c CODEC | -d [CODEC]] [--stats]
 *              [--progress] [IN...]`
 *
 * Opens every input first (so a missing one fails before anything is
 * written), then the output, then copies each input in turn with
 * strata_copy().  A file output is replaced atomically: it appears only
 * once everything was copied and committed; any failure leaves it as it was.
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
    { "output",   'o', "OUT",
      "write to OUT (- for standard output, the default)" },
    { "stats",    CAT_OPT_STATS, NULL,
      "at the end, print each stream layer's meters on standard error" },
    { "progress", CAT_OPT_PROGRESS, NULL,
      "show progress on standard error, if it is a terminal" },
    TOOL_CODEC_OPTIONS,
    { "help",     'h', NULL, "show this help and exit" },
    { "version",  'V', NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL }
};

typedef struct cat_t {
    tool_ctx_t *ctx;
    const char *output;
    int stats, progress;
    const char *const *inputs;
    int ninputs;
    tool_endpoint_t **eps;      /* the inputs, then the output */
    int neps;                   /* how many of them are open */
    tool_endpoint_t *out;
    tool_progress_t *bar;       /* NULL without --progress */
    const char *failure;        /* message for the first failure, if any */
    tool_codec_t codec;         /* -c / -d and their options */
} cat_t;

static void cat_usage(apr_file_t *f)
{
    apr_file_puts(
        "usage: strata cat [-o OUT] [-c CODEC [-l LEVEL] [-T N]]\n"
        "                  [-d [CODEC|auto] [--max-output BYTES] [--max-ratio N]]\n"
        "                  [--stats] [--progress] [IN...]\n"
        "\n"
        "Copy each IN in turn to OUT through metered streams.  IN is a file or\n"
        "- for standard input; without IN, standard input is read.  OUT is a\n"
        "file, replaced atomically once everything was copied (a failed copy\n"
        "leaves it as it was), or - for standard output.  An OUT that is a\n"
        "device, a pipe or a symbolic link is written in place.  -d decodes each\n"
        "IN (all concatenated members), -c encodes OUT; both may be given.\n"
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
    int ch, rc;

    tool_codec_prescan(&c->codec, argc, argv, &argc, &argv, c->ctx->pool);
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
        apr_file_printf(c->ctx->err, "%s (see '%s --help')\n",
                        tool_opts_error(o), CAT_PROG);
        return TOOL_EXIT_USAGE;
    }
    c->ninputs = tool_opts_operands(o, &c->inputs);
    if (c->ninputs == 0) {
        c->inputs = stdin_only;
        c->ninputs = 1;
    }
    return -1;
}

/* Open every input, then the output.  Returns -1, or the exit code after
 * printing the error (what was opened is left for cat_abort). */
static int cat_open(cat_t *c)
{
    const char *msg = NULL;
    int i;

    c->eps = apr_pcalloc(c->ctx->pool, (c->ninputs + 1) * sizeof(*c->eps));
    for (i = 0; i < c->ninputs; i++) {
        if (tool_endpoint_open_input(&c->eps[i], c->ctx, c->inputs[i], &msg)) {
            tool_error(c->ctx, "%s", msg);
            return TOOL_EXIT_FAIL;
        }
        c->neps++;
        if (tool_codec_push_input(&c->codec, c->eps[i], &msg, c->ctx->pool)) {
            tool_error(c->ctx, "%s", msg);
            return TOOL_EXIT_FAIL;
        }
    }
    if (tool_endpoint_open_output(&c->out, c->ctx, c->output, &msg)) {
        tool_error(c->ctx, "%s", msg);
        return TOOL_EXIT_FAIL;
    }
    c->eps[c->neps++] = c->out;
    if (tool_codec_push_output(&c->codec, c->out, &msg, c->ctx->pool)) {
        tool_error(c->ctx, "%s", msg);
        return TOOL_EXIT_FAIL;
    }
    return -1;
}

static void cat_abort(cat_t *c)
{
    int i;

    for (i = 0; i < c->neps; i++)
        tool_endpoint_abort(c->eps[i]);
}

/* Total input size for the progress bar, or -1 if any is unknown. */
static apr_off_t cat_total(const cat_t *c)
{
    apr_off_t total = 0;
    int i;

    for (i = 0; i < c->ninputs; i++) {
        if (c->eps[i]->size < 0)
            return -1;
        total += c->eps[i]->size;
    }
    return total;
}

static void cat_fail(cat_t *c, const char *what, const tool_endpoint_t *ep,
                     apr_status_t rv)
{
    if (c->failure == NULL)
        c->failure = apr_psprintf(c->ctx->pool, "%s %s: %s", what, ep->display,
                                  tool_strerror(rv, c->ctx->pool));
}

/* Copy each input to the output, closing each input when it is done. */
static apr_status_t cat_copy(cat_t *c)
{
    strata_copy_opts_t opts;
    apr_uint64_t n;
    apr_status_t rv;
    int i;

    memset(&opts, 0, sizeof(opts));
    if (c->bar != NULL && tool_progress_enabled(c->bar)) {
        opts.progress = tool_progress_copied;
        opts.baton = c->bar;
    }
    for (i = 0; i < c->ninputs; i++) {
        rv = strata_copy(c->eps[i]->top, c->out->top, &opts, &n);
        if (c->bar != NULL)
            tool_progress_next_input(c->bar, n);
        if (rv != APR_SUCCESS) {
            c->failure = apr_psprintf(c->ctx->pool, "cannot copy %s to %s: %s",
                                      c->eps[i]->display, c->out->display,
                                      tool_strerror(rv, c->ctx->pool));
            return rv;
        }
        if ((rv = tool_endpoint_close(c->eps[i])) != APR_SUCCESS) {
            cat_fail(c, "cannot close", c->eps[i], rv);
            return rv;
        }
    }
    return APR_SUCCESS;
}

static int cat_run(cat_t *c)
{
    apr_status_t rv;

    if (c->progress)
        c->bar = tool_progress_create(c->ctx->err, cat_total(c), c->ctx->pool);
    rv = cat_copy(c);
    if (rv == APR_SUCCESS && (rv = tool_endpoint_close(c->out)) != APR_SUCCESS)
        cat_fail(c, "cannot write", c->out, rv);
    if (rv != APR_SUCCESS)
        cat_abort(c);
    if (c->bar != NULL)
        tool_progress_finish(c->bar);
    if (c->failure != NULL)
        tool_error(c->ctx, "%s", c->failure);
    if (c->stats)
        tool_stats_print(c->ctx->err, c->eps, c->neps, c->ctx->pool);
    return rv == APR_SUCCESS ? TOOL_EXIT_OK : TOOL_EXIT_FAIL;
}

int tool_cmd_cat(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    cat_t c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.ctx = ctx;
    if ((rc = cat_parse(&c, argc, argv)) >= 0)
        return rc;
    if ((rc = cat_open(&c)) >= 0) {
        cat_abort(&c);
        return rc;
    }
    return cat_run(&c);
}
