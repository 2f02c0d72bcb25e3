/**
 * Runs jobs in parallel, each in its own Deno Worker (ISF runs `nprocs` independent jobs), with
 * progress on stderr; a single job runs in this thread (a worker would only add a second
 * JavaScript heap and its start-up time). Errors cross the worker boundary as plain data
 * (`_worker_protocol.ts`) and are rebuilt with their class.
 *
 * @module
 */
import type { JobResult } from "./job_spec.ts";
import { runTask } from "./job_task.ts";
import { Progress, type ProgressMode } from "./progress.ts";
import { deserializeError, type WorkerReply, type WorkerTask } from "./_worker_protocol.ts";
import { warn } from "./warnings.ts";

/** Options of {@link runTasks}. */
export interface RunTasksOptions {
  /** Sweeps over all tasks, for progress. */
  readonly totalSweeps: number;
  /** Progress display (default: terminal-dependent). */
  readonly progress?: ProgressMode | undefined;
}

/**
 * Runs every task in its own worker, all at once, and waits for all of them (a single task runs
 * in this thread). When some fail, the others still finish; then the first error (in task
 * order) is thrown.
 *
 * @param tasks one per job
 * @param options progress
 * @returns results in task order
 */
export async function runTasks(
  tasks: readonly WorkerTask[],
  options: RunTasksOptions,
): Promise<JobResult[]> {
  const progress = new Progress({
    jobs: tasks.length,
    totalSweeps: options.totalSweeps,
    ...(options.progress ? { mode: options.progress } : {}),
  });
  if (tasks.length === 1) {
    try {
      const result = await runTask(tasks[0]!, () => progress.sweepDone());
      progress.jobDone();
      return [result];
    } finally {
      progress.finish();
    }
  }
  const settled = await Promise.allSettled(
    tasks.map((task, j) =>
      new Promise<JobResult>((resolve, reject) => {
        const w = new Worker(new URL("./job_worker.ts", import.meta.url).href, { type: "module" });
        w.onmessage = (e: MessageEvent<WorkerReply>) => {
          const m = e.data;
          if (m.type === "sweep") progress.sweepDone();
          else if (m.type === "warning") warn(m.message);
          else if (m.type === "done") {
            progress.jobDone();
            w.terminate();
            resolve(m.result);
          } else {
            w.terminate();
            reject(deserializeError(m.error));
          }
        };
        w.onerror = (e) => {
          e.preventDefault();
          w.terminate();
          reject(new Error(`job ${j} worker failed: ${e.message}`));
        };
        w.postMessage(task);
      })
    ),
  );
  progress.finish();
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return settled.map((s) => (s as PromiseFulfilledResult<JobResult>).value);
}
