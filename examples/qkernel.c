/*
 * qkernel.c - a quantum kernel: features scaled to [0, pi], one ry
 * rotation per feature, K(x, x') = |<phi(x)|phi(x')>|^2 from simulated
 * states; prints the kernel of the first rows of the iris training set.
 *
 *   ./examples/qkernel [train.csv]
 */
#include <qsim/hybrid.h>
#include <qsim/qsim.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define ROWS 4

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : QS_EXAMPLE_SHARED "/data/classification/iris_train.csv";
    qh_dataset *d;
    if (qh_dataset_read_csv(path, &d) != QS_OK) {
        fprintf(stderr, "qkernel: %s\n", qs_last_error());
        return 1;
    }
    int F = qh_dataset_num_features(d);
    size_t n = qh_dataset_num_rows(d);
    double *z = malloc(sizeof *z * n * (size_t)F), K[ROWS * ROWS];
    if (qh_minmax_scale(n, F, qh_dataset_features(d), 0, M_PI, n, qh_dataset_features(d), z) != QS_OK ||
        qh_kernel_matrix(QH_MAP_ANGLE, F, ROWS, z, ROWS, z, K) != QS_OK) {
        fprintf(stderr, "qkernel: %s\n", qs_last_error());
        return 1;
    }
    printf("angle kernel of the first %d rows of %s:\n", ROWS, path);
    for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < ROWS; j++)
            printf(" %.12f", K[i * ROWS + j]);
        printf("\n");
    }
    free(z);
    qh_dataset_destroy(d);
    return 0;
}
