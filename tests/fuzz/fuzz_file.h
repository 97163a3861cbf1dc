/*
 * fuzz_file.h - the readers of the hybrid layer and the CLI take a path:
 * each input is written to one scratch file per process (in TMPDIR) and
 * read back from it.
 */
#ifndef QSIM_FUZZ_FILE_H
#define QSIM_FUZZ_FILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_path[4096];

static void fuzz_remove(void) { unlink(fuzz_path); }

/* The path of a file holding exactly data[0..size). */
static const char *fuzz_file(const uint8_t *data, size_t size)
{
    if (!fuzz_path[0]) {
        /* memory, not disk: a file per execution */
        const char *dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(fuzz_path, sizeof fuzz_path, "%s/qsim_fuzz_XXXXXX", dir);
        int fd = mkstemp(fuzz_path);
        if (fd < 0)
            abort();
        close(fd);
        atexit(fuzz_remove);
    }
    FILE *f = fopen(fuzz_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return fuzz_path;
}

/* A NUL-terminated copy of the input (free it). */
static char *fuzz_text(const uint8_t *data, size_t size)
{
    char *t = malloc(size + 1);
    if (!t)
        abort();
    memcpy(t, data, size);
    t[size] = '\0';
    return t;
}

/* A failure must leave a message (and no object: checked by the caller). */
static void fuzz_failed(int st, const char *msg)
{
    if (st != 0 && (!msg || !msg[0]))
        abort();
}

#endif
