/**
 * `K_Tst`, the transient K⁺ current (Korngreen & Sakmann 2000, shifted −10 mV) of the Hay et
 * al. 2011 L5PT model. Equations: spec/mechanisms.md §2.5, transcribed from `K_Tst.mod` in NMODL
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
  RATES[M_INF] = 1 / (1 + Math.exp(-(v + 0) / 19));
  const xm = (v + 71) / 59; // ^2 as x·x
  RATES[M_TAU] = (0.34 + 0.92 * Math.exp(-(xm * xm))) / QT;
  RATES[H_INF] = 1 / (1 + Math.exp(-(v + 66) / -10));
  const xh = (v + 73) / 23;
  RATES[H_TAU] = (8 + 49 * Math.exp(-(xh * xh))) / QT;
}

function initKTst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentKTst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gK_Tstbar, m, h, ik, gK_Tst } = s.fields;
  const v = n.v, ek = n.ek, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    // gK_Tstbar*(m^4)*h: m·m·m·m matched NEURON's pow(m, 4) bit for bit on the reference rows.
    const g = gK_Tstbar[k] * (mk * mk * mk * mk) * h[k]; // [S/cm²]
    const i = g * (v[c] - ek[c]); // [mA/cm²]
    gK_Tst[k] = g;
    ik[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceKTst(s: MechanismInstances, n: NodeArrays): void {
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
function prepareKTst(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceKTstFast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * Transient potassium channel `K_Tst`: ik = gK_Tstbar·m⁴·h·(V − ek).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { K_TST } from "./k_tst.ts";
 * assert.equal(K_TST.parameters.gK_Tstbar.default, 1e-5);
 * ```
 */
export const K_TST: DensityMechanism = {
  kind: "density",
  name: "K_Tst",
  ions: [{ name: "k", read: ["ek"], write: ["ik"] }],
  parameters: { gK_Tstbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ik", "gK_Tst"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareKTst,
  init: initKTst,
  current: currentKTst,
  advance: advanceKTst,
  fast: { advance: advanceKTstFast },
};
