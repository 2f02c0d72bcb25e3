/**
 * `Nap_Et2`, the persistent Na⁺ current (Magistretti & Alonso 1999) of the Hay et al. 2011 L5PT
 * model. Equations: spec/mechanisms.md §2.3, transcribed from `Nap_Et2.mod` in NMODL operation
 * order.
 *
 * @module
 */
import { cnexpGate } from "./_gate.ts";
import { advanceTwoGatesTabulated, prepareRateTable, RATE_TABLE_SLOT } from "./_rate_table.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

/** qt = 2.3^((34−21)/10), fixed in the source model (no celsius dependence). */
const QT = 2.952882641412121;

// Results of rates(): m∞, τm [ms], h∞, τh [ms]. A typed array, since a double
// stored in a module `let` is boxed: one heap allocation per store, four per instance-step.
const RATES = new Float64Array(4);
const M_INF = 0, M_TAU = 1, H_INF = 2, H_TAU = 3;

/** PROCEDURE rates() at membrane potential `vm` [mV]; the guards shift a local copy of v. */
function rates(vm: number): void {
  let v = vm;
  RATES[M_INF] = 1.0 / (1 + Math.exp((v - -52.6) / -4.6));
  if (v === -38) v = v + 0.0001;
  const mAlpha = (0.182 * (v - -38)) / (1 - Math.exp(-(v - -38) / 6));
  const mBeta = (0.124 * (-v - 38)) / (1 - Math.exp(-(-v - 38) / 6));
  RATES[M_TAU] = 6 * (1 / (mAlpha + mBeta)) / QT; // [ms]
  if (v === -17) v = v + 0.0001;
  if (v === -64.4) v = v + 0.0001;
  RATES[H_INF] = 1.0 / (1 + Math.exp((v - -48.8) / 10));
  const hAlpha = -2.88e-6 * (v + 17) / (1 - Math.exp((v + 17) / 4.63));
  const hBeta = 6.94e-6 * (v + 64.4) / (1 - Math.exp(-(v + 64.4) / 2.63));
  RATES[H_TAU] = (1 / (hAlpha + hBeta)) / QT; // [ms]
}

function initNapEt2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentNapEt2(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gNap_Et2bar, m, h, ina, gNap_Et2 } = s.fields;
  const v = n.v, ena = n.ena, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    const g = gNap_Et2bar[k] * mk * mk * mk * h[k]; // [S/cm²]
    const i = g * (v[c] - ena[c]); // [mA/cm²]
    gNap_Et2[k] = g;
    ina[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceNapEt2(s: MechanismInstances, n: NodeArrays): void {
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
function prepareNapEt2(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceNapEt2Fast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * Persistent sodium channel `Nap_Et2`: ina = gNap_Et2bar·m³·h·(V − ena).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { NAP_ET2 } from "./nap_et2.ts";
 * assert.deepEqual(NAP_ET2.states, ["m", "h"]);
 * ```
 */
export const NAP_ET2: DensityMechanism = {
  kind: "density",
  name: "Nap_Et2",
  ions: [{ name: "na", read: ["ena"], write: ["ina"] }],
  parameters: { gNap_Et2bar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ina", "gNap_Et2"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareNapEt2,
  init: initNapEt2,
  current: currentNapEt2,
  advance: advanceNapEt2,
  fast: { advance: advanceNapEt2Fast },
};
