/**
 * `Nap_Et2`, persistent Na⁺ (Magistretti & Alonso 1999; spec/mechanisms.md §2.3), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const NAP_ET2_NMODL = `TITLE Nap_Et2: persistent sodium current
NEURON {
  SUFFIX Nap_Et2
  USEION na READ ena WRITE ina
  RANGE gNap_Et2bar, gNap_Et2
}
PARAMETER {
  gNap_Et2bar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10)
}
ASSIGNED {
  v (mV)
  ena (mV)
  ina (mA/cm2)
  gNap_Et2 (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gNap_Et2 = gNap_Et2bar*m*m*m*h
  ina = gNap_Et2*(v - ena)
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
  mInf = 1.0/(1 + exp((vs - -52.6)/-4.6))
  if (vs == -38) { vs = vs + 0.0001 }
  mAlpha = (0.182*(vs - -38))/(1 - exp(-(vs - -38)/6))
  mBeta = (0.124*(-vs - 38))/(1 - exp(-(-vs - 38)/6))
  mTau = 6*(1/(mAlpha + mBeta))/qt
  if (vs == -17) { vs = vs + 0.0001 }
  if (vs == -64.4) { vs = vs + 0.0001 }
  hInf = 1.0/(1 + exp((vs - -48.8)/10))
  hAlpha = -2.88e-6*(vs + 17)/(1 - exp((vs + 17)/4.63))
  hBeta = 6.94e-6*(vs + 64.4)/(1 - exp(-(vs + 64.4)/2.63))
  hTau = (1/(hAlpha + hBeta))/qt
}`;
