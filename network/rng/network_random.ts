/**
 * Random-number policy of network realization: which stream each kind of draw uses.
 *
 * * `isf`: ISF's exact consumption (spec/algorithm.md §7). One global MT19937 seeded once per job
 *   with the seed and continued across sweeps; activity and release draws come from it; every
 *   spike train draws `randint(123456, 1234567)` from it and seeds a private MT19937.
 *   Sweeps must therefore be realized in order 0, 1, 2, … .
 * * `simrun` (default): every stream has its own seed derived from (seed, sweep, presynaptic type,
 *   purpose, cell id), so a sweep depends only on the seed and its index, never on which sweeps
 *   ran before or on which worker.
 *
 * @module
 */
import { InternalError } from "../../io/mod.ts";
import type { ElementaryFunctions } from "./elementary_functions.ts";
import { Mt19937Stream } from "./mt19937.ts";
import type { RandomStream } from "./random_stream.ts";
import { SeedrandomStream } from "./seedrandom_stream.ts";

/** Names of the two policies. */
export type NetworkRandomKind = "isf" | "simrun";

/** Streams for one job; call `beginSweep()` before drawing for a sweep. */
export interface NetworkRandom {
  /** The policy these streams implement (`isf` or `simrun`). */
  readonly kind: NetworkRandomKind;
  /** Starts sweep `sweep` (isf: must be 0, 1, 2, … in order). */
  beginSweep(sweep: number): void;
  /** Stream for the activity draws of a presynaptic type (PSTH uniforms, phases, …). */
  activity(typeName: string): RandomStream;
  /**
   * Stream for one spike train of cell `cellId` (`part` numbers the trains of one cell within a
   * sweep: celltype entries and PSTH_poissontrain bins). The stream is valid until the next
   * `spikeTrain()` call (isf re-seeds one private generator).
   */
  spikeTrain(typeName: string, cellId: number, part: number): RandomStream;
  /**
   * Hint: the next `count` `spikeTrain()` calls are for cells 0..count−1 of this type and part,
   * in that order, with no other draw in between. A policy may prepare their streams at once
   * (isf: draws the `count` seeds in the same order, then seeds a few generators side by side
   * at a time as `spikeTrain()` hands them out).
   */
  prepareSpikeTrains(typeName: string, part: number, count: number): void;
  /** Stream for connection-time draws of a type: lognormal weights and release tests. */
  release(typeName: string): RandomStream;
  /**
   * The key of synapse `synapseId`'s own random stream in this sweep (NMODL mechanisms that draw
   * random numbers, ISF's stochastic synapses; see {@link synapseStream}): derived from the seed,
   * the sweep, the type and the synapse, so it depends on nothing else. Draws nothing.
   */
  synapseStreamKey(typeName: string, synapseId: number): string;
}

/**
 * The uniform random stream of one synapse's mechanisms (ISF hands one NEURON `Random` to all
 * receptors of a synapse): simrun's seedrandom generator seeded with the synapse's key.
 *
 * @param key the key from {@link NetworkRandom.synapseStreamKey} (or a replay's)
 * @returns uniform numbers in [0, 1)
 * @throws {InternalError} before `loadSeedrandom()` has completed
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeedrandom } from "./seedrandom_stream.ts";
 * import { synapseStream } from "./network_random.ts";
 * await loadSeedrandom();
 * const a = synapseStream("k"), b = synapseStream("k");
 * assert.equal(a(), b());
 * ```
 */
export function synapseStream(key: string): () => number {
  const s = new SeedrandomStream(`synapse/${key}`); // throws before loadSeedrandom()
  return () => s.random();
}

/**
 * Generators that prepared spike trains are seeded into, a batch at a time, as `spikeTrain()`
 * hands them out (a multiple of the 4 that `Mt19937Stream.seedMany` seeds side by side).
 */
const SPIKE_TRAIN_RING = 8;

class IsfRandom implements NetworkRandom {
  readonly kind = "isf" as const;
  #global: Mt19937Stream;
  #private: Mt19937Stream;
  /** Generators of prepared spike trains, reused: train k uses ring[k % SPIKE_TRAIN_RING]. */
  #ring: Mt19937Stream[] = [];
  /** Seeds of the prepared spike trains, drawn from the global generator at once. */
  #seeds = new Int32Array(0);
  #prepared = 0;
  #preparedCount = 0;
  #next = 0;

  readonly #seed: number;

  constructor(seed: number, math: ElementaryFunctions | undefined) {
    this.#seed = seed;
    this.#global = new Mt19937Stream(seed, math);
    this.#private = new Mt19937Stream(0, math);
    for (let k = 0; k < SPIKE_TRAIN_RING; k++) this.#ring.push(new Mt19937Stream(0, math));
  }

  beginSweep(sweep: number): void {
    if (sweep !== this.#next) {
      throw new InternalError(
        `isf random numbers need sweeps in order: expected sweep ${this.#next}, got ${sweep}`,
      );
    }
    this.#next++;
  }

  activity(_typeName: string): RandomStream {
    this.#checkNoPrepared();
    return this.#global;
  }

  /** A global draw while prepared spike trains are pending would break ISF's draw order. */
  #checkNoPrepared(): void {
    if (this.#prepared < this.#preparedCount) {
      throw new InternalError(
        `global random draw with ${
          this.#preparedCount - this.#prepared
        } prepared spike trains pending`,
      );
    }
  }

  spikeTrain(_typeName: string, _cellId: number, _part: number): RandomStream {
    const k = this.#prepared;
    if (k < this.#preparedCount) {
      this.#prepared++;
      const slot = k % SPIKE_TRAIN_RING;
      if (slot === 0) {
        // The next batch: its trains' seeds were drawn in prepareSpikeTrains().
        const n = Math.min(SPIKE_TRAIN_RING, this.#preparedCount - k);
        Mt19937Stream.seedMany(this.#ring, this.#seeds.subarray(k, k + n), n);
      }
      return this.#ring[slot];
    }
    this.#private.seed(this.#global.randint(123456, 1234567));
    return this.#private;
  }

  prepareSpikeTrains(_typeName: string, _part: number, count: number): void {
    this.#checkNoPrepared();
    if (this.#seeds.length < count) this.#seeds = new Int32Array(count);
    const seeds = this.#seeds;
    for (let k = 0; k < count; k++) seeds[k] = this.#global.randint(123456, 1234567);
    this.#prepared = 0;
    this.#preparedCount = count;
  }

  release(_typeName: string): RandomStream {
    this.#checkNoPrepared();
    return this.#global;
  }

  synapseStreamKey(typeName: string, synapseId: number): string {
    return `isf/${this.#seed}/${this.#next - 1}/${typeName}/${synapseId}`;
  }
}

class SimrunRandom implements NetworkRandom {
  readonly kind = "simrun" as const;
  #seed: number;
  #prefix = "";
  #activity = new Map<string, RandomStream>();
  #release = new Map<string, RandomStream>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  beginSweep(sweep: number): void {
    this.#prefix = `simrun/${this.#seed}/${sweep}/`;
    this.#activity.clear();
    this.#release.clear();
  }

  #check(): void {
    if (this.#prefix === "") throw new InternalError("NetworkRandom used before beginSweep()");
  }

  activity(typeName: string): RandomStream {
    this.#check();
    let s = this.#activity.get(typeName);
    if (s === undefined) {
      s = new SeedrandomStream(`${this.#prefix}${typeName}/activity`);
      this.#activity.set(typeName, s);
    }
    return s;
  }

  prepareSpikeTrains(_typeName: string, _part: number, _count: number): void {
    // Every simrun stream is derived on demand; nothing to prepare.
  }

  spikeTrain(typeName: string, cellId: number, part: number): RandomStream {
    this.#check();
    return new SeedrandomStream(`${this.#prefix}${typeName}/spikeTrain/${cellId}/${part}`);
  }

  release(typeName: string): RandomStream {
    this.#check();
    let s = this.#release.get(typeName);
    if (s === undefined) {
      s = new SeedrandomStream(`${this.#prefix}${typeName}/release`);
      this.#release.set(typeName, s);
    }
    return s;
  }

  synapseStreamKey(typeName: string, synapseId: number): string {
    this.#check();
    return `${this.#prefix}${typeName}/synapse/${synapseId}`;
  }
}

/** Options of `createNetworkRandom()`. */
export interface NetworkRandomOptions {
  /**
   * log/exp used by the isf policy's distributions; pass the system libm for ISF's byte-exact
   * spike times (see elementary_functions.ts). Default: JavaScript's Math.
   */
  readonly math?: ElementaryFunctions;
}

/**
 * Creates the random-number policy of one job.
 *
 * @param kind `"isf"` (bit-exact ISF reproduction) or `"simrun"` (per-sweep derived streams;
 *   await `loadSeedrandom()` before its first draw)
 * @param seed the job seed, integer in [0, 2³²)
 * @param options the libm functions for the isf policy
 * @returns the policy object
 * @throws {RangeError} for a seed outside [0, 2³²); a `"simrun"` policy's first draw throws
 *   InternalError before `loadSeedrandom()` has completed (a replay without lognormal weights or
 *   stochastic receptors never draws, and never loads the CommonJS package)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNetworkRandom } from "./network_random.ts";
 * const r = createNetworkRandom("isf", 0);
 * r.beginSweep(0);
 * assert.equal(r.activity("L5tt_C2").random(), 0.5488135039273248);
 * ```
 */
export function createNetworkRandom(
  kind: NetworkRandomKind,
  seed: number,
  options: NetworkRandomOptions = {},
): NetworkRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 2^32), got ${seed}`);
  }
  return kind === "isf" ? new IsfRandom(seed, options.math) : new SimrunRandom(seed);
}
