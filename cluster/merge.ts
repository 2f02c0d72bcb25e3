/**
 * `simrun slurm merge`: one ISF job folder per seed under `<dirPrefix>/results/`, as `simrun run`
 * writes it on one machine: `hostname_<host>`, every sweep's two activation files, the trace files
 * with every sweep's column in order, the saved params, named `<stamp>_seed<S>_pid<P>` with this
 * process's id and host. Each folder keeps its `_running` suffix until it is complete (or archived
 * with the campaign's `--tar`). Every task's manifest is verified first; an incomplete campaign is
 * refused, naming the tasks that are missing.
 *
 * Files a recorder plugin wrote once per task (not per sweep) cannot be joined in general: one
 * that every task wrote identically is kept once, otherwise each task's copy is kept as
 * `task<i>_<name>` and the merge says so.
 *
 * @module
 */
import { JobFolder } from "../simrun/mod.ts";
import {
  type Campaign,
  CAMPAIGN_FILES,
  campaignPath,
  type CampaignTask,
  readCampaign,
  taskPath,
  writeJsonAtomic,
} from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { verifyManifest } from "./manifest.ts";
import { sha256File } from "./sha256.ts";
import { TASK_RECORD_FILE } from "./task.ts";
import { mergeTraceFiles } from "./trace_merge.ts";

/** One merged job. */
export interface MergedJob {
  /** The job's seed. */
  readonly seed: number;
  /** Its final folder (or `.tar`). */
  readonly output: string;
}

/** What {@link mergeCampaign} did. */
export interface MergeResult {
  /** The merged jobs, in seed order. */
  readonly jobs: readonly MergedJob[];
  /** True when the campaign had been merged before and nothing was written. */
  readonly alreadyMerged: boolean;
  /** Remarks (per-task plugin files kept apart). */
  readonly notes: readonly string[];
}

/** Options of {@link mergeCampaign}. */
export interface MergeOptions {
  /** Process id in the folder names (default `Deno.pid`). */
  readonly pid?: number;
}

/** The job folder a task wrote: `results/<stamp>_seed<S>_pid<P>`. */
async function taskJobFolder(
  done: string,
  task: CampaignTask,
): Promise<{ path: string; uniqueId: string }> {
  const found: { path: string; uniqueId: string }[] = [];
  try {
    for await (const e of Deno.readDir(`${done}/results`)) {
      const m = /^\d{8}-\d{4}_(seed(\d+)_pid\d+)$/.exec(e.name);
      if (e.isDirectory && m && Number(m[2]) === task.seed) {
        found.push({ path: `${done}/results/${e.name}`, uniqueId: m[1]! });
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (found.length !== 1) {
    throw new CampaignError(
      `task ${task.index}: expected one job folder of seed ${task.seed} in ${done}/results, found ${found.length}`,
      { tasks: [task.index] },
    );
  }
  return found[0]!;
}

/** Sweep numbers of a trace file's header (`t\tVm run 00\tVm run 01`). */
async function headerSweeps(path: string): Promise<number[]> {
  using f = await Deno.open(path, { read: true });
  const buf = new Uint8Array(65536);
  let text = "";
  for (;;) {
    const n = await f.read(buf);
    if (n === null) break;
    text += new TextDecoder().decode(buf.subarray(0, n));
    if (text.includes("\n")) break;
  }
  const header = text.split("\n")[0]!;
  const cols = header.split("\t");
  if (cols[0] !== "t" || cols.slice(1).some((c) => !/^Vm run \d+$/.test(c))) {
    throw new CampaignError(`${path}: not a trace file header: "${header.slice(0, 80)}"`);
  }
  return cols.slice(1).map((c) => Number(c.slice("Vm run ".length)));
}

/** A task's job folder, verified, with its files sorted into kinds. */
interface TaskFiles {
  readonly task: CampaignTask;
  readonly folder: string;
  readonly uniqueId: string;
  /** generic name (without `<uniqueId>_`) → file, for files named after the job. */
  readonly jobFiles: Map<string, string>;
  /** Other files (sweep files, plugin outputs), by name. */
  readonly other: Map<string, string>;
}

async function taskFiles(dir: string, task: CampaignTask): Promise<TaskFiles> {
  const done = taskPath(dir, task.index, "done");
  const manifest = await verifyManifest(done, task.index);
  const { path: folder, uniqueId } = await taskJobFolder(done, task);
  const rel = folder.slice(done.length + 1);
  const jobFiles = new Map<string, string>();
  const other = new Map<string, string>();
  for (const f of manifest.files) {
    if (f.path === TASK_RECORD_FILE) continue;
    if (!f.path.startsWith(`${rel}/`) || f.path.slice(rel.length + 1).includes("/")) {
      throw new CampaignError(`task ${task.index}: unexpected file ${done}/${f.path}`, {
        tasks: [task.index],
      });
    }
    const name = f.path.slice(rel.length + 1);
    if (name.startsWith("hostname_")) continue;
    if (name.startsWith(`${uniqueId}_`)) {
      jobFiles.set(name.slice(uniqueId.length + 1), `${folder}/${name}`);
    } else other.set(name, `${folder}/${name}`);
  }
  return { task, folder, uniqueId, jobFiles, other };
}

/** Merges the tasks of one job into a new job folder; returns its final path. */
async function mergeJob(
  campaign: Campaign,
  parts: readonly TaskFiles[],
  pid: number,
  notes: string[],
): Promise<string> {
  const seed = parts[0]!.task.seed;
  const uniqueId = `seed${seed}_pid${pid}`;
  // Everything is checked before the folder exists.
  const generic = [...parts[0]!.jobFiles.keys()].sort();
  for (const p of parts) {
    const names = [...p.jobFiles.keys()].sort();
    if (names.join("\n") !== generic.join("\n")) {
      throw new CampaignError(
        `tasks ${parts[0]!.task.index} and ${p.task.index} of seed ${seed} wrote different files`,
        { tasks: [parts[0]!.task.index, p.task.index] },
      );
    }
  }
  const traces = generic.filter((g) => g.endsWith("_traces.csv"));
  if (!traces.includes("vm_all_traces.csv")) {
    throw new CampaignError(
      `task ${parts[0]!.task.index}: no ${parts[0]!.uniqueId}_vm_all_traces.csv`,
    );
  }
  for (const g of traces) {
    const sweeps = (await Promise.all(parts.map((p) => headerSweeps(p.jobFiles.get(g)!)))).flat();
    const want = Array.from({ length: campaign.run.nSweeps }, (_, k) => k);
    if (sweeps.join(",") !== want.join(",")) {
      throw new CampaignError(
        `seed ${seed}: the tasks' ${g} hold sweeps ${sweeps.join(",")}, expected 0-${
          campaign.run.nSweeps - 1
        }`,
      );
    }
  }
  // The rest (saved params, recorder summaries): identical in every task, or kept per task.
  const single: [string, string][] = [];
  const perTask: [string, string][] = [];
  for (const g of generic.filter((g) => !traces.includes(g))) {
    const sums = await Promise.all(parts.map((p) => sha256File(p.jobFiles.get(g)!)));
    if (sums.every((s) => s.sha256 === sums[0]!.sha256)) {
      single.push([`${uniqueId}_${g}`, parts[0]!.jobFiles.get(g)!]);
    } else if (g.endsWith(".param")) {
      throw new CampaignError(`seed ${seed}: the tasks saved different ${g} files`);
    } else {
      for (const p of parts) {
        perTask.push([`task${p.task.index}_${uniqueId}_${g}`, p.jobFiles.get(g)!]);
      }
      notes.push(`seed ${seed}: ${g} differs between tasks: kept as task<i>_${uniqueId}_${g}`);
    }
  }
  const names = new Map<string, string[]>();
  for (const p of parts) {
    for (const n of p.other.keys()) names.set(n, [...(names.get(n) ?? []), p.other.get(n)!]);
  }
  for (const [n, files] of names) {
    if (/^simulation_run\d+_/.test(n) && files.length > 1) {
      throw new CampaignError(`seed ${seed}: ${n} was written by more than one task`);
    }
    const sums = await Promise.all(files.map((f) => sha256File(f)));
    if (sums.every((s) => s.sha256 === sums[0]!.sha256)) {
      single.push([n, files[0]!]);
      continue;
    }
    for (const p of parts.filter((p) => p.other.has(n))) {
      perTask.push([`task${p.task.index}_${n}`, p.other.get(n)!]);
    }
    notes.push(`seed ${seed}: ${n} differs between tasks: kept as task<i>_${n}`);
  }
  // Every sweep's two files, each once.
  const have = new Set(single.map(([n]) => n));
  for (let sweep = 0; sweep < campaign.run.nSweeps; sweep++) {
    for (const kind of ["synapses", "presynaptic_cells"]) {
      const name = `simulation_run${String(sweep).padStart(4, "0")}_${kind}.csv`;
      if (!have.has(name)) throw new CampaignError(`seed ${seed}: no task wrote ${name}`);
    }
  }

  const folder = await JobFolder.create(campaign.run.dirPrefix, uniqueId);
  for (const [name, from] of [...single, ...perTask]) await Deno.copyFile(from, folder.file(name));
  for (const g of traces) {
    await mergeTraceFiles(parts.map((p) => p.jobFiles.get(g)!), folder.file(`${uniqueId}_${g}`));
  }
  return await folder.finish({ tar: campaign.run.tar });
}

/**
 * Merges a complete campaign into one job folder per seed.
 *
 * @param dir the campaign folder
 * @param options process id for the folder names
 * @returns the merged folders
 * @throws CampaignError when a task is not done (naming every such task) or a file fails its
 *   checksum; nothing is merged then
 */
export async function mergeCampaign(dir: string, options: MergeOptions = {}): Promise<MergeResult> {
  const campaign = await readCampaign(dir);
  const mergedFile = campaignPath(dir, CAMPAIGN_FILES.merged);
  let previous: MergedJob[] = [];
  try {
    previous = (JSON.parse(await Deno.readTextFile(mergedFile)) as { jobs: MergedJob[] }).jobs;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (previous.length === campaign.run.seeds.length) {
    return { jobs: previous, alreadyMerged: true, notes: [] };
  }
  const notDone: number[] = [];
  for (const t of campaign.tasks) {
    try {
      await Deno.stat(taskPath(dir, t.index, "done"));
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      notDone.push(t.index);
    }
  }
  if (notDone.length > 0) {
    throw new CampaignError(
      `Campaign incomplete: task(s) ${notDone.join(", ")} of ${campaign.tasks.length} not done ` +
        `(simrun slurm status ${dir}; simrun slurm resume ${dir} runs missing and failed tasks again)`,
      { tasks: notDone },
    );
  }
  // Verify every task before the first folder is written.
  const byJob = new Map<number, TaskFiles[]>();
  for (const t of campaign.tasks) {
    const files = await taskFiles(dir, t);
    byJob.set(t.job, [...(byJob.get(t.job) ?? []), files]);
  }
  const pid = options.pid ?? Deno.pid;
  const notes: string[] = [];
  const jobs: MergedJob[] = [...previous];
  for (const [job, seed] of campaign.run.seeds.entries()) {
    if (jobs.some((j) => j.seed === seed)) continue; // merged by an earlier, interrupted merge
    const parts = byJob.get(job)!.sort((a, b) => a.task.start - b.task.start);
    const output = await mergeJob(campaign, parts, pid, notes);
    jobs.push({ seed, output });
    await writeJsonAtomic(mergedFile, { jobs });
  }
  return { jobs, alreadyMerged: false, notes };
}
