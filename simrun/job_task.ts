/**
 * One job of either kind, run in the calling thread: what a job worker does with its task, and
 * what `runTasks` does directly for a single job.
 *
 * @module
 */
import type { JobHooks, JobResult } from "./job_spec.ts";
import { runJob } from "./run_job.ts";
import { runReplayJob } from "./replay_job.ts";
import type { WorkerTask } from "./_worker_protocol.ts";

/**
 * Runs one task (a run or a replay job) in the calling thread.
 *
 * @param task the job
 * @param onSweep called after each sweep's files are written
 * @returns the job's result
 */
export function runTask(
  task: WorkerTask,
  onSweep: NonNullable<JobHooks["onSweep"]>,
): Promise<JobResult> {
  const hooks: JobHooks = { onSweep, ...(task.pid !== undefined ? { pid: task.pid } : {}) };
  return task.kind === "run" ? runJob(task.spec, hooks) : runReplayJob(task.spec, hooks);
}
