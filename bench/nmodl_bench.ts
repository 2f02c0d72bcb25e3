/**
 * NMODL compiler speed: kernels generated from ISF's Hay `.mod` files against the built-in
 * hand-written kernels, on the instance counts of the 1,142-compartment example cell, in default
 * mode (rate tables) and exact mode; then the whole A2_step_1p0 simulation with either kernel set
 * (issue 12's goal: default mode ≤ 1.3× the built-ins). Best of N; needs ../shared.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { parsePathMap } from "../io/path_map.ts";
import { createCell } from "../simrun/create_cell.ts";
import { lowerCell } from "../solver/compartments.ts";
import { DENSITY_MECHANISMS, TABULATED_ADVANCE } from "../solver/mechanisms/mod.ts";
import { updateTablePositions } from "../solver/mechanisms/_rate_table.ts";
import {
  allocateInstances,
  type DensityMechanism,
  type Kernel,
  type MechanismInstances,
  type NodeArrays,
} from "../solver/mechanisms/_types.ts";
import { compileNmodl, toDensityMechanism } from "../solver/nmodl/mod.ts";
import { simulate } from "../solver/simulation.ts";

const HAY = [
  "CaDynamics_E2",
  "Ca_HVA",
  "Ca_LVAst",
  "Ih",
  "Im",
  "K_Pst",
  "K_Tst",
  "NaTa_t",
  "Nap_Et2",
  "SK_E2",
  "SKv3_1",
];
const STEPS = 2000;
const REPEATS = 5;
const WHOLE_REPEATS = 4;

function shared(...p: string[]): string {
  return new URL(["../../shared", ...p].join("/"), import.meta.url).pathname;
}

interface Kernels {
  readonly m: DensityMechanism;
  readonly advance: Kernel;
}

/** Best time per instance-step [ns] of current + advance over STEPS steps of a voltage sweep. */
function timeKernels(
  k: Kernels,
  node: Int32Array,
  params: MechanismInstances,
  n: NodeArrays,
): number {
  const s = allocateInstances(k.m, node);
  for (const [p, a] of Object.entries(params.fields)) if (s.fields[p]) s.fields[p].set(a);
  let best = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    n.v.fill(-75);
    n.cai.fill(5e-5);
    k.m.init(s, n);
    const t0 = performance.now();
    for (let step = 0; step < STEPS; step++) {
      const v = -75 + 40 * Math.sin(step * 0.01);
      n.v.fill(v);
      n.i.fill(0);
      n.g.fill(0);
      n.ica.fill(0);
      k.m.current(s, n);
      updateTablePositions(n.v);
      k.advance(s, n);
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best * 1e6 / (STEPS * Math.max(1, node.length));
}

/** Builds the example cell with the catalogue as given (built-ins, or compiled swapped in). */
async function buildCell(paramFile: string): Promise<Awaited<ReturnType<typeof createCell>>> {
  const map = parsePathMap([`*/getting_started/example_data/=${shared("data", "isf_example")}/`]);
  return await createCell(paramFile, { pathMap: map, resolveRecordingSites: false });
}

/** Swaps the compiled kernels into the catalogue while `fn` runs. */
async function withCompiled<T>(
  compiled: Map<string, { m: DensityMechanism; tab?: Kernel }>,
  fn: () => T | Promise<T>,
): Promise<T> {
  const arr = DENSITY_MECHANISMS as DensityMechanism[];
  const tab = TABULATED_ADVANCE as Map<DensityMechanism, Kernel>;
  const saved = [...arr];
  try {
    for (const [name, c] of compiled) {
      arr[arr.findIndex((m) => m.name === name)] = c.m;
      if (c.tab) tab.set(c.m, c.tab);
    }
    return await fn();
  } finally {
    arr.splice(0, arr.length, ...saved);
    for (const c of compiled.values()) tab.delete(c.m);
  }
}

/**
 * Best-of-N wall time of A2_step_1p0 (default mode) with the built-ins and with the compiled
 * kernels, runs interleaved so that machine load hits both alike.
 */
async function wholeCell(
  paramFile: string,
  compiled: Map<string, { m: DensityMechanism; tab?: Kernel }>,
): Promise<{ builtin: number; compiled: number }> {
  const b = await buildCell(paramFile);
  const c = await withCompiled(compiled, () => buildCell(paramFile));
  const opts = { vInit: b.sim.vInit, tStop: b.sim.tStop, dt: b.sim.dt, celsius: b.sim.celsius };
  let tb = Infinity, tc = Infinity;
  for (let r = 0; r < WHOLE_REPEATS; r++) {
    let t0 = performance.now();
    simulate(b.cell, opts);
    tb = Math.min(tb, performance.now() - t0);
    await withCompiled(compiled, () => {
      t0 = performance.now();
      simulate(c.cell, opts);
      tc = Math.min(tc, performance.now() - t0);
    });
  }
  return { builtin: tb, compiled: tc };
}

/**
 * Runs the benchmark.
 *
 * @returns one line per mechanism and a summary line
 */
export async function benchNmodl(): Promise<string> {
  const mechDir = shared("data", "isf_example", "mechanisms", "channels_py3");
  const paramFile = shared("reference", "single_cell", "A2_step_1p0_neuron_model.param");
  if (!existsSync(mechDir) || !existsSync(paramFile)) return "nmodl: skipped (../shared is absent)";
  const map = parsePathMap([`*/getting_started/example_data/=${shared("data", "isf_example")}/`]);
  const { cell } = await createCell(paramFile, { pathMap: map, resolveRecordingSites: false });
  const lowered = lowerCell(cell);
  const nodes: NodeArrays = {
    v: new Float64Array(lowered.nodeCount),
    i: new Float64Array(lowered.nodeCount),
    g: new Float64Array(lowered.nodeCount),
    area: lowered.area,
    ena: lowered.ena,
    ek: lowered.ek,
    eca: new Float64Array(lowered.nodeCount).fill(140),
    cai: new Float64Array(lowered.nodeCount),
    cao: new Float64Array(lowered.nodeCount).fill(2),
    ica: new Float64Array(lowered.nodeCount),
    dt: 0.025,
    t: 0,
    celsius: 34,
    faraday: 96485.33212331001,
  };
  const compiled = new Map<string, { m: DensityMechanism; tab?: Kernel }>();
  const lines: string[] = [];
  let sumB = 0, sumC = 0, sumBe = 0, sumCe = 0;
  for (const name of HAY) {
    const r = compileNmodl(readFileSync(`${mechDir}/${name}.mod`, "utf8"), { file: `${name}.mod` });
    if (!r.ok) throw r.error;
    const a = toDensityMechanism(r.mechanism);
    compiled.set(
      name,
      a.tabulatedAdvance ? { m: a.mechanism, tab: a.tabulatedAdvance } : { m: a.mechanism },
    );
    const lm = lowered.mechanisms.find((x) => x.mechanism.name === name);
    if (lm === undefined) continue;
    const b = lm.mechanism;
    const count = lm.instances.node.length;
    const bFast = timeKernels(
      { m: b, advance: TABULATED_ADVANCE.get(b) ?? b.advance },
      lm.instances.node,
      lm.instances,
      nodes,
    );
    const cFast = timeKernels(
      { m: a.mechanism, advance: a.tabulatedAdvance ?? a.mechanism.advance },
      lm.instances.node,
      lm.instances,
      nodes,
    );
    const bExact = timeKernels(
      { m: b, advance: b.advance },
      lm.instances.node,
      lm.instances,
      nodes,
    );
    const cExact = timeKernels(
      { m: a.mechanism, advance: a.mechanism.advance },
      lm.instances.node,
      lm.instances,
      nodes,
    );
    sumB += bFast * count;
    sumC += cFast * count;
    sumBe += bExact * count;
    sumCe += cExact * count;
    lines.push(
      `  ${name.padEnd(13)} ${String(count).padStart(4)} instances: default ${bFast.toFixed(1)} → ${
        cFast.toFixed(1)
      } ns (${(cFast / bFast).toFixed(2)}×), exact ${bExact.toFixed(1)} → ${
        cExact.toFixed(1)
      } ns (${(cExact / bExact).toFixed(2)}×) per instance-step (built-in → compiled)`,
    );
  }
  const whole = await wholeCell(paramFile, compiled);
  const tB = whole.builtin, tC = whole.compiled;
  return `nmodl: Hay kernels (current + advance), compiled/built-in: default mode ${
    (sumC / sumB).toFixed(2)
  }×, exact ${(sumCe / sumBe).toFixed(2)}×; A2_step_1p0 whole simulation (default mode) ` +
    `built-in ${(tB / 1000).toFixed(2)} s, compiled ${(tC / 1000).toFixed(2)} s (${
      (tC / tB).toFixed(2)
    }×; goal ≤ 1.3×), best of ${REPEATS} (kernels) / ${WHOLE_REPEATS} interleaved (whole)\n${
      lines.join("\n")
    }`;
}
