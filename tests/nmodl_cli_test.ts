/**
 * The user's own mechanisms through the real CLI (issue 12's "done when"): ISF's Hay `.mod` files
 * given with `--mechanisms` replace the built-in kernels and still meet the NEURON bars of the
 * single-cell protocols; exact mode stays within 1e-9 mV of the built-in exact kernels; a cell
 * with NaTs2_t, shifted NaTg, SKv3_1_copy and CaDynamics_E2_v2 runs with cai starting at minCai;
 * `inspect` lists compiled mechanisms' columns; bad and hostile `.mod` files and folders are
 * refused with one line; ISF's stochastic synapses run in a network, identically for any
 * `--threads`/`--sweep-range`; a campaign carries and checksums the `.mod` files. Needs
 * ../shared.
 *
 * @module
 */
import assert from "node:assert/strict";
import { FAST_MODE_MAX_DV_MV } from "../solver/settings.ts";
import { type CliResult, runCli } from "./_cli.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "./_shared.ts";

const NO_SHARED = sharedDir() === undefined;

/** Exact mode against NEURON (tests/single_cell_reference_test.ts's EXACT_MAX_ABS_DV_MV). */
const EXACT_VS_NEURON_MV = 1e-6;
/** Exact mode, compiled against built-in kernels: the bar (measured 4.5e-10 mV). */
const EXACT_VS_BUILTIN_MV = 1e-9;
/** Spikes within 0.05 ms (2 steps) of NEURON's, as the reference test. */
const MAX_SPIKE_DT_MS = 0.05;

const CHANNELS = () => sharedPath("data", "isf_example", "mechanisms", "channels_py3");
const pathMapArgs = () => isfPathMap().flatMap((r) => ["--path-map", r]);

interface Reference {
  readonly param: string;
  readonly tStop: number;
  readonly sites: { secID: number; segx: number }[];
  readonly spikes: number[];
  /** NEURON's columns t, v_soma, sites…. */
  readonly data: number[][];
}

async function reference(name: string): Promise<Reference> {
  const dir = sharedPath("reference", "single_cell");
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/${name}.json`));
  const rows = (await Deno.readTextFile(`${dir}/${name}.csv`)).trim().split("\n").slice(1)
    .map((l) => l.split(",").map(Number));
  return {
    param: `${dir}/${name}_neuron_model.param`,
    tStop: meta.tStop,
    sites: meta.recording_sites.filter((s: { column: string }) => s.column !== "v_soma"),
    spikes: meta.soma_spike_times_ms,
    data: rows[0].map((_, c) => rows.map((r) => r[c])),
  };
}

/** Columns of a `simrun cell` CSV. */
function columns(csv: string): number[][] {
  const rows = csv.trim().split("\n").slice(1).map((l) => l.split(",").map(Number));
  return rows[0].map((_, c) => rows.map((r) => r[c]));
}

function worst(a: number[][], b: number[][], from = 1): { d: number; at: number } {
  let d = 0, at = 0;
  for (let c = from; c < b.length; c++) {
    for (let k = 0; k < b[c].length; k++) {
      const x = Math.abs(a[c][k] - b[c][k]);
      if (!(x <= d)) {
        d = x;
        at = b[0][k];
      }
    }
  }
  return { d, at };
}

function spikes(t: number[], v: number[]): number[] {
  const out: number[] = [];
  for (let k = 1; k < v.length; k++) if (v[k - 1] < 0 && v[k] >= 0) out.push(t[k]);
  return out;
}

/** One line on stderr besides warnings, no stack trace. */
function oneLine(r: CliResult): string {
  const lines = r.stderr.trim().split("\n").filter((l) => !l.startsWith("simrun: warning:"));
  assert.equal(lines.length, 1, `expected one line:\n${r.stderr}`);
  assert.ok(!r.stderr.includes("    at "), `a stack trace:\n${r.stderr}`);
  return lines[0];
}

async function cellCsv(
  tmp: string,
  ref: Reference,
  extra: string[],
): Promise<{ r: CliResult; cols: number[][] }> {
  const out = `${tmp}/${crypto.randomUUID()}.csv`;
  const r = await runCli([
    "cell",
    ref.param,
    "--tstop",
    String(ref.tStop),
    ...ref.sites.flatMap((s) => ["--record", `${s.secID}:${s.segx}`]),
    ...pathMapArgs(),
    "--out",
    out,
    ...extra,
  ], { cwd: tmp });
  assert.equal(r.code, 0, r.stderr);
  return { r, cols: columns(await Deno.readTextFile(out)) };
}

for (const name of ["A1_rest", "A2_step_m0p2", "A2_step_1p0"]) {
  Deno.test({
    name:
      `simrun cell --mechanisms channels_py3: ISF's Hay .mod files meet NEURON's ${FAST_MODE_MAX_DV_MV} mV bar on ${name}`,
    ignore: NO_SHARED,
    async fn() {
      const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_cli_" });
      try {
        const ref = await reference(name);
        const { r, cols } = await cellCsv(tmp, ref, ["--mechanisms", CHANNELS()]);
        assert.match(
          r.stderr,
          /the \.mod files in .*channels_py3\/ replace the built-in CaDynamics_E2, Ca_HVA, .*NaTa_t.*SKv3_1/,
        );
        assert.equal(r.stderr.match(/replace the built-in/g)?.length, 1, "said once");
        assert.equal(cols[0].length, ref.data[0].length, "sample count differs from NEURON's");
        const d = worst(cols, ref.data);
        console.log(
          `${name}: compiled default mode vs NEURON ${d.d.toExponential(2)} mV at ${d.at} ms`,
        );
        assert.ok(d.d <= FAST_MODE_MAX_DV_MV, `max |ΔV| ${d.d} mV at ${d.at} ms`);
        const s = spikes(cols[0], cols[1]);
        assert.equal(s.length, ref.spikes.length, `spikes ${s} vs NEURON ${ref.spikes}`);
        s.forEach((t, i) => assert.ok(Math.abs(t - ref.spikes[i]) <= MAX_SPIKE_DT_MS));
      } finally {
        await Deno.remove(tmp, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "simrun cell --exact --mechanisms channels_py3: within 1e-9 mV of the built-in exact kernels and 1e-6 mV of NEURON (A2_step_1p0)",
  ignore: NO_SHARED,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_cli_" });
    try {
      const ref = await reference("A2_step_1p0");
      const compiled = await cellCsv(tmp, ref, ["--exact", "--mechanisms", CHANNELS()]);
      const builtin = await cellCsv(tmp, ref, ["--exact"]);
      const vsBuiltin = worst(compiled.cols, builtin.cols);
      const vsNeuron = worst(compiled.cols, ref.data);
      console.log(
        `exact: compiled vs built-in ${vsBuiltin.d.toExponential(2)} mV, vs NEURON ${
          vsNeuron.d.toExponential(2)
        } mV`,
      );
      assert.ok(vsBuiltin.d <= EXACT_VS_BUILTIN_MV, `vs built-in ${vsBuiltin.d} mV`);
      assert.ok(vsNeuron.d <= EXACT_VS_NEURON_MV, `vs NEURON ${vsNeuron.d} mV`);
      assert.ok(vsBuiltin.d > 0 || true); // identical would be fine too
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** The A2_step_m0p2 param with ISF's other channel variants in the soma and the AIS. */
async function variantParam(dir: string): Promise<string> {
  const ref = await reference("A2_step_m0p2");
  const p = JSON.parse(await Deno.readTextFile(ref.param));
  const soma = p.neuron.Soma.mechanisms.range;
  soma.NaTs2_t = { spatial: "uniform", gNaTs2_tbar: soma.NaTa_t.gNaTa_tbar };
  delete soma.NaTa_t;
  soma.SKv3_1_copy = { spatial: "uniform", gSKv3_1bar: soma.SKv3_1.gSKv3_1bar };
  delete soma.SKv3_1;
  soma.CaDynamics_E2_v2 = { ...soma.CaDynamics_E2, minCai: 2e-4 };
  delete soma.CaDynamics_E2;
  const ais = p.neuron.AIS.mechanisms.range;
  ais.NaTg = { spatial: "uniform", gNaTgbar: ais.NaTa_t.gNaTa_tbar, vshiftm: 5, slopem: 7 };
  delete ais.NaTa_t;
  // The morphology as a local path (the param's folder is a temporary one).
  p.neuron.filename = sharedPath(
    "data",
    "isf_example",
    "anatomical_constraints",
    "86_C2_center.hoc",
  );
  p.sim.recordingSites = [];
  // ISF's params name the compiled folder on the machine they were made on: mapped with --path-map.
  p.NMODL_mechanisms = { channels: "/gpfs/isf/mechanisms/channels_py3" };
  const path = `${dir}/variants.param`;
  await Deno.writeTextFile(path, JSON.stringify(p, null, 2));
  return path;
}

Deno.test({
  name:
    "simrun cell: NaTs2_t (soma), shifted NaTg (AIS), SKv3_1_copy and CaDynamics_E2_v2 run; cai starts at minCai",
  ignore: NO_SHARED,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_cli_" });
    try {
      const param = await variantParam(tmp);
      // Without a path map the param's folder is not here: a warning, then the names are unknown.
      const missing = await runCli(["cell", param, "--tstop", "5"], { cwd: tmp });
      assert.equal(missing.code, 2);
      assert.match(
        missing.stderr,
        /simrun: warning: .*variants\.param:\d+: mechanism folder "\/gpfs\/isf\/mechanisms\/channels_py3" \(key "NMODL_mechanisms\.channels"\) does not exist here: skipped/,
      );
      assert.match(oneLine(missing), /Unknown mechanism "(SKv3_1_copy|NaTs2_t|CaDynamics_E2_v2)"/);
      const out = `${tmp}/v.csv`;
      // The param's NMODL_mechanisms folder through a path map (no --mechanisms).
      const r = await runCli([
        "cell",
        param,
        "--tstop",
        "300",
        "--path-map",
        `/gpfs/isf/mechanisms/=${sharedPath("data", "isf_example", "mechanisms")}/`,
        "--record",
        "0:0.5:cai",
        "--record",
        "0:0.5:m_NaTs2_t",
        "--record",
        "0:0.5:gSKv3_1_SKv3_1_copy",
        "--record",
        "0:0.5:eca",
        "--out",
        out,
      ], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      const lines = (await Deno.readTextFile(out)).trim().split("\n");
      assert.equal(
        lines[0],
        "t,v_soma,sec0_x0.5_cai,sec0_x0.5_m_NaTs2_t,sec0_x0.5_gSKv3_1_SKv3_1_copy,sec0_x0.5_eca",
      );
      const first = lines[1].split(",").map(Number);
      assert.equal(first[2], 2e-4, "cai after finitialize = minCai (CaDynamics_E2_v2's INITIAL)");
      // eca follows at once (NEURON's nrn_wrote_conc): (k_T/2)·ln(cao/minCai) at 34 °C.
      const kT = 1000 * 8.31446261815324 * (34 + 273.15) / 96485.33212331001;
      assert.ok(Math.abs(first[5] - (kT / 2) * Math.log(2 / 2e-4)) < 1e-12, `eca ${first[5]}`);
      const cols = columns(lines.join("\n"));
      assert.equal(cols[0].length, 12002);
      for (const c of cols) assert.ok(c.every(Number.isFinite));
      assert.ok(cols[3].some((x) => x !== cols[3][0]), "m_NaTs2_t moves");
      // The −0.2 nA step hyperpolarizes the soma; with minCai the cai floor is 2e-4 mM.
      assert.ok(Math.min(...cols[1]) < -80, `soma ${Math.min(...cols[1])} mV`);
      assert.ok(Math.min(...cols[2]) >= 2e-4 - 1e-12, "cai never below minCai");
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "simrun inspect --mechanisms lists compiled mechanisms' parameters and initial states",
  ignore: NO_SHARED,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_cli_" });
    try {
      const param = await variantParam(tmp);
      const r = await runCli([
        "inspect",
        param,
        "--sections",
        `${tmp}/s.csv`,
        "--segments",
        `${tmp}/g.csv`,
        "--mechanisms",
        CHANNELS(),
      ], { cwd: tmp });
      assert.equal(r.code, 0, r.stderr);
      const [header, soma] = (await Deno.readTextFile(`${tmp}/g.csv`)).split("\n");
      const cols = header.split(",");
      const at = (name: string) => {
        const i = cols.indexOf(name);
        assert.ok(i >= 0, `no column ${name} in ${header}`);
        return soma.split(",")[i];
      };
      assert.equal(Number(at("minCai_CaDynamics_E2_v2")), 2e-4);
      assert.equal(Number(at("cai")), 2e-4);
      assert.ok(Number(at("m_NaTs2_t")) > 0);
      assert.equal(Number(at("gSKv3_1bar_SKv3_1_copy")), 0.983);
      for (const c of ["vshiftm_NaTg", "slopem_NaTg", "m_NaTg", "ina_NaTg"]) at(c);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

/** A copy of the example model whose soma also inserts `mechanism`. */
async function exampleWith(dir: string, mechanism: string): Promise<string> {
  const src = `${repoDir()}/examples/model`;
  const text = await Deno.readTextFile(`${src}/example_pyramid.param`);
  for (const f of ["example_pyramid.hoc"]) await Deno.copyFile(`${src}/${f}`, `${dir}/${f}`);
  const param = `${dir}/cell.param`;
  const edited = text.replace(
    /"Soma":\s*\{([\s\S]*?)"range":\s*\{/,
    (m) => `${m}"${mechanism}": {"spatial": "uniform"}, `,
  );
  assert.notEqual(edited, text, "the example's soma mechanisms were not found");
  await Deno.writeTextFile(
    param,
    edited.replace(/"recordingSites":\s*\[[^\]]*\]/, '"recordingSites": []'),
  );
  return param;
}

const LEAK = (name: string, extra = "") =>
  `NEURON { SUFFIX ${name} NONSPECIFIC_CURRENT i RANGE g }
PARAMETER { g = 0.0001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
${extra}
BREAKPOINT { i = g*(v + 70) }
`;

const HOSTILE: Record<string, { text: string; says: RegExp }> = {
  "names outside the whitelist": {
    text: LEAK("evil").replace("i = g*(v + 70)", "i = g*(v + Deno)"),
    says: /evil\.mod:\d+:\d+: .*Deno/,
  },
  "an enormous TABLE": {
    text: LEAK(
      "evil",
      "FUNCTION f(x) { TABLE FROM -100 TO 100 WITH 100000000  f = x }",
    ).replace("i = g*(v + 70)", "i = g*(f(v) + 70)"),
    says: /evil\.mod:\d+:\d+: .*TABLE/,
  },
  "recursion": {
    text: LEAK("evil", "FUNCTION f(x) { f = f(x - 1) }").replace(
      "i = g*(v + 70)",
      "i = g*(f(v) + 70)",
    ),
    says: /evil\.mod:\d+:\d+: .*recurs/i,
  },
};

for (const [what, { text, says }] of Object.entries(HOSTILE)) {
  Deno.test(`simrun cell refuses a .mod with ${what} in one line (exit 2)`, async () => {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_evil_" });
    try {
      await Deno.mkdir(`${tmp}/mods`);
      await Deno.writeTextFile(`${tmp}/mods/evil.mod`, text);
      const param = await exampleWith(tmp, "evil");
      const r = await runCli(["cell", param, "--tstop", "1", "--mechanisms", `${tmp}/mods`], {
        cwd: tmp,
      });
      assert.equal(r.code, 2, r.stderr);
      const line = oneLine(r);
      assert.match(line, says);
      assert.match(line, /mechanism "evil" is used at .*cell\.param:\d+/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  });
}

Deno.test("simrun cell: a .mod that fails but is unused warns once; a folder without .mod files is fine", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_folders_" });
  try {
    await Deno.mkdir(`${tmp}/mods`);
    await Deno.mkdir(`${tmp}/empty`);
    await Deno.mkdir(`${tmp}/mods/sub`);
    await Deno.writeTextFile(`${tmp}/mods/leak2.mod`, LEAK("leak2"));
    await Deno.writeTextFile(`${tmp}/mods/bad.mod`, "NEURON { SUFFIX bad }\nWATCH (v > 0) 1");
    // Sub-folders are not scanned: a broken file there is never read.
    await Deno.writeTextFile(`${tmp}/mods/sub/broken.mod`, "NEURON {");
    const param = await exampleWith(tmp, "leak2");
    const r = await runCli([
      "cell",
      param,
      "--tstop",
      "2",
      "--mechanisms",
      `${tmp}/mods`,
      "--mechanisms",
      `${tmp}/empty`,
      "--out",
      `${tmp}/o.csv`,
    ], { cwd: tmp });
    assert.equal(r.code, 0, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("bad.mod"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /^simrun: warning: .*bad\.mod:2:1: .*WATCH.*"bad" is not used/);
    assert.ok(!r.stderr.includes("broken"), r.stderr);
    // A folder that does not exist, and a file given as a folder: one line, exit 2.
    for (const dir of [`${tmp}/nowhere`, `${tmp}/mods/leak2.mod`]) {
      const bad = await runCli(["cell", param, "--tstop", "1", "--mechanisms", dir], { cwd: tmp });
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(
        oneLine(bad),
        /--mechanisms.*Cannot read the mechanism folder ".*": (it does not exist|it is not a folder)/,
      );
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

/** The example network with ISF's stochastic synapses (releaseProb "dynamic"). */
async function dynamicNetwork(dir: string): Promise<{ cell: string; network: string }> {
  const src = `${repoDir()}/examples/model`;
  for (const e of Deno.readDirSync(src)) {
    await Deno.copyFile(`${src}/${e.name}`, `${dir}/${e.name}`);
  }
  let text = await Deno.readTextFile(`${dir}/example_network.param`);
  text = text.replaceAll('"releaseProb": 0.6', '"releaseProb": "dynamic"')
    .replaceAll('"releaseProb": 0.25', '"releaseProb": "dynamic"');
  const glut = /"glutamate_syn":\s*\{[^{}]*"parameter":\s*\{[^}]*\},[^{}]*\}/g;
  const gaba = /"gaba_syn":\s*\{[^{}]*"parameter":\s*\{[^}]*\},[^{}]*\}/g;
  const n = (text.match(glut)?.length ?? 0) + (text.match(gaba)?.length ?? 0);
  assert.ok(n >= 2, "receptors not found in the example network");
  text = text.replace(
    glut,
    '"ProbAMPANMDA2": {"threshold": 0.0, "delay": 0.0, "parameter": {"Use": 0.5, "Dep": 100.0, "Fac": 10.0, "gmax": 0.001}, "weight": 1.0}',
  ).replace(
    gaba,
    '"ProbUDFsyn2": {"threshold": 0.0, "delay": 0.0, "parameter": {"Use": 0.25, "Dep": 50.0, "Fac": 0.0, "gmax": 0.001, "e": -80.0}, "weight": 1.0}',
  );
  await Deno.writeTextFile(`${dir}/dynamic_network.param`, text);
  return { cell: `${dir}/example_pyramid.param`, network: `${dir}/dynamic_network.param` };
}

/** name → content of every file of the one job folder under `dir/results`, pid removed. */
async function jobFiles(dir: string): Promise<Record<string, string>> {
  const jobs = [...Deno.readDirSync(`${dir}/results`)].filter((e) => e.isDirectory);
  assert.equal(jobs.length, 1);
  const out: Record<string, string> = {};
  const job = `${dir}/results/${jobs[0].name}`;
  for (const e of Deno.readDirSync(job)) {
    if (e.name === "hostname_vm" || !e.isFile) continue;
    out[e.name.replace(/_pid\d+/, "")] = (await Deno.readTextFile(`${job}/${e.name}`))
      .replace(/_pid\d+/g, "");
  }
  return out;
}

Deno.test({
  name:
    "simrun run: ProbAMPANMDA2/ProbUDFsyn2 with releaseProb dynamic run, identical for --threads 1/2 and --sweep-range",
  ignore: NO_SHARED,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_net_" });
    try {
      const { cell, network } = await dynamicNetwork(tmp);
      const run = async (name: string, extra: string[]) => {
        await Deno.mkdir(`${tmp}/${name}`);
        const r = await runCli([
          "run",
          cell,
          network,
          "--sweeps",
          "3",
          "--seed",
          "11",
          "--tstop",
          "300",
          "--mechanisms",
          CHANNELS(),
          "--dir-prefix",
          `${tmp}/${name}`,
          "--quiet",
          ...extra,
        ], { cwd: tmp });
        assert.equal(r.code, 0, r.stderr);
        return await jobFiles(`${tmp}/${name}`);
      };
      const one = await run("t1", []);
      const two = await run("t2", ["--threads", "2"]);
      assert.deepEqual(Object.keys(two).sort(), Object.keys(one).sort());
      for (const k of Object.keys(one)) {
        assert.equal(two[k], one[k], `${k} differs with --threads 2`);
      }
      const part = await run("r", ["--sweep-range", "2:3"]);
      for (
        const f of ["simulation_run0002_synapses.csv", "simulation_run0002_presynaptic_cells.csv"]
      ) {
        assert.equal(part[f], one[f], f);
      }
      const col = (text: string, c: number) =>
        text.trim().split("\n").slice(1).map((l) => l.split("\t")[c]).join(",");
      const key = Object.keys(one).find((k) => k.endsWith("_vm_all_traces.csv"))!;
      assert.equal(col(part[key], 1), col(one[key], 3), "sweep 2 alone = sweep 2 of the full run");
      // Stochastic release: the sweeps differ (different streams), and the synapses act.
      assert.notEqual(col(one[key], 1), col(one[key], 2));
      const v = col(one[key], 1).split(",").map(Number);
      assert.ok(Math.max(...v) - Math.min(...v) > 1, "the synapses move the soma");
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "simrun slurm submit --mechanisms: the campaign carries the folders and checksums the .mod files",
  ignore: NO_SHARED,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_slurm_" });
    try {
      const { cell, network } = await dynamicNetwork(tmp);
      await Deno.mkdir(`${tmp}/mods`);
      for (const f of ["ProbAMPANMDA2.mod", "ProbUDFsyn2.mod"]) {
        await Deno.copyFile(`${CHANNELS()}/${f}`, `${tmp}/mods/${f}`);
      }
      const sub = await runCli([
        "slurm",
        "submit",
        cell,
        network,
        "--sweeps",
        "2",
        "--tstop",
        "260",
        "--seed",
        "5",
        "--sweeps-per-task",
        "1",
        "--mechanisms",
        `${tmp}/mods`,
        "--dir-prefix",
        `${tmp}/c`,
        "--dry-run",
        "--quiet",
      ], { cwd: tmp });
      assert.equal(sub.code, 0, sub.stderr);
      const dir = sub.stdout.trim().split("\n").at(-1)!;
      const campaign = JSON.parse(await Deno.readTextFile(`${dir}/campaign.json`));
      assert.deepEqual(campaign.run.mechanismFolders, [`${tmp}/mods`]);
      const mods = campaign.inputs.filter((i: { role: string }) => i.role === "mechanism file");
      assert.deepEqual(
        mods.map((i: { path: string }) => i.path.split("/").at(-1)).sort(),
        ["ProbAMPANMDA2.mod", "ProbUDFsyn2.mod"],
      );
      const task0 = await runCli(["slurm", "task", dir, "0", "--quiet"], { cwd: tmp });
      assert.equal(task0.code, 0, task0.stderr);
      // A .mod file added after submission would change what a task compiles: refused.
      await Deno.writeTextFile(`${tmp}/mods/leak3.mod`, LEAK("leak3"));
      const task1 = await runCli(["slurm", "task", dir, "1", "--quiet"], { cwd: tmp });
      assert.equal(task1.code, 2, task1.stderr);
      assert.match(
        oneLine(task1),
        /leak3\.mod: mechanism file appeared since the campaign was submitted/,
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
