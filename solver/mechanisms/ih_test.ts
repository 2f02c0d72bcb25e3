import assert from "node:assert/strict";
import { IH } from "./ih.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  initOne,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.10) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const am = (v: number) => 0.00643 * (v + 154.9) / (Math.exp((v + 154.9) / 11.9) - 1);
const bm = (v: number) => 0.193 * Math.exp(v / 33.1);

const SPEC: ChannelSpec = {
  mech: IH,
  params: { gIhbar: 0.0058 },
  gates: [{ state: "m", inf: (v) => am(v) / (am(v) + bm(v)), tau: (v) => 1 / (am(v) + bm(v)) }],
  conductance: (f) => f.gIhbar[0] * f.m[0],
  reversal: (_n, s) => s.globals.ehcn,
};

Deno.test("IH.init() sets m to its steady state", () => {
  for (const v of [-120, -75, -50, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("IH.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("IH.advance() matches the exact one-step gate solution (no qt)", () => {
  assert.ok(stepError(SPEC, -75, -100, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, -40, 1) <= TOL);
});

Deno.test("IH.current() adds gIhbar·m·(V − ehcn) (ehcn −45 mV by default) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("IH guard: V exactly −154.9 gives finite values, as at V + 0.0001", () => {
  assert.ok(allFinite(SPEC, -154.9));
  const a = initOne(SPEC, { v: -154.9 }).s.fields.m[0];
  assert.equal(a, initOne(SPEC, { v: -154.9 + 0.0001 }).s.fields.m[0]);
});

Deno.test("IH.current() uses the GLOBAL ehcn (mech_globals {Ih: {ehcn: -30}})", () => {
  const spec = { ...SPEC, globals: { ehcn: -30 } };
  assert.ok(currentError(spec, -75, -60) <= TOL);
  const { s, n } = initOne(spec, { v: -75 });
  n.v[0] = -60;
  IH.current(s, n);
  assert.ok(n.i[0] < 0, "inward: V below ehcn = −30 mV");
  assert.ok(Math.abs(n.i[0] - s.fields.gIhbar[0] * s.fields.m[0] * (-60 + 30)) <= 1e-18);
});
