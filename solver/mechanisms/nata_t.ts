/**
 * `NaTa_t`, the transient Na⁺ current (Colbert & Pan 2002) of the Hay et al. 2011 L5PT model.
 * Equations: spec/mechanisms.md §2.2, transcribed from `NaTa_t.mod` in NMODL operation order.
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
  if (v === -38) v = v + 0.0001;
  const mAlpha = (0.182 * (v - -38)) / (1 - Math.exp(-(v - -38) / 6));
  const mBeta = (0.124 * (-v - 38)) / (1 - Math.exp(-(-v - 38) / 6));
  RATES[M_TAU] = (1 / (mAlpha + mBeta)) / QT; // [ms]
  RATES[M_INF] = mAlpha / (mAlpha + mBeta);
  if (v === -66) v = v + 0.0001;
  const hAlpha = (-0.015 * (v - -66)) / (1 - Math.exp((v - -66) / 6));
  const hBeta = (-0.015 * (-v - 66)) / (1 - Math.exp((-v - 66) / 6));
  RATES[H_TAU] = (1 / (hAlpha + hBeta)) / QT; // [ms]
  RATES[H_INF] = hAlpha / (hAlpha + hBeta);
}

function initNaTaT(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentNaTaT(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gNaTa_tbar, m, h, ina, gNaTa_t } = s.fields;
  const v = n.v, ena = n.ena, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    const g = gNaTa_tbar[k] * mk * mk * mk * h[k]; // [S/cm²]
    const i = g * (v[c] - ena[c]); // [mA/cm²]
    gNaTa_t[k] = g;
    ina[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceNaTaT(s: MechanismInstances, n: NodeArrays): void {
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
function prepareNaTaT(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceNaTaTFast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * Transient sodium channel `NaTa_t`: ina = gNaTa_tbar·m³·h·(V − ena).
 *
 * @example Steady state at −75 mV
 * ```ts
 * import assert from "node:assert/strict";
 * import { NATA_T } from "./nata_t.ts";
 * import { allocateInstances } from "./_types.ts";
 * import { makeNodes } from "./_testing.ts";
 * const s = allocateInstances(NATA_T, new Int32Array([0]));
 * NATA_T.init(s, makeNodes(1, { v: -75 }));
 * assert.ok(Math.abs(s.fields.m[0] - 0.0030701880783005103) < 1e-15);
 * ```
 */
export const NATA_T: DensityMechanism = {
  kind: "density",
  name: "NaTa_t",
  ions: [{ name: "na", read: ["ena"], write: ["ina"] }],
  parameters: { gNaTa_tbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ina", "gNaTa_t"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareNaTaT,
  init: initNaTaT,
  current: currentNaTaT,
  advance: advanceNaTaT,
  fast: { advance: advanceNaTaTFast },
};
