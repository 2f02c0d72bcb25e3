import assert from "node:assert/strict";
import { formatPythonFloat, pythonFloatFromDigits } from "./python_float.ts";

// Expected strings are Python 3.11 `repr(float(...))` outputs.
const CASES: [number, string][] = [
  [0, "0.0"],
  [-0, "-0.0"],
  [1, "1.0"],
  [-75, "-75.0"],
  [100, "100.0"],
  [0.1, "0.1"],
  [0.025, "0.025"],
  [3.26e-5, "3.26e-05"],
  [4e-5, "4e-05"],
  [1e-5, "1e-05"],
  [1.5e-7, "1.5e-07"],
  [0.0001, "0.0001"],
  [0.00012345, "0.00012345"],
  [1e16, "1e+16"],
  [1.2345678901234568e17, "1.2345678901234568e+17"],
  [1234567890123456, "1234567890123456.0"],
  [9999999999999998, "9999999999999998.0"],
  [100.00000000001417, "100.00000000001417"],
  [345.02499999982314, "345.02499999982314"],
  [-61.4607218758, "-61.4607218758"],
  [1e22, "1e+22"],
  [1e100, "1e+100"],
  [1.7976931348623157e308, "1.7976931348623157e+308"],
  [5e-324, "5e-324"],
  [2.2250738585072014e-308, "2.2250738585072014e-308"],
  [1e-100, "1e-100"],
  [123.456, "123.456"],
  [0.3333333333333333, "0.3333333333333333"],
  [2 / 3, "0.6666666666666666"],
  [1 / 3 * 1e-4, "3.3333333333333335e-05"],
  [1e15, "1000000000000000.0"],
  [1.5e15, "1500000000000000.0"],
  [12345.678, "12345.678"],
  [Infinity, "inf"],
  [-Infinity, "-inf"],
  [NaN, "nan"],
  [-1e-5, "-1e-05"],
  [-1e16, "-1e+16"],
  [0.5488135039273248, "0.5488135039273248"],
];

Deno.test("formatPythonFloat() matches Python repr on edge cases", () => {
  for (const [x, want] of CASES) assert.equal(formatPythonFloat(x), want, `value ${x}`);
});

Deno.test("formatPythonFloat() round-trips random doubles", () => {
  // Deterministic xorshift so the test is reproducible.
  let s = 0x9e3779b9 >>> 0;
  const buf = new DataView(new ArrayBuffer(8));
  for (let k = 0; k < 20000; k++) {
    s ^= s << 13, s >>>= 0, s ^= s >>> 17, s ^= s << 5, s >>>= 0;
    const hi = s;
    s ^= s << 13, s >>>= 0, s ^= s >>> 17, s ^= s << 5, s >>>= 0;
    buf.setUint32(0, hi), buf.setUint32(4, s);
    const x = buf.getFloat64(0);
    if (!Number.isFinite(x)) continue;
    const str = formatPythonFloat(x);
    assert.ok(Object.is(Number(str), x), `${str} does not round-trip to ${x}`);
    assert.match(str, /^-?(\d+\.\d+|\d(\.\d+)?e[+-]\d{2,3})$/);
  }
});

/** The double next to x towards +∞ (dir 1) or −∞ (dir −1), for x > 0. */
function nextDouble(x: number, dir: 1 | -1): number {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  b.setBigUint64(0, b.getBigUint64(0) + BigInt(dir));
  return b.getFloat64(0);
}

Deno.test("formatPythonFloat() fast path equals the digit construction on 1e-4 <= |x| < 1e16 and at its bounds", () => {
  const edges = [
    1e-4,
    1e16,
    1,
    10,
    0.1,
    2 ** 53,
    2 ** 53 - 1,
    123456789012345.6,
    999999999999999.9,
  ];
  const values: number[] = [];
  for (const e of edges) values.push(e, nextDouble(e, 1), nextDouble(e, -1));
  // Deterministic xorshift: decimal exponents −6 … 17 (both sides of both bounds), random
  // mantissas, integers and short binary fractions (the values traces and times hold).
  let s = 0x2545f491 >>> 0;
  const next = () => (s ^= s << 13, s >>>= 0, s ^= s >>> 17, s ^= s << 5, s >>>= 0, s / 2 ** 32);
  for (let k = 0; k < 300000; k++) {
    const m = next() * 10 ** (Math.floor(next() * 24) - 6);
    values.push(k % 3 === 0 ? m : k % 3 === 1 ? Math.round(m) : Math.round(m * 1024) / 1024);
  }
  for (let k = 0; k < 2000; k++) values.push(0.025 * k, -75 + 0.001 * k);
  let checked = 0;
  for (const v of values) {
    for (const x of [v, -v]) {
      assert.equal(formatPythonFloat(x), pythonFloatFromDigits(x), `value ${x}`);
      checked++;
    }
  }
  assert.ok(checked > 600000);
});

Deno.test("pythonFloatFromDigits() matches Python repr on edge cases", () => {
  for (const [x, want] of CASES) assert.equal(pythonFloatFromDigits(x), want, `value ${x}`);
});
