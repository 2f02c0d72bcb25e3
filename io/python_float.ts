/**
 * Python 3 `repr(float)` formatting (spec/outputs.md §2), used for every floating-point
 * value simrun writes so that files match ISF's byte for byte.
 *
 * @module
 */

/**
 * Formats a double as Python 3's `repr(float)` / `str(float)`: the shortest decimal string
 * that round-trips, positional for decimal exponents −4 ≤ e < 16 (with at least one digit
 * after the point), otherwise scientific with a signed, at-least-two-digit exponent.
 *
 * @param x the value
 * @returns the Python spelling (`100.0`, `-0.0`, `1e-05`, `1.5e-07`, `1e+16`, `inf`, `nan`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPythonFloat } from "./python_float.ts";
 * assert.equal(formatPythonFloat(-75), "-75.0");
 * assert.equal(formatPythonFloat(1e-5), "1e-05");
 * assert.equal(formatPythonFloat(100.00000000001417), "100.00000000001417");
 * ```
 */
export function formatPythonFloat(x: number): string {
  // Fast path. On 1e-4 ≤ |x| < 1e16 Python writes x positionally, and so does JavaScript's
  // Number-to-String (positional on 1e-7 ≤ |x| < 1e21), with the same shortest round-trip digits
  // (the ones toExponential() gives: V8 generates both with one algorithm): only an integral
  // value lacks Python's ".0". The bounds are doubles, and rounding to the nearest double is
  // monotonic, so |x| ≥ 1e-4 exactly when its shortest digits have a decimal exponent ≥ −4, and
  // |x| < 1e16 exactly when that exponent is < 16.
  const ax = x < 0 ? -x : x;
  if (ax >= 1e-4 && ax < 1e16) {
    const s = String(x);
    return s.indexOf(".") >= 0 ? s : s + ".0";
  }
  return pythonFloatFromDigits(x);
}

/**
 * Python's `repr(float)` built from the shortest round-trip digits of `toExponential()`: the
 * general path of {@link formatPythonFloat}, for every value (the fast path covers the
 * positional range 1e-4 ≤ |x| < 1e16 only; the tests check both agree there).
 *
 * @param x the value
 * @returns the Python spelling
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pythonFloatFromDigits } from "./python_float.ts";
 * assert.equal(pythonFloatFromDigits(-75), "-75.0");
 * assert.equal(pythonFloatFromDigits(1.5e-7), "1.5e-07");
 * ```
 */
export function pythonFloatFromDigits(x: number): string {
  if (x !== x) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const neg = x < 0;
  // toExponential() without an argument gives the shortest round-trip digits ("d.ddde±n").
  const s = (neg ? -x : x).toExponential();
  const ePos = s.indexOf("e");
  const mantissa = s.slice(0, ePos);
  const exp = Number(s.slice(ePos + 1));
  const digits = mantissa.length > 1 ? mantissa[0] + mantissa.slice(2) : mantissa;
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out = "0." + "0".repeat(-exp - 1) + digits;
    } else if (digits.length > exp + 1) {
      out = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
    } else {
      out = digits + "0".repeat(exp + 1 - digits.length) + ".0";
    }
  } else {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    const a = exp < 0 ? -exp : exp;
    out = m + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" + a : String(a));
  }
  return neg ? "-" + out : out;
}
