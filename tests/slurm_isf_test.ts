/**
 * `--rng isf` sharded on a real SLURM cluster: ISF's example, seed 20250101, 2 sweeps in 2 tasks
 * of 1 sweep. Task 1 realizes sweep 0's network and drops it before sweep 1 (ISF draws all sweeps
 * of a job from one NumPy stream), so the merged synapse and presynaptic files are byte-identical
 * to ISF's own (reference/network/B_run_new_simulations) where the C library's `log` is bound
 * (tests/_activation_compare.ts states the fallback tolerance).
 */
import assert from "node:assert/strict";
import { compareActivationFiles } from "./_activation_compare.ts";
import { runCli } from "./_cli.ts";
import { isfExampleArgs, sharedDir, sharedPath } from "./_shared.ts";
import { cancelCampaign, NO_SLURM, waitForCampaign } from "./_slurm.ts";

Deno.test({
  name: "simrun slurm --rng isf, 1 sweep per task: merged activation files equal ISF's",
  ignore: NO_SLURM || sharedDir() === undefined,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_isf_" });
    let dir: string | undefined;
    try {
      const sub = await runCli([
        "slurm",
        "submit",
        ...isfExampleArgs(),
        "--sweeps",
        "2",
        "--sweeps-per-task",
        "1",
        "--dir-prefix",
        tmp,
        "--quiet",
      ], { cwd: tmp });
      assert.equal(sub.code, 0, sub.stderr);
      dir = sub.stdout.trim().split("\n").at(-1)!;
      const s = await waitForCampaign(dir, (s) => s.counts.done === 2 || s.counts.failed > 0);
      assert.equal(s.counts.failed, 0);
      const merged = await runCli(["slurm", "merge", dir]);
      assert.equal(merged.code, 0, merged.stderr);
      const out = merged.stdout.trim();
      assert.match(out, /_seed20250101_pid\d+$/);
      const ref = sharedPath("reference", "network", "B_run_new_simulations");
      let compared = 0;
      for (const n of ["0000", "0001"]) {
        for (const [kind, timeColumn] of [["synapses", 6], ["presynaptic_cells", 2]] as const) {
          const name = `simulation_run${n}_${kind}.csv`;
          compareActivationFiles(
            await Deno.readTextFile(`${out}/${name}`),
            await Deno.readTextFile(`${ref}/${name}`),
            name,
            timeColumn,
          );
          compared++;
        }
      }
      assert.equal(compared, 4);
    } finally {
      await cancelCampaign(dir);
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
