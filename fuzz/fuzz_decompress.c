/*
 * fuzz_decompress.c -- libFuzzer target for the decoders (not built by
 * default).  The first byte picks the codec (or auto; with its low bits 7,
 * the input's length picks LZW, pack or zip) and the options; the
 * rest is fed to a decompressing reader and, independently, a
 * decompressing writer, both with small limits.  Anything but a crash,
 * a hang, a leak or a sanitizer report is fine.  Bits 0x08 and 0x80 pick
 * the gzip engine (auto, zlib, ISA-L, libdeflate): the decoders run on it
 * (libdeflate has none: zlib), and the input is also compressed as gzip
 * with it and must decode back to itself (libdeflate's blocks and the
 * walker that joins them included).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DSTRATA_HAVE_ZSTD=1 \
 *       -Iinclude fuzz/fuzz_decompress.c build/libstrata.a \
 *       $(pkg-config --cflags --libs apr-1 apr-util-1) -lz -lbz2 -llzma -lzstd \
 *       -lisal -ldeflate
 */
#include "strata/strata.h"
#include "strata/compress.h"
#include <apr_general.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static apr_pool_t *root;

static void fuzz_init(void)
{
    if (root != NULL)
        return;
    apr_initialize();
    atexit(apr_terminate);
    apr_pool_create(&root, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compress @data as gzip with @engine, decode it with zlib: same bytes. */
static void roundtrip(const uint8_t *data, size_t size,
                      strata_engine_t engine, apr_pool_t *p)
{
    strata_compress_opts_t o;
    strata_decompress_opts_t d;
    strata_stream_t *mem, *z, *in;
    const void *c;
    apr_size_t clen, n, got = 0;
    char buf[4096];

    strata_compress_opts_init(&o);
    o.engine = strata_engine_available(engine) ? engine : STRATA_ENGINE_AUTO;
    o.level = (int)(size % 10);
    strata_memory_create(&mem, 0, p);
    if (strata_compress_writer(&z, mem, STRATA_CODEC_GZIP, &o, 0, p)
        != APR_SUCCESS)
        abort();
    /* two writes and a sync flush between: blocks end mid-stream too */
    if (strata_write_all(z, data, size / 2, NULL) != APR_SUCCESS
        || strata_flush(z, STRATA_FLUSH_SYNC) != APR_SUCCESS
        || strata_write_all(z, data + size / 2, size - size / 2, NULL)
           != APR_SUCCESS
        || strata_close(z) != APR_SUCCESS)
        abort();
    strata_memory_contents(mem, &c, &clen);
    strata_decompress_opts_init(&d);
    d.engine = STRATA_ENGINE_ZLIB;
    strata_memory_open_buffer(&in, c, clen, p);
    if (strata_decompress_reader(&z, in, STRATA_CODEC_GZIP, &d, 0, p)
        != APR_SUCCESS)
        abort();
    while (strata_read(z, buf, sizeof(buf), &n) == APR_SUCCESS) {
        if (got + n > size || memcmp(buf, data + got, n) != 0)
            abort();
        got += n;
    }
    if (got != size)
        abort();
    strata_close(z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const strata_codec_t codecs[8] = {
        STRATA_CODEC_GZIP, STRATA_CODEC_ZLIB, STRATA_CODEC_DEFLATE,
        STRATA_CODEC_BZIP2, STRATA_CODEC_XZ, STRATA_CODEC_ZSTD,
        STRATA_CODEC_AUTO, STRATA_CODEC_AUTO };
    strata_decompress_opts_t d;
    strata_stream_t *in, *z, *mem;
    strata_codec_t codec;
    strata_engine_t engine;
    apr_pool_t *p;
    char buf[4096];
    apr_size_t n, off;
    apr_status_t rv;
    unsigned i;

    if (size < 1)
        return 0;
    fuzz_init();
    codec = codecs[data[0] & 7];
    if ((data[0] & 7) == 7) {       /* the read-only formats, by length */
        static const strata_codec_t ro[3] = {
            STRATA_CODEC_LZW, STRATA_CODEC_PACK, STRATA_CODEC_ZIP };
        codec = ro[size % 3];
    }
    if (!strata_codec_available(codec))
        codec = STRATA_CODEC_AUTO;
    strata_decompress_opts_init(&d);
    d.max_output = 1u << 20;
    d.max_ratio = (data[0] & 0x10) ? 20 : 0;
    d.max_memory = 32u << 20;
    d.first_member_only = (data[0] & 0x20) != 0;
    d.passthrough = (data[0] & 0x40) != 0;
    engine = (strata_engine_t)(((data[0] >> 3) & 1) | ((data[0] >> 6) & 2));
    d.engine = strata_engine_available(engine) ? engine : STRATA_ENGINE_AUTO;
    data++;
    size--;
    apr_pool_create(&p, root);

    strata_memory_open_buffer(&in, data, size, p);
    if (strata_decompress_reader(&z, in, codec, &d, 0, p) == APR_SUCCESS) {
        for (i = 0; i < 100000; i++) {
            rv = strata_read(z, buf, sizeof(buf), &n);
            if (rv != APR_SUCCESS)
                break;
        }
        strata_close(z);
    }

    strata_memory_create(&mem, 2u << 20, p);
    if (strata_decompress_writer(&z, mem, codec, &d, 0, p) == APR_SUCCESS) {
        for (off = 0; off < size; off += n) {
            rv = strata_write(z, data + off, size - off < 777 ? size - off : 777,
                              &n);
            if (rv != APR_SUCCESS)
                break;
        }
        strata_close(z);
    }
    roundtrip(data, size, engine, p);
    apr_pool_destroy(p);
    return 0;
}
