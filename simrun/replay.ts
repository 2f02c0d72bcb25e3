/**
 * ISF's `run_existing_synapse_activations` (spec/algorithm.md §10, outputs.md §7): the synapse
 * activation files are split into `nprocs` contiguous chunks (NumPy `array_split`), one replay
 * job each (`replay_job.ts`), in parallel job workers.
 *
 * @module
 */
import type { JobResult, ReplayJobSpec } from "./job_spec.ts";
import type { ProgressMode } from "./progress.ts";
import { splitContiguous } from "./replay_job.ts";
import { runTasks } from "./task_pool.ts";

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
 * Replays synapse activation files in `nprocs` parallel jobs.
 *
 * @param options inputs, files, nprocs, settings
 * @returns one result per non-empty chunk
 * @example
 * ```ts ignore
 * const results = await runReplay({ cellParam, networkParam, synapseFiles, nprocs: 2, ... });
 * ```
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
