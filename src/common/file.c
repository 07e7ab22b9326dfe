/*
 * file.c -- the file stream over apr_file_t, with atomic replace.
 */
#include "strata_private.h"
#include "strata_os.h"
#include <apr_strings.h>
#include <string.h>

typedef struct file_stream_t {
    strata_stream_t base;        /* must be first */
    apr_file_t *f;
    int own;                     /* close f with the stream */
    int direct;                  /* reads go through strata__os_read */
    apr_os_file_t fd;
    /* atomic replace */
    const char *target;          /* NULL unless STRATA_FILE_ATOMIC */
    const char *tmp;             /* the temporary's name; NULL while unnamed */
    int unnamed;                 /* O_TMPFILE: no name until commit */
    apr_status_t failed;         /* first write/flush error: never commit */
} file_stream_t;

static apr_status_t file_read(strata_stream_t *s, void *buf, apr_size_t len,
                              apr_size_t *n)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    if (fs->direct)              /* a tail call: see strata__os_read */
        return strata__os_read(fs->f, fs->fd, buf, len, n);
    *n = len;
    rv = apr_file_read(fs->f, buf, n);
    if (rv != APR_SUCCESS && *n > 0)
        rv = APR_SUCCESS;        /* the error will come again next call */
    return rv;
}

static apr_status_t file_write(strata_stream_t *s, const void *buf,
                               apr_size_t len, apr_size_t *n)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_status_t rv;

    if (len == 0)
        return APR_SUCCESS;
    *n = len;
    rv = apr_file_write(fs->f, buf, n);
    if (rv != APR_SUCCESS && fs->failed == APR_SUCCESS)
        fs->failed = rv;
    return rv;
}

static apr_status_t file_flush(strata_stream_t *s, int mode)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_status_t rv = APR_SUCCESS;

    if (s->caps & STRATA_CAP_WRITE)
        rv = apr_file_flush(fs->f);
    if (rv == APR_SUCCESS && mode == STRATA_FLUSH_DURABLE
        && (s->caps & STRATA_CAP_WRITE))
        rv = apr_file_sync(fs->f);
    if (rv != APR_SUCCESS && fs->failed == APR_SUCCESS)
        fs->failed = rv;
    return rv;
}

static apr_status_t file_seek(strata_stream_t *s, apr_off_t offset, int where,
                              apr_off_t *newpos)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_status_t rv;

    if (where == APR_CUR && offset != 0) {   /* resolve to an absolute offset */
        apr_off_t cur = 0;
        if ((rv = apr_file_seek(fs->f, APR_CUR, &cur)) != APR_SUCCESS)
            return rv;
        if (cur + offset < 0)
            return APR_EINVAL;
        offset += cur;
        where = APR_SET;
    }
    rv = apr_file_seek(fs->f, (apr_seek_where_t)where, &offset);
    *newpos = offset;
    return rv;
}

/* Split @path at its last separator ('/' or '\\') into folder and name. */
static void path_split(const char *path, const char **dir, const char **base,
                       apr_pool_t *pool)
{
    const char *sep = strrchr(path, '/'), *bsep = strrchr(path, '\\');

    if (bsep != NULL && (sep == NULL || bsep > sep))
        sep = bsep;
    if (sep == NULL) {
        *dir = ".";
        *base = path;
        return;
    }
    *dir = sep == path ? "/" : apr_pstrndup(pool, path, (apr_size_t)(sep - path));
    *base = sep + 1;
}

/* A fresh temporary name beside @dir/@base: ".BASE.<12 hex digits>.tmp". */
static apr_status_t tmp_name(const char **tmp, const char *dir,
                             const char *base, apr_pool_t *pool)
{
    unsigned char rnd[6];
    apr_status_t rv;

    if ((rv = apr_generate_random_bytes(rnd, sizeof(rnd))) != APR_SUCCESS)
        return rv;
    *tmp = apr_psprintf(pool, "%s/.%s.%02x%02x%02x%02x%02x%02x.tmp", dir,
                        base, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
    return APR_SUCCESS;
}

/* Give the unnamed temporary file a name beside the target. */
static apr_status_t file_link_unnamed(file_stream_t *fs)
{
    apr_pool_t *pool = fs->base.pool;
    const char *dir, *base;
    apr_status_t rv = APR_EEXIST;
    int tries;

    path_split(fs->target, &dir, &base, pool);
    for (tries = 0; tries < 16 && APR_STATUS_IS_EEXIST(rv); tries++) {
        if ((rv = tmp_name(&fs->tmp, dir, base, pool)) != APR_SUCCESS)
            break;
        rv = strata__os_tmpfile_link(fs->f, fs->tmp);
    }
    if (rv != APR_SUCCESS)
        fs->tmp = NULL;
    return rv;
}

/* Close the temporary file and remove it (if it has a name). */
static void file_discard(file_stream_t *fs)
{
    apr_file_close(fs->f);
    if (fs->tmp != NULL)
        apr_file_remove(fs->tmp, fs->base.pool);
}

/* Atomic replace: publish the temporary file, or drop it. */
static apr_status_t file_commit(file_stream_t *fs)
{
    apr_pool_t *pool = fs->base.pool;
    const char *dir, *base;
    apr_status_t rv;

    rv = apr_file_flush(fs->f);
    if (rv == APR_SUCCESS)
        rv = apr_file_sync(fs->f);
    if (rv == APR_SUCCESS && fs->unnamed)
        rv = file_link_unnamed(fs);
    if (rv != APR_SUCCESS) {
        file_discard(fs);
        return rv;
    }
    if ((rv = apr_file_close(fs->f)) != APR_SUCCESS
        || (rv = apr_file_rename(fs->tmp, fs->target, pool)) != APR_SUCCESS) {
        apr_file_remove(fs->tmp, pool);
        return rv;
    }
    path_split(fs->target, &dir, &base, pool);
    return strata__os_sync_dir(dir, pool);
}

static apr_status_t file_close(strata_stream_t *s)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_status_t rv = APR_SUCCESS;

    if (fs->target != NULL) {
        if (fs->failed || strata_stream_failed(s) != APR_SUCCESS
            || !strata_stream_closing_explicitly(s)) {
            file_discard(fs);
            if (strata__stream_aborted(s))
                return APR_SUCCESS;
            return fs->failed ? fs->failed : strata_stream_failed(s);
        }
        return file_commit(fs);
    }
    if (fs->own)
        rv = apr_file_close(fs->f);
    return rv;
}

static apr_status_t file_control(strata_stream_t *s, int op, void *arg)
{
    file_stream_t *fs = (file_stream_t *)s;
    apr_finfo_t finfo;
    apr_status_t rv;

    if (arg == NULL)
        return APR_EINVAL;
    switch (op) {
    case STRATA_CTL_FILE_GET:
        *(apr_file_t **)arg = fs->f;
        return APR_SUCCESS;
    case STRATA_CTL_FILE_SIZE:
        rv = apr_file_info_get(&finfo, APR_FINFO_SIZE, fs->f);
        if (rv == APR_SUCCESS || rv == APR_INCOMPLETE)
            *(apr_off_t *)arg = finfo.size;
        return rv == APR_INCOMPLETE ? APR_SUCCESS : rv;
    case STRATA_CTL_FILE_TEMP_PATH:
        if (fs->target == NULL)
            return STRATA_ENOTSUP;
        *(const char **)arg = fs->tmp;
        return APR_SUCCESS;
    default:
        return STRATA_ENOTSUP;
    }
}

static const strata_stream_type_t file_type = {
    STRATA_STREAM_TYPE_VERSION, "file",
    STRATA_CAP_READ | STRATA_CAP_WRITE | STRATA_CAP_SEEK,
    sizeof(file_stream_t),
    file_read, file_write, file_flush, file_seek, NULL, file_close, file_control
};

static unsigned caps_from_flags(apr_int32_t aflags)
{
    unsigned caps = STRATA_CAP_SEEK;

    if (aflags & APR_FOPEN_READ)
        caps |= STRATA_CAP_READ;
    if (aflags & APR_FOPEN_WRITE)
        caps |= STRATA_CAP_WRITE;
    return caps;
}

static apr_status_t file_new(strata_stream_t **out, apr_file_t *f,
                             apr_int32_t aflags, int own, apr_pool_t *pool)
{
    strata_stream_t *s;
    apr_status_t rv;

    rv = strata_stream_alloc(&s, &file_type, NULL, 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    ((file_stream_t *)s)->f = f;
    ((file_stream_t *)s)->own = own;
    s->caps = caps_from_flags(aflags);
    *out = s;
    return APR_SUCCESS;
}

/* Create the temporary file beside @path: unnamed where the OS can
 * (*tmp stays NULL), else with a random name. */
static apr_status_t file_open_tmp(apr_file_t **f, const char **tmp,
                                  const char *path, apr_int32_t aflags,
                                  apr_fileperms_t perm, apr_pool_t *pool)
{
    const char *dir, *base;
    apr_finfo_t finfo;
    apr_status_t rv;
    int tries;

    path_split(path, &dir, &base, pool);
    if (*base == '\0')
        return APR_EINVAL;
    *tmp = NULL;
    rv = strata__os_tmpfile_open(f, dir, path, aflags, perm, pool);
    if (rv != STRATA_ENOTSUP)
        return rv;
    rv = APR_EEXIST;
    for (tries = 0; tries < 16 && APR_STATUS_IS_EEXIST(rv); tries++) {
        if ((rv = tmp_name(tmp, dir, base, pool)) != APR_SUCCESS)
            return rv;
        rv = apr_file_open(f, *tmp, (aflags & ~APR_FOPEN_TRUNCATE)
                                    | APR_FOPEN_CREATE | APR_FOPEN_EXCL, perm, pool);
    }
    if (rv != APR_SUCCESS)
        return rv;
    /* Keep the permissions of the file being replaced (best effort: not
     * every platform can set them). */
    if (apr_stat(&finfo, path, APR_FINFO_PROT, pool) == APR_SUCCESS)
        apr_file_perms_set(*tmp, finfo.protection);
    return APR_SUCCESS;
}

apr_status_t strata_file_open(strata_stream_t **out, const char *path,
                              apr_int32_t aflags, apr_fileperms_t perm,
                              unsigned sflags, apr_pool_t *pool)
{
    apr_file_t *f;
    const char *tmp = NULL;
    strata_stream_t *s;
    apr_status_t rv;

    if (out == NULL || path == NULL || pool == NULL
        || !(aflags & (APR_FOPEN_READ | APR_FOPEN_WRITE)))
        return APR_EINVAL;
    aflags |= APR_FOPEN_BINARY;
    if (sflags & STRATA_FILE_ATOMIC) {
        apr_finfo_t fi;

        if (!(aflags & APR_FOPEN_WRITE)
            || (aflags & (APR_FOPEN_READ | APR_FOPEN_APPEND)))
            return APR_EINVAL;
        /* Renaming over a device, FIFO, folder or symlink would replace the
         * node itself: only regular files (or a new path) are replaced. */
        if (apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_LINK, pool)
                == APR_SUCCESS && fi.filetype != APR_REG)
            return STRATA_ENOTSUP;
        rv = file_open_tmp(&f, &tmp, path, aflags, perm, pool);
    } else {
        rv = apr_file_open(&f, path, aflags, perm, pool);
    }
    if (rv != APR_SUCCESS)
        return rv;
    if ((rv = file_new(&s, f, aflags, 1, pool)) != APR_SUCCESS) {
        apr_file_close(f);
        if (tmp != NULL)
            apr_file_remove(tmp, pool);
        return rv;
    }
    /* A file strata opened itself for reading, unbuffered, has no APR
     * buffer or timeout to honour: the OS layer reads it directly.
     * (apr_file_eof() on it is then not kept up to date.) */
    if ((aflags & (APR_FOPEN_READ | APR_FOPEN_BUFFERED)) == APR_FOPEN_READ
        && apr_os_file_get(&((file_stream_t *)s)->fd, f) == APR_SUCCESS)
        ((file_stream_t *)s)->direct = 1;
    if (sflags & STRATA_FILE_ATOMIC) {
        ((file_stream_t *)s)->target = apr_pstrdup(pool, path);
        ((file_stream_t *)s)->tmp = tmp;
        ((file_stream_t *)s)->unnamed = tmp == NULL;
    }
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata_file_wrap(strata_stream_t **out, apr_file_t *f,
                              unsigned sflags, apr_pool_t *pool)
{
    strata_stream_t *s;
    apr_status_t rv;

    if (out == NULL || f == NULL || pool == NULL)
        return APR_EINVAL;
    rv = file_new(&s, f, apr_file_flags_get(f),
                  (sflags & STRATA_FILE_OWN) != 0, pool);
    if (rv != APR_SUCCESS)
        return rv;
    strata_stream_ready(s);
    *out = s;
    return APR_SUCCESS;
}

apr_status_t strata_file_abort(strata_stream_t *s)
{
    return strata_abort(s);
}

const char *strata_file_temp_dir(const char *path, apr_pool_t *pool)
{
    const char *dir, *base;

    if (path == NULL || pool == NULL)
        return NULL;
    path_split(path, &dir, &base, pool);
    return dir;
}

apr_file_t *strata_file_get(strata_stream_t *s)
{
    return s != NULL && s->type == &file_type ? ((file_stream_t *)s)->f : NULL;
}

apr_file_t *strata__file_raw(strata_stream_t *s)
{
    file_stream_t *fs = (file_stream_t *)s;

    if (s == NULL || s->type != &file_type || s->inner != NULL)
        return NULL;
    if (apr_file_flags_get(fs->f) & APR_FOPEN_BUFFERED)
        return NULL;
    return fs->f;
}
