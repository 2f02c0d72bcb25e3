TITLE Point process with a calcium current (ion current of a point process, area)

NEURON {
  POINT_PROCESS t_ptca
  USEION ca READ eca WRITE ica
  RANGE gmax, ica, onset
}
PARAMETER { gmax = 0.002 (uS) onset = 10 (ms) }
ASSIGNED { v (mV) eca (mV) ica (nA) area (um2) ratio }
BREAKPOINT {
  ratio = area/1000
  if (t > onset) {
    ica = gmax*(v - eca)
  } else {
    ica = 0
  }
}
