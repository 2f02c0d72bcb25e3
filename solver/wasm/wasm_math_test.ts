import assert from "node:assert/strict";
import { expUlpError, sameBits, unaryModule, uniform } from "./_testing.ts";
import { emitExp, engineExp, expScratch } from "./wasm_math.ts";

/**
 * Faithful rounding (< 1 ulp): the final rounding (0.5 ulp), the rounding of hi + t relative to a
 * result in [0.7, 1) (0.25 ulp) and the polynomial's roundings; measured maximum 0.89 ulp over
 * 10⁶ samples per regime.
 */
const MAX_ULP = 1;

/** Argument ranges of the kernels: gate rates ((v ± c)/s for v in [−150, 100] mV), cnexp factors dt·b, the whole range. */
const REGIMES: readonly (readonly [string, number, number])[] = [
  ["tiny |x| < 1e-3 (dt/τ)", -1e-3, 1e-3],
  ["cnexp factors dt·b in [−1, 0]", -1, 0],
  ["gate rates [−40, 40]", -40, 40],
  ["whole normal range [−708, 709]", -708, 709],
];

for (const [name, lo, hi] of REGIMES) {
  Deno.test(`engineExp() is within ${MAX_ULP} ulp of e^x on ${name}`, () => {
    const rnd = uniform(12345);
    let worst = 0, at = 0;
    for (let j = 0; j < 100_000; j++) {
      const x = rnd(lo, hi);
      const e = expUlpError(x, engineExp(x));
      if (e > worst) {
        worst = e;
        at = x;
      }
    }
    assert.ok(worst <= MAX_ULP, `max error ${worst.toFixed(3)} ulp at x = ${at} > ${MAX_ULP}`);
  });
}

Deno.test("engineExp() handles overflow, gradual underflow, infinities, NaN and ±0", () => {
  assert.equal(engineExp(709.78), Math.exp(709.78));
  assert.equal(engineExp(709.8), Infinity);
  assert.equal(engineExp(Infinity), Infinity);
  assert.equal(engineExp(-Infinity), 0);
  assert.equal(engineExp(-746), 0);
  assert.equal(engineExp(-745.1), 5e-324); // the smallest subnormal
  assert.equal(engineExp(-740), Math.exp(-740)); // subnormal, rounded once
  assert.ok(Number.isNaN(engineExp(NaN)));
  assert.equal(engineExp(0), 1);
  assert.equal(engineExp(-0), 1);
});

Deno.test("emitExp() scalar and f64x2 give the bits of engineExp() for every sample", () => {
  const run = unaryModule((fb, width, x) => emitExp(fb, expScratch(fb, width), x));
  const rnd = uniform(777);
  const n = 200_000;
  const xs = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    // wide range, kernel range, tiny arguments, and special values
    const r = j % 4;
    xs[j] = r === 0 ? rnd(-800, 800) : r === 1 ? rnd(-40, 40) : r === 2 ? rnd(-1e-6, 1e-6) : 0;
  }
  xs.set([NaN, Infinity, -Infinity, -0, 709.8, -745.1, -740, 1e-300, -1e-300], 0);
  const scalar = run("f64", xs);
  const simd = run("f64x2", xs);
  let differ = 0;
  for (let j = 0; j < n; j++) {
    const js = engineExp(xs[j]);
    if (!sameBits(scalar[j], js) || !sameBits(simd[j], js)) {
      if (differ++ < 5) {
        console.error(`x ${xs[j]}: js ${js}, wasm ${scalar[j]}, f64x2 ${simd[j]}`);
      }
    }
  }
  assert.equal(differ, 0, `${differ} of ${n} samples differ`);
});

Deno.test("engineExp() differs from Math.exp by at most one ulp, at about 10 % of arguments", () => {
  const rnd = uniform(99);
  let differ = 0;
  const n = 100_000;
  for (let j = 0; j < n; j++) {
    const x = rnd(-40, 40);
    const a = engineExp(x), b = Math.exp(x);
    if (a !== b) {
      differ++;
      const ulp = 2 ** (Math.floor(Math.log2(b)) - 52);
      assert.ok(Math.abs(a - b) <= ulp, `x ${x}: ${a} vs Math.exp ${b}`);
    }
  }
  // Documented in wasm_math.ts: a sanity bound on the share, not a goal.
  assert.ok(differ > 0 && differ < 0.2 * n, `${differ} of ${n} differ`);
});
