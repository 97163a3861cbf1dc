/*
 * error.h - status codes and the per-thread error message (internal).
 *
 * Every public function that fails calls qs__fail() once, with its own name
 * and a message naming the argument and its value, and returns the code.
 * Callers further in only return codes; the first message set wins because
 * qs__fail is called only at the point of detection.
 */
#ifndef QS_CORE_ERROR_H
#define QS_CORE_ERROR_H

#include <assert.h>
#include <qsim/qsim.h>

#if defined(__GNUC__)
#define QS__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define QS__PRINTF(a, b)
#endif

/* Sets the thread's message to "func: <formatted>" and returns status. */
qs_status qs__fail(qs_status status, const char *func, const char *fmt, ...)
    QS__PRINTF(3, 4);

/* Sets the thread's message to msg verbatim (a message carried over from
 * another thread) and returns status. */
qs_status qs__fail_text(qs_status status, const char *msg);
/* The same for an error found at file:line:col of a source text; the
 * message reads "func: file:line:col: <formatted>" and the location is
 * kept for qs_last_error_location(). */
qs_status qs__fail_at(qs_status status, const char *func, const char *file,
                      int line, int col, const char *fmt, ...) QS__PRINTF(6, 7);

/* Warnings of a parse (qs_last_warning): cleared when a parse starts,
 * then one "file:line:col: warning: <formatted>" line each. */
void qs__warn_clear(void);
void qs__warn_at(const char *file, int line, int col, const char *fmt, ...) QS__PRINTF(4, 5);

/* Library bugs (never user input): assert in debug builds, an error code in
 * release builds. */
#ifdef NDEBUG
#define QS_ASSERT(cond)                                                      \
    do {                                                                     \
        if (!(cond))                                                         \
            return qs__fail(QS_EINTERNAL, __func__, "assertion failed: %s",  \
                            #cond);                                          \
    } while (0)
#else
#define QS_ASSERT(cond) assert(cond)
#endif

/* Propagates a non-OK status. */
#define QS_TRY(expr)                                                         \
    do {                                                                     \
        qs_status qs__st = (expr);                                           \
        if (qs__st != QS_OK)                                                 \
            return qs__st;                                                   \
    } while (0)

#endif
