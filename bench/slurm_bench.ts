/**
 * What a SLURM campaign costs over `simrun run` for the same sweeps on the local cluster
 * (scripts/slurm_local.sh): the demo model, 2 seeds × 6 sweeps of 100 ms, in 6 tasks of 2 sweeps
 * against `simrun run --nprocs 2` (both use the machine's 2 CPUs). Wall times from submit to the
 * last task's end, and of the merge; best of N. Also the price of sharding `--rng isf`: a task
 * that starts at sweep A realizes and drops the networks of sweeps 0 … A−1 (ISF example, via
 * `simrun network --sweep-range`).
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";
import { isfExampleArgs, repoDir, sharedDir } from "../tests/_shared.ts";

const RUNS = 3;
const MODEL = `${repoDir()}/examples/model`;
const INPUTS = [`${MODEL}/example_pyramid.param`, `${MODEL}/example_network.param`];
const COMMON = ["--sweeps", "6", "--nprocs", "2", "--seed", "99", "--tstop", "100", "--quiet"];

/** Runs the CLI; returns stdout and the wall time [s]. */
async function cli(args: string[], cwd: string): Promise<{ out: string; s: number }> {
  const t0 = performance.now();
  const r = await new Deno.Command(Deno.execPath(), {
    args: cliCommand(args),
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const s = (performance.now() - t0) / 1000;
  const dec = new TextDecoder();
  if (!r.success) {
    throw new Error(`simrun ${args.slice(0, 2).join(" ")}: ${dec.decode(r.stderr).trim()}`);
  }
  return { out: dec.decode(r.stdout), s };
}

async function clusterAnswers(): Promise<boolean> {
  try {
    const r = await new Deno.Command("sinfo", {
      args: ["-h", "-o", "%T"],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(20_000),
    }).output();
    return r.success && /^(idle|mix)/m.test(new TextDecoder().decode(r.stdout));
  } catch {
    return false;
  }
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isDirectory;
  } catch {
    return false;
  }
}

/** One campaign: submit, wait for all tasks (folder polled every 50 ms), merge. */
async function campaign(tmp: string): Promise<{ submit: number; tasks: number; merge: number }> {
  await Deno.mkdir(tmp, { recursive: true });
  const sub = await cli([
    "slurm",
    "submit",
    ...INPUTS,
    ...COMMON,
    "--sweeps-per-task",
    "2",
    "--dir-prefix",
    tmp,
  ], tmp);
  const dir = sub.out.trim().split("\n").at(-1)!;
  const t0 = performance.now();
  for (;;) {
    const done = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => isDir(`${dir}/tasks/${i}`)));
    if (done.every((d) => d)) break;
    if (
      (await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) =>
          Deno.stat(`${dir}/tasks/${i}.failed`).then(() => true, () => false)
        ),
      )).some((f) => f)
    ) {
      throw new Error(`a task failed: simrun slurm status ${dir}`);
    }
    if (performance.now() - t0 > 600_000) throw new Error("campaign not done after 10 min");
    await new Promise((r) => setTimeout(r, 50));
  }
  const tasks = (performance.now() - t0) / 1000;
  const merge = await cli(["slurm", "merge", dir], tmp);
  return { submit: sub.s, tasks, merge: merge.s };
}

/**
 * Campaign against `simrun run` on the local cluster.
 *
 * @returns one line, or a line saying why it was skipped
 */
export async function benchSlurm(): Promise<string> {
  const what = "slurm campaign (demo, 2 seeds x 6 sweeps of 100 ms, 6 tasks, 2 CPUs)";
  if (!(await clusterAnswers())) {
    return `${what}: skipped (no SLURM cluster answers; scripts/slurm_local.sh start)`;
  }
  let run = Infinity, total = Infinity, best = { submit: 0, tasks: 0, merge: 0 };
  for (let k = 0; k < RUNS; k++) {
    const tmp = await Deno.makeTempDir({ prefix: "simrun_slurm_bench_" });
    try {
      run = Math.min(
        run,
        (await cli(["run", ...INPUTS, ...COMMON, "--dir-prefix", `${tmp}/r`], tmp)).s,
      );
      const c = await campaign(`${tmp}/c`);
      const t = c.submit + c.tasks + c.merge;
      if (t < total) [total, best] = [t, c];
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  }
  return `${what}: simrun run ${run.toFixed(2)} s; campaign ${total.toFixed(2)} s = submit ${
    best.submit.toFixed(2)
  } s + tasks ${best.tasks.toFixed(2)} s + merge ${best.merge.toFixed(2)} s; overhead ${
    (total - run).toFixed(2)
  } s (${((total / run - 1) * 100).toFixed(0)} %), ${
    ((total - run) / 6).toFixed(2)
  } s per task (best of ${RUNS})`;
}

/**
 * The cost of starting an `--rng isf` task at sweep A: realizing and dropping A networks.
 *
 * @returns one line
 */
export async function benchSlurmIsfSkip(): Promise<string> {
  const what = "slurm --rng isf task start at sweep A (ISF example)";
  if (sharedDir() === undefined) return `${what}: skipped (../shared is absent)`;
  const A = 100;
  const tmp = await Deno.makeTempDir({ prefix: "simrun_isf_skip_" });
  try {
    const time = async (range: string) => {
      let best = Infinity;
      for (let k = 0; k < RUNS; k++) {
        const out = `${tmp}/${range.replace(":", "_")}_${k}`;
        best = Math.min(
          best,
          (await cli([
            "network",
            ...isfExampleArgs(),
            "--sweeps",
            String(A + 1),
            "--sweep-range",
            range,
            "--out",
            out,
          ], tmp)).s,
        );
      }
      return best;
    };
    const first = await time("0:1");
    const late = await time(`${A}:${A + 1}`);
    return `${what}: sweep 0 alone ${first.toFixed(2)} s, sweep ${A} alone ${late.toFixed(2)} s: ${
      ((late - first) / A * 1000).toFixed(1)
    } ms per dropped sweep (best of ${RUNS})`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchSlurm());
  console.log(await benchSlurmIsfSkip());
}
