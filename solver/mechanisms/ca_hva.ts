/**
 * `Ca_HVA`, the high-voltage-activated Ca²⁺ current (Reuveni et al. 1993) of the Hay et al.
 * 2011 L5PT model. Equations: spec/mechanisms.md §2.8, transcribed from `Ca_HVA.mod` in NMODL
 * operation order (no temperature factor).
 *
 * @module
 */
import { cnexpGate } from "./_gate.ts";
import { advanceTwoGatesTabulated, prepareRateTable, RATE_TABLE_SLOT } from "./_rate_table.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

// Results of rates(): m∞, τm [ms], h∞, τh [ms]. A typed array, since a double
// stored in a module `let` is boxed: one heap allocation per store, four per instance-step.
const RATES = new Float64Array(4);
const M_INF = 0, M_TAU = 1, H_INF = 2, H_TAU = 3;

/** PROCEDURE rates() at membrane potential `vm` [mV]; the guard shifts a local copy of v. */
function rates(vm: number): void {
  let v = vm;
  if (v === -27) v = v + 0.0001;
  const mAlpha = (0.055 * (-27 - v)) / (Math.exp((-27 - v) / 3.8) - 1);
  const mBeta = 0.94 * Math.exp((-75 - v) / 17);
  RATES[M_INF] = mAlpha / (mAlpha + mBeta);
  RATES[M_TAU] = 1 / (mAlpha + mBeta); // [ms]
  const hAlpha = 0.000457 * Math.exp((-13 - v) / 50);
  const hBeta = 0.0065 / (Math.exp((-v - 15) / 28) + 1);
  RATES[H_INF] = hAlpha / (hAlpha + hBeta);
  RATES[H_TAU] = 1 / (hAlpha + hBeta); // [ms]
}

function initCaHVA(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentCaHVA(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gCa_HVAbar, m, h, ica, gCa_HVA } = s.fields;
  const v = n.v, eca = n.eca, ni = n.i, ng = n.g, nica = n.ica;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    const g = gCa_HVAbar[k] * mk * mk * h[k]; // [S/cm²]
    const i = g * (v[c] - eca[c]); // [mA/cm²]
    gCa_HVA[k] = g;
    ica[k] = i;
    nica[c] += i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceCaHVA(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v, dt = n.dt;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = cnexpGate(m[k], RATES[M_INF], RATES[M_TAU], dt);
    h[k] = cnexpGate(h[k], RATES[H_INF], RATES[H_TAU], dt);
  }
}

/** m∞, 1 − exp(−dt/τm), h∞, 1 − exp(−dt/τh) at `v` [mV]: the quantities of the rate table. */
function gateValues(v: number, dt: number, out: Float64Array): void {
  rates(v);
  out[0] = RATES[M_INF];
  out[1] = 1 - Math.exp(dt * (-1.0 / RATES[M_TAU]));
  out[2] = RATES[H_INF];
  out[3] = 1 - Math.exp(dt * (-1.0 / RATES[H_TAU]));
}

/** Builds the rate table of m∞, 1 − exp(−dt/τm), h∞, 1 − exp(−dt/τh) for the model's dt (fast mode). */
function prepareCaHVA(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceCaHVAFast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * High-voltage-activated calcium channel `Ca_HVA`: ica = gCa_HVAbar·m²·h·(V − eca).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CA_HVA } from "./ca_hva.ts";
 * assert.equal(CA_HVA.ions[0].name, "ca");
 * ```
 */
export const CA_HVA: DensityMechanism = {
  kind: "density",
  name: "Ca_HVA",
  ions: [{ name: "ca", read: ["eca"], write: ["ica"] }],
  parameters: { gCa_HVAbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ica", "gCa_HVA"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareCaHVA,
  init: initCaHVA,
  current: currentCaHVA,
  advance: advanceCaHVA,
  fast: { advance: advanceCaHVAFast },
};
