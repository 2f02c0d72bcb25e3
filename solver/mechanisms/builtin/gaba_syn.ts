/**
 * `gaba_syn`, ISF's GABA_A synapse (Polsky 2010 after Sun et al. 2006; depression and facilitation after Varela et al. 1997; spec/mechanisms.md §4.2), in our own NMODL.
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const GABA_SYN_NMODL = `TITLE gaba_syn: GABA_A conductance with depression and facilitation
NEURON {
  POINT_PROCESS gaba_syn
  NONSPECIFIC_CURRENT i
  RANGE e, risetime, decaytime, taudgaba, decaygaba, taufgaba, facilgaba
  RANGE i, g, factor
}
PARAMETER {
  e = -60.0 (mV)
  risetime = 1 (ms)
  decaytime = 20 (ms)
  taudgaba = 200 (ms)
  decaygaba = 0.8
  taufgaba = 200 (ms)
  facilgaba = 0.0
}
ASSIGNED {
  v (mV)
  i (nA)
  g (nS)
  factor
}
STATE {
  d_gaba
  f_gaba
  R (nS)
  D (nS)
}
INITIAL {
  LOCAL tp
  d_gaba = 1
  f_gaba = 1
  R = 0
  D = 0
  tp = (risetime*decaytime)/(decaytime - risetime)*log(decaytime/risetime)
  factor = -exp(-tp/risetime) + exp(-tp/decaytime)
  factor = 1/factor
}
BREAKPOINT {
  SOLVE states METHOD cnexp
  g = D - R
  i = (1e-3)*g*(v - e)
}
DERIVATIVE states {
  R' = -R/risetime
  D' = -D/decaytime
  d_gaba' = (1 - d_gaba)/taudgaba
  f_gaba' = (1 - f_gaba)/taufgaba
}
NET_RECEIVE(weight) {
  R = R + factor*weight*d_gaba*f_gaba
  D = D + factor*weight*d_gaba*f_gaba
  d_gaba = d_gaba*decaygaba
  f_gaba = f_gaba + facilgaba
}`;
