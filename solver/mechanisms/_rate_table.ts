/**
 * Rate tables: the per-step gate update of a voltage-gated channel without `Math.exp`.
 *
 * NEURON's `cnexp` step of a gate x' = (x∞(V) − x)/τ(V) is x ← x + F(V)·(x∞(V) − x) with
 * F(V) = 1 − exp(−dt/τ(V)). Both x∞ and F are smooth functions of V alone (for fixed dt), so they
 * can be tabulated once per (mechanism, dt) and interpolated, like NEURON's `TABLE` statement —
 * but NEURON interpolates linearly on a 1 mV-ish grid, which is far too coarse for our accuracy
 * goal (spike samples identical, max |ΔV| within `FAST_MODE_MAX_DV_MV` = 1e-4 mV of NEURON,
 * solver/settings.ts). Here every interval of a 0.25 mV grid carries
 * its own cubic, interpolating the function at the four Chebyshev points of that interval. The
 * error bound of cubic interpolation at Chebyshev points is (h/2)⁴·max|f⁗|/(2³·4!) = h⁴·max|f⁗|/3072;
 * for the steepest sigmoid of the Hay channel set (slope factor 4.6 mV) that is ≈ 4e-10, and the
 * measured maximum over all tabulated quantities is checked in `_rate_table_test.ts`.
 *
 * Why per-interval interpolation rather than Hermite or a global spline: only samples strictly
 * inside an interval are used, so (a) the removable singularities of the rate formulas
 * (e.g. (v+38)/(1 − exp(−(v+38)/6)) at −38 mV, where the .mod file shifts v by 1e-4) are never
 * evaluated, since the Chebyshev points are irrational offsets from the grid; (b) a rate that is
 * defined piecewise (K_Pst's τm switches formula at −60 mV) is exact as long as the switch point
 * is a grid node (the grid starts at −150 mV with step 0.25 mV, so every multiple of 0.25 mV is a
 * node). Outside [−150, 100) mV and for NaN the kernels evaluate the exact formula instead.
 *
 * Layout: for interval i and quantity j the four monomial coefficients (in f = (V − V_i)/h ∈ [0, 1))
 * lie at c[(i·q + j)·4 .. +3], so one interval of a two-gate channel (q = 4) is 128 bytes — two
 * cache lines — and a whole table (1,000 intervals) 128 KB.
 *
 * @module
 */

import type { DerivedSlot, MechanismInstances, NodeArrays, PrepareContext } from "./_types.ts";

/** Lower end of every table [mV] (a multiple of the step, so piecewise rates switch at nodes). */
export const TABLE_V_MIN = -150;
/** Upper end of every table [mV]; above it the exact formulas are used. */
export const TABLE_V_MAX = 100;
/** Grid step [mV] (a power of two: nodes are exact binary numbers). */
export const TABLE_STEP = 0.25;

/**
 * Writes the tabulated quantities at membrane potential `v` [mV] for time step `dt` [ms] into
 * `out[0 .. q-1]`; for gate tables the order is x∞, 1 − exp(−dt/τ) per gate.
 */
export type RateFunction = (v: number, dt: number, out: Float64Array) => void;

/** A built table of `q` quantities on [TABLE_V_MIN, TABLE_V_MAX) for one dt. */
export interface RateTable {
  /** Number of quantities per voltage. */
  readonly q: number;
  /** Number of intervals. */
  readonly intervals: number;
  /** Time step the table was built for [ms]. */
  readonly dt: number;
  /** Cubic coefficients, see the module documentation. */
  readonly c: Float64Array;
}

/** The four Chebyshev points of [0, 1] and the inverse of their Vandermonde matrix. */
const CHEB = [0, 1, 2, 3].map((j) => 0.5 * (1 - Math.cos(((2 * j + 1) * Math.PI) / 8)));
const VINV = invert4(CHEB.map((f) => [1, f, f * f, f * f * f]));

function invert4(a: number[][]): number[][] {
  const m = a.map((row, i) => [...row, ...[0, 1, 2, 3].map((j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < 4; col++) {
    let p = col;
    for (let r = col + 1; r < 4; r++) if (Math.abs(m[r][col]) > Math.abs(m[p][col])) p = r;
    [m[col], m[p]] = [m[p], m[col]];
    const d = m[col][col];
    for (let k = 0; k < 8; k++) m[col][k] /= d;
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = m[r][col];
      for (let k = 0; k < 8; k++) m[r][k] -= f * m[col][k];
    }
  }
  return m.map((row) => row.slice(4));
}

/**
 * Builds the table of `fn` for time step `dt`: 1,000 intervals × q quantities × 4 samples.
 *
 * @param q number of quantities `fn` writes
 * @param fn the exact rate function
 * @param dt time step [ms]
 * @returns the table
 * @example x∞ of a sigmoid (slope factor 10 mV), interpolated to 1e-10
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildRateTable, evaluateRateTable } from "./_rate_table.ts";
 * const t = buildRateTable(1, (v, _dt, out) => { out[0] = 1 / (1 + Math.exp(-v / 10)); }, 0.025);
 * assert.ok(Math.abs(evaluateRateTable(t, -3.3, 0) - 1 / (1 + Math.exp(0.33))) < 1e-10);
 * ```
 */
export function buildRateTable(q: number, fn: RateFunction, dt: number): RateTable {
  const intervals = Math.round((TABLE_V_MAX - TABLE_V_MIN) / TABLE_STEP);
  const c = new Float64Array(intervals * q * 4);
  const y = [0, 1, 2, 3].map(() => new Float64Array(q));
  for (let i = 0; i < intervals; i++) {
    const v0 = TABLE_V_MIN + i * TABLE_STEP;
    for (let s = 0; s < 4; s++) fn(v0 + CHEB[s] * TABLE_STEP, dt, y[s]);
    for (let j = 0; j < q; j++) {
      const base = (i * q + j) * 4;
      for (let p = 0; p < 4; p++) {
        const r = VINV[p];
        c[base + p] = r[0] * y[0][j] + r[1] * y[1][j] + r[2] * y[2][j] + r[3] * y[3][j];
      }
    }
  }
  return { q, intervals, dt, c };
}

/**
 * Interpolated quantity `j` at `v` (for tests and diagnostics; kernels inline this).
 *
 * @param t the table
 * @param v membrane potential [mV], inside [TABLE_V_MIN, TABLE_V_MAX)
 * @param j quantity index
 * @returns the interpolated value
 * @throws RangeError outside the table
 */
export function evaluateRateTable(t: RateTable, v: number, j: number): number {
  const u = (v - TABLE_V_MIN) * (1 / TABLE_STEP);
  if (!(u >= 0 && u < t.intervals)) throw new RangeError(`v ${v} mV is outside the rate table`);
  const i = u | 0;
  const f = u - i;
  const b = (i * t.q + j) * 4;
  const c = t.c;
  return ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
}

const INV_STEP = 1 / TABLE_STEP;
const INTERVALS = Math.round((TABLE_V_MAX - TABLE_V_MIN) / TABLE_STEP);

/** Scratch of the exact fallback outside the tables (kernels run one at a time). */
const SCRATCH = new Float64Array(4);

/**
 * The derived slot of a channel's voltage rate table: the cubic coefficients of
 * {@link buildRateTable} for the model's dt, built by `prepare` in fast mode only.
 */
export const RATE_TABLE_SLOT: DerivedSlot = {
  size: "table",
  description: "cubic coefficients of x∞ and 1 − exp(−dt/τ) per 0.25 mV interval (fast mode)",
};

/**
 * The `prepare` step of a tabulated channel: builds its rate table into `s.derived.rateTable`
 * when the model runs with rate tables (nothing otherwise).
 *
 * @param s the instances
 * @param c the prepare context (dt, rateTables)
 * @param q number of quantities `fn` writes
 * @param fn the exact rate function
 */
export function prepareRateTable(
  s: MechanismInstances,
  c: PrepareContext,
  q: number,
  fn: RateFunction,
): void {
  s.derived.rateTable = c.rateTables ? buildRateTable(q, fn, c.dt).c : new Float64Array(0);
}

/**
 * Computes the rate-table interval and local coordinate of every node voltage once per step, for
 * all tabulated kernels (`n.vInterval`, `n.vFrac`). The engine calls it after every voltage
 * solve in fast mode, before the `fast.advance` kernels.
 *
 * @param n the node arrays (reads `v`, writes `vInterval` and `vFrac`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { updateTablePositions } from "./_rate_table.ts";
 * import { makeNodes } from "./_testing.ts";
 * const n = makeNodes(2);
 * n.v.set([-149.875, 1e3]);
 * updateTablePositions(n);
 * assert.deepEqual([n.vInterval[0], n.vFrac[0], n.vInterval[1]], [0, 0.5, -1]);
 * ```
 */
export function updateTablePositions(n: NodeArrays): void {
  const { v, vInterval, vFrac } = n;
  for (let c = 0; c < v.length; c++) {
    const u = (v[c] - TABLE_V_MIN) * INV_STEP;
    if (u >= 0 && u < INTERVALS) {
      const i = u | 0;
      vInterval[c] = i;
      vFrac[c] = u - i;
    } else {
      vInterval[c] = -1;
      vFrac[c] = 0;
    }
  }
}

/**
 * Tabulated cnexp step of one gate x (quantities x∞, F) at the nodes' new voltages; the exact
 * `fn` outside the table. Needs the table positions of this step ({@link updateTablePositions}).
 *
 * @param c the table's coefficients (q = 2)
 * @param fn the exact rate function (fallback)
 * @param node node index per instance
 * @param n node arrays (v, vInterval, vFrac, dt)
 * @param x the gate, updated in place
 */
export function advanceOneGateTabulated(
  c: Float64Array,
  fn: RateFunction,
  node: Int32Array,
  n: NodeArrays,
  x: Float64Array,
): void {
  const { vInterval, vFrac } = n;
  for (let k = 0; k < node.length; k++) {
    const nk = node[k];
    const i = vInterval[nk];
    let xInf, xF;
    if (i >= 0) {
      const f = vFrac[nk];
      const b = i << 3;
      xInf = ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
      xF = ((c[b + 7] * f + c[b + 6]) * f + c[b + 5]) * f + c[b + 4];
    } else {
      fn(n.v[nk], n.dt, SCRATCH);
      xInf = SCRATCH[0];
      xF = SCRATCH[1];
    }
    const xk = x[k];
    x[k] = xk + xF * (xInf - xk);
  }
}

/**
 * Tabulated cnexp step of two gates m, h (quantities m∞, Fm, h∞, Fh) at the new voltages; the
 * exact `fn` outside the table. Needs the table positions of this step.
 *
 * @param c the table's coefficients (q = 4)
 * @param fn the exact rate function (fallback)
 * @param node node index per instance
 * @param n node arrays (v, vInterval, vFrac, dt)
 * @param m first gate, updated in place
 * @param h second gate, updated in place
 */
export function advanceTwoGatesTabulated(
  c: Float64Array,
  fn: RateFunction,
  node: Int32Array,
  n: NodeArrays,
  m: Float64Array,
  h: Float64Array,
): void {
  const { vInterval, vFrac } = n;
  for (let k = 0; k < node.length; k++) {
    const nk = node[k];
    const i = vInterval[nk];
    let mInf, mF, hInf, hF;
    if (i >= 0) {
      const f = vFrac[nk];
      const b = i << 4;
      mInf = ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
      mF = ((c[b + 7] * f + c[b + 6]) * f + c[b + 5]) * f + c[b + 4];
      hInf = ((c[b + 11] * f + c[b + 10]) * f + c[b + 9]) * f + c[b + 8];
      hF = ((c[b + 15] * f + c[b + 14]) * f + c[b + 13]) * f + c[b + 12];
    } else {
      fn(n.v[nk], n.dt, SCRATCH);
      mInf = SCRATCH[0];
      mF = SCRATCH[1];
      hInf = SCRATCH[2];
      hF = SCRATCH[3];
    }
    const mk = m[k];
    m[k] = mk + mF * (mInf - mk);
    const hk = h[k];
    h[k] = hk + hF * (hInf - hk);
  }
}

/**
 * Concentration tables: functions of a positive concentration c (cai spans 1e-5..1e-2 mM) on a
 * logarithmic grid without calling `Math.log`. Every binade [2^e, 2^(e+1)) is split into
 * {@link CONC_TABLE_PER_OCTAVE} equal intervals, so the interval index is simply the exponent
 * and top mantissa bits of the IEEE-754 double (read through a typed-array view), and the local
 * coordinate f = (c − c_i)·(1/w_i) ∈ [0, 1) is exact (c − c_i is exact within one binade and
 * 1/w_i is a power of two). Each interval carries cubics through its four Chebyshev points, as in
 * the voltage tables. Range: [2^{@link CONC_TABLE_EXP_MIN}, 2^{@link CONC_TABLE_EXP_MAX}) mM
 * (≈ 1.19e-7 .. 4 mM; the lower end lies above SK_E2's cai < 1e-7 guard, where its z∞ jumps);
 * outside it, and for NaN, kernels evaluate the exact formula.
 */
export const CONC_TABLE_EXP_MIN = -23;
/** Upper binade bound of the concentration tables: 2^2 = 4 mM. */
export const CONC_TABLE_EXP_MAX = 2;
/** Intervals per binade (a power of two: 6 mantissa bits). */
export const CONC_TABLE_PER_OCTAVE = 64;
const CONC_SHIFT = 20 - 6; // high word: sign | 11 exponent bits | 20 mantissa bits
const CONC_BASE = (1023 + CONC_TABLE_EXP_MIN) << 6;
const CONC_INTERVALS = (CONC_TABLE_EXP_MAX - CONC_TABLE_EXP_MIN) * CONC_TABLE_PER_OCTAVE;

/** Scratch double and its 32-bit halves; `HI` is the index of the high word. */
const BITS_F64 = new Float64Array(1);
const BITS_I32 = new Int32Array(BITS_F64.buffer);
BITS_F64[0] = 1;
const HI = BITS_I32[1] === 0x3ff00000 ? 1 : 0;

/** Left end c_i of concentration interval i [mM] (the grid of every concentration table). */
const CONC_START = new Float64Array(CONC_INTERVALS);
/** 1/w_i of concentration interval i [1/mM] (a power of two). */
const CONC_INV_WIDTH = new Float64Array(CONC_INTERVALS);
for (let i = 0; i < CONC_INTERVALS; i++) {
  const e = CONC_TABLE_EXP_MIN + Math.floor(i / CONC_TABLE_PER_OCTAVE);
  const w = 2 ** e / CONC_TABLE_PER_OCTAVE;
  CONC_START[i] = 2 ** e + (i % CONC_TABLE_PER_OCTAVE) * w;
  CONC_INV_WIDTH[i] = 1 / w;
}

/**
 * Builds the concentration table of `fn`: cubic coefficients in f of q quantities per interval
 * (layout as {@link RateTable}: c[(i·q + j)·4 ..]).
 *
 * @param q number of quantities `fn` writes
 * @param fn the exact function of the concentration [mM]
 * @returns the coefficients
 * @example ln c, interpolated to 1e-10
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildConcentrationTable, evaluateConcentrationTable } from "./_rate_table.ts";
 * const fn = (c: number, out: Float64Array) => { out[0] = Math.log(c); };
 * const t = buildConcentrationTable(1, fn);
 * assert.ok(Math.abs(evaluateConcentrationTable(t, fn, 3.3e-4) - Math.log(3.3e-4)) < 1e-10);
 * ```
 */
export function buildConcentrationTable(
  q: number,
  fn: (c: number, out: Float64Array) => void,
): Float64Array {
  const c = new Float64Array(CONC_INTERVALS * q * 4);
  const y = [0, 1, 2, 3].map(() => new Float64Array(q));
  for (let i = 0; i < CONC_INTERVALS; i++) {
    const w = 1 / CONC_INV_WIDTH[i];
    for (let s = 0; s < 4; s++) fn(CONC_START[i] + CHEB[s] * w, y[s]);
    for (let j = 0; j < q; j++) {
      const base = (i * q + j) * 4;
      for (let p = 0; p < 4; p++) {
        const r = VINV[p];
        c[base + p] = r[0] * y[0][j] + r[1] * y[1][j] + r[2] * y[2][j] + r[3] * y[3][j];
      }
    }
  }
  return c;
}

/**
 * Interval of concentration `x` in a concentration table, or −1 outside it (and for NaN,
 * zero and negative values). Kernels inline the same three lines.
 *
 * @param x concentration [mM]
 * @returns interval index or −1
 */
export function concentrationInterval(x: number): number {
  BITS_F64[0] = x;
  const i = (BITS_I32[HI] >> CONC_SHIFT) - CONC_BASE;
  return i >= 0 && i < CONC_INTERVALS ? i : -1;
}

/**
 * Interpolated quantity 0 of a one-quantity concentration table at `x` (exact `fn` outside it).
 *
 * @param c the table's coefficients (q = 1)
 * @param fn the exact function (fallback)
 * @param x concentration [mM]
 * @returns the value
 */
export function evaluateConcentrationTable(
  c: Float64Array,
  fn: (c: number, out: Float64Array) => void,
  x: number,
): number {
  const i = concentrationInterval(x);
  if (i < 0) {
    fn(x, SCRATCH);
    return SCRATCH[0];
  }
  const f = (x - CONC_START[i]) * CONC_INV_WIDTH[i];
  const b = i << 2;
  return ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
}

let lnTable: Float64Array | undefined;

/**
 * ln c on the concentration grid (for the per-step Nernst potential of calcium), built on first
 * use, once per process (the engine copies it; nobody writes to it).
 *
 * @returns the cubic table of `Math.log` over the grid
 */
export function lnConcentrationTable(): Float64Array {
  lnTable ??= buildConcentrationTable(1, (x, out) => {
    out[0] = Math.log(x);
  });
  return lnTable;
}

/**
 * eca = (k_T/2)·(ln cao − ln cai) at the given nodes with ln cai from a concentration table
 * (|error| ≤ 1e-9 mV; measured in `_rate_table_test.ts`) instead of `Math.log`.
 *
 * @param nodes nodes where cai is dynamic
 * @param lnCao ln cao per entry of `nodes` (cao is constant during a run)
 * @param cai intracellular calcium [mM]
 * @param eca calcium reversal potential [mV], written at `nodes`
 * @param nernst k_T/2 [mV]
 */
export function nernstFromTable(
  nodes: Int32Array,
  lnCao: Float64Array,
  cai: Float64Array,
  eca: Float64Array,
  nernst: number,
): void {
  const c = lnConcentrationTable(), start = CONC_START, invWidth = CONC_INV_WIDTH;
  for (let j = 0; j < nodes.length; j++) {
    const n = nodes[j];
    const x = cai[n];
    BITS_F64[0] = x;
    const i = (BITS_I32[HI] >> CONC_SHIFT) - CONC_BASE;
    let ln;
    if (i >= 0 && i < CONC_INTERVALS) {
      const f = (x - start[i]) * invWidth[i];
      const b = i << 2;
      ln = ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
    } else {
      ln = Math.log(x);
    }
    eca[n] = nernst * (lnCao[j] - ln);
  }
}

/**
 * Tabulated cnexp step of a gate driven by concentration: x ← x + F·(x∞(c) − x) with x∞ from
 * a one-quantity concentration table and one factor F = 1 − exp(−dt/τ) for all instances.
 *
 * @param c the x∞ table's coefficients (q = 1)
 * @param fn the exact x∞ (fallback outside the table)
 * @param node node index per instance
 * @param conc node concentrations [mM]
 * @param factor F [1]
 * @param x the gate, updated in place
 */
export function advanceConcentrationGateTabulated(
  c: Float64Array,
  fn: (c: number, out: Float64Array) => void,
  node: Int32Array,
  conc: Float64Array,
  factor: number,
  x: Float64Array,
): void {
  const start = CONC_START, invWidth = CONC_INV_WIDTH;
  for (let k = 0; k < node.length; k++) {
    const ck = conc[node[k]];
    BITS_F64[0] = ck;
    const i = (BITS_I32[HI] >> CONC_SHIFT) - CONC_BASE;
    let xInf;
    if (i >= 0 && i < CONC_INTERVALS) {
      const f = (ck - start[i]) * invWidth[i];
      const b = i << 2;
      xInf = ((c[b + 3] * f + c[b + 2]) * f + c[b + 1]) * f + c[b];
    } else {
      fn(ck, SCRATCH);
      xInf = SCRATCH[0];
    }
    const xk = x[k];
    x[k] = xk + factor * (xInf - xk);
  }
}
