/**
 * The three whole-process workloads of issue 13, as a user runs them (`deno run <the simrun
 * task's flags> main.ts …` through the real Deno binary, not the `npx` shim), timed as a whole
 * and by phase:
 *
 * - `cell`: `simrun cell` on A2_step_1p0 (400 ms, soma IClamp 1 nA), CSV to a file;
 * - `replay`: `simrun replay` of ISF's stored sweep 0 (reference/network/B_run_new_simulations);
 * - `run`: `simrun run` of the ISF example, 2 sweeps, `--rng isf`, `--threads 1`;
 * - `memory`: the same with 8 sweeps, for its peak RSS against the 150 MB per-job bound.
 *
 * For each: the best wall and CPU time (user + system) of N processes and their peak RSS (GNU
 * `time`, when /usr/bin/time exists); the start-up, i.e. the same command on a missing cell
 * param (every module the command loads, argv, then exit 2 at the first read); and M processes
 * profiled with `--cpu-prof`, its main-thread samples attributed to phases (bench/_cpu_profile.ts;
 * garbage collection counted in the phase that ran before it). The profiler slows module loading
 * more than the rest, so the profiled start-up is larger than the measured one.
 *
 * `deno task bench phase`; `SIMRUN_BENCH_RUNS=N` sets N (default 3), `SIMRUN_BENCH_PROFILES=M`
 * the profiled processes (default 3, medians reported); `SIMRUN_BENCH_ONLY=cell` (comma-separated)
 * picks workloads.
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";
import { ISF_JOB_S, NEURON_A2_S, NEURON_REPLAY_S } from "./_reference_times.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";
import {
  type CpuProfile,
  type Phase,
  PHASES,
  type PhaseTimes,
  phaseTimes,
} from "./_cpu_profile.ts";

/** NEURON/ISF on the same work, this machine type (issue 13's side-by-side table) [s]. */
const REFERENCE_S = { cell: NEURON_A2_S, replay: NEURON_REPLAY_S, run: ISF_JOB_S } as const;

/** One workload: its CLI arguments for an output folder, and what the reference measures. */
interface Workload {
  readonly name: keyof typeof REFERENCE_S;
  readonly reference: string;
  readonly args: (dir: string, cellParam: string) => string[];
}

function workloads(): Workload[] {
  const pm = isfPathMap()[0]!;
  const data = sharedPath("data", "isf_example");
  const net = `${data}/functional_constraints/network.param`;
  return [
    {
      name: "cell",
      reference: "NEURON simulation only",
      args: (dir, cellParam) => ["cell", cellParam, "--path-map", pm, "--out", `${dir}/a2.csv`],
    },
    {
      name: "replay",
      reference: "NEURON simulation only",
      args: (dir, cellParam) => [
        "replay",
        cellParam,
        net,
        sharedPath(
          "reference",
          "network",
          "B_run_new_simulations",
          "simulation_run0000_synapses.csv",
        ),
        "--path-map",
        pm,
        "--dir-prefix",
        dir,
        "--quiet",
      ],
    },
    {
      name: "run",
      reference: "ISF whole job",
      args: (dir, cellParam) => [
        "run",
        cellParam,
        net,
        "--path-map",
        pm,
        "--rng",
        "isf",
        "--seed",
        "20250101",
        "--sweeps",
        "2",
        "--threads",
        "1",
        "--dir-prefix",
        dir,
        "--quiet",
      ],
    },
  ];
}

/** The cell param of a workload. */
function cellParamOf(w: Workload): string {
  return w.name === "cell"
    ? sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param")
    : sharedPath("data", "isf_example", "biophysical_constraints", "86_C2_center.param");
}

/** One process: wall [s], CPU [s] and peak RSS [MiB] (the last two need GNU time). */
interface ProcessTime {
  readonly wallS: number;
  readonly cpuS?: number;
  readonly rssMiB?: number;
  readonly code: number;
}

let gnuTime: boolean | undefined;

async function hasGnuTime(): Promise<boolean> {
  if (gnuTime === undefined) {
    try {
      gnuTime = (await Deno.stat("/usr/bin/time")).isFile;
    } catch {
      gnuTime = false;
    }
  }
  return gnuTime;
}

/** Runs `deno <denoArgs>` in `cwd` and times it. */
async function timeProcess(denoArgs: string[], cwd: string): Promise<ProcessTime> {
  const timeFile = `${cwd}/.time`;
  const gnu = await hasGnuTime();
  const [cmd, args] = gnu
    ? ["/usr/bin/time", ["-f", "%e %U %S %M", "-o", timeFile, Deno.execPath(), ...denoArgs]]
    : [Deno.execPath(), denoArgs];
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "null", stderr: "null" }).output();
  const wallS = (performance.now() - t0) / 1000;
  if (!gnu) return { wallS, code: out.code };
  const [, user, sys, rssKb] = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!
    .split(" ").map(Number);
  return { wallS, cpuS: user! + sys!, rssMiB: rssKb! / 1024, code: out.code };
}

/** Best (lowest) wall and CPU of `runs` processes, peak RSS of all and of each. */
async function best(
  runs: number,
  denoArgs: (dir: string) => string[],
  expectCode: number,
): Promise<{ wallS: number; cpuS?: number; rssMiB?: number; rssEachMiB: number[] }> {
  let wallS = Infinity;
  let cpuS: number | undefined;
  let rssMiB: number | undefined;
  const rssEachMiB: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await Deno.makeTempDir({ prefix: "simrun_phase_bench_" });
    try {
      const r = await timeProcess(denoArgs(dir), dir);
      if (r.code !== expectCode) {
        throw new Error(`exit ${r.code}, expected ${expectCode}: deno ${denoArgs(dir).join(" ")}`);
      }
      wallS = Math.min(wallS, r.wallS);
      if (r.cpuS !== undefined) cpuS = Math.min(cpuS ?? Infinity, r.cpuS);
      if (r.rssMiB !== undefined) {
        rssMiB = Math.max(rssMiB ?? 0, r.rssMiB);
        rssEachMiB.push(r.rssMiB);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
  return {
    wallS,
    ...(cpuS !== undefined ? { cpuS } : {}),
    ...(rssMiB !== undefined ? { rssMiB } : {}),
    rssEachMiB,
  };
}

/** Runs the workload once with `--cpu-prof`; returns its main thread's phase times. */
async function profileOnce(w: Workload): Promise<PhaseTimes> {
  const dir = await Deno.makeTempDir({ prefix: "simrun_phase_bench_" });
  try {
    const prof = `${dir}/prof`;
    const args = cliCommand(w.args(dir, cellParamOf(w)));
    args.splice(1, 0, "--cpu-prof", `--cpu-prof-dir=${prof}`);
    const out = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).output();
    if (!out.success) throw new Error(`profiled run exited ${out.code}`);
    // The main thread's profile is the first one written (workers, if any, write their own).
    const files: string[] = [];
    for await (const e of Deno.readDir(prof)) files.push(e.name);
    files.sort();
    return phaseTimes(JSON.parse(await Deno.readTextFile(`${prof}/${files[0]}`)) as CpuProfile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1
    ? s[(s.length - 1) / 2]!
    : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Profiles `runs` processes of the workload. Returns its phase line: the median over the runs
 * of each phase's milliseconds and, after the start-up, each phase's median share applied to
 * `restS` (the unprofiled process's wall time after start-up), since the profiler slows
 * everything (about 1.3–1.5× here) and module loading most.
 */
async function profile(w: Workload, restS: number, runs: number): Promise<string> {
  const all: PhaseTimes[] = [];
  for (let i = 0; i < runs; i++) all.push(await profileOnce(w));
  const after = PHASES.filter((ph) => ph !== "start-up");
  const share = (r: PhaseTimes, ms: number) =>
    ms / after.reduce((s, ph) => s + r.ms[ph], 0) * restS * 1000;
  const ms = (ph: Phase) => median(all.map((r) => r.ms[ph])).toFixed(0);
  const est = (ph: Phase) => median(all.map((r) => share(r, r.ms[ph]))).toFixed(0);
  return PHASES.map((ph) => `${ph} ${ms(ph)}`).join(", ") +
    ` (of which GC ${median(all.map((r) => r.gcMs)).toFixed(0)}); after start-up, as shares ` +
    `of the unprofiled ${(restS * 1000).toFixed(0)} ms: ` +
    after.map((ph) => `${ph} ${est(ph)}`).join(", ") +
    `, GC ${median(all.map((r) => share(r, r.gcMs))).toFixed(0)}`;
}

function seconds(t: { wallS: number; cpuS?: number }): string {
  return `${t.wallS.toFixed(2)} s wall` +
    (t.cpuS !== undefined ? ` / ${t.cpuS.toFixed(2)} s CPU` : "");
}

/**
 * Times the three workloads and profiles them by phase.
 *
 * @returns one block of lines per workload
 * @example
 * ```ts ignore
 * console.log(await benchPhases());
 * ```
 */
export async function benchPhases(): Promise<string> {
  if (sharedDir() === undefined) return "phase: skipped (../shared is absent)";
  const runs = Number(Deno.env.get("SIMRUN_BENCH_RUNS") ?? 3);
  const profiles = Number(Deno.env.get("SIMRUN_BENCH_PROFILES") ?? 3);
  const only = Deno.env.get("SIMRUN_BENCH_ONLY")?.split(",");
  const lines: string[] = [];
  for (const w of workloads()) {
    if (only !== undefined && !only.includes(w.name)) continue;
    const whole = await best(runs, (dir) => cliCommand(w.args(dir, cellParamOf(w))), 0);
    const startUp = await best(runs, (dir) => cliCommand(w.args(dir, `${dir}/missing.param`)), 2);
    const ref = REFERENCE_S[w.name];
    lines.push(
      `phase ${w.name}: process ${seconds(whole)} (best of ${runs}), ${
        (whole.wallS / ref).toFixed(2)
      }× ${w.reference} ${ref} s, peak RSS ${whole.rssMiB?.toFixed(0) ?? "n/a"} MiB; ` +
        `start-up ${seconds(startUp)}`,
    );
    if (profiles > 0) { // SIMRUN_BENCH_PROFILES=0: times only
      lines.push(
        `phase ${w.name} profile [ms, main thread, median of ${profiles}]: ${await profile(
          w,
          whole.wallS - startUp.wallS,
          profiles,
        )}`,
      );
    }
  }
  if (only === undefined || only.includes("memory")) lines.push(await memoryLine(runs));
  return lines.join("\n");
}

/** Sweeps of the memory workload: four lock-step pairs, as a longer job runs them. */
const MEMORY_SWEEPS = 8;
/** Issue 13's bound on a job's resident memory: 150 MB [MiB]. */
const RSS_BOUND_MIB = 150e6 / 2 ** 20;

/**
 * The `run` workload with {@link MEMORY_SWEEPS} sweeps instead of 2: its peak RSS against the
 * per-job bound (a 2-sweep job has one lock-step pair; RSS rises when the second pair starts).
 */
async function memoryLine(runs: number): Promise<string> {
  const run = workloads().find((w) => w.name === "run")!;
  const args = (dir: string) => {
    const a = run.args(dir, cellParamOf(run));
    a[a.indexOf("--sweeps") + 1] = String(MEMORY_SWEEPS);
    return cliCommand(a);
  };
  const r = await best(runs, args, 0);
  // The peak varies by several MiB from run to run (when V8 collects): the largest, and each.
  const rss = r.rssMiB === undefined
    ? "n/a"
    : `${r.rssMiB.toFixed(0)} MiB (runs: ${r.rssEachMiB.map((m) => m.toFixed(0)).join(", ")})`;
  return `phase memory: run of ${MEMORY_SWEEPS} ISF sweeps, process ${
    seconds(r)
  } (best of ${runs}), ` +
    `peak RSS ${rss} (bound ${RSS_BOUND_MIB.toFixed(0)} MiB = 150 MB per job)`;
}

if (import.meta.main) console.log(await benchPhases());
