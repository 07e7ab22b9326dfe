/*
 * uv_async_files.c -- strata's async files inside a libuv loop.
 *
 * The loop never blocks on a file and never runs strata code on a foreign
 * thread: strata's workers do the I/O and the compression, and their
 * completions wait on a completion queue whose descriptor the loop watches
 * with a uv_poll_t.  A uv_timer_t ticks meanwhile to show the loop is free.
 *
 *   example_uv_async_files [FILE.gz]     (default: strata-uv-demo.txt.gz)
 *
 * It writes 10,000 lines to FILE.gz (gzip chosen by the extension), reads
 * them back one line at a time, and prints the counts and the meters.
 */
#include <stdio.h>
#include <string.h>
#include <uv.h>
#include <strata/strata.h>

#define LINES 10000

typedef struct demo_t {
    uv_loop_t *loop;
    uv_poll_t poll;
    uv_timer_t timer;
    strata_executor_t *ex;
    strata_completion_queue_t *q;
    apr_pool_t *pool;
    const char *path;
    strata_async_t *file;
    char line[256];
    apr_size_t len;
    unsigned long lines_read, bytes_read, ticks;
    char text[64];
} demo_t;

static void fail(demo_t *d, const char *what, apr_status_t rv)
{
    char err[128];

    fprintf(stderr, "%s: %s\n", what, strata_strerror(rv, err, sizeof(err)));
    uv_poll_stop(&d->poll);
    uv_timer_stop(&d->timer);
}

/* The loop calls this when the completion queue's descriptor is readable:
 * strata_completion_queue_poll() runs the callbacks below, here. */
static void on_readable(uv_poll_t *h, int status, int events)
{
    demo_t *d = h->data;

    (void)status;
    (void)events;
    strata_completion_queue_poll(d->q, 0, NULL);
}

static void on_tick(uv_timer_t *t)
{
    ((demo_t *)t->data)->ticks++;
}

static void read_next(demo_t *d);

static void on_closed_after_read(strata_future_t *f, void *baton)
{
    demo_t *d = baton;

    if (strata_future_status(f) != APR_SUCCESS)
        fail(d, "close", strata_future_status(f));
    strata_future_release(f);
    printf("read %lu lines (%lu bytes); the timer ticked %lu times meanwhile\n",
           d->lines_read, d->bytes_read, d->ticks);
    uv_poll_stop(&d->poll);
    uv_timer_stop(&d->timer);
}

static void on_line(strata_future_t *f, void *baton)
{
    demo_t *d = baton;
    apr_status_t rv = strata_future_status(f);
    strata_future_t *c;

    strata_future_release(f);
    if (rv == APR_SUCCESS) {
        d->lines_read++;
        d->bytes_read += d->len;
        read_next(d);
        return;
    }
    if (rv != APR_EOF) {
        fail(d, "read_line", rv);
        return;
    }
    {
        strata_counts_t k;
        strata_stream_counts(strata_async_stream(d->file), &k);
        printf("gzip reader: %llu plain bytes in %llu reads\n",
               (unsigned long long)k.read_bytes,
               (unsigned long long)k.read_ops);
    }
    strata_async_close(d->file, &c);
    strata_future_then_queue(c, d->q, on_closed_after_read, d);
}

static void read_next(demo_t *d)
{
    strata_future_t *f;

    strata_async_read_line(d->file, d->line, sizeof(d->line), &d->len, &f);
    strata_future_then_queue(f, d->q, on_line, d);
}

static void on_opened_for_reading(strata_future_t *f, void *baton)
{
    demo_t *d = baton;
    apr_status_t rv = strata_future_status(f);

    strata_future_release(f);
    if (rv != APR_SUCCESS) {
        fail(d, "open for reading", rv);
        return;
    }
    read_next(d);
}

static void on_written(strata_future_t *f, void *baton)
{
    demo_t *d = baton;
    apr_status_t rv = strata_future_status(f);
    strata_async_open_opts_t o;
    strata_future_t *open;

    strata_future_release(f);
    if (rv != APR_SUCCESS) {
        fail(d, "write and close", rv);
        return;
    }
    printf("wrote %d lines to %s\n", LINES, d->path);
    strata_async_open_opts_init(&o);
    o.codec = STRATA_CODEC_AUTO;           /* detect on reading */
    strata_async_open(&d->file, d->path, "r", &o, d->ex, d->pool, &open);
    strata_future_then_queue(open, d->q, on_opened_for_reading, d);
}

/* Queue the open, 10,000 writes and the close at once: they run in order
 * on a worker; only the close's completion comes back to the loop. */
static void start_writing(demo_t *d)
{
    static char lines[LINES][48];
    strata_async_open_opts_t o;
    strata_future_t *close;
    int i;

    strata_async_open_opts_init(&o);
    o.codec = STRATA_CODEC_AUTO;           /* gzip, from ".gz" */
    strata_async_open(&d->file, d->path, "w", &o, d->ex, d->pool, NULL);
    for (i = 0; i < LINES; i++) {
        int n = snprintf(lines[i], sizeof(lines[i]), "line %d of the demo\n", i);
        strata_async_write(d->file, lines[i], (apr_size_t)n, NULL, NULL);
    }
    strata_async_close(d->file, &close);  /* its status: the first error */
    strata_future_then_queue(close, d->q, on_written, d);
}

int main(int argc, const char *const *argv)
{
    demo_t d;
    int rc;

    memset(&d, 0, sizeof(d));
    d.path = argc > 1 ? argv[1] : "strata-uv-demo.txt.gz";
    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&d.pool, NULL);
    if (strata_executor_create(&d.ex, 2, d.pool) != APR_SUCCESS
        || strata_completion_queue_create(&d.q, d.pool) != APR_SUCCESS) {
        fprintf(stderr, "cannot set up the executor\n");
        return 1;
    }
    d.loop = uv_default_loop();
    uv_poll_init(d.loop, &d.poll, (int)strata_completion_queue_fd(d.q));
    d.poll.data = &d;
    uv_poll_start(&d.poll, UV_READABLE, on_readable);
    uv_timer_init(d.loop, &d.timer);
    d.timer.data = &d;
    uv_timer_start(&d.timer, on_tick, 1, 1);

    start_writing(&d);
    rc = uv_run(d.loop, UV_RUN_DEFAULT);

    strata_executor_destroy(d.ex, STRATA_EXECUTOR_FINISH);
    uv_loop_close(d.loop);
    apr_pool_destroy(d.pool);
    apr_terminate();
    return rc != 0 || d.lines_read != LINES;
}
