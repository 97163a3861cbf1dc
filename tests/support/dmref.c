/* dmref.c - see dmref.h. */
#include "dmref.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

cplx *dm_random(int n, int r, uint64_t seed)
{
    size_t d = (size_t)1 << n;
    cplx *rho = calloc(d * d, sizeof *rho);
    double tr = 0;
    for (int j = 0; j < r; j++) {
        cplx *v = ref_random_state(n, seed * 131 + (uint64_t)j);
        double w = 0.2 + (double)j;   /* unequal weights */
        for (size_t a = 0; a < d; a++)
            for (size_t b = 0; b < d; b++)
                rho[a * d + b] += w * v[a] * conj(v[b]);
        tr += w;
        free(v);
    }
    for (size_t i = 0; i < d * d; i++)
        rho[i] /= tr;
    return rho;
}

/* rho <- A rho A^dag with A full. */
static void sandwich_add(int n, const cplx *rho, const cplx *A, cplx *out)
{
    size_t d = (size_t)1 << n;
    cplx *t = calloc(d * d, sizeof *t);
    for (size_t a = 0; a < d; a++)
        for (size_t c = 0; c < d; c++)
            if (A[a * d + c] != 0)
                for (size_t b = 0; b < d; b++)
                    t[a * d + b] += A[a * d + c] * rho[c * d + b];
    for (size_t a = 0; a < d; a++)
        for (size_t c = 0; c < d; c++)
            for (size_t b = 0; b < d; b++)
                out[a * d + b] += t[a * d + c] * conj(A[b * d + c]);
    free(t);
}

void dm_unitary(int n, cplx *rho, const int *q, int k, const cplx *U)
{
    dm_kraus(n, rho, q, k, 1, U);
}

void dm_kraus(int n, cplx *rho, const int *q, int k, int nops, const cplx *K)
{
    size_t d = (size_t)1 << n, kk = (size_t)1 << (2 * k);
    cplx *out = calloc(d * d, sizeof *out);
    for (int i = 0; i < nops; i++) {
        cplx *A = ref_full(n, q, k, K + kk * (size_t)i, 0, 0);
        sandwich_add(n, rho, A, out);
        free(A);
    }
    memcpy(rho, out, d * d * sizeof *rho);
    free(out);
}

static const cplx PI_[4][4] = {
    {1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};

static int pauli_mix(const double *w, int np, cplx *K)
{
    int n = 0;
    for (int a = 0; a < np; a++)
        if (w[a] > 0) {
            for (int j = 0; j < 4; j++)
                K[4 * n + j] = sqrt(w[a]) * PI_[a][j];
            n++;
        }
    return n;
}

static void m2(cplx *K, cplx a, cplx b, cplx c, cplx d)
{
    K[0] = a;
    K[1] = b;
    K[2] = c;
    K[3] = d;
}

int dm_channel_kraus(int kind, const double *p, int *k, cplx *K)
{
    *k = 1;
    switch (kind) {
    case QS_CHANNEL_DEPOLARIZING: {
        double w[4] = {1 - 3 * p[0] / 4, p[0] / 4, p[0] / 4, p[0] / 4};
        return pauli_mix(w, 4, K);
    }
    case QS_CHANNEL_DEPOLARIZING2: {
        /* (1-p) rho + p I/4 = (1 - 15p/16) rho + p/16 sum of the other 15 */
        *k = 2;
        int n = 0;
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) {
                double w = (a || b) ? p[0] / 16 : 1 - 15 * p[0] / 16;
                /* bit 0 of the index is the first qubit: P_b (x) P_a */
                for (int r = 0; r < 4; r++)
                    for (int c = 0; c < 4; c++)
                        K[16 * n + 4 * r + c] =
                            sqrt(w) * PI_[a][2 * (r & 1) + (c & 1)] * PI_[b][2 * (r >> 1) + (c >> 1)];
                n++;
            }
        return n;
    }
    case QS_CHANNEL_AMPLITUDE_DAMPING:
        m2(K, 1, 0, 0, sqrt(1 - p[0]));
        m2(K + 4, 0, sqrt(p[0]), 0, 0);
        return 2;
    case QS_CHANNEL_GENERALIZED_AMPLITUDE_DAMPING: {
        double g = p[0], e = p[1];
        m2(K, sqrt(1 - e), 0, 0, sqrt((1 - e) * (1 - g)));
        m2(K + 4, 0, sqrt((1 - e) * g), 0, 0);
        m2(K + 8, sqrt(e * (1 - g)), 0, 0, sqrt(e));
        m2(K + 12, 0, 0, sqrt(e * g), 0);
        return 4;
    }
    case QS_CHANNEL_PHASE_DAMPING:
        m2(K, 1, 0, 0, sqrt(1 - p[0]));
        m2(K + 4, 0, 0, 0, sqrt(p[0]));
        return 2;
    case QS_CHANNEL_BIT_FLIP: {
        double w[4] = {1 - p[0], p[0], 0, 0};
        return pauli_mix(w, 4, K);
    }
    case QS_CHANNEL_PHASE_FLIP: {
        double w[4] = {1 - p[0], 0, 0, p[0]};
        return pauli_mix(w, 4, K);
    }
    case QS_CHANNEL_PAULI: {
        double w[4] = {1 - p[0] - p[1] - p[2], p[0], p[1], p[2]};
        return pauli_mix(w, 4, K);
    }
    case QS_CHANNEL_THERMAL_RELAXATION: {
        /* Written from its action instead (Nielsen & Chuang 8.3.5-8.3.6):
         * populations relax to (1-pe, pe) with 1 - e^{-t/T1}; coherences
         * decay as e^{-t/T2}.  Its Choi matrix is diagonal in a way that
         * gives these five Kraus operators. */
        double t1 = p[0], t2 = p[1], t = p[2], pe = p[3];
        double r = 1 - exp(-t / t1), c = exp(-t / t2);
        /* rho00' = rho00 (1 - r pe) + rho11 r (1 - pe)
         * rho11' = rho11 (1 - r (1 - pe)) + rho00 r pe
         * rho01' = c rho01 */
        double a = 1 - r * pe, b = 1 - r * (1 - pe);
        /* K0 = diag(x0, x1) with x0 x1 = c, plus dephasing part diag(y0, y1):
         * x0^2 + y0^2 = a, x1^2 + y1^2 = b, x0 x1 + y0 y1 = c.  Take y1 = 0
         * when possible: x0 = c / sqrt(b), x1 = sqrt(b), y0 = sqrt(a - x0^2). */
        double x1 = sqrt(b), x0 = x1 > 0 ? c / x1 : 0;
        double y0 = a - x0 * x0 > 0 ? sqrt(a - x0 * x0) : 0;
        m2(K, x0, 0, 0, x1);
        m2(K + 4, y0, 0, 0, 0);
        m2(K + 8, 0, sqrt(r * (1 - pe)), 0, 0);
        m2(K + 12, 0, 0, sqrt(r * pe), 0);
        return 4;
    }
    }
    return 0;
}

void dm_load(qs_density *d, const cplx *rho)
{
    int n = qs_density_num_qubits(d);
    size_t dd = (size_t)1 << n;
    double *m = malloc(sizeof(double) * 2 * dd * dd);
    for (size_t i = 0; i < dd * dd; i++) {
        m[2 * i] = creal(rho[i]);
        m[2 * i + 1] = cimag(rho[i]);
    }
    qs_density_set_matrix(d, m);
    free(m);
}

cplx *dm_read(const qs_density *d)
{
    int n = qs_density_num_qubits(d);
    size_t dd = (size_t)1 << n;
    double *m = malloc(sizeof(double) * 2 * dd * dd);
    cplx *r = malloc(sizeof(cplx) * dd * dd);
    qs_density_get_matrix(d, m);
    for (size_t i = 0; i < dd * dd; i++)
        r[i] = m[2 * i] + I * m[2 * i + 1];
    free(m);
    return r;
}

cplx dm_trace_prod(int n, const cplx *rho, const cplx *A)
{
    size_t d = (size_t)1 << n;
    cplx t = 0;
    for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b < d; b++)
            t += rho[a * d + b] * A[b * d + a];
    return t;
}
