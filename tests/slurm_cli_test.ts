/**
 * `simrun slurm` on the command line without a cluster: help, usage errors (exit 2, one line),
 * and a `--dry-run` campaign whose task is run by hand after a param was edited (exit 2, one line
 * naming the file; nothing to merge: exit 1). The same flags as the compiled binary (tests/_cli.ts).
 */
import assert from "node:assert/strict";
import { runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";

Deno.test("simrun slurm: help, usage errors and a non-campaign folder answer in one line", async () => {
  for (
    const args of [["slurm", "--help"], ["slurm", "submit", "--help"], ["slurm", "merge", "--help"]]
  ) {
    const r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: simrun slurm/);
  }
  const bad = await runCli(["slurm", "sbumit"]);
  assert.equal(bad.code, 2);
  assert.equal(
    bad.stderr,
    'simrun: unknown slurm command "sbumit" (submit, task, status, merge, resume) (see simrun slurm --help)\n',
  );
  const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_cli_" });
  try {
    const r = await runCli(["slurm", "status", tmp]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `simrun: ${tmp}: Not a campaign folder: it has no campaign.json (simrun slurm submit writes one)\n`,
    );
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("simrun slurm task of a --dry-run campaign refuses an edited param: exit 2, one line", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_cli_" });
  try {
    await Deno.mkdir(`${tmp}/model`);
    for (const e of Deno.readDirSync(`${repoDir()}/examples/model`)) {
      await Deno.copyFile(`${repoDir()}/examples/model/${e.name}`, `${tmp}/model/${e.name}`);
    }
    const sub = await runCli([
      "slurm",
      "submit",
      `${tmp}/model/example_pyramid.param`,
      `${tmp}/model/example_network.param`,
      "--sweeps",
      "2",
      "--tstop",
      "10",
      "--sweeps-per-task",
      "1",
      "--dry-run",
      "--dir-prefix",
      tmp,
    ], { cwd: tmp });
    assert.equal(sub.code, 0, sub.stderr);
    assert.match(
      sub.stdout,
      /dry run: nothing submitted; the command\(s\) would be:\n {2}sbatch --parsable --array=0-1 /,
    );
    const dir = sub.stdout.trim().split("\n").at(-1)!;
    const hoc = `${tmp}/model/example_pyramid.hoc`;
    await Deno.writeTextFile(hoc, (await Deno.readTextFile(hoc)) + "\n");
    const task = await runCli(["slurm", "task", dir, "1"], { cwd: tmp });
    assert.equal(task.code, 2, task.stderr);
    assert.equal(task.stderr.split("\n").filter((l) => l !== "").length, 1, task.stderr);
    assert.match(
      task.stderr,
      new RegExp(`^simrun: ${hoc}: referenced file changed since the campaign was submitted`),
    );
    const merge = await runCli(["slurm", "merge", dir]);
    assert.equal(merge.code, 1);
    assert.match(merge.stderr, /^simrun: Campaign incomplete: task\(s\) 0, 1 of 2 not done/);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
