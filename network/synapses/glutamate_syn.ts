/**
 * `glutamate_syn` (ISF's `netglutamate.mod`: Polsky 2010, AMPA + NMDA with Mg block, depression
 * and facilitation after Varela et al. 1997, modified by Egger 2015). Equations:
 * spec/mechanisms.md §4.1, transcribed in NMODL operation order; the slope is NEURON's
 * difference quotient [I(V + 0.001) − I(V)]/0.001 for point processes.
 *
 * Units: conductances A, B, C, D, g_* [nS]; currents i* [nA]; the node receives
 * I·(100/area) [mA/cm²] (area in µm²).
 *
 * @module
 */
import { type MechanismInstances, type NodeArrays, type PointMechanism } from "../../solver/mod.ts";

/** Peak-normalisation factor of a difference of exponentials (decay τd > rise τr), NMODL order. */
function peakFactor(tauDecay: number, tauRise: number): number {
  const tp = (tauRise * tauDecay) / (tauDecay - tauRise) * Math.log(tauDecay / tauRise);
  const factor = -Math.exp(-tp / tauRise) + Math.exp(-tp / tauDecay);
  return 1 / factor;
}

function initGlutamate(s: MechanismInstances, _n: NodeArrays): void {
  const f = s.fields;
  const { tau1, tau2, tau3, tau4, factor1, factor2 } = f;
  f.A.fill(0);
  f.B.fill(0);
  f.C.fill(0);
  f.D.fill(0);
  f.d_ampa.fill(1);
  f.d_nmda.fill(1);
  f.f_ampa.fill(1);
  f.f_nmda.fill(1);
  f.g_nmda.fill(0);
  f.g_ampa.fill(0);
  f.i.fill(0);
  f.i_nmda.fill(0);
  f.i_ampa.fill(0);
  f.active.fill(0);
  const { gama, mgStep, stepDt, plastic, decayampa, decaynmda, facilampa, facilnmda } = f;
  for (let k = 0; k < s.node.length; k++) {
    plastic[k] = decayampa[k] === 1 && decaynmda[k] === 1 && facilampa[k] === 0 &&
        facilnmda[k] === 0
      ? 0
      : 1;
    factor1[k] = peakFactor(tau1[k], tau2[k]); // NMDA
    factor2[k] = peakFactor(tau3[k], tau4[k]); // AMPA
    mgStep[k] = Math.exp(-gama[k] * .001); // exp(−gama·(v + .001)) = exp(−gama·v)·mgStep
    stepDt[k] = 0; // step factors are computed at the first advance (dt known then)
  }
}

/**
 * cnexp factors 1 − exp(dt·(−1/τ)) of instance k for the step dt (they depend on dt and the
 * time constants only, so each is one exp per instance instead of one per step).
 */
function fillStepFactors(f: Record<string, Float64Array>, k: number, dt: number): void {
  f.kA[k] = 1 - Math.exp(dt * (-1.0 / f.tau1[k]));
  f.kB[k] = 1 - Math.exp(dt * (-1.0 / f.tau2[k]));
  f.kC[k] = 1 - Math.exp(dt * (-1.0 / f.tau3[k]));
  f.kD[k] = 1 - Math.exp(dt * (-1.0 / f.tau4[k]));
  f.kdampa[k] = 1 - Math.exp(dt * (-1.0 / f.taudampa[k]));
  f.kdnmda[k] = 1 - Math.exp(dt * (-1.0 / f.taudnmda[k]));
  f.kfampa[k] = 1 - Math.exp(dt * (-1.0 / f.taufampa[k]));
  f.kfnmda[k] = 1 - Math.exp(dt * (-1.0 / f.taufnmda[k]));
  f.stepDt[k] = dt;
}

function currentGlutamate(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { A, B, C, D, e, n: nMg, gama, mgStep, g_nmda, g_ampa, i, i_nmda, i_ampa, active } =
    s.fields;
  const vn = n.v, area = n.area, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    // Before its first event an instance has A..D = 0: it adds ±0 to i and g (a no-op).
    if (active[k] === 0) continue;
    const c = node[k];
    const ek = e[k], nk = nMg[k];
    const nmda = A[k] - B[k];
    // Mg block exp(−gama·v); at v + .001 it is that times exp(−gama·.001) (equal to the
    // direct exp within rounding). Before the first event A − B = 0 and no exp is needed.
    const ex = nmda === 0 ? 0 : Math.exp(-gama[k] * vn[c]);
    // BREAKPOINT at v + .001 (states frozen) for the slope ...
    let v = vn[c] + .001;
    let gnmda = nmda === 0 ? 0 : nmda / (1 + nk * (ex * mgStep[k]));
    let gampa = C[k] - D[k];
    const iHigh = (1e-3) * gnmda * (v - ek) + (1e-3) * gampa * (v - ek); // [nA]
    // ... and at v, which leaves the assigned values.
    v = vn[c];
    gnmda = nmda === 0 ? 0 : nmda / (1 + nk * ex);
    gampa = C[k] - D[k];
    const inmda = (1e-3) * gnmda * (v - ek);
    const iampa = (1e-3) * gampa * (v - ek);
    const rhs = inmda + iampa; // [nA]
    g_nmda[k] = gnmda;
    g_ampa[k] = gampa;
    i_nmda[k] = inmda;
    i_ampa[k] = iampa;
    i[k] = rhs;
    const toDensity = 1.e2 / area[c];
    ng[c] += ((iHigh - rhs) / .001) * toDensity; // [S/cm²]
    ni[c] += rhs * toDensity; // [mA/cm²]
  }
}

function advanceGlutamate(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const f = s.fields;
  const { A, B, C, D, d_ampa, d_nmda, f_ampa, f_nmda, stepDt, active, plastic } = f;
  const { kA, kB, kC, kD, kdampa, kdnmda, kfampa, kfnmda } = f;
  const dt = n.dt;
  for (let k = 0; k < node.length; k++) {
    // Before its first event the states sit exactly at their fixed point (A..D = 0, d = f = 1),
    // which the cnexp step leaves bit-for-bit unchanged.
    if (active[k] === 0) continue;
    if (stepDt[k] !== dt) fillStepFactors(f, k, dt);
    // cnexp (mechanisms.md §1.2): x + (1 − exp(dt·b))·(x∞ − x), x∞ = 0 for A..D, 1 for d, f.
    A[k] = A[k] + kA[k] * (0.0 - A[k]);
    B[k] = B[k] + kB[k] * (0.0 - B[k]);
    C[k] = C[k] + kC[k] * (0.0 - C[k]);
    D[k] = D[k] + kD[k] * (0.0 - D[k]);
    // Without depression and facilitation d and f stay exactly 1 (1 + k·(1 − 1) = 1).
    if (plastic[k] === 0) continue;
    d_ampa[k] = d_ampa[k] + kdampa[k] * (1 - d_ampa[k]);
    d_nmda[k] = d_nmda[k] + kdnmda[k] * (1 - d_nmda[k]);
    f_ampa[k] = f_ampa[k] + kfampa[k] * (1 - f_ampa[k]);
    f_nmda[k] = f_nmda[k] + kfnmda[k] * (1 - f_nmda[k]);
  }
}

function netReceiveGlutamate(
  s: MechanismInstances,
  k: number,
  weights: Float64Array,
  offset: number,
  _n: NodeArrays,
): void {
  const f = s.fields;
  f.active[k] = 1;
  const gampamax = weights[offset]; // weight_ampa [nS]
  const gnmdamax = weights[offset + 1]; // weight_nmda [nS]
  f.gampamax[k] = gampamax;
  f.gnmdamax[k] = gnmdamax;
  const factor1 = f.factor1[k], factor2 = f.factor2[k];
  f.A[k] = f.A[k] + factor1 * gnmdamax * f.d_nmda[k] * f.f_nmda[k];
  f.B[k] = f.B[k] + factor1 * gnmdamax * f.d_nmda[k] * f.f_nmda[k];
  f.C[k] = f.C[k] + factor2 * gampamax * f.d_ampa[k] * f.f_ampa[k];
  f.D[k] = f.D[k] + factor2 * gampamax * f.d_ampa[k] * f.f_ampa[k];
  f.d_ampa[k] = f.d_ampa[k] * f.decayampa[k];
  f.d_nmda[k] = f.d_nmda[k] * f.decaynmda[k];
  f.f_ampa[k] = f.f_ampa[k] + f.facilampa[k];
  f.f_nmda[k] = f.f_nmda[k] + f.facilnmda[k];
}

/** Parameter value, or the mechanism default when the record omits it. */
function param(params: Readonly<Record<string, number>>, name: string): number {
  return params[name] ?? GLUTAMATE_SYN.parameters[name].default;
}

/**
 * True when no depression or facilitation can act (decayampa = decaynmda = 1, facilampa =
 * facilnmda = 0): d and f then stay exactly 1, every event just adds to A..D, and instances
 * with equal parameters at one node can be merged into one.
 */
function lumpableGlutamate(params: Readonly<Record<string, number>>): boolean {
  return param(params, "decayampa") === 1 && param(params, "decaynmda") === 1 &&
    param(params, "facilampa") === 0 && param(params, "facilnmda") === 0;
}

/**
 * The AMPA + NMDA synapse `glutamate_syn`. NET_RECEIVE weights: [w_ampa, w_nmda] [nS].
 *
 * @example One event of 1.68 nS; the AMPA conductance after 0.1 ms
 * ```ts
 * import assert from "node:assert/strict";
 * import { GLUTAMATE_SYN } from "./glutamate_syn.ts";
 * import { allocateInstances } from "../../solver/mod.ts";
 * import { makeNodes } from "../../solver/mechanisms/_testing.ts";
 * const s = allocateInstances(GLUTAMATE_SYN, new Int32Array([0]));
 * const n = makeNodes(1, { v: -75, dt: 0.1 });
 * GLUTAMATE_SYN.init(s, n);
 * GLUTAMATE_SYN.netReceive!(s, 0, new Float64Array([1.68, 1.68]), 0, n);
 * GLUTAMATE_SYN.advance(s, n);
 * GLUTAMATE_SYN.current(s, n);
 * assert.ok(s.fields.g_ampa[0] > 0 && s.fields.g_ampa[0] < 1.68);
 * ```
 */
export const GLUTAMATE_SYN: PointMechanism = {
  kind: "point",
  name: "glutamate_syn",
  parameters: {
    gnmdamax: { unit: "nS", default: 1 },
    gampamax: { unit: "nS", default: 1 },
    e: { unit: "mV", default: 0.0 },
    tau1: { unit: "ms", default: 50 },
    tau2: { unit: "ms", default: 2 },
    tau3: { unit: "ms", default: 2 },
    tau4: { unit: "ms", default: 0.1 },
    n: { unit: "/mM", default: 0.25 },
    gama: { unit: "/mV", default: 0.08 },
    decayampa: { unit: "1", default: .5 },
    decaynmda: { unit: "1", default: .5 },
    taudampa: { unit: "ms", default: 200 },
    taudnmda: { unit: "ms", default: 200 },
    taufampa: { unit: "ms", default: 200 },
    facilampa: { unit: "1", default: 0.0 },
    taufnmda: { unit: "ms", default: 200 },
    facilnmda: { unit: "1", default: 0.0 },
  },
  states: ["A", "B", "C", "D", "d_ampa", "d_nmda", "f_ampa", "f_nmda"],
  assigned: [
    "i",
    "g_ampa",
    "g_nmda",
    "i_ampa",
    "i_nmda",
    "factor1",
    "factor2",
    // per-instance step constants (computed once, not per step)
    "mgStep",
    // 1 once the instance has received an event (kernels skip it before)
    "active",
    // 0 when decay = 1 and facil = 0 for both receptors (d and f then stay 1)
    "plastic",
    "stepDt",
    "kA",
    "kB",
    "kC",
    "kD",
    "kdampa",
    "kdnmda",
    "kfampa",
    "kfnmda",
  ],
  init: initGlutamate,
  current: currentGlutamate,
  advance: advanceGlutamate,
  netReceive: netReceiveGlutamate,
  lumpable: lumpableGlutamate,
};
