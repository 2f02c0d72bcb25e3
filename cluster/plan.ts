/**
 * Planning a campaign: the task table (each job's sweeps cut into ranges of at most K) and the
 * job arrays that run a set of tasks within the cluster's `MaxArraySize`.
 *
 * @module
 */
import type { CampaignTask } from "./campaign.ts";

/**
 * Cuts every job's sweeps 0 … nSweeps−1 into ranges of at most `sweepsPerTask`, job after job.
 *
 * @param seeds one seed per job
 * @param nSweeps sweeps per job ≥ 1
 * @param sweepsPerTask K ≥ 1
 * @returns the tasks, indexed 0 … T−1
 * @example Two jobs of 5 sweeps, 2 per task
 * ```ts
 * import assert from "node:assert/strict";
 * import { planTasks } from "./plan.ts";
 * const t = planTasks([7, 9], 5, 2);
 * assert.equal(t.length, 6);
 * assert.deepEqual(t[2], { index: 2, job: 0, seed: 7, start: 4, end: 5 });
 * assert.deepEqual(t[3], { index: 3, job: 1, seed: 9, start: 0, end: 2 });
 * ```
 */
export function planTasks(
  seeds: readonly number[],
  nSweeps: number,
  sweepsPerTask: number,
): CampaignTask[] {
  if (!(Number.isInteger(nSweeps) && nSweeps >= 1)) {
    throw new RangeError(`nSweeps must be an integer >= 1, got ${nSweeps}`);
  }
  if (!(Number.isInteger(sweepsPerTask) && sweepsPerTask >= 1)) {
    throw new RangeError(`sweepsPerTask must be an integer >= 1, got ${sweepsPerTask}`);
  }
  const out: CampaignTask[] = [];
  seeds.forEach((seed, job) => {
    for (let start = 0; start < nSweeps; start += sweepsPerTask) {
      out.push({
        index: out.length,
        job,
        seed,
        start,
        end: Math.min(start + sweepsPerTask, nSweeps),
      });
    }
  });
  return out;
}

/**
 * SLURM's array notation of a sorted set of integers: runs become `a-b`, joined with commas.
 *
 * @param values distinct integers ≥ 0
 * @returns e.g. `0-3,7,9-10`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arrayRanges } from "./plan.ts";
 * assert.equal(arrayRanges([9, 0, 1, 2, 3, 7, 10]), "0-3,7,9-10");
 * ```
 */
export function arrayRanges(values: readonly number[]): string {
  const v = [...values].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < v.length;) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j]! + 1) j++;
    parts.push(j === i ? `${v[i]}` : `${v[i]}-${v[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** One `sbatch --array` of a plan. */
export interface PlannedArray {
  /** Task index = offset + array index (`$SLURM_ARRAY_TASK_ID`); passed to the script as `$1`. */
  readonly offset: number;
  /** The task indices it runs. */
  readonly tasks: readonly number[];
  /** The `--array` value, e.g. `0-3%2`. */
  readonly array: string;
}

/**
 * Splits task indices into job arrays whose indices stay below `maxArraySize` (SLURM's largest
 * array index is MaxArraySize − 1): task i goes to the array with offset
 * ⌊i / maxArraySize⌋ · maxArraySize, as array index i − offset.
 *
 * @param tasks task indices to run
 * @param maxArraySize the cluster's MaxArraySize ≥ 1
 * @param maxParallel at most this many elements of an array at a time (`%N`)
 * @returns the arrays, by offset
 * @example Six tasks on a cluster with MaxArraySize 4
 * ```ts
 * import assert from "node:assert/strict";
 * import { planArrays } from "./plan.ts";
 * assert.deepEqual(planArrays([0, 1, 2, 3, 4, 5], 4, 2), [
 *   { offset: 0, tasks: [0, 1, 2, 3], array: "0-3%2" },
 *   { offset: 4, tasks: [4, 5], array: "0-1%2" },
 * ]);
 * ```
 */
export function planArrays(
  tasks: readonly number[],
  maxArraySize: number,
  maxParallel?: number,
): PlannedArray[] {
  if (!(Number.isInteger(maxArraySize) && maxArraySize >= 1)) {
    throw new RangeError(`MaxArraySize must be an integer >= 1, got ${maxArraySize}`);
  }
  const groups = new Map<number, number[]>();
  for (const t of [...new Set(tasks)].sort((a, b) => a - b)) {
    const offset = Math.floor(t / maxArraySize) * maxArraySize;
    if (!groups.has(offset)) groups.set(offset, []);
    groups.get(offset)!.push(t);
  }
  return [...groups].map(([offset, ts]) => ({
    offset,
    tasks: ts,
    array: arrayRanges(ts.map((t) => t - offset)) +
      (maxParallel !== undefined ? `%${maxParallel}` : ""),
  }));
}
