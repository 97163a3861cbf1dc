OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
cx(0.5) q[0], q[1];
