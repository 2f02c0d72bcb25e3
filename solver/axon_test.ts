import assert from "node:assert/strict";
import { hay2013Axon } from "./axon.ts";

Deno.test("hay2013Axon: hillock, AIS and myelin go down from the bottom of the soma's middle point", () => {
  const soma = { x: [1, 2, 3, 4], y: [5, 6, 7, 8], z: [9, 10, 11, 12], diam: [1, 1, 8, 1] };
  const [hill, ais, myelin] = hay2013Axon(soma, 0, 10);
  assert.deepEqual([hill.name, ais.name, myelin.name], ["axon_0", "axon_0_0", "axon_0_0_0"]);
  assert.deepEqual([hill.label, ais.label, myelin.label], ["AIS", "AIS", "Myelin"]);
  assert.deepEqual([hill.parent, ais.parent, myelin.parent], [0, 10, 11]);
  assert.deepEqual([hill.parentX, ais.parentX, myelin.parentX], [0.5, 1, 1]);
  assert.deepEqual([hill.nseg, ais.nseg, myelin.nseg], [5, 7, 21]);
  assert.equal(hill.x[0], 3);
  assert.equal(hill.z[0], 11 - 4);
  assert.equal(ais.z[0], hill.z[4]);
  assert.equal(ais.z[6], 7 - 20 - 30);
  assert.deepEqual([...ais.diam], [1.75, 1.625, 1.5, 1.375, 1.25, 1.125, 1]);
  assert.equal(myelin.z[20], 7 - 50 - 1000);
  assert.ok(myelin.diam.every((d) => d === 1));
});
