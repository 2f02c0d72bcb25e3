/**
 * `IClamp`, NEURON's current clamp (spec/mechanisms.md §6), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const ICLAMP_NMODL = `TITLE IClamp: current clamp
NEURON {
  POINT_PROCESS IClamp
  RANGE del, dur, amp, i
  ELECTRODE_CURRENT i
}
PARAMETER {
  del = 0 (ms)
  dur = 0 (ms)
  amp = 0 (nA)
}
ASSIGNED {
  i (nA)
}
INITIAL {
  i = 0
}
BREAKPOINT {
  if (t < del + dur && t >= del) {
    i = amp
  } else {
    i = 0
  }
}`;
