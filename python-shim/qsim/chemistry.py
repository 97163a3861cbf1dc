"""VQE: ansatz circuits and the variational eigensolver, as `qsim vqe` runs
it (the optimization loop runs in C)."""

import os
import re

import numpy as np

from ._ffi import C
from ._arrays import count
from ._handle import new_handle
from .circuit import Circuit
from .hamiltonian import Hamiltonian
from .objective import Objective, grad_method
from .optimize import Log, Result, _chain, make_optimizer
from .rng import Rng


def hea(num_qubits, layers):
    """The hardware-efficient ansatz: layers x (ry, rz on every qubit, a cx
    chain), then a final ry, rz layer; parameters ry<l>_<q>, rz<l>_<q>."""
    num_qubits = count(num_qubits, 1, 60, "num_qubits")
    layers = count(layers, 0, (1 << 31) - 1, "layers")
    return Circuit(0, _handle=new_handle(C.qh_ansatz_hea, num_qubits, layers))


def uccsd(num_qubits, hf_index):
    """UCCSD from the Hartree-Fock state |hf_index> (interleaved spin
    orbitals, Jordan-Wigner), one parameter per excitation, doubles first."""
    num_qubits = count(num_qubits, 1, 60, "num_qubits")
    hf_index = count(hf_index, 0, (1 << num_qubits) - 1, "hf_index")
    return Circuit(0, _handle=new_handle(C.qh_ansatz_uccsd, num_qubits, hf_index))


def _hamiltonian(h):
    if isinstance(h, Hamiltonian):
        return h, False
    if isinstance(h, (str, os.PathLike)):
        return Hamiltonian.from_file(h), True
    if hasattr(h, "to_list"):
        return Hamiltonian.from_sparse_pauli_op(h), True
    return Hamiltonian(h), True


def _ansatz(ansatz, h):
    """(circuit, owned, kind) for "uccsd", "hea:L", a .qasm path or a Circuit."""
    nq = h.num_qubits
    if isinstance(ansatz, Circuit):
        c, owned, kind = ansatz, False, "circuit"
    elif ansatz == "uccsd":
        c, owned, kind = uccsd(nq, h.molecule_info()[2]), True, "uccsd"
    elif isinstance(ansatz, str) and re.fullmatch(r"hea:\d+", ansatz):
        c, owned, kind = hea(nq, int(ansatz[4:])), True, "hea"
    elif isinstance(ansatz, (str, os.PathLike)) and os.fspath(ansatz).endswith(".qasm"):
        c, owned, kind = Circuit.from_file(ansatz), True, "qasm"
    else:
        raise ValueError("ansatz must be 'uccsd', 'hea:L', a .qasm path or a Circuit, got %r"
                         % (ansatz,))
    if c.num_qubits < nq:
        raise ValueError("the ansatz has %d qubits, the Hamiltonian acts on %d"
                         % (c.num_qubits, nq))
    return c, owned, kind


def _reference(h, kind):
    """(exact energy the ansatz can reach, how it was computed), as qsim vqe."""
    nq = h.num_qubits
    if kind == "uccsd":
        return h.sector_ground_energy(), "particle sector, LAPACKE"
    if nq > 10:
        return float(h.ground_state(1, "krylov", vectors=False)[0]), \
            "all qubit states, Lanczos"
    return float(h.ground_state(1, "dense", vectors=False)[0]), "all qubit states, LAPACKE"


def _start(n, kind, seed):
    """zeros for UCCSD (Hartree-Fock), else small seeded angles in [-0.2, 0.2)."""
    if kind == "uccsd":
        return np.zeros(n)
    with Rng(seed) as r:
        return np.array([0.2 * (2 * r.uniform() - 1) for _ in range(n)])


def vqe(hamiltonian, ansatz="uccsd", optimizer="bfgs", maxiter=1000, gtol=1e-8, ftol=0.0,
        grad="adjoint", seed=1, threads=0, options=None, x0=None, callback=None, log=None,
        stage=0, label=None, _log=None, _warm=None):
    """The variational quantum eigensolver, as `qsim vqe --hamiltonian`.

    hamiltonian: a Pauli-sum file path, a Hamiltonian, a SparsePauliOp or
    (coefficient, term) pairs.  ansatz: "uccsd" (from Hartree-Fock, particle
    conserving; the file's header gives the electrons), "hea:L", a .qasm
    file with `input float[64]` parameters, or a Circuit.  The start is x0,
    else zeros (UCCSD) or small angles drawn from seed.  The minimization
    runs in C (optimizer, its options, maxiter, gtol, ftol, grad method
    "adjoint", "shift" or "fd", threads for batches).  callback(Iteration)
    after each iteration (return True to stop; an exception stops the run
    and propagates); log: a path for the JSON-lines log of --log.

    Returns a Result: energy, exact_energy (the ansatz's reference: the
    electron sector's ground energy for UCCSD, else the lowest
    eigenvalue), error, exact_method, reference_energy (the file's
    exact_ground_energy, or nan), initial_energy, parameters, iterations,
    evaluations, grad_norm, stop_reason, qubits, terms, num_parameters.
    """
    h, own_h = _hamiltonian(hamiltonian)
    c = obj = None
    own_c = False
    lg = _log or Log(log, "vqe")
    try:
        c, own_c, kind = _ansatz(ansatz, h)
        obj = Objective(c, h, method=grad, threads=threads)
        n = obj.num_params
        exact, how = _reference(h, kind)
        ref = h.header("exact_ground_energy")
        if x0 is not None:
            start = np.array(x0, dtype=np.float64).ravel()
            if start.size != n:
                raise ValueError("x0 has %d entries, the ansatz %d parameters" % (start.size, n))
        elif _warm is not None and len(_warm) == n:
            start = np.array(_warm, dtype=np.float64)
        else:
            start = _start(n, kind, seed)
        initial = obj.value(start)
        with make_optimizer(optimizer, n, maxiter, gtol, ftol, options, seed) as opt:
            if opt.name == "qng":
                opt.set_metric(obj)
            opt.start(obj, start)
            reason = opt.run(_chain(lg if lg.f else None, callback), stage, label)
            energy = opt.f
            return Result(energy=energy, exact_energy=exact, error=energy - exact,
                          exact_method=how,
                          reference_energy=float(ref.split()[0]) if ref else float("nan"),
                          initial_energy=initial, parameters=opt.x,
                          parameter_names=obj.parameters, iterations=opt.iterations,
                          evaluations=opt.evaluations, grad_norm=opt.grad_norm,
                          stop_reason=reason, optimizer=opt.name,
                          gradient=C.qh_grad_method_name(grad_method(grad)).decode(),
                          qubits=h.num_qubits, terms=len(h), num_parameters=n)
    finally:
        if _log is None:
            lg.close()
        if obj is not None:
            obj.close()
        if own_c:
            c.close()
        if own_h:
            h.close()


def _bond_length(name):
    """The number after the last '_' of a file name (h2_sto3g_0.7.txt -> 0.7)."""
    m = re.search(r"_([-+0-9.eE]+)\.txt$", name)
    try:
        return float(m.group(1)) if m else float("nan")
    except ValueError:
        return float("nan")


def vqe_scan(directory, ansatz="uccsd", log=None, **kwargs):
    """A dissociation curve, as `qsim vqe --scan DIR`: every NAME_R.txt of
    the directory in order of R, each point started from the previous
    optimum.  Returns a list of (R, Result)."""
    files = sorted((r, os.path.join(directory, f)) for f in os.listdir(directory)
                   if f.endswith(".txt") and np.isfinite(r := _bond_length(f)))
    if not files:
        raise ValueError("%s: no Hamiltonian files NAME_R.txt" % directory)
    out, x = [], None
    lg = Log(log, "vqe")
    try:
        for stage, (r, path) in enumerate(files):
            res = vqe(path, ansatz, stage=stage, label="R=%g" % r, _log=lg, _warm=x, **kwargs)
            out.append((r, res))
            x = res.parameters
    finally:
        lg.close()
    return out
