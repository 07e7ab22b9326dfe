/*
 * endpoint.h -- where the tool's bytes come from and go to.
 *
 * An endpoint is one input or output named on the command line ("-", a
 * path; later tcp://host:port), opened as a stack of streams: a base stream
 * (the file, the socket) under zero or more decorators (codecs, limits).
 * The tool reads or writes at the top; --stats walks the stack down with
 * strata_stream_inner().
 */
#ifndef STRATA_TOOL_ENDPOINT_H
#define STRATA_TOOL_ENDPOINT_H

#include "tool.h"

typedef enum { TOOL_EP_IN, TOOL_EP_OUT } tool_ep_dir_t;

typedef struct tool_endpoint_t {
    const char *spec;        /* as given on the command line */
    const char *display;     /* for messages: "'path'", "standard input" */
    tool_ep_dir_t dir;
    strata_stream_t *top;    /* outermost layer: the tool uses this one */
    strata_stream_t *base;   /* innermost layer: file, socket */
    strata_stream_t *codec;  /* the codec layer, or NULL */
    const char *tmp;         /* an atomic output's temporary file, or NULL */
    apr_uint64_t members;    /* a decoder's members seen complete, and */
    apr_uint64_t member_end_plain, member_end_coded;  /* where the last ended */
    apr_off_t size;          /* input size in bytes, or -1 if unknown */
    apr_fileperms_t perm;    /* a new output file's permissions */
    int atomic;              /* output replaces its target on commit */
    int durable;             /* output: flush it to the disk before commit */
    int closed;
} tool_endpoint_t;

/*
 * Open @a spec for reading.  On failure returns the status and sets
 * *errmsg to a one-line message (without the "strata: " prefix); nothing
 * stays open.
 */
apr_status_t tool_endpoint_open_input(tool_endpoint_t **out, tool_ctx_t *ctx,
                                      const char *spec, const char **errmsg);

/*
 * Open @a spec for writing.  A new path or a regular file is replaced
 * atomically: nothing changes at the path until tool_endpoint_close()
 * commits, and the temporary file is removed if a signal ends the tool
 * (tool_signals_track).  An existing device, FIFO or symbolic link is
 * written in place.  A new file gets the permissions @a perm
 * (APR_FPROT_OS_DEFAULT: the usual ones).
 */
apr_status_t tool_endpoint_open_output(tool_endpoint_t **out, tool_ctx_t *ctx,
                                       const char *spec, apr_fileperms_t perm,
                                       const char **errmsg);

/* An output that discards what is written (and counts it). */
apr_status_t tool_endpoint_open_null(tool_endpoint_t **out, tool_ctx_t *ctx);

/* Put @a layer on top: it decorates the old ep->top, made without
 * STRATA_OWN_INNER -- the endpoint closes each layer itself, in order.
 * A codec layer is also remembered in ep->codec. */
void tool_endpoint_push(tool_endpoint_t *ep, strata_stream_t *layer);


/* Close the whole stack from the top down; for an output, finish every
 * layer and commit.  Returns the first error (an atomic output is then not
 * committed).  Harmless twice. */
apr_status_t tool_endpoint_close(tool_endpoint_t *ep);

/* Close the stack without committing: an atomic output leaves its target
 * as it was.  Harmless after close. */
void tool_endpoint_abort(tool_endpoint_t *ep);

#endif /* STRATA_TOOL_ENDPOINT_H */
