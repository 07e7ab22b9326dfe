/*
 * main.c -- the `strata` command: start APR, parse the global options and
 * hand over to a subcommand from the table below.
 */
#include "tool.h"
#include "strata_os.h"
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tool_cmd_t {
    const char *name;
    tool_cmd_fn *fn;
    const char *summary;
} tool_cmd_t;

static const tool_cmd_t tool_cmds[] = {
    { "cat", tool_cmd_cat, "copy inputs to an output through metered streams" },
    { "serve", tool_cmd_serve, "echo, discard, forward or file TCP server, metered" },
    { "compress", tool_cmd_compress,
      "compress files in place or to standard output, like gzip" },
    { "decompress", tool_cmd_decompress,
      "decompress (-t test, -l list) files, like gunzip" },
    { NULL, NULL, NULL }
};

/* Other names of the commands (not listed in the help). */
static const struct { const char *alias, *name; } tool_aliases[] = {
    { "c", "compress" }, { "z", "compress" }, { "zip", "compress" },
    { "d", "decompress" }, { "x", "decompress" }, { "unzip", "decompress" },
    { "uncompress", "decompress" },
    { NULL, NULL }
};

static const tool_option_t main_options[] = {
    { "help",    'h', NULL, "show this help and exit" },
    { "version", 'V', NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL }
};

static void main_usage(apr_file_t *f)
{
    const tool_cmd_t *cmd;

    apr_file_puts("usage: strata [-h | -V] COMMAND [ARGS...]\n"
                  "\n"
                  "Metered, stackable byte streams.\n"
                  "\n"
                  "commands:\n", f);
    for (cmd = tool_cmds; cmd->name != NULL; cmd++)
        apr_file_printf(f, "  %-10s  %s\n", cmd->name, cmd->summary);
    apr_file_puts("\noptions:\n", f);
    tool_opts_print(f, main_options);
    apr_file_puts("\nRun 'strata COMMAND --help' for a command's options, "
                  "'man strata' for the manual.\n"
                  "Installed as 'szcat', strata is 'strata decompress -c'.\n", f);
}

static const tool_cmd_t *main_find(const char *name)
{
    const tool_cmd_t *cmd;
    int i;

    for (i = 0; tool_aliases[i].alias != NULL; i++)
        if (strcmp(tool_aliases[i].alias, name) == 0)
            name = tool_aliases[i].name;
    for (cmd = tool_cmds; cmd->name != NULL; cmd++)
        if (strcmp(cmd->name, name) == 0)
            return cmd;
    return NULL;
}

/* The program's name without its folder and ".exe". */
static const char *main_progname(const char *argv0, apr_pool_t *pool)
{
    const char *base = argv0, *p;
    apr_size_t len;

    for (p = argv0; *p != '\0'; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".exe") == 0)
        return apr_pstrndup(pool, base, len - 4);
    return base;
}

/* Names strata answers to when installed under them (a link): the command
 * run, with -c for the zcat-like ones.  Messages then carry that name. */
static const struct {
    const char *prog;
    tool_cmd_fn *fn;
    int to_stdout;
} main_personas[] = {
    { "szcat", tool_cmd_decompress, 1 },
    { "gzip", tool_cmd_compress, 0 },
    { "gunzip", tool_cmd_decompress, 0 },
    { "zcat", tool_cmd_decompress, 1 },
    { NULL, NULL, 0 }
};

/* Started under one of main_personas' names: that command with ARGS. */
static int main_persona(tool_ctx_t *ctx, int argc, const char *const *argv,
                        int which)
{
    const char **args = apr_palloc(ctx->pool, (apr_size_t)(argc + 2)
                                              * sizeof(*args));
    int i, n = 0;

    args[n++] = main_personas[which].prog;
    if (main_personas[which].to_stdout)
        args[n++] = "-c";
    for (i = 1; i < argc; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    /* gunzip and zcat are gzip underneath: gzip's name in messages */
    tool_progname = strcmp(main_personas[which].prog, "szcat") == 0
                    ? "szcat" : "gzip";
    return main_personas[which].fn(ctx, n, args);
}

static int main_dispatch(tool_ctx_t *ctx, int argc, const char *const *argv)
{
    tool_opts_t *o;
    const char *const *rest;
    const tool_cmd_t *cmd;
    const char *arg;
    int ch, rc, n;

    if (argc > 0) {
        const char *me = main_progname(argv[0], ctx->pool);
        int i;

        for (i = 0; main_personas[i].prog != NULL; i++)
            if (strcmp(me, main_personas[i].prog) == 0)
                return main_persona(ctx, argc, argv, i);
    }
    o = tool_opts_init("strata", argc, argv, main_options, 0, ctx->pool);

    while ((rc = tool_opts_next(o, &ch, &arg)) == 1) {
        if (ch == 'h') {
            main_usage(ctx->out);
            return TOOL_EXIT_OK;
        }
        tool_print_version(ctx);    /* 'V' */
        return TOOL_EXIT_OK;
    }
    if (rc < 0) {
        tool_usage_error(ctx, "strata", "%s", tool_opts_error(o));
        return TOOL_EXIT_USAGE;
    }
    n = tool_opts_operands(o, &rest);
    if (n == 0) {
        tool_usage_error(ctx, "strata", "no command given");
        return TOOL_EXIT_USAGE;
    }
    if ((cmd = main_find(rest[0])) == NULL) {
        tool_usage_error(ctx, "strata", "unknown command '%s'", rest[0]);
        return TOOL_EXIT_USAGE;
    }
    return cmd->fn(ctx, n, rest);
}

int main(int argc, const char *const *argv)
{
    tool_ctx_t ctx;
    apr_status_t rv;
    int rc;

    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS) {
        fputs("strata: cannot initialise APR\n", stderr);
        return TOOL_EXIT_FAIL;
    }
    atexit(apr_terminate);
    strata__os_ignore_sigpipe();
    tool_signals_init();
    memset(&ctx, 0, sizeof(ctx));
    if ((rv = apr_pool_create(&ctx.pool, NULL)) != APR_SUCCESS
        || (rv = apr_file_open_stderr(&ctx.err, ctx.pool)) != APR_SUCCESS
        || (rv = apr_file_open_stdout(&ctx.out, ctx.pool)) != APR_SUCCESS
        || (rv = apr_file_open_stdin(&ctx.in, ctx.pool)) != APR_SUCCESS) {
        fputs("strata: cannot set up the standard files\n", stderr);
        return TOOL_EXIT_FAIL;
    }
    rc = main_dispatch(&ctx, argc, argv);
    apr_pool_destroy(ctx.pool);
    return rc;
}
