/**
 * The engine's natural logarithm, like its exp ({@link engineExp} in wasm_math.ts) one operation
 * sequence emitted as scalar WebAssembly, f64x2 WebAssembly and the JavaScript function
 * {@link engineLog}, bit-identical to each other for every argument. Kernels need it for the
 * Nernst potential (eca = k_T/2·ln(cao/cai)) and, as exp(y·ln x), for `pow`.
 *
 * Algorithm: a subnormal x is scaled by 2⁵⁴; x = 2^e·m with m ∈ [√½, √2) from the bits
 * (the exponent field becomes a double as (2⁵² | E) − (2⁵² + 1023), since WebAssembly SIMD has no
 * i64 → f64 conversion); f = m − 1, s = f/(2 + f), and ln(1 + f) = f − (f²/2 − s·(f²/2 + R(s²)))
 * with R the atanh series 2z/3 + 2z²/5 + … + 2z¹¹/23 (truncation below 10⁻¹⁷ relative for
 * s ≤ 0.1716); ln x = e·LN2_HI − ((f²/2 − (s·(f²/2 + R) + e·LN2_LO)) − f). Special values by
 * selects at the end: ln 0 = −∞, ln ∞ = ∞, ln of a negative number or NaN = NaN.
 *
 * @module
 */
import type { FunctionEmitter as FunctionBuilder, OpName } from "./wasm_builder.ts";
import { LN2_HI, LN2_LO, type Width } from "./wasm_math.ts";

/** The smallest normal double, 2⁻¹⁰²². */
const MIN_NORMAL = 2.2250738585072014e-308;
/** 2⁵⁴, the scale of subnormal arguments. */
const TWO54 = 18014398509481984;
const SQRT2 = Math.SQRT2;
/** 2⁵² and its bits: (2⁵² | E) is the double 2⁵² + E for an integer E < 2⁵². */
const TWO52 = 4503599627370496;
const TWO52_BITS = 0x4330000000000000n;
const MANTISSA_MASK = 0x000fffffffffffffn;
const ONE_BITS = 0x3ff0000000000000n;

/** 2/(2n + 1) for n = 1 … 11: the atanh series of ln((1 + s)/(1 − s)) after its leading 2s. */
const ATANH: readonly number[] = Array.from({ length: 11 }, (_, j) => 2 / (2 * j + 3));

const WORDS_F64 = new Float64Array(1);
const WORDS = new Int32Array(WORDS_F64.buffer);
const HIGH = (() => {
  WORDS_F64[0] = 1;
  return WORDS[1] === 0x3ff00000 ? 1 : 0;
})();

/**
 * The engine's ln in JavaScript: bit-identical to the WebAssembly code {@link emitLog} emits.
 *
 * @param x the argument
 * @returns ln x, faithfully rounded; −∞ at ±0, ∞ at ∞, NaN for negative x and NaN
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { engineLog } from "./wasm_log.ts";
 * assert.equal(engineLog(1), 0);
 * assert.ok(Math.abs(engineLog(Math.E) - 1) <= 2 ** -52);
 * assert.equal(engineLog(0), -Infinity);
 * ```
 */
export function engineLog(x: number): number {
  const sub = x < MIN_NORMAL;
  const xs = sub ? x * TWO54 : x;
  WORDS_F64[0] = xs;
  const hi = WORDS[HIGH];
  const eField = hi >>> 20; // sign and exponent: the sign only matters for x < 0 (NaN below)
  WORDS[HIGH] = (hi & 0x000fffff) | 0x3ff00000;
  let m = WORDS_F64[0];
  const big = m > SQRT2;
  m = big ? m * 0.5 : m;
  const e = ((TWO52 + eField) - (TWO52 + 1023) + (big ? 1 : 0)) - (sub ? 54 : 0);
  const f = m - 1;
  const hfsq = (0.5 * f) * f;
  const s = f / (2 + f);
  const z = s * s;
  let r = ATANH[10];
  for (let j = 9; j >= 0; j--) r = r * z + ATANH[j];
  r = r * z;
  const y = e * LN2_HI - ((hfsq - (s * (hfsq + r) + e * LN2_LO)) - f);
  if (!(x >= 0)) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  return y;
}

/** Locals {@link emitLog} needs; allocate once per function with {@link logScratch}. */
export interface LogScratch {
  /** The flavour. */
  readonly width: Width;
  /** Temporaries (f64 or v128): xs, e, m, f, hfsq, s, z, r, sub mask, big mask. */
  readonly t: readonly number[];
}

/**
 * Declares the temporaries of {@link emitLog}.
 *
 * @param fb the function
 * @param width scalar or two-lane
 * @returns the locals
 */
export function logScratch(fb: FunctionBuilder, width: Width): LogScratch {
  const ft = width === "f64" ? "f64" : "v128";
  const t = Array.from({ length: 8 }, () => fb.local(ft));
  // masks: i32 flags for scalar, v128 lanes for SIMD
  const mt = width === "f64" ? "i32" : "v128";
  t.push(fb.local(mt), fb.local(mt));
  return { width, t };
}

/**
 * Emits ln x inline: reads local `x`, leaves the result (f64, or f64x2 lane-wise) on the stack.
 * Bit-identical to {@link engineLog} per lane.
 *
 * @param fb the function
 * @param sc its scratch locals (same width)
 * @param x local holding the argument
 */
export function emitLog(fb: FunctionBuilder, sc: LogScratch, x: number): void {
  const w = sc.width;
  const v = w === "f64x2";
  const op = (scalar: OpName, vector: OpName) => fb.op(v ? vector : scalar);
  const c = (value: number) => v ? fb.f64x2Const(value) : fb.f64Const(value);
  const get = (l: number) => fb.op("local.get", l);
  const set = (l: number) => fb.op("local.set", l);
  /** Pushes `a` where the mask is set, else `b` (both pushed by the callbacks). */
  const select = (a: () => void, b: () => void, mask: number) => {
    a();
    b();
    get(mask);
    op("select", "v128.bitselect");
  };
  const [xs, e, m, f, hfsq, s, z, r, sub, big] = sc.t;
  // sub = x < MIN_NORMAL; xs = sub ? x·2⁵⁴ : x
  get(x);
  c(MIN_NORMAL);
  op("f64.lt", "f64x2.lt");
  set(sub);
  select(
    () => {
      get(x);
      c(TWO54);
      op("f64.mul", "f64x2.mul");
    },
    () => get(x),
    sub,
  );
  set(xs);
  // e = (2⁵² | E) − (2⁵² + 1023); m = mantissa with exponent 0
  get(xs);
  if (v) {
    fb.i32Const(52);
    fb.op("i64x2.shr_u");
    fb.i64x2Const(TWO52_BITS);
    fb.op("v128.or");
  } else {
    fb.op("i64.reinterpret_f64");
    fb.i64Const(52n);
    fb.op("i64.shr_u");
    fb.i64Const(TWO52_BITS);
    fb.op("i64.or");
    fb.op("f64.reinterpret_i64");
  }
  c(TWO52 + 1023);
  op("f64.sub", "f64x2.sub");
  set(e);
  get(xs);
  if (v) {
    fb.i64x2Const(MANTISSA_MASK);
    fb.op("v128.and");
    fb.i64x2Const(ONE_BITS);
    fb.op("v128.or");
  } else {
    fb.op("i64.reinterpret_f64");
    fb.i64Const(MANTISSA_MASK);
    fb.op("i64.and");
    fb.i64Const(ONE_BITS);
    fb.op("i64.or");
    fb.op("f64.reinterpret_i64");
  }
  set(m);
  // big = m > √2; m = big ? m·0.5 : m; e = (e + (big ? 1 : 0)) − (sub ? 54 : 0)
  get(m);
  c(SQRT2);
  op("f64.gt", "f64x2.gt");
  set(big);
  select(
    () => {
      get(m);
      c(0.5);
      op("f64.mul", "f64x2.mul");
    },
    () => get(m),
    big,
  );
  set(m);
  get(e);
  select(() => c(1), () => c(0), big);
  op("f64.add", "f64x2.add");
  select(() => c(54), () => c(0), sub);
  op("f64.sub", "f64x2.sub");
  set(e);
  // f = m − 1; hfsq = (0.5·f)·f; s = f/(2 + f); z = s·s
  get(m);
  c(1);
  op("f64.sub", "f64x2.sub");
  set(f);
  c(0.5);
  get(f);
  op("f64.mul", "f64x2.mul");
  get(f);
  op("f64.mul", "f64x2.mul");
  set(hfsq);
  get(f);
  c(2);
  get(f);
  op("f64.add", "f64x2.add");
  op("f64.div", "f64x2.div");
  fb.op("local.tee", s);
  get(s);
  op("f64.mul", "f64x2.mul");
  set(z);
  // r = (Horner of ATANH in z)·z
  c(ATANH[10]);
  for (let j = 9; j >= 0; j--) {
    get(z);
    op("f64.mul", "f64x2.mul");
    c(ATANH[j]);
    op("f64.add", "f64x2.add");
  }
  get(z);
  op("f64.mul", "f64x2.mul");
  set(r);
  // y = e·LN2_HI − ((hfsq − (s·(hfsq + r) + e·LN2_LO)) − f)
  const y = () => {
    get(e);
    c(LN2_HI);
    op("f64.mul", "f64x2.mul");
    get(hfsq);
    get(s);
    get(hfsq);
    get(r);
    op("f64.add", "f64x2.add");
    op("f64.mul", "f64x2.mul");
    get(e);
    c(LN2_LO);
    op("f64.mul", "f64x2.mul");
    op("f64.add", "f64x2.add");
    op("f64.sub", "f64x2.sub");
    get(f);
    op("f64.sub", "f64x2.sub");
    op("f64.sub", "f64x2.sub");
  };
  // Specials, innermost first: x = ∞ → ∞; x = 0 → −∞; !(x ≥ 0) → NaN (masks reuse sub, big).
  const mask = (target: number, cmp: () => void) => {
    cmp();
    set(target);
  };
  mask(sub, () => {
    get(x);
    c(Infinity);
    op("f64.eq", "f64x2.eq");
  });
  select(() => c(Infinity), y, sub);
  set(r);
  mask(sub, () => {
    get(x);
    c(0);
    op("f64.eq", "f64x2.eq");
  });
  select(() => c(-Infinity), () => get(r), sub);
  set(r);
  mask(big, () => {
    get(x);
    c(0);
    op("f64.ge", "f64x2.ge");
  });
  select(() => get(r), () => c(NaN), big);
}
