TITLE Gates from TABLEs: a PROCEDURE table with DEPEND and a FUNCTION table

NEURON {
  SUFFIX t_tab
  USEION na READ ena WRITE ina
  RANGE gbar
  GLOBAL minf, mtau, vhalf
}
PARAMETER { gbar = 0.05 (S/cm2) vhalf = -35 (mV) }
ASSIGNED { v (mV) ena (mV) ina (mA/cm2) minf mtau (ms) }
STATE { m h }
BREAKPOINT {
  SOLVE st METHOD cnexp
  ina = gbar*m*m*m*h*(v - ena)
}
INITIAL { rates(v) m = minf h = hinf(v) }
DERIVATIVE st {
  rates(v)
  m' = (minf - m)/mtau
  h' = (hinf(v) - h)/5
}
PROCEDURE rates(v (mV)) {
  TABLE minf, mtau DEPEND vhalf FROM -120 TO 60 WITH 360
  minf = 1/(1 + exp(-(v - vhalf)/6))
  mtau = 0.1 + 0.4/(exp((v + 40)/15) + exp(-(v + 40)/15))
}
FUNCTION hinf(v (mV)) {
  TABLE FROM -120 TO 60 WITH 180
  hinf = 1/(1 + exp((v + 60)/6))
}
