import assert from "node:assert/strict";
import { EPSP } from "./epsp.ts";
import { allocateInstances } from "./_types.ts";
import { makeNodes } from "./_testing.ts";

function at(t: number, area = 100) {
  const s = allocateInstances(EPSP, new Int32Array([0]));
  s.fields.onset[0] = 10;
  s.fields.imax[0] = 0.5;
  const n = makeNodes(1, { t, area });
  EPSP.init(s, n);
  EPSP.current(s, n);
  return { i: s.fields.i[0], ni: n.i[0], ng: n.g[0] };
}

Deno.test("EPSP.current() is zero before onset", () => {
  assert.deepEqual(at(9.99), { i: 0, ni: 0, ng: 0 });
});

Deno.test("EPSP.current() peaks at −imax, t_peak after onset (spec §6)", () => {
  const tau0 = 0.2, tau1 = 3;
  const tpeak = tau0 * tau1 * Math.log(tau0 / tau1) / (tau0 - tau1);
  const peak = at(10 + tpeak);
  // 1e-12 nA: t_peak is computed in closed form, so only the rounding of t (≈ 1e-15 ms) and of
  // the exponentials remains; a wrong normalisation or sign is off by ≥ 1e-3.
  assert.ok(Math.abs(peak.i + 0.5) <= 1e-12, `i at peak ${peak.i}`);
  assert.ok(at(10 + tpeak - 0.01).i > peak.i && at(10 + tpeak + 0.01).i > peak.i);
  // Non-specific current: added +i·100/area to the node (inward when i < 0).
  assert.ok(Math.abs(peak.ni - peak.i * (1e2 / 100)) <= 1e-15); // ≈ 2 ulp of 0.5 mA/cm²
  assert.equal(peak.ng, 0);
});

Deno.test("EPSP.current() uses E(x) = 0 below −100 (long after onset the current is 0)", () => {
  const late = at(10 + 400); // −400/0.2 and −400/3 are both below −100
  assert.ok(late.i === 0, `i = ${late.i}`); // −amp·0 (may be −0)
});
