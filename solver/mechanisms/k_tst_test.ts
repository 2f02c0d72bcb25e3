import assert from "node:assert/strict";
import { K_TST } from "./k_tst.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.5) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);

const SPEC: ChannelSpec = {
  mech: K_TST,
  params: { gK_Tstbar: 0.0841 },
  gates: [
    {
      state: "m",
      inf: (v) => 1 / (1 + Math.exp(-(v + 10) / 19)),
      tau: (v) => (0.34 + 0.92 * Math.exp(-(((v + 10 + 71) / 59) ** 2))) / QT,
    },
    {
      state: "h",
      inf: (v) => 1 / (1 + Math.exp(-(v + 10 + 66) / -10)),
      tau: (v) => (8 + 49 * Math.exp(-(((v + 10 + 73) / 23) ** 2))) / QT,
    },
  ],
  conductance: (f) => f.gK_Tstbar[0] * f.m[0] ** 4 * f.h[0],
  reversal: (n) => n.ek[0],
};

Deno.test("K_TST.init() sets m and h to their steady states", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("K_TST.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("K_TST.advance() matches the exact one-step gate solution", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("K_TST.current() adds gK_Tstbar·m⁴·h·(V − ek) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("K_TST has no singular point: extreme voltages stay finite", () => {
  for (const v of [-150, 60]) assert.ok(allFinite(SPEC, v), `V = ${v}`);
});
