/**
 * `IClamp`, NEURON's built-in current clamp (electrode current, positive = depolarising):
 * i = amp while del ≤ t < del + dur, else 0, with t the step's current-evaluation time
 * (midpoint t_n + dt/2). Spec: spec/mechanisms.md §6.
 *
 * @module
 */
import type { MechanismInstances, NodeArrays, PointMechanism } from "./_types.ts";
import { prepareNothing } from "./_types.ts";

function initIClamp(s: MechanismInstances, _n: NodeArrays): void {
  s.fields.i.fill(0);
}

function currentIClamp(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { del, dur, amp, i } = s.fields;
  const t = n.t, area = n.area, ni = n.i;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const ik = t < del[k] + dur[k] && t >= del[k] ? amp[k] : 0; // [nA]
    i[k] = ik;
    // ELECTRODE_CURRENT: NEURON adds rhs·(1e2/area) to the node's RHS, i.e. an inward current.
    // The slope is (i(v+0.001) − i(v))/0.001 = 0.
    ni[c] -= ik * (1.e2 / area[c]);
  }
}

function advanceIClamp(_s: MechanismInstances, _n: NodeArrays): void {
  // No states.
}

/**
 * Current clamp point process `IClamp` (parameters `del` [ms], `dur` [ms], `amp` [nA]).
 *
 * @example A 0.5 nA pulse at a 100 µm² node during its window
 * ```ts
 * import assert from "node:assert/strict";
 * import { ICLAMP } from "./iclamp.ts";
 * import { allocateInstances } from "./_types.ts";
 * import { makeNodes } from "./_testing.ts";
 * const s = allocateInstances(ICLAMP, new Int32Array([0]));
 * s.fields.del[0] = 1; s.fields.dur[0] = 2; s.fields.amp[0] = 0.5;
 * const n = makeNodes(1, { area: 100, t: 1.0125 });
 * ICLAMP.current(s, n);
 * assert.equal(n.i[0], -0.5); // mA/cm²: depolarising
 * ```
 */
export const ICLAMP: PointMechanism = {
  kind: "point",
  name: "IClamp",
  ions: [],
  parameters: {
    del: { unit: "ms", default: 0 },
    dur: { unit: "ms", default: 0 },
    amp: { unit: "nA", default: 0 },
  },
  globals: {},
  states: [],
  assigned: ["i"],
  derived: {},
  prepare: prepareNothing,
  init: initIClamp,
  current: currentIClamp,
  advance: advanceIClamp,
  fast: undefined,
  netReceive: undefined,
  lumpable: undefined,
};
