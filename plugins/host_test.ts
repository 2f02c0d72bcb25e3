import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PluginError } from "../io/mod.ts";
import { describeCell } from "./cell_description.ts";
import { PluginProcess } from "./host.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";

const FIXTURE = fileURLToPath(new URL("./testdata/misbehaving_cell_modify.ts", import.meta.url));

/** True while a process with this id exists (SIGCONT changes nothing for a running process). */
function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

Deno.test("PluginProcess runs requests in order and stays usable after a plugin error", async () => {
  const p = await PluginProcess.start(FIXTURE, { kind: "cellModify", name: "fixture" });
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
    await p.close();
    await p.close();
  }
});

Deno.test("PluginProcess fails every later call after a time limit, and after close()", async () => {
  const p = await PluginProcess.start(FIXTURE, { kind: "cellModify", timeLimitMs: 1000 });
  const cell = describeCell(tinyCell());
  const limit = /ran past its time limit of 1 s in cellModify\(\) and was stopped/;
  await assert.rejects(p.call({ op: "cellModify", cell, args: { action: "hang" } }), limit);
  await assert.rejects(p.call({ op: "cellModify", cell, args: { action: "none" } }), limit);
  await p.close();
  const q = await PluginProcess.start(FIXTURE, { kind: "cellModify" });
  await q.close();
  await assert.rejects(q.call({ op: "cellModify", cell, args: {} }), /is closed/);
});

Deno.test("PluginProcess.close() ends the process before it returns", async () => {
  const p = await PluginProcess.start(FIXTURE, { kind: "cellModify" });
  assert.ok(alive(p.pid), "the plugin's process is not running");
  await p.close();
  assert.equal(alive(p.pid), false, "the plugin's process outlived close()");
});

Deno.test("PluginProcess.start() checks the export of the plugin's kind and its limits", async () => {
  await assert.rejects(
    PluginProcess.start(FIXTURE, { kind: "recorder", name: "fixture" }),
    /Plugin "fixture": loading the module failed: TypeError: a recorder plugin must export/,
  );
  await assert.rejects(
    PluginProcess.start(FIXTURE, { kind: "cellModify", timeLimitMs: 0 }),
    /--plugin-time-limit: Time limit must be more than 0 and at most 315000000000 s \(10 000 years\), got 0 s/,
  );
  await assert.rejects(
    PluginProcess.start(FIXTURE, { kind: "cellModify", timeLimitMs: Infinity }),
    /got Infinity s/,
  );
  await assert.rejects(
    PluginProcess.start(FIXTURE, { kind: "cellModify", memoryLimitMb: 1 }),
    /Memory limit must be an integer of at least 16 MiB, got 1/,
  );
  await assert.rejects(
    PluginProcess.start(fileURLToPath(new URL("./testdata/absent.ts", import.meta.url)), {
      kind: "cellModify",
      name: "absent.ts",
    }),
    (e: unknown) =>
      e instanceof PluginError && /cannot load the module: no such file/.test(e.message),
  );
});

Deno.test("PluginProcess sends console output to onLog, one sanitized line each", async () => {
  const lines: string[] = [];
  const p = await PluginProcess.start(FIXTURE, {
    kind: "cellModify",
    onLog: (line) => lines.push(line),
  });
  try {
    const cell = describeCell(tinyCell());
    assert.deepEqual(await p.call({ op: "cellModify", cell, args: { action: "log" } }), {
      pointProcesses: [],
    });
  } finally {
    await p.close();
  }
  assert.deepEqual(lines, [
    "hello from the plugin { sections: 3 }",
    "red line",
    "second line",
  ]);
});

Deno.test("PluginProcess: a time limit beyond a timer's 24.8 days does not fire at once", async () => {
  // 30 days: setTimeout would overflow its 32-bit delay and fire immediately.
  const p = await PluginProcess.start(FIXTURE, {
    kind: "cellModify",
    timeLimitMs: 30 * 24 * 3600 * 1000,
  });
  try {
    const cell = describeCell(tinyCell());
    assert.deepEqual(await p.call({ op: "cellModify", cell, args: { action: "wait", ms: 300 } }), {
      pointProcesses: [],
    });
  } finally {
    await p.close();
  }
});

Deno.test("PluginProcess.start() refuses a folder with a comma (Deno's flag lists split on it)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_a,b_" });
  try {
    await Deno.copyFile(FIXTURE, `${dir}/p.ts`);
    await assert.rejects(
      PluginProcess.start(`${dir}/p.ts`, { kind: "cellModify", name: "p.ts" }),
      (e: unknown) =>
        e instanceof PluginError &&
        /^Plugin "p\.ts": cannot sandbox a path that contains a comma: ".*a,b.*" \(rename or move it\)$/
          .test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
