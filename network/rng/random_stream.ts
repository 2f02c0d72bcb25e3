/**
 * The random-number stream interface used by network realization, and its NumPy-legacy
 * distribution algorithms (spec/algorithm.md §7) written once on top of two primitives
 * (a 32-bit word and a double in [0, 1)).
 *
 * @module
 */

import { type ElementaryFunctions, JS_MATH } from "./elementary_functions.ts";

/** One stream of random numbers with NumPy legacy `RandomState` semantics. */
export interface RandomStream {
  /** Next uniform double in [0, 1) (`random_sample`). */
  random(): number;
  /** `k` uniform doubles in [0, 1), in draw order (`uniform(size=k)`; k = 0 draws nothing). */
  uniform(k: number): Float64Array;
  /** Integer in [low, high) (`randint(low, high)`, masked rejection; no draw if high − low = 1). */
  randint(low: number, high: number): number;
  /** Exponential variate with the given scale [same unit as scale]. */
  exponential(scale: number): number;
  /** Standard normal variate (legacy polar method, one cached value). */
  gauss(): number;
  /** `mu + sigma·gauss()`. */
  normal(mu: number, sigma: number): number;
  /** `exp(mu + sigma·gauss())`. */
  lognormal(mu: number, sigma: number): number;
  /** Random permutation of 0..n−1 (legacy Fisher–Yates from the top). */
  permutation(n: number): Int32Array;
}

function maskFor(r: number): number {
  let mask = r;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask >>> 0;
}

/**
 * NumPy legacy distributions on top of `nextU32()` and `random()`; subclasses provide the two
 * primitives (MT19937 for ISF-exact streams, seedrandom for simrun's derived streams).
 */
export abstract class LegacyDistributions implements RandomStream {
  #hasGauss = false;
  #gauss = 0;
  /** libm functions for exponential/gauss/lognormal (see elementary_functions.ts). */
  protected readonly math: ElementaryFunctions;

  /** @param math log/exp to use (default: JavaScript's Math) */
  constructor(math: ElementaryFunctions = JS_MATH) {
    this.math = math;
  }

  /** Next raw 32-bit word (unsigned). */
  abstract nextU32(): number;
  /** Next uniform double in [0, 1). */
  abstract random(): number;

  /** Forgets the cached normal variate (used when a generator is re-seeded). */
  protected clearGauss(): void {
    this.#hasGauss = false;
    this.#gauss = 0;
  }

  uniform(k: number): Float64Array {
    const out = new Float64Array(k);
    for (let i = 0; i < k; i++) out[i] = this.random();
    return out;
  }

  randint(low: number, high: number): number {
    const r = high - low - 1;
    if (r <= 0) return low;
    if (r > 0xffffffff) throw new RangeError(`randint range ${r + 1} exceeds 2^32`);
    if (r === 0xffffffff) return low + this.nextU32();
    const mask = maskFor(r);
    let v: number;
    do {
      v = (this.nextU32() & mask) >>> 0;
    } while (v > r);
    return low + v;
  }

  exponential(scale: number): number {
    return scale * -this.math.log(1.0 - this.random());
  }

  gauss(): number {
    if (this.#hasGauss) {
      const t = this.#gauss;
      this.#hasGauss = false;
      this.#gauss = 0;
      return t;
    }
    let x1: number, x2: number, r2: number;
    do {
      x1 = 2.0 * this.random() - 1.0;
      x2 = 2.0 * this.random() - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 === 0.0);
    const f = Math.sqrt(-2.0 * this.math.log(r2) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  normal(mu: number, sigma: number): number {
    return mu + sigma * this.gauss();
  }

  lognormal(mu: number, sigma: number): number {
    return this.math.exp(mu + sigma * this.gauss());
  }

  permutation(n: number): Int32Array {
    const a = new Int32Array(n);
    for (let i = 0; i < n; i++) a[i] = i;
    for (let i = n - 1; i >= 1; i--) {
      const mask = maskFor(i);
      let j: number;
      do {
        j = (this.nextU32() & mask) >>> 0;
      } while (j > i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}
