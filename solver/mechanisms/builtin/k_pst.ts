/**
 * `K_Pst`, persistent K⁺ (Korngreen & Sakmann 2000, shifted by 10 mV; spec/mechanisms.md §2.4), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const K_PST_NMODL = `TITLE K_Pst: persistent potassium current
NEURON {
  SUFFIX K_Pst
  USEION k READ ek WRITE ik
  RANGE gK_Pstbar, gK_Pst
}
PARAMETER {
  gK_Pstbar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10)
}
ASSIGNED {
  v (mV)
  ek (mV)
  ik (mA/cm2)
  gK_Pst (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gK_Pst = gK_Pstbar*m*m*h
  ik = gK_Pst*(v - ek)
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
  LOCAL u, x
  u = vm + 10
  mInf = 1/(1 + exp(-(u + 1)/12))
  if (u < -50) {
    mTau = (1.25 + 175.03*exp(-u*-0.026))/qt
  } else {
    mTau = (1.25 + 13*exp(-u*0.026))/qt
  }
  hInf = 1/(1 + exp(-(u + 54)/-11))
  x = (u + 75)/48
  hTau = (360 + (1010 + 24*(u + 55))*exp(-(x*x)))/qt
}`;
