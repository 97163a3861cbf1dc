"""Checked conversions of Python values to the buffers the library reads."""

import numpy as np


def ints(values, what="qubits"):
    """A contiguous int32 array (None stays None)."""
    if values is None:
        return None
    a = np.ascontiguousarray(np.atleast_1d(values), dtype=np.int32)
    if a.ndim != 1:
        raise ValueError("%s must be a flat sequence of integers" % what)
    return a


def reals(values):
    if values is None:
        return None
    return np.ascontiguousarray(np.atleast_1d(values), dtype=np.float64)


def complexes(values, shape=None, what="matrix"):
    a = np.ascontiguousarray(values, dtype=np.complex128)
    if shape is not None and a.shape != shape:
        raise ValueError("%s must have shape %s, got %s" % (what, shape, a.shape))
    return a
