import assert from "node:assert/strict";
import { SKV3_1 } from "./skv3_1.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.6) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;

const SPEC: ChannelSpec = {
  mech: SKV3_1,
  params: { gSKv3_1bar: 0.983 },
  gates: [{
    state: "m",
    inf: (v) => 1 / (1 + Math.exp((v - 18.7) / -9.7)),
    tau: (v) => 4 / (1 + Math.exp((v + 46.56) / -44.14)),
  }],
  conductance: (f) => f.gSKv3_1bar[0] * f.m[0],
  reversal: (n) => n.ek[0],
};

Deno.test("SKV3_1.init() sets m to its steady state", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("SKV3_1.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("SKV3_1.advance() matches the exact one-step gate solution (no qt)", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("SKV3_1.current() adds gSKv3_1bar·m·(V − ek) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("SKV3_1 has no singular point: extreme voltages stay finite", () => {
  for (const v of [-150, 60]) assert.ok(allFinite(SPEC, v), `V = ${v}`);
});
