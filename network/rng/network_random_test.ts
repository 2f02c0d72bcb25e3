import assert from "node:assert/strict";
import { createNetworkRandom } from "./network_random.ts";
import { loadSeedrandom, seedrandomLoaded } from "./seedrandom_stream.ts";
import { Mt19937Stream } from "./mt19937.ts";

Deno.test("createNetworkRandom('isf') seeds spike trains from the global generator", () => {
  const r = createNetworkRandom("isf", 0);
  r.beginSweep(0);
  const s = r.spikeTrain("T", 0, 0);
  // NumPy: RandomState(0).randint(123456, 1234567) = 429167 → private RandomState(429167).
  assert.equal(s.random(), new Mt19937Stream(429167).random());
  // The global generator continues: next randint is the second NumPy value.
  assert.equal(r.activity("T").randint(123456, 1234567), 241408);
});

Deno.test("createNetworkRandom('isf') refuses sweeps out of order", () => {
  const r = createNetworkRandom("isf", 1);
  r.beginSweep(0);
  assert.throws(() => r.beginSweep(2));
});

Deno.test("createNetworkRandom('simrun') needs loadSeedrandom() first, and says so", async () => {
  // Each test file runs in its own module graph: nothing has loaded seedrandom before this test.
  assert.equal(seedrandomLoaded(), false);
  assert.throws(() => createNetworkRandom("simrun", 7), /before loadSeedrandom\(\)/);
  assert.equal(createNetworkRandom("isf", 7).kind, "isf"); // the isf policy never needs it
  await loadSeedrandom();
  assert.equal(createNetworkRandom("simrun", 7).kind, "simrun");
});

Deno.test("createNetworkRandom('simrun') streams depend only on seed, sweep and key", async () => {
  await loadSeedrandom();
  const a = createNetworkRandom("simrun", 7);
  const b = createNetworkRandom("simrun", 7);
  a.beginSweep(0);
  a.activity("X").random();
  a.beginSweep(3);
  b.beginSweep(3);
  assert.equal(a.activity("X").random(), b.activity("X").random());
  assert.equal(a.spikeTrain("X", 4, 0).random(), b.spikeTrain("X", 4, 0).random());
  assert.notEqual(a.spikeTrain("X", 4, 0).random(), a.spikeTrain("X", 5, 0).random());
  assert.notEqual(a.release("X").random(), a.activity("Y").random());
  const c = createNetworkRandom("simrun", 8);
  c.beginSweep(3);
  assert.notEqual(c.activity("X").random(), b.activity("X").random());
});
