/*
 * k_qft_four.h - the four-step QFT (template: k_qft_fftw.c includes it once
 * for double and once for float, with QR the real type, QC the complex
 * type, QF(x) FFTW's names for it and QN(x) this file's).  See k_qft_fftw.c for the method.
 */

/* Step 1 on columns [lo, hi) of chunks: gather B columns into the
 * thread's buffer, length-N2 DFTs there, twiddle (and 1/sqrt(N)) on the
 * way back. */
static void QN(step1)(void *vctx, int thread, uint64_t lo, uint64_t hi)
{
    const four_run *r = vctx;
    const four *f = r->f;
    QC *a = r->amps, *buf = f->buf[thread];
    const uint64_t chunks = (f->N1 * f->F) / f->B, N1F = f->N1 * f->F, lom = f->N2 - 1;
    for (uint64_t it = lo; it < hi; it++) {
        const uint64_t h = it / chunks, c0 = (it % chunks) * f->B;
        QC *base = a + f->S * h + c0;
        for (uint64_t k = 0; k < f->N2; k++) {
            const QR *src = (const QR *)(base + k * N1F);
            QR *dst = (QR *)(buf + k * f->B);
            for (uint64_t c = 0; c < 2 * f->B; c++)
                dst[c] = src[c];
        }
        QF(execute_dft)(f->p1, buf, buf);
        for (uint64_t k = 0; k < f->N2; k++) {
            const QR *in = (const QR *)(buf + k * f->B);
            QR *out = (QR *)(base + k * N1F);
            for (uint64_t c = 0; c < f->B; c++) {
                const uint64_t m = ((c0 + c) >> f->first) * k;
                const double *wh = f->tw_hi + 2 * (m >> f->c2), *wl = f->tw_lo + 2 * (m & lom);
                const double wr = wh[0] * wl[0] - wh[1] * wl[1], wi = wh[0] * wl[1] + wh[1] * wl[0];
                const double xr = in[2 * c], xi = in[2 * c + 1];
                out[2 * c] = (QR)(xr * wr - xi * wi);
                out[2 * c + 1] = (QR)(xr * wi + xi * wr);
            }
        }
    }
}

/* Step 2 on rows [lo, hi): each a contiguous block of N1 x F amplitudes,
 * length-N1 DFTs in place. */
static void QN(step2)(void *vctx, int thread, uint64_t lo, uint64_t hi)
{
    (void)thread;
    const four_run *r = vctx;
    const four *f = r->f;
    QC *a = r->amps;
    for (uint64_t it = lo; it < hi; it++) {
        QC *row = a + f->S * (it / f->N2) + f->N1 * f->F * (it % f->N2);
        QF(execute_dft)(f->p2, row, row);
    }
}

/* Swaps units (of F amplitudes) u and v. */
static inline void QN(swap_units)(QC *u, QC *v, uint64_t F)
{
    for (uint64_t i = 0; i < F; i++) {
        QR *x = (QR *)(u + i), *y = (QR *)(v + i);
        QR t0 = x[0], t1 = x[1];
        x[0] = y[0];
        x[1] = y[1];
        y[0] = t0;
        y[1] = t1;
    }
}

/* Step 3: transposes the Q x Q matrix of units (row stride R units) of
 * each block, tile row I with tile row nt-1-I (equal work per item). */
static void QN(step3)(void *vctx, int thread, uint64_t lo, uint64_t hi)
{
    (void)thread;
    const four_run *r = vctx;
    const four *f = r->f;
    const uint64_t Q = f->N1, T = FOUR_TILE, nt = Q / T, half = nt / 2;
    const uint64_t R = f->odd ? 2 * Q : Q, nb = f->odd ? 2 : 1, per = half * nb, F = f->F;
    for (uint64_t it = lo; it < hi; it++) {
        const uint64_t h = it / per, b = (it % per) / half, I0 = it % half;
        QC *m = (QC *)r->amps + f->S * h + F * Q * b;
        for (int side = 0; side < 2; side++) {
            const uint64_t I = side ? nt - 1 - I0 : I0;
            for (uint64_t J = I; J < nt; J++)
                for (uint64_t u = I * T; u < (I + 1) * T; u++)
                    for (uint64_t v = (I == J ? u + 1 : J * T); v < (J + 1) * T; v++)
                        QN(swap_units)(m + F * (u + R * v), m + F * (v + R * u), F);
        }
    }
}

/* Step 3 for odd counts, after the transpose: in each block of 2 x N1
 * units, unit i + N1 b goes to 2i + b (through the thread's buffer). */
static void QN(step3_odd)(void *vctx, int thread, uint64_t lo, uint64_t hi)
{
    const four_run *r = vctx;
    const four *f = r->f;
    const uint64_t Q = f->N1, F = f->F;
    QC *tmp = f->buf[thread];
    for (uint64_t it = lo; it < hi; it++) {
        QC *blk = (QC *)r->amps + f->S * (it / Q) + 2 * Q * F * (it % Q);
        memcpy(tmp, blk, sizeof(QC) * 2 * Q * F);
        for (uint64_t i = 0; i < Q; i++)
            for (uint64_t b = 0; b < 2; b++)
                memcpy(blk + F * (2 * i + b), tmp + F * (i + Q * b), sizeof(QC) * F);
    }
}

static void *QN(plan1)(const four *f, int sign)
{
    fftw_iodim d = {.n = (int)f->N2, .is = (int)f->B, .os = (int)f->B};
    fftw_iodim hm = {.n = (int)f->B, .is = 1, .os = 1};
    return QF(plan_guru_dft)(1, (const void *)&d, 1, (const void *)&hm, f->buf[0], f->buf[0],
                             sign, FFTW_ESTIMATE);
}

static void *QN(plan2)(const four *f, QC *row, int sign)
{
    fftw_iodim d = {.n = (int)f->N1, .is = (int)f->F, .os = (int)f->F};
    fftw_iodim hm = {.n = (int)f->F, .is = 1, .os = 1};
    return QF(plan_guru_dft)(1, (const void *)&d, f->F > 1, (const void *)&hm, row, row, sign,
                             FFTW_ESTIMATE);
}

static void QN(run)(four *f, QC *amps)
{
    four_run r = {.f = f, .amps = amps};
    qs__parfor_tasks(f->H * (f->N1 * f->F / f->B), f->threads, QN(step1), &r);
    qs__parfor_tasks(f->H * f->N2, f->threads, QN(step2), &r);
    qs__parfor_tasks(f->H * (f->odd ? 2 : 1) * (f->N1 / FOUR_TILE / 2), f->threads, QN(step3), &r);
    if (f->odd)
        qs__parfor_tasks(f->H * f->N1, f->threads, QN(step3_odd), &r);
}
