import assert from "node:assert/strict";
import { sharedDir, sharedPath } from "../tests/_shared.ts";
import { getObject, type ParamObject, parseParam, setParam } from "./param.ts";
import { formatParamJson } from "./param_writer.ts";

Deno.test("formatParamJson() writes json.dump(indent=4) layout with empty containers and no final newline", () => {
  const p = parseParam(
    '{"a": {}, "b": [], "c": {"d": [1, {"e": null}]}, "t": true, "f": false}',
    "t.param",
  );
  assert.equal(
    formatParamJson(p),
    "{\n" +
      '    "a": {},\n' +
      '    "b": [],\n' +
      '    "c": {\n' +
      '        "d": [\n' +
      "            1,\n" +
      "            {\n" +
      '                "e": null\n' +
      "            }\n" +
      "        ]\n" +
      "    },\n" +
      '    "t": true,\n' +
      '    "f": false\n' +
      "}",
  );
  assert.equal(formatParamJson({}), "{}");
});

Deno.test("formatParamJson() keeps ints as ints and floats as Python floats", () => {
  const p = parseParam(
    '{"i": -90, "f": -90.0, "g": 0.0000326, "h": 4E-5, "k": 1e16, "z": -0, "nz": -0.0}',
    "t.param",
  );
  assert.equal(
    formatParamJson(p),
    '{\n    "i": -90,\n    "f": -90.0,\n    "g": 3.26e-05,\n    "h": 4e-05,\n    "k": 1e+16,\n' +
      '    "z": 0,\n    "nz": -0.0\n}',
  );
  // numbers built in code: integral → int (exact digits like Python's int, even ≥ 1e21), otherwise float
  assert.equal(formatParamJson({ big: 2 ** 70 }), '{\n    "big": 1180591620717411303424\n}');
  assert.equal(
    formatParamJson({ a: 3, b: 0.5, c: [NaN, Infinity, -Infinity] }),
    '{\n    "a": 3,\n    "b": 0.5,\n    "c": [\n        NaN,\n        Infinity,\n        -Infinity\n    ]\n}',
  );
});

Deno.test("formatParamJson() escapes strings like Python json with ensure_ascii", () => {
  const s = 'q"b\\s/\n\r\t\b\f\u0001\u007f é 😀';
  assert.equal(
    formatParamJson({ [s]: s }),
    '{\n    "q\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u007f \\u00e9 \\ud83d\\ude00": "q\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u007f \\u00e9 \\ud83d\\ude00"\n}',
  );
});

Deno.test("formatParamJson() writes a tuple as a multi-line array", () => {
  const p = parseParam("{'intervals': [(0.0,1.0)]}", "t.param");
  assert.equal(
    formatParamJson(p),
    '{\n    "intervals": [\n        [\n            0.0,\n            1.0\n        ]\n    ]\n}',
  );
});

Deno.test("formatParamJson() honours setParam() for tStop (int 345 vs float 345.0)", () => {
  const p = parseParam('{"sim": {"tStop": 250.0, "dt": 0.025}}', "t.param");
  setParam(getObject(p, "sim"), "tStop", 345);
  assert.match(formatParamJson(p), /"tStop": 345,\n/);
  setParam(getObject(p, "sim"), "tStop", 345, { float: true });
  assert.match(formatParamJson(p), /"tStop": 345\.0,\n/);
});

const B = "reference/network/B_run_new_simulations/seed20250101_pid23856_";
const C = "reference/network/C_replay_run_existing_synapse_activations/seed00000_pid24575_";

Deno.test({
  name: "formatParamJson() rewrites ISF-saved param files byte for byte",
  ignore: sharedDir() === undefined,
  fn() {
    for (
      const f of [
        B + "neuron_model.param",
        B + "network_model.param",
        C + "neuron_model.param",
        C + "network_model.param",
        "reference/single_cell/A2_step_1p0_neuron_model.param",
      ]
    ) {
      const text = Deno.readTextFileSync(sharedPath(f));
      const out = formatParamJson(parseParam(text, f));
      if (out !== text) {
        let i = 0;
        while (i < text.length && text[i] === out[i]) i++;
        assert.fail(
          `${f}: first difference at char ${i}: ISF ${
            JSON.stringify(text.slice(i - 40, i + 40))
          } vs ours ${JSON.stringify(out.slice(i - 40, i + 40))}`,
        );
      }
    }
  },
});

Deno.test({
  name: "formatParamJson() of the input params with tStop 345.0 equals what ISF saved in B",
  ignore: sharedDir() === undefined,
  fn() {
    const cell = parseParam(
      Deno.readTextFileSync(sharedPath("reference/86_C2_center.param")),
      "86_C2_center.param",
    );
    const net = parseParam(
      Deno.readTextFileSync(sharedPath("reference/network.param")),
      "network.param",
    );
    // B was run with tStop=345.0 (a float): its saved file says "tStop": 345.0. outputs.md §6's
    // default is the int 345, which would be written "tStop": 345 (checked in the test above).
    setParam(getObject(cell, "sim"), "tStop", 345, { float: true });
    assert.ok(
      formatParamJson(cell) === Deno.readTextFileSync(sharedPath(B + "neuron_model.param")),
      "cell param differs",
    );
    assert.ok(
      formatParamJson(net) === Deno.readTextFileSync(sharedPath(B + "network_model.param")),
      "network param differs",
    );
    // the Python-literal input itself differs (tabs, trailing commas, tuples): a real round trip
    assert.notEqual(
      Deno.readTextFileSync(sharedPath("reference/network.param")).length,
      formatParamJson(net).length,
    );
    assert.equal(
      ((getObject(net, "network") as ParamObject)["L45Peak_D1"] as ParamObject).cellNr !==
        undefined,
      true,
    );
  },
});
