/**
 * Issue 9: values that would make a run produce NaN or never end, and inputs that used to be
 * found only in sweep 0 (after the job folder existed). `simrun run` must refuse each with exit
 * 2, one line naming the file (and line and key, or the option) and no results folder; a run
 * that goes numerically wrong while it runs must end with exit 1, one line naming the sweep and
 * the time, and only its `_running` folder.
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { copyModel, editFile as edit } from "./_model.ts";

interface Case {
  readonly name: string;
  /** Changes the copied model; returns extra CLI args (default none). */
  readonly mutate?: (dir: string) => Promise<void> | void;
  readonly args?: readonly string[];
  /** Substrings (or patterns) the one-line message must contain. */
  readonly expect: readonly (string | RegExp)[];
}

const PARAM = "example_pyramid.param";

/** Adds `neuron.cell_modify_functions` with one entry to the example cell param. */
function cellModify(dir: string, entry: string): Promise<void> {
  return edit(
    `${dir}/${PARAM}`,
    `"filename": "example_pyramid.hoc",`,
    `"filename": "example_pyramid.hoc",\n    "cell_modify_functions": {${entry}},`,
  );
}

/** A cell-modify plugin that places an epsp with the given time constants on the soma. */
async function epspPlugin(dir: string, tau0: number, tau1: number): Promise<void> {
  await Deno.writeTextFile(
    `${dir}/epsp_plugin.ts`,
    `export function cellModify() {
  return { pointProcesses: [{ mechanism: "epsp", section: 0, x: 0.5,
    params: { onset: 1, tau0: ${tau0}, tau1: ${tau1}, imax: 0.5 } }] };
}\n`,
  );
  await cellModify(dir, `"epsp_plugin.ts": {}`);
}

const INPUT_ERRORS: Case[] = [
  {
    name: "T of 1e300 °C",
    mutate: (d) => edit(`${d}/${PARAM}`, `"T": 34.0`, `"T": 1e300`),
    expect: [/example_pyramid\.param:\d+/, '"T"', "temperature"],
  },
  {
    name: "Vinit of 1e300 mV",
    mutate: (d) => edit(`${d}/${PARAM}`, `"Vinit": -75.0`, `"Vinit": 1e300`),
    expect: [/example_pyramid\.param:\d+/, '"Vinit"', "initial membrane potential"],
  },
  {
    name: "CaDynamics_E2 gamma of 1e300",
    mutate: (d) =>
      edit(`${d}/${PARAM}`, `"decay": 770.0, "gamma": 0.000616`, `"decay": 770.0, "gamma": 1e300`),
    expect: [/example_pyramid\.param:\d+/, '"gamma" of mechanism "CaDynamics_E2"', "[0, 1]"],
  },
  {
    name: "epsp with tau0 == tau1",
    mutate: (d) => epspPlugin(d, 2, 2),
    expect: [
      /example_pyramid\.param:\d+/,
      "neuron.cell_modify_functions.epsp_plugin.ts",
      "tau0 and tau1 must differ",
    ],
  },
  {
    name: "epsp with tau0 = 0",
    mutate: (d) => epspPlugin(d, 0, 2),
    expect: [/example_pyramid\.param:\d+/, 'Parameter "tau0" of point process "epsp"', "> 0"],
  },
  {
    name: "epsp with tau0 < 0",
    mutate: (d) => epspPlugin(d, -1, 2),
    expect: [/example_pyramid\.param:\d+/, '"tau0"', "got -1"],
  },
  {
    name: "glutamate_syn with tau1 == tau2 in the network param",
    mutate: (d) => edit(`${d}/example_network.param`, `"tau1": 26.0`, `"tau1": 2.0`),
    expect: [/example_network\.param:\d+/, "receptors.glutamate_syn.parameter", "tau1 and tau2"],
  },
  {
    name: "gaba_syn with a negative decay time in the network param",
    mutate: (d) => edit(`${d}/example_network.param`, `"decaytime": 20.0`, `"decaytime": -20.0`),
    expect: [/example_network\.param:\d+/, '"decaytime" of point process "gaba_syn"', "> 0"],
  },
  {
    name: "--tstop 1e20 (t + dt/2 == t beyond ~1e14 ms)",
    args: ["--tstop", "1e20"],
    expect: ["--tstop", "steps per sweep", "at most 50000000"],
  },
  {
    name: "dt of 1e-300 ms",
    mutate: (d) => edit(`${d}/${PARAM}`, `"dt": 0.025`, `"dt": 1e-300`),
    expect: [/example_pyramid\.param:\d+/, "dt 1e-300 ms", "steps per sweep"],
  },
  {
    name: "mech_globals entry that is a RANGE parameter",
    mutate: (d) =>
      edit(`${d}/${PARAM}`, `"mech_globals": {}`, `"mech_globals": {"Ih": {"gIhbar": 1}}`),
    expect: [/example_pyramid\.param:\d+/, '"gIhbar" is not a GLOBAL of mechanism "Ih"'],
  },
  {
    name: "mech_globals of an unknown mechanism",
    mutate: (d) =>
      edit(`${d}/${PARAM}`, `"mech_globals": {}`, `"mech_globals": {"Ihh": {"ehcn": -30}}`),
    expect: [/example_pyramid\.param:\d+/, 'Unknown mechanism "Ihh"'],
  },
  {
    name: "mech_globals value out of range",
    mutate: (d) =>
      edit(`${d}/${PARAM}`, `"mech_globals": {}`, `"mech_globals": {"SK_E2": {"zTau": -2}}`),
    expect: [/example_pyramid\.param:\d+/, '"zTau" of mechanism "SK_E2"', "> 0"],
  },
  {
    name: "a GLOBAL given per section",
    mutate: (d) => edit(`${d}/${PARAM}`, `"gIhbar": 0.00008}`, `"gIhbar": 0.00008, "ehcn": -30}`),
    expect: [/example_pyramid\.param:\d+/, '"ehcn" is a GLOBAL of mechanism "Ih"', "mech_globals"],
  },
  {
    name: "recorder plugin asking for an unknown variable",
    mutate: (d) =>
      Deno.writeTextFile(
        `${d}/bad_recorder.ts`,
        `export const recorder = {
  sites() { return [{ section: 0, x: 0.5 }, { section: 0, x: 0.5, variable: "q_NaTa_t" }]; },
  sweep() {},
};\n`,
      ),
    args: ["--plugin", "bad_recorder.ts"],
    expect: ["plugin bad_recorder.ts", "recorder.sites()[1]", 'has no variable "q"'],
  },
  {
    name: "recorder plugin asking for a mechanism that is not there",
    mutate: (d) =>
      Deno.writeTextFile(
        `${d}/bad_recorder.ts`,
        `export const recorder = {
  sites() { return [{ section: 0, x: 0.5, variable: "m_Im" }]; },
  sweep() {},
};\n`,
      ),
    args: ["--plugin", "bad_recorder.ts"],
    expect: ["plugin bad_recorder.ts", "recorder.sites()[0]", '"m_Im"', "Im is not there"],
  },
];

function runIn(dir: string, args: readonly string[] = []) {
  return runCli([
    "run",
    `${dir}/${PARAM}`,
    `${dir}/example_network.param`,
    "--dir-prefix",
    dir,
    "--quiet",
    "--seed",
    "1",
    "--tstop",
    "3",
    ...args,
  ], { cwd: dir });
}

function checkLine(stderr: string, expect: readonly (string | RegExp)[]): void {
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  for (const e of expect) {
    if (typeof e === "string") assert.ok(lines[0]!.includes(e), `"${e}" missing in: ${lines[0]}`);
    else assert.match(lines[0]!, e);
  }
}

Deno.test({
  name: `simrun run refuses ${INPUT_ERRORS.length} values that would give NaN, hang, or fail in ` +
    "sweep 0: exit 2, one line, no folder",
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_bad_values_" });
    try {
      for (const [i, c] of INPUT_ERRORS.entries()) {
        await t.step(c.name, async () => {
          const dir = `${tmp}/case${i}`;
          await copyModel(dir);
          await c.mutate?.(dir);
          const r = await runIn(dir, c.args ?? []);
          assert.equal(r.code, 2, `exit code ${r.code}; stderr:\n${r.stderr}`);
          checkLine(r.stderr, c.expect);
          const results = await Deno.stat(`${dir}/results`).then(() => true, () => false);
          assert.equal(results, false, "a results folder was left behind");
        });
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test("simrun run with a 1e300 nA clamp ends with exit 1, sweep and time, only `_running`", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_nonfinite_" });
  try {
    for (const threads of ["1", "2"]) {
      const dir = `${tmp}/threads${threads}`;
      await copyModel(dir);
      await cellModify(
        dir,
        `"soma_current_injection": {"amplitude": 1e300, "delay": 1, "duration": 2}`,
      );
      const r = await runIn(dir, ["--sweeps", "2", "--threads", threads]);
      assert.equal(r.code, 1, `exit code ${r.code}; stderr:\n${r.stderr}`);
      checkLine(r.stderr, [
        /^simrun: Sweep 0: the soma's membrane potential is NaN at t = 1\.0\d* ms/,
      ]);
      const entries = [...Deno.readDirSync(`${dir}/results`)].map((e) => e.name);
      assert.equal(entries.length, 1, `results: ${entries}`);
      assert.match(entries[0]!, /_running$/);
      const files = [...Deno.readDirSync(`${dir}/results/${entries[0]}`)].map((e) => e.name);
      assert.ok(!files.some((f) => f.endsWith("vm_all_traces.csv")), `traces written: ${files}`);
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
