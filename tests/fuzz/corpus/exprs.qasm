OPENQASM 3.0;
include "stdgates.inc";
input float[64] t;
gate e0(x) a { rz(x) a; }
gate e1(x) a { e0(x+x) a; }
gate e2(x) a { e1(x*x) a; }
qubit[1] q;
e2(t) q[0];
