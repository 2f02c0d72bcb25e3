import assert from "node:assert/strict";
import { IM } from "./im.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.11) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);
const am = (v: number) => 3.3e-3 * Math.exp(0.1 * (v + 35));
const bm = (v: number) => 3.3e-3 * Math.exp(-0.1 * (v + 35));

const SPEC: ChannelSpec = {
  mech: IM,
  params: { gImbar: 0.000179 },
  gates: [{
    state: "m",
    inf: (v) => am(v) / (am(v) + bm(v)),
    tau: (v) => 1 / (am(v) + bm(v)) / QT,
  }],
  conductance: (f) => f.gImbar[0] * f.m[0],
  reversal: (n) => n.ek[0],
};

Deno.test("IM.init() sets m to its steady state", () => {
  for (const v of [-75, -35, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("IM.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("IM.advance() matches the exact one-step gate solution", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 1) <= TOL);
});

Deno.test("IM.current() adds gImbar·m·(V − ek) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("IM has no singular point: extreme voltages stay finite", () => {
  for (const v of [-150, 60]) assert.ok(allFinite(SPEC, v), `V = ${v}`);
});
