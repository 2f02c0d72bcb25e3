/**
 * `simrun plot` on big folders, and what `--plot` adds to a run.
 *
 * - A synthetic 1,000-sweep result folder: soma and one recording-site trace file of 13,802 rows
 *   × 1,000 sweeps (tStop 345 ms at dt 0.025 ms; ~140 MB each, spikes in every sweep) and 1,000
 *   activation files (ISF's B sweeps, ~4,300 active synapses and ~5,300 activations each, with
 *   B's saved params): wall time and peak resident memory of `simrun plot` through the CLI.
 * - The demo run (`simrun run` on examples/model, 2 jobs × 2 sweeps, as `simrun demo`) with and
 *   without `--plot`: best of 3 each, and the difference.
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";
import { isfPathMap, repoDir, sharedDir, sharedPath } from "../tests/_shared.ts";

/** Sweeps of the synthetic folder. */
const SWEEPS = 1000;
/** Rows of a trace file (345 ms at 0.025 ms, as NEURON counts them). */
const ROWS = 13802;

/** Resident memory of a process [MiB] via `ps`, or undefined. */
async function rssMiB(pid: number): Promise<number | undefined> {
  try {
    const r = await new Deno.Command("ps", {
      args: ["-o", "rss=", "-p", String(pid)],
      stdout: "piped",
    })
      .output();
    const kb = Number(new TextDecoder().decode(r.stdout).trim());
    return r.success && kb > 0 ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** `/usr/bin/time`, when installed: it gives the child's CPU time, which load on the machine barely changes. */
const TIME_BIN = (() => {
  try {
    return Deno.statSync("/usr/bin/time").isFile ? "/usr/bin/time" : undefined;
  } catch {
    return undefined;
  }
})();

/** Runs the CLI: wall time [s], CPU time [s] and peak RSS [MiB] (from /usr/bin/time, else sampled every 200 ms). */
async function timed(
  args: string[],
  cwd: string,
): Promise<
  { s: number; cpu: number | undefined; peak: number | undefined; code: number; stderr: string }
> {
  const t0 = performance.now();
  const cmd = [Deno.execPath(), ...cliCommand(args)];
  const child = new Deno.Command(TIME_BIN ?? cmd[0], {
    args: TIME_BIN ? ["-f", "CPU %U %S %M", ...cmd] : cmd.slice(1),
    cwd,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let peak: number | undefined, done = false;
  const sampler = (async () => {
    while (!done) {
      const r = await rssMiB(child.pid);
      if (r !== undefined) peak = Math.max(peak ?? 0, r);
      await new Promise((res) => setTimeout(res, 200));
    }
  })();
  const out = await child.output();
  done = true;
  await sampler;
  const stderr = new TextDecoder().decode(out.stderr);
  // With /usr/bin/time the sampled pid is time's own: take its report of the child's peak.
  const m = /CPU ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
  return {
    s: (performance.now() - t0) / 1000,
    cpu: m ? Number(m[1]) + Number(m[2]) : undefined,
    peak: m ? Number(m[3]) / 1024 : peak,
    code: out.code,
    stderr,
  };
}

/** Writes a trace file of ROWS × SWEEPS: rest with noise, three spikes per sweep. */
async function writeTraces(path: string): Promise<void> {
  // A small table of value strings keeps generation fast; spikes are 1 ms peaks at +30 mV.
  const rest = Array.from({ length: 97 }, (_, k) => (-70 + 3 * Math.sin(k)).toFixed(6));
  const spikeShape = [-40, -10, 15, 30, 20, 0, -30, -60].map((v) => v.toFixed(6));
  const f = await Deno.open(path, { write: true, create: true, truncate: true });
  const w = f.writable.getWriter();
  const enc = new TextEncoder();
  const header = ["t"];
  for (let s = 0; s < SWEEPS; s++) header.push(`Vm run ${String(s).padStart(2, "0")}`);
  await w.write(enc.encode(header.join("\t") + "\n"));
  const row: string[] = new Array(SWEEPS + 1);
  let chunk = "";
  for (let r = 0; r < ROWS; r++) {
    row[0] = String(Math.round(r * 0.025 * 1e6) / 1e6);
    for (let s = 0; s < SWEEPS; s++) {
      // spikes of sweep s start at rows 2000 + 37 s mod 9000, + 3000, + 6000
      const at = (r - 2000 - ((37 * s) % 3000)) % 3000;
      row[s + 1] = r >= 2000 && at >= 0 && at < spikeShape.length
        ? spikeShape[at]
        : rest[(r * 7 + s * 13) % rest.length];
    }
    chunk += row.join("\t") + "\n";
    if (chunk.length > 1 << 22) {
      await w.write(enc.encode(chunk));
      chunk = "";
    }
  }
  await w.write(enc.encode(chunk));
  await w.close();
}

/**
 * Makes the synthetic 1,000-sweep folder in `dir` (needs ../shared for B's activation files).
 *
 * @param dir an empty folder
 */
export async function makeLargeFolder(dir: string): Promise<void> {
  const b = sharedPath("reference", "network", "B_run_new_simulations");
  const id = "seed1_pid1";
  await writeTraces(`${dir}/${id}_vm_all_traces.csv`);
  // The site file: the same bytes (ISF's own 2015 example has such a pair), as a hard link.
  await Deno.link(
    `${dir}/${id}_vm_all_traces.csv`,
    `${dir}/${id}_apical_proximal_distal_rec_sites_ID_000_sec_038_seg_032_x_0.929_somaDist_920.7_vm_dend_traces.csv`,
  );
  for (const kind of ["neuron", "network"]) {
    await Deno.copyFile(
      `${b}/seed20250101_pid23856_${kind}_model.param`,
      `${dir}/${id}_${kind}_model.param`,
    );
  }
  for (let s = 0; s < SWEEPS; s++) {
    await Deno.copyFile(
      `${b}/simulation_run000${s % 2}_synapses.csv`,
      `${dir}/simulation_run${String(s).padStart(4, "0")}_synapses.csv`,
    );
  }
}

/**
 * `simrun plot` on a synthetic 1,000-sweep folder.
 *
 * @returns one printable line
 */
export async function benchPlotLarge(): Promise<string> {
  const what = `plot (${SWEEPS} sweeps: 2 trace files of ${ROWS} rows × ${SWEEPS} sweeps, ` +
    `${SWEEPS} activation files of ISF's B)`;
  if (sharedDir() === undefined) return `${what}: skipped (../shared is absent)`;
  const tmp = await Deno.makeTempDir({ prefix: "simrun_plot_bench_" });
  try {
    const folder = `${tmp}/results`;
    await Deno.mkdir(folder);
    const g0 = performance.now();
    await makeLargeFolder(folder);
    const gen = (performance.now() - g0) / 1000;
    const size = (await Deno.stat(`${folder}/seed1_pid1_vm_all_traces.csv`)).size / 2 ** 20;
    const r = await timed(
      ["plot", folder, "--out", `${tmp}/plots`, "--quiet", "--path-map", isfPathMap()[0]!],
      tmp,
    );
    if (r.code !== 0) return `${what}: FAILED ${r.stderr.trim()}`;
    const r2 = await timed(
      [
        "plot",
        folder,
        "--out",
        `${tmp}/plots_sweeps`,
        "--sweeps",
        "100:140",
        "--quiet",
        "--path-map",
        isfPathMap()[0]!,
      ],
      tmp,
    );
    return `${what}: ${r.s.toFixed(1)} s (CPU ${r.cpu?.toFixed(1) ?? "?"} s), peak RSS ${
      r.peak?.toFixed(0) ?? "?"
    } MiB ` +
      `(trace file ${size.toFixed(0)} MiB; folder made in ${gen.toFixed(1)} s); ` +
      `with --sweeps 100:140 (40 stacked traces) ${r2.s.toFixed(1)} s (CPU ${
        r2.cpu?.toFixed(1) ?? "?"
      } s)`;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/**
 * The demo run with and without `--plot`, best of 3 each.
 *
 * @returns one printable line
 */
export async function benchPlotFlag(): Promise<string> {
  const model = `${repoDir()}/examples/model`;
  const best: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (let rep = 0; rep < 3; rep++) {
    for (const plot of [false, true]) {
      const tmp = await Deno.makeTempDir({ prefix: "simrun_plot_flag_bench_" });
      try {
        const r = await timed([
          "run",
          `${model}/example_pyramid.param`,
          `${model}/example_network.param`,
          "--sweeps",
          "2",
          "--nprocs",
          "2",
          "--seed",
          "20250101",
          "--dir-prefix",
          tmp,
          "--quiet",
          ...(plot ? ["--plot"] : []),
        ], tmp);
        if (r.code !== 0) return `--plot on the demo: FAILED ${r.stderr.trim()}`;
        const k = plot ? "plot" : "run";
        best[k] = Math.min(best[k] ?? Infinity, r.s);
        if (r.cpu !== undefined) cpu[k] = Math.min(cpu[k] ?? Infinity, r.cpu);
      } finally {
        await Deno.remove(tmp, { recursive: true });
      }
    }
  }
  const d = best.plot - best.run;
  const cpuText = cpu.run !== undefined && cpu.plot !== undefined
    ? `; CPU ${cpu.run.toFixed(2)} s without, ${cpu.plot.toFixed(2)} s with`
    : "";
  return `--plot on the demo run (2 jobs × 2 sweeps, best of 3): ${best.run.toFixed(2)} s ` +
    `without, ${best.plot.toFixed(2)} s with (+${d.toFixed(2)} s for 2 × 5 figures)${cpuText}`;
}
