/*
 * endpoint.c -- open an input or output spec as a stack of streams.
 *
 * Each kind of spec is a row of ep_schemes: how to recognise it and how to
 * open its base stream for reading or writing.  A new scheme (tcp://) is a
 * new row; decorators go on top with tool_endpoint_push().
 */
#include "endpoint.h"
#include "strata/stream_type.h"
#include <apr_strings.h>
#include <string.h>

typedef apr_status_t (ep_open_fn)(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                  const char **errmsg);

typedef struct ep_scheme_t {
    const char *name;
    int (*match)(const char *spec);   /* NULL: matches anything (a path) */
    ep_open_fn *open_in;
    ep_open_fn *open_out;
} ep_scheme_t;

/* ---- size of an input ----------------------------------------------------- */

/* The size of a regular file under @s, or -1 (pipe, terminal, device). */
static apr_off_t ep_probe_size(strata_stream_t *s)
{
    apr_file_t *f = strata_file_get(s);
    apr_finfo_t finfo;
    apr_off_t size = -1;
    apr_status_t rv;

    if (f == NULL)
        return -1;
    rv = apr_file_info_get(&finfo, APR_FINFO_TYPE, f);
    if ((rv != APR_SUCCESS && rv != APR_INCOMPLETE) || finfo.filetype != APR_REG)
        return -1;
    if (strata_control(s, STRATA_CTL_FILE_SIZE, &size) != APR_SUCCESS)
        return -1;
    return size;
}

/* ---- "-": standard input and output ---------------------------------------- */

static int ep_is_stdio(const char *spec)
{
    return strcmp(spec, "-") == 0;
}

static apr_status_t ep_stdio_open_in(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                     const char **errmsg)
{
    apr_status_t rv = strata_file_wrap(&ep->base, ctx->in, 0, ctx->pool);

    ep->display = "standard input";
    if (rv != APR_SUCCESS)
        *errmsg = apr_psprintf(ctx->pool, "cannot read standard input: %s",
                               tool_strerror(rv, ctx->pool));
    return rv;
}

static apr_status_t ep_stdio_open_out(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                      const char **errmsg)
{
    apr_status_t rv = strata_file_wrap(&ep->base, ctx->out, 0, ctx->pool);

    ep->display = "standard output";
    if (rv != APR_SUCCESS)
        *errmsg = apr_psprintf(ctx->pool, "cannot write standard output: %s",
                               tool_strerror(rv, ctx->pool));
    return rv;
}

/* ---- a path ------------------------------------------------------------------ */

static int ep_is_dir(const char *path, apr_pool_t *pool)
{
    apr_finfo_t finfo;
    apr_status_t rv = apr_stat(&finfo, path, APR_FINFO_TYPE, pool);

    return (rv == APR_SUCCESS || rv == APR_INCOMPLETE)
           && finfo.filetype == APR_DIR;
}

static apr_status_t ep_file_open_in(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                    const char **errmsg)
{
    apr_status_t rv;

    ep->display = apr_psprintf(ctx->pool, "'%s'", ep->spec);
    if (ep_is_dir(ep->spec, ctx->pool)) {
        *errmsg = apr_psprintf(ctx->pool, "cannot open %s: Is a directory",
                               ep->display);
        return APR_EINVAL;
    }
    rv = strata_file_open(&ep->base, ep->spec, APR_FOPEN_READ,
                          APR_FPROT_OS_DEFAULT, 0, ctx->pool);
    if (rv != APR_SUCCESS)
        *errmsg = apr_psprintf(ctx->pool, "cannot open %s: %s", ep->display,
                               tool_strerror(rv, ctx->pool));
    return rv;
}

/*
 * A new path or a regular file is replaced atomically.  Anything else that
 * already exists -- a device (/dev/null), a FIFO, a symbolic link -- is
 * written in place, as a shell redirection would: replacing it would swap
 * the node itself for a regular file.
 */
/* The temporary file behind an atomic file stream, to remove on a signal
 * (NULL when it has no name: an unnamed O_TMPFILE leaves nothing behind). */
static const char *ep_temp_name(tool_endpoint_t *ep)
{
    const char *name = NULL;

    if (strata_control(ep->base, STRATA_CTL_FILE_TEMP_PATH, &name)
            != APR_SUCCESS)
        return NULL;
    return name;
}

static apr_status_t ep_file_open_out(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                     const char **errmsg)
{
    apr_int32_t aflags = APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE;
    apr_finfo_t finfo;
    apr_status_t rv;
    int exists;

    ep->display = apr_psprintf(ctx->pool, "'%s'", ep->spec);
    rv = apr_stat(&finfo, ep->spec, APR_FINFO_TYPE | APR_FINFO_LINK, ctx->pool);
    exists = rv == APR_SUCCESS || rv == APR_INCOMPLETE;
    if (exists && finfo.filetype == APR_DIR) {
        *errmsg = apr_psprintf(ctx->pool, "cannot create %s: Is a directory",
                               ep->display);
        return APR_EINVAL;
    }
    ep->atomic = !exists || finfo.filetype == APR_REG;
    rv = strata_file_open(&ep->base, ep->spec, aflags, ep->perm,
                          ep->atomic ? STRATA_FILE_ATOMIC : 0, ctx->pool);
    if (rv != APR_SUCCESS && ep->atomic)     /* the temporary failed */
        *errmsg = apr_psprintf(ctx->pool,
                               "cannot create a file in folder '%s' (for %s): %s",
                               strata_file_temp_dir(ep->spec, ctx->pool),
                               ep->display,
                               tool_strerror(rv, ctx->pool));
    else if (rv != APR_SUCCESS)
        *errmsg = apr_psprintf(ctx->pool, "cannot open %s: %s", ep->display,
                               tool_strerror(rv, ctx->pool));
    if (rv == APR_SUCCESS && ep->atomic) {
        ep->tmp = ep_temp_name(ep);
        tool_signals_track(ep->tmp);
    }
    return rv;
}

/* ---- tcp://HOST:PORT ---------------------------------------------------------- */

static int ep_is_tcp(const char *spec)
{
    return strncmp(spec, "tcp://", 6) == 0;
}

/* Connect to the spec's HOST:PORT (30 s to connect; reads and writes wait
 * as long as the peer takes). */
static apr_status_t ep_tcp_connect(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                   const char **errmsg)
{
    strata_tcp_opts_t o;
    char *host;
    apr_port_t port;
    apr_status_t rv;

    ep->display = apr_psprintf(ctx->pool, "'%s'", ep->spec);
    rv = strata_parse_hostport(ep->spec + 6, &host, &port, ctx->pool);
    if (rv != APR_SUCCESS || host == NULL || port == 0) {
        *errmsg = apr_psprintf(ctx->pool, "%s: expected tcp://HOST:PORT",
                               ep->display);
        return APR_EINVAL;
    }
    memset(&o, 0, sizeof(o));
    o.connect_timeout = apr_time_from_sec(30);
    rv = strata_tcp_connect(&ep->base, host, port, &o, ctx->pool);
    if (rv != APR_SUCCESS)
        *errmsg = apr_psprintf(ctx->pool, "cannot connect to %s: %s",
                               ep->display, tool_strerror(rv, ctx->pool));
    return rv;
}

/* Reading: we send nothing, so say so at once (the peer sees EOF). */
static apr_status_t ep_tcp_open_in(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                   const char **errmsg)
{
    apr_status_t rv = ep_tcp_connect(ep, ctx, errmsg);

    if (rv == APR_SUCCESS)
        strata_shutdown_write(ep->base);
    return rv;
}

/* Writing: closing sends FIN after the last byte. */
static apr_status_t ep_tcp_open_out(tool_endpoint_t *ep, tool_ctx_t *ctx,
                                    const char **errmsg)
{
    return ep_tcp_connect(ep, ctx, errmsg);
}

/* ---- the table ------------------------------------------------------------- */

static const ep_scheme_t ep_schemes[] = {
    { "stdio", ep_is_stdio, ep_stdio_open_in, ep_stdio_open_out },
    { "tcp",   ep_is_tcp,   ep_tcp_open_in,   ep_tcp_open_out },
    { "file",  NULL,        ep_file_open_in,  ep_file_open_out },
};

static const ep_scheme_t *ep_scheme_for(const char *spec)
{
    apr_size_t i;

    for (i = 0; i < sizeof(ep_schemes) / sizeof(ep_schemes[0]); i++)
        if (ep_schemes[i].match == NULL || ep_schemes[i].match(spec))
            return &ep_schemes[i];
    return NULL;
}

static apr_status_t ep_open(tool_endpoint_t **out, tool_ctx_t *ctx,
                            const char *spec, tool_ep_dir_t dir,
                            apr_fileperms_t perm, const char **errmsg)
{
    const ep_scheme_t *scheme = ep_scheme_for(spec);
    tool_endpoint_t *ep;
    apr_status_t rv;

    if (scheme == NULL) {
        *errmsg = apr_psprintf(ctx->pool, "'%s': unknown kind of endpoint", spec);
        return APR_EINVAL;
    }
    ep = apr_pcalloc(ctx->pool, sizeof(*ep));
    ep->spec = apr_pstrdup(ctx->pool, spec);
    ep->dir = dir;
    ep->perm = perm;
    ep->size = -1;
    rv = (dir == TOOL_EP_IN ? scheme->open_in : scheme->open_out)(ep, ctx, errmsg);
    if (rv != APR_SUCCESS)
        return rv;
    ep->top = ep->base;
    if (dir == TOOL_EP_IN)
        ep->size = ep_probe_size(ep->base);
    *out = ep;
    return APR_SUCCESS;
}

apr_status_t tool_endpoint_open_input(tool_endpoint_t **out, tool_ctx_t *ctx,
                                      const char *spec, const char **errmsg)
{
    return ep_open(out, ctx, spec, TOOL_EP_IN, APR_FPROT_OS_DEFAULT, errmsg);
}

apr_status_t tool_endpoint_open_output(tool_endpoint_t **out, tool_ctx_t *ctx,
                                       const char *spec, apr_fileperms_t perm,
                                       const char **errmsg)
{
    return ep_open(out, ctx, spec, TOOL_EP_OUT, perm, errmsg);
}

/* ---- a sink that keeps nothing (for -t and -l) ------------------------------ */

static apr_status_t ep_null_write(strata_stream_t *s, const void *buf,
                                  apr_size_t len, apr_size_t *n)
{
    (void)s;
    (void)buf;
    *n = len;
    return APR_SUCCESS;
}

static const strata_stream_type_t ep_null_type = {
    STRATA_STREAM_TYPE_VERSION, "null", STRATA_CAP_WRITE,
    sizeof(strata_stream_t), NULL, ep_null_write, NULL, NULL, NULL, NULL, NULL
};

apr_status_t tool_endpoint_open_null(tool_endpoint_t **out, tool_ctx_t *ctx)
{
    tool_endpoint_t *ep = apr_pcalloc(ctx->pool, sizeof(*ep));
    apr_status_t rv;

    rv = strata_stream_alloc(&ep->base, &ep_null_type, NULL, 0, ctx->pool);
    if (rv != APR_SUCCESS)
        return rv;
    strata_stream_ready(ep->base);
    ep->spec = "(nothing)";
    ep->display = "nothing";
    ep->dir = TOOL_EP_OUT;
    ep->size = -1;
    ep->top = ep->base;
    *out = ep;
    return APR_SUCCESS;
}

void tool_endpoint_push(tool_endpoint_t *ep, strata_stream_t *layer)
{
    ep->top = layer;
    if (strata_stream_is_codec(layer))
        ep->codec = layer;
}

apr_status_t tool_endpoint_close(tool_endpoint_t *ep)
{
    strata_stream_t *s;
    apr_status_t rv = APR_SUCCESS, rv2;

    if (ep->closed)
        return APR_SUCCESS;
    ep->closed = 1;
    /* Top down, each layer finishing into the one below.  The atomic base
     * commits only if every layer above it closed cleanly. */
    for (s = ep->top; s != NULL; s = strata_stream_inner(s)) {
        if (s == ep->base && ep->durable && rv == APR_SUCCESS
            && (rv = strata_flush(s, STRATA_FLUSH_DURABLE)) != APR_SUCCESS
            && APR_STATUS_IS_EINVAL(rv))
            rv = APR_SUCCESS;           /* a pipe or terminal: nothing to sync */
        if (s == ep->base && ep->atomic && rv != APR_SUCCESS)
            rv2 = strata_file_abort(s);
        else
            rv2 = strata_close(s);
        if (rv == APR_SUCCESS)
            rv = rv2;
    }
    if (ep->tmp != NULL)
        tool_signals_untrack();
    return rv;
}

void tool_endpoint_abort(tool_endpoint_t *ep)
{
    strata_stream_t *s;

    if (ep->closed)
        return;
    ep->closed = 1;
    /* Discard the base first, so nothing closing above it can commit. */
    if (ep->atomic)
        strata_file_abort(ep->base);
    for (s = ep->top; s != NULL; s = strata_stream_inner(s))
        strata_close(s);
    if (ep->tmp != NULL)
        tool_signals_untrack();
}
