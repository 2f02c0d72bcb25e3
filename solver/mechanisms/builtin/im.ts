/**
 * `Im`, the muscarinic K⁺ current (Adams et al. 1982; spec/mechanisms.md §2.11), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const IM_NMODL = `TITLE Im: muscarinic potassium current
NEURON {
  SUFFIX Im
  USEION k READ ek WRITE ik
  RANGE gImbar, gIm
}
PARAMETER {
  gImbar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10)
}
ASSIGNED {
  v (mV)
  ek (mV)
  ik (mA/cm2)
  gIm (S/cm2)
  mInf
  mTau (ms)
}
STATE { m }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gIm = gImbar*m
  ik = gIm*(v - ek)
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
  LOCAL mAlpha, mBeta
  mAlpha = 3.3e-3*exp(2.5*0.04*(vm - -35))
  mBeta = 3.3e-3*exp(-2.5*0.04*(vm - -35))
  mInf = mAlpha/(mAlpha + mBeta)
  mTau = (1/(mAlpha + mBeta))/qt
}`;
