import assert from "node:assert/strict";
import { InputValueError } from "../io/mod.ts";
import { npInterp } from "./spatial_rules.ts";
import { buildTestCell, labelBlock, testParamText } from "./_test_cell.ts";

/** 1e-12 relative (absolute below 1): the rules' formulas evaluated in another operation order. */
const close = (a: number, b: number) =>
  assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const PAS = '"pas": {"spatial": "uniform", "g": 0.0001, "e": -70}';

function apical(range: string) {
  const cell = buildTestCell(
    testParamText(labelBlock("Soma", PAS) + labelBlock("ApicalDendrite", range)),
  );
  const a1 = cell.sections[2], a2 = cell.sections[3];
  // d_org from the apical root's 0-end (= soma centre), d_soma0 adds half the soma (10 µm)
  const dOrg: number[] = [],
    values = (name: string, p: string) => [
      ...a1.mechanisms.find((m) => m.name === name)!.params[p],
      ...a2.mechanisms.find((m) => m.name === name)!.params[p],
    ];
  for (let i = 0; i < a1.nseg; i++) dOrg.push((i + 0.5) * 500 / a1.nseg);
  for (let i = 0; i < a2.nseg; i++) dOrg.push(500 + (i + 0.5) * 800 / a2.nseg);
  const z: number[] = [];
  for (let i = 0; i < a1.nseg; i++) z.push(10 + 500 * (i + 0.5) / a1.nseg);
  for (let i = 0; i < a2.nseg; i++) z.push(510 + 800 * (i + 0.5) / a2.nseg);
  return { cell, dOrg, values, z };
}

Deno.test("spatial rules: exponential (relative to maxDist = 1300), positive exponent", () => {
  const { dOrg, values } = apical(
    '"Ih": {"spatial": "exponential", "distance": "relative", "gIhbar": 0.0002, "offset": -0.8696, "linScale": 2.087, "_lambda": 3.6161, "xOffset": 0.0}',
  );
  const v = values("Ih", "gIhbar");
  dOrg.forEach((d, i) =>
    close(v[i], 0.0002 * (-0.8696 + 2.087 * Math.exp(3.6161 * (d / 1300 - 0))))
  );
});

Deno.test("spatial rules: linear and linear_capped use the distance from soma(0)", () => {
  let r = apical(
    '"pas": {"spatial": "linear", "distance": "absolute", "g": 0.001, "slope": -0.001, "offset": 0.5}',
  );
  let v = r.values("pas", "g");
  r.dOrg.forEach((d, i) => close(v[i], Math.max(0.001 * ((d + 10) * -0.001 + 1), 0.001 * 0.5)));
  assert.deepEqual([...r.cell.sections[2].mechanisms[0].params.e].slice(0, 1), [-70]); // default e_pas
  r = apical(
    '"pas": {"spatial": "linear_capped", "distance": "relative", "param_name": "g", "prox_value": 1, "dist_value": 3, "dist_value_distance": 0.5, "e": 12345}',
  );
  v = r.values("pas", "g");
  r.dOrg.forEach((d, i) => {
    const x = (d + 10) / 1300;
    close(v[i], x >= 0.5 ? 3 : 1 + (3 - 1) / 0.5 * x);
  });
  assert.equal(r.values("pas", "e")[0], -70); // other keys ignored
});

Deno.test("spatial rules: sigmoid, capped_exponential, exponential_by_z_dist", () => {
  let r = apical(
    '"pas": {"spatial": "sigmoid", "distance": "absolute", "g": 2, "offset": 0.1, "linScale": 1, "xOffset": 600, "width": 50}',
  );
  let v = r.values("pas", "g");
  r.dOrg.forEach((d, i) => close(v[i], 2 * (0.1 + 1 / (1 + Math.exp((d - 600) / 50)))));
  r = apical(
    '"pas": {"spatial": "capped_exponential", "distance": "absolute", "g": 1, "offset": 0, "linScale": 1, "_lambda": 0.01, "xOffset": 0, "max_g": 100}',
  );
  v = r.values("pas", "g");
  r.dOrg.forEach((d, i) => close(v[i], Math.min(Math.exp(0.01 * d), 100)));
  assert.equal(v[v.length - 1], 100);
  r = apical(
    '"pas": {"spatial": "exponential_by_z_dist", "distance": "absolute", "g": 1, "offset": 0, "linScale": 1, "_lambda": 2, "xOffset": 0}',
  );
  v = r.values("pas", "g");
  r.z.forEach((z, i) => close(v[i], Math.exp(2 * (z / 1000))));
});

Deno.test("spatial rules: uniform_range (inclusive window, outsidescale_sections)", () => {
  const r = apical(
    '"Ca_HVA": {"spatial": "uniform_range", "gCa_HVAbar": 0.01, "begin": 400.0, "end": 900.0, "outsidescale": 0.1, "outsidescale_sections": [3]}',
  );
  const v = r.values("Ca_HVA", "gCa_HVAbar");
  const n1 = r.cell.sections[2].nseg;
  r.dOrg.forEach((d, i) => close(v[i], i >= n1 ? 0.001 : (d >= 400 && d <= 900 ? 0.01 : 0.001)));
  assert.ok(v.slice(0, n1).some((x) => x === 0.01));
});

Deno.test("spatial rules: Myelin reuses the previous origin (ISF quirk)", () => {
  const ur =
    '"pas": {"spatial": "uniform_range", "g": 1.0, "e": -70, "begin": 0.0, "end": 78.8, "outsidescale": 0.0}';
  const myelinSeg0 = (order: string[]) => {
    const blocks: Record<string, string> = {
      Soma: labelBlock("Soma", ur),
      AIS: labelBlock("AIS", ur),
      Myelin: labelBlock("Myelin", ur),
    };
    const cell = buildTestCell(testParamText(order.map((l) => blocks[l]).join("")));
    const myelin = cell.sections.find((s) => s.label === "Myelin")!;
    return myelin.mechanisms[0].params.g[0];
  };
  // Myelin seg 0 is 73.8 µm from the soma centre, 83.8 µm from soma(0)
  assert.equal(myelinSeg0(["Soma", "AIS", "Myelin"]), 1); // origin left at the hillock's 0-end = soma centre
  assert.equal(myelinSeg0(["AIS", "Soma", "Myelin"]), 0); // origin left at soma(0)
});

Deno.test("spatial rules: relative distance on a label without a soma-attached section is an error", () => {
  const exp =
    '"pas": {"spatial": "exponential", "distance": "relative", "g": 1, "offset": 0, "linScale": 1, "_lambda": 1, "xOffset": 0}';
  assert.throws(
    () => buildTestCell(testParamText(labelBlock("AIS", PAS) + labelBlock("Myelin", exp))),
    (e: unknown) => e instanceof InputValueError && /maxDist is undefined/.test(e.message),
  );
});

Deno.test("npInterp: numpy semantics including repeated sample positions", () => {
  assert.equal(npInterp(0.5, [0, 0.5, 0.5, 1], [0, 1, 2, 3]), 2);
  assert.equal(npInterp(-1, [0, 1], [5, 6]), 5);
  assert.equal(npInterp(0.75, [0, 0.5, 0.5, 1], [0, 1, 2, 3]), 2.5);
});
