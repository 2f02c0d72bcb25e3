import assert from "node:assert/strict";
import {
  distanceFromSoma0,
  geometricSomaDistance,
  nodeIndex,
  pathDistance,
  pathTable,
  segmentSomaDistances,
} from "./distances.ts";

// soma (L 20, nseg 1) ─ 0.5 → a (L 30, nseg 3) ─ 1 → b (L 40, nseg 2)
//                     └ 0.5 → c (L 10, nseg 1)
const cell = {
  sections: [
    { label: "Soma", parent: -1, parentX: 0, nseg: 1, L: 20 },
    { label: "Dendrite", parent: 0, parentX: 0.5, nseg: 3, L: 30 },
    { label: "Dendrite", parent: 1, parentX: 1, nseg: 2, L: 40 },
    { label: "Dendrite", parent: 0, parentX: 0.5, nseg: 1, L: 10 },
  ],
};

Deno.test("distances: nodes, soma(0) distances and tree distances between nodes", () => {
  assert.equal(nodeIndex(3, 0.34), 1);
  assert.deepEqual([...pathTable(cell).attach], [0, 10, 40, 10]);
  assert.equal(distanceFromSoma0(cell, 0, 0.5), 10);
  assert.equal(distanceFromSoma0(cell, 1, 0.01), 15); // rounded to the segment centre
  assert.equal(distanceFromSoma0(cell, 2, 1), 80);
  assert.equal(pathDistance(cell, 2, 0.25, 3, 1), 30 + 10 + 10); // through the soma centre node
  assert.equal(pathDistance(cell, 1, 0.5, 1, 0.9), 10);
  assert.equal(pathDistance(cell, 1, 0, 2, 0.75), 60); // origin at a's 0-end = soma centre
  assert.equal(pathDistance(cell, 2, 0.75, 0, 0), 70);
  assert.deepEqual(segmentSomaDistances(cell).map((a) => [...a]), [[10], [15, 25, 35], [50, 70], [
    15,
  ]]);
});

Deno.test("distances: geometric synapse distance ignores the soma and adds full parent lengths", () => {
  assert.equal(geometricSomaDistance(cell, 0, 0.3), 0);
  assert.equal(geometricSomaDistance(cell, 1, 0.5), 15);
  assert.equal(geometricSomaDistance(cell, 2, 0.25), 10 + 30);
});
