"""The README's Python blocks run as written (from the repository root,
whose ../shared holds the data), and `import qsim` works as the README
says it does."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED, SHIM

README = os.path.join(ROOT, "README.md")


def python_blocks():
    return re.findall(r"^```python\n(.*?)^```", open(README).read(), re.M | re.S)


def run_block(code, tmp_path):
    """Runs code as a script in a directory that, like the repository root,
    has the shared data at ../shared; returns its output."""
    root = tmp_path / "repo"
    root.mkdir()
    os.symlink(SHARED, tmp_path / "shared")
    script = tmp_path / "block.py"
    script.write_text(code)
    env = dict(os.environ, PYTHONPATH=SHIM, MPLBACKEND="Agg")
    p = subprocess.run([sys.executable, str(script)], cwd=root, env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, "README block failed:\n%s\n--- block:\n%s" % (p.stderr, code)
    return root, p.stdout


def test_readme_has_the_python_blocks():
    assert len(python_blocks()) == 3


def test_quick_start_runs_as_written(tmp_path):
    root, out = run_block(python_blocks()[0], tmp_path)
    assert "bad.qasm 3 1" in out and "OPENQASM 3.0;" in out
    assert "{'00': 503, '11': 497}" in out         # the numbers the README shows


def test_adapter_example_runs_as_written(tmp_path):
    for mod in ("torch", "sklearn", "matplotlib"):
        pytest.importorskip(mod)
    root, out = run_block(python_blocks()[1], tmp_path)
    assert out.startswith("0.9777")
    assert (root / "vqe.png").stat().st_size > 1000 and (root / "vqe.log").exists()


def import_qsim(python, tmp_path, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(env_extra or {})
    return subprocess.run([python, "-c", "import qsim; print(qsim.__file__)"],
                          cwd=cwd or tmp_path, env=env, capture_output=True, text=True)


def test_import_from_the_venv_anywhere(tmp_path):
    venv_python = os.path.join(ROOT, ".venv", "bin", "python")
    if not os.path.exists(venv_python):
        pytest.skip("no .venv (made by tools/setup.sh)")
    p = import_qsim(venv_python, tmp_path)
    assert p.returncode == 0, p.stderr
    assert os.path.realpath(p.stdout.strip()).startswith(os.path.realpath(SHIM))


def test_import_with_pythonpath_from_the_root(tmp_path):
    python = "/usr/bin/python3"
    if subprocess.run([python, "-c", "import numpy"], capture_output=True).returncode:
        pytest.skip("no numpy for " + python)
    p = import_qsim(python, tmp_path, {"PYTHONPATH": "python-shim"}, cwd=ROOT)
    assert p.returncode == 0, p.stderr


def test_library_search_order_and_a_clear_import_error(tmp_path, monkeypatch):
    from qsim import _lib
    monkeypatch.setenv("QSIM_LIBRARY", "/x/libqsim.so")
    where = [origin for _, origin in _lib._candidates("qsim", None)]
    assert where[0] == "QSIM_LIBRARY" and where[1] == "the build tree"
    assert where.index("the build tree") < where.index("the installed library")
    hy = [origin for _, origin in _lib._candidates("qsimhybrid", None, beside="/lib")]
    assert hy[0] == "beside libqsim"
    bad = tmp_path / "libqsim.so"
    bad.write_text("not a library")
    monkeypatch.setattr(_lib, "_candidates", lambda name, explicit, beside=None: [
        (str(bad), "QSIM_LIBRARY"), (str(tmp_path / "missing.so"), "the build tree")])
    with pytest.raises(ImportError) as e:
        _lib._open("qsim")
    msg = str(e.value)
    assert msg.startswith("cannot load libqsim; tried:")
    assert "missing.so (the build tree): not found" in msg and str(bad) in msg
    assert "QSIM_LIBRARY" in msg


def test_noise_example_runs_as_written(tmp_path):
    root, out = run_block(python_blocks()[2], tmp_path)
    assert out.strip() == "0.73 [0.45 0.05 0.05 0.45]"   # what the README says it prints
