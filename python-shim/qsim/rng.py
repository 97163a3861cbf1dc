"""Seeded random generators (GSL's mt19937 inside the library)."""

import ctypes

from ._ffi import C
from ._handle import Handle, new_handle


class Rng(Handle):
    """A seeded generator; pass one to measure/sample/run to draw from it."""

    _destroy = C.qs_rng_destroy

    def __init__(self, seed=0):
        super().__init__(new_handle(C.qs_rng_create, int(seed)))

    def seed(self, seed):
        C.qs_rng_seed(self._handle, int(seed))

    def uniform(self):
        v = ctypes.c_double()
        C.qs_rng_uniform(self._handle, ctypes.byref(v))
        return v.value


def as_rng(rng=None, seed=None):
    """An Rng from rng=, a new one from seed=, or a fresh one seeded 0."""
    if rng is not None:
        return rng
    return Rng(0 if seed is None else seed)
