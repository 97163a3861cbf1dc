/*
 * cpu_f32.c - the generic CPU kernels instantiated for float amplitudes.
 * The kernel bodies are in k_gates.h, k_state.h, k_reduce.h and k_values.h.
 */
#include "config.h"
#include "backend/backend.h"
#include "backend/cpu/cpu.h"
#include "backend/cpu/parfor.h"
#include "backend/simplify.h"
#include "core/bits.h"

#include <math.h>
#include <string.h>

#define R float
#include "backend/cpu/k_gates.h"
#include "backend/cpu/k_state.h"
#include "backend/cpu/k_reduce.h"
#include "backend/cpu/k_values.h"
#include "backend/cpu/k_psum.h"
#undef R

const qs__kernels qs__cpu_kernels_f32 = {
    .dense = k_dense,
    .diag = k_diag,
    .perm = k_perm,
    .pauli = k_pauli,
    .scale = k_scale,
    .axpy = k_axpy,
    .set_basis = k_set_basis,
    .set_const = k_set_const,
    .get_amps = k_get_amps,
    .set_amps = k_set_amps,
    .copy_from = k_copy_from,
    .norm2 = k_norm2,
    .inner = k_inner,
    .overlap_op = k_overlap_op,
    .prob_mask = k_prob_mask,
    .probs = k_probs,
    .marginal = k_marginal,
    .collapse = k_collapse,
    .expect = k_expect,
    .apply_pgroups = k_apply_pgroups,
    .sample_sorted = k_sample_sorted,
    .diag_real = k_diag_real,
    .expect_diag_real = k_expect_diag_real,
};
