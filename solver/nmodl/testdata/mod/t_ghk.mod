TITLE GHK calcium current: FARADAY and R from the UNITS block, celsius

NEURON {
  SUFFIX t_ghk
  USEION ca READ cai, cao WRITE ica
  RANGE pbar
}
UNITS {
  (mV) = (millivolt)
  (mA) = (milliamp)
  (mM) = (milli/liter)
  FARADAY = (faraday) (coulombs)
  R = (k-mole) (joule/degC)
}
PARAMETER { pbar = 2e-5 (cm/s) celsius (degC) }
ASSIGNED { v (mV) cai (mM) cao (mM) ica (mA/cm2) }
STATE { m }
BREAKPOINT {
  SOLVE st METHOD cnexp
  ica = pbar*m*m*ghk(v, cai, cao)
}
INITIAL { m = minf(v) }
DERIVATIVE st { m' = (minf(v) - m)/1.5 }
FUNCTION minf(v (mV)) { minf = 1/(1 + exp(-(v + 30)/7)) }
FUNCTION ghk(v (mV), ci (mM), co (mM)) (mV) { LOCAL z, eco, eci
  z = (1e-3)*2*FARADAY*v/(R*(celsius + 273.15))
  eco = co*efun(z)
  eci = ci*efun(-z)
  ghk = (1e-3)*2*FARADAY*(eci - eco)
}
FUNCTION efun(z) {
  if (fabs(z) < 1e-4) {
    efun = 1 - z/2
  } else {
    efun = z/(exp(z) - 1)
  }
}
