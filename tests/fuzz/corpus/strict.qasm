!OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
cu3(0.1,0.2,0.3) q[0],q[1];
crz(1) q[1], q[0];
