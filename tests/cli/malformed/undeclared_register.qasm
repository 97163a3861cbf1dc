OPENQASM 2.0;
include "qelib1.inc";
qreg qr[2];
creg c[2];
h qr[0];
measure q -> c;
