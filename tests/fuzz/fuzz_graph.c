/*
 * fuzz_graph.c - libFuzzer target for the graph reader (edge lists with
 * "# key: value" headers), and the cut values of what it reads.
 */
#include "fuzz_file.h"

#include <qsim/hybrid.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    qh_graph *g = NULL;
    qs_status st = qh_graph_read(fuzz_file(data, size), &g);
    fuzz_failed(st, qs_last_error());
    if (st != QS_OK && g)
        abort();
    if (st == QS_OK) {
        int n = qh_graph_num_nodes(g);
        if (n >= 1 && n <= 10) {
            double *cut = malloc(sizeof *cut << n);
            if (qh_maxcut_values(g, cut) != QS_OK)
                abort();
            free(cut);
        }
        qh_graph_destroy(g);
    }
    return 0;
}
