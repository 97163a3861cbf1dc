/*
 * run_noise.c - `qsim run --noise MODEL.json`: the program with the
 * model's errors attached, simulated on a density matrix (default) or by
 * trajectories (--trajectories N), printing probabilities (the diagonal of
 * rho, or the mean over trajectories, before readout errors), an
 * expectation value, or shot counts (with the readout errors applied).
 *
 * Uses only the public API.
 */
#include "cli.h"
#include "run_noise.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *msg(void)
{
    const char *m = qs_last_error(), *c = strstr(m, ": ");
    return strncmp(m, "qs_", 3) == 0 && c ? c + 2 : m;
}

static int lib_failed(qs_status st)
{
    const char *file, *m;
    int line, col;
    if (qs_last_error_location(&file, &line, &col, &m)) {
        cli_diag(file, line, col, "%s", m);
        return CLI_EUSER;
    }
    return cli_fail(cli_status_code(st), "run", "%s", msg());
}

/* Counts as Qiskit keys them: registers last declared first, each highest
 * bit first, separated by spaces. */
static char *row_key(const qs_circuit *c, const unsigned char *bits)
{
    int nr = qs_circuit_num_cregs(c), nc = qs_circuit_num_clbits(c);
    char *k = malloc((size_t)nc + (size_t)nr + 2), *p = k;
    if (!k)
        return NULL;
    for (int r = (nr ? nr : 1) - 1; r >= 0; r--) {
        int first = 0, size = nc;
        if (nr)
            qs_circuit_creg(c, r, NULL, &first, &size);
        for (int b = first + size - 1; b >= first; b--)
            *p++ = (char)('0' + (bits[b] & 1));
        if (r > 0)
            *p++ = ' ';
    }
    *p = '\0';
    return k;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints the counts of `shots` rows of classical bits (nc bytes each). */
static int print_counts(const qs_circuit *c, const unsigned char *rows, size_t shots, FILE *f)
{
    int nc = qs_circuit_num_clbits(c);
    char **keys = calloc(shots + 1, sizeof *keys);
    int rc = keys ? CLI_OK : cli_fail(CLI_EINTERNAL, "run", "out of memory");
    for (size_t i = 0; rc == CLI_OK && i < shots; i++)
        if (!(keys[i] = row_key(c, rows + i * (size_t)nc)))
            rc = cli_fail(CLI_EINTERNAL, "run", "out of memory");
    if (rc == CLI_OK) {
        qsort(keys, shots, sizeof *keys, cmp_str);
        fputs("{", f);
        int first = 1;
        for (size_t i = 0; i < shots;) {
            size_t j = i;
            while (j < shots && !strcmp(keys[j], keys[i]))
                j++;
            fprintf(f, "%s\n  \"%s\": %zu", first ? "" : ",", keys[i], j - i);
            first = 0;
            i = j;
        }
        fputs("\n}\n", f);
    }
    for (size_t i = 0; keys && i < shots; i++)
        free(keys[i]);
    free(keys);
    return rc;
}

/* The terminal measurements (qubit -> clbit) of the noiseless program. */
static int terminal(const qs_circuit *c, int *qubits, int *clbits, int *k, int *dynamic)
{
    qs_program *p;
    qs_status st = qs_program_compile(c, QS_COMPILE_DEFER_MEASURE, &p);
    if (st != QS_OK)
        return lib_failed(st);
    *dynamic = qs_program_is_dynamic(p);
    *k = qs_program_num_deferred(p);
    for (int i = 0; i < *k; i++)
        qs_program_deferred(p, i, &qubits[i], &clbits[i]);
    qs_program_destroy(p);
    return CLI_OK;
}

/* Flips the measured bits of each row with the model's readout errors. */
static int readout(const cli_noise *n, const qs_noise_model *m, const int *qubits,
                   const int *clbits, int k, unsigned char *rows, size_t shots, qs_rng *rng)
{
    int nc = qs_circuit_num_clbits(n->c);
    uint64_t *v = malloc(sizeof *v * (shots + 1));
    if (!v)
        return cli_fail(CLI_EINTERNAL, "run", "out of memory");
    for (int j0 = 0; j0 < k; j0 += 64) {
        int kk = k - j0 < 64 ? k - j0 : 64;
        for (size_t s = 0; s < shots; s++) {
            v[s] = 0;
            for (int j = 0; j < kk; j++)
                if (clbits[j0 + j] >= 0)
                    v[s] |= (uint64_t)(rows[s * (size_t)nc + (size_t)clbits[j0 + j]] & 1) << j;
        }
        qs_status st = qs_noise_model_apply_readout(m, qubits + j0, kk, shots, rng, v);
        if (st != QS_OK) {
            free(v);
            return lib_failed(st);
        }
        for (size_t s = 0; s < shots; s++)
            for (int j = 0; j < kk; j++)
                if (clbits[j0 + j] >= 0)
                    rows[s * (size_t)nc + (size_t)clbits[j0 + j]] = (unsigned char)(v[s] >> j & 1);
    }
    free(v);
    return CLI_OK;
}

int cli_run_noise(const cli_noise *n, FILE *f)
{
    qs_noise_model *m = NULL;
    qs_circuit *c = NULL;
    qs_program *p = NULL;
    qs_density *rho = NULL;
    qs_pauli_sum *h = NULL;
    qs_rng *rng = NULL;
    unsigned char *rows = NULL;
    double *probs = NULL;
    int nq = qs_circuit_num_qubits(n->c), rc = CLI_OK;
    int nmeas = 0, dynamic = 0;
    int *mq = calloc((size_t)qs_circuit_num_ops(n->c) + 1, 2 * sizeof(int)), *mc = NULL;
    qs_status st;
    if (!mq)
        return cli_fail(CLI_EINTERNAL, "run", "out of memory");
    mc = mq + qs_circuit_num_ops(n->c) + 1;
    if ((st = qs_noise_model_read(n->model, &m)) != QS_OK ||
        (st = qs_noise_model_apply(m, n->c, &c)) != QS_OK ||
        (st = qs_rng_create(n->seed, &rng)) != QS_OK) {
        rc = lib_failed(st);
        goto done;
    }
    if (n->mode == CLI_NOISE_EXPECT) {
        if ((st = qs_pauli_sum_read(n->expect, &h)) != QS_OK) {
            rc = cli_fail(cli_status_code(st), "run", "--expect: %s", msg());
            goto done;
        }
        if (qs_pauli_sum_num_qubits(h) > nq) {
            rc = cli_fail(CLI_EUSER, "run", "--expect %s: the Pauli sum acts on %d qubits, the "
                          "program has %d", n->expect, qs_pauli_sum_num_qubits(h), nq);
            goto done;
        }
    }
    if (n->mode == CLI_NOISE_SHOTS && (rc = terminal(n->c, mq, mc, &nmeas, &dynamic)) != CLI_OK)
        goto done;
    unsigned sflags = n->f32 ? QS_STATE_F32 : QS_STATE_DEFAULT;
    uint64_t dim = UINT64_C(1) << nq;
    size_t nc = (size_t)qs_circuit_num_clbits(c);
    if (n->trajectories > 0) {
        /* trajectories: one per shot with --shots */
        size_t T = n->mode == CLI_NOISE_SHOTS ? (size_t)n->shots : (size_t)n->trajectories;
        double ex[2];
        if (n->mode == CLI_NOISE_PROBS && !(probs = malloc(sizeof(double) * dim))) {
            rc = cli_fail(CLI_EUSER, "run", "no memory for %llu probabilities",
                          (unsigned long long)dim);
            goto done;
        }
        if (n->mode == CLI_NOISE_SHOTS && !(rows = calloc(T * (nc ? nc : 1), 1))) {
            rc = cli_fail(CLI_EUSER, "run", "no memory for %zu shots", T);
            goto done;
        }
        st = qs_trajectories_run(c, n->params, n->np, T, n->seed, sflags, probs, h, ex, rows);
        if (st != QS_OK) {
            rc = lib_failed(st);
            goto done;
        }
        if (n->mode == CLI_NOISE_EXPECT) {
            fprintf(f, "%.17g\n", ex[0]);
            fprintf(stderr, "qsim run: mean over %zu trajectories, standard error %.3g\n", T,
                    ex[1]);
        } else if (n->mode == CLI_NOISE_PROBS) {
            for (uint64_t i = 0; i < dim; i++)
                fprintf(f, "%.17g\n", probs[i]);
        } else {
            /* the trajectories measured every bit; terminal ones get readout errors */
            if ((rc = readout(n, m, mq, mc, nmeas, rows, T, rng)) == CLI_OK)
                rc = print_counts(n->c, rows, T, f);
        }
        goto done;
    }
    /* density matrix */
    if (n->mode == CLI_NOISE_SHOTS && dynamic) {
        rc = cli_fail(CLI_EUSER, "run", "--shots with --noise: the program measures in "
                      "mid-circuit; its outcomes need --trajectories N");
        goto done;
    }
    if ((st = qs_density_compile(c, QS_COMPILE_DEFER_MEASURE, &p)) != QS_OK ||
        (st = qs_density_create(nq, sflags, &rho)) != QS_OK) {
        rc = cli_fail(cli_status_code(st), "run", "%s%s", msg(),
                      st == QS_ETOOBIG ? " (the density matrix is too big: use --trajectories N)"
                                       : "");
        goto done;
    }
    if ((st = qs_density_run(p, n->params, n->np, rho)) != QS_OK) {
        rc = lib_failed(st);
        goto done;
    }
    if (n->mode == CLI_NOISE_EXPECT) {
        double e;
        if ((st = qs_density_expect(rho, h, &e)) != QS_OK)
            rc = lib_failed(st);
        else
            fprintf(f, "%.17g\n", e);
    } else if (n->mode == CLI_NOISE_PROBS) {
        if (!(probs = malloc(sizeof(double) * dim))) {
            rc = cli_fail(CLI_EUSER, "run", "no memory for %llu probabilities",
                          (unsigned long long)dim);
            goto done;
        }
        qs_density_probabilities(rho, probs);
        for (uint64_t i = 0; i < dim; i++)
            fprintf(f, "%.17g\n", probs[i]);
    } else {
        size_t shots = (size_t)n->shots;
        uint64_t *out = malloc(sizeof *out * (shots + 1));
        rows = calloc(shots * (nc ? nc : 1), 1);
        if (!out || !rows) {
            free(out);
            rc = cli_fail(CLI_EUSER, "run", "no memory for %zu shots", shots);
            goto done;
        }
        if (nmeas > 0 && (st = qs_density_sample(rho, mq, nmeas, shots, rng, out)) != QS_OK) {
            free(out);
            rc = lib_failed(st);
            goto done;
        }
        for (size_t s = 0; s < shots && nmeas > 0; s++)
            for (int j = 0; j < nmeas; j++)
                if (mc[j] >= 0)
                    rows[s * nc + (size_t)mc[j]] = (unsigned char)(out[s] >> j & 1);
        free(out);
        if ((rc = readout(n, m, mq, mc, nmeas, rows, shots, rng)) == CLI_OK)
            rc = print_counts(n->c, rows, shots, f);
    }
done:
    free(mq);
    free(rows);
    free(probs);
    qs_rng_destroy(rng);
    qs_pauli_sum_destroy(h);
    qs_density_destroy(rho);
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    qs_noise_model_destroy(m);
    return rc;
}
