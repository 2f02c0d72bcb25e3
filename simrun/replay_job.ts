/**
 * One replay job (ISF `run_existing_synapse_activations`, spec/algorithm.md §10, outputs.md §7):
 * re-simulates its synapse activation files in order (one sweep per file) into
 * `seed00000_pid<P>` with sweep files `simulation_run%07d_*` and a `synapse_file_paths.csv`.
 *
 * @module
 */
import { prepareJobSides, prepareReplayNetwork } from "./job_inputs.ts";
import { executeJob, startSweepPool } from "./job_runner.ts";
import { type JobHooks, type JobResult, type ReplayJobSpec, replayPrefix } from "./job_spec.ts";

/**
 * NumPy `array_split` of `items` into `n` contiguous chunks: the first `len % n` chunks get one more.
 *
 * @param items the list
 * @param n number of chunks ≥ 1
 * @returns the chunks (empty ones included, as NumPy does)
 * @example Five files over two jobs
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitContiguous } from "./replay_job.ts";
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
 * @param hooks progress, pid, recorders
 * @returns the final folder and per-file spike counts
 * @throws InputSyntaxError / InputValueError before the folder is created for bad input
 */
export async function runReplayJob(spec: ReplayJobSpec, hooks: JobHooks = {}): Promise<JobResult> {
  const pool = startSweepPool(spec, spec.synapseFiles.length);
  try {
    const job = await prepareJobSides(
      spec,
      (cell) => prepareReplayNetwork(cell.built, cell.networkParam, spec),
    );
    return await executeJob(
      {
        ...job,
        uniqueId: `seed00000_pid${hooks.pid ?? Deno.pid}`,
        sweeps: spec.synapseFiles.map((_, i) => i),
        sweepFilePrefix: replayPrefix,
        startFiles: { "synapse_file_paths.csv": synapseFilePathsCsv(spec.synapseFiles) },
      },
      spec,
      { pool, hooks },
    );
  } finally {
    pool.terminate();
  }
}
