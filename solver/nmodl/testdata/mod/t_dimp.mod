TITLE Nonlinear ODEs solved by METHOD derivimplicit

NEURON {
  SUFFIX t_dimp
  NONSPECIFIC_CURRENT i
  RANGE gbar, w
}
PARAMETER { gbar = 0.002 (S/cm2) k = 0.3 e = -60 (mV) }
ASSIGNED { v (mV) i (mA/cm2) w }
STATE { x u }
BREAKPOINT {
  SOLVE st METHOD derivimplicit
  i = gbar*x*u*(v - e)
}
INITIAL { x = 0.5 u = 0.2 }
DERIVATIVE st {
  w = k*(1 + exp((v + 50)/10))
  x' = 0.1 - w*x*x
  u' = (x - u)/(2 + x)
}
