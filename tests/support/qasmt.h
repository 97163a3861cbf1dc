/*
 * qasmt.h - helpers for the OpenQASM tests: parse or expect a located
 * error, write a circuit to text, read files, and the few JSON lookups the
 * conformance references need (a flat scan, not a JSON parser).
 */
#ifndef QS_TESTS_QASMT_H
#define QS_TESTS_QASMT_H

#include <stddef.h>
#include <qsim/qsim.h>

/* Parses text (named "<test>") with flags; fails the test on an error. */
qs_circuit *qt_parse(const char *text, unsigned flags);
/* Parses text that must fail with status st at line:col, with a message
 * containing `msg`. */
void qt_error(const char *text, unsigned flags, qs_status st, int line, int col, const char *msg);
/* The circuit as OpenQASM (malloc'd). */
char *qt_write(const qs_circuit *c, unsigned flags);
/* The operations part of a written program: after the declarations. */
const char *qt_ops(const char *text);
/* A whole file (malloc'd, NUL-terminated); NULL if unreadable. */
char *qt_read_file(const char *path);
/* Writes text to path; fails the test on an error. */
void qt_write_file(const char *path, const char *text);

/* Pointer just after `"key":` at or after `from`, or NULL. */
const char *qt_json_find(const char *from, const char *key);
/* The numbers of the array at p ('[' a, b, ... ']'); *n gets the count. */
double *qt_json_numbers(const char *p, size_t *n);

#endif
