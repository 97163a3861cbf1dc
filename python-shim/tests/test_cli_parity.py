"""One random stream: `qsim run --shots N --seed S` and Circuit.counts(N,
seed=S) give the same counts for the same circuit."""

import json
import subprocess

import pytest

import qsim

CIRCUITS = {
    "bell": "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
            "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n",
    "mid": "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg a[1];\ncreg b[2];\n"
           "h q[0];\nmeasure q[0] -> a[0];\nif (a == 1) x q[1];\nry(0.7) q[2];\n"
           "cx q[2],q[1];\nmeasure q[1] -> b[0];\nmeasure q[2] -> b[1];\n",
}


@pytest.mark.parametrize("name", sorted(CIRCUITS))
@pytest.mark.parametrize("seed", [7, 123])
def test_cli_and_python_counts_agree(name, seed, qsim_bin, tmp_path):
    path = tmp_path / (name + ".qasm")
    path.write_text(CIRCUITS[name])
    out = subprocess.run([qsim_bin, "run", str(path), "--shots", "1000", "--seed", str(seed)],
                         capture_output=True, text=True, check=True).stdout
    cli = json.loads(out)
    py = qsim.Circuit.from_file(str(path)).counts(1000, seed=seed)
    assert py == cli
    assert len(cli) > 1           # random outcomes, so the agreement says something
