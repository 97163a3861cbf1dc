"""Ownership of library handles: released by close(), by a ``with`` block,
or when garbage collected, exactly once.

A handle can also be borrowed from another object (the program inside an
objective): it is then never destroyed here, and the wrapper keeps its
owner alive instead.
"""

import ctypes


class Handle:
    """Base class of objects owning one library handle (``self._h``)."""

    _destroy = None   # the library's *_destroy function, set by subclasses
    _h = None
    _owner = None     # set for borrowed handles

    def __init__(self, handle, owner=None):
        self._h = handle
        self._owner = owner

    @property
    def _handle(self):
        h = self._h
        if h is None:
            raise ValueError("%s is closed" % type(self).__name__)
        return h

    @property
    def closed(self):
        return self._h is None

    def close(self):
        """Releases the library object now; later use raises ValueError.
        Calling it again does nothing."""
        h, self._h = self._h, None
        if h is not None and self._owner is None and self._destroy is not None:
            type(self)._destroy(h)
        self._owner = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    # A copy of the Python object would share the library object and free it
    # twice: copy.copy/deepcopy go through copy() where a class has one, and
    # pickling is refused.
    def __copy__(self):
        copy = getattr(self, "copy", None)
        if copy is None:
            raise TypeError("%s objects cannot be copied" % type(self).__name__)
        return copy()

    def __deepcopy__(self, memo):
        return self.__copy__()

    def __reduce_ex__(self, protocol):
        raise TypeError("%s objects hold library memory and cannot be pickled"
                        % type(self).__name__)


def new_handle(create, *args):
    """Calls a library constructor with an out-parameter; returns the handle."""
    out = ctypes.c_void_p()
    create(*args, ctypes.byref(out))
    return out.value
