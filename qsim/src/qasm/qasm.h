/*
 * qasm.h - the OpenQASM front end (internal): lexer, parser, semantic
 * checks and the circuit it builds.
 *
 *   source.c  files, includes, diagnostics, the public parse entry points
 *   lexer.c   tokens with their line:col, skipping blanks and comments
 *   parser.c  recursive descent over statements; each statement is read
 *             whole (names, argument expressions, operands, each with its
 *             location) and handed to sema
 *   sema.c    symbols (registers, parameters, gates), checks, broadcast,
 *             expansion of gate definitions into the circuit
 *   qelib1.c  the built-in headers qelib1.inc and stdgates.inc
 *   writer.c  circuits back to OpenQASM text
 *
 * Expressions are not tokenised here: the parser hands the source text at
 * the expression's first token to qs__x_parse (ir/expr_parse.c, the one
 * expression grammar) and resumes lexing where it stopped.
 *
 * Every function that can fail returns 0 after reporting through
 * qq_error() (the first error wins) and 1 on success.
 */
#ifndef QS_QASM_QASM_H
#define QS_QASM_QASM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/error.h"
#include "ir/circuit_impl.h"
#include "ir/expr.h"

/* Limits that keep hostile input from exhausting time or memory (the
 * fuzzing build lowers the operation limit). */
#ifndef QQ_MAX_OPS
#define QQ_MAX_OPS (1 << 24)          /* operations after expansion */
#endif
#define QQ_MAX_NODES (1 << 26)        /* expression nodes in the circuit */
#define QQ_MAX_INCLUDE_DEPTH 32
#define QQ_MAX_GATE_DEPTH 64          /* definitions calling definitions */
#define QQ_MAX_CLBITS (1 << 20)
#define QQ_MAX_FILE_BYTES ((size_t)1 << 30)

enum {
    T_EOF, T_ID, T_INT, T_REAL, T_STRING,
    T_SEMI, T_COMMA, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_LBRACE, T_RBRACE,
    T_ARROW, T_EQEQ, T_EQ, T_NE, T_BANG, T_AT, T_COLON, T_PLUS, T_MINUS, T_STAR,
    T_SLASH, T_CARET, T_HWQ /* $n */, T_OTHER
};

typedef struct qq_tok {
    int kind;
    size_t off, len;      /* bytes of the source text */
    int line, col;        /* 1-based; col counts bytes */
} qq_tok;

/* A place in a source: what diagnostics print. */
typedef struct qq_loc {
    const char *file;
    int line, col;
} qq_loc;

/* One source text being read: the program, an include, or a built-in. */
typedef struct qq_src {
    char *name;           /* as printed in diagnostics */
    char *dir;            /* includes are relative to it ("" = cwd) */
    char *text;           /* NUL-terminated */
    size_t len;
    dev_t dev;            /* identity, to refuse recursive includes */
    ino_t ino;
    int builtin;          /* a built-in header's text */
    /* lexer state: tok is the current token, prev the one before */
    size_t pos, line_start;
    int line;
    qq_tok tok, prev;
    struct qq_src *next_owned;
} qq_src;

/* A string-keyed hash map to indices. */
typedef struct qq_map {
    struct qq_slot { const char *key; size_t len; int val; } *slots;
    size_t cap, n;
} qq_map;

typedef struct qq_reg {
    char *name;
    int quantum;          /* 1 qreg/qubit, 0 creg/bit, -1 input parameter */
    int first, size;
    qq_loc loc;
} qq_reg;

/* Operations of a gate body. */
enum { GOP_CALL, GOP_GPHASE, GOP_BARRIER };

typedef struct qq_gop {
    int kind;
    int sym;              /* GOP_CALL: the callee's gate symbol */
    int nq, qoff;         /* formal qubit indices in g->qpool */
    int na, aoff;         /* argument expressions in g->args */
} qq_gop;

typedef struct qq_gate {
    char *name;
    int np, nq;
    int table;            /* >= 0: runs as this table gate (qs_gate) */
    int opaque;
    int builtin;          /* from a header or the language, not the program */
    int depth;            /* 0 table gates; 1 + deepest callee */
    const char *header;   /* built-in header it came from, or NULL */
    qq_loc loc;
    qq_gop *ops;
    int nops, capops;
    int *qpool;
    int nqpool, capq;
    qs__arg *args;
    int nargs, capargs;
    qs__xnode *nodes;
    int nnodes, capnodes;
} qq_gate;

/* A classical condition on an operation. */
typedef struct qq_cond {
    int first, bits;
    uint64_t value;
} qq_cond;

/* An operand as written: a register (index -1) or one of its elements; in
 * a gate body, reg is the formal qubit's index. */
typedef struct qq_arg {
    int reg, index;
    qq_loc loc;
} qq_arg;

/* An argument expression under construction or substitution. */
typedef struct qq_expr {
    qs__xnode *n;
    int len;
} qq_expr;

typedef struct qq_parser {
    const char *func;     /* the public entry point, for messages */
    unsigned flags;
    int version;          /* 2 or 3 once the header is read */
    qs_circuit *c;
    qq_src *src;          /* the source being read */
    qq_src *stack[QQ_MAX_INCLUDE_DEPTH + 1];
    int depth;
    qq_src *owned;        /* every source, freed at the end */
    const char *main_name;
    /* symbols */
    qq_map regmap, gatemap;
    qq_reg *regs;
    int nregs, capregs;
    qq_gate *gates;
    int ngates, capgates;
    int have_qelib1, have_stdgates;
    int phys;             /* 1 + the register of physical qubits $n; 0 before one */
    size_t nops;          /* operations emitted into c */
    /* errors: the first wins; while probing they are only counted */
    int failed, probing, probe_failed;
    qs_status status;
} qq_parser;

/* source.c */
int qq_error(qq_parser *ps, qs_status st, qq_loc loc, const char *fmt, ...)
    QS__PRINTF(4, 5);
/* Reads the file an include names, relative to the including source, and
 * makes it the current source.  loc: the include statement. */
int qq_push_file(qq_parser *ps, const char *path, qq_loc loc);
/* Makes a built-in header's text the current source. */
int qq_push_text(qq_parser *ps, const char *name, const char *text);
void qq_pop(qq_parser *ps);
/* "line 3", or "lib.inc:3" when loc is in another file than the current. */
const char *qq_where(qq_parser *ps, qq_loc loc, char *buf, size_t n);

/* lexer.c */
void qq_lex_start(qq_src *s);
/* Advances to the next token; 0 on a lexical error (reported). */
int qq_next(qq_parser *ps);
/* The kind of the token after the current one, without consuming. */
int qq_peek(qq_parser *ps);
/* Moves the lexer to byte `off` (>= the current token's start) and
 * reads the token there. */
int qq_seek(qq_parser *ps, size_t off);
qq_loc qq_loc_of(const qq_parser *ps, const qq_tok *t);
/* The location of byte `off` at or after the current token's start. */
qq_loc qq_loc_at(const qq_parser *ps, size_t off);
/* The location just after the previous token. */
qq_loc qq_loc_after_prev(const qq_parser *ps);
/* The token for messages: 'cx', ';', end of file. */
const char *qq_tok_desc(const qq_parser *ps, const qq_tok *t, char *buf, size_t n);
/* 1 if the current token is the identifier `word`. */
int qq_is(const qq_parser *ps, const char *word);

/* parser.c */
/* 1 if s[0..len) is a keyword of OpenQASM `version` (2 or 3). */
int qq_is_keyword(int version, const char *s, size_t len);
/* Reads statements of the current source up to its end. */
int qq_parse_statements(qq_parser *ps);
/* Reads the program: the header, then statements. */
int qq_parse_program(qq_parser *ps);

/* sema.c */
int qq_map_get(const qq_map *m, const char *key, size_t len);
int qq_map_put(qq_map *m, const char *key, size_t len, int val);
void qq_map_free(qq_map *m);
void qq_symbols_free(qq_parser *ps);
int qq_find_reg(const qq_parser *ps, const char *name, size_t len);
int qq_find_gate(const qq_parser *ps, const char *name, size_t len);
/* Declares a register (quantum 1/0) or an input parameter (quantum -1). */
int qq_declare_reg(qq_parser *ps, const char *name, size_t len, int quantum, int size,
                   qq_loc loc);
/* Physical qubit $n (OpenQASM 3) as an operand: qubit n of the circuit. */
int qq_physical_qubit(qq_parser *ps, long n, qq_loc loc, qq_arg *a);
/* A new gate symbol; returns its index or -1 (reported). */
int qq_declare_gate(qq_parser *ps, const char *name, size_t len, qq_loc loc);
/* Adds an operation to gate g's body. */
int qq_gate_add_op(qq_parser *ps, qq_gate *g, int kind, int sym, const int *formals, int nq,
                   const qq_expr *args, int na, qq_loc loc);
/* Ends gate g's definition: depth, and whether it runs as a table gate. */
int qq_gate_finish(qq_parser *ps, int g, qq_loc loc);
/* A gate call at program level: broadcast over registers, expansion. */
int qq_emit_call(qq_parser *ps, int sym, const qq_expr *args, int na, const qq_arg *qargs,
                 int nq, const qq_cond *cond, qq_loc loc);
int qq_emit_gphase(qq_parser *ps, const qq_expr *arg, const qq_cond *cond, qq_loc loc);
/* measure qarg -> carg (carg NULL: outcome discarded), with broadcast. */
int qq_emit_measure(qq_parser *ps, const qq_arg *qarg, const qq_arg *carg,
                    const qq_cond *cond, qq_loc loc);
int qq_emit_reset(qq_parser *ps, const qq_arg *qarg, const qq_cond *cond, qq_loc loc);
int qq_emit_barrier(qq_parser *ps, const qq_arg *qargs, int n, qq_loc loc);
/* "q[3]" or "q" for messages. */
const char *qq_arg_name(const qq_parser *ps, const qq_arg *a, char *buf, size_t n);

/* qelib1.c */
/* Includes a built-in header if `name` is one; *done says whether it was. */
int qq_include_builtin(qq_parser *ps, const char *name, qq_loc loc, int *done);
/* Declares the language's own gates (U, CX). */
int qq_declare_builtins(qq_parser *ps);
/* A hint for an undefined gate name ("add include ..."), or "". */
const char *qq_undefined_hint(const qq_parser *ps, const char *name, size_t len);
/* 1 if table gate `name` is in Qiskit's qelib1.inc / in stdgates.inc
 * under its own name. */
int qq_in_qelib1(const char *name);
int qq_in_stdgates(const char *name);

#endif
