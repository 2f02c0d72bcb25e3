/**
 * Submits planned job arrays of a campaign (by `submit` and `resume`) and records each in
 * `submissions.json` as soon as SLURM accepts it.
 *
 * @module
 */
import { appendSubmissions, CAMPAIGN_FILES, campaignPath, type Submission } from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import type { PlannedArray } from "./plan.ts";
import { sbatchArray, type SlurmRunner } from "./slurm_client.ts";

/**
 * The `sbatch` command line of a planned array.
 *
 * @param dir the campaign folder
 * @param array the planned array
 * @returns the words, e.g. `sbatch --parsable --array=0-3 <dir>/simrun.sbatch 0`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sbatchCommand } from "./submit_arrays.ts";
 * assert.deepEqual(sbatchCommand("c", { offset: 4, tasks: [4, 5], array: "0-1" }), ["sbatch", "--parsable", "--array=0-1", "c/simrun.sbatch", "4"]);
 * ```
 */
export function sbatchCommand(dir: string, array: PlannedArray): string[] {
  const script = campaignPath(dir, CAMPAIGN_FILES.script);
  return ["sbatch", "--parsable", `--array=${array.array}`, script, String(array.offset)];
}

/**
 * Submits the arrays one after the other.
 *
 * @param dir the campaign folder
 * @param arrays the planned arrays
 * @param run the command runner
 * @returns the submissions
 * @throws CampaignError when sbatch refuses one (saying which were submitted and how to go on)
 */
export async function submitArrays(
  dir: string,
  arrays: readonly PlannedArray[],
  run: SlurmRunner,
): Promise<Submission[]> {
  const submitted: Submission[] = [];
  for (const a of arrays) {
    let jobId: string;
    try {
      jobId = await sbatchArray(run, campaignPath(dir, CAMPAIGN_FILES.script), a.array, a.offset);
    } catch (e) {
      const rest = submitted.length > 0 ? " (the arrays before it were submitted)" : "";
      throw new CampaignError(
        `${(e as Error).message}${rest}; the campaign is in ${dir}: fix the cause, then ` +
          `simrun slurm resume ${dir}`,
      );
    }
    const s = {
      jobId,
      offset: a.offset,
      array: a.array,
      tasks: a.tasks,
      submitted: new Date().toISOString(),
    };
    submitted.push(s);
    await appendSubmissions(dir, [s]);
  }
  return submitted;
}
