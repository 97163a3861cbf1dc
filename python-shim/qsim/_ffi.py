"""ctypes signatures for every public function of libqsim.

Each entry names the function, its result and its arguments.  Functions
whose result is a status get an ``errcheck`` that raises the matching
exception (see errors.py) carrying ``qs_last_error()``, which is per thread
and read on the thread that made the call.  Buffers are passed as
``c_void_p`` (the classes pass numpy arrays' addresses after checking their
dtype and size), handles as ``c_void_p``.
"""

import ctypes
from ctypes import (POINTER, c_char_p, c_double, c_int, c_size_t, c_uint, c_uint64,
                    c_void_p)

from . import _lib
from .errors import error_for

STATUS = "status"   # marker: returns qs_status, checked
H = c_void_p        # an opaque handle
P = c_void_p        # a buffer address
OUT = POINTER(c_void_p)

# name: (result, [arguments])
SIGNATURES = {
    # version, errors, threads, backends
    "qs_version_number": (c_int, []),
    "qs_version": (c_char_p, []),
    "qs_strerror": (c_char_p, [c_int]),
    "qs_status_name": (c_char_p, [c_int]),
    "qs_last_error": (c_char_p, []),
    "qs_clear_error": (None, []),
    "qs_set_num_threads": (STATUS, [c_int]),
    "qs_get_num_threads": (c_int, []),
    "qs_backend_default": (c_char_p, []),
    "qs_backend_select": (STATUS, [c_char_p]),
    "qs_backend_name": (c_char_p, [c_int]),
    "qs_backend_available": (c_int, [c_int]),
    # random numbers
    "qs_rng_create": (STATUS, [c_uint64, OUT]),
    "qs_rng_destroy": (None, [H]),
    "qs_rng_seed": (STATUS, [H, c_uint64]),
    "qs_rng_uniform": (STATUS, [H, POINTER(c_double)]),
    # states
    "qs_state_create": (STATUS, [c_int, c_uint, OUT]),
    "qs_state_destroy": (None, [H]),
    "qs_state_copy": (STATUS, [H, OUT]),
    "qs_state_assign": (STATUS, [H, H]),
    "qs_state_num_qubits": (c_int, [H]),
    "qs_state_flags": (c_uint, [H]),
    "qs_state_backend": (c_char_p, [H]),
    "qs_state_set_basis": (STATUS, [H, c_uint64]),
    "qs_state_set_uniform": (STATUS, [H]),
    "qs_state_set_random": (STATUS, [H, H]),
    "qs_state_get_amps": (STATUS, [H, c_uint64, c_uint64, P]),
    "qs_state_set_amps": (STATUS, [H, c_uint64, c_uint64, P]),
    "qs_state_data": (STATUS, [H, OUT]),
    "qs_state_norm2": (STATUS, [H, POINTER(c_double)]),
    "qs_state_normalize": (STATUS, [H]),
    "qs_state_inner": (STATUS, [H, H, P]),
    "qs_state_fidelity": (STATUS, [H, H, POINTER(c_double)]),
    "qs_state_scale": (STATUS, [H, P]),
    "qs_state_axpy": (STATUS, [H, P, H]),
    # gates
    "qs_gate_lookup": (STATUS, [c_char_p, POINTER(c_int)]),
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
    "qs_state_apply_qft": (STATUS, [H, c_int, c_int, c_uint]),
    # probabilities, measurement, sampling
    "qs_state_prob_one": (STATUS, [H, c_int, POINTER(c_double)]),
    "qs_state_probabilities": (STATUS, [H, P]),
    "qs_state_marginal": (STATUS, [H, P, c_int, P]),
    "qs_state_measure": (STATUS, [H, P, c_int, H, POINTER(c_uint64), POINTER(c_double)]),
    "qs_state_collapse": (STATUS, [H, P, c_int, c_uint64, POINTER(c_double)]),
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
    "qs_pauli_sum_term": (STATUS, [H, c_size_t, POINTER(c_double), c_char_p, c_size_t]),
    "qs_pauli_sum_header": (c_char_p, [H, c_char_p]),
    "qs_state_expect": (STATUS, [H, H, POINTER(c_double)]),
    "qs_state_expect_pauli": (STATUS, [H, P, c_char_p, c_int, POINTER(c_double)]),
    "qs_pauli_sum_apply": (STATUS, [H, H, H]),
    # exact references
    "qs_pauli_sum_eigensolve": (STATUS, [H, c_int, c_uint, P, P]),
    "qs_pauli_sum_matrix": (STATUS, [H, P]),
    # circuits and programs
    "qs_circuit_create": (STATUS, [c_int, c_int, OUT]),
    "qs_circuit_destroy": (None, [H]),
    "qs_circuit_copy": (STATUS, [H, OUT]),
    "qs_circuit_num_qubits": (c_int, [H]),
    "qs_circuit_num_clbits": (c_int, [H]),
    "qs_circuit_num_ops": (c_size_t, [H]),
    "qs_circuit_add_param": (STATUS, [H, c_char_p, POINTER(c_int)]),
    "qs_circuit_num_params": (c_int, [H]),
    "qs_circuit_param_name": (c_char_p, [H, c_int]),
    "qs_circuit_param_index": (c_int, [H, c_char_p]),
    "qs_circuit_append_gate": (STATUS, [H, c_int, P, P]),
    "qs_circuit_append_gate_expr": (STATUS, [H, c_int, P, POINTER(c_char_p)]),
    "qs_circuit_append_pauli_rotation": (STATUS, [H, P, c_char_p, c_int, c_char_p]),
    "qs_circuit_append_matrix": (STATUS, [H, P, c_int, P]),
    "qs_circuit_append_global_phase": (STATUS, [H, c_char_p]),
    "qs_circuit_append_qft": (STATUS, [H, c_int, c_int, c_uint]),
    "qs_circuit_append_measure": (STATUS, [H, c_int, c_int]),
    "qs_circuit_append_reset": (STATUS, [H, c_int]),
    "qs_circuit_append_barrier": (STATUS, [H, P, c_int]),
    "qs_circuit_set_condition": (STATUS, [H, c_int, c_int, c_uint64]),
    "qs_program_compile": (STATUS, [H, c_uint, OUT]),
    "qs_program_destroy": (None, [H]),
    "qs_program_num_qubits": (c_int, [H]),
    "qs_program_num_clbits": (c_int, [H]),
    "qs_program_num_params": (c_int, [H]),
    "qs_program_is_dynamic": (c_int, [H]),
    "qs_program_run": (STATUS, [H, P, c_size_t, H, H, P]),
    "qs_circuit_unitary": (STATUS, [H, P, c_size_t, P]),
}


class _Namespace:
    """The declared functions as attributes: lib.qs_state_create(...)."""


def _errcheck_for(lib):
    last_error = lib.qs_last_error
    status_name = lib.qs_status_name

    def errcheck(result, func, args):
        if result != 0:
            raise error_for(status_name(result).decode(), last_error().decode())
        return result

    return errcheck


def declare(lib, signatures):
    """Sets restype/argtypes (and errcheck for statuses) on lib's functions."""
    ns = _Namespace()
    errcheck = None
    for name, (res, args) in signatures.items():
        fn = getattr(lib, name)
        fn.argtypes = args
        if res is STATUS:
            fn.restype = c_int
            if errcheck is None:
                errcheck = _errcheck_for(lib)
            fn.errcheck = errcheck
        else:
            fn.restype = res
        setattr(ns, name, fn)
    return ns


def _load():
    lib = _lib.load()
    # qs_last_error and qs_status_name are needed by errcheck itself.
    for n in ("qs_last_error", "qs_status_name"):
        getattr(lib, n).restype = c_char_p
    lib.qs_status_name.argtypes = [c_int]
    lib.qs_last_error.argtypes = []
    return declare(lib, SIGNATURES)


C = _load()


def ptr(array):
    """The address of a numpy array's data, or None for None."""
    return None if array is None else ctypes.c_void_p(array.ctypes.data)
