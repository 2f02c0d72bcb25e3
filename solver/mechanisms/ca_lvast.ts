/**
 * `Ca_LVAst`, the low-voltage-activated Ca²⁺ current (Avery & Johnston 1996, shifted −10 mV)
 * of the Hay et al. 2011 L5PT model. Equations: spec/mechanisms.md §2.9, transcribed from
 * `Ca_LVAst.mod` in NMODL operation order.
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
  RATES[M_INF] = 1.0000 / (1 + Math.exp((v - -30.000) / -6));
  RATES[M_TAU] = (5.0000 + 20.0000 / (1 + Math.exp((v - -25.000) / 5))) / QT;
  RATES[H_INF] = 1.0000 / (1 + Math.exp((v - -80.000) / 6.4));
  RATES[H_TAU] = (20.0000 + 50.0000 / (1 + Math.exp((v - -40.000) / 7))) / QT;
}

function initCaLVAst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m, h } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
    h[k] = RATES[H_INF];
  }
}

function currentCaLVAst(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gCa_LVAstbar, m, h, ica, gCa_LVAst } = s.fields;
  const v = n.v, eca = n.eca, ni = n.i, ng = n.g, nica = n.ica;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const mk = m[k];
    const g = gCa_LVAstbar[k] * mk * mk * h[k]; // [S/cm²]
    const i = g * (v[c] - eca[c]); // [mA/cm²]
    gCa_LVAst[k] = g;
    ica[k] = i;
    nica[c] += i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceCaLVAst(s: MechanismInstances, n: NodeArrays): void {
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
function prepareCaLVAst(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 4, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceCaLVAstFast(s: MechanismInstances, n: NodeArrays): void {
  advanceTwoGatesTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m, s.fields.h);
}

/**
 * Low-voltage-activated calcium channel `Ca_LVAst`: ica = gCa_LVAstbar·m²·h·(V − eca).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CA_LVAST } from "./ca_lvast.ts";
 * assert.deepEqual(CA_LVAST.assigned, ["ica", "gCa_LVAst"]);
 * ```
 */
export const CA_LVAST: DensityMechanism = {
  kind: "density",
  name: "Ca_LVAst",
  ions: [{ name: "ca", read: ["eca"], write: ["ica"] }],
  parameters: { gCa_LVAstbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m", "h"],
  assigned: ["ica", "gCa_LVAst"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareCaLVAst,
  init: initCaLVAst,
  current: currentCaLVAst,
  advance: advanceCaLVAst,
  fast: { advance: advanceCaLVAstFast },
};
