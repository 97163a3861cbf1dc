"""Ranks: the package under ``mpirun -np P python script.py``.

Every rank runs the script; the hybrid calls deal their items out to the
ranks (batches of parameter vectors, shift evaluations, minibatch and
prediction rows, kernel states and rows) and return every result on every
rank, equal to one process's bit for bit.  Work that is one item (a single
adjoint gradient, one value) is done by every rank alike.  So every rank must
make the same qsim calls with the same inputs; print from rank 0::

    import qsim
    energy = qsim.vqe("h2.txt").energy
    if qsim.ranks.rank() == 0:
        print(energy)

When ``import qsim`` finds itself started by mpirun it initialises MPI (unless
mpi4py or the program already has) and finalises it at exit.  mpi4py is
optional: with it, :func:`set_comm` chooses the communicator
(``MPI.COMM_SELF``: every rank on its own).

A library failure on any rank raises on every rank, with the failing rank's
message.  An exception of the script itself on one rank would leave the
others waiting in their next collective call, so it ends the whole run
(MPI_Abort) after its traceback is printed; tracebacks of a failure every
rank shares are printed by rank 0 alone.
"""

import atexit
import sys

from ._ffi import C as _C


def built():
    """True if libqsimhybrid was built with MPI."""
    return bool(_C.qh_comm_built())


def rank():
    """This process's rank (0 without MPI)."""
    return _C.qh_comm_rank()


def size():
    """The number of ranks (1 without MPI)."""
    return _C.qh_comm_size()


def set_comm(comm=None):
    """Spread over an mpi4py communicator (None: MPI_COMM_WORLD).  Call it on
    every rank before any work."""
    if comm is None:
        _C.qh_comm_set(None)
        return
    from mpi4py import MPI  # optional dependency, only for this
    _C.qh_comm_set(MPI._addressof(comm))


def _excepthook(kind, value, tb):
    if size() > 1 and _C.qh_comm_failed():
        # every rank raised the same agreed failure: rank 0 shows it
        if rank() == 0:
            _previous_hook(kind, value, tb)
        return
    _previous_hook(kind, value, tb)
    if size() > 1:
        sys.stderr.flush()
        _C.qh_comm_abort(1)


_previous_hook = sys.excepthook


def _start():
    _C.qh_comm_init(None, None)
    atexit.register(_C.qh_comm_finalize)
    if size() > 1:
        sys.excepthook = _excepthook
