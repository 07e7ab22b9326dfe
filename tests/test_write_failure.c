/*
 * test_write_failure.c -- a failed write stack never publishes.
 *
 * Stacks over an atomic-replace file (buffered; each codec writer; parallel
 * gzip; a codec writer over a buffered stream), all owning their inner
 * streams, meet an error part way -- ENOSPC from the fault stream at the
 * Nth write, a spent meter quota on the top or the bottom layer, a decoder
 * limit -- and are then closed: the close reports the error, the old file
 * is untouched and no temporary file is left.  strata_abort() on any layer
 * discards the whole stack under it.  Transient faults (EINTR, EAGAIN) do
 * not fail a stack.  A pipe writer stream passes the failure to its reader.
 */
#include "test_util.h"
#include "fault.h"
#include "strata/compress.h"
#include <apr_file_info.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#define DATA_LEN (96 * 1024)

static const strata_codec_t codecs[] = {
    STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE,
    STRATA_CODEC_BZIP2, STRATA_CODEC_XZ, STRATA_CODEC_ZSTD,
};
#define NCODECS (sizeof(codecs) / sizeof(codecs[0]))

/* The kinds of stack (top first; each owns the next; fault, then file). */
enum { K_BUFFERED, K_CODEC, K_PGZIP, K_CODEC_BUFFERED, K_COUNT };

typedef struct wstack_t {
    strata_stream_t *top, *mid, *fault, *file;
    const char *dir, *path;
} wstack_t;

/* ---- helpers -------------------------------------------------------------- */

static char *data(void)
{
    char *p = apr_palloc(strata_test_pool, DATA_LEN);

    strata_test_fill(p, DATA_LEN, 3);   /* incompressible: output flows */
    return p;
}

static int count_entries(const char *dir, const char *prefix)
{
    apr_dir_t *d;
    apr_finfo_t fi;
    int n = 0;

    if (apr_dir_open(&d, dir, strata_test_pool) != APR_SUCCESS)
        return -1;
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS)
        if (strncmp(fi.name, prefix, strlen(prefix)) == 0)
            n++;
    apr_dir_close(d);
    return n;
}

static int file_is(const char *path, const char *text)
{
    char *d;
    apr_size_t len;

    if (strata_test_read_file(path, &d, &len, strata_test_pool) != APR_SUCCESS)
        return 0;
    return len == strlen(text) && memcmp(d, text, len) == 0;
}

/* A folder with a target file "t" holding "old". */
static void fresh_target(wstack_t *st, const char *tag)
{
    st->dir = strata_test_tmpname(tag, strata_test_pool);
    CU_ASSERT_FATAL(apr_dir_make(st->dir, APR_FPROT_OS_DEFAULT,
                                 strata_test_pool) == APR_SUCCESS);
    st->path = apr_pstrcat(strata_test_pool, st->dir, "/t", NULL);
    strata_test_write_file(st->path, "old", 3, strata_test_pool);
}

static void remove_target(wstack_t *st)
{
    apr_file_remove(st->path, strata_test_pool);
    apr_dir_remove(st->dir, strata_test_pool);
}

/* The target untouched and no temporary file left. */
static void check_untouched(wstack_t *st, const char *what)
{
    int ok = file_is(st->path, "old") && count_entries(st->dir, ".t.") == 0;

    if (!ok)
        fprintf(stderr, "\n%s: target replaced or temporary left\n", what);
    CU_ASSERT(ok);
}

static void build(wstack_t *st, int kind, strata_codec_t codec,
                  const strata_fault_opts_t *fo)
{
    strata_compress_opts_t o;
    strata_stream_t *under;

    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &st->file, st->path,
                        APR_FOPEN_WRITE | APR_FOPEN_CREATE | APR_FOPEN_TRUNCATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_fault_create(&st->fault, st->file, fo,
                                                     STRATA_OWN_INNER,
                                                     strata_test_pool));
    under = st->fault;
    st->mid = NULL;
    if (kind == K_BUFFERED || kind == K_CODEC_BUFFERED) {
        ASSERT_RV_FATAL(APR_SUCCESS, strata_buffered_create(
                            &st->mid, st->fault, 0, 4096, STRATA_OWN_INNER,
                            strata_test_pool));
        under = st->mid;
    }
    if (kind == K_BUFFERED) {
        st->top = st->mid;
        st->mid = NULL;
        return;
    }
    strata_compress_opts_init(&o);
    o.level = 1;
    if (kind == K_PGZIP) {
        codec = STRATA_CODEC_GZIP;
        o.threads = 2;
        o.block_size = 16 * 1024;
    }
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &st->top, under, codec, &o, STRATA_OWN_INNER,
                        strata_test_pool));
}

static const char *kind_name(int kind, strata_codec_t codec)
{
    switch (kind) {
    case K_BUFFERED: return "buffered";
    case K_PGZIP: return "parallel-gzip";
    case K_CODEC_BUFFERED:
        return apr_pstrcat(strata_test_pool, strata_codec_name(codec),
                           "/buffered", NULL);
    default: return strata_codec_name(codec);
    }
}

/* Call @fn for every stack kind (and every codec where it applies). */
typedef void (stack_fn)(int kind, strata_codec_t codec);

static void every_stack(stack_fn *fn)
{
    unsigned i;

    fn(K_BUFFERED, STRATA_CODEC_NONE);
    fn(K_PGZIP, STRATA_CODEC_GZIP);
    for (i = 0; i < NCODECS; i++)
        if (strata_codec_available(codecs[i])) {
            fn(K_CODEC, codecs[i]);
            if (codecs[i] == STRATA_CODEC_GZIP || codecs[i] == STRATA_CODEC_XZ)
                fn(K_CODEC_BUFFERED, codecs[i]);
        }
}

/* Write everything in 8 KiB pieces (retrying short writes) until an error. */
static apr_status_t write_until_error(strata_stream_t *s, const char *d)
{
    apr_size_t off = 0, n;
    apr_status_t rv = APR_SUCCESS;

    while (off < DATA_LEN && rv == APR_SUCCESS) {
        rv = strata_write_all(s, d + off, DATA_LEN - off < 8192
                                          ? DATA_LEN - off : 8192, &n);
        off += n;
    }
    return rv;
}

/* ---- tests ------------------------------------------------------------------- */

/* ENOSPC at the 1st..3rd write of the fault stream, at every layer. */
static void enospc_at(int kind, strata_codec_t codec)
{
    strata_fault_opts_t fo;
    const char *d = data();
    wstack_t st;
    apr_uint64_t at;
    apr_status_t rv;

    for (at = 1; at <= 3; at++) {
        fresh_target(&st, "enospc");
        memset(&fo, 0, sizeof(fo));
        fo.fail_write_at = at;
        fo.fail_status = APR_ENOSPC;
        fo.fail_sticky = 1;
        build(&st, kind, codec, &fo);
        write_until_error(st.top, d);
        rv = strata_close(st.top);
        CU_ASSERT(strata_stream_is_closed(st.file));
        if (strata_fault_write_calls(st.fault) < at) {
            /* the stack wrote fewer times: nothing failed, it publishes */
            ASSERT_RV(APR_SUCCESS, rv);
            CU_ASSERT(!file_is(st.path, "old"));
            CU_ASSERT(at > 1);
        } else {
            CU_ASSERT(rv != APR_SUCCESS);
            check_untouched(&st, kind_name(kind, codec));
        }
        remove_target(&st);
    }
}

static void enospc_part_way_never_publishes(void)
{
    every_stack(enospc_at);
}

/* A quota on the top layer, then on the file: spent part way. */
static void quota_at(int kind, strata_codec_t codec)
{
    const char *d = data();
    strata_meter_t *m;
    wstack_t st;
    apr_status_t rv;
    int where;

    for (where = 0; where < 2; where++) {
        fresh_target(&st, "quota");
        build(&st, kind, codec, NULL);
        strata_meter_create(&m, "tenant", strata_test_pool);
        strata_meter_set_quota(m, DATA_LEN / 3, STRATA_METER_WRITE);
        strata_stream_attach_meter(where == 0 ? st.top : st.file, m);
        rv = write_until_error(st.top, d);
        if (where == 0)              /* the top layer is refused at once */
            ASSERT_RV(STRATA_EQUOTA, rv);
        rv = strata_close(st.top);
        if (rv == APR_SUCCESS)
            fprintf(stderr, "\n%s: close succeeded after a spent quota\n",
                    kind_name(kind, codec));
        CU_ASSERT(rv != APR_SUCCESS);
        CU_ASSERT(strata_stream_failed(st.file) != APR_SUCCESS);
        check_untouched(&st, kind_name(kind, codec));
        remove_target(&st);
    }
}

static void quota_part_way_never_publishes(void)
{
    every_stack(quota_at);
}

/* strata_abort on each layer of a healthy stack, half way through. */
static void abort_at(int kind, strata_codec_t codec)
{
    const char *d = data();
    strata_stream_t *layers[4];
    wstack_t st;
    int i, n;

    for (i = 0; i < 4; i++) {
        fresh_target(&st, "abort");
        build(&st, kind, codec, NULL);
        n = 0;
        layers[n++] = st.top;
        if (st.mid != NULL)
            layers[n++] = st.mid;
        layers[n++] = st.fault;
        layers[n++] = st.file;
        if (i >= n) {
            strata_close(st.top);
            remove_target(&st);
            break;
        }
        ASSERT_RV(APR_SUCCESS, strata_write_all(st.top, d, DATA_LEN / 2, NULL));
        ASSERT_RV(APR_SUCCESS, strata_abort(layers[i]));
        ASSERT_RV(STRATA_ECLOSED, strata_abort(layers[i]));
        CU_ASSERT(strata_stream_is_closed(st.file));
        if (i > 0)   /* the layers above were not told: closing says so */
            ASSERT_RV(STRATA_EABORTED, strata_close(st.top));
        check_untouched(&st, kind_name(kind, codec));
        remove_target(&st);
    }
}

static void abort_on_any_layer_discards_the_stack(void)
{
    every_stack(abort_at);
}

/* The healthy stack publishes, also through EINTR/EAGAIN faults. */
static void publish_at(int kind, strata_codec_t codec)
{
    strata_fault_opts_t fo;
    const char *d = data();
    strata_stream_t *in, *z;
    char *got, *back;
    apr_size_t glen, blen;
    wstack_t st;

    fresh_target(&st, "ok");
    memset(&fo, 0, sizeof(fo));
    fo.eintr_every = 3;
    fo.eagain_every = 7;
    build(&st, kind, codec, &fo);
    ASSERT_RV(APR_SUCCESS, strata_test_write_all(st.top, d, DATA_LEN, 5000));
    ASSERT_RV(APR_SUCCESS, strata_stream_failed(st.top));
    ASSERT_RV(APR_SUCCESS, strata_close(st.top));
    ASSERT_RV(APR_SUCCESS, strata_test_read_file(st.path, &got, &glen,
                                                 strata_test_pool));
    if (kind == K_BUFFERED) {
        CU_ASSERT(glen == DATA_LEN && memcmp(got, d, DATA_LEN) == 0);
    } else {
        strata_memory_open_buffer(&in, got, glen, strata_test_pool);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                            &z, in, codec, NULL, 0, strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_test_read_all(z, 65536, strata_test_pool,
                                                    &back, &blen));
        CU_ASSERT(blen == DATA_LEN && memcmp(back, d, DATA_LEN) == 0);
    }
    CU_ASSERT(count_entries(st.dir, ".t.") == 0);
    remove_target(&st);
}

static void transient_faults_do_not_fail_a_stack(void)
{
    every_stack(publish_at);
}

/* The report's scene: gzip (owning) over an atomic file, quota on gzip. */
static void gzip_over_atomic_file_quota_keeps_old_file(void)
{
    const char *d = data();
    strata_stream_t *f, *gz;
    strata_meter_t *m;
    wstack_t st;

    fresh_target(&st, "gzq");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &f, st.path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &gz, f, STRATA_CODEC_GZIP, NULL, STRATA_OWN_INNER,
                        strata_test_pool));
    strata_meter_create(&m, "t", strata_test_pool);
    strata_meter_set_quota(m, 10000, STRATA_METER_WRITE);
    strata_stream_attach_meter(gz, m);
    ASSERT_RV(STRATA_EQUOTA, strata_write_all(gz, d, DATA_LEN, NULL));
    ASSERT_RV(STRATA_EQUOTA, strata_stream_failed(gz));
    ASSERT_RV(STRATA_EQUOTA, strata_stream_failed(f));
    ASSERT_RV(STRATA_EQUOTA, strata_close(gz));
    check_untouched(&st, "gzip quota");
    remove_target(&st);
}

/* A decoder limit part way through a decompressing writer. */
static void decoder_limit_keeps_old_file(void)
{
    strata_decompress_opts_t dopts;
    strata_stream_t *f, *dz, *mem, *gz;
    const void *c;
    apr_size_t clen;
    char *zeros;
    wstack_t st;

    zeros = apr_pcalloc(strata_test_pool, DATA_LEN);
    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_writer(&gz, mem, STRATA_CODEC_GZIP, NULL, 0,
                           strata_test_pool);
    strata_write_all(gz, zeros, DATA_LEN, NULL);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_close(gz));
    strata_memory_contents(mem, &c, &clen);

    fresh_target(&st, "declim");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &f, st.path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    strata_decompress_opts_init(&dopts);
    dopts.max_output = DATA_LEN / 2;
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_writer(
                        &dz, f, STRATA_CODEC_GZIP, &dopts, STRATA_OWN_INNER,
                        strata_test_pool));
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_write_all(dz, c, clen, NULL));
    ASSERT_RV(STRATA_ELIMIT_OUTPUT, strata_close(dz));
    check_untouched(&st, "decoder limit");
    remove_target(&st);
}

/* A borrowed inner stream is marked, not closed; its own close discards. */
static void abort_marks_a_borrowed_inner(void)
{
    strata_stream_t *f, *gz;
    wstack_t st;

    fresh_target(&st, "borrow");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &f, st.path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &gz, f, STRATA_CODEC_ZLIB, NULL, 0, strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(gz, "abc", 3, NULL));
    ASSERT_RV(APR_SUCCESS, strata_abort(gz));
    CU_ASSERT(strata_stream_is_closed(gz));
    CU_ASSERT(!strata_stream_is_closed(f));
    ASSERT_RV(STRATA_EABORTED, strata_stream_failed(f));
    ASSERT_RV(STRATA_EABORTED, strata_close(f));
    check_untouched(&st, "borrowed");
    /* strata_file_abort is the same call, on any layer */
    ASSERT_RV(APR_EINVAL, strata_abort(NULL));
    remove_target(&st);
}

/* Through a pipe: the reader gets the data, then the writer side's error. */
static void pipe_reader_gets_the_writer_stack_error(void)
{
    strata_stream_t *w, *gz, *dz;
    strata_meter_t *m;
    strata_pipe_t *p;
    const char *d = data();
    char buf[4096];
    apr_size_t n, total;
    apr_status_t rv;

    /* aborted compressing stack */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &gz, w, STRATA_CODEC_GZIP, NULL, STRATA_OWN_INNER,
                        strata_test_pool));
    ASSERT_RV(APR_SUCCESS, strata_write_all(gz, d, 1000, NULL));
    ASSERT_RV(APR_SUCCESS, strata_flush(gz, STRATA_FLUSH_SYNC));
    ASSERT_RV(APR_SUCCESS, strata_abort(gz));
    total = 0;
    while ((rv = strata_pipe_read_atmost(p, buf, sizeof(buf), &n))
           == APR_SUCCESS)
        total += n;
    CU_ASSERT(total > 0);
    ASSERT_RV(STRATA_EABORTED, rv);

    /* a quota spent on the compressing layer */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p,
                                                           strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_compress_writer(
                        &gz, w, strata_codec_available(STRATA_CODEC_ZSTD)
                        ? STRATA_CODEC_ZSTD : STRATA_CODEC_XZ, NULL,
                        STRATA_OWN_INNER, strata_test_pool));
    strata_meter_create(&m, "t", strata_test_pool);
    strata_meter_set_quota(m, 500, STRATA_METER_WRITE);
    strata_stream_attach_meter(gz, m);
    ASSERT_RV(STRATA_EQUOTA, strata_write_all(gz, d, 1000, NULL));
    ASSERT_RV(STRATA_EQUOTA, strata_close(gz));
    while ((rv = strata_pipe_read_atmost(p, buf, sizeof(buf), &n))
           == APR_SUCCESS)
        ;
    ASSERT_RV(STRATA_EQUOTA, rv);

    /* a decompressing writer fed a cut-short stream */
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_create(&p, NULL, strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_pipe_writer_stream(&w, p,
                                                           strata_test_pool));
    {
        strata_stream_t *mem;
        const void *c;
        apr_size_t clen;

        strata_memory_create(&mem, 0, strata_test_pool);
        strata_compress_writer(&gz, mem, STRATA_CODEC_GZIP, NULL, 0,
                               strata_test_pool);
        strata_write_all(gz, d, 5000, NULL);
        strata_close(gz);
        strata_memory_contents(mem, &c, &clen);
        ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_writer(
                            &dz, w, STRATA_CODEC_GZIP, NULL, STRATA_OWN_INNER,
                            strata_test_pool));
        ASSERT_RV(APR_SUCCESS, strata_write_all(dz, c, clen - 4, NULL));
        ASSERT_RV(STRATA_ETRUNCATED, strata_close(dz));
    }
    total = 0;
    while ((rv = strata_pipe_read_atmost(p, buf, sizeof(buf), &n))
           == APR_SUCCESS)
        total += n;
    ASSERT_RV(STRATA_ETRUNCATED, rv);
    CU_ASSERT(total <= 5000);
    ASSERT_RV(STRATA_ETRUNCATED, strata_pipe_read_atmost(p, buf, 1, &n));
}

/* strata_copy (kernel path between two plain files) cut short by a quota
 * on the destination: the atomic file is not published. */
static void copy_cut_short_keeps_old_file(void)
{
    const char *d = data();
    const char *src = strata_test_tmpname("copysrc", strata_test_pool);
    strata_stream_t *from, *to;
    strata_meter_t *m;
    apr_uint64_t copied;
    wstack_t st;

    strata_test_write_file(src, d, DATA_LEN, strata_test_pool);
    fresh_target(&st, "copy");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(&from, src, APR_FOPEN_READ,
                                                  APR_FPROT_OS_DEFAULT, 0,
                                                  strata_test_pool));
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &to, st.path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    strata_meter_create(&m, "t", strata_test_pool);
    strata_meter_set_quota(m, DATA_LEN / 2, STRATA_METER_WRITE);
    strata_stream_attach_meter(to, m);
    ASSERT_RV(STRATA_EQUOTA, strata_copy(from, to, NULL, &copied));
    CU_ASSERT(copied == DATA_LEN / 2);
    ASSERT_RV(STRATA_EQUOTA, strata_close(to));
    strata_close(from);
    check_untouched(&st, "copy");
    remove_target(&st);
    apr_file_remove(src, strata_test_pool);
}

/* Copying a truncated .gz into an atomic file: the source's error marks
 * the destination, which is then not published. */
static void copy_from_failing_source_keeps_old_file(void)
{
    const char *d = data();
    strata_stream_t *mem, *gz, *in, *dz, *to;
    const void *c;
    apr_size_t clen;
    apr_uint64_t copied;
    wstack_t st;

    strata_memory_create(&mem, 0, strata_test_pool);
    strata_compress_writer(&gz, mem, STRATA_CODEC_GZIP, NULL, 0,
                           strata_test_pool);
    strata_write_all(gz, d, DATA_LEN, NULL);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_close(gz));
    strata_memory_contents(mem, &c, &clen);
    strata_memory_open_buffer(&in, c, clen - 10, strata_test_pool);
    ASSERT_RV_FATAL(APR_SUCCESS, strata_decompress_reader(
                        &dz, in, STRATA_CODEC_GZIP, NULL, STRATA_OWN_INNER,
                        strata_test_pool));
    fresh_target(&st, "copysrcfail");
    ASSERT_RV_FATAL(APR_SUCCESS, strata_file_open(
                        &to, st.path, APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                        APR_FPROT_OS_DEFAULT, STRATA_FILE_ATOMIC,
                        strata_test_pool));
    ASSERT_RV(STRATA_ETRUNCATED, strata_copy(dz, to, NULL, &copied));
    CU_ASSERT(copied > 0);
    ASSERT_RV(STRATA_ETRUNCATED, strata_stream_failed(to));
    ASSERT_RV(STRATA_ETRUNCATED, strata_close(to));
    strata_close(dz);
    check_untouched(&st, "copy from a failing source");
    remove_target(&st);
}

static CU_TestInfo tests[] = {
    { "copy_from_failing_source_keeps_old_file",
      copy_from_failing_source_keeps_old_file },
    { "copy_cut_short_keeps_old_file", copy_cut_short_keeps_old_file },
    { "gzip_over_atomic_file_quota_keeps_old_file",
      gzip_over_atomic_file_quota_keeps_old_file },
    { "enospc_part_way_never_publishes", enospc_part_way_never_publishes },
    { "quota_part_way_never_publishes", quota_part_way_never_publishes },
    { "decoder_limit_keeps_old_file", decoder_limit_keeps_old_file },
    { "abort_on_any_layer_discards_the_stack",
      abort_on_any_layer_discards_the_stack },
    { "abort_marks_a_borrowed_inner", abort_marks_a_borrowed_inner },
    { "transient_faults_do_not_fail_a_stack",
      transient_faults_do_not_fail_a_stack },
    { "pipe_reader_gets_the_writer_stack_error",
      pipe_reader_gets_the_writer_stack_error },
    CU_TEST_INFO_NULL
};

STRATA_TEST_MAIN("write_failure", tests)
