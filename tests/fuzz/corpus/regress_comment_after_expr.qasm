OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
rz(0.000000000000/*000001) q[0];
