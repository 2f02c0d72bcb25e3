/**
 * The elementary functions (log, exp) that NumPy's legacy distributions call from the C library.
 *
 * NumPy computes `exponential()` as `-log(1 - u)` and the polar `gauss()` with `log`, both through
 * the platform's libm (glibc on Linux). V8's `Math.log` is fdlibm's, which rounds about 1 in
 * 1,300 arguments to the neighbouring double; a spike time then differs from ISF's in its last
 * digit. Network realization therefore takes these functions as a parameter: `JS_MATH` by
 * default (pure, portable), or the system libm bound by the simrun layer
 * (`simrun/system_libm.ts`) when ISF's byte-exact output is wanted.
 *
 * @module
 */

/** The libm functions used by random-number distributions. */
export interface ElementaryFunctions {
  /** Where the functions come from, for messages (`"JavaScript Math"`, `"libm.so.6"`). */
  readonly source: string;
  /** Natural logarithm. */
  readonly log: (x: number) => number;
  /** Exponential. */
  readonly exp: (x: number) => number;
}

/** JavaScript's own `Math.log` / `Math.exp` (V8: fdlibm). */
export const JS_MATH: ElementaryFunctions = {
  source: "JavaScript Math",
  log: Math.log,
  exp: Math.exp,
};
