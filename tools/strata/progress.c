/*
 * progress.c -- the --progress bar.
 */
#include "progress.h"
#include "strata_os.h"
#include <apr_strings.h>
#include <apr_time.h>
#include <string.h>

#define PROGRESS_INTERVAL apr_time_from_msec(100)   /* at most 10 draws/s */
#define PROGRESS_MAXLINE  512

struct tool_progress_t {
    apr_file_t *err;
    int enabled, finished;
    apr_off_t total;            /* -1: unknown */
    apr_uint64_t base;          /* bytes of the inputs already done */
    apr_uint64_t done;          /* base + the current input's bytes */
    apr_time_t start, last_draw;
    apr_size_t last_len;        /* length of the line on screen */
    const char *name;           /* the current input, or NULL */
    int index, count;
    strata_stream_t *source;    /* counted by its read bytes, or NULL */
    apr_uint64_t source_start;  /* its read bytes when the input began */
};

static apr_uint64_t progress_source_bytes(const tool_progress_t *p)
{
    strata_counts_t c;

    strata_stream_counts(p->source, &c);
    return c.read_bytes - p->source_start;
}

void tool_progress_file(tool_progress_t *p, const char *name, int index,
                        int count, strata_stream_t *source)
{
    strata_counts_t c;

    p->name = name;
    p->index = index;
    p->count = count;
    p->source = source;
    p->source_start = 0;
    if (source != NULL) {
        strata_stream_counts(source, &c);
        p->source_start = c.read_bytes;
    }
}

tool_progress_t *tool_progress_create(apr_file_t *err, apr_off_t total,
                                      apr_pool_t *pool)
{
    tool_progress_t *p = apr_pcalloc(pool, sizeof(*p));

    p->err = err;
    p->enabled = strata__os_isatty(err);
    p->total = total;
    p->start = p->last_draw = apr_time_now();
    return p;
}

int tool_progress_enabled(const tool_progress_t *p)
{
    return p->enabled;
}

/* Bytes per second so far, or 0 while it is too early to tell. */
static double progress_rate(const tool_progress_t *p, apr_time_t now)
{
    apr_time_t elapsed = now - p->start;

    if (elapsed <= 0 || (!p->finished && elapsed < apr_time_from_msec(50)))
        return 0.0;
    return (double)p->done * APR_USEC_PER_SEC / (double)elapsed;
}

/* The right-hand side: "1.2MiB / 3.4MiB  5.6MiB/s  ETA 0:07". */
static void progress_figures(const tool_progress_t *p, apr_time_t now,
                             char *buf, apr_size_t size)
{
    char done[32], total[32], rate[32], when[32];
    double r = progress_rate(p, now);

    tool_human_size(done, sizeof(done), p->done);
    if (r > 0.0)
        tool_human_size(rate, sizeof(rate), (apr_uint64_t)r);
    else
        apr_cpystrn(rate, "--", sizeof(rate));
    if (p->finished) {          /* how long it took */
        tool_human_duration(when, sizeof(when),
                            (apr_uint64_t)apr_time_sec(now - p->start));
    } else if (p->total >= 0 && r > 0.0) {
        apr_uint64_t left = (apr_uint64_t)p->total > p->done
                            ? (apr_uint64_t)p->total - p->done : 0;
        char eta[24];

        tool_human_duration(eta, sizeof(eta), (apr_uint64_t)(left / r + 0.5));
        apr_snprintf(when, sizeof(when), "ETA %s", eta);
    } else if (p->total >= 0) {
        apr_cpystrn(when, "ETA --", sizeof(when));
    } else {                    /* no total: time so far */
        tool_human_duration(when, sizeof(when),
                            (apr_uint64_t)apr_time_sec(now - p->start));
    }
    if (p->total >= 0) {
        tool_human_size(total, sizeof(total), (apr_uint64_t)p->total);
        apr_snprintf(buf, size, " %s / %s  %s/s  %s", done, total, rate, when);
    } else {
        apr_snprintf(buf, size, "%s  %s/s  %s", done, rate, when);
    }
}

/* "[=====>     ]" of @a width columns (brackets included) into @a buf. */
static void progress_bar(char *buf, int width, unsigned pct)
{
    int inner = width - 2, full = (int)((apr_uint64_t)inner * pct / 100), i;

    buf[0] = '[';
    for (i = 0; i < inner; i++)
        buf[1 + i] = i < full ? '=' : (i == full ? '>' : ' ');
    buf[width - 1] = ']';
    buf[width] = '\0';
}

static unsigned progress_percent(const tool_progress_t *p)
{
    if (p->total <= 0 || p->done >= (apr_uint64_t)p->total)
        return p->total < 0 ? 0 : 100;
    return (unsigned)(p->done * 100 / (apr_uint64_t)p->total);
}

static void progress_draw(tool_progress_t *p, apr_time_t now)
{
    char line[PROGRESS_MAXLINE], right[160], bar[PROGRESS_MAXLINE];
    int width = strata__os_term_width(p->err) - 1, barw;
    apr_size_t len;

    char label[160] = "";

    if (width > PROGRESS_MAXLINE - 1)
        width = PROGRESS_MAXLINE - 1;
    if (p->name != NULL && p->count > 1)
        apr_snprintf(label, sizeof(label), "%.100s (%d/%d) ", p->name,
                     p->index, p->count);
    else if (p->name != NULL)
        apr_snprintf(label, sizeof(label), "%.100s ", p->name);
    width -= (int)strlen(label);
    progress_figures(p, now, right, sizeof(right));
    if (p->total >= 0) {
        barw = width - 5 - (int)strlen(right);
        if (barw >= 12) {
            progress_bar(bar, barw > 60 ? 60 : barw, progress_percent(p));
            apr_snprintf(line, sizeof(line), "%3u%% %s%s", progress_percent(p),
                         bar, right);
        } else {
            apr_snprintf(line, sizeof(line), "%3u%%%s", progress_percent(p),
                         right);
        }
    } else {
        apr_cpystrn(line, right, sizeof(line));
    }
    len = strlen(line);
    if (width > 0 && len > (apr_size_t)width)
        line[len = (apr_size_t)width] = '\0';
    len += strlen(label);
    /* Blank what is left of a longer previous line. */
    apr_file_printf(p->err, "\r%s%s%*s", label, line,
                    p->last_len > len ? (int)(p->last_len - len) : 0, "");
    p->last_len = len;
    p->last_draw = now;
}

void tool_progress_copied(void *baton, apr_uint64_t copied)
{
    tool_progress_t *p = baton;
    apr_time_t now;

    if (!p->enabled || p->finished)
        return;
    p->done = p->base + (p->source != NULL ? progress_source_bytes(p) : copied);
    now = apr_time_now();
    if (now - p->last_draw >= PROGRESS_INTERVAL)
        progress_draw(p, now);
}

void tool_progress_next_input(tool_progress_t *p, apr_uint64_t copied)
{
    p->base += p->source != NULL ? progress_source_bytes(p) : copied;
    p->source = NULL;
    p->done = p->base;
}

void tool_progress_finish(tool_progress_t *p)
{
    if (!p->enabled || p->finished)
        return;
    p->finished = 1;
    progress_draw(p, apr_time_now());
    apr_file_puts("\n", p->err);
}
