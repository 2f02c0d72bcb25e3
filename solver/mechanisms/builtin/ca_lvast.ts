/**
 * `Ca_LVAst`, low-voltage-activated Ca²⁺ (Avery & Johnston 1996, shifted by 10 mV; spec/mechanisms.md §2.9), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const CA_LVAST_NMODL = `TITLE Ca_LVAst: low-voltage-activated calcium current
NEURON {
  SUFFIX Ca_LVAst
  USEION ca READ eca WRITE ica
  RANGE gCa_LVAstbar, gCa_LVAst
}
PARAMETER {
  gCa_LVAstbar = 0.00001 (S/cm2)
}
CONSTANT {
  qt = 2.952882641412121 : 2.3^((34 - 21)/10)
}
ASSIGNED {
  v (mV)
  eca (mV)
  ica (mA/cm2)
  gCa_LVAst (S/cm2)
  mInf
  mTau (ms)
  hInf
  hTau (ms)
}
STATE { m h }
BREAKPOINT {
  SOLVE states METHOD cnexp
  gCa_LVAst = gCa_LVAstbar*m*m*h
  ica = gCa_LVAst*(v - eca)
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
  LOCAL u
  u = vm + 10
  mInf = 1.0000/(1 + exp((u - -30.000)/-6))
  mTau = (5.0000 + 20.0000/(1 + exp((u - -25.000)/5)))/qt
  hInf = 1.0000/(1 + exp((u - -80.000)/6.4))
  hTau = (20.0000 + 50.0000/(1 + exp((u - -40.000)/7)))/qt
}`;
