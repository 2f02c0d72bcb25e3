TITLE Electrode current that depends on v

NEURON {
  POINT_PROCESS t_iel
  ELECTRODE_CURRENT i
  RANGE amp, del, dur
}
PARAMETER { amp = 0.2 (nA) del = 5 (ms) dur = 30 (ms) }
ASSIGNED { v (mV) i (nA) }
BREAKPOINT {
  if (t >= del && t < del + dur) {
    i = amp*(1 + 0.01*(v + 65))
  } else {
    i = 0
  }
}
