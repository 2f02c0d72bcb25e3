/**
 * Runtime helpers of generated kernels that are not worth inlining: NEURON's Newton iteration
 * for derivimplicit (scopmath `nrn_newton_thread`, `nrn_buildjacobian_thread`,
 * `nrn_crout_thread`, `nrn_scopmath_solve_thread`), with the same constants and operation order,
 * and C's `fmin`/`fmax`. Workspaces are allocated once per solve site, never per call.
 *
 * @module
 */

/** scopmath constants (errcodes.h). */
const ROUNDOFF = 1e-20;
const ZERO = 1e-8;
const STEP = 1e-6;
const CONVERGE = 1e-6;
const MAXCHANGE = 0.05;
const MAXITERS = 50;

/** Scratch of one Newton solve of `n` equations. */
export interface NewtonWorkspace {
  /** Number of equations. */
  readonly n: number;
  /** Jacobian, row-major n×n (LU factors after `crout`). */
  readonly jacobian: Float64Array;
  /** Row permutation. */
  readonly perm: Int32Array;
  /** Newton step. */
  readonly delta: Float64Array;
  /** Function values at x + increment. */
  readonly high: Float64Array;
  /** Function values at x − increment. */
  readonly low: Float64Array;
  /** Signed largest-magnitude entry of each row (crout's equilibration). */
  readonly rowmax: Float64Array;
}

/**
 * Allocates a Newton workspace.
 *
 * @param n number of equations
 * @returns the workspace
 */
export function newtonWorkspace(n: number): NewtonWorkspace {
  return {
    n,
    jacobian: new Float64Array(n * n),
    perm: new Int32Array(n),
    delta: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    rowmax: new Float64Array(n),
  };
}

/**
 * Solves F(x) = 0 by Newton's method with a finite-difference Jacobian, exactly as NEURON 8.2's
 * `nrn_newton_thread`: `evaluate()` recomputes `value` (F) from `x` in place.
 *
 * @param ws workspace of size n
 * @param x the unknowns, updated in place
 * @param value F(x), kept current by `evaluate`
 * @param evaluate recomputes value from x
 * @returns 0 on success, 1 when 50 iterations did not converge, 2 for a singular Jacobian
 */
export function newtonSolve(
  ws: NewtonWorkspace,
  x: Float64Array,
  value: Float64Array,
  evaluate: () => void,
): number {
  const n = ws.n;
  const { delta } = ws;
  let count = 0, error = 0, change = 1.0;
  while (count++ < MAXITERS) {
    if (change > MAXCHANGE) {
      buildJacobian(ws, x, value, evaluate);
      for (let i = 0; i < n; i++) value[i] = -value[i];
      error = crout(ws);
      if (error !== 0) break;
    }
    luSolve(ws, value, delta);
    change = 0.0;
    for (let i = 0; i < n; i++) {
      let temp;
      if (Math.abs(x[i]) > ZERO && (temp = Math.abs(delta[i] / x[i])) > change) change = temp;
      x[i] += delta[i];
    }
    evaluate();
    let maxDev = 0.0;
    for (let i = 0; i < n; i++) {
      value[i] = -value[i];
      const temp = Math.abs(value[i]);
      if (temp > maxDev) maxDev = temp;
    }
    if (change <= CONVERGE && maxDev <= ZERO) break;
    if (count === MAXITERS) {
      error = 1;
      break;
    }
  }
  return error;
}

function buildJacobian(
  ws: NewtonWorkspace,
  x: Float64Array,
  value: Float64Array,
  evaluate: () => void,
): void {
  const n = ws.n;
  const { jacobian, high, low } = ws;
  for (let j = 0; j < n; j++) {
    const a = Math.abs(0.02 * x[j]);
    const increment = a > STEP ? a : STEP;
    x[j] += increment;
    evaluate();
    for (let i = 0; i < n; i++) high[i] = value[i];
    x[j] -= 2.0 * increment;
    evaluate();
    for (let i = 0; i < n; i++) {
      low[i] = value[i];
      jacobian[i * n + j] = (high[i] - low[i]) / (2.0 * increment);
    }
    x[j] += increment;
    evaluate();
  }
}

/** Crout LU with scaled partial pivoting (unit upper diagonal); 2 if singular. */
function crout(ws: NewtonWorkspace): number {
  const n = ws.n;
  const { jacobian: a, perm, rowmax } = ws;
  for (let i = 0; i < n; i++) {
    perm[i] = i;
    let k = 0;
    for (let j = 1; j < n; j++) if (Math.abs(a[i * n + j]) > Math.abs(a[i * n + k])) k = j;
    rowmax[i] = a[i * n + k];
  }
  let saveI = 0;
  for (let r = 0; r < n; r++) {
    for (let i = r; i < n; i++) {
      let sum = 0.0;
      const irow = perm[i];
      for (let k = 0; k < r; k++) {
        const krow = perm[k];
        sum += a[irow * n + k] * a[krow * n + r];
      }
      a[irow * n + r] -= sum;
    }
    let pivot = perm[r];
    let equil1 = Math.abs(a[pivot * n + r] / rowmax[pivot]);
    for (let i = r + 1; i < n; i++) {
      const irow = perm[i];
      const equil2 = Math.abs(a[irow * n + r] / rowmax[irow]);
      if (equil2 > equil1) {
        pivot = irow;
        saveI = i;
        equil1 = equil2;
      }
    }
    if (pivot !== perm[r]) {
      perm[saveI] = perm[r];
      perm[r] = pivot;
    }
    if (Math.abs(a[pivot * n + r]) < ROUNDOFF) return 2;
    for (let j = r + 1; j < n; j++) {
      let sum = 0.0;
      for (let k = 0; k < r; k++) {
        const krow = perm[k];
        sum += a[pivot * n + k] * a[krow * n + j];
      }
      a[pivot * n + j] = (a[pivot * n + j] - sum) / a[pivot * n + r];
    }
  }
  return 0;
}

/** Forward and back substitution with crout's factors: p = A⁻¹ b. */
function luSolve(ws: NewtonWorkspace, b: Float64Array, p: Float64Array): void {
  const n = ws.n;
  const { jacobian: a, perm } = ws;
  for (let i = 0; i < n; i++) {
    const pivot = perm[i];
    let sum = 0.0;
    for (let j = 0; j < i; j++) sum += a[pivot * n + j] * p[j];
    p[i] = (b[pivot] - sum) / a[pivot * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    const pivot = perm[i];
    let sum = 0.0;
    for (let j = i + 1; j < n; j++) sum += a[pivot * n + j] * p[j];
    p[i] -= sum;
  }
}

/**
 * C's `fmin`: the smaller argument, ignoring a NaN one.
 *
 * @param a first value
 * @param b second value
 * @returns the minimum
 */
export function fmin(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a < b ? a : b;
}

/**
 * C's `fmax`: the larger argument, ignoring a NaN one.
 *
 * @param a first value
 * @param b second value
 * @returns the maximum
 */
export function fmax(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return a > b ? a : b;
}
