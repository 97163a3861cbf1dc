/*
 * classifier.c - a variational quantum classifier with data re-uploading,
 * its loss and gradient over batches of rows (in parallel), predictions,
 * model files, and minibatches for training.
 *
 * Circuit (q qubits, L layers), parameters in this order:
 *   layer l: feature j enters qubit j mod q as ry (even passes over the
 *            qubits) or rz (odd passes) of angle w_l_j * x_j + b_l_j; then
 *            ry(u_l_k) rz(v_l_k) on every qubit k; then a ring of cz;
 *   readout: score_c = s_c <Z_c> + t_c for class c (qubit c), softmax.
 * The features x_j (standardised) are circuit parameters too, after the
 * trainable ones, so one compiled program serves every row, and the chain
 * rule through "w*x + b" gives the gradients of w and b.
 *
 * Gradient of the mean cross-entropy over B rows: with p = softmax(score),
 * dL/d<Z_c> = s_c (p_c - [c = y]) / B, so the quantum part is the gradient
 * of the single observable O = sum_c (dL/d<Z_c>) Z_c, which is diagonal:
 * one adjoint sweep per row (a vector-Jacobian product), rows spread over
 * ranks and threads (par.h) and summed in row order.
 *
 * Under noise (qh_classifier_set_noise) each row's state is the density
 * matrix of the circuit with the model's errors attached, <Z_c> = Tr(rho
 * Z_c), and the gradient of Tr(rho O) comes from parameter shifts on rho
 * (the adjoint method needs a pure state).  With shots
 * (qh_classifier_set_shots) every <Z_c> is the mean over samples of the
 * row's state, and gradients are parameter shifts of such estimates.
 */
#include "model/text.h"
#include "par/par.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qh_classifier {
    int F, K, nq, L;
    int nqp;              /* trainable circuit parameters */
    int np;               /* all trainable: nqp + 2K */
    double *mean, *scale; /* z = (x - mean) * scale */
    double *params;
    qs_circuit *circ;     /* the noiseless circuit, kept to recompile under noise */
    qs_program *prog;     /* parameters: nqp trainable, then F features */
    int dm;               /* 1: prog acts on vectorised density matrices of 2 nq qubits */
    size_t shots;         /* > 0: <Z_c> estimated from this many samples */
    uint64_t shot_seed;
    double *zsign;        /* K x 2^nq: eigenvalue of Z_c on basis state b */
    int threads;
    /* per thread: 3 states; buffers: circuit parameters, their gradient
     * (both ncp), the observable's diagonal (2^nq) */
    qh__ws ws;
};

static qs_status build_circuit(qh_classifier *m)
{
    qs_circuit *c;
    QH_TRY(qs_circuit_create(m->nq, 0, &c));
    char name[64], expr[128];
    qs_status st = QS_OK;
#define PARAM(...)                                                          \
    do {                                                                    \
        snprintf(name, sizeof name, __VA_ARGS__);                           \
        if (st == QS_OK)                                                    \
            st = qs_circuit_add_param(c, name, NULL);                       \
    } while (0)
    for (int l = 0; l < m->L && st == QS_OK; l++) {
        for (int j = 0; j < m->F; j++) {
            PARAM("w%d_%d", l, j);
            PARAM("b%d_%d", l, j);
        }
        for (int k = 0; k < m->nq; k++) {
            PARAM("u%d_%d", l, k);
            PARAM("v%d_%d", l, k);
        }
    }
    m->nqp = qs_circuit_num_params(c);
    for (int j = 0; j < m->F; j++)
        PARAM("x%d", j);
#undef PARAM
    for (int l = 0; l < m->L && st == QS_OK; l++) {
        for (int j = 0; j < m->F && st == QS_OK; j++) {
            int q = j % m->nq;
            qs_gate g = (j / m->nq) % 2 ? QS_GATE_RZ : QS_GATE_RY;
            snprintf(expr, sizeof expr, "w%d_%d*x%d + b%d_%d", l, j, j, l, j);
            const char *e[] = {expr};
            st = qs_circuit_append_gate_expr(c, g, &q, e);
        }
        for (int k = 0; k < m->nq && st == QS_OK; k++) {
            char u[32], v[32];
            snprintf(u, sizeof u, "u%d_%d", l, k);
            snprintf(v, sizeof v, "v%d_%d", l, k);
            const char *eu[] = {u}, *ev[] = {v};
            st = qs_circuit_append_gate_expr(c, QS_GATE_RY, &k, eu);
            if (st == QS_OK)
                st = qs_circuit_append_gate_expr(c, QS_GATE_RZ, &k, ev);
        }
        int ring = m->nq > 2 ? m->nq : m->nq - 1;
        for (int k = 0; k < ring && st == QS_OK; k++) {
            int q2[2] = {k, (k + 1) % m->nq};
            st = qs_circuit_append_gate(c, QS_GATE_CZ, q2, NULL);
        }
    }
    if (st == QS_OK)
        st = qs_program_compile(c, 0, &m->prog);
    m->circ = c;
    return st;
}

QH_API void qh_classifier_destroy(qh_classifier *m)
{
    if (!m)
        return;
    qh__ws_free(&m->ws);
    qs_program_destroy(m->prog);
    qs_circuit_destroy(m->circ);
    free(m->mean);
    free(m->scale);
    free(m->params);
    free(m->zsign);
    free(m);
}

QH_API qs_status qh_classifier_create(int num_features, int num_classes, int num_qubits,
                                      int layers, qh_classifier **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    if (num_features < 1 || num_classes < 2 || layers < 1 || num_qubits < 0 || num_qubits > 20)
        return QH_FAIL(QS_EINVAL, "features %d, classes %d, qubits %d, layers %d", num_features,
                       num_classes, num_qubits, layers);
    int nq = num_qubits;
    if (nq == 0) {
        nq = num_features < 8 ? num_features : 8;
        if (nq < num_classes)
            nq = num_classes;
    }
    if (nq < num_classes)
        return QH_FAIL(QS_EINVAL, "%d classes need as many qubits, not %d", num_classes, nq);
    if (nq > 20) /* num_qubits 0 with more than 20 classes */
        return QH_FAIL(QS_ETOOBIG, "%d classes need %d qubits, more than the limit of 20",
                       num_classes, nq);
    /* the parameter count, before any work: a model file saying
     * "layers 99999" (or features 10^9) hung building the circuit */
    long long np = (long long)layers * (2LL * num_features + 2LL * nq) + num_features +
                   2LL * num_classes;
    if (np > QS_MAX_PARAMS)
        return QH_FAIL(QS_ETOOBIG, "%d layers of %d features on %d qubits make %lld parameters, "
                       "more than the limit of %d", layers, num_features, nq, np, QS_MAX_PARAMS);
    /* the memory, before any work: the class signs (K x 2^nq doubles) and
     * one thread's three states and diagonal (a model file of 30 classes
     * asked malloc for 240 GB of signs) */
    uint64_t D0 = UINT64_C(1) << nq;
    qs_status mst = qs_memory_check(D0 * (8u * (uint64_t)num_classes + 3u * 16u + 8u));
    if (mst != QS_OK) {
        char msg[256]; /* copied: QH_FAIL writes the buffer it reads */
        snprintf(msg, sizeof msg, "%s", qh__strip_func(qs_last_error()));
        return QH_FAIL(mst, "a classifier of %d classes on %d qubits: %s", num_classes,
                       nq, msg);
    }
    qh_classifier *m = calloc(1, sizeof *m);
    if (!m)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    m->F = num_features;
    m->K = num_classes;
    m->nq = nq;
    m->L = layers;
    qs_status st = build_circuit(m);
    size_t D = (size_t)1 << nq;
    if (st == QS_OK) {
        m->np = m->nqp + 2 * m->K;
        m->mean = calloc((size_t)m->F, sizeof *m->mean);
        m->scale = malloc(sizeof *m->scale * (size_t)m->F);
        m->params = calloc((size_t)m->np, sizeof *m->params);
        m->zsign = malloc(sizeof *m->zsign * D * (size_t)m->K);
        if (!m->mean || !m->scale || !m->params || !m->zsign)
            st = QH_FAIL(QS_ENOMEM, "out of memory");
    }
    if (st != QS_OK) {
        qh_classifier_destroy(m);
        return st;
    }
    for (int j = 0; j < m->F; j++)
        m->scale[j] = 1;
    size_t ncp = (size_t)(m->nqp + m->F);
    qh__ws_init(&m->ws, nq, 3, 0, ncp, ncp, D);
    for (int c = 0; c < m->K; c++)
        for (size_t b = 0; b < D; b++)
            m->zsign[(size_t)c * D + b] = (b >> c) & 1 ? -1.0 : 1.0;
    *out = m;
    return QS_OK;
}

QH_API int qh_classifier_num_params(const qh_classifier *m) { return m ? m->np : 0; }
QH_API int qh_classifier_num_qubits(const qh_classifier *m) { return m ? m->nq : 0; }
QH_API int qh_classifier_num_features(const qh_classifier *m) { return m ? m->F : 0; }
QH_API int qh_classifier_num_classes(const qh_classifier *m) { return m ? m->K : 0; }

QH_API qs_status qh_classifier_set_threads(qh_classifier *m, int num_threads)
{
    QH_CHECK_NULL(m);
    if (num_threads < 0)
        return QH_FAIL(QS_EINVAL, "num_threads %d is negative", num_threads);
    m->threads = num_threads;
    return QS_OK;
}

QH_API qs_status qh_classifier_set_noise(qh_classifier *m, const qs_noise_model *noise)
{
    QH_CHECK_NULL(m);
    if (noise && 2 * m->nq > QS_MAX_QUBITS)
        return QH_FAIL(QS_ETOOBIG, "a density matrix of %d qubits", m->nq);
    qs_program *p = NULL;
    qs_status st;
    if (noise) {
        qs_circuit *nc = NULL;
        st = qs_noise_model_apply(noise, m->circ, &nc);
        if (st == QS_OK)
            st = qs_density_compile(nc, 0, &p);
        qs_circuit_destroy(nc);
    } else {
        st = qs_program_compile(m->circ, 0, &p);
    }
    if (st != QS_OK)
        return st;
    qs_program_destroy(m->prog);
    m->prog = p;
    m->dm = noise != NULL;
    /* the slots' states change size */
    size_t ncp = (size_t)(m->nqp + m->F);
    qh__ws_free(&m->ws);
    qh__ws_init(&m->ws, m->dm ? 2 * m->nq : m->nq, 3, 0, ncp, ncp, (size_t)1 << m->nq);
    return QS_OK;
}

QH_API int qh_classifier_is_noisy(const qh_classifier *m) { return m ? m->dm : 0; }

QH_API qs_status qh_classifier_set_shots(qh_classifier *m, size_t shots, uint64_t seed)
{
    QH_CHECK_NULL(m);
    if (shots > ((size_t)1 << 30))
        return QH_FAIL(QS_EINVAL, "%zu shots: at most 2^30", shots);
    m->shots = shots;
    m->shot_seed = seed;
    return QS_OK;
}

QH_API qs_status qh_classifier_fit_scaling(qh_classifier *m, size_t n, const double *X)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(X);
    if (n == 0)
        return QH_FAIL(QS_EINVAL, "no rows");
    for (int j = 0; j < m->F; j++) {
        double s = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            s += X[i * (size_t)m->F + (size_t)j];
        double mu = s / (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = X[i * (size_t)m->F + (size_t)j] - mu;
            ss += d * d;
        }
        double sd = sqrt(ss / (double)n);
        m->mean[j] = mu;
        m->scale[j] = sd > 0 ? 1 / sd : 1;
    }
    return QS_OK;
}

QH_API qs_status qh_classifier_init_params(const qh_classifier *m, uint64_t seed, double *params)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(params);
    qs_rng *r;
    QH_TRY(qs_rng_create(seed, &r));
    int i = 0;
    qs_status st = QS_OK;
    for (int l = 0; l < m->L && st == QS_OK; l++) {
        for (int j = 0; j < m->F; j++) {
            params[i++] = 1;   /* w */
            params[i++] = 0;   /* b */
        }
        for (int k = 0; k < 2 * m->nq && st == QS_OK; k++) {
            double u = 0;
            st = qs_rng_uniform(r, &u);
            params[i++] = 0.2 * (2 * u - 1);
        }
    }
    for (int c = 0; c < m->K; c++) {
        params[i++] = 1;   /* s */
        params[i++] = 0;   /* t */
    }
    qs_rng_destroy(r);
    return st;
}

QH_API qs_status qh_classifier_set_params(qh_classifier *m, const double *params)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(params);
    memcpy(m->params, params, sizeof *params * (size_t)m->np);
    return QS_OK;
}

QH_API qs_status qh_classifier_get_params(const qh_classifier *m, double *params)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(params);
    memcpy(params, m->params, sizeof *params * (size_t)m->np);
    return QS_OK;
}

/* <diag> of a row's final state s: exact (pure state or rho), or the mean
 * over the classifier's shots (one set of draws serves K diagonals). */
static qs_status expect_diags(const qh_classifier *m, const qs_state *s, int K,
                              const double *diags, size_t stride, double *e)
{
    if (m->shots) {
        uint64_t *b = malloc(sizeof *b * m->shots);
        if (!b)
            return QH_FAIL(QS_ENOMEM, "out of memory for %zu shots", m->shots);
        qs_status st = qh__sample(s, m->nq, m->dm, m->shots, m->shot_seed, b);
        for (int c = 0; c < K && st == QS_OK; c++) {
            double sum = 0;
            for (size_t k = 0; k < m->shots; k++)
                sum += diags[(size_t)c * stride + b[k]];
            e[c] = sum / (double)m->shots;
        }
        free(b);
        return st;
    }
    for (int c = 0; c < K; c++)
        QH_TRY(m->dm ? qs_density_expect_diagonal_state(s, diags + (size_t)c * stride, &e[c])
                     : qs_state_expect_diagonal(s, diags + (size_t)c * stride, &e[c]));
    return QS_OK;
}

typedef struct {
    const qh_classifier *m;
    const double *diag;
} shift_obs;

static qs_status shift_expect(void *ctx, const qs_state *s, double *value)
{
    shift_obs *o = ctx;
    return expect_diags(o->m, s, 1, o->diag, 0, value);
}

/* One row: class scores (K), and with w (dL/dscore, K values) the gradient
 * of sum_c w_c score_c into g (np values).  Uses workspace slot s. */
static qs_status row(qh_classifier *m, const double *params, const double *x, qh__slot *s,
                     double *score, const double *w, double *g)
{
    size_t D = (size_t)1 << m->nq, ncp = (size_t)(m->nqp + m->F);
    double *cp = s->buf[0], *cg = s->buf[1], *diag = s->buf[2];
    memcpy(cp, params, sizeof *cp * (size_t)m->nqp);
    for (int j = 0; j < m->F; j++)
        cp[m->nqp + j] = (x[j] - m->mean[j]) * m->scale[j];
    QH_TRY(qs_state_set_basis(s->s[0], 0));
    QH_TRY(qs_program_run(m->prog, cp, ncp, s->s[0], NULL, NULL));
    double e[64];
    const double *st = params + m->nqp;   /* s_c, t_c pairs */
    QH_TRY(expect_diags(m, s->s[0], m->K, m->zsign, D, e));
    for (int c = 0; c < m->K; c++)
        score[c] = st[2 * c] * e[c] + st[2 * c + 1];
    if (!w)
        return QS_OK;
    /* O = sum_c w_c s_c Z_c (diagonal), then one adjoint sweep (pure, exact
     * states) or parameter shifts (density matrices, estimates) */
    for (size_t b = 0; b < D; b++) {
        double v = 0;
        for (int c = 0; c < m->K; c++)
            v += w[c] * st[2 * c] * m->zsign[(size_t)c * D + b];
        diag[b] = v;
    }
    if (m->dm || m->shots) {
        shift_obs obs = {m, diag};
        qh__shift sh = {m->prog, ncp, shift_expect, &obs};
        QH_TRY(qh__shift_gradient(&sh, cp, s->s[1], s->s[2], cg));
    } else {
        QH_TRY(qs_state_assign(s->s[1], s->s[0]));
        QH_TRY(qs_state_apply_real_diagonal(s->s[1], diag));
        QH_TRY(qh_grad_adjoint(m->prog, cp, ncp, s->s[0], s->s[1], s->s[2], cg));
    }
    memcpy(g, cg, sizeof *g * (size_t)m->nqp);
    for (int c = 0; c < m->K; c++) {
        g[m->nqp + 2 * c] = w[c] * e[c];
        g[m->nqp + 2 * c + 1] = w[c];
    }
    return QS_OK;
}

/* Softmax of K scores into p; returns log(sum exp). */
static double softmax(const double *score, int K, double *p)
{
    double mx = score[0], z = 0;
    for (int c = 1; c < K; c++)
        mx = fmax(mx, score[c]);
    for (int c = 0; c < K; c++)
        z += (p[c] = exp(score[c] - mx));
    for (int c = 0; c < K; c++)
        p[c] /= z;
    return mx + log(z);
}

typedef struct {
    qh_classifier *m;
    const double *params, *X;
    const int *y;
    size_t n;
    int grads;
} rows_ctx;

/* Record of row i: its loss, then (with grads) its gradient. */
static qs_status loss_item(void *vc, size_t i, qh__slot *s, double *rec)
{
    rows_ctx *r = vc;
    qh_classifier *m = r->m;
    double score[64], p[64], w[64];
    const double *x = r->X + i * (size_t)m->F;
    QH_TRY(row(m, r->params, x, s, score, NULL, NULL));
    double lse = softmax(score, m->K, p);
    rec[0] = lse - score[r->y[i]];
    if (!r->grads)
        return QS_OK;
    for (int c = 0; c < m->K; c++)
        w[c] = (p[c] - (c == r->y[i])) / (double)r->n;
    return row(m, r->params, x, s, score, w, rec + 1);
}

/* Record of row i: its label, then the K probabilities. */
static qs_status predict_item(void *vc, size_t i, qh__slot *s, double *rec)
{
    rows_ctx *r = vc;
    qh_classifier *m = r->m;
    double score[64];
    QH_TRY(row(m, r->params, r->X + i * (size_t)m->F, s, score, NULL, NULL));
    softmax(score, m->K, rec + 1);
    int best = 0;
    for (int c = 1; c < m->K; c++)
        if (rec[1 + c] > rec[1 + best])
            best = c;
    rec[0] = best;
    return QS_OK;
}

/* Rows in parallel when there is enough work to pay for the threads:
 * tiny states (moons: 2 qubits) in small batches run faster on one. */
#define MIN_PARALLEL_WORK (UINT64_C(1) << 18)

/* Every row's record (rec doubles) into out, rows over ranks and threads. */
static qs_status run_rows(qh_classifier *m, size_t n, qh__item_fn fn, rows_ctx *r, size_t rec,
                          double *out)
{
    uint64_t work = (uint64_t)n * qs_program_num_steps(m->prog) << m->nq;
    int threads = work < MIN_PARALLEL_WORK ? 1 : m->threads;
    return qh__spread(&m->ws, n, threads, rec, fn, r, out);
}

QH_API qs_status qh_classifier_loss(qh_classifier *m, const double *params, size_t n,
                                    const double *X, const int *y, double *loss, double *grad)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(params);
    QH_CHECK_NULL(X);
    QH_CHECK_NULL(y);
    QH_CHECK_NULL(loss);
    if (n == 0)
        return QH_FAIL(QS_EINVAL, "no rows");
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= m->K)
            return QH_FAIL(QS_EINVAL, "label %d of row %zu is not a class 0..%d", y[i], i,
                           m->K - 1);
    rows_ctx r = {m, params, X, y, n, grad != NULL};
    size_t rec = 1 + (grad ? (size_t)m->np : 0);
    double *out = malloc(sizeof *out * n * rec);
    if (!out)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = run_rows(m, n, loss_item, &r, rec, out);
    if (st == QS_OK) {
        /* sums in row order: the same bits for any rank and thread count */
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += out[i * rec];
        *loss = s / (double)n;
        if (grad) {
            memset(grad, 0, sizeof *grad * (size_t)m->np);
            for (size_t i = 0; i < n; i++)
                for (int k = 0; k < m->np; k++)
                    grad[k] += out[i * rec + 1 + (size_t)k];
        }
    }
    free(out);
    return st;
}

QH_API qs_status qh_classifier_predict(qh_classifier *m, size_t n, const double *X, int *labels,
                                       double *probs)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(X);
    QH_CHECK_NULL(labels);
    rows_ctx r = {m, m->params, X, NULL, n, 0};
    size_t rec = 1 + (size_t)m->K;
    double *out = malloc(sizeof *out * (n ? n : 1) * rec);
    if (!out)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = run_rows(m, n, predict_item, &r, rec, out);
    for (size_t i = 0; i < n && st == QS_OK; i++) {
        labels[i] = (int)out[i * rec];
        if (probs)
            memcpy(probs + i * (size_t)m->K, out + i * rec + 1, sizeof *probs * (size_t)m->K);
    }
    free(out);
    return st;
}

QH_API qs_status qh_classifier_accuracy(qh_classifier *m, size_t n, const double *X,
                                        const int *y, double *accuracy)
{
    QH_CHECK_NULL(y);
    QH_CHECK_NULL(accuracy);
    if (n == 0)
        return QH_FAIL(QS_EINVAL, "no rows");
    int *lab = malloc(sizeof *lab * n);
    if (!lab)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = qh_classifier_predict(m, n, X, lab, NULL);
    if (st == QS_OK) {
        size_t ok = 0;
        for (size_t i = 0; i < n; i++)
            ok += lab[i] == y[i];
        *accuracy = (double)ok / (double)n;
    }
    free(lab);
    return st;
}

/* ---- model files ------------------------------------------------------- */

#define MODEL_MAGIC "qsim-classifier 1"

static void put_list(FILE *f, const char *key, const double *v, int n)
{
    fprintf(f, "%s %d", key, n);
    for (int i = 0; i < n; i++)
        fprintf(f, " %.17g", v[i]);
    fputc('\n', f);
}

/* The core's message as ours (copied: QH_FAIL writes the same buffer). */
static qs_status save_failed(void)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", qh__strip_func(qs_last_error()));
    return qs_set_error(QS_EIO, "qh_classifier_save", "%s", msg);
}

QH_API qs_status qh_classifier_save(const qh_classifier *m, const char *path)
{
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(path);
    /* atomically: a reader sees the old model or the new one */
    qs_output *o;
    if (qs_output_open(path, &o) != QS_OK)
        return save_failed();
    FILE *f = qs_output_stream(o);
    fprintf(f, "%s\nfeatures %d\nclasses %d\nqubits %d\nlayers %d\n", MODEL_MAGIC, m->F, m->K,
            m->nq, m->L);
    put_list(f, "mean", m->mean, m->F);
    put_list(f, "scale", m->scale, m->F);
    put_list(f, "params", m->params, m->np);
    if (qs_output_commit(o) != QS_OK)
        return save_failed();
    return QS_OK;
}

/* "key n v1 ... vn" into v (exactly want values). */
static int get_list(char *line, const char *key, double *v, int want)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl) != 0 || line[kl] != ' ')
        return 0;
    const char *p = line + kl;
    double n;
    if (!qh__parse_double(&p, &n) || n != want)
        return 0;
    for (int i = 0; i < want; i++)
        if (!qh__parse_double(&p, &v[i]) || !isfinite(v[i]))
            return 0;
    while (*p == ' ')
        p++;
    return *p == '\0';
}

QH_API qs_status qh_classifier_load(const char *path, qh_classifier **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    char *text, *cur;
    QH_TRY(qh__read_text(__func__, path, &text));
    cur = text;
    int line = 0, F = 0, K = 0, nq = 0, L = 0;
    char *s = qh__next_line(&cur, &line);
    qs_status st = QS_OK;
    if (!s || strcmp(s, MODEL_MAGIC) != 0)
        st = QH_FAIL(QS_EPARSE, "%s:1:1: not a classifier model (expected '%s')", path,
                     MODEL_MAGIC);
    const char *keys[4] = {"features %d", "classes %d", "qubits %d", "layers %d"};
    int *vals[4] = {&F, &K, &nq, &L};
    for (int k = 0; k < 4 && st == QS_OK; k++) {
        s = qh__next_line(&cur, &line);
        if (!s || sscanf(s, keys[k], vals[k]) != 1)
            st = QH_FAIL(QS_EPARSE, "%s:%d:1: expected '%.*s N'", path, line,
                         (int)strlen(keys[k]) - 3, keys[k]);
    }
    qh_classifier *m = NULL;
    if (st == QS_OK && (st = qh_classifier_create(F, K, nq, L, &m)) != QS_OK) {
        char msg[512]; /* the sizes, said of the file (copied: QH_FAIL writes it) */
        snprintf(msg, sizeof msg, "%s", qh__strip_func(qs_last_error()));
        st = QH_FAIL(st, "%s: %s", path, msg);
    }
    const char *lists[3] = {"mean", "scale", "params"};
    for (int k = 0; k < 3 && st == QS_OK; k++) {
        double *dst = k == 0 ? m->mean : k == 1 ? m->scale : m->params;
        int want = k == 2 ? m->np : m->F;
        s = qh__next_line(&cur, &line);
        if (!s || !get_list(s, lists[k], dst, want))
            st = QH_FAIL(QS_EPARSE, "%s:%d:1: expected '%s %d' and %d numbers", path, line,
                         lists[k], want, want);
    }
    free(text);
    if (st != QS_OK) {
        qh_classifier_destroy(m);
        return st;
    }
    *out = m;
    return QS_OK;
}

/* ---- minibatches ---------------------------------------------------------- */

struct qh_minibatch {
    qh_classifier *m;
    size_t n, B;
    double *X, *bx;
    int *y, *by;
    size_t *perm;
    uint64_t seed, step, perm_epoch;
    int have_perm;
};

QH_API void qh_minibatch_destroy(qh_minibatch *b)
{
    if (!b)
        return;
    free(b->X);
    free(b->bx);
    free(b->y);
    free(b->by);
    free(b->perm);
    free(b);
}

QH_API qs_status qh_minibatch_create(qh_classifier *m, size_t n, const double *X, const int *y,
                                     size_t batch_size, uint64_t seed, qh_minibatch **out)
{
    QH_CHECK_NULL(out);
    *out = NULL;
    QH_CHECK_NULL(m);
    QH_CHECK_NULL(X);
    QH_CHECK_NULL(y);
    if (n == 0 || batch_size == 0)
        return QH_FAIL(QS_EINVAL, "%zu rows, batch size %zu", n, batch_size);
    if (batch_size > n)
        batch_size = n;
    qh_minibatch *b = calloc(1, sizeof *b);
    if (!b)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    size_t F = (size_t)m->F;
    b->m = m;
    b->n = n;
    b->B = batch_size;
    b->seed = seed;
    b->X = malloc(sizeof *b->X * n * F);
    b->bx = malloc(sizeof *b->bx * batch_size * F);
    b->y = malloc(sizeof *b->y * n);
    b->by = malloc(sizeof *b->by * batch_size);
    b->perm = malloc(sizeof *b->perm * n);
    if (!b->X || !b->bx || !b->y || !b->by || !b->perm) {
        qh_minibatch_destroy(b);
        return QH_FAIL(QS_ENOMEM, "out of memory");
    }
    memcpy(b->X, X, sizeof *X * n * F);
    memcpy(b->y, y, sizeof *y * n);
    *out = b;
    return QS_OK;
}

/* The row order of epoch e: a Fisher-Yates shuffle seeded by (seed, e). */
static qs_status shuffle(qh_minibatch *b, uint64_t epoch)
{
    qs_rng *r;
    QH_TRY(qs_rng_create(b->seed * UINT64_C(0x9e3779b97f4a7c15) + epoch, &r));
    for (size_t i = 0; i < b->n; i++)
        b->perm[i] = i;
    qs_status st = QS_OK;
    for (size_t i = b->n - 1; i > 0 && st == QS_OK; i--) {
        double u = 0;
        st = qs_rng_uniform(r, &u);
        size_t j = (size_t)(u * (double)(i + 1));
        size_t t = b->perm[i];
        b->perm[i] = b->perm[j];
        b->perm[j] = t;
    }
    qs_rng_destroy(r);
    b->perm_epoch = epoch;
    b->have_perm = st == QS_OK;
    return st;
}

QH_API qs_status qh_minibatch_fdf(void *minibatch, const double *x, double *f, double *grad)
{
    qh_minibatch *b = minibatch;
    QH_CHECK_NULL(b);
    size_t per_epoch = (b->n + b->B - 1) / b->B;
    uint64_t epoch = b->step / per_epoch, k = b->step % per_epoch;
    if (!b->have_perm || b->perm_epoch != epoch)
        QH_TRY(shuffle(b, epoch));
    size_t lo = (size_t)k * b->B, hi = lo + b->B < b->n ? lo + b->B : b->n, F = (size_t)b->m->F;
    for (size_t i = lo; i < hi; i++) {
        memcpy(b->bx + (i - lo) * F, b->X + b->perm[i] * F, sizeof *b->X * F);
        b->by[i - lo] = b->y[b->perm[i]];
    }
    QH_TRY(qh_classifier_loss(b->m, x, hi - lo, b->bx, b->by, f, grad));
    b->step++;
    return QS_OK;
}

QH_API uint64_t qh_minibatch_step(const qh_minibatch *b) { return b ? b->step : 0; }

QH_API qs_status qh_minibatch_set_step(qh_minibatch *b, uint64_t step)
{
    QH_CHECK_NULL(b);
    b->step = step;
    return QS_OK;
}
