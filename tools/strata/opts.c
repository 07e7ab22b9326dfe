/*
 * opts.c -- command-line options as gzip parses them (GNU getopt_long
 * conventions): combined short flags ("-dc", "-9k", "-T4"), an option's
 * argument attached or as the next word, long options with "=" or the next
 * word, unambiguous prefixes of long names ("--std" for "--stdout"),
 * options and operands in any order, "--" ending the options and a bare
 * "-" as an operand.  The whole command line is parsed up front; the
 * caller then takes the options one by one.
 */
#include "tool.h"
#include <apr_strings.h>
#include <string.h>

typedef struct opts_item_t {
    int optch;
    const char *arg;
} opts_item_t;

struct tool_opts_t {
    opts_item_t *items;
    int nitems, next;
    const char **operands;
    int noperands;
    char msg[256];                 /* why the command line is bad */
};

static const tool_option_t *opts_short(const tool_option_t *t, int ch)
{
    for (; t->optch != 0; t++)
        if (t->optch == ch && ch < 256)
            return t;
    return NULL;
}

/* The long option @a name (up to @a len chars): an exact match, else the
 * only one it is a prefix of.  *ambiguous is set when several match. */
static const tool_option_t *opts_long(const tool_option_t *t, const char *name,
                                      apr_size_t len, int *ambiguous)
{
    const tool_option_t *found = NULL;

    *ambiguous = 0;
    for (; t->optch != 0; t++) {
        if (t->name == NULL || strncmp(t->name, name, len) != 0)
            continue;
        if (t->name[len] == '\0')
            return t;
        if (found != NULL && found->optch != t->optch)
            *ambiguous = 1;
        found = t;
    }
    return *ambiguous ? NULL : found;
}

static void opts_add(tool_opts_t *o, int optch, const char *arg)
{
    o->items[o->nitems].optch = optch;
    o->items[o->nitems].arg = arg;
    o->nitems++;
}

/* "--name", "--name=value" or "--name value" at argv[*i]. */
static int opts_parse_long(tool_opts_t *o, const tool_option_t *table,
                           int argc, const char *const *argv, int *i)
{
    const char *word = argv[*i] + 2, *eq = strchr(word, '=');
    apr_size_t len = eq != NULL ? (apr_size_t)(eq - word) : strlen(word);
    const tool_option_t *opt;
    int ambiguous;

    opt = opts_long(table, word, len, &ambiguous);
    if (opt == NULL) {
        apr_snprintf(o->msg, sizeof(o->msg), "%s option '--%.*s'",
                     ambiguous ? "ambiguous" : "unrecognized", (int)len, word);
        return -1;
    }
    if (opt->arg == NULL) {
        if (eq != NULL) {
            apr_snprintf(o->msg, sizeof(o->msg),
                         "option '--%s' doesn't allow an argument", opt->name);
            return -1;
        }
        opts_add(o, opt->optch, NULL);
    } else if (eq != NULL) {
        opts_add(o, opt->optch, eq + 1);
    } else if (*i + 1 < argc) {
        opts_add(o, opt->optch, argv[++*i]);
    } else {
        apr_snprintf(o->msg, sizeof(o->msg),
                     "option '--%s' requires an argument", opt->name);
        return -1;
    }
    return 0;
}

/* A cluster of short flags "-abc" / "-T4" / "-T 4" at argv[*i]. */
static int opts_parse_short(tool_opts_t *o, const tool_option_t *table,
                            int argc, const char *const *argv, int *i)
{
    const char *p = argv[*i] + 1;
    const tool_option_t *opt;

    for (; *p != '\0'; p++) {
        if ((opt = opts_short(table, (unsigned char)*p)) == NULL) {
            apr_snprintf(o->msg, sizeof(o->msg), "invalid option -- '%c'", *p);
            return -1;
        }
        if (opt->arg == NULL) {
            opts_add(o, opt->optch, NULL);
            continue;
        }
        if (p[1] != '\0') {
            opts_add(o, opt->optch, p + 1);
        } else if (*i + 1 < argc) {
            opts_add(o, opt->optch, argv[++*i]);
        } else {
            apr_snprintf(o->msg, sizeof(o->msg),
                         "option requires an argument -- '%c'", *p);
            return -1;
        }
        break;
    }
    return 0;
}

tool_opts_t *tool_opts_init(const char *prog, int argc,
                            const char *const *argv,
                            const tool_option_t *table, int interleave,
                            apr_pool_t *pool)
{
    tool_opts_t *o = apr_pcalloc(pool, sizeof(*o));
    int i, only_operands = 0, rc = 0;

    (void)prog;
    o->items = apr_pcalloc(pool, (apr_size_t)(argc + 1) * sizeof(*o->items));
    o->operands = apr_pcalloc(pool, (apr_size_t)(argc + 1) * sizeof(char *));
    for (i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i];

        if (only_operands || a[0] != '-' || a[1] == '\0') {
            o->operands[o->noperands++] = a;
            if (!interleave)
                only_operands = 1;
        } else if (strcmp(a, "--") == 0) {
            only_operands = 1;
        } else if (a[1] == '-') {
            rc = opts_parse_long(o, table, argc, argv, &i);
        } else {
            rc = opts_parse_short(o, table, argc, argv, &i);
        }
    }
    if (rc != 0)
        opts_add(o, -1, NULL);      /* reported after the good ones */
    return o;
}

int tool_opts_next(tool_opts_t *o, int *optch, const char **arg)
{
    *optch = 0;
    *arg = NULL;
    if (o->next >= o->nitems)
        return 0;
    if (o->items[o->next].optch < 0)
        return -1;
    *optch = o->items[o->next].optch;
    *arg = o->items[o->next].arg;
    o->next++;
    return 1;
}

const char *tool_opts_error(const tool_opts_t *o)
{
    return o->msg;
}

int tool_opts_operands(tool_opts_t *o, const char *const **operands)
{
    *operands = o->operands;
    return o->noperands;
}

void tool_opts_print(apr_file_t *f, const tool_option_t *t)
{
    char left[64];
    apr_size_t len;

    for (; t->optch != 0; t++) {
        if (t->help == NULL)
            continue;
        if (t->optch < 256 && t->name != NULL)
            apr_snprintf(left, sizeof(left), "  -%c, --%s%s%s", t->optch,
                         t->name, t->arg ? " " : "", t->arg ? t->arg : "");
        else if (t->optch == '1')       /* the levels: one line */
            apr_cpystrn(left, "  -1 .. -9", sizeof(left));
        else if (t->optch < 256)
            apr_snprintf(left, sizeof(left), "  -%c%s%s", t->optch,
                         t->arg ? " " : "", t->arg ? t->arg : "");
        else
            apr_snprintf(left, sizeof(left), "      --%s%s%s", t->name,
                         t->arg ? " " : "", t->arg ? t->arg : "");
        len = strlen(left);
        apr_file_printf(f, "%s%*s%s\n", left, len < 26 ? (int)(26 - len) : 1,
                        "", t->help);
    }
}
