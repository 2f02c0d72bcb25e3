/**
 * `K_Pst`, the persistent K⁺ current (Korngreen & Sakmann 2000, shifted −10 mV) of the Hay et
 * al. 2011 L5PT model. Equations: spec/mechanisms.md §2.4, transcribed from `K_Pst.mod` in NMODL
 * operation order.
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

/** PROCEDURE rates() at membrane potential `vm` [mV] (the file evaluates at v + 10). */
function rates(vm: number): void {
  const v = vm + 10;
  RATES[M_INF] = 1 / (1 + Math.exp(-(v + 1) / 12));
  if (v < -50) {
    RATES[M_TAU] = (1.25 + 175.03 * Math.exp(-v * -0.026)) / QT;
  } else {
    RATES[M_TAU] = (1.25 + 13 * Math.exp(-v * 0.026)) / QT;
  }
  RATES[H_INF] = 1 / (1 + Math.exp(-(v + 54) / -11));
  const x = (v + 75) / 48; // ((v+75)/48)^2: pow(x, 2) is x·x exactly rounded
  RATES[H_TAU] = (360 + (1010 + 24 * (v + 55)) * Math.exp(-(x * x))) / QT;
}

function initKPst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentKPst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gK_Pstbar, m, h, ik, gK_Pst } = s.fields;
  const v = n.v, ek = n.ek, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    const g = gK_Pstbar[k] * mk * mk * h[k]; // [S/cm²]
    const i = g * (v[c] - ek[c]); // [mA/cm²]
    gK_Pst[k] = g;
    ik[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceKPst(s: MechanismInstances, n: NodeArrays): void {
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
function prepareKPst(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceKPstFast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * Persistent potassium channel `K_Pst`: ik = gK_Pstbar·m²·h·(V − ek).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { K_PST } from "./k_pst.ts";
 * assert.equal(K_PST.ions[0].name, "k");
 * ```
 */
export const K_PST: DensityMechanism = {
  kind: "density",
  name: "K_Pst",
  ions: [{ name: "k", read: ["ek"], write: ["ik"] }],
  parameters: { gK_Pstbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ik", "gK_Pst"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareKPst,
  init: initKPst,
  current: currentKPst,
  advance: advanceKPst,
  fast: { advance: advanceKPstFast },
};
