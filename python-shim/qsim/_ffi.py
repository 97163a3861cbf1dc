"""ctypes signatures for every public function of libqsim and libqsimhybrid.

Each entry names the function, its result and its arguments.  Functions
whose result is a status get an ``errcheck`` that raises the matching
exception (see errors.py) carrying ``qs_last_error()``, which is per thread
and read on the thread that made the call, right after it; parse errors
also carry ``qs_last_error_location()``.  Buffers are passed as ``c_void_p``
(the classes pass numpy arrays' addresses after checking their dtype and
size, or small ctypes arrays), handles as ``c_void_p``.  ctypes releases the
GIL around every call, so two Python threads can be inside the library at
once (on different handles).

``C`` holds the functions of both libraries (``C.qs_state_create``,
``C.qh_objective_value``); the callback types the headers define are
``TASK_FN``, ``BRANCH_FN``, ``FDF``, ``METRIC_FN`` and ``ITER_FN``.
"""

import ctypes
import re
from ctypes import (CFUNCTYPE, POINTER, c_char_p, c_double, c_int, c_size_t, c_ubyte, c_uint,
                    c_uint64, c_void_p)

from . import _lib
from .errors import error_for

STATUS = "status"   # marker: returns qs_status, checked
H = c_void_p        # an opaque handle
P = c_void_p        # a buffer address
OUT = POINTER(c_void_p)
INT = POINTER(c_int)
DBL = POINTER(c_double)
SIZE = POINTER(c_size_t)
STR = POINTER(c_char_p)


# The callback types of the headers.
TASK_FN = CFUNCTYPE(c_int, c_void_p, c_size_t, c_int)                 # qs_task_fn
BRANCH_FN = CFUNCTYPE(c_int, c_void_p, c_double, c_void_p, POINTER(c_ubyte))  # qs_branch_fn
FDF = CFUNCTYPE(c_int, c_void_p, DBL, DBL, DBL)                       # qh_fdf
METRIC_FN = CFUNCTYPE(c_int, c_void_p, DBL, DBL)                      # qh_metric_fn
ITER_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)                        # qh_iter_fn

# name: (result, [arguments])
SIGNATURES = {
    # version, errors, threads, backends
    "qs_version_number": (c_int, []),
    "qs_version": (c_char_p, []),
    "qs_strerror": (c_char_p, [c_int]),
    "qs_status_name": (c_char_p, [c_int]),
    "qs_last_error": (c_char_p, []),
    "qs_clear_error": (None, []),
    "qs_last_warning": (c_char_p, []),
    # variadic: called with a format without conversions (see _callback.py)
    "qs_set_error": (c_int, [c_int, c_char_p, c_char_p]),
    "qs_last_error_location": (c_int, [STR, INT, INT, STR]),
    "qs_set_num_threads": (STATUS, [c_int]),
    "qs_get_num_threads": (c_int, []),
    "qs_backend_default": (c_char_p, []),
    "qs_backend_select": (STATUS, [c_char_p]),
    "qs_backend_name": (c_char_p, [c_int]),
    "qs_backend_available": (c_int, [c_int]),
    "qs_cost_model_calibrate": (STATUS, [c_char_p]),
    "qs_cost_model_source": (c_char_p, []),
    "qs_parallel_for": (STATUS, [c_size_t, c_int, TASK_FN, c_void_p]),
    "qs_parallel_threads": (c_int, [c_size_t, c_int]),
    # random numbers
    "qs_rng_create": (STATUS, [c_uint64, OUT]),
    "qs_rng_destroy": (None, [H]),
    "qs_rng_seed": (STATUS, [H, c_uint64]),
    "qs_rng_uniform": (STATUS, [H, DBL]),
    # states
    "qs_state_create": (STATUS, [c_int, c_uint, OUT]),
    "qs_state_destroy": (None, [H]),
    "qs_state_copy": (STATUS, [H, OUT]),
    "qs_state_assign": (STATUS, [H, H]),
    "qs_state_num_qubits": (c_int, [H]),
    "qs_state_flags": (c_uint, [H]),
    "qs_state_backend": (c_char_p, [H]),
    # distributed states (MPI): comm is the address of an MPI_Comm or None
    "qs_state_create_distributed": (STATUS, [c_int, c_uint, c_void_p, OUT]),
    "qs_state_num_ranks": (c_int, [H]),
    "qs_state_comm_stats": (STATUS, [H, P]),
    "qs_mpi_enabled": (c_int, []),
    "qs_state_set_basis": (STATUS, [H, c_uint64]),
    "qs_state_set_uniform": (STATUS, [H]),
    "qs_state_set_random": (STATUS, [H, H]),
    "qs_state_get_amps": (STATUS, [H, c_uint64, c_uint64, P]),
    "qs_state_set_amps": (STATUS, [H, c_uint64, c_uint64, P]),
    "qs_state_data": (STATUS, [H, OUT]),
    "qs_state_norm2": (STATUS, [H, DBL]),
    "qs_state_normalize": (STATUS, [H]),
    "qs_state_inner": (STATUS, [H, H, P]),
    "qs_state_fidelity": (STATUS, [H, H, DBL]),
    "qs_state_scale": (STATUS, [H, P]),
    "qs_state_axpy": (STATUS, [H, P, H]),
    # gates
    "qs_gate_lookup": (STATUS, [c_char_p, INT]),
    "qs_gate_name": (c_char_p, [c_int]),
    "qs_gate_num_qubits": (c_int, [c_int]),
    "qs_gate_num_controls": (c_int, [c_int]),
    "qs_gate_num_params": (c_int, [c_int]),
    "qs_gate_matrix": (STATUS, [c_int, P, P]),
    "qs_state_apply_gate": (STATUS, [H, c_int, P, P]),
    "qs_state_apply_controlled_gate": (STATUS, [H, P, P, c_int, c_int, P, P]),
    "qs_state_apply_matrix": (STATUS, [H, P, c_int, P, P, c_int, P]),
    "qs_state_apply_diagonal": (STATUS, [H, P, c_int, P, P, c_int, P]),
    "qs_state_apply_permutation": (STATUS, [H, P, c_int, P, P, c_int, P, P]),
    "qs_state_apply_pauli_rotation": (STATUS, [H, P, c_char_p, c_int, c_double]),
    "qs_state_apply_pauli": (STATUS, [H, P, c_char_p, c_int]),
    "qs_state_apply_global_phase": (STATUS, [H, c_double]),
    "qs_state_apply_diagonal_exp": (STATUS, [H, P, c_double]),
    "qs_state_apply_real_diagonal": (STATUS, [H, P]),
    "qs_state_apply_qft": (STATUS, [H, c_int, c_int, c_uint]),
    # probabilities, measurement, sampling
    "qs_state_prob_one": (STATUS, [H, c_int, DBL]),
    "qs_state_probabilities": (STATUS, [H, P]),
    "qs_state_marginal": (STATUS, [H, P, c_int, P]),
    "qs_state_measure": (STATUS, [H, P, c_int, H, POINTER(c_uint64), DBL]),
    "qs_state_collapse": (STATUS, [H, P, c_int, c_uint64, DBL]),
    "qs_state_reset": (STATUS, [H, P, c_int, H]),
    "qs_state_sample": (STATUS, [H, P, c_int, c_size_t, H, P]),
    # Pauli sums
    "qs_pauli_sum_create": (STATUS, [c_int, OUT]),
    "qs_pauli_sum_destroy": (None, [H]),
    "qs_pauli_sum_copy": (STATUS, [H, OUT]),
    "qs_pauli_sum_add_term": (STATUS, [H, c_double, c_char_p]),
    "qs_pauli_sum_add": (STATUS, [H, c_double, P, c_char_p, c_int]),
    "qs_pauli_sum_read": (STATUS, [c_char_p, OUT]),
    "qs_pauli_sum_parse": (STATUS, [c_char_p, c_char_p, OUT]),
    "qs_pauli_sum_num_qubits": (c_int, [H]),
    "qs_pauli_sum_num_terms": (c_size_t, [H]),
    "qs_pauli_sum_term": (STATUS, [H, c_size_t, DBL, c_char_p, c_size_t]),
    "qs_pauli_sum_header": (c_char_p, [H, c_char_p]),
    "qs_state_expect": (STATUS, [H, H, DBL]),
    "qs_state_expect_pauli": (STATUS, [H, P, c_char_p, c_int, DBL]),
    "qs_state_expect_diagonal": (STATUS, [H, P, DBL]),
    "qs_pauli_sum_apply": (STATUS, [H, H, H]),
    "qs_pauli_sum_passes": (STATUS, [H, c_int, c_uint, SIZE]),
    # exact references
    "qs_pauli_sum_eigensolve": (STATUS, [H, c_int, c_uint, P, P]),
    "qs_pauli_sum_matrix": (STATUS, [H, P]),
    "qs_pauli_sum_eigensolve_sector": (STATUS, [H, c_int, P, P, c_int, P]),
    # circuits
    "qs_circuit_create": (STATUS, [c_int, c_int, OUT]),
    "qs_circuit_destroy": (None, [H]),
    "qs_circuit_copy": (STATUS, [H, OUT]),
    "qs_circuit_num_qubits": (c_int, [H]),
    "qs_circuit_num_clbits": (c_int, [H]),
    "qs_circuit_num_ops": (c_size_t, [H]),
    "qs_circuit_num_qregs": (c_int, [H]),
    "qs_circuit_num_cregs": (c_int, [H]),
    "qs_circuit_qreg": (STATUS, [H, c_int, STR, INT, INT]),
    "qs_circuit_creg": (STATUS, [H, c_int, STR, INT, INT]),
    "qs_circuit_add_param": (STATUS, [H, c_char_p, INT]),
    "qs_circuit_num_params": (c_int, [H]),
    "qs_circuit_param_name": (c_char_p, [H, c_int]),
    "qs_circuit_param_index": (c_int, [H, c_char_p]),
    "qs_circuit_append_gate": (STATUS, [H, c_int, P, P]),
    "qs_circuit_append_gate_expr": (STATUS, [H, c_int, P, STR]),
    "qs_circuit_append_pauli_rotation": (STATUS, [H, P, c_char_p, c_int, c_char_p]),
    "qs_circuit_append_matrix": (STATUS, [H, P, c_int, P]),
    "qs_circuit_add_creg": (STATUS, [H, c_char_p, c_int, INT]),
    "qs_circuit_append_controlled_gate": (STATUS, [H, P, P, c_int, c_int, P, P]),
    "qs_circuit_append_controlled_gate_expr": (STATUS, [H, P, P, c_int, c_int, P, STR]),
    "qs_circuit_append_controlled_matrix": (STATUS, [H, P, P, c_int, P, c_int, P]),
    "qs_circuit_append_global_phase": (STATUS, [H, c_char_p]),
    "qs_circuit_append_diagonal_exp": (STATUS, [H, P, c_char_p]),
    "qs_circuit_append_qft": (STATUS, [H, c_int, c_int, c_uint]),
    "qs_circuit_append_measure": (STATUS, [H, c_int, c_int]),
    "qs_circuit_append_reset": (STATUS, [H, c_int]),
    "qs_circuit_append_barrier": (STATUS, [H, P, c_int]),
    "qs_circuit_set_condition": (STATUS, [H, c_int, c_int, c_uint64]),
    "qs_circuit_unitary": (STATUS, [H, P, c_size_t, P]),
    # programs
    "qs_program_compile": (STATUS, [H, c_uint, OUT]),
    "qs_program_destroy": (None, [H]),
    "qs_program_num_qubits": (c_int, [H]),
    "qs_program_num_clbits": (c_int, [H]),
    "qs_program_num_params": (c_int, [H]),
    "qs_program_is_dynamic": (c_int, [H]),
    "qs_program_num_deferred": (c_int, [H]),
    "qs_program_deferred": (STATUS, [H, c_int, INT, INT]),
    "qs_program_run": (STATUS, [H, P, c_size_t, H, H, P]),
    "qs_program_num_steps": (c_size_t, [H]),
    "qs_program_num_fused_ops": (c_size_t, [H]),
    "qs_program_step_flags": (c_uint, [H, c_size_t]),
    "qs_program_step_num_args": (c_int, [H, c_size_t]),
    "qs_program_step_args": (STATUS, [H, c_size_t, P, c_size_t, P]),
    "qs_program_step_arg_params": (STATUS, [H, c_size_t, c_int, P, c_int, INT]),
    "qs_program_step_arg_grad": (STATUS, [H, c_size_t, c_int, P, c_size_t, c_double, P]),
    "qs_program_step_arg_spectrum": (STATUS, [H, c_size_t, c_int, DBL, INT]),
    "qs_program_step_apply": (STATUS, [H, c_size_t, P, c_uint, H]),
    "qs_program_step_apply_derivative": (STATUS, [H, c_size_t, c_int, P, H]),
    "qs_program_run_range": (STATUS, [H, P, c_size_t, c_size_t, c_size_t, c_uint, H]),
    "qs_program_backprop": (STATUS, [H, P, c_size_t, H, H, H, P, P]),
    "qs_program_enumerate": (STATUS, [H, P, c_size_t, c_double, c_size_t, H, BRANCH_FN,
                                      c_void_p]),
    "qs_program_sample": (STATUS, [H, P, c_size_t, c_size_t, H, H, P]),
    # OpenQASM
    "qs_circuit_parse_file": (STATUS, [c_char_p, c_uint, OUT]),
    "qs_circuit_parse_string": (STATUS, [c_char_p, c_char_p, c_uint, OUT]),
    "qs_circuit_write_qasm": (STATUS, [H, c_uint, P, c_size_t, SIZE]),
    "qs_circuit_write_qasm_file": (STATUS, [H, c_char_p, c_uint]),
    # files: capped whole-file reads, atomic outputs (FILE * as c_void_p)
    "qs_memory_check": (STATUS, [c_uint64]),
    "qs_file_read": (STATUS, [c_char_p, c_size_t, OUT, SIZE]),
    "qs_stream_read": (STATUS, [c_void_p, c_char_p, c_size_t, OUT, SIZE]),
    "qs_free": (None, [c_void_p]),
    "qs_output_open": (STATUS, [c_char_p, OUT]),
    "qs_output_stream": (c_void_p, [H]),
    "qs_output_commit": (STATUS, [H]),
    "qs_output_discard": (None, [H]),
    # noise: channels, density matrices, trajectories, noise models
    "qs_channel_name": (c_char_p, [c_int]),
    "qs_channel_lookup": (STATUS, [c_char_p, INT]),
    "qs_channel_num_qubits": (c_int, [c_int]),
    "qs_channel_num_params": (c_int, [c_int]),
    "qs_channel_kraus": (STATUS, [c_int, P, INT, P]),
    "qs_kraus_check": (STATUS, [c_int, c_int, P, c_double]),
    "qs_kraus_superop": (STATUS, [c_int, c_int, P, P]),
    "qs_density_create": (STATUS, [c_int, c_uint, OUT]),
    "qs_density_destroy": (None, [H]),
    "qs_density_copy": (STATUS, [H, OUT]),
    "qs_density_num_qubits": (c_int, [H]),
    "qs_density_state": (H, [H]),
    "qs_density_set_pure": (STATUS, [H, H]),
    "qs_density_set_basis": (STATUS, [H, c_uint64]),
    "qs_density_set_mixed": (STATUS, [H]),
    "qs_density_set_matrix": (STATUS, [H, P]),
    "qs_density_get_matrix": (STATUS, [H, P]),
    "qs_density_apply_gate": (STATUS, [H, c_int, P, P]),
    "qs_density_apply_matrix": (STATUS, [H, P, c_int, P]),
    "qs_density_apply_channel": (STATUS, [H, c_int, P, P]),
    "qs_density_apply_kraus": (STATUS, [H, P, c_int, c_int, P]),
    "qs_density_trace": (STATUS, [H, DBL]),
    "qs_density_purity": (STATUS, [H, DBL]),
    "qs_density_fidelity_pure": (STATUS, [H, H, DBL]),
    "qs_density_probabilities": (STATUS, [H, P]),
    "qs_density_marginal": (STATUS, [H, P, c_int, P]),
    "qs_density_sample": (STATUS, [H, P, c_int, c_size_t, H, P]),
    "qs_density_measure": (STATUS, [H, P, c_int, H, POINTER(c_uint64), DBL]),
    "qs_density_expect": (STATUS, [H, H, DBL]),
    "qs_density_expect_state": (STATUS, [H, H, DBL]),
    "qs_density_expect_diagonal_state": (STATUS, [H, P, DBL]),
    "qs_density_reduced": (STATUS, [H, P, c_int, P]),
    "qs_density_entropy": (STATUS, [H, P, c_int, DBL]),
    "qs_circuit_append_channel": (STATUS, [H, c_int, P, P]),
    "qs_circuit_append_kraus": (STATUS, [H, P, c_int, c_int, P]),
    "qs_circuit_num_channels": (c_size_t, [H]),
    "qs_density_compile": (STATUS, [H, c_uint, OUT]),
    "qs_density_run": (STATUS, [H, P, c_size_t, H]),
    "qs_trajectories_run": (STATUS, [H, P, c_size_t, c_size_t, c_uint64, c_uint, P, H, P, P]),
    "qs_noise_model_read": (STATUS, [c_char_p, OUT]),
    "qs_noise_model_parse": (STATUS, [c_char_p, c_char_p, OUT]),
    "qs_noise_model_destroy": (None, [H]),
    "qs_noise_model_num_errors": (c_size_t, [H]),
    "qs_noise_model_apply": (STATUS, [H, H, OUT]),
    "qs_noise_model_readout": (STATUS, [H, c_int, P, INT]),
    "qs_noise_model_apply_readout": (STATUS, [H, P, c_int, c_size_t, H, P]),
}

HYBRID_SIGNATURES = {
    "qh_version": (c_char_p, []),
    # ranks (mpirun)
    "qh_comm_built": (c_int, []),
    "qh_comm_init": (STATUS, [c_void_p, c_void_p]),
    "qh_comm_set": (STATUS, [c_void_p]),
    "qh_comm_rank": (c_int, []),
    "qh_comm_size": (c_int, []),
    "qh_comm_agree": (c_int, [c_int, c_char_p]),
    "qh_comm_share_text": (STATUS, [c_void_p]),
    "qh_comm_failed": (c_int, []),
    "qh_comm_abort": (None, [c_int]),
    "qh_comm_finalize": (None, []),
    # gradients
    "qh_grad_method_name": (c_char_p, [c_int]),
    "qh_grad_method_lookup": (STATUS, [c_char_p, INT]),
    "qh_grad_adjoint": (STATUS, [H, P, c_size_t, H, H, H, P]),
    # objectives
    "qh_objective_create": (STATUS, [H, H, OUT]),
    "qh_objective_create_diagonal": (STATUS, [H, P, OUT]),
    "qh_objective_create_noisy": (STATUS, [H, H, P, H, OUT]),
    "qh_objective_is_noisy": (c_int, [H]),
    "qh_objective_set_shots": (STATUS, [H, c_size_t, c_uint64]),
    "qh_objective_set_trajectories": (STATUS, [H, c_size_t, c_uint64]),
    "qh_objective_num_trajectories": (c_size_t, [H]),
    "qh_objective_value_error": (STATUS, [H, P, DBL, DBL]),
    "qh_objective_destroy": (None, [H]),
    "qh_objective_num_params": (c_int, [H]),
    "qh_objective_num_qubits": (c_int, [H]),
    "qh_objective_program": (H, [H]),
    "qh_objective_set_threads": (STATUS, [H, c_int]),
    "qh_objective_set_method": (STATUS, [H, c_int]),
    "qh_objective_set_fd_step": (STATUS, [H, c_double]),
    "qh_objective_value": (STATUS, [H, P, DBL]),
    "qh_objective_gradient": (STATUS, [H, c_int, P, DBL, P]),
    "qh_objective_values": (STATUS, [H, c_size_t, P, P]),
    "qh_objective_gradients": (STATUS, [H, c_int, c_size_t, P, P, P]),
    "qh_objective_state": (STATUS, [H, P, H]),
    "qh_objective_metric": (STATUS, [H, P, P]),
    "qh_objective_fdf": (STATUS, [c_void_p, P, DBL, P]),
    "qh_objective_metric_fn": (STATUS, [c_void_p, P, P]),
    # optimizers
    "qh_optimizer_lookup": (H, [c_char_p]),
    "qh_optimizer_type_at": (H, [c_int]),
    "qh_optimizer_type_name": (c_char_p, [H]),
    "qh_optimizer_alloc": (STATUS, [H, c_size_t, OUT]),
    "qh_optimizer_free": (None, [H]),
    "qh_optimizer_name": (c_char_p, [H]),
    "qh_optimizer_set_option": (STATUS, [H, c_char_p, c_double]),
    "qh_optimizer_set_metric": (STATUS, [H, METRIC_FN, c_void_p]),
    "qh_optimizer_set_stop": (STATUS, [H, c_size_t, c_double, c_double]),
    "qh_optimizer_set": (STATUS, [H, FDF, c_void_p, P]),
    "qh_optimizer_iterate": (STATUS, [H]),
    "qh_stop_reason_name": (c_char_p, [c_int]),
    "qh_optimizer_run": (STATUS, [H, ITER_FN, c_void_p, INT]),
    "qh_optimizer_x": (DBL, [H]),
    "qh_optimizer_f": (c_double, [H]),
    "qh_optimizer_gradient": (DBL, [H]),
    "qh_optimizer_grad_norm": (c_double, [H]),
    "qh_optimizer_iterations": (c_size_t, [H]),
    "qh_optimizer_evaluations": (c_size_t, [H]),
    "qh_optimizer_stop_reason": (c_int, [H]),
    "qh_optimizer_save": (STATUS, [H, P, c_size_t, SIZE]),
    "qh_optimizer_resume": (STATUS, [H, FDF, c_void_p, P, c_size_t]),
    # VQE
    "qh_ansatz_hea": (STATUS, [c_int, c_int, OUT]),
    "qh_ansatz_uccsd": (STATUS, [c_int, c_uint64, OUT]),
    "qh_molecule_info": (STATUS, [H, INT, INT, POINTER(c_uint64)]),
    "qh_sector_ground_energy": (STATUS, [H, c_int, c_int, DBL]),
    # MaxCut and QAOA
    "qh_graph_create": (STATUS, [c_int, OUT]),
    "qh_graph_add_edge": (STATUS, [H, c_int, c_int, c_double]),
    "qh_graph_read": (STATUS, [c_char_p, OUT]),
    "qh_graph_destroy": (None, [H]),
    "qh_graph_num_nodes": (c_int, [H]),
    "qh_graph_num_edges": (c_size_t, [H]),
    "qh_graph_header": (c_char_p, [H, c_char_p]),
    "qh_maxcut_values": (STATUS, [H, P]),
    "qh_qaoa_circuit": (STATUS, [c_int, P, c_int, OUT]),
    "qh_qaoa_grid_search": (STATUS, [H, c_int, c_int, c_double, P, DBL]),
    "qh_qaoa_interp": (STATUS, [c_int, P, P]),
    # data sets, classifiers, kernels
    "qh_dataset_read_csv": (STATUS, [c_char_p, OUT]),
    "qh_dataset_destroy": (None, [H]),
    "qh_dataset_num_rows": (c_size_t, [H]),
    "qh_dataset_num_features": (c_int, [H]),
    "qh_dataset_num_classes": (c_int, [H]),
    "qh_dataset_features": (DBL, [H]),
    "qh_dataset_labels": (INT, [H]),
    "qh_classifier_create": (STATUS, [c_int, c_int, c_int, c_int, OUT]),
    "qh_classifier_destroy": (None, [H]),
    "qh_classifier_num_params": (c_int, [H]),
    "qh_classifier_num_qubits": (c_int, [H]),
    "qh_classifier_num_features": (c_int, [H]),
    "qh_classifier_num_classes": (c_int, [H]),
    "qh_classifier_set_threads": (STATUS, [H, c_int]),
    "qh_classifier_set_noise": (STATUS, [H, H]),
    "qh_classifier_is_noisy": (c_int, [H]),
    "qh_classifier_set_shots": (STATUS, [H, c_size_t, c_uint64]),
    "qh_classifier_fit_scaling": (STATUS, [H, c_size_t, P]),
    "qh_classifier_init_params": (STATUS, [H, c_uint64, P]),
    "qh_classifier_set_params": (STATUS, [H, P]),
    "qh_classifier_get_params": (STATUS, [H, P]),
    "qh_classifier_loss": (STATUS, [H, P, c_size_t, P, P, DBL, P]),
    "qh_classifier_predict": (STATUS, [H, c_size_t, P, P, P]),
    "qh_classifier_accuracy": (STATUS, [H, c_size_t, P, P, DBL]),
    "qh_classifier_save": (STATUS, [H, c_char_p]),
    "qh_classifier_load": (STATUS, [c_char_p, OUT]),
    "qh_minibatch_create": (STATUS, [H, c_size_t, P, P, c_size_t, c_uint64, OUT]),
    "qh_minibatch_destroy": (None, [H]),
    "qh_minibatch_fdf": (STATUS, [c_void_p, P, DBL, P]),
    "qh_minibatch_step": (c_uint64, [H]),
    "qh_minibatch_set_step": (STATUS, [H, c_uint64]),
    "qh_feature_map_lookup": (STATUS, [c_char_p, INT]),
    "qh_minmax_scale": (STATUS, [c_size_t, c_int, P, c_double, c_double, c_size_t, P, P]),
    "qh_kernel_matrix": (STATUS, [c_int, c_int, c_size_t, P, c_size_t, P, P]),
    "qh_kernel_matrix_noisy": (STATUS, [c_int, c_int, c_size_t, P, c_size_t, P, H, P]),
}


class _Namespace:
    """The declared functions as attributes: C.qs_state_create(...)."""


# "func: path:line:col: message", the form of located errors without
# qs_last_error_location() (Pauli-sum, graph and CSV files).
_LOCATED = re.compile(r"^(?:[\w.]+: )?(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<msg>.*)$",
                      re.S)


# The library's messages start with the function that failed ("qs_x: ...",
# the C caller's context); Python users read about their input only.
_FUNC = re.compile(r"^q[sh]_[a-z0-9_]+: ")


def _errcheck_for(lib):
    last_error = lib.qs_last_error
    status_name = lib.qs_status_name
    strerror = lib.qs_strerror
    location = lib.qs_last_error_location

    def raise_status(result):
        message = _FUNC.sub("", last_error().decode(errors="replace")) or strerror(result).decode()
        name = status_name(result).decode()
        f, m = c_char_p(), c_char_p()
        line, col = c_int(), c_int()
        if location(ctypes.byref(f), ctypes.byref(line), ctypes.byref(col), ctypes.byref(m)):
            where = (f.value.decode(errors="replace"), line.value, col.value)
        else:
            hit = _LOCATED.match(message) if name == "QS_EPARSE" else None
            where = (hit["file"], int(hit["line"]), int(hit["col"])) if hit else (None,) * 3
        raise error_for(name, message, *where)

    def errcheck(result, func, args):
        if result:
            raise_status(result)
        return result

    return errcheck


def declare(lib, signatures, ns, errcheck):
    """Sets restype/argtypes (and errcheck for statuses) on lib's functions."""
    for name, (res, args) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        if res is STATUS:
            fn.restype = c_int
            fn.errcheck = errcheck
        else:
            fn.restype = res
        setattr(ns, name, fn)
    return ns


def _load():
    lib = _lib.load()
    # qs_last_error and friends are needed by errcheck itself.
    ns = _Namespace()
    for name in ("qs_last_error", "qs_status_name", "qs_strerror", "qs_last_error_location"):
        res, args = SIGNATURES[name]
        getattr(lib, name).restype = res
        getattr(lib, name).argtypes = args
    errcheck = _errcheck_for(lib)
    declare(lib, SIGNATURES, ns, errcheck)
    declare(_lib.load_hybrid(), HYBRID_SIGNATURES, ns, errcheck)
    return ns


C = _load()


def _status_codes():
    """{"QS_OK": 0, "QS_EINVAL": 1, ...} as the library numbers them
    (qs_status_name of 0, 1, ... until "QS_UNKNOWN")."""
    out = {}
    while True:
        name = C.qs_status_name(len(out)).decode()
        if name == "QS_UNKNOWN":
            return out
        out[name] = len(out)


STATUS_CODES = _status_codes()
QS_OK = STATUS_CODES["QS_OK"]
QS_ECALLBACK = STATUS_CODES["QS_ECALLBACK"]


def c_function(fn, cftype):
    """A library function as a value of the callback type cftype (to pass
    qh_objective_fdf and friends where a qh_fdf is expected)."""
    return cftype(ctypes.cast(fn, c_void_p).value)


OBJECTIVE_FDF = c_function(C.qh_objective_fdf, FDF)
OBJECTIVE_METRIC = c_function(C.qh_objective_metric_fn, METRIC_FN)
MINIBATCH_FDF = c_function(C.qh_minibatch_fdf, FDF)


def ptr(array):
    """The address of a numpy array's data, or None for None."""
    return None if array is None else array.ctypes.data
