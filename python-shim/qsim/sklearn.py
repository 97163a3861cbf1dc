"""scikit-learn compatibility: QuantumKernel, a transformer whose output
feeds SVC(kernel="precomputed").  Imported on first use of
qsim.QuantumKernel; works without scikit-learn too (duck-typed)."""

import math

from ._arrays import rows
from .kernels import kernel_matrix, minmax_scale

try:      # scikit-learn's base classes when it is installed
    from sklearn.base import BaseEstimator as _Base, TransformerMixin as _Mixin
except ImportError:      # pragma: no cover - exercised without scikit-learn
    class _Base:
        def get_params(self, deep=True):
            return {"map": self.map, "range": self.range, "noise": self.noise}

        def set_params(self, **params):
            for k, v in params.items():
                setattr(self, k, v)
            return self

    class _Mixin:
        def fit_transform(self, X, y=None):
            return self.fit(X, y).transform(X)


class QuantumKernel(_Base, _Mixin):
    """A scikit-learn transformer: fit(X) keeps the training rows (and their
    min-max scaling), transform(X) returns K(X, training rows).  So

        make_pipeline(QuantumKernel(), SVC(kernel="precomputed"))

    trains an SVM on the quantum kernel and predicts new rows.  Also
    callable as a kernel function k(X, Y) (scaled with Y's rows).  With
    noise (a NoiseModel, a model file or dict) the entries are
    Tr(rho(x) rho(x')) of the noisy feature map's density matrices."""

    def __init__(self, map="angle", range=(0.0, math.pi), noise=None):
        self.map = map
        self.range = range
        self.noise = noise

    def fit(self, X, y=None):
        self.X_fit_ = rows(X)
        self.angles_ = minmax_scale(self.X_fit_, self.X_fit_, self.range)
        return self

    def transform(self, X):
        if not hasattr(self, "X_fit_"):
            raise ValueError("QuantumKernel: call fit() first")
        return kernel_matrix(minmax_scale(X, self.X_fit_, self.range), self.angles_, self.map,
                             self.noise)

    def __call__(self, X, Y):
        Y = rows(Y)
        return kernel_matrix(minmax_scale(X, Y, self.range), minmax_scale(Y, Y, self.range),
                             self.map, self.noise)
