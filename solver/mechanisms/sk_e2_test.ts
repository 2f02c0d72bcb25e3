import assert from "node:assert/strict";
import { SK_E2 } from "./sk_e2.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  initOne,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/** 1e-12 relative: spec formulas (§2.7) in plain form vs NMODL-order arithmetic (~1e-15). */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;

const zInf = (cai: number) => {
  const c = cai < 1e-7 ? cai + 1e-7 : cai;
  return 1 / (1 + (0.00043 / c) ** 4.8);
};
const SPEC: ChannelSpec = {
  mech: SK_E2,
  params: { gSK_E2bar: 0.0492 },
  gates: [{ state: "z", inf: (_v, cai) => zInf(cai), tau: () => 1 }],
  conductance: (f) => f.gSK_E2bar[0] * f.z[0],
  reversal: (n) => n.ek[0],
};

Deno.test("SK_E2.init() sets z to z∞(cai) (voltage-independent)", () => {
  for (const cai of [5e-5, 1e-4, 4.3e-4, 2e-3]) {
    for (const v of [-75, 0]) assert.ok(initError(SPEC, v, cai) <= TOL, `cai ${cai}, V ${v}`);
  }
  // z∞ = 1/2 at cai = 0.00043 mM.
  assert.ok(Math.abs(initOne(SPEC, { cai: 0.00043 }).s.fields.z[0] - 0.5) <= 1e-15);
});

Deno.test("SK_E2.advance() at constant cai keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75, 1e-4) <= DRIFT);
});

Deno.test("SK_E2.advance() follows the new cai with zTau", () => {
  // Init at cai 5e-5, then step with cai 1e-3 (as after a CaDynamics_E2 update).
  const { s, n } = initOne(SPEC, { cai: 5e-5, dt: 0.025 });
  const z0 = s.fields.z[0];
  n.cai[0] = 1e-3;
  SK_E2.advance(s, n);
  const want = zInf(1e-3) + (z0 - zInf(1e-3)) * Math.exp(-0.025 / 1);
  assert.ok(Math.abs(s.fields.z[0] - want) / want <= TOL);
  assert.ok(stepError(SPEC, -75, -75, 0.5, 2e-4) <= TOL);
});

Deno.test("SK_E2.current() adds gSK_E2bar·z·(V − ek) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("SK_E2 guard: cai below 1e-7 (even 0) gives finite values, as at cai + 1e-7", () => {
  assert.ok(allFinite(SPEC, -75, 0));
  const z0 = initOne(SPEC, { cai: 0 }).s.fields.z[0];
  const zShift = initOne(SPEC, { cai: 1e-7 }).s.fields.z[0];
  assert.equal(z0, zShift);
});

Deno.test("SK_E2.advance() relaxes with the GLOBAL zTau (mech_globals {SK_E2: {zTau: 2}})", () => {
  const { s, n } = initOne({ ...SPEC, globals: { zTau: 2 } }, { cai: 5e-5, dt: 0.025 });
  const z0 = s.fields.z[0];
  n.cai[0] = 1e-3;
  SK_E2.advance(s, n);
  const want = zInf(1e-3) + (z0 - zInf(1e-3)) * Math.exp(-0.025 / 2);
  assert.ok(Math.abs(s.fields.z[0] - want) / want <= TOL, `${s.fields.z[0]} vs ${want}`);
});
