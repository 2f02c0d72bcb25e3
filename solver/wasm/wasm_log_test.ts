import assert from "node:assert/strict";
import { logUlpError, sameBits, unaryModule, uniform } from "./_testing.ts";
import { emitLog, engineLog, logScratch } from "./wasm_log.ts";

/**
 * Faithful rounding: the final subtraction rounds (0.5 ulp) and the e·LN2 split, the s·(…)
 * term and the series add a fraction of an ulp; measured maximum below 0.75 ulp.
 */
const MAX_ULP = 0.9;

/** Argument regimes: concentrations (cai 1e-5…1e-2 mM, cao/cai up to 1e5), near 1, the whole range. */
const REGIMES: readonly (readonly [string, (r: (lo: number, hi: number) => number) => number])[] = [
  ["concentrations [1e-7, 10] mM", (r) => 10 ** r(-7, 1)],
  ["ratios cao/cai [1, 1e6]", (r) => 10 ** r(0, 6)],
  ["near 1: [0.7, 1.4]", (r) => r(0.7, 1.4)],
  ["whole normal range [1e-300, 1e300]", (r) => 10 ** r(-300, 300)],
  ["subnormals [5e-324, 2.2e-308]", (r) => r(5e-324, 2.2e-308)],
];

for (const [name, draw] of REGIMES) {
  Deno.test(`engineLog() is within ${MAX_ULP} ulp of ln x on ${name}`, () => {
    const rnd = uniform(4242);
    let worst = 0, at = 0;
    for (let j = 0; j < 100_000; j++) {
      const x = draw(rnd);
      if (x === 1) continue;
      const e = x < 2.2250738585072014e-308
        // the reference needs normal numbers: compare ln(x·2^54) − 54·ln 2 there
        ? logUlpError(x * 2 ** 54, engineLog(x) + 54 * Math.LN2)
        : logUlpError(x, engineLog(x));
      if (e > worst) {
        worst = e;
        at = x;
      }
    }
    // Subnormal arguments: the comparison above adds one rounding (≤ 0.5 ulp) of its own.
    const bound = name.startsWith("subnormals") ? MAX_ULP + 0.5 : MAX_ULP;
    assert.ok(worst <= bound, `max error ${worst.toFixed(3)} ulp at x = ${at} > ${bound}`);
  });
}

Deno.test("engineLog() handles 0, −0, ∞, negative numbers, NaN and powers of two exactly", () => {
  assert.equal(engineLog(0), -Infinity);
  assert.equal(engineLog(-0), -Infinity);
  assert.equal(engineLog(Infinity), Infinity);
  assert.ok(Number.isNaN(engineLog(-1)));
  assert.ok(Number.isNaN(engineLog(-Infinity)));
  assert.ok(Number.isNaN(engineLog(NaN)));
  assert.equal(engineLog(1), 0);
  for (const k of [-1074, -1022, -1, 1, 10, 1023]) {
    assert.ok(Math.abs(engineLog(2 ** k) - k * Math.LN2) <= 2 ** -52 * Math.abs(k * Math.LN2));
  }
});

Deno.test("emitLog() scalar and f64x2 give the bits of engineLog() for every sample", () => {
  const run = unaryModule((fb, width, x) => emitLog(fb, logScratch(fb, width), x));
  const rnd = uniform(31337);
  const n = 200_000;
  const xs = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const r = j % 4;
    xs[j] = r === 0
      ? 10 ** rnd(-310, 308)
      : r === 1
      ? rnd(0.5, 2)
      : r === 2
      ? 10 ** rnd(-8, 2)
      : -rnd(0, 10);
  }
  xs.set([0, -0, Infinity, -Infinity, NaN, 1, 5e-324, 2.2250738585072014e-308, Math.SQRT2], 0);
  const scalar = run("f64", xs);
  const simd = run("f64x2", xs);
  let differ = 0;
  for (let j = 0; j < n; j++) {
    const js = engineLog(xs[j]);
    if (!sameBits(scalar[j], js) || !sameBits(simd[j], js)) {
      if (differ++ < 5) console.error(`x ${xs[j]}: js ${js}, wasm ${scalar[j]}, f64x2 ${simd[j]}`);
    }
  }
  assert.equal(differ, 0, `${differ} of ${n} samples differ`);
});
