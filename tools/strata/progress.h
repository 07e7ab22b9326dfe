/*
 * progress.h -- the --progress bar on standard error.
 *
 * Drawn only when standard error is a terminal (otherwise every call does
 * nothing and nothing is printed), redrawn in place with '\r' at most ten
 * times a second, and finished with a newline.  With a known total it shows
 * percent, a bar, bytes so far, rate and ETA; without one, bytes and rate.
 */
#ifndef STRATA_TOOL_PROGRESS_H
#define STRATA_TOOL_PROGRESS_H

#include "tool.h"

typedef struct tool_progress_t tool_progress_t;

/* A progress bar on @a err; @a total is the number of bytes expected, or
 * -1 if unknown.  The clock starts now. */
tool_progress_t *tool_progress_create(apr_file_t *err, apr_off_t total,
                                      apr_pool_t *pool);

/* Non-zero if the bar is drawn at all (standard error is a terminal). */
int tool_progress_enabled(const tool_progress_t *p);

/* A new input begins: its @a name ("f.gz"; NULL: none) and place
 * (@a index of @a count, from 1) label the line when there are several, and
 * when @a source is not NULL the bar counts the bytes read from it (the
 * compressed bytes of a decompressed file, to match a total from the
 * inputs' sizes) instead of the bytes copied. */
void tool_progress_file(tool_progress_t *p, const char *name, int index,
                        int count, strata_stream_t *source);

/* A strata_copy_progress_fn: @a baton is the tool_progress_t, @a copied
 * the running total of the current input. */
void tool_progress_copied(void *baton, apr_uint64_t copied);

/* The current input is done after @a copied bytes: later inputs count
 * from there. */
void tool_progress_next_input(tool_progress_t *p, apr_uint64_t copied);

/* Draw the final state and end the line.  Harmless twice. */
void tool_progress_finish(tool_progress_t *p);

#endif /* STRATA_TOOL_PROGRESS_H */
