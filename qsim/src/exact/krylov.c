/*
 * krylov.c - the lowest eigenpairs of a Pauli sum without its matrix:
 * Lanczos with full reorthogonalisation and thick restarts (Krylov-Schur
 * for a Hermitian operator).
 *
 * The basis V holds m vectors; T = V^H H V is built column by column from
 * the projections that orthogonalise each new H v_j (classical Gram-Schmidt,
 * twice), so T is exact even after restarts.  With H V = V T + w e_m^H, a
 * Ritz pair (theta, V y) has residual |w| |y_m|.  A restart keeps the
 * `keep` lowest Ritz vectors (V <- V Y, T <- diag(theta)) and continues
 * from w.  Each step costs one H application (one pass per term group) and
 * about 2j inner products and updates.
 *
 * One start vector finds one vector per eigenspace, so a degenerate
 * eigenvalue would be reported once.  Once the k lowest have converged they
 * are locked and a fresh random vector, orthogonal to them, is injected;
 * the search goes on until the lowest Ritz value of that new direction has
 * converged too.  If the k lowest values changed, a missed eigenvalue was
 * found and the check repeats; otherwise they are the answer.  For k = 1
 * no check is needed: a missed copy of the lowest eigenvalue has the same
 * value.
 */
#include "exact/exact.h"
#include "loc/loc.h"
#include "core/error.h"
#include "core/mem.h"

#include <cblas.h>
#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RESTARTS 1000
#define RES_TOL 1e-9
/* The check only asks whether a new direction lies below the k-th value:
 * its Ritz pair need not converge as tightly. */
#define CHECK_TOL 1e-5
#define CHUNK 2048
#define QS__KRYLOV_MAX_K 64

typedef struct {
    int m, keep, k;
    qs_state **v;         /* m + 1 vectors; v[m] holds the residual */
    double complex *T;    /* m x m, column-major */
    double complex *Y;    /* eigenvectors of T */
    double *theta;
    const qs__pgroups *g;
} ks;

/* The vector operations of the method, through the localiser: they fail
 * only where a backend or an exchange can. */
static qs_status inner(const qs_state *a, const qs_state *b, double complex *out)
{
    double r[2];
    QS_TRY(qs__loc_inner(a, b, r));
    *out = r[0] + I * r[1];
    return QS_OK;
}

static qs_status axpy(qs_state *y, double complex a, const qs_state *x)
{
    double c[2] = {creal(a), cimag(a)};
    return qs__loc_axpy(y, c, x);
}

static qs_status scale(qs_state *y, double a)
{
    double c[2] = {a, 0};
    return qs__loc_scale(y, c);
}

/* Expands the basis from column j0 to m-1; sets *mm to the number of
 * columns built (less than m if an invariant subspace was found) and
 * *beta_out to the norm of the residual left in v[m]. */
static qs_status expand(ks *s, int j0, int *mm, double *beta_out)
{
    int m = s->m;
    double beta = 0;
    for (int j = j0; j < m; j++) {
        qs_state *w = s->v[m];
        QS_TRY(qs__loc_apply_pgroups(s->v[j], w, s->g));
        for (int i = 0; i <= j; i++)
            s->T[i + (size_t)j * m] = 0;
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i <= j; i++) {
                double complex c;
                QS_TRY(inner(s->v[i], w, &c));
                QS_TRY(axpy(w, -c, s->v[i]));
                s->T[i + (size_t)j * m] += c;
            }
        s->T[j + (size_t)j * m] = creal(s->T[j + (size_t)j * m]);
        for (int i = 0; i < j; i++)
            s->T[j + (size_t)i * m] = conj(s->T[i + (size_t)j * m]);
        QS_TRY(qs__loc_norm2(w, &beta));
        beta = sqrt(beta);
        double scl = 0;
        for (int i = 0; i <= j; i++)
            scl = fmax(scl, cabs(s->T[i + (size_t)j * m]));
        if (beta <= 1e-13 * fmax(scl, 1e-300)) {
            *beta_out = 0;
            *mm = j + 1;   /* invariant subspace: T's eigenpairs are exact */
            return QS_OK;
        }
        QS_TRY(scale(w, 1 / beta));
        if (j + 1 < m) {
            /* v[j+1] <- w: swap buffers rather than copy. */
            qs_state *t = s->v[j + 1];
            s->v[j + 1] = w;
            s->v[m] = t;
        }
    }
    *beta_out = beta;
    *mm = m;
    return QS_OK;
}

/* v[0..keep) <- V Y[:, 0..keep), in place, chunk by chunk through zgemm;
 * the chunks are read and written with the state's get/set calls. */
static qs_status rotate(const char *func, ks *s, int mm, int keep)
{
    uint64_t len = UINT64_C(1) << s->v[0]->nq;
    double complex *A = malloc(sizeof *A * CHUNK * (size_t)mm);
    double complex *C = malloc(sizeof *C * CHUNK * (size_t)keep);
    qs_status st = A && C ? QS_OK : qs__fail(QS_ENOMEM, func, "out of memory");
    for (uint64_t off = 0; off < len && st == QS_OK; off += CHUNK) {
        int c = (int)(len - off < CHUNK ? len - off : CHUNK);
        for (int l = 0; l < mm && st == QS_OK; l++)
            st = qs__loc_get_amps(s->v[l], off, (uint64_t)c, (double *)(A + (size_t)l * c));
        if (st != QS_OK)
            break;
        const double complex one = 1, zero = 0;
        cblas_zgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, c, keep, mm, &one, A, c, s->Y,
                    s->m, &zero, C, c);
        for (int i = 0; i < keep && st == QS_OK; i++)
            st = qs__loc_set_amps(s->v[i], off, (uint64_t)c, (const double *)(C + (size_t)i * c));
    }
    free(A);
    free(C);
    return st;
}

/* T <- diag(theta[0..k)), v[k] <- a random unit vector orthogonal to
 * v[0..k) (twice-iterated Gram-Schmidt). */
static qs_status inject(ks *s, int k, int salt)
{
    int m = s->m;
    memset(s->T, 0, sizeof *s->T * (size_t)m * (size_t)m);
    for (int i = 0; i < k; i++)
        s->T[i + (size_t)i * m] = s->theta[i];
    qs_rng *rng;
    QS_TRY(qs_rng_create(977 + (uint64_t)salt, &rng));
    qs_status st = qs_state_set_random(s->v[k], rng);
    qs_rng_destroy(rng);
    if (st != QS_OK)
        return st;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < k; i++) {
            double complex c;
            QS_TRY(inner(s->v[i], s->v[k], &c));
            QS_TRY(axpy(s->v[k], -c, s->v[i]));
        }
    double n2;
    QS_TRY(qs__loc_norm2(s->v[k], &n2));
    return scale(s->v[k], 1 / sqrt(n2));
}

qs_status qs__krylov(const char *func, const qs_pauli_sum *h, int k, double *evals,
                     double *evecs)
{
    int n = h->nq;
    uint64_t D = UINT64_C(1) << n;
    if (k > QS__KRYLOV_MAX_K)
        return qs__fail(QS_EINVAL, func, "k %d: the Krylov method finds at most %d eigenpairs", k,
                        QS__KRYLOV_MAX_K);
    int m = 2 * k + 20;
    if (m < 30)
        m = 30;
    if ((uint64_t)m > D)
        m = (int)D;
    int keep = k + (m - k) / 2;
    if (keep > m - 1)
        keep = m - 1;
    QS_TRY(qs__mem_check(func, (uint64_t)(m + 1) * D * 16 + (uint64_t)(CHUNK * (m + keep)) * 16));
    ks s = {.m = m, .keep = keep, .k = k, .g = qs__pauli_groups(h)};
    s.v = calloc((size_t)m + 1, sizeof *s.v);
    s.T = calloc((size_t)m * (size_t)m, sizeof *s.T);
    s.Y = calloc((size_t)m * (size_t)m, sizeof *s.Y);
    s.theta = calloc((size_t)m, sizeof *s.theta);
    qs_state **states = calloc((size_t)m + 1, sizeof *states);
    double *prev = NULL;
    qs_status st = QS_OK;
    if (!states || !s.v || !s.T || !s.Y || !s.theta || !s.g) {
        st = qs__fail(QS_ENOMEM, func, "out of memory");
        goto done;
    }
    for (int i = 0; i <= m; i++) {
        if ((st = qs_state_create(n, QS_STATE_DEFAULT, &states[i])) != QS_OK)
            goto done;
        s.v[i] = states[i];
    }
    /* A fixed pseudo-random start with overlap on every basis state. */
    {
        qs_rng *rng;
        if ((st = qs_rng_create(20240229, &rng)) != QS_OK)
            goto done;
        st = qs_state_set_random(states[0], rng);
        qs_rng_destroy(rng);
        if (st != QS_OK)
            goto done;
    }
    int j0 = 0, checking = 0;
    prev = calloc((size_t)k, sizeof *prev);
    if (!prev) {
        st = qs__fail(QS_ENOMEM, func, "out of memory");
        goto done;
    }
    for (int restart = 0;; restart++) {
        double beta;
        int mm;
        if ((st = expand(&s, j0, &mm, &beta)) != QS_OK)
            goto done;
        /* Eigen-decompose the leading mm x mm block of T. */
        for (int c = 0; c < mm; c++)
            for (int r = 0; r < mm; r++)
                s.Y[r + (size_t)c * m] = s.T[r + (size_t)c * m];
        lapack_int info = LAPACKE_zheev(LAPACK_COL_MAJOR, 'V', 'U', mm,
                                        (lapack_complex_double *)s.Y, m, s.theta);
        if (info != 0) {
            st = qs__fail(QS_ENOTCONV, func, "LAPACKE_zheev failed (info %d)", (int)info);
            goto done;
        }
        /* While checking, the fresh direction's lowest pair must converge too. */
        int want = (checking ? k + 1 : k) < mm ? (checking ? k + 1 : k) : mm, conv = 1;
        for (int i = 0; i < want; i++)
            conv &= beta * cabs(s.Y[(mm - 1) + (size_t)i * m]) <=
                    (i < k ? RES_TOL : CHECK_TOL) * fmax(1, fabs(s.theta[i]));
        if (mm < k) {
            st = qs__fail(QS_ENOTCONV, func, "the start vector spans only %d eigenvectors", mm);
            goto done;
        }
        if (conv || mm < m) {
            int same = checking;
            for (int i = 0; i < k && same; i++)
                same = fabs(s.theta[i] - prev[i]) <= 1e-9 * fmax(1, fabs(prev[i]));
            /* Done when the check found nothing new, or no room is left. */
            if (same || k == 1 || (uint64_t)k + mm >= D || (uint64_t)mm >= D || k + 1 >= m) {
                memcpy(evals, s.theta, sizeof *evals * (size_t)k);
                if (evecs) {
                    if ((st = rotate(func, &s, mm, k)) != QS_OK)
                        goto done;
                    for (int j = 0; j < k && st == QS_OK; j++)
                        st = qs__loc_get_amps(s.v[j], 0, D, evecs + 2 * (size_t)j * D);
                }
                break;
            }
            /* Lock the k lowest and inject a fresh direction. */
            memcpy(prev, s.theta, sizeof *prev * (size_t)k);
            if ((st = rotate(func, &s, mm, k)) != QS_OK || (st = inject(&s, k, restart)) != QS_OK)
                goto done;
            checking = 1;
            j0 = k;
            continue;
        }
        if (restart == MAX_RESTARTS) {
            st = qs__fail(QS_ENOTCONV, func, "no convergence after %d restarts", MAX_RESTARTS);
            goto done;
        }
        /* Thick restart: keep the lowest Ritz vectors, continue from w. */
        if ((st = rotate(func, &s, m, keep)) != QS_OK)
            goto done;
        memset(s.T, 0, sizeof *s.T * (size_t)m * (size_t)m);
        for (int i = 0; i < keep; i++)
            s.T[i + (size_t)i * m] = s.theta[i];
        qs_state *t = s.v[keep];
        s.v[keep] = s.v[m];
        s.v[m] = t;
        j0 = keep;
    }
done:
    free(prev);
    for (int i = 0; states && i <= m; i++)
        qs_state_destroy(states[i]);
    free(states);
    free(s.v);
    free(s.T);
    free(s.Y);
    free(s.theta);
    return st;
}
