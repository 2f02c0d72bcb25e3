/**
 * `glutamate_syn`, ISF's AMPA + NMDA synapse (Polsky 2010; depression and facilitation after Varela et al. 1997; spec/mechanisms.md §4.1), in our own NMODL. The Mg-block constants n and gama are RANGE variables here (ISF's network param sets them per receptor).
 *
 * @module
 */

/** The NMODL description (written for simrun from the equations of the spec section named above). */
export const GLUTAMATE_SYN_NMODL =
  `TITLE glutamate_syn: AMPA and NMDA conductances with depression and facilitation
NEURON {
  POINT_PROCESS glutamate_syn
  NONSPECIFIC_CURRENT i
  RANGE gnmdamax, gampamax, e, tau1, tau2, tau3, tau4, n, gama
  RANGE decayampa, decaynmda, taudampa, taudnmda, taufampa, facilampa, taufnmda, facilnmda
  RANGE i, g_ampa, g_nmda, i_ampa, i_nmda, factor1, factor2
}
PARAMETER {
  gnmdamax = 1 (nS)
  gampamax = 1 (nS)
  e = 0.0 (mV)
  tau1 = 50 (ms) : NMDA decay
  tau2 = 2 (ms) : NMDA rise
  tau3 = 2 (ms) : AMPA decay
  tau4 = 0.1 (ms) : AMPA rise
  n = 0.25 (/mM)
  gama = 0.08 (/mV)
  decayampa = .5
  decaynmda = .5
  taudampa = 200 (ms)
  taudnmda = 200 (ms)
  taufampa = 200 (ms)
  facilampa = 0.0
  taufnmda = 200 (ms)
  facilnmda = 0.0
}
ASSIGNED {
  v (mV)
  i (nA)
  g_ampa (nS)
  g_nmda (nS)
  i_ampa (nA)
  i_nmda (nA)
  factor1
  factor2
}
STATE {
  A (nS)
  B (nS)
  C (nS)
  D (nS)
  d_ampa
  d_nmda
  f_ampa
  f_nmda
}
INITIAL {
  LOCAL tp
  A = 0
  B = 0
  C = 0
  D = 0
  d_ampa = 1
  d_nmda = 1
  f_ampa = 1
  f_nmda = 1
  tp = (tau2*tau1)/(tau1 - tau2)*log(tau1/tau2)
  factor1 = -exp(-tp/tau2) + exp(-tp/tau1)
  factor1 = 1/factor1
  tp = (tau4*tau3)/(tau3 - tau4)*log(tau3/tau4)
  factor2 = -exp(-tp/tau4) + exp(-tp/tau3)
  factor2 = 1/factor2
}
BREAKPOINT {
  SOLVE states METHOD cnexp
  g_nmda = (A - B)/(1 + n*exp(-gama*v))
  g_ampa = C - D
  i_nmda = (1e-3)*g_nmda*(v - e)
  i_ampa = (1e-3)*g_ampa*(v - e)
  i = i_nmda + i_ampa
}
DERIVATIVE states {
  A' = -A/tau1
  B' = -B/tau2
  C' = -C/tau3
  D' = -D/tau4
  d_ampa' = (1 - d_ampa)/taudampa
  d_nmda' = (1 - d_nmda)/taudnmda
  f_ampa' = (1 - f_ampa)/taufampa
  f_nmda' = (1 - f_nmda)/taufnmda
}
NET_RECEIVE(weight_ampa, weight_nmda) {
  gampamax = weight_ampa
  gnmdamax = weight_nmda
  A = A + factor1*gnmdamax*d_nmda*f_nmda
  B = B + factor1*gnmdamax*d_nmda*f_nmda
  C = C + factor2*gampamax*d_ampa*f_ampa
  D = D + factor2*gampamax*d_ampa*f_ampa
  d_ampa = d_ampa*decayampa
  d_nmda = d_nmda*decaynmda
  f_ampa = f_ampa + facilampa
  f_nmda = f_nmda + facilnmda
}`;
