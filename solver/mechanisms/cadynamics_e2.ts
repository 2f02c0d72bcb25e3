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
import { cnexpStep } from "./_gate.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays } from "./_types.ts";

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
  const { gamma, decay, depth, minCai, cai } = s.fields;
  const ncai = n.cai, nica = n.ica, dt = n.dt, FARADAY = n.faraday;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const dk = decay[k]; // [ms]
    // cai' = -(10000)*(ica*gamma/(2*FARADAY*depth)) - (cai - minCai)/decay  [mM/ms]
    const a = -10000.0 * ((nica[c] * gamma[k]) / (2.0 * FARADAY * depth[k])) -
      (-minCai[k]) / dk;
    const b = -1.0 / dk;
    const x = cnexpStep(ncai[c], a, b, dt);
    ncai[c] = x;
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
