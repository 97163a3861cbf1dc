/*
 * file.c - the one way the libraries and the CLI read and write whole
 * files: reads with a size cap (checked before reading a regular file,
 * while reading a pipe or a device), and atomic writes.
 *
 * An atomic write goes to a temporary file beside the target only when the
 * target is a regular file (through symlinks) or absent; it gets the
 * target's mode (or 0666 less the umask), is fsync'd and renamed over the
 * target, so a reader sees the old or the new file, never a part.  A
 * device, FIFO or socket is written in place: replacing /dev/full by a
 * regular file would be damage, not atomicity.
 */
#include "core/file.h"
#include "core/check.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

QS_API void qs_free(void *p) { free(p); }

/* 0, or an errno value: EFBIG past max. */
static int read_stream(FILE *f, size_t max, char **text, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf)
            return ENOMEM;
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n > max) {
            free(buf);
            return EFBIG;
        }
        if (n < cap - 1)
            break;
        size_t ncap = cap * 2 > max + 2 ? max + 2 : cap * 2;
        char *b = realloc(buf, ncap);
        if (!b)
            free(buf);
        buf = b;
        cap = ncap;
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        free(buf);
        return e;
    }
    buf[n] = '\0';
    *text = buf;
    if (len)
        *len = n;
    return 0;
}

int qs__read_all(const char *path, size_t max, char **text, size_t *len, struct stat *st)
{
    *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    int e = 0;
    if (fstat(fileno(f), st) != 0)
        e = errno;
    else if (S_ISDIR(st->st_mode))
        e = EISDIR;
    else if (S_ISREG(st->st_mode) && (uint64_t)st->st_size > max)
        e = EFBIG;
    else
        e = read_stream(f, max, text, len);
    fclose(f);
    return e;
}

const char *qs__read_why(int err, size_t max)
{
    static _Thread_local char buf[96];
    if (err != EFBIG)
        return strerror(err);
    snprintf(buf, sizeof buf, "larger than the limit of %zu MiB", max >> 20);
    return buf;
}

static qs_status read_fail(const char *func, const char *name, int e, size_t max)
{
    return qs__fail(e == EFBIG ? QS_ETOOBIG : e == ENOMEM ? QS_ENOMEM : QS_EIO, func,
                    "cannot open %s: %s", name, qs__read_why(e, max));
}

QS_API qs_status qs_stream_read(FILE *f, const char *name, size_t max_bytes, char **text,
                                size_t *len)
{
    QS_CHECK_NULL(__func__, f);
    QS_CHECK_NULL(__func__, text);
    *text = NULL;
    int e = read_stream(f, max_bytes, text, len);
    return e ? read_fail(__func__, name ? name : "the stream", e, max_bytes) : QS_OK;
}

qs_status qs__file_read(const char *func, const char *path, size_t max, char **text, size_t *len)
{
    struct stat st;
    int e = qs__read_all(path, max, text, len, &st);
    return e ? read_fail(func, path, e, max) : QS_OK;
}

QS_API qs_status qs_file_read(const char *path, size_t max_bytes, char **text, size_t *len)
{
    QS_CHECK_NULL(__func__, path);
    QS_CHECK_NULL(__func__, text);
    return qs__file_read(__func__, path, max_bytes, text, len);
}

/* ---- atomic output ------------------------------------------------------ */

struct qs_output {
    FILE *f;
    char *target;   /* what gets replaced (symlinks resolved), or NULL */
    char *tmp;      /* the temporary file, or NULL when writing in place */
    char *name;     /* for messages */
    int is_stdout;
};

static void output_free(qs_output *o)
{
    free(o->target);
    free(o->tmp);
    free(o->name);
    free(o);
}

static qs_status open_fail(const char *func, qs_output *o, int err)
{
    qs_status s = qs__fail(QS_EIO, func, "cannot write %s: %s", o->name, strerror(err));
    if (o->tmp && o->f)
        unlink(o->tmp);
    if (o->f)
        fclose(o->f);
    output_free(o);
    return s;
}

qs_status qs__output_open(const char *func, const char *path, qs_output **out)
{
    *out = NULL;
    qs_output *o = calloc(1, sizeof *o);
    if (!o)
        return qs__fail(QS_ENOMEM, func, "out of memory");
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        o->is_stdout = 1;
        if (!(o->name = strdup("the standard output"))) {
            output_free(o);
            return qs__fail(QS_ENOMEM, func, "out of memory");
        }
        *out = o;
        return QS_OK;
    }
    if (!(o->name = strdup(path))) {
        output_free(o);
        return qs__fail(QS_ENOMEM, func, "out of memory");
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT)
        return open_fail(func, o, errno);
    if (exists && S_ISDIR(st.st_mode))
        return open_fail(func, o, EISDIR);
    int fd;
    if (exists && !S_ISREG(st.st_mode)) {
        /* a device, FIFO or socket: written in place */
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            return open_fail(func, o, e);
        }
        *out = o;
        return QS_OK;
    }
    /* beside the real file, so that rename() replaces it and not a link */
    char *real = exists ? realpath(path, NULL) : NULL;
    if (exists && !real)
        return open_fail(func, o, errno);
    if (!exists) {
        struct stat lst;
        if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
            /* a dangling symlink: create what it names, in place */
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
                int e = errno;
                if (fd >= 0)
                    close(fd);
                return open_fail(func, o, e);
            }
            *out = o;
            return QS_OK;
        }
    }
    o->target = real ? real : strdup(path);
    size_t n = strlen(o->target) + 48;
    o->tmp = malloc(n);
    if (!o->target || !o->tmp) {
        output_free(o);
        return qs__fail(QS_ENOMEM, func, "out of memory");
    }
    static unsigned counter;
    fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        snprintf(o->tmp, n, "%s.tmp%ld.%u", o->target, (long)getpid(),
                 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        int e = errno;
        free(o->tmp);
        o->tmp = NULL;
        return open_fail(func, o, e);
    }
    if (exists) {
        /* the replacement keeps the file's mode and, when allowed, owner */
        if (fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* not the owner: the file becomes ours, as any rewrite would */
        }
        (void)fchmod(fd, st.st_mode & 07777);
    }
    if (!(o->f = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return open_fail(func, o, e);
    }
    *out = o;
    return QS_OK;
}

QS_API qs_status qs_output_open(const char *path, qs_output **out)
{
    QS_CHECK_NULL(__func__, out);
    return qs__output_open(__func__, path, out);
}

QS_API FILE *qs_output_stream(const qs_output *o) { return o ? o->f : NULL; }

QS_API void qs_output_discard(qs_output *o)
{
    if (!o)
        return;
    if (o->is_stdout) {
        fflush(stdout);
    } else if (o->f) {
        fclose(o->f);
        if (o->tmp)
            unlink(o->tmp);
    }
    output_free(o);
}

/* fsync of the folder, so the rename itself survives a crash. */
static void sync_dir(const char *file)
{
    char *copy = strdup(file);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(copy);
}

qs_status qs__output_commit(const char *func, qs_output *o)
{
    if (!o)
        return qs__fail(QS_EINVAL, func, "the output is NULL");
    int err = 0;
    errno = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        err = errno ? errno : EIO;
    if (o->is_stdout) {
        output_free(o);
        return err ? qs__fail(QS_EIO, func, "cannot write the standard output: %s", strerror(err))
                   : QS_OK;
    }
    struct stat st;
    /* fsync only means something for a regular file (a tty refuses it) */
    if (!err && fstat(fileno(o->f), &st) == 0 && S_ISREG(st.st_mode) && fsync(fileno(o->f)) != 0)
        err = errno;
    if (fclose(o->f) != 0 && !err)
        err = errno ? errno : EIO;
    o->f = NULL;
    if (!err && o->tmp && rename(o->tmp, o->target) != 0)
        err = errno;
    if (err && o->tmp)
        unlink(o->tmp);
    else if (o->tmp)
        sync_dir(o->target);
    qs_status s = err ? qs__fail(QS_EIO, func, "cannot write %s: %s", o->name, strerror(err))
                      : QS_OK;
    output_free(o);
    return s;
}

QS_API qs_status qs_output_commit(qs_output *o) { return qs__output_commit(__func__, o); }
