/**
 * `simrun plot` and `--plot` on the three kinds of result folder an ISF user has: a fresh simrun
 * run of the demo model, ISF's own output (reference/network/B_run_new_simulations), and a folder
 * laid out like ISF's stored 2015 example (pid-only names, Python-literal param copies with a
 * foreign /gpfs prefix, Python-2 12-digit numbers, traces from t = 100 ms, no presynaptic files;
 * made here from B). Each must give five figures as well-formed SVG and real PNG (≥ 400×300) and
 * an index.html that embeds them all; the marks must match counts taken from the files.
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import {
  activationCount,
  checkPlotsFolder,
  countMarks,
  FIGURES,
  upwardCrossings,
} from "./_plot_checks.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "./_shared.ts";

const MODEL = `${repoDir()}/examples/model`;

async function tempDir(prefix: string): Promise<string> {
  return await Deno.makeTempDir({ prefix });
}

/** The only result folder under `<dir>/results`. */
async function jobFolders(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(`${dir}/results`)) {
    if (e.isDirectory) out.push(`${dir}/results/${e.name}`);
  }
  return out.sort();
}

/** Soma spike marks must equal the upward 0 mV crossings of the drawn sweeps (all of them here). */
async function checkSpikeMarks(folder: string, plots: string, svgs: Map<string, string>) {
  const soma = [...Deno.readDirSync(folder)].find((e) => e.name.endsWith("vm_all_traces.csv"))!;
  const crossings = upwardCrossings(await Deno.readTextFile(`${folder}/${soma.name}`));
  const total = [...crossings.values()].reduce((a, b) => a + b, 0);
  assert.ok(total > 0, "the traces have spikes (else the check cannot fail)");
  assert.equal(countMarks(svgs.get("vm")!, "spikes"), total, `${plots}: spike marks in vm.svg`);
  assert.equal(
    countMarks(svgs.get("output")!, "output_spikes"),
    total,
    `${plots}: spike marks in output.svg`,
  );
  const summary = JSON.parse(await Deno.readTextFile(`${plots}/summary.json`));
  assert.deepEqual(
    summary.perSweep.map((s: { sweep: number; spikes: number }) => [s.sweep, s.spikes]),
    [...crossings],
  );
}

/** Raster marks must equal the activations in the sweep's activation file. */
async function checkRasterMarks(file: string, svgs: Map<string, string>) {
  const expected = activationCount(await Deno.readTextFile(file));
  assert.ok(expected > 0);
  assert.equal(countMarks(svgs.get("input_raster")!, "activations"), expected, `marks vs ${file}`);
}

Deno.test("simrun run --plot on the demo model, then simrun plot --sweeps --out: figures match the files", async () => {
  const tmp = await tempDir("simrun_plot_demo_");
  try {
    const r = await runCli([
      "run",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      "--sweeps",
      "2",
      "--seed",
      "20250101",
      "--dir-prefix",
      tmp,
      "--quiet",
      "--plot",
    ], { cwd: tmp });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "", "--quiet: nothing on stderr");
    const [job] = await jobFolders(tmp);
    const svgs = await checkPlotsFolder(`${job}/plots`);
    await checkSpikeMarks(job, `${job}/plots`, svgs);
    await checkRasterMarks(`${job}/simulation_run0000_synapses.csv`, svgs);
    // Excitatory and inhibitory inputs are told apart by the saved network param's receptors.
    const summary = JSON.parse(await Deno.readTextFile(`${job}/plots/summary.json`));
    assert.deepEqual(
      summary.inputs.map((g: { group: string; kind: string }) => [g.group, g.kind]),
      [["L23", "excitatory"], ["L4ss", "excitatory"], ["VPM", "excitatory"], ["INH", "inhibitory"]],
    );
    assert.equal(summary.stimulusMs, 245);

    // simrun plot on the same folder: another sweep for the raster, SVG only, into --out.
    const out = `${tmp}/sweep1`;
    // The saved params name the morphology relative to the model's folder: --param-dir.
    const p = await runCli([
      "plot",
      job,
      "--out",
      out,
      "--sweeps",
      "1:2",
      "--format",
      "svg",
      "--param-dir",
      MODEL,
    ]);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stdout.trim(), out);
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.ok(!names.some((n) => n.endsWith(".png")), "--format svg writes no PNG");
    const raster = await Deno.readTextFile(`${out}/input_raster.svg`);
    assert.equal(
      countMarks(raster, "activations"),
      activationCount(await Deno.readTextFile(`${job}/simulation_run0001_synapses.csv`)),
    );
    const vm = await Deno.readTextFile(`${out}/vm.svg`);
    const spikes1 = upwardCrossings(
      await Deno.readTextFile(
        `${job}/${
          [...Deno.readDirSync(job)].find((e) => e.name.endsWith("vm_all_traces.csv"))!.name
        }`,
      ),
    ).get(1)!;
    assert.equal(countMarks(vm, "spikes"), spikes1, "--sweeps 1:2 draws sweep 1's spikes only");

    // replay --plot: the replay's own folder gets its figures too.
    const rp = await runCli([
      "replay",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      `${job}/simulation_run0000_synapses.csv`,
      "--dir-prefix",
      `${tmp}/replay`,
      "--quiet",
      "--plot",
    ], { cwd: tmp });
    assert.equal(rp.code, 0, rp.stderr);
    const [replayed] = await jobFolders(`${tmp}/replay`);
    const rsvgs = await checkPlotsFolder(`${replayed}/plots`);
    await checkRasterMarks(`${replayed}/simulation_run0000000_synapses.csv`, rsvgs);
    const tarPlot = await runCli([
      "replay",
      `${MODEL}/example_pyramid.param`,
      `${MODEL}/example_network.param`,
      `${job}/simulation_run0000_synapses.csv`,
      "--tar",
      "--plot",
    ], { cwd: tmp });
    assert.equal(tarPlot.code, 2);
    assert.match(tarPlot.stderr, /--plot cannot be combined with --tar/);

    // Never overwritten: a second plot into the same folder fails and changes nothing.
    const again = await runCli(["plot", job, "--param-dir", MODEL, "--quiet"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /plots exists: simrun plot never overwrites/);
    assert.equal(again.stderr.trim().split("\n").length, 1, "one line, no stack");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun plot reports bad usage and bad folders in one line with exit code 2", async () => {
  const tmp = await tempDir("simrun_plot_errors_");
  try {
    const cases: [string[], RegExp][] = [
      [["plot"], /plot expects 1 or more file argument/],
      [["plot", tmp, "--sweeps", "3:1"], /--sweeps expects A:B/],
      [["plot", tmp, "--format", "jpg"], /--format expects svg, png/],
      [["plot", tmp], /Not an ISF result folder: no \*vm_all_traces\.csv/],
      [["plot", `${tmp}/missing`], /Cannot read the result folder: no such folder/],
    ];
    for (const [args, re] of cases) {
      const r = await runCli(args, { cwd: tmp });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split("\n").length, 1, "one line");
    }
    // A relative morphology path that cannot be found names the param line and --param-dir.
    const job = `${tmp}/job`;
    await Deno.mkdir(job);
    await Deno.writeTextFile(`${job}/s_vm_all_traces.csv`, "t\tVm run 00\n0.0\t-75.0\n");
    await Deno.writeTextFile(`${job}/simulation_run0000_synapses.csv`, "# header\n");
    await Deno.writeTextFile(
      `${job}/s_neuron_model.param`,
      '{\n  "neuron": {\n    "filename": "cell.hoc"\n  }\n}',
    );
    const r = await runCli(["plot", job]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /s_neuron_model\.param:3: Cannot find morphology .*--param-dir DIR/);
    assert.ok(!Deno.readDirSync(job).some((e) => e.name.startsWith("plots")), "nothing written");
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test({
  name: "simrun plot on ISF's B folder (read-only: --out) gives every figure and exact mark counts",
  ignore: sharedDir() === undefined,
  async fn() {
    const tmp = await tempDir("simrun_plot_b_");
    try {
      const b = sharedPath("reference", "network", "B_run_new_simulations");
      const out = `${tmp}/plots`;
      const r = await runCli(["plot", b, "--out", out, "--quiet", "--path-map", isfPathMap()[0]!]);
      assert.equal(r.code, 0, r.stderr);
      const svgs = await checkPlotsFolder(out);
      await checkSpikeMarks(b, out, svgs);
      await checkRasterMarks(`${b}/simulation_run0000_synapses.csv`, svgs);
      const summary = JSON.parse(await Deno.readTextFile(`${out}/summary.json`));
      // reference/README.md: spikes 25.45, 33.9, 44.875, 258.15 (sweep 0) and 22.2, 28.6, 36.45,
      // 45.85, 257.9 (sweep 1); the stimulus is the PSTH offset 245 ms.
      assert.equal(summary.stimulusMs, 245);
      assert.deepEqual(
        summary.perSweep.map((s: { firstSpikeLatencyMs: number }) =>
          s.firstSpikeLatencyMs.toFixed(3)
        ),
        ["13.150", "12.900"],
      );
      const kinds = Object.fromEntries(
        summary.inputs.map((g: { group: string; kind: string }) => [g.group, g.kind]),
      );
      // Receptors decide, not names: L1 and L23Trans are GABAergic in ISF's example network.
      assert.equal(kinds.L1, "inhibitory");
      assert.equal(kinds.L23Trans, "inhibitory");
      assert.equal(kinds.L5tt, "excitatory");
      assert.equal(Object.keys(kinds).length, 22);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** Python 2's `str()` of a float: 12 significant digits, at least one decimal. */
function py2(x: number): string {
  const s = String(Number(x.toPrecision(12)));
  return /[.e]/.test(s) ? s : `${s}.0`;
}

/** A `.param` the way ISF's 2015 code wrote it: Python literal, tabs, trailing commas, tuples. */
function pythonLiteral(v: unknown, depth = 0): string {
  const tab = "\t".repeat(depth + 1);
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (v.length === 2 && v.every((x) => typeof x === "number")) return `(${v.join(", ")})`;
    return `[${v.map((x) => pythonLiteral(x, depth + 1)).join(", ")},]`;
  }
  if (v !== null && typeof v === "object") {
    const items = Object.entries(v).map(([k, x]) =>
      `${tab}'${k}': ${pythonLiteral(x, depth + 1)},\n`
    );
    return `{\n${items.join("")}${"\t".repeat(depth)}}`;
  }
  if (typeof v === "string") return `'${v}'`;
  return String(v);
}

/** Copies B into the 2015 layout (spec/outputs.md §8). */
async function isf2015FromB(b: string, dir: string): Promise<void> {
  const gpfs = "/gpfs/soma_fs/scratch/regger/in_silico_framework/";
  for (const e of Deno.readDirSync(b)) {
    const text = await Deno.readTextFile(`${b}/${e.name}`);
    const name = e.name.replace(/^seed20250101_pid23856_/, "20240_");
    if (e.name.endsWith("_presynaptic_cells.csv")) continue; // the 2015 folder has none
    if (e.name.endsWith(".param")) {
      const p = JSON.parse(text.replaceAll("[IN_SILICO_FRAMEWORK_DIR]/", gpfs));
      await Deno.writeTextFile(`${dir}/${name}`, pythonLiteral(p) + "\n");
      if (name.endsWith("network_model.param")) {
        await Deno.writeTextFile(`${dir}/${name}.old`, pythonLiteral(p) + "\n");
      }
    } else if (e.name.endsWith("_traces.csv")) {
      const lines = text.split("\n").filter((l) => l !== "");
      const rows = lines.slice(1).map((l) => l.split("\t").map(Number)).filter((r) => r[0] >= 100);
      await Deno.writeTextFile(
        `${dir}/${name}`,
        [lines[0], ...rows.map((r) => r.map(py2).join("\t"))].join("\n") + "\n",
      );
    } else {
      const lines = text.split("\n");
      const out = lines.map((l, i) => {
        if (i === 0 || l === "") return l;
        const f = l.split("\t");
        f[2] = py2(Number(f[2]));
        f[6] = f[6].split(",").filter((s) => s !== "").map((s) => py2(Number(s)) + ",").join("");
        return f.join("\t");
      });
      await Deno.writeTextFile(`${dir}/${name}`, out.join("\n"));
    }
  }
}

Deno.test({
  name:
    "simrun plot on a folder laid out like ISF's 2015 example gives every figure and exact mark counts",
  ignore: sharedDir() === undefined,
  async fn() {
    const tmp = await tempDir("simrun_plot_2015_");
    try {
      const folder = `${tmp}/20150815-1530_20240`;
      await Deno.mkdir(folder);
      await isf2015FromB(sharedPath("reference", "network", "B_run_new_simulations"), folder);
      assert.ok(
        (await Deno.readTextFile(`${folder}/20240_neuron_model.param`)).includes("'/gpfs/"),
        "the copy holds the foreign prefix",
      );
      const r = await runCli(["plot", folder, "--quiet", "--path-map", isfPathMap()[0]!]);
      assert.equal(r.code, 0, r.stderr);
      const svgs = await checkPlotsFolder(`${folder}/plots`);
      await checkSpikeMarks(folder, `${folder}/plots`, svgs);
      await checkRasterMarks(`${folder}/simulation_run0000_synapses.csv`, svgs);
      const summary = JSON.parse(await Deno.readTextFile(`${folder}/plots/summary.json`));
      // Traces start at 100 ms: the start-up burst is cut, the evoked spikes remain.
      assert.deepEqual(summary.perSweep.map((s: { spikes: number }) => s.spikes), [1, 1]);
      assert.equal(summary.activationFiles, 2);
      assert.equal(FIGURES.length, 5);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
