TITLE Calcium-like buffer: nonlinear KINETIC scheme with a flux and CONSERVE

NEURON {
  SUFFIX t_kinnl
  NONSPECIFIC_CURRENT i
  RANGE gbar, kf, kb, btot
}
PARAMETER { gbar = 0.001 (S/cm2) kf = 5 kb = 0.5 btot = 0.4 e = -20 (mV) }
ASSIGNED { v (mV) i (mA/cm2) influx }
STATE { c b cb }
BREAKPOINT {
  SOLVE kst METHOD sparse
  i = gbar*cb*(v - e)
}
INITIAL { c = 0.01 b = btot cb = 0 }
KINETIC kst {
  influx = 0.02/(1 + exp(-(v + 40)/5))
  ~ c << (influx)
  ~ c -> (0.05)
  ~ c + b <-> cb (kf, kb)
  ~ 2 c <-> cb (0.1, 0.01)
  CONSERVE b + cb = btot
}
