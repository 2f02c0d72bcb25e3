/**
 * The engine's exponential, written once as an operation sequence and emitted three ways that
 * give the same bits for every argument: inline WebAssembly on one f64, inline WebAssembly on
 * both lanes of an f64x2, and the JavaScript function {@link engineExp}. Only IEEE-754 basic
 * operations (add, subtract, multiply, min, max) and integer bit operations are used, all of
 * which WebAssembly and JavaScript define to the bit and neither may contract into fused
 * multiply-adds, so a sweep computed in a SIMD lane, alone in a scalar kernel, or in the
 * JavaScript fallback takes the same value.
 *
 * Algorithm: x is clamped to [−746, 710] (beyond it the result is 0 or ∞ anyway; NaN passes:
 * the clamps are x86's `minpd`/`maxpd`, `c < x ? c : x`), k = round(x/ln 2) by the 1.5·2⁵² shift,
 * r = x − k·ln 2 in two parts (Cody–Waite: k·LN2_HI is exact), exp(r) = 1 + (hi + (r²·q(r) − lo))
 * with q the Taylor polynomial of degree 11 (terms r²/2! … r¹³/13!, truncation error 4·10⁻¹⁸ on
 * |r| ≤ ln 2/2) evaluated by Estrin's scheme (a third faster than Horner's: shorter dependency
 * chains), and 2^k applied as two factors 2^k₁·2^(k−k₁), k₁ = ⌊k/2⌋, so that overflow gives
 * ∞ and gradual underflow rounds once. The factors' exponent bits come from k₁ + 1023 + 1.5·2⁵²
 * shifted left by 52 (no 64-bit arithmetic shift, which x86 SIMD lacks). Accuracy (measured
 * against a double-double reference in `wasm_math_test.ts`): faithfully rounded, at worst 0.89 ulp
 * in 10⁶ samples per range; V8's `Math.exp` is within 0.5 ulp, so the two differ by one ulp for
 * about one argument in ten.
 *
 * @module
 */
import type { FunctionEmitter as FunctionBuilder, OpName } from "./wasm_builder.ts";

/** 1.5·2⁵²: adding it rounds a double of magnitude < 2⁵¹ to an integer, kept in the low bits. */
const SHIFT = 6755399441055744;
/**
 * SHIFT + 1023: adding it to an integer-valued double k (|k| < 2¹⁰) leaves k + 1023 in the low
 * bits, whose 11 lowest bits shifted left by 52 are the biased exponent of 2^k.
 */
const SHIFT_BIAS = SHIFT + 1023;
/** 1/ln 2 rounded to double. */
const INV_LN2 = 1.4426950408889634;
/** ln 2 with its low 21 significand bits cleared (so k·LN2_HI is exact for |k| < 2¹¹). */
export const LN2_HI = 0.6931471803691238;
/** (ln 2 − LN2_HI) rounded to double. */
export const LN2_LO = 1.9082149292705877e-10;
/** Clamp of the argument: exp(710) = ∞ and exp(−746) = 0 in double precision. */
const X_MAX = 710;
const X_MIN = -746;

/** 1/n! for n = 0 … 13 (each a correctly rounded quotient of exact integers). */
const INV_FACTORIAL: readonly number[] = (() => {
  const c = [1];
  let f = 1;
  for (let n = 1; n <= 13; n++) {
    f *= n; // 13! = 6,227,020,800 < 2⁵³: exact
    c.push(1 / f);
  }
  return c;
})();

const POW2 = new Float64Array(1);
const POW2_WORDS = new Int32Array(POW2.buffer);
/** Index of the high 32-bit word of a double in {@link POW2_WORDS} (1 on little-endian hosts). */
const HIGH = (() => {
  POW2[0] = 1;
  return POW2_WORDS[1] === 0x3ff00000 ? 1 : 0;
})();

/** 2^k for an integer k in [−1022, 1023], built from its bits. */
function pow2(k: number): number {
  POW2_WORDS[1 - HIGH] = 0;
  POW2_WORDS[HIGH] = (k + 1023) << 20;
  return POW2[0];
}

/**
 * The engine's exp in JavaScript: bit-identical to the WebAssembly code {@link emitExp} emits,
 * scalar or SIMD (module documentation). The JavaScript fallback kernels use it where the
 * engine's kernels would, so both paths give the same bits.
 *
 * @param x the argument
 * @returns e^x, faithfully rounded (< 1 ulp); ∞ above 709.78, 0 below −745.13, NaN for NaN
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { engineExp } from "./wasm_math.ts";
 * assert.equal(engineExp(0), 1);
 * assert.ok(Math.abs(engineExp(1) - Math.E) <= 2 ** -51);
 * assert.equal(engineExp(800), Infinity);
 * ```
 */
export function engineExp(x: number): number {
  let xc = X_MAX < x ? X_MAX : x;
  xc = xc < X_MIN ? X_MIN : xc;
  const t = xc * INV_LN2 + SHIFT;
  const kd = t - SHIFT;
  const hi = xc - kd * LN2_HI;
  const lo = kd * LN2_LO;
  const r = hi - lo;
  const c = INV_FACTORIAL;
  // q = c2 + c3·r + … + c13·r¹¹ by Estrin's scheme (pairs, then r², r⁴, r⁸)
  const r2 = r * r;
  const r4 = r2 * r2;
  const q = ((c[2] + c[3] * r) + (c[4] + c[5] * r) * r2) +
    ((c[6] + c[7] * r) + (c[8] + c[9] * r) * r2) * r4 +
    ((c[10] + c[11] * r) + (c[12] + c[13] * r) * r2) * (r4 * r4);
  const p = 1 + (hi + (r2 * q - lo));
  if (p !== p) return p; // NaN: kd is NaN and has no exponent
  const k1 = Math.floor(kd * 0.5);
  return (p * pow2(k1)) * pow2(kd - k1);
}

/** Scalar (f64) or two-lane (f64x2) flavour of the emitted code. */
export type Width = "f64" | "f64x2";

/** Locals {@link emitExp} needs; allocate them once per function with {@link expScratch}. */
export interface ExpScratch {
  /** The flavour the locals were declared for. */
  readonly width: Width;
  /** Float (f64 or v128) temporaries: xc, t, kd, hi, lo, r, q. */
  readonly f: readonly number[];
}

/**
 * Declares the temporaries of {@link emitExp} in `fb`.
 *
 * @param fb the function
 * @param width scalar or two-lane
 * @returns the locals
 */
export function expScratch(fb: FunctionBuilder, width: Width): ExpScratch {
  const ft = width === "f64" ? "f64" : "v128";
  return { width, f: [0, 1, 2, 3, 4, 5, 6].map(() => fb.local(ft)) };
}

/** The float operations of one flavour, by role. */
interface FloatOps {
  readonly add: OpName;
  readonly sub: OpName;
  readonly mul: OpName;
  readonly floor: OpName;
}

const F64: FloatOps = { add: "f64.add", sub: "f64.sub", mul: "f64.mul", floor: "f64.floor" };
const F64X2: FloatOps = {
  add: "f64x2.add",
  sub: "f64x2.sub",
  mul: "f64x2.mul",
  floor: "f64x2.floor",
};

/** Pushes a float constant of the flavour (both lanes for f64x2). */
function constant(fb: FunctionBuilder, width: Width, x: number): void {
  if (width === "f64") fb.f64Const(x);
  else fb.f64x2Const(x);
}

/**
 * Emits e^x inline: pops nothing, reads local `x`, leaves the result (f64, or f64x2 lane-wise)
 * on the stack. Bit-identical to {@link engineExp} per lane.
 *
 * @param fb the function
 * @param s its scratch locals (same width)
 * @param x local holding the argument
 * @example exp of both lanes
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModuleBuilder } from "./wasm_builder.ts";
 * import { emitExp, engineExp, expScratch } from "./wasm_math.ts";
 * const mb = new ModuleBuilder();
 * const f = mb.addFunction({ params: ["f64"], results: ["f64"] }, { exportAs: "exp" });
 * emitExp(f, expScratch(f, "f64"), 0);
 * const exp = new WebAssembly.Instance(new WebAssembly.Module(mb.encode())).exports.exp as (
 *   x: number) => number;
 * assert.equal(exp(-3.7), engineExp(-3.7));
 * ```
 */
export function emitExp(fb: FunctionBuilder, s: ExpScratch, x: number): void {
  const w = s.width;
  const o = w === "f64" ? F64 : F64X2;
  const [xc, t, kd, hi, lo, r, q] = s.f;
  // xc = X_MAX < x ? X_MAX : x; xc = xc < X_MIN ? X_MIN : xc (f64x2.pmin/pmax are exactly this)
  if (w === "f64") {
    fb.f64Const(X_MAX);
    fb.op("local.get", x);
    fb.f64Const(X_MAX);
    fb.op("local.get", x);
    fb.op("f64.lt");
    fb.op("select");
    fb.op("local.set", xc);
    fb.f64Const(X_MIN);
    fb.op("local.get", xc);
    fb.op("local.get", xc);
    fb.f64Const(X_MIN);
    fb.op("f64.lt");
    fb.op("select");
    fb.op("local.tee", xc);
  } else {
    fb.op("local.get", x);
    fb.f64x2Const(X_MAX);
    fb.op("f64x2.pmin");
    fb.f64x2Const(X_MIN);
    fb.op("f64x2.pmax");
    fb.op("local.tee", xc);
  }
  // t = xc·INV_LN2 + SHIFT; kd = t − SHIFT
  constant(fb, w, INV_LN2);
  fb.op(o.mul);
  constant(fb, w, SHIFT);
  fb.op(o.add);
  fb.op("local.tee", t);
  constant(fb, w, SHIFT);
  fb.op(o.sub);
  fb.op("local.set", kd);
  // hi = xc − kd·LN2_HI; lo = kd·LN2_LO; r = hi − lo
  fb.op("local.get", xc);
  fb.op("local.get", kd);
  constant(fb, w, LN2_HI);
  fb.op(o.mul);
  fb.op(o.sub);
  fb.op("local.tee", hi);
  fb.op("local.get", kd);
  constant(fb, w, LN2_LO);
  fb.op(o.mul);
  fb.op("local.tee", lo);
  fb.op(o.sub);
  fb.op("local.set", r);
  // q = c2 + c3·r + … + c13·r¹¹ by Estrin's scheme: pairs (c_n + c_{n+1}·r), joined with r², r⁴,
  // r⁸ (t holds r², kd is still needed, so r⁴ goes to xc, which is free now)
  fb.op("local.get", r);
  fb.op("local.get", r);
  fb.op(o.mul);
  fb.op("local.tee", t);
  fb.op("local.get", t);
  fb.op(o.mul);
  fb.op("local.set", xc);
  const pair = (n: number): void => {
    constant(fb, w, INV_FACTORIAL[n]);
    constant(fb, w, INV_FACTORIAL[n + 1]);
    fb.op("local.get", r);
    fb.op(o.mul);
    fb.op(o.add);
  };
  const quad = (n: number): void => {
    pair(n);
    pair(n + 2);
    fb.op("local.get", t);
    fb.op(o.mul);
    fb.op(o.add);
  };
  quad(2);
  quad(6);
  fb.op("local.get", xc);
  fb.op(o.mul);
  fb.op(o.add);
  quad(10);
  fb.op("local.get", xc);
  fb.op("local.get", xc);
  fb.op(o.mul);
  fb.op(o.mul);
  fb.op(o.add);
  fb.op("local.set", q);
  // p = 1 + (hi + (r²·q − lo))
  constant(fb, w, 1);
  fb.op("local.get", hi);
  fb.op("local.get", t);
  fb.op("local.get", q);
  fb.op(o.mul);
  fb.op("local.get", lo);
  fb.op(o.sub);
  fb.op(o.add);
  fb.op(o.add);
  // k₁ = ⌊kd/2⌋, k₂ = kd − k₁; p·2^k₁·2^k₂ with 2^k = bits((k + SHIFT_BIAS) << 52)
  const [shl, reinterpret]: OpName[] = w === "f64"
    ? ["i64.shl", "f64.reinterpret_i64"]
    : ["i64x2.shl", "nop"];
  const pow2 = (): void => {
    constant(fb, w, SHIFT_BIAS);
    fb.op(o.add);
    if (w === "f64") {
      fb.op("i64.reinterpret_f64");
      fb.i64Const(52n);
    } else fb.i32Const(52);
    fb.op(shl);
    if (reinterpret !== "nop") fb.op(reinterpret);
    fb.op(o.mul);
  };
  fb.op("local.get", kd);
  constant(fb, w, 0.5);
  fb.op(o.mul);
  fb.op(o.floor);
  fb.op("local.tee", t); // t is free now: k₁
  pow2();
  fb.op("local.get", kd);
  fb.op("local.get", t);
  fb.op(o.sub);
  pow2();
}
