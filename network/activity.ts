/**
 * Presynaptic activity of one sweep (spec/algorithm.md §6.3): spike times for every cell of a
 * presynaptic type, in ISF's exact draw order and floating-point operation order.
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";
import type {
  PointcellDistribution,
  PresynapticTypeSpec,
  SpikeTrainSource,
} from "./network_param.ts";
import type { NetworkRandom } from "./rng/network_random.ts";
import type { RandomStream } from "./rng/random_stream.ts";

/** ISF's spike-source labels (used by `silence_synapses_by_somadist_and_spike_source`); code = index. */
export const SPIKE_SOURCES: readonly string[] = [
  "poissontrain",
  "pointcell_PSTH",
  "pointcell_PSTH_absolute_number",
  "pointcell_PSTH_poissontrain",
  "PSTH_poissontrain_v2",
  "poissontrain_modulated",
  "pointcell_normal",
  "pointcell_uniform",
  "pointcell_lognormal",
];
const SRC_TRAIN = 0, SRC_PSTH = 1, SRC_ABS = 2, SRC_PT = 3, SRC_V2 = 4, SRC_MOD = 5;
const SRC_NORMAL = 6, SRC_UNIFORM = 7, SRC_LOGNORMAL = 8;

/**
 * Spike times of every cell of one presynaptic type in one sweep (structure of arrays: one
 * buffer for the type, no object per cell).
 */
export interface TypeActivity {
  /** Cell c's spikes are `times[start[c] … start[c + 1])` (cellNr + 1 entries). */
  readonly start: Int32Array;
  /** Spike times, ascending within each cell (duplicates kept) [ms]. */
  readonly times: Float64Array;
  /** Spike-source code (index into {@linkcode SPIKE_SOURCES}) of each spike in `times`. */
  readonly sources: Uint8Array;
}

/** Spikes being collected for one type: flat growable arrays, grouped per cell at the end. */
class Collector {
  readonly n: number;
  cell = new Int32Array(64);
  time = new Float64Array(64);
  src = new Uint8Array(64);
  count = 0;
  constructor(n: number) {
    this.n = n;
  }
  add(cell: number, time: number, source: number): void {
    if (this.count === this.cell.length) {
      const m = this.count * 2;
      const c = new Int32Array(m), t = new Float64Array(m), s = new Uint8Array(m);
      c.set(this.cell);
      t.set(this.time);
      s.set(this.src);
      this.cell = c;
      this.time = t;
      this.src = s;
    }
    this.cell[this.count] = cell;
    this.time[this.count] = time;
    this.src[this.count] = source;
    this.count++;
  }
  finish(): TypeActivity {
    const n = this.n, m = this.count;
    const start = new Int32Array(n + 1);
    for (let i = 0; i < m; i++) start[this.cell[i] + 1]++;
    for (let c = 0; c < n; c++) start[c + 1] += start[c];
    const fill = start.slice(0, n);
    const times = new Float64Array(m), srcs = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      const k = fill[this.cell[i]]++;
      times[k] = this.time[i];
      srcs[k] = this.src[i];
    }
    for (let c = 0; c < n; c++) {
      // insertion sort by time (stable; a cell has a handful of spikes)
      const a = start[c], b = start[c + 1];
      for (let i = a + 1; i < b; i++) {
        const t = times[i], s = srcs[i];
        let j = i - 1;
        while (j >= a && times[j] > t) {
          times[j + 1] = times[j];
          srcs[j + 1] = srcs[j];
          j--;
        }
        times[j + 1] = t;
        srcs[j + 1] = s;
      }
    }
    return { start, times, sources: srcs };
  }
}

/** One inter-spike interval: (1 − ν)·I + ν·I·E, E standard exponential (no draw if ν = 0) [ms]. */
function nextInterval(rng: RandomStream, interval: number, noise: number): number {
  return noise === 0 ? interval : (1 - noise) * interval + noise * interval * rng.exponential(1.0);
}

/** ISF `PointCell.compute_spike_train_times` for one cell (random stream already seeded). */
function spikeTrain(
  out: Collector,
  cell: number,
  rng: RandomStream,
  interval: number,
  noise: number,
  start: number,
  stop: number,
  nSpikes: number | undefined,
  source: number,
): void {
  if (nSpikes !== undefined) {
    let last = 0.0;
    for (let i = 0; i < nSpikes; i++) {
      let t: number;
      if (i === 0) {
        t = start + nextInterval(rng, interval, noise) - interval * (1 - noise);
        if (t < 0) t = 0;
      } else {
        t = last + nextInterval(rng, interval, noise);
      }
      out.add(cell, t, source);
      last = t;
    }
  } else if (stop > start) {
    let last = 0.0;
    while (true) {
      let t: number;
      if (last === 0) {
        t = start + nextInterval(rng, interval, noise) - interval * (1 - noise);
        if (t < 0) t = 0;
      } else {
        t = last + nextInterval(rng, interval, noise);
      }
      if (t > stop) break;
      out.add(cell, t, source);
      last = t;
    }
  }
}

/** NumPy `interp(x, xp, fp, left=nan, right=nan)` for one x (xp ascending, may repeat). */
function interp(x: number, xp: Float64Array, fp: Float64Array): number {
  const n = xp.length;
  if (!(x <= xp[n - 1])) return NaN;
  if (x < xp[0]) return NaN;
  if (x === xp[n - 1]) return fp[n - 1];
  // largest j with xp[j] <= x (x < xp[n-1] here)
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xp[mid] <= x) lo = mid;
    else hi = mid;
  }
  const j = lo;
  if (xp[j] === x) return fp[j];
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  let r = slope * (x - xp[j]) + fp[j];
  if (r !== r) {
    r = slope * (x - xp[j + 1]) + fp[j + 1];
    if (r !== r && fp[j] === fp[j + 1]) r = fp[j];
  }
  return r;
}

/** ISF `sample_times_from_rates(bins, rates)`: appends the cell's spikes. */
function sampleTimesFromRates(
  out: Collector,
  cell: number,
  rng: RandomStream,
  bins: ArrayLike<number>,
  rates: ArrayLike<number>,
  source: number,
): void {
  const nb = rates.length;
  const xp = new Float64Array(nb + 1), fp = new Float64Array(nb + 1);
  let cw = 0, cb = 0, maxC = -Infinity;
  for (let k = 0; k < nb; k++) {
    const w = bins[k + 1] - bins[k];
    cw += w * rates[k];
    cb += w;
    xp[k + 1] = cw;
    fp[k + 1] = cb;
    if (cw > maxC) maxC = cw;
  }
  const size = Math.ceil(maxC * 1.0) + 1;
  const isi: number[] = [];
  for (let i = 0; i < size; i++) isi.push(rng.exponential(1000));
  let sum = 0;
  for (let i = 0; i < isi.length; i++) sum += isi[i];
  while (sum <= maxC) {
    sum = 0;
    for (let i = 0; i < size; i++) isi.push(rng.exponential(1000));
    for (let i = 0; i < isi.length; i++) sum += isi[i];
  }
  let tau = 0;
  const b0 = bins[0];
  for (let i = 0; i < isi.length; i++) {
    tau += isi[i];
    const v = interp(tau, xp, fp);
    if (v === v) out.add(cell, v + b0, source);
  }
}

function fail(type: PresynapticTypeSpec, message: string): never {
  throw new InputValueError(type.location, `${type.name}: ${message}`);
}

function pointcell(
  out: Collector,
  type: PresynapticTypeSpec,
  d: PointcellDistribution,
  random: NetworkRandom,
  tStop: number,
  part: { n: number },
): void {
  const n = type.cellNr;
  const g = random.activity(type.name);
  switch (d.distribution) {
    case "normal":
    case "uniform":
    case "lognormal": {
      const u = g.uniform(n);
      const active: number[] = [];
      for (let k = 0; k < n; k++) if (u[k] < d.activeFrac) active.push(k);
      for (let j = 0; j < active.length; j++) {
        let t: number;
        let src: number;
        if (d.distribution === "normal") {
          t = d.offset + d.spikeT + d.spikeWidth * g.gauss();
          src = SRC_NORMAL;
        } else if (d.distribution === "uniform") {
          t = d.offset + d.window * g.random();
          src = SRC_UNIFORM;
        } else {
          t = d.offset + g.lognormal(d.mu, d.sigma);
          src = SRC_LOGNORMAL;
        }
        if (t < 0.1) t = 0.1;
        out.add(active[j], t, src);
      }
      return;
    }
    case "PSTH": {
      const active = new Int32Array(n);
      for (let b = 0; b < d.intervals.length; b++) {
        const [t0, t1] = d.intervals[b];
        const p = d.probabilities[b];
        // U(N), then U(m) for the m active cells: drawn in place, same order as NumPy's vectors.
        let m = 0;
        for (let k = 0; k < n; k++) if (g.random() < p) active[m++] = k;
        const base = d.offset + t0, width = t1 - t0;
        for (let j = 0; j < m; j++) out.add(active[j], base + width * g.random(), SRC_PSTH);
      }
      return;
    }
    case "PSTH_absolute_number": {
      for (let b = 0; b < d.intervals.length; b++) {
        const [t0, t1] = d.intervals[b];
        const m = d.numberActive[b];
        let active: ArrayLike<number>;
        if (m <= n) {
          active = g.permutation(n).subarray(0, m);
        } else {
          const a = new Int32Array(m);
          for (let i = 0; i < m; i++) a[i] = g.randint(0, n);
          active = a;
        }
        const v = g.uniform(active.length);
        const base = d.offset + t0, width = t1 - t0;
        for (let j = 0; j < active.length; j++) out.add(active[j], base + width * v[j], SRC_ABS);
      }
      return;
    }
    case "PSTH_poissontrain": {
      for (let b = 0; b < d.intervals.length; b++) {
        const [t0, t1] = d.intervals[b];
        if (d.rates[b] === 0) continue;
        const interval = 1000.0 / d.rates[b];
        const pt = part.n++;
        for (let c = 0; c < n; c++) {
          spikeTrain(
            out,
            c,
            random.spikeTrain(type.name, c, pt),
            interval,
            1.0,
            t0,
            t1,
            undefined,
            SRC_PT,
          );
        }
      }
      return;
    }
    case "PSTH_poissontrain_v2": {
      for (let c = 0; c < n; c++) sampleTimesFromRates(out, c, g, d.bins, d.rates, SRC_V2);
      return;
    }
    case "poissontrain_modulated": {
      const duration = tStop - d.offset;
      const nBins = Math.ceil(duration / d.binSize);
      // numpy.arange(0, duration + bin_size, bin_size): length ceil((stop - start)/step), values i*step
      const len = Math.max(0, Math.ceil((duration + d.binSize) / d.binSize));
      const bins = new Float64Array(len);
      for (let i = 0; i < len; i++) bins[i] = i * d.binSize + d.offset;
      if (len > 0) {
        bins[0] = 0;
        bins[len - 1] = tStop;
      }
      if (len !== nBins + 1 || nBins < 1) {
        fail(
          type,
          `poissontrain_modulated: ${len} bin edges for ${nBins} bins (tStop ${tStop}, offset ${d.offset}, bin_size ${d.binSize})`,
        );
      }
      const cycleDuration = 1000 / d.modulationFrequency;
      const nCycles = duration / cycleDuration;
      const phase = new Float64Array(n);
      if (d.phaseDistribution === "uniform") {
        for (let c = 0; c < n; c++) phase[c] = 0 + (2 * Math.PI - 0) * g.random();
      } else if (d.phaseDistribution === "normal") {
        for (let c = 0; c < n; c++) phase[c] = d.meanPhase + d.stdPhase * g.gauss();
      }
      // numpy.linspace(0, stop, nBins): k·step, last = stop
      const stop = 2 * Math.PI * nCycles;
      const step = nBins > 1 ? (stop - 0) / (nBins - 1) : 0;
      const rates = new Float64Array(nBins);
      for (let c = 0; c < n; c++) {
        for (let k = 0; k < nBins; k++) {
          const x = nBins > 1 && k === nBins - 1 ? stop : k * step + 0;
          rates[k] = d.meanRate * (1 + d.maxModulation * Math.sin(x + phase[c]));
        }
        rates[0] = d.rateBeforeOffset;
        sampleTimesFromRates(out, c, g, bins, rates, SRC_MOD);
      }
      return;
    }
  }
}

function spikeTrains(
  out: Collector,
  type: PresynapticTypeSpec,
  s: SpikeTrainSource,
  random: NetworkRandom,
  tStop: number,
  part: { n: number },
): void {
  if (tStop < s.start && s.nspikes === undefined) {
    fail(type, `spike train starts at ${s.start} ms after tStop ${tStop} ms and has no "nspikes"`);
  }
  const pt = part.n++;
  random.prepareSpikeTrains(type.name, pt, type.cellNr);
  for (let c = 0; c < type.cellNr; c++) {
    const rng = random.spikeTrain(type.name, c, pt);
    spikeTrain(out, c, rng, s.interval, s.noise, s.start, tStop, s.nspikes, SRC_TRAIN);
  }
}

/**
 * Generates the spike times of every cell of a presynaptic type for the current sweep
 * (spec/algorithm.md §6.3), drawing from `random` in ISF's order.
 *
 * @param type the presynaptic type
 * @param random the job's random policy (after `beginSweep`)
 * @param tStop end of the simulation [ms] (spike trains stop there)
 * @returns every cell's spike times, ascending per cell
 * @throws {InputValueError} for activity that cannot be generated with this tStop (a spike train
 *   starting after it without `nspikes`, a `poissontrain_modulated` whose offset is not before it)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateTypeActivity } from "./activity.ts";
 * import { createNetworkRandom } from "./rng/network_random.ts";
 * import { loadSeedrandom } from "./rng/seedrandom_stream.ts";
 * await loadSeedrandom();
 * const r = createNetworkRandom("simrun", 1);
 * r.beginSweep(0);
 * const type = { name: "A", cellNr: 3, location: { file: "n.param" },
 *   sources: [{ kind: "spiketrain" as const, interval: 10, noise: 1, start: 0, nspikes: 2 }],
 *   synapses: { releaseProb: undefined, distributionFile: "", connectionFile: "", receptors: [], location: { file: "n.param" } } };
 * const a = generateTypeActivity(type, r, 345);
 * assert.equal(a.start[3] - a.start[2], 2); // cell 2 fires twice
 * ```
 */
export function generateTypeActivity(
  type: PresynapticTypeSpec,
  random: NetworkRandom,
  tStop: number,
): TypeActivity {
  const out = new Collector(type.cellNr);
  const part = { n: 0 };
  for (const src of type.sources) {
    if (src.kind === "spiketrain") spikeTrains(out, type, src, random, tStop, part);
    else pointcell(out, type, src.dist, random, tStop, part);
  }
  return out.finish();
}
