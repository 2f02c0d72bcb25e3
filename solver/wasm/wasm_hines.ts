/**
 * The Hines solve of one backward-Euler step as WebAssembly, in both variants of
 * solver/hines_solver.ts and for 1, 2 or 4 lock-step sweeps:
 *
 * - `exact`: `stepVoltage`'s three passes in index order (elimination from the last node to the
 *   first, back substitution from the first), two divisions per node;
 * - `fast`: `stepVoltageFast`'s schedule (elimination by height, substitution by depth, 1/d kept),
 *   one division per node.
 *
 * Each variant performs the JavaScript solve's operations in its order, so for every sweep the
 * result is the JavaScript solve's to the bit (`wasm_hines_test.ts`, and on the 86_C2_center
 * cell in tests/wasm_hines_reference_test.ts). The tree walk is the same for all sweeps, so lanes
 * never diverge: with 2 lanes every load and operation covers two sweeps, with 4 lanes the body
 * is emitted twice per node (two independent dependency chains the CPU overlaps).
 *
 * Regions (see {@link hinesRegions}): the caller's per-lane node arrays `v`, `i`, `g`; the
 * solver's shared coefficients and per-lane work arrays prefixed `hines.`. The diagonal's
 * constant part `dAxial + cfac/dt` is precomputed per dt by {@link setHinesDt} with the same
 * operations the JavaScript solve uses each step. Node references in the shared i32 regions
 * (`hines.parent`, the fast schedule's `eNode`/`eParent`/`sNode`/`sParent`) are stored as byte
 * addresses k·8·lanes of the per-lane arrays, so the loops load them without shifting.
 *
 * @module
 */
import { emitCountedLoop, emitShift, LaneEmitter } from "./_lane_emitter.ts";
import type { EngineMemory, RegionRequest } from "./engine_memory.ts";
import { f64View, i32View } from "./engine_memory.ts";
import type {
  FunctionEmitter as FunctionBuilder,
  ModuleEmitter as ModuleBuilder,
} from "./wasm_builder.ts";

/**
 * The matrix of one lowered cell as solver/hines_solver.ts's `createHinesSystem` builds it (a
 * `HinesSystem` is one): row i is lower[i]·x[parent[i]] + d[i]·x[i] + Σ upper[c]·x[c] = rhs[i].
 */
export interface HinesMatrix {
  /** Parent node, −1 for the root (node 0); parent[i] < i. */
  readonly parent: Int32Array;
  /** Entry (parent[i], i). */
  readonly upper: Float64Array;
  /** Entry (i, parent[i]). */
  readonly lower: Float64Array;
  /** Axial part of the diagonal. */
  readonly dAxial: Float64Array;
  /** 10⁻³·cm per node [mA/cm² per mV/ms]; 0 for zero-area nodes. */
  readonly cfac: Float64Array;
}

/** Which JavaScript solve to reproduce. */
export type HinesVariant = "exact" | "fast";

/**
 * The regions the solve needs besides the node arrays `v`, `i`, `g` (per lane, one entry per
 * node), which the caller declares because mechanisms share them.
 *
 * @param n number of nodes
 * @param variant exact or fast
 * @returns the region requests
 */
export function hinesRegions(n: number, variant: HinesVariant): RegionRequest[] {
  const shared = (name: string, kind: "f64" | "i32" = "f64", length = n): RegionRequest => ({
    name: `hines.${name}`,
    kind,
    length,
    perLane: false,
  });
  const lane = (name: string): RegionRequest => ({
    name: `hines.${name}`,
    kind: "f64",
    length: n,
    perLane: true,
  });
  if (variant === "exact") {
    return [
      shared("parent", "i32"),
      shared("upper"),
      shared("lower"),
      shared("base"),
      lane("d"),
      lane("rhs"),
    ];
  }
  const m = Math.max(n - 1, 0);
  return [
    shared("eNode", "i32", m),
    shared("eParent", "i32", m),
    shared("eUpper", "f64", m),
    shared("eLower", "f64", m),
    shared("eBase", "f64", m),
    shared("sNode", "i32", m),
    shared("sParent", "i32", m),
    shared("sLower", "f64", m),
    shared("base0", "f64", 1),
    lane("accD"),
    lane("accR"),
    lane("invD"),
    lane("rhs"),
  ];
}

/** Node orders of the fast solve: the schedule `stepVoltageFast` builds, rebuilt identically. */
interface FastSchedule {
  readonly eNode: Int32Array;
  readonly sNode: Int32Array;
}

function fastSchedule(parent: Int32Array): FastSchedule {
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
  return { eNode: byLevel(height, true), sNode: byLevel(depth, false) };
}

/**
 * Writes the matrix coefficients (and for `fast` the schedule) into the memory, and the
 * diagonal's constant part for `dt`.
 *
 * @param mem memory laid out with {@link hinesRegions}
 * @param s the system (solver/hines_solver.ts `createHinesSystem`)
 * @param variant exact or fast
 * @param dt time step [ms]
 */
export function fillHinesRegions(
  mem: EngineMemory,
  s: HinesMatrix,
  variant: HinesVariant,
  dt: number,
): void {
  const { parent, upper, lower } = s;
  if (variant === "exact") {
    // Parents as byte addresses p·8·lanes in the per-lane arrays (the solve needs no shift).
    i32View(mem, "hines.parent").set(parent.map((p) => p * 8 * mem.lanes));
    f64View(mem, "hines.upper").set(upper);
    f64View(mem, "hines.lower").set(lower);
  } else {
    const { eNode, sNode } = fastSchedule(parent);
    // Nodes as byte addresses k·8·lanes in the per-lane arrays (the solve's loops need no shift).
    const at = (k: number) => k * 8 * mem.lanes;
    i32View(mem, "hines.eNode").set(eNode.map(at));
    i32View(mem, "hines.eParent").set(eNode.map((k) => at(parent[k])));
    f64View(mem, "hines.eUpper").set(Float64Array.from(eNode, (k) => upper[k]));
    f64View(mem, "hines.eLower").set(Float64Array.from(eNode, (k) => lower[k]));
    i32View(mem, "hines.sNode").set(sNode.map(at));
    i32View(mem, "hines.sParent").set(sNode.map((k) => at(parent[k])));
    f64View(mem, "hines.sLower").set(Float64Array.from(sNode, (k) => lower[k]));
  }
  setHinesDt(mem, s, variant, dt);
}

/**
 * Recomputes the diagonal's constant part dAxial + cfac·(1/dt) for a new dt, with the
 * JavaScript solve's operations.
 *
 * @param mem the memory
 * @param s the system
 * @param variant exact or fast
 * @param dt time step [ms]
 */
export function setHinesDt(
  mem: EngineMemory,
  s: HinesMatrix,
  variant: HinesVariant,
  dt: number,
): void {
  const { dAxial, cfac } = s;
  const rdt = 1 / dt;
  if (variant === "exact") {
    const base = f64View(mem, "hines.base");
    for (let k = 0; k < base.length; k++) base[k] = dAxial[k] + cfac[k] * rdt;
  } else {
    const { eNode } = fastSchedule(s.parent);
    const eBase = f64View(mem, "hines.eBase");
    for (let j = 0; j < eNode.length; j++) eBase[j] = dAxial[eNode[j]] + cfac[eNode[j]] * rdt;
    f64View(mem, "hines.base0")[0] = dAxial[0] + cfac[0] * rdt;
  }
}

/**
 * Emits more work for a node whose V^{n+1} has just been computed, inside the solve's
 * substitution loop (a fused pass over the nodes: e.g. the rate-table positions).
 *
 * @param e the emitter of the lanes being solved (one f64 or f64x2 value per node)
 * @param kL local holding the node's byte address k·8·lanes in a per-lane f64 region
 * @param v local holding the node's new V (per-lane value) [mV]
 */
export type SolvedNodeHook = (e: LaneEmitter, kL: number, v: number) => void;

/** Options of {@link emitHinesSolve}. */
export interface HinesSolveOptions {
  /** Number of nodes (default: the length of region `v`). */
  readonly nodes?: number;
  /** Emitted once per node after its V^{n+1} is stored (root included). */
  readonly onSolved?: SolvedNodeHook;
}

/**
 * Adds the solve as an exported function `() → ()` that updates `v` to V^{n+1} in every lane
 * and zeroes `i` and `g`, like the JavaScript solve.
 *
 * @param mb the module (its memory must be `mem`'s, imported or own)
 * @param mem the laid-out memory (fixes node count, lanes and offsets)
 * @param variant exact or fast
 * @param exportAs export name
 * @param options node count, per-node hook
 * @returns the function index
 */
export function emitHinesSolve(
  mb: ModuleBuilder,
  mem: EngineMemory,
  variant: HinesVariant,
  exportAs: string,
  options: HinesSolveOptions = {},
): number {
  const nodes = options.nodes;
  const n = nodes ?? mem.regions.get("v")?.request.length ?? 0;
  if (n < 1) throw new RangeError('The Hines solve needs a per-lane region "v" with ≥ 1 node');
  const fb = mb.addFunction({ params: [], results: [] }, { exportAs });
  const halves = mem.lanes === 4 ? [0, 1] : [0];
  const em = halves.map((h) => new LaneEmitter(fb, mem, h));
  const sh = em[0].laneShift;
  const k = fb.local("i32");
  const a4 = fb.local("i32"); // entry·4 (i32 arrays)
  const a8 = fb.local("i32"); // entry·8 (shared f64 arrays)
  const kL = fb.local("i32"); // node k·8·lanes
  const pL = fb.local("i32"); // node p·8·lanes
  const tmp = em.map((e) => ({
    dv: e.local(),
    rk: e.local(),
    f: e.local(),
    x: e.local(),
    nv: e.local(),
    lo: e.local(),
    up: e.local(),
  }));
  const hook = options.onSolved;
  if (variant === "exact") emitExact(fb, em, tmp, n, { k, a4, a8, kL, pL }, sh, hook);
  else emitFast(fb, em, tmp, n, { k, a4, a8, kL, pL }, hook);
  return fb.index;
}

interface Addr {
  readonly k: number;
  readonly a4: number;
  readonly a8: number;
  readonly kL: number;
  readonly pL: number;
}
interface Temps {
  readonly dv: number;
  readonly rk: number;
  readonly f: number;
  readonly x: number;
  /** The node's new V. */
  readonly nv: number;
  /** The node's lower and upper coefficients (loaded once). */
  readonly lo: number;
  readonly up: number;
}

function emitExact(
  fb: FunctionBuilder,
  em: LaneEmitter[],
  tmp: Temps[],
  n: number,
  a: Addr,
  sh: number,
  hook: SolvedNodeHook | undefined,
): void {
  // d[k] = base[k] + g[k]; rhs[k] = −i[k]
  emitCountedLoop(fb, a.k, 0, n, 1, () => {
    emitShift(fb, a.a8, a.k, 3);
    emitShift(fb, a.kL, a.k, sh);
    for (const e of em) {
      e.store("hines.d", a.kL, () => {
        e.loadShared("hines.base", a.a8);
        e.load("g", a.kL);
        e.op("add");
      });
      e.store("hines.rhs", a.kL, () => {
        e.load("i", a.kL);
        e.op("neg");
      });
    }
  });
  // Elimination, k = n−1 … 1.
  emitCountedLoop(fb, a.k, n - 1, 0, -1, () => {
    emitShift(fb, a.a4, a.k, 2);
    emitShift(fb, a.a8, a.k, 3);
    emitShift(fb, a.kL, a.k, sh);
    em[0].loadIndex("hines.parent", a.a4);
    fb.op("local.set", a.pL);
    em.forEach((e, h) => {
      const t = tmp[h];
      // dv = v[p] − v[k]
      e.load("v", a.pL);
      e.load("v", a.kL);
      e.op("sub");
      e.set(t.dv);
      // rk = rhs[k] − lower[k]·dv
      e.load("hines.rhs", a.kL);
      e.loadShared("hines.lower", a.a8);
      e.tee(t.lo);
      e.get(t.dv);
      e.op("mul");
      e.op("sub");
      e.set(t.rk);
      // f = upper[k] / d[k]
      e.loadShared("hines.upper", a.a8);
      e.tee(t.up);
      e.load("hines.d", a.kL);
      e.op("div");
      e.set(t.f);
      e.store("hines.rhs", a.kL, () => e.get(t.rk));
      // d[p] = d[p] − f·lower[k]
      e.store("hines.d", a.pL, () => {
        e.load("hines.d", a.pL);
        e.get(t.f);
        e.get(t.lo);
        e.op("mul");
        e.op("sub");
      });
      // rhs[p] = rhs[p] + (upper[k]·dv − f·rk)
      e.store("hines.rhs", a.pL, () => {
        e.load("hines.rhs", a.pL);
        e.get(t.up);
        e.get(t.dv);
        e.op("mul");
        e.get(t.f);
        e.get(t.rk);
        e.op("mul");
        e.op("sub");
        e.op("add");
      });
    });
  });
  // Root: x0 = rhs[0] / d[0].
  fb.i32Const(0);
  fb.op("local.set", a.kL);
  em.forEach((e, h) => {
    const t = tmp[h];
    e.load("hines.rhs", a.kL);
    e.load("hines.d", a.kL);
    e.op("div");
    e.set(t.x);
    storeSolution(e, a.kL, t, hook);
  });
  // Back substitution, k = 1 … n−1: x = (rhs[k] − lower[k]·rhs[p]) / d[k].
  emitCountedLoop(fb, a.k, 1, n, 1, () => {
    emitShift(fb, a.a4, a.k, 2);
    emitShift(fb, a.a8, a.k, 3);
    emitShift(fb, a.kL, a.k, sh);
    em[0].loadIndex("hines.parent", a.a4);
    fb.op("local.set", a.pL);
    em.forEach((e, h) => {
      const t = tmp[h];
      e.load("hines.rhs", a.kL);
      e.loadShared("hines.lower", a.a8);
      e.load("hines.rhs", a.pL);
      e.op("mul");
      e.op("sub");
      e.load("hines.d", a.kL);
      e.op("div");
      e.set(t.x);
      storeSolution(e, a.kL, t, hook);
    });
  });
}

/** rhs[k] = x; v[k] = v[k] + x; i[k] = 0; g[k] = 0; then the hook. */
function storeSolution(
  e: LaneEmitter,
  kL: number,
  t: Temps,
  hook: SolvedNodeHook | undefined,
): void {
  e.store("hines.rhs", kL, () => e.get(t.x));
  storeV(e, kL, t, hook !== undefined);
  e.store("i", kL, () => e.constant(0));
  e.store("g", kL, () => e.constant(0));
  hook?.(e, kL, t.nv);
}

/** v[k] = v[k] + x, kept in local nv when `keep`. */
function storeV(e: LaneEmitter, kL: number, t: Temps, keep: boolean): void {
  e.store("v", kL, () => {
    e.load("v", kL);
    e.get(t.x);
    e.op("add");
    if (keep) e.tee(t.nv);
  });
}

function emitFast(
  fb: FunctionBuilder,
  em: LaneEmitter[],
  tmp: Temps[],
  n: number,
  a: Addr,
  hook: SolvedNodeHook | undefined,
): void {
  const m = n - 1;
  const zero = (e: LaneEmitter, name: string, addr: number) =>
    e.store(name, addr, () => e.constant(0));
  // Elimination in height order: j = 0 … m−1, node k = eNode[j], parent p = eParent[j] (both
  // stored as byte addresses); the loop counts a4 = 4·j.
  emitCountedLoop(fb, a.a4, 0, 4 * m, 4, () => {
    emitShift(fb, a.a8, a.a4, 1);
    em[0].loadIndex("hines.eNode", a.a4);
    fb.op("local.set", a.kL);
    em[0].loadIndex("hines.eParent", a.a4);
    fb.op("local.set", a.pL);
    em.forEach((e, h) => {
      const t = tmp[h];
      // dk = accD[k] + (eBase[j] + g[k])  → kept in x
      e.load("hines.accD", a.kL);
      e.loadShared("hines.eBase", a.a8);
      e.load("g", a.kL);
      e.op("add");
      e.op("add");
      e.set(t.x);
      // dv = v[p] − v[k]
      e.load("v", a.pL);
      e.load("v", a.kL);
      e.op("sub");
      e.set(t.dv);
      // rk = (accR[k] − i[k]) − eLower[j]·dv
      e.load("hines.accR", a.kL);
      e.load("i", a.kL);
      e.op("sub");
      e.loadShared("hines.eLower", a.a8);
      e.tee(t.lo);
      e.get(t.dv);
      e.op("mul");
      e.op("sub");
      e.set(t.rk);
      zero(e, "hines.accD", a.kL);
      zero(e, "hines.accR", a.kL);
      zero(e, "i", a.kL);
      zero(e, "g", a.kL);
      // r = 1/dk → x; f = eUpper[j]·r; invD[k] = r; rhs[k] = rk
      e.constant(1);
      e.get(t.x);
      e.op("div");
      e.set(t.x);
      e.loadShared("hines.eUpper", a.a8);
      e.tee(t.up);
      e.get(t.x);
      e.op("mul");
      e.set(t.f);
      e.store("hines.invD", a.kL, () => e.get(t.x));
      e.store("hines.rhs", a.kL, () => e.get(t.rk));
      // accD[p] = accD[p] − f·eLower[j]
      e.store("hines.accD", a.pL, () => {
        e.load("hines.accD", a.pL);
        e.get(t.f);
        e.get(t.lo);
        e.op("mul");
        e.op("sub");
      });
      // accR[p] = accR[p] + (eUpper[j]·dv − f·rk)
      e.store("hines.accR", a.pL, () => {
        e.load("hines.accR", a.pL);
        e.get(t.up);
        e.get(t.dv);
        e.op("mul");
        e.get(t.f);
        e.get(t.rk);
        e.op("mul");
        e.op("sub");
        e.op("add");
      });
    });
  });
  // Root: x0 = (accR[0] − i[0]) / (accD[0] + (base0 + g[0])).
  fb.i32Const(0);
  fb.op("local.set", a.kL);
  fb.i32Const(0);
  fb.op("local.set", a.a8);
  em.forEach((e, h) => {
    const t = tmp[h];
    e.load("hines.accR", a.kL);
    e.load("i", a.kL);
    e.op("sub");
    e.load("hines.accD", a.kL);
    e.loadShared("hines.base0", a.a8);
    e.load("g", a.kL);
    e.op("add");
    e.op("add");
    e.op("div");
    e.set(t.x);
    zero(e, "hines.accD", a.kL);
    zero(e, "hines.accR", a.kL);
    storeSolution(e, a.kL, t, hook);
  });
  // Back substitution in depth order: x = (rhs[k] − sLower[j]·rhs[p]) · invD[k].
  emitCountedLoop(fb, a.a4, 0, 4 * m, 4, () => {
    emitShift(fb, a.a8, a.a4, 1);
    em[0].loadIndex("hines.sNode", a.a4);
    fb.op("local.set", a.kL);
    em[0].loadIndex("hines.sParent", a.a4);
    fb.op("local.set", a.pL);
    em.forEach((e, h) => {
      const t = tmp[h];
      e.load("hines.rhs", a.kL);
      e.loadShared("hines.sLower", a.a8);
      e.load("hines.rhs", a.pL);
      e.op("mul");
      e.op("sub");
      e.load("hines.invD", a.kL);
      e.op("mul");
      e.set(t.x);
      e.store("hines.rhs", a.kL, () => e.get(t.x));
      storeV(e, a.kL, t, hook !== undefined);
      hook?.(e, a.kL, t.nv);
    });
  });
}
