OPENQASM 3.0;
include "stdgates.inc";
gate global_phase(p0) {
}
bit[2] c;
bit b;
qubit[2] q;barrier;
