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

/** A test param with `mech_globals` (the `neuron` block of testParamText plus the top-level key). */
function withGlobals(labels: string, globals: string): string {
  return testParamText(labels).replace(/}$/, `, "mech_globals": ${globals}}`);
}

const IH = '"Ih": {"spatial": "uniform", "gIhbar": 0.0002}';

Deno.test("buildCell: mech_globals sets NMODL GLOBALs; RANGE parameters keep their values", () => {
  const cell = buildTestCell(
    withGlobals(labelBlock("Soma", `${PAS}, ${IH}`), '{"Ih": {"ehcn": -30}, "SK_E2": {"zTau": 2}}'),
  );
  assert.deepEqual(cell.mechGlobals, { Ih: { ehcn: -30 }, SK_E2: { zTau: 2 } });
  const ih = cell.sections[0].mechanisms.find((m) => m.name === "Ih")!;
  assert.deepEqual(Object.keys(ih.params), ["gIhbar"], "ehcn is not a per-segment value");
});

Deno.test("buildCell: mech_globals refuses what NEURON refuses, with file, line and key", () => {
  const soma = labelBlock("Soma", `${PAS}, ${IH}`);
  rejects(
    withGlobals(soma, '{"Ih": {"gIhbar": 0.1}}'),
    /"gIhbar" is not a GLOBAL of mechanism "Ih" \(its GLOBALs: ehcn; "gIhbar" is a RANGE parameter/,
    "mech_globals.Ih.gIhbar",
  );
  rejects(
    withGlobals(soma, '{"NaTa_t": {"gNaTa_tbar": 0.1}}'),
    /is not a GLOBAL of mechanism "NaTa_t" \(it has none/,
    "mech_globals.NaTa_t.gNaTa_tbar",
  );
  rejects(
    withGlobals(soma, '{"Ihh": {"ehcn": -30}}'),
    /Unknown mechanism "Ihh"/,
    "mech_globals.Ihh",
  );
  rejects(
    withGlobals(soma, '{"SK_E2": {"zTau": 0}}'),
    /"zTau" of mechanism "SK_E2": expected a finite number > 0 \[ms\], got 0/,
    "mech_globals.SK_E2.zTau",
  );
  // NEURON refuses a GLOBAL as a per-section value (seg.ehcn_Ih does not exist) …
  rejects(
    testParamText(labelBlock("Soma", '"Ih": {"spatial": "uniform", "ehcn": -30}')),
    /"ehcn" is a GLOBAL of mechanism "Ih" .* set it in mech_globals/,
    "neuron.Soma.mechanisms.range.Ih.ehcn",
  );
});

Deno.test("buildCell: values outside a parameter's physical range name their file, line and key", () => {
  rejects(
    testParamText(labelBlock("Soma", '"CaDynamics_E2": {"spatial": "uniform", "gamma": 1e300}')),
    /"gamma" of mechanism "CaDynamics_E2": expected a finite number in \[0, 1\], got 1e\+300/,
    "neuron.Soma.mechanisms.range.CaDynamics_E2.gamma",
  );
  rejects(
    testParamText(labelBlock("Soma", '"CaDynamics_E2": {"spatial": "uniform", "decay": 0}')),
    /"decay" of mechanism "CaDynamics_E2": expected a finite number > 0 \[ms\]/,
    "neuron.Soma.mechanisms.range.CaDynamics_E2.decay",
  );
  rejects(
    testParamText(labelBlock("Soma", '"pas": {"spatial": "uniform", "g": -1e-4}')),
    /"g" of mechanism "pas": expected a finite number >= 0 \[S\/cm2\], got -0.0001/,
    "neuron.Soma.mechanisms.range.pas.g",
  );
});

Deno.test("buildCell: a hoc whose soma is not first, or a one-point section, is rejected", () => {
  const text = testParamText(labelBlock("Soma", PAS));
  assert.throws(
    () => buildTestCell(text, "{create soma}\n{pt3dadd(0,0,0,1)}\n"),
    /at least 2 are needed/,
  );
});
