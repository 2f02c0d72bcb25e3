import assert from "node:assert/strict";
import { describeCell } from "./cell_description.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";

Deno.test("describeCell() adds segment centres and path distances from soma(0)", () => {
  const d = describeCell(tinyCell());
  const apical = d.sections[2];
  assert.deepEqual([...apical.segmentX], [0.125, 0.375, 0.625, 0.875]);
  // Soma 20 µm: its centre is 10 µm from soma(0); apical 200 µm in 4 segments of 50 µm.
  assert.equal(apical.somaDistance0, 10);
  assert.equal(apical.somaDistance1, 210);
  assert.deepEqual([...apical.segmentSomaDistance], [35, 85, 135, 185]);
  assert.deepEqual([...d.sections[0].segmentSomaDistance], [10]);
  assert.deepEqual(d.sections[0].children, [1, 2]);
  assert.equal(d.sections[1].mechanisms[0].params.g.length, 5);
});

Deno.test("describeCell() survives structured cloning, and the clone is independent", () => {
  const cell = tinyCell();
  const copy = structuredClone(describeCell(cell));
  copy.sections[2].diam[0] = 99;
  assert.equal(cell.sections[2].diam[0], 3);
  assert.ok(copy.sections[2].hocDiam instanceof Float64Array);
});
