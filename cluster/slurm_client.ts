/**
 * The SLURM commands a campaign uses, as plain processes: `sbatch` (submit an array),
 * `scontrol show config` (MaxArraySize), `squeue` and `sacct` (the state of array elements). The
 * runner is injectable, so planning and status logic are tested without a cluster.
 *
 * @module
 */
import { CampaignError } from "./campaign_error.ts";

/** Output of one command. */
export interface CommandOutput {
  /** Exit status (127 when the command does not exist). */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs a SLURM command: program name and arguments. */
export type SlurmRunner = (command: string, args: readonly string[]) => Promise<CommandOutput>;

/** Longest wait for one SLURM command [ms] (a controller that does not answer must not hang us). */
export const SLURM_COMMAND_TIMEOUT_MS = 60_000;

/**
 * Runs SLURM commands on this machine (a missing command gives code 127, a command that runs
 * past {@link SLURM_COMMAND_TIMEOUT_MS} is killed and gives code 124).
 *
 * @param command `sbatch`, `squeue`, `sacct` or `scontrol`
 * @param args its arguments
 * @returns exit status and output
 */
export async function systemSlurm(
  command: string,
  args: readonly string[],
): Promise<CommandOutput> {
  const dec = new TextDecoder();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      return { code: 127, stdout: "", stderr: `${command}: command not found` };
    }
    if (e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied) {
      return { code: 126, stdout: "", stderr: `${command}: not permitted (${e.message})` };
    }
    throw e;
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, SLURM_COMMAND_TIMEOUT_MS);
  try {
    const r = await child.output();
    if (timedOut) {
      return {
        code: 124,
        stdout: "",
        stderr: `${command}: no answer within ${SLURM_COMMAND_TIMEOUT_MS / 1000} s`,
      };
    }
    return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** SLURM's default MaxArraySize, assumed when `scontrol` does not answer (dry runs only). */
export const DEFAULT_MAX_ARRAY_SIZE = 1001;

/**
 * The cluster's MaxArraySize from `scontrol show config`.
 *
 * @param run the command runner
 * @returns the value, or undefined when scontrol does not answer
 */
export async function maxArraySize(run: SlurmRunner): Promise<number | undefined> {
  const r = await run("scontrol", ["show", "config"]);
  if (r.code !== 0) return undefined;
  const m = /^\s*MaxArraySize\s*=\s*(\d+)/m.exec(r.stdout);
  return m ? Number(m[1]) : undefined;
}

/** The first line of a command's complaint, for messages. */
export function firstLine(r: CommandOutput): string {
  return (r.stderr.trim() || r.stdout.trim()).split("\n")[0] ?? "";
}

/**
 * Submits one job array: `sbatch --parsable --array=<array> <script> <offset>`.
 *
 * @param run the command runner
 * @param script the batch script
 * @param array the `--array` value
 * @param offset task index of array index 0 (the script's `$1`)
 * @returns the array's job id
 * @throws CampaignError when sbatch fails (its message included)
 */
export async function sbatchArray(
  run: SlurmRunner,
  script: string,
  array: string,
  offset: number,
): Promise<string> {
  const r = await run("sbatch", ["--parsable", `--array=${array}`, script, String(offset)]);
  const id = /^(\d+)/.exec(r.stdout.trim());
  if (r.code !== 0 || id === null) {
    throw new CampaignError(`sbatch --array=${array} failed: ${firstLine(r) || `exit ${r.code}`}`);
  }
  return id[1]!;
}

/** State of one array element as SLURM reports it. */
export interface ElementState {
  /** e.g. `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`. */
  readonly state: string;
  /** Which command said so. */
  readonly source: "squeue" | "sacct";
}

/** What the queue says about a set of arrays. */
export interface QueueReport {
  /** True when squeue answered (even if it knows none of the jobs). */
  readonly answered: boolean;
  /** `<jobId>_<arrayIndex>` → state. */
  readonly elements: ReadonlyMap<string, ElementState>;
  /** Why the queue gave no answer, when it did not. */
  readonly reason?: string;
}

/**
 * Asks `squeue` (all states still held by the controller) and, for elements it no longer knows,
 * `sacct` (where accounting is enabled) about the elements of the given arrays.
 *
 * @param run the command runner
 * @param jobIds array job ids
 * @returns per-element states and whether the queue answered
 */
export async function queueStates(
  run: SlurmRunner,
  jobIds: readonly string[],
): Promise<QueueReport> {
  const elements = new Map<string, ElementState>();
  if (jobIds.length === 0) {
    const r = await run("squeue", ["-h", "-o", "%i"]);
    return r.code === 0
      ? { answered: true, elements }
      : { answered: false, elements, reason: firstLine(r) };
  }
  const ids = jobIds.join(",");
  const sq = await run("squeue", ["-h", "-r", "-t", "all", "-j", ids, "-o", "%F|%K|%T"]);
  // squeue fails with "Invalid job id specified" when it knows none of them: an answer all the same.
  const answered = sq.code === 0 || /invalid job id/i.test(sq.stderr);
  if (!answered) return { answered, elements, reason: firstLine(sq) };
  for (const line of sq.stdout.split("\n")) {
    const m = /^(\d+)\|(\d+)\|([A-Z_]+)/.exec(line.trim());
    if (m) elements.set(`${m[1]}_${m[2]}`, { state: m[3]!, source: "squeue" });
  }
  const sa = await run("sacct", ["-n", "-P", "-X", "-j", ids, "-o", "JobID,State"]);
  if (sa.code === 0) {
    for (const line of sa.stdout.split("\n")) {
      const m = /^(\d+)_(\d+)\|([A-Z_]+)/.exec(line.trim());
      if (m && !elements.has(`${m[1]}_${m[2]}`)) {
        elements.set(`${m[1]}_${m[2]}`, { state: m[3]!, source: "sacct" });
      }
    }
  }
  return { answered, elements };
}
