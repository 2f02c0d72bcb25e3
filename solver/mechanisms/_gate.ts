/**
 * NEURON's `cnexp` update, written once (spec/mechanisms.md §1.2).
 *
 * For a state equation linear in its own state, x' = a + b·x, `nocmodl` emits
 * `x = x + (1. - exp(dt*(b)))*(- (a) / (b) - x)`. For a gate written as
 * `x' = (xInf - x)/xTau` the coefficients are a = xInf/xTau and b = (-1.0)/xTau, and for a decay
 * `x' = -x/tau` they are a = 0 and b = (-1.0)/tau. These helpers keep exactly that operation
 * order (and NEURON's `exp(dt*b)` rather than `exp(-dt/tau)`), so every rounding step is the one
 * NEURON's generated C performs.
 *
 * @module
 */

/**
 * One cnexp step of x' = a + b·x over `dt`: x + (1 − exp(dt·b))·(−a/b − x).
 *
 * @param x state at t_n
 * @param a constant term of the derivative [state/ms]
 * @param b coefficient of x in the derivative [1/ms], nonzero
 * @param dt time step [ms]
 * @returns the state at t_{n+1}
 * @example One step of x' = 1 − x from 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { cnexpStep } from "./_gate.ts";
 * assert.equal(cnexpStep(0, 1, -1, 0.5), 1 - Math.exp(-0.5));
 * ```
 */
export function cnexpStep(x: number, a: number, b: number, dt: number): number {
  return x + (1 - Math.exp(dt * b)) * (-a / b - x);
}

/**
 * One cnexp step of a gate x' = (xInf − x)/xTau, in nocmodl's operation order:
 * x + (1 − exp(dt·((−1)/τ)))·(−(x∞/τ)/((−1)/τ) − x).
 *
 * @param x gate value at t_n [1]
 * @param xInf steady-state value at the new voltage [1]
 * @param xTau time constant at the new voltage [ms], positive
 * @param dt time step [ms]
 * @returns the gate value at t_{n+1}
 * @example A gate relaxes towards its steady state
 * ```ts
 * import assert from "node:assert/strict";
 * import { cnexpGate } from "./_gate.ts";
 * const x = cnexpGate(0, 1, 2, 0.025);
 * assert.ok(Math.abs(x - (1 - Math.exp(-0.0125))) < 1e-15);
 * ```
 */
export function cnexpGate(x: number, xInf: number, xTau: number, dt: number): number {
  const b = -1.0 / xTau;
  return x + (1 - Math.exp(dt * b)) * (-(xInf / xTau) / b - x);
}

/**
 * One cnexp step of a pure decay x' = −x/τ: x + (1 − exp(dt·((−1)/τ)))·(−0/((−1)/τ) − x).
 *
 * @param x state at t_n
 * @param tau decay time constant [ms], positive
 * @param dt time step [ms]
 * @returns the state at t_{n+1}
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cnexpDecay } from "./_gate.ts";
 * assert.ok(Math.abs(cnexpDecay(2, 10, 0.1) - 2 * Math.exp(-0.01)) < 1e-15);
 * ```
 */
export function cnexpDecay(x: number, tau: number, dt: number): number {
  const b = -1.0 / tau;
  return x + (1 - Math.exp(dt * b)) * (-0.0 / b - x);
}
