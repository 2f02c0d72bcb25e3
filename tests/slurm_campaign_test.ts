/**
 * A campaign on a real SLURM cluster (scripts/slurm_local.sh): two seeds × 6 sweeps of the demo
 * model, 2 sweeps per task (6 array elements; on the local cluster, whose MaxArraySize is 4, two
 * arrays), merged into folders byte-identical to `simrun run --nprocs 2 --sweeps 6` with the same
 * seeds, apart from stamp, pid and host. The batch script runs exactly the command `submit`
 * detected (this checkout through `deno run` with the simrun task's flags).
 */
import assert from "node:assert/strict";
import { readCampaign, readSubmissions, shellQuote } from "../mod.ts";
import { cliCommand, runCli } from "./_cli.ts";
import { repoDir } from "./_shared.ts";
import { assertSameJobs, cancelCampaign, command, NO_SLURM, waitForCampaign } from "./_slurm.ts";

const MODEL = `${repoDir()}/examples/model`;

Deno.test({
  name:
    "simrun slurm submit/status/merge: 2 seeds x 6 sweeps in 6 tasks equal simrun run --nprocs 2",
  ignore: NO_SLURM,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_" });
    let dir: string | undefined;
    try {
      const common = ["--sweeps", "6", "--seed", "424242", "--tstop", "40", "--quiet"];
      const inputs = [`${MODEL}/example_pyramid.param`, `${MODEL}/example_network.param`];
      const sub = await runCli(
        [
          "slurm",
          "submit",
          ...inputs,
          "--nprocs",
          "2",
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
      assert.match(dir, /\/c\/results\/\d{8}-\d{4}_campaign_seed424242$/);
      assert.match(sub.stdout, /submitted array job \d+/);
      // The nodes run exactly the command the tests run (tests/_cli.ts: the simrun task's flags).
      const script = await Deno.readTextFile(`${dir}/simrun.sbatch`);
      const cmd = [Deno.execPath(), ...cliCommand(["slurm", "task", dir])].map(shellQuote).join(
        " ",
      );
      assert.ok(
        script.includes(`\nexec ${cmd} "$task"\n`),
        `the script does not run ${cmd}:\n${script}`,
      );
      const campaign = await readCampaign(dir);
      assert.equal(campaign.tasks.length, 6);
      const subs = await readSubmissions(dir);
      assert.deepEqual(
        subs.flatMap((s) => s.tasks),
        [0, 1, 2, 3, 4, 5],
        "every task submitted once",
      );
      // Arrays within the cluster's MaxArraySize (the local cluster's is 4: two arrays).
      const config = await command("scontrol", ["show", "config"]);
      const max = Number(/MaxArraySize\s*=\s*(\d+)/.exec(config)![1]);
      const offsets = Array.from({ length: Math.ceil(6 / max) }, (_, k) => k * max);
      assert.deepEqual(subs.map((s) => s.offset), offsets);
      // The reference run while the cluster works.
      const ref = await runCli([
        "run",
        ...inputs,
        "--nprocs",
        "2",
        ...common,
        "--dir-prefix",
        `${tmp}/r`,
      ], { cwd: tmp });
      assert.equal(ref.code, 0, ref.stderr);
      const s = await waitForCampaign(dir, (s) => s.counts.done === 6 || s.counts.failed > 0);
      assert.equal(s.counts.failed, 0, "a task failed");
      const st = await runCli(["slurm", "status", dir]);
      assert.equal(st.code, 0, st.stderr);
      assert.match(st.stdout, /tasks: 6 done, 0 running, 0 pending, 0 failed/);
      assert.match(st.stdout, /sweeps: 12 of 12 done/);
      const merged = await runCli(["slurm", "merge", dir]);
      assert.equal(merged.code, 0, merged.stderr);
      const outputs = merged.stdout.trim().split("\n");
      assert.equal(outputs.length, 2);
      for (const o of outputs) assert.match(o, /\/c\/results\/\d{8}-\d{4}_seed\d+_pid\d+$/);
      assert.equal(
        new Set(outputs.map((o) => /_pid(\d+)$/.exec(o)![1])).size,
        1,
        "one pid, as simrun run",
      );
      await assertSameJobs(`${tmp}/c/results`, `${tmp}/r/results`, 2);
      // Merging again changes nothing.
      const again = await runCli(["slurm", "merge", dir]);
      assert.equal(again.code, 0, again.stderr);
      assert.deepEqual(again.stdout.trim().split("\n"), outputs);
    } finally {
      await cancelCampaign(dir);
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
