/**
 * Helpers of the tests against a real SLURM cluster (scripts/slurm_local.sh starts a one-node one
 * on 127.0.0.1; .ci/run does so before the tests). Where no cluster answers, the tests are
 * skipped with one message.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type CampaignStatus, campaignStatus, formatCampaignStatus } from "../mod.ts";
import { jobFolders } from "../cluster/testdata/job_folders.ts";

/** Why no cluster answers, or undefined when one does. */
async function probe(): Promise<string | undefined> {
  try {
    const r = await new Deno.Command("sinfo", {
      args: ["-h", "-o", "%T"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(20_000),
    }).output();
    const out = new TextDecoder().decode(r.stdout).trim();
    if (!r.success) {
      return `sinfo failed: ${new TextDecoder().decode(r.stderr).trim().split("\n")[0]}`;
    }
    if (!/^(idle|mix|alloc|completing)/m.test(out)) {
      return `no node can run jobs (sinfo: ${out || "nothing"})`;
    }
    return undefined;
  } catch (e) {
    return e instanceof Deno.errors.NotFound
      ? "sinfo is not installed"
      : `sinfo: ${(e as Error).message}`;
  }
}

const reason = await probe();
if (reason !== undefined) {
  console.warn(
    `SKIP: no SLURM cluster answers (${reason}); the SLURM tests are skipped. ` +
      "Start a local one with `sudo scripts/slurm_local.sh start` (.ci/run does).",
  );
}

/** True when no SLURM cluster answers (the tests are then skipped). */
export const NO_SLURM: boolean = reason !== undefined;

/**
 * Polls the campaign's status until `done(status)` holds.
 *
 * @param dir the campaign folder
 * @param done the condition
 * @param timeoutMs give up after this long (fails with the last status)
 * @returns the status that satisfied the condition
 */
export async function waitForCampaign(
  dir: string,
  done: (s: CampaignStatus) => boolean,
  timeoutMs = 300_000,
): Promise<CampaignStatus> {
  const t0 = Date.now();
  for (;;) {
    const s = await campaignStatus(dir);
    if (done(s)) return s;
    if (Date.now() - t0 > timeoutMs) {
      assert.fail(`campaign not there after ${timeoutMs / 1000} s:\n${formatCampaignStatus(s)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs a command; fails the test when it fails. */
export async function command(cmd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  assert.ok(r.success, `${cmd} ${args.join(" ")}: ${dec.decode(r.stderr)}`);
  return dec.decode(r.stdout);
}

/** Cancels every array a campaign submitted (cleanup after a failed test). */
export async function cancelCampaign(dir: string | undefined): Promise<void> {
  if (dir === undefined) return;
  try {
    const subs = JSON.parse(await Deno.readTextFile(`${dir}/submissions.json`)) as {
      jobId: string;
    }[];
    if (subs.length > 0) {
      await new Deno.Command("scancel", {
        args: subs.map((s) => s.jobId),
        stdout: "null",
        stderr: "null",
      })
        .output();
    }
  } catch { /* nothing submitted */ }
}

/**
 * Asserts that two result folders hold the same job folders, file by file, byte for byte (names
 * compared without stamp, pid and host).
 *
 * @param got results of the campaign's merge
 * @param want results of `simrun run`
 * @param jobs expected number of job folders
 */
export async function assertSameJobs(got: string, want: string, jobs: number): Promise<void> {
  const a = await jobFolders(got), b = await jobFolders(want);
  assert.equal(b.size, jobs, `simrun run wrote ${b.size} job folders`);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), "seeds of the job folders");
  for (const [seed, files] of b) {
    const mine = a.get(seed)!;
    assert.deepEqual([...mine.keys()].sort(), [...files.keys()].sort(), `seed ${seed}: file names`);
    assert.ok(files.size > 4, `seed ${seed}: only ${files.size} files`);
    for (const [name, text] of files) {
      assert.ok(mine.get(name) === text, `seed ${seed}: ${name} differs`);
    }
  }
}
