"""qsim under Qiskit's interfaces: the V2 primitives ``Estimator`` and
``Sampler`` (on BaseEstimatorV2 / BaseSamplerV2) and ``Backend`` (a
BackendV2 whose ``run(circuits, shots=...)`` returns counts and memory).
Importing this module needs qiskit.

A circuit goes to the library once per PUB (OpenQASM 3 through
Circuit.from_qiskit, its parameters renamed p0, p1, ... in the order of
``circuit.parameters``) and is compiled once; every row of a parameter-value
array is then a run of that program with the values bound in C (no
re-parsing).  Estimator: one state per distinct binding, and each
observable's expectation in one library call (a Pauli sum); with
``precision > 0`` Gaussian noise of that standard deviation is added, as
Qiskit's StatevectorEstimator does.  Sampler and Backend draw shots with the
library's sampler (qs_program_sample: each distinct measurement path is
simulated once), from a seed.
"""

import time
import uuid
from collections import Counter

import numpy as np
from qiskit import qasm2, qasm3
from qiskit.circuit import Parameter, QuantumCircuit
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.primitives import BaseEstimatorV2, BaseSamplerV2
from qiskit.primitives.containers import (BitArray, DataBin, PrimitiveResult, PubResult,
                                          SamplerPubResult)
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.primitives.primitive_job import PrimitiveJob
from qiskit.providers import BackendV2, JobStatus, Options
from qiskit.providers.job import JobV1
from qiskit.result import Result
from qiskit.transpiler import Target

from .circuit import Circuit
from .errors import QasmError, QsimUnsupported
from .gates import GATES
from .hamiltonian import Hamiltonian
from .program import Program
from .rng import Rng
from .state import State

__all__ = ["Estimator", "Sampler", "Backend", "to_qsim"]


def to_qsim(qc):
    """(qsim Circuit, parameter names in the order of qc.parameters)."""
    params = list(qc.parameters)
    names = ["p%d" % i for i in range(len(params))]
    if params:
        qc = qc.assign_parameters({p: Parameter(n) for p, n in zip(params, names)})
    try:
        c = Circuit.from_qasm(qasm3.dumps(qc), name="<qiskit>")
    except QasmError:
        if params:
            raise
        c = Circuit.from_qasm(qasm2.dumps(qc), name="<qiskit>")
    return c, names


def _seeds(seed):
    return np.random.default_rng(seed)


def _bindings(pub_values, circuit, names, shape):
    """Parameter dicts of a BindingsArray, and for every index of shape the
    row each one uses (broadcast)."""
    if not names:
        return np.zeros((1, 0)), np.zeros(shape, dtype=np.int64)
    flat = pub_values.as_array(circuit.parameters).reshape(-1, len(names))
    rows = np.arange(flat.shape[0]).reshape(pub_values.shape)
    return flat, np.broadcast_to(rows, shape)


class Estimator(BaseEstimatorV2):
    """Exact expectation values (Qiskit's V2 Estimator interface).

    Args:
        default_precision: the standard deviation of the Gaussian noise
            added to each value (0: exact).
        seed: seeds that noise.
    """

    def __init__(self, *, default_precision=0.0, seed=None):
        self._default_precision = default_precision
        self._seed = seed

    @property
    def default_precision(self):
        return self._default_precision

    @property
    def seed(self):
        return self._seed

    def run(self, pubs, *, precision=None):
        if precision is None:
            precision = self._default_precision
        coerced = [EstimatorPub.coerce(pub, precision) for pub in pubs]
        job = PrimitiveJob(self._run, coerced)
        job._submit()
        return job

    def _run(self, pubs):
        return PrimitiveResult([self._run_pub(p) for p in pubs], metadata={"version": 2})

    def _run_pub(self, pub):
        rng = np.random.default_rng(self._seed)
        circ, names = to_qsim(pub.circuit)
        shape = pub.shape
        flat, rows = _bindings(pub.parameter_values, pub.circuit, names, shape)
        obs = pub.observables
        oidx = np.broadcast_to(np.arange(max(obs.size, 1)).reshape(obs.shape), shape)
        obs_flat = np.asarray(obs.tolist(), dtype=object).reshape(-1)
        n = circ.num_qubits
        hams = {}
        evs = np.zeros(shape, dtype=np.float64)
        with Program(circ, defer_measure=True) as prog:
            if prog.is_dynamic:
                raise QsimUnsupported("Estimator: the circuit measures, resets or branches "
                                      "before its end", "QS_EUNSUPPORTED")
            states = {}
            try:
                for index in np.ndindex(*shape):
                    r, o = int(rows[index]), int(oidx[index])
                    if r not in states:
                        s = State(n)
                        prog.run(s, dict(zip(names, flat[r])) if names else None)
                        states[r] = s
                    if o not in hams:
                        terms = obs_flat[o]
                        hams[o] = Hamiltonian.from_labels(
                            [(lbl, float(np.real(c))) for lbl, c in terms.items()], n)
                    evs[index] = states[r].expectation(hams[o])
            finally:
                for s in states.values():
                    s.close()
                for h in hams.values():
                    h.close()
        if pub.precision != 0:
            evs = rng.normal(evs, pub.precision)
        data = DataBin(evs=evs, stds=np.zeros_like(evs), shape=evs.shape)
        return PubResult(data, metadata={"target_precision": pub.precision,
                                         "circuit_metadata": pub.circuit.metadata})


def _register_bits(qc):
    """[(name, [clbit index ...])] of the circuit's classical registers
    (one "c" register for loose bits)."""
    if qc.cregs:
        return [(r.name, [qc.find_bit(b).index for b in r]) for r in qc.cregs]
    return [("c", list(range(qc.num_clbits)))]


def _words(samples):
    """shots x W uint64 words (the layout of Program.sample)."""
    return samples.reshape(len(samples), -1)


def _register_values(words, idx):
    """Per shot, the register's bits (idx[0] least significant) as Python ints."""
    out = np.zeros(words.shape[0], dtype=object)
    for j, b in enumerate(idx):
        bit = (words[:, b // 64] >> np.uint64(b % 64)) & np.uint64(1)
        out += bit.astype(object) << j
    return out


class Sampler(BaseSamplerV2):
    """Shots from the library's sampler (Qiskit's V2 Sampler interface).

    Args:
        default_shots: shots for PUBs that give none.
        seed: seeds the draws (None: fresh randomness).
    """

    def __init__(self, *, default_shots=1024, seed=None):
        self._default_shots = default_shots
        self._seed = seed

    @property
    def default_shots(self):
        return self._default_shots

    @property
    def seed(self):
        return self._seed

    def run(self, pubs, *, shots=None):
        if shots is None:
            shots = self._default_shots
        coerced = [SamplerPub.coerce(pub, shots) for pub in pubs]
        job = PrimitiveJob(self._run, coerced)
        job._submit()
        return job

    def _run(self, pubs):
        seeds = _seeds(self._seed)
        return PrimitiveResult([self._run_pub(p, seeds) for p in pubs],
                               metadata={"version": 2})

    def _run_pub(self, pub, seeds):
        qc = pub.circuit
        circ, names = to_qsim(qc)
        shape = pub.shape
        flat, rows = _bindings(pub.parameter_values, qc, names, shape)
        regs = _register_bits(qc)
        arrays = {name: np.zeros(shape + (pub.shots, (len(idx) + 7) // 8), dtype=np.uint8)
                  for name, idx in regs}
        with circ.compile() as prog:
            for index in np.ndindex(*shape):
                r = int(rows[index])
                rng = Rng(int(seeds.integers(2**62)))
                words = _words(prog.sample(pub.shots, dict(zip(names, flat[r])) if names
                                           else None, rng=rng))
                for name, idx in regs:
                    vals = _register_values(words, idx)
                    nbytes = arrays[name].shape[-1]
                    arrays[name][index] = np.array(
                        [list(int(v).to_bytes(nbytes, "big")) for v in vals],
                        dtype=np.uint8).reshape(pub.shots, nbytes)
        data = DataBin(**{name: BitArray(arrays[name], len(idx)) for name, idx in regs},
                       shape=shape)
        return SamplerPubResult(data, metadata={"shots": pub.shots,
                                                "circuit_metadata": qc.metadata})


class _Job(JobV1):
    _async = False

    def __init__(self, backend, job_id, result):
        super().__init__(backend, job_id)
        self._result = result

    def submit(self):
        return

    def result(self, timeout=None):
        return self._result

    def status(self):
        return JobStatus.DONE


_EXTRA = ("measure", "reset")


class Backend(BackendV2):
    """A BackendV2 on qsim: transpile(qc, backend) keeps to gates the
    library has by name; run(circuits, shots=1024, seed_simulator=None,
    memory=False) returns a Result with counts (and per-shot memory)."""

    def __init__(self, provider=None, **fields):
        super().__init__(provider=provider, name="qsim", description="qsim state-vector "
                         "simulator", backend_version="0.1", **fields)
        self._target = None

    @property
    def max_circuits(self):
        return None

    @property
    def target(self):
        if self._target is None:
            std = get_standard_gate_name_mapping()
            t = Target(description="qsim", num_qubits=None)
            for name in list(GATES) + list(_EXTRA):
                if name in std and name != "id":
                    t.add_instruction(std[name], name=name)
            self._target = t
        return self._target

    @classmethod
    def _default_options(cls):
        return Options(shots=1024, memory=False, seed_simulator=None)

    def run(self, run_input, **options):
        opts = {k: options.get(k, getattr(self.options, k))
                for k in ("shots", "memory", "seed_simulator")}
        unknown = set(options) - set(opts)
        if unknown:
            raise ValueError("Backend.run: unknown options %s" % sorted(unknown))
        circuits = [run_input] if isinstance(run_input, QuantumCircuit) else list(run_input)
        seeds = _seeds(opts["seed_simulator"])
        start = time.time()
        results = [self._run_circuit(qc, opts, seeds) for qc in circuits]
        job_id = str(uuid.uuid4())
        res = Result.from_dict({
            "backend_name": self.name, "backend_version": self.backend_version,
            "job_id": job_id, "results": results, "status": "COMPLETED", "success": True,
            "time_taken": time.time() - start})
        return _Job(self, job_id, res)

    def _run_circuit(self, qc, opts, seeds):
        if qc.parameters:
            raise ValueError("Backend.run: circuit %r has unbound parameters %s"
                             % (qc.name, [p.name for p in qc.parameters]))
        start = time.time()
        shots = int(opts["shots"])
        circ, _ = to_qsim(qc)
        rng = Rng(int(seeds.integers(2**62)))
        data = {}
        if qc.num_clbits:
            with circ.compile() as prog:
                words = _words(prog.sample(shots, rng=rng))
            vals = _register_values(words, list(range(qc.num_clbits)))
            memory = [hex(int(v)) for v in vals]
            data["counts"] = dict(Counter(memory))
            if opts["memory"]:
                data["memory"] = memory
        else:
            data["counts"] = {}
        header = {
            "name": qc.name, "n_qubits": qc.num_qubits,
            "qreg_sizes": [[r.name, r.size] for r in qc.qregs],
            "creg_sizes": [[r.name, r.size] for r in qc.cregs],
            "clbit_labels": [[r.name, j] for r in qc.cregs for j in range(r.size)],
            "memory_slots": qc.num_clbits, "global_phase": float(qc.global_phase),
            "metadata": qc.metadata or {}}
        return {"name": qc.name, "seed_simulator": opts["seed_simulator"], "shots": shots,
                "data": data, "status": "DONE", "success": True, "header": header,
                "time_taken": time.time() - start}
