/*
 * expr.h - gate-argument expressions over symbolic parameters (internal).
 *
 * An expression is RPN bytecode: a flat array of nodes evaluated with a
 * small stack.  Constant sub-expressions are folded when built, so a gate
 * whose arguments use no parameter has constant arguments.  Derivatives
 * with respect to the parameters come from one reverse sweep (the chain
 * rule through any expression, as gradients need).
 */
#ifndef QS_IR_EXPR_H
#define QS_IR_EXPR_H

#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

enum {
    QS__X_CONST, QS__X_PARAM,
    QS__X_ADD, QS__X_SUB, QS__X_MUL, QS__X_DIV, QS__X_POW,
    QS__X_NEG, QS__X_SIN, QS__X_COS, QS__X_TAN, QS__X_ASIN, QS__X_ACOS,
    QS__X_ATAN, QS__X_EXP, QS__X_LN, QS__X_SQRT, QS__X_ABS
};

/* Longest expression accepted, in nodes. */
#define QS__X_MAX 512

typedef struct qs__xnode {
    int op;
    int param;      /* QS__X_PARAM: parameter index */
    double value;   /* QS__X_CONST */
} qs__xnode;

/* A growable expression under construction. */
typedef struct qs__xbuf {
    qs__xnode *n;
    int len, cap;
    int stack;      /* values on the stack after the nodes so far */
    int oom;        /* an allocation failed */
} qs__xbuf;

void qs__xbuf_free(qs__xbuf *b);
void qs__x_const(qs__xbuf *b, double v);
void qs__x_param(qs__xbuf *b, int index);
/* Appends an operator; folds it when its operands are constants. */
void qs__x_op(qs__xbuf *b, int op);
/* Appends the nodes of another expression (substitution). */
void qs__x_append(qs__xbuf *b, const qs__xnode *n, int len);
/* Appends expression n with every parameter node i replaced by the
 * expression act[i] (act_len[i] nodes), folding what becomes constant:
 * how a gate definition's body receives its actual arguments. */
void qs__x_subst(qs__xbuf *b, const qs__xnode *n, int len,
                 const qs__xnode *const *act, const int *act_len);

/* Evaluation; a well-formed expression leaves one value. */
double qs__x_eval(const qs__xnode *n, int len, const double *params);
/* Value, and d(value)/d(param) added, scaled by `seed`, into grad[param]
 * for every parameter the expression uses. */
double qs__x_eval_grad(const qs__xnode *n, int len, const double *params,
                       double seed, double *grad);
/* 1 if the expression is a single constant; *v gets it. */
int qs__x_is_const(const qs__xnode *n, int len, double *v);
/* Highest parameter index used, or -1. */
int qs__x_max_param(const qs__xnode *n, int len);

/* Resolves an identifier to a parameter index (>= 0), or returns -1. */
typedef int (*qs__x_resolve)(void *ctx, const char *name, size_t len);

/* Parses an expression from text[0..] (numbers, pi, identifiers through
 * resolve, + - * / ^ **, unary minus, parentheses, functions) into b.
 * Stops at the first character that cannot continue the expression and
 * stores its offset in *end.  On a syntax error returns QS_EPARSE with
 * *err_off the offset of the offending character and *msg what was
 * expected (static text). */
qs_status qs__x_parse(const char *text, qs__x_resolve resolve, void *ctx,
                      qs__xbuf *b, size_t *end, size_t *err_off,
                      const char **msg);

/* 1 if name[0..len) is a constant or function of the grammar (pi, sin,
 * ...), which parameters cannot be called. */
int qs__x_reserved(const char *name, size_t len);

/* Writes the expression as text that qs__x_parse reads back ("2*theta +
 * 0.1"), naming parameter i names[i].  Returns the length, or -1 if buf
 * was too small. */
int qs__x_format(const qs__xnode *n, int len, const char *const *names,
                 char *buf, size_t buflen);

#endif
