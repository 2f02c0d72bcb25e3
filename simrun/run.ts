/**
 * ISF's `run_new_simulations`: one run job per seed, in parallel job workers.
 *
 * @module
 */
import type { JobResult, JobSpec } from "./job_spec.ts";
import type { ProgressMode } from "./progress.ts";
import { runTasks } from "./task_pool.ts";

/** Options of {@link runJobs}: a job spec without its seed, plus one seed per job. */
export interface RunJobsOptions extends Omit<JobSpec, "seed"> {
  /** One seed per job (`nprocs` = number of seeds). */
  readonly seeds: readonly number[];
  /** Progress display (default: terminal-dependent). */
  readonly progress?: ProgressMode | undefined;
}

/**
 * ISF's `run_new_simulations`: one job per seed, in parallel workers.
 *
 * @param options inputs, settings, seeds
 * @returns each job's result, in seed order
 * @example
 * ```ts ignore
 * const [r] = await runJobs({ cellParam, networkParam, seeds: [7], nSweeps: 2, ... });
 * ```
 */
export function runJobs(options: RunJobsOptions): Promise<JobResult[]> {
  const { seeds, progress, ...rest } = options;
  const perJob = rest.sweepRange ? rest.sweepRange.end - rest.sweepRange.start : rest.nSweeps;
  return runTasks(seeds.map((seed) => ({ kind: "run", spec: { ...rest, seed } })), {
    totalSweeps: perJob * seeds.length,
    progress,
  });
}
