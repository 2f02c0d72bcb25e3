/**
 * `SK_E2`, the small-conductance Ca²⁺-activated K⁺ current (Köhler et al. 1996) of the Hay et
 * al. 2011 L5PT model. Equations: spec/mechanisms.md §2.7, transcribed from `SK_E2.mod` in NMODL
 * operation order. It reads `cai` (n.cai), which CaDynamics_E2 has already advanced in the same
 * step (its state update runs earlier in the catalogue order, spec §1.6).
 *
 * @module
 */
import { advanceConcentrationGateTabulated, buildConcentrationTable } from "./_rate_table.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

/** PROCEDURE rates(ca): steady state of z at internal calcium `cai` [mM]. */
function zInfOf(cai: number): number {
  let ca = cai;
  if (ca < 1e-7) ca = ca + 1e-07;
  return 1 / (1 + Math.pow(0.00043 / ca, 4.8));
}

/** z∞ as a one-quantity function for the concentration table. */
function zInfValue(cai: number, out: Float64Array): void {
  out[0] = zInfOf(cai);
}

/**
 * The cnexp constants of the model's dt and the GLOBAL zTau, computed once instead of every
 * step (bit-identical): step[0] = b = −1/zTau, step[1] = 1 − exp(dt·b); and z∞(cai) on the
 * concentration grid in fast mode.
 */
function prepareSKE2(s: MechanismInstances, c: PrepareContext): void {
  const b = -1.0 / s.globals.zTau;
  s.derived.step = Float64Array.of(b, 1 - Math.exp(c.dt * b));
  s.derived.zInfTable = c.rateTables ? buildConcentrationTable(1, zInfValue) : new Float64Array(0);
}

function initSKE2(s: MechanismInstances, n: NodeArrays): void {
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

function advanceSKE2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { z } = s.fields;
  const tau = s.globals.zTau; // [ms]
  const step = s.derived.step;
  const b = step[0], oneMinusExp = step[1];
  const cai = n.cai;
  for (let k = 0; k < node.length; k++) {
    // cnexpGate in NEURON's operation order: z + (1 − exp(dt·b))·(−(z∞/zTau)/b − z).
    const zk = z[k];
    z[k] = zk + oneMinusExp * (-(zInfOf(cai[node[k]]) / tau) / b - zk);
  }
}

/**
 * The fast `advance`: z + (1 − exp(−dt/zTau))·(z∞ − z) with z∞(cai) from the concentration
 * table, without `Math.pow` (|Δz∞| ≤ 2e-9), the exact formula outside [1.2e-7, 4) mM.
 */
function advanceSKE2Fast(s: MechanismInstances, n: NodeArrays): void {
  const oneMinusExp = s.derived.step[1];
  advanceConcentrationGateTabulated(
    s.derived.zInfTable,
    zInfValue,
    s.node,
    n.cai,
    oneMinusExp,
    s.fields.z,
  );
}

/**
 * Ca²⁺-activated potassium channel `SK_E2`: ik = gSK_E2bar·z·(V − ek), z' = (z∞(cai) − z)/zTau
 * with the GLOBAL zTau (1 ms by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SK_E2 } from "./sk_e2.ts";
 * assert.equal(SK_E2.globals.zTau.default, 1);
 * ```
 */
export const SK_E2: DensityMechanism = {
  kind: "density",
  name: "SK_E2",
  ions: [
    { name: "k", read: ["ek"], write: ["ik"] },
    { name: "ca", read: ["cai"], write: [] },
  ],
  parameters: { gSK_E2bar: { unit: "S/cm2", default: 0.000001, min: 0 } },
  // A PARAMETER that SK_E2.mod does not declare RANGE: one value per model (`mech_globals`).
  globals: { zTau: { unit: "ms", default: 1, min: 0, minExclusive: true } },
  states: ["z"],
  assigned: ["ik", "gSK_E2"],
  derived: {
    step: { size: "table", description: "[b = −1/zTau (1/ms), 1 − exp(dt·b)]" },
    zInfTable: { size: "table", description: "z∞(cai) on the concentration grid (fast mode)" },
  },
  prepare: prepareSKE2,
  init: initSKE2,
  current: currentSKE2,
  advance: advanceSKE2,
  fast: { advance: advanceSKE2Fast },
};
