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

Deno.test("createNetworkRandom('simrun') draws only after loadSeedrandom(), and says so", async () => {
  // Each test file runs in its own module graph: nothing has loaded seedrandom before this test.
  assert.equal(seedrandomLoaded(), false);
  const early = createNetworkRandom("simrun", 7); // a policy that never draws needs no package
  early.beginSweep(0);
  assert.equal(early.synapseStreamKey("L5tt_C2", 3), "simrun/7/0/L5tt_C2/synapse/3");
  assert.throws(() => early.release("L5tt_C2"), /before loadSeedrandom\(\)/);
  assert.throws(() => early.spikeTrain("L5tt_C2", 0, 0), /before loadSeedrandom\(\)/);
  assert.equal(createNetworkRandom("isf", 7).kind, "isf"); // the isf policy never needs it
  await loadSeedrandom();
  const r = createNetworkRandom("simrun", 7);
  r.beginSweep(0);
  assert.equal(typeof r.release("L5tt_C2").random(), "number");
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

Deno.test("createNetworkRandom('isf') prepared spike trains draw as unprepared ones, batch after batch", () => {
  // 21 trains: two full batches of the generator ring and a partial one; each train is drawn
  // before the next is asked for, as activity.ts does.
  const count = 21;
  const prepared = createNetworkRandom("isf", 20250101);
  const plain = createNetworkRandom("isf", 20250101);
  prepared.beginSweep(0);
  plain.beginSweep(0);
  prepared.prepareSpikeTrains("T", 0, count);
  for (let c = 0; c < count; c++) {
    const a = prepared.spikeTrain("T", c, 0), b = plain.spikeTrain("T", c, 0);
    for (let k = 0; k < 5 + c; k++) assert.equal(a.exponential(1), b.exponential(1), `train ${c}`);
  }
  // A global draw while trains are pending is refused; after the last one both continue alike.
  prepared.prepareSpikeTrains("T", 1, 2);
  prepared.spikeTrain("T", 0, 1);
  assert.throws(() => prepared.activity("T"), /1 prepared spike trains pending/);
  plain.spikeTrain("T", 0, 1);
  prepared.spikeTrain("T", 1, 1);
  plain.spikeTrain("T", 1, 1);
  assert.equal(prepared.activity("T").random(), plain.activity("T").random());
});
