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
  /** Node orders and gathered coefficients of {@link stepVoltageFast}. */
  readonly schedule: HinesSchedule;
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
    schedule: createSchedule(parent, upper, lower),
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
 * {@link stepVoltage} with one division per node instead of two (the elimination keeps 1/d and
 * the back substitution multiplies by it) and the nodes visited in a schedule that interleaves
 * branches: elimination by height (leaves first), back substitution by depth, so the
 * per-node dependency chains (a division each) of different branches overlap instead of running
 * one after the other along every section (A2_step_1p0: 1.35 → 1.26 s). The children's terms are
 * summed in another order and 1/d replaces the quotient, so V differs from {@link stepVoltage}'s
 * by rounding only. Used by `simulate` with rate tables (fast mode); exact mode keeps
 * {@link stepVoltage}. Does not use the system's `d` work array.
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
  const { dAxial, cfac, rhs, invD } = s;
  const sc = s.schedule;
  if (sc.dt !== dt) {
    const rdt = 1 / dt;
    const { eNode, eBase } = sc;
    for (let j = 0; j < eNode.length; j++) eBase[j] = dAxial[eNode[j]] + cfac[eNode[j]] * rdt;
    sc.base0 = dAxial[0] + cfac[0] * rdt;
    sc.dt = dt;
  }
  // Children add their elimination terms to accD/accR of the parent (zero before the step);
  // a node's diagonal and right-hand side are complete when its turn comes.
  const { eNode, eParent, eUpper, eLower, eBase, sNode, sParent, sLower, accD, accR } = sc;
  const m = eNode.length;
  for (let j = 0; j < m; j++) {
    const k = eNode[j];
    const p = eParent[j];
    const dk = accD[k] + (eBase[j] + g[k]);
    const dv = v[p] - v[k];
    const up = eUpper[j];
    const lo = eLower[j];
    const rk = (accR[k] - i[k]) - lo * dv;
    accD[k] = 0;
    accR[k] = 0;
    i[k] = 0;
    g[k] = 0;
    const r = 1 / dk;
    const f = up * r;
    invD[k] = r;
    rhs[k] = rk;
    accD[p] -= f * lo;
    accR[p] += up * dv - f * rk;
  }
  const x0 = (accR[0] - i[0]) / (accD[0] + (sc.base0 + g[0]));
  accD[0] = 0;
  accR[0] = 0;
  rhs[0] = x0;
  v[0] += x0;
  i[0] = 0;
  g[0] = 0;
  for (let j = 0; j < m; j++) {
    const k = sNode[j];
    const x = (rhs[k] - sLower[j] * rhs[sParent[j]]) * invD[k];
    rhs[k] = x;
    v[k] += x;
  }
}

/**
 * Orders of the non-root nodes for {@link stepVoltageFast}, with the coefficients gathered in
 * that order. Elimination runs by height (leaves first: a node's children all have smaller
 * height), back substitution by depth (a node's parent has smaller depth), so consecutive
 * nodes mostly lie on different branches and their dependency chains (a division per node in
 * the elimination) overlap instead of running one after the other down each section.
 */
export interface HinesSchedule {
  /** dt of eBase and base0 (NaN before the first step). */
  dt: number;
  /** dAxial + cfac/dt of the root. */
  base0: number;
  /** Non-root nodes in elimination order (by height, leaves first). */
  readonly eNode: Int32Array;
  /** dAxial + cfac/dt per entry of eNode. */
  readonly eBase: Float64Array;
  /** Elimination terms of the children, per node (zero between steps): diagonal part. */
  readonly accD: Float64Array;
  /** Elimination terms of the children, per node: right-hand-side part. */
  readonly accR: Float64Array;
  /** Parent per entry of eNode. */
  readonly eParent: Int32Array;
  /** `upper` per entry of eNode. */
  readonly eUpper: Float64Array;
  /** `lower` per entry of eNode. */
  readonly eLower: Float64Array;
  /** Non-root nodes in back-substitution order (by depth). */
  readonly sNode: Int32Array;
  /** Parent per entry of sNode. */
  readonly sParent: Int32Array;
  /** `lower` per entry of sNode. */
  readonly sLower: Float64Array;
}

function createSchedule(
  parent: Int32Array,
  upper: Float64Array,
  lower: Float64Array,
): HinesSchedule {
  const n = parent.length;
  const height = new Int32Array(n);
  for (let k = n - 1; k > 0; k--) {
    const p = parent[k];
    if (height[k] + 1 > height[p]) height[p] = height[k] + 1;
  }
  const depth = new Int32Array(n);
  for (let k = 1; k < n; k++) depth[k] = depth[parent[k]] + 1;
  const byLevel = (level: Int32Array, descending: boolean): Int32Array => {
    const nodes = Array.from({ length: n - 1 }, (_, j) => j + 1);
    nodes.sort((a, b) => level[a] - level[b] || (descending ? b - a : a - b));
    return Int32Array.from(nodes);
  };
  const eNode = byLevel(height, true);
  const sNode = byLevel(depth, false);
  return {
    dt: NaN,
    base0: 0,
    eNode,
    eBase: new Float64Array(n - 1),
    accD: new Float64Array(n),
    accR: new Float64Array(n),
    eParent: eNode.map((k) => parent[k]),
    eUpper: Float64Array.from(eNode, (k) => upper[k]),
    eLower: Float64Array.from(eNode, (k) => lower[k]),
    sNode,
    sParent: sNode.map((k) => parent[k]),
    sLower: Float64Array.from(sNode, (k) => lower[k]),
  };
}
