/**
 * `SKv3_1`, the Kv3.1 K⁺ current (Rettig et al. 1992) of the Hay et al. 2011 L5PT model.
 * Equations: spec/mechanisms.md §2.6, transcribed from `SKv3_1.mod` in NMODL operation order
 * (no temperature factor).
 *
 * @module
 */
import { cnexpGate } from "./_gate.ts";
import { advanceOneGateTabulated, prepareRateTable, RATE_TABLE_SLOT } from "./_rate_table.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

// Results of rates(): m∞, τm [ms]. A typed array, since a double
// stored in a module `let` is boxed: one heap allocation per store, four per instance-step.
const RATES = new Float64Array(2);
const M_INF = 0, M_TAU = 1;

/** PROCEDURE rates() at membrane potential `v` [mV]. */
function rates(v: number): void {
  RATES[M_INF] = 1 / (1 + Math.exp((v - 18.700) / -9.700));
  RATES[M_TAU] = 0.2 * 20.000 / (1 + Math.exp((v - -46.560) / -44.140)); // [ms]
}

function initSKv31(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
  }
}

function currentSKv31(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gSKv3_1bar, m, ik, gSKv3_1 } = s.fields;
  const v = n.v, ek = n.ek, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const g = gSKv3_1bar[k] * m[k]; // [S/cm²]
    const i = g * (v[c] - ek[c]); // [mA/cm²]
    gSKv3_1[k] = g;
    ik[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceSKv31(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m } = s.fields;
  const v = n.v, dt = n.dt;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = cnexpGate(m[k], RATES[M_INF], RATES[M_TAU], dt);
  }
}

/** m∞ and 1 − exp(−dt/τm) at `v` [mV]: the quantities of the rate table. */
function gateValues(v: number, dt: number, out: Float64Array): void {
  rates(v);
  out[0] = RATES[M_INF];
  out[1] = 1 - Math.exp(dt * (-1.0 / RATES[M_TAU]));
}

/** Builds the rate table of m∞, 1 − exp(−dt/τm) for the model's dt (fast mode). */
function prepareSKv31(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 2, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceSKv31Fast(s: MechanismInstances, n: NodeArrays): void {
  advanceOneGateTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m);
}

/**
 * Kv3.1 potassium channel `SKv3_1`: ik = gSKv3_1bar·m·(V − ek).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SKV3_1 } from "./skv3_1.ts";
 * assert.equal(SKV3_1.name, "SKv3_1");
 * ```
 */
export const SKV3_1: DensityMechanism = {
  kind: "density",
  name: "SKv3_1",
  ions: [{ name: "k", read: ["ek"], write: ["ik"] }],
  parameters: { gSKv3_1bar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m"],
  assigned: ["ik", "gSKv3_1"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareSKv31,
  init: initSKv31,
  current: currentSKv31,
  advance: advanceSKv31,
  fast: { advance: advanceSKv31Fast },
};
