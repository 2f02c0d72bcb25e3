/**
 * Job seeds: drawn from the operating system's generator like ISF's `get_seed()` (algorithm.md §2),
 * or derived deterministically from one user seed so that a whole multi-job run can be repeated.
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";

/** Largest seed ISF can draw (`numpy.random.randint(4294967295)` is exclusive). */
export const MAX_SEED = 4294967294;

/**
 * Draws one seed uniformly from [0, MAX_SEED] with the platform's cryptographic generator.
 *
 * @returns a seed in [0, 4294967294]
 * @example Draw a seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { drawSeed, MAX_SEED } from "./seeds.ts";
 * const s = drawSeed();
 * assert.ok(Number.isInteger(s) && s >= 0 && s <= MAX_SEED);
 * ```
 */
export function drawSeed(): number {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const v = buf[0]!;
    if (v <= MAX_SEED) return v; // reject 2^32-1 so the draw stays uniform
  }
}

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The seed of job `k` when the user gives one seed `base`: job 0 uses `base` itself, job k ≥ 1 a
 * value mixed from (base, k). The same (base, k) always gives the same seed.
 *
 * @param base the user's seed [0, MAX_SEED]
 * @param k job index ≥ 0
 * @returns a seed in [0, MAX_SEED]
 * @example Job 0 keeps the seed
 * ```ts
 * import assert from "node:assert/strict";
 * import { deriveSeed } from "./seeds.ts";
 * assert.equal(deriveSeed(20250101, 0), 20250101);
 * assert.equal(deriveSeed(20250101, 3), deriveSeed(20250101, 3));
 * ```
 */
export function deriveSeed(base: number, k: number): number {
  if (k === 0) return base;
  let h = fmix32((base ^ Math.imul(k, 0x9e3779b9)) >>> 0);
  h = fmix32((h + k) >>> 0);
  while (h > MAX_SEED) h = fmix32((h + 1) >>> 0);
  return h;
}

/**
 * Seeds for `jobs` jobs: derived from `seed` when given, else drawn independently.
 *
 * @param jobs number of jobs ≥ 1
 * @param seed optional user seed
 * @returns one seed per job
 * @example Repeatable seeds
 * ```ts
 * import assert from "node:assert/strict";
 * import { jobSeeds } from "./seeds.ts";
 * assert.deepEqual(jobSeeds(2, 7), jobSeeds(2, 7));
 * assert.equal(jobSeeds(2, 7)[0], 7);
 * ```
 */
export function jobSeeds(jobs: number, seed?: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < jobs; k++) out.push(seed === undefined ? drawSeed() : deriveSeed(seed, k));
  return out;
}

/**
 * Parses a seed given on the command line.
 *
 * @param text decimal integer text
 * @param option the option name for messages (`--seed`)
 * @returns the seed
 * @throws InputValueError when it is not an integer in [0, 4294967294]
 * @example Parse
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSeed } from "./seeds.ts";
 * assert.equal(parseSeed("42"), 42);
 * assert.throws(() => parseSeed("4294967295"));
 * ```
 */
export function parseSeed(text: string, option = "--seed"): number {
  const t = text.trim();
  const v = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v) || v > MAX_SEED) {
    throw new InputValueError(
      { file: "<command line>", key: option },
      `${option} must be an integer in [0, ${MAX_SEED}], got "${text}"`,
    );
  }
  return v;
}
