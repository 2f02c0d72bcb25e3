import assert from "node:assert/strict";
import { InputValueError } from "./errors.ts";
import { parseParam } from "./param.ts";
import { readCellSpec } from "./cell_spec.ts";

const TEXT = `{
  "neuron": {
    "filename": "cell.hoc",
    "cell_modify_functions": {"soma_current_injection": {"amplitude": 1.0}},
    "discretization": {"f": 100, "max_seg_length": 20},
    "Soma": {
      "properties": {"Ra": 100.0, "cm": 1.0, "ions": {"ek": -85.0}},
      "mechanisms": {"global": {}, "range": {
        "pas": {"spatial": "uniform", "g": 0.0001, "e": -90},
        "na_ion": {"spatial": "uniform", "ena": 55.0}}}},
    "ApicalDendrite": {
      "properties": {"Ra": 100.0, "spines": {"density": 1.0, "area": 1.2}},
      "mechanisms": {"global": {}, "range": {
        "Ih": {"spatial": "exponential", "distance": "relative", "offset": -0.87,
               "linScale": 2.1, "_lambda": 3.6, "xOffset": 0.0, "gIhbar": 0.0002},
        "Ca_LVAst": {"spatial": "linear_capped", "distance": "relative",
          "param_name": "gCa_LVAstbar", "prox_value": 1, "dist_value": 2,
          "dist_value_distance": 0.5}}}}
  },
  "mech_globals": {"Ih": {"ehcn": -30}, "SK_E2": {"zTau": 2}},
  "sim": {"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 34.0,
          "recordingSites": ["a.landmarkAscii", "b.landmarkAscii"]}
}`;

Deno.test("readCellSpec() types every value and keeps file, line and key", () => {
  const spec = readCellSpec(parseParam(TEXT, "c.param"));
  assert.equal(spec.file, "c.param");
  assert.deepEqual(spec.morphology.value, "cell.hoc");
  assert.equal(spec.morphology.where.line, 3);
  assert.equal(spec.createsAxon, false);
  assert.equal(spec.discretization?.maxSegLength.value, 20);
  assert.deepEqual(spec.structures.map((s) => s.label), ["Soma", "ApicalDendrite"]);
  const soma = spec.structures[0];
  assert.equal(soma.Ra?.value, 100);
  assert.deepEqual(soma.ions.map((i) => [i.name, i.value, i.where.key]), [
    ["ek", -85, "neuron.Soma.properties.ions.ek"],
  ]);
  assert.deepEqual(soma.range.map((m) => m.name), ["pas", "na_ion"]);
  assert.deepEqual(soma.range[0].params.map((p) => [p.name, p.value, p.where.line]), [
    ["g", 0.0001, 9],
    ["e", -90, 9],
  ]);
  assert.deepEqual(soma.range[1].params.map((p) => p.name), ["ena"]);
  const apical = spec.structures[1];
  assert.deepEqual(apical.spines, { density: 1, area: 1.2 });
  assert.deepEqual(apical.range[0].control, {
    distance: "relative",
    offset: -0.87,
    linScale: 2.1,
    _lambda: 3.6,
    xOffset: 0,
  });
  assert.deepEqual(apical.range[0].params.map((p) => p.name), ["gIhbar"]);
  assert.equal(apical.range[1].paramName?.value, "gCa_LVAstbar");
  assert.deepEqual(apical.range[1].params, [], "linear_capped sets only param_name");
  assert.deepEqual(spec.cellModifyFunctions.map((f) => [f.name, f.where.line]), [
    ["soma_current_injection", 4],
  ]);
  assert.deepEqual(spec.mechGlobals.map((g) => [g.mechanism, g.name, g.value, g.where.key]), [
    ["Ih", "ehcn", -30, "mech_globals.Ih.ehcn"],
    ["SK_E2", "zTau", 2, "mech_globals.SK_E2.zTau"],
  ]);
  assert.equal(spec.mechGlobals[0].where.line, 20);
  assert.equal(spec.sim?.dt.where.key, "sim.dt");
  assert.deepEqual(spec.sim?.recordingSites.map((r) => [r.value, r.where.key]), [
    ["a.landmarkAscii", "sim.recordingSites.0"],
    ["b.landmarkAscii", "sim.recordingSites.1"],
  ]);
});

function rejects(edit: (t: string) => string, pattern: RegExp, key: string): void {
  const text = edit(TEXT);
  assert.notEqual(text, TEXT, "test setup: the edit changed nothing");
  assert.throws(() => readCellSpec(parseParam(text, "c.param")), (e: unknown) => {
    assert.ok(e instanceof InputValueError, String(e));
    assert.equal(e.file, "c.param");
    assert.ok(e.line > 0, e.message);
    assert.equal(e.key, key);
    assert.match(e.message, pattern);
    return true;
  });
}

Deno.test("readCellSpec() rejects shapes, types and rules with file, line and key", () => {
  rejects(
    (t) => t.replace('"Ra": 100.0, "cm"', '"Ra": -1.0, "cm"'),
    /must be positive/,
    "neuron.Soma.properties.Ra",
  );
  rejects(
    (t) => t.replace('"cm": 1.0,', '"L": 1.0,'),
    /Unsupported section property "L"/,
    "neuron.Soma.properties.L",
  );
  rejects(
    (t) => t.replace('"ek": -85.0', '"ekk": -85.0'),
    /Unknown ion variable "ekk"/,
    "neuron.Soma.properties.ions.ekk",
  );
  rejects(
    (t) => t.replace('"spatial": "exponential"', '"spatial": "cubic"'),
    /Unknown spatial rule "cubic"/,
    "neuron.ApicalDendrite.mechanisms.range.Ih.spatial",
  );
  rejects(
    (t) => t.replace('"offset": -0.87,', ""),
    /Missing key "offset"/,
    "neuron.ApicalDendrite.mechanisms.range.Ih.offset",
  );
  rejects(
    (t) => t.replace('"g": 0.0001', '"g": "x"'),
    /expected a number, got "x"/,
    "neuron.Soma.mechanisms.range.pas.g",
  );
  rejects(
    (t) => t.replace('"max_seg_length": 20', '"max_seg_length": 0'),
    /must be positive/,
    "neuron.discretization.max_seg_length",
  );
  rejects(
    (t) => t.replace('{"ehcn": -30}', '{"ehcn": "cold"}'),
    /expected a number/,
    "mech_globals.Ih.ehcn",
  );
  rejects((t) => t.replace('"dt": 0.025', '"dt": null'), /expected a number, got null/, "sim.dt");
  rejects(
    (t) => t.replace('{"amplitude": 1.0}', "3"),
    /must be an object/,
    "neuron.cell_modify_functions.soma_current_injection",
  );
});
