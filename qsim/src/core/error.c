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

QS_API void qs_clear_error(void) { last_error[0] = '\0'; }

/* "func: <formatted>" into the thread's message. */
static void vset(const char *func, const char *fmt, va_list ap)
{
    int n = snprintf(last_error, sizeof last_error, "%s: ", func ? func : "?");
    if (n < 0 || n >= (int)sizeof last_error)
        n = 0;
    vsnprintf(last_error + n, sizeof last_error - (size_t)n, fmt, ap);
}

qs_status qs__fail(qs_status status, const char *func, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vset(func, fmt, ap);
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
