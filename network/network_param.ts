/**
 * Validates a parsed network `.param` (spec/formats.md §3) and converts it into typed records:
 * presynaptic types in file order with their activity sources, synapse and receptor settings,
 * and the optional `network_modify_functions` (spec/algorithm.md §6.6).
 *
 * @module
 */
import {
  describeParamValue,
  getArray,
  getInteger,
  getNumber,
  getNumberArray,
  getObject,
  getOptionalNumber,
  getOptionalObject,
  getOptionalString,
  getString,
  type InputLocation,
  InputValueError,
  isParamObject,
  joinKeyPath,
  paramLocation,
  type ParamObject,
  type ParamValue,
} from "../io/mod.ts";

/** `celltype: "spiketrain"` (or its dict entry): a Poisson-like train per cell (formats §3.3). */
export interface SpikeTrainSource {
  /** Discriminant: a `spiketrain` source. */
  readonly kind: "spiketrain";
  /** Mean inter-spike interval (`interval`; rate = 1000/interval Hz) [ms]. */
  readonly interval: number;
  /** `noise`: 1 = Poisson, 0 = regular (default 1) [1]. */
  readonly noise: number;
  /** `start`: time the train begins (default 0; defaults together with `noise`) [ms]. */
  readonly start: number;
  /** Fixed spike count, or undefined (stop at tStop). */
  readonly nspikes: number | undefined;
}

/**
 * A `pointcell` distribution (formats §3.2; generation: algorithm.md §6.3); times in ms,
 * rates in Hz. Discriminated by `distribution`; a missing `distribution` key reads as `normal`.
 */
export type PointcellDistribution =
  | {
    /** Per bin, each cell spikes with the bin's probability, at a uniform time in the bin. */
    readonly distribution: "PSTH";
    /** `intervals`: bins [tBegin, tEnd], relative to `offset` [ms]. */
    readonly intervals: readonly (readonly [number, number])[];
    /** `probabilities`: per-bin spike probability of each cell (negative: never) [1]. */
    readonly probabilities: readonly number[];
    /** `offset`: added to every bin [ms]. */
    readonly offset: number;
  }
  | {
    /** Per bin, a fixed number of distinct cells spike, at uniform times in the bin. */
    readonly distribution: "PSTH_absolute_number";
    /** `intervals`: bins [tBegin, tEnd], relative to `offset` [ms]. */
    readonly intervals: readonly (readonly [number, number])[];
    /** `number_active_synapses`: number of cells that spike in each bin. */
    readonly numberActive: readonly number[];
    /** `offset`: added to every bin [ms]. */
    readonly offset: number;
  }
  | {
    /** Deprecated: a Poisson train per cell and bin at the bin's rate. */
    readonly distribution: "PSTH_poissontrain";
    /**
     * `intervals`: bins [tBegin, tEnd] (absolute; `offset` is not applied); tEnd ≥ tBegin
     * wherever the rate is nonzero (checked here) [ms].
     */
    readonly intervals: readonly (readonly [number, number])[];
    /** `rates`: Poisson rate per bin (0 skips the bin) [Hz]. */
    readonly rates: readonly number[];
    /** `offset`: read but unused by ISF [ms]. */
    readonly offset: number;
  }
  | {
    /** An inhomogeneous Poisson process per cell with a piecewise-constant rate. */
    readonly distribution: "PSTH_poissontrain_v2";
    /** `bins`: bin edges B₀ … Bₙ (n + 1 values) [ms]. */
    readonly bins: readonly number[];
    /** `rates`: rate in each of the n bins [Hz]. */
    readonly rates: readonly number[];
    /** `offset`: read but unused by ISF [ms]. */
    readonly offset: number;
  }
  | {
    /** A Poisson process whose rate is sinusoidally modulated after `offset`. */
    readonly distribution: "poissontrain_modulated";
    /** `rate_before_t_offset`: rate of the first bin (before `offset`) [Hz]. */
    readonly rateBeforeOffset: number;
    /** `mean_rate`: mean of the modulated rate [Hz]. */
    readonly meanRate: number;
    /** `max_modulation`: relative modulation depth M of the rate [1]. */
    readonly maxModulation: number;
    /** `modulation_frequency`: frequency of the sinusoid [Hz]. */
    readonly modulationFrequency: number;
    /** `bin_size`: width of the piecewise-constant rate bins [ms]. */
    readonly binSize: number;
    /** `phase_distribution`: `uniform` (on [0, 2π)), `normal`, or anything else (phase 0). */
    readonly phaseDistribution: string;
    /** `mean_phase`: mean of the normal phase distribution [rad]. */
    readonly meanPhase: number;
    /** `std_phase`: standard deviation of the normal phase distribution [rad]. */
    readonly stdPhase: number;
    /** `offset`: time the modulation starts [ms]. */
    readonly offset: number;
  }
  | {
    /** Legacy: one normally distributed spike per active cell. */
    readonly distribution: "normal";
    /** `activeFrac`: probability that a cell is active [1]. */
    readonly activeFrac: number;
    /** `spikeT`: mean spike time, relative to `offset` [ms]. */
    readonly spikeT: number;
    /** `spikeWidth`: standard deviation of the spike time [ms]. */
    readonly spikeWidth: number;
    /** `offset`: added to every spike time (default 10) [ms]. */
    readonly offset: number;
  }
  | {
    /** Legacy: one uniformly distributed spike per active cell. */
    readonly distribution: "uniform";
    /** `activeFrac`: probability that a cell is active [1]. */
    readonly activeFrac: number;
    /** `window`: width of the uniform spike-time window after `offset` [ms]. */
    readonly window: number;
    /** `offset`: start of the window [ms]. */
    readonly offset: number;
  }
  | {
    /** Legacy: one lognormally distributed spike per active cell. */
    readonly distribution: "lognormal";
    /** `activeFrac`: probability that a cell is active [1]. */
    readonly activeFrac: number;
    /** `mu`: mean of the underlying normal (spike time − offset ~ lognormal(mu, sigma)). */
    readonly mu: number;
    /** `sigma`: standard deviation of the underlying normal. */
    readonly sigma: number;
    /** `offset`: added to every spike time [ms]. */
    readonly offset: number;
  };

/** `celltype: "pointcell"` (or its dict entry). */
export interface PointcellSource {
  /** Discriminant: a `pointcell` source. */
  readonly kind: "pointcell";
  /** The distribution and its keys. */
  readonly dist: PointcellDistribution;
}

/** One activity source of a presynaptic type, in `celltype` order. */
export type ActivitySource = SpikeTrainSource | PointcellSource;

/** One receptor (point process) created at every activated synapse of a type. */
export interface ReceptorSpec {
  /** Point-process name (`glutamate_syn`, `gaba_syn`). */
  readonly mechanism: string;
  /** NetCon weight vector entries [nS] (a scalar weight gives one entry). */
  readonly weights: readonly number[];
  /** `weightDistribution: "lognormal"`: each entry is the mean of a lognormal draw. */
  readonly lognormal: boolean;
  /** NetCon threshold (default 0; irrelevant for the artificial spike sources used) [mV]. */
  readonly threshold: number;
  /** NetCon delay [ms]. */
  readonly delay: number;
  /** Point-process parameters by name. */
  readonly params: Readonly<Record<string, number>>;
}

/** `synapses` block of a type. */
export interface SynapseSpec {
  /** Release probability [1]; undefined (missing) or "dynamic": every spike releases. */
  readonly releaseProb: number | "dynamic" | undefined;
  /** `.syn` path (after path resolution). */
  readonly distributionFile: string;
  /** `.con` path (after path resolution). */
  readonly connectionFile: string;
  /** `receptors`, in file order: one point process of each is created per activated synapse. */
  readonly receptors: readonly ReceptorSpec[];
  /** Where the `synapses` block is in the network param file (for error messages). */
  readonly location: InputLocation;
}

/** One presynaptic cell type. */
export interface PresynapticTypeSpec {
  /** Type name (`<cellClass>_<column>`, e.g. `L5tt_C2`): the key in the `network` block. */
  readonly name: string;
  /** `cellNr`: number of presynaptic cells of this type (IDs 0 … cellNr − 1). */
  readonly cellNr: number;
  /** Activity sources in order; empty for an unknown `celltype` string (ISF: no activity). */
  readonly sources: readonly ActivitySource[];
  /** The type's `synapses` block. */
  readonly synapses: SynapseSpec;
  /** Where the type block is in the network param file (for error messages). */
  readonly location: InputLocation;
}

/** A `network_modify_functions` entry (spec/algorithm.md §6.6). */
export type NetworkModifyFunction =
  | {
    readonly name: "silence_synapses_by_somadist";
    /** type → [min, max) geometric soma distance [µm], in file order. */
    readonly ranges: readonly { type: string; min: number; max: number }[];
  }
  | {
    readonly name: "silence_synapses_by_somadist_and_spike_source";
    /** type → [min, max) geometric soma distance [µm], in file order. */
    readonly ranges: readonly { type: string; min: number; max: number }[];
    /** Spike sources whose release times are kept (`poissontrain`, `pointcell_PSTH`, …). */
    readonly spikeSources: readonly string[];
  };

/** A validated network parameter set. */
export interface NetworkSpec {
  /** Path of the network param file (for error messages). */
  readonly file: string;
  /** Types in file order (without `network_modify_functions`). */
  readonly types: readonly PresynapticTypeSpec[];
  /** `network_modify_functions` entries in file order (applied after mapping); empty if none. */
  readonly modifyFunctions: readonly NetworkModifyFunction[];
}

/** Options of {@linkcode readNetworkSpec}. */
export interface ReadNetworkSpecOptions {
  /**
   * Maps a referenced path (`.syn`, `.con`) to the one to open (path map); default identity.
   * `at` is where the path is written (file, line, dotted key), for its error message.
   */
  resolvePath?: (path: string, at: InputLocation) => string;
}

function fail(
  obj: ParamObject | ParamValue[],
  key: string | number | undefined,
  keyPath: string,
  msg: string,
): never {
  throw new InputValueError(paramLocation(obj, key, keyPath), msg);
}

function has(obj: ParamObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function readIntervals(obj: ParamObject, key: string, path: string): [number, number][] {
  const arr = getArray(obj, key, path);
  const out: [number, number][] = [];
  const p = joinKeyPath(path, key);
  for (let i = 0; i < arr.length; i++) {
    const pair = getNumberArray(arr, i, p);
    if (pair.length !== 2) {
      fail(
        arr,
        i,
        p,
        `Cannot read "${p}[${i}]": expected a pair (tBegin, tEnd), got a list of ${pair.length}`,
      );
    }
    out.push([pair[0], pair[1]]);
  }
  return out;
}

function sameLength(
  obj: ParamObject,
  path: string,
  a: string,
  b: string,
  la: number,
  lb: number,
): void {
  if (la !== lb) {
    fail(obj, b, path, `"${a}" and "${b}" of "${path}" have unequal length (${la} and ${lb})`);
  }
}

function readPointcell(obj: ParamObject, path: string): PointcellSource {
  const dist = getOptionalString(obj, "distribution", path) ?? "normal";
  const num = (k: string) => getNumber(obj, k, path);
  let d: PointcellDistribution;
  switch (dist) {
    case "PSTH": {
      const intervals = readIntervals(obj, "intervals", path);
      const probabilities = getNumberArray(obj, "probabilities", path);
      sameLength(obj, path, "intervals", "probabilities", intervals.length, probabilities.length);
      d = { distribution: dist, intervals, probabilities, offset: num("offset") };
      break;
    }
    case "PSTH_absolute_number": {
      const intervals = readIntervals(obj, "intervals", path);
      const arr = getArray(obj, "number_active_synapses", path);
      const numberActive = arr.map((_, i) =>
        getInteger(arr, i, joinKeyPath(path, "number_active_synapses"))
      );
      sameLength(
        obj,
        path,
        "intervals",
        "number_active_synapses",
        intervals.length,
        numberActive.length,
      );
      for (let i = 0; i < numberActive.length; i++) {
        if (numberActive[i] < 0) {
          const p = joinKeyPath(path, "number_active_synapses");
          fail(arr, i, p, `"${p}[${i}]" must not be negative, got ${numberActive[i]}`);
        }
      }
      d = { distribution: dist, intervals, numberActive, offset: num("offset") };
      break;
    }
    case "PSTH_poissontrain": {
      const intervals = readIntervals(obj, "intervals", path);
      const rates = getNumberArray(obj, "rates", path);
      sameLength(obj, path, "intervals", "rates", intervals.length, rates.length);
      for (let i = 0; i < intervals.length; i++) {
        if (rates[i] !== 0 && intervals[i][1] < intervals[i][0]) {
          fail(obj, "intervals", path, `interval ${i} of "${path}" ends before it begins`);
        }
      }
      d = { distribution: dist, intervals, rates, offset: num("offset") };
      break;
    }
    case "PSTH_poissontrain_v2": {
      const bins = getNumberArray(obj, "bins", path);
      const rates = getNumberArray(obj, "rates", path);
      if (bins.length !== rates.length + 1 || rates.length === 0) {
        fail(
          obj,
          "bins",
          path,
          `"bins" of "${path}" must have one more entry than "rates" (got ${bins.length} and ${rates.length})`,
        );
      }
      d = { distribution: dist, bins, rates, offset: num("offset") };
      break;
    }
    case "poissontrain_modulated": {
      const phaseDistribution = getString(obj, "phase_distribution", path);
      const normal = phaseDistribution === "normal";
      const binSize = num("bin_size");
      if (!(binSize > 0)) {
        fail(obj, "bin_size", path, `"bin_size" of "${path}" must be positive, got ${binSize}`);
      }
      d = {
        distribution: dist,
        rateBeforeOffset: num("rate_before_t_offset"),
        meanRate: num("mean_rate"),
        maxModulation: num("max_modulation"),
        modulationFrequency: num("modulation_frequency"),
        binSize,
        phaseDistribution,
        meanPhase: normal ? num("mean_phase") : 0,
        stdPhase: normal ? num("std_phase") : 0,
        offset: num("offset"),
      };
      break;
    }
    case "normal":
      d = {
        distribution: dist,
        activeFrac: num("activeFrac"),
        spikeT: num("spikeT"),
        spikeWidth: num("spikeWidth"),
        offset: getOptionalNumber(obj, "offset", path) ?? 10.0,
      };
      break;
    case "uniform":
      d = {
        distribution: dist,
        activeFrac: num("activeFrac"),
        window: num("window"),
        offset: num("offset"),
      };
      break;
    case "lognormal":
      d = {
        distribution: dist,
        activeFrac: num("activeFrac"),
        mu: num("mu"),
        sigma: num("sigma"),
        offset: num("offset"),
      };
      break;
    default:
      fail(obj, "distribution", path, `Unknown spike time distribution "${dist}" in "${path}"`);
  }
  return { kind: "pointcell", dist: d };
}

function readSpikeTrain(obj: ParamObject, path: string): SpikeTrainSource {
  const interval = getNumber(obj, "interval", path);
  // ISF HEAD reads noise and start in one try-block: a missing noise leaves both at their defaults.
  let noise = 1.0, start = 0.0;
  if (has(obj, "noise")) {
    noise = getNumber(obj, "noise", path);
    if (has(obj, "start")) start = getNumber(obj, "start", path);
  }
  const nspikes = has(obj, "nspikes") ? getInteger(obj, "nspikes", path) : undefined;
  if (nspikes === undefined && noise !== 0 && !(interval > 0)) {
    fail(obj, "interval", path, `"interval" of "${path}" must be positive, got ${interval}`);
  }
  return { kind: "spiketrain", interval, noise, start, nspikes };
}

function readReceptor(obj: ParamObject, name: string, path: string): ReceptorSpec {
  const w = obj.weight;
  let weights: number[];
  if (Array.isArray(w)) weights = getNumberArray(obj, "weight", path);
  else weights = [getNumber(obj, "weight", path)];
  const wd = getOptionalString(obj, "weightDistribution", path);
  if (wd !== undefined && wd !== "lognormal") {
    fail(
      obj,
      "weightDistribution",
      path,
      `Synaptic weight distribution "${wd}" is not implemented (only "lognormal")`,
    );
  }
  const params: Record<string, number> = {};
  const p = getOptionalObject(obj, "parameter", path);
  if (p !== undefined) {
    const pp = joinKeyPath(path, "parameter");
    for (const k of Object.keys(p)) params[k] = getNumber(p, k, pp);
  }
  return {
    mechanism: name,
    weights,
    lognormal: wd !== undefined,
    threshold: getOptionalNumber(obj, "threshold", path) ?? 0.0,
    delay: getNumber(obj, "delay", path),
    params,
  };
}

function readSynapses(
  obj: ParamObject,
  path: string,
  resolve: (p: string, at: InputLocation) => string,
): SynapseSpec {
  let releaseProb: number | "dynamic" | undefined;
  if (has(obj, "releaseProb")) {
    const v = obj.releaseProb;
    if (v === "dynamic") releaseProb = "dynamic";
    else if (typeof v === "number") releaseProb = v;
    else {fail(
        obj,
        "releaseProb",
        path,
        `Cannot read "releaseProb" in "${path}": expected a number or "dynamic", got ${
          describeParamValue(v)
        }`,
      );}
  }
  const rec = getObject(obj, "receptors", path);
  const rp = joinKeyPath(path, "receptors");
  const receptors = Object.keys(rec).map((k) =>
    readReceptor(getObject(rec, k, rp), k, joinKeyPath(rp, k))
  );
  return {
    releaseProb,
    distributionFile: resolve(
      getString(obj, "distributionFile", path),
      paramLocation(obj, "distributionFile", path),
    ),
    connectionFile: resolve(
      getString(obj, "connectionFile", path),
      paramLocation(obj, "connectionFile", path),
    ),
    receptors,
    location: paramLocation(obj, undefined, path),
  };
}

function readType(
  block: ParamObject,
  name: string,
  path: string,
  resolve: (p: string, at: InputLocation) => string,
): PresynapticTypeSpec {
  const cellNr = getInteger(block, "cellNr", path);
  if (cellNr < 0) {
    fail(block, "cellNr", path, `"cellNr" of "${path}" must not be negative, got ${cellNr}`);
  }
  const ct = block.celltype;
  const sources: ActivitySource[] = [];
  if (ct === undefined) fail(block, undefined, path, `Missing key "celltype" in "${path}"`);
  if (ct === "pointcell") sources.push(readPointcell(block, path));
  else if (ct === "spiketrain") sources.push(readSpikeTrain(block, path));
  else if (isParamObject(ct)) {
    const cp = joinKeyPath(path, "celltype");
    for (const k of Object.keys(ct)) {
      if (k === "spiketrain") {
        sources.push(readSpikeTrain(getObject(ct, k, cp), joinKeyPath(cp, k)));
      } else if (k === "pointcell") {
        sources.push(readPointcell(getObject(ct, k, cp), joinKeyPath(cp, k)));
      } else {fail(
          ct,
          k,
          cp,
          `Cell type "${k}" is not implemented as spike source (expected "pointcell" or "spiketrain")`,
        );}
    }
  } else if (typeof ct !== "string") {
    fail(
      block,
      "celltype",
      path,
      `Cannot read "celltype" in "${path}": expected a string or an object, got ${
        describeParamValue(ct)
      }`,
    );
  }
  // Any other celltype string: ISF silently generates no activity for this type.
  return {
    name,
    cellNr,
    sources,
    synapses: readSynapses(
      getObject(block, "synapses", path),
      joinKeyPath(path, "synapses"),
      resolve,
    ),
    location: paramLocation(block, undefined, path),
  };
}

function readRanges(obj: ParamObject, path: string): { type: string; min: number; max: number }[] {
  const r = getObject(obj, "soma_dist_ranges", path);
  const rp = joinKeyPath(path, "soma_dist_ranges");
  return Object.keys(r).map((type) => {
    const pair = getNumberArray(r, type, rp);
    if (pair.length !== 2) fail(r, type, rp, `expected [min, max], got a list of ${pair.length}`);
    return { type, min: pair[0], max: pair[1] };
  });
}

function readModifyFunctions(obj: ParamObject, path: string): NetworkModifyFunction[] {
  const out: NetworkModifyFunction[] = [];
  for (const name of Object.keys(obj)) {
    const args = getObject(obj, name, path);
    const ap = joinKeyPath(path, name);
    for (const k of Object.keys(args)) {
      const allowed = name === "silence_synapses_by_somadist"
        ? ["soma_dist_ranges"]
        : ["soma_dist_ranges", "spike_sources"];
      if (!allowed.includes(k)) {
        fail(args, k, ap, `Unknown argument "${k}" of network modify function "${name}"`);
      }
    }
    if (name === "silence_synapses_by_somadist") {
      out.push({ name, ranges: readRanges(args, ap) });
    } else if (name === "silence_synapses_by_somadist_and_spike_source") {
      const arr = getArray(args, "spike_sources", ap);
      const spikeSources = arr.map((_, i) => getString(arr, i, joinKeyPath(ap, "spike_sources")));
      out.push({ name, ranges: readRanges(args, ap), spikeSources });
    } else {
      fail(
        obj,
        name,
        path,
        `Unknown network modify function "${name}" (simrun implements silence_synapses_by_somadist and silence_synapses_by_somadist_and_spike_source)`,
      );
    }
  }
  return out;
}

/**
 * Converts a parsed network parameter file into a {@linkcode NetworkSpec}.
 *
 * @param param the parsed file (io/param.ts `parseParam`), with a top-level `network` key
 * @param options path resolution for `.syn`/`.con` references
 * @returns the validated network
 * @throws {InputValueError} with file:line and dotted key for a missing or wrong value
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParam } from "../io/mod.ts";
 * import { readNetworkSpec } from "./network_param.ts";
 * const p = parseParam(`{"network": {"A": {"cellNr": 2, "celltype": "spiketrain", "interval": 100.0,
 *   "synapses": {"distributionFile": "a.syn", "connectionFile": "a.con",
 *   "receptors": {"gaba_syn": {"weight": 1.0, "delay": 0.0, "threshold": 0.0, "parameter": {}}}}}}}`, "n.param");
 * assert.equal(readNetworkSpec(p).types[0].cellNr, 2);
 * ```
 */
export function readNetworkSpec(
  param: ParamObject,
  options: ReadNetworkSpecOptions = {},
): NetworkSpec {
  const resolve = options.resolvePath ?? ((p: string) => p);
  const network = getObject(param, "network");
  const types: PresynapticTypeSpec[] = [];
  let modifyFunctions: NetworkModifyFunction[] = [];
  for (const name of Object.keys(network)) {
    const path = joinKeyPath("network", name);
    if (name === "network_modify_functions") {
      modifyFunctions = readModifyFunctions(getObject(network, name, "network"), path);
      continue;
    }
    types.push(readType(getObject(network, name, "network"), name, path, resolve));
  }
  return { file: paramLocation(param).file, types, modifyFunctions };
}
