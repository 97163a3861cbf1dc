"""Circuit-level extra controls and the status codes read from the library."""

import numpy as np
import pytest

import qsim
from qsim import _ffi


def test_circuit_controls_match_state_controls():
    c = qsim.Circuit(4)
    c.h(0).h(1).h(2)
    c.append("ry", [3], ["2*t"], controls=[0, 2], control_values=[1, 0])
    c.matrix(np.array([[0, 1j], [1j, 0]]), [1], controls=[3], control_values=[1])
    s = qsim.State(4)
    for q in range(3):
        s.apply("h", q)
    s.apply("ry", 3, params=[1.2], controls=[0, 2], control_values=[1, 0])
    s.apply_matrix(np.array([[0, 1j], [1j, 0]]), [1], controls=[3], control_values=[1])
    assert np.allclose(c.statevector({"t": 0.6}), s.amplitudes, atol=1e-12)
    assert not np.allclose(c.statevector({"t": 0.6}), c.statevector({"t": 0.0}))


def test_controls_errors():
    c = qsim.Circuit(3)
    with pytest.raises(qsim.QsimValueError, match="control"):
        c.append("x", [0], controls=[0])
    with pytest.raises(ValueError, match="control values"):
        c.append("x", [0], controls=[1, 2], control_values=[1])
    with pytest.raises(qsim.QsimValueError, match="control_values"):
        c.append("x", [0], controls=[1], control_values=[3])
    assert len(c) == 0


def test_status_codes_come_from_the_library():
    codes = _ffi.STATUS_CODES
    assert codes["QS_OK"] == 0 and len(codes) == len(set(codes.values()))
    for name, value in codes.items():
        assert _ffi.C.qs_status_name(value).decode() == name
    assert {"QS_EINVAL", "QS_ECALLBACK", "QS_EINTERNAL"} <= set(codes)


def test_measure_all_adds_a_register_like_qiskit():
    c = qsim.Circuit(2).h(0).cx(0, 1).measure_all()
    assert c.num_clbits == 2 and [tuple(r) for r in c.cregs] == [("meas", 0, 2)]
    counts = c.counts(2000, seed=3)
    assert set(counts) == {"00", "11"} and sum(counts.values()) == 2000
    assert "bit[2] meas;" in c.to_qasm(3) or "creg meas[2];" in c.to_qasm()
    d = qsim.Circuit(2, 1).h(0).measure(0, 0).measure_all()
    assert [tuple(r) for r in d.cregs] == [("c", 0, 1), ("meas", 1, 2)]
    assert set(d.counts(500, seed=1)) == {"00 0", "01 1"}     # meas = q1 q0, c = q0
    with pytest.raises(qsim.QsimValueError, match="already exists"):
        d.add_register("meas", 1)
    with pytest.raises(qsim.QsimValueError, match="identifier"):
        d.add_register("2x", 1)


def test_statevector_through_certain_resets():
    # a reset at the start (as Qiskit's Initialize transpiles to) is certain
    c = qsim.Circuit(2).reset(0).reset(1).h(0).cx(0, 1)
    assert np.allclose(c.statevector(), [2**-0.5, 0, 0, 2**-0.5])
    # so is a reset of a qubit known to be |1>, and a measurement of a basis state
    c = qsim.Circuit(2, 1).x(1).reset(1).x(0).measure(0, 0).h(1)
    assert np.allclose(c.statevector(), [0, 2**-0.5, 0, 2**-0.5])
    with pytest.raises(qsim.QsimValueError, match="random outcome"):
        qsim.Circuit(1).h(0).reset(0).statevector()
