"""Checked conversions of Python values to the buffers the library reads.

Short lists (qubits, a gate's parameters) become small ctypes arrays, which
costs far less per call than a numpy array; long ones (amplitudes,
parameter batches, data) become contiguous numpy arrays whose address is
passed.  The caller keeps the converted object in a local variable for the
duration of the call.
"""

import ctypes

import numpy as np

_INT_ARRAYS = [ctypes.c_int * n for n in range(9)]
_DBL_ARRAYS = [ctypes.c_double * n for n in range(5)]


def small_ints(values):
    """A ctypes int array of a short sequence of integers (qubits)."""
    n = len(values)
    t = _INT_ARRAYS[n] if n < len(_INT_ARRAYS) else ctypes.c_int * n
    return t(*values)


def small_reals(values):
    """A ctypes double array of a short sequence of numbers, or None if empty."""
    n = len(values)
    if not n:
        return None
    t = _DBL_ARRAYS[n] if n < len(_DBL_ARRAYS) else ctypes.c_double * n
    return t(*values)


def ints(values, what="qubits"):
    """A contiguous int32 array (None stays None)."""
    if values is None:
        return None
    a = np.ascontiguousarray(np.atleast_1d(values), dtype=np.int32)
    if a.ndim != 1:
        raise ValueError("%s must be a flat sequence of integers" % what)
    return a


def reals(values, shape=None, what="values"):
    """A contiguous float64 array (None stays None), of the given shape."""
    if values is None:
        return None
    a = np.ascontiguousarray(values, dtype=np.float64)
    if a.ndim == 0:
        a = a.reshape(1)
    if shape is not None and a.shape != shape:
        raise ValueError("%s must have shape %s, got %s" % (what, shape, a.shape))
    return a


def labels(values, n, what="labels"):
    """A contiguous int32 array of n class labels."""
    a = np.ascontiguousarray(values, dtype=np.int32)
    if a.shape != (n,):
        raise ValueError("%s must have shape (%d,), got %s" % (what, n, a.shape))
    return a


def rows(values, what="X"):
    """A contiguous 2-D float64 array (a single row becomes one row)."""
    a = np.ascontiguousarray(values, dtype=np.float64)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2:
        raise ValueError("%s must be a 2-D array of rows, got shape %s" % (what, a.shape))
    return a


def complexes(values, shape=None, what="matrix"):
    a = np.ascontiguousarray(values, dtype=np.complex128)
    if shape is not None and a.shape != shape:
        raise ValueError("%s must have shape %s, got %s" % (what, shape, a.shape))
    return a
