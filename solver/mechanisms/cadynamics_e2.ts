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
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

/**
 * Per-instance constants of the cnexp step, computed once per model instead of every step
 * (bit-identical: the same operations on the same operands): b = −1/decay, 1 − exp(dt·b),
 * 2·FARADAY·depth and (−minCai)/decay.
 */
function prepareCaDynamicsE2(s: MechanismInstances, c: PrepareContext): void {
  const { decay, depth, minCai } = s.fields;
  const { b, oneMinusExp, twoFDepth, minOverDecay } = s.derived;
  for (let k = 0; k < s.node.length; k++) {
    const dk = decay[k];
    const bk = -1.0 / dk;
    b[k] = bk;
    oneMinusExp[k] = 1 - Math.exp(c.dt * bk);
    twoFDepth[k] = 2.0 * c.faraday * depth[k];
    minOverDecay[k] = (-minCai[k]) / dk;
  }
}

function initCaDynamicsE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { cai } = s.fields;
  const ncai = n.cai;
  for (let k = 0; k < node.length; k++) cai[k] = ncai[node[k]];
}

function currentCaDynamicsE2(_s: MechanismInstances, _n: NodeArrays): void {
  // No current.
}

function advanceCaDynamicsE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gamma, cai } = s.fields;
  const { b, oneMinusExp, twoFDepth, minOverDecay } = s.derived;
  const ncai = n.cai, nica = n.ica;
  for (let k = 0; k < node.length; k++) {
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
 * assert.deepEqual(CADYNAMICS_E2.ions[0].write, ["cai"]);
 * ```
 */
export const CADYNAMICS_E2: DensityMechanism = {
  kind: "density",
  name: "CaDynamics_E2",
  ions: [{ name: "ca", read: ["ica"], write: ["cai"] }],
  parameters: {
    gamma: { unit: "1", default: 0.05, min: 0, max: 1 }, // fraction of free calcium
    decay: { unit: "ms", default: 80, min: 0, minExclusive: true },
    depth: { unit: "um", default: 0.1, min: 0, minExclusive: true },
    minCai: { unit: "mM", default: 1e-4, min: 0 },
  },
  globals: {},
  states: ["cai"],
  assigned: [],
  derived: {
    b: { size: "instance", description: "−1/decay [1/ms]" },
    oneMinusExp: { size: "instance", description: "1 − exp(dt·b) [1]" },
    twoFDepth: { size: "instance", description: "2·FARADAY·depth [C·µm/mol]" },
    minOverDecay: { size: "instance", description: "−minCai/decay [mM/ms]" },
  },
  prepare: prepareCaDynamicsE2,
  init: initCaDynamicsE2,
  current: currentCaDynamicsE2,
  advance: advanceCaDynamicsE2,
  fast: undefined,
};
