"""Ownership of library handles: released by close(), by a ``with`` block,
or when garbage collected, exactly once.

A handle can also be borrowed from another object (the program inside an
objective): it is then never destroyed here, and the wrapper keeps its
owner alive instead.

close() is safe while another thread is inside a call on the object: every
call passes the handle through a short-lived ``_Use`` (``self._handle``)
that counts as a reference, and the library object is destroyed when the
last call in flight returns.  Calls that start after close() raise
ValueError.
"""

import ctypes
import threading

_lock = threading.Lock()   # guards the use counts of every handle


class _Use:
    """The handle as a ctypes argument (``_as_parameter_``) for one call;
    while it lives, the library object is not destroyed."""

    __slots__ = ("_as_parameter_", "_obj", "_keep")

    def __init__(self, obj, h):
        self._as_parameter_ = h
        self._obj = obj
        # a State frees its memory through its _mem object: hold that too
        self._keep = getattr(obj, "_mem", None)

    def __del__(self):
        obj = self._obj
        with _lock:
            obj._uses -= 1
            last = obj._uses == 0 and obj._pending is not None
            h = obj._pending if last else None
            if last:
                obj._pending = None
        if h is not None:
            type(obj)._destroy(h)

    def __int__(self):
        return self._as_parameter_

    __index__ = __int__


class Handle:
    """Base class of objects owning one library handle (``self._h``)."""

    _destroy = None   # the library's *_destroy function, set by subclasses
    _h = None
    _owner = None     # set for borrowed handles
    _uses = 0         # calls in flight
    _pending = None   # a closed handle waiting for those calls

    def __init__(self, handle, owner=None):
        self._h = handle
        self._owner = owner

    @property
    def _handle(self):
        with _lock:
            h = self._h
            if h is None:
                raise ValueError("%s is closed" % type(self).__name__)
            self._uses += 1
        return _Use(self, h)

    @property
    def closed(self):
        return self._h is None

    def close(self):
        """Releases the library object (at once, or when the calls other
        threads are making on it return); later use raises ValueError.
        Calling it again does nothing."""
        with _lock:
            h, self._h = self._h, None
            destroy = h is not None and self._owner is None and self._destroy is not None
            if destroy and self._uses > 0:
                self._pending, destroy = h, False
        if destroy:
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
