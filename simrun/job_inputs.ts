/**
 * Job-input preparation, the one place where a job's inputs are read and checked (ISF §3 steps
 * 2–3 and everything that can be checked before the first sweep): the cell (described, built,
 * cell-modify functions applied), the model (prepared once: settings, point processes), the
 * recording sites (read and resolved), the network param, the receptors and their parameters,
 * and the first sweep's network (realized, or replayed, at once). Anything wrong here is an
 * input error before the job's folder exists.
 *
 * @module
 */
import {
  type ActivationFile,
  formatParamJson,
  formatPresynapticSpikes,
  formatSynapseActivations,
  type InputLocation,
  InputValueError,
  joinKeyPath,
  type ParamObject,
  parseSynapseActivationFile,
  readLandmarkFile,
  readParamFile,
  readTextInput,
  readTextInputSync,
  resolveInputPath,
} from "../io/mod.ts";
import {
  type ActiveSynapse,
  createAnatomyCache,
  createNetworkMapper,
  createNetworkRandom,
  createReplayMapper,
  type ElementaryFunctions,
  JS_MATH,
  loadSeedrandom,
  type NetworkRandomKind,
  type NetworkRealization,
  type NetworkSpec,
  presynapticCells,
  readNetworkSpec,
} from "../network/mod.ts";
import { type UserPluginOptions, userPluginResolver } from "../plugins/mod.ts";
import {
  checkPointParameters,
  DEFAULT_SOLVER_SETTINGS,
  landmarkBasename,
  type ModelSettings,
  type PointMechanism,
  type PreparedModel,
  prepareModel,
  type Probe,
  type RecordingSite,
  recordingSites,
  resolveProbes,
  unavailableMechanism,
} from "../solver/mod.ts";
import { createCell, type CreatedCell, modelSettings } from "./create_cell.ts";
import {
  type JobSettings,
  type JobSpec,
  type PluginSettings,
  type ReplayJobSpec,
  sweepList,
} from "./job_spec.ts";
import {
  type JobMechanisms,
  paramMechanismFolders,
  usedMechanisms,
  warnUnusedFailures,
} from "./job_mechanisms.ts";
import { loadSystemLibm } from "./system_libm.ts";
import { warn } from "./warnings.ts";

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
  /** Receptor name → point mechanism, for every receptor of the network. */
  readonly mechanisms: Readonly<Record<string, PointMechanism>>;
  /** Realizes sweep `sweep` (isf generator: sweeps must come in increasing order). */
  realize(sweep: number): SweepNetwork;
}

/** The cell side of a job, prepared before anything is written. */
export interface PreparedCell {
  /** The built cell and its param. */
  readonly built: CreatedCell;
  /** The model settings (the run's tStop, the param's protocol, the solver settings). */
  readonly settings: ModelSettings;
  /** The prepared model (the job thread's; sweep workers prepare their own copy). */
  readonly model: PreparedModel;
  /** The recording sites of `sim.recordingSites`, in order. */
  readonly recordSites: readonly RecordingSite[];
  /** Their probes (validated against the model). */
  readonly probes: readonly Probe[];
  /** The network param as read (saved verbatim). */
  readonly networkParam: ParamObject;
}

/**
 * Everything one job needs before its folder is created. The network param is kept as the text
 * the job saves: its parsed tree (about 3 MB for ISF's example) is dropped once the network is
 * prepared.
 */
export interface PreparedJob extends Omit<PreparedCell, "networkParam"> {
  /** The network param as the job saves it (`formatParamJson` of it as read). */
  readonly networkParamJson: string;
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
}

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

/** Where a job's tStop comes from: the `--tstop` option (ISF's `tStop` argument). */
const TSTOP_SOURCE: InputLocation = { file: "--tstop", key: "tStop" };

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
 * Reads, builds and prepares the cell side of a job and reads the network param: the cell
 * (cell-modify plugins run in their sandbox), the model for the run's tStop and the solver
 * settings, the recording sites and their probes.
 *
 * @param spec cell/network paths, path map, tStop, solver settings, plugin sandbox
 * @returns the prepared cell side
 * @throws InputSyntaxError / InputValueError for any bad input (nothing is written yet)
 */
export async function prepareCell(
  spec:
    & Pick<JobSpec, "cellParam" | "networkParam" | "pathMap">
    & Pick<
      JobSettings,
      "tStop" | "solver" | "pluginRead" | "pluginTimeLimitMs" | "mechanismFolders"
    >,
): Promise<PreparedCell> {
  // The network param first: its NMODL_mechanisms folders are loaded with the cell param's.
  const networkParam = await readParamFile(spec.networkParam);
  // A `cell_modify_functions` key that is a path runs that user plugin in its sandbox.
  const built = await createCell(spec.cellParam, {
    pathMap: spec.pathMap,
    cellModify: { resolvePlugin: userPluginResolver(pluginOptions(spec)) },
    networkMechanismFolders: paramMechanismFolders(networkParam, spec.networkParam, spec.pathMap),
    ...(spec.mechanismFolders !== undefined ? { mechanismFolders: spec.mechanismFolders } : {}),
  });
  const settings = modelSettings(built, spec.solver ?? DEFAULT_SOLVER_SETTINGS, {
    tStop: { value: spec.tStop, where: TSTOP_SOURCE },
  });
  const model = prepareModel(built.cell, settings, { catalogue: built.mechanisms.catalogue });
  const recordSites = await loadRecordingSites(built);
  const probes = resolveProbes(
    model,
    recordSites.map((s) => ({
      section: s.section,
      x: s.x,
      where: { file: spec.cellParam, key: "sim.recordingSites" },
    })),
  );
  return { built, settings, model, recordSites, probes, networkParam };
}

/**
 * The cell side, then the network side from it ({@link prepareCell}, then `network`), with the
 * network param kept only as the text the job saves: the parsed tree is not referenced once this
 * returns, so it does not stay alive for the whole job.
 *
 * @param spec the job's inputs and settings (as for {@link prepareCell})
 * @param network prepares the network from the cell side
 * @returns the job's inputs but its naming and sweeps
 * @throws InputSyntaxError / InputValueError for any bad input (nothing is written yet)
 */
export async function prepareJobSides(
  spec: Parameters<typeof prepareCell>[0],
  network: (cell: PreparedCell) => Promise<PreparedNetwork>,
): Promise<Omit<PreparedJob, "uniqueId" | "sweeps" | "sweepFilePrefix" | "startFiles">> {
  const { networkParam, ...cell } = await prepareCell(spec);
  const net = await network({ ...cell, networkParam });
  return { ...cell, net, networkParamJson: formatParamJson(networkParam) };
}

/** Reads the network param's types with `.syn`/`.con` paths resolved (relative to the param file, then the path map). */
function networkSpec(
  networkParam: ParamObject,
  spec: Pick<JobSpec, "networkParam" | "pathMap">,
): NetworkSpec {
  // Every cell type names the same .syn and .con files in ISF's networks: each path is looked
  // up once (a path that is not found throws at its first reference, as before).
  const found = new Map<string, string>();
  return readNetworkSpec(networkParam, {
    resolvePath: (p, at) => {
      let local = found.get(p);
      if (local === undefined) {
        local = resolveInputPath(p, {
          map: spec.pathMap,
          file: spec.networkParam,
          ...(at.line !== undefined ? { line: at.line } : {}),
          ...(at.key !== undefined ? { key: at.key } : {}),
          what: "anatomical realization file",
        });
        found.set(p, local);
      }
      return local;
    },
  });
}

/** Whether a receptor mechanism draws from its synapse's random stream (`randomStreams`). */
function drawsRandomStreams(mechanisms: Record<string, PointMechanism>): boolean {
  return Object.values(mechanisms).some((m) => m.randomStreams === true);
}

/**
 * The point mechanisms of every receptor in the network (the job's receptor catalogue: built-in
 * synapses and compiled point processes), with their parameters checked (known names, physical
 * ranges, the mechanism's constraints); unknown names are input errors, a name whose `.mod` file
 * failed to compile reports that file's error. Warns once about files that failed and that
 * neither the cell nor the network uses.
 */
function receptorMechanisms(net: NetworkSpec, built: CreatedCell): Record<string, PointMechanism> {
  const mechanisms: JobMechanisms = built.mechanisms;
  const byName = new Map(mechanisms.synapses.map((m) => [m.name, m]));
  const out: Record<string, PointMechanism> = {};
  for (const t of net.types) {
    for (const r of t.synapses.receptors) {
      const key = joinKeyPath(joinKeyPath(`network.${t.name}.synapses`, "receptors"), r.mechanism);
      const m = byName.get(r.mechanism);
      if (m === undefined) {
        const where = { ...t.synapses.location, key };
        const failed = unavailableMechanism(mechanisms.catalogue, r.mechanism, where);
        if (failed !== undefined) throw failed;
        throw new InputValueError(
          where,
          `Unknown receptor "${r.mechanism}" in "${t.name}": known are ${
            [...byName.keys()].join(", ")
          } (a receptor of your own: its .mod file's folder in NMODL_mechanisms or --mechanisms)`,
        );
      }
      checkPointParameters(m, r.params, {
        where: { ...t.synapses.location, key: joinKeyPath(key, "parameter") },
      });
      out[r.mechanism] = m;
    }
  }
  warnUnusedFailures(mechanisms, usedMechanisms(built.cell, Object.keys(out)));
  return out;
}

/**
 * A prepared network that realizes sweep `first` at once, so that every problem of the network
 * inputs shows before the output folder exists; `realize(first)` then returns that realization.
 */
function realizedEarly(
  mechanisms: Readonly<Record<string, PointMechanism>>,
  first: number,
  realizeSweep: (sweep: number) => NetworkRealization,
): PreparedNetwork {
  let pending: NetworkRealization | undefined = realizeSweep(first);
  return {
    mechanisms,
    realize(sweep) {
      const r = pending !== undefined && sweep === first ? pending : realizeSweep(sweep);
      pending = undefined;
      return {
        synapses: r.synapses,
        synapsesCsv: () => formatSynapseActivations(r.synapses),
        presynapticCsv: () => formatPresynapticSpikes(presynapticCells(r)),
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
 * @returns the prepared network
 */
export async function prepareNetwork(
  built: CreatedCell,
  networkParam: ParamObject,
  spec: Pick<
    JobSpec,
    "networkParam" | "pathMap" | "tStop" | "seed" | "rng" | "nSweeps" | "sweepRange"
  >,
): Promise<PreparedNetwork> {
  const net = networkSpec(networkParam, spec);
  const mechanisms = receptorMechanisms(net, built);
  const streams = drawsRandomStreams(mechanisms);
  if (spec.rng === "simrun" || streams) await loadSeedrandom();
  const mapper = createNetworkMapper(built.cell, net, {
    anatomy: createAnatomyCache((p) =>
      readTextInputSync(p, { what: "anatomical realization file" })
    ),
    tStop: spec.tStop,
    random: createNetworkRandom(spec.rng, spec.seed, { math: isfMath(spec.rng) }),
    synapseStreamKeys: streams,
    onWarning: warn,
  });
  let next = 0;
  return realizedEarly(mechanisms, sweepList(spec)[0]!, (sweep) => {
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
 * Prepares a replay job's network: reads every synapse activation file and replays the first
 * one before the output folder exists (bad files fail early).
 *
 * @param built the cell
 * @param networkParam the parsed network param
 * @param spec paths and the job's activation files
 * @returns the prepared network (sweep i = file i)
 */
export async function prepareReplayNetwork(
  built: CreatedCell,
  networkParam: ParamObject,
  spec: Pick<ReplayJobSpec, "networkParam" | "pathMap" | "synapseFiles">,
): Promise<PreparedNetwork> {
  const net = networkSpec(networkParam, spec);
  const mechanisms = receptorMechanisms(net, built);
  // seedrandom (CommonJS: it loads Deno's Node layer, about 5 MiB and 30 ms) only for a replay
  // that draws: lognormal weights or stochastic receptors.
  const streams = drawsRandomStreams(mechanisms);
  if (streams || net.types.some((t) => t.synapses.receptors.some((r) => r.lognormal))) {
    await loadSeedrandom();
  }
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
    synapseStreamKeys: streams,
    onWarning: warn,
  });
  return realizedEarly(mechanisms, 0, (sweep) => mapper.replayFile(files[sweep]!));
}
