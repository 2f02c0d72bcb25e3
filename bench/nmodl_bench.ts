/**
 * NMODL compiler speed: kernels generated from ISF's Hay `.mod` files against the built-in
 * hand-written kernels, on the instance counts of the 1,142-compartment example cell, in default
 * mode (rate tables) and exact mode; then the whole A2_step_1p0 sweep (prepareModel + runSweep)
 * with either catalogue, and the whole `simrun cell` process with and without `--mechanisms`
 * (issue 12's goal: default mode ≤ 1.3× the built-ins). Best of N, runs interleaved so that
 * machine load hits both alike; needs ../shared.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { parsePathMap } from "../io/path_map.ts";
import { createCell } from "../simrun/create_cell.ts";
import {
  buildMechanismCatalogue,
  BUILTIN_CATALOGUE,
  type DensityMechanism,
  type MechanismCatalogue,
  type MechanismInstances,
  type NodeArrays,
  prepareModel,
  runSweep,
} from "../solver/mod.ts";
import { allocateInstances } from "../solver/mechanisms/_types.ts";
import { updateTablePositions } from "../solver/mechanisms/_rate_table.ts";
import { makeNodes, prepareContext } from "../solver/mechanisms/_testing.ts";

const STEPS = 2000;
const REPEATS = 5;
const WHOLE_REPEATS = 4;
const PROCESS_REPEATS = 5;

function shared(...p: string[]): string {
  return new URL(["../../shared", ...p].join("/"), import.meta.url).pathname;
}

/** Best time per instance-step [ns] of current + advance over STEPS steps of a voltage sweep. */
function timeKernels(
  m: DensityMechanism,
  fast: boolean,
  params: MechanismInstances,
  n: NodeArrays,
): number {
  const node = params.node;
  const s = allocateInstances(m, node);
  for (const [p, a] of Object.entries(params.fields)) {
    if (Object.hasOwn(s.fields, p)) s.fields[p].set(a);
  }
  m.prepare(s, prepareContext(n, fast));
  const advance = (fast ? m.fast?.advance : undefined) ?? m.advance;
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    n.v.fill(-75);
    n.cai.fill(5e-5);
    m.init(s, n);
    const t0 = performance.now();
    for (let step = 0; step < STEPS; step++) {
      const v = -75 + 40 * Math.sin(step * 0.01);
      n.v.fill(v);
      n.i.fill(0);
      n.g.fill(0);
      n.ica.fill(0);
      m.current(s, n);
      if (fast) updateTablePositions(n);
      advance(s, n);
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best * 1e6 / (STEPS * Math.max(1, node.length));
}

/** Milliseconds of one A2_step_1p0 sweep (prepare + run) with a catalogue, default mode. */
async function sweepMs(paramFile: string, catalogue: MechanismCatalogue): Promise<number> {
  const map = parsePathMap([`*/getting_started/example_data/=${shared("data", "isf_example")}/`]);
  const { cell, sim } = await createCell(paramFile, {
    pathMap: map,
    resolveRecordingSites: false,
    mechanisms: { sources: [], catalogue, synapses: [] },
  });
  const t0 = performance.now();
  const model = prepareModel(cell, {
    vInit: sim.vInit,
    tStop: sim.tStop,
    dt: sim.dt,
    celsius: sim.celsius,
    rateTables: true,
    units: "modern",
  }, { catalogue });
  runSweep(model, []);
  return performance.now() - t0;
}

/** Wall time [ms] of one `simrun cell` process (the CLI entry point, as the binary runs it). */
async function processMs(args: string[]): Promise<number> {
  const root = new URL("..", import.meta.url).pathname;
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys=hostname",
      "--allow-ffi",
      "--allow-run",
      "--unstable-worker-options",
      "--v8-flags=--max-semi-space-size=2,--optimize-for-size",
      `${root}main.ts`,
      ...args,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return ms;
}

/**
 * Runs the benchmark.
 *
 * @returns one line per mechanism and summary lines
 */
export async function benchNmodl(): Promise<string> {
  const mechDir = shared("data", "isf_example", "mechanisms", "channels_py3");
  const paramFile = shared("reference", "single_cell", "A2_step_1p0_neuron_model.param");
  if (!existsSync(mechDir) || !existsSync(paramFile)) return "nmodl: skipped (../shared is absent)";
  const t0 = performance.now();
  const sources = readdirSync(mechDir).filter((f) => f.endsWith(".mod")).sort()
    .map((f) => ({ path: `${mechDir}/${f}`, text: readFileSync(`${mechDir}/${f}`, "utf8") }));
  const compiled = buildMechanismCatalogue(sources);
  const compileMs = performance.now() - t0;
  const map = parsePathMap([`*/getting_started/example_data/=${shared("data", "isf_example")}/`]);
  const { cell } = await createCell(paramFile, { pathMap: map, resolveRecordingSites: false });
  const model = prepareModel(cell, {
    vInit: -75,
    tStop: 1,
    dt: 0.025,
    celsius: 34,
    rateTables: true,
    units: "modern",
  });
  const nodes = makeNodes(model.lowered.nodeCount);
  const lines: string[] = [];
  let sumB = 0, sumC = 0, sumBe = 0, sumCe = 0;
  for (const lm of model.lowered.mechanisms) {
    const b = lm.mechanism;
    const c = compiled.density.find((m) => m.name === b.name);
    if (c === undefined || c === b) continue;
    const count = lm.instances.node.length;
    const bFast = timeKernels(b, true, lm.instances, nodes);
    const cFast = timeKernels(c, true, lm.instances, nodes);
    const bExact = timeKernels(b, false, lm.instances, nodes);
    const cExact = timeKernels(c, false, lm.instances, nodes);
    sumB += bFast * count;
    sumC += cFast * count;
    sumBe += bExact * count;
    sumCe += cExact * count;
    lines.push(
      `  ${b.name.padEnd(13)} ${String(count).padStart(4)} instances: default ${
        bFast.toFixed(1)
      } → ${cFast.toFixed(1)} ns (${(cFast / bFast).toFixed(2)}×), exact ${bExact.toFixed(1)} → ${
        cExact.toFixed(1)
      } ns (${(cExact / bExact).toFixed(2)}×) per instance-step (built-in → compiled)`,
    );
  }
  let tB = Infinity, tC = Infinity;
  for (let r = 0; r < WHOLE_REPEATS; r++) {
    tB = Math.min(tB, await sweepMs(paramFile, BUILTIN_CATALOGUE));
    tC = Math.min(tC, await sweepMs(paramFile, compiled));
  }
  const map2 = `*/getting_started/example_data/=${shared("data", "isf_example")}/`;
  const tmp = await Deno.makeTempDir({ prefix: "simrun_nmodl_bench_" });
  const cellArgs = ["cell", paramFile, "--path-map", map2, "--out", `${tmp}/a2.csv`];
  const replayArgs = (n: number) => [
    "replay",
    shared("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
    shared("data", "isf_example", "functional_constraints", "network.param"),
    shared("reference", "network", "B_run_new_simulations", "simulation_run0000_synapses.csv"),
    "--path-map",
    map2,
    "--dir-prefix",
    `${tmp}/r${n}`,
    "--quiet",
  ];
  let pB = Infinity, pC = Infinity, rB = Infinity, rC = Infinity;
  try {
    for (let r = 0; r < PROCESS_REPEATS; r++) {
      pB = Math.min(pB, await processMs(cellArgs));
      pC = Math.min(pC, await processMs([...cellArgs, "--mechanisms", mechDir]));
      rB = Math.min(rB, await processMs(replayArgs(2 * r)));
      rC = Math.min(rC, await processMs([...replayArgs(2 * r + 1), "--mechanisms", mechDir]));
    }
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
  return `nmodl: compiling ISF's channels_py3 (${sources.length} files) ${
    compileMs.toFixed(0)
  } ms; Hay kernels (current + advance), compiled/built-in: default mode ${
    (sumC / sumB).toFixed(2)
  }×, exact ${(sumCe / sumBe).toFixed(2)}×\n` +
    `nmodl: A2_step_1p0 sweep (prepare + run, default mode) built-in ${
      (tB / 1000).toFixed(2)
    } s, compiled ${(tC / 1000).toFixed(2)} s (${
      (tC / tB).toFixed(2)
    }×; goal ≤ 1.3×), best of ${WHOLE_REPEATS}\n` +
    `nmodl: simrun cell A2_step_1p0 (whole process) built-in ${(pB / 1000).toFixed(2)} s, ` +
    `--mechanisms channels_py3 ${(pC / 1000).toFixed(2)} s (${(pC / pB).toFixed(2)}×); ` +
    `simrun replay of B's sweep 0 (whole process) built-in ${(rB / 1000).toFixed(2)} s, ` +
    `--mechanisms channels_py3 ${(rC / 1000).toFixed(2)} s (${(rC / rB).toFixed(2)}×); ` +
    `best of ${PROCESS_REPEATS}\n${lines.join("\n")}`;
}
