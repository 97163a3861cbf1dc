"""The figures the README quotes for commands, compared with what the
commands print now (so that they cannot drift again)."""

import json
import os
import re
import subprocess

import pytest

import qsim
from conftest import shared

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
README = open(os.path.join(ROOT, "README.md")).read()
DATA = {"iris": "iris", "moons": "moons", "circles": "circles",
        "breast cancer": "breast_cancer"}


def classifier_rows():
    rows = re.findall(r"^\| (iris|moons|circles|breast cancer) \| \d+ \| \d+ \| \d+ \| "
                      r"([0-9.]+) \| ([0-9.]+) \|$", README, re.M)
    assert len(rows) == 4, "the README's classifier table"
    return rows


@pytest.mark.parametrize("name, train, test", classifier_rows())
def test_classifier_table(name, train, test, qsim_bin, tmp_path):
    # the README's figures are those of the shipped fusion cost rows: a
    # table calibrated here (tools/run.sh) moves breast cancer's last bits
    backend = qsim.default_backend()
    if name == "breast cancer" and backend != "cpu-avx512":
        m = re.search(r"`%s` prints ([0-9.]+) /\s+([0-9.]+)" % re.escape(backend), README)
        assert m, "the README quotes no breast-cancer figures for " + backend
        train, test = m.groups()
    d = shared(os.path.join("data", "classification"))
    out = subprocess.run([qsim_bin, "train", "--train", os.path.join(d, DATA[name] + "_train.csv"),
                          "--test", os.path.join(d, DATA[name] + "_test.csv"), "--model",
                          str(tmp_path / "m.qsim"), "--quiet"],
                         capture_output=True, text=True, check=True,
                         env=dict(os.environ, QSIM_COST_MODEL="shipped")).stdout
    assert "train accuracy %s" % train in out, out
    assert re.search(r"test accuracy\s+%s" % re.escape(test), out), out


def test_run_shots_line(qsim_bin, tmp_path):
    m = re.search(r"^qsim run bell\.qasm --shots 1000 --seed 7\s+# (\{.*\})$", README, re.M)
    assert m, "the README's qsim run --shots line"
    bell = tmp_path / "bell.qasm"
    bell.write_text("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
                    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n")
    out = subprocess.run([qsim_bin, "run", str(bell), "--shots", "1000", "--seed", "7"],
                         capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == json.loads(m.group(1))
    assert qsim.Circuit.from_file(str(bell)).counts(1000, seed=7) == json.loads(m.group(1))
