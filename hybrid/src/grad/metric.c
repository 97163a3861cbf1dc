/*
 * metric.c - the block-diagonal Fubini-Study metric tensor behind quantum
 * natural gradient (Stokes et al. 2020).
 *
 * Blocks: the parameterized steps fall into runs separated by steps with
 * constant arguments (an entangling layer ends a layer of rotations); runs
 * that share a parameter are merged with everything between them, so each
 * parameter belongs to one block, a contiguous slice [s0, s1) of steps.
 * Within a block B acting on psi_in the entries are exact:
 *   g_ij = Re(<d_i|d_j> - <d_i|psi><psi|d_j>),  d_i = d(B psi_in)/d theta_i,
 * since the steps after the block are unitary and cancel.  d_i sums, over
 * the block's arguments that use theta_i, (d arg / d theta_i) times the
 * block run with that step replaced by its derivative.  Entries between
 * blocks are zero.  Memory: one state per parameter of the largest block.
 */
#include "hybrid_impl.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t start, end;   /* steps [start, end) */
} run;

typedef struct {
    qh_objective *o;
    const double *params;
    size_t nsteps, np;
    run *runs;
    size_t nruns;
    long *first, *last;  /* per parameter: first and last step using it, or -1 */
    qs_state **d;        /* derivative states of a block */
    int nd;
    double *tmp;         /* np: d arg / d theta */
    int *idx;            /* np: position of a parameter in its block, or -1 */
} mctx;

static qs_status find_runs(mctx *m)
{
    const qs_program *p = m->o->prog;
    for (size_t k = 0; k < m->nsteps; k++) {
        unsigned f = qs_program_step_flags(p, k);
        if (f & QS_STEP_NONUNITARY)
            return qs_set_error(QS_EUNSUPPORTED, "qh_objective_metric",
                                "step %zu measures, resets or is conditional", k);
        if (!(f & QS_STEP_PARAMETERIZED))
            continue;
        if (m->nruns > 0 && m->runs[m->nruns - 1].end == k)
            m->runs[m->nruns - 1].end = k + 1;
        else
            m->runs[m->nruns++] = (run){k, k + 1};
        for (int a = 0; a < qs_program_step_num_args(p, k); a++) {
            int cnt, ids[64];
            QH_TRY(qs_program_step_arg_params(p, k, a, ids, 64, &cnt));
            if (cnt > 64)
                return qs_set_error(QS_EUNSUPPORTED, "qh_objective_metric",
                                    "an argument of step %zu uses %d parameters (at most 64)", k,
                                    cnt);
            for (int i = 0; i < cnt; i++) {
                if (m->first[ids[i]] < 0)
                    m->first[ids[i]] = (long)k;
                m->last[ids[i]] = (long)k;
            }
        }
    }
    return QS_OK;
}

static size_t run_of(const mctx *m, long step)
{
    for (size_t r = 0; r < m->nruns; r++)
        if ((size_t)step >= m->runs[r].start && (size_t)step < m->runs[r].end)
            return r;
    return 0;
}

/* The metric block of steps [s0, s1) on the state psi (left at the block's
 * end), for the parameters first used inside it. */
static qs_status block(mctx *m, size_t s0, size_t s1, qs_state *psi, qs_state *mu, double *g)
{
    const qs_program *p = m->o->prog;
    int nb = 0;
    int members[m->np ? m->np : 1];
    for (size_t j = 0; j < m->np; j++) {
        m->idx[j] = -1;
        if (m->first[j] >= (long)s0 && m->first[j] < (long)s1) {
            m->idx[j] = nb;
            members[nb++] = (int)j;
        }
    }
    while (m->nd < nb) {
        QH_TRY(qs_state_create(m->o->nq, QS_STATE_DEFAULT, &m->d[m->nd]));
        m->nd++;
    }
    const double zero[2] = {0, 0};
    for (int i = 0; i < nb; i++)
        QH_TRY(qs_state_scale(m->d[i], zero));
    for (size_t k = s0; k < s1; k++) {
        double args[4];
        int na = qs_program_step_num_args(p, k);
        if (na > 0)
            QH_TRY(qs_program_step_args(p, k, m->params, m->np, args));
        for (int a = 0; a < na; a++) {
            int cnt, ids[64];
            QH_TRY(qs_program_step_arg_params(p, k, a, ids, 64, &cnt));
            if (cnt == 0)
                continue;
            QH_TRY(qs_state_assign(mu, psi));
            QH_TRY(qs_program_step_apply_derivative(p, k, a, args, mu));
            QH_TRY(qs_program_run_range(p, m->params, m->np, k + 1, s1, 0, mu));
            for (int i = 0; i < cnt; i++)
                m->tmp[ids[i]] = 0;
            QH_TRY(qs_program_step_arg_grad(p, k, a, m->params, m->np, 1.0, m->tmp));
            for (int i = 0; i < cnt; i++) {
                double w[2] = {m->tmp[ids[i]], 0};
                QH_TRY(qs_state_axpy(m->d[m->idx[ids[i]]], w, mu));
            }
        }
        QH_TRY(qs_program_step_apply(p, k, args, 0, psi));
    }
    double (*ov)[2] = malloc(sizeof *ov * (size_t)(nb ? nb : 1));
    if (!ov)
        return QH_FAIL(QS_ENOMEM, "out of memory");
    qs_status st = QS_OK;
    for (int i = 0; i < nb && st == QS_OK; i++)
        st = qs_state_inner(psi, m->d[i], ov[i]);
    for (int i = 0; i < nb && st == QS_OK; i++)
        for (int j = i; j < nb && st == QS_OK; j++) {
            double dd[2];
            st = qs_state_inner(m->d[i], m->d[j], dd);
            double v = dd[0] - (ov[i][0] * ov[j][0] + ov[i][1] * ov[j][1]);
            g[(size_t)members[i] * m->np + (size_t)members[j]] = v;
            g[(size_t)members[j] * m->np + (size_t)members[i]] = v;
        }
    free(ov);
    return st;
}

QH_API qs_status qh_objective_metric(qh_objective *o, const double *params, double *metric)
{
    QH_CHECK_NULL(o);
    QH_CHECK_NULL(metric);
    if (o->np > 0)
        QH_CHECK_NULL(params);
    if (o->dm || o->traj)
        return QH_FAIL(QS_EUNSUPPORTED, "the quantum metric is defined for pure states; this "
                       "objective is noisy");
    mctx m = {.o = o, .params = params, .nsteps = qs_program_num_steps(o->prog),
              .np = (size_t)o->np};
    size_t np1 = m.np ? m.np : 1;
    m.runs = malloc(sizeof *m.runs * (m.nsteps ? m.nsteps : 1));
    m.first = malloc(sizeof *m.first * np1);
    m.last = malloc(sizeof *m.last * np1);
    m.d = calloc(np1, sizeof *m.d);
    m.tmp = calloc(np1, sizeof *m.tmp);
    m.idx = malloc(sizeof *m.idx * np1);
    size_t *until = NULL;
    qh__slot *ws;
    qs_status st = QS_OK;
    if (!m.runs || !m.first || !m.last || !m.d || !m.tmp || !m.idx) {
        st = QH_FAIL(QS_ENOMEM, "out of memory");
        goto done;
    }
    memset(metric, 0, sizeof *metric * m.np * m.np);
    for (size_t j = 0; j < m.np; j++)
        m.first[j] = m.last[j] = -1;
    if ((st = find_runs(&m)) != QS_OK || (st = qh__objective_slot0(o, &ws)) != QS_OK)
        goto done;
    /* Merge runs sharing a parameter: until[r] = last run that must join r. */
    until = malloc(sizeof *until * (m.nruns ? m.nruns : 1));
    if (!until) {
        st = QH_FAIL(QS_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t r = 0; r < m.nruns; r++)
        until[r] = r;
    for (size_t j = 0; j < m.np; j++)
        if (m.first[j] >= 0) {
            size_t r1 = run_of(&m, m.first[j]), r2 = run_of(&m, m.last[j]);
            if (r2 > until[r1])
                until[r1] = r2;
        }
    qs_state *psi = ws->s[0], *mu = ws->s[1];
    size_t pos = 0;
    if ((st = qs_state_set_basis(psi, 0)) != QS_OK)
        goto done;
    for (size_t r = 0; r < m.nruns && st == QS_OK;) {
        size_t e = until[r], s = r;
        for (size_t q = r; q <= e; q++)
            if (until[q] > e)
                e = until[q];
        size_t s0 = m.runs[s].start, s1 = m.runs[e].end;
        st = qs_program_run_range(o->prog, params, m.np, pos, s0, 0, psi);
        if (st == QS_OK)
            st = block(&m, s0, s1, psi, mu, metric);
        pos = s1;
        r = e + 1;
    }
done:
    for (int i = 0; i < m.nd; i++)
        qs_state_destroy(m.d[i]);
    free(until);
    free(m.runs);
    free(m.first);
    free(m.last);
    free(m.d);
    free(m.tmp);
    free(m.idx);
    return st;
}
