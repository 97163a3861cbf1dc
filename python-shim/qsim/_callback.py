"""Python functions called back from C.

ctypes cannot carry a Python exception through C frames: an exception
raised in a callback would be printed and dropped.  So each callback is
wrapped: an exception is kept, the library's message is set, and the
callback returns QS_ECALLBACK, a status every loop of the library stops on
cleanly (freeing what it holds).  When the C call returns, Callbacks.call()
raises the kept exception, with its traceback, in place of the library's
error.  The ctypes callback objects are kept alive by the Callbacks object
for as long as the C side may call them.
"""

from ._ffi import QS_ECALLBACK, C
from .errors import QsimError


class Callbacks:
    """The callbacks of one library call (or of one optimizer's lifetime)."""

    def __init__(self):
        self.error = None
        self._keep = []

    def wrap(self, cftype, fn):
        """fn as a C callback of type cftype; fn returns None or a status."""

        def trampoline(*args):
            if self.error is not None:      # a C loop that goes on after a failure
                return QS_ECALLBACK
            try:
                status = fn(*args)
                return 0 if status is None else int(status)
            except BaseException as e:      # KeyboardInterrupt too: stop the C loop
                self.error = e
                text = ("%s: %s" % (type(e).__name__, e)).replace("%", "%%")
                C.qs_set_error(QS_ECALLBACK, b"python callback", text.encode(errors="replace"))
                return QS_ECALLBACK

        cb = cftype(trampoline)
        self._keep.append(cb)
        return cb

    def call(self, fn, *args):
        """Calls a library function that may call the callbacks back; an
        exception a callback raised is raised here, in place of the
        library's QS_ECALLBACK error."""
        try:
            result = fn(*args)
        except QsimError:
            if self.error is None:
                raise
            result = None
        self.reraise()
        return result

    def reraise(self):
        """Raises the exception a callback raised, if any (once)."""
        e, self.error = self.error, None
        if e is not None:
            raise e
