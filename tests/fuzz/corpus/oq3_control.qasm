OPENQASM 3.0;
include "stdgates.inc";
gate global_phase(p0) {
}
bit[2] c;
bit b;
qubit[2] q;
qubit r;
h q[0];
c[0] = measure q[0];
if (c == 1) {
  x q[1];
}
if (c[0]) {
  x r;
} else {
  z r;
}
if (!c[1]) y q[0];
global_phase(0.3) ;
gphase(-0.5);
b = measure r;
measure q[1];
reset q;
barrier;
