/*
 * qaoa_maxcut.c - QAOA for MaxCut with one diagonal step per cost layer:
 * the cut value of every assignment is computed once, a grid of (gamma,
 * beta) is evaluated as one batch, and BFGS refines the best point.
 *
 *   ./examples/qaoa_maxcut [graph.txt]
 */
#include <qsim/hybrid.h>
#include <qsim/qsim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                        \
    do {                                                                   \
        if ((call) != QS_OK) {                                             \
            fprintf(stderr, "qaoa_maxcut: %s\n", qs_last_error());         \
            return 1;                                                      \
        }                                                                  \
    } while (0)

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : QS_EXAMPLE_SHARED "/data/maxcut/cycle_n6.txt";
    qh_graph *g;
    CHECK(qh_graph_read(path, &g));
    int n = qh_graph_num_nodes(g);
    size_t D = (size_t)1 << n;
    double *cut = malloc(sizeof *cut * D), *minus_cut = malloc(sizeof *minus_cut * D), best = 0;
    CHECK(qh_maxcut_values(g, cut));
    for (size_t b = 0; b < D; b++) {
        minus_cut[b] = -cut[b];   /* minimizing -<C> maximizes the expected cut */
        best = fmax(best, cut[b]);
    }

    qs_circuit *c;
    CHECK(qh_qaoa_circuit(n, cut, 1, &c));
    qh_objective *o;
    CHECK(qh_objective_create_diagonal(c, minus_cut, &o));
    double x[2];
    CHECK(qh_qaoa_grid_search(o, 32, 12, M_PI, x, NULL));
    qh_optimizer *opt;
    CHECK(qh_optimizer_alloc(qh_optimizer_bfgs, 2, &opt));
    CHECK(qh_optimizer_set(opt, qh_objective_fdf, o, x));
    CHECK(qh_optimizer_run(opt, NULL, NULL, NULL));

    double expected = -qh_optimizer_f(opt);
    printf("%s: %d nodes, max cut %g\n", path, n, best);
    printf("  p=1 at gamma %.6f, beta %.6f: expected cut %.10f, ratio %.4f\n",
           qh_optimizer_x(opt)[0], qh_optimizer_x(opt)[1], expected, expected / best);
    qh_optimizer_free(opt);
    qh_objective_destroy(o);
    qs_circuit_destroy(c);
    free(cut);
    free(minus_cut);
    qh_graph_destroy(g);
    return 0;
}
