import assert from "node:assert/strict";
import { NATA_T } from "./nata_t.ts";
import {
  allFinite,
  type ChannelSpec,
  currentError,
  initError,
  initOne,
  steadyDrift,
  stepError,
} from "./_testing.ts";

/**
 * 1e-12 relative: the formulas below are the spec's (§2.2) in plain form and the step uses the
 * exact exponential solution, so they differ from the kernel's NMODL-order arithmetic by a few
 * roundings only (~1e-15), while a wrong constant or sign shows at 1e-3 or more.
 */
const TOL = 1e-12;
/** A gate at x∞ moves only by the rounding of −(x∞/τ)/((−1)/τ): a few ulp. */
const DRIFT = 1e-14;
const QT = Math.pow(2.3, (34 - 21) / 10);
const am = (v: number) => 0.182 * (v + 38) / (1 - Math.exp(-(v + 38) / 6));
const bm = (v: number) => 0.124 * (-v - 38) / (1 - Math.exp(-(-v - 38) / 6));
const ah = (v: number) => -0.015 * (v + 66) / (1 - Math.exp((v + 66) / 6));
const bh = (v: number) => -0.015 * (-v - 66) / (1 - Math.exp((-v - 66) / 6));

const SPEC: ChannelSpec = {
  mech: NATA_T,
  params: { gNaTa_tbar: 2.43 },
  gates: [
    { state: "m", inf: (v) => am(v) / (am(v) + bm(v)), tau: (v) => 1 / (am(v) + bm(v)) / QT },
    { state: "h", inf: (v) => ah(v) / (ah(v) + bh(v)), tau: (v) => 1 / (ah(v) + bh(v)) / QT },
  ],
  conductance: (f) => f.gNaTa_tbar[0] * f.m[0] ** 3 * f.h[0],
  reversal: (n) => n.ena[0],
};

Deno.test("NATA_T.init() sets m and h to their steady states", () => {
  for (const v of [-75, -50, -10, 20]) assert.ok(initError(SPEC, v) <= TOL, `V = ${v}`);
});

Deno.test("NATA_T.advance() at the init voltage keeps the steady state", () => {
  assert.ok(steadyDrift(SPEC, -75) <= DRIFT);
});

Deno.test("NATA_T.advance() matches the exact one-step gate solution", () => {
  assert.ok(stepError(SPEC, -75, -40, 0.025) <= TOL);
  assert.ok(stepError(SPEC, -75, 10, 0.1) <= TOL);
});

Deno.test("NATA_T.current() adds gNaTa_tbar·m³·h·(V − ena) and slope g", () => {
  assert.ok(currentError(SPEC, -75, -75) <= TOL);
  assert.ok(currentError(SPEC, -60, -20) <= TOL);
});

Deno.test("NATA_T guards: V exactly −38 or −66 gives finite values, as at V + 0.0001", () => {
  for (const v of [-38, -66]) {
    assert.ok(allFinite(SPEC, v), `V = ${v}`);
    const at = initOne(SPEC, { v }).s.fields, shifted = initOne(SPEC, { v: v + 0.0001 }).s.fields;
    if (v === -38) assert.equal(at.m[0], shifted.m[0]);
    assert.equal(at.h[0], shifted.h[0]);
  }
});
