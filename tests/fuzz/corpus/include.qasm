OPENQASM 2.0;
include "qelib1.inc";
include "other.inc";
