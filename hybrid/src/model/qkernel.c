/*
 * qkernel.c - quantum kernels K(x, x') = |<phi(x)|phi(x')>|^2 from
 * simulated feature-map states, and the min-max scaling they use.
 *
 * Each row's state is computed once (rows over ranks and threads, one
 * compiled program with the features as parameters, amplitudes gathered to
 * every rank); the kernel entries are then plain inner products of the
 * stored amplitudes, rows of K over ranks and threads again, each summed in
 * a fixed order (par.h).
 *
 * Under noise each row's state is its density matrix (a vectorised rho of
 * 2F qubits) and the entries are Tr(rho(x) rho(x')) = Re <rho(x)|rho(x')>
 * of the vectorised matrices (Hermitian), the Hilbert-Schmidt inner
 * product, which for pure states is |<phi(x)|phi(x')>|^2 again.
 */
#include "par/par.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest feature map simulated (one qubit per feature). */
#define MAX_MAP_QUBITS 20

QH_API qs_status qh_feature_map_lookup(const char *name, int *map)
{
    QH_CHECK_NULL(name);
    QH_CHECK_NULL(map);
    if (strcmp(name, "angle") == 0)
        *map = QH_MAP_ANGLE;
    else if (strcmp(name, "zz") == 0)
        *map = QH_MAP_ZZ;
    else
        return QH_FAIL(QS_EINVAL, "unknown feature map '%s' (angle, zz)", name);
    return QS_OK;
}

QH_API qs_status qh_minmax_scale(size_t n_fit, int features, const double *Xfit, double lo,
                                 double hi, size_t n, const double *X, double *out)
{
    QH_CHECK_NULL(Xfit);
    QH_CHECK_NULL(X);
    QH_CHECK_NULL(out);
    if (n_fit == 0 || features < 1 || !isfinite(lo) || !isfinite(hi))
        return QH_FAIL(QS_EINVAL, "%zu rows, %d features, range [%g, %g]", n_fit, features, lo,
                       hi);
    size_t F = (size_t)features;
    for (size_t j = 0; j < F; j++) {
        double mn = Xfit[j], mx = Xfit[j];
        for (size_t i = 1; i < n_fit; i++) {
            mn = fmin(mn, Xfit[i * F + j]);
            mx = fmax(mx, Xfit[i * F + j]);
        }
        for (size_t i = 0; i < n; i++)
            out[i * F + j] = mx > mn ? lo + (hi - lo) * (X[i * F + j] - mn) / (mx - mn) : lo;
    }
    return QS_OK;
}

static qs_status map_circuit(int map, int F, qs_circuit **out)
{
    qs_circuit *c;
    QH_TRY(qs_circuit_create(F, 0, &c));
    char name[32], expr[160];
    qs_status st = QS_OK;
    for (int j = 0; j < F && st == QS_OK; j++) {
        snprintf(name, sizeof name, "x%d", j);
        st = qs_circuit_add_param(c, name, NULL);
    }
    if (map == QH_MAP_ANGLE) {
        for (int j = 0; j < F && st == QS_OK; j++) {
            snprintf(expr, sizeof expr, "x%d", j);
            const char *e[] = {expr};
            st = qs_circuit_append_gate_expr(c, QS_GATE_RY, &j, e);
        }
    } else {
        /* (U_Z H^n)^2 with U_Z = exp(i sum_j x_j Z_j + i sum_{j<k} (pi-x_j)(pi-x_k) Z_j Z_k):
         * exp(i a Z) = rz(-2a), exp(i a ZZ) = rzz(-2a). */
        for (int rep = 0; rep < 2 && st == QS_OK; rep++) {
            for (int j = 0; j < F && st == QS_OK; j++)
                st = qs_circuit_append_gate(c, QS_GATE_H, &j, NULL);
            for (int j = 0; j < F && st == QS_OK; j++) {
                snprintf(expr, sizeof expr, "-2*x%d", j);
                const char *e[] = {expr};
                st = qs_circuit_append_gate_expr(c, QS_GATE_RZ, &j, e);
            }
            for (int j = 0; j < F && st == QS_OK; j++)
                for (int k = j + 1; k < F && st == QS_OK; k++) {
                    int q[2] = {j, k};
                    snprintf(expr, sizeof expr, "-2*(pi - x%d)*(pi - x%d)", j, k);
                    const char *e[] = {expr};
                    st = qs_circuit_append_gate_expr(c, QS_GATE_RZZ, q, e);
                }
        }
    }
    if (st != QS_OK) {
        qs_circuit_destroy(c);
        return st;
    }
    *out = c;
    return QS_OK;
}

typedef struct {
    const qs_program *p;
    int F, dm;
    size_t D, na, nb;
    const double *A, *B;
    const double *amps;    /* (na + nb) x 2D */
} kctx;

/* Record of row i of [A; B]: its state's amplitudes (2D). */
static qs_status state_item(void *vc, size_t i, qh__slot *w, double *rec)
{
    kctx *k = vc;
    const double *x = i < k->na ? k->A + i * (size_t)k->F : k->B + (i - k->na) * (size_t)k->F;
    QH_TRY(qs_state_set_basis(w->s[0], 0));
    QH_TRY(qs_program_run(k->p, x, (size_t)k->F, w->s[0], NULL, NULL));
    return qs_state_get_amps(w->s[0], 0, k->D, rec);
}

/* Record of row i of K (nb values). */
static qs_status row_item(void *vc, size_t i, qh__slot *w, double *rec)
{
    (void)w;
    kctx *k = vc;
    const double *a = k->amps + i * 2 * k->D;
    for (size_t j = 0; j < k->nb; j++) {
        const double *b = k->amps + (k->na + j) * 2 * k->D;
        double re = 0, im = 0;
        for (size_t d = 0; d < k->D; d++) {
            re += a[2 * d] * b[2 * d] + a[2 * d + 1] * b[2 * d + 1];
            im += a[2 * d] * b[2 * d + 1] - a[2 * d + 1] * b[2 * d];
        }
        rec[j] = k->dm ? re : re * re + im * im;
    }
    return QS_OK;
}

static qs_status kernel(const char *func, int map, int features, size_t na, const double *A,
                        size_t nb, const double *B, const qs_noise_model *noise, double *K)
{
    if (!A || !B || !K)
        return qs_set_error(QS_EINVAL, func, "%s is NULL", !A ? "A" : !B ? "B" : "K");
    if (map != QH_MAP_ANGLE && map != QH_MAP_ZZ)
        return qs_set_error(QS_EINVAL, func, "unknown feature map %d", map);
    if (features < 1)
        return qs_set_error(QS_EINVAL, func, "features %d", features);
    int maxq = noise ? MAX_MAP_QUBITS / 2 : MAX_MAP_QUBITS;
    if (features > maxq)
        return qs_set_error(QS_ETOOBIG, func, "a %sfeature map of %d qubits (one per feature; "
                            "at most %d)", noise ? "noisy " : "", features, maxq);
    int nq = noise ? 2 * features : features;
    kctx k = {.F = features, .dm = noise != NULL, .D = (size_t)1 << nq, .na = na, .nb = nb,
              .A = A, .B = B};
    qs_circuit *c = NULL, *nc = NULL;
    qs_program *p = NULL;
    qh__ws ws;
    qh__ws_init(&ws, nq, 1, 0, 0, 0, 0);
    double *amps = malloc(sizeof *amps * 2 * k.D * (na + nb ? na + nb : 1));
    qs_status st = map_circuit(map, features, &c);
    if (st == QS_OK && noise) {
        st = qs_noise_model_apply(noise, c, &nc);
        if (st == QS_OK)
            st = qs_density_compile(nc, 0, &p);
    } else if (st == QS_OK) {
        st = qs_program_compile(c, 0, &p);
    }
    if (st == QS_OK && !amps)
        st = qs_set_error(QS_ENOMEM, func, "out of memory for %zu %s of %d qubits", na + nb,
                          noise ? "density matrices" : "states", features);
    k.p = p;
    k.amps = amps;
    if (st != QS_OK)
        st = qh_comm_agree(st, NULL);   /* where the others agree in qh__spread */
    else
        st = qh__spread(&ws, na + nb, 0, 2 * k.D, state_item, &k, amps);
    if (st == QS_OK)
        st = qh__spread(NULL, na, 0, nb, row_item, &k, K);
    qh__ws_free(&ws);
    free(amps);
    qs_program_destroy(p);
    qs_circuit_destroy(nc);
    qs_circuit_destroy(c);
    return st;
}

QH_API qs_status qh_kernel_matrix(int map, int features, size_t na, const double *A, size_t nb,
                                  const double *B, double *K)
{
    return kernel(__func__, map, features, na, A, nb, B, NULL, K);
}

QH_API qs_status qh_kernel_matrix_noisy(int map, int features, size_t na, const double *A,
                                        size_t nb, const double *B,
                                        const qs_noise_model *noise, double *K)
{
    if (!noise)
        return QH_FAIL(QS_EINVAL, "noise is NULL");
    return kernel(__func__, map, features, na, A, nb, B, noise, K);
}
