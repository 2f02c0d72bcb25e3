/**
 * An interrupted campaign on a real SLURM cluster: a task killed with `scancel` while it runs shows
 * as failed in `status`, `merge` refuses and names it, `resume` submits only it again, and the
 * final merge is byte-identical to the uninterrupted result (`simrun run` with the same seed).
 */
import assert from "node:assert/strict";
import { readSubmissions } from "../mod.ts";
import { runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";
import { assertSameJobs, cancelCampaign, command, NO_SLURM, waitForCampaign } from "./_slurm.ts";

const MODEL = `${repoDir()}/examples/model`;

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "simrun slurm: a killed task shows as failed, merge names it, resume reruns only it",
  ignore: NO_SLURM,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_kill_" });
    let dir: string | undefined;
    try {
      // 2 tasks of 2 sweeps of 400 ms each: a task runs for seconds, time enough to kill it.
      const common = ["--sweeps", "4", "--seed", "31337", "--tstop", "400", "--quiet"];
      const inputs = [`${MODEL}/example_pyramid.param`, `${MODEL}/example_network.param`];
      const sub = await runCli(
        [
          "slurm",
          "submit",
          ...inputs,
          ...common,
          "--sweeps-per-task",
          "2",
          "--dir-prefix",
          `${tmp}/c`,
        ],
        { cwd: tmp },
      );
      assert.equal(sub.code, 0, sub.stderr);
      dir = sub.stdout.trim().split("\n").at(-1)!;
      const [first] = await readSubmissions(dir);
      assert.deepEqual(first!.tasks, [0, 1]);
      // Kill task 1 once it has started.
      const t0 = Date.now();
      while (!(await exists(`${dir}/tasks/1_running/task.json`))) {
        assert.ok(Date.now() - t0 < 300_000, "task 1 never started");
        await new Promise((r) => setTimeout(r, 100));
      }
      await command("scancel", [`${first!.jobId}_${1 - first!.offset}`]);
      const s = await waitForCampaign(
        dir,
        (s) => s.counts.done + s.counts.failed + s.counts.missing === 2,
      );
      assert.ok(!(await exists(`${dir}/tasks/1`)), "task 1 finished before it could be killed");
      assert.deepEqual(s.tasks.map((t) => t.state), ["done", "failed"]);
      const st = await runCli(["slurm", "status", dir]);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /tasks: 1 done, 0 running, 0 pending, 1 failed/);
      assert.match(
        st.stdout,
        /failed: task 1 \(\d+_1\): (killed by SIGTERM|SLURM state CANCELLED)/,
      );
      const refused = await runCli(["slurm", "merge", dir]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /^simrun: Campaign incomplete: task\(s\) 1 of 2 not done/);
      assert.equal(refused.stderr.trim().split("\n").length, 1, "one line");
      assert.deepEqual([...Deno.readDirSync(`${tmp}/c/results`)].length, 1, "nothing merged");

      const task0 = await Deno.stat(`${dir}/tasks/0/manifest.json`);
      const res = await runCli(["slurm", "resume", dir]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, /submitted array job \d+ \(--array=1\) for task\(s\) 1\n/);
      assert.deepEqual((await readSubmissions(dir)).map((x) => x.tasks), [[0, 1], [1]]);
      const again = await waitForCampaign(dir, (s) => s.counts.done === 2 || s.counts.failed > 0);
      assert.equal(again.counts.failed, 0);
      const task0After = await Deno.stat(`${dir}/tasks/0/manifest.json`);
      assert.deepEqual(
        [task0After.ino, task0After.mtime],
        [task0.ino, task0.mtime],
        "task 0 untouched",
      );

      const merged = await runCli(["slurm", "merge", dir]);
      assert.equal(merged.code, 0, merged.stderr);
      const ref = await runCli(["run", ...inputs, ...common, "--dir-prefix", `${tmp}/r`], {
        cwd: tmp,
      });
      assert.equal(ref.code, 0, ref.stderr);
      await assertSameJobs(`${tmp}/c/results`, `${tmp}/r/results`, 1);
    } finally {
      await cancelCampaign(dir);
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
