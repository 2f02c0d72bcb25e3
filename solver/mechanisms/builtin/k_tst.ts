/**
 * `K_Tst`, transient K⁺ (Korngreen & Sakmann 2000, shifted by 10 mV; spec/mechanisms.md §2.5), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const K_TST_NMODL = `TITLE K_Tst: transient potassium current
NEURON {
  SUFFIX K_Tst
  USEION k READ ek WRITE ik
  RANGE gK_Tstbar, gK_Tst
}
PARAMETER {
  gK_Tstbar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10)
}
ASSIGNED {
  v (mV)
  ek (mV)
  ik (mA/cm2)
  gK_Tst (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gK_Tst = gK_Tstbar*(m*m*m*m)*h
  ik = gK_Tst*(v - ek)
}
DERIVATIVE states {
  rates(v)
  m' = (mInf - m)/mTau
  h' = (hInf - h)/hTau
}
INITIAL {
  rates(v)
  m = mInf
  h = hInf
}
PROCEDURE rates(vm (mV)) {
  LOCAL u, xm, xh
  u = vm + 10
  mInf = 1/(1 + exp(-(u + 0)/19))
  xm = (u + 71)/59
  mTau = (0.34 + 0.92*exp(-(xm*xm)))/qt
  hInf = 1/(1 + exp(-(u + 66)/-10))
  xh = (u + 73)/23
  hTau = (8 + 49*exp(-(xh*xh)))/qt
}`;
