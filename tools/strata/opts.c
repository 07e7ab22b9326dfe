/*
 * opts.c -- command-line options: a table per command, parsed with
 * apr_getopt_long(), with messages kept for one-line usage errors.
 */
#include "tool.h"
#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>

struct tool_opts_t {
    apr_getopt_t *os;
    apr_getopt_option_t *aopts;    /* the table as APR wants it */
    char msg[256];                 /* last message from apr_getopt_long */
};

/* apr_getopt_long() rejects a bare "-" as an invalid option, but it is an
 * operand here (stdin/stdout).  Before parsing, each "-" is replaced by this
 * string, recognised afterwards by its address, never by its contents. */
static const char opts_dash[] = "(dash)";

static const char *opts_undash(const char *arg)
{
    return arg == opts_dash ? "-" : arg;
}

/* apr_getopt_long's message callback: keep the message for the caller. */
static void opts_keep_message(void *arg, const char *fmt, ...)
{
    tool_opts_t *o = arg;
    apr_size_t len;
    va_list ap;

    va_start(ap, fmt);
    apr_vsnprintf(o->msg, sizeof(o->msg), fmt, ap);
    va_end(ap);
    len = strlen(o->msg);
    while (len > 0 && (o->msg[len - 1] == '\n' || o->msg[len - 1] == '\r'))
        o->msg[--len] = '\0';
}

tool_opts_t *tool_opts_init(const char *prog, int argc,
                            const char *const *argv,
                            const tool_option_t *table, int interleave,
                            apr_pool_t *pool)
{
    tool_opts_t *o = apr_pcalloc(pool, sizeof(*o));
    const char **args = apr_palloc(pool, (argc + 1) * sizeof(*args));
    int i, n;

    for (n = 0; table[n].optch != 0; n++)
        ;
    o->aopts = apr_pcalloc(pool, (n + 1) * sizeof(*o->aopts));
    for (i = 0; i < n; i++) {
        o->aopts[i].name = table[i].name;
        o->aopts[i].optch = table[i].optch;
        o->aopts[i].has_arg = table[i].arg != NULL;
        o->aopts[i].description = table[i].help;
    }
    args[0] = prog;    /* apr_getopt_long names the command by argv[0] */
    for (i = 1; i < argc; i++)
        args[i] = strcmp(argv[i], "-") == 0 ? opts_dash : argv[i];
    args[argc] = NULL;
    apr_getopt_init(&o->os, pool, argc, args);
    o->os->errfn = opts_keep_message;
    o->os->errarg = o;
    o->os->interleave = interleave;
    return o;
}

int tool_opts_next(tool_opts_t *o, int *optch, const char **arg)
{
    apr_status_t rv;

    *arg = NULL;
    o->msg[0] = '\0';
    rv = apr_getopt_long(o->os, o->aopts, optch, arg);
    if (rv == APR_EOF)
        return 0;
    if (rv != APR_SUCCESS) {
        if (o->msg[0] == '\0')
            apr_cpystrn(o->msg, "invalid option", sizeof(o->msg));
        return -1;
    }
    *arg = *arg != NULL ? opts_undash(*arg) : NULL;
    return 1;
}

const char *tool_opts_error(const tool_opts_t *o)
{
    return o->msg;
}

int tool_opts_operands(tool_opts_t *o, const char *const **operands)
{
    int i, n = o->os->argc - o->os->ind;
    const char **ops = apr_palloc(o->os->cont, (n + 1) * sizeof(*ops));

    for (i = 0; i < n; i++)
        ops[i] = opts_undash(o->os->argv[o->os->ind + i]);
    ops[n] = NULL;
    *operands = ops;
    return n;
}

void tool_opts_print(apr_file_t *f, const tool_option_t *t)
{
    char left[64];
    apr_size_t len;

    for (; t->optch != 0; t++) {
        if (t->optch < 256)
            apr_snprintf(left, sizeof(left), "  -%c, --%s%s%s", t->optch,
                         t->name, t->arg ? " " : "", t->arg ? t->arg : "");
        else
            apr_snprintf(left, sizeof(left), "      --%s%s%s", t->name,
                         t->arg ? " " : "", t->arg ? t->arg : "");
        len = strlen(left);
        apr_file_printf(f, "%s%*s%s\n", left, len < 24 ? (int)(24 - len) : 1,
                        "", t->help);
    }
}
