"""Quantum kernels K(x, x') = |<phi(x)|phi(x')>|^2, as `qsim kernel` computes
them (qsim.sklearn.QuantumKernel wraps them for scikit-learn)."""

import ctypes
import math
import os

import numpy as np

from ._arrays import rows
from ._ffi import C, ptr


def feature_map(name):
    """"angle" or "zz" -> the library's QH_MAP_* value."""
    if isinstance(name, (int, np.integer)):
        return int(name)
    m = ctypes.c_int()
    C.qh_feature_map_lookup(str(name).encode(), ctypes.byref(m))
    return m.value


def minmax_scale(X, fit=None, range=(0.0, math.pi)):
    """Scales the columns of X to range with the column minima and maxima of
    the rows fit (default X itself); constant columns map to the low end."""
    X = rows(X)
    F = rows(X if fit is None else fit, "fit")
    if F.shape[1] != X.shape[1]:
        raise ValueError("fit has %d features, X %d" % (F.shape[1], X.shape[1]))
    out = np.empty(X.shape)
    C.qh_minmax_scale(len(F), X.shape[1], ptr(F), float(range[0]), float(range[1]), len(X),
                      ptr(X), ptr(out))
    return out


def kernel_matrix(A, B=None, map="angle", noise=None):
    """K[i][j] = |<phi(a_i)|phi(b_j)>|^2 of rows already scaled to angles
    (B defaults to A); each row's state is computed once, rows in parallel.
    With noise (a NoiseModel, a model file or dict), K[i][j] =
    Tr(rho(a_i) rho(b_j)) of the noisy feature map's density matrices."""
    A = rows(A, "A")
    B = A if B is None else rows(B, "B")
    if A.shape[1] != B.shape[1]:
        raise ValueError("A has %d features, B %d" % (A.shape[1], B.shape[1]))
    K = np.empty((len(A), len(B)))
    if noise is not None:
        from .noise import as_noise_model
        nm = as_noise_model(noise)
        C.qh_kernel_matrix_noisy(feature_map(map), A.shape[1], len(A), ptr(A), len(B), ptr(B),
                                 nm._handle, ptr(K))
    else:
        C.qh_kernel_matrix(feature_map(map), A.shape[1], len(A), ptr(A), len(B), ptr(B),
                           ptr(K))
    return K


def _features(data):
    """Feature rows of a CSV path, a Dataset, an (X, y) pair or an array."""
    from .classifier import Dataset, read_csv
    if isinstance(data, Dataset):
        return data.X
    if isinstance(data, (str, os.PathLike)):
        return read_csv(data)[0]
    if isinstance(data, tuple) and len(data) == 2:
        return rows(data[0])
    return rows(data)


def quantum_kernel(train, test=None, map="angle", limit=None, range=(0.0, math.pi), noise=None):
    """The kernel matrix of `qsim kernel`: rows are those of test (or of
    train), columns those of train; features min-max scaled to range with
    every training row (also when limit keeps only the first rows of each).
    train, test: CSV paths, Datasets, (X, y) pairs or feature arrays."""
    Xtr = _features(train)
    Xrows = Xtr if test is None else _features(test)
    cols, rws = Xtr, Xrows
    if limit is not None:
        cols, rws = Xtr[: int(limit)], Xrows[: int(limit)]
    A = minmax_scale(rws, Xtr, range)
    B = minmax_scale(cols, Xtr, range)
    return kernel_matrix(A, B, map, noise)
