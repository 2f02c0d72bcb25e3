/**
 * `SK_E2`, Ca²⁺-activated K⁺ (Köhler et al. 1996; spec/mechanisms.md §2.7), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const SK_E2_NMODL = `TITLE SK_E2: calcium-activated potassium current
NEURON {
  SUFFIX SK_E2
  USEION k READ ek WRITE ik
  USEION ca READ cai
  RANGE gSK_E2bar, gSK_E2
  GLOBAL zTau
}
PARAMETER {
  gSK_E2bar = 0.000001 (S/cm2)
  zTau = 1 (ms)
}
ASSIGNED {
  v (mV)
  ek (mV)
  cai (mM)
  ik (mA/cm2)
  gSK_E2 (S/cm2)
  zInf
}
STATE { z }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gSK_E2 = gSK_E2bar*z
  ik = gSK_E2*(v - ek)
}
DERIVATIVE states {
  rates(cai)
  z' = (zInf - z)/zTau
}
INITIAL {
  rates(cai)
  z = zInf
}
PROCEDURE rates(ca (mM)) {
  LOCAL c
  c = ca
  if (c < 1e-7) { c = c + 1e-07 }
  zInf = 1/(1 + (0.00043/c)^4.8)
}`;
