import assert from "node:assert/strict";
import { unpackTar } from "modern-tar";
import { folderName, JobFolder, resultsDir, timestamp } from "./output_dir.ts";

Deno.test("timestamp() is strftime %Y%m%d-%H%M in local time", () => {
  assert.equal(timestamp(new Date(2025, 11, 31, 23, 59, 59)), "20251231-2359");
  assert.equal(timestamp(new Date(999, 0, 1, 0, 0)), "09990101-0000");
});

Deno.test("resultsDir() joins like os.path.join", () => {
  assert.equal(resultsDir(""), "results");
  assert.equal(resultsDir("out"), "out/results");
  assert.equal(resultsDir("out/"), "out/results");
});

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

Deno.test("folderName() appends _<k> from the second name on", () => {
  assert.equal(folderName("20250101-0930", "seed5_pid7", 1), "20250101-0930_seed5_pid7");
  assert.equal(folderName("20250101-0930", "seed5_pid7", 3), "20250101-0930_seed5_pid7_3");
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
    // Same minute again: the finished folder is kept, the new job takes the next name.
    const g = await JobFolder.create(tmp, "seed5_pid7", { hostname: "node1", now: () => t });
    await Deno.writeTextFile(g.file("b.csv"), "b\n");
    assert.equal(await g.finish(), `${tmp}/results/20250101-0931_seed5_pid7_2`);
    assert.deepEqual(await names(`${tmp}/results/20250101-0931_seed5_pid7`), ["hostname_node1"]);
    assert.deepEqual(await names(`${tmp}/results/20250101-0931_seed5_pid7_2`), [
      "b.csv",
      "hostname_node1",
    ]);
    // A folder that appeared meanwhile under the final name is not touched either.
    const k = await JobFolder.create(tmp, "seed6_pid7", { hostname: "n", now: () => t });
    await Deno.mkdir(`${tmp}/results/20250101-0931_seed6_pid7`);
    assert.equal(await k.finish(), `${tmp}/results/20250101-0931_seed6_pid7_2`);
    assert.deepEqual(await names(`${tmp}/results/20250101-0931_seed6_pid7`), []);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("JobFolder.create() never adopts a killed run's _running folder", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const now = () => new Date(2025, 0, 1, 9, 30);
    // A killed run: its _running folder holds three sweeps' files.
    const killed = await JobFolder.create(tmp, "seed5_pid7", { hostname: "a", now });
    for (const s of [0, 1, 2]) await Deno.writeTextFile(killed.file(`sweep${s}.csv`), "old\n");
    // The rerun with the same seed and pid in the same minute gets its own folder.
    const rerun = await JobFolder.create(tmp, "seed5_pid7", { hostname: "b", now });
    assert.equal(rerun.path, `${tmp}/results/20250101-0930_seed5_pid7_2_running`);
    assert.deepEqual(await names(rerun.path), ["hostname_b"]);
    await Deno.writeTextFile(rerun.file("sweep0.csv"), "new\n");
    const final = await rerun.finish();
    assert.deepEqual(await names(final), ["hostname_b", "sweep0.csv"]);
    assert.equal(await Deno.readTextFile(`${final}/sweep0.csv`), "new\n");
    assert.deepEqual(await names(killed.path), [
      "hostname_a",
      "sweep0.csv",
      "sweep1.csv",
      "sweep2.csv",
    ]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("JobFolder: concurrent jobs with the same seed and pid never share a folder", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const now = () => new Date(2025, 0, 1, 9, 30);
    const n = 40;
    const jobs = await Promise.all(
      Array.from(
        { length: n },
        (_, i) => JobFolder.create(tmp, "seed5_pid7", { hostname: `h${i}`, now }),
      ),
    );
    assert.equal(new Set(jobs.map((j) => j.path)).size, n);
    for (const [i, j] of jobs.entries()) {
      assert.deepEqual(await names(j.path), [`hostname_h${i}`]);
      await Deno.writeTextFile(j.file("data.csv"), `${i}\n`);
    }
    // Half finish as folders, half as archives, all at once.
    const finals = await Promise.all(jobs.map((j, i) => j.finish({ tar: i % 2 === 1 })));
    assert.equal(new Set(finals.map((f) => f.replace(/\.tar$/, ""))).size, n);
    for (const [i, f] of finals.entries()) {
      if (f.endsWith(".tar")) {
        const members = await unpackTar(await Deno.readFile(f));
        assert.deepEqual(members.map((m) => m.header.name), ["./data.csv", `./hostname_h${i}`]);
        assert.equal(new TextDecoder().decode(members[0]!.data), `${i}\n`);
      } else {
        assert.deepEqual(await names(f), ["data.csv", `hostname_h${i}`]);
        assert.equal(await Deno.readTextFile(`${f}/data.csv`), `${i}\n`);
      }
    }
    assert.equal((await names(`${tmp}/results`)).length, n);
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
    assert.deepEqual(await names(`${tmp}/results`), ["20250101-0930_seed1_pid2.tar"]);
    const members = await unpackTar(await Deno.readFile(out));
    assert.deepEqual(members.map((m) => m.header.name), ["./a.csv", "./hostname_h"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("JobFolder.finish({tar}) that fails leaves the _running folder and no archive", async () => {
  const tmp = await Deno.makeTempDir();
  try {
    const now = () => new Date(2025, 0, 1, 9, 30);
    const f = await JobFolder.create(tmp, "seed1_pid2", { hostname: "h", now });
    // A link is no regular file (a folder would be archived: a recorder's plugins/<name>/).
    await Deno.symlink("/", f.file("not_a_file"));
    await assert.rejects(() => f.finish({ tar: true }), /regular files only/);
    assert.deepEqual(await names(`${tmp}/results`), ["20250101-0930_seed1_pid2_running"]);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
