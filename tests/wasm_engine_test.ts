/**
 * The engine (solver/wasm) against the reference step loop and against itself:
 *
 * - every tier (`simd`, `scalar`, `js`) gives the reference loop's bits on the single-cell
 *   protocol A2_step_1p0 (two spikes), soma and recorded node and mechanism variables, in fast
 *   and exact mode: no tier-specific operation exists where no call is tabulated;
 * - a replayed network sweep gives the same bits on every tier and alone or in either lane of a
 *   lock-step pair, in fast and exact mode; in fast mode the engine tabulates glutamate_syn's Mg
 *   block over v, which moves V by at most 1e-6 mV from the reference loop (cubic interpolation
 *   on the rate tables' 0.25 mV grid, relative error ≲ 1e-10; measured ≤ 1e-7 mV over 345 ms);
 * - without WebAssembly (V8 `--jitless`) a sweep runs on the JavaScript tier with the bits of
 *   the SIMD tier;
 * - `simrun cell --engine E` prints the same bytes for every E (the cell has no synapse).
 *
 * Tolerance: none (bit identity) except the stated fast-mode bound against the reference loop.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readParamFile } from "../io/param.ts";
import { parsePathMap } from "../io/path_map.ts";
import { parseSynapseActivationFile } from "../io/activation_files.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createReplayMapper } from "../network/network_mapper.ts";
import { SYNAPSE_MECHANISMS } from "../network/synapses/mod.ts";
import { createCell } from "../simrun/create_cell.ts";
import { synapticInputs } from "../simrun/_worker_protocol.ts";
import { prepareModel, resolveProbes } from "../solver/prepare_model.ts";
import { runSweeps } from "../solver/run_sweep.ts";
import type { SimulationResult, SynapticInput } from "../solver/run_sweep.ts";
import type { EngineChoice } from "../solver/settings.ts";
import type { Cell } from "../solver/cell.ts";
import { selectEngineTier } from "../solver/wasm/mod.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "./_shared.ts";

/** Max |Δ| between the engine's tabulated Mg block and the reference loop's exp [mV]. */
const TABULATED_MG_MAX_DV_MV = 1e-6;

const TIERS: readonly EngineChoice[] = ["simd", "scalar", "js"];

function assertSameBits(a: SimulationResult, b: SimulationResult, what: string): void {
  assert.equal(a.soma.length, b.soma.length, `${what}: sample count`);
  for (let k = 0; k < a.soma.length; k++) {
    if (!Object.is(a.soma[k], b.soma[k])) {
      assert.fail(`${what}: soma differs at sample ${k}: ${a.soma[k]} vs ${b.soma[k]}`);
    }
  }
  assert.equal(a.traces.length, b.traces.length);
  a.traces.forEach((tr, j) => {
    for (let k = 0; k < tr.length; k++) {
      if (!Object.is(tr[k], b.traces[j][k])) {
        assert.fail(`${what}: trace ${j} differs at sample ${k}: ${tr[k]} vs ${b.traces[j][k]}`);
      }
    }
  });
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k] - b[k]));
  return d;
}

async function a2Cell(): Promise<{ cell: Cell; vInit: number; dt: number; celsius: number }> {
  const param = sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param");
  const { cell, sim } = await createCell(param, { pathMap: parsePathMap(isfPathMap()) });
  return { cell, vInit: sim.vInit, dt: sim.dt, celsius: sim.celsius };
}

for (const rateTables of [true, false]) {
  const mode = rateTables ? "fast" : "exact";
  const tStop = 130; // the step current drives the first spike at about 120 ms
  Deno.test({
    name: `engine tiers give the reference loop's bits on A2_step_1p0 (${mode} mode, ${tStop} ms)`,
    ignore: sharedDir() === undefined,
    async fn() {
      const { cell, vInit, dt, celsius } = await a2Cell();
      const run = (engine: EngineChoice) => {
        const model = prepareModel(cell, {
          vInit,
          tStop,
          dt,
          celsius,
          rateTables,
          units: "modern",
          engine,
        });
        const probes = resolveProbes(model, [
          { section: 0, x: 0.5, variable: "cai" },
          { section: 0, x: 0.5, variable: "eca" },
          { section: 0, x: 0.5, variable: "m_NaTa_t" },
          { section: 0, x: 0.5, variable: "ica_Ca_HVA" },
          { section: 0, x: 0.5, variable: "i_IClamp" },
          { section: 40, x: 0.5 },
        ]);
        return runSweeps(model, [{ synapses: [] }], { probes })[0];
      };
      const reference = run("reference");
      assert.ok(reference.soma.some((v) => v > 0), "the protocol spikes");
      for (const tier of TIERS) assertSameBits(run(tier), reference, `${mode} ${tier}`);
    },
  });
}

/** The replay inputs of ISF's stored network sweeps 0 and 1. */
async function replayInputs(): Promise<
  { cell: Cell; vInit: number; dt: number; celsius: number; sweeps: SynapticInput[][] }
> {
  const pathMap = parsePathMap(isfPathMap());
  const { cell, sim } = await createCell(
    sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
    { pathMap },
  );
  const network = readNetworkSpec(
    await readParamFile(
      sharedPath("data", "isf_example", "functional_constraints", "network.param"),
    ),
    { resolvePath: (p: string) => p },
  );
  const mechanisms = Object.fromEntries(SYNAPSE_MECHANISMS.map((m) => [m.name, m]));
  const sweeps = [0, 1].map((s) => {
    const f = sharedPath(
      "reference",
      "network",
      "B_run_new_simulations",
      `simulation_run000${s}_synapses.csv`,
    );
    const act = parseSynapseActivationFile(Deno.readTextFileSync(f), f);
    return synapticInputs(createReplayMapper(cell, network).replayFile(act).synapses, mechanisms);
  });
  return { cell, vInit: sim.vInit, dt: sim.dt, celsius: sim.celsius, sweeps };
}

for (const rateTables of [true, false]) {
  const mode = rateTables ? "fast" : "exact";
  const tStop = rateTables ? 120 : 40;
  Deno.test({
    name:
      `a replayed sweep gets the same bits alone, in either lock-step lane and on every tier (${mode} mode, ${tStop} ms)`,
    ignore: sharedDir() === undefined,
    async fn() {
      const { cell, vInit, dt, celsius, sweeps } = await replayInputs();
      const model = (engine: EngineChoice) =>
        prepareModel(cell, { vInit, tStop, dt, celsius, rateTables, units: "modern", engine });
      const probesOf = (m: ReturnType<typeof model>) =>
        resolveProbes(m, [{ section: 40, x: 0.5 }, { section: 0, x: 0.5, variable: "cai" }]);
      const simd = model("simd");
      const probes = probesOf(simd);
      const pair = runSweeps(simd, [{ synapses: sweeps[0], sweep: 0 }, {
        synapses: sweeps[1],
        sweep: 1,
      }], { probes });
      const swapped = runSweeps(simd, [{ synapses: sweeps[1], sweep: 1 }, {
        synapses: sweeps[0],
        sweep: 0,
      }], { probes });
      assert.ok(maxDiff(pair[0].soma, pair[1].soma) > 1, "the two sweeps differ");
      for (const tier of TIERS) {
        const m = tier === "simd" ? simd : model(tier);
        for (const s of [0, 1]) {
          const alone = runSweeps(m, [{ synapses: sweeps[s], sweep: s }], {
            probes: probesOf(m),
          })[0];
          assertSameBits(alone, pair[s], `${mode} sweep ${s} ${tier} alone vs lane ${s}`);
          assertSameBits(
            alone,
            swapped[1 - s],
            `${mode} sweep ${s} ${tier} alone vs lane ${1 - s}`,
          );
        }
      }
      const ref = model("reference");
      const refRun = runSweeps(ref, [{ synapses: sweeps[0], sweep: 0 }], {
        probes: probesOf(ref),
      })[0];
      if (rateTables) {
        const d = maxDiff(refRun.soma, pair[0].soma);
        assert.ok(
          d <= TABULATED_MG_MAX_DV_MV,
          `fast mode: max |ΔV| ${d} mV from the reference loop > ${TABULATED_MG_MAX_DV_MV} mV`,
        );
      } else assertSameBits(refRun, pair[0], "exact mode: engine vs reference loop");
    },
  });
}

Deno.test("without WebAssembly (V8 --jitless) a sweep runs on the JavaScript tier with the SIMD tier's bits", async () => {
  const dir = await Deno.makeTempDir({ prefix: "simrun_jitless_engine_" });
  try {
    const script = `${dir}/probe.ts`;
    const url = (p: string) => new URL(p, import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { createCell } from "${url("../simrun/create_cell.ts")}";
import { parsePathMap } from "${url("../io/path_map.ts")}";
import { prepareModel } from "${url("../solver/prepare_model.ts")}";
import { runSweeps } from "${url("../solver/run_sweep.ts")}";
import { SYNAPSE_MECHANISMS } from "${url("../network/synapses/mod.ts")}";
import { selectEngineTier } from "${url("../solver/wasm/mod.ts")}";
const { cell, sim } = await createCell("${repoDir()}/examples/model/example_pyramid.param",
  { pathMap: parsePathMap([]) });
const glu = SYNAPSE_MECHANISMS.find((m) => m.name === "glutamate_syn");
const synapses = [3, 7, 11].map((section, j) => ({ mechanism: glu, section, x: 0.5,
  params: { tau1: 26, decayampa: 1, decaynmda: 1 }, weights: [1.5, 1.5],
  eventTimes: Float64Array.of(2 + j, 9 + j) }));
const model = prepareModel(cell, { vInit: sim.vInit, tStop: 30, dt: sim.dt, celsius: sim.celsius,
  rateTables: true, units: "modern", engine: (Deno.args[0] ?? "auto") });
const r = runSweeps(model, [{ synapses }])[0];
console.log(JSON.stringify({ tier: selectEngineTier(), soma: Array.from(r.soma) }));
`,
    );
    const run = async (flags: string[], engine: string) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "--no-lock",
          `--config=${repoDir()}/deno.json`,
          ...flags,
          "--allow-read", // createCell looks for the param's NMODL_mechanisms folder
          script,
          engine,
        ],
        cwd: repoDir(),
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      return JSON.parse(new TextDecoder().decode(out.stdout).trim()) as {
        tier: string;
        soma: number[];
      };
    };
    const jitless = await run(["--v8-flags=--jitless"], "auto");
    assert.equal(jitless.tier, "js");
    const simd = await run([], "simd");
    assert.equal(simd.tier, selectEngineTier());
    assert.equal(jitless.soma.length, simd.soma.length);
    assert.ok(Math.max(...simd.soma) - Math.min(...simd.soma) > 1, "the synapses move V");
    jitless.soma.forEach((v, k) => {
      // JSON keeps the shortest decimal of a double, so equal text is equal bits.
      assert.ok(Object.is(v, simd.soma[k]), `sample ${k}: ${v} vs ${simd.soma[k]}`);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("simrun cell --engine: every choice prints the same bytes in fast and exact mode; a bad choice exits 2 with one line", async () => {
  const { runCli } = await import("./_cli.ts");
  const param = `${repoDir()}/examples/model/example_pyramid.param`;
  for (const mode of [[], ["--exact"]]) {
    const csv = async (engine: string) => {
      const r = await runCli(["cell", param, "--tstop", "20", ...mode, "--engine", engine]);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const reference = await csv("reference");
    assert.ok(reference.split("\n").length > 800, "one line per step");
    for (const engine of ["auto", "simd", "scalar", "js"]) {
      assert.equal(await csv(engine), reference, `--engine ${engine} ${mode.join(" ")}`);
    }
  }
  const bad = await runCli(["cell", param, "--tstop", "20", "--engine", "gpu"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assert.match(bad.stderr, /--engine expects auto, simd, scalar, js, reference, got "gpu"/);
});
