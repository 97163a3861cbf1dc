OPENQASM 2.0;
include "qelib1.inc";
gate cu(theta, phi, lambda) c, t { u3(theta, phi, lambda) t; cx c, t; }
qreg q[2];
cu(1, 2, 3) q[0], q[1];
