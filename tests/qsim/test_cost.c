/*
 * test_cost.c - the fusion cost model (qs_cost_model_calibrate,
 * QSIM_COST_MODEL, the cache file): whatever the table says, and it does
 * change what is fused, a fused program equals the unfused one to 1e-12;
 * a bad QSIM_COST_MODEL file is an error of every compile, naming it; a
 * cache file of another CPU is ignored; one written here is used.
 */
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/qsim_cost.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* A rows file for every backend: dense/diag/perm figures by k = 1..5. */
static void write_table(const char *path, const double d[5], const double g[5], const double p[5])
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fprintf(f, "# test table\nmachine any\n");
    const char *be[3] = {"cpu", "cpu-avx2", "cpu-avx512"};
    const double *rows[3] = {d, g, p};
    const char *kinds[3] = {"dense", "diag", "perm"};
    for (int b = 0; b < 3; b++)
        for (int k = 0; k < 3; k++)
            fprintf(f, "%s %s %g %g %g %g %g\n", be[b], kinds[k], rows[k][0], rows[k][1],
                    rows[k][2], rows[k][3], rows[k][4]);
    fclose(f);
}

/* Rotations on every qubit and random two-qubit gates and matrices. */
static qs_circuit *circuit(int n, uint64_t seed)
{
    qs_circuit *c;
    cr_assert_eq(qs_circuit_create(n, 0, &c), QS_OK);
    const qs_gate rot[4] = {QS_GATE_RX, QS_GATE_RY, QS_GATE_RZ, QS_GATE_U3};
    const qs_gate two[4] = {QS_GATE_CX, QS_GATE_CZ, QS_GATE_RZZ, QS_GATE_SWAP};
    for (int layer = 0; layer < 8; layer++) {
        for (int q = 0; q < n; q++) {
            double t[3] = {6 * ref_uniform(&seed) - 3, ref_uniform(&seed), ref_uniform(&seed)};
            cr_assert_eq(qs_circuit_append_gate(c, rot[(int)(4 * ref_uniform(&seed))], &q, t),
                         QS_OK);
        }
        for (int i = 0; i < n; i++) {
            int a = (int)(n * ref_uniform(&seed)), b = (a + 1 + (int)((n - 1) * ref_uniform(&seed))) % n;
            int q[2] = {a, b};
            double t = ref_uniform(&seed);
            if (ref_uniform(&seed) < 0.2) {
                cplx *U = ref_random_unitary(2, seed + (uint64_t)i);
                cr_assert_eq(qs_circuit_append_matrix(c, q, 2, (const double *)U), QS_OK);
                free(U);
            } else {
                cr_assert_eq(qs_circuit_append_gate(c, two[(int)(4 * ref_uniform(&seed))], q, &t),
                             QS_OK);
            }
        }
    }
    return c;
}

/* Fused against unfused on a random state; returns the fused op count. */
static size_t fused_equals_plain(int n, uint64_t seed)
{
    qs_circuit *c = circuit(n, seed);
    qs_program *fused, *plain;
    cr_assert_eq(qs_program_compile(c, 0, &fused), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_program_compile(c, QS_COMPILE_NO_FUSION, &plain), QS_OK, "%s", qs_last_error());
    qs_state *a, *b;
    cplx *v = ref_random_state(n, seed);
    cr_assert_eq(qs_state_create(n, 0, &a), QS_OK);
    cr_assert_eq(qs_state_create(n, 0, &b), QS_OK);
    ref_load(a, v);
    ref_load(b, v);
    free(v);
    cr_assert_eq(qs_program_run(plain, NULL, 0, a, NULL, NULL), QS_OK, "%s", qs_last_error());
    cr_assert_eq(qs_program_run(fused, NULL, 0, b, NULL, NULL), QS_OK, "%s", qs_last_error());
    double d = ref_state_diff(a, b);
    cr_assert(d < 1e-12, "n %d seed %llu, table %s: fused differs by %g", n,
              (unsigned long long)seed, getenv("QSIM_COST_MODEL"), d);
    size_t k = qs_program_num_fused_ops(fused);
    qs_state_destroy(a);
    qs_state_destroy(b);
    qs_program_destroy(fused);
    qs_program_destroy(plain);
    qs_circuit_destroy(c);
    return k;
}

Test(cost, any_table_fuses_to_the_same_state)
{
    make_dir();
    char path[128];
    snprintf(path, sizeof path, "%s/rows", dir);
    /* everything fused (wide ops cost nothing more), nothing fused (every
     * extra target costs 100x), random figures, and the shipped rows */
    const double flat[5] = {1, 1, 1, 1, 1}, steep[5] = {1, 100, 1e4, 1e5, 9e5};
    size_t all[2], none[2];
    for (int t = 0; t < 8; t++) {
        double d[5], g[5], p[5];
        for (int k = 0; k < 5; k++) {
            uint64_t s = (uint64_t)(100 * t + k);
            d[k] = t == 0 ? flat[k] : t == 1 ? steep[k] : 0.01 + 100 * ref_uniform(&s);
            g[k] = t == 0 ? flat[k] : t == 1 ? steep[k] : 0.01 + 100 * ref_uniform(&s);
            p[k] = t == 0 ? flat[k] : t == 1 ? steep[k] : 0.01 + 100 * ref_uniform(&s);
        }
        write_table(path, d, g, p);
        cr_assert_eq(setenv("QSIM_COST_MODEL", t == 7 ? "shipped" : path, 1), 0);
        cr_assert_str_eq(qs_cost_model_source(), t == 7 ? "shipped" : path);
        for (int r = 0; r < 2; r++) {   /* whole (2^9) and block by block (2^16) */
            size_t k = fused_equals_plain(r ? 16 : 9, (uint64_t)(7 + t % 2));
            if (t == 0)
                all[r] = k;
            if (t == 1)
                none[r] = k;
        }
    }
    /* the table is read: the flat one fuses far more than the steep one */
    for (int r = 0; r < 2; r++)
        cr_assert(2 * all[r] < none[r], "%s: %zu fused ops with the flat table, %zu with the steep",
                  r ? "16 qubits" : "9 qubits", all[r], none[r]);
    unlink(path);
    rmdir(dir);
}

Test(cost, a_bad_table_file_is_an_error_naming_it)
{
    make_dir();
    char path[128];
    snprintf(path, sizeof path, "%s/rows", dir);
    qs_circuit *c = circuit(4, 1);
    qs_program *p = NULL;
    const char *bad[3] = {"machine x\ncpu dense 1 2 3 4 5\ncpu diag 1 2 3 nan 5\ncpu perm 1 2 3 4 5\n",
                          "machine x\ncpu dense 1 2 3 4\n",
                          "machine x\ncpu dense 1 2 3 4 5\n"};   /* no diag, perm rows */
    const int line[3] = {3, 2, 2};
    for (int i = 0; i < 3; i++) {
        write_file(path, bad[i]);
        cr_assert_eq(setenv("QSIM_COST_MODEL", path, 1), 0);
        cr_assert_eq(qs_program_compile(c, 0, &p), QS_EINVAL, "case %d compiled", i);
        char want[160];
        snprintf(want, sizeof want, "QSIM_COST_MODEL: %s:%d:", path, line[i]);
        cr_assert(strstr(qs_last_error(), want), "case %d: '%s' lacks '%s'", i, qs_last_error(), want);
        cr_assert_str_eq(qs_cost_model_source(), "error");
    }
    unlink(path);
    cr_assert_eq(setenv("QSIM_COST_MODEL", path, 1), 0);   /* now missing */
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_EINVAL);
    cr_assert(strstr(qs_last_error(), path), "%s", qs_last_error());
    cr_assert_eq(setenv("QSIM_COST_MODEL", "shipped", 1), 0);
    cr_assert_eq(qs_program_compile(c, 0, &p), QS_OK, "%s", qs_last_error());
    qs_program_destroy(p);
    qs_circuit_destroy(c);
    rmdir(dir);
}

Test(cost, the_cache_is_used_only_on_its_own_cpu)
{
    make_dir();
    char cache[160], qdir[160], sub[128];
    snprintf(sub, sizeof sub, "%s/.cache", dir);
    snprintf(qdir, sizeof qdir, "%s/.cache/qsim", dir);
    snprintf(cache, sizeof cache, "%s/.cache/qsim/cost-model", dir);
    cr_assert_eq(unsetenv("QSIM_COST_MODEL"), 0);
    cr_assert_eq(unsetenv("XDG_CACHE_HOME"), 0);
    cr_assert_eq(setenv("HOME", dir, 1), 0);
    cr_assert_str_eq(qs_cost_model_source(), "shipped");   /* no cache yet */
    /* calibrating makes the directories and a cache naming this CPU */
    cr_assert_eq(qs_cost_model_calibrate(NULL), QS_OK, "%s", qs_last_error());
    cr_assert_str_eq(qs_cost_model_source(), cache);
    fused_equals_plain(9, 3);
    /* the same rows from another machine: ignored, not an error */
    FILE *f = fopen(cache, "r");
    cr_assert_not_null(f);
    char text[4096];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = 0;
    char *m = strstr(text, "\nmachine ");
    cr_assert_not_null(m, "%s", text);
    char other[4200];
    snprintf(other, sizeof other, "%.*s\nmachine another CPU%s", (int)(m - text), text,
             strchr(m + 1, '\n'));
    write_file(cache, other);
    cr_assert_eq(qs_cost_model_calibrate(NULL) == QS_OK ? 0 : 1, 0);   /* rewrites it */
    cr_assert_str_eq(qs_cost_model_source(), cache);
    write_file(cache, other);
    unsetenv("QSIM_COST_MODEL");
    setenv("QSIM_COST_MODEL", "", 1);   /* an empty value is no value */
    cr_assert_eq(setenv("XDG_CACHE_HOME", sub, 1), 0);   /* $XDG_CACHE_HOME/qsim/cost-model */
    cr_assert_str_eq(qs_cost_model_source(), "shipped");
    fused_equals_plain(9, 4);
    /* a directory in the way: an I/O error, nothing written */
    cr_assert_eq(qs_cost_model_calibrate(qdir), QS_EIO);
    unlink(cache);
    rmdir(qdir);
    rmdir(sub);
    rmdir(dir);
}
