/**
 * The error of a campaign that cannot go on as asked: incomplete at merge, a task that failed, a
 * queue that does not answer, a damaged task folder. The CLI prints its message as one line and
 * exits with 1 (input problems use io's `InputValueError`, exit 2).
 *
 * @module
 */

/**
 * A campaign operation that failed for a reason other than bad input (exit code 1).
 *
 * @example Name the tasks that block a merge
 * ```ts
 * import assert from "node:assert/strict";
 * import { CampaignError } from "./campaign_error.ts";
 * const e = new CampaignError("Campaign incomplete: tasks 3, 5 failed", { tasks: [3, 5] });
 * assert.deepEqual(e.tasks, [3, 5]);
 * assert.equal(e.name, "CampaignError");
 * ```
 */
export class CampaignError extends Error {
  /** Task indices the error is about (empty when it is about the whole campaign). */
  readonly tasks: readonly number[];
  /**
   * Creates the error.
   *
   * @param message one line: what failed and what to do
   * @param options the task indices concerned
   */
  constructor(message: string, options: { readonly tasks?: readonly number[] } = {}) {
    super(message);
    this.name = "CampaignError";
    this.tasks = options.tasks ?? [];
  }
}
