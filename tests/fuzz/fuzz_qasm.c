/*
 * fuzz_qasm.c - libFuzzer target for the OpenQASM front end.
 *
 * Every input is parsed (in strict mode when it starts with '!').  A
 * program that parses must also: write to OpenQASM, parse back, and write
 * to the same text again; and, when small, compile and run (exactly
 * through its measurement branches when it has them).  Any crash, leak,
 * sanitizer report or broken round trip is a finding.  The fuzzing build
 * refuses file includes (QQ_FUZZING) so inputs cannot read the machine.
 */
#include <qsim/qsim.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *write_text(const qs_circuit *c, unsigned flags)
{
    size_t n = 0;
    qs_status st = qs_circuit_write_qasm(c, flags, NULL, 0, &n);
    if (st == QS_EUNSUPPORTED)
        return NULL;   /* not writable (e.g. an infinite argument): fine */
    if (st != QS_OK && st != QS_ERANGE) {
        fprintf(stderr, "write failed: %s\n", qs_last_error());
        abort();
    }
    char *buf = malloc(n + 1);
    if (qs_circuit_write_qasm(c, flags, buf, n + 1, &n) != QS_OK) {
        fprintf(stderr, "write failed the second time: %s\n", qs_last_error());
        abort();
    }
    return buf;
}

static void round_trip(const qs_circuit *c, unsigned flags)
{
    char *t1 = write_text(c, flags);
    if (!t1)
        return;
    qs_circuit *back = NULL;
    if (qs_circuit_parse_string(t1, "export", 0, &back) != QS_OK) {
        fprintf(stderr, "the export does not parse: %s\n%s\n", qs_last_error(), t1);
        abort();
    }
    char *t2 = write_text(back, flags);
    if (!t2 || strcmp(t1, t2) != 0) {
        fprintf(stderr, "the export changed on the way back:\n%s\n---\n%s\n", t1, t2 ? t2 : "");
        abort();
    }
    free(t1);
    free(t2);
    qs_circuit_destroy(back);
}

static qs_status count(void *ctx, double prob, const qs_state *s, const unsigned char *bits)
{
    (void)prob, (void)s, (void)bits;
    ++*(int *)ctx;
    return QS_OK;
}

static void run(const qs_circuit *c)
{
    int nq = qs_circuit_num_qubits(c), np = qs_circuit_num_params(c);
    if (nq < 1 || nq > 6 || qs_circuit_num_ops(c) > 2000)
        return;
    qs_program *p;
    qs_state *s;
    qs_rng *rng;
    if (qs_program_compile(c, QS_COMPILE_DEFER_MEASURE, &p) != QS_OK)
        abort();
    double params[64];
    for (int i = 0; i < np && i < 64; i++)
        params[i] = 0.1 * (i + 1);
    if (np <= 64 && qs_state_create(nq, 0, &s) == QS_OK && qs_rng_create(1, &rng) == QS_OK) {
        int leaves = 0;
        uint64_t rows[16 * 4];
        if (qs_circuit_num_clbits(c) <= 256)
            qs_program_sample(p, params, (size_t)np, 16, s, rng, rows);
        qs_state_set_basis(s, 0);
        qs_program_enumerate(p, params, (size_t)np, 1e-14, 64, s, count, &leaves);
        qs_rng_destroy(rng);
        qs_state_destroy(s);
    }
    qs_program_destroy(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = data[0] == '!' ? QS_PARSE_STRICT : 0;
    if (flags) {
        data++;
        size--;
    }
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    qs_circuit *c = NULL;
    qs_status st = qs_circuit_parse_string(text, "fuzz", flags, &c);
    if (st == QS_OK) {
        round_trip(c, 0);
        round_trip(c, QS_QASM_3);
        run(c);
        qs_circuit_destroy(c);
    } else if (c != NULL || !qs_last_error()[0]) {
        abort();   /* a failure leaves no circuit and says why */
    }
    free(text);
    return 0;
}
