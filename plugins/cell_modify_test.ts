import assert from "node:assert/strict";
import { InputValueError, type ParamObject, parseParam, PluginError } from "../io/mod.ts";
import { buildTestCell, labelBlock, testParamText } from "../solver/_test_cell.ts";
import { applyCellModification, applyCellModifyFunctions } from "./cell_modify.ts";

const PAS = '"pas": {"spatial": "uniform", "g": 0.0001}';
const cell = () => buildTestCell(testParamText(labelBlock("Soma", PAS)));

Deno.test("applyCellModification: validates, stores diameters as float32, appends point processes", () => {
  const c = cell();
  applyCellModification(c, {
    diameters: [{ section: 1, diam: [1.1, 1.2] }],
    pointProcesses: [{
      mechanism: "IClamp",
      section: 0,
      x: 0.5,
      params: { amp: 1, del: 0, dur: 1 },
    }],
  });
  assert.deepEqual([...c.sections[1].diam], [Math.fround(1.1), Math.fround(1.2)]);
  assert.deepEqual([...c.sections[1].hocDiam], [2, 2]);
  assert.equal(c.pointProcesses.length, 1);
  assert.throws(
    () => applyCellModification(c, { diameters: [{ section: 9, diam: [1] }] }),
    PluginError,
  );
  assert.throws(
    () => applyCellModification(c, { diameters: [{ section: 1, diam: [1] }] }),
    /expected 2 values/,
  );
  assert.throws(
    () => applyCellModification(c, { diameters: [{ section: 1, diam: [1, 0] }] }),
    /positive/,
  );
  assert.throws(
    () =>
      applyCellModification(c, {
        pointProcesses: [{ mechanism: "IClamp", section: 0, x: 2, params: {} }],
      }),
    /x must be/,
  );
});

function fns(text: string): ParamObject {
  return parseParam(`{"cell_modify_functions": ${text}}`, "c.param")
    .cell_modify_functions as ParamObject;
}

Deno.test("applyCellModifyFunctions: key order, built-ins, plugin hook, unknown names with file:line:key", async () => {
  const c = cell();
  await applyCellModifyFunctions(
    c,
    fns(
      '{"soma_current_injection": {"amplitude": 1.0, "delay": 100, "duration": 200}, "scale_apical": {"scale": 2}}',
    ),
    { paramFile: "c.param" },
  );
  assert.deepEqual(c.pointProcesses, [{
    mechanism: "IClamp",
    section: 0,
    x: 0.5,
    params: { amp: 1, del: 100, dur: 200 },
    // The entry that placed it: a bad parameter found later names it.
    where: {
      file: "c.param",
      line: 1,
      column: 28,
      key: "neuron.cell_modify_functions.soma_current_injection",
    },
  }]);
  assert.deepEqual([...c.sections[2].diam], [6, 6, 6]);
  await assert.rejects(
    applyCellModifyFunctions(c, fns('{\n"nope": {}}'), { paramFile: "c.param" }),
    (e: unknown) => {
      assert.ok(e instanceof InputValueError);
      assert.equal(e.line, 2);
      assert.equal(e.key, "neuron.cell_modify_functions.nope");
      return true;
    },
  );
  await applyCellModifyFunctions(c, fns('{"my/plugin.ts": {}}'), {
    paramFile: "c.param",
    resolvePlugin: (name) =>
      name === "my/plugin.ts" ? () => ({ diameters: [{ section: 1, diam: [3, 3] }] }) : undefined,
  });
  assert.deepEqual([...c.sections[1].diam], [3, 3]);
  await assert.rejects(
    applyCellModifyFunctions(
      c,
      fns('{"soma_current_injection": {"amplitude": "x", "delay": 1, "duration": 1}}'),
      { paramFile: "c.param" },
    ),
    /Cannot read "amplitude" of soma_current_injection: expected a number/,
  );
  await assert.rejects(
    applyCellModifyFunctions(c, fns('{"scale_apical": {"scale": 2, "compartment": "Tuft"}}'), {
      paramFile: "c.param",
    }),
    InputValueError,
  );
});
