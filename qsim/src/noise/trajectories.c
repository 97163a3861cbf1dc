/*
 * trajectories.c - quantum trajectories: the circuit is cut at its
 * channels into noiseless pieces, each compiled (fused, cache-blocked)
 * once; a trajectory runs the pieces on a pure state and samples one Kraus
 * operator per channel with probability ||K_i psi||^2.
 *
 * Trajectories are dealt to a fixed number of blocks, each with its own
 * generators and sums, so results are the same for any thread count.
 */
#include "noise/noise_impl.h"
#include "core/check.h"
#include "core/error.h"
#include "ir/circuit_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 when every K_i is proportional to a unitary: the probabilities are
 * then Tr(K_i^dag K_i) / d whatever the state (mixed-unitary channels). */
static int mixed_unitary(int k, int nops, const double *ops, double *w)
{
    int d = 1 << k;
    for (int i = 0; i < nops; i++) {
        const double *K = ops + (size_t)2 * d * d * i;
        double diag = -1;
        for (int r = 0; r < d; r++)
            for (int c = 0; c < d; c++) {
                double re = 0, im = 0;
                for (int x = 0; x < d; x++) {
                    double ar = K[2 * (x * d + r)], ai = -K[2 * (x * d + r) + 1];
                    double br = K[2 * (x * d + c)], bi = K[2 * (x * d + c) + 1];
                    re += ar * br - ai * bi;
                    im += ar * bi + ai * br;
                }
                if (r == c) {
                    if (diag < 0)
                        diag = re;
                    if (fabs(re - diag) > 1e-12 || fabs(im) > 1e-12)
                        return 0;
                } else if (hypot(re, im) > 1e-12) {
                    return 0;
                }
            }
        w[i] = diag;
    }
    return 1;
}

qs_status qs__kraus_sample(qs_state *psi, qs_state *work, const int *qubits, int k, int nops,
                           const double *ops, double u)
{
    size_t len = (size_t)2 << (2 * k);
    double w[QS_CHANNEL_MAX_KRAUS] = {0};
    if (mixed_unitary(k, nops, ops, w)) {
        int i = 0;
        double acc = w[0];
        while (i + 1 < nops && (u >= acc || w[i] <= 0))
            acc += w[++i];
        double m[2 * 16], s = 1 / sqrt(w[i]);
        for (size_t j = 0; j < len; j++)
            m[j] = ops[len * (size_t)i + j] * s;
        return qs_state_apply_matrix(psi, qubits, k, NULL, NULL, 0, m);
    }
    double acc = 0;
    int last = -1, inwork = -1;
    for (int i = 0; i < nops; i++) {
        QS_TRY(qs_state_assign(work, psi));
        QS_TRY(qs_state_apply_matrix(work, qubits, k, NULL, NULL, 0, ops + len * (size_t)i));
        inwork = i;
        double p;
        QS_TRY(qs_state_norm2(work, &p));
        if (p <= 0)
            continue;
        acc += p;
        last = i;
        if (u < acc)
            break;
    }
    if (last < 0)
        return qs__fail(QS_EINTERNAL, "qs_trajectories_run", "every Kraus operator gave 0");
    if (inwork != last) {   /* rounding left u past the sum: take the last nonzero one */
        QS_TRY(qs_state_assign(work, psi));
        QS_TRY(qs_state_apply_matrix(work, qubits, k, NULL, NULL, 0, ops + len * (size_t)last));
    }
    QS_TRY(qs_state_assign(psi, work));
    return qs_state_normalize(psi);
}

typedef struct {
    qs_program *prog;       /* the noiseless piece before the channel */
    size_t from, to;        /* its operations in the circuit */
    const int *q;           /* the channel after it (k == 0: none) */
    int k, nops;
    const double *ops;
} piece;

typedef struct {
    const qs_circuit *c;
    piece *pc;
    size_t npc;
    const double *params;
    size_t np;
    size_t ntraj, nblocks;
    uint64_t seed;
    unsigned sflags;
    double *probs;          /* nblocks * 2^n sums, or NULL */
    const qs_pauli_sum *h;
    double *e;              /* ntraj values, or NULL */
    unsigned char *bits;    /* ntraj * nc, or NULL */
} job;

static uint64_t mix(uint64_t x)
{
    x += UINT64_C(0x9E3779B97F4A7C15);
    x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
    return x ^ (x >> 31);
}

static qs_status run_block(void *ctx, size_t blk, int thread)
{
    (void)thread;
    job *J = ctx;
    int n = J->c->nq, nc = J->c->nc;
    qs_state *psi = NULL, *work = NULL;
    qs_rng *rng = NULL;
    double *pr = NULL;
    unsigned char *cb = calloc((size_t)nc + 1, 1), *acc = calloc((size_t)nc + 1, 1);
    qs_status st = cb && acc ? QS_OK : qs__fail(QS_ENOMEM, "qs_trajectories_run", "out of memory");
    if (st == QS_OK)
        st = qs_state_create(n, J->sflags, &psi);
    if (st == QS_OK)
        st = qs_state_create(n, J->sflags, &work);
    if (st == QS_OK)
        st = qs_rng_create(0, &rng);
    if (st == QS_OK && J->probs && !(pr = malloc(sizeof(double) << n)))
        st = qs__fail(QS_ENOMEM, "qs_trajectories_run", "out of memory");
    for (size_t t = blk; t < J->ntraj && st == QS_OK; t += J->nblocks) {
        st = qs_rng_seed(rng, mix(J->seed ^ mix(t)));
        if (st == QS_OK)
            st = qs_state_set_basis(psi, 0);
        memset(acc, 0, (size_t)nc + 1);
        for (size_t i = 0; i < J->npc && st == QS_OK; i++) {
            piece *p = &J->pc[i];
            if (p->prog) {
                st = qs_program_run(p->prog, J->params, J->np, psi, rng, cb);
                /* each run clears its bits: keep those its piece measured */
                for (size_t j = p->from; j < p->to; j++)
                    if (J->c->ins[j].kind == QS__I_MEASURE && J->c->ins[j].clbit >= 0)
                        acc[J->c->ins[j].clbit] = cb[J->c->ins[j].clbit];
            }
            if (st == QS_OK && p->k) {
                double u;
                qs_rng_uniform(rng, &u);
                st = qs__kraus_sample(psi, work, p->q, p->k, p->nops, p->ops, u);
            }
        }
        if (st == QS_OK && pr) {
            st = qs_state_probabilities(psi, pr);
            double *sum = J->probs + (blk << n);
            for (uint64_t x = 0; x < (UINT64_C(1) << n); x++)
                sum[x] += pr[x];
        }
        if (st == QS_OK && J->h)
            st = qs_state_expect(psi, J->h, &J->e[t]);
        if (J->bits && nc)
            memcpy(J->bits + t * (size_t)nc, acc, (size_t)nc);
    }
    free(pr);
    free(cb);
    free(acc);
    qs_rng_destroy(rng);
    qs_state_destroy(psi);
    qs_state_destroy(work);
    return st;
}

/* Circuit c's operations [from, to) as a circuit of their own. */
static qs_status slice(const qs_circuit *c, size_t from, size_t to, qs_circuit **out)
{
    QS_TRY(qs_circuit_copy(c, out));
    qs_circuit *s = *out;
    memmove(s->ins, s->ins + from, sizeof *s->ins * (to - from));
    s->n = to - from;
    return QS_OK;
}

QS_API qs_status qs_trajectories_run(const qs_circuit *c, const double *params,
                                     size_t num_params, size_t num_traj, uint64_t seed,
                                     unsigned state_flags, double *probs, const qs_pauli_sum *h,
                                     double *expect, unsigned char *clbits_out)
{
    const char *f = __func__;
    QS_CHECK_NULL(f, c);
    if (num_traj < 1)
        return qs__fail(QS_EINVAL, f, "num_traj must be at least 1");
    if (h)
        QS_CHECK_NULL(f, expect);
    if (c->nq < 1)
        return qs__fail(QS_EINVAL, f, "the circuit has no qubit");
    size_t nch = qs_circuit_num_channels(c);
    for (size_t i = 0; i < c->n && nch; i++)
        if (c->ins[i].has_cond)
            return qs__fail(QS_EUNSUPPORTED, f,
                            "operation %zu is conditional: trajectories of circuits with both "
                            "channels and conditions are not supported",
                            i);
    piece *pc = calloc(nch + 1, sizeof *pc);
    if (!pc)
        return qs__fail(QS_ENOMEM, f, "out of memory");
    size_t npc = 0, from = 0;
    qs_status st = QS_OK;
    for (size_t i = 0; i <= c->n && st == QS_OK; i++) {
        if (i < c->n && c->ins[i].kind != QS__I_CHANNEL)
            continue;
        piece *p = &pc[npc++];
        p->from = from;
        p->to = i;
        if (i > from) {
            qs_circuit *s;
            st = slice(c, from, i, &s);
            if (st == QS_OK) {
                st = qs_program_compile(s, QS_COMPILE_DEFAULT, &p->prog);
                qs_circuit_destroy(s);
            }
        }
        if (i < c->n) {
            const qs__instr *in = &c->ins[i];
            p->q = c->qubits + in->qoff;
            p->k = in->nq;
            p->nops = in->gate;
            p->ops = c->data + in->doff;
        }
        from = i + 1;
    }
    size_t nblocks = num_traj < 16 ? num_traj : 16;
    job J = {c, pc, npc, params, num_params, num_traj, nblocks, seed, state_flags,
             NULL, h, NULL, clbits_out};
    if (st == QS_OK && probs && !(J.probs = calloc(nblocks << c->nq, sizeof(double))))
        st = qs__fail(QS_ENOMEM, f, "out of memory");
    if (st == QS_OK && h && !(J.e = malloc(sizeof(double) * num_traj)))
        st = qs__fail(QS_ENOMEM, f, "out of memory");
    if (st == QS_OK)
        st = qs_parallel_for(nblocks, 0, run_block, &J);
    if (st == QS_OK && probs) {
        uint64_t d = UINT64_C(1) << c->nq;
        for (uint64_t x = 0; x < d; x++) {
            double s = 0;
            for (size_t b = 0; b < nblocks; b++)
                s += J.probs[(b << c->nq) + x];
            probs[x] = s / (double)num_traj;
        }
    }
    if (st == QS_OK && h) {
        double m = 0, v = 0;
        for (size_t t = 0; t < num_traj; t++)
            m += J.e[t];
        m /= (double)num_traj;
        for (size_t t = 0; t < num_traj; t++)
            v += (J.e[t] - m) * (J.e[t] - m);
        expect[0] = m;
        expect[1] = num_traj > 1 ? sqrt(v / (double)(num_traj - 1) / (double)num_traj) : 0;
    }
    for (size_t i = 0; i < npc; i++)
        qs_program_destroy(pc[i].prog);
    free(pc);
    free(J.probs);
    free(J.e);
    return st;
}
