/*
 * dataset.c - classification data from CSV: a header line, then rows of
 * numbers whose last column is an integer class label.  Lines starting
 * with '#' and blank lines are skipped.
 */
#include "model/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct qh_dataset {
    size_t n;
    int F, K;
    double *X;
    int *y;
};

QH_API void qh_dataset_destroy(qh_dataset *d)
{
    if (!d)
        return;
    free(d->X);
    free(d->y);
    free(d);
}

/* Number of comma-separated fields of a line. */
static int fields(const char *s)
{
    int n = 1;
    for (; *s; s++)
        n += *s == ',';
    return n;
}

QH_API qs_status qh_dataset_read_csv(const char *path, qh_dataset **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    char *text, *cur;
    QH_TRY(qh__read_text(__func__, path, &text));
    cur = text;
    qh_dataset *d = calloc(1, sizeof *d);
    qs_status st = d ? QS_OK : QH_FAIL(QS_ENOMEM, "out of memory");
    int line = 0, cols = 0, header = 0;
    size_t cap = 0;
    for (char *s; st == QS_OK && (s = qh__next_line(&cur, &line));) {
        if (*s == '#' || strspn(s, " \t") == strlen(s))
            continue;
        if (!header) {   /* the first line names the columns */
            header = 1;
            cols = fields(s);
            if (cols < 2)
                st = QH_FAIL(QS_EPARSE, "%s:%d:1: expected a header of features and a label",
                             path, line);
            continue;
        }
        if (fields(s) != cols) {
            st = QH_FAIL(QS_EPARSE, "%s:%d:1: %d fields, the header has %d", path, line,
                         fields(s), cols);
            break;
        }
        if (d->n == cap) {
            cap = cap ? 2 * cap : 64;
            double *X = realloc(d->X, sizeof *X * cap * (size_t)(cols - 1));
            int *y = X ? realloc(d->y, sizeof *y * cap) : NULL;
            if (X)
                d->X = X;
            if (!y) {
                st = QH_FAIL(QS_ENOMEM, "out of memory");
                break;
            }
            d->y = y;
        }
        const char *p = s;
        for (int c = 0; c < cols && st == QS_OK; c++) {
            double v;
            const char *start = p;
            if (!qh__parse_double(&p, &v) || !isfinite(v)) {
                st = QH_FAIL(QS_EPARSE, "%s:%d:%d: expected a number", path, line,
                             (int)(start - s) + 1);
                break;
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != (c + 1 < cols ? ',' : '\0')) {
                st = QH_FAIL(QS_EPARSE, "%s:%d:%d: expected '%s'", path, line, (int)(p - s) + 1,
                             c + 1 < cols ? "," : "end of line");
                break;
            }
            if (*p == ',')
                p++;
            if (c + 1 < cols) {
                d->X[d->n * (size_t)(cols - 1) + (size_t)c] = v;
            } else if (v != floor(v) || v < 0 || v > 1000) {
                st = QH_FAIL(QS_EPARSE, "%s:%d:%d: the label %g is not a class number 0..1000",
                             path, line, (int)(start - s) + 1, v);
            } else {
                d->y[d->n] = (int)v;
                if ((int)v + 1 > d->K)
                    d->K = (int)v + 1;
            }
        }
        if (st == QS_OK)
            d->n++;
    }
    if (st == QS_OK && d->n == 0)
        st = QH_FAIL(QS_EPARSE, "%s: no data rows", path);
    free(text);
    if (st != QS_OK) {
        qh_dataset_destroy(d);
        return st;
    }
    d->F = cols - 1;
    *out = d;
    return QS_OK;
}

QH_API size_t qh_dataset_num_rows(const qh_dataset *d) { return d ? d->n : 0; }
QH_API int qh_dataset_num_features(const qh_dataset *d) { return d ? d->F : 0; }
QH_API int qh_dataset_num_classes(const qh_dataset *d) { return d ? d->K : 0; }
QH_API const double *qh_dataset_features(const qh_dataset *d) { return d ? d->X : NULL; }
QH_API const int *qh_dataset_labels(const qh_dataset *d) { return d ? d->y : NULL; }
