/**
 * `gaba_syn` (ISF's `netgaba.mod`: Polsky 2010 after Sun et al. 2006, GABA_A with depression
 * and facilitation after Varela et al. 1997, modified by Egger 2015). Equations:
 * spec/mechanisms.md §4.2, transcribed in NMODL operation order; the slope is NEURON's
 * difference quotient [I(V + 0.001) − I(V)]/0.001 for point processes.
 *
 * Units: conductances R, D, g [nS]; current i [nA]; the node receives I·(100/area) [mA/cm²].
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
 * The cnexp factors 1 − exp(dt·(−1/τ)) of every instance for the model's dt (one exp per
 * instance instead of one per step), and whether depression or facilitation can act.
 */
function prepareGaba(s: MechanismInstances, c: PrepareContext): void {
  const { taudgaba, taufgaba, risetime, decaytime, decaygaba, facilgaba } = s.fields;
  const { kd, kf, kR, kD, plastic } = s.derived;
  for (let k = 0; k < s.node.length; k++) {
    kd[k] = decayFactor(taudgaba[k], c.dt);
    kf[k] = decayFactor(taufgaba[k], c.dt);
    kR[k] = decayFactor(risetime[k], c.dt);
    kD[k] = decayFactor(decaytime[k], c.dt);
    plastic[k] = decaygaba[k] === 1 && facilgaba[k] === 0 ? 0 : 1;
  }
}

function initGaba(s: MechanismInstances, _n: NodeArrays): void {
  const f = s.fields;
  const { risetime, decaytime, factor } = f;
  f.d_gaba.fill(1);
  f.f_gaba.fill(1);
  f.R.fill(0);
  f.D.fill(0);
  f.g.fill(0);
  f.i.fill(0);
  s.derived.active.fill(0);
  for (let k = 0; k < s.node.length; k++) factor[k] = peakFactor(decaytime[k], risetime[k]);
}

function currentGaba(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { R, D, e, g, i } = s.fields;
  const active = s.derived.active;
  const vn = n.v, area = n.area, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    // Before its first event an instance has R = D = 0: it adds ±0 to i and g (a no-op).
    if (active[k] === 0) continue;
    const c = node[k];
    const ggaba = D[k] - R[k]; // [nS]
    const iHigh = (1e-3) * ggaba * (vn[c] + .001 - e[k]); // at v + .001 [nA]
    const rhs = (1e-3) * ggaba * (vn[c] - e[k]); // at v [nA]
    g[k] = ggaba;
    i[k] = rhs;
    const toDensity = 1.e2 / area[c];
    ng[c] += ((iHigh - rhs) / .001) * toDensity; // [S/cm²]
    ni[c] += rhs * toDensity; // [mA/cm²]
  }
}

function advanceGaba(s: MechanismInstances, _n: NodeArrays): void {
  const node = s.node;
  const { d_gaba, f_gaba, R, D } = s.fields;
  const { kd, kf, kR, kD, active, plastic } = s.derived;
  for (let k = 0; k < node.length; k++) {
    // Before its first event the states sit exactly at their fixed point (R = D = 0, d = f = 1),
    // which the cnexp step leaves bit-for-bit unchanged.
    if (active[k] === 0) continue;
    // cnexp (mechanisms.md §1.2): x + (1 − exp(dt·b))·(x∞ − x).
    R[k] = R[k] + kR[k] * (0.0 - R[k]);
    D[k] = D[k] + kD[k] * (0.0 - D[k]);
    // Without depression and facilitation d and f stay exactly 1 (1 + k·(1 − 1) = 1).
    if (plastic[k] === 0) continue;
    d_gaba[k] = d_gaba[k] + kd[k] * (1 - d_gaba[k]);
    f_gaba[k] = f_gaba[k] + kf[k] * (1 - f_gaba[k]);
  }
}

function netReceiveGaba(
  s: MechanismInstances,
  k: number,
  weights: Float64Array,
  offset: number,
  _n: NodeArrays,
): void {
  const f = s.fields;
  s.derived.active[k] = 1;
  const weight = weights[offset]; // [nS]
  f.R[k] = f.R[k] + f.factor[k] * weight * f.d_gaba[k] * f.f_gaba[k];
  f.D[k] = f.D[k] + f.factor[k] * weight * f.d_gaba[k] * f.f_gaba[k];
  f.d_gaba[k] = f.d_gaba[k] * f.decaygaba[k];
  f.f_gaba[k] = f.f_gaba[k] + f.facilgaba[k];
}

/** The peak normalisation is 0/0 when the rise and decay times are equal. */
function checkGaba(p: Readonly<Record<string, number>>): string | undefined {
  return p.risetime === p.decaytime
    ? `risetime and decaytime must differ (both ${p.risetime} ms: the peak factor is 0/0)`
    : undefined;
}

/**
 * True when no depression or facilitation can act (decaygaba = 1, facilgaba = 0), so instances
 * with equal parameters at one node can be merged into one.
 */
function lumpableGaba(params: Readonly<Record<string, number>>): boolean {
  return paramOrDefault(GABA_SYN, params, "decaygaba") === 1 &&
    paramOrDefault(GABA_SYN, params, "facilgaba") === 0;
}

/**
 * The GABA_A synapse `gaba_syn`. NET_RECEIVE weight: [w] [nS].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GABA_SYN } from "./gaba_syn.ts";
 * assert.equal(GABA_SYN.lumpable!({ decaygaba: 1, facilgaba: 0 }), true);
 * assert.equal(GABA_SYN.lumpable!({}), false); // default decaygaba 0.8 depresses
 * ```
 */
export const GABA_SYN: PointMechanism = {
  kind: "point",
  name: "gaba_syn",
  ions: [],
  parameters: {
    e: { unit: "mV", default: -60.0 },
    risetime: { unit: "ms", default: 1, min: 0, minExclusive: true },
    decaytime: { unit: "ms", default: 20, min: 0, minExclusive: true },
    taudgaba: { unit: "ms", default: 200, min: 0, minExclusive: true },
    decaygaba: { unit: "1", default: 0.8 },
    taufgaba: { unit: "ms", default: 200, min: 0, minExclusive: true },
    facilgaba: { unit: "1", default: 0.0 },
  },
  globals: {},
  states: ["d_gaba", "f_gaba", "R", "D"],
  assigned: ["i", "g", "factor"],
  derived: {
    kd: { size: "instance", description: "1 − exp(−dt/taudgaba) [1]" },
    kf: { size: "instance", description: "1 − exp(−dt/taufgaba) [1]" },
    kR: { size: "instance", description: "1 − exp(−dt/risetime) [1]" },
    kD: { size: "instance", description: "1 − exp(−dt/decaytime) [1]" },
    active: {
      size: "instance",
      description: "1 once the instance received an event (reset by init)",
    },
    plastic: {
      size: "instance",
      description: "0 when decaygaba = 1 and facilgaba = 0 (d, f stay 1)",
    },
  },
  check: checkGaba,
  prepare: prepareGaba,
  init: initGaba,
  current: currentGaba,
  advance: advanceGaba,
  fast: undefined,
  netReceive: netReceiveGaba,
  lumpable: lumpableGaba,
};
