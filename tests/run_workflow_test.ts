/**
 * `simrun run` end to end: ISF's example against ISF's own output folder (B_run_new_simulations),
 * and the promises of the workflow on the small example model (parallel jobs equal single jobs,
 * `--tar`, `--sweep-range`, replay).
 */
import assert from "node:assert/strict";
import { unpackTar } from "modern-tar";
import { compareActivationFiles } from "./_activation_compare.ts";
import { deriveSeed } from "../simrun/seeds.ts";
import { runCli } from "./_cli.ts";
import { compareTraces, generic, listDir, readTraces, resultOf } from "./_traces.ts";
import { isfExampleArgs, repoDir, sharedDir, sharedPath } from "./_shared.ts";

/** ISF's absolute prefix in the example params; the reference files hold the placeholder instead. */
const GPFS_ROOT = "/gpfs/soma_fs/scratch/meulemeester/project_src/in_silico_framework";

const MODEL = `${repoDir()}/examples/model`;

Deno.test({
  name: "simrun run --rng isf reproduces ISF's example job (files, synapses, traces, params)",
  ignore: sharedDir() === undefined,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_isf_" });
    try {
      const r = await runCli([
        "run",
        ...isfExampleArgs(),
        "--sweeps",
        "2",
        "--nprocs",
        "1",
        // The reference job was run through _evoked_activity, whose default tStop is the float 345.0.
        "--tstop",
        "345.0",
        "--dir-prefix",
        tmp,
        "--quiet",
      ], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      const dir = await resultOf(tmp);
      assert.match(dir, /\/\d{8}-\d{4}_seed20250101_pid\d+$/);
      const ref = sharedPath("reference", "network", "B_run_new_simulations");
      const ours = await listDir(dir);
      const theirs = await listDir(ref);
      assert.deepEqual(
        ours.map(generic).sort(),
        [...theirs.map(generic), "hostname_<host>"].sort(),
      );
      assert.equal(
        (await Deno.stat(`${dir}/${ours.find((n) => n.startsWith("hostname_"))}`)).size,
        0,
      );
      // The loops below compare every reference file; guard them against an empty listing.
      const counts = (end: string) => theirs.filter((n) => n.endsWith(end)).length;
      assert.deepEqual(
        [counts("_synapses.csv"), counts("_presynaptic_cells.csv"), counts("_traces.csv")],
        [2, 2, 2],
        "reference files: 2 sweeps × 2 activation files, 2 trace files",
      );
      assert.equal(counts(".param"), 2, "reference files: network and neuron params");
      for (const name of theirs.filter((n) => n.startsWith("simulation_run"))) {
        compareActivationFiles(
          await Deno.readTextFile(`${dir}/${name}`),
          await Deno.readTextFile(`${ref}/${name}`),
          name,
          name.includes("_synapses") ? 6 : 2,
        );
      }
      for (const name of theirs.filter((n) => n.endsWith("_traces.csv"))) {
        const mine = ours.find((n) => generic(n) === generic(name))!;
        compareTraces(
          readTraces(await Deno.readTextFile(`${dir}/${mine}`)),
          readTraces(await Deno.readTextFile(`${ref}/${name}`)),
          generic(name),
        );
      }
      // Saved params (outputs.md §6): ISF's json.dump of the inputs with sim.tStop = the argument.
      for (const name of theirs.filter((n) => n.endsWith(".param"))) {
        const mine = ours.find((n) => generic(n) === generic(name))!;
        const text = (await Deno.readTextFile(`${dir}/${mine}`)).replaceAll(
          GPFS_ROOT,
          "[IN_SILICO_FRAMEWORK_DIR]",
        );
        assert.equal(text, await Deno.readTextFile(`${ref}/${name}`), `${name} differs`);
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** Runs `simrun run` on the small example model into `<prefix>/results`. */
async function runModel(prefix: string, args: string[]): Promise<void> {
  await Deno.mkdir(prefix, { recursive: true });
  const r = await runCli([
    "run",
    `${MODEL}/example_pyramid.param`,
    `${MODEL}/example_network.param`,
    "--dir-prefix",
    prefix,
    "--quiet",
    ...args,
  ], { cwd: prefix });
  assert.equal(r.code, 0, r.stderr);
}

/** generic file name → content, for every file of a job folder. */
async function contents(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of await listDir(dir)) out.set(generic(n), await Deno.readTextFile(`${dir}/${n}`));
  return out;
}

async function jobDirs(prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const n of await listDir(`${prefix}/results`)) {
    out.set(/_seed(\d+)_/.exec(n)![1]!, `${prefix}/results/${n}`);
  }
  return out;
}

Deno.test("simrun run --nprocs 2 gives each job exactly what the same seed gives alone", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_par_" });
  try {
    const seed = 7, s1 = deriveSeed(seed, 1);
    const common = ["--sweeps", "2", "--tstop", "30"];
    await runModel(`${tmp}/both`, [...common, "--nprocs", "2", "--seed", String(seed)]);
    await runModel(`${tmp}/a`, [...common, "--seed", String(seed)]);
    await runModel(`${tmp}/b`, [...common, "--seed", String(s1)]);
    const both = await jobDirs(`${tmp}/both`);
    assert.deepEqual([...both.keys()].sort(), [String(seed), String(s1)].sort());
    assert.deepEqual(
      await contents(both.get(String(seed))!),
      await contents(await resultOf(`${tmp}/a`)),
    );
    assert.deepEqual(
      await contents(both.get(String(s1))!),
      await contents(await resultOf(`${tmp}/b`)),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun run --tar leaves one archive with the folder's files as ./<file>", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_tar_" });
  try {
    const common = ["--sweeps", "2", "--tstop", "20", "--seed", "3"];
    await runModel(`${tmp}/plain`, common);
    await runModel(`${tmp}/tar`, [...common, "--tar"]);
    const archive = await resultOf(`${tmp}/tar`);
    assert.match(archive, /_seed3_pid\d+\.tar$/);
    const members = (await unpackTar(await Deno.readFile(archive), { strict: true }))
      .map((m) => ({ name: m.header.name, data: m.data ?? new Uint8Array(0) }));
    const folder = await contents(await resultOf(`${tmp}/plain`));
    const dec = new TextDecoder();
    assert.deepEqual(
      members.map((m) => generic(m.name.slice(2))).sort(),
      [...folder.keys()].sort(),
    );
    assert.ok(members.every((m) => m.name.startsWith("./")));
    for (const m of members) {
      assert.equal(dec.decode(m.data), folder.get(generic(m.name.slice(2))), m.name);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun run --sweep-range 1:3 writes the same sweep files as a full run", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_range_" });
  try {
    await runModel(`${tmp}/full`, ["--sweeps", "3", "--tstop", "20", "--seed", "11"]);
    await runModel(`${tmp}/part`, ["--sweep-range", "1:3", "--tstop", "20", "--seed", "11"]);
    const full = await contents(await resultOf(`${tmp}/full`));
    const part = await contents(await resultOf(`${tmp}/part`));
    for (const n of ["0001", "0002"]) {
      for (const kind of ["synapses", "presynaptic_cells"]) {
        const f = `simulation_run${n}_${kind}.csv`;
        assert.ok(part.has(f), `${f} missing`);
        assert.equal(part.get(f), full.get(f), f);
      }
    }
    assert.ok(!part.has("simulation_run0000_synapses.csv"));
    assert.match(part.get("vm_all_traces.csv")!, /^t\tVm run 01\tVm run 02\n/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun network writes the same sweep files as simrun run", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_netonly_" });
  try {
    const common = ["--seed", "11", "--sweeps", "2", "--tstop", "20"];
    await runModel(`${tmp}/run`, common);
    const r = await runCli([
      "network",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      ...common,
      "--out",
      `${tmp}/net`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const run = await contents(await resultOf(`${tmp}/run`));
    const net = await listDir(`${tmp}/net`);
    assert.equal(net.length, 4);
    for (const f of net) assert.equal(await Deno.readTextFile(`${tmp}/net/${f}`), run.get(f), f);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** Replay re-simulates the same synaptic input; only event order inside a lumped synapse may change rounding [mV]. */
const REPLAY_MAX_DV_MV = 1e-6;

Deno.test("simrun replay of a run's synapse files reproduces its soma traces", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_replay_" });
  try {
    await runModel(`${tmp}/run`, ["--sweeps", "2", "--tstop", "60", "--seed", "5"]);
    const run = await resultOf(`${tmp}/run`);
    const files = [
      `${run}/simulation_run0000_synapses.csv`,
      `${run}/simulation_run0001_synapses.csv`,
    ];
    await Deno.mkdir(`${tmp}/replay`);
    const r = await runCli([
      "replay",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      ...files,
      "--tstop",
      "60",
      "--dir-prefix",
      `${tmp}/replay`,
      "--quiet",
    ], { cwd: `${tmp}/replay` });
    assert.equal(r.code, 0, r.stderr);
    const rep = await resultOf(`${tmp}/replay`);
    assert.match(rep, /_seed00000_pid\d+$/);
    const names = await listDir(rep);
    assert.ok(names.includes("simulation_run0000001_synapses.csv"), names.join(", "));
    assert.equal(
      await Deno.readTextFile(`${rep}/synapse_file_paths.csv`),
      `synapse_file,number\n${files[0]},0000000\n${files[1]},0000001\n`,
    );
    const a = readTraces(
      await Deno.readTextFile(
        `${run}/${(await listDir(run)).find((n) => n.endsWith("vm_all_traces.csv"))}`,
      ),
    );
    const b = readTraces(
      await Deno.readTextFile(`${rep}/${names.find((n) => n.endsWith("vm_all_traces.csv"))}`),
    );
    assert.equal(a.t.length, b.t.length);
    // 60 ms at 0.025 ms: 2401 samples, 2 sweeps (guards the loops below against empty traces).
    assert.equal(a.t.length, 2401);
    assert.equal(b.columns.length, 2);
    for (const c of [0, 1]) {
      let worst = 0;
      for (let k = 0; k < a.t.length; k++) {
        worst = Math.max(worst, Math.abs(a.columns[c]![k]! - b.columns[c]![k]!));
      }
      assert.ok(worst <= REPLAY_MAX_DV_MV, `sweep ${c}: max |ΔV| ${worst} mV`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun replay with lognormal weights draws them reproducibly", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_replay_lognormal_" });
  try {
    await runModel(`${tmp}/run`, ["--sweeps", "1", "--tstop", "40", "--seed", "5"]);
    const run = await resultOf(`${tmp}/run`);
    // The example network with lognormal weight draws for every receptor.
    const fixed = (await Deno.readTextFile(`${MODEL}/example_network.param`))
      .replaceAll('"example_pyramid.', `"${MODEL}/example_pyramid.`);
    const net = fixed.replaceAll(
      '"threshold": 0.0,',
      '"threshold": 0.0, "weightDistribution": "lognormal",',
    );
    assert.ok(net.includes("lognormal"));
    await Deno.writeTextFile(`${tmp}/lognormal_network.param`, net);
    await Deno.writeTextFile(`${tmp}/fixed_network.param`, fixed);
    const replay = async (name: string, network = `${tmp}/lognormal_network.param`) => {
      await Deno.mkdir(`${tmp}/${name}`);
      const r = await runCli([
        "replay",
        `${MODEL}/example_pyramid.param`,
        network,
        `${run}/simulation_run0000_synapses.csv`,
        "--tstop",
        "40",
        "--dir-prefix",
        `${tmp}/${name}`,
        "--quiet",
      ], { cwd: `${tmp}/${name}` });
      assert.equal(r.code, 0, r.stderr);
      const dir = await resultOf(`${tmp}/${name}`);
      return readTraces(
        await Deno.readTextFile(
          `${dir}/${(await listDir(dir)).find((n) => n.endsWith("vm_all_traces.csv"))}`,
        ),
      ).columns[0]!;
    };
    const a = await replay("a");
    assert.deepEqual(a, await replay("b"));
    // The draws take effect: the trace differs from a replay with the fixed weights.
    assert.ok(a.length > 1);
    assert.notDeepEqual(a, await replay("fixed", `${tmp}/fixed_network.param`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
