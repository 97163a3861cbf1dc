// H2 (4 spin orbitals, Jordan-Wigner, qubit 0 least significant): the
// two-determinant ansatz cos(t/2)|q2 q3 occupied> + sin(t/2)|q0 q1 occupied>
// (t = pi is Hartree-Fock), which holds H2's ground state.
OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[4] q;
bit[4] c;
ry(theta) q[0];
cx q[0], q[1];
x q[2];
x q[3];
cx q[0], q[2];
cx q[1], q[3];
c = measure q;
