OPENQASM 2.0;
include "qelib1.inc";
/* block
 comment */ qreg q[1]; // line
h q[0]	;
