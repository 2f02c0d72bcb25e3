/**
 * A param edited after submission on a real SLURM cluster: the tasks (held at submission, then
 * released) fail with one clear line naming the file, status shows it, and nothing is merged.
 */
import assert from "node:assert/strict";
import { readSubmissions } from "../mod.ts";
import { runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";
import { cancelCampaign, command, NO_SLURM, waitForCampaign } from "./_slurm.ts";

Deno.test({
  name: "simrun slurm: a param edited after submit fails the tasks clearly and nothing is merged",
  ignore: NO_SLURM,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_edit_" });
    let dir: string | undefined;
    try {
      await Deno.mkdir(`${tmp}/model`);
      for (const e of Deno.readDirSync(`${repoDir()}/examples/model`)) {
        await Deno.copyFile(`${repoDir()}/examples/model/${e.name}`, `${tmp}/model/${e.name}`);
      }
      const cell = `${tmp}/model/example_pyramid.param`;
      const sub = await runCli([
        "slurm",
        "submit",
        cell,
        `${tmp}/model/example_network.param`,
        "--sweeps",
        "2",
        "--tstop",
        "20",
        "--sweeps-per-task",
        "1",
        "--sbatch-arg=--hold",
        "--dir-prefix",
        `${tmp}/c`,
        "--quiet",
      ], { cwd: tmp });
      assert.equal(sub.code, 0, sub.stderr);
      dir = sub.stdout.trim().split("\n").at(-1)!;
      await Deno.writeTextFile(cell, (await Deno.readTextFile(cell)) + "\n# edited\n");
      for (const s of await readSubmissions(dir)) await command("scontrol", ["release", s.jobId]);
      const s = await waitForCampaign(dir, (s) => s.counts.failed + s.counts.done === 2);
      assert.deepEqual(s.tasks.map((t) => t.state), ["failed", "failed"]);
      const st = await runCli(["slurm", "status", dir]);
      assert.match(
        st.stdout,
        new RegExp(
          `failed: task 0 \\(\\d+_0\\): ${cell}: cell param changed since the campaign was submitted`,
        ),
      );
      // The task's own error line in SLURM's log, once, without a stack.
      const log = await Deno.readTextFile(s.tasks[0]!.log!);
      const errors = log.split("\n").filter((l) => l.startsWith("simrun: "));
      assert.equal(errors.length, 1, log);
      assert.match(
        errors[0]!,
        /cell param changed since the campaign was submitted .*task 0 not run/,
      );
      assert.ok(!log.includes("    at "), `a stack trace in the log:\n${log}`);
      const merged = await runCli(["slurm", "merge", dir]);
      assert.equal(merged.code, 1);
      assert.match(merged.stderr, /task\(s\) 0, 1 of 2 not done/);
      assert.deepEqual([...Deno.readDirSync(`${tmp}/c/results`)].length, 1, "nothing merged");
    } finally {
      await cancelCampaign(dir);
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
