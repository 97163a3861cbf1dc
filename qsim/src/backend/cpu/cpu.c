/*
 * cpu.c - the generic CPU backend: portable C kernels with OpenMP, always
 * available.  Storage is one aligned block, first touched in parallel with
 * the same static split the kernels use.
 */
#include "config.h"
#include "backend/cpu/cpu.h"
#include "core/mem.h"

static int cpu_available(void) { return 1; }

static const qs__kernels *cpu_kernels(int f32)
{
    return f32 ? &qs__cpu_kernels_f32 : &qs__cpu_kernels_f64;
}

qs_status qs__cpu_alloc(qs__sv *sv)
{
    size_t bytes = (size_t)sv->len * 2 * (sv->f32 ? sizeof(float) : sizeof(double));
    sv->amps = qs__alloc_aligned(bytes);
    if (!sv->amps)
        return QS_ENOMEM;
    sv->be_data = NULL;
    return QS_OK;
}

void qs__cpu_free(qs__sv *sv)
{
    qs__cpu_qft_free(sv);
    qs__free_aligned(sv->amps);
    sv->amps = NULL;
}

const qs__backend qs__backend_cpu = {
    .name = "cpu",
    .host_memory = 1,
    .available = cpu_available,
    .kernels = cpu_kernels,
    .alloc = qs__cpu_alloc,
    .free = qs__cpu_free,
    .qft = qs__cpu_qft,
    .blocked_run = qs__cpu_blocked_run,
};

const qs__kernels *qs__host_kernels(const qs__backend *be)
{
    return be->host_memory ? be->kernels(0) : &qs__cpu_kernels_f64;
}
