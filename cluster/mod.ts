/**
 * Campaigns on SLURM (`simrun slurm submit|task|status|merge|resume`): a run's jobs cut into tasks
 * of at most K sweeps, run as job arrays, checked against their inputs' checksums, watched, merged
 * into the job folders `simrun run` writes on one machine (byte for byte, also with `--rng isf`),
 * and resumed when tasks fail. This layer runs processes (`sbatch`, `squeue`, `sacct`, `scontrol`).
 *
 * @example Plan six tasks on a cluster whose MaxArraySize is 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { planArrays, planTasks } from "./mod.ts";
 * const tasks = planTasks([7, 9], 6, 2);
 * assert.equal(tasks.length, 6);
 * assert.deepEqual(planArrays(tasks.map((t) => t.index), 4).map((a) => a.array), ["0-3", "0-1"]);
 * ```
 *
 * @module
 */

export { CampaignError } from "./campaign_error.ts";
export {
  CAMPAIGN_FILES,
  CAMPAIGN_FORMAT,
  campaignPath,
  readCampaign,
  readSubmissions,
  taskPath,
} from "./campaign.ts";
export type {
  Campaign,
  CampaignInput,
  CampaignRun,
  CampaignSlurm,
  CampaignTask,
  Submission,
} from "./campaign.ts";
export { arrayRanges, planArrays, planTasks } from "./plan.ts";
export type { PlannedArray } from "./plan.ts";
export {
  defaultSimrunCommand,
  denoTaskCommand,
  formatBatchScript,
  shellQuote,
} from "./batch_script.ts";
export { collectInputs, verifyInputs } from "./inputs.ts";
export type { CollectInputsOptions } from "./inputs.ts";
export { MANIFEST_FILE, verifyManifest, writeManifest } from "./manifest.ts";
export type { Manifest, ManifestEntry } from "./manifest.ts";
export { sha256File } from "./sha256.ts";
export {
  DEFAULT_MAX_ARRAY_SIZE,
  maxArraySize,
  queueStates,
  sbatchArray,
  SLURM_COMMAND_TIMEOUT_MS,
  systemSlurm,
} from "./slurm_client.ts";
export type { CommandOutput, ElementState, QueueReport, SlurmRunner } from "./slurm_client.ts";
export { submitCampaign } from "./submit.ts";
export { sbatchCommand, submitArrays } from "./submit_arrays.ts";
export type { SubmitOptions, SubmitResult } from "./submit.ts";
export { campaignTask, runCampaignTask, TASK_RECORD_FILE } from "./task.ts";
export type { CampaignTaskResult, RunCampaignTaskOptions, TaskRecord } from "./task.ts";
export { campaignStatus, formatCampaignStatus } from "./status.ts";
export type { CampaignStatus, CampaignStatusOptions, TaskState, TaskStatus } from "./status.ts";
export { mergeCampaign } from "./merge.ts";
export type { MergedJob, MergeOptions, MergeResult } from "./merge.ts";
export { resumeCampaign } from "./resume.ts";
export type { ResumeOptions, ResumeResult } from "./resume.ts";
export { mergeTraceFiles } from "./trace_merge.ts";
