TITLE Three-state K channel: KINETIC scheme with CONSERVE (simrun test of METHOD sparse)

NEURON {
  SUFFIX t_kin3
  USEION k READ ek WRITE ik
  RANGE gbar, ik
}
UNITS { (mV) = (millivolt) (mA) = (milliamp) (S) = (siemens) }
PARAMETER { gbar = 0.02 (S/cm2) q10 = 2.3 celsius (degC) }
ASSIGNED { v (mV) ek (mV) ik (mA/cm2) a1 (/ms) b1 (/ms) a2 (/ms) b2 (/ms) }
STATE { C1 C2 O }
BREAKPOINT {
  SOLVE kst METHOD sparse
  ik = gbar*O*(v - ek)
}
INITIAL { SOLVE kst STEADYSTATE sparse }
KINETIC kst {
  rates(v)
  ~ C1 <-> C2 (a1, b1)
  ~ C2 <-> O (a2, b2)
  CONSERVE C1 + C2 + O = 1
}
PROCEDURE rates(v (mV)) { LOCAL qt
  qt = q10^((celsius - 22)/10)
  a1 = qt*0.1*exp((v + 30)/20)
  b1 = qt*0.05*exp(-(v + 30)/20)
  a2 = qt*0.2*exp((v + 20)/30)
  b2 = qt*0.1*exp(-(v + 20)/25)
}
