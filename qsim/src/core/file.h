/*
 * file.h - whole-file reads with a size cap and atomic writes (file.c);
 * the public qs_file_read / qs_output_* are these with their own names.
 */
#ifndef QS_CORE_FILE_H
#define QS_CORE_FILE_H

#include "core/error.h"

#include <stdio.h>
#include <sys/stat.h>

/* The whole file into *text (NUL-terminated) and *len, *st its stat;
 * returns 0 or an errno value (EFBIG: larger than max, EISDIR). */
int qs__read_all(const char *path, size_t max, char **text, size_t *len, struct stat *st);
/* The reason for such an errno value, in words. */
const char *qs__read_why(int err, size_t max);
/* Errors read "func: ...". */
qs_status qs__file_read(const char *func, const char *path, size_t max, char **text, size_t *len);
qs_status qs__output_open(const char *func, const char *path, qs_output **out);
qs_status qs__output_commit(const char *func, qs_output *o);

#endif
