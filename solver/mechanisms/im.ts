/**
 * `Im`, the muscarinic K⁺ current (Adams et al. 1982) of the Hay et al. 2011 L5PT model.
 * Equations: spec/mechanisms.md §2.11, transcribed from `Im.mod` in NMODL operation order.
 *
 * @module
 */
import { cnexpGate } from "./_gate.ts";
import { advanceOneGateTabulated, prepareRateTable, RATE_TABLE_SLOT } from "./_rate_table.ts";
import type { DensityMechanism, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

/** qt = 2.3^((34−21)/10), fixed in the source model (no celsius dependence). */
const QT = 2.952882641412121;

// Results of rates(): m∞, τm [ms]. A typed array, since a double
// stored in a module `let` is boxed: one heap allocation per store, four per instance-step.
const RATES = new Float64Array(2);
const M_INF = 0, M_TAU = 1;

/** PROCEDURE rates() at membrane potential `v` [mV]. */
function rates(v: number): void {
  const mAlpha = 3.3e-3 * Math.exp(2.5 * 0.04 * (v - -35));
  const mBeta = 3.3e-3 * Math.exp(-2.5 * 0.04 * (v - -35));
  RATES[M_INF] = mAlpha / (mAlpha + mBeta);
  RATES[M_TAU] = (1 / (mAlpha + mBeta)) / QT; // [ms]
}

function initIm(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
  }
}

function currentIm(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gImbar, m, ik, gIm } = s.fields;
  const v = n.v, ek = n.ek, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const g = gImbar[k] * m[k]; // [S/cm²]
    const i = g * (v[c] - ek[c]); // [mA/cm²]
    gIm[k] = g;
    ik[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceIm(s: MechanismInstances, n: NodeArrays): void {
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
function prepareIm(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 2, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceImFast(s: MechanismInstances, n: NodeArrays): void {
  advanceOneGateTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m);
}

/**
 * Muscarinic potassium channel `Im`: ik = gImbar·m·(V − ek).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IM } from "./im.ts";
 * assert.equal(IM.name, "Im");
 * ```
 */
export const IM: DensityMechanism = {
  kind: "density",
  name: "Im",
  ions: [{ name: "k", read: ["ek"], write: ["ik"] }],
  parameters: { gImbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  globals: {},
  states: ["m"],
  assigned: ["ik", "gIm"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareIm,
  init: initIm,
  current: currentIm,
  advance: advanceIm,
  fast: { advance: advanceImFast },
};
