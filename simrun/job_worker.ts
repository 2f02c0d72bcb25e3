/**
 * Worker entry: runs one task (a `run` job or a `replay` job) and reports sweeps, the result or the
 * error back to `simrun/run.ts`. One cell per worker; nothing is shared between jobs.
 *
 * @module
 */
import { runJob } from "./job.ts";
import { runReplayJob } from "./replay.ts";
import { serializeError, type WorkerReply, type WorkerTask } from "./run.ts";

declare const self: {
  onmessage: ((e: MessageEvent<WorkerTask>) => void) | null;
  postMessage(msg: WorkerReply): void;
  close(): void;
};

self.onmessage = async (e: MessageEvent<WorkerTask>) => {
  const task = e.data;
  const onSweep = (sweep: number, somaSpikes: number) =>
    self.postMessage({ type: "sweep", sweep, somaSpikes });
  try {
    const hooks = { onSweep, ...(task.pid !== undefined ? { pid: task.pid } : {}) };
    const result = task.kind === "run"
      ? await runJob(task.spec, hooks)
      : await runReplayJob(task.spec, hooks);
    self.postMessage({ type: "done", result });
  } catch (err) {
    self.postMessage({ type: "error", error: serializeError(err) });
  }
  self.close();
};
