/*
 * test_dynamic.c - programs with measurement, reset and conditions:
 * which measurements are deferred as terminal, exact branch enumeration,
 * and shots split at random outcomes (statistics, bit layout, the
 * shot-by-shot fallback).
 */
#include "../support/qasmt.h"
#include "../support/ref.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define HEAD "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

static qs_program *compile(const char *text, unsigned flags)
{
    qs_circuit *c = qt_parse(text, 0);
    qs_program *p;
    cr_assert_eq(qs_program_compile(c, flags, &p), QS_OK, "%s", qs_last_error());
    qs_circuit_destroy(c);
    return p;
}

Test(dynamic, terminal_measurements_are_deferred)
{
    qs_program *p = compile(HEAD "qreg q[4];\ncreg a[1];\ncreg b[1];\ncreg c[1];\ncreg d[1];\n"
                                 "h q;\nmeasure q[0] -> a[0];\n"
                                 "barrier q;\n"                     /* does not count */
                                 "measure q[1] -> b[0];\nx q[1];\n" /* acted on later */
                                 "measure q[2] -> c[0];\nif(c==1) x q[3];\n" /* read later */
                                 "measure q[3] -> d[0];\nmeasure q[3] -> d[0];\n",
                            QS_COMPILE_DEFER_MEASURE);
    /* Terminal: q0 -> a[0] (bit 0) and the last q3 -> d[0] (bit 3). */
    cr_assert_eq(qs_program_num_deferred(p), 2);
    int q, b;
    cr_assert_eq(qs_program_deferred(p, 0, &q, &b), QS_OK);
    cr_assert(q == 0 && b == 0);
    qs_program_deferred(p, 1, &q, &b);
    cr_assert(q == 3 && b == 3);
    cr_assert_eq(qs_program_deferred(p, 2, &q, &b), QS_ERANGE);
    cr_assert(qs_program_is_dynamic(p));
    qs_program_destroy(p);
    p = compile(HEAD "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n",
                QS_COMPILE_DEFER_MEASURE);
    cr_assert(!qs_program_is_dynamic(p), "only terminal measurements: runs once");
    cr_assert_eq(qs_program_num_deferred(p), 2);
    qs_program_destroy(p);
    p = compile(HEAD "qreg q[1];\ncreg c[1];\nmeasure q -> c;\n", 0);
    cr_assert(qs_program_is_dynamic(p) && qs_program_num_deferred(p) == 0);
    qs_program_destroy(p);
}

typedef struct seen {
    double p[8];
    unsigned bits[8];
    int n;
} seen;

static qs_status record(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    seen *x = ctx;
    cr_assert_lt(x->n, 8);
    double norm;
    qs_state_norm2(s, &norm);
    cr_assert(fabs(norm - 1) < 1e-12, "branch states are normalised");
    x->p[x->n] = prob;
    x->bits[x->n++] = bits[0] | bits[1] << 1;
    return QS_OK;
}

Test(dynamic, enumeration_follows_every_random_outcome)
{
    qs_program *p = compile(HEAD "qreg q[2];\ncreg c[2];\nry(1.2) q[0];\nmeasure q[0] -> c[0];\n"
                                 "if(c==1) x q[1];\nreset q[0];\nx q[0];\nmeasure q[0] -> c[1];\n"
                                 "h q[1];\n",
                            QS_COMPILE_DEFER_MEASURE);
    qs_state *s;
    qs_state_create(2, 0, &s);
    seen x = {0};
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 16, s, record, &x), QS_OK, "%s",
                 qs_last_error());
    /* Two branches (the reset and c[1] are then certain). */
    cr_assert_eq(x.n, 2);
    double p1 = sin(0.6) * sin(0.6);
    for (int i = 0; i < 2; i++) {
        double want = x.bits[i] & 1 ? p1 : 1 - p1;
        cr_assert(fabs(x.p[i] - want) < 1e-14, "branch %d: %g", i, x.p[i]);
        cr_assert_eq(x.bits[i] >> 1, 0, "the last measurement is deferred");
    }
    /* Too many branches, pruning, and a failing callback. */
    qs_state_set_basis(s, 0);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 1, s, record, &x), QS_ETOOBIG);
    cr_assert(strstr(qs_last_error(), "more than 1 measurement branches"), "%s", qs_last_error());
    x.n = 0;
    qs_state_set_basis(s, 0);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 0.5, 16, s, record, &x), QS_OK);
    cr_assert_eq(x.n, 1, "the branch below min_prob is dropped");
    qs_state_destroy(s);
    qs_program_destroy(p);
}

Test(dynamic, dropped_branches_count_toward_the_limit, .timeout = 20)
{
    /* 100 coin flips: every path is dropped below min_prob after ~47 of
     * them, so no path reaches the end; the limit must still stop it. */
    char text[4096], *t = text;
    t += sprintf(t, HEAD "qreg q[1];\ncreg c[1];\n");
    for (int k = 0; k < 100; k++)
        t += sprintf(t, "h q[0];\nmeasure q[0] -> c[0];\n");
    sprintf(t, "x q[0];\n");
    qs_program *p = compile(text, QS_COMPILE_DEFER_MEASURE);
    qs_state *s;
    qs_state_create(1, 0, &s);
    seen x = {0};
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 64, s, record, &x), QS_ETOOBIG);
    cr_assert_eq(x.n, 0);
    qs_state_destroy(s);
    qs_program_destroy(p);
}

static qs_status refuse(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    return QS_ECALLBACK;
}

Test(dynamic, a_failing_callback_stops_the_enumeration)
{
    qs_program *p = compile(HEAD "qreg q[1];\ncreg c[1];\nh q;\nmeasure q -> c;\nh q;\n", 0);
    qs_state *s;
    qs_state_create(1, 0, &s);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 0, 4, s, refuse, NULL), QS_ECALLBACK);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, -1, 4, s, refuse, NULL), QS_EINVAL);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 0, 4, s, NULL, NULL), QS_EINVAL);
    qs_state_destroy(s);
    qs_program_destroy(p);
}

/* |count/n - p| within 5 standard deviations. */
static void near(size_t count, size_t n, double p, const char *what)
{
    double sd = sqrt(p * (1 - p) / (double)n) + 1e-12;
    cr_assert(fabs((double)count / (double)n - p) < 5 * sd, "%s: %zu of %zu, p = %g", what, count,
              n, p);
}

Test(dynamic, shots_follow_the_exact_distribution)
{
    /* local_dynamic has five branches; its exact outcome distribution
     * comes from enumeration (checked against the reference elsewhere). */
    char *text = qt_read_file(ref_shared("conformance/circuits/local_dynamic.qasm"));
    qs_program *p = compile(text, QS_COMPILE_DEFER_MEASURE);
    free(text);
    size_t shots = 40000;
    uint64_t *rows = malloc(shots * sizeof *rows);
    qs_state *s;
    qs_rng *rng;
    qs_state_create(4, 0, &s);
    qs_rng_create(11, &rng);
    cr_assert_eq(qs_program_sample(p, NULL, 0, shots, s, rng, rows), QS_OK, "%s", qs_last_error());
    size_t count[32] = {0};
    for (size_t i = 0; i < shots; i++) {
        cr_assert_lt(rows[i], 32);
        count[rows[i]]++;
    }
    /* Reference (refs/local_dynamic.json), key "out m" = bits out<<2 | m. */
    static const struct { unsigned bits; double p; } want[] = {
        {0x00, 0.3809407583083714}, {0x04, 0.060269788512750784}, {0x07, 0.02939472658943894},
        {0x09, 0.3809407583083713}, {0x0A, 0.029394726589438962}, {0x0D, 0.06026978851275077},
        {0x0E, 0.029394726589438952}, {0x13, 0.029394726589438952},
    };
    double total = 0;
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        near(count[want[i].bits], shots, want[i].p, "outcome");
        total += want[i].p;
    }
    cr_assert(fabs(total - 1) < 1e-12);
    /* The same seed gives the same shots. */
    uint64_t *again = malloc(shots * sizeof *again);
    qs_rng_seed(rng, 11);
    qs_state_set_basis(s, 0);
    qs_program_sample(p, NULL, 0, shots, s, rng, again);
    cr_assert(!memcmp(rows, again, shots * sizeof *rows));
    free(again);
    free(rows);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
}

Test(dynamic, many_random_outcomes_fall_back_to_one_run_per_shot)
{
    /* 70 random measurements of one qubit into 70 bits (two words per
     * shot): more pending branches than kept, so part of the shots run
     * one by one.  Each bit is 1 with probability sin^2(0.25). */
    size_t cap = 1 << 14;
    char *text = malloc(cap), *t = text;
    t += sprintf(t, HEAD "qreg q[1];\ncreg c[70];\n");
    for (int k = 0; k < 70; k++)
        t += sprintf(t, "ry(0.5) q[0];\nmeasure q[0] -> c[%d];\nreset q[0];\n", k);
    qs_program *p = compile(text, QS_COMPILE_DEFER_MEASURE);
    free(text);
    size_t shots = 4000;
    uint64_t *rows = malloc(shots * 2 * sizeof *rows);
    qs_state *s;
    qs_rng *rng;
    qs_state_create(1, 0, &s);
    qs_rng_create(5, &rng);
    cr_assert_eq(qs_program_sample(p, NULL, 0, shots, s, rng, rows), QS_OK, "%s", qs_last_error());
    double p1 = sin(0.25) * sin(0.25);
    size_t ones[70] = {0};
    for (size_t i = 0; i < shots; i++) {
        cr_assert_eq(rows[2 * i + 1] >> 6, 0, "bits past 70 stay 0");
        for (int k = 0; k < 70; k++)
            ones[k] += rows[2 * i + k / 64] >> (k % 64) & 1;
    }
    for (int k = 0; k < 70; k++)
        near(ones[k], shots, p1, "bit");
    free(rows);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
}

typedef struct tally {
    size_t n;
    double p;
} tally;

static qs_status count_path(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    (void)s;
    (void)bits;
    tally *t = ctx;
    t->n++;
    t->p += prob;
    return QS_OK;
}

Test(dynamic, a_register_measurement_is_refused_before_its_branches)
{
    /* measuring a register of k qubits is up to 2^k branches: counted
     * from its joint distribution before the first one runs (a 20-qubit
     * register ran 4096 paths, minutes, before the limit stopped it) */
    qs_program *p = compile(HEAD "qreg q[5];\ncreg c[5];\nh q;\nmeasure q -> c;\nh q;\n"
                            "measure q -> c;\n", QS_COMPILE_DEFER_MEASURE);
    qs_state *s;
    qs_state_create(5, 0, &s);
    tally t = {0, 0};
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 31, s, count_path, &t), QS_ETOOBIG);
    cr_assert_eq(t.n, 0, "refused before any path ran (%zu did)", t.n);
    cr_assert(strstr(qs_last_error(), "the measurement at line 6 of 5 qubits has at least 32 "
                     "possible outcomes, more than the limit of 31"), "%s", qs_last_error());
    qs_state_set_basis(s, 0);
    cr_assert_eq(qs_program_enumerate(p, NULL, 0, 1e-14, 32, s, count_path, &t), QS_OK, "%s",
                 qs_last_error());
    cr_assert_eq(t.n, 32);
    cr_assert(fabs(t.p - 1) < 1e-12, "%g", t.p);
    qs_state_destroy(s);
    qs_program_destroy(p);
}

/* ASan's quarantine keeps freed memory resident: peak RSS says nothing. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static long max_rss_kib(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

Test(dynamic, shots_keep_few_state_copies_pending)
{
    /* pending copies are bounded by a quarter of the memory available: with
     * 64 MiB, one copy of a 20-qubit state (16 MiB), and the rest of a
     * subtree runs shot by shot.  A register measured mid-circuit kept a
     * copy per split (about log2(shots) of them: 5 here, 24 of 256 MiB for
     * 24 qubits and 10^6 shots). */
    setenv("QSIM_MEMORY_LIMIT", "64M", 1);
    char text[1024], *t = text;
    t += sprintf(t, HEAD "qreg q[20];\ncreg c[8];\nh q;\n");
    for (int k = 0; k < 8; k++)
        t += sprintf(t, "measure q[%d] -> c[%d];\n", k, k);
    sprintf(t, "x q;\n");
    qs_program *p = compile(text, QS_COMPILE_DEFER_MEASURE);
    qs_state *s;
    qs_rng *rng;
    cr_assert_eq(qs_state_create(20, 0, &s), QS_OK, "%s", qs_last_error());
    qs_rng_create(3, &rng);
    size_t shots = 32;
    uint64_t rows[32];
    long before = max_rss_kib();
    cr_assert_eq(qs_program_sample(p, NULL, 0, shots, s, rng, rows), QS_OK, "%s",
                 qs_last_error());
    long grew = max_rss_kib() - before;
    if (UNDER_ASAN)
        cr_log_info("under ASan the peak memory is not checked (grew by %ld KiB)", grew);
    else
        cr_assert_lt(grew, 4 * 16384, "peak memory grew by %ld KiB (a copy is 16384)", grew);
    /* every row is 8 fair coins: the mean count of ones is near 4 */
    double ones = 0;
    for (size_t i = 0; i < shots; i++)
        ones += __builtin_popcountll(rows[i]);
    cr_assert(fabs(ones / (double)shots - 4) < 1.5, "%g", ones / (double)shots);
    qs_rng_destroy(rng);
    qs_state_destroy(s);
    qs_program_destroy(p);
}
