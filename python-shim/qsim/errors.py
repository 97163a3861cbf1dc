"""Exceptions raised for the library's status codes."""


class QsimError(Exception):
    """Base class of the errors the library reports.

    ``status`` is the library's status name (``"QS_EINVAL"``...), ``message``
    its per-call message (``qs_last_error()`` without the leading function
    name, read on the thread that made the call).  ``filename``, ``line`` and ``col`` locate errors found in a
    source text (OpenQASM, Pauli-sum, graph and CSV files), else None.
    """

    def __init__(self, message, status=None, filename=None, line=None, col=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col

    def __str__(self):
        # not OSError's "[Errno ...] ...: filename" for QsimIOError
        return self.message


class QsimValueError(QsimError, ValueError):
    """An argument was invalid or out of range."""


class QsimMemoryError(QsimError, MemoryError):
    """The request does not fit in memory (refused before allocating)."""


class QsimIOError(QsimError, OSError):
    """A file could not be read or written."""


class QsimNotConverged(QsimError, RuntimeError):
    """An iterative method did not converge."""


class QsimUnsupported(QsimError, NotImplementedError):
    """The operation is not supported for these arguments."""


class QsimInternalError(QsimError, RuntimeError):
    """A bug in the library (please report it)."""


class QsimCallbackError(QsimError, RuntimeError):
    """A callback stopped the library's loop (a Python callback's own
    exception is raised instead of this one)."""


class QasmError(QsimValueError):
    """A malformed OpenQASM program, or Pauli-sum, graph or CSV text.

    ``filename``, ``line`` and ``col`` (1-based, in bytes) locate the
    problem when known; the message reads "file:line:col: what".
    """


_BY_STATUS = {
    "QS_EINVAL": QsimValueError,
    "QS_ERANGE": QsimValueError,
    "QS_ETOOBIG": QsimMemoryError,
    "QS_ENOMEM": QsimMemoryError,
    "QS_EPARSE": QasmError,
    "QS_EIO": QsimIOError,
    "QS_EUNSUPPORTED": QsimUnsupported,
    "QS_ENOTCONV": QsimNotConverged,
    "QS_ECALLBACK": QsimCallbackError,
    "QS_EINTERNAL": QsimInternalError,
}


def error_for(status_name, message, filename=None, line=None, col=None):
    """The exception for a status name, message and location."""
    cls = _BY_STATUS.get(status_name, QsimError)
    return cls(message, status_name, filename, line, col)
