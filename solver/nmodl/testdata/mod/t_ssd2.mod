TITLE STEADYSTATE derivimplicit in INITIAL (Newton with dt = 1e-9) of a nonlinear block

NEURON { SUFFIX t_ssd2 NONSPECIFIC_CURRENT i RANGE gbar }
PARAMETER { gbar = 0.001 (S/cm2) e = -60 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { x }
BREAKPOINT { i = gbar*x*(v - e) }
INITIAL { x = 0.1 SOLVE st STEADYSTATE derivimplicit }
DERIVATIVE st { x' = (1/(1 + exp(-(v + 40)/6)) - x*x)/4 }
