/*
 * fop.c - the run-time builder of fused ops (schedule.h): a fused group's
 * matrix is multiplied out from its members at the parameter values, on
 * host memory with the host kernels (backend.h), whatever backend the
 * state runs on; segment.c hands the result to the localiser.
 */
#include "backend/blocked.h"
#include "backend/simplify.h"
#include "core/bits.h"
#include "core/error.h"
#include "ir/program_impl.h"

#include <string.h>

long qs__step_op_size(const qs__step *st, int mode)
{
    int kind, nt;
    switch (st->kind) {
    case QS__S_OP: kind = st->op.kind; nt = st->op.nt; break;
    case QS__S_PGATE:
        kind = qs__gates[st->gate].kind;
        nt = qs__gates[st->gate].nt;
        if (mode == QS__DERIVATIVE)
            nt += qs__gates[st->gate].nc + qs__popcount(st->xcm);
        break;
    case QS__S_GPHASE: return 2;
    default: return 0;
    }
    return kind == QS__OP_DIAG ? 2L << nt : 2L << (2 * nt);
}

qs_status qs__fop_build(const qs_program *p, const qs__fop *f, const double *params,
                        const qs__backend *be, qs__op *out, double *data)
{
    double args[QS__STEP_MAX_ARGS], buf[QS__OPBUF];
    if (f->mcount == 1) {
        const qs__step *st = &p->steps[p->members[f->mfirst]];
        qs__step_args(p, st, params, args);
        qs__step_op(p, st, args, QS__FORWARD, 0, out, data);
        return QS_OK;
    }
    /* Members act on the group's qubits f->op.targets (ascending); a
     * dense group's matrix M is a 2k-qubit state (row bits above column
     * bits), so applying a member to its row bits multiplies M by it from
     * the left.  A diagonal group is the k-qubit vector of its entries. */
    const int kq = f->op.nt, dense = f->dense;
    signed char map[64];
    memset(map, -1, sizeof map);
    for (int j = 0; j < kq; j++)
        map[f->op.targets[j]] = (signed char)(j + (dense ? kq : 0));
    /* The matrix is host memory in the program or the state's scratch,
     * whatever the state's backend: the host kernels build it. */
    qs__sv sv;
    memset(&sv, 0, sizeof sv);
    sv.amps = data;
    sv.nq = dense ? 2 * kq : kq;
    sv.len = UINT64_C(1) << sv.nq;
    sv.k = qs__host_kernels(be);
    uint64_t d = UINT64_C(1) << kq;
    memset(data, 0, sizeof(double) * 2 * sv.len);
    for (uint64_t j = 0; j < d; j++)
        data[2 * (dense ? j * d + j : j)] = 1;
    for (int i = 0; i < f->mcount; i++) {
        const qs__step *st = &p->steps[p->members[f->mfirst + i]];
        qs__op op, local;
        qs__step_args(p, st, params, args);
        qs__step_op(p, st, args, QS__FORWARD, 0, &op, buf);
        qs__op_relabel(&op, map, &local);
        QS_TRY(qs__sv_apply(&sv, &local));
    }
    qs__op res = f->op;
    res.kind = dense ? QS__OP_DENSE : QS__OP_DIAG;
    res.m = data;
    /* Simplified here, so that the op is stored in its cheapest class
     * (a product of permutations stays a permutation).  The kernels
     * still run their own simplify at every call and every block; on an
     * op already simplified it finds nothing to change. */
    qs__op_buf ob;
    if (!qs__op_simplify(&res, &ob)) {
        memset(out, 0, sizeof *out);
        out->kind = QS__OP_DIAG;
        data[0] = 1;
        data[1] = 0;
        out->m = data;
        return QS_OK;
    }
    *out = ob.op;
    if (ob.op.m == ob.m) {
        size_t len = ob.op.kind == QS__OP_DENSE ? (size_t)2 << (2 * ob.op.nt) : (size_t)2 << ob.op.nt;
        memcpy(data, ob.m, sizeof(double) * len);
        out->m = data;
    }
    return QS_OK;
}
