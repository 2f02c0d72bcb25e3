/**
 * Jobs with the same seed and pid in the same minute never share a folder. Same pids are normal
 * across containers, PID namespaces and cluster nodes; here each simrun runs as pid 1 of its own
 * PID namespace (`unshare -pf`, root only: skipped elsewhere), as it would in a container.
 */
import assert from "node:assert/strict";
import { cliCommand } from "./_cli.ts";
import { MODEL, names } from "./_model.ts";

async function canUnsharePid(): Promise<boolean> {
  try {
    const r = await new Deno.Command("unshare", {
      args: ["-pf", "sh", "-c", 'test "$$" = 1'],
      stdout: "null",
      stderr: "null",
    }).output();
    return r.success;
  } catch {
    return false;
  }
}

const UNSHARE = await canUnsharePid();
if (!UNSHARE) {
  console.warn("SKIP: cannot start simrun in its own PID namespace (unshare -pf needs root)");
}

/** `simrun run` as pid 1 of a new PID namespace; killing the returned process kills simrun. */
function runAsPid1(dir: string, sweeps: number): Deno.ChildProcess {
  const args = cliCommand([
    "run",
    `${MODEL}/example_pyramid.param`,
    `${MODEL}/example_network.param`,
    "--dir-prefix",
    dir,
    "--sweeps",
    String(sweeps),
    "--tstop",
    "20",
    "--seed",
    "5",
    "--quiet",
  ]);
  return new Deno.Command("unshare", {
    args: ["-pf", "--kill-child=SIGKILL", Deno.execPath(), ...args],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function finish(p: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  const r = await p.output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

/** Waits, if needed, so that the next ~15 s stay within one minute (the folder timestamp). */
async function startOfMinute(): Promise<void> {
  const s = new Date().getSeconds();
  if (s > 40) await new Promise((r) => setTimeout(r, (61 - s) * 1000));
}

/** The files a finished 2-sweep job of seed 5, pid 1 holds (host name aside). */
function expectedFiles(): string[] {
  return [
    "seed5_pid1_example_pyramid_apical_site_ID_000_sec_016_seg_004_x_0.500_somaDist_398.1_vm_dend_traces.csv",
    "seed5_pid1_network_model.param",
    "seed5_pid1_neuron_model.param",
    "seed5_pid1_vm_all_traces.csv",
    "simulation_run0000_presynaptic_cells.csv",
    "simulation_run0000_synapses.csv",
    "simulation_run0001_presynaptic_cells.csv",
    "simulation_run0001_synapses.csv",
  ];
}

async function checkFinished(folder: string): Promise<void> {
  const files = (await names(folder)).filter((n) => !n.startsWith("hostname_"));
  assert.deepEqual(files, expectedFiles(), folder);
  const header = (await Deno.readTextFile(`${folder}/seed5_pid1_vm_all_traces.csv`)).split("\n")[0];
  assert.equal(header, "t\tVm run 00\tVm run 01");
}

Deno.test({
  name: "a rerun with the seed and pid of a killed run in the same minute never adopts its folder",
  ignore: !UNSHARE,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_clash_" });
    try {
      await startOfMinute();
      const killed = runAsPid1(tmp, 50);
      // Wait until sweep 2's files exist: more sweeps than the rerun will write.
      const deadline = Date.now() + 60_000;
      let running: string | undefined;
      while (Date.now() < deadline) {
        running = (await names(`${tmp}/results`)).find((n) => n.endsWith("_running"));
        if (
          running &&
          (await names(`${tmp}/results/${running}`)).includes(
            "simulation_run0002_presynaptic_cells.csv",
          )
        ) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      killed.kill("SIGKILL");
      await killed.output();
      assert.ok(running?.endsWith("_seed5_pid1_running"), `no _running folder: ${running}`);
      const stale = await names(`${tmp}/results/${running}`);

      const rerun = await finish(runAsPid1(tmp, 2));
      assert.equal(rerun.code, 0, rerun.stderr);
      assert.deepEqual(
        await names(`${tmp}/results/${running}`),
        stale,
        "the killed run's folder changed",
      );
      const done = (await names(`${tmp}/results`)).filter((n) => n !== running);
      assert.equal(done.length, 1, done.join(", "));
      assert.match(done[0]!, /^\d{8}-\d{4}_seed5_pid1(_\d+)?$/);
      await checkFinished(`${tmp}/results/${done[0]}`);
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

Deno.test({
  name: "two concurrent runs with the same seed and pid each keep a complete folder of their own",
  ignore: !UNSHARE,
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_clash_" });
    try {
      await startOfMinute();
      const [a, b] = await Promise.all([finish(runAsPid1(tmp, 2)), finish(runAsPid1(tmp, 2))]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      const done = await names(`${tmp}/results`);
      assert.equal(done.length, 2, done.join(", "));
      for (const d of done) {
        assert.match(d, /^\d{8}-\d{4}_seed5_pid1(_\d+)?$/);
        await checkFinished(`${tmp}/results/${d}`);
      }
      // The same seed gives the same files: neither lost nor mixed data.
      for (const f of expectedFiles()) {
        assert.equal(
          await Deno.readTextFile(`${tmp}/results/${done[0]}/${f}`),
          await Deno.readTextFile(`${tmp}/results/${done[1]}/${f}`),
          f,
        );
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
