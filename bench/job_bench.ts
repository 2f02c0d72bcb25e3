/**
 * Whole ISF example job (2 sweeps, tStop 345 ms, `--rng isf`) through the CLI, as a user runs it:
 * wall time against ISF's 30.9 s (bench/_reference_times.ts; issue 13's goal with one thread:
 * ≤ 0.05×) and the peak resident memory of the process (one job), with the
 * sweeps simulated one after the other (`--threads 1`) and in two sweep workers (`--threads 2`).
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";
import { isfExampleArgs, sharedDir } from "../tests/_shared.ts";
import { ISF_JOB_S, ratio, TARGET } from "./_reference_times.ts";

/** Resident memory of a process [MiB] via `ps` (reading /proc needs --allow-all in Deno), or undefined. */
async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const r = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", String(pid)],
      stdout: "piped",
    }).output();
    const kb = Number(new TextDecoder().decode(r.stdout).trim());
    return r.success && kb > 0 ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the job with `--threads 1` and returns one printable line.
 *
 * @returns e.g. `job (ISF example, 2 sweeps, 1 job, --threads 1): 4.1 s (ISF 32.7 s, 0.13×), peak RSS 130 MiB`
 */
export function benchJob(): Promise<string> {
  return jobLine(1);
}

/**
 * Runs the job with `--threads 2` (its two sweeps simulated at the same time) and returns one
 * printable line.
 *
 * @returns e.g. `job (ISF example, 2 sweeps, 1 job, --threads 2): 2.5 s (ISF 32.7 s, 0.08×), …`
 */
export function benchJobThreads2(): Promise<string> {
  return jobLine(2);
}

/** The job with `threads` sweep threads: one printable line. */
async function jobLine(threads: number): Promise<string> {
  const what = `job (ISF example, 2 sweeps, 1 job, --threads ${threads})`;
  if (sharedDir() === undefined) return `${what}: skipped (../shared is absent)`;
  const tmp = await Deno.makeTempDir({ prefix: "simrun_job_bench_" });
  try {
    const t0 = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: cliCommand([
        "run",
        ...isfExampleArgs(),
        "--sweeps",
        "2",
        "--dir-prefix",
        tmp,
        "--quiet",
        "--threads",
        String(threads),
      ]),
      cwd: tmp,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Peak RSS sampled every 200 ms while the job runs.
    let peak: number | undefined;
    let done = false;
    const sampler = (async () => {
      while (!done) {
        const m = await rssMiB(child.pid);
        if (m !== undefined) peak = Math.max(peak ?? 0, m);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const out = await child.output();
    done = true;
    await sampler;
    const s = (performance.now() - t0) / 1000;
    if (!out.success) return `${what}: FAILED (${new TextDecoder().decode(out.stderr).trim()})`;
    const mem = peak === undefined
      ? "peak RSS n/a"
      : `peak RSS ${peak.toFixed(0)} MiB (sampled every 0.2 s)`;
    return `${what}: ${
      ratio(s, ISF_JOB_S, "ISF whole job", threads === 1 ? TARGET.job : undefined)
    }, ${mem}`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) {
  console.log(await benchJob());
  console.log(await benchJobThreads2());
}
