/**
 * One task of a campaign, as an array element runs it (`simrun slurm task <campaign> <index>`):
 * verify the inputs, run the job's sweeps [start, end) with `runJobs` into `tasks/<i>_running/`,
 * write the manifest and rename the folder to `tasks/<i>/`. A finished task returns at once; a
 * leftover `_running` folder (a killed attempt) is discarded and the task redone. A failure leaves
 * `tasks/<i>.failed` with one line saying why (also on SIGTERM: scancel, time limit).
 *
 * @module
 */
import { InputValueError, parsePathMap } from "../io/mod.ts";
import { type ProgressMode, runJobs } from "../simrun/mod.ts";
import { type Campaign, type CampaignTask, readCampaign, taskPath } from "./campaign.ts";
import { mechanismFiles, verifyInputs } from "./inputs.ts";
import { writeManifest } from "./manifest.ts";

/** `task.json` inside a task folder: what ran where and when. */
export interface TaskRecord {
  /** The task. */
  readonly task: CampaignTask;
  /** Host it ran on. */
  readonly host: string;
  /** Process id. */
  readonly pid: number;
  /** Start (ISO 8601). */
  readonly started: string;
  /** End (ISO 8601), once finished. */
  readonly finished?: string;
}

/** Name of the record file inside a task folder. */
export const TASK_RECORD_FILE = "task.json";

/** Options of {@link runCampaignTask}. */
export interface RunCampaignTaskOptions {
  /** Progress display of the job (default: plain lines, as in a batch log). */
  readonly progress?: ProgressMode;
}

/** What {@link runCampaignTask} did. */
export interface CampaignTaskResult {
  /** The finished task folder. */
  readonly folder: string;
  /** True when the task had finished before and nothing ran. */
  readonly alreadyDone: boolean;
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

async function removeIfThere(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}

/**
 * The task of `index`, or an input error naming the valid range.
 *
 * @param campaign the campaign
 * @param index the task index
 * @returns the task
 */
export function campaignTask(campaign: Campaign, index: number): CampaignTask {
  const task = Number.isInteger(index) ? campaign.tasks[index] : undefined;
  if (task === undefined) {
    throw new InputValueError(
      { file: "<command line>", key: "index" },
      `Task index ${index} is not in the campaign: it has tasks 0-${campaign.tasks.length - 1}`,
    );
  }
  return task;
}

/**
 * Runs task `index` of the campaign in `dir` (idempotent).
 *
 * @param dir the campaign folder
 * @param index the task index
 * @param options progress display
 * @returns the task folder and whether it had been done before
 * @throws InputValueError when an input changed since submission (nothing runs); the errors of
 *   the run otherwise. Either way `tasks/<i>.failed` says why.
 */
export async function runCampaignTask(
  dir: string,
  index: number,
  options: RunCampaignTaskOptions = {},
): Promise<CampaignTaskResult> {
  const campaign = await readCampaign(dir);
  const task = campaignTask(campaign, index);
  const done = taskPath(dir, index, "done");
  if (await isDir(done)) return { folder: done, alreadyDone: true };
  const running = taskPath(dir, index, "running");
  const failed = taskPath(dir, index, "failed");
  await removeIfThere(failed);
  const note = (why: string) => {
    try {
      Deno.writeTextFileSync(failed, why.replace(/\s*\n\s*/g, " ") + "\n");
    } catch { /* the campaign folder is gone or read-only: the log still has the error */ }
  };
  // scancel, a time limit or a shutdown sends SIGTERM first: say so before dying.
  const onTerm = () => {
    note(`killed by SIGTERM (scancel, time limit or node shutdown) on ${Deno.hostname()}`);
    Deno.exit(143);
  };
  const listening = Deno.build.os !== "windows"; // Windows has no SIGTERM to listen to
  if (listening) Deno.addSignalListener("SIGTERM", onTerm);
  try {
    await verifyInputs(campaign.inputs, `task ${index}`);
    await verifyMechanismFiles(campaign, `task ${index}`);
    await removeIfThere(running); // a killed attempt: redo it from scratch
    await Deno.mkdir(running, { recursive: true });
    const record: TaskRecord = {
      task,
      host: Deno.hostname(),
      pid: Deno.pid,
      started: new Date().toISOString(),
    };
    await Deno.writeTextFile(
      `${running}/${TASK_RECORD_FILE}`,
      JSON.stringify(record, null, 2) + "\n",
    );
    const { run } = campaign;
    await runJobs({
      cellParam: run.cellParam,
      networkParam: run.networkParam,
      dirPrefix: running,
      nSweeps: run.nSweeps,
      seeds: [task.seed],
      sweepRange: { start: task.start, end: task.end },
      tStop: run.tStop,
      tStopIsFloat: run.tStopIsFloat,
      rng: run.rng,
      tar: false,
      pathMap: parsePathMap(run.pathMap, { source: "campaign.json run.pathMap" }),
      plugins: run.plugins,
      pluginRead: run.pluginRead,
      ...(run.pluginTimeLimitMs !== undefined ? { pluginTimeLimitMs: run.pluginTimeLimitMs } : {}),
      solver: { rateTables: !run.exact, units: run.units },
      ...(run.mechanismFolders !== undefined ? { mechanismFolders: run.mechanismFolders } : {}),
      threads: run.threads,
      progress: options.progress ?? "lines",
    });
    await Deno.writeTextFile(
      `${running}/${TASK_RECORD_FILE}`,
      JSON.stringify({ ...record, finished: new Date().toISOString() }, null, 2) + "\n",
    );
    await writeManifest(running, index);
    await Deno.rename(running, done);
    return { folder: done, alreadyDone: false };
  } catch (e) {
    note(e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    if (listening) Deno.removeSignalListener("SIGTERM", onTerm);
  }
}

/**
 * Checks that the mechanism folders hold the same `.mod` files as at submission (a file added or
 * removed since would change what the task compiles; changed contents are caught by the
 * checksums of `verifyInputs`).
 *
 * @param campaign the campaign
 * @param what who checks, for the message
 * @throws InputValueError naming a file that appeared or disappeared
 */
async function verifyMechanismFiles(campaign: Campaign, what: string): Promise<void> {
  const { run } = campaign;
  const submitted = new Set(
    campaign.inputs.filter((i) => i.role === "mechanism file").map((i) => i.path),
  );
  const now = await mechanismFiles(run.cellParam, run.networkParam, {
    pathMap: parsePathMap(run.pathMap, { source: "campaign.json run.pathMap" }),
    ...(run.mechanismFolders !== undefined ? { mechanismFolders: run.mechanismFolders } : {}),
  });
  for (const f of now) {
    if (!submitted.has(f)) {
      throw new InputValueError(
        { file: f },
        `mechanism file appeared since the campaign was submitted; ${what} not run: submit a new campaign`,
      );
    }
  }
  for (const f of submitted) {
    if (!now.includes(f)) {
      throw new InputValueError(
        { file: f },
        `mechanism file of the campaign is gone since submission; ${what} not run`,
      );
    }
  }
}
