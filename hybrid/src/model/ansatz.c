/*
 * ansatz.c - VQE circuits: the hardware-efficient ansatz, and UCCSD built
 * from multi-qubit Pauli rotations under Jordan-Wigner; plus what VQE reads
 * from a molecular Hamiltonian's header and the sector-exact reference.
 *
 * UCCSD without sign bookkeeping by hand: an excitation's generator
 * G = T - T^dagger (T = a_a^+ a_i, or a_a^+ a_b^+ a_j a_i) is expanded into
 * Pauli strings by multiplying the Jordan-Wigner images of the ladder
 * operators, a_p^+ = Z_{<p} X_p (1 + Z_p) / 2 and a_p = Z_{<p} X_p (1 - Z_p)
 * / 2, in the form c X^x Z^z (X part then Z part on every qubit), where
 *   (X^a Z^b)(X^c Z^d) = (-1)^{|b & c|} X^{a^c} Z^{b^d}.
 * G is anti-Hermitian: G = i sum_k r_k P_k with real r_k and Pauli strings
 * P_k that commute, so exp(t G) = prod_k exp(-i (-2 r_k t) / 2 P_k): one
 * Pauli rotation of angle "-2 r_k * t" each (2 for a single, 8 for a
 * double).
 */
#include "hybrid_impl.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

QH_API qs_status qh_ansatz_hea(int num_qubits, int layers, qs_circuit **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    if (num_qubits < 1 || num_qubits > QS_MAX_QUBITS || layers < 0)
        return QH_FAIL(QS_EINVAL, "num_qubits %d, layers %d", num_qubits, layers);
    qs_circuit *c;
    QH_TRY(qs_circuit_create(num_qubits, 0, &c));
    qs_status st = QS_OK;
    for (int l = 0; l <= layers && st == QS_OK; l++) {
        for (int r = 0; r < 2 && st == QS_OK; r++)
            for (int q = 0; q < num_qubits && st == QS_OK; q++) {
                char name[32];
                snprintf(name, sizeof name, "%s%d_%d", r ? "rz" : "ry", l, q);
                const char *e[] = {name};
                st = qs_circuit_add_param(c, name, NULL);
                if (st == QS_OK)
                    st = qs_circuit_append_gate_expr(c, r ? QS_GATE_RZ : QS_GATE_RY, &q, e);
            }
        for (int q = 0; q + 1 < num_qubits && l < layers && st == QS_OK; q++) {
            int cq[2] = {q, q + 1};
            st = qs_circuit_append_gate(c, QS_GATE_CX, cq, NULL);
        }
    }
    if (st != QS_OK) {
        qs_circuit_destroy(c);
        return st;
    }
    *out = c;
    return QS_OK;
}

/* ---- Pauli algebra for Jordan-Wigner ------------------------------------ */

typedef struct {
    uint64_t x, z;
    double complex c;
} pterm;

#define MAX_TERMS 64

typedef struct {
    pterm t[MAX_TERMS];
    int n;
} psum;

static void add(psum *s, uint64_t x, uint64_t z, double complex c)
{
    for (int i = 0; i < s->n; i++)
        if (s->t[i].x == x && s->t[i].z == z) {
            s->t[i].c += c;
            return;
        }
    s->t[s->n++] = (pterm){x, z, c};
}

/* a_p^+ (dagger = 1) or a_p. */
static psum ladder(int p, int dagger)
{
    psum s = {.n = 0};
    uint64_t below = (UINT64_C(1) << p) - 1, bit = UINT64_C(1) << p;
    add(&s, bit, below, 0.5);
    add(&s, bit, below | bit, dagger ? 0.5 : -0.5);
    return s;
}

static psum mul(const psum *a, const psum *b)
{
    psum s = {.n = 0};
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++) {
            int sign = __builtin_popcountll(a->t[i].z & b->t[j].x) & 1 ? -1 : 1;
            add(&s, a->t[i].x ^ b->t[j].x, a->t[i].z ^ b->t[j].z, sign * a->t[i].c * b->t[j].c);
        }
    return s;
}

/* T - T^dagger; (c X^x Z^z)^dagger = conj(c) (-1)^{|x & z|} X^x Z^z. */
static psum antihermitian(const psum *T)
{
    psum s = *T;
    for (int i = 0; i < T->n; i++) {
        int sign = __builtin_popcountll(T->t[i].x & T->t[i].z) & 1 ? -1 : 1;
        add(&s, T->t[i].x, T->t[i].z, -sign * conj(T->t[i].c));
    }
    return s;
}

/* Appends exp(t G) for G = sum c X^x Z^z (anti-Hermitian) on parameter
 * `name`: letter strings P = (-i)^{|x & z|} X^x Z^z up to that factor. */
static qs_status append_exp(qs_circuit *c, const psum *G, const char *name)
{
    for (int i = 0; i < G->n; i++) {
        /* X Z = -i Y on a qubit: c X^x Z^z = c (-i)^{|x & z|} P */
        double complex coef = G->t[i].c;
        int ny = __builtin_popcountll(G->t[i].x & G->t[i].z);
        for (int k = 0; k < (ny & 3); k++)
            coef *= -I;
        if (cabs(coef) < 1e-14)
            continue;
        /* coef = i r with real r: exp(i r t P) = exp(-i (-2 r t)/2 P) */
        if (fabs(creal(coef)) > 1e-12)
            return qs_set_error(QS_EINTERNAL, "qh_ansatz_uccsd", "generator term %d is not "
                                "anti-Hermitian", i);
        double r = cimag(coef);
        int qubits[64], n = 0;
        char letters[65];
        for (int q = 0; q < 64; q++) {
            uint64_t b = UINT64_C(1) << q;
            int hx = (G->t[i].x & b) != 0, hz = (G->t[i].z & b) != 0;
            if (!hx && !hz)
                continue;
            qubits[n] = q;
            letters[n++] = hx && hz ? 'Y' : hx ? 'X' : 'Z';
        }
        letters[n] = '\0';
        char angle[96];
        snprintf(angle, sizeof angle, "%.17g*%s", -2 * r, name);
        QH_TRY(qs_circuit_append_pauli_rotation(c, qubits, letters, n, angle));
    }
    return QS_OK;
}

static qs_status excitation(qs_circuit *c, const int *occ, const int *virt, int order)
{
    char name[64];
    psum T;
    if (order == 1) {
        snprintf(name, sizeof name, "s%d_%d", occ[0], virt[0]);
        psum ad = ladder(virt[0], 1), ai = ladder(occ[0], 0);
        T = mul(&ad, &ai);
    } else {
        snprintf(name, sizeof name, "d%d_%d_%d_%d", occ[0], occ[1], virt[0], virt[1]);
        psum a = ladder(virt[0], 1), b = ladder(virt[1], 1), j = ladder(occ[1], 0),
             i = ladder(occ[0], 0);
        psum ab = mul(&a, &b), abj = mul(&ab, &j);
        T = mul(&abj, &i);
    }
    psum G = antihermitian(&T);
    QH_TRY(qs_circuit_add_param(c, name, NULL));
    return append_exp(c, &G, name);
}

QH_API qs_status qh_ansatz_uccsd(int num_qubits, uint64_t hf_index, qs_circuit **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    if (num_qubits < 2 || num_qubits > 62)
        return QH_FAIL(QS_EINVAL, "num_qubits %d not in [2, 62]", num_qubits);
    if (hf_index >> num_qubits)
        return QH_FAIL(QS_EINVAL, "hf_index %llu has bits above qubit %d",
                       (unsigned long long)hf_index, num_qubits - 1);
    int occ[2][64], vir[2][64], no[2] = {0, 0}, nv[2] = {0, 0};
    for (int q = 0; q < num_qubits; q++) {
        int spin = q & 1;
        if (hf_index >> q & 1)
            occ[spin][no[spin]++] = q;
        else
            vir[spin][nv[spin]++] = q;
    }
    if (no[0] + no[1] == 0 || nv[0] + nv[1] == 0)
        return QH_FAIL(QS_EINVAL, "hf_index %llu has no %s orbital", (unsigned long long)hf_index,
                       no[0] + no[1] ? "virtual" : "occupied");
    qs_circuit *c;
    QH_TRY(qs_circuit_create(num_qubits, 0, &c));
    qs_status st = QS_OK;
    for (int q = 0; q < num_qubits && st == QS_OK; q++)
        if (hf_index >> q & 1)
            st = qs_circuit_append_gate(c, QS_GATE_X, &q, NULL);
    /* Doubles: same spin (both alpha or both beta) and opposite spins. */
    for (int s1 = 0; s1 < 2; s1++)
        for (int s2 = s1; s2 < 2; s2++)
            for (int i = 0; i < no[s1] && st == QS_OK; i++)
                for (int j = s1 == s2 ? i + 1 : 0; j < no[s2] && st == QS_OK; j++)
                    for (int a = 0; a < nv[s1] && st == QS_OK; a++)
                        for (int b = s1 == s2 ? a + 1 : 0; b < nv[s2] && st == QS_OK; b++) {
                            int o2[2] = {occ[s1][i], occ[s2][j]}, v2[2] = {vir[s1][a], vir[s2][b]};
                            st = excitation(c, o2, v2, 2);
                        }
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < no[s] && st == QS_OK; i++)
            for (int a = 0; a < nv[s] && st == QS_OK; a++)
                st = excitation(c, &occ[s][i], &vir[s][a], 1);
    if (st != QS_OK) {
        qs_circuit_destroy(c);
        return st;
    }
    *out = c;
    return QS_OK;
}

/* ---- molecules ------------------------------------------------------------ */

/* 1 found and valid, 0 absent, -1 present but not a whole number in [0, max]. */
static int header_int(const qs_pauli_sum *h, const char *key, long long *v, long long max)
{
    const char *s = qs_pauli_sum_header(h, key);
    if (!s)
        return 0;
    /* counts of electrons and spin orbitals: anything beyond 2^20 is not
     * a molecule we can simulate, and would overflow the sums below */
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == s || *end || errno || x < 0 || x > max)
        return -1;
    *v = x;
    return 1;
}

QH_API qs_status qh_molecule_info(const qs_pauli_sum *h, int *n_alpha, int *n_beta,
                                  uint64_t *hf_index)
{
    QH_CHECK_NULL(h);
    long long ne, na, nb, hf;
    int nq = qs_pauli_sum_num_qubits(h);
    int has_ne = header_int(h, "n_electrons", &ne, 1 << 20);
    if (has_ne == 0)
        return QH_FAIL(QS_EINVAL, "the Hamiltonian's header has no n_electrons");
    if (has_ne < 0)
        return QH_FAIL(QS_EINVAL, "the Hamiltonian's header: n_electrons '%s' is not a number "
                       "of electrons", qs_pauli_sum_header(h, "n_electrons"));
    int ha = header_int(h, "n_alpha", &na, 1 << 20), hb = header_int(h, "n_beta", &nb, 1 << 20);
    if (ha < 0 || hb < 0)
        return QH_FAIL(QS_EINVAL, "the Hamiltonian's header: n_alpha '%s', n_beta '%s' are not "
                       "numbers of electrons", qs_pauli_sum_header(h, "n_alpha"),
                       qs_pauli_sum_header(h, "n_beta"));
    if (!ha || !hb) {
        na = (ne + 1) / 2;
        nb = ne / 2;
    }
    if (na + nb != ne || 2 * na > nq + 1 || 2 * nb > nq)
        return QH_FAIL(QS_EINVAL, "the Hamiltonian's header: %lld + %lld electrons do not fit "
                       "%d spin orbitals", na, nb, nq);
    int hh = header_int(h, "hf_state_index", &hf, LLONG_MAX);
    if (hh < 0 || (hh && nq < 63 && (unsigned long long)hf >> nq))
        return QH_FAIL(QS_EINVAL, "the Hamiltonian's header: hf_state_index '%s' is not a basis "
                       "state of %d qubits", qs_pauli_sum_header(h, "hf_state_index"), nq);
    if (!hh) {
        hf = 0;
        for (long long k = 0; k < na; k++)
            hf |= 1LL << (2 * k);
        for (long long k = 0; k < nb; k++)
            hf |= 1LL << (2 * k + 1);
    }
    if (n_alpha)
        *n_alpha = (int)na;
    if (n_beta)
        *n_beta = (int)nb;
    if (hf_index)
        *hf_index = (uint64_t)hf;
    return QS_OK;
}

QH_API qs_status qh_sector_ground_energy(const qs_pauli_sum *h, int n_alpha, int n_beta,
                                         double *energy)
{
    QH_CHECK_NULL(h);
    QH_CHECK_NULL(energy);
    uint64_t masks[2] = {UINT64_C(0x5555555555555555), UINT64_C(0xAAAAAAAAAAAAAAAA)};
    int counts[2] = {n_alpha, n_beta};
    return qs_pauli_sum_eigensolve_sector(h, 2, masks, counts, 1, energy);
}
