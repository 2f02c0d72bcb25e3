/**
 * simrun's default random streams: the npm package `seedrandom` (its `tychei` generator, cheap to
 * seed), one independent stream per string key, with the same distribution algorithms as NumPy's
 * legacy generator.
 *
 * @module
 */
import seedrandom from "seedrandom";
import { LegacyDistributions } from "./random_stream.ts";

/**
 * A stream seeded from a string key such as `"20250101/3/L5tt_C2/spikeTrain/17/0"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SeedrandomStream } from "./seedrandom_stream.ts";
 * const a = new SeedrandomStream("k"), b = new SeedrandomStream("k");
 * assert.equal(a.random(), b.random());
 * ```
 */
export class SeedrandomStream extends LegacyDistributions {
  #prng: seedrandom.PRNG;

  /** @param key the stream's seed string (same key → same numbers) */
  constructor(key: string) {
    super();
    this.#prng = seedrandom.tychei(key);
  }

  nextU32(): number {
    return this.#prng.int32() >>> 0;
  }

  random(): number {
    return this.#prng.double();
  }
}
