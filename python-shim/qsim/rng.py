"""Seeded random generators (GSL's mt19937 inside the library)."""

import ctypes
import secrets

from ._arrays import U64_MAX, count as _n
from ._ffi import C
from ._handle import Handle, new_handle


class Rng(Handle):
    """A seeded generator; pass one to measure/sample/run to draw from it.
    The same seed gives the same draws, on any machine and thread count."""

    _destroy = C.qs_rng_destroy

    def __init__(self, seed=0):
        super().__init__(new_handle(C.qs_rng_create, _n(seed, 0, U64_MAX, "seed")))

    def seed(self, seed):
        C.qs_rng_seed(self._handle, _n(seed, 0, U64_MAX, "seed"))
        return self

    def uniform(self):
        """A uniform double in [0, 1)."""
        v = ctypes.c_double()
        C.qs_rng_uniform(self._handle, ctypes.byref(v))
        return v.value


def as_rng(rng=None, seed=None):
    """rng itself, else a new Rng seeded with seed, else one with a fresh
    random seed."""
    if rng is not None:
        return rng
    return Rng(secrets.randbits(63) if seed is None else seed)
