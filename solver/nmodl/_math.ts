/**
 * The whitelisted math functions of NMODL as the kernels compute them, for evaluating an
 * expression at compile time (constant folding, quiet-instance analysis): the same JavaScript
 * operations the generated kernels run, so a folded value is the one a kernel would compute.
 *
 * @module
 */
import { fmax, fmin } from "./_runtime.ts";
import type { ArithmeticOp, LogicOp } from "./ir.ts";

const EXP700 = Math.exp(700);

/**
 * NEURON's `hoc_Exp` (the `exp` of every mechanism): 0 below −700, exp(700) above 700.
 *
 * @param x the exponent
 * @returns e^x, clamped as NEURON clamps it
 */
export function nrnExp(x: number): number {
  return x < -700 ? 0 : x > 700 ? EXP700 : Math.exp(x);
}

/** The kernels' math functions by NMODL name (js_backend.ts MATH_JS names the same ones). */
export const MATH_FUNCTIONS: Readonly<Record<string, (...a: number[]) => number>> = {
  exp: nrnExp,
  log: Math.log,
  log10: Math.log10,
  fabs: Math.abs,
  sqrt: Math.sqrt,
  pow: Math.pow,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  atan2: Math.atan2,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  floor: Math.floor,
  ceil: Math.ceil,
  fmod: (a, b) => a % b,
  fmin,
  fmax,
};

/**
 * A binary operation on two known values, as the kernels compute it: C double arithmetic
 * (`mod` is `fmod`), comparisons and logic giving 1 or 0 (C truth: nonzero, NaN included).
 *
 * @param op the operation
 * @param x left operand
 * @param y right operand
 * @returns the result
 */
export function evalBinary(op: ArithmeticOp | LogicOp, x: number, y: number): number {
  switch (op) {
    case "add":
      return x + y;
    case "sub":
      return x - y;
    case "mul":
      return x * y;
    case "div":
      return x / y;
    case "pow":
      return Math.pow(x, y);
    case "mod":
      return x % y;
    case "lt":
      return +(x < y);
    case "le":
      return +(x <= y);
    case "gt":
      return +(x > y);
    case "ge":
      return +(x >= y);
    case "eq":
      return +(x === y);
    case "ne":
      return +(x !== y);
    case "and":
      return +(x !== 0 && y !== 0);
    case "or":
      return +(x !== 0 || y !== 0);
  }
}
