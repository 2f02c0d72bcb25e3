/**
 * `--threads T` through the real CLI on the small example model: the sweeps of a job simulated in
 * T sweep workers give byte-identical files to `--threads 1` (both random-stream kinds, replay,
 * several jobs) and to sweeps simulated one at a time (`--engine scalar`: the default pairs them
 * in lock-step lanes), recorder plugins still get the sweeps in order, a failing recorder still leaves
 * only the `_running` folder with exit code 1, and a bad T is a usage error.
 *
 * @module
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";

const MODEL = `${repoDir()}/examples/model`;
const CELL = `${MODEL}/example_pyramid.param`;
const NETWORK = `${MODEL}/example_network.param`;

/**
 * A recorder that appends, per sweep, the sweep number and the soma voltage's checksum to
 * `order.txt` (the order it gets the sweeps in) and writes `order_done.txt` at the end.
 */
const ORDER_RECORDER = `
export const recorder = {
  sites() { return [{ section: 0, x: 0.5 }]; },
  async sweep(data, ctx) {
    let sum = 0;
    for (const v of data.values[0]) sum += v;
    await Deno.writeTextFile(ctx.outDir + "/order.txt", data.sweep + " " + sum + "\\n", { append: true });
  },
  async finish(ctx) { await Deno.writeTextFile(ctx.outDir + "/order_done.txt", "done\\n"); },
};
`;

/** A recorder that fails on sweep 1 (while other sweeps are still being simulated). */
const FAILING_RECORDER = `
export const recorder = {
  sites() { return [{ section: 0, x: 0.5 }]; },
  sweep(data) { if (data.sweep === 1) throw new Error("recorder gave up on sweep 1"); },
};
`;

async function listDir(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) out.push(e.name);
  return out.sort();
}

/**
 * Every result folder under `prefix/results` with its files, names made comparable: the
 * timestamp and pid dropped from folder names, `seed<S>_pid<P>_` from file names.
 */
async function results(prefix: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const d of await listDir(`${prefix}/results`)) {
    const files = new Map<string, string>();
    for (const f of await listDir(`${prefix}/results/${d}`)) {
      if (f === "plugins") {
        // The recorders' own folders: plugins/<name>/<file>.
        for (const p of await listDir(`${prefix}/results/${d}/plugins`)) {
          for (const g of await listDir(`${prefix}/results/${d}/plugins/${p}`)) {
            files.set(
              `plugins/${p}/${g}`,
              await Deno.readTextFile(`${prefix}/results/${d}/plugins/${p}/${g}`),
            );
          }
        }
        continue;
      }
      files.set(
        f.replace(/^seed\d+_pid\d+_/, ""),
        await Deno.readTextFile(`${prefix}/results/${d}/${f}`),
      );
    }
    out.set(d.replace(/^\d{8}-\d{4}_/, "").replace(/_pid\d+/, ""), files);
  }
  return out;
}

/** Asserts that two result sets have the same folders, file names and bytes. */
function assertSameResults(
  a: Map<string, Map<string, string>>,
  b: Map<string, Map<string, string>>,
  what: string,
): void {
  assert.deepEqual([...b.keys()], [...a.keys()], `${what}: result folders`);
  for (const [dir, files] of a) {
    const other = b.get(dir)!;
    assert.deepEqual([...other.keys()], [...files.keys()], `${what}: files of ${dir}`);
    for (const [name, text] of files) {
      assert.ok(other.get(name) === text, `${what}: ${dir}/${name} differs`);
    }
  }
}

/** `simrun <args> --dir-prefix prefix --quiet` in a fresh folder `prefix`. */
async function simrun(prefix: string, args: string[]): Promise<{ code: number; stderr: string }> {
  await Deno.mkdir(prefix, { recursive: true });
  return await runCli([...args, "--dir-prefix", prefix, "--quiet"], { cwd: prefix });
}

for (const rng of ["simrun", "isf"] as const) {
  Deno.test(`run --rng ${rng} --threads 2 and 3 write the same bytes as --threads 1`, async () => {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_threads_" });
    try {
      const recorder = `${tmp}/order_recorder.js`;
      await Deno.writeTextFile(recorder, ORDER_RECORDER);
      // 4 sweeps of 60 ms: with 2 and 3 workers, sweeps finish out of order at times.
      const args = [
        "run",
        CELL,
        NETWORK,
        "--sweeps",
        "4",
        "--tstop",
        "60",
        "--seed",
        "11",
        "--rng",
        rng,
        "--plugin",
        recorder,
      ];
      const base = await simrun(`${tmp}/t1`, [...args, "--threads", "1"]);
      assert.equal(base.code, 0, base.stderr);
      const expected = await results(`${tmp}/t1`);
      const [files] = [...expected.values()];
      // 2 per sweep, hostname_vm, 2 traces, 2 params, the recorder's 2.
      assert.equal(files!.size, 2 * 4 + 5 + 2, [...files!.keys()].join(", "));
      // The recorder got sweeps 0..3 in order.
      assert.deepEqual(
        files!.get("plugins/order_recorder/order.txt")!.trimEnd().split("\n").map((l) =>
          Number(l.split(" ")[0])
        ),
        [0, 1, 2, 3],
      );
      for (const threads of ["2", "3"]) {
        const r = await simrun(`${tmp}/t${threads}`, [...args, "--threads", threads]);
        assert.equal(r.code, 0, r.stderr);
        assertSameResults(expected, await results(`${tmp}/t${threads}`), `--threads ${threads}`);
      }
      // The default engine runs the sweeps of a job in lock-step pairs where the runtime has
      // WebAssembly SIMD; the scalar tier runs them one at a time, with the same bits.
      const single = await simrun(`${tmp}/scalar`, [...args, "--engine", "scalar"]);
      assert.equal(single.code, 0, single.stderr);
      assertSameResults(expected, await results(`${tmp}/scalar`), "--engine scalar");
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  });
}

Deno.test("run --nprocs 2 --threads 2 writes the same bytes as --nprocs 2 --threads 1", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_threads_" });
  try {
    const args = ["run", CELL, NETWORK, "--nprocs", "2", "--sweeps", "2", "--tstop", "40"];
    const seeded = [...args, "--seed", "12"];
    const base = await simrun(`${tmp}/t1`, [...seeded, "--threads", "1"]);
    assert.equal(base.code, 0, base.stderr);
    const expected = await results(`${tmp}/t1`);
    assert.equal(expected.size, 2);
    const r = await simrun(`${tmp}/t2`, [...seeded, "--threads", "2"]);
    assert.equal(r.code, 0, r.stderr);
    assertSameResults(expected, await results(`${tmp}/t2`), "--nprocs 2 --threads 2");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("replay --threads 2 writes the same bytes as --threads 1", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_threads_" });
  try {
    const made = await simrun(`${tmp}/run`, [
      "run",
      CELL,
      NETWORK,
      "--sweeps",
      "3",
      "--tstop",
      "50",
      "--seed",
      "13",
    ]);
    assert.equal(made.code, 0, made.stderr);
    const [dir] = await listDir(`${tmp}/run/results`);
    const files = [0, 1, 2].map((k) =>
      `${tmp}/run/results/${dir}/simulation_run000${k}_synapses.csv`
    );
    const args = ["replay", CELL, NETWORK, ...files, "--tstop", "50"];
    const base = await simrun(`${tmp}/t1`, [...args, "--threads", "1"]);
    assert.equal(base.code, 0, base.stderr);
    const r = await simrun(`${tmp}/t2`, [...args, "--threads", "2"]);
    assert.equal(r.code, 0, r.stderr);
    const expected = await results(`${tmp}/t1`);
    assert.ok([...expected.values()][0]!.has("simulation_run0000002_synapses.csv"));
    assertSameResults(expected, await results(`${tmp}/t2`), "replay --threads 2");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("a failing recorder with --threads 2 exits 1 and leaves only the _running folder", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_threads_" });
  try {
    const plugin = `${tmp}/failing.js`;
    await Deno.writeTextFile(plugin, FAILING_RECORDER);
    const r = await simrun(`${tmp}/out`, [
      "run",
      CELL,
      NETWORK,
      "--sweeps",
      "4",
      "--tstop",
      "30",
      "--seed",
      "14",
      "--threads",
      "2",
      "--plugin",
      plugin,
    ]);
    assert.equal(r.code, 1, r.stderr);
    const line = r.stderr.trim();
    assert.equal(line.split("\n").length, 1, `one line expected:\n${r.stderr}`);
    assert.ok(line.startsWith(`simrun: Plugin "${plugin}": `), line);
    assert.match(line, /recorder gave up on sweep 1/);
    const left = await listDir(`${tmp}/out/results`);
    assert.equal(left.length, 1, left.join(", "));
    assert.match(left[0]!, /_seed14_pid\d+_running$/);
    // Sweep 0 was written before the failure, sweep 1's recorder call failed: no later traces.
    const inside = await listDir(`${tmp}/out/results/${left[0]}`);
    assert.ok(inside.includes("simulation_run0000_synapses.csv"), inside.join(", "));
    assert.ok(!inside.some((n) => n.endsWith("_vm_all_traces.csv")), inside.join(", "));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("--threads must be an integer >= 1 (usage error, exit 2, nothing written)", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_threads_" });
  try {
    for (const bad of ["0", "1.5", "-2", "two"]) {
      for (const cmd of [["run", CELL, NETWORK], ["replay", CELL, NETWORK, "x.csv"]]) {
        const r = await simrun(`${tmp}/out`, [...cmd, `--threads=${bad}`]);
        assert.equal(r.code, 2, `${cmd[0]} --threads ${bad}: ${r.stderr}`);
        assert.match(r.stderr, /--threads expects an integer in \[1, 1024\]/);
      }
    }
    assert.deepEqual(await listDir(`${tmp}/out`), []);
    const help = await runCli(["run", "--help"]);
    assert.match(help.stdout, /--threads T +sweeps of each job simulated in parallel/);
    assert.match(help.stdout, /results are identical for any T/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
