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
import {
  type MechanismInstances,
  type NodeArrays,
  type PointMechanism,
  type PrepareContext,
} from "../../solver/mod.ts";
import { decayFactor, paramOrDefault, peakFactor } from "./_kinetics.ts";

/**
 * Per-instance constants, computed once per model instead of every step: the cnexp factors
 * 1 − exp(dt·(−1/τ)), the Mg-block step exp(−gama·.001), the nA → mA/cm² factor 100/area at the
 * instance's node, whether depression or facilitation can act, and (fast mode) the Mg-block
 * tables of the instances' (n, gama) pairs.
 */
function prepareGlutamate(s: MechanismInstances, c: PrepareContext): void {
  const f = s.fields;
  const d = s.derived;
  const dt = c.dt;
  const { decayampa, decaynmda, facilampa, facilnmda, gama } = f;
  for (let k = 0; k < s.node.length; k++) {
    d.plastic[k] = decayampa[k] === 1 && decaynmda[k] === 1 && facilampa[k] === 0 &&
        facilnmda[k] === 0
      ? 0
      : 1;
    d.mgStep[k] = Math.exp(-gama[k] * .001); // exp(−gama·(v + .001)) = exp(−gama·v)·mgStep
    d.toDensity[k] = 1.e2 / c.area[s.node[k]]; // nA → mA/cm² at the instance's node
    d.kA[k] = decayFactor(f.tau1[k], dt);
    d.kB[k] = decayFactor(f.tau2[k], dt);
    d.kC[k] = decayFactor(f.tau3[k], dt);
    d.kD[k] = decayFactor(f.tau4[k], dt);
    d.kdampa[k] = decayFactor(f.taudampa[k], dt);
    d.kdnmda[k] = decayFactor(f.taudnmda[k], dt);
    d.kfampa[k] = decayFactor(f.taufampa[k], dt);
    d.kfnmda[k] = decayFactor(f.taufnmda[k], dt);
  }
  if (!c.rateTables) {
    d.mgTables = new Float64Array(0);
    return;
  }
  // One Mg-block table per distinct (n, gama) pair (in practice all instances share one).
  // pairs[2t], pairs[2t + 1]: n and gama of table t.
  const pairs: number[] = [];
  for (let k = 0; k < s.node.length; k++) {
    let t = 0;
    while (t < pairs.length && !(pairs[t] === f.n[k] && pairs[t + 1] === gama[k])) t += 2;
    if (t === pairs.length) pairs.push(f.n[k], gama[k]);
    d.mgOffset[k] = (t / 2) * MG_TABLE_LENGTH;
  }
  const tables = new Float64Array((pairs.length / 2) * MG_TABLE_LENGTH);
  for (let t = 0; t < pairs.length; t += 2) {
    fillMgTable(tables, (t / 2) * MG_TABLE_LENGTH, pairs[t], pairs[t + 1]);
  }
  d.mgTables = tables;
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
  for (let k = 0; k < s.node.length; k++) {
    factor1[k] = peakFactor(tau1[k], tau2[k]); // NMDA
    factor2[k] = peakFactor(tau3[k], tau4[k]); // AMPA
  }
  s.derived.active.fill(0);
  s.derived.fixed.fill(0);
}

function currentGlutamate(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { A, B, C, D, e, n: nMg, gama, g_nmda, g_ampa, i, i_nmda, i_ampa } = s.fields;
  const { mgStep, toDensity, active } = s.derived;
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
/** Coefficients per table: 2 quantities × 4 per interval. */
const MG_TABLE_LENGTH = MG_INTERVALS * 8;

/** Writes the Mg-block table of (n, gama) into `c` at `offset`. */
function fillMgTable(c: Float64Array, offset: number, nMg: number, gama: number): void {
  const h = 1 / MG_INV_STEP;
  const step = Math.exp(-gama * .001);
  for (let i = 0; i < MG_INTERVALS; i++) {
    const v0 = MG_V_MIN + i * h;
    for (let q = 0; q < 2; q++) {
      const s = q === 0 ? 1 : step;
      const f0 = mgBlock(v0, s, nMg, gama);
      const d0 = mgSlope(v0, s, nMg, gama, h);
      const f1 = mgBlock(v0 + h, s, nMg, gama);
      const d1 = mgSlope(v0 + h, s, nMg, gama, h);
      const b = offset + i * 8 + q * 4;
      c[b] = f0;
      c[b + 1] = d0;
      c[b + 2] = 3 * (f1 - f0) - 2 * d0 - d1;
      c[b + 3] = 2 * (f0 - f1) + d0 + d1;
    }
  }
}

/** 1/(1 + n·s·exp(−gama·v)) (s = 1, or exp(−gama·.001) for v + .001). */
function mgBlock(v: number, s: number, nMg: number, gama: number): number {
  const ex = s * Math.exp(-gama * v);
  return 1 / (1 + nMg * ex);
}

/** h times the derivative of {@link mgBlock} in v. */
function mgSlope(v: number, s: number, nMg: number, gama: number, h: number): number {
  const ex = s * Math.exp(-gama * v);
  const b = 1 / (1 + nMg * ex);
  return h * gama * nMg * ex * b * b;
}

/**
 * The fast `current` kernel: the Mg block from a table (prepared per (n, gama)) instead of one
 * `Math.exp` and two divisions per instance and step (exact formula outside the table and for
 * NaN), the difference quotient as a product with 1000. Differs from the exact kernel by
 * ≲ 3.4e-12 of A − B in g_nmda.
 */
function currentGlutamateFast(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { A, B, C, D, e, n: nMg, gama } = s.fields;
  const { g_nmda, g_ampa, i, i_nmda, i_ampa } = s.fields;
  const { mgStep, mgOffset, mgTables: tab, toDensity, active } = s.derived;
  const vn = n.v, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    if (active[k] === 0) continue;
    const c = node[k];
    const v = vn[c];
    const ek = e[k];
    const nmda = A[k] - B[k];
    let bv, bh;
    const u = (v - MG_V_MIN) * MG_INV_STEP;
    if (u >= 0 && u < MG_INTERVALS) {
      const j = u | 0;
      const x = u - j;
      const b = mgOffset[k] + (j << 3);
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

function advanceGlutamate(s: MechanismInstances, _n: NodeArrays): void {
  const node = s.node;
  const f = s.fields;
  const { A, B, C, D } = f;
  const { kA, kB, kC, kD, fixed, active } = s.derived;
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
  const { d_ampa, d_nmda, f_ampa, f_nmda } = f;
  const { kdampa, kdnmda, kfampa, kfnmda, plastic } = s.derived;
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
  s.derived.active[k] = 1;
  s.derived.fixed[k] = 0; // A..D change: no longer at a fixed point
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

/** The peak normalisations are 0/0 when a decay and its rise time are equal. */
function checkGlutamate(p: Readonly<Record<string, number>>): string | undefined {
  if (p.tau1 === p.tau2) {
    return `tau1 and tau2 must differ (both ${p.tau1} ms: the NMDA peak factor is 0/0)`;
  }
  if (p.tau3 === p.tau4) {
    return `tau3 and tau4 must differ (both ${p.tau3} ms: the AMPA peak factor is 0/0)`;
  }
  return undefined;
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
 * import { makeNodes, prepareContext } from "../../solver/mechanisms/_testing.ts";
 * const s = allocateInstances(GLUTAMATE_SYN, new Int32Array([0]));
 * const n = makeNodes(1, { v: -75, dt: 0.1 });
 * GLUTAMATE_SYN.prepare(s, prepareContext(n));
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
  ions: [],
  parameters: {
    gnmdamax: { unit: "nS", default: 1 },
    gampamax: { unit: "nS", default: 1 },
    e: { unit: "mV", default: 0.0 },
    tau1: { unit: "ms", default: 50, min: 0, minExclusive: true },
    tau2: { unit: "ms", default: 2, min: 0, minExclusive: true },
    tau3: { unit: "ms", default: 2, min: 0, minExclusive: true },
    tau4: { unit: "ms", default: 0.1, min: 0, minExclusive: true },
    // GLOBALs of netglutamate.mod; simrun keeps them per instance (set from the network param).
    n: { unit: "/mM", default: 0.25 },
    gama: { unit: "/mV", default: 0.08 },
    decayampa: { unit: "1", default: .5 },
    decaynmda: { unit: "1", default: .5 },
    taudampa: { unit: "ms", default: 200, min: 0, minExclusive: true },
    taudnmda: { unit: "ms", default: 200, min: 0, minExclusive: true },
    taufampa: { unit: "ms", default: 200, min: 0, minExclusive: true },
    facilampa: { unit: "1", default: 0.0 },
    taufnmda: { unit: "ms", default: 200, min: 0, minExclusive: true },
    facilnmda: { unit: "1", default: 0.0 },
  },
  globals: {},
  states: ["A", "B", "C", "D", "d_ampa", "d_nmda", "f_ampa", "f_nmda"],
  assigned: ["i", "g_ampa", "g_nmda", "i_ampa", "i_nmda", "factor1", "factor2"],
  derived: {
    mgStep: { size: "instance", description: "exp(−gama·0.001 mV) [1]" },
    toDensity: { size: "instance", description: "100/area of the instance's node [1/µm²]" },
    plastic: { size: "instance", description: "0 when decay = 1 and facil = 0 (d, f stay 1)" },
    kA: { size: "instance", description: "1 − exp(−dt/tau1) [1]" },
    kB: { size: "instance", description: "1 − exp(−dt/tau2) [1]" },
    kC: { size: "instance", description: "1 − exp(−dt/tau3) [1]" },
    kD: { size: "instance", description: "1 − exp(−dt/tau4) [1]" },
    kdampa: { size: "instance", description: "1 − exp(−dt/taudampa) [1]" },
    kdnmda: { size: "instance", description: "1 − exp(−dt/taudnmda) [1]" },
    kfampa: { size: "instance", description: "1 − exp(−dt/taufampa) [1]" },
    kfnmda: { size: "instance", description: "1 − exp(−dt/taufnmda) [1]" },
    active: { size: "instance", description: "1 once the instance received an event" },
    fixed: {
      size: "instance",
      description: "bits 1, 2, 4, 8: A, B, C, D sit at a fixed point of their decay step",
    },
    mgOffset: { size: "instance", description: "offset of the instance's Mg table in mgTables" },
    mgTables: { size: "table", description: "Mg-block Hermite tables per (n, gama) (fast mode)" },
  },
  check: checkGlutamate,
  prepare: prepareGlutamate,
  init: initGlutamate,
  current: currentGlutamate,
  advance: advanceGlutamate,
  fast: { current: currentGlutamateFast },
  netReceive: netReceiveGlutamate,
  lumpable: lumpableGlutamate,
};
