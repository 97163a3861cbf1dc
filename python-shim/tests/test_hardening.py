"""Issue 14, the Python side: every call checks lengths and ranges before
C sees them, and objects are safe to close while another thread uses
them."""

import threading

import numpy as np
import pytest

import qsim
from qsim._ffi import C


def test_minimize_checks_the_length_of_x0():
    # the library reads num_params values: a shorter x0 was read past its end
    E = qsim.Objective(qsim.hea(2, 2), qsim.Hamiltonian([(1.0, "Z0 Z1")], 2))
    with pytest.raises(ValueError, match="x0 has"):
        qsim.minimize(E, np.zeros(E.num_params - 4))
    r = qsim.minimize(E, np.zeros(E.num_params), maxiter=3)
    assert np.isfinite(r.fun)


def test_thread_counts_are_bounded():
    with pytest.raises(ValueError, match="num_threads"):
        qsim.set_num_threads(10 ** 6)
    with pytest.raises(ValueError, match="out of range"):
        qsim.parallel_for(-1, lambda i, t: None)       # was SIZE_MAX: a hang
    with pytest.raises(ValueError, match="num_threads"):
        qsim.parallel_for(3, lambda i, t: None, num_threads=-1)
    seen = []
    qsim.parallel_for(3, lambda i, t: seen.append(i), num_threads=2)
    assert sorted(seen) == [0, 1, 2]


def test_qubits_that_do_not_fit_a_c_int_are_refused():
    s = qsim.State(2)
    with pytest.raises(ValueError, match="out of range"):
        s.apply("h", 2 ** 40)                           # acted on qubit 0
    assert abs(s.amplitudes[0] - 1) < 1e-15


def test_parameter_counts_are_bounded():
    with pytest.raises(qsim.QsimError, match="parameters"):
        qsim.hea(4, 10 ** 9)                            # hung, quadratic
    with pytest.raises(ValueError):
        qsim.hea(4, -1)


def test_non_finite_constant_arguments_are_refused():
    c = qsim.Circuit(1)
    with pytest.raises(qsim.QsimError, match="not a finite number"):
        c.append("rx", [0], ["1/0"])
    assert len(c) == 0


def test_close_while_a_call_is_in_flight_defers_the_destroy():
    s = qsim.State(3)
    use = s._handle                  # what a call on another thread holds
    s.close()
    assert s.closed
    with pytest.raises(ValueError, match="closed"):
        s.num_qubits                 # new calls are refused at once
    assert C.qs_state_num_qubits(use) == 3   # the object is still alive
    del use                          # the last call returns: destroyed now


def test_close_from_another_thread_during_calls():
    errors = []
    for _ in range(20):
        s = qsim.State(10)
        stop = threading.Event()

        def work():
            try:
                while not stop.is_set():
                    s.apply("h", 3)
            except ValueError:
                pass                  # closed: the documented outcome
            except BaseException as e:
                errors.append(e)

        t = threading.Thread(target=work)
        t.start()
        s.close()
        stop.set()
        t.join()
    assert not errors, errors


def test_one_circuit_appended_to_from_several_threads():
    c = qsim.Circuit(3)

    def work(k):
        for i in range(500):
            c.append("rz", [(i + k) % 3], [0.1])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(c) == 2000
    assert np.isclose(np.linalg.norm(c.statevector()), 1)


def test_oversized_classifiers_say_how_much_memory(tmp_path, monkeypatch):
    # 30 classes on the default qubit count: 2^30 x 30 doubles were malloc'ed
    p = tmp_path / "k30.model"
    p.write_text("qsim-classifier 1\nfeatures 8\nclasses 30\nqubits 0\nlayers 2\n")
    with pytest.raises(qsim.QsimError, match="30 classes need 30 qubits, more than the limit"):
        qsim.Classifier.load(str(p))
    monkeypatch.setenv("QSIM_MEMORY_LIMIT", "32M")
    with pytest.raises(MemoryError, match=r"need 0\.07\d* GiB, have 0\.0312 GiB"):
        qsim.Classifier(2, 2, 20, 1)
    monkeypatch.delenv("QSIM_MEMORY_LIMIT")
    assert qsim.Classifier(2, 2, 3, 1).num_qubits == 3


def test_messages_speak_of_the_input_not_of_library_functions(tmp_path):
    with pytest.raises(qsim.QsimError) as e:
        qsim.State(0)
    assert not e.value.message.startswith(("qs_", "qh_")), e.value.message
    p = tmp_path / "bad.txt"
    p.write_text("1.0 Z0\n2.0 Q1\n")
    with pytest.raises(qsim.QsimError) as e:
        qsim.Hamiltonian.from_file(str(p))
    assert str(e.value).startswith(str(p) + ":2:"), str(e.value)
    assert e.value.filename == str(p) and e.value.line == 2


def _close_during_calls(make, call):
    """close() on this thread while another thread calls the object: the
    calls either finish or raise ValueError (closed), never crash."""
    errors = []
    for _ in range(20):
        obj = make()
        stop = threading.Event()

        def work():
            try:
                while not stop.is_set():
                    call(obj)
            except ValueError:
                pass                  # closed: the documented outcome
            except BaseException as e:
                errors.append(e)

        t = threading.Thread(target=work)
        t.start()
        obj.close()
        stop.set()
        t.join()
    assert not errors, errors


def test_close_objective_and_hamiltonian_from_another_thread():
    H = lambda: qsim.Hamiltonian([(1.0, "Z0 Z1"), (0.5, "X2")], 8)
    _close_during_calls(lambda: qsim.Objective(qsim.hea(8, 2), H()),
                        lambda E: E.value_and_gradient(np.full(E.num_params, 0.1)))
    s = qsim.State(8)
    _close_during_calls(H, lambda h: s.expectation(h))
    # the deferred destroy: a call's reference keeps the object alive
    E = qsim.Objective(qsim.hea(3, 1), qsim.Hamiltonian([(1.0, "Z0")], 3))
    use = E._handle
    E.close()
    with pytest.raises(ValueError, match="closed"):
        E.num_params
    assert C.qh_objective_num_params(use) > 0
    del use


def test_integers_that_ctypes_would_wrap_are_refused():
    # ctypes cuts 2**64 + 1 to 1 and -1 to 2**64 - 1 without a word
    s = qsim.State(2)
    with pytest.raises(ValueError, match="first"):
        s.set_amplitudes([0.5], first=2 ** 64 + 1)      # wrote amplitude 1
    assert s.amplitudes[1] == 0
    with pytest.raises(ValueError, match="index -1"):
        s.set_basis(-1)
    with pytest.raises(ValueError, match="seed"):
        qsim.Rng(2 ** 64 + 5)                           # was seed 5
    with pytest.raises(ValueError, match="shots"):
        s.sample(-1)
    c = qsim.Circuit(2, 1)
    with pytest.raises(ValueError, match="qubit"):
        c.measure(2 ** 32, 0)                           # was qubit 0
    with pytest.raises(ValueError, match="qubit"):
        c.reset(2 ** 32)
    assert len(c) == 0
