/**
 * `pas`, NEURON's passive leak (spec/mechanisms.md §2.1), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const PAS_NMODL = `TITLE pas: passive membrane leak
NEURON {
  SUFFIX pas
  NONSPECIFIC_CURRENT i
  RANGE g, e
}
PARAMETER {
  g = 0.001 (S/cm2)
  e = -70 (mV)
}
ASSIGNED {
  v (mV)
  i (mA/cm2)
}
BREAKPOINT {
  i = g*(v - e)
}`;
