/**
 * `NaTa_t`, transient Na⁺ (Colbert & Pan 2002; spec/mechanisms.md §2.2), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const NATA_T_NMODL = `TITLE NaTa_t: transient sodium current
NEURON {
  SUFFIX NaTa_t
  USEION na READ ena WRITE ina
  RANGE gNaTa_tbar, gNaTa_t
}
PARAMETER {
  gNaTa_tbar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10), no celsius dependence
}
ASSIGNED {
  v (mV)
  ena (mV)
  ina (mA/cm2)
  gNaTa_t (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gNaTa_t = gNaTa_tbar*m*m*m*h
  ina = gNaTa_t*(v - ena)
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
  if (vs == -38) { vs = vs + 0.0001 }
  mAlpha = (0.182*(vs - -38))/(1 - exp(-(vs - -38)/6))
  mBeta = (0.124*(-vs - 38))/(1 - exp(-(-vs - 38)/6))
  mTau = (1/(mAlpha + mBeta))/qt
  mInf = mAlpha/(mAlpha + mBeta)
  if (vs == -66) { vs = vs + 0.0001 }
  hAlpha = (-0.015*(vs - -66))/(1 - exp((vs - -66)/6))
  hBeta = (-0.015*(-vs - 66))/(1 - exp((-vs - 66)/6))
  hTau = (1/(hAlpha + hBeta))/qt
  hInf = hAlpha/(hAlpha + hBeta)
}`;
