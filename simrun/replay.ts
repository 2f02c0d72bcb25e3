/**
 * ISF's `run_existing_synapse_activations` (spec/algorithm.md §10, outputs.md §7): the synapse
 * activation files are split into `nprocs` contiguous chunks (NumPy `array_split`), one job each;
 * a job re-simulates its files in order (one sweep per file) into `seed00000_pid<P>` with sweep
 * files `simulation_run%07d_*` and a `synapse_file_paths.csv`.
 *
 * @module
 */
import type { PathMap } from "../io/mod.ts";
import {
  executeJob,
  type JobHooks,
  type JobResult,
  type JobSettings,
  prepareInputs,
  prepareReplayNetwork,
  replayPrefix,
  startSweepPool,
} from "./job.ts";
import type { ProgressMode } from "./progress.ts";
import { runTasks } from "./run.ts";

/** One replay job: plain data for a worker. */
export interface ReplayJobSpec extends JobSettings {
  /** Cell param path (ISF `cellParamName`). */
  readonly cellParam: string;
  /** Network param path (ISF `evokedUpParamName`; synapse kinetics and weights). */
  readonly networkParam: string;
  /** This job's synapse activation files, in order (one sweep each). */
  readonly synapseFiles: readonly string[];
  /** Rules for foreign paths inside the param files. */
  readonly pathMap: PathMap;
}

/** Options of {@link runReplay}. */
export interface ReplayOptions extends Omit<ReplayJobSpec, "synapseFiles"> {
  /** All synapse activation files (ISF `synapseActivation`), split over the jobs. */
  readonly synapseFiles: readonly string[];
  /** Number of jobs (the files are split into contiguous chunks). */
  readonly nprocs: number;
  /** Progress display (default: terminal-dependent). */
  readonly progress?: ProgressMode | undefined;
}

/**
 * NumPy `array_split` of `items` into `n` contiguous chunks: the first `len % n` chunks get one more.
 *
 * @param items the list
 * @param n number of chunks ≥ 1
 * @returns the chunks (empty ones included, as NumPy does)
 * @example Five files over two jobs
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitContiguous } from "./replay.ts";
 * assert.deepEqual(splitContiguous([1, 2, 3, 4, 5], 2), [[1, 2, 3], [4, 5]]);
 * ```
 */
export function splitContiguous<T>(items: readonly T[], n: number): T[][] {
  const base = Math.floor(items.length / n), extra = items.length % n;
  const out: T[][] = [];
  let at = 0;
  for (let k = 0; k < n; k++) {
    const len = base + (k < extra ? 1 : 0);
    out.push(items.slice(at, at + len));
    at += len;
  }
  return out;
}

/**
 * `synapse_file_paths.csv` (outputs.md §7): pandas CSV, comma-separated.
 *
 * @param files the job's files as given
 * @returns file content
 */
export function synapseFilePathsCsv(files: readonly string[]): string {
  return "synapse_file,number\n" +
    files.map((f, i) => `${f},${String(i).padStart(7, "0")}\n`).join("");
}

/**
 * Runs one replay job.
 *
 * @param spec inputs, files and settings
 * @param hooks progress
 * @returns the final folder and per-file spike counts
 */
export async function runReplayJob(spec: ReplayJobSpec, hooks: JobHooks = {}): Promise<JobResult> {
  const sweepPool = startSweepPool(spec, spec.synapseFiles.length);
  try {
    const { built, networkParam, sites } = await prepareInputs(spec);
    const net = await prepareReplayNetwork(built, networkParam, spec, sites);
    return await executeJob(
      {
        built,
        networkParam,
        net,
        uniqueId: `seed00000_pid${hooks.pid ?? Deno.pid}`,
        sweeps: spec.synapseFiles.map((_, i) => i),
        sweepFilePrefix: replayPrefix,
        startFiles: { "synapse_file_paths.csv": synapseFilePathsCsv(spec.synapseFiles) },
        sweepPool,
      },
      spec,
      hooks,
    );
  } finally {
    sweepPool?.terminate();
  }
}

/**
 * Replays synapse activation files in `nprocs` parallel jobs.
 *
 * @param options inputs, files, nprocs, settings
 * @returns one result per non-empty chunk
 */
export function runReplay(options: ReplayOptions): Promise<JobResult[]> {
  const { nprocs, progress, synapseFiles, ...rest } = options;
  const chunks = splitContiguous(synapseFiles, nprocs).filter((c) => c.length > 0);
  // All jobs are workers of one process: job k is named pid<P+k> so that their folders differ.
  return runTasks(
    chunks.map((c, k) => ({
      kind: "replay",
      spec: { ...rest, synapseFiles: c },
      pid: Deno.pid + k,
    })),
    {
      totalSweeps: synapseFiles.length,
      progress,
    },
  );
}
