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
#define TOOL_EXIT_WARN  2   /* compress/decompress: a file skipped with a
                               warning (gzip's convention), nothing failed */
#define TOOL_EXIT_PIPE  141 /* standard output closed early (128 + SIGPIPE,
                               what a shell reports for gzip then) */

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
int tool_cmd_compress(tool_ctx_t *ctx, int argc, const char *const *argv);
int tool_cmd_decompress(tool_ctx_t *ctx, int argc, const char *const *argv);

/* ---- signals (signals.c) ------------------------------------------------- */

/* Catch SIGINT, SIGTERM and SIGHUP: remove the tracked file, if any, and
 * exit with 128 + the signal number. */
void tool_signals_init(void);

/* The file to remove if a signal comes (a temporary output); one at a
 * time, NULL or untrack for none. */
void tool_signals_track(const char *path);
void tool_signals_untrack(void);
/* Block (1) or unblock (0) SIGINT/SIGTERM/SIGHUP in the calling thread:
 * threads started meanwhile never take them (POSIX; no-op on Windows). */
void tool_signals_hold(int hold);
/* Wait up to @a ms ms for SIGINT/SIGTERM held by tool_signals_hold(1):
 * the signal, or 0 (Linux; elsewhere it sleeps and handlers report). */
int tool_signals_wait(int ms);

/* ---- messages (util.c) ---------------------------------------------------- */

/* The name messages start with: "strata", or the name the tool was
 * installed under ("gzip", "gunzip", "zcat", "szcat"). */
extern const char *tool_progname;

/* Print "<tool_progname>: <message>\n" on standard error (one line). */
void tool_error(tool_ctx_t *ctx, const char *fmt, ...) TOOL_PRINTF(2, 3);

/* Print "<prog>: <message> (see '<prog> --help')\n" on standard error. */
void tool_usage_error(tool_ctx_t *ctx, const char *prog, const char *fmt, ...)
    TOOL_PRINTF(3, 4);

/* "strata <version>" and the codec libraries' versions on standard output. */
void tool_print_version(tool_ctx_t *ctx);

/* strata_strerror() into a string from @a pool. */
const char *tool_strerror(apr_status_t rv, apr_pool_t *pool);

/* "512B", "1.5KiB", "3.2GiB" into @a buf (at least 16 bytes). */
void tool_human_size(char *buf, apr_size_t size, apr_uint64_t bytes);

/* "m:ss" or "h:mm:ss" into @a buf (at least 24 bytes). */
void tool_human_duration(char *buf, apr_size_t size, apr_uint64_t seconds);

/* ---- options (opts.c) ----------------------------------------------------- */

/* One command-line option.  optch is the short letter, or a value above 255
 * for a long-only option; name is the long name (NULL: short only; several
 * entries may share an optch, as aliases); arg names the option's argument
 * (NULL: none); help NULL hides the entry from tool_opts_print. */
typedef struct tool_option_t {
    const char *name;
    int optch;
    const char *arg;
    const char *help;
} tool_option_t;

typedef struct tool_opts_t tool_opts_t;

/*
 * Parse @a argv (argv[0] is skipped) against @a table, which ends with an
 * entry whose optch is 0, as GNU getopt_long does for gzip: short flags
 * combine ("-dc", "-9k"), an argument is attached ("-T4", "--threads=4")
 * or the next word, a long name may be shortened to an unambiguous prefix,
 * "--" ends the options.  With @a interleave, options may follow operands
 * (else the first operand ends them).  A bare "-" is an operand (or an
 * option's argument), as usual for stdin/stdout.  @a prog is unused (the
 * caller names the command in its messages).
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
