/**
 * `Ih`, the HCN current (Kole et al. 2006; spec/mechanisms.md §2.10), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const IH_NMODL = `TITLE Ih: hyperpolarization-activated cation current
NEURON {
  SUFFIX Ih
  NONSPECIFIC_CURRENT ihcn
  RANGE gIhbar, gIh
}
PARAMETER {
  gIhbar = 0.00001 (S/cm2)
  ehcn = -45.0 (mV)
}
ASSIGNED {
  v (mV)
  ihcn (mA/cm2)
  gIh (S/cm2)
  mInf
  mTau (ms)
}
STATE { m }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gIh = gIhbar*m
  ihcn = gIh*(v - ehcn)
}
DERIVATIVE states {
  rates(v)
  m' = (mInf - m)/mTau
}
INITIAL {
  rates(v)
  m = mInf
}
PROCEDURE rates(vm (mV)) {
  LOCAL vs, mAlpha, mBeta
  vs = vm
  if (vs == -154.9) { vs = vs + 0.0001 }
  mAlpha = 0.001*6.43*(vs + 154.9)/(exp((vs + 154.9)/11.9) - 1)
  mBeta = 0.001*193*exp(vs/33.1)
  mInf = mAlpha/(mAlpha + mBeta)
  mTau = 1/(mAlpha + mBeta)
}`;
