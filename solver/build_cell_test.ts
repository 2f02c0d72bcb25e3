import assert from "node:assert/strict";
import { InputValueError } from "../io/mod.ts";
import { isfRelPts, neuronArc } from "./build_cell.ts";
import { segmentGeometry } from "./segment_geometry.ts";
import { buildTestCell, labelBlock, testParamText } from "./_test_cell.ts";

const PAS = '"pas": {"spatial": "uniform", "g": 0.0001, "e": -70}';

Deno.test("buildCell: topology, soma children at 0.5, float32 arcs, relPts, d-λ nseg, NEURON defaults", () => {
  const cell = buildTestCell(
    testParamText(
      labelBlock("Soma", PAS) + labelBlock("ApicalDendrite", PAS, '"Ra": 100.0, "cm": 2.0'),
    ),
  );
  assert.deepEqual(cell.sections.map((s) => s.name), ["soma", "dend_1", "apical_1", "apical_2"]);
  assert.deepEqual(cell.sections.map((s) => [s.parent, s.parentX]), [[-1, 0], [0, 0.5], [0, 0.5], [
    2,
    1,
  ]]);
  assert.deepEqual(cell.sections[0].children, [1, 2]);
  assert.equal(cell.sections[2].L, 500);
  assert.deepEqual([...cell.sections[2].relPts], [0, 0.5, 1]);
  // Dendrite is not in the param: NEURON defaults and no mechanisms
  assert.equal(cell.sections[1].Ra, 35.4);
  assert.equal(cell.sections[1].cm, 1);
  assert.equal(cell.sections[1].mechanisms.length, 0);
  assert.equal(cell.sections[2].cm, 2);
  // d-λ with the middle point's diameter: λ = 1e5·sqrt(3/(4π·100·100·2)) ≈ 345.5 µm → 500/34.55 ≈ 14.5
  assert.equal(cell.sections[2].nseg, 15);
  const pas = cell.sections[2].mechanisms[0];
  assert.equal(pas.name, "pas");
  assert.deepEqual([...pas.params.g], new Array(15).fill(0.0001));
  assert.deepEqual([...pas.params.e], new Array(15).fill(-70));
});

Deno.test("buildCell: neuronArc accumulates float32 differences, isfRelPts ends at exactly 1", () => {
  const a = neuronArc([0, 0.1, 0.2], [0, 0, 0], [0, 0, 0]);
  assert.equal(a[1], Math.fround(Math.fround(0.1) - 0));
  const r = isfRelPts([0, 0.1, 0.3], [0, 0, 0], [0, 0, 0], a[2]);
  assert.equal(r[2], 1);
  // 1e-12: float64 lengths normalised by the last one; 0.1/0.3 in binary is 1/3 to a few ulp.
  assert.ok(Math.abs(r[1] - 1 / 3) < 1e-12);
});

Deno.test("buildCell: AIS block appends the Hay 2013 axon with fixed nseg", () => {
  const cell = buildTestCell(
    testParamText(labelBlock("Soma", PAS) + labelBlock("AIS", PAS) + labelBlock("Myelin", PAS)),
  );
  assert.equal(cell.sections.length, 7);
  assert.deepEqual(cell.sections.slice(4).map((s) => [s.name, s.label, s.nseg, s.parent]), [
    ["axon_0", "AIS", 5, 0],
    ["axon_0_0", "AIS", 7, 4],
    ["axon_0_0_0", "Myelin", 21, 5],
  ]);
  assert.equal(cell.sections[6].L, 1000);
});

Deno.test("buildCell: discretization max_seg_length and ions", () => {
  const cell = buildTestCell(testParamText(
    labelBlock(
      "ApicalDendrite",
      '"NaTa_t": {"spatial": "uniform", "gNaTa_tbar": 0.01}',
      '"Ra": 100.0, "cm": 1.0, "ions": {"ena": 55.0}',
    ),
    '"discretization": {"f": 100, "max_seg_length": 10},',
  ));
  assert.equal(cell.sections[2].nseg, 50);
  assert.equal(cell.sections[3].nseg, 80);
  assert.deepEqual(cell.sections[2].ions, { ena: 55 });
});

Deno.test("buildCell: spines scale cm and g_pas by F = 1 + area·density·L/A_sec", () => {
  const cell = buildTestCell(testParamText(
    labelBlock("Dendrite", PAS, '"Ra": 100.0, "cm": 1.0, "spines": {"density": 1.0, "area": 1.0}'),
  ));
  const s = cell.sections[1];
  let a = 0;
  for (const x of segmentGeometry(s).area) a += x;
  const F = 1 + 1 * 1 * 100 / a;
  // Summation order of the segment areas: a few ulp of F and of g.
  assert.ok(Math.abs(s.cm - F) < 1e-12);
  assert.ok(Math.abs(s.mechanisms[0].params.g[0] - 0.0001 * F) < 1e-16);
});

function rejects(text: string, pattern: RegExp, key?: string): void {
  assert.throws(() => buildTestCell(text), (e: unknown) => {
    assert.ok(e instanceof InputValueError, String(e));
    assert.equal(e.file, "test.param");
    assert.ok(e.line > 0);
    if (key) assert.equal(e.key, key);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("buildCell: errors name the param file, line and key", () => {
  rejects(
    testParamText(labelBlock("Myelin", PAS)),
    /Structure "Myelin" is not in the cell/,
    "neuron.Myelin",
  );
  rejects(
    testParamText(labelBlock("Soma", '"foo": {"spatial": "uniform"}')),
    /Unknown mechanism "foo"/,
  );
  rejects(
    testParamText(labelBlock("Soma", '"pas": {"spatial": "uniform", "gg": 1}')),
    /Unknown parameter "gg"/,
    "neuron.Soma.mechanisms.range.pas.gg",
  );
  rejects(
    testParamText(labelBlock("Soma", '"pas": {"spatial": "cubic", "g": 1}')),
    /Unknown spatial rule "cubic"/,
  );
  rejects(
    testParamText(labelBlock("Soma", '"pas": {"spatial": "exponential", "g": 1}')),
    /Missing key "distance"/,
  );
  rejects(
    testParamText(labelBlock("Soma", PAS, '"Ra": 100.0, "ions": {"ek": -85}')),
    /no mechanism there uses the k ion/,
  );
  rejects(
    testParamText(labelBlock("Soma", PAS, '"Ra": 100.0, "L": 5')),
    /Unsupported section property "L"/,
  );
  rejects(testParamText(labelBlock("Soma", PAS, '"Ra": -1')), /must be positive/);
});

Deno.test("buildCell: a hoc whose soma is not first, or a one-point section, is rejected", () => {
  const text = testParamText(labelBlock("Soma", PAS));
  assert.throws(
    () => buildTestCell(text, "{create soma}\n{pt3dadd(0,0,0,1)}\n"),
    /at least 2 are needed/,
  );
});
