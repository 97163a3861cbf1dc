/*
 * fuzz_ckpt.c - libFuzzer target for the CLI's checkpoint reader
 * (hybrid/cli/ckpt.c): any file given to --resume, and an optimizer
 * resumed from its "opt" entry the way run_minimize does.
 */
#include "fuzz_file.h"

#include "run.h"

static qs_status quad(void *ctx, const double *x, double *f, double *g)
{
    size_t n = *(const size_t *)ctx;
    *f = 0;
    for (size_t i = 0; i < n; i++) {
        *f += (x[i] - 0.5) * (x[i] - 0.5);
        if (g)
            g[i] = 2 * (x[i] - 0.5);
    }
    return QS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    ckpt *c = ckpt_read(fuzz_file(data, size), err, sizeof err);
    if (!c) {
        if (!err[0])
            abort();
        return 0;
    }
    size_t n;
    const double *opt = ckpt_get(c, "opt", &n);
    /* the optimizer's size is its header's 4th value; the file may lie */
    size_t nv = opt && n > 3 && opt[3] >= 1 && opt[3] <= 16 ? (size_t)opt[3] : 2;
    for (int t = 0; opt && qh_optimizer_type_at(t); t++) {
        qh_optimizer *o;
        if (qh_optimizer_alloc(qh_optimizer_type_at(t), nv, &o) != QS_OK)
            abort();
        qh_optimizer_set_stop(o, 50, 0, 0);
        if (qh_optimizer_resume(o, quad, &nv, opt, n) == QS_OK)
            qh_optimizer_run(o, NULL, NULL, NULL);
        qh_optimizer_free(o);
    }
    ckpt_free(c);
    return 0;
}
