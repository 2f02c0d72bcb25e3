/**
 * `simrun slurm resume`: submits again only the tasks that are missing or failed (done, running
 * and pending tasks are left alone), in arrays within the cluster's MaxArraySize. A failed task's
 * note moves to `tasks/logs/failures.log`; its leftover `_running` folder is discarded by the task.
 * A campaign written with `--dry-run` is submitted this way.
 *
 * @module
 */
import { CAMPAIGN_FILES, campaignPath, type Submission, taskPath } from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { planArrays, type PlannedArray } from "./plan.ts";
import { maxArraySize, type SlurmRunner, systemSlurm } from "./slurm_client.ts";
import { campaignStatus } from "./status.ts";
import { sbatchCommand, submitArrays } from "./submit_arrays.ts";

/** Options of {@link resumeCampaign}. */
export interface ResumeOptions {
  /** Runs sbatch, scontrol, squeue and sacct (default: the system's). */
  readonly run?: SlurmRunner;
  /** Plan and print, submit nothing. */
  readonly dryRun?: boolean;
}

/** What {@link resumeCampaign} did. */
export interface ResumeResult {
  /** The tasks submitted again (or that would be, with `dryRun`). */
  readonly tasks: readonly number[];
  /** The arrays planned. */
  readonly arrays: readonly PlannedArray[];
  /** The sbatch command of each array. */
  readonly commands: readonly (readonly string[])[];
  /** The new submissions. */
  readonly submitted: readonly Submission[];
}

/**
 * Resubmits the missing and failed tasks of a campaign.
 *
 * @param dir the campaign folder
 * @param options runner, dry run
 * @returns the tasks and arrays submitted
 * @throws CampaignError when the queue does not answer (running tasks cannot be told from killed
 *   ones) or sbatch fails
 */
export async function resumeCampaign(
  dir: string,
  options: ResumeOptions = {},
): Promise<ResumeResult> {
  const run = options.run ?? systemSlurm;
  const status = await campaignStatus(dir, { run });
  if (!status.queue.answered) {
    throw new CampaignError(
      `squeue does not answer (${
        status.queue.reason || "no reason given"
      }): resume must know which tasks still run`,
    );
  }
  const tasks = status.tasks.filter((t) => t.state === "failed" || t.state === "missing").map((t) =>
    t.index
  );
  if (tasks.length === 0) return { tasks, arrays: [], commands: [], submitted: [] };
  const max = await maxArraySize(run);
  if (max === undefined) {
    throw new CampaignError("scontrol show config failed: cannot read MaxArraySize");
  }
  const arrays = planArrays(tasks, max, status.campaign.slurm.maxParallel);
  const commands = arrays.map((a) => sbatchCommand(dir, a));
  if (options.dryRun) return { tasks, arrays, commands, submitted: [] };
  // Keep the reasons of earlier failures, so that status reflects only the new attempt.
  const history = campaignPath(dir, `${CAMPAIGN_FILES.logs}/failures.log`);
  for (const t of status.tasks.filter((t) => t.state === "failed")) {
    const note = taskPath(dir, t.index, "failed");
    await Deno.writeTextFile(
      history,
      `${new Date().toISOString()} task ${t.index}: ${t.detail ?? "?"}\n`,
      {
        append: true,
      },
    );
    await Deno.remove(note).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
  const submitted = await submitArrays(dir, arrays, run);
  return { tasks, arrays, commands, submitted };
}
