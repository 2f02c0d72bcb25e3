import assert from "node:assert/strict";
import { NAP_ET2 } from "./nap_et2.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  initOne,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.3) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);
const am = (v: number) => 0.182 * (v + 38) / (1 - Math.exp(-(v + 38) / 6));
const bm = (v: number) => 0.124 * (-v - 38) / (1 - Math.exp(-(-v - 38) / 6));
const ah = (v: number) => -2.88e-6 * (v + 17) / (1 - Math.exp((v + 17) / 4.63));
const bh = (v: number) => 6.94e-6 * (v + 64.4) / (1 - Math.exp(-(v + 64.4) / 2.63));

const SPEC: ChannelSpec = {
  mech: NAP_ET2,
  params: { gNap_Et2bar: 0.00499 },
  gates: [
    {
      state: "m",
      inf: (v) => 1 / (1 + Math.exp((v + 52.6) / -4.6)),
      tau: (v) => 6 / (am(v) + bm(v)) / QT,
    },
    {
      state: "h",
      inf: (v) => 1 / (1 + Math.exp((v + 48.8) / 10)),
      tau: (v) => 1 / (ah(v) + bh(v)) / QT,
    },
  ],
  conductance: (f) => f.gNap_Et2bar[0] * f.m[0] ** 3 * f.h[0],
  reversal: (n) => n.ena[0],
};

Deno.test("NAP_ET2.init() sets m and h to their steady states", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("NAP_ET2.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("NAP_ET2.advance() matches the exact one-step gate solution", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("NAP_ET2.current() adds gNap_Et2bar·m³·h·(V − ena) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("NAP_ET2 guards: V exactly −38, −17 or −64.4 gives finite values", () => {
  for (const v of [-38, -17, -64.4]) assert.ok(allFinite(SPEC, v), `V = ${v}`);
  // At −17 and −64.4 the h rates are evaluated at V + 0.0001 (m∞ is not guarded).
  for (const v of [-17, -64.4]) {
    const a = initOne(SPEC, { v }).s.fields, b = initOne(SPEC, { v: v + 0.0001 }).s.fields;
    assert.equal(a.h[0], b.h[0]);
  }
});
