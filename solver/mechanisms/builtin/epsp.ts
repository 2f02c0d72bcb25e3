/**
 * `epsp`, an EPSP-shaped current (Schaefer et al. 2003; spec/mechanisms.md §6), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const EPSP_NMODL = `TITLE epsp: double-exponential current waveform
NEURON {
  POINT_PROCESS epsp
  RANGE onset, tau0, tau1, imax, i
  NONSPECIFIC_CURRENT i
}
PARAMETER {
  onset = 0 (ms)
  tau0 = 0.2 (ms)
  tau1 = 3.0 (ms)
  imax = 0 (nA)
}
ASSIGNED {
  v (mV)
  i (nA)
}
INITIAL {
  i = 0
}
BREAKPOINT {
  i = curr(t)
}
FUNCTION myexp(x) {
  if (x < -100) {
    myexp = 0
  } else {
    myexp = exp(x)
  }
}
FUNCTION curr(x (ms)) (nA) {
  LOCAL tpeak, adjust, amp
  tpeak = tau0*tau1*log(tau0/tau1)/(tau0 - tau1)
  adjust = 1/((1 - myexp(-tpeak/tau0)) - (1 - myexp(-tpeak/tau1)))
  amp = adjust*imax
  if (x < onset) {
    curr = 0
  } else {
    curr = -amp*((1 - myexp(-(x - onset)/tau0)) - (1 - myexp(-(x - onset)/tau1)))
  }
}`;
