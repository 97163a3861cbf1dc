/*
 * json.h - a small JSON reader for noise model files (internal): a tree of
 * nodes, each with the line and column where it starts, so that errors
 * about the model can point into the file.
 */
#ifndef QS_NOISE_JSON_H
#define QS_NOISE_JSON_H

#include <qsim/qsim.h>

enum { QS__J_NULL, QS__J_BOOL, QS__J_NUM, QS__J_STR, QS__J_ARR, QS__J_OBJ };

typedef struct qs__jnode {
    int type;
    double num;                 /* QS__J_NUM, QS__J_BOOL */
    char *str;                  /* QS__J_STR */
    struct qs__jnode *items;    /* QS__J_ARR, QS__J_OBJ: values */
    char **keys;                /* QS__J_OBJ */
    int n;
    int line, col;
} qs__jnode;

/* Parses text; a syntax error fails as "name:line:col: ..." for func. */
qs_status qs__json_parse(const char *func, const char *text, const char *name, qs__jnode **out);
void qs__json_free(qs__jnode *j);
/* The value of key in an object, or NULL. */
const qs__jnode *qs__json_get(const qs__jnode *obj, const char *key);
/* A file's whole content, NUL-terminated (QS_EIO with the reason). */
qs_status qs__read_text(const char *func, const char *path, char **out);

#endif
