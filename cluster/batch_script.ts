/**
 * The batch script of a campaign (`simrun.sbatch`), readable and submittable by hand, and the
 * command that runs simrun on a node: the compiled binary when simrun runs as one, else
 * `deno run` with the permission flags of deno.json's `simrun` task and this checkout's main.ts
 * (what `deno task simrun` runs), or the user's `--simrun-command`.
 *
 * @module
 */
import { fileUrlToPath } from "../io/mod.ts";
import type { Campaign } from "./campaign.ts";
import { CAMPAIGN_FILES, campaignPath } from "./campaign.ts";

/**
 * Quotes one word for bash (single quotes; a quote inside becomes `'\''`). Plain words stay bare.
 *
 * @param word the word
 * @returns the quoted word
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { shellQuote } from "./batch_script.ts";
 * assert.equal(shellQuote("--allow-read"), "--allow-read");
 * assert.equal(shellQuote("a b'c"), "'a b'\\''c'");
 * ```
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The words of deno.json's `simrun` task (`deno run <flags> main.ts`) with `deno` replaced by the
 * running Deno executable and `main.ts` by its absolute path.
 *
 * @param denoJson text of deno.json
 * @param deno the Deno executable
 * @param mainTs absolute path of main.ts
 * @returns the command words
 * @throws Error when the task does not read `deno run <flags> main.ts`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { denoTaskCommand } from "./batch_script.ts";
 * const json = '{"tasks": {"simrun": "deno run --allow-read main.ts"}}';
 * assert.deepEqual(denoTaskCommand(json, "/bin/deno", "/src/main.ts"), ["/bin/deno", "run", "--allow-read", "/src/main.ts"]);
 * ```
 */
export function denoTaskCommand(denoJson: string, deno: string, mainTs: string): string[] {
  const task = (JSON.parse(denoJson) as { tasks?: Record<string, unknown> }).tasks?.simrun;
  const m = typeof task === "string" ? /^deno run (.*) main\.ts$/.exec(task.trim()) : null;
  if (m === null) {
    throw new Error(
      `deno.json: the "simrun" task must read "deno run <flags> main.ts" (got ${
        JSON.stringify(task)
      }); give the node's command with --simrun-command`,
    );
  }
  return [deno, "run", ...m[1]!.split(/\s+/).filter((s) => s !== ""), mainTs];
}

/**
 * The command that runs this same simrun on a node, as shell words: the executable itself when
 * simrun is a compiled binary, else `<deno> run <the simrun task's flags> <checkout>/main.ts`.
 *
 * @returns the command line
 */
export async function defaultSimrunCommand(): Promise<string> {
  if (Deno.build.standalone) return shellQuote(Deno.execPath());
  const root = new URL("../", import.meta.url);
  const json = await Deno.readTextFile(new URL("deno.json", root));
  return denoTaskCommand(json, Deno.execPath(), fileUrlToPath(new URL("main.ts", root)))
    .map(shellQuote).join(" ");
}

/**
 * Text of `simrun.sbatch`: `#SBATCH` options from the campaign, then one line that runs task
 * `$1 + SLURM_ARRAY_TASK_ID` of the campaign with the campaign's simrun command.
 *
 * @param campaign the campaign
 * @param dir the campaign folder (absolute)
 * @returns the script
 */
export function formatBatchScript(campaign: Campaign, dir: string): string {
  const { run, slurm, tasks } = campaign;
  const jobs = run.seeds.length;
  const opts: string[] = [
    `--job-name=simrun-${campaign.name}`,
    `--output=${campaignPath(dir, CAMPAIGN_FILES.logs)}/%A_%a.out`,
    `--chdir=${campaign.cwd}`,
    "--ntasks=1",
    `--cpus-per-task=${slurm.cpusPerTask}`,
    ...(slurm.partition !== undefined ? [`--partition=${slurm.partition}`] : []),
    ...(slurm.time !== undefined ? [`--time=${slurm.time}`] : []),
    ...(slurm.mem !== undefined ? [`--mem=${slurm.mem}`] : []),
    ...slurm.sbatchArgs,
  ];
  return [
    "#!/bin/bash",
    `# simrun campaign ${campaign.name}: ${tasks.length} task(s) = ${jobs} job(s) (seeds ${
      run.seeds.join(", ")
    }) x ${run.nSweeps} sweep(s), at most ${slurm.sweepsPerTask} sweep(s) per task.`,
    "# Written by `simrun slurm submit`; the inputs, options and task table are in campaign.json.",
    "#",
    "# Each array element runs one task: task index = $1 + SLURM_ARRAY_TASK_ID ($1 defaults to 0).",
    `# By hand: sbatch --array=0-${tasks.length - 1} ${campaignPath(dir, CAMPAIGN_FILES.script)}`,
    "# (indices must stay below the cluster's MaxArraySize; above it, submit with an offset:",
    "#  sbatch --array=0-99 simrun.sbatch 1000 runs tasks 1000-1099).",
    "# Missing or failed tasks: simrun slurm resume <campaign>. A finished task exits at once.",
    ...opts.map((o) => `#SBATCH ${o}`),
    "",
    "set -eu",
    ': "${SLURM_ARRAY_TASK_ID:?is not set: submit this script with sbatch --array (see above)}"',
    "task=$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))",
    'echo "simrun campaign task $task on $(hostname), SLURM job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"',
    `exec ${slurm.simrunCommand} slurm task ${shellQuote(dir)} "$task"`,
    "",
  ].join("\n");
}
