/*
 * tool.h -- what the files of the `strata` command-line tool share: the
 * run context, exit codes, messages, option tables and the subcommands.
 *
 * The tool is portable code: it talks to the OS only through APR and the
 * strata__os_ helpers (strata_os.h), never through an OS header.
 */
#ifndef STRATA_TOOL_H
#define STRATA_TOOL_H

#include "strata/strata.h"
#include <apr_file_io.h>
#include <apr_getopt.h>

/* Exit codes. */
#define TOOL_EXIT_OK    0   /* done */
#define TOOL_EXIT_FAIL  1   /* an input, an output or a transfer failed */
#define TOOL_EXIT_USAGE 2   /* bad command line */

#if defined(__GNUC__) && !defined(_WIN32)
#  define TOOL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define TOOL_PRINTF(f, a)
#endif

/* One run of the tool: its pool and the three standard files. */
typedef struct tool_ctx_t {
    apr_pool_t *pool;
    apr_file_t *in, *out, *err;
} tool_ctx_t;

/* A subcommand: argv[0] is its name, the rest its arguments.  Returns an
 * exit code (TOOL_EXIT_*). */
typedef int (tool_cmd_fn)(tool_ctx_t *ctx, int argc, const char *const *argv);

int tool_cmd_cat(tool_ctx_t *ctx, int argc, const char *const *argv);
int tool_cmd_serve(tool_ctx_t *ctx, int argc, const char *const *argv);

/* ---- messages (util.c) ---------------------------------------------------- */

/* Print "strata: <message>\n" on standard error (one line). */
void tool_error(tool_ctx_t *ctx, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* Print "<prog>: <message> (see '<prog> --help')\n" on standard error. */
void tool_usage_error(tool_ctx_t *ctx, const char *prog, const char *fmt, ...)
    TOOL_PRINTF(3, 4);

/* "strata <version>\n" on standard output. */
void tool_print_version(tool_ctx_t *ctx);

/* strata_strerror() into a string from @a pool. */
const char *tool_strerror(apr_status_t rv, apr_pool_t *pool);

/* "512B", "1.5KiB", "3.2GiB" into @a buf (at least 16 bytes). */
void tool_human_size(char *buf, apr_size_t size, apr_uint64_t bytes);

/* "m:ss" or "h:mm:ss" into @a buf (at least 24 bytes). */
void tool_human_duration(char *buf, apr_size_t size, apr_uint64_t seconds);

/* ---- options (opts.c) ----------------------------------------------------- */

/* One command-line option.  optch is the short letter, or a value above 255
 * for a long-only option; arg names the option's argument (NULL: none). */
typedef struct tool_option_t {
    const char *name;
    int optch;
    const char *arg;
    const char *help;
} tool_option_t;

typedef struct tool_opts_t tool_opts_t;

/*
 * Start parsing @a argv (argv[0] is skipped) against @a table, which ends
 * with an entry whose optch is 0.  @a prog ("strata cat") names the command
 * in messages.  With @a interleave, options may follow operands.  A bare
 * "-" is an operand (or an option's argument), as usual for stdin/stdout.
 */
tool_opts_t *tool_opts_init(const char *prog, int argc,
                            const char *const *argv,
                            const tool_option_t *table, int interleave,
                            apr_pool_t *pool);

/* Next option: 1 with *optch and *arg set, 0 at the end of the options,
 * -1 for a bad command line (tool_opts_error() says why). */
int tool_opts_next(tool_opts_t *o, int *optch, const char **arg);

/* The message for the last -1 from tool_opts_next(). */
const char *tool_opts_error(const tool_opts_t *o);

/* After tool_opts_next() returned 0: the operands, in order. */
int tool_opts_operands(tool_opts_t *o, const char *const **operands);

/* Print the option table, one option per line, on @a f. */
void tool_opts_print(apr_file_t *f, const tool_option_t *table);

#endif /* STRATA_TOOL_H */
