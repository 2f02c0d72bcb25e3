/**
 * simrun's default random streams: the npm package `seedrandom` (its `tychei` generator, cheap to
 * seed), one independent stream per string key, with the same distribution algorithms as NumPy's
 * legacy generator.
 *
 * `seedrandom` is a CommonJS package: loading it starts Deno's CommonJS loader, about 8 MiB of
 * memory and 40 ms per process. It is therefore loaded on demand ({@link loadSeedrandom}), by the
 * jobs that draw from it (the `simrun` policy, replays, stochastic synapses), and not by `simrun
 * cell` or an `--rng isf` job without stochastic synapses.
 *
 * @module
 */
import type seedrandomModule from "seedrandom";
import { InternalError } from "../../io/mod.ts";
import { LegacyDistributions } from "./random_stream.ts";

let seedrandom: typeof seedrandomModule | undefined;

/**
 * Loads the `seedrandom` package (once per process or worker; later calls return at once).
 * Await it before creating a {@link SeedrandomStream}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeedrandom, seedrandomLoaded } from "./seedrandom_stream.ts";
 * await loadSeedrandom();
 * assert.ok(seedrandomLoaded());
 * ```
 */
export async function loadSeedrandom(): Promise<void> {
  seedrandom ??= (await import("seedrandom")).default;
}

/**
 * Whether {@link loadSeedrandom} has completed in this process or worker.
 *
 * @returns true once the package is loaded
 */
export function seedrandomLoaded(): boolean {
  return seedrandom !== undefined;
}

/**
 * A stream seeded from a string key such as `"20250101/3/L5tt_C2/spikeTrain/17/0"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadSeedrandom, SeedrandomStream } from "./seedrandom_stream.ts";
 * await loadSeedrandom();
 * const a = new SeedrandomStream("k"), b = new SeedrandomStream("k");
 * assert.equal(a.random(), b.random());
 * ```
 */
export class SeedrandomStream extends LegacyDistributions {
  #prng: seedrandomModule.PRNG;

  /**
   * @param key the stream's seed string (same key → same numbers)
   * @throws {InternalError} before {@link loadSeedrandom} has completed
   */
  constructor(key: string) {
    super();
    if (seedrandom === undefined) {
      throw new InternalError("a seedrandom stream was created before loadSeedrandom()");
    }
    this.#prng = seedrandom.tychei(key);
  }

  nextU32(): number {
    return this.#prng.int32() >>> 0;
  }

  random(): number {
    return this.#prng.double();
  }
}
