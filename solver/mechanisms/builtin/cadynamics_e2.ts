/**
 * `CaDynamics_E2`, the submembrane Ca²⁺ pool (after Destexhe et al. 1994; spec/mechanisms.md §2.12), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const CADYNAMICS_E2_NMODL = `TITLE CaDynamics_E2: submembrane calcium pool
NEURON {
  SUFFIX CaDynamics_E2
  USEION ca READ ica WRITE cai
  RANGE decay, gamma, minCai, depth
}
UNITS {
  FARADAY = (faraday) (coulombs)
}
PARAMETER {
  gamma = 0.05 : fraction of free calcium
  decay = 80 (ms)
  depth = 0.1 (um)
  minCai = 1e-4 (mM)
}
ASSIGNED {
  ica (mA/cm2)
}
STATE { cai (mM) }
BREAKPOINT {
  SOLVE states METHOD cnexp
}
DERIVATIVE states {
  cai' = -(10000)*(ica*gamma/(2*FARADAY*depth)) - (cai - minCai)/decay
}`;
