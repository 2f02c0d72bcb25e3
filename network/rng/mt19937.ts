/**
 * NumPy's legacy `RandomState` on MT19937, bit-exact (spec/algorithm.md §7).
 *
 * @module
 */
import type { ElementaryFunctions } from "./elementary_functions.ts";
import { LegacyDistributions } from "./random_stream.ts";

const N = 624;
const M = 397;

/**
 * MT19937 seeded like `numpy.random.seed(s)` / `RandomState(s)` (classic `init_genrand`), with
 * NumPy's legacy double, randint, exponential, gauss and permutation.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Mt19937Stream } from "./mt19937.ts";
 * const g = new Mt19937Stream(0);
 * assert.equal(g.random(), 0.5488135039273248);
 * ```
 */
export class Mt19937Stream extends LegacyDistributions {
  #mt = new Int32Array(N); // int32 storage keeps values small integers for the JIT
  #pos = N;
  #initTo = N;

  /**
   * @param seed integer in [0, 2³²)
   * @param math log/exp for the distributions (default: JavaScript's Math)
   */
  constructor(seed: number, math?: ElementaryFunctions) {
    super(math);
    this.seed(seed);
  }

  /** Re-seeds in place (as a fresh `RandomState(seed)`; clears the cached gauss). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    this.#mt[0] = seed | 0;
    this.#initTo = 1;
    this.#pos = N;
    this.clearGauss();
  }

  /**
   * Seeds `streams[k]` with `seeds[k]` for k < count, exactly like `seed()`, but runs four
   * init_genrand recurrences side by side up to the words the first output needs (M + 1). The
   * recurrence is latency-bound (each word needs the previous one), so interleaving independent
   * generators lets the CPU overlap them: ISF seeds one generator per presynaptic cell.
   *
   * @param streams the generators to seed (at least `count`)
   * @param seeds their seeds, integers in [0, 2³²)
   * @param count how many to seed
   */
  static seedMany(
    streams: readonly Mt19937Stream[],
    seeds: ArrayLike<number>,
    count: number,
  ): void {
    const END = M + 1;
    let k = 0;
    for (; k + 4 <= count; k += 4) {
      const a = streams[k].#mt,
        b = streams[k + 1].#mt,
        c = streams[k + 2].#mt,
        d = streams[k + 3].#mt;
      let pa = seeds[k] | 0, pb = seeds[k + 1] | 0, pc = seeds[k + 2] | 0, pd = seeds[k + 3] | 0;
      a[0] = pa;
      b[0] = pb;
      c[0] = pc;
      d[0] = pd;
      for (let i = 1; i < END; i++) {
        pa = (Math.imul(1812433253, pa ^ (pa >>> 30)) + i) | 0;
        pb = (Math.imul(1812433253, pb ^ (pb >>> 30)) + i) | 0;
        pc = (Math.imul(1812433253, pc ^ (pc >>> 30)) + i) | 0;
        pd = (Math.imul(1812433253, pd ^ (pd >>> 30)) + i) | 0;
        a[i] = pa;
        b[i] = pb;
        c[i] = pc;
        d[i] = pd;
      }
      for (let j = k; j < k + 4; j++) streams[j].#afterBulkSeed(END);
    }
    for (; k < count; k++) streams[k].seed(seeds[k]);
  }

  #afterBulkSeed(initTo: number): void {
    this.#initTo = initTo;
    this.#pos = N;
    this.clearGauss();
  }

  /** init_genrand, lazily: fills mt[initTo..end) (a spike train needs only ~400 of 624 words). */
  #initUpTo(end: number): void {
    const mt = this.#mt;
    let i = this.#initTo;
    let prev = mt[i - 1];
    for (; i < end; i++) {
      prev = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) | 0;
      mt[i] = prev;
    }
    this.#initTo = end;
  }

  nextU32(): number {
    if (this.#pos >= N) this.#pos = 0;
    const p = this.#pos++;
    const mt = this.#mt;
    // The twist, one word at a time: new mt[p] needs old mt[p], old mt[p+1] and mt[p+M]
    // (old) or mt[p+M−N] (already new), exactly as the block-wise twist.
    if (this.#initTo < N) this.#initUpTo(p + M + 1 < N ? p + M + 1 : N);
    const next = p + 1 < N ? mt[p + 1] : mt[0];
    const y = (mt[p] & -2147483648) | (next & 0x7fffffff);
    const q = p + M < N ? p + M : p + M - N;
    let v = mt[q] ^ (y >>> 1) ^ (y & 1 ? -1727483681 : 0); // 0x9908b0df
    mt[p] = v;
    v ^= v >>> 11;
    v ^= (v << 7) & -1658038656; // 0x9d2c5680
    v ^= (v << 15) & -272236544; // 0xefc60000
    v ^= v >>> 18;
    return v >>> 0;
  }

  random(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
}
