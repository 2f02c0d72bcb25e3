/**
 * Single-cell benchmark: the A2_step_1p0 protocol (400 ms, soma IClamp 1 nA, 1,142 segments)
 * against NEURON 8.2.2's 4.6 s on the same 2-core machine (bench/_reference_times.ts): the
 * simulation alone, and the whole `simrun cell` process (issue 13's goal: ≤ 0.10× NEURON).
 *
 * @module
 */
import process from "node:process";
import { parsePathMap } from "../io/path_map.ts";
import { spikeTimes } from "../simrun/cell_run.ts";
import { createCell } from "../simrun/create_cell.ts";
import { simulate } from "../solver/simulation.ts";
import { stepCount } from "../solver/settings.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";
import { NEURON_A2_S, processSeconds, ratio, TARGET } from "./_reference_times.ts";

/**
 * Builds the example cell and times `simulate()` on A2_step_1p0 (400 ms, dt 0.025 ms).
 *
 * @param rateTables gate updates from rate tables (default, as `simulate`) or NEURON-exact
 *   formulas (`false`)
 * @returns one report line: wall and CPU time [s] (CPU time is less disturbed by other load on
 *   a shared machine), compartment-steps per second and the ratio to NEURON (both from wall time)
 * @example
 * ```ts ignore
 * console.log(await benchSingleCell());
 * ```
 */
export async function benchSingleCell(rateTables = true): Promise<string> {
  if (sharedDir() === undefined) return "single cell: skipped (../shared is absent)";
  const param = sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param");
  const t0 = performance.now();
  const { cell, sim } = await createCell(param, { pathMap: parsePathMap(isfPathMap()) });
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const tStop = 400;
  const r = simulate(cell, {
    vInit: sim.vInit,
    tStop,
    dt: sim.dt,
    celsius: sim.celsius,
    rateTables,
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const wall = (t2 - t1) / 1000;
  const segments = cell.sections.reduce((s, sec) => s + sec.nseg, 0);
  const steps = stepCount(tStop, sim.dt);
  const rate = segments * steps / wall;
  const spikes = spikeTimes(r.t, r.soma).length;
  return `single cell A2_step_1p0 (${rateTables ? "rate tables" : "exact"}): build ${
    ((t1 - t0) / 1000).toFixed(2)
  } s, simulate ${wall.toFixed(2)} s wall / ${cpuS.toFixed(2)} s CPU ` +
    `(${steps} steps × ${segments} segments = ${(rate / 1e6).toFixed(2)} M compartment-steps/s), ` +
    `${(wall / NEURON_A2_S).toFixed(2)}× NEURON's ${NEURON_A2_S} s, ${spikes} spikes`;
}

/**
 * The whole `simrun cell` process on A2_step_1p0 (start-up, parsing, cell, 400 ms, CSV), best
 * of 2, against NEURON's simulation time.
 *
 * @returns one report line
 * @example
 * ```ts ignore
 * console.log(await benchSingleCellProcess());
 * ```
 */
export async function benchSingleCellProcess(): Promise<string> {
  if (sharedDir() === undefined) return "single cell process: skipped (../shared is absent)";
  const tmp = await Deno.makeTempDir({ prefix: "simrun_cell_bench_" });
  try {
    const s = await processSeconds([
      "cell",
      sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param"),
      "--tstop",
      "400",
      "--path-map",
      isfPathMap()[0]!,
      "--out",
      `${tmp}/a2.csv`,
    ], tmp);
    return `single cell A2_step_1p0 whole \`simrun cell\` process (best of 2): ${
      ratio(s, NEURON_A2_S, "NEURON simulation", TARGET.a2)
    }`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchSingleCell());
  console.log(await benchSingleCellProcess());
  if (Deno.args.includes("--exact")) console.log(await benchSingleCell(false));
}
