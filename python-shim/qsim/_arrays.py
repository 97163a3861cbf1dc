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


_INT_MIN, _INT_MAX = -(1 << 31), (1 << 31) - 1


U64_MAX = 2 ** 64 - 1
INT_MAX = 2 ** 31 - 1


def count(value, lo, hi, what):
    """An integer in [lo, hi], checked before C sees it (ctypes would wrap
    -1 to SIZE_MAX and cut 2**40 to 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError("%s must be an integer, got %r" % (what, value))
    v = int(value)
    if not lo <= v <= hi:
        raise ValueError("%s %d is out of range (%d to %d)" % (what, v, lo, hi))
    return v


def small_ints(values, what="qubit"):
    """A ctypes int array of a short sequence of integers (qubits), each
    checked to fit a C int."""
    n = len(values)
    t = _INT_ARRAYS[n] if n < len(_INT_ARRAYS) else ctypes.c_int * n
    return t(*[count(v, _INT_MIN, _INT_MAX, what) for v in values])


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
    a = np.atleast_1d(np.asarray(values))
    if a.ndim != 1:
        raise ValueError("%s must be a flat sequence of integers" % what)
    if a.size and a.dtype.kind not in "iub":
        raise TypeError("%s must be integers, got %s" % (what, a.dtype))
    if a.size and (a.min() < _INT_MIN or a.max() > _INT_MAX):
        raise ValueError("%s: %d is out of range" % (what, a.max() if a.max() > _INT_MAX
                                                      else a.min()))
    return np.ascontiguousarray(a, dtype=np.int32)


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
