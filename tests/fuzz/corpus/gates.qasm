OPENQASM 2.0;
include "qelib1.inc";
gate rot(theta, phi) x { rz(phi) x; ry(theta) x; rz(-phi) x; }
gate ent(theta) x, y { h x; cx x, y; rot(theta, theta/2) y; }
qreg q[3];
ent(sin(0.3)+ln(2)) q[0], q[1];
rot(-pi/4*2^2, .5e-1) q[2];
u3(2*pi/3, 1/2, -(1+1)/4) q[1];
