/**
 * `Ca_HVA`, high-voltage-activated Ca²⁺ (Reuveni et al. 1993; spec/mechanisms.md §2.8), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const CA_HVA_NMODL = `TITLE Ca_HVA: high-voltage-activated calcium current
NEURON {
  SUFFIX Ca_HVA
  USEION ca READ eca WRITE ica
  RANGE gCa_HVAbar, gCa_HVA
}
PARAMETER {
  gCa_HVAbar = 0.00001 (S/cm2)
}
ASSIGNED {
  v (mV)
  eca (mV)
  ica (mA/cm2)
  gCa_HVA (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gCa_HVA = gCa_HVAbar*m*m*h
  ica = gCa_HVA*(v - eca)
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
  LOCAL vs, mAlpha, mBeta, hAlpha, hBeta
  vs = vm
  if (vs == -27) { vs = vs + 0.0001 }
  mAlpha = (0.055*(-27 - vs))/(exp((-27 - vs)/3.8) - 1)
  mBeta = 0.94*exp((-75 - vs)/17)
  mInf = mAlpha/(mAlpha + mBeta)
  mTau = 1/(mAlpha + mBeta)
  hAlpha = 0.000457*exp((-13 - vs)/50)
  hBeta = 0.0065/(exp((-vs - 15)/28) + 1)
  hInf = hAlpha/(hAlpha + hBeta)
  hTau = 1/(hAlpha + hBeta)
}`;
