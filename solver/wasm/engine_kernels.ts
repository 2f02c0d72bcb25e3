/**
 * The engine's per-step functions besides the mechanisms' IR kernels: the fast mode's gate
 * updates from rate tables (the tables and pairing of solver/nmodl's fast mode, the arithmetic of
 * solver/mechanisms/_rate_table.ts's kernels), the rate-table positions of the node voltages, the
 * calcium Nernst potential (from the ln table in fast mode, `Math.log` in exact mode), and
 * zeroing a node array. Each performs the JavaScript kernels' operations in their order, per
 * lane.
 *
 * @module
 */
import {
  CONC_TABLE_EXP_MAX,
  CONC_TABLE_EXP_MIN,
  CONC_TABLE_PER_OCTAVE,
  lnConcentrationTable,
  TABLE_STEP,
  TABLE_V_MIN,
} from "../mechanisms/_rate_table.ts";
import type { FastModeLayout, MechanismIR } from "../nmodl/mod.ts";
import {
  addressLocals,
  emitCubic,
  emitInstanceLoop,
  emitLaneAddress,
  emitTableCoordinate,
  IrEmitter,
  type Layout,
  type LoweringContext,
  type MechanismRegions,
  V_INTERVALS,
} from "./kernel_lowering.ts";
import type { FunctionEmitter } from "./wasm_builder.ts";
import type { SolvedNodeHook } from "./wasm_hines.ts";

/** Intervals of a concentration table. */
export const CONC_INTERVALS: number = (CONC_TABLE_EXP_MAX - CONC_TABLE_EXP_MIN) *
  CONC_TABLE_PER_OCTAVE;
const CONC_SHIFT = 20 - Math.log2(CONC_TABLE_PER_OCTAVE);
const CONC_BASE = (1023 + CONC_TABLE_EXP_MIN) * CONC_TABLE_PER_OCTAVE;

/**
 * The concentration grid (the one of _rate_table.ts, rebuilt with the same exact operations):
 * left end and 1/width of every interval.
 *
 * @returns start [mM] and inverse width [1/mM] per interval
 */
export function concentrationGrid(): { start: Float64Array; invWidth: Float64Array } {
  const start = new Float64Array(CONC_INTERVALS), invWidth = new Float64Array(CONC_INTERVALS);
  for (let i = 0; i < CONC_INTERVALS; i++) {
    const e = CONC_TABLE_EXP_MIN + Math.floor(i / CONC_TABLE_PER_OCTAVE);
    const w = 2 ** e / CONC_TABLE_PER_OCTAVE;
    start[i] = 2 ** e + (i % CONC_TABLE_PER_OCTAVE) * w;
    invWidth[i] = 1 / w;
  }
  return { start, invWidth };
}

/** ln c on the concentration grid: the table `nernstFromTable` uses (the same array; read only). */
export function lnTable(): Float64Array {
  return lnConcentrationTable();
}

/** A concentration's place in the memory: local `addr` holding a byte address, plus `off`. */
interface ConcAddress {
  readonly addr: number;
  readonly off: number;
}

/**
 * Emits `hi = (high word of x) >> shift − base`: the concentration interval (i32), for x the f64
 * at byte `addr` + `off` of the memory, whose high word is the i32 at `addr` + `off` + 4 (the
 * memory is little-endian, in WebAssembly and in the JavaScript tier's typed arrays on the
 * little-endian hosts Deno runs on): one load instead of reinterpreting x as an i64.
 */
function emitConcInterval(fb: FunctionEmitter, at: ConcAddress): void {
  fb.op("local.get", at.addr);
  fb.op("i32.load", at.off + 4);
  fb.i32Const(CONC_SHIFT);
  fb.op("i32.shr_s");
  fb.i32Const(CONC_BASE);
  fb.op("i32.sub");
}

/**
 * Emits the cubic of a concentration table at local `x`: the interval i of the grid, then
 * `if` x lies on the grid, f = (x − start[i])·invWidth[i] and the cubic of interval i at f,
 * left on the stack. The caller stores it, and emits the `else` (x off the grid) and `end`.
 *
 * @param fb the function
 * @param l locals: x (f64), i and b (i32), f (f64)
 * @param at where x was loaded from (the interval reads its high word there)
 * @param startOff byte offset of the grid's interval starts
 * @param invWidthOff byte offset of the grid's inverse interval widths
 * @param tableOff byte offset of the table (4 coefficients per interval)
 */
function emitConcCubic(
  fb: FunctionEmitter,
  l: { readonly x: number; readonly i: number; readonly b: number; readonly f: number },
  at: ConcAddress,
  startOff: number,
  invWidthOff: number,
  tableOff: number,
): void {
  emitConcInterval(fb, at);
  fb.op("local.tee", l.i);
  fb.i32Const(0);
  fb.op("i32.ge_s");
  fb.op("local.get", l.i);
  fb.i32Const(CONC_INTERVALS);
  fb.op("i32.lt_s");
  fb.op("i32.and");
  fb.if();
  // f = (x − start[i])·invWidth[i]
  fb.op("local.get", l.i);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.set", l.b);
  fb.op("local.get", l.x);
  fb.op("local.get", l.b);
  fb.op("f64.load", startOff);
  fb.op("f64.sub");
  fb.op("local.get", l.b);
  fb.op("f64.load", invWidthOff);
  fb.op("f64.mul");
  fb.op("local.set", l.f);
  fb.op("local.get", l.i);
  fb.i32Const(5);
  fb.op("i32.shl");
  fb.op("local.set", l.b);
  emitCubic(fb, l.b, tableOff, l.f);
}

/**
 * A voltage group's rate table (per interval, q functions of 4 cubic coefficients) with the two
 * functions of each gate (x∞, 1 − exp(−dt/τ)) interleaved coefficient by coefficient, so that
 * one f64x2 load reads coefficient k of both: per interval, per gate, [c0ₓ, c0F, c1ₓ, c1F, …].
 *
 * @param table the table as built (functions one after the other per interval)
 * @param q functions per interval (even)
 * @returns the interleaved table, of the same length
 */
export function pairedRateTable(table: Float64Array, q: number): Float64Array {
  const out = new Float64Array(table.length);
  const block = 4 * q;
  for (let b = 0; b + block <= table.length; b += block) {
    for (let j = 0; j < q; j++) {
      const lane = j & 1, pair = j >> 1;
      for (let k = 0; k < 4; k++) out[b + 8 * pair + 2 * k + lane] = table[b + 4 * j + k];
    }
  }
  return out;
}

/** The engine regions of a mechanism's fast mode. */
export interface FastRegions {
  /** Shared f64 region of each voltage group's rate table. */
  readonly voltage: readonly string[];
  /**
   * The voltage tables are interleaved by gate ({@link pairedRateTable}) and evaluated two
   * functions per f64x2 (SIMD tier).
   */
  readonly paired?: boolean;
  /** Shared f64 region of each concentration gate's table. */
  readonly conc: readonly string[];
  /** Shared f64 region: the concentration gates' factors. */
  readonly factors: string;
  /** Shared f64 region: the uniform RANGE parameters by field index. */
  readonly uniform: string;
  /** Shared f64 region: the globals the tables were built with. */
  readonly globals: string;
}

/** Node-level regions the fast advance reads. */
export interface PositionRegions {
  /** Per-lane i32: rate-table interval of each node's V (−1 outside). */
  readonly interval: string;
  /** Per-lane f64: position of V in its interval. */
  readonly frac: string;
  /** Shared f64 regions of the concentration grid. */
  readonly concStart: string;
  /** Shared f64: 1/width per concentration interval. */
  readonly concInvWidth: string;
}

/**
 * Emits the fast `advance` of a compiled channel: every gate from its rate table at the node's
 * table position (the exact gate function outside the table), x ← x + F·(x∞ − x). Scalar, one
 * loop per lane of the memory (the gathers of table coefficients are per lane anyway).
 *
 * @param fb the function
 * @param ctx memory and constants
 * @param ir the mechanism
 * @param regions its regions
 * @param fast its fast-mode layout
 * @param fr the fast-mode regions
 * @param pos node positions and the concentration grid
 */
export function emitFastAdvance(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  ir: MechanismIR,
  regions: MechanismRegions,
  fast: FastModeLayout,
  fr: FastRegions,
  pos: PositionRegions,
): void {
  const lanes = ctx.mem.lanes;
  const off = (name: string) => ctx.mem.regions.get(name)!.offset;
  const addr = addressLocals(fb, "scalar", lanes);
  const vArg = fb.local("f64"), cArg = fb.local("f64");
  const rhs = Array.from({ length: 2 * fast.gateCount }, () => fb.local("f64"));
  const iv = fb.local("i32"), f = fb.local("f64"), b = fb.local("i32");
  const xk = fb.local("f64");
  const ins = Array.from({ length: 4 }, () => fb.local("f64"));
  const fv = fr.paired === true ? fb.local("v128") : undefined;
  const pv = fr.paired === true ? fb.local("v128") : undefined;
  const cArgX = fb.local("f64");
  // The gate function (exact fallback) reads the fast mode's own globals.
  const gateRegions: MechanismRegions = { ...regions, globals: fr.globals };
  for (let lane = 0; lane < lanes; lane++) {
    const em = new IrEmitter(fb, ir, gateRegions, "scalar", ctx, addr, {
      gate: { uniform: fr.uniform, vArg, cArg, rhs },
    });
    // The JavaScript fallback of a concentration gate evaluates the gate function with dt = NaN.
    const emNaN = new IrEmitter(fb, ir, gateRegions, "scalar", { ...ctx, dt: NaN }, addr, {
      gate: { uniform: fr.uniform, vArg, cArg, rhs },
    });
    emitInstanceLoop(fb, ctx, regions, "scalar", addr, () => {
      // Voltage groups.
      fast.voltage.forEach((grp, g) => {
        const q = 2 * grp.gates.length;
        // iv = interval[c] (per lane)
        fb.op("local.get", addr.c);
        fb.i32Const(2 + Math.log2(lanes));
        fb.op("i32.shl");
        if (lane !== 0) {
          fb.i32Const(4 * lane);
          fb.op("i32.add");
        }
        fb.op("i32.load", off(pos.interval));
        fb.op("local.tee", iv);
        fb.i32Const(0);
        fb.op("i32.ge_s");
        fb.if();
        fb.op("local.get", addr.node);
        fb.op("f64.load", off(pos.frac));
        fb.op("local.set", f);
        // b = iv · q · 32 bytes
        fb.op("local.get", iv);
        fb.i32Const(Math.log2(q) + 5);
        fb.op("i32.shl");
        fb.op("local.set", b);
        if (fr.paired === true) {
          // x∞ and F of one gate per f64x2: ((c3·f + c2)·f + c1)·f + c0 in each lane.
          fb.op("local.get", f);
          fb.op("f64x2.splat");
          fb.op("local.set", fv!);
          for (let pair = 0; pair < q / 2; pair++) {
            const at = off(fr.voltage[g]) + 64 * pair;
            fb.op("local.get", b);
            fb.op("v128.load", at + 48);
            fb.op("local.get", fv!);
            fb.op("f64x2.mul");
            for (const k of [2, 1, 0]) {
              fb.op("local.get", b);
              fb.op("v128.load", at + 16 * k);
              fb.op("f64x2.add");
              if (k > 0) {
                fb.op("local.get", fv!);
                fb.op("f64x2.mul");
              }
            }
            fb.op("local.tee", pv!);
            fb.op("f64x2.extract_lane", 0);
            fb.op("local.set", ins[2 * pair]);
            fb.op("local.get", pv!);
            fb.op("f64x2.extract_lane", 1);
            fb.op("local.set", ins[2 * pair + 1]);
          }
        } else {
          for (let j = 0; j < q; j++) {
            emitCubic(fb, b, off(fr.voltage[g]) + 32 * j, f);
            fb.op("local.set", ins[j]);
          }
        }
        fb.op("else");
        fb.op("local.get", addr.node);
        fb.op("f64.load", off("v"));
        fb.op("local.set", vArg);
        fb.f64Const(NaN);
        fb.op("local.set", cArg);
        em.resetLocals(fast.locals);
        em.stmts(fast.gateBody);
        grp.gates.forEach((gi, j) => {
          fb.op("local.get", rhs[2 * gi]);
          fb.op("local.set", ins[2 * j]);
          fb.op("local.get", rhs[2 * gi + 1]);
          fb.op("local.set", ins[2 * j + 1]);
        });
        fb.op("end");
        grp.fields.forEach((field, j) => {
          const fo = off(regions.fields[field]!.region);
          // x = xk + F·(x∞ − xk)
          fb.op("local.get", addr.field);
          fb.op("f64.load", fo);
          fb.op("local.set", xk);
          fb.op("local.get", addr.field);
          fb.op("local.get", xk);
          fb.op("local.get", ins[2 * j + 1]);
          fb.op("local.get", ins[2 * j]);
          fb.op("local.get", xk);
          fb.op("f64.sub");
          fb.op("f64.mul");
          fb.op("f64.add");
          fb.op("f64.store", fo);
        });
      });
      // Concentration gates.
      fast.conc.forEach((cg, g) => {
        const nv = ir.nodeVars[fast.concentrationNode];
        const x = cArgX;
        fb.op("local.get", addr.node);
        fb.op("f64.load", off(nv.name));
        fb.op("local.set", x);
        emitConcCubic(
          fb,
          { x, i: iv, b, f },
          { addr: addr.node, off: off(nv.name) },
          off(pos.concStart),
          off(pos.concInvWidth),
          off(fr.conc[g]),
        );
        fb.op("local.set", ins[0]);
        fb.op("else");
        fb.f64Const(NaN);
        fb.op("local.set", vArg);
        fb.op("local.get", x);
        fb.op("local.set", cArg);
        emNaN.resetLocals(fast.locals);
        emNaN.stmts(fast.gateBody);
        fb.op("local.get", rhs[2 * cg.gate]);
        fb.op("local.set", ins[0]);
        fb.op("end");
        const fo = off(regions.fields[cg.field]!.region);
        fb.op("local.get", addr.field);
        fb.op("f64.load", fo);
        fb.op("local.set", xk);
        fb.op("local.get", addr.field);
        fb.op("local.get", xk);
        fb.i32Const(8 * g);
        fb.op("f64.load", off(fr.factors));
        fb.op("local.get", ins[0]);
        fb.op("local.get", xk);
        fb.op("f64.sub");
        fb.op("f64.mul");
        fb.op("f64.add");
        fb.op("f64.store", fo);
      });
    }, lane);
  }
}

/**
 * Emits the rate-table positions of every node's V (all lanes): interval i and f = u − i for
 * u = (V − V_min)·(1/step) inside the table, −1 and 0 outside (and for NaN). The engine runs it
 * once, before the first step (for the scratch node, whose V never changes); each step's
 * positions are written by the Hines solve ({@link nodePositionHook}).
 *
 * @param fb the function
 * @param ctx memory
 * @param nodes number of nodes
 * @param pos the position regions
 */
export function emitPositions(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  nodes: number,
  pos: PositionRegions,
): void {
  const lanes = ctx.mem.lanes;
  const off = (name: string) => ctx.mem.regions.get(name)!.offset;
  const j = fb.local("i32"), u = fb.local("f64"), i = fb.local("i32");
  const n = nodes * lanes;
  if (n === 0) return;
  fb.i32Const(0);
  fb.op("local.set", j);
  const loop = fb.loop();
  fb.op("local.get", j);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("f64.load", off("v"));
  emitTableCoordinate(fb, u, false);
  fb.if();
  fb.op("local.get", u);
  fb.op("i32.trunc_sat_f64_s");
  fb.op("local.set", i);
  fb.op("local.get", j);
  fb.i32Const(2);
  fb.op("i32.shl");
  fb.op("local.get", i);
  fb.op("i32.store", off(pos.interval));
  fb.op("local.get", j);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.get", u);
  fb.op("local.get", i);
  fb.op("f64.convert_i32_s");
  fb.op("f64.sub");
  fb.op("f64.store", off(pos.frac));
  fb.op("else");
  fb.op("local.get", j);
  fb.i32Const(2);
  fb.op("i32.shl");
  fb.i32Const(-1);
  fb.op("i32.store", off(pos.interval));
  fb.op("local.get", j);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.f64Const(0);
  fb.op("f64.store", off(pos.frac));
  fb.op("end");
  fb.op("local.get", j);
  fb.i32Const(1);
  fb.op("i32.add");
  fb.op("local.tee", j);
  fb.i32Const(n);
  fb.op("i32.lt_s");
  fb.brIf(loop);
  fb.op("end");
}

/**
 * The rate-table position of one node's new V, emitted inside the Hines solve's substitution
 * loop (a {@link SolvedNodeHook}) instead of a second pass over the nodes: the interval and
 * fraction of {@link emitPositions}, with the same operations, computed without a branch. Outside
 * the table (and for NaN) u is replaced by −1 before truncation, so the interval is −1 and the
 * fraction −1 − (−1) = +0, the values {@link emitPositions} stores there. In f64x2 both lanes
 * are done at once (`i32x4.trunc_sat_f64x2_s_zero`; the two intervals are one 64-bit store).
 *
 * @param pos the position regions (per-lane i32 interval, per-lane f64 fraction)
 * @returns the hook
 */
export function nodePositionHook(pos: PositionRegions): SolvedNodeHook {
  return (e, kL, v) => {
    const fb = e.fb;
    const vector = e.width === "f64x2";
    const regions = e.mem.regions;
    const interval = regions.get(pos.interval)!.offset + 8 * e.half;
    const frac = regions.get(pos.frac)!.offset + 16 * e.half;
    const u = e.local(), um = e.local();
    const iv = vector ? fb.local("v128") : fb.local("i32");
    // u = (V − V_min)·(1/step); um = u inside [0, V_INTERVALS), else −1.
    e.get(v);
    e.constant(TABLE_V_MIN);
    e.op("sub");
    e.constant(1 / TABLE_STEP);
    e.op("mul");
    e.tee(u);
    e.constant(-1);
    e.get(u);
    e.constant(0);
    fb.op(vector ? "f64x2.ge" : "f64.ge");
    e.get(u);
    e.constant(V_INTERVALS);
    fb.op(vector ? "f64x2.lt" : "f64.lt");
    if (vector) {
      fb.op("v128.and");
      fb.op("v128.bitselect");
    } else {
      fb.op("i32.and");
      fb.op("select");
    }
    e.set(um);
    // interval[k] = trunc(um): the i32 entry's byte address is k·4·lanes = kL / 2.
    fb.op("local.get", kL);
    fb.i32Const(1);
    fb.op("i32.shr_u");
    e.get(um);
    if (vector) {
      fb.op("i32x4.trunc_sat_f64x2_s_zero");
      fb.op("local.tee", iv);
      fb.op("v128.store64_lane", interval, 0);
    } else {
      fb.op("i32.trunc_sat_f64_s");
      fb.op("local.tee", iv);
      fb.op("i32.store", interval);
    }
    // frac[k] = um − interval[k]
    fb.op("local.get", kL);
    e.get(um);
    fb.op("local.get", iv);
    fb.op(vector ? "f64x2.convert_low_i32x4_s" : "f64.convert_i32_s");
    e.op("sub");
    fb.op(vector ? "v128.store" : "f64.store", frac);
  };
}

/** Regions of the calcium Nernst update. */
export interface NernstRegions {
  /** Shared i32: the nodes where cai is dynamic. */
  readonly caNodes: string;
  /** Shared f64: ln cao at each of them. */
  readonly lnCao: string;
  /** Shared f64: the ln table (fast mode). */
  readonly lnTable: string;
}

/** What the Nernst update needs besides the node addresses. */
export interface NernstSpec {
  /** k_T/2 [mV]. */
  readonly nernst: number;
  /** Whether to use the ln table (fast mode) or `Math.log` (exact mode). */
  readonly fastMode: boolean;
  /** The regions. */
  readonly regions: NernstRegions;
  /** The concentration grid. */
  readonly pos: PositionRegions;
}

/** One node of one lane: i32 locals holding its byte addresses, plus constant offsets. */
interface NernstSite {
  /** Address in the per-lane node arrays (cai, eca), without `nodeOff`. */
  readonly node: number;
  readonly nodeOff: number;
  /** Address in the shared node arrays (cao): c·8. */
  readonly shared: number;
  /** The Ca node's entry in `lnCao`, j·8, without `entryOff`. */
  readonly entry: number;
  readonly entryOff: number;
}

/**
 * Emits eca = (k_T/2)·ln(cao/cai) at the dynamic-calcium nodes of every lane: in fast mode
 * `nernst·(ln cao − ln cai)` with ln cai from the ln table (`nernstFromTable`), in exact mode
 * `nernst·log(cao/cai)` with the imported `Math.log` (`updateEca`).
 *
 * With `simd` in fast mode, two updates share each f64x2 operation: two nodes of one lane, or
 * one node in both lanes of a lock-step pair. The table's coefficients are gathered per update
 * and every operation is the scalar one in each half, so the bits are the scalar loop's; an
 * update off the grid (rare) takes the scalar path, `Math.log` included.
 *
 * @param fb the function
 * @param ctx memory and the `log` import
 * @param count number of dynamic-calcium nodes
 * @param spec constants and regions
 * @param simd whether f64x2 may be used
 */
export function emitNernst(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  count: number,
  spec: NernstSpec,
  simd: boolean,
): void {
  if (count === 0) return;
  const lanes = ctx.mem.lanes;
  const off = (name: string) => ctx.mem.regions.get(name)!.offset;
  const laneShift = 3 + Math.log2(lanes);
  const j = fb.local("i32"), e = fb.local("i32");
  const a = [fb.local("i32"), fb.local("i32")], c8 = [fb.local("i32"), fb.local("i32")];
  const l = nernstLocals(fb);
  // Node addresses of entry j + which in lane `lane`: c8 = c·8, a = c·8·lanes + 8·lane.
  const nodeOf = (which: number, lane: number) => {
    fb.op("local.get", j);
    fb.i32Const(2);
    fb.op("i32.shl");
    fb.op("i32.load", off(spec.regions.caNodes) + 4 * which);
    fb.op("local.tee", c8[which]);
    emitLaneAddress(fb, laneShift, lane);
    fb.op("local.set", a[which]);
    fb.op("local.get", c8[which]);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", c8[which]);
  };
  const site = (which: number, nodeOff = 0): NernstSite => ({
    node: a[which],
    nodeOff,
    shared: c8[which],
    entry: e,
    entryOff: 8 * which,
  });
  // for (j = from; j < to; j += step) with e = 8·j
  const loop = (from: number, to: number, step: number, body: () => void) => {
    if (from >= to) return;
    fb.i32Const(from);
    fb.op("local.set", j);
    const top = fb.loop();
    fb.op("local.get", j);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", e);
    body();
    fb.op("local.get", j);
    fb.i32Const(step);
    fb.op("i32.add");
    fb.op("local.tee", j);
    fb.i32Const(to);
    fb.op("i32.lt_s");
    fb.brIf(top);
    fb.op("end");
  };
  if (!(simd && spec.fastMode)) {
    for (let lane = 0; lane < lanes; lane++) {
      loop(0, count, 1, () => {
        nodeOf(0, lane);
        emitNernstSite(fb, ctx, spec, site(0), l);
      });
    }
    return;
  }
  const v = nernstVectorLocals(fb);
  if (lanes === 1) {
    // Two nodes per f64x2: entries j and j + 1; an odd last one alone.
    const pairs = count - (count % 2);
    loop(0, pairs, 2, () => {
      nodeOf(0, 0);
      nodeOf(1, 0);
      emitNernstPair(fb, ctx, spec, [site(0), site(1)], false, l, v);
    });
    if (pairs < count) {
      fb.i32Const(pairs);
      fb.op("local.set", j);
      fb.i32Const(8 * pairs);
      fb.op("local.set", e);
      nodeOf(0, 0);
      emitNernstSite(fb, ctx, spec, site(0), l);
    }
  } else {
    // A lock-step pair: one node in both lanes (adjacent doubles).
    loop(0, count, 1, () => {
      nodeOf(0, 0);
      emitNernstPair(fb, ctx, spec, [site(0), { ...site(0), nodeOff: 8 }], true, l, v);
    });
  }
}

/** Locals of {@link emitNernstSite}. */
interface NernstLocals {
  readonly x: number;
  readonly i: number;
  readonly b: number;
  readonly f: number;
  readonly ln: number;
}

function nernstLocals(fb: FunctionEmitter): NernstLocals {
  return {
    x: fb.local("f64"),
    i: fb.local("i32"),
    b: fb.local("i32"),
    f: fb.local("f64"),
    ln: fb.local("f64"),
  };
}

/** One scalar Nernst update (see {@link emitNernst}). */
function emitNernstSite(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  spec: NernstSpec,
  site: NernstSite,
  l: NernstLocals,
): void {
  const off = (name: string) => ctx.mem.regions.get(name)!.offset;
  const r = spec.regions, pos = spec.pos;
  const cai = off("cai") + site.nodeOff, eca = off("eca") + site.nodeOff;
  if (spec.fastMode) {
    fb.op("local.get", site.node);
    fb.op("f64.load", cai);
    fb.op("local.set", l.x);
    emitConcCubic(
      fb,
      l,
      { addr: site.node, off: cai },
      off(pos.concStart),
      off(pos.concInvWidth),
      off(r.lnTable),
    );
    fb.op("local.set", l.ln);
    fb.op("else");
    fb.op("local.get", l.x);
    fb.op("call", ctx.math.log);
    fb.op("local.set", l.ln);
    fb.op("end");
    // eca = nernst·(lnCao[j] − ln)
    fb.op("local.get", site.node);
    fb.f64Const(spec.nernst);
    fb.op("local.get", site.entry);
    fb.op("f64.load", off(r.lnCao) + site.entryOff);
    fb.op("local.get", l.ln);
    fb.op("f64.sub");
    fb.op("f64.mul");
    fb.op("f64.store", eca);
  } else {
    // eca = nernst·log(cao/cai)
    fb.op("local.get", site.node);
    fb.f64Const(spec.nernst);
    fb.op("local.get", site.shared);
    fb.op("f64.load", off("cao"));
    fb.op("local.get", site.node);
    fb.op("f64.load", cai);
    fb.op("f64.div");
    fb.op("call", ctx.math.log);
    fb.op("f64.mul");
    fb.op("f64.store", eca);
  }
}

/** Locals of {@link emitNernstPair}. */
interface NernstVectorLocals {
  readonly x: number;
  readonly f: number;
  readonly t: number;
  readonly i: readonly [number, number];
  readonly b: readonly [number, number];
}

function nernstVectorLocals(fb: FunctionEmitter): NernstVectorLocals {
  return {
    x: fb.local("v128"),
    f: fb.local("v128"),
    t: fb.local("v128"),
    i: [fb.local("i32"), fb.local("i32")],
    b: [fb.local("i32"), fb.local("i32")],
  };
}

/**
 * Two fast-mode Nernst updates in one f64x2 (see {@link emitNernst}); `adjacent` when the two
 * sites are the lanes of one node (one 16-byte load of cai and store of eca, one ln cao).
 */
function emitNernstPair(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  spec: NernstSpec,
  sites: readonly [NernstSite, NernstSite],
  adjacent: boolean,
  l: NernstLocals,
  v: NernstVectorLocals,
): void {
  const off = (name: string) => ctx.mem.regions.get(name)!.offset;
  const [s0, s1] = sites;
  const cai = off("cai"), eca = off("eca");
  // [mem[b0 + at], mem[b1 + at]] (addresses in locals b0, b1)
  const gather = (b0: number, b1: number, at0: number, at1: number) => {
    fb.op("local.get", b0);
    fb.op("v128.load64_zero", at0);
    fb.op("local.set", v.t);
    fb.op("local.get", b1);
    fb.op("local.get", v.t);
    fb.op("v128.load64_lane", at1, 1);
  };
  // x = [cai₀, cai₁]
  if (adjacent) {
    fb.op("local.get", s0.node);
    fb.op("v128.load", cai + s0.nodeOff);
  } else gather(s0.node, s1.node, cai + s0.nodeOff, cai + s1.nodeOff);
  fb.op("local.set", v.x);
  // Intervals of both; both on the grid (0 ≤ i < CONC_INTERVALS, unsigned)?
  sites.forEach((s, h) => {
    emitConcInterval(fb, { addr: s.node, off: cai + s.nodeOff });
    fb.op("local.tee", v.i[h]);
    fb.i32Const(CONC_INTERVALS);
    fb.op("i32.lt_u");
  });
  fb.op("i32.and");
  fb.if();
  // f = (x − start[i])·invWidth[i]
  for (const h of [0, 1]) {
    fb.op("local.get", v.i[h]);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", v.b[h]);
  }
  fb.op("local.get", v.x);
  gather(v.b[0], v.b[1], off(spec.pos.concStart), off(spec.pos.concStart));
  fb.op("f64x2.sub");
  gather(v.b[0], v.b[1], off(spec.pos.concInvWidth), off(spec.pos.concInvWidth));
  fb.op("f64x2.mul");
  fb.op("local.set", v.f);
  // ln = ((c3·f + c2)·f + c1)·f + c0
  for (const h of [0, 1]) {
    fb.op("local.get", v.i[h]);
    fb.i32Const(5);
    fb.op("i32.shl");
    fb.op("local.set", v.b[h]);
  }
  const table = off(spec.regions.lnTable);
  gather(v.b[0], v.b[1], table + 24, table + 24);
  fb.op("local.get", v.f);
  fb.op("f64x2.mul");
  for (const k of [2, 1, 0]) {
    gather(v.b[0], v.b[1], table + 8 * k, table + 8 * k);
    fb.op("f64x2.add");
    if (k > 0) {
      fb.op("local.get", v.f);
      fb.op("f64x2.mul");
    }
  }
  fb.op("local.set", v.f);
  // eca = nernst·(lnCao − ln)
  fb.f64x2Const(spec.nernst);
  const lnCao = off(spec.regions.lnCao);
  if (adjacent) {
    fb.op("local.get", s0.entry);
    fb.op("v128.load64_splat", lnCao + s0.entryOff);
  } else gather(s0.entry, s1.entry, lnCao + s0.entryOff, lnCao + s1.entryOff);
  fb.op("local.get", v.f);
  fb.op("f64x2.sub");
  fb.op("f64x2.mul");
  fb.op("local.set", v.f);
  if (adjacent) {
    fb.op("local.get", s0.node);
    fb.op("local.get", v.f);
    fb.op("v128.store", eca + s0.nodeOff);
  } else {
    sites.forEach((s, h) => {
      fb.op("local.get", s.node);
      fb.op("local.get", v.f);
      fb.op("v128.store64_lane", eca + s.nodeOff, h);
    });
  }
  fb.op("else");
  emitNernstSite(fb, ctx, spec, s0, l);
  emitNernstSite(fb, ctx, spec, s1, l);
  fb.op("end");
}

/**
 * Emits `region[·] = 0` over a whole f64 region: one `memory.fill` of its bytes (+0 is all zero
 * bits).
 *
 * @param fb the function
 * @param ctx memory
 * @param region the region
 */
export function emitZero(fb: FunctionEmitter, ctx: LoweringContext, region: string): void {
  const r = ctx.mem.regions.get(region)!;
  if (r.elements === 0) return;
  fb.i32Const(r.offset);
  fb.i32Const(0);
  fb.i32Const(8 * r.elements);
  fb.op("memory.fill", 0);
}

/** The layouts an IR kernel may use for a memory of `lanes` lanes on a tier. */
export function kernelLayout(lanes: number, simd: boolean, vectorOk: boolean): Layout {
  if (!simd || !vectorOk) return "scalar";
  return lanes === 1 ? "inst2" : "lock";
}
