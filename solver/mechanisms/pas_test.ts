import assert from "node:assert/strict";
import { PAS } from "./pas.ts";
import { allocateInstances } from "./_types.ts";
import { makeNodes } from "./_testing.ts";

Deno.test("PAS.current() adds g·(V − e) and slope g, stores i", () => {
  const s = allocateInstances(PAS, new Int32Array([0, 1]));
  s.fields.g[1] = 3.26e-5;
  s.fields.e[1] = -90;
  const n = makeNodes(2, { v: -75 });
  PAS.init(s, n);
  PAS.current(s, n);
  assert.equal(n.i[0], 0.001 * (-75 - -70)); // defaults g 0.001 S/cm², e −70 mV
  assert.equal(n.g[0], 0.001);
  assert.equal(n.i[1], 3.26e-5 * 15);
  assert.equal(s.fields.i[1], n.i[1]);
  PAS.advance(s, n); // no states: nothing to do, must not throw
  assert.deepEqual(PAS.states, []);
});
