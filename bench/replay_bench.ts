/**
 * One 345 ms network sweep: replay of ISF's stored sweep 0 (reference/network/B_run_new_simulations)
 * on the example cell, simulation only (cell built and activation file read beforehand), and the
 * whole `simrun replay` process, against NEURON 8.2.2's 8.4 s for the same sweep
 * (bench/_reference_times.ts; issue 13's goal for the process: ≤ 0.10×), with sweeps per
 * core-hour.
 *
 * @module
 */
import { readParamFile } from "../io/param.ts";
import { parsePathMap } from "../io/path_map.ts";
import { parseSynapseActivationFile } from "../io/activation_files.ts";
import { readNetworkSpec } from "../network/network_param.ts";
import { createReplayMapper } from "../network/network_mapper.ts";
import { SYNAPSE_MECHANISMS } from "../network/synapses/mod.ts";
import { simulate } from "../solver/simulation.ts";
import { createCell } from "../simrun/create_cell.ts";
import { synapticInputs } from "../simrun/_worker_protocol.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";
import { NEURON_REPLAY_S, processSeconds, ratio, TARGET } from "./_reference_times.ts";

/** Sweeps one core completes in an hour at `s` seconds per sweep. */
function perCoreHour(s: number): string {
  return Math.round(3600 / s).toLocaleString("en-US");
}

/**
 * Replays sweep 0 and returns one printable line.
 *
 * @returns e.g. `replay sweep (345 ms, 4,400 synapses): 1.9 s (NEURON 8.1 s, 0.23×)`
 */
export async function benchReplay(): Promise<string> {
  if (sharedDir() === undefined) return "replay: skipped (../shared is absent)";
  const pathMap = parsePathMap(isfPathMap());
  const { cell, sim } = await createCell(
    sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param"),
    { pathMap },
  );
  const netFile = sharedPath("data", "isf_example", "functional_constraints", "network.param");
  const network = readNetworkSpec(await readParamFile(netFile), {
    resolvePath: (p: string) => p,
  });
  const actFile = sharedPath(
    "reference",
    "network",
    "B_run_new_simulations",
    "simulation_run0000_synapses.csv",
  );
  const act = parseSynapseActivationFile(await Deno.readTextFile(actFile), actFile);
  const realization = createReplayMapper(cell, network).replayFile(act);
  const mechanisms = Object.fromEntries(SYNAPSE_MECHANISMS.map((m) => [m.name, m]));
  const synapses = synapticInputs(realization.synapses, mechanisms);
  const t0 = performance.now();
  const run = simulate(cell, {
    vInit: sim.vInit,
    tStop: 345,
    dt: sim.dt,
    celsius: sim.celsius,
    synapses,
  });
  const s = (performance.now() - t0) / 1000;
  const steps = run.t.length - 1;
  return `replay sweep (345 ms, ${realization.synapses.length} active synapses, ${synapses.length} receptors), simulation only: ` +
    `${ratio(s, NEURON_REPLAY_S, "NEURON")}, ` +
    `${(1142 * steps / s / 1e6).toFixed(1)} M compartment-steps/s, ${
      perCoreHour(s)
    } sweeps per core-hour ` +
    `(NEURON ${perCoreHour(NEURON_REPLAY_S)})`;
}

/**
 * The whole `simrun replay` process of sweep 0 (start-up, parsing, cell, network, 345 ms,
 * files), best of 2, against NEURON's simulation time, and sweeps per core-hour when every
 * sweep is its own process.
 *
 * @returns one report line
 */
export async function benchReplayProcess(): Promise<string> {
  if (sharedDir() === undefined) return "replay process: skipped (../shared is absent)";
  const data = sharedPath("data", "isf_example");
  const tmp = await Deno.makeTempDir({ prefix: "simrun_replay_bench_" });
  try {
    const s = await processSeconds([
      "replay",
      `${data}/biophysical_constraints/86_C2_center.param`,
      `${data}/functional_constraints/network.param`,
      sharedPath(
        "reference",
        "network",
        "B_run_new_simulations",
        "simulation_run0000_synapses.csv",
      ),
      "--path-map",
      isfPathMap()[0]!,
      "--dir-prefix",
      tmp,
      "--quiet",
    ], tmp);
    return `replay sweep 0 whole \`simrun replay\` process (best of 2): ${
      ratio(s, NEURON_REPLAY_S, "NEURON simulation", TARGET.replay)
    }, ${perCoreHour(s)} sweeps per core-hour (NEURON ${perCoreHour(NEURON_REPLAY_S)})`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
