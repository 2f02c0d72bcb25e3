/**
 * A campaign folder and its `campaign.json`: the inputs with their sha256, every option of the run
 * and of SLURM, and the task table (one job's seed and a range of its sweeps per task). Written
 * once by `simrun slurm submit`, read by every task, `status`, `merge` and `resume`.
 *
 * ```
 * <dirPrefix>/results/<YYYYMMDD-HHMM>_campaign_seed<S>/
 *     campaign.json        inputs + sha256, options, task table (never rewritten)
 *     params/              copies of the two params as submitted
 *     simrun.sbatch        the batch script (task index = $1 + SLURM_ARRAY_TASK_ID)
 *     submissions.json     the arrays submitted (job ids, offsets, tasks), by submit and resume
 *     merged.json          the merged job folders, once merged
 *     tasks/<i>_running/   a task at work; tasks/<i>/ once complete (with manifest.json)
 *     tasks/<i>.failed     why task i failed (one line)
 *     tasks/logs/          SLURM's output of each array element (<array job>_<element>.out)
 * ```
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";

/** `format` of campaign.json. */
export const CAMPAIGN_FORMAT = "simrun-campaign/1";
/** File names inside a campaign folder. */
export const CAMPAIGN_FILES = {
  campaign: "campaign.json",
  script: "simrun.sbatch",
  submissions: "submissions.json",
  merged: "merged.json",
  params: "params",
  tasks: "tasks",
  logs: "tasks/logs",
} as const;

/** One input file, as found at submission. */
export interface CampaignInput {
  /** Absolute path. */
  readonly path: string;
  /**
   * What it is: `cell param`, `network param`, `referenced file` (named inside a param),
   * `recorder plugin`, or `mechanism file` (a `.mod` file of a mechanism folder).
   */
  readonly role:
    | "cell param"
    | "network param"
    | "referenced file"
    | "recorder plugin"
    | "mechanism file";
  /** Size [bytes]. */
  readonly bytes: number;
  /** Hex sha256 of the content. */
  readonly sha256: string;
}

/** The options of the run, as `simrun run` takes them (paths absolute). */
export interface CampaignRun {
  /** Cell param (absolute). */
  readonly cellParam: string;
  /** Network param (absolute). */
  readonly networkParam: string;
  /** Merged job folders go to `<dirPrefix>/results/` (absolute). */
  readonly dirPrefix: string;
  /** `--seed` as given, or undefined when the seeds were drawn at submission. */
  readonly seed?: number;
  /** One seed per job (`--nprocs` jobs). */
  readonly seeds: readonly number[];
  /** Sweeps per job. */
  readonly nSweeps: number;
  /** Simulated time per sweep [ms]. */
  readonly tStop: number;
  /** Save `sim.tStop` as a float. */
  readonly tStopIsFloat: boolean;
  /** Random streams. */
  readonly rng: "simrun" | "isf";
  /** `--exact`. */
  readonly exact: boolean;
  /** `--legacy-units` → `legacy`. */
  readonly units: "modern" | "legacy";
  /** Sweep threads per task. */
  readonly threads: number;
  /** Archive each merged job folder. */
  readonly tar: boolean;
  /** Path-map rules (`--path-map` then `SIMRUN_PATH_MAP`), as written. */
  readonly pathMap: readonly string[];
  /** Recorder plugins (absolute). */
  readonly plugins: readonly string[];
  /** `--plugin-read` paths (absolute). */
  readonly pluginRead: readonly string[];
  /** `--plugin-time-limit` [ms]. */
  readonly pluginTimeLimitMs?: number;
  /** `--mechanisms` folders (absolute); absent in campaigns written before issue 12. */
  readonly mechanismFolders?: readonly string[];
}

/** The SLURM side of a campaign. */
export interface CampaignSlurm {
  /** At most this many sweeps per task. */
  readonly sweepsPerTask: number;
  /** `--partition`. */
  readonly partition?: string;
  /** `--time`. */
  readonly time?: string;
  /** `--mem`. */
  readonly mem?: string;
  /** CPUs per task (default: the run's threads). */
  readonly cpusPerTask: number;
  /** At most this many elements of one array at a time (`%N`). */
  readonly maxParallel?: number;
  /** Further `#SBATCH` options, as given. */
  readonly sbatchArgs: readonly string[];
  /** The command that runs simrun on a node (shell words). */
  readonly simrunCommand: string;
}

/** One task: sweeps [start, end) of job `job`. */
export interface CampaignTask {
  /** Task index, 0 … T−1. */
  readonly index: number;
  /** Job index (position of the seed). */
  readonly job: number;
  /** The job's seed. */
  readonly seed: number;
  /** First sweep. */
  readonly start: number;
  /** One past the last sweep. */
  readonly end: number;
}

/** The content of campaign.json. */
export interface Campaign {
  /** {@link CAMPAIGN_FORMAT}. */
  readonly format: string;
  /** The folder's name. */
  readonly name: string;
  /** Submission time (ISO 8601). */
  readonly created: string;
  /** Working directory of the submission (absolute); tasks run there, as relative path maps expect. */
  readonly cwd: string;
  /** The run. */
  readonly run: CampaignRun;
  /** SLURM settings. */
  readonly slurm: CampaignSlurm;
  /** Input files with their checksums. */
  readonly inputs: readonly CampaignInput[];
  /** Copies of the params inside the campaign folder (relative to it). */
  readonly copies: readonly string[];
  /** The task table, by index. */
  readonly tasks: readonly CampaignTask[];
}

/** One `sbatch` of a campaign. */
export interface Submission {
  /** SLURM's job id of the array. */
  readonly jobId: string;
  /** Task index = offset + array index. */
  readonly offset: number;
  /** The `--array` value. */
  readonly array: string;
  /** Task indices of this array. */
  readonly tasks: readonly number[];
  /** When (ISO 8601). */
  readonly submitted: string;
}

/**
 * Path of a file or folder inside a campaign.
 *
 * @param dir the campaign folder
 * @param name a {@link CAMPAIGN_FILES} entry or a relative path
 * @returns `<dir>/<name>`
 */
export function campaignPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, "")}/${name}`;
}

/**
 * Folder of task `index`: complete (`tasks/<i>`), at work (`tasks/<i>_running`), or the failure
 * note (`tasks/<i>.failed`).
 *
 * @param dir the campaign folder
 * @param index task index
 * @param kind which of the three
 * @returns the path
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { taskPath } from "./campaign.ts";
 * assert.equal(taskPath("c", 3, "running"), "c/tasks/3_running");
 * ```
 */
export function taskPath(dir: string, index: number, kind: "done" | "running" | "failed"): string {
  const base = campaignPath(dir, `${CAMPAIGN_FILES.tasks}/${index}`);
  return kind === "done" ? base : kind === "running" ? `${base}_running` : `${base}.failed`;
}

/**
 * Writes JSON through a temporary file and a rename, so a reader never sees half a file.
 *
 * @param path the file
 * @param value the data
 */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp${Deno.pid}`;
  await Deno.writeTextFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/** A reader that names file and key of what is wrong. */
function fieldReader(file: string) {
  const fail = (key: string, what: string): never => {
    throw new InputValueError({ file, key }, `Cannot read "${key}": ${what}`);
  };
  return {
    obj(v: unknown, key: string): Record<string, unknown> {
      if (typeof v !== "object" || v === null || Array.isArray(v)) fail(key, "expected an object");
      return v as Record<string, unknown>;
    },
    arr(v: unknown, key: string): unknown[] {
      if (!Array.isArray(v)) fail(key, "expected a list");
      return v as unknown[];
    },
    str(v: unknown, key: string): string {
      if (typeof v !== "string") fail(key, `expected a string, got ${JSON.stringify(v)}`);
      return v as string;
    },
    int(v: unknown, key: string, min = 0): number {
      if (!Number.isSafeInteger(v) || (v as number) < min) {
        fail(key, `expected an integer >= ${min}, got ${JSON.stringify(v)}`);
      }
      return v as number;
    },
    num(v: unknown, key: string): number {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(key, `expected a number, got ${JSON.stringify(v)}`);
      }
      return v as number;
    },
    bool(v: unknown, key: string): boolean {
      if (typeof v !== "boolean") fail(key, `expected true or false, got ${JSON.stringify(v)}`);
      return v as boolean;
    },
    fail,
  };
}

/**
 * Checks the shape of parsed campaign.json content and returns it typed.
 *
 * @param value the parsed JSON
 * @param file the file, for messages
 * @returns the campaign
 * @throws InputValueError naming the key that is missing or of the wrong type
 */
export function checkCampaign(value: unknown, file: string): Campaign {
  const r = fieldReader(file);
  const c = r.obj(value, "(top level)");
  if (c.format !== CAMPAIGN_FORMAT) {
    r.fail("format", `expected "${CAMPAIGN_FORMAT}", got ${JSON.stringify(c.format)}`);
  }
  const run = r.obj(c.run, "run");
  const slurm = r.obj(c.slurm, "slurm");
  const strList = (v: unknown, key: string) => r.arr(v, key).map((s, i) => r.str(s, `${key}.${i}`));
  const rng = r.str(run.rng, "run.rng");
  if (rng !== "simrun" && rng !== "isf") r.fail("run.rng", `expected "simrun" or "isf"`);
  const units = r.str(run.units, "run.units");
  if (units !== "modern" && units !== "legacy") {
    r.fail("run.units", `expected "modern" or "legacy"`);
  }
  const seeds = r.arr(run.seeds, "run.seeds").map((s, i) => r.int(s, `run.seeds.${i}`));
  const nSweeps = r.int(run.nSweeps, "run.nSweeps", 1);
  const tasks = r.arr(c.tasks, "tasks").map((t, i) => {
    const o = r.obj(t, `tasks.${i}`);
    const task: CampaignTask = {
      index: r.int(o.index, `tasks.${i}.index`),
      job: r.int(o.job, `tasks.${i}.job`),
      seed: r.int(o.seed, `tasks.${i}.seed`),
      start: r.int(o.start, `tasks.${i}.start`),
      end: r.int(o.end, `tasks.${i}.end`, 1),
    };
    if (
      task.index !== i || seeds[task.job] !== task.seed || task.start >= task.end ||
      task.end > nSweeps
    ) {
      r.fail(`tasks.${i}`, "inconsistent with its position, run.seeds or run.nSweeps");
    }
    return task;
  });
  const inputs = r.arr(c.inputs, "inputs").map((x, i) => {
    const o = r.obj(x, `inputs.${i}`);
    return {
      path: r.str(o.path, `inputs.${i}.path`),
      role: r.str(o.role, `inputs.${i}.role`) as CampaignInput["role"],
      bytes: r.int(o.bytes, `inputs.${i}.bytes`),
      sha256: r.str(o.sha256, `inputs.${i}.sha256`),
    };
  });
  const optStr = (o: Record<string, unknown>, k: string, key: string) =>
    o[k] === undefined ? {} : { [k]: r.str(o[k], key) };
  return {
    format: CAMPAIGN_FORMAT,
    name: r.str(c.name, "name"),
    created: r.str(c.created, "created"),
    cwd: r.str(c.cwd, "cwd"),
    run: {
      cellParam: r.str(run.cellParam, "run.cellParam"),
      networkParam: r.str(run.networkParam, "run.networkParam"),
      dirPrefix: r.str(run.dirPrefix, "run.dirPrefix"),
      ...(run.seed === undefined ? {} : { seed: r.int(run.seed, "run.seed") }),
      seeds,
      nSweeps,
      tStop: r.num(run.tStop, "run.tStop"),
      tStopIsFloat: r.bool(run.tStopIsFloat, "run.tStopIsFloat"),
      rng: rng as "simrun" | "isf",
      exact: r.bool(run.exact, "run.exact"),
      units: units as "modern" | "legacy",
      threads: r.int(run.threads, "run.threads", 1),
      tar: r.bool(run.tar, "run.tar"),
      pathMap: strList(run.pathMap, "run.pathMap"),
      plugins: strList(run.plugins, "run.plugins"),
      pluginRead: strList(run.pluginRead, "run.pluginRead"),
      ...(run.pluginTimeLimitMs === undefined
        ? {}
        : { pluginTimeLimitMs: r.num(run.pluginTimeLimitMs, "run.pluginTimeLimitMs") }),
      ...(run.mechanismFolders === undefined
        ? {}
        : { mechanismFolders: strList(run.mechanismFolders, "run.mechanismFolders") }),
    },
    slurm: {
      sweepsPerTask: r.int(slurm.sweepsPerTask, "slurm.sweepsPerTask", 1),
      ...optStr(slurm, "partition", "slurm.partition"),
      ...optStr(slurm, "time", "slurm.time"),
      ...optStr(slurm, "mem", "slurm.mem"),
      cpusPerTask: r.int(slurm.cpusPerTask, "slurm.cpusPerTask", 1),
      ...(slurm.maxParallel === undefined
        ? {}
        : { maxParallel: r.int(slurm.maxParallel, "slurm.maxParallel", 1) }),
      sbatchArgs: strList(slurm.sbatchArgs, "slurm.sbatchArgs"),
      simrunCommand: r.str(slurm.simrunCommand, "slurm.simrunCommand"),
    },
    inputs,
    copies: strList(c.copies, "copies"),
    tasks,
  };
}

/**
 * Reads and checks `<dir>/campaign.json`.
 *
 * @param dir the campaign folder
 * @returns the campaign
 * @throws InputValueError when the folder holds no campaign.json or it is damaged (names the key)
 */
export async function readCampaign(dir: string): Promise<Campaign> {
  const file = campaignPath(dir, CAMPAIGN_FILES.campaign);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new InputValueError(
        { file: dir },
        "Not a campaign folder: it has no campaign.json (simrun slurm submit writes one)",
      );
    }
    throw e;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputValueError({ file }, `Not valid JSON: ${(e as Error).message}`);
  }
  return checkCampaign(value, file);
}

/**
 * Reads `submissions.json` (empty when nothing was submitted yet, e.g. after `--dry-run`).
 *
 * @param dir the campaign folder
 * @returns the submissions, oldest first
 */
export async function readSubmissions(dir: string): Promise<Submission[]> {
  const file = campaignPath(dir, CAMPAIGN_FILES.submissions);
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  const r = fieldReader(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputValueError({ file }, `Not valid JSON: ${(e as Error).message}`);
  }
  return r.arr(value, "(top level)").map((x, i) => {
    const o = r.obj(x, `${i}`);
    return {
      jobId: r.str(o.jobId, `${i}.jobId`),
      offset: r.int(o.offset, `${i}.offset`),
      array: r.str(o.array, `${i}.array`),
      tasks: r.arr(o.tasks, `${i}.tasks`).map((t, k) => r.int(t, `${i}.tasks.${k}`)),
      submitted: r.str(o.submitted, `${i}.submitted`),
    };
  });
}

/**
 * Appends submissions to `submissions.json` (rewritten atomically).
 *
 * @param dir the campaign folder
 * @param added the new submissions
 */
export async function appendSubmissions(dir: string, added: readonly Submission[]): Promise<void> {
  const all = [...await readSubmissions(dir), ...added];
  await writeJsonAtomic(campaignPath(dir, CAMPAIGN_FILES.submissions), all);
}
