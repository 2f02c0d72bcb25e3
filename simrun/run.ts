/**
 * Runs jobs in parallel, each in its own Deno Worker (ISF runs `nprocs` independent jobs), with
 * progress on stderr. Errors cross the worker boundary as plain data and are rebuilt with their
 * class, so main.ts maps them to the same exit codes as in-process errors.
 *
 * @module
 */
import { InputSyntaxError, InputValueError, PluginError } from "../io/mod.ts";
import type { JobHooks, JobResult, JobSpec } from "./job.ts";
import { Progress, type ProgressMode } from "./progress.ts";
import type { ReplayJobSpec } from "./replay.ts";
import { warn } from "./warnings.ts";

/** A unit of work for one worker. */
export type WorkerTask =
  | { readonly kind: "run"; readonly spec: JobSpec; readonly pid?: number }
  | { readonly kind: "replay"; readonly spec: ReplayJobSpec; readonly pid?: number };

/** An error as plain data. */
export interface SerializedError {
  /** The class name (`InputValueError`, `NotFound`, …). */
  readonly name: string;
  /** The full message. */
  readonly message: string;
  /** The stack, where one exists. */
  readonly stack?: string;
  /** Input errors: file, line, column and key. */
  readonly file?: string;
  /** Input errors: 1-based line. */
  readonly line?: number;
  /** Input errors: 1-based column. */
  readonly column?: number;
  /** Input errors: dotted parameter key. */
  readonly key?: string;
  /** Plugin errors: the plugin. */
  readonly plugin?: string;
}

/** Messages from a worker. */
export type WorkerReply =
  | { readonly type: "sweep"; readonly sweep: number; readonly somaSpikes: number }
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "done"; readonly result: JobResult }
  | { readonly type: "error"; readonly error: SerializedError };

/**
 * Turns any thrown value into plain data.
 *
 * @param e the error
 * @returns name, message, stack and location fields
 */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  const r = e as Error & Partial<SerializedError>;
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(typeof r.file === "string" ? { file: r.file } : {}),
    ...(typeof r.line === "number" ? { line: r.line } : {}),
    ...(typeof r.column === "number" ? { column: r.column } : {}),
    ...(typeof r.key === "string" ? { key: r.key } : {}),
    ...(typeof r.plugin === "string" ? { plugin: r.plugin } : {}),
  };
}

/**
 * Rebuilds an error of the same class (input, plugin, file-system errors) with the same message.
 *
 * @param s the serialized error
 * @returns the error
 * @example Round trip keeps the class and message
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputValueError } from "../io/mod.ts";
 * import { deserializeError, serializeError } from "./run.ts";
 * const e = deserializeError(serializeError(new InputValueError({ file: "a.param", line: 3, key: "k" }, "bad")));
 * assert.ok(e instanceof InputValueError);
 * assert.equal(e.message, "a.param:3: bad");
 * ```
 */
export function deserializeError(s: SerializedError): Error {
  const loc = {
    file: s.file ?? "",
    line: s.line ?? 0,
    column: s.column ?? 0,
    ...(s.key ? { key: s.key } : {}),
  };
  let e: Error;
  if (s.name === "InputSyntaxError") e = new InputSyntaxError(loc, "");
  else if (s.name === "InputValueError") e = new InputValueError(loc, "");
  else if (s.name === "PluginError") e = new PluginError(s.plugin ?? "", "");
  else if (s.name in Deno.errors) {
    const C = (Deno.errors as unknown as Record<string, new (m: string) => Error>)[s.name]!;
    e = new C(s.message);
  } else {
    e = new Error(s.message);
    e.name = s.name;
  }
  Object.defineProperty(e, "message", { value: s.message, writable: true, configurable: true });
  if (s.stack !== undefined) e.stack = s.stack;
  return e;
}

/** Options of {@link runTasks}. */
export interface RunTasksOptions {
  /** Sweeps over all tasks, for progress. */
  readonly totalSweeps: number;
  /** Progress display (default: terminal-dependent). */
  readonly progress?: ProgressMode | undefined;
}

/**
 * Runs one task in the calling thread: in a job worker (job_worker.ts), or directly for a single
 * job, where a worker would only add a second JavaScript heap and its start-up time.
 *
 * @param task the job
 * @param onSweep called after each sweep's files are written
 * @returns the job's result
 */
export async function runTask(
  task: WorkerTask,
  onSweep: NonNullable<JobHooks["onSweep"]>,
): Promise<JobResult> {
  const hooks = { onSweep, ...(task.pid !== undefined ? { pid: task.pid } : {}) };
  if (task.kind === "run") {
    const { runJob } = await import("./job.ts");
    return await runJob(task.spec, hooks);
  }
  const { runReplayJob } = await import("./replay.ts");
  return await runReplayJob(task.spec, hooks);
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
 */
export function runJobs(options: RunJobsOptions): Promise<JobResult[]> {
  const { seeds, progress, ...rest } = options;
  const perJob = rest.sweepRange ? rest.sweepRange.end - rest.sweepRange.start : rest.nSweeps;
  return runTasks(seeds.map((seed) => ({ kind: "run", spec: { ...rest, seed } })), {
    totalSweeps: perJob * seeds.length,
    progress,
  });
}
