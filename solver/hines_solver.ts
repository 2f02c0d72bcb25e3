/**
 * The tree-structured linear solve of one backward-Euler step (Hines 1984; spec/algorithm.md
 * §8.3 step 5). Nodes are numbered so that `parent[i] < i`; node 0 is the root. Row i of the
 * system is `lower[i]·x[parent[i]] + d[i]·x[i] + Σ_children upper[c]·x[c] = rhs[i]`.
 *
 * Segment-node rows are in mA/cm² (axial terms scaled by 100/area), zero-area rows in nA
 * (axial terms unscaled), exactly as NEURON writes them.
 *
 * @module
 */

/** The static part of the matrix of one lowered cell and its per-step work arrays. */
export interface HinesSystem {
  /** Parent node, -1 for the root (node 0). */
  readonly parent: Int32Array;
  /** Entry (parent[i], i): −G_i·scale(parent[i]) (scale = 100/area, 1 for zero area). */
  readonly upper: Float64Array;
  /** Entry (i, parent[i]): −G_i·scale(i). */
  readonly lower: Float64Array;
  /** Diagonal axial part: Σ over the node's connections of G·scale(node). */
  readonly dAxial: Float64Array;
  /** 10⁻³·cm [µF/cm² → mA/cm² per mV/ms]; 0 for zero-area nodes. */
  readonly cfac: Float64Array;
  /** Work: diagonal. */
  readonly d: Float64Array;
  /** Work: right-hand side, then the solution ΔV [mV]. */
  readonly rhs: Float64Array;
  /** Work: 1/d after elimination ({@link stepVoltageFast}). */
  readonly invD: Float64Array;
}

/**
 * Builds the matrix coefficients from the tree and the axial conductances.
 *
 * @param parent parent of each node (-1 for node 0); `parent[i] < i`
 * @param gAxial conductance between node i and its parent [µS] (unused for the root)
 * @param area membrane area [µm²] (0 for end and root nodes)
 * @param cm specific capacitance [µF/cm²] (ignored where area is 0)
 * @returns the system with zeroed work arrays
 * @example Two compartments
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHinesSystem } from "./hines_solver.ts";
 * const s = createHinesSystem(new Int32Array([-1, 0]), new Float64Array([0, 2]),
 *   new Float64Array([100, 100]), new Float64Array([1, 1]));
 * assert.equal(s.upper[1], -2);
 * assert.equal(s.dAxial[0], 2);
 * ```
 */
export function createHinesSystem(
  parent: Int32Array,
  gAxial: Float64Array,
  area: Float64Array,
  cm: Float64Array,
): HinesSystem {
  const n = parent.length;
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  const dAxial = new Float64Array(n);
  const cfac = new Float64Array(n);
  for (let i = 0; i < n; i++) cfac[i] = area[i] > 0 ? 1e-3 * cm[i] : 0;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    const g = gAxial[i];
    const si = area[i] > 0 ? 100 / area[i] : 1;
    const sp = area[p] > 0 ? 100 / area[p] : 1;
    upper[i] = -g * sp;
    lower[i] = -g * si;
    dAxial[i] += g * si;
    dAxial[p] += g * sp;
  }
  return {
    parent,
    upper,
    lower,
    dAxial,
    cfac,
    d: new Float64Array(n),
    rhs: new Float64Array(n),
    invD: new Float64Array(n),
  };
}

/**
 * One fused backward-Euler voltage step: assembles d = axial + 10⁻³·cm/dt + g and
 * rhs = −i + axial currents at V^n, eliminates, substitutes and adds ΔV to `v`. Then zeroes
 * `i` and `g` for the next current evaluation. Three passes over the nodes, no allocation.
 *
 * @param s the system
 * @param v membrane potential [mV] (updated to V^{n+1})
 * @param i membrane current density at V^n [mA/cm²] (nA at zero-area nodes); zeroed
 * @param g its slope [S/cm²]; zeroed
 * @param dt time step [ms]
 * @example Two passive nodes relax towards each other
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHinesSystem, stepVoltage } from "./hines_solver.ts";
 * const s = createHinesSystem(new Int32Array([-1, 0]), new Float64Array([0, 1]),
 *   new Float64Array([100, 100]), new Float64Array([1, 1]));
 * const v = new Float64Array([0, 10]);
 * stepVoltage(s, v, new Float64Array(2), new Float64Array(2), 0.025);
 * assert.ok(v[0] > 0 && v[1] < 10 && Math.abs(v[0] + v[1] - 10) < 1e-12);
 * ```
 */
export function stepVoltage(
  s: HinesSystem,
  v: Float64Array,
  i: Float64Array,
  g: Float64Array,
  dt: number,
): void {
  const { parent, upper, lower, dAxial, cfac, d, rhs } = s;
  const n = parent.length;
  const rdt = 1 / dt;
  for (let k = 0; k < n; k++) {
    d[k] = dAxial[k] + cfac[k] * rdt + g[k];
    rhs[k] = -i[k];
  }
  // Axial currents and elimination in one backward pass: when node k is reached, all its
  // children (indices > k) have added their axial current and their elimination terms.
  for (let k = n - 1; k > 0; k--) {
    const p = parent[k];
    const dv = v[p] - v[k];
    const up = upper[k];
    const rk = rhs[k] - lower[k] * dv;
    const f = up / d[k];
    rhs[k] = rk;
    d[p] -= f * lower[k];
    rhs[p] += up * dv - f * rk;
  }
  const x0 = rhs[0] / d[0];
  rhs[0] = x0;
  v[0] += x0;
  i[0] = 0;
  g[0] = 0;
  for (let k = 1; k < n; k++) {
    const x = (rhs[k] - lower[k] * rhs[parent[k]]) / d[k];
    rhs[k] = x;
    v[k] += x;
    i[k] = 0;
    g[k] = 0;
  }
}

/**
 * {@link stepVoltage} with one division per node instead of two: the elimination keeps 1/d and
 * the back substitution multiplies by it. Each product differs from the quotient by at most one
 * rounding (≤ 1.1e-16 relative), so V differs from {@link stepVoltage}'s by rounding only; the
 * back substitution, a chain through the parents, gets shorter by a division's latency. Used by
 * `simulate` with rate tables (fast mode); exact mode keeps {@link stepVoltage}.
 *
 * @param s the system
 * @param v membrane potential [mV] (updated to V^{n+1})
 * @param i membrane current density at V^n [mA/cm²] (nA at zero-area nodes); zeroed
 * @param g its slope [S/cm²]; zeroed
 * @param dt time step [ms]
 * @example Agrees with stepVoltage to rounding
 * ```ts
 * import assert from "node:assert/strict";
 * import { createHinesSystem, stepVoltage, stepVoltageFast } from "./hines_solver.ts";
 * const mk = () => createHinesSystem(new Int32Array([-1, 0, 1]), new Float64Array([0, 1, 3]),
 *   new Float64Array([100, 50, 100]), new Float64Array([1, 1, 1]));
 * const a = new Float64Array([0, 10, -5]), b = Float64Array.from(a);
 * stepVoltage(mk(), a, new Float64Array([1, 0, 2]), new Float64Array(3), 0.025);
 * stepVoltageFast(mk(), b, new Float64Array([1, 0, 2]), new Float64Array(3), 0.025);
 * for (let k = 0; k < 3; k++) assert.ok(Math.abs(a[k] - b[k]) < 1e-13);
 * ```
 */
export function stepVoltageFast(
  s: HinesSystem,
  v: Float64Array,
  i: Float64Array,
  g: Float64Array,
  dt: number,
): void {
  const { parent, upper, lower, dAxial, cfac, d, rhs, invD } = s;
  const n = parent.length;
  const rdt = 1 / dt;
  for (let k = 0; k < n; k++) {
    d[k] = dAxial[k] + cfac[k] * rdt + g[k];
    rhs[k] = -i[k];
  }
  for (let k = n - 1; k > 0; k--) {
    const p = parent[k];
    const dv = v[p] - v[k];
    const up = upper[k];
    const lo = lower[k];
    const rk = rhs[k] - lo * dv;
    const r = 1 / d[k];
    const f = up * r;
    invD[k] = r;
    rhs[k] = rk;
    d[p] -= f * lo;
    rhs[p] += up * dv - f * rk;
  }
  const x0 = rhs[0] / d[0];
  rhs[0] = x0;
  v[0] += x0;
  i[0] = 0;
  g[0] = 0;
  for (let k = 1; k < n; k++) {
    const x = (rhs[k] - lower[k] * rhs[parent[k]]) * invD[k];
    rhs[k] = x;
    v[k] += x;
    i[k] = 0;
    g[k] = 0;
  }
}
