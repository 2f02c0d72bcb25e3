import assert from "node:assert/strict";
import { CA_LVAST } from "./ca_lvast.ts";
import {
  allFinite,
  type ChannelSpec,
  clearCurrents,
  currentError,
  initError,
  initOne,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.9) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);

const SPEC: ChannelSpec = {
  mech: CA_LVAST,
  params: { gCa_LVAstbar: 0.104 },
  gates: [
    {
      state: "m",
      inf: (v) => 1 / (1 + Math.exp((v + 10 + 30) / -6)),
      tau: (v) => (5 + 20 / (1 + Math.exp((v + 10 + 25) / 5))) / QT,
    },
    {
      state: "h",
      inf: (v) => 1 / (1 + Math.exp((v + 10 + 80) / 6.4)),
      tau: (v) => (20 + 50 / (1 + Math.exp((v + 10 + 40) / 7))) / QT,
    },
  ],
  conductance: (f) => f.gCa_LVAstbar[0] * f.m[0] ** 2 * f.h[0],
  reversal: (n) => n.eca[0],
};

Deno.test("CA_LVAST.init() sets m and h to their steady states", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("CA_LVAST.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("CA_LVAST.advance() matches the exact one-step gate solution", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("CA_LVAST.current() adds gCa_LVAstbar·m²·h·(V − eca) to i and to ica, slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
  const { s, n } = initOne(SPEC, { v: -50 });
  clearCurrents(n);
  CA_LVAST.current(s, n);
  assert.equal(n.ica[0], s.fields.ica[0]);
});

Deno.test("CA_LVAST has no singular point: extreme voltages stay finite", () => {
  for (const v of [-150, 60]) assert.ok(allFinite(SPEC, v), `V = ${v}`);
});
