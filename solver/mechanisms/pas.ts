/**
 * `pas`, NEURON's built-in passive leak: i = g·(V − e). Equations: spec/mechanisms.md §2.1.
 *
 * @module
 */
import type { DensityMechanism, MechanismInstances, NodeArrays } from "./_types.ts";
import { prepareNothing } from "./_types.ts";

function initPas(_s: MechanismInstances, _n: NodeArrays): void {
  // No states.
}

function currentPas(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { g, e, i } = s.fields;
  const v = n.v, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const gk = g[k]; // [S/cm²]
    const ik = gk * (v[c] - e[k]); // [mA/cm²]
    i[k] = ik;
    ni[c] += ik;
    ng[c] += gk;
  }
}

function advancePas(_s: MechanismInstances, _n: NodeArrays): void {
  // No states.
}

/**
 * The passive leak (NEURON built-in `pas`), parameters `g` [S/cm²] and `e` [mV].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAS } from "./pas.ts";
 * import { allocateInstances } from "./_types.ts";
 * import { makeNodes } from "./_testing.ts";
 * const s = allocateInstances(PAS, new Int32Array([0]));
 * const n = makeNodes(1, { v: -60 });
 * PAS.current(s, n);
 * assert.equal(n.i[0], 0.001 * 10); // default g 0.001 S/cm², e −70 mV
 * ```
 */
export const PAS: DensityMechanism = {
  kind: "density",
  name: "pas",
  ions: [],
  parameters: {
    g: { unit: "S/cm2", default: 0.001, min: 0 },
    e: { unit: "mV", default: -70 },
  },
  globals: {},
  states: [],
  assigned: ["i"],
  derived: {},
  prepare: prepareNothing,
  init: initPas,
  current: currentPas,
  advance: advancePas,
  fast: undefined,
};
