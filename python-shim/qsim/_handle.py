"""Ownership of library handles: released by close(), by a ``with`` block,
or when garbage collected, exactly once."""

import ctypes


class Handle:
    """Base class of objects owning one library handle (``self._h``)."""

    _destroy = None   # the library's *_destroy function, set by subclasses

    def __init__(self, handle):
        self._h = handle

    @property
    def _handle(self):
        if self._h is None:
            raise ValueError("%s is closed" % type(self).__name__)
        return self._h

    def close(self):
        """Releases the library object now; later use raises ValueError."""
        h, self._h = getattr(self, "_h", None), None
        if h is not None and type(self)._destroy is not None:
            type(self)._destroy(h)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def new_handle(create, *args):
    """Calls a library constructor with an out-parameter; returns the handle."""
    out = ctypes.c_void_p()
    create(*args, ctypes.byref(out))
    return out.value
