import assert from "node:assert/strict";
import { JobFolder, resultsDir, timestamp } from "./output_dir.ts";
import { parseTar } from "./tar.ts";

Deno.test("timestamp() is strftime %Y%m%d-%H%M in local time", () => {
  assert.equal(timestamp(new Date(2025, 11, 31, 23, 59, 59)), "20251231-2359");
  assert.equal(timestamp(new Date(999, 0, 1, 0, 0)), "09990101-0000");
});

Deno.test("resultsDir() joins like os.path.join", () => {
  assert.equal(resultsDir(""), "results");
  assert.equal(resultsDir("out"), "out/results");
  assert.equal(resultsDir("out/"), "out/results");
});

Deno.test("JobFolder renames with a fresh timestamp and never overwrites", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    let t = new Date(2025, 0, 1, 9, 30);
    const f = await JobFolder.create(tmp, "seed5_pid7", { hostname: "node1", now: () => t });
    assert.equal(f.path, `${tmp}/results/20250101-0930_seed5_pid7_running`);
    assert.equal((await Deno.stat(f.file("hostname_node1"))).size, 0);
    t = new Date(2025, 0, 1, 9, 31);
    assert.equal(await f.finish(), `${tmp}/results/20250101-0931_seed5_pid7`);
    // Same minute again: the final folder exists, so creation refuses.
    await assert.rejects(
      () => JobFolder.create(tmp, "seed5_pid7", { hostname: "node1", now: () => t }),
      Deno.errors.AlreadyExists,
    );
    // Finishing into a folder that appeared meanwhile: refused, and the _running folder stays.
    const k = await JobFolder.create(tmp, "seed6_pid7", { hostname: "n", now: () => t });
    await Deno.mkdir(`${tmp}/results/20250101-0931_seed6_pid7`);
    await assert.rejects(() => k.finish(), Deno.errors.AlreadyExists);
    assert.ok((await Deno.stat(k.path)).isDirectory);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("JobFolder.finish({tar}) leaves only <final>.tar with ./<file> members", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const now = () => new Date(2025, 0, 1, 9, 30);
    const f = await JobFolder.create(tmp, "seed1_pid2", { hostname: "h", now });
    await Deno.writeTextFile(f.file("a.csv"), "x\n");
    const out = await f.finish({ tar: true });
    assert.equal(out, `${tmp}/results/20250101-0930_seed1_pid2.tar`);
    const left = [];
    for await (const e of Deno.readDir(`${tmp}/results`)) left.push(e.name);
    assert.deepEqual(left, ["20250101-0930_seed1_pid2.tar"]);
    const names = parseTar(await Deno.readFile(out)).map((m) => m.name);
    assert.deepEqual(names, ["./a.csv", "./hostname_h"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
