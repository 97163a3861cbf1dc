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
