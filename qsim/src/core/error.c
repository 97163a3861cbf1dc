/*
 * error.c - the status table's names and messages, and the thread-local
 * message of the last failure.  Calls nothing else in the library.
 */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define QS__MSG_LEN 1024
static _Thread_local char last_error[QS__MSG_LEN];
/* Where in a source text the last failure was found (parsers only). */
static _Thread_local struct {
    int has, line, col;
    size_t msg_off;   /* the bare message starts at last_error + msg_off */
    char file[512];
} last_loc;

QS_API const char *qs_strerror(int status)
{
    switch (status) {
#define X(name, msg) case QS_##name: return msg;
        QS_STATUS_MAP(X)
#undef X
    default: return "unknown status";
    }
}

QS_API const char *qs_status_name(int status)
{
    switch (status) {
#define X(name, msg) case QS_##name: return "QS_" #name;
        QS_STATUS_MAP(X)
#undef X
    default: return "QS_UNKNOWN";
    }
}

QS_API const char *qs_last_error(void) { return last_error; }

/* Warnings of the last parse on this thread, one per line. */
static _Thread_local char last_warning[QS__MSG_LEN];

QS_API const char *qs_last_warning(void) { return last_warning; }

void qs__warn_clear(void) { last_warning[0] = '\0'; }

void qs__warn_at(const char *file, int line, int col, const char *fmt, ...)
{
    size_t n = strlen(last_warning);
    int k = snprintf(last_warning + n, sizeof last_warning - n, "%s:%d:%d: warning: ", file,
                     line, col);
    if (k < 0 || (size_t)k >= sizeof last_warning - n)
        return;
    n += (size_t)k;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_warning + n, sizeof last_warning - n, fmt, ap);
    va_end(ap);
    n = strlen(last_warning);
    if (n + 1 < sizeof last_warning) {
        last_warning[n] = '\n';
        last_warning[n + 1] = '\0';
    }
}

QS_API void qs_clear_error(void)
{
    last_error[0] = '\0';
    last_loc.has = 0;
}

QS_API int qs_last_error_location(const char **file, int *line, int *col, const char **msg)
{
    int has = last_loc.has;
    if (file)
        *file = has ? last_loc.file : "";
    if (line)
        *line = has ? last_loc.line : 0;
    if (col)
        *col = has ? last_loc.col : 0;
    if (msg)
        *msg = has ? last_error + last_loc.msg_off : "";
    return has;
}

/* Writes "func: " then prefix (may be NULL) and returns where the rest goes. */
static size_t start_message(const char *func, const char *prefix)
{
    int n = snprintf(last_error, sizeof last_error, "%s: %s", func, prefix ? prefix : "");
    return n < 0 || n >= (int)sizeof last_error ? 0 : (size_t)n;
}

/* "func: <formatted>" into the thread's message (no location). */
static void vset(const char *func, const char *fmt, va_list ap)
{
    size_t n = start_message(func ? func : "?", NULL);
    last_loc.has = 0;
    vsnprintf(last_error + n, sizeof last_error - n, fmt, ap);
}

qs_status qs__fail(qs_status status, const char *func, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(func, fmt, ap);
    va_end(ap);
    return status;
}

qs_status qs__fail_at(qs_status status, const char *func, const char *file, int line, int col,
                      const char *fmt, ...)
{
    char where[600];
    snprintf(where, sizeof where, "%s:%d:%d: ", file, line, col);
    size_t n = start_message(func, where);
    last_loc.has = 1;
    last_loc.line = line;
    last_loc.col = col;
    last_loc.msg_off = n;
    snprintf(last_loc.file, sizeof last_loc.file, "%s", file);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error + n, sizeof last_error - n, fmt, ap);
    va_end(ap);
    return status;
}

QS_API qs_status qs_set_error(qs_status status, const char *func, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(func, fmt, ap);
    va_end(ap);
    return status;
}

qs_status qs__fail_text(qs_status status, const char *msg)
{
    snprintf(last_error, sizeof last_error, "%s", msg);
    last_loc.has = 0;
    return status;
}

QS_API int qs_version_number(void) { return QS_VERSION_NUMBER; }

#define QS__STR2(x) #x
#define QS__STR(x) QS__STR2(x)
QS_API const char *qs_version(void)
{
    return QS__STR(QS_VERSION_MAJOR) "." QS__STR(QS_VERSION_MINOR) "." QS__STR(
        QS_VERSION_PATCH);
}
