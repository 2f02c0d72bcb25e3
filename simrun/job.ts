/**
 * One job = ISF's `_evoked_activity` (spec/algorithm.md §3) in the same order: read and validate
 * everything, create the `_running` folder with its host-name marker, then per sweep realize the
 * network, simulate, write the sweep's synapse and presynaptic files; at the end write the traces
 * and the saved params, and rename (or archive) the folder.
 *
 * Everything that can be checked before the first sweep (files, keys, mechanisms, section ids,
 * recording sites, tStop/dt, sweep range) is checked before the folder is created, so bad input
 * fails with an input error and leaves nothing behind.
 *
 * @module
 */
import { spikeTimes } from "./cell_run.ts";
import {
  type ActivationFile,
  cloneParam,
  formatParamJson,
  formatPresynapticSpikes,
  formatPythonFloat,
  formatSynapseActivations,
  InputValueError,
  joinKeyPath,
  type ParamObject,
  parseSynapseActivationFile,
  type PathMap,
  readLandmarkFile,
  readParamFile,
  readTextInput,
  readTextInputSync,
  resolveInputPath,
  setParam,
} from "../io/mod.ts";
import {
  openRecorderHook,
  type RecorderHook,
  type UserPluginOptions,
  userPluginResolver,
} from "../plugins/mod.ts";
import type { Cell, PointMechanism, SimulationResult } from "../solver/mod.ts";
import {
  landmarkBasename,
  type RecordingSite,
  recordingSites,
  type RecordSite,
  simulate,
  stepCount,
  type SynapticInput,
} from "../solver/mod.ts";
import {
  type ActiveSynapse,
  createAnatomyCache,
  createNetworkMapper,
  createNetworkRandom,
  createReplayMapper,
  type ElementaryFunctions,
  JS_MATH,
  type NetworkRandomKind,
  type NetworkRealization,
  type NetworkSpec,
  readNetworkSpec,
  SYNAPSE_MECHANISMS,
  synapseMechanism,
} from "../network/mod.ts";
import { loadSystemLibm } from "./system_libm.ts";
import { createCell, type CreatedCell } from "./create_cell.ts";
import { JobFolder } from "./output_dir.ts";
import { warn } from "./warnings.ts";
import { packSweep, SweepPool, unpackSweep } from "./sweep_pool.ts";

/** Largest number of time steps per sweep accepted (guards against a tStop/dt typo). */
export const MAX_STEPS = 50_000_000;

/** Plugin settings of a job (CLI `--plugin`, `--plugin-read`, `--plugin-time-limit`). */
export interface PluginSettings {
  /** Recorder plugin module paths (`--plugin`), opened once per job (docs/plugins.md). */
  readonly plugins?: readonly string[];
  /** Extra files or folders plugins may read besides their own folder (`--plugin-read`). */
  readonly pluginRead?: readonly string[];
  /** Time limit of one plugin call [ms] (default `DEFAULT_PLUGIN_TIME_LIMIT_MS`, 30 s). */
  readonly pluginTimeLimitMs?: number;
}

/** Everything one job needs; plain data so that it can be posted to a worker. */
export interface JobSpec extends PluginSettings {
  /** Cell param path (ISF `cellParamName`). */
  readonly cellParam: string;
  /** Network param path (ISF `evokedUpParamName`). */
  readonly networkParam: string;
  /** ISF `dirPrefix` ("" = working directory). */
  readonly dirPrefix: string;
  /** The job's seed [0, 4294967294]; part of the folder name. */
  readonly seed: number;
  /** Number of sweeps (ISF `nSweeps`); ignored when `sweepRange` is given. */
  readonly nSweeps: number;
  /** Run only sweeps [start, end). */
  readonly sweepRange?: { readonly start: number; readonly end: number };
  /** ISF `tStop` [ms]; saved as `sim.tStop` (an int unless `tStopIsFloat`). */
  readonly tStop: number;
  /** Save `sim.tStop` as a float (`345.0`) rather than an int. */
  readonly tStopIsFloat: boolean;
  /** Random streams: ISF's exact MT19937 use (`isf`) or independent per-sweep streams (`simrun`). */
  readonly rng: NetworkRandomKind;
  /** ISF `tar`. */
  readonly tar: boolean;
  /** Rules for foreign paths inside the param files. */
  readonly pathMap: PathMap;
  /** Recorder plugin module paths (`--plugin`); see {@link JobHooks.openRecorders}. */
  readonly plugins: readonly string[];
  /** Evaluate channel rates exactly as NEURON (no rate tables; slower). Default false. */
  readonly exact?: boolean;
  /** Physical constants (spec/mechanisms.md §1.4): `modern` (default) or `legacy`. */
  readonly units?: "modern" | "legacy";
  /**
   * Sweeps simulated in parallel (`--threads`), each in a sweep worker of this job (default 1:
   * all in the job's thread, no extra worker). The files are identical for any value.
   */
  readonly threads?: number;
}

/** Callbacks and overrides of {@link runJob}. */
export interface JobHooks {
  /** Called after each sweep's files are written. */
  readonly onSweep?: (sweep: number, somaSpikes: number) => void;
  /** Process id in the folder name (default `Deno.pid`). */
  readonly pid?: number;
  /**
   * Opens the job's recorders once the job folder exists and the cell is built (their sites are
   * recorded after the recording sites; `deliver` gets their arrays after each sweep, `close`
   * runs before the folder is renamed). Default: the settings' `plugins` through
   * `openRecorderHook` (none when `plugins` is empty).
   */
  readonly openRecorders?: (jobDir: string, cell: Cell) => Promise<RecorderHook>;
}

/** What a finished job reports. */
export interface JobResult {
  /** Final folder (or `.tar`). */
  readonly output: string;
  /** The job's seed (0 for replays). */
  readonly seed: number;
  /** Sweep numbers run. */
  readonly sweeps: readonly number[];
  /** Soma spike count per sweep. */
  readonly somaSpikes: readonly number[];
}

/** One sweep's network: synapses for the solver and the two per-sweep files. */
export interface SweepNetwork {
  /** Every synapse with at least one release. */
  readonly synapses: readonly ActiveSynapse[];
  /** Content of `simulation_runNNNN_synapses.csv`. */
  synapsesCsv(): string;
  /** Content of `simulation_runNNNN_presynaptic_cells.csv`. */
  presynapticCsv(): string;
}

/** The network side of a job, prepared (and validated) before the first sweep. */
export interface PreparedNetwork {
  /** Recording sites of `sim.recordingSites`, in order. */
  readonly recordSites: readonly RecordingSite[];
  /** Receptor name → point mechanism, for every receptor of the network. */
  readonly mechanisms: Readonly<Record<string, PointMechanism>>;
  /** Realizes sweep `sweep` (isf generator: sweeps must come in increasing order). */
  realize(sweep: number): SweepNetwork;
}

/**
 * Recording sites of `sim.recordingSites` (formats.md §6): every landmark of every file, in order.
 *
 * @param built the cell with its resolved recording-site paths
 * @returns the sites with ISF's labels
 */
export async function loadRecordingSites(built: CreatedCell): Promise<RecordingSite[]> {
  const out: RecordingSite[] = [];
  for (const path of built.sim.recordingSites) {
    const landmarks = await readLandmarkFile(path);
    out.push(...recordingSites(built.cell, landmarks, landmarkBasename(path)));
  }
  return out;
}

/**
 * Sweep numbers of a spec: `sweepRange` when given, else 0 … nSweeps−1.
 *
 * @param spec `nSweeps` and optional `sweepRange`
 * @returns the sweep numbers in order
 */
export function sweepList(spec: Pick<JobSpec, "nSweeps" | "sweepRange">): number[] {
  const a = spec.sweepRange?.start ?? 0, b = spec.sweepRange?.end ?? spec.nSweeps;
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

/**
 * A trace file (outputs.md §5): header `t\tVm run 00…`, then one row per sample.
 *
 * @param t time of the last sweep [ms]
 * @param columns one voltage array per sweep [mV]
 * @param sweeps sweep numbers for the header
 * @returns file content
 */
export function formatTraces(
  t: Float64Array,
  columns: readonly Float64Array[],
  sweeps: readonly number[],
): string {
  const parts: string[] = [
    "t" + sweeps.map((s) => `\tVm run ${String(s).padStart(2, "0")}`).join("") + "\n",
  ];
  for (let k = 0; k < t.length; k++) {
    let row = formatPythonFloat(t[k]!);
    for (const c of columns) row += "\t" + formatPythonFloat(c[k]!);
    parts.push(row + "\n");
  }
  return parts.join("");
}

/**
 * Turns the realized synapses of a sweep into solver inputs: one input per receptor, event time =
 * release time + NetCon delay.
 *
 * @param synapses the sweep's active synapses
 * @param mechanisms receptor name → point mechanism
 * @returns the solver's synaptic inputs
 */
export function synapticInputs(
  synapses: readonly ActiveSynapse[],
  mechanisms: Readonly<Record<string, PointMechanism>>,
): SynapticInput[] {
  // The same packing as for a sweep worker, so both paths give the solver identical inputs;
  // packSweep rejects a name that is not in `mechanisms`.
  return unpackSweep(packSweep(synapses, mechanisms), (name) => mechanisms[name]!);
}

/** Validates tStop and dt before anything runs. */
function checkTimes(spec: Pick<JobSpec, "tStop">, dt: number, paramFile: string): void {
  if (!(spec.tStop > 0) || !Number.isFinite(spec.tStop)) {
    throw new InputValueError(
      { file: "<command line>", key: "tStop" },
      `tStop must be > 0, got ${spec.tStop}`,
    );
  }
  if (!(dt > 0) || !Number.isFinite(dt)) {
    throw new InputValueError({ file: paramFile, key: "sim.dt" }, `sim.dt must be > 0, got ${dt}`);
  }
  const n = stepCount(spec.tStop, dt);
  if (n > MAX_STEPS) {
    throw new InputValueError(
      { file: paramFile, key: "sim.dt" },
      `tStop ${spec.tStop} ms with dt ${dt} ms needs ${n} steps per sweep (more than ${MAX_STEPS})`,
    );
  }
}

/** What {@link executeJob} needs: a prepared cell and network plus the naming of one job kind. */
export interface PreparedJob {
  /** The built cell and its param. */
  readonly built: CreatedCell;
  /** The network param as read (saved verbatim). */
  readonly networkParam: ParamObject;
  /** The prepared network. */
  readonly net: PreparedNetwork;
  /** `seed<S>_pid<P>` (run) or `seed00000_pid<P>` (replay). */
  readonly uniqueId: string;
  /** Sweep numbers, in order. */
  readonly sweeps: readonly number[];
  /** Prefix of a sweep's two files: `simulation_run0000` (run) or `simulation_run0000000` (replay). */
  readonly sweepFilePrefix: (sweep: number) => string;
  /** Files written right after the folder is created (replay: `synapse_file_paths.csv`). */
  readonly startFiles?: Readonly<Record<string, string>>;
  /**
   * Sweep workers started early by the caller ({@link startSweepPool}); executeJob initializes
   * them with the cell and always terminates them. Undefined: every sweep in this thread.
   */
  readonly sweepPool?: SweepPool | undefined;
}

/** Settings shared by run and replay jobs. */
export type JobSettings =
  & Pick<JobSpec, "dirPrefix" | "tStop" | "tStopIsFloat" | "tar" | "exact" | "units" | "threads">
  & PluginSettings;

/**
 * The sandbox options of a job's plugins: read grants and time limit.
 *
 * @param settings `pluginRead`, `pluginTimeLimitMs`
 * @returns options for `userPluginResolver` and the recorders
 */
export function pluginOptions(settings: PluginSettings): UserPluginOptions {
  return {
    read: settings.pluginRead ?? [],
    ...(settings.pluginTimeLimitMs !== undefined
      ? { timeLimitMs: settings.pluginTimeLimitMs }
      : {}),
  };
}

/**
 * The recorder opener of a job: the hook given by the caller, else the settings' `plugins`
 * (each a recorder module, sandboxed, writing only into the job folder), else none.
 *
 * @param settings plugin paths, read grants, time limit
 * @param hooks the caller's hooks
 * @returns the opener, or undefined when the job has no recorders
 */
export function recorderOpener(
  settings: PluginSettings,
  hooks: JobHooks,
): ((jobDir: string, cell: Cell) => Promise<RecorderHook>) | undefined {
  if (hooks.openRecorders !== undefined) return hooks.openRecorders;
  const plugins = settings.plugins ?? [];
  if (plugins.length === 0) return undefined;
  const options = pluginOptions(settings);
  return (jobDir, cell) =>
    openRecorderHook(plugins.map((path) => ({ path })), { jobDir, cell, ...options });
}

/**
 * Runs prepared sweeps into a new job folder: §3 steps 4–11 (folder, sweeps with their files,
 * traces, saved params, rename or archive).
 *
 * @param job prepared cell, network and naming
 * @param settings folder prefix, tStop, tar
 * @param hooks progress, pid, recorders
 * @returns the final folder, sweeps and spike counts (seed 0 here; callers fill it in)
 */
export async function executeJob(
  job: PreparedJob,
  settings: JobSettings,
  hooks: JobHooks = {},
): Promise<JobResult> {
  const { built, net, uniqueId, sweeps } = job;
  const pool = job.sweepPool;
  const somaTraces: Float64Array[] = [];
  const siteTraces: Float64Array[][] = net.recordSites.map(() => []);
  const spikes: number[] = [];
  let lastT: Float64Array = new Float64Array(0);
  let folder: JobFolder;
  try {
    // §3 step 4: output folder + host-name marker.
    folder = await JobFolder.create(settings.dirPrefix, uniqueId);
    for (const [name, text] of Object.entries(job.startFiles ?? {})) {
      await Deno.writeTextFile(folder.file(name), text);
    }
    const open = recorderOpener(settings, hooks);
    const recorder = open ? await open(folder.path, built.cell) : undefined;
    // Any failure while recorders run stops them (else their workers keep the job alive); the
    // folder keeps its `_running` name.
    try {
      // The recording sites (for the dend trace files), then the recorders' sites (their arrays
      // go to the recorders after each sweep).
      const record: RecordSite[] = [
        ...net.recordSites.map((s) => ({ section: s.section, x: s.x })),
        ...(recorder?.sites() ?? []),
      ];
      const sim = {
        vInit: built.sim.vInit,
        tStop: settings.tStop,
        dt: built.sim.dt,
        celsius: built.sim.celsius,
        record,
        rateTables: settings.exact !== true,
        ...(settings.units !== undefined ? { units: settings.units } : {}),
      };
      // §3 step 7.5: a sweep's files right after the sweep (and every earlier one), in order.
      const sweepDone = async (sweep: number, realization: SweepNetwork, res: SimulationResult) => {
        lastT = res.t;
        somaTraces.push(res.soma);
        net.recordSites.forEach((_, i) => siteTraces[i]!.push(res.traces[i]!));
        const prefix = job.sweepFilePrefix(sweep);
        await Deno.writeTextFile(folder.file(`${prefix}_synapses.csv`), realization.synapsesCsv());
        await Deno.writeTextFile(
          folder.file(`${prefix}_presynaptic_cells.csv`),
          realization.presynapticCsv(),
        );
        if (recorder) {
          await recorder.deliver(sweep, res.t, res.traces.slice(net.recordSites.length));
        }
        const n = spikeTimes(res.t, res.soma).length;
        spikes.push(n);
        hooks.onSweep?.(sweep, n);
      };
      if (pool === undefined) {
        for (const sweep of sweeps) {
          // §3 step 7.1: a fresh realization per sweep; 7.3: simulate.
          const realization = net.realize(sweep);
          const res = simulate(built.cell, {
            ...sim,
            synapses: synapticInputs(realization.synapses, net.mechanisms),
          });
          await sweepDone(sweep, realization, res);
        }
      } else {
        pool.init(built.cell, sim);
        // Realizations in sweep order in this thread (the isf generator continues across
        // sweeps); at most pool.size sweeps realized and not yet written.
        const inFlight: { realization: SweepNetwork; result: Promise<SimulationResult> }[] = [];
        let next = 0;
        for (let k = 0; k < sweeps.length; k++) {
          while (next < sweeps.length && next < k + pool.size) {
            const realization = net.realize(sweeps[next]!);
            const result = pool.simulate(packSweep(realization.synapses, net.mechanisms));
            result.catch(() => {}); // a failure is thrown where the sweep is awaited
            inFlight.push({ realization, result });
            next++;
          }
          const head = inFlight.shift()!;
          await sweepDone(sweeps[k]!, head.realization, await head.result);
        }
      }
      // Before the folder is renamed: a failing recorder leaves only the `_running` folder.
      await recorder?.close();
    } catch (e) {
      recorder?.abort(); // stops what is still running (a no-op after close)
      throw e;
    }
  } finally {
    pool?.terminate();
  }

  // §3 step 8: traces (t of the last sweep), one column per sweep number.
  await Deno.writeTextFile(
    folder.file(`${uniqueId}_vm_all_traces.csv`),
    formatTraces(lastT, somaTraces, sweeps),
  );
  for (const [i, site] of net.recordSites.entries()) {
    await Deno.writeTextFile(
      folder.file(`${uniqueId}_${site.label}_vm_dend_traces.csv`),
      formatTraces(lastT, siteTraces[i]!, sweeps),
    );
  }
  // §3 step 9: saved params (sim.tStop = the tStop argument).
  const cellParam = cloneParam(built.param) as ParamObject;
  setParam(cellParam.sim as ParamObject, "tStop", settings.tStop, { float: settings.tStopIsFloat });
  await Deno.writeTextFile(
    folder.file(`${uniqueId}_neuron_model.param`),
    formatParamJson(cellParam),
  );
  await Deno.writeTextFile(
    folder.file(`${uniqueId}_network_model.param`),
    formatParamJson(job.networkParam),
  );
  // §3 steps 10–11.
  const output = await folder.finish({ tar: settings.tar });
  return { output, seed: 0, sweeps, somaSpikes: spikes };
}

/**
 * Starts the sweep workers of a job with `threads` > 1 (at most one per sweep), before its inputs
 * are read, so that the workers load while the cell is built. The caller passes the pool to
 * {@link executeJob} and terminates it when preparing fails.
 *
 * @param settings `threads` (default 1)
 * @param nSweeps number of sweeps of the job
 * @returns the pool, or undefined when the sweeps run in this thread
 */
export function startSweepPool(
  settings: Pick<JobSpec, "threads">,
  nSweeps: number,
): SweepPool | undefined {
  const threads = settings.threads ?? 1;
  if (!(Number.isInteger(threads) && threads >= 1)) {
    throw new InputValueError(
      { file: "<command line>", key: "threads" },
      `threads must be an integer >= 1, got ${threads}`,
    );
  }
  const size = Math.min(threads, nSweeps);
  return size > 1 ? new SweepPool(size) : undefined;
}

/** `simulation_run%04d` (run jobs). */
export function runPrefix(sweep: number): string {
  return `simulation_run${String(sweep).padStart(4, "0")}`;
}

/** `simulation_run%07d` (replay jobs). */
export function replayPrefix(sweep: number): string {
  return `simulation_run${String(sweep).padStart(7, "0")}`;
}

/**
 * Reads and checks the cell and the network param before anything is written: ISF §3 steps 2–3
 * plus every check that can be made before the first sweep.
 *
 * @param spec cell/network paths, path map, tStop
 * @returns the built cell, the network param and the recording sites
 */
export async function prepareInputs(
  spec:
    & Pick<JobSpec, "cellParam" | "networkParam" | "pathMap" | "tStop">
    & Pick<PluginSettings, "pluginRead" | "pluginTimeLimitMs">,
): Promise<{ built: CreatedCell; networkParam: ParamObject; sites: RecordingSite[] }> {
  // A `cell_modify_functions` key that is a path runs that user plugin in its sandbox.
  const built = await createCell(spec.cellParam, {
    pathMap: spec.pathMap,
    cellModify: { resolvePlugin: userPluginResolver(pluginOptions(spec)) },
  });
  checkTimes(spec, built.sim.dt, spec.cellParam);
  const networkParam = await readParamFile(spec.networkParam);
  const sites = await loadRecordingSites(built);
  return { built, networkParam, sites };
}

/**
 * Runs one job (ISF `_evoked_activity`) and returns its final folder.
 *
 * @param spec inputs and settings
 * @param hooks progress callback, pid, recorders
 * @returns the final folder, seed, sweeps and spike counts
 * @throws InputSyntaxError / InputValueError before the folder is created for bad input
 */
export async function runJob(spec: JobSpec, hooks: JobHooks = {}): Promise<JobResult> {
  const sweeps = sweepList(spec);
  if (sweeps.length === 0) {
    throw new InputValueError({ file: "<command line>", key: "nSweeps" }, "no sweeps to run");
  }
  const sweepPool = startSweepPool(spec, sweeps.length);
  try {
    const { built, networkParam, sites } = await prepareInputs(spec);
    const net = prepareNetwork(built, networkParam, spec, sites);
    const result = await executeJob(
      {
        built,
        networkParam,
        net,
        uniqueId: `seed${spec.seed}_pid${hooks.pid ?? Deno.pid}`,
        sweeps,
        sweepFilePrefix: runPrefix,
        sweepPool,
      },
      spec,
      hooks,
    );
    return { ...result, seed: spec.seed };
  } finally {
    sweepPool?.terminate();
  }
}

/** Reads the network param's types with `.syn`/`.con` paths resolved (relative to the param file, then the path map). */
function networkSpec(
  networkParam: ParamObject,
  spec: Pick<JobSpec, "networkParam" | "pathMap">,
): NetworkSpec {
  return readNetworkSpec(networkParam, {
    resolvePath: (p, at) =>
      resolveInputPath(p, {
        map: spec.pathMap,
        file: spec.networkParam,
        ...(at.line !== undefined ? { line: at.line } : {}),
        ...(at.key !== undefined ? { key: at.key } : {}),
        what: "anatomical realization file",
      }),
  });
}

/** The point mechanisms of every receptor in the network; unknown names are input errors. */
function receptorMechanisms(net: NetworkSpec): Record<string, PointMechanism> {
  const out: Record<string, PointMechanism> = {};
  for (const t of net.types) {
    for (const r of t.synapses.receptors) {
      const m = synapseMechanism(r.mechanism);
      if (m === undefined) {
        const key = joinKeyPath(
          joinKeyPath(`network.${t.name}.synapses`, "receptors"),
          r.mechanism,
        );
        throw new InputValueError(
          { ...t.synapses.location, key },
          `Unknown receptor "${r.mechanism}" in "${t.name}": known are ${
            SYNAPSE_MECHANISMS.map((k) => k.name).join(", ")
          }`,
        );
      }
      out[r.mechanism] = m;
    }
  }
  return out;
}

/**
 * A prepared network that realizes sweep `first` at once, so that every problem of the network
 * inputs shows before the output folder exists; `realize(first)` then returns that realization.
 */
function realizedEarly(
  recordSites: readonly RecordingSite[],
  mechanisms: Readonly<Record<string, PointMechanism>>,
  first: number,
  realizeSweep: (sweep: number) => NetworkRealization,
): PreparedNetwork {
  let pending: NetworkRealization | undefined = realizeSweep(first);
  return {
    recordSites,
    mechanisms,
    realize(sweep) {
      const r = pending !== undefined && sweep === first ? pending : realizeSweep(sweep);
      pending = undefined;
      return {
        synapses: r.synapses,
        synapsesCsv: () => formatSynapseActivations(r.synapses),
        presynapticCsv: () => formatPresynapticSpikes(r.presynaptic),
      };
    },
  };
}

/**
 * Prepares the network of a run job and realizes its first sweep at once, so that every problem
 * of the network inputs (.syn/.con, section ids, receptors) shows before the output folder exists.
 * Realizing early changes no draw: nothing random happens between (ISF §3 steps 2–6).
 *
 * @param built the cell
 * @param networkParam the parsed network param
 * @param spec paths, seed, generator, tStop, sweeps
 * @param sites recording sites
 * @returns the prepared network
 */
export function prepareNetwork(
  built: CreatedCell,
  networkParam: ParamObject,
  spec: Pick<
    JobSpec,
    "networkParam" | "pathMap" | "tStop" | "seed" | "rng" | "nSweeps" | "sweepRange"
  >,
  sites: readonly RecordingSite[],
): PreparedNetwork {
  const net = networkSpec(networkParam, spec);
  const mechanisms = receptorMechanisms(net);
  const mapper = createNetworkMapper(built.cell, net, {
    anatomy: createAnatomyCache((p) =>
      readTextInputSync(p, { what: "anatomical realization file" })
    ),
    tStop: spec.tStop,
    random: createNetworkRandom(spec.rng, spec.seed, { math: isfMath(spec.rng) }),
    onWarning: warn,
  });
  let next = 0;
  return realizedEarly(sites, mechanisms, sweepList(spec)[0]!, (sweep) => {
    // The isf generator continues across sweeps: sweeps before a --sweep-range are realized and dropped.
    if (spec.rng === "isf") { while (next < sweep) mapper.realizeSweep(next++); }
    next = sweep + 1;
    return mapper.realizeSweep(sweep);
  });
}

let libmWarned = false;

/**
 * The libm functions for a job's random numbers: the C library's for `--rng isf` (ISF's
 * byte-exact spike times), JavaScript's otherwise or when the library cannot be opened (then a
 * one-time warning says what that costs).
 */
function isfMath(rng: NetworkRandomKind): ElementaryFunctions {
  if (rng !== "isf") return JS_MATH;
  const libm = loadSystemLibm();
  if (libm.ok) return libm.math;
  if (!libmWarned) {
    libmWarned = true;
    console.warn(
      `simrun: warning: ${libm.reason}; --rng isf falls back to JavaScript's Math.log, so about ` +
        "1 in 1,300 spike times may differ from ISF's in the last digit",
    );
  }
  return JS_MATH;
}

/**
 * Prepares a replay job: reads every synapse activation file and replays the first one before the
 * output folder exists (bad files fail early).
 *
 * @param built the cell
 * @param networkParam the parsed network param
 * @param spec paths and the job's activation files
 * @param sites recording sites
 * @returns the prepared network (sweep i = file i)
 */
export async function prepareReplayNetwork(
  built: CreatedCell,
  networkParam: ParamObject,
  spec: Pick<JobSpec, "networkParam" | "pathMap"> & { readonly synapseFiles: readonly string[] },
  sites: readonly RecordingSite[],
): Promise<PreparedNetwork> {
  const net = networkSpec(networkParam, spec);
  const mechanisms = receptorMechanisms(net);
  const files: ActivationFile[] = [];
  for (const f of spec.synapseFiles) {
    files.push(
      parseSynapseActivationFile(await readTextInput(f, { what: "synapse activation file" }), f),
    );
  }
  // ISF draws lognormal weights of a replay from its unseeded global generator; simrun draws them
  // from the default policy's streams for seed 0, so a replay is reproducible.
  const mapper = createReplayMapper(built.cell, net, {
    random: createNetworkRandom("simrun", 0),
    onWarning: warn,
  });
  return realizedEarly(sites, mechanisms, 0, (sweep) => mapper.replayFile(files[sweep]!));
}
