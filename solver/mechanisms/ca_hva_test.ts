import assert from "node:assert/strict";
import { CA_HVA } from "./ca_hva.ts";
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

/** 1e-12 relative: spec formulas (§2.8) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const am = (v: number) => 0.055 * (-27 - v) / (Math.exp((-27 - v) / 3.8) - 1);
const bm = (v: number) => 0.94 * Math.exp((-75 - v) / 17);
const ah = (v: number) => 0.000457 * Math.exp((-13 - v) / 50);
const bh = (v: number) => 0.0065 / (Math.exp((-v - 15) / 28) + 1);

const SPEC: ChannelSpec = {
  mech: CA_HVA,
  params: { gCa_HVAbar: 0.00452 },
  gates: [
    { state: "m", inf: (v) => am(v) / (am(v) + bm(v)), tau: (v) => 1 / (am(v) + bm(v)) },
    { state: "h", inf: (v) => ah(v) / (ah(v) + bh(v)), tau: (v) => 1 / (ah(v) + bh(v)) },
  ],
  conductance: (f) => f.gCa_HVAbar[0] * f.m[0] ** 2 * f.h[0],
  reversal: (n) => n.eca[0],
};

Deno.test("CA_HVA.init() sets m and h to their steady states", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("CA_HVA.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("CA_HVA.advance() matches the exact one-step gate solution (no qt)", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("CA_HVA.current() adds gCa_HVAbar·m²·h·(V − eca) to i and to ica, slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
  const { s, n } = initOne(SPEC, { v: -20 });
  clearCurrents(n);
  CA_HVA.current(s, n);
  assert.equal(n.ica[0], s.fields.ica[0]);
  assert.equal(n.i[0], s.fields.ica[0]);
});

Deno.test("CA_HVA guard: V exactly −27 gives finite values, as at V + 0.0001", () => {
  assert.ok(allFinite(SPEC, -27));
  const a = initOne(SPEC, { v: -27 }).s.fields, b = initOne(SPEC, { v: -27 + 0.0001 }).s.fields;
  assert.equal(a.m[0], b.m[0]);
  assert.equal(a.h[0], b.h[0]);
});
