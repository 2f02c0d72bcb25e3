/**
 * Test helpers of solver/wasm: double-double references for exp and ln, ulp errors, a
 * reproducible uniform generator, and a module that applies an emitted unary function to arrays.
 *
 * @module
 */
import { ModuleBuilder } from "./wasm_builder.ts";
import type { FunctionBuilder } from "./wasm_builder.ts";
import type { Width } from "./wasm_math.ts";

/** A double-double: value = hi + lo, |lo| ≤ ulp(hi)/2. */
export type DD = readonly [number, number];
const SPLIT = 134217729; // 2^27 + 1
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, (a - (s - bb)) + (b - bb)];
}
function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  return [p, ((ah * bh - p) + ah * bl + al * bh) + al * bl];
}
function ddAdd(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  return twoSum(s, e + a[1] + b[1]);
}
function ddMul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + a[0] * b[1] + a[1] * b[0]);
}
function ddDivInt(a: DD, n: number): DD {
  const q = a[0] / n;
  const [p, e] = twoProd(q, n);
  return twoSum(q, ((a[0] - p) - e + a[1]) / n);
}
/** ln 2 as a double-double (hi = Math.LN2). */
const LN2_DD: DD = [0.6931471805599453, 2.3190468138462996e-17];

/** e^x = 2^k·m with m accurate to ~1e-30 relative (|x| < 745). */
export function referenceExp(x: number): { k: number; m: DD } {
  const k = Math.round(x / LN2_DD[0]);
  const r = ddAdd([x, 0], ddMul([-k, 0], LN2_DD));
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let n = 1; n < 28; n++) {
    term = ddDivInt(ddMul(term, r), n);
    sum = ddAdd(sum, term);
  }
  return { k, m: sum };
}

/** |y − e^x| in ulps of e^x (normal results only). */
export function expUlpError(x: number, y: number): number {
  const { k, m } = referenceExp(x);
  const scaled = y * 2 ** -k; // exact: y is normal and 2^-k a power of two
  const ulp = 2 ** (Math.floor(Math.log2(m[0])) - 52);
  return Math.abs((scaled - m[0]) - m[1]) / ulp;
}

/**
 * ln x as a double-double: one Newton step y + (x − e^y)/e^y from y = Math.log(x), with e^y in
 * double-double (normal positive x).
 */
export function referenceLog(x: number): DD {
  const y = Math.log(x);
  const { k, m } = referenceExp(y);
  // x·2^-k / m − 1 ≈ (x·2^-k − m)/m, all in double-double
  const xs = x * 2 ** -k;
  const diff = ddAdd([xs, 0], [-m[0], -m[1]]);
  const corr = (diff[0] + diff[1]) / m[0];
  return twoSum(y, corr);
}

/** |y − ln x| in ulps of ln x (x normal, positive, ≠ 1). */
export function logUlpError(x: number, y: number): number {
  const [hi, lo] = referenceLog(x);
  const ulp = 2 ** (Math.floor(Math.log2(Math.abs(hi))) - 52);
  return Math.abs((y - hi) - lo) / ulp;
}

/** A reproducible uniform generator on [lo, hi) (xorshift32). */
export function uniform(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0 || 1;
  return (lo, hi) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + (hi - lo) * (s / 4294967296);
  };
}

/**
 * A module with `apply_f64` and `apply_f64x2`: out[j] = fn(in[j]) with the function emitted by
 * `emit(fb, width, x)` (reads local x, leaves the result). Returns a runner over arrays.
 */
export function unaryModule(
  emit: (fb: FunctionBuilder, width: Width, x: number) => void,
): (width: Width, xs: Float64Array) => Float64Array {
  const mb = new ModuleBuilder();
  mb.addMemory({ initial: 64 }, "memory");
  for (const width of ["f64", "f64x2"] as const) {
    const f = mb.addFunction({ params: ["i32", "i32", "i32"], results: [] }, {
      exportAs: `apply_${width}`,
    });
    const x = f.local(width === "f64" ? "f64" : "v128");
    const end = f.local("i32");
    f.op("local.get", 0);
    f.op("local.get", 2);
    f.i32Const(3);
    f.op("i32.shl");
    f.op("i32.add");
    f.op("local.set", end);
    const done = f.block();
    const loop = f.loop();
    f.op("local.get", 0);
    f.op("local.get", end);
    f.op("i32.ge_u");
    f.brIf(done);
    f.op("local.get", 1);
    f.op("local.get", 0);
    f.op(width === "f64" ? "f64.load" : "v128.load", 0);
    f.op("local.set", x);
    emit(f, width, x);
    f.op(width === "f64" ? "f64.store" : "v128.store", 0);
    for (const p of [0, 1]) {
      f.op("local.get", p);
      f.i32Const(width === "f64" ? 8 : 16);
      f.op("i32.add");
      f.op("local.set", p);
    }
    f.br(loop);
    f.op("end");
    f.op("end");
  }
  const bytes = mb.encode();
  if (!WebAssembly.validate(bytes)) throw new Error("the unary module does not validate");
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const mem = inst.exports.memory as WebAssembly.Memory;
  return (width, xs) => {
    const n = xs.length;
    const heap = new Float64Array(mem.buffer);
    heap.set(xs, 0);
    (inst.exports[`apply_${width}`] as (a: number, b: number, n: number) => void)(0, n * 8, n);
    return heap.slice(n, 2 * n);
  };
}

/** Same double, or both NaN. */
export function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}
