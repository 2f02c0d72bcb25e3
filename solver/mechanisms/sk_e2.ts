/**
 * `SK_E2`, the small-conductance Ca²⁺-activated K⁺ current (Köhler et al. 1996) of the Hay et
 * al. 2011 L5PT model. Equations: spec/mechanisms.md §2.7, transcribed from `SK_E2.mod` in NMODL
 * operation order. It reads `cai` (n.cai), which CaDynamics_E2 has already advanced in the same
 * step (its state update runs earlier in the catalogue order, spec §1.6).
 *
 * @module
 */
import { advanceConcentrationGateTabulated, buildConcentrationTable } from "./_rate_table.ts";
import type { ConcentrationTable } from "./_rate_table.ts";
import type { DensityMechanism, Kernel, MechanismInstances, NodeArrays } from "./_types.ts";

/** PROCEDURE rates(ca): steady state of z at internal calcium `cai` [mM]. */
function zInfOf(cai: number): number {
  let ca = cai;
  if (ca < 1e-7) ca = ca + 1e-07;
  return 1 / (1 + Math.pow(0.00043 / ca, 4.8));
}

function initSKE2(s: MechanismInstances, n: NodeArrays): void {
  CONSTANTS.delete(s);
  const node = s.node;
  const { z } = s.fields;
  const cai = n.cai;
  for (let k = 0; k < node.length; k++) z[k] = zInfOf(cai[node[k]]);
}

function currentSKE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gSK_E2bar, z, ik, gSK_E2 } = s.fields;
  const v = n.v, ek = n.ek, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const g = gSK_E2bar[k] * z[k]; // [S/cm²]
    const i = g * (v[c] - ek[c]); // [mA/cm²]
    gSK_E2[k] = g;
    ik[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

/**
 * Per-instance constants of the cnexp step, computed once instead of every step (bit-identical):
 * b = −1/zTau and 1 − exp(dt·b). Rebuilt when dt changes, per instance when zTau does.
 */
interface StepConstants {
  readonly dt: number;
  readonly zTau: Float64Array;
  readonly b: Float64Array;
  readonly oneMinusExp: Float64Array;
}

const CONSTANTS = new WeakMap<MechanismInstances, StepConstants>();

function fillConstants(c: StepConstants, tau: number, k: number): void {
  c.zTau[k] = tau;
  const b = -1.0 / tau;
  c.b[k] = b;
  c.oneMinusExp[k] = 1 - Math.exp(c.dt * b);
}

function stepConstants(s: MechanismInstances, dt: number): StepConstants {
  let c = CONSTANTS.get(s);
  if (c === undefined || c.dt !== dt) {
    const count = s.node.length;
    c = {
      dt,
      zTau: new Float64Array(count),
      b: new Float64Array(count),
      oneMinusExp: new Float64Array(count),
    };
    const zTau = s.fields.zTau;
    for (let k = 0; k < count; k++) fillConstants(c, zTau[k], k);
    CONSTANTS.set(s, c);
  }
  return c;
}

function advanceSKE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { z, zTau } = s.fields;
  const cai = n.cai;
  const c = stepConstants(s, n.dt);
  const { b, oneMinusExp } = c;
  for (let k = 0; k < node.length; k++) {
    const tau = zTau[k];
    if (tau !== c.zTau[k]) fillConstants(c, tau, k);
    // cnexpGate in NEURON's operation order: z + (1 − exp(dt·b))·(−(z∞/zTau)/b − z).
    const zk = z[k];
    z[k] = zk + oneMinusExp[k] * (-(zInfOf(cai[node[k]]) / tau) / b[k] - zk);
  }
}

/** z∞(cai) on the concentration grid, built on first use (it does not depend on dt). */
let zInfTable: ConcentrationTable | undefined;

function advanceSKE2Tabulated(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const zTau = s.fields.zTau;
  const c = stepConstants(s, n.dt);
  for (let k = 0; k < node.length; k++) {
    if (zTau[k] !== c.zTau[k]) fillConstants(c, zTau[k], k);
  }
  zInfTable ??= buildConcentrationTable(1, (cai, out) => {
    out[0] = zInfOf(cai);
  });
  advanceConcentrationGateTabulated(zInfTable, node, n.cai, c.oneMinusExp, s.fields.z);
}

/**
 * The `advance` kernel of `SK_E2` with z∞(cai) from a concentration table
 * (solver/mechanisms/_rate_table.ts): z + (1 − exp(−dt/zTau))·(z∞ − z) without `Math.pow`
 * (|Δz∞| ≤ 2e-9), the exact formula outside [1.2e-7, 4) mM.
 */
export const SK_E2_ADVANCE_TABULATED: Kernel = advanceSKE2Tabulated;

/**
 * Ca²⁺-activated potassium channel `SK_E2`: ik = gSK_E2bar·z·(V − ek), z' = (z∞(cai) − z)/zTau.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SK_E2 } from "./sk_e2.ts";
 * assert.equal(SK_E2.parameters.zTau.default, 1);
 * ```
 */
export const SK_E2: DensityMechanism = {
  kind: "density",
  name: "SK_E2",
  ion: "k",
  writesCai: false,
  parameters: {
    gSK_E2bar: { unit: "S/cm2", default: 0.000001 },
    zTau: { unit: "ms", default: 1 },
  },
  states: ["z"],
  assigned: ["ik", "gSK_E2"],
  init: initSKE2,
  current: currentSKE2,
  advance: advanceSKE2,
};
