import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { InputValueError, PluginError } from "../io/mod.ts";
import { openRecorderHook, openRecorders } from "./recorder.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";

const FIXTURE = fileURLToPath(new URL("./testdata/misbehaving_recorder.ts", import.meta.url));

async function listDir(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

Deno.test("openRecorders() validates sites and the number of delivered traces", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const bad = await openRecorders([{ path: FIXTURE, args: { action: "badSites" } }], { jobDir });
    await assert.rejects(
      bad.sites(tinyCell()),
      (e: unknown) =>
        e instanceof InputValueError &&
        e.message ===
          `plugin ${FIXTURE}: recorder.sites()[0]: section must be a section index 0..2, got 99`,
    );
    await bad.close().catch(() => {});

    const rec = await openRecorders([
      { path: FIXTURE, name: "a", args: { action: "writeInside" } },
      { path: FIXTURE, name: "b", args: {} },
    ], { jobDir });
    try {
      // Each recorder has its own folder, named after the module and made unique.
      assert.deepEqual(rec.folders.map((f) => f.slice(jobDir.length)), [
        "/plugins/misbehaving_recorder",
        "/plugins/misbehaving_recorder_2",
      ]);
      const t = Float64Array.from([0, 0.025]);
      await assert.rejects(rec.deliver(0, t, []), /deliver\(\) before sites\(\)/);
      assert.equal((await rec.sites(tinyCell())).length, 2);
      await assert.rejects(rec.deliver(0, t, [t]), /expected 2 traces/);
      // The traces are copied into the message: the caller's arrays stay intact.
      const a = Float64Array.from([1, 2]), b = Float64Array.from([3, 4]);
      await rec.deliver(0, t, [a, b]);
      assert.deepEqual([...a, ...b], [1, 2, 3, 4]);
      const shared = new Float64Array(4).fill(-70);
      await rec.deliver(1, t, [shared.subarray(0, 2), shared.subarray(2)]);
      await rec.close();
      assert.equal(await Deno.readTextFile(`${rec.folders[0]}/soma_run1.txt`), "2 -70\n");
      // The second recorder wrote nothing: its empty folder is removed.
      assert.deepEqual(await listDir(`${jobDir}/plugins`), ["misbehaving_recorder"]);
    } finally {
      rec.abort();
    }
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});

Deno.test("openRecorders() fails with the plugin's error when a module cannot load", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const other = fileURLToPath(new URL("./testdata/no_export.ts", import.meta.url));
    await assert.rejects(
      openRecorders([{ path: FIXTURE }, { path: other, name: "no_export.ts" }], { jobDir }),
      (e: unknown) => e instanceof PluginError && e.plugin === "no_export.ts",
    );
    assert.deepEqual(await listDir(jobDir), [], "folders of recorders that never ran are removed");
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});

Deno.test("openRecorderHook() asks for the sites once and serves them synchronously", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const hook = await openRecorderHook([{ path: FIXTURE, args: { action: "writeInside" } }], {
      jobDir,
      cell: tinyCell(),
    });
    assert.deepEqual(hook.sites(), [
      {
        section: 0,
        x: 0.5,
        where: { file: `plugin ${FIXTURE}`, key: "recorder.sites()[0]" },
      },
    ]);
    await hook.deliver(7, Float64Array.from([0]), [Float64Array.from([-70])]);
    await hook.close();
    assert.equal(
      await Deno.readTextFile(`${jobDir}/plugins/misbehaving_recorder/soma_run7.txt`),
      "1 -70\n",
    );
    await assert.rejects(
      openRecorderHook([{ path: FIXTURE, args: { action: "badSites" } }], {
        jobDir,
        cell: tinyCell(),
      }),
      /section must be a section index/,
    );
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});

Deno.test("Session.close() ends every recorder's process and restores its folder's modes", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const rec = await openRecorders([{ path: FIXTURE, args: { action: "chmodOwn" } }], { jobDir });
    await rec.sites(tinyCell());
    await rec.deliver(0, Float64Array.from([0]), [Float64Array.from([-70])]);
    await rec.close();
    for (const pid of rec.pids) {
      assert.throws(
        () => Deno.kill(pid, "SIGCONT"),
        Deno.errors.NotFound,
        "process outlived close()",
      );
    }
    const dir = rec.folders[0];
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o755);
    assert.equal((await Deno.stat(`${dir}/own.txt`)).mode! & 0o777, 0o644);
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});

Deno.test("deliver() returns with the traces in the recorder's hands: it works while the caller computes", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const rec = await openRecorders([{ path: FIXTURE, args: { action: "writeInside" } }], {
      jobDir,
    });
    try {
      await rec.sites(tinyCell());
      // 4 MB: far more than a pipe holds, so a frame left in the pipe would wait for our event loop.
      const big = new Float64Array(500_000).fill(-65);
      await rec.deliver(0, new Float64Array(500_000), [big]);
      // A long synchronous computation (a sweep), no await: the recorder must finish meanwhile.
      const file = `${rec.folders[0]}/soma_run0.txt`;
      const t0 = performance.now();
      let seen = false;
      while (!seen && performance.now() - t0 < 2000) {
        try {
          seen = Deno.statSync(file).size > 0;
        } catch {
          // Not yet.
        }
      }
      assert.ok(seen, "the recorder got its traces only after the caller's computation");
      await rec.close();
      assert.equal(await Deno.readTextFile(file), "500000 -65\n");
    } finally {
      rec.abort();
    }
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});
