TITLE cnexp on ODEs nocmodl cannot integrate exactly (NEURON's results reproduced)

NEURON {
  SUFFIX t_nlcnexp
  NONSPECIFIC_CURRENT i
  RANGE gbar
}
PARAMETER { gbar = 0.001 (S/cm2) k = 0.2 e = 0 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { x u }
BREAKPOINT {
  SOLVE st METHOD cnexp
  i = gbar*(x + u)*(v - e)
}
INITIAL { x = 1 u = 0.5 }
DERIVATIVE st {
  x' = -k*x*x + 0.01*(v + 70)
  u' = (x - u)/(3 + exp(-v/10))
}
