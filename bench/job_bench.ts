/**
 * Whole ISF example job (2 sweeps, tStop 345 ms, `--rng isf`) through the CLI, as a user runs it:
 * wall time against ISF's 32.7 s and the peak resident memory of the process (one job).
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";

/** ISF + NEURON 8.2.2 on the same 2-sweep job, incl. writing (shared/reference/README.md) [s]. */
const ISF_JOB_S = 32.7;

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
 * Runs the job and returns one printable line.
 *
 * @returns e.g. `job (ISF example, 2 sweeps): 21.3 s (ISF 32.7 s, 0.65×), peak RSS 310 MiB`
 */
export async function benchJob(): Promise<string> {
  if (sharedDir() === undefined) return "job: skipped (../shared is absent)";
  const data = sharedPath("data", "isf_example");
  const tmp = await Deno.makeTempDir({ prefix: "simrun_job_bench_" });
  try {
    const t0 = performance.now();
    const child = new Deno.Command(Deno.execPath(), {
      args: cliCommand([
        "run",
        `${data}/biophysical_constraints/86_C2_center.param`,
        `${data}/functional_constraints/network.param`,
        "--path-map",
        isfPathMap()[0]!,
        "--rng",
        "isf",
        "--seed",
        "20250101",
        "--sweeps",
        "2",
        "--dir-prefix",
        tmp,
        "--quiet",
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
    if (!out.success) return `job: FAILED (${new TextDecoder().decode(out.stderr).trim()})`;
    const mem = peak === undefined
      ? "peak RSS n/a"
      : `peak RSS ${peak.toFixed(0)} MiB (sampled every 0.2 s)`;
    return `job (ISF example, 2 sweeps, 1 job): ${s.toFixed(1)} s (ISF ${ISF_JOB_S} s, ${
      (s / ISF_JOB_S).toFixed(2)
    }×), ${mem}`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

if (import.meta.main) console.log(await benchJob());
