/*
 * classical.h - classical expressions of OpenQASM 3 programs (internal):
 * integer and boolean values computed from classical bits, for the
 * assignments (QS__I_STORE) a program makes to its variables and to the
 * guards of its branches and loops.
 *
 * They are stored in the circuit's expression pool as qs__xnode RPN with
 * op codes of their own (never mixed with gate-argument nodes, never
 * evaluated by expr.c): QS__C_CONST value; QS__C_BITS param = first bit,
 * value = 2*width + signed (the bits as an integer, least significant
 * first, sign-extended when signed); QS__C_CAST param = width (0: bool),
 * value = signed.  Values are int64; constants are exact to 2^53.
 *
 * Bits at QS__VBASE + k are the program's hidden bits (variables and
 * guards, not part of the results): a compiled program keeps them after
 * its num_clbits visible bits.
 */
#ifndef QS_IR_CLASSICAL_H
#define QS_IR_CLASSICAL_H

#include <stdint.h>

#include "ir/expr.h"

#define QS__VBASE (1 << 28)

enum {
    QS__C_CONST = 100, QS__C_BITS, QS__C_CAST, QS__C_LNOT, QS__C_BNOT, QS__C_NEG,
    QS__C_ADD, QS__C_SUB, QS__C_MUL, QS__C_DIV, QS__C_MOD, QS__C_SHL, QS__C_SHR,
    QS__C_AND, QS__C_OR, QS__C_XOR, QS__C_LAND, QS__C_LOR,
    QS__C_EQ, QS__C_NE, QS__C_LT, QS__C_LE, QS__C_GT, QS__C_GE
};

/* Operands an operator takes (1 or 2; 0 for leaves). */
int qs__c_arity(int op);
/* The value of expression n[0..len) on the bits (NULL: no bit may be read). */
int64_t qs__c_eval(const qs__xnode *n, int len, const unsigned char *bits);
/* 1 if the expression reads no bits. */
int qs__c_is_const(const qs__xnode *n, int len);
/* Rewrites hidden bit indices (QS__VBASE + k) to nc + k. */
void qs__c_map_bits(qs__xnode *n, int len, int nc);
/* The bit index b of a circuit as a program's index. */
static inline int qs__c_bit(int b, int nc) { return b >= QS__VBASE ? nc + (b - QS__VBASE) : b; }

#endif
