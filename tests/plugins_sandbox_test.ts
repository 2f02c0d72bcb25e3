/**
 * The plugin sandbox (plugins/host.ts) end to end: a user plugin that reaches outside its scope,
 * throws, or runs forever fails with a PluginError that names the plugin and the cause, and the
 * example plugin re-implementing `scale_apical_morph_86` gives the same cell as the built-in.
 * (The escapes of issue 10 — links, signals, memory, hidden host details — are in
 * plugins_escape_test.ts.)
 *
 * @module
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PluginError } from "../io/errors.ts";
import { parsePathMap } from "../io/path_map.ts";
import { applyCellModifyFunctions } from "../plugins/cell_modify.ts";
import { openRecorders } from "../plugins/recorder.ts";
import { tinyCell } from "../plugins/testdata/tiny_cell.ts";
import { runCellModifyPlugin, userPluginResolver } from "../plugins/user_cell_modify.ts";
import { createCell } from "../simrun/create_cell.ts";
import { inspectTables } from "../simrun/inspect.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "./_shared.ts";

const TESTDATA = `${repoDir()}/plugins/testdata`;
const MISBEHAVING = `${TESTDATA}/misbehaving_cell_modify.ts`;
const NAME = "misbehaving_cell_modify.ts";

/** Runs the misbehaving plugin with `args` and returns the PluginError it must fail with. */
async function failure(
  args: Record<string, unknown>,
  options: { timeLimitMs?: number; read?: string[] } = {},
): Promise<PluginError> {
  try {
    await runCellModifyPlugin(MISBEHAVING, tinyCell(), args, { ...options, name: NAME });
  } catch (e) {
    assert.ok(e instanceof PluginError, `expected a PluginError, got ${String(e)}`);
    assert.equal(e.plugin, NAME);
    assert.ok(e.message.startsWith(`Plugin "${NAME}": `), e.message);
    return e;
  }
  assert.fail(`plugin action ${String(args.action)} was not denied`);
}

Deno.test("a plugin reading a file outside its folder is denied", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plugin_" });
  try {
    const secret = `${dir}/secret.txt`;
    await Deno.writeTextFile(secret, "not for plugins");
    const e = await failure({ action: "read", path: secret });
    assert.match(e.message, /denied read access to ".*secret\.txt"/);
    assert.match(e.message, /--plugin-read/);
    assert.match(e.message, /in cellModify\(\)/);
    // The same file is readable once granted (the fixture throws what it read).
    await assert.rejects(
      runCellModifyPlugin(MISBEHAVING, tinyCell(), { action: "read", path: secret }, {
        read: [secret],
      }),
      /failed: Error: READ:not for plugins$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a plugin importing a module outside its folder is denied", async () => {
  const url = new URL("../io/errors.ts", import.meta.url).href;
  const e = await failure({ action: "import", url });
  assert.match(e.message, /read access to ".*io\/errors\.ts"/);
});

Deno.test("a cell-modify plugin writing a file is denied and writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plugin_" });
  try {
    const target = `${dir}/out.txt`;
    const e = await failure({ action: "write", path: target });
    assert.match(e.message, /denied write access to ".*out\.txt"/);
    await assert.rejects(Deno.stat(target), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a recorder writing outside the job folder is denied; inside it may", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_plugin_" });
  try {
    const jobDir = `${dir}/job`;
    await Deno.mkdir(jobDir);
    const outside = `${dir}/escaped.txt`;
    const path = `${TESTDATA}/misbehaving_recorder.ts`;
    const t = Float64Array.from([0, 0.025]);
    // Inside the job folder: allowed.
    const ok = await openRecorders([{ path, args: { action: "writeInside" } }], { jobDir });
    assert.deepEqual(await ok.sites(tinyCell()), [
      { section: 0, x: 0.5, where: { file: `plugin ${path}`, key: "recorder.sites()[0]" } },
    ]);
    await ok.deliver(3, t, [Float64Array.from([-75, -74.5])]);
    await ok.close();
    assert.equal(
      await Deno.readTextFile(`${jobDir}/plugins/misbehaving_recorder/soma_run3.txt`),
      "2 -75\n",
    );
    // Outside: denied, nothing written.
    const bad = await openRecorders([{ path, args: { action: "writeOutside", path: outside } }], {
      jobDir,
    });
    try {
      await bad.sites(tinyCell());
      // deliver() hands the sweep over; the recorder's failure comes with flush() (or the
      // next deliver(), or close()).
      await bad.deliver(0, t, [Float64Array.from([-75, -75])]);
      const e = await bad.flush().then(
        () => assert.fail("write outside the job folder was not denied"),
        (e) => e,
      );
      await assert.rejects(bad.deliver(1, t, [Float64Array.from([-75, -75])]), PluginError);
      assert.ok(e instanceof PluginError);
      assert.match(e.message, /denied write access to ".*escaped\.txt".*its own folder of the job/);
      assert.match(e.message, /in recorder\.sweep\(\)/);
      await assert.rejects(Deno.stat(outside), Deno.errors.NotFound);
    } finally {
      await bad.close().catch(() => {});
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a plugin opening a network connection (127.0.0.1) is denied", async () => {
  const e = await failure({ action: "net", port: 8765 });
  assert.match(
    e.message,
    /denied net access to "127\.0\.0\.1:8765" in cellModify\(\) at misbehaving_cell_modify\.ts:\d+:\d+; plugins have no network/,
  );
});

Deno.test("a plugin reading an environment variable is denied", async () => {
  const e = await failure({ action: "env" });
  assert.match(e.message, /denied env access to "HOME"/);
});

Deno.test("a plugin starting a process is denied", async () => {
  const e = await failure({ action: "run" });
  assert.match(
    e.message,
    /denied run access to "true" in cellModify\(\).*; plugins cannot start or signal other processes$/,
  );
});

Deno.test("a plugin that throws fails with its error and the line it threw at", async () => {
  const e = await failure({ action: "throw" });
  assert.match(
    e.message,
    /cellModify\(\) at misbehaving_cell_modify\.ts:\d+:\d+ failed: Error: boom on 3 sections$/,
  );
});

Deno.test("a plugin without the cellModify export fails when loaded", async () => {
  await assert.rejects(
    runCellModifyPlugin(`${TESTDATA}/no_export.ts`, tinyCell(), {}),
    (e: unknown) =>
      e instanceof PluginError &&
      /loading the module failed: TypeError: .*export a function `cellModify/.test(e.message),
  );
});

Deno.test("a plugin that never finishes is killed at its time limit", async () => {
  const t0 = performance.now();
  const e = await failure({ action: "hang" }, { timeLimitMs: 1000 });
  const ms = performance.now() - t0;
  assert.match(e.message, /ran past its time limit of 1 s in cellModify\(\) and was stopped/);
  assert.ok(ms >= 1000 && ms < 5000, `took ${ms.toFixed(0)} ms to give up`);
});

Deno.test("a failing user plugin fails applyCellModifyFunctions with its PluginError", async () => {
  const cell = tinyCell();
  await assert.rejects(
    applyCellModifyFunctions(cell, { "misbehaving_cell_modify.ts": { action: "env" } }, {
      paramFile: `${TESTDATA}/cell.param`,
      resolvePlugin: userPluginResolver(),
    }),
    (e: unknown) => e instanceof PluginError && /denied env access/.test(e.message),
  );
  // A path that does not exist is bad input, located in the param file.
  await assert.rejects(
    applyCellModifyFunctions(cell, { "missing_plugin.ts": {} }, {
      paramFile: `${TESTDATA}/cell.param`,
      resolvePlugin: userPluginResolver(),
    }),
    /cell\.param: Cell-modify plugin "missing_plugin\.ts" not found/,
  );
});

Deno.test({
  name: "the scale_apical_morph_86 example plugin gives the same cell as the built-in",
  ignore: sharedDir() === undefined,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "simrun_plugin_" });
    try {
      const stock = sharedPath(
        "data",
        "isf_example",
        "biophysical_constraints",
        "86_C2_center.param",
      );
      const text = await Deno.readTextFile(stock);
      const key = '"scale_apical_morph_86"';
      assert.ok(text.includes(key), "the stock param no longer names scale_apical_morph_86");
      // The same param with the built-in replaced by the example plugin (path relative to the
      // param file).
      const plugin = fileURLToPath(
        new URL("../examples/plugins/scale_apical_morph_86.ts", import.meta.url),
      );
      const userParam = `${dir}/86_user_plugin.param`;
      await Deno.writeTextFile(userParam, text.replace(key, JSON.stringify(plugin)));
      const pathMap = parsePathMap(isfPathMap());
      const builtin = await createCell(stock, { pathMap });
      const user = await createCell(userParam, {
        pathMap,
        cellModify: { resolvePlugin: userPluginResolver() },
      });
      const a = inspectTables(builtin.cell);
      const b = inspectTables(user.cell);
      assert.equal(b.sections, a.sections);
      assert.equal(b.segments, a.segments);
      // And the plugin did something: 33 sections carry 2.5 × their hoc diameters (float32).
      let scaled = 0;
      for (const s of user.cell.sections) {
        if (Math.abs(s.diam[0] / s.hocDiam[0] - 2.5) < 1e-6) scaled++;
      }
      assert.equal(scaled, 33);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
