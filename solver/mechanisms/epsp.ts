/**
 * `epsp` (Schaefer et al. 2003), a double-exponential current waveform with peak `imax` starting
 * at `onset`; non-specific current, so i < 0 is inward (depolarising). Spec:
 * spec/mechanisms.md §6, transcribed from `epsp.mod` in NMODL operation order.
 *
 * @module
 */
import type { MechanismInstances, NodeArrays, PointMechanism } from "./_types.ts";
import { prepareNothing } from "./_types.ts";

/** FUNCTION myexp(x): exp(x), or 0 below −100. */
function myexp(x: number): number {
  return x < -100 ? 0 : Math.exp(x);
}

/** FUNCTION curr(x) at time `x` [ms] → current [nA]. */
function curr(x: number, onset: number, tau0: number, tau1: number, imax: number): number {
  const tpeak = tau0 * tau1 * Math.log(tau0 / tau1) / (tau0 - tau1);
  const adjust = 1 / ((1 - myexp(-tpeak / tau0)) - (1 - myexp(-tpeak / tau1)));
  const amp = adjust * imax;
  if (x < onset) return 0;
  const a0 = 1 - myexp(-(x - onset) / tau0);
  const a1 = 1 - myexp(-(x - onset) / tau1);
  return -amp * (a0 - a1);
}

/** The waveform's peak time is 0/0 when the two time constants are equal. */
function checkEpsp(p: Readonly<Record<string, number>>): string | undefined {
  return p.tau0 === p.tau1
    ? `tau0 and tau1 must differ (both ${p.tau0} ms: the waveform's peak time is 0/0)`
    : undefined;
}

function initEpsp(s: MechanismInstances, _n: NodeArrays): void {
  s.fields.i.fill(0);
}

function currentEpsp(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { onset, tau0, tau1, imax, i } = s.fields;
  const t = n.t, area = n.area, ni = n.i;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const ik = curr(t, onset[k], tau0[k], tau1[k], imax[k]); // [nA]
    i[k] = ik;
    // NONSPECIFIC_CURRENT, independent of v: slope 0.
    ni[c] += ik * (1.e2 / area[c]);
  }
}

function advanceEpsp(_s: MechanismInstances, _n: NodeArrays): void {
  // No states.
}

/**
 * Current-waveform point process `epsp` (parameters `onset` [ms], `tau0` [ms], `tau1` [ms],
 * `imax` [nA]).
 *
 * @example The waveform peaks at −imax
 * ```ts
 * import assert from "node:assert/strict";
 * import { EPSP } from "./epsp.ts";
 * import { allocateInstances } from "./_types.ts";
 * import { makeNodes } from "./_testing.ts";
 * const s = allocateInstances(EPSP, new Int32Array([0]));
 * s.fields.imax[0] = 1;
 * const tpeak = 0.2 * 3 * Math.log(0.2 / 3) / (0.2 - 3);
 * EPSP.current(s, makeNodes(1, { t: tpeak }));
 * assert.ok(Math.abs(s.fields.i[0] + 1) < 1e-12);
 * ```
 */
export const EPSP: PointMechanism = {
  kind: "point",
  name: "epsp",
  ions: [],
  parameters: {
    onset: { unit: "ms", default: 0 },
    tau0: { unit: "ms", default: 0.2, min: 0, minExclusive: true },
    tau1: { unit: "ms", default: 3.0, min: 0, minExclusive: true },
    imax: { unit: "nA", default: 0 },
  },
  globals: {},
  states: [],
  assigned: ["i"],
  derived: {},
  prepare: prepareNothing,
  init: initEpsp,
  current: currentEpsp,
  advance: advanceEpsp,
  fast: undefined,
  netReceive: undefined,
  lumpable: undefined,
  check: checkEpsp,
};
