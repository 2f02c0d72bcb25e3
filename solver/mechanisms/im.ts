/**
 * `Im`, the muscarinic K⁺ current (Adams et al. 1982) of the Hay et al. 2011 L5PT model.
 * Equations: spec/mechanisms.md §2.11, transcribed from `Im.mod` in NMODL operation order.
 *
 * @module
 */
import { cnexpGate } from "./_gate.ts";
import { advanceOneGateTabulated, RateTableCache } from "./_rate_table.ts";
import type { DensityMechanism, Kernel, MechanismInstances, NodeArrays } from "./_types.ts";

/** qt = 2.3^((34−21)/10), fixed in the source model (no celsius dependence). */
const QT = 2.952882641412121;

let mInf = 0, mTau = 0;

/** PROCEDURE rates() at membrane potential `v` [mV]. */
function rates(v: number): void {
  const mAlpha = 3.3e-3 * Math.exp(2.5 * 0.04 * (v - -35));
  const mBeta = 3.3e-3 * Math.exp(-2.5 * 0.04 * (v - -35));
  mInf = mAlpha / (mAlpha + mBeta);
  mTau = (1 / (mAlpha + mBeta)) / QT; // [ms]
}

function initIm(s: MechanismInstances, n: NodeArrays): void {
  const node = s.node;
  const { m } = s.fields;
  const v = n.v;
  for (let k = 0; k < node.length; k++) {
    rates(v[node[k]]);
    m[k] = mInf;
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
    m[k] = cnexpGate(m[k], mInf, mTau, dt);
  }
}

/** m∞ and 1 − exp(−dt/τm) at `v` [mV]: the quantities of the rate table. */
function gateValues(v: number, dt: number, out: Float64Array): void {
  rates(v);
  out[0] = mInf;
  out[1] = 1 - Math.exp(dt * (-1.0 / mTau));
}

const TABLE = new RateTableCache(2, gateValues);

function advanceImTabulated(s: MechanismInstances, n: NodeArrays): void {
  advanceOneGateTabulated(TABLE, n.dt, s.node, n.v, s.fields.m);
}

/**
 * The `advance` kernel of `Im` with m∞, τm from a cubic rate table (solver/mechanisms/_rate_table.ts):
 * no `Math.exp` per instance inside [−150, 100) mV, the exact formula outside.
 */
export const IM_ADVANCE_TABULATED: Kernel = advanceImTabulated;

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
  ion: "k",
  writesCai: false,
  parameters: { gImbar: { unit: "S/cm2", default: 0.00001 } },
  states: ["m"],
  assigned: ["ik", "gIm"],
  init: initIm,
  current: currentIm,
  advance: advanceIm,
};
