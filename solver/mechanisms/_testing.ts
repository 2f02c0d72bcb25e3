/**
 * Test helper: node arrays for a few isolated nodes (no cable), used by the mechanism tests.
 *
 * @module
 */
import {
  allocateInstances,
  type DensityMechanism,
  type MechanismInstances,
  type NodeArrays,
  type PrepareContext,
} from "./_types.ts";

/** FARADAY in modern units (spec/mechanisms.md §1.4) [C/mol]. */
export const FARADAY_MODERN = 96485.33212331001;

/** Per-node start values for {@link makeNodes}; omitted ones take NEURON's defaults. */
export interface NodeValues {
  v?: number;
  area?: number;
  ena?: number;
  ek?: number;
  eca?: number;
  cai?: number;
  cao?: number;
  dt?: number;
  t?: number;
  celsius?: number;
  faraday?: number;
}

/**
 * Node arrays of `count` nodes, all set to the same values.
 *
 * @param count number of nodes
 * @param values start values (V −75 mV, area 100 µm², ena 50, ek −77, eca 140.2366 mV,
 *   cai 5e-5 mM, cao 2 mM, dt 0.025 ms, t 0, 34 °C, modern FARADAY unless given)
 * @returns fresh node arrays with i, g and ica zero
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeNodes } from "./_testing.ts";
 * assert.equal(makeNodes(2, { v: -65 }).v[1], -65);
 * ```
 */
export function makeNodes(count: number, values: NodeValues = {}): NodeArrays {
  const fill = (x: number) => new Float64Array(count).fill(x);
  return {
    v: fill(values.v ?? -75),
    i: fill(0),
    g: fill(0),
    area: fill(values.area ?? 100),
    ena: fill(values.ena ?? 50),
    ek: fill(values.ek ?? -77),
    eca: fill(values.eca ?? 140.23660113151266),
    cai: fill(values.cai ?? 5e-5),
    cao: fill(values.cao ?? 2),
    ica: fill(0),
    vInterval: new Int32Array(count).fill(-1),
    vFrac: fill(0),
    dt: values.dt ?? 0.025,
    t: values.t ?? 0,
    celsius: values.celsius ?? 34,
    faraday: values.faraday ?? FARADAY_MODERN,
  };
}

/**
 * The prepare context of `n` (its dt, temperature, FARADAY, areas; legacy units when FARADAY is
 * not the modern value).
 *
 * @param n node arrays from {@link makeNodes}
 * @param rateTables whether the fast kernels will run (default false)
 * @returns the context
 */
export function prepareContext(n: NodeArrays, rateTables = false): PrepareContext {
  const units = n.faraday === FARADAY_MODERN ? "modern" : "legacy";
  return { dt: n.dt, celsius: n.celsius, faraday: n.faraday, area: n.area, rateTables, units };
}

/** Clears the accumulated node currents (i, g, ica) before a current evaluation. */
export function clearCurrents(n: NodeArrays): void {
  n.i.fill(0);
  n.g.fill(0);
  n.ica.fill(0);
}

/** Relative difference |a − b| / |b| (absolute when b is 0). */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

/** Exact solution of x' = (x∞ − x)/τ over dt with frozen x∞, τ: x∞ + (x0 − x∞)·e^(−dt/τ). */
export function gateExact(x0: number, xInf: number, xTau: number, dt: number): number {
  return xInf + (x0 - xInf) * Math.exp(-dt / xTau);
}

/** A gate written from the spec's formulas, for checking a kernel independently. */
export interface GateSpec {
  /** State name. */
  readonly state: string;
  /** Steady state at V [mV] and cai [mM]. */
  inf(v: number, cai: number): number;
  /** Time constant [ms] at V and cai. */
  tau(v: number, cai: number): number;
}

/** A density channel with the spec's formulas for its gates and conductance. */
export interface ChannelSpec {
  readonly mech: DensityMechanism;
  /** Parameter values to set (others keep defaults). */
  readonly params: Readonly<Record<string, number>>;
  /** GLOBAL values to set (others keep defaults). */
  readonly globals?: Readonly<Record<string, number>>;
  readonly gates: readonly GateSpec[];
  /** Conductance [S/cm²] from the instance's fields (instance 0). */
  conductance(f: Record<string, Float64Array>): number;
  /** Reversal potential [mV] of the current for node 0. */
  reversal(n: NodeArrays, s: MechanismInstances): number;
}

/** One instance of `c.mech` on one node with `values`, parameters set, after `init`. */
export function initOne(
  c: ChannelSpec,
  values: NodeValues = {},
): { s: MechanismInstances; n: NodeArrays } {
  const s = allocateInstances(c.mech, new Int32Array([0]), c.globals ?? {});
  for (const [p, x] of Object.entries(c.params)) s.fields[p][0] = x;
  const n = makeNodes(1, values);
  c.mech.prepare(s, prepareContext(n));
  c.mech.init(s, n);
  return { s, n };
}

/** Largest relative error of the gates after `init` at V = v against x∞(v). */
export function initError(c: ChannelSpec, v: number, cai = 5e-5): number {
  const { s } = initOne(c, { v, cai });
  let worst = 0;
  for (const gate of c.gates) {
    worst = Math.max(worst, relErr(s.fields[gate.state][0], gate.inf(v, cai)));
  }
  return worst;
}

/**
 * Largest relative error of one `advance` step (init at v0, then step at v1) against the exact
 * solution of the linear gate equation with x∞(v1), τ(v1).
 */
export function stepError(c: ChannelSpec, v0: number, v1: number, dt: number, cai = 5e-5): number {
  const { s, n } = initOne(c, { v: v0, cai, dt });
  const before = c.gates.map((g) => s.fields[g.state][0]);
  n.v[0] = v1;
  c.mech.advance(s, n);
  let worst = 0;
  c.gates.forEach((g, j) => {
    const want = gateExact(before[j], g.inf(v1, cai), g.tau(v1, cai), dt);
    worst = Math.max(worst, relErr(s.fields[g.state][0], want));
  });
  return worst;
}

/**
 * Largest relative error of `current` at V = v (states from init at v0) against the spec:
 * n.i = g·(V − E), n.g = g, and the assigned current and conductance fields.
 */
export function currentError(c: ChannelSpec, v0: number, v: number): number {
  const { s, n } = initOne(c, { v: v0 });
  n.v[0] = v;
  clearCurrents(n);
  c.mech.current(s, n);
  const g = c.conductance(s.fields);
  const i = g * (v - c.reversal(n, s));
  const [iName, gName] = c.mech.assigned;
  return Math.max(
    relErr(n.i[0], i),
    relErr(n.g[0], g),
    relErr(s.fields[iName][0], i),
    relErr(s.fields[gName][0], g),
  );
}

/** True when init, current and advance at V = v (cai) leave every field finite. */
export function allFinite(c: ChannelSpec, v: number, cai = 5e-5): boolean {
  const { s, n } = initOne(c, { v, cai });
  c.mech.current(s, n);
  c.mech.advance(s, n);
  if (!Number.isFinite(n.i[0]) || !Number.isFinite(n.g[0])) return false;
  return Object.values(s.fields).every((a) => a.every(Number.isFinite));
}

/** Largest relative change of the gates by one `advance` at the init voltage (steady state). */
export function steadyDrift(c: ChannelSpec, v: number, cai = 5e-5): number {
  const { s, n } = initOne(c, { v, cai });
  const before = c.gates.map((g) => s.fields[g.state][0]);
  c.mech.advance(s, n);
  return Math.max(...c.gates.map((g, j) => relErr(s.fields[g.state][0], before[j])));
}
