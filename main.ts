/**
 * The `simrun` command line: argument parsing, help, progress, signals and exit codes only; the
 * work is done by the library (`mod.ts`). Exit codes: 0 ok, 1 simulation or I/O failure, 2 usage
 * or input error (printed as one line, no stack), 128 + n when stopped by signal n (130 SIGINT,
 * 143 SIGTERM, 129 SIGHUP or when the `deno task`/`npx` process that started simrun was
 * terminated); a job stopped that way leaves its folder `_running`.
 *
 * @module
 */
import {
  basename,
  CampaignError,
  campaignStatus,
  createCell,
  dirname,
  ENGINE_CHOICES,
  formatCampaignStatus,
  initialState,
  inspectTables,
  isInputError,
  jobSeeds,
  MAX_PLUGIN_TIME_LIMIT_MS,
  mergeCampaign,
  parseCommandLine,
  parseSeed,
  pathMapFromArgsAndEnv,
  plotResultFolder,
  PluginError,
  PngRenderer,
  resumeCampaign,
  runCampaignTask,
  runCell,
  runJobs,
  runNetworkOnly,
  runReplay,
  servePluginProcess,
  shellQuote,
  SimulationError,
  submitCampaign,
  userPluginResolver,
  watchLauncher,
} from "./mod.ts";
import type {
  CreateCellOptions,
  EngineChoice,
  JobResult,
  PathMap,
  PlotFormat,
  RunCellOptions,
  SolverSettings,
} from "./mod.ts";

/** Thrown for bad command-line usage (exit 2). */
class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const COMMON_HELP = `
Path maps (all commands): --path-map FROM=TO (repeatable; also SIMRUN_PATH_MAP, rules separated by ';')
  rewrites path prefixes stored in param files; FROM starting with '*' matches any prefix ending with
  the rest, e.g. --path-map '*/getting_started/example_data/=/data/isf_example/'.
  Relative paths inside a param file resolve against that file's folder.`;

const PLUGIN_HELP = `
Plugins (docs/plugins.md): a neuron.cell_modify_functions key that is a path (ends in .ts/.js or
  contains '/', relative to the param file) runs that TypeScript/JavaScript cell-modify plugin.
  Each plugin runs sandboxed in its own process: it may read only its own folder, a recorder may
  write only into its folder plugins/<name>/ of the job; no network, environment, subprocesses.
  A plugin failure exits 1 (a bad declaration 2).
  --plugin-read PATH    let plugins also read PATH (file or folder; repeatable)
  --plugin-time-limit S kill a plugin whose call (load, cellModify, sites, one sweep, finish)
                        takes longer than S seconds (default 30)`;

const THREADS_HELP =
  `  --threads T           sweeps of each job simulated in parallel, in T threads per job (default 1);
                        results are identical for any T. With --nprocs P, P x T threads run.
                        (ISF has no such parameter.)`;

const RECORDER_HELP =
  `  --plugin PATH         run the recorder plugin module PATH (repeatable): it chooses what to
                        record and gets the traces once per sweep; it may write into its own
                        folder plugins/<name>/ of the job folder`;

const PLOT_FLAG_HELP =
  `  --plot                draw the figures of each job when the run ends (as simrun plot, into
                        <job folder>/plots/; not with --tar)`;

const MECHANISMS_HELP =
  `  --mechanisms DIR      compile the .mod files in folder DIR (not its sub-folders; repeatable)
                        and use them besides, or instead of, the built-in mechanisms: read after
                        the params' NMODL_mechanisms folders (docs/mechanisms.md)`;

const SOLVER_HELP =
  `  --exact               evaluate channel rates exactly as NEURON (no rate tables; ~4x slower)
  --legacy-units        NEURON <= 7 physical constants (R, F) instead of the modern ones
  --engine E            auto (default: WebAssembly with SIMD where the runtime has it), simd,
                        scalar, js (the same bits) or reference (the plain JavaScript loop)`;

const HELP: Record<string, string> = {
  main: `simrun: NEURON-exact single-cell simulations in a synaptic network (ISF-compatible)

Usage: simrun <command> [options]   (simrun <command> --help for details)

Commands:
  run      <cell.param> <network.param>        new network simulations (ISF run_new_simulations)
  replay   <cell.param> <network.param> <synapses.csv>...
                                               re-simulate stored synapse activations
                                               (ISF run_existing_synapse_activations)
  network  <cell.param> <network.param>        write only per-sweep synapse/presynaptic files
  cell     <cell.param>                        simulate the cell alone (stimuli from the param)
  inspect  <cell.param>                        write section and segment tables of the built cell
  demo                                         run the bundled example model (2 jobs, a few sweeps)
  slurm    submit|task|status|merge|resume     campaigns on a SLURM cluster (simrun slurm --help)
  plot     <result folder>...                  figures and a one-page report (index.html) of results

Exit codes: 0 success, 1 simulation or I/O failure, 2 usage or input error, 128+n stopped by
signal n (130 SIGINT, 143 SIGTERM, 129 SIGHUP or the npx/deno task process that started simrun
ended); a stopped job leaves its folder <name>_running.`,
  run: `Usage: simrun run <cell.param> <network.param> [options]

ISF: simrun.run_new_simulations(cellParamName, evokedUpParamName, dirPrefix, nSweeps, nprocs, tStop, tar)

  <cell.param>          cellParamName: the neuron model (.param)
  <network.param>       evokedUpParamName: the network model (.param)
  --dir-prefix D        dirPrefix: results go to D/results/<YYYYMMDD-HHMM>_seed<S>_pid<P>/ (default: .)
  --sweeps N            nSweeps: sweeps per job (default 1; ISF's default is 1000)
  --nprocs P            nprocs: number of jobs, run in parallel, one seed each (default 1; ISF: 40)
  --tstop MS            tStop: simulated time per sweep in ms (default 345), saved as sim.tStop
  --tar                 tar: archive each job folder into <final>.tar
  --seed S              seed of job 0 (jobs k >= 1 get seeds derived from S and k);
                        without it seeds are drawn at random; all seeds are printed. S in [0, 4294967294]
  --rng simrun|isf      random streams: simrun (default; each sweep independent, so --sweep-range
                        reproduces a full run's files) or isf (NumPy MT19937 exactly as ISF)
  --sweep-range A:B     run only sweeps A..B-1 (files keep their sweep numbers)
${THREADS_HELP}
${RECORDER_HELP}
${SOLVER_HELP}
${MECHANISMS_HELP}
${PLOT_FLAG_HELP}
  --quiet               no progress output
${COMMON_HELP}
${PLUGIN_HELP}`,
  replay: `Usage: simrun replay <cell.param> <network.param> <synapses.csv>... [options]

ISF: simrun.run_existing_synapse_activations(cellParamName, evokedUpParamName, synapseActivation,
     dirPrefix, nprocs, tStop)

  <synapses.csv>...     synapseActivation: simulation_runNNNN_synapses.csv files, one sweep each
  --dir-prefix D        dirPrefix (default: .)
  --nprocs P            nprocs: the files are split into P contiguous chunks, one job each (default 1)
  --tstop MS            tStop (default 345)
  --tar                 archive each job folder
${THREADS_HELP}
${RECORDER_HELP}
${SOLVER_HELP}
${MECHANISMS_HELP}
${PLOT_FLAG_HELP}
  --quiet               no progress output
${COMMON_HELP}
${PLUGIN_HELP}`,
  network:
    `Usage: simrun network <cell.param> <network.param> --seed S --sweeps N --out DIR [--rng simrun|isf]

Realizes the network (activity, connections, releases) without simulating the cell and writes
simulation_runNNNN_synapses.csv and simulation_runNNNN_presynaptic_cells.csv into DIR.
  --seed S  --sweeps N  --rng simrun|isf  --out DIR  --sweep-range A:B
${MECHANISMS_HELP}
${COMMON_HELP}`,
  cell:
    `Usage: simrun cell <cell.param> [--tstop MS] [--dt MS] [--record SEC:X[:VAR]]... [--out F.csv]

Simulates the cell alone (stimuli from the param's cell_modify_functions) and writes a CSV
t,v_soma,sec<SEC>_x<X>... (to F.csv, or to stdout without --out) and prints the soma spike
times (upward 0 mV crossings, first sample >= 0) to stdout (to stderr when the CSV goes there).
  --record SEC:X:VAR    record VAR instead of v: cai, cao, ica, eca, ena, ek, or a mechanism's
                        variable <name>_<mechanism> (m_NaTa_t); column sec<SEC>_x<X>_<VAR>
${SOLVER_HELP}
${MECHANISMS_HELP}
${COMMON_HELP}
${PLUGIN_HELP}`,
  inspect: `Usage: simrun inspect <cell.param> --sections S.csv --segments G.csv

Writes one row per section (label, parent, nseg, L, area, ...) and one per segment (geometry,
mechanism parameters, states right after initialization).
${MECHANISMS_HELP}
${COMMON_HELP}
${PLUGIN_HELP}`,
  plot: `Usage: simrun plot <result folder>... [--out DIR] [--sweeps A:B] [--format svg,png]
                        [--param-dir DIR] [--path-map FROM=TO]... [--quiet]

Draws the figures of ISF result folders (simrun run/replay, ISF's own output, ISF's 2015 layout,
merged SLURM folders): membrane potential (soma with spikes, recording sites), synaptic input
raster, input PSTH per presynaptic cell type, output spike raster and PSTH, morphology with active
synapses. Each figure is written as SVG, PNG and its Vega-Lite spec (<name>.vl.json, to restyle),
with summary.json and a self-contained index.html, into <folder>/plots/ (never overwritten).
  --out DIR             write into DIR instead (several folders: DIR/<folder name>/)
  --sweeps A:B          sweeps A..B-1 (or one sweep A) in the trace and raster figures: up to 50
                        traces, sweep A's input raster, their spikes (default: the first 20 traces,
                        the first sweep's inputs, every sweep's spikes); the PSTHs and key numbers
                        always use every sweep
  --format svg,png      image formats (default both)
  --param-dir DIR       folder that relative paths in the saved params are relative to (the folder
                        of the cell.param the run was given); the morphology is the hoc file named
                        in the saved neuron param
  --quiet               no progress output
${COMMON_HELP}`,
  demo: `Usage: simrun demo [--dir-prefix D] [--quiet]

Runs the bundled example (examples/model: a small pyramidal cell with Hay channels and four
presynaptic types) with 2 jobs of 2 sweeps and prints where the results are.`,
  slurm: `Usage: simrun slurm <submit|task|status|merge|resume> ... (simrun slurm <command> --help)

Runs a simrun run as a campaign of SLURM job arrays. The merged job folders are byte for byte what
simrun run writes on one machine with the same seeds (apart from time stamp, pid and host), for any
--sweeps-per-task, also with --rng isf.

  submit <cell.param> <network.param> [run options] --sweeps-per-task K [SLURM options]
                       plan, write the campaign folder and submit the job array(s)
  status <campaign>    tasks done/running/pending/failed, sweeps done, ETA (folder, squeue, sacct)
  merge  <campaign>    one ISF job folder per seed under <dirPrefix>/results/ (exit 1 while incomplete)
  resume <campaign>    submit again only the missing or failed tasks
  task   <campaign> <index>
                       run one task (what each array element runs; idempotent)

The campaign folder <dirPrefix>/results/<YYYYMMDD-HHMM>_campaign_seed<S>/ holds campaign.json
(inputs with sha256, options, task table), params/ (copies), simrun.sbatch (the batch script),
submissions.json and tasks/ (per-task output, tasks/logs/ for SLURM's output). Nodes must see the
campaign folder, the inputs and simrun at the same paths (a shared filesystem).`,
  "slurm submit":
    `Usage: simrun slurm submit <cell.param> <network.param> [options] --sweeps-per-task K

Plans tasks (one job's seed and at most K of its sweeps each), writes the campaign folder under
<dirPrefix>/results/, submits one job array (sbatch --array=0-(T-1)[%N]; several arrays when the
cluster's MaxArraySize is smaller than the number of tasks), prints the job id(s) and, as its last
line, the campaign folder. The inputs are checked first, as simrun run does.

Run options (as simrun run): --dir-prefix D, --sweeps N, --nprocs P, --tstop MS, --seed S,
  --rng simrun|isf, --tar (archive each merged folder), --threads T, --plugin PATH, --exact,
  --legacy-units, --mechanisms DIR, --path-map FROM=TO, --plugin-read PATH, --plugin-time-limit S
  --sweeps-per-task K   at most K sweeps per task (required)
  --partition P         #SBATCH --partition
  --time T              #SBATCH --time (per task)
  --mem M               #SBATCH --mem (per task)
  --cpus-per-task C     #SBATCH --cpus-per-task (default: --threads)
  --max-parallel N      at most N tasks of an array at a time (--array=...%N)
  --sbatch-arg ARG      any further #SBATCH option, e.g. --sbatch-arg=--account=lab (repeatable)
  --simrun-command CMD  the command that runs simrun on a node (shell words); default: this
                        program (the compiled binary, or deno run with the simrun task's
                        permission flags and this checkout's main.ts)
  --dry-run             write everything and print the sbatch command(s) without running them
                        (simrun slurm resume <campaign> submits it later)
  --quiet               no seeds line on stderr
${COMMON_HELP}`,
  "slurm task": `Usage: simrun slurm task <campaign> <index> [--quiet]

Runs task <index> of the campaign (what each array element runs, with $SLURM_ARRAY_TASK_ID plus
the array's offset). Verifies the inputs' sha256 first: an input changed since submission fails
the task (exit 2) and nothing runs. Writes into tasks/<index>_running/, renamed to tasks/<index>/
with manifest.json (files and sha256) when complete. A finished task exits 0 at once; a leftover
_running folder is discarded and the task redone. A failure leaves tasks/<index>.failed.`,
  "slurm status": `Usage: simrun slurm status <campaign>

Shows tasks done, running, pending and failed, sweeps done and the ETA, from the campaign folder
and, where they answer, squeue and sacct. Failed tasks are listed with the reason and their log.`,
  "slurm merge": `Usage: simrun slurm merge <campaign>

Verifies every task's files against its manifest and builds one ISF job folder per seed under
<dirPrefix>/results/<YYYYMMDD-HHMM>_seed<S>_pid<P>/ exactly as simrun run writes it (per-sweep
files, trace files with every sweep's column in order, saved params); each folder keeps its
_running suffix until complete. Refuses with exit 1, naming them, while tasks are missing or
failed. Running it again after success only prints the merged folders.`,
  "slurm resume": `Usage: simrun slurm resume <campaign> [--dry-run]

Submits again only the tasks that are missing or failed (done, running and pending tasks are left
alone); also submits a campaign written with --dry-run. Prints the job id(s) and, as its last
line, the campaign folder.
  --dry-run             print the sbatch command(s) without running them`,
};

/** Most jobs of one run (`--nprocs`): each is a worker thread of this process. */
const MAX_JOBS = 1024;
/** Most sweeps of one job (`--sweeps`, the end of `--sweep-range`). */
const MAX_SWEEPS = 1_000_000;
/** Most sweep threads per job (`--threads`). */
const MAX_THREADS = 1024;

type Values = Record<string, string | boolean | string[] | undefined>;

function parse(
  args: string[],
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean }>,
): { values: Values; positionals: string[] } {
  try {
    const r = parseCommandLine(args, { ...options, help: { type: "boolean", short: "h" } });
    return { values: r.values as Values, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]!);
  }
}

function str(o: Values, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

function strs(o: Values, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v : [];
}

function num(
  v: string | undefined,
  name: string,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number | undefined {
  if (v === undefined) return undefined;
  const ok = opts.integer
    ? /^\d+$/.test(v.trim())
    : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim());
  const x = Number(v);
  if (
    !ok || !Number.isFinite(x) || (opts.min !== undefined && x < opts.min) ||
    (opts.max !== undefined && x > opts.max)
  ) {
    const range = opts.min !== undefined && opts.max !== undefined
      ? ` in [${opts.min}, ${opts.max}]`
      : opts.min !== undefined
      ? ` >= ${opts.min}`
      : opts.max !== undefined
      ? ` <= ${opts.max}`
      : "";
    throw new UsageError(
      `${name} expects ${opts.integer ? "an integer" : "a number"}${range}, got "${v}"`,
    );
  }
  return x;
}

function positionals(p: string[], n: number, cmd: string, variadic = false): void {
  if (p.length < n || (!variadic && p.length > n)) {
    throw new UsageError(
      `${cmd} expects ${n}${variadic ? " or more" : ""} file argument(s), got ${p.length}`,
    );
  }
}

/** `--sweeps N` (default 1). */
function sweepsArg(o: Values): number {
  return num(str(o, "sweeps"), "--sweeps", { integer: true, min: 1, max: MAX_SWEEPS }) ?? 1;
}

/** `--threads T` (default 1). */
function threadsArg(o: Values): number {
  return num(str(o, "threads"), "--threads", { integer: true, min: 1, max: MAX_THREADS }) ?? 1;
}

/** `--sweep-range A:B` → [A, B). */
function sweepRange(v: string | undefined): { start: number; end: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(v.trim());
  if (!m || Number(m[2]) <= Number(m[1]) || Number(m[2]) > MAX_SWEEPS) {
    throw new UsageError(
      `--sweep-range expects A:B with integers 0 <= A < B <= ${MAX_SWEEPS}, got "${v}"`,
    );
  }
  return { start: Number(m[1]), end: Number(m[2]) };
}

function rngKind(v: string | undefined): "simrun" | "isf" {
  if (v === undefined || v === "simrun" || v === "isf") return v ?? "simrun";
  throw new UsageError(`--rng expects simrun or isf, got "${v}"`);
}

/** tStop as given: an integer text stays an int in the saved param (ISF saves the argument verbatim). */
function tStopArg(v: string | undefined): { tStop: number; tStopIsFloat: boolean } {
  const t = num(v, "--tstop");
  if (t === undefined) return { tStop: 345, tStopIsFloat: false };
  if (!(t > 0)) throw new UsageError(`--tstop must be > 0, got "${v}"`);
  return { tStop: t, tStopIsFloat: /[.eE]/.test(v!) };
}

const PATH_MAP = { "path-map": { type: "string", multiple: true } } as const;
/** `--mechanisms DIR` (repeatable): folders of the user's `.mod` files. */
const MECHANISMS = { mechanisms: { type: "string", multiple: true } } as const;

/** `--mechanisms` → the folders, when given. */
function mechanismFolders(o: Values): { mechanismFolders?: string[] } {
  const m = strs(o, "mechanisms");
  return m.length > 0 ? { mechanismFolders: m } : {};
}
/** Sandbox options of every command that builds a cell (plugins may run). */
const PLUGIN_SANDBOX = {
  "plugin-read": { type: "string", multiple: true },
  "plugin-time-limit": { type: "string" },
} as const;
/** Solver variants (`run`, `replay`, `cell`). */
const SOLVER = {
  exact: { type: "boolean" },
  "legacy-units": { type: "boolean" },
  engine: { type: "string" },
} as const;
/** `--threads T` (`run`, `replay`). */
const THREADS = { threads: { type: "string" } } as const;
/** Recorder plugins (`run`, `replay`). */
const RECORDER_PLUGINS = { plugin: { type: "string", multiple: true } } as const;

/**
 * `--exact`, `--legacy-units` and `--engine E` → the solver settings of `runJobs`, `runReplay`
 * and `runCell`.
 */
function solverOptions(o: Values): { solver: SolverSettings } {
  const engine = str(o, "engine");
  if (engine !== undefined && !(ENGINE_CHOICES as readonly string[]).includes(engine)) {
    throw new UsageError(`--engine expects ${ENGINE_CHOICES.join(", ")}, got "${engine}"`);
  }
  return {
    solver: {
      rateTables: o.exact !== true,
      units: o["legacy-units"] === true ? "legacy" : "modern",
      ...(engine !== undefined ? { engine: engine as EngineChoice } : {}),
    },
  };
}

/** `--plugin-read` and `--plugin-time-limit S` → read grants and the time limit [ms]. */
function pluginSandbox(o: Values): { pluginRead: string[]; pluginTimeLimitMs?: number } {
  const s = num(str(o, "plugin-time-limit"), "--plugin-time-limit", {
    max: MAX_PLUGIN_TIME_LIMIT_MS / 1000,
  });
  if (s !== undefined && !(s > 0)) {
    throw new UsageError(
      `--plugin-time-limit must be > 0 seconds, got "${o["plugin-time-limit"]}"`,
    );
  }
  return {
    pluginRead: strs(o, "plugin-read"),
    ...(s !== undefined ? { pluginTimeLimitMs: s * 1000 } : {}),
  };
}

/** The `createCell` plugin hook for `--plugin-read` / `--plugin-time-limit`. */
function cellModifyOption(o: Values): Required<Pick<CreateCellOptions, "cellModify">> {
  const { pluginRead, pluginTimeLimitMs } = pluginSandbox(o);
  return {
    cellModify: {
      resolvePlugin: userPluginResolver({
        read: pluginRead,
        ...(pluginTimeLimitMs !== undefined ? { timeLimitMs: pluginTimeLimitMs } : {}),
      }),
    },
  };
}

/** `--plot` (`run`, `replay`). */
const PLOT_FLAG = { plot: { type: "boolean" } } as const;

function checkPlotFlag(o: Values): void {
  if (o.plot === true && o.tar === true) {
    throw new UsageError(
      "--plot cannot be combined with --tar (plot the folder before archiving it)",
    );
  }
}

/** `--plot`: the figures of each finished job, into `<job folder>/plots/`. */
async function plotJobs(
  results: readonly JobResult[],
  cellParam: string,
  pathMap: PathMap,
  quiet: boolean,
  png: PngRenderer,
): Promise<void> {
  try {
    // All folders at once: one folder's SVGs are drawn while the worker renders another's PNGs.
    const done = await Promise.allSettled(results.map((r) =>
      plotResultFolder(r.output, {
        pathMap,
        paramDir: dirname(cellParam),
        png,
        ...(quiet ? {} : { onProgress: (line: string) => console.error(line) }),
      })
    ));
    for (const d of done) if (d.status === "rejected") throw d.reason;
  } finally {
    png.close();
  }
}

/** The options of every command that runs jobs (`run`, `replay`, `slurm submit`). */
const JOB_OPTIONS = {
  "dir-prefix": { type: "string" },
  nprocs: { type: "string" },
  tstop: { type: "string" },
  tar: { type: "boolean" },
  quiet: { type: "boolean" },
  ...SOLVER,
  ...THREADS,
  ...RECORDER_PLUGINS,
  ...PLUGIN_SANDBOX,
  ...PATH_MAP,
  ...MECHANISMS,
} as const;

/** The options of `simrun run` that `simrun slurm submit` takes too (ISF's run_new_simulations). */
const RUN_JOB_OPTIONS = {
  ...JOB_OPTIONS,
  sweeps: { type: "string" },
  seed: { type: "string" },
  rng: { type: "string" },
} as const;

/** The options `run` and `replay` pass alike to their jobs. */
function jobOptions(o: Values, p: readonly string[], pathMap: PathMap, threads: number) {
  return {
    cellParam: p[0]!,
    networkParam: p[1]!,
    dirPrefix: str(o, "dir-prefix") ?? "",
    ...tStopArg(str(o, "tstop")),
    tar: o.tar === true,
    pathMap,
    plugins: strs(o, "plugin"),
    ...pluginSandbox(o),
    ...solverOptions(o),
    ...mechanismFolders(o),
    threads,
    progress: o.quiet === true ? "quiet" as const : undefined,
  };
}

/** `--nprocs P` (jobs of one run, default 1). */
function nprocsArg(o: Values): number {
  return num(str(o, "nprocs"), "--nprocs", { integer: true, min: 1, max: MAX_JOBS }) ?? 1;
}

async function cmdRun(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    ...RUN_JOB_OPTIONS,
    "sweep-range": { type: "string" },
    ...PLOT_FLAG,
  });
  if (o.help) return help("run");
  positionals(p, 2, "run");
  checkPlotFlag(o);
  const nprocs = nprocsArg(o);
  const threads = threadsArg(o);
  const nSweeps = sweepsArg(o);
  const seed = o.seed === undefined ? undefined : parseSeed(str(o, "seed")!);
  const range = sweepRange(str(o, "sweep-range"));
  if (range && o.sweeps !== undefined && range.end > nSweeps) {
    throw new UsageError(
      `--sweep-range ${range.start}:${range.end} goes beyond --sweeps ${nSweeps}`,
    );
  }
  const pathMap = pathMapFromArgsAndEnv(strs(o, "path-map"));
  const job = jobOptions(o, p, pathMap, threads);
  const seeds = jobSeeds(nprocs, seed);
  const quiet = o.quiet === true;
  const png = o.plot === true ? new PngRenderer() : undefined; // compiles resvg during the run
  if (!quiet) {
    console.error(
      `simrun: job seeds ${seeds.join(" ")}${seed === undefined ? " (drawn at random)" : ""}`,
    );
  }
  const results = await runJobs({
    ...job,
    nSweeps,
    seeds,
    rng: rngKind(str(o, "rng")),
    ...(range ? { sweepRange: range } : {}),
  });
  for (const r of results) console.log(r.output);
  if (png) await plotJobs(results, p[0]!, pathMap, quiet, png);
  return 0;
}

async function cmdReplay(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, { ...JOB_OPTIONS, ...PLOT_FLAG });
  if (o.help) return help("replay");
  positionals(p, 3, "replay", true);
  checkPlotFlag(o);
  const pathMap = pathMapFromArgsAndEnv(strs(o, "path-map"));
  const nprocs = nprocsArg(o);
  const threads = threadsArg(o);
  const job = jobOptions(o, p, pathMap, threads);
  const png = o.plot === true ? new PngRenderer() : undefined; // compiles resvg during the run
  const results = await runReplay({
    ...job,
    synapseFiles: p.slice(2),
    nprocs,
  });
  for (const r of results) console.log(r.output);
  if (png) await plotJobs(results, p[0]!, pathMap, o.quiet === true, png);
  return 0;
}

async function cmdNetwork(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    seed: { type: "string" },
    sweeps: { type: "string" },
    rng: { type: "string" },
    out: { type: "string" },
    "sweep-range": { type: "string" },
    tstop: { type: "string" },
    ...PATH_MAP,
    ...MECHANISMS,
  });
  if (o.help) return help("network");
  positionals(p, 2, "network");
  if (o.seed === undefined) throw new UsageError("network requires --seed S");
  if (o.out === undefined) throw new UsageError("network requires --out DIR");
  const range = sweepRange(str(o, "sweep-range"));
  const written = await runNetworkOnly({
    cellParam: p[0]!,
    networkParam: p[1]!,
    seed: parseSeed(str(o, "seed")!),
    nSweeps: sweepsArg(o),
    ...(range ? { sweepRange: range } : {}),
    rng: rngKind(str(o, "rng")),
    outDir: str(o, "out")!,
    ...tStopArg(str(o, "tstop")),
    pathMap: pathMapFromArgsAndEnv(strs(o, "path-map")),
    ...mechanismFolders(o),
  });
  console.log(`${o.out}: ${written.length} files`);
  return 0;
}

async function cmdCell(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    tstop: { type: "string" },
    dt: { type: "string" },
    record: { type: "string", multiple: true },
    out: { type: "string" },
    ...SOLVER,
    ...PLUGIN_SANDBOX,
    ...PATH_MAP,
    ...MECHANISMS,
  });
  if (o.help) return help("cell");
  positionals(p, 1, "cell");
  const record = (strs(o, "record")).map((r) => {
    const m = /^(\d+):([0-9.eE+-]+)(?::([A-Za-z_][A-Za-z0-9_]*))?$/.exec(r);
    const x = m ? Number(m[2]) : NaN;
    if (!m || !(x >= 0 && x <= 1)) {
      throw new UsageError(
        `--record expects SEC:X or SEC:X:VARIABLE with 0 <= X <= 1, got "${r}"`,
      );
    }
    return { section: Number(m[1]), x, ...(m[3] !== undefined ? { variable: m[3] } : {}) };
  });
  // Their range (with the step count) is checked by the solver's one rule, naming the option.
  const tStop = num(str(o, "tstop"), "--tstop");
  const dt = num(str(o, "dt"), "--dt");
  // `cellModify` is passed on to createCell by runCell (RunCellOptions.cellModify).
  const options: RunCellOptions & Pick<CreateCellOptions, "cellModify"> = {
    pathMap: pathMapFromArgsAndEnv(strs(o, "path-map")),
    record,
    ...(tStop !== undefined ? { tStop } : {}),
    ...(dt !== undefined ? { dt } : {}),
    ...solverOptions(o),
    ...cellModifyOption(o),
    ...mechanismFolders(o),
  };
  const res = await runCell(p[0]!, options);
  const spikes = `soma spikes (ms): ${res.spikes.length ? res.spikes.join(", ") : "none"}`;
  if (o.out !== undefined) {
    await Deno.writeTextFile(str(o, "out")!, res.csv);
    console.log(spikes);
  } else {
    await Deno.stdout.write(new TextEncoder().encode(res.csv));
    console.error(spikes);
  }
  return 0;
}

async function cmdInspect(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    sections: { type: "string" },
    segments: { type: "string" },
    ...PLUGIN_SANDBOX,
    ...PATH_MAP,
    ...MECHANISMS,
  });
  if (o.help) return help("inspect");
  positionals(p, 1, "inspect");
  if (o.sections === undefined || o.segments === undefined) {
    throw new UsageError("inspect requires --sections S.csv and --segments G.csv");
  }
  const built = await createCell(p[0]!, {
    pathMap: pathMapFromArgsAndEnv(strs(o, "path-map")),
    resolveRecordingSites: false,
    ...cellModifyOption(o),
    ...mechanismFolders(o),
  });
  const catalogue = built.mechanisms.catalogue;
  const state = initialState(built.cell, { ...built.sim, catalogue });
  const extraColumns = state.map((c) => ({
    name: c.name,
    values: Array.from(c.values, (v) => (Number.isNaN(v) ? undefined : v)),
  }));
  const t = inspectTables(built.cell, { extraColumns, catalogue });
  await Deno.writeTextFile(str(o, "sections")!, t.sections);
  await Deno.writeTextFile(str(o, "segments")!, t.segments);
  return 0;
}

async function cmdDemo(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    "dir-prefix": { type: "string" },
    quiet: { type: "boolean" },
  });
  if (o.help) return help("demo");
  positionals(p, 0, "demo");
  const { runDemo } = await import("./examples/demo.ts");
  const summary = await runDemo({
    dirPrefix: str(o, "dir-prefix") ?? "",
    quiet: o.quiet === true,
  });
  console.log(summary);
  return 0;
}

/** Options of `simrun slurm submit` beyond those of `run`. */
const SLURM_SUBMIT = {
  "sweeps-per-task": { type: "string" },
  partition: { type: "string" },
  time: { type: "string" },
  mem: { type: "string" },
  "cpus-per-task": { type: "string" },
  "max-parallel": { type: "string" },
  "sbatch-arg": { type: "string", multiple: true },
  "simrun-command": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

async function cmdSlurmSubmit(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, { ...RUN_JOB_OPTIONS, ...SLURM_SUBMIT });
  if (o.help) return help("slurm submit");
  positionals(p, 2, "slurm submit");
  const k = num(str(o, "sweeps-per-task"), "--sweeps-per-task", { integer: true, min: 1 });
  if (k === undefined) throw new UsageError("slurm submit requires --sweeps-per-task K");
  if (o.engine !== undefined) {
    throw new UsageError(
      "--engine is not an option of slurm submit (tasks run the default engine)",
    );
  }
  const sandbox = pluginSandbox(o);
  const { solver } = solverOptions(o);
  const r = await submitCampaign(p[0]!, p[1]!, {
    dirPrefix: str(o, "dir-prefix") ?? "",
    seed: o.seed === undefined ? undefined : parseSeed(str(o, "seed")!),
    nprocs: nprocsArg(o),
    nSweeps: sweepsArg(o),
    ...tStopArg(str(o, "tstop")),
    rng: rngKind(str(o, "rng")),
    exact: !solver.rateTables,
    units: solver.units,
    threads: threadsArg(o),
    tar: o.tar === true,
    pathMap: pathMapFromArgsAndEnv(strs(o, "path-map")),
    plugins: strs(o, "plugin"),
    pluginRead: sandbox.pluginRead,
    pluginTimeLimitMs: sandbox.pluginTimeLimitMs,
    mechanismFolders: strs(o, "mechanisms"),
    sweepsPerTask: k,
    partition: str(o, "partition"),
    time: str(o, "time"),
    mem: str(o, "mem"),
    cpusPerTask: num(str(o, "cpus-per-task"), "--cpus-per-task", { integer: true, min: 1 }),
    maxParallel: num(str(o, "max-parallel"), "--max-parallel", { integer: true, min: 1 }),
    sbatchArgs: strs(o, "sbatch-arg"),
    simrunCommand: str(o, "simrun-command"),
    dryRun: o["dry-run"] === true,
  });
  const c = r.campaign;
  if (o.quiet !== true) {
    console.error(
      `simrun: job seeds ${c.run.seeds.join(" ")}${
        c.run.seed === undefined ? " (drawn at random)" : ""
      }; ` +
        `${c.tasks.length} task(s) of at most ${c.slurm.sweepsPerTask} sweep(s)`,
    );
  }
  if (r.arrays.length > 1) {
    console.log(
      `MaxArraySize ${r.maxArraySize.value}${
        r.maxArraySize.fromCluster ? "" : " (SLURM's default, assumed)"
      }: ` +
        `${r.arrays.length} arrays`,
    );
  }
  if (r.submitted.length === 0) {
    console.log("dry run: nothing submitted; the command(s) would be:");
    for (const cmd of r.commands) console.log(`  ${cmd.map(shellQuote).join(" ")}`);
  }
  for (const s of r.submitted) {
    console.log(
      `submitted array job ${s.jobId} (--array=${s.array}, tasks ${s.tasks[0]}-${s.tasks.at(-1)})`,
    );
  }
  console.log(r.dir);
  return 0;
}

async function cmdSlurmTask(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, { quiet: { type: "boolean" } });
  if (o.help) return help("slurm task");
  if (p.length !== 2) {
    throw new UsageError(`slurm task expects <campaign> <index>, got ${p.length} argument(s)`);
  }
  const index = num(p[1], "<index>", { integer: true, min: 0 })!;
  const r = await runCampaignTask(p[0]!, index, { progress: o.quiet === true ? "quiet" : "lines" });
  console.log(r.alreadyDone ? `task ${index} was already done: ${r.folder}` : r.folder);
  return 0;
}

/** The single `<campaign>` argument of status, merge and resume. */
function campaignArg(p: string[], cmd: string): string {
  if (p.length !== 1) {
    throw new UsageError(`${cmd} expects <campaign>, got ${p.length} argument(s)`);
  }
  return p[0]!;
}

async function cmdSlurmStatus(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {});
  if (o.help) return help("slurm status");
  const s = await campaignStatus(campaignArg(p, "slurm status"));
  await Deno.stdout.write(new TextEncoder().encode(formatCampaignStatus(s)));
  return 0;
}

async function cmdSlurmMerge(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {});
  if (o.help) return help("slurm merge");
  const r = await mergeCampaign(campaignArg(p, "slurm merge"));
  if (r.alreadyMerged) console.error("simrun: the campaign was merged before (merged.json):");
  for (const n of r.notes) console.error(`simrun: note: ${n}`);
  for (const j of r.jobs) console.log(j.output);
  return 0;
}

async function cmdSlurmResume(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, { "dry-run": { type: "boolean" } });
  if (o.help) return help("slurm resume");
  const dir = campaignArg(p, "slurm resume");
  const r = await resumeCampaign(dir, { dryRun: o["dry-run"] === true });
  if (r.tasks.length === 0) console.log("nothing to resume: no task is missing or failed");
  else if (r.submitted.length === 0) {
    console.log(`dry run: tasks ${r.tasks.join(", ")} would be submitted with:`);
    for (const cmd of r.commands) console.log(`  ${cmd.map(shellQuote).join(" ")}`);
  }
  for (const s of r.submitted) {
    console.log(
      `submitted array job ${s.jobId} (--array=${s.array}) for task(s) ${s.tasks.join(", ")}`,
    );
  }
  console.log(dir);
  return 0;
}

const SLURM_COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  submit: cmdSlurmSubmit,
  task: cmdSlurmTask,
  status: cmdSlurmStatus,
  merge: cmdSlurmMerge,
  resume: cmdSlurmResume,
};

/** `simrun slurm <command>`: campaign errors are one line with exit 1. */
async function cmdSlurm(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h") return help("slurm");
  const run = SLURM_COMMANDS[sub];
  if (run === undefined) {
    throw new UsageError(`unknown slurm command "${sub}" (submit, task, status, merge, resume)`);
  }
  try {
    return await run(rest);
  } catch (e) {
    if (e instanceof CampaignError) {
      console.error(`simrun: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

/** `--sweeps A:B` or `A` of `simrun plot` → [A, B). */
function plotSweeps(v: string | undefined): { start: number; end: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)(?::(\d+))?$/.exec(v.trim());
  const start = m ? Number(m[1]) : NaN, end = m?.[2] !== undefined ? Number(m[2]) : start + 1;
  if (!m || !(end > start)) {
    throw new UsageError(
      `--sweeps expects A:B with integers 0 <= A < B, or one sweep A, got "${v}"`,
    );
  }
  return { start, end };
}

function plotFormats(v: string | undefined): PlotFormat[] {
  if (v === undefined) return ["svg", "png"];
  const f = v.split(",").map((x) => x.trim().toLowerCase());
  if (f.length === 0 || f.some((x) => x !== "svg" && x !== "png")) {
    throw new UsageError(`--format expects svg, png or svg,png, got "${v}"`);
  }
  return [...new Set(f)] as PlotFormat[];
}

async function cmdPlot(args: string[]): Promise<number> {
  const { values: o, positionals: p } = parse(args, {
    out: { type: "string" },
    sweeps: { type: "string" },
    format: { type: "string" },
    "param-dir": { type: "string" },
    quiet: { type: "boolean" },
    ...PATH_MAP,
  });
  if (o.help) return help("plot");
  positionals(p, 1, "plot", true);
  const sweeps = plotSweeps(str(o, "sweeps"));
  const formats = plotFormats(str(o, "format"));
  const pathMap = pathMapFromArgsAndEnv(strs(o, "path-map"));
  const out = str(o, "out");
  const paramDir = str(o, "param-dir");
  const png = formats.includes("png") ? new PngRenderer() : undefined;
  try {
    for (const folder of p) {
      const r = await plotResultFolder(folder, {
        ...(out !== undefined ? { out: p.length > 1 ? `${out}/${basename(folder)}` : out } : {}),
        ...(sweeps ? { sweeps } : {}),
        formats,
        pathMap,
        ...(paramDir !== undefined ? { paramDir } : {}),
        ...(png ? { png } : {}),
        ...(o.quiet ? {} : { onProgress: (line: string) => console.error(line) }),
      });
      console.log(r.out);
    }
  } finally {
    png?.close();
  }
  return 0;
}

function help(cmd: string): number {
  console.log(HELP[cmd]);
  return 0;
}

/**
 * The one line for a failure of the file system (a full disk, a read-only file system, a file
 * where a folder should be, …), or undefined for any other error. Deno's messages already name
 * the cause and the path: `No space left on device (os error 28): write '…'`. Errors rebuilt
 * after crossing a worker boundary keep that message but not their class.
 */
function ioFailure(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  const isIo = Object.values(Deno.errors).some((C) => e instanceof C) ||
    (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) || /\(os error \d+\)/.test(e.message);
  return isIo ? e.message.replace(/\s*\n\s*/g, " ") : undefined;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  run: cmdRun,
  replay: cmdReplay,
  network: cmdNetwork,
  cell: cmdCell,
  inspect: cmdInspect,
  demo: cmdDemo,
  slurm: cmdSlurm,
  plot: cmdPlot,
};

/**
 * Runs the CLI.
 *
 * @param argv arguments without the program name
 * @returns the exit code
 */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  // Hidden: the compiled binary starts itself this way to run one plugin in its own process
  // (plugins/plugin_process.ts); it speaks the plugin protocol on stdin/stdout.
  if (cmd === "__plugin-host" && rest.length === 0) return await servePluginProcess();
  try {
    if (cmd === undefined || cmd === "--help" || cmd === "-h" || cmd === "help") {
      console.log(HELP.main);
      return cmd === undefined ? 2 : 0;
    }
    const run = COMMANDS[cmd];
    if (run === undefined) throw new UsageError(`unknown command "${cmd}"`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`simrun: ${e.message} (see simrun ${COMMANDS[cmd!] ? cmd + " " : ""}--help)`);
      return 2;
    }
    if (isInputError(e)) {
      console.error(`simrun: ${e.message}`);
      return 2;
    }
    if (e instanceof SimulationError) {
      console.error(`simrun: ${e.message}`);
      return 1;
    }
    if (e instanceof PluginError) {
      // One line: a plugin's own error message may span several.
      console.error(`simrun: ${e.message.replace(/\s*\n\s*/g, " ")}`);
      return 1;
    }
    const io = ioFailure(e);
    if (io !== undefined) {
      console.error(`simrun: ${io}`);
      return 1;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    return 1;
  }
}

/** Exit codes 128 + n of the signals simrun stops on. */
const SIGNAL_EXIT: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/**
 * Stops simrun at once on SIGINT, SIGTERM or SIGHUP, and when the `npx`/`deno task` process that
 * started it has been terminated (those wrappers do not forward signals to simrun): exit 128 + n,
 * before any job folder is renamed, so that an unfinished job leaves only its `_running` folder.
 */
function stopOnSignals(): void {
  const stop = (why: string, code: number): never => {
    try {
      console.error(`simrun: stopped (${why}); unfinished job folders stay <name>_running`);
    } catch {
      // stderr may be gone with the terminal (SIGHUP): stop all the same
    }
    Deno.exit(code);
  };
  const signals = Deno.build.os === "windows"
    ? (["SIGINT"] as const)
    : (["SIGINT", "SIGTERM", "SIGHUP"] as const);
  for (const sig of signals) Deno.addSignalListener(sig, () => stop(sig, SIGNAL_EXIT[sig]!));
  watchLauncher((p) =>
    stop(`the process that started simrun ended: pid ${p.pid}, ${p.command.slice(0, 60)}`, 129)
  );
}

if (import.meta.main) {
  stopOnSignals();
  Deno.exit(await main(Deno.args));
}
