import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PluginError } from "../io/mod.ts";
import { openRecorderHook, openRecorders } from "./recorder.ts";
import { tinyCell } from "./testdata/tiny_cell.ts";

const FIXTURE = fileURLToPath(new URL("./testdata/misbehaving_recorder.ts", import.meta.url));

Deno.test("openRecorders() validates sites and the number of delivered traces", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const bad = await openRecorders([{ path: FIXTURE, args: { action: "badSites" } }], { jobDir });
    await assert.rejects(
      bad.sites(tinyCell()),
      /sites\(\)\[0\]: section must be a section index 0\.\.2, got 99/,
    );
    bad.abort();

    const rec = await openRecorders([
      { path: FIXTURE, name: "a", args: { action: "writeInside" } },
      { path: FIXTURE, name: "b", args: {} },
    ], { jobDir });
    try {
      const t = Float64Array.from([0, 0.025]);
      await assert.rejects(rec.deliver(0, t, []), /deliver\(\) before sites\(\)/);
      assert.equal((await rec.sites(tinyCell())).length, 2);
      await assert.rejects(rec.deliver(0, t, [t]), /expected 2 traces/);
      // transfer: false copies, leaving the caller's arrays intact.
      const a = Float64Array.from([1, 2]), b = Float64Array.from([3, 4]);
      await rec.deliver(0, t, [a, b], { transfer: false });
      assert.deepEqual([...a, ...b], [1, 2, 3, 4]);
      // Two traces sharing one buffer are copied, not moved (moving one would empty the other).
      const shared = new Float64Array(4);
      await rec.deliver(1, t, [shared.subarray(0, 2), shared.subarray(2)]);
      assert.equal(shared.length, 4);
      await rec.close();
      assert.equal(await Deno.readTextFile(`${jobDir}/soma_run1.txt`), "2 0\n");
    } finally {
      rec.abort();
    }
  } finally {
    await Deno.remove(jobDir, { recursive: true });
  }
});

Deno.test("openRecorders() fails with the plugin's error when a module cannot load", async () => {
  const other = fileURLToPath(new URL("./testdata/no_export.ts", import.meta.url));
  await assert.rejects(
    openRecorders([{ path: FIXTURE }, { path: other, name: "no_export.ts" }], { jobDir: "." }),
    (e: unknown) => e instanceof PluginError && e.plugin === "no_export.ts",
  );
});

Deno.test("openRecorderHook() asks for the sites once and serves them synchronously", async () => {
  const jobDir = await Deno.makeTempDir({ prefix: "simrun_rec_" });
  try {
    const hook = await openRecorderHook([{ path: FIXTURE, args: { action: "writeInside" } }], {
      jobDir,
      cell: tinyCell(),
    });
    assert.deepEqual(hook.sites(), [{ section: 0, x: 0.5 }]);
    await hook.deliver(7, Float64Array.from([0]), [Float64Array.from([-70])]);
    await hook.close();
    assert.equal(await Deno.readTextFile(`${jobDir}/soma_run7.txt`), "1 -70\n");
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
