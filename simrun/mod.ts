/**
 * The workflows that wire the layers together: ISF's `run_new_simulations` (`runJobs`: sweeps,
 * seeds, output folders, one worker per job, `threads` sweep workers per job),
 * `run_existing_synapse_activations` (`runReplay`), network realization alone (`runNetworkOnly`),
 * single-cell runs (`runCell`, `createCell`) and the `inspect` tables. This layer touches files,
 * clocks, workers and the system libm.
 *
 * @example Repeatable job seeds from a user seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { jobSeeds, parseSeed } from "./mod.ts";
 * const seed = parseSeed("7");
 * assert.deepEqual(jobSeeds(2, seed), jobSeeds(2, seed));
 * assert.equal(jobSeeds(2, seed)[0], 7);
 * ```
 *
 * @module
 */

export { createCell, modelSettings } from "./create_cell.ts";
export type { CellSimSettings, CreateCellOptions, CreatedCell } from "./create_cell.ts";
export { runCell, spikeTimes } from "./cell_run.ts";
export {
  loadJobMechanisms,
  optionMechanismFolders,
  paramMechanismFolders,
  readModFolders,
} from "./job_mechanisms.ts";
export type { JobMechanisms, MechanismFolder } from "./job_mechanisms.ts";
export type { CellRunResult, RunCellOptions } from "./cell_run.ts";
export { inspectTables } from "./inspect.ts";
export type { ExtraColumn, InspectOptions } from "./inspect.ts";
export { runJobs } from "./run.ts";
export type { RunJobsOptions } from "./run.ts";
export type {
  JobHooks,
  JobResult,
  JobSettings,
  JobSpec,
  PluginSettings,
  ReplayJobSpec,
} from "./job_spec.ts";
export { runReplay } from "./replay.ts";
export type { ReplayOptions } from "./replay.ts";
export { runNetworkOnly } from "./network_only.ts";
export type { NetworkOnlyOptions } from "./network_only.ts";
export type { ProgressMode } from "./progress.ts";
export { formatDuration } from "./progress.ts";
export { JobFolder, resultsDir, timestamp } from "./output_dir.ts";
export type { FinishOptions, JobFolderOptions } from "./output_dir.ts";
export { jobSeeds, parseSeed } from "./seeds.ts";
export { watchLauncher } from "./launcher_watch.ts";
export type {
  LauncherProcess,
  LauncherWatch,
  ProcInfo,
  WatchLauncherOptions,
} from "./launcher_watch.ts";
