/**
 * `simrun network`: realizes the network sweep by sweep (activity, connections, releases) without
 * simulating the cell, and writes only `simulation_runNNNN_synapses.csv` and
 * `simulation_runNNNN_presynaptic_cells.csv` into one folder. The files equal those of
 * `simrun run` with the same seed, generator and sweeps.
 *
 * @module
 */
import { readParamFile } from "../io/mod.ts";
import type { PathMap } from "../io/mod.ts";
import type { NetworkRandomKind } from "../network/mod.ts";
import { createCell } from "./create_cell.ts";
import { prepareNetwork } from "./job_inputs.ts";
import { paramMechanismFolders } from "./job_mechanisms.ts";
import { runPrefix, sweepList } from "./job_spec.ts";

/** Options of {@link runNetworkOnly}. */
export interface NetworkOnlyOptions {
  /** Cell param path (the synapses need the morphology). */
  readonly cellParam: string;
  /** Network param path. */
  readonly networkParam: string;
  /** Seed of the network realization. */
  readonly seed: number;
  /** Number of sweeps (ignored when `sweepRange` is given). */
  readonly nSweeps: number;
  /** Only sweeps [start, end). */
  readonly sweepRange?: { readonly start: number; readonly end: number };
  /** Random streams (`isf` or `simrun`). */
  readonly rng: NetworkRandomKind;
  /** Output folder (created with parents). */
  readonly outDir: string;
  /** Spike trains stop here [ms] (the CLI's default: 345). */
  readonly tStop: number;
  /** Unused here (no param is saved); accepted for symmetry with runs. */
  readonly tStopIsFloat?: boolean;
  /** Rules for foreign paths inside the param files. */
  readonly pathMap: PathMap;
  /** Folders of the user's `.mod` files (`--mechanisms DIR`): receptors of their own. */
  readonly mechanismFolders?: readonly string[];
}

/**
 * Writes the per-sweep synapse and presynaptic files of a network realization.
 *
 * @param options inputs, seed, sweeps, output folder
 * @returns the written file paths
 */
export async function runNetworkOnly(options: NetworkOnlyOptions): Promise<string[]> {
  const networkParam = await readParamFile(options.networkParam);
  const built = await createCell(options.cellParam, {
    pathMap: options.pathMap,
    resolveRecordingSites: false, // no traces are written
    networkMechanismFolders: paramMechanismFolders(
      networkParam,
      options.networkParam,
      options.pathMap,
    ),
    ...(options.mechanismFolders !== undefined
      ? { mechanismFolders: options.mechanismFolders }
      : {}),
  });
  const net = await prepareNetwork(built, networkParam, options);
  await Deno.mkdir(options.outDir, { recursive: true });
  const written: string[] = [];
  for (const sweep of sweepList(options)) {
    const r = net.realize(sweep);
    const base = `${options.outDir}/${runPrefix(sweep)}`;
    await Deno.writeTextFile(`${base}_synapses.csv`, r.synapsesCsv());
    await Deno.writeTextFile(`${base}_presynaptic_cells.csv`, r.presynapticCsv());
    written.push(`${base}_synapses.csv`, `${base}_presynaptic_cells.csv`);
  }
  return written;
}
