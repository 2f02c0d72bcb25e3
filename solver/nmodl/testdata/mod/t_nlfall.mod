TITLE cnexp with the state inside a function argument: nocmodl falls back to derivimplicit

NEURON {
  SUFFIX t_nlfall
  NONSPECIFIC_CURRENT i
  RANGE gbar
}
PARAMETER { gbar = 0.001 (S/cm2) e = 0 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { x }
BREAKPOINT {
  SOLVE st METHOD cnexp
  i = gbar*x*(v - e)
}
INITIAL { x = 0.3 }
DERIVATIVE st {
  x' = (1 - x)*0.05*exp(v/30) - 0.2*x*exp(-x)
}
