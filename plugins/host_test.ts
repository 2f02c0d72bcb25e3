import assert from "node:assert/strict";
import { PluginError } from "../io/mod.ts";
import { fileURLToPath } from "node:url";
import { describeCell } from "./cell_description.ts";
import { PluginWorker } from "./host.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";

const FIXTURE = fileURLToPath(new URL("./testdata/misbehaving_cell_modify.ts", import.meta.url));

Deno.test("PluginWorker runs requests in order and stays usable after a plugin error", async () => {
  const p = await PluginWorker.start(FIXTURE, { kind: "cellModify", name: "fixture" });
  try {
    const cell = describeCell(tinyCell());
    assert.deepEqual(await p.call({ op: "cellModify", cell, args: { action: "none" } }), {
      pointProcesses: [],
    });
    await assert.rejects(
      p.call({ op: "cellModify", cell, args: { action: "throw" } }),
      (e: unknown) => e instanceof PluginError && e.plugin === "fixture",
    );
    assert.deepEqual(await p.call({ op: "cellModify", cell, args: { action: "none" } }), {
      pointProcesses: [],
    });
  } finally {
    p.close();
    p.close();
  }
});

Deno.test("PluginWorker fails every later call after a time limit, and after close()", async () => {
  // 1 s: long enough that loading the module never hits the limit on a busy CI machine.
  const p = await PluginWorker.start(FIXTURE, { kind: "cellModify", timeLimitMs: 1000 });
  const cell = describeCell(tinyCell());
  const limit = /ran past its time limit of 1 s/;
  await assert.rejects(p.call({ op: "cellModify", cell, args: { action: "hang" } }), limit);
  await assert.rejects(p.call({ op: "cellModify", cell, args: { action: "none" } }), limit);
  p.close();
  const q = await PluginWorker.start(FIXTURE, { kind: "cellModify" });
  q.close();
  await assert.rejects(q.call({ op: "cellModify", cell, args: {} }), /is closed/);
});

Deno.test("PluginWorker.start() checks the export of the plugin's kind and its time limit", async () => {
  await assert.rejects(
    PluginWorker.start(FIXTURE, { kind: "recorder", name: "fixture" }),
    /Plugin "fixture": loading the module failed: TypeError: a recorder plugin must export/,
  );
  await assert.rejects(
    PluginWorker.start(FIXTURE, { kind: "cellModify", timeLimitMs: 0 }),
    /time limit must be positive/,
  );
  await assert.rejects(
    PluginWorker.start(fileURLToPath(new URL("./testdata/absent.ts", import.meta.url)), {
      kind: "cellModify",
      name: "absent.ts",
    }),
    (e: unknown) => e instanceof PluginError && /loading the module failed/.test(e.message),
  );
});
