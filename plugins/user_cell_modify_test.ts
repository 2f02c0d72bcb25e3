import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { InputValueError, PluginError } from "../io/mod.ts";
import { applyCellModification } from "./cell_modify.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";
import { isPluginPath, runCellModifyPlugin, userPluginResolver } from "./user_cell_modify.ts";

const EXAMPLE = fileURLToPath(
  new URL("../examples/plugins/scale_apical_morph_86.ts", import.meta.url),
);

Deno.test("isPluginPath() tells plugin paths from built-in names", () => {
  assert.equal(isPluginPath("./x.ts"), true);
  assert.equal(isPluginPath("x.mjs"), true);
  assert.equal(isPluginPath("/abs/plugin"), true);
  assert.equal(isPluginPath("BAC_injection"), false);
  assert.equal(userPluginResolver()("scale_apical", { file: "c.param" }), undefined);
});

Deno.test("runCellModifyPlugin() runs the example scale_apical_morph_86 on a small cell", async () => {
  const cell = tinyCell();
  const mod = await runCellModifyPlugin(EXAMPLE, cell, {});
  // Only the apical section (1-end at 210 µm from soma(0)) is scaled, relative to hoc values.
  assert.deepEqual(mod, { diameters: [{ section: 2, diam: [7.5, 7.5] }] });
  applyCellModification(cell, mod, "example");
  assert.deepEqual([...cell.sections[2].diam], [7.5, 7.5]);
  assert.deepEqual([...cell.sections[1].diam], [2, 2]);
  await assert.rejects(
    runCellModifyPlugin(EXAMPLE, cell, { scale: 3 }, { name: "scale.ts" }),
    /Plugin "scale\.ts": cellModify\(\) at scale_apical_morph_86\.ts:\d+:\d+ failed: TypeError: scale_apical_morph_86 takes no arguments, got scale/,
  );
});

Deno.test("runCellModifyPlugin() rejects a result that is not an object", async () => {
  const fixture = fileURLToPath(new URL("./testdata/misbehaving_cell_modify.ts", import.meta.url));
  await assert.rejects(
    runCellModifyPlugin(fixture, tinyCell(), { action: "array" }),
    (e: unknown) => e instanceof PluginError && /must return an object/.test(e.message),
  );
});

Deno.test("runCellModifyPlugin() rejects point-process parameters that are not the mechanism's own", async () => {
  const fixture = fileURLToPath(new URL("./testdata/misbehaving_cell_modify.ts", import.meta.url));
  for (const key of ["__proto__", "constructor", "toString", "hasOwnProperty", "ampp"]) {
    await assert.rejects(
      runCellModifyPlugin(fixture, tinyCell(), { action: "protoParam", key }, { name: "p.ts" }),
      (e: unknown) =>
        e instanceof InputValueError &&
        e.message ===
          `plugin p.ts: Unknown parameter ${
            JSON.stringify(key)
          } of point process "IClamp"; it has del, dur, amp` &&
        e.key === "cellModify().pointProcesses[0].params",
      key,
    );
  }
  // The mechanism's own parameter passes.
  assert.deepEqual(
    await runCellModifyPlugin(fixture, tinyCell(), { action: "protoParam", key: "amp" }),
    { pointProcesses: [{ mechanism: "IClamp", section: 0, x: 0.5, params: { amp: 1 } }] },
  );
});
