/**
 * One run job (ISF `_evoked_activity`, spec/algorithm.md §3): its inputs prepared and checked
 * before anything is written (`job_inputs.ts`), then the sweeps through the job runner.
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";
import { prepareJobSides, prepareNetwork } from "./job_inputs.ts";
import { executeJob, startSweepPool } from "./job_runner.ts";
import { type JobHooks, type JobResult, type JobSpec, runPrefix, sweepList } from "./job_spec.ts";

/**
 * Runs one job and returns its final folder.
 *
 * @param spec inputs and settings
 * @param hooks progress callback, pid, recorders
 * @returns the final folder, seed, sweeps and spike counts
 * @throws InputSyntaxError / InputValueError before the folder is created for bad input
 * @example
 * ```ts ignore
 * const r = await runJob({ ...settings, cellParam, networkParam, seed: 7, nSweeps: 2 });
 * ```
 */
export async function runJob(spec: JobSpec, hooks: JobHooks = {}): Promise<JobResult> {
  const sweeps = sweepList(spec);
  if (sweeps.length === 0) {
    throw new InputValueError({ file: "--sweeps", key: "nSweeps" }, "no sweeps to run");
  }
  const pool = startSweepPool(spec, sweeps.length);
  try {
    const job = await prepareJobSides(
      spec,
      (cell) => prepareNetwork(cell.built, cell.networkParam, spec),
    );
    const result = await executeJob(
      {
        ...job,
        uniqueId: `seed${spec.seed}_pid${hooks.pid ?? Deno.pid}`,
        sweeps,
        sweepFilePrefix: runPrefix,
      },
      spec,
      { pool, hooks },
    );
    return { ...result, seed: spec.seed };
  } finally {
    pool.terminate();
  }
}
