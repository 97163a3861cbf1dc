OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
input float phi;
input angle[32] lam;
gate rzz(p0) _gate_q_0, _gate_q_1 {
  cx _gate_q_0, _gate_q_1;
  rz(p0) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
}
bit[2] c;
qubit[2] q;
h q[0];
rx(0.1 + 2*theta) q[1];
ry(theta**2) q[1];
U(theta, phi, lam) q[0];
rzz(abs(phi)) q[0], q[1];
c[0] = measure q[0];
c[1] = measure q[1];
