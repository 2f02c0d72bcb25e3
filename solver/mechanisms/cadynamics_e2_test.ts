import assert from "node:assert/strict";
import { CADYNAMICS_E2 } from "./cadynamics_e2.ts";
import { allocateInstances } from "./_types.ts";
import { makeNodes, prepareContext } from "./_testing.ts";

/** 1e-12 relative: exact linear-ODE solution vs cnexp's operation order (rounding only). */
const TOL = 1e-12;

function setup(ica: number, faraday?: number, decay = 80) {
  const s = allocateInstances(CADYNAMICS_E2, new Int32Array([0]));
  s.fields.decay[0] = decay;
  const n = makeNodes(1, faraday === undefined ? { cai: 5e-5 } : { cai: 5e-5, faraday });
  CADYNAMICS_E2.prepare(s, prepareContext(n));
  CADYNAMICS_E2.init(s, n);
  n.ica[0] = ica;
  return { s, n };
}

Deno.test("CADYNAMICS_E2.init() leaves cai at cai0 and mirrors it", () => {
  const { s, n } = setup(0);
  assert.equal(n.cai[0], 5e-5);
  assert.equal(s.fields.cai[0], 5e-5);
});

Deno.test("CADYNAMICS_E2.advance() matches the exact one-step solution with the step's ica", () => {
  for (const faraday of [96485.33212331001, 96485.3]) {
    const ica = -2e-3; // [mA/cm²], inward
    const { s, n } = setup(ica, faraday);
    const drive = -1e4 * ica * 0.05 / (2 * faraday * 0.1); // [mM/ms]
    const caiInf = 1e-4 + 80 * drive;
    const want = caiInf + (5e-5 - caiInf) * Math.exp(-0.025 / 80);
    CADYNAMICS_E2.advance(s, n);
    assert.ok(Math.abs(n.cai[0] - want) / want <= TOL, `F = ${faraday}`);
    assert.equal(s.fields.cai[0], n.cai[0]);
  }
});

Deno.test("CADYNAMICS_E2 without Ca current relaxes from cai0 towards minCai with τ = decay", () => {
  const { s, n } = setup(0, undefined, 10);
  for (let k = 0; k < 400; k++) CADYNAMICS_E2.advance(s, n); // 10 ms = one time constant
  const want = 1e-4 + (5e-5 - 1e-4) * Math.exp(-1);
  // 400 cnexp steps of a linear ODE are exact up to accumulated rounding (~400 ulp).
  assert.ok(Math.abs(n.cai[0] - want) / want <= 1e-12);
});

Deno.test("CADYNAMICS_E2.current() adds nothing", () => {
  const { s, n } = setup(-1e-3);
  CADYNAMICS_E2.current(s, n);
  assert.equal(n.i[0], 0);
  assert.equal(n.g[0], 0);
  assert.equal(n.ica[0], -1e-3);
});
