OPENQASM 2.0;
include "qelib1.inc";
opaque teleporter a, b;
qreg q[2];
teleporter q[0], q[1];
