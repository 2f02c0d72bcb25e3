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
import { decayFactor, paramOrDefault, peakFactor } from "./_kinetics.ts";

function initGlutamate(s: MechanismInstances, n: NodeArrays): void {
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
  const { toDensity, mgTable } = f;
  for (let k = 0; k < s.node.length; k++) {
    plastic[k] = decayampa[k] === 1 && decaynmda[k] === 1 && facilampa[k] === 0 &&
        facilnmda[k] === 0
      ? 0
      : 1;
    factor1[k] = peakFactor(tau1[k], tau2[k]); // NMDA
    factor2[k] = peakFactor(tau3[k], tau4[k]); // AMPA
    mgStep[k] = Math.exp(-gama[k] * .001); // exp(−gama·(v + .001)) = exp(−gama·v)·mgStep
    stepDt[k] = 0; // step factors are computed at the first advance (dt known then)
    toDensity[k] = 1.e2 / n.area[s.node[k]]; // nA → mA/cm² at the instance's node
    mgTable[k] = -1; // the fast kernel finds its Mg-block table at its first call
  }
  f.fixed.fill(0);
}

/**
 * cnexp factors 1 − exp(dt·(−1/τ)) of every instance for the step dt (they depend on dt and the
 * time constants only, so each is one exp per instance and dt instead of one per step).
 */
function fillStepFactors(f: Record<string, Float64Array>, dt: number): void {
  for (let k = 0; k < f.stepDt.length; k++) {
    f.kA[k] = decayFactor(f.tau1[k], dt);
    f.kB[k] = decayFactor(f.tau2[k], dt);
    f.kC[k] = decayFactor(f.tau3[k], dt);
    f.kD[k] = decayFactor(f.tau4[k], dt);
    f.kdampa[k] = decayFactor(f.taudampa[k], dt);
    f.kdnmda[k] = decayFactor(f.taudnmda[k], dt);
    f.kfampa[k] = decayFactor(f.taufampa[k], dt);
    f.kfnmda[k] = decayFactor(f.taufnmda[k], dt);
    f.stepDt[k] = dt;
    f.fixed[k] = 0; // the fixed points depend on the factors
  }
}

function currentGlutamate(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { A, B, C, D, e, n: nMg, gama, mgStep, g_nmda, g_ampa, i, i_nmda, i_ampa, active } =
    s.fields;
  const toDensity = s.fields.toDensity;
  const vn = n.v, ni = n.i, ng = n.g;
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
    const td = toDensity[k]; // 1.e2 / area[c]
    ng[c] += ((iHigh - rhs) / .001) * td; // [S/cm²]
    ni[c] += rhs * td; // [mA/cm²]
  }
}

/**
 * Mg-block tables: B(v) = 1/(1 + n·exp(−gama·v)) and its value at v + .001 mV, as the exact
 * kernel computes it, 1/(1 + n·(exp(−gama·v)·exp(−gama·.001))), on [−150, 100) mV in 0.125 mV
 * intervals (128 KB). Each interval carries the cubic Hermite interpolant of
 * both from their values and analytic derivatives at the interval ends: error
 * ≤ h⁴·max|B⁗|/384, for the example's gama = 0.08 /mV ≈ 3.4e-12 absolute and, in the exponential
 * tail B ≈ e^(gama·v)/n, ≤ (h·gama)⁴/384 ≈ 3e-11 relative (measured in glutamate_syn_test.ts).
 * One table per distinct (n, gama) pair (in practice all instances share one).
 */
const MG_V_MIN = -150;
const MG_INV_STEP = 8;
const MG_INTERVALS = 2000;
const MG_TABLES: Float64Array[] = [];
const MG_TABLE_INDEX = new Map<string, number>();

/** Index of the Mg-block table of (n, gama) in {@link MG_TABLES}, built on first use. */
function mgTableIndex(nMg: number, gama: number): number {
  const key = `${nMg}|${gama}`;
  let index = MG_TABLE_INDEX.get(key);
  if (index === undefined) {
    index = MG_TABLES.length;
    MG_TABLES.push(buildMgTable(nMg, gama));
    MG_TABLE_INDEX.set(key, index);
  }
  return index;
}

function buildMgTable(nMg: number, gama: number): Float64Array {
  const h = 1 / MG_INV_STEP;
  const step = Math.exp(-gama * .001);
  const c = new Float64Array(MG_INTERVALS * 8);
  // Value and h·derivative of 1/(1 + n·s·exp(−gama·v)) (s = 1, or `step` for v + .001).
  const at = (v: number, s: number): [number, number] => {
    const ex = s * Math.exp(-gama * v);
    const b = 1 / (1 + nMg * ex);
    return [b, h * gama * nMg * ex * b * b];
  };
  for (let i = 0; i < MG_INTERVALS; i++) {
    const v0 = MG_V_MIN + i * h;
    for (let q = 0; q < 2; q++) {
      const s = q === 0 ? 1 : step;
      const [f0, d0] = at(v0, s);
      const [f1, d1] = at(v0 + h, s);
      const b = i * 8 + q * 4;
      c[b] = f0;
      c[b + 1] = d0;
      c[b + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
      c[b + 3] = 2 * (f0 - f1) + d0 + d1;
    }
  }
  return c;
}

/**
 * The fast `current` kernel: the Mg block from a table ({@link mgTableIndex}) instead of one
 * `Math.exp` and two divisions per instance and step (exact formula outside the table and for
 * NaN), the difference quotient as a product with 1000. Differs from the exact kernel by
 * ≲ 3.4e-12 of A − B in g_nmda.
 */
function currentGlutamateTabulated(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { A, B, C, D, e, n: nMg, gama, mgStep, mgTable, toDensity } = s.fields;
  const { g_nmda, g_ampa, i, i_nmda, i_ampa, active } = s.fields;
  const vn = n.v, ni = n.i, ng = n.g;
  const tables = MG_TABLES;
  for (let k = 0; k < node.length; k++) {
    if (active[k] === 0) continue;
    const c = node[k];
    const v = vn[c];
    const ek = e[k];
    const nmda = A[k] - B[k];
    let bv, bh;
    const u = (v - MG_V_MIN) * MG_INV_STEP;
    if (u >= 0 && u < MG_INTERVALS) {
      let t = mgTable[k];
      if (t < 0) t = mgTable[k] = mgTableIndex(nMg[k], gama[k]);
      const tab = tables[t];
      const j = u | 0;
      const x = u - j;
      const b = j << 3;
      bv = ((tab[b + 3] * x + tab[b + 2]) * x + tab[b + 1]) * x + tab[b];
      bh = ((tab[b + 7] * x + tab[b + 6]) * x + tab[b + 5]) * x + tab[b + 4];
    } else {
      const ex = Math.exp(-gama[k] * v);
      bv = 1 / (1 + nMg[k] * ex);
      bh = 1 / (1 + nMg[k] * (ex * mgStep[k]));
    }
    const gampa = C[k] - D[k];
    const gnmda = nmda * bv;
    const vh = v + .001;
    const iHigh = (1e-3) * (nmda * bh) * (vh - ek) + (1e-3) * gampa * (vh - ek); // [nA]
    const inmda = (1e-3) * gnmda * (v - ek);
    const iampa = (1e-3) * gampa * (v - ek);
    const rhs = inmda + iampa; // [nA]
    g_nmda[k] = gnmda;
    g_ampa[k] = gampa;
    i_nmda[k] = inmda;
    i_ampa[k] = iampa;
    i[k] = rhs;
    const td = toDensity[k];
    ng[c] += ((iHigh - rhs) * 1000) * td; // [S/cm²]
    ni[c] += rhs * td; // [mA/cm²]
  }
}

function advanceGlutamate(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const f = s.fields;
  const dt = n.dt;
  if (node.length > 0 && f.stepDt[0] !== dt) fillStepFactors(f, dt);
  const { A, B, C, D, kA, kB, kC, kD, fixed, active } = f;
  for (let k = 0; k < node.length; k++) {
    // Before its first event the states sit exactly at their fixed point (A..D = 0, d = f = 1),
    // which the cnexp step leaves bit-for-bit unchanged.
    if (active[k] === 0) continue;
    // cnexp (mechanisms.md §1.2): x + (1 − exp(dt·b))·(x∞ − x), x∞ = 0 for A..D.
    // A decay x ← x + k·(0 − x) ends at a fixed point: a subnormal x that the rounded product
    // no longer moves (D, τ = 0.1 ms, gets there ~70 ms after an event; the ~50 ns subnormal
    // multiply repeated every step cost a third of a network sweep). The step is a function of
    // x (and dt) alone, so a state that reproduced itself is skipped, bit-identically, until an
    // event changes it: bits 1, 2, 4, 8 of `fixed` mark A, B, C, D.
    const fx = fixed[k];
    if (fx === 0) {
      const a = A[k], b = B[k], c = C[k], d = D[k];
      const ya = a + kA[k] * (0.0 - a);
      const yb = b + kB[k] * (0.0 - b);
      const yc = c + kC[k] * (0.0 - c);
      const yd = d + kD[k] * (0.0 - d);
      A[k] = ya;
      B[k] = yb;
      C[k] = yc;
      D[k] = yd;
      if (ya === a || yb === b || yc === c || yd === d) {
        fixed[k] = (ya === a ? 1 : 0) + (yb === b ? 2 : 0) + (yc === c ? 4 : 0) +
          (yd === d ? 8 : 0);
      }
    } else {
      let m = fx | 0;
      if ((m & 1) === 0) {
        const x = A[k], y = x + kA[k] * (0.0 - x);
        A[k] = y;
        if (y === x) m |= 1;
      }
      if ((m & 2) === 0) {
        const x = B[k], y = x + kB[k] * (0.0 - x);
        B[k] = y;
        if (y === x) m |= 2;
      }
      if ((m & 4) === 0) {
        const x = C[k], y = x + kC[k] * (0.0 - x);
        C[k] = y;
        if (y === x) m |= 4;
      }
      if ((m & 8) === 0) {
        const x = D[k], y = x + kD[k] * (0.0 - x);
        D[k] = y;
        if (y === x) m |= 8;
      }
      fixed[k] = m;
    }
  }
  // Depression and facilitation relax towards 1; without them (plastic = 0) d and f stay
  // exactly 1 (1 + k·(1 − 1) = 1).
  const { d_ampa, d_nmda, f_ampa, f_nmda, kdampa, kdnmda, kfampa, kfnmda, plastic } = f;
  for (let k = 0; k < node.length; k++) {
    if (plastic[k] === 0 || active[k] === 0) continue;
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
  f.fixed[k] = 0; // A..D change: no longer at a fixed point
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

/**
 * True when no depression or facilitation can act (decayampa = decaynmda = 1, facilampa =
 * facilnmda = 0): d and f then stay exactly 1, every event just adds to A..D, and instances
 * with equal parameters at one node can be merged into one.
 */
function lumpableGlutamate(params: Readonly<Record<string, number>>): boolean {
  const p = (name: string) => paramOrDefault(GLUTAMATE_SYN, params, name);
  return p("decayampa") === 1 && p("decaynmda") === 1 && p("facilampa") === 0 &&
    p("facilnmda") === 0;
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
    "toDensity",
    // index of the fast kernel's Mg-block table (−1 before its first call)
    "mgTable",
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
    // bits 1, 2, 4, 8: A, B, C, D sit at a fixed point of their decay step (skipped there)
    "fixed",
  ],
  init: initGlutamate,
  current: currentGlutamate,
  tabulatedCurrent: currentGlutamateTabulated,
  advance: advanceGlutamate,
  netReceive: netReceiveGlutamate,
  lumpable: lumpableGlutamate,
};
