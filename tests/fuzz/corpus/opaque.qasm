OPENQASM 2.0;
include "qelib1.inc";
opaque magic(a) x, y;
gate post q { }
qreg q[1];
post q[0];
id q;
u0(1) q;
