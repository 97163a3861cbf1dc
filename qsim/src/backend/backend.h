/*
 * backend.h - the kernels of one machine (internal).
 *
 * A backend holds amplitudes and runs operation classes on them (dense,
 * diagonal, permutation, Pauli, reductions), never named gates: ir/ lowers
 * every gate to one of those classes.  Only two layers call it: the
 * localiser (loc/loc.h), which is the one way api/, ir/ and exact/ reach a
 * state's amplitudes, and the per-block callbacks of a cache-blocked run,
 * which get views of blocks from the backend itself (blocked.h).  Only the
 * backend's own files read `amps`: nothing above this header assumes the
 * amplitudes sit in host memory.
 *
 * Layout: a backend holds 2^nq amplitudes as interleaved (re, im) pairs of
 * double or float, basis index order.  A distributed state is several such
 * slices, one per rank, each driven by the localiser (loc/dist.c); the
 * kernels see only their slice and never communicate.
 *
 * Kernels that write return a status (a device kernel or copy can fail);
 * the CPU ones always return QS_OK.  Reductions return their sum over the
 * slice; the localiser combines slices.  Every kernel states its memory
 * traffic in passes over the state (one pass = reading, or reading and
 * writing, each amplitude once).
 */
#ifndef QS_BACKEND_BACKEND_H
#define QS_BACKEND_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <qsim/qsim.h>

/* The amplitudes of one state as a backend sees them. */
typedef struct qs__sv {
    void *amps;        /* 2*len reals: double, or float when f32 */
    int nq;            /* qubits */
    int f32;           /* single precision */
    uint64_t len;      /* 2^nq amplitudes */
    const struct qs__kernels *k;     /* the ops for this precision */
    const struct qs__backend *be;
    void *be_data;     /* backend-private (FFTW plans); freed by be->free */
} qs__sv;

/* Operation classes. */
enum {
    QS__OP_DENSE,  /* m: 2^nt x 2^nt row-major complex */
    QS__OP_DIAG,   /* m: 2^nt complex diagonal entries */
    QS__OP_PERM,   /* |j> -> m[j] |perm[j]>; m NULL for no phases */
    QS__OP_PAULI   /* psi <- a psi + b P psi, P given by xmask/zmask/ny */
};

/* One lowered operation.  Controls are masks: the op acts on the amplitudes
 * whose index has (index & cmask) == cval; the rest are left untouched. */
typedef struct qs__op {
    int kind;
    int nt;                              /* number of targets */
    int targets[QS_MAX_TARGETS];         /* bit j of a matrix index = targets[j] */
    uint64_t cmask, cval;
    const double *m;                     /* matrix data, see the kinds */
    uint32_t perm[1 << QS_MAX_TARGETS];  /* QS__OP_PERM */
    uint64_t xmask, zmask;               /* QS__OP_PAULI: X|Y and Z|Y positions */
    int ny;                              /* QS__OP_PAULI: number of Y letters */
    double a[2], b[2];                   /* QS__OP_PAULI: coefficients */
} qs__op;

/* Pauli terms grouped by their X/Y positions.  Term t of group g has
 * P_t|c> = i^{ny_t} (-1)^{|c & z_t|} |c ^ x_g>; coef holds the complex
 * weight w_t * i^{ny_t}, so the group's operator is
 * sum_t coef_t (-1)^{|c & z_t|} |c ^ x_g><c|. */
typedef struct qs__pgroups {
    size_t ngroups;
    const uint64_t *xmask;   /* [ngroups] */
    const size_t *start;     /* [ngroups+1]: terms of group g are start[g]..start[g+1]-1 */
    const uint64_t *zmask;   /* [nterms] */
    const double *coef;      /* [2*nterms] complex */
} qs__pgroups;

/* The ops a backend provides for one precision.  Single precision kernels
 * take double arguments and round once at entry. */
typedef struct qs__kernels {
    /* Gates: one read+write pass over the amplitudes the op touches. */
    qs_status (*dense)(qs__sv *sv, const qs__op *op);
    qs_status (*diag)(qs__sv *sv, const qs__op *op);
    qs_status (*perm)(qs__sv *sv, const qs__op *op);
    qs_status (*pauli)(qs__sv *sv, const qs__op *op);
    qs_status (*scale)(qs__sv *sv, const double alpha[2]);              /* 1 pass */
    qs_status (*axpy)(qs__sv *y, const double alpha[2], const qs__sv *x); /* 1 pass */

    /* Setting and copying. */
    qs_status (*set_basis)(qs__sv *sv, uint64_t index);   /* 1 write pass */
    qs_status (*set_const)(qs__sv *sv, const double v[2]);  /* 1 write pass */
    qs_status (*get_amps)(const qs__sv *sv, uint64_t first, uint64_t count, double *re_im);
    qs_status (*set_amps)(qs__sv *sv, uint64_t first, uint64_t count, const double *re_im);
    qs_status (*copy_from)(qs__sv *dst, const qs__sv *src); /* any precision of src */

    /* Reductions: one read pass, summed in an order fixed by len. */
    double (*norm2)(const qs__sv *sv);
    void (*inner)(const qs__sv *bra, const qs__sv *ket, double out[2]);
    double (*prob_mask)(const qs__sv *sv, uint64_t mask, uint64_t val);
    void (*probs)(const qs__sv *sv, double *out);       /* 2^n outputs */
    void (*marginal)(const qs__sv *sv, const int *qubits, int k, double *out);
    /* Zeroes amplitudes with (i & mask) != val, scales the others. */
    qs_status (*collapse)(qs__sv *sv, uint64_t mask, uint64_t val, double scale);
    /* sum_g sum_t Re <psi| group term |psi>: one pass per group. */
    double (*expect)(const qs__sv *sv, const qs__pgroups *g);
    /* out <- sum of the groups applied to in: one pass per group. */
    qs_status (*apply_pgroups)(const qs__sv *in, qs__sv *out, const qs__pgroups *g);
    /* Given u[0..n-1] sorted ascending in [0, total), writes to idx[i] the
     * basis index whose cumulative probability interval holds u[i]: one
     * read pass.  Returns the total probability seen. */
    double (*sample_sorted)(const qs__sv *sv, const double *u, size_t n,
                            uint64_t *idx);

    /* Real diagonals given by a value per basis state of the low k qubits
     * (v = values[i mod 2^k]); cost functions such as MaxCut's.
     * psi_i <- c * v^p * e^{-i t v} psi_i, p = 1 if times_value else 0:
     * one read+write pass. */
    qs_status (*diag_real)(qs__sv *sv, const double *values, int k, double t,
                           const double c[2], int times_value);
    /* sum_i |psi_i|^2 v_i: one read pass. */
    double (*expect_diag_real)(const qs__sv *sv, const double *values, int k);
} qs__kernels;

struct qs__blocking;   /* blocked.h */

/* A backend: a name, a run-time availability test, storage, and the ops of
 * each precision.  Backends that speed up only some ops copy the generic CPU
 * table and replace those pointers (see registry.c). */
typedef struct qs__backend {
    const char *name;
    int host_memory;   /* amps are plain host memory */
    int (*available)(void);
    const qs__kernels *(*kernels)(int f32);
    /* Allocates 2^nq amplitudes (not initialised); sets sv->amps, len. */
    qs_status (*alloc)(qs__sv *sv);
    void (*free)(qs__sv *sv);
    /* In-place QFT on qubits [first, first+count); inverse if inv. */
    qs_status (*qft)(qs__sv *sv, int first, int count, int inv);
    /* A cache-blocked run (blocked.h): gathers each block of the states
     * into a view, calls fn on it, scatters it back.  Returns the first
     * failing call's status. */
    qs_status (*blocked_run)(qs__sv *const *svs, int nstates, int nextra,
                             const struct qs__blocking *b, void *scratch,
                             qs_status (*fn)(void *ctx, uint64_t chunk, qs__sv *views),
                             void *ctx);
} qs__backend;

/* registry.c: the compiled-in backends, best first. */
const qs__backend *qs__backend_current(void);
qs_status qs__sv_alloc(qs__sv *sv, int nq, int f32, const char *func);
void qs__sv_free(qs__sv *sv);

/* The generic CPU backend (cpu/cpu.c). */
extern const qs__backend qs__backend_cpu;
/* Double-precision kernels that run on plain host memory, for the small
 * matrices the IR builds (fused ops): be's own when its amplitudes are
 * host memory (so fused matrices round as they always did), else the
 * generic CPU ones. */
const qs__kernels *qs__host_kernels(const qs__backend *be);

/* Applies one lowered op with the kernels of sv (a state slice or a block
 * view). */
static inline qs_status qs__sv_apply(qs__sv *sv, const qs__op *op)
{
    switch (op->kind) {
    case QS__OP_DENSE: return sv->k->dense(sv, op);
    case QS__OP_DIAG: return sv->k->diag(sv, op);
    case QS__OP_PERM: return sv->k->perm(sv, op);
    default: return sv->k->pauli(sv, op);
    }
}

#endif
