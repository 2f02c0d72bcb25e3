/**
 * `Ih`, the hyperpolarisation-activated cation current (Kole et al. 2006) of the Hay et al. 2011
 * L5PT model. Non-specific current `ihcn` with reversal `ehcn`. Equations: spec/mechanisms.md
 * §2.10, transcribed from `Ih.mod` in NMODL operation order (no temperature factor).
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

/** PROCEDURE rates() at membrane potential `vm` [mV]; the guard shifts a local copy of v. */
function rates(vm: number): void {
  let v = vm;
  if (v === -154.9) v = v + 0.0001;
  const mAlpha = 0.001 * 6.43 * (v + 154.9) / (Math.exp((v + 154.9) / 11.9) - 1);
  const mBeta = 0.001 * 193 * Math.exp(v / 33.1);
  RATES[M_INF] = mAlpha / (mAlpha + mBeta);
  RATES[M_TAU] = 1 / (mAlpha + mBeta); // [ms]
}

function initIh(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = RATES[M_INF];
  }
}

function currentIh(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { gIhbar, m, ihcn, gIh } = s.fields;
  const ehcn = s.globals.ehcn; // [mV], a GLOBAL of Ih.mod
  const v = n.v, ni = n.i, ng = n.g;
  for (let k = 0; k < node.length; k++) {
    const c = node[k];
    const g = gIhbar[k] * m[k]; // [S/cm²]
    const i = g * (v[c] - ehcn); // [mA/cm²]
    gIh[k] = g;
    ihcn[k] = i;
    ni[c] += i;
    ng[c] += g;
  }
}

function advanceIh(s: MechanismInstances, n: NodeArrays): void {
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
function prepareIh(s: MechanismInstances, c: PrepareContext): void {
  prepareRateTable(s, c, 2, gateValues);
}

/** The fast `advance`: the gates from the rate table, the exact formula outside [−150, 100) mV. */
function advanceIhFast(s: MechanismInstances, n: NodeArrays): void {
  advanceOneGateTabulated(s.derived.rateTable, gateValues, s.node, n, s.fields.m);
}

/**
 * HCN channel `Ih`: ihcn = gIhbar·m·(V − ehcn), with the GLOBAL ehcn (−45 mV by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { IH } from "./ih.ts";
 * assert.equal(IH.globals.ehcn.default, -45);
 * ```
 */
export const IH: DensityMechanism = {
  kind: "density",
  name: "Ih",
  ions: [],
  parameters: { gIhbar: { unit: "S/cm2", default: 0.00001, min: 0 } },
  // A PARAMETER that Ih.mod does not declare RANGE: one value per model (`mech_globals`).
  globals: { ehcn: { unit: "mV", default: -45.0 } },
  states: ["m"],
  assigned: ["ihcn", "gIh"],
  derived: { rateTable: RATE_TABLE_SLOT },
  prepare: prepareIh,
  init: initIh,
  current: currentIh,
  advance: advanceIh,
  fast: { advance: advanceIhFast },
};
