/**
 * Network realization per sweep (spec/algorithm.md §6): anatomical synapses from `.syn`
 * (point snapping, geometric soma distance), presynaptic activity, `.con` connections, weights,
 * release draws and `network_modify_functions`; plus the replay of synapse-activation files
 * (§10). The result is plain data ({@linkcode NetworkRealization}) for the simulator and writers.
 *
 * Pure: files are read through an {@linkcode AnatomyCache} created with a text loader.
 *
 * @module
 */
import type { ActivationFile, ActivationRow } from "../io/mod.ts";
import {
  type ConFile,
  InputValueError,
  InternalError,
  parseCon,
  parseSyn,
  type SynFile,
} from "../io/mod.ts";
import type { Cell } from "../solver/mod.ts";
import { geometricSomaDistance } from "../solver/mod.ts";
import { generateTypeActivity, SPIKE_SOURCES, type TypeActivity } from "./activity.ts";
import type { NetworkSpec, PresynapticTypeSpec, ReceptorSpec } from "./network_param.ts";
import type { NetworkRandom } from "./rng/network_random.ts";

/** One receptor (point process) of an active synapse. */
export interface ActiveReceptor {
  /** Point-process name (`glutamate_syn`, `gaba_syn`). */
  readonly mechanism: string;
  /** NetCon weight vector [nS]. */
  readonly weights: number[];
  /** Point-process parameters. */
  readonly params: Readonly<Record<string, number>>;
  /** NetCon delay [ms], added to every release time. */
  readonly delay: number;
}

/** A synapse with at least one release in this sweep. */
export interface ActiveSynapse {
  /** Presynaptic type name. */
  readonly type: string;
  /** Index within the type (the `.syn` order; renumbered in replays). */
  readonly synapseId: number;
  /** Geometric soma distance (spec/algorithm.md §4.6) [µm]. */
  readonly somaDist: number;
  /** Section ID: index of the section in `.hoc` file order (the `.syn` file's section column). */
  readonly section: number;
  /** Index of the 3-D point the synapse is snapped to. */
  readonly ptId: number;
  /** Placement: relPts[ptId] clamped to the first/last segment centre (spec §6.5) [1]. */
  readonly x: number;
  /** Section label (`Soma`, `Dendrite`, `ApicalDendrite`, …). */
  readonly label: string;
  /** Release times, ascending, without delay [ms]. */
  readonly releaseTimes: Float64Array;
  /** One entry per receptor in the type's `synapses.receptors` (network param), in that order. */
  readonly receptors: ActiveReceptor[];
  /**
   * Key of the synapse's own random stream (`synapseStream`), shared by its receptors as ISF
   * shares one NEURON `Random` (`releaseProb: "dynamic"`): used by receptors whose mechanism
   * draws random numbers (ProbAMPANMDA2, ProbUDFsyn2). Depends only on the seed, the sweep (a
   * replay: the file), the type and the synapse. Undefined when the mapper was created with
   * `synapseStreamKeys: false`.
   */
  readonly randomKey: string | undefined;
}

/** Spike times of one presynaptic cell with at least one spike (a line of the CSV file). */
export interface PresynapticSpikes {
  /** Presynaptic cell type name. */
  readonly type: string;
  /** Index of the cell within its type (0 … cellNr − 1). */
  readonly cellId: number;
  /** Ascending [ms]. */
  readonly spikes: Float64Array;
}

/**
 * Spike times of every cell of one presynaptic type in one sweep, in one buffer (no object per
 * cell; {@linkcode presynapticCells} lists them as records).
 */
export interface TypeSpikes {
  /** Presynaptic cell type name. */
  readonly type: string;
  /** Cell c's spikes are `times[start[c] … start[c + 1])` (one entry per cell, plus one). */
  readonly start: Int32Array;
  /** Spike times of cell 0, then cell 1, …; ascending within a cell (replays: as in the file) [ms]. */
  readonly times: Float64Array;
}

/** Everything one sweep's network contributes. */
export interface NetworkRealization {
  /** Sorted by type name (code-point order), then synapse ID. */
  readonly synapses: ActiveSynapse[];
  /** Every presynaptic type with its cells' spikes, sorted by type name. */
  readonly presynaptic: readonly TypeSpikes[];
}

/**
 * The presynaptic cells of a realization that have at least one spike, one record each (views
 * into the realization's buffers), sorted by type name, then cell ID: what
 * `formatPresynapticSpikes` writes.
 *
 * @param realization a sweep's realization
 * @returns the records
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { presynapticCells } from "./network_mapper.ts";
 * const cells = presynapticCells({ synapses: [], presynaptic: [
 *   { type: "A", start: Int32Array.from([0, 0, 2]), times: Float64Array.from([1.5, 7]) },
 * ] });
 * assert.deepEqual(cells.map((c) => [c.type, c.cellId, Array.from(c.spikes)]), [["A", 1, [1.5, 7]]]);
 * ```
 */
export function presynapticCells(realization: NetworkRealization): PresynapticSpikes[] {
  const out: PresynapticSpikes[] = [];
  for (const t of realization.presynaptic) {
    for (let c = 0; c + 1 < t.start.length; c++) {
      const a = t.start[c], b = t.start[c + 1];
      if (a < b) out.push({ type: t.type, cellId: c, spikes: t.times.subarray(a, b) });
    }
  }
  return out;
}

/** Parsed `.syn`/`.con` files, each parsed once per job. */
export interface AnatomyCache {
  /**
   * Returns the parsed `.syn` file (anatomical synapse positions), parsing it on first use.
   *
   * @param path the file path as given in the network param file (after path mapping)
   * @returns the parsed file
   */
  syn(path: string): SynFile;
  /**
   * Returns the parsed `.con` file (synapse → presynaptic cell connections), parsing it on
   * first use.
   *
   * @param path the file path as given in the network param file (after path mapping)
   * @returns the parsed file
   */
  con(path: string): ConFile;
}

/**
 * Creates an anatomy cache that reads each file once through `loadText`.
 *
 * @param loadText returns a file's text (simrun passes a synchronous file reader)
 * @returns the cache
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAnatomyCache } from "./network_mapper.ts";
 * let reads = 0;
 * const cache = createAnatomyCache(() => (reads++, "A\t0\t0.5\n"));
 * cache.syn("a.syn");
 * cache.syn("a.syn");
 * assert.equal(reads, 1);
 * ```
 */
export function createAnatomyCache(loadText: (path: string) => string): AnatomyCache {
  const syn = new Map<string, SynFile>();
  const con = new Map<string, ConFile>();
  return {
    syn(path) {
      let f = syn.get(path);
      if (f === undefined) syn.set(path, f = parseSyn(loadText(path), path));
      return f;
    },
    con(path) {
      let f = con.get(path);
      if (f === undefined) con.set(path, f = parseCon(loadText(path), path));
      return f;
    },
  };
}

/** Anatomical synapses of one type on the cell (structure of arrays; index = synapse ID). */
interface TypeSynapses {
  readonly section: Int32Array;
  readonly ptId: Int32Array;
  readonly pruned: Uint8Array;
  readonly somaDist: Float64Array;
}

/**
 * The checked `.con` rows of one type, in file order (structure of arrays): row k connects
 * presynaptic cell cellId[k] to synapse synId[k].
 */
interface TypeConnections {
  readonly cellId: Int32Array;
  readonly synId: Int32Array;
}

/** The releases of one synapse in one sweep, before sorting and output. */
interface Releases {
  /** Release times in draw order [ms]. */
  times: number[];
  /** Spike-source code of each release (index into SPIKE_SOURCES). */
  sources: number[];
  /** Per receptor: its NetCon weights [nS]. */
  weights: number[][];
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function typesByName(network: NetworkSpec): Map<string, PresynapticTypeSpec> {
  return new Map(network.types.map((t) => [t.name, t]));
}

/** Index of the 3-D point whose relPts value is closest to x (first of equals). */
export function snapToPoint(relPts: Float64Array, x: number): number {
  let best = 0;
  let min = Math.abs(x - relPts[0]);
  for (let i = 1; i < relPts.length; i++) {
    const d = Math.abs(x - relPts[i]);
    if (d < min) {
      min = d;
      best = i;
    }
  }
  return best;
}

function placementX(cell: Cell, section: number, ptId: number): number {
  const sec = cell.sections[section];
  const x = sec.relPts[ptId];
  const lo = 0.5 / sec.nseg, hi = (sec.nseg - 0.5) / sec.nseg;
  return x < lo ? lo : x > hi ? hi : x;
}

function lognormalWeight(mean: number, random: NetworkRandom, type: string): number {
  const std = mean ** 2;
  const sigma = Math.sqrt(Math.log(1 + std ** 2 / mean ** 2));
  const mu = Math.log(mean) - 0.5 * sigma ** 2;
  return random.release(type).lognormal(mu, sigma);
}

/** Placeholder weight list of a synapse whose weights are filled in after its type's rows. */
const NO_WEIGHTS: number[][] = [];

function assignWeights(
  receptors: readonly ReceptorSpec[],
  into: number[][],
  random: NetworkRandom,
  type: string,
): void {
  for (let r = 0; r < receptors.length; r++) {
    const rec = receptors[r];
    for (const w of rec.weights) into[r].push(rec.lognormal ? lognormalWeight(w, random, type) : w);
  }
}

/** `w` repeated `n` times, in an array of exactly that length. */
function repeated(w: readonly number[], n: number): number[] {
  if (n === 1) return w.slice();
  const out = new Array<number>(n * w.length);
  for (let k = 0; k < out.length; k++) out[k] = w[k % w.length];
  return out;
}

/** Options of {@linkcode createNetworkMapper}. */
export interface NetworkMapperOptions {
  /** Parsed `.syn`/`.con` files (shared by all sweeps of a job). */
  anatomy: AnatomyCache;
  /** Simulation end [ms]; spike trains stop here. */
  tStop: number;
  /** The job's random policy. */
  random: NetworkRandom;
  /**
   * Whether each active synapse gets the key of its random stream (`randomKey`): only receptors
   * that draw random numbers need it. Default: true.
   */
  synapseStreamKeys?: boolean;
  /**
   * Receives one-line warnings about inputs that are accepted but suspect (a `.syn` made for
   * another cell); default: none are reported.
   */
  onWarning?: (message: string) => void;
}

/** The name of a morphology file: its base name without `.hoc`. */
function morphologyName(hocFile: string): string {
  return hocFile.replace(/^.*[\\/]/, "").replace(/\.hoc$/i, "");
}

/**
 * The warning for a `.syn` whose header names another cell than the morphology, or undefined.
 * A name that ends with `_<the other>` counts as the same cell (ISF's headers may prefix the
 * reconstruction's name, e.g. `86_L5_86_L5_CDK…_C2center` for `86_L5_CDK…_C2center.hoc`).
 */
function synCellWarning(file: SynFile, cell: Cell): string | undefined {
  if (file.cell === undefined) return undefined;
  const morph = morphologyName(cell.hocFile);
  const made = file.cell.name;
  if (made === morph || made.endsWith(`_${morph}`) || morph.endsWith(`_${made}`)) return undefined;
  let n = 0;
  for (const rows of file.types.values()) n += rows.length;
  return `${file.file}:${file.cell.line}: made for cell "${made}", but the morphology is ${cell.hocFile}: its ${n} synapse positions (section ID, x) may fall on the wrong sections`;
}

/** Realizes the network of one job, sweep by sweep. */
export interface NetworkMapper {
  /** Realizes sweep `sweep` (isf random policy: in order 0, 1, 2, …). */
  realizeSweep(sweep: number): NetworkRealization;
}

/**
 * Creates the network mapper of one job: anatomical synapses are mapped and the connections
 * checked once (first sweep), activity, weights and releases drawn anew every sweep
 * (spec/algorithm.md §6). After the first sweep the mapper keeps its own compact copy of what
 * it needs from the `.syn`/`.con` files and no longer refers to the anatomy cache.
 *
 * @param cell the postsynaptic cell
 * @param network the validated network
 * @param options anatomy cache, tStop and random policy
 * @returns the mapper
 * @throws {InputValueError} for a section ID outside the cell (`.syn` file:line), an unknown synapse
 *   or cell ID (`.con` file:line)
 */
export function createNetworkMapper(
  cell: Cell,
  network: NetworkSpec,
  options: NetworkMapperOptions,
): NetworkMapper {
  // The closures below must not hold `options`: it refers to the anatomy cache.
  const { tStop, random, onWarning } = options;
  const streamKeys = options.synapseStreamKeys ?? true;
  const typeByName = typesByName(network);
  /** The parsed files: needed in the first sweep only. */
  let anatomy: AnatomyCache | undefined = options.anatomy;
  let synapses: Map<string, TypeSynapses> | undefined;
  /** Per type of the network: its checked connections (null: none in the `.con`). */
  const connections = new Map<string, TypeConnections | null>();

  function files(): AnatomyCache {
    if (anatomy === undefined) {
      throw new InternalError("anatomy files needed after the first sweep");
    }
    return anatomy;
  }

  function mapAnatomy(): Map<string, TypeSynapses> {
    const out = new Map<string, TypeSynapses>();
    const nSec = cell.sections.length;
    const checked = new Set<SynFile>();
    for (const type of network.types) {
      const file = files().syn(type.synapses.distributionFile);
      if (!checked.has(file)) {
        checked.add(file);
        const w = synCellWarning(file, cell);
        if (w !== undefined) onWarning?.(w);
      }
      for (const [name, rows] of file.types) {
        if (out.has(name)) continue;
        const n = rows.length;
        const t: TypeSynapses = {
          section: new Int32Array(n),
          ptId: new Int32Array(n),
          pruned: new Uint8Array(n),
          somaDist: new Float64Array(n),
        };
        for (let i = 0; i < n; i++) {
          const row = rows[i];
          if (!(row.section >= 0 && row.section < nSec)) {
            throw new InputValueError(
              { file: file.file, line: row.line },
              `Synapse ${i} of type "${name}" is on section ${row.section}, but the cell has ${nSec} sections (0..${
                nSec - 1
              })`,
            );
          }
          t.section[i] = row.section;
          t.ptId[i] = snapToPoint(cell.sections[row.section].relPts, row.x);
          t.pruned[i] = row.pruned ? 1 : 0;
          t.somaDist[i] = geometricSomaDistance(cell, row.section, row.x);
        }
        out.set(name, t);
      }
    }
    return out;
  }

  /** The `.con` rows of a type, every cell and synapse ID checked (first sweep). */
  function checkedConnections(type: PresynapticTypeSpec, nSyn: number): TypeConnections | null {
    const con = files().con(type.synapses.connectionFile);
    const rows = con.types.get(type.name);
    if (rows === undefined) return null;
    const n = rows.length;
    const out: TypeConnections = { cellId: new Int32Array(n), synId: new Int32Array(n) };
    for (let k = 0; k < n; k++) {
      const row = rows[k];
      if (!(row.cellId >= 0 && row.cellId < type.cellNr)) {
        throw new InputValueError(
          { file: con.file, line: row.line },
          `Cell ID ${row.cellId} of type "${type.name}" is out of range: cellNr is ${type.cellNr}`,
        );
      }
      if (!(row.synId >= 0 && row.synId < nSyn)) {
        throw new InputValueError(
          { file: con.file, line: row.line },
          `Synapse ID ${row.synId} of type "${type.name}" does not exist: ${type.synapses.distributionFile} has ${nSyn} synapses of that type`,
        );
      }
      out.cellId[k] = row.cellId;
      out.synId[k] = row.synId;
    }
    return out;
  }

  function realizeSweep(sweep: number): NetworkRealization {
    synapses ??= mapAnatomy();
    random.beginSweep(sweep);
    const activity = new Map<string, TypeActivity>();
    for (const type of network.types) {
      activity.set(type.name, generateTypeActivity(type, random, tStop));
    }

    // Per type: synapse ID → release times / source codes / weights.
    const released = new Map<string, Map<number, Releases>>();
    for (const type of network.types) {
      const syns = synapses.get(type.name);
      const nSyn = syns === undefined ? 0 : syns.section.length;
      let conn = connections.get(type.name);
      if (conn === undefined) connections.set(type.name, conn = checkedConnections(type, nSyn));
      if (conn === null) continue;
      const act = activity.get(type.name)!;
      const rp = type.synapses.releaseProb;
      const receptors = type.synapses.receptors;
      // Weights are drawn per .con row (lognormal) in row order. Fixed weights draw nothing, so
      // they are only counted per synapse here and materialized for the released synapses below.
      const drawsWeights = receptors.some((r) => r.lognormal);
      const weightsOf = new Map<number, number[][]>();
      const rowsPerSynapse = drawsWeights ? undefined : new Map<number, number>();
      const active = new Map<number, Releases>();
      released.set(type.name, active);
      const nRows = conn.cellId.length;
      for (let k = 0; k < nRows; k++) {
        const cellId = conn.cellId[k], synId = conn.synId[k];
        let w: number[][] = NO_WEIGHTS;
        if (rowsPerSynapse !== undefined) {
          rowsPerSynapse.set(synId, (rowsPerSynapse.get(synId) ?? 0) + 1);
        } else {
          w = weightsOf.get(synId) ?? NO_WEIGHTS;
          if (w === NO_WEIGHTS) weightsOf.set(synId, w = receptors.map(() => []));
          assignWeights(receptors, w, random, type.name);
        }
        const first = act.start[cellId], end = act.start[cellId + 1];
        if (first === end || syns!.pruned[synId]) continue;
        const times: number[] = [], sources: number[] = [];
        if (typeof rp === "number") {
          const g = random.release(type.name);
          for (let j = first; j < end; j++) {
            if (g.random() < rp) {
              times.push(act.times[j]);
              sources.push(act.sources[j]);
            }
          }
        } else {
          for (let j = first; j < end; j++) {
            times.push(act.times[j]);
            sources.push(act.sources[j]);
          }
        }
        if (times.length === 0) continue;
        active.set(synId, { times, sources, weights: w });
        // ISF seeds a NEURON Random for "dynamic" synapses from one global draw.
        if (rp === "dynamic") random.release(type.name).random();
      }
      // The weight lists live as long as the sweep: exactly as long as needed (a list grown
      // by push() keeps room for 17 or more numbers).
      if (rowsPerSynapse !== undefined) {
        for (const [synId, a] of active) {
          const n = rowsPerSynapse.get(synId)!;
          a.weights = receptors.map((rec) => repeated(rec.weights, n));
        }
      } else {
        for (const a of active.values()) a.weights = a.weights.map((list) => list.slice());
      }
    }
    anatomy = undefined; // every file is now in its compact form above
    applyModifyFunctions(released);

    const out: ActiveSynapse[] = [];
    // Every release time of the sweep in one buffer; each synapse gets a view.
    let total = 0;
    for (const active of released.values()) {
      for (const a of active.values()) total += a.times.length;
    }
    const buffer = new Float64Array(total);
    let at = 0;
    for (const name of [...synapses.keys()].sort(compareNames)) {
      const active = released.get(name);
      if (active === undefined || active.size === 0) continue;
      const syns = synapses.get(name)!;
      const type = typeByName.get(name)!;
      for (const id of [...active.keys()].sort((a, b) => a - b)) {
        const a = active.get(id)!;
        const section = syns.section[id], ptId = syns.ptId[id];
        const releaseTimes = buffer.subarray(at, at += a.times.length);
        releaseTimes.set(a.times);
        releaseTimes.sort();
        out.push({
          type: name,
          synapseId: id,
          somaDist: syns.somaDist[id],
          section,
          ptId,
          x: placementX(cell, section, ptId),
          label: cell.sections[section].label,
          releaseTimes,
          receptors: type.synapses.receptors.map((r, i) => ({
            mechanism: r.mechanism,
            weights: a.weights[i],
            params: r.params,
            delay: r.delay,
          })),
          randomKey: streamKeys ? random.synapseStreamKey(name, id) : undefined,
        });
      }
    }
    const presynaptic: TypeSpikes[] = [];
    for (const name of [...activity.keys()].sort(compareNames)) {
      const { start, times } = activity.get(name)!;
      presynaptic.push({ type: name, start, times });
    }
    return { synapses: out, presynaptic };
  }

  function applyModifyFunctions(
    released: Map<string, Map<number, Releases>>,
  ): void {
    for (const f of network.modifyFunctions) {
      const keep = f.name === "silence_synapses_by_somadist" ? undefined : new Set(f.spikeSources);
      for (const range of f.ranges) {
        const active = released.get(range.type);
        const syns = synapses!.get(range.type);
        if (active === undefined || syns === undefined) continue;
        for (const [id, a] of [...active]) {
          const d = syns.somaDist[id];
          if (!(range.min <= d && d < range.max)) continue;
          if (keep === undefined) {
            active.delete(id);
            continue;
          }
          const times: number[] = [], sources: number[] = [];
          for (let k = 0; k < a.times.length; k++) {
            if (keep.has(SPIKE_SOURCES[a.sources[k]])) {
              times.push(a.times[k]);
              sources.push(a.sources[k]);
            }
          }
          if (times.length === 0) active.delete(id);
          else active.set(id, { times, sources, weights: a.weights });
        }
      }
    }
  }

  return { realizeSweep };
}

/** Options of {@linkcode createReplayMapper}. */
export interface ReplayMapperOptions {
  /**
   * Random policy for lognormal weights (ISF draws them unseeded); only used when a receptor
   * has `weightDistribution: "lognormal"`. `beginSweep(fileIndex)` is called per file.
   */
  random?: NetworkRandom;
  /**
   * Whether each synapse gets the key of its random stream (`randomKey`): only receptors that
   * draw random numbers need it. Default: true.
   */
  synapseStreamKeys?: boolean;
  /**
   * Receives one-line warnings (a file whose rows name other section labels than the cell's:
   * it was recorded on another morphology); default: none are reported.
   */
  onWarning?: (message: string) => void;
}

/** Replays synapse-activation files one after another (one sweep each). */
export interface ReplayMapper {
  /** Realization of the next file (sweep 0, 1, …). */
  replayFile(file: ActivationFile): NetworkRealization;
}

/**
 * Creates the replay mapper of one job (spec/algorithm.md §10): every row becomes one synapse at
 * (section, ptId) with x = relPts[ptId], released at all of its times (forced release), weights,
 * parameters and delay from the network param, and one presynaptic "cell" per row. ISF quirk
 * kept: synapse IDs keep counting across the files of a job (synapses accumulate on the cell).
 *
 * @param cell the postsynaptic cell
 * @param network the validated network (receptors per type)
 * @param options random policy for lognormal weights
 * @returns the replay mapper
 * @throws {InputValueError} for an unknown type, section or point (file:line of the row)
 */
export function createReplayMapper(
  cell: Cell,
  network: NetworkSpec,
  options: ReplayMapperOptions = {},
): ReplayMapper {
  const created = new Map<string, number>();
  const typeByName = typesByName(network);
  let sweep = 0;

  function replayFile(file: ActivationFile): NetworkRealization {
    const random = options.random;
    random?.beginSweep(sweep);
    sweep++;
    const perType = new Map<string, ActivationRow[]>();
    for (const row of file.rows) {
      let list = perType.get(row.type);
      if (list === undefined) perType.set(row.type, list = []);
      list.push(row);
    }
    const synapses: ActiveSynapse[] = [];
    const presynaptic: TypeSpikes[] = [];
    const streamKeys = options.synapseStreamKeys ?? true;
    let otherLabel = 0;
    let firstOther: { row: ActivationRow; label: string } | undefined;
    for (const [name, rows] of perType) {
      const type = typeByName.get(name);
      if (type === undefined) {
        throw new InputValueError(
          { file: file.file, line: rows[0].line },
          `Synapse type "${name}" is not in the network parameter file ${network.file}`,
        );
      }
      const receptors = type.synapses.receptors;
      const drawsWeights = receptors.some((r) => r.lognormal);
      const base = created.get(name) ?? 0;
      created.set(name, base + rows.length);
      // One presynaptic "cell" per row (cell ID = the row's index within its type).
      const start = new Int32Array(rows.length + 1);
      for (let i = 0; i < rows.length; i++) start[i + 1] = start[i] + rows[i].times.length;
      const times = new Float64Array(start[rows.length]);
      for (let i = 0; i < rows.length; i++) times.set(rows[i].times, start[i]);
      presynaptic.push({ type: name, start, times });
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        const sec = cell.sections[row.section];
        if (sec === undefined) {
          throw new InputValueError(
            { file: file.file, line: row.line },
            `Section ${row.section} does not exist: the cell has ${cell.sections.length} sections`,
          );
        }
        if (!(row.ptId >= 0 && row.ptId < sec.relPts.length)) {
          throw new InputValueError(
            { file: file.file, line: row.line },
            `Point ${row.ptId} does not exist on section ${row.section} (${sec.relPts.length} points)`,
          );
        }
        if (row.label !== sec.label) {
          otherLabel++;
          if (firstOther === undefined || row.line < firstOther.row.line) {
            firstOther = { row, label: sec.label };
          }
        }
        if (row.times.length === 0) continue;
        if (drawsWeights && random === undefined) {
          throw new InputValueError(
            type.synapses.location,
            `Replaying type "${name}" with lognormal weights needs a random policy`,
          );
        }
        const weights = receptors.map(() => [] as number[]);
        assignWeights(receptors, weights, random!, name);
        const x = sec.relPts[row.ptId];
        synapses.push({
          type: name,
          synapseId: base + i,
          somaDist: geometricSomaDistance(cell, row.section, x),
          section: row.section,
          ptId: row.ptId,
          x: placementX(cell, row.section, row.ptId),
          label: sec.label,
          releaseTimes: Float64Array.from(row.times).sort(),
          receptors: receptors.map((r, k) => ({
            mechanism: r.mechanism,
            weights: weights[k],
            params: r.params,
            delay: r.delay,
          })),
          // The file and the row: the same for any split of the files over jobs.
          randomKey: streamKeys ? `replay/${file.file}/${name}/${i}` : undefined,
        });
      }
    }
    if (firstOther !== undefined) {
      const { row, label } = firstOther;
      options.onWarning?.(
        `${file.file}: ${otherLabel} of ${file.rows.length} synapses are on sections whose label differs from the file's "dendrite label" (first at line ${row.line}: section ${row.section} is ${label} in ${cell.hocFile}, the file says ${row.label}); the file may have been made on another morphology`,
      );
    }
    synapses.sort((a, b) => compareNames(a.type, b.type) || a.synapseId - b.synapseId);
    presynaptic.sort((a, b) => compareNames(a.type, b.type));
    return { synapses, presynaptic };
  }

  return { replayFile };
}
