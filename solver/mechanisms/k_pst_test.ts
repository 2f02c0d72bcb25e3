import assert from "node:assert/strict";
import { K_PST } from "./k_pst.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.4) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);

const SPEC: ChannelSpec = {
  mech: K_PST,
  params: { gK_Pstbar: 0.773 },
  gates: [
    {
      state: "m",
      inf: (v) => 1 / (1 + Math.exp(-(v + 10 + 1) / 12)),
      tau: (v) => {
        const u = v + 10;
        return (u < -50 ? 1.25 + 175.03 * Math.exp(0.026 * u) : 1.25 + 13 * Math.exp(-0.026 * u)) /
          QT;
      },
    },
    {
      state: "h",
      inf: (v) => 1 / (1 + Math.exp(-(v + 10 + 54) / -11)),
      tau: (v) => {
        const u = v + 10;
        return (360 + (1010 + 24 * (u + 55)) * Math.exp(-(((u + 75) / 48) ** 2))) / QT;
      },
    },
  ],
  conductance: (f) => f.gK_Pstbar[0] * f.m[0] ** 2 * f.h[0],
  reversal: (n) => n.ek[0],
};

Deno.test("K_PST.init() sets m and h to their steady states", () => {
  for (const v of [-75, -61, -59, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("K_PST.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("K_PST.advance() matches the exact one-step gate solution on both τ_m branches", () => {
  assert.ok(stepError(SPEC, -75, -70, 0.025) <= TOL); // u < −50
  assert.ok(stepError(SPEC, -75, -20, 0.1) <= TOL); // u ≥ −50
});

Deno.test("K_PST.current() adds gK_Pstbar·m²·h·(V − ek) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("K_PST has no singular point: the τ_m branch switch at V = −60 stays finite", () => {
  assert.ok(allFinite(SPEC, -60));
});
