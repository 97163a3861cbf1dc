/* text.h - reading the hybrid layer's text files (internal; see text.c). */
#ifndef QH_MODEL_TEXT_H
#define QH_MODEL_TEXT_H

#include "hybrid_impl.h"

/* "# key: value" entries of a file's header. */
typedef struct qh__header {
    char **key, **val;
    size_t n;
} qh__header;

/* The whole file, NUL-terminated, into *out (free it). */
qs_status qh__read_text(const char *func, const char *path, char **out);
/* msg without a leading "qs_function: " (to re-report it as ours). */
const char *qh__strip_func(const char *msg);
/* The next line (NUL-terminated in place, without \r\n), or NULL at the
 * end; counts lines in *lineno. */
char *qh__next_line(char **cursor, int *lineno);
/* Adds a "# key: value" line: 1 added, 0 not of that form, -1 no memory. */
int qh__header_add(qh__header *h, const char *line);
const char *qh__header_get(const qh__header *h, const char *key);
void qh__header_free(qh__header *h);
/* strtod after blanks; advances *p and sets *v only on success (else 0). */
int qh__parse_double(const char **p, double *v);

#endif
