/**
 * Where a campaign stands (`simrun slurm status`): each task done, running, pending, failed or
 * missing, from the campaign folder and, where they answer, `squeue` and `sacct`; sweeps done and
 * an ETA from the rate so far.
 *
 * A task is `done` when `tasks/<i>/` exists. Else the queue decides while it holds the task's
 * element as pending or running. Else the task `failed` when it left `tasks/<i>.failed`, when
 * SLURM reports its element failed, cancelled, timed out…, or when its `_running` folder stays
 * behind an element that has left the queue (killed). A task that was never submitted, or whose
 * element left the queue without a trace, is `missing`. Without an answering queue, `_running`
 * reads as running and nothing as pending, both marked unconfirmed.
 *
 * @module
 */
import { formatDuration } from "../simrun/mod.ts";
import {
  type Campaign,
  CAMPAIGN_FILES,
  campaignPath,
  readCampaign,
  readSubmissions,
  type Submission,
  taskPath,
} from "./campaign.ts";
import { type ElementState, queueStates, type SlurmRunner, systemSlurm } from "./slurm_client.ts";
import { TASK_RECORD_FILE, type TaskRecord } from "./task.ts";

/** The state of one task. */
export type TaskState = "done" | "running" | "pending" | "failed" | "missing";

/** One task's status. */
export interface TaskStatus {
  /** Task index. */
  readonly index: number;
  /** Its state. */
  readonly state: TaskState;
  /** False when the queue did not answer and the state is read from the folder alone. */
  readonly confirmed: boolean;
  /** Why it failed, or what the queue says. */
  readonly detail?: string;
  /** Sweeps with their files written. */
  readonly sweepsDone: number;
  /** The latest array element that runs it (`<jobId>_<arrayIndex>`). */
  readonly element?: string;
  /** SLURM's output file of that element. */
  readonly log?: string;
  /** When it started (ms since the epoch), if it did. */
  readonly startedMs?: number;
}

/** A campaign's status. */
export interface CampaignStatus {
  /** The campaign folder. */
  readonly dir: string;
  /** The campaign. */
  readonly campaign: Campaign;
  /** One entry per task, by index. */
  readonly tasks: readonly TaskStatus[];
  /** Number of tasks per state. */
  readonly counts: Readonly<Record<TaskState, number>>;
  /** Sweeps with files written, over all tasks. */
  readonly sweepsDone: number;
  /** Sweeps of the campaign. */
  readonly sweepsTotal: number;
  /** The arrays submitted so far. */
  readonly submissions: readonly Submission[];
  /** Whether squeue answered (else the reason). */
  readonly queue: { readonly answered: boolean; readonly reason?: string };
  /** Estimated seconds until every task is done, when there is a rate to go by. */
  readonly etaSeconds?: number;
  /** Merged job folders, once merged. */
  readonly merged?: readonly string[];
}

/** Options of {@link campaignStatus}. */
export interface CampaignStatusOptions {
  /** Runs squeue and sacct (default: the system's). */
  readonly run?: SlurmRunner;
  /** Clock (default: now). */
  readonly now?: () => Date;
}

/** SLURM states of an element that is still to run or at work. */
const LIVE: Readonly<Record<string, "pending" | "running">> = {
  PENDING: "pending",
  REQUEUED: "pending",
  REQUEUE_HOLD: "pending",
  REQUEUE_FED: "pending",
  RESV_DEL_HOLD: "pending",
  SUSPENDED: "running",
  CONFIGURING: "running",
  RUNNING: "running",
  COMPLETING: "running",
  RESIZING: "running",
  SIGNALING: "running",
  STAGE_OUT: "running",
};

async function readRecord(dir: string): Promise<TaskRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(`${dir}/${TASK_RECORD_FILE}`)) as TaskRecord;
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Sweeps whose files a running task has written (`results/<job>/simulation_run*_synapses.csv`). */
async function sweepsWritten(running: string): Promise<number> {
  let n = 0;
  try {
    for await (const job of Deno.readDir(`${running}/results`)) {
      if (!job.isDirectory) continue;
      for await (const f of Deno.readDir(`${running}/results/${job.name}`)) {
        if (/^simulation_run\d+_synapses\.csv$/.test(f.name)) n++;
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return n;
}

/** The latest submission of each task. */
function latestSubmission(submissions: readonly Submission[]): Map<number, Submission> {
  const out = new Map<number, Submission>();
  for (const s of submissions) for (const t of s.tasks) out.set(t, s);
  return out;
}

/**
 * Reads the status of a campaign.
 *
 * @param dir the campaign folder
 * @param options squeue/sacct runner, clock
 * @returns every task's state, counts, sweeps and ETA
 */
export async function campaignStatus(
  dir: string,
  options: CampaignStatusOptions = {},
): Promise<CampaignStatus> {
  const campaign = await readCampaign(dir);
  const submissions = await readSubmissions(dir);
  const bySubmission = latestSubmission(submissions);
  const queue = await queueStates(
    options.run ?? systemSlurm,
    [...new Set(submissions.map((s) => s.jobId))],
  );
  const tasks: TaskStatus[] = [];
  for (const task of campaign.tasks) {
    const i = task.index;
    const sub = bySubmission.get(i);
    const element = sub ? `${sub.jobId}_${i - sub.offset}` : undefined;
    const where = element === undefined
      ? {}
      : { element, log: campaignPath(dir, `${CAMPAIGN_FILES.logs}/${element}.out`) };
    const q: ElementState | undefined = element ? queue.elements.get(element) : undefined;
    const done = taskPath(dir, i, "done");
    const running = taskPath(dir, i, "running");
    const failedNote = taskPath(dir, i, "failed");
    const base = { index: i, ...where };
    if (await exists(done)) {
      const rec = await readRecord(done);
      tasks.push({
        ...base,
        state: "done",
        confirmed: true,
        sweepsDone: task.end - task.start,
        ...(rec ? { startedMs: Date.parse(rec.started) } : {}),
      });
      continue;
    }
    const runningThere = await exists(running);
    const rec = runningThere ? await readRecord(running) : undefined;
    const started = rec ? { startedMs: Date.parse(rec.started) } : {};
    const sweepsDone = runningThere ? await sweepsWritten(running) : 0;
    const live = q ? LIVE[q.state] : undefined;
    if (live !== undefined) {
      tasks.push({
        ...base,
        state: live,
        confirmed: true,
        detail: `${q!.state} (${q!.source})`,
        sweepsDone: live === "running" ? sweepsDone : 0,
        ...started,
      });
      continue;
    }
    let why: string | undefined;
    if (await exists(failedNote)) why = (await Deno.readTextFile(failedNote)).trim();
    if (why === undefined && q !== undefined && q.state !== "COMPLETED") {
      why = `SLURM state ${q.state} (${q.source})`;
    }
    if (why === undefined && q?.state === "COMPLETED") {
      why = "the element completed without finishing the task";
    }
    if (why === undefined && runningThere && queue.answered && element !== undefined) {
      why = "stopped before it finished (its element is no longer in the queue)";
    }
    if (why !== undefined) {
      tasks.push({
        ...base,
        state: "failed",
        confirmed: true,
        detail: why,
        sweepsDone: 0, // done again when it is resumed
        ...started,
      });
      continue;
    }
    if (!queue.answered) {
      tasks.push({
        ...base,
        state: runningThere ? "running" : "pending",
        confirmed: false,
        detail: "queue not reachable",
        sweepsDone,
        ...started,
      });
      continue;
    }
    tasks.push({
      ...base,
      state: "missing",
      confirmed: true,
      detail: element === undefined ? "never submitted" : "not in the queue and no output",
      sweepsDone: 0,
      ...started,
    });
  }
  const counts: Record<TaskState, number> = {
    done: 0,
    running: 0,
    pending: 0,
    failed: 0,
    missing: 0,
  };
  for (const t of tasks) counts[t.state]++;
  const sweepsDone = tasks.reduce((a, t) => a + t.sweepsDone, 0);
  const sweepsTotal = campaign.run.nSweeps * campaign.run.seeds.length;
  const firstStart = Math.min(
    ...tasks.flatMap((t) => t.startedMs !== undefined ? [t.startedMs] : []),
  );
  const nowMs = (options.now ?? (() => new Date()))().getTime();
  const active = counts.running + counts.pending > 0;
  const eta = active && sweepsDone > 0 && Number.isFinite(firstStart) && nowMs > firstStart
    ? (sweepsTotal - sweepsDone) / (sweepsDone / ((nowMs - firstStart) / 1000))
    : undefined;
  let merged: string[] | undefined;
  try {
    const m = JSON.parse(await Deno.readTextFile(campaignPath(dir, CAMPAIGN_FILES.merged))) as {
      jobs: { output: string }[];
    };
    merged = m.jobs.map((j) => j.output);
  } catch { /* not merged yet */ }
  return {
    dir,
    campaign,
    tasks,
    counts,
    sweepsDone,
    sweepsTotal,
    submissions,
    queue: queue.answered ? { answered: true } : { answered: false, reason: queue.reason ?? "" },
    ...(eta !== undefined ? { etaSeconds: eta } : {}),
    ...(merged !== undefined ? { merged } : {}),
  };
}

/** `0-3,7` for a list of task indices. */
function indexList(tasks: readonly TaskStatus[]): string {
  return tasks.map((t) => t.index).join(", ");
}

/**
 * The status as lines for a terminal.
 *
 * @param s the status
 * @returns text ending with a newline
 */
export function formatCampaignStatus(s: CampaignStatus): string {
  const { campaign: c, counts } = s;
  const out: string[] = [];
  out.push(
    `campaign ${s.dir}: ${c.tasks.length} task(s), ${c.run.seeds.length} job(s) x ${c.run.nSweeps} sweep(s), ` +
      `at most ${c.slurm.sweepsPerTask} per task`,
  );
  const unconfirmed = s.tasks.some((t) => !t.confirmed);
  out.push(
    `tasks: ${counts.done} done, ${counts.running} running, ${counts.pending} pending, ${counts.failed} failed` +
      (counts.missing > 0 ? `, ${counts.missing} missing` : "") +
      (unconfirmed ? " (running/pending unconfirmed: the queue does not answer)" : ""),
  );
  const pct = s.sweepsTotal > 0 ? (100 * s.sweepsDone / s.sweepsTotal).toFixed(0) : "0";
  out.push(`sweeps: ${s.sweepsDone} of ${s.sweepsTotal} done (${pct} %)`);
  if (counts.done === c.tasks.length) {
    out.push(
      s.merged
        ? `complete; merged into ${s.merged.join(", ")}`
        : `complete: simrun slurm merge ${s.dir}`,
    );
  } else if (s.etaSeconds !== undefined) {
    out.push(`ETA: ${formatDuration(s.etaSeconds)} at the rate so far`);
  } else if (counts.running + counts.pending > 0) {
    out.push("ETA: unknown until a sweep is done");
  }
  for (const t of s.tasks.filter((t) => t.state === "running")) {
    out.push(
      `  running: task ${t.index}${
        t.element ? ` (${t.element})` : ""
      }, ${t.sweepsDone} sweep(s) written`,
    );
  }
  for (const t of s.tasks.filter((t) => t.state === "failed")) {
    out.push(
      `  failed: task ${t.index}${t.element ? ` (${t.element})` : ""}: ${t.detail ?? "?"}` +
        (t.log ? `; log ${t.log}` : ""),
    );
  }
  for (const t of s.tasks.filter((t) => t.state === "missing")) {
    out.push(`  missing: task ${t.index}: ${t.detail ?? "?"}`);
  }
  const redo = s.tasks.filter((t) => t.state === "failed" || t.state === "missing");
  if (redo.length > 0) {
    out.push(`to run tasks ${indexList(redo)} again: simrun slurm resume ${s.dir}`);
  }
  out.push(
    s.queue.answered
      ? `queue: arrays ${
        [...new Set(s.submissions.map((x) => x.jobId))].join(", ") || "none"
      } (squeue)`
      : `queue: not reachable (${s.queue.reason || "squeue failed"}); states read from the folder`,
  );
  return out.join("\n") + "\n";
}
