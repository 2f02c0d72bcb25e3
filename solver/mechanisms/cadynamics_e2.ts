/**
 * `CaDynamics_E2`, the submembrane Ca²⁺ pool (after Destexhe et al. 1994) of the Hay et al.
 * 2011 L5PT model. Equations: spec/mechanisms.md §2.12, cnexp step in the operation order of the
 * C code nocmodl generates from `CaDynamics_E2.mod`.
 *
 * The pool's state is the node's `cai` (n.cai): the solver sets it to cai0 = 5·10⁻⁵ mM at
 * initialization (there is no INITIAL block) and `advance` updates it with the step's total
 * calcium current n.ica. The per-instance `cai` field mirrors it for inspection.
 *
 * @module
 */
import type { DensityMechanism, MechanismInstances, NodeArrays } from "./_types.ts";

function initCaDynamicsE2(s: MechanismInstances, n: NodeArrays): void {
  CONSTANTS.delete(s);
  const node = s.node;
  const { cai } = s.fields;
  const ncai = n.cai;
  for (let k = 0; k < node.length; k++) cai[k] = ncai[node[k]];
}

function currentCaDynamicsE2(_s: MechanismInstances, _n: NodeArrays): void {
  // No current.
}

/**
 * Per-instance constants of the cnexp step, computed once instead of every step (bit-identical:
 * the same operations on the same operands): b = −1/decay, 1 − exp(dt·b), 2·FARADAY·depth and
 * (−minCai)/decay. Rebuilt when dt or FARADAY change, per instance when decay, depth or minCai do.
 */
interface StepConstants {
  dt: number;
  faraday: number;
  readonly decay: Float64Array;
  readonly depth: Float64Array;
  readonly minCai: Float64Array;
  readonly b: Float64Array;
  readonly oneMinusExp: Float64Array;
  readonly twoFDepth: Float64Array;
  readonly minOverDecay: Float64Array;
}

const CONSTANTS = new WeakMap<MechanismInstances, StepConstants>();

function fillConstants(c: StepConstants, s: MechanismInstances, k: number): void {
  const { decay, depth, minCai } = s.fields;
  const dk = decay[k];
  c.decay[k] = dk;
  c.depth[k] = depth[k];
  c.minCai[k] = minCai[k];
  const b = -1.0 / dk;
  c.b[k] = b;
  c.oneMinusExp[k] = 1 - Math.exp(c.dt * b);
  c.twoFDepth[k] = 2.0 * c.faraday * depth[k];
  c.minOverDecay[k] = (-minCai[k]) / dk;
}

function stepConstants(s: MechanismInstances, n: NodeArrays): StepConstants {
  let c = CONSTANTS.get(s);
  if (c === undefined || c.dt !== n.dt || c.faraday !== n.faraday) {
    const count = s.node.length;
    c = {
      dt: n.dt,
      faraday: n.faraday,
      decay: new Float64Array(count),
      depth: new Float64Array(count),
      minCai: new Float64Array(count),
      b: new Float64Array(count),
      oneMinusExp: new Float64Array(count),
      twoFDepth: new Float64Array(count),
      minOverDecay: new Float64Array(count),
    };
    for (let k = 0; k < count; k++) fillConstants(c, s, k);
    CONSTANTS.set(s, c);
  }
  return c;
}

function advanceCaDynamicsE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gamma, decay, depth, minCai, cai } = s.fields;
  const ncai = n.cai, nica = n.ica;
  const c = stepConstants(s, n);
  const { b, oneMinusExp, twoFDepth, minOverDecay } = c;
  for (let k = 0; k < node.length; k++) {
    if (decay[k] !== c.decay[k] || depth[k] !== c.depth[k] || minCai[k] !== c.minCai[k]) {
      fillConstants(c, s, k);
    }
    const nc = node[k];
    // cai' = -(10000)*(ica*gamma/(2*FARADAY*depth)) - (cai - minCai)/decay  [mM/ms];
    // cnexp: cai + (1 − exp(dt·b))·(−a/b − cai), NEURON's operation order.
    const a = -10000.0 * ((nica[nc] * gamma[k]) / twoFDepth[k]) - minOverDecay[k];
    const x0 = ncai[nc];
    const x = x0 + oneMinusExp[k] * (-a / b[k] - x0);
    ncai[nc] = x;
    cai[k] = x;
  }
}

/**
 * Calcium pool `CaDynamics_E2`: cai' = −10⁴·ica·γ/(2F·depth) − (cai − minCai)/decay.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CADYNAMICS_E2 } from "./cadynamics_e2.ts";
 * assert.equal(CADYNAMICS_E2.writesCai, true);
 * ```
 */
export const CADYNAMICS_E2: DensityMechanism = {
  kind: "density",
  name: "CaDynamics_E2",
  ion: "ca",
  writesCai: true,
  parameters: {
    gamma: { unit: "1", default: 0.05 },
    decay: { unit: "ms", default: 80 },
    depth: { unit: "um", default: 0.1 },
    minCai: { unit: "mM", default: 1e-4 },
  },
  states: ["cai"],
  assigned: [],
  init: initCaDynamicsE2,
  current: currentCaDynamicsE2,
  advance: advanceCaDynamicsE2,
};
