/*
 * fault_injection.c -- test your own stream code against short reads,
 * EINTR/EAGAIN and an error at every call, with strata's fault stream.
 *
 *   example_fault_injection
 *
 * The code under test is count_words(): it counts the words of a stream and
 * must either give the right count or return the stream's error -- never a
 * wrong count, never a hang.  The program runs it over a memory stream
 * through faults of every kind and prints one line per scenario; it exits 1
 * if count_words() ever gets it wrong.
 */
#include <stdio.h>
#include <string.h>
#include <strata/strata.h>

static const char text[] =
    "the quick brown fox jumps over the lazy dog\n"
    "pack my box with five dozen liquor jugs\n";

/* The code under test: count words, retrying interrupted calls. */
static apr_status_t count_words(strata_stream_t *s, unsigned *words)
{
    char buf[16];
    apr_size_t n, i;
    apr_status_t rv;
    int in_word = 0, retries = 0;

    *words = 0;
    for (;;) {
        rv = strata_read(s, buf, sizeof(buf), &n);
        if (APR_STATUS_IS_EINTR(rv) || APR_STATUS_IS_EAGAIN(rv)) {
            if (++retries > 100)        /* a stuck stream is an error */
                return rv;
            continue;
        }
        if (APR_STATUS_IS_EOF(rv))
            return APR_SUCCESS;
        if (rv != APR_SUCCESS)
            return rv;
        retries = 0;
        for (i = 0; i < n; i++) {
            int space = buf[i] == ' ' || buf[i] == '\n';
            if (!space && !in_word)
                (*words)++;
            in_word = !space;
        }
    }
}

/* Run count_words() over @text through a fault stream set up with @o. */
static apr_status_t run(const strata_fault_opts_t *o, unsigned *words,
                        apr_uint64_t *calls, apr_pool_t *pool)
{
    strata_stream_t *mem, *faulty;
    apr_status_t rv;

    strata_memory_open_buffer(&mem, text, strlen(text), pool);
    rv = strata_fault_create(&faulty, mem, o, STRATA_OWN_INNER, pool);
    if (rv != APR_SUCCESS)
        return rv;
    rv = count_words(faulty, words);
    *calls = strata_fault_read_calls(faulty);
    strata_close(faulty);
    return rv;
}

int main(int argc, const char *const *argv)
{
    const unsigned expected = 17;
    strata_fault_opts_t o;
    apr_pool_t *pool;
    apr_uint64_t calls, total, at;
    unsigned words;
    apr_status_t rv;
    int bad = 0;

    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);

    /* 1. No faults: learn how many read calls a clean run makes. */
    memset(&o, 0, sizeof(o));
    rv = run(&o, &words, &total, pool);
    printf("clean:              %u words in %llu reads\n", words,
           (unsigned long long)total);
    bad |= rv != APR_SUCCESS || words != expected;

    /* 2. One byte per call, with EINTR and EAGAIN sprinkled in. */
    o.one_byte = 1;
    o.eintr_every = 3;
    o.eagain_every = 7;
    rv = run(&o, &words, &calls, pool);
    printf("1 byte, EINTR/EAGAIN: %u words in %llu reads\n", words,
           (unsigned long long)calls);
    bad |= rv != APR_SUCCESS || words != expected;

    /* 3. An error at each call in turn: every one must come back. */
    memset(&o, 0, sizeof(o));
    o.max_io = 5;
    o.fail_status = APR_ECONNRESET;
    run(&o, &words, &total, pool);      /* calls made with 5-byte reads */
    for (at = 1; at <= total; at++) {
        o.fail_read_at = at;
        rv = run(&o, &words, &calls, pool);
        if (rv != APR_ECONNRESET) {
            printf("error at read %llu was lost (got %d, %u words)\n",
                   (unsigned long long)at, rv, words);
            bad = 1;
        }
    }
    printf("error at each of %llu reads: %s\n", (unsigned long long)total,
           bad ? "FAILED" : "all reported");

    apr_pool_destroy(pool);
    apr_terminate();
    return bad;
}
