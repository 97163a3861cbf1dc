/*
 * channel.c - the named channels as Kraus sets (Qiskit Aer's definitions),
 * the trace-preservation check and superoperators.
 *
 * A Kraus set is num_ops matrices of d x d complex entries (d = 2^k),
 * row-major interleaved, one after the other.
 */
#include "noise/noise_impl.h"
#include "core/check.h"
#include "core/error.h"

#include <math.h>
#include <string.h>

static const struct {
    const char *name;
    int nq, np;
} chan[QS_NUM_CHANNELS] = {
    [QS_CHANNEL_KRAUS] = {"kraus", -1, 0},
    [QS_CHANNEL_DEPOLARIZING] = {"depolarizing", 1, 1},
    [QS_CHANNEL_DEPOLARIZING2] = {"depolarizing2", 2, 1},
    [QS_CHANNEL_AMPLITUDE_DAMPING] = {"amplitude_damping", 1, 1},
    [QS_CHANNEL_GENERALIZED_AMPLITUDE_DAMPING] = {"generalized_amplitude_damping", 1, 2},
    [QS_CHANNEL_PHASE_DAMPING] = {"phase_damping", 1, 1},
    [QS_CHANNEL_BIT_FLIP] = {"bit_flip", 1, 1},
    [QS_CHANNEL_PHASE_FLIP] = {"phase_flip", 1, 1},
    [QS_CHANNEL_PAULI] = {"pauli", 1, 3},
    [QS_CHANNEL_THERMAL_RELAXATION] = {"thermal_relaxation", 1, 4},
};

QS_API const char *qs_channel_name(int kind)
{
    return kind >= 0 && kind < QS_NUM_CHANNELS ? chan[kind].name : NULL;
}

QS_API qs_status qs_channel_lookup(const char *name, int *kind)
{
    QS_CHECK_NULL(__func__, name);
    QS_CHECK_NULL(__func__, kind);
    for (int k = 0; k < QS_NUM_CHANNELS; k++)
        if (strcmp(name, chan[k].name) == 0) {
            *kind = k;
            return QS_OK;
        }
    return qs__fail(QS_EINVAL, __func__, "unknown channel '%s'", name);
}

QS_API int qs_channel_num_qubits(int kind)
{
    return kind >= 0 && kind < QS_NUM_CHANNELS ? chan[kind].nq : -1;
}

QS_API int qs_channel_num_params(int kind)
{
    return kind > 0 && kind < QS_NUM_CHANNELS ? chan[kind].np : -1;
}

/* Appends sqrt(w) * the 2x2 matrix (a b; c d) (real entries) to ops. */
static void put2(double *ops, int *n, double w, double a, double b, double c, double d)
{
    double s = sqrt(w), *m = ops + 8 * *n;
    memset(m, 0, 8 * sizeof *m);
    m[0] = s * a;
    m[2] = s * b;
    m[4] = s * c;
    m[6] = s * d;
    ++*n;
}

/* Appends sqrt(w) * (tensor product of Paulis p0 on bit 0, p1 on bit 1):
 * letters 0..3 = I X Y Z, on k = 1 or 2 qubits. */
static void put_pauli(double *ops, int *n, int k, double w, int p0, int p1)
{
    static const double P[4][8] = {
        {1, 0, 0, 0, 0, 0, 1, 0}, {0, 0, 1, 0, 1, 0, 0, 0},
        {0, 0, 0, -1, 0, 1, 0, 0}, {1, 0, 0, 0, 0, 0, -1, 0}};
    int d = 1 << k;
    double s = sqrt(w), *m = ops + 2 * d * d * *n;
    for (int r = 0; r < d; r++)
        for (int c = 0; c < d; c++) {
            /* entry = A[r0][c0] * B[r1][c1] (A on bit 0, B on bit 1) */
            const double *a = &P[p0][2 * (2 * (r & 1) + (c & 1))];
            double re = a[0], im = a[1];
            if (k == 2) {
                const double *b = &P[p1][2 * (2 * (r >> 1) + (c >> 1))];
                double t = re * b[0] - im * b[1];
                im = re * b[1] + im * b[0];
                re = t;
            }
            m[2 * (r * d + c)] = s * re;
            m[2 * (r * d + c) + 1] = s * im;
        }
    ++*n;
}

static qs_status in_range(const char *func, const char *what, double v, double lo, double hi)
{
    if (!(v >= lo && v <= hi))
        return qs__fail(QS_EINVAL, func, "%s %g outside [%g, %g]", what, v, lo, hi);
    return QS_OK;
}

/* Generalized amplitude damping (Aer's amplitude_damping_error(g, p1)). */
static void gad(double *ops, int *n, double g, double p1)
{
    double a = sqrt(1 - g), b = sqrt(g);
    if (p1 < 1) {
        put2(ops, n, 1 - p1, 1, 0, 0, a);
        if (g > 0)
            put2(ops, n, 1 - p1, 0, b, 0, 0);
    }
    if (p1 > 0) {
        put2(ops, n, p1, a, 0, 0, 1);
        if (g > 0)
            put2(ops, n, p1, 0, 0, b, 0);
    }
}

QS_API qs_status qs_channel_kraus(int kind, const double *params, int *num_ops, double *ops)
{
    const char *f = __func__;
    QS_CHECK_NULL(f, num_ops);
    QS_CHECK_NULL(f, ops);
    if (kind <= 0 || kind >= QS_NUM_CHANNELS)
        return qs__fail(QS_EINVAL, f, "kind %d is not a named channel", kind);
    if (chan[kind].np)
        QS_CHECK_NULL(f, params);
    for (int i = 0; i < chan[kind].np; i++)
        if (!isfinite(params[i]))
            return qs__fail(QS_EINVAL, f, "%s: parameter %d is not finite", chan[kind].name, i);
    const double *p = params;
    qs_status st = QS_OK;
    int n = 0;
    switch (kind) {
    case QS_CHANNEL_DEPOLARIZING:
        if ((st = in_range(f, "depolarizing p", p[0], 0, 4.0 / 3)) != QS_OK)
            return st;
        put_pauli(ops, &n, 1, 1 - 3 * p[0] / 4, 0, 0);
        for (int a = 1; a < 4 && p[0] > 0; a++)
            put_pauli(ops, &n, 1, p[0] / 4, a, 0);
        break;
    case QS_CHANNEL_DEPOLARIZING2:
        if ((st = in_range(f, "depolarizing2 p", p[0], 0, 16.0 / 15)) != QS_OK)
            return st;
        put_pauli(ops, &n, 2, 1 - 15 * p[0] / 16, 0, 0);
        for (int a = 1; a < 16 && p[0] > 0; a++)
            put_pauli(ops, &n, 2, p[0] / 16, a & 3, a >> 2);
        break;
    case QS_CHANNEL_AMPLITUDE_DAMPING:
        if ((st = in_range(f, "amplitude_damping gamma", p[0], 0, 1)) != QS_OK)
            return st;
        gad(ops, &n, p[0], 0);
        break;
    case QS_CHANNEL_GENERALIZED_AMPLITUDE_DAMPING:
        if ((st = in_range(f, "generalized_amplitude_damping gamma", p[0], 0, 1)) != QS_OK ||
            (st = in_range(f, "generalized_amplitude_damping p_excited", p[1], 0, 1)) != QS_OK)
            return st;
        gad(ops, &n, p[0], p[1]);
        break;
    case QS_CHANNEL_PHASE_DAMPING:
        if ((st = in_range(f, "phase_damping lambda", p[0], 0, 1)) != QS_OK)
            return st;
        put2(ops, &n, 1, 1, 0, 0, sqrt(1 - p[0]));
        if (p[0] > 0)
            put2(ops, &n, 1, 0, 0, 0, sqrt(p[0]));
        break;
    case QS_CHANNEL_BIT_FLIP:
    case QS_CHANNEL_PHASE_FLIP:
        if ((st = in_range(f, kind == QS_CHANNEL_BIT_FLIP ? "bit_flip p" : "phase_flip p", p[0],
                           0, 1)) != QS_OK)
            return st;
        if (p[0] < 1)
            put_pauli(ops, &n, 1, 1 - p[0], 0, 0);
        if (p[0] > 0)
            put_pauli(ops, &n, 1, p[0], kind == QS_CHANNEL_BIT_FLIP ? 1 : 3, 0);
        break;
    case QS_CHANNEL_PAULI: {
        double sum = 0;
        for (int a = 0; a < 3; a++) {
            static const char *nm[3] = {"pauli px", "pauli py", "pauli pz"};
            if ((st = in_range(f, nm[a], p[a], 0, 1)) != QS_OK)
                return st;
            sum += p[a];
        }
        if ((st = in_range(f, "pauli px+py+pz", sum, 0, 1 + 1e-12)) != QS_OK)
            return st;
        if (sum < 1)
            put_pauli(ops, &n, 1, 1 - sum, 0, 0);
        for (int a = 0; a < 3; a++)
            if (p[a] > 0)
                put_pauli(ops, &n, 1, p[a], a + 1, 0);
        break;
    }
    case QS_CHANNEL_THERMAL_RELAXATION: {
        double t1 = p[0], t2 = p[1], t = p[2], pe = p[3];
        if (!(t1 > 0) || !(t2 > 0))
            return qs__fail(QS_EINVAL, f, "thermal_relaxation: t1 %g and t2 %g must be > 0", t1,
                            t2);
        if (t2 > 2 * t1 * (1 + 1e-12))
            return qs__fail(QS_EINVAL, f, "thermal_relaxation: t2 %g > 2 t1 = %g", t2, 2 * t1);
        if ((st = in_range(f, "thermal_relaxation time", t, 0, INFINITY)) != QS_OK ||
            (st = in_range(f, "thermal_relaxation p_excited", pe, 0, 1)) != QS_OK)
            return st;
        /* Generalized amplitude damping with gamma = 1 - e^{-t/t1} leaves
         * coherences scaled by e^{-t/(2 t1)}; phase damping brings them to
         * e^{-t/t2}, which t2 <= 2 t1 makes possible. */
        double g = 1 - exp(-t / t1);
        double c = exp(-t / t2 + t / (2 * t1));
        double lam = c < 1 ? 1 - c * c : 0;
        double gk[4 * 8];
        int ng = 0;
        gad(gk, &ng, g, pe);
        for (int i = 0; i < ng; i++) {
            const double *k = gk + 8 * i;
            /* diag(1, sqrt(1-lam)) K and diag(0, sqrt(lam)) K */
            double *m = ops + 8 * n++;
            memcpy(m, k, 8 * sizeof *m);
            for (int j = 4; j < 8; j++)
                m[j] *= sqrt(1 - lam);
            if (lam > 0) {
                m = ops + 8 * n++;
                memset(m, 0, 4 * sizeof *m);
                for (int j = 4; j < 8; j++)
                    m[j] = k[j] * sqrt(lam);
            }
        }
        break;
    }
    }
    *num_ops = n;
    return QS_OK;
}

QS_API qs_status qs_kraus_check(int num_qubits, int num_ops, const double *ops, double tol)
{
    const char *f = __func__;
    if (num_qubits < 1 || num_qubits > QS_CHANNEL_MAX_QUBITS)
        return qs__fail(QS_EINVAL, f, "%d qubits: a channel acts on 1 to %d", num_qubits,
                        QS_CHANNEL_MAX_QUBITS);
    if (num_ops < 1 || num_ops > QS_CHANNEL_MAX_KRAUS)
        return qs__fail(QS_EINVAL, f, "%d Kraus operators: give 1 to %d", num_ops,
                        QS_CHANNEL_MAX_KRAUS);
    QS_CHECK_NULL(f, ops);
    int d = 1 << num_qubits;
    double dev = 0;
    for (int r = 0; r < d; r++)
        for (int c = 0; c < d; c++) {
            double re = 0, im = 0;   /* sum_i (K_i^dag K_i)[r][c] */
            for (int i = 0; i < num_ops; i++) {
                const double *k = ops + (size_t)2 * d * d * i;
                for (int x = 0; x < d; x++) {
                    double ar = k[2 * (x * d + r)], ai = -k[2 * (x * d + r) + 1];
                    double br = k[2 * (x * d + c)], bi = k[2 * (x * d + c) + 1];
                    re += ar * br - ai * bi;
                    im += ar * bi + ai * br;
                }
            }
            if (!isfinite(re) || !isfinite(im))
                return qs__fail(QS_EINVAL, f, "a Kraus matrix entry is not finite");
            double e = hypot(re - (r == c), im);
            if (e > dev)
                dev = e;
        }
    if (dev > tol)
        return qs__fail(QS_EINVAL, f,
                        "the Kraus operators are not trace preserving: sum K^dag K differs from "
                        "I by %.3g (tolerance %.3g)",
                        dev, tol);
    return QS_OK;
}

QS_API qs_status qs_kraus_superop(int num_qubits, int num_ops, const double *ops, double *out)
{
    QS_CHECK_NULL(__func__, ops);
    QS_CHECK_NULL(__func__, out);
    if (num_qubits < 1 || num_qubits > QS_CHANNEL_MAX_QUBITS || num_ops < 1)
        return qs__fail(QS_EINVAL, __func__, "%d qubits, %d operators", num_qubits, num_ops);
    qs__superop(num_qubits, num_ops, ops, out);
    return QS_OK;
}

void qs__superop(int k, int nops, const double *ops, double *out)
{
    /* S[(a + D b), (c + D e)] = sum_i K_i[a][c] conj(K_i[b][e]), D = 2^k:
     * the ket index is the low half of the 2k target bits. */
    int d = 1 << k, dd = d * d;
    memset(out, 0, sizeof(double) * 2 * (size_t)dd * dd);
    for (int i = 0; i < nops; i++) {
        const double *K = ops + (size_t)2 * dd * i;
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
                for (int c = 0; c < d; c++)
                    for (int e = 0; e < d; e++) {
                        double xr = K[2 * (a * d + c)], xi = K[2 * (a * d + c) + 1];
                        double yr = K[2 * (b * d + e)], yi = -K[2 * (b * d + e) + 1];
                        size_t idx = 2 * ((size_t)(a + d * b) * dd + (size_t)(c + d * e));
                        out[idx] += xr * yr - xi * yi;
                        out[idx + 1] += xr * yi + xi * yr;
                    }
    }
}
