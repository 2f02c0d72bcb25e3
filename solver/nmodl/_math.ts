/**
 * The whitelisted math functions of NMODL as the kernels compute them, for evaluating an
 * expression at compile time (constant folding, quiet-instance analysis): the same JavaScript
 * operations the generated kernels run, so a folded value is the one a kernel would compute.
 *
 * @module
 */
import { fmax, fmin } from "./_runtime.ts";

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
