TITLE STEADYSTATE derivimplicit in INITIAL of a block that BREAKPOINT solves by cnexp

COMMENT
nocmodl 8.2 translates the block for cnexp, and the INITIAL steady state then runs that cnexp
update once with dt = 1e-9 (so x stays near its start value): reproduced by simrun.
ENDCOMMENT

NEURON { SUFFIX t_ssd NONSPECIFIC_CURRENT i RANGE gbar }
PARAMETER { gbar = 0.001 (S/cm2) e = -60 (mV) }
ASSIGNED { v (mV) i (mA/cm2) }
STATE { x }
BREAKPOINT { SOLVE st METHOD cnexp i = gbar*x*(v - e) }
INITIAL { x = 0.1 SOLVE st STEADYSTATE derivimplicit }
DERIVATIVE st { x' = (1/(1 + exp(-(v + 40)/6)) - x)/4 }
