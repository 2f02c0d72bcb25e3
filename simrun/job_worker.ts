/**
 * Job worker entry: runs one task (a run or a replay job) and reports sweeps, the result or the
 * error back to `simrun/task_pool.ts`. One cell per worker; nothing is shared between jobs.
 *
 * @module
 */
import { runTask } from "./job_task.ts";
import { serializeError, type WorkerReply, type WorkerTask } from "./_worker_protocol.ts";
import { setWarningSink } from "./warnings.ts";

declare const self: {
  onmessage: ((e: MessageEvent<WorkerTask>) => void) | null;
  postMessage(msg: WorkerReply): void;
  close(): void;
};

// Warnings go to the main thread, which prints each text once for all jobs.
setWarningSink((message) => self.postMessage({ type: "warning", message }));

self.onmessage = async (e: MessageEvent<WorkerTask>) => {
  try {
    const result = await runTask(
      e.data,
      (sweep, somaSpikes) => self.postMessage({ type: "sweep", sweep, somaSpikes }),
    );
    self.postMessage({ type: "done", result });
  } catch (err) {
    self.postMessage({ type: "error", error: serializeError(err) });
  }
  self.close();
};
