/**
 * IR → engine kernels: the statements and expressions of a compiled mechanism (solver/nmodl's
 * IR) lowered to instructions of a {@link FunctionEmitter} (WebAssembly, or the JavaScript tier's
 * translation of the same instructions), in three layouts:
 *
 * - `scalar`: one instance of one sweep per iteration (f64 values);
 * - `inst2`: one sweep, two consecutive instances per f64x2 value (node values gathered and
 *   node sums scattered lane by lane, in instance order);
 * - `lock`: two lock-step sweeps of one instance per f64x2 value (per-lane arrays interleaved,
 *   shared arrays splatted).
 *
 * Every layout performs, per lane, the IEEE operations of the IR's JavaScript backend in its order
 * (no fused operations; the same imported `exp`, `log`, `pow`, …; the same 0 + c₁ + c₂ … current
 * sums), so a lane's result is the scalar result to the bit. Divergent `if`s run both arms with
 * masked writes (a lane keeps its old value where its condition is false), which gives each lane
 * exactly the writes of its own arm. Statements that cannot run in SIMD lanes (TABLE lookups)
 * make a kernel scalar; those the engine does not lower at all (derivimplicit and sparse solves,
 * `net_send`, random numbers) make the mechanism fall back to its JavaScript kernels
 * ({@link unsupportedReason}).
 *
 * @module
 */
import type { CurrentKernelIR, Expr, MechanismIR, NodeVarIR, Slot, Stmt } from "../nmodl/mod.ts";
import { exprOperands, forEachSlot } from "../nmodl/mod.ts";
import { TABLE_STEP, TABLE_V_MAX, TABLE_V_MIN } from "../mechanisms/_rate_table.ts";
import type { EngineMemory } from "./engine_memory.ts";
import type { FunctionEmitter, OpName, ValType } from "./wasm_builder.ts";

/** Intervals of the rate tables' voltage grid (solver/mechanisms/_rate_table.ts). */
export const V_INTERVALS: number = Math.round((TABLE_V_MAX - TABLE_V_MIN) / TABLE_STEP);

/** NEURON's hoc_Exp bound: exp(x) is 0 below −700 and exp(700) above 700. */
const EXP_LIMIT = 700;

/** How a kernel maps lanes to instances and sweeps. */
export type Layout = "scalar" | "inst2" | "lock";

/** Node arrays that differ between lock-step sweeps (the rest are the cell's, shared). */
export const PER_LANE_NODE_ARRAYS: ReadonlySet<string> = new Set([
  "v",
  "i",
  "g",
  "eca",
  "cai",
  "ica",
]);

/** Node arrays a kernel may read, by NEURON name (ion currents ina, ik have no array). */
export const NODE_ARRAYS: ReadonlySet<string> = new Set([
  "v",
  "area",
  "ena",
  "ek",
  "eca",
  "cai",
  "cao",
  "ica",
]);

/** Ion currents NEURON accumulates but the solver does not hold: no store is emitted. */
const NODE_SINKS: ReadonlySet<string> = new Set(["ina", "ik"]);

/** Math functions of the IR, imported from the host (the JavaScript backend's functions). */
export const MATH_IMPORTS: readonly string[] = [
  "exp",
  "log",
  "log10",
  "fabs",
  "sqrt",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "atan2",
  "sinh",
  "cosh",
  "tanh",
  "floor",
  "ceil",
  "pow",
  "fmod",
  "fmin",
  "fmax",
];

/** Arity of each math import. */
export const MATH_ARITY: Readonly<Record<string, number>> = {
  atan2: 2,
  pow: 2,
  fmod: 2,
  fmin: 2,
  fmax: 2,
};

/** Where one mechanism's data lives in the engine memory. */
export interface MechanismRegions {
  /** Number of instances (padded to even in the `inst2` layout). */
  readonly count: number;
  /** Shared i32 region: node index of each instance. */
  readonly node: string;
  /** Region of each IR field (undefined: no kernel touches it), and whether it is per lane. */
  readonly fields: readonly ({ readonly region: string; readonly perLane: boolean } | undefined)[];
  /** Shared f64 region of the globals in IR order. */
  readonly globals: string;
  /** Shared f64 regions of the NMODL TABLEs (values, then [tmin, 1/dx, …] per table). */
  readonly tables?: { readonly values: string; readonly meta: string };
  /** Per-lane f64 region: 1 where the instance exists in that sweep (lock-step synapses). */
  readonly present?: string;
  /**
   * Per-lane f64 region: 1 while the instance is quiet (solver/nmodl's quiet synapses: its
   * current is ±0 and its advance a fixed point until its first event), else 0. An iteration
   * whose instances are all quiet in every lane is skipped, which changes no bit.
   */
  readonly quiet?: string;
}

/** Constants and imports a kernel needs. */
export interface LoweringContext {
  /** The engine memory (region offsets, lanes). */
  readonly mem: EngineMemory;
  /** Function index of each math import by IR name. */
  readonly math: Readonly<Record<string, number>>;
  /** Time step [ms] (baked in). */
  readonly dt: number;
  /** Temperature [°C] (baked in). */
  readonly celsius: number;
}

/** Why the engine cannot lower a mechanism's per-step kernels, or undefined when it can. */
export function unsupportedReason(ir: MechanismIR): string | undefined {
  let why: string | undefined;
  const scan = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (why !== undefined) return;
      switch (s.op) {
        case "newton":
          why = "derivimplicit solve";
          return;
        case "kinetic":
          why = "sparse (KINETIC) solve";
          return;
        case "netSend":
          why = "net_send self events";
          return;
        case "random":
          why = "random numbers";
          return;
        case "if":
          scan(s.then);
          scan(s.otherwise);
          break;
        case "table":
          scan(s.direct);
          break;
        case "loadNode":
        case "storeNode":
        case "addNode": {
          const nv = ir.nodeVars[s.node];
          if (!NODE_ARRAYS.has(nv.name) && !NODE_SINKS.has(nv.name)) {
            why = `node variable ${nv.name}`;
          }
          break;
        }
        default:
          break;
      }
    }
  };
  scan(ir.advance.body);
  if (ir.current !== undefined) {
    scan(ir.current.prologue);
    scan(ir.current.body);
  }
  if (ir.netReceive !== undefined) scan(ir.netReceive.body);
  for (const t of ir.tables) {
    for (const d of t.depend) {
      if (d.space === "global" && globalWritten(ir, d.index)) {
        why ??= "TABLE on a changing global";
      }
    }
  }
  return why;
}

/** Whether any per-step kernel or NET_RECEIVE writes global i. */
function globalWritten(ir: MechanismIR, i: number): boolean {
  let w = false;
  const scan = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.op === "assign" && s.slot.space === "global" && s.slot.index === i) w = true;
      if (s.op === "if") {
        scan(s.then);
        scan(s.otherwise);
      }
      if (s.op === "table") {
        scan(s.direct);
        if (s.outputs.some((o) => o.space === "global" && o.index === i)) w = true;
      }
    }
  };
  scan(ir.advance.body);
  if (ir.current !== undefined) scan(ir.current.body);
  if (ir.netReceive !== undefined) scan(ir.netReceive.body);
  return w;
}

/**
 * Whether a statement list can run in SIMD lanes: no TABLE lookups (per-lane gathers) and no
 * writes of globals or NET_RECEIVE arguments (shared by the lanes).
 */
export function vectorizable(list: readonly Stmt[]): boolean {
  for (const s of list) {
    switch (s.op) {
      case "table":
      case "newton":
      case "kinetic":
      case "random":
      case "netSend":
        return false;
      case "assign":
        if (s.slot.space === "global" || s.slot.space === "arg") return false;
        break;
      case "if":
        if (!vectorizable(s.then) || !vectorizable(s.otherwise)) return false;
        break;
      default:
        break;
    }
  }
  return true;
}

/** Fields (by IR index) written by a statement list. */
export function fieldsWritten(list: readonly Stmt[], out: Set<number> = new Set()): Set<number> {
  for (const s of list) {
    if (s.op === "assign" && s.slot.space === "field") out.add(s.slot.index);
    else if (s.op === "loadNode" && s.slot.space === "field") out.add(s.slot.index);
    else if (s.op === "if") {
      fieldsWritten(s.then, out);
      fieldsWritten(s.otherwise, out);
    } else if (s.op === "table") {
      for (const o of s.outputs) if (o.space === "field") out.add(o.index);
      fieldsWritten(s.direct, out);
    }
  }
  return out;
}

/** Fields (by IR index) read or written by statements and expressions. */
export function fieldsTouched(
  list: readonly Stmt[],
  exprs: readonly Expr[] = [],
  out: Set<number> = new Set(),
): Set<number> {
  forEachSlot(list, exprs, (s) => {
    if (s.space === "field") out.add(s.index);
  });
  return out;
}

/** Address locals of the instance (and node) being processed. */
interface Addresses {
  /** Per-lane field address: k·8·lanes (+ 8·lane in scalar lane-serial code). */
  readonly field: number;
  /** Shared field address: k·8. */
  readonly shared: number;
  /** Per-lane node address: c·8·lanes (+ 8·lane); in inst2, instance 0's c·8. */
  readonly node: number;
  /** Shared node address: c·8; in inst2, instance 0's. */
  readonly nodeShared: number;
  /** inst2 only: instance 1's node address c₁·8. */
  readonly node1?: number;
}

/** Options of one emission. */
interface EmitOptions {
  /** Local (f64) holding t, if the kernel reads it. */
  readonly t?: number;
  /** Local (f64) holding the NET_RECEIVE flag. */
  readonly flag?: number;
  /** Local (i32) holding the weight vector's byte address (NET_RECEIVE). */
  readonly weights?: number;
  /**
   * Fast mode: calls (and powers) that depend only on the kernel's v local and on values equal
   * for every instance, tabulated over v: the call's table region and the IR local of v.
   */
  readonly vTables?: ReadonlyMap<Expr, { readonly region: string; readonly vLocal: number }>;
  /** Local holding the presence flags (lock-step synapses): node writes only where present. */
  readonly present?: number;
  /**
   * False: each current pass looks its tabulated calls up alone (the engine never sets it;
   * tests compare the shared lookups with it).
   */
  readonly shareLookups?: boolean;
  /**
   * Gate-function mode (fast-mode fallback): fields read a shared "uniform" region at entry
   * `index`, node loads give these locals, `rhs` slots are locals.
   */
  readonly gate?: {
    readonly uniform: string;
    readonly vArg: number;
    readonly cArg: number;
    readonly rhs: readonly number[];
  };
}

/** The current kernel's two passes while they share their tabulated lookups. */
interface PairedLookups {
  /** The pass being emitted: 1 at V + 0.001, 2 at V. */
  pass: 1 | 2;
  /** Local holding V (the node's v). */
  readonly v: number;
  /** Per tabulated call: i32 local, set when the first pass left the value at V in `value`. */
  readonly sites: ReadonlyMap<Expr, { readonly ready: number; readonly value: number }>;
}

/**
 * Emits one kernel's per-instance code. Create one per function body and layout; the caller
 * emits the instance loop and sets the address locals.
 */
export class IrEmitter {
  readonly fb: FunctionEmitter;
  readonly ir: MechanismIR;
  readonly regions: MechanismRegions;
  readonly layout: Layout;
  readonly ctx: LoweringContext;
  readonly lanes: number;
  /** Per-lane byte stride of a per-lane entry. */
  readonly laneBytes: number;
  readonly vt: ValType;
  readonly addr: Addresses;
  readonly options: EmitOptions;
  /** IR local slot → function local. */
  readonly #locals = new Map<number, number>();
  /** Field index → register local (promoted for the instance). */
  readonly #registers = new Map<number, number>();
  readonly #written = new Set<number>();
  /** Current mask local (vector layouts, inside divergent ifs). */
  #mask: number | undefined;
  readonly #scratch: { f: number[]; v: number[]; i64: number[] } = { f: [], v: [], i64: [] };
  /** Scratch locals handed out per statement. */
  #scratchUse = { f: 0, v: 0, i64: 0 };
  /** The argument local of inline `exp` clamps. */
  #expArg: number | undefined;
  /** The current kernel's two passes sharing their tabulated lookups (see {@link current}). */
  #pair: PairedLookups | undefined;

  constructor(
    fb: FunctionEmitter,
    ir: MechanismIR,
    regions: MechanismRegions,
    layout: Layout,
    ctx: LoweringContext,
    addr: Addresses,
    options: EmitOptions = {},
  ) {
    this.fb = fb;
    this.ir = ir;
    this.regions = regions;
    this.layout = layout;
    this.ctx = ctx;
    this.lanes = ctx.mem.lanes;
    this.laneBytes = 8 * this.lanes;
    this.vt = layout === "scalar" ? "f64" : "v128";
    this.addr = addr;
    this.options = options;
  }

  get vector(): boolean {
    return this.layout !== "scalar";
  }

  #offset(region: string): number {
    const r = this.ctx.mem.regions.get(region);
    if (r === undefined) throw new RangeError(`No region "${region}" in the engine memory`);
    return r.offset;
  }

  #temp(kind: "f" | "v" | "i64"): number {
    const pool = this.#scratch[kind];
    const j = this.#scratchUse[kind]++;
    if (j >= pool.length) {
      pool.push(this.fb.local(kind === "f" ? "f64" : kind === "v" ? "v128" : "i64"));
    }
    return pool[j];
  }

  #release(): void {
    this.#scratchUse = { f: 0, v: 0, i64: 0 };
  }

  /** The function local of IR local slot i (created on first use, zero). */
  localOf(i: number): number {
    let l = this.#locals.get(i);
    if (l === undefined) {
      l = this.fb.local(this.vt);
      this.#locals.set(i, l);
    }
    return l;
  }

  /** Zeroes the IR locals (fresh for every instance, as the IR requires). */
  resetLocals(count: number): void {
    for (let i = 0; i < count; i++) {
      this.constant(0);
      this.fb.op("local.set", this.localOf(i));
    }
  }

  /** Pushes a constant in every lane. */
  constant(x: number): void {
    if (this.vector) this.fb.f64x2Const(x);
    else this.fb.f64Const(x);
  }

  #arith(name: "add" | "sub" | "mul" | "div" | "neg"): void {
    this.fb.op(`${this.vector ? "f64x2" : "f64"}.${name}` as OpName);
  }

  // ------------------------------------------------------------------ fields

  #fieldPlace(i: number): { region: string; perLane: boolean } {
    const p = this.regions.fields[i];
    if (p === undefined) {
      throw new RangeError(`${this.ir.name}: field ${this.ir.fields[i].name} has no region`);
    }
    return p;
  }

  /** Loads field i of the current instance from memory. */
  loadField(i: number): void {
    const p = this.#fieldPlace(i);
    this.loadRegion(p.region, p.perLane);
  }

  /** Loads the current instance's entry of a mechanism region (per lane or shared). */
  loadRegion(region: string, perLane: boolean): void {
    const p = { perLane };
    const off = this.#offset(region);
    if (this.layout === "scalar") {
      this.fb.op("local.get", p.perLane ? this.addr.field : this.addr.shared);
      this.fb.op("f64.load", off);
    } else if (this.layout === "inst2") {
      this.fb.op("local.get", this.addr.shared);
      this.fb.op("v128.load", off);
    } else if (p.perLane) {
      this.fb.op("local.get", this.addr.field);
      this.fb.op("v128.load", off);
    } else {
      this.fb.op("local.get", this.addr.shared);
      this.fb.op("v128.load64_splat", off);
    }
  }

  /** Stores the value pushed by `value` into field i of the current instance. */
  storeField(i: number, value: () => void): void {
    const p = this.#fieldPlace(i);
    if (this.layout === "lock" && !p.perLane) {
      throw new RangeError(`${this.ir.name}: shared field ${this.ir.fields[i].name} is written`);
    }
    const off = this.#offset(p.region);
    if (this.layout === "scalar") {
      this.fb.op("local.get", p.perLane ? this.addr.field : this.addr.shared);
      value();
      this.fb.op("f64.store", off);
    } else {
      this.fb.op("local.get", this.layout === "inst2" ? this.addr.shared : this.addr.field);
      value();
      this.fb.op("v128.store", off);
    }
  }

  /** Loads every field the kernel touches into registers. */
  promote(fields: Iterable<number>): void {
    for (const i of [...fields].sort((a, b) => a - b)) {
      const r = this.fb.local(this.vt);
      this.loadField(i);
      this.fb.op("local.set", r);
      this.#registers.set(i, r);
    }
  }

  /** Stores the registers of the written fields back to memory. */
  flush(): void {
    for (const i of [...this.#written].sort((a, b) => a - b)) {
      const r = this.#registers.get(i)!;
      this.storeField(i, () => this.fb.op("local.get", r));
    }
  }

  // ------------------------------------------------------------------- nodes

  #nodeVar(i: number): NodeVarIR {
    const nv = this.ir.nodeVars[i];
    if (nv === undefined) throw new RangeError(`${this.ir.name}: no node variable ${i}`);
    return nv;
  }

  /** Pushes node array `name` at the current instance's node (gathered per lane in inst2). */
  loadNodeArray(name: string, plus = 0): void {
    const off = this.#offset(name);
    const perLane = PER_LANE_NODE_ARRAYS.has(name);
    if (this.layout === "scalar") {
      this.fb.op("local.get", perLane ? this.addr.node : this.addr.nodeShared);
      this.fb.op("f64.load", off);
    } else if (this.layout === "inst2") {
      this.fb.op("local.get", this.addr.nodeShared);
      this.fb.op("f64.load", off);
      this.fb.op("f64x2.splat");
      this.fb.op("local.get", this.addr.node1!);
      this.fb.op("f64.load", off);
      this.fb.op("f64x2.replace_lane", 1);
    } else if (perLane) {
      this.fb.op("local.get", this.addr.node);
      this.fb.op("v128.load", off);
    } else {
      this.fb.op("local.get", this.addr.nodeShared);
      this.fb.op("v128.load64_splat", off);
    }
    if (plus !== 0) {
      this.constant(plus);
      this.#arith("add");
    }
  }

  /**
   * Writes node array `name` at the current instance's node: `value` (store) or the old value
   * plus it (add; `subtract` for electrode currents), only in active lanes (masks, presence).
   */
  writeNodeArray(
    name: string,
    value: () => void,
    mode: "store" | "add" | "subtract",
    present: number | undefined = this.options.present,
  ): void {
    const off = this.#offset(name);
    const perLane = PER_LANE_NODE_ARRAYS.has(name);
    if (!perLane) throw new RangeError(`${this.ir.name} writes the shared node array ${name}`);
    const op = mode === "subtract" ? "sub" : "add";
    if (this.layout === "scalar") {
      const v = this.#temp("f");
      value();
      this.fb.op("local.set", v);
      const guard = present !== undefined;
      if (guard) {
        this.fb.op("local.get", present);
        this.fb.f64Const(0);
        this.fb.op("f64.ne");
        this.fb.if();
      }
      this.fb.op("local.get", this.addr.node);
      if (mode !== "store") {
        this.fb.op("local.get", this.addr.node);
        this.fb.op("f64.load", off);
        this.fb.op("local.get", v);
        this.fb.op(`f64.${op}`);
      } else this.fb.op("local.get", v);
      this.fb.op("f64.store", off);
      if (guard) this.fb.op("end");
      return;
    }
    const v = this.#temp("v");
    value();
    this.fb.op("local.set", v);
    if (this.layout === "inst2") {
      for (const lane of [0, 1]) {
        const a = lane === 0 ? this.addr.nodeShared : this.addr.node1!;
        const masked = this.#mask !== undefined;
        if (masked) {
          this.fb.op("local.get", this.#mask!);
          this.fb.op("i64x2.extract_lane", lane);
          this.fb.i64Const(0n);
          this.fb.op("i64.ne");
          this.fb.if();
        }
        this.fb.op("local.get", a);
        if (mode !== "store") {
          this.fb.op("local.get", a);
          this.fb.op("f64.load", off);
          this.fb.op("local.get", v);
          this.fb.op("f64x2.extract_lane", lane);
          this.fb.op(`f64.${op}`);
        } else {
          this.fb.op("local.get", v);
          this.fb.op("f64x2.extract_lane", lane);
        }
        this.fb.op("f64.store", off);
        if (masked) this.fb.op("end");
      }
      return;
    }
    // lock: new = old ⊕ value, kept only in active lanes.
    const old = this.#temp("v");
    this.fb.op("local.get", this.addr.node);
    this.fb.op("v128.load", off);
    this.fb.op("local.set", old);
    this.fb.op("local.get", this.addr.node);
    if (mode !== "store") {
      this.fb.op("local.get", old);
      this.fb.op("local.get", v);
      this.fb.op(`f64x2.${op}`);
    } else this.fb.op("local.get", v);
    const m = this.#activeMask(present);
    if (m !== undefined) {
      this.fb.op("local.get", old);
      this.fb.op("local.get", m);
      this.fb.op("v128.bitselect");
    }
    this.fb.op("v128.store", off);
  }

  /** The mask of lanes that take writes: the `if` mask and the presence flags (lock). */
  #activeMask(present?: number): number | undefined {
    if (present === undefined) return this.#mask;
    const m = this.#temp("v");
    this.fb.op("local.get", present);
    this.fb.f64x2Const(0);
    this.fb.op("f64x2.ne");
    if (this.#mask !== undefined) {
      this.fb.op("local.get", this.#mask);
      this.fb.op("v128.and");
    }
    this.fb.op("local.set", m);
    return m;
  }

  // ------------------------------------------------------------- expressions

  /** Pushes the value of a slot. */
  read(s: Slot): void {
    switch (s.space) {
      case "local":
        this.fb.op("local.get", this.localOf(s.index));
        return;
      case "field": {
        const g = this.options.gate;
        if (g !== undefined) {
          this.fb.i32Const(8 * s.index);
          this.fb.op(this.vector ? "v128.load64_splat" : "f64.load", this.#offset(g.uniform));
          return;
        }
        const r = this.#registers.get(s.index);
        if (r !== undefined) this.fb.op("local.get", r);
        else this.loadField(s.index);
        return;
      }
      case "global":
        this.fb.i32Const(8 * s.index);
        this.fb.op(
          this.vector ? "v128.load64_splat" : "f64.load",
          this.#offset(this.regions.globals),
        );
        return;
      case "arg":
        if (this.vector || this.options.weights === undefined) {
          throw new RangeError(`${this.ir.name}: NET_RECEIVE argument outside NET_RECEIVE`);
        }
        this.fb.op("local.get", this.options.weights);
        this.fb.op("f64.load", 8 * s.index);
        return;
      case "builtin":
        switch (s.name) {
          case "dt":
            this.constant(this.ctx.dt);
            return;
          case "celsius":
            this.constant(this.ctx.celsius);
            return;
          case "t":
            if (this.options.t === undefined) {
              // The IR's gate functions see t = NaN.
              this.constant(NaN);
              return;
            }
            this.fb.op("local.get", this.options.t);
            if (this.vector) this.fb.op("f64x2.splat");
            return;
          case "flag":
            if (this.options.flag === undefined) this.constant(0);
            else {
              this.fb.op("local.get", this.options.flag);
              if (this.vector) this.fb.op("f64x2.splat");
            }
            return;
        }
        return;
      case "rhs": {
        const g = this.options.gate;
        if (g === undefined) throw new RangeError(`${this.ir.name}: rhs slot outside a solve`);
        this.fb.op("local.get", g.rhs[s.index]);
        return;
      }
      default:
        throw new RangeError(`${this.ir.name}: ${s.space} slots are not lowered`);
    }
  }

  /** Pushes the value of an expression. */
  expr(e: Expr): void {
    const fb = this.fb;
    switch (e.op) {
      case "const":
        this.constant(e.value);
        return;
      case "read":
        this.read(e.slot);
        return;
      case "neg":
        this.expr(e.arg);
        this.#arith("neg");
        return;
      case "add":
      case "sub":
      case "mul":
      case "div":
        this.expr(e.a);
        this.expr(e.b);
        this.#arith(e.op);
        return;
      case "pow": {
        const vt = this.options.vTables?.get(e);
        if (vt !== undefined) this.#tabulated(e, vt, "pow", [e.a, e.b]);
        else this.#call("pow", [e.a, e.b]);
        return;
      }
      case "mod":
        this.#call("fmod", [e.a, e.b]);
        return;
      case "call": {
        const vt = this.options.vTables?.get(e);
        if (vt !== undefined) this.#tabulated(e, vt, e.fn, e.args);
        else this.#call(e.fn, e.args);
        return;
      }
      case "not":
      case "lt":
      case "le":
      case "gt":
      case "ge":
      case "eq":
      case "ne":
      case "and":
      case "or":
        // (cond ? 1 : 0)
        this.cond(e);
        if (this.vector) {
          fb.f64x2Const(1);
          fb.op("v128.and");
        } else fb.op("f64.convert_i32_s");
        return;
    }
  }

  /**
   * Calls math import `fn` on the scalar arguments on the stack. `exp` is NEURON's hoc_Exp
   * (0 below −700, exp(700) above 700; the JavaScript backend's `nexp`), clamped here around a
   * direct import of `Math.exp`: V8 calls a built-in Math function imported by WebAssembly
   * without boxing its argument and result, where a JavaScript wrapper would allocate two heap
   * numbers per call.
   */
  #invoke(fn: string, index: number): void {
    const fb = this.fb;
    if (fn !== "exp") {
      fb.op("call", index);
      return;
    }
    const x = this.#expArg ??= fb.local("f64");
    fb.op("local.tee", x);
    fb.f64Const(-EXP_LIMIT);
    fb.op("f64.max");
    fb.f64Const(EXP_LIMIT);
    fb.op("f64.min");
    fb.op("call", index);
    fb.f64Const(0);
    // x < −700 ? 0 : exp(clamped x); NaN compares false and keeps exp(NaN) = NaN.
    fb.op("local.get", x);
    fb.f64Const(-EXP_LIMIT);
    fb.op("f64.lt");
    fb.op("i32.eqz");
    fb.op("select");
  }

  /** Calls a math import, lane by lane in vector layouts. */
  #call(fn: string, args: readonly Expr[]): void {
    const index = this.ctx.math[fn];
    if (index === undefined) throw new RangeError(`${this.ir.name}: function ${fn} not imported`);
    const fb = this.fb;
    if (!this.vector) {
      for (const a of args) this.expr(a);
      this.#invoke(fn, index);
      return;
    }
    const vs = args.map((a) => {
      const v = this.#temp("v");
      this.expr(a);
      fb.op("local.set", v);
      return v;
    });
    const r0 = this.#temp("f");
    for (const lane of [0, 1]) {
      for (const v of vs) {
        fb.op("local.get", v);
        fb.op("f64x2.extract_lane", lane);
      }
      this.#invoke(fn, index);
      if (lane === 0) fb.op("local.set", r0);
    }
    // stack: r1
    const r1 = this.#temp("f");
    fb.op("local.set", r1);
    fb.op("local.get", r0);
    fb.op("f64x2.splat");
    fb.op("local.get", r1);
    fb.op("f64x2.replace_lane", 1);
  }

  /**
   * A tabulated call `e`: its value at the v local from the call's cubic table over v (the rate
   * tables' grid), the call itself outside the table. In the current kernel's two passes
   * (V + 0.001, then V) the first pass also looks V up when both lie in the same interval of
   * the table (nearly always): coefficients gathered once, the second pass's value kept for it.
   */
  #tabulated(
    e: Expr,
    vt: { readonly region: string; readonly vLocal: number },
    fn: string,
    args: readonly Expr[],
  ): void {
    const site = this.#pair?.sites.get(e);
    if (site === undefined) this.#lookup(vt, fn, args);
    else if (this.#pair!.pass === 1) this.#pairedLookup(vt, fn, args, this.#pair!.v, site);
    else {
      // Second pass: the value the first pass left, else the lookup as usual.
      const fb = this.fb;
      fb.op("local.get", site.ready);
      fb.op("i32.eqz");
      fb.if();
      this.#lookup(vt, fn, args);
      fb.op("local.set", site.value);
      fb.op("end");
      fb.op("local.get", site.value);
    }
  }

  /**
   * First pass of a shared lookup: the v local (V + 0.001) and local `v` (V) on the table and in
   * the same interval i, in every lane: the coefficients at i gathered once, the cubic at both
   * fractions (f = u − i, the operations of {@link #lookup} lane for lane), V's value into
   * `site.value` and `site.ready` set; otherwise `site.ready` cleared and {@link #lookup}.
   */
  #pairedLookup(
    vt: { readonly region: string; readonly vLocal: number },
    fn: string,
    args: readonly Expr[],
    v: number,
    site: { readonly ready: number; readonly value: number },
  ): void {
    const fb = this.fb;
    const vector = this.vector;
    const table = this.#offset(vt.region);
    const vl = this.localOf(vt.vLocal);
    const kind = vector ? "v" : "f";
    const u1 = this.#temp(kind), u2 = this.#temp(kind), fi = this.#temp(kind);
    const res = this.#temp(kind);
    const c = [this.#temp(kind), this.#temp(kind), this.#temp(kind), this.#temp(kind)];
    const i = vector ? this.#temp("v") : fb.local("i32");
    // Both on the table and trunc(u1) = trunc(u2) (as f64: exact for |u| < 2^31).
    fb.op("local.get", vl);
    emitTableCoordinate(fb, u1, vector);
    fb.op("local.get", v);
    emitTableCoordinate(fb, u2, vector);
    if (vector) {
      fb.op("v128.and");
      fb.op("local.get", u1);
      fb.op("i32x4.trunc_sat_f64x2_s_zero");
      fb.op("local.tee", i);
      fb.op("f64x2.convert_low_i32x4_s");
      fb.op("local.tee", fi);
      fb.op("local.get", u2);
      fb.op("i32x4.trunc_sat_f64x2_s_zero");
      fb.op("f64x2.convert_low_i32x4_s");
      fb.op("f64x2.eq");
      fb.op("v128.and");
      fb.op("i64x2.all_true");
    } else {
      fb.op("i32.and");
      fb.op("local.get", u1);
      fb.op("i32.trunc_sat_f64_s");
      fb.op("local.tee", i);
      fb.op("local.get", u2);
      fb.op("i32.trunc_sat_f64_s");
      fb.op("i32.eq");
      fb.op("i32.and");
    }
    fb.op("local.tee", site.ready);
    fb.if();
    if (vector) {
      const a0 = fb.local("i32"), a1 = fb.local("i32");
      emitLaneIntervalAddresses(fb, i, a0, a1);
      c.forEach((ck, k) => {
        emitLaneCoefficients(fb, a0, a1, table, k);
        fb.op("local.set", ck);
      });
    } else {
      fb.op("local.get", i);
      fb.op("f64.convert_i32_s");
      fb.op("local.set", fi);
      fb.op("local.get", i);
      fb.i32Const(5);
      fb.op("i32.shl");
      fb.op("local.set", i);
      c.forEach((ck, k) => {
        fb.op("local.get", i);
        fb.op("f64.load", table + 8 * k);
        fb.op("local.set", ck);
      });
    }
    const ar = (name: "sub" | "mul" | "add") => fb.op(`${vector ? "f64x2" : "f64"}.${name}`);
    // ((c3·f + c2)·f + c1)·f + c0 at f = u − i, as emitCubic.
    for (const [u, out] of [[u1, res], [u2, site.value]]) {
      fb.op("local.get", u);
      fb.op("local.get", fi);
      ar("sub");
      fb.op("local.set", u);
      fb.op("local.get", c[3]);
      for (const k of [2, 1, 0]) {
        fb.op("local.get", u);
        ar("mul");
        fb.op("local.get", c[k]);
        ar("add");
      }
      fb.op("local.set", out);
    }
    fb.op("else");
    this.#lookup(vt, fn, args);
    fb.op("local.set", res);
    fb.op("end");
    fb.op("local.get", res);
  }

  /**
   * The table lookup of a tabulated call at the v local (see {@link #tabulated}); lane by lane in
   * vector layouts unless both lanes lie on the table.
   */
  #lookup(
    vt: { readonly region: string; readonly vLocal: number },
    fn: string,
    args: readonly Expr[],
  ): void {
    const fb = this.fb;
    const index = this.ctx.math[fn];
    const table = this.#offset(vt.region);
    const vl = this.localOf(vt.vLocal);
    const lanes = this.vector ? 2 : 1;
    const x = this.#temp("f"), u = this.#temp("f"), f = this.#temp("f"), r0 = this.#temp("f");
    const i = fb.local("i32");
    let res: number | undefined;
    if (this.vector) {
      // Both lanes inside the table (nearly always): the cubic in f64x2, lane for lane the
      // operations of the scalar path (u, trunc, f = u − i, Horner), coefficients gathered.
      res = this.#temp("v");
      const uv = this.#temp("v"), iv = this.#temp("v"), fv = this.#temp("v");
      const a0 = fb.local("i32"), a1 = fb.local("i32");
      fb.op("local.get", vl);
      emitTableCoordinate(fb, uv, true);
      fb.op("i64x2.all_true");
      fb.if();
      fb.op("local.get", uv);
      fb.op("i32x4.trunc_sat_f64x2_s_zero");
      fb.op("local.set", iv);
      emitLaneIntervalAddresses(fb, iv, a0, a1);
      fb.op("local.get", uv);
      fb.op("local.get", iv);
      fb.op("f64x2.convert_low_i32x4_s");
      fb.op("f64x2.sub");
      fb.op("local.set", fv);
      const coef = (k: number): void => emitLaneCoefficients(fb, a0, a1, table, k);
      coef(3);
      fb.op("local.get", fv);
      fb.op("f64x2.mul");
      coef(2);
      fb.op("f64x2.add");
      fb.op("local.get", fv);
      fb.op("f64x2.mul");
      coef(1);
      fb.op("f64x2.add");
      fb.op("local.get", fv);
      fb.op("f64x2.mul");
      coef(0);
      fb.op("f64x2.add");
      fb.op("local.set", res);
      fb.op("else");
    }
    const argv = this.vector
      ? args.map((a) => {
        const v = this.#temp("v");
        this.expr(a);
        fb.op("local.set", v);
        return v;
      })
      : [];
    for (let lane = 0; lane < lanes; lane++) {
      fb.op("local.get", vl);
      if (this.vector) fb.op("f64x2.extract_lane", lane);
      fb.op("local.set", x);
      // u = (x − V_min)·(1/step); inside the table: i = trunc(u), f = u − i.
      fb.op("local.get", x);
      emitTableCoordinate(fb, u, false);
      fb.if();
      fb.op("local.get", u);
      fb.op("i32.trunc_sat_f64_s");
      fb.op("local.set", i);
      fb.op("local.get", u);
      fb.op("local.get", i);
      fb.op("f64.convert_i32_s");
      fb.op("f64.sub");
      fb.op("local.set", f);
      fb.op("local.get", i);
      fb.i32Const(5);
      fb.op("i32.shl");
      fb.op("local.set", i);
      emitCubic(fb, i, table, f);
      fb.op("local.set", r0);
      fb.op("else");
      if (this.vector) {
        for (const a of argv) {
          fb.op("local.get", a);
          fb.op("f64x2.extract_lane", lane);
        }
      } else for (const a of args) this.expr(a);
      this.#invoke(fn, index);
      fb.op("local.set", r0);
      fb.op("end");
      if (this.vector) {
        fb.op("local.get", r0);
        if (lane === 0) fb.op("f64x2.splat");
        else fb.op("f64x2.replace_lane", 1);
      } else fb.op("local.get", r0);
      // In vector layouts lane 0's vector stays on the stack while lane 1 is computed.
    }
    if (res !== undefined) {
      fb.op("local.set", res);
      fb.op("end");
      fb.op("local.get", res);
    }
  }

  /** Pushes a condition: i32 0/1 (scalar) or a lane mask (vector); nonzero is true (C). */
  cond(e: Expr): void {
    const fb = this.fb;
    const v = this.vector;
    const CMP: Record<string, string> = {
      lt: "lt",
      le: "le",
      gt: "gt",
      ge: "ge",
      eq: "eq",
      ne: "ne",
    };
    switch (e.op) {
      case "lt":
      case "le":
      case "gt":
      case "ge":
      case "eq":
      case "ne":
        this.expr(e.a);
        this.expr(e.b);
        fb.op(`${v ? "f64x2" : "f64"}.${CMP[e.op]}` as OpName);
        return;
      case "and":
      case "or":
        this.cond(e.a);
        this.cond(e.b);
        fb.op(
          v ? (e.op === "and" ? "v128.and" : "v128.or") : (e.op === "and" ? "i32.and" : "i32.or"),
        );
        return;
      case "not":
        this.expr(e.arg);
        this.constant(0);
        fb.op(v ? "f64x2.eq" : "f64.eq");
        return;
      default:
        this.expr(e);
        this.constant(0);
        fb.op(v ? "f64x2.ne" : "f64.ne");
    }
  }

  // -------------------------------------------------------------- statements

  /** Writes `value()` into a slot (masked in divergent vector code). */
  write(s: Slot, value: () => void): void {
    const fb = this.fb;
    switch (s.space) {
      case "local": {
        const l = this.localOf(s.index);
        value();
        this.#masked(l);
        fb.op("local.set", l);
        return;
      }
      case "field": {
        let r = this.#registers.get(s.index);
        if (r === undefined) {
          // Not promoted (a field only written): promote now, loading the old value.
          r = fb.local(this.vt);
          this.loadField(s.index);
          fb.op("local.set", r);
          this.#registers.set(s.index, r);
        }
        value();
        this.#masked(r);
        fb.op("local.set", r);
        this.#written.add(s.index);
        return;
      }
      case "global":
        if (this.vector) throw new RangeError(`${this.ir.name}: a global is written in SIMD code`);
        fb.i32Const(8 * s.index);
        value();
        fb.op("f64.store", this.#offset(this.regions.globals));
        return;
      case "arg":
        if (this.vector || this.options.weights === undefined) {
          throw new RangeError(`${this.ir.name}: NET_RECEIVE argument outside NET_RECEIVE`);
        }
        fb.op("local.get", this.options.weights);
        value();
        fb.op("f64.store", 8 * s.index);
        return;
      case "rhs": {
        const g = this.options.gate;
        if (g === undefined) throw new RangeError(`${this.ir.name}: rhs slot outside a solve`);
        value();
        fb.op("local.set", g.rhs[s.index]);
        return;
      }
      default:
        throw new RangeError(`${this.ir.name}: ${s.space} slots are not lowered`);
    }
  }

  /** In masked vector code: blends the new value on the stack with local `l`'s old one. */
  #masked(l: number): void {
    if (this.#mask === undefined) return;
    this.fb.op("local.get", l);
    this.fb.op("local.get", this.#mask);
    this.fb.op("v128.bitselect");
  }

  /** Emits a statement list. */
  stmts(list: readonly Stmt[]): void {
    for (const s of list) {
      this.stmt(s);
      this.#release();
    }
  }

  /** Emits one statement. */
  stmt(s: Stmt): void {
    const fb = this.fb;
    switch (s.op) {
      case "assign":
        this.write(s.slot, () => this.expr(s.value));
        return;
      case "if":
        if (this.vector) this.#vectorIf(s);
        else {
          this.cond(s.cond);
          fb.if();
          this.stmts(s.then);
          if (s.otherwise.length > 0) {
            fb.op("else");
            this.stmts(s.otherwise);
          }
          fb.op("end");
        }
        return;
      case "loadNode": {
        const g = this.options.gate;
        if (g !== undefined) {
          const kind = this.#nodeVar(s.node).kind;
          const src = kind === "v" ? g.vArg : g.cArg;
          this.write(s.slot, () => {
            fb.op("local.get", src);
            if (this.vector) fb.op("f64x2.splat");
          });
          return;
        }
        const nv = this.#nodeVar(s.node);
        this.write(s.slot, () => this.loadNodeArray(nv.name));
        return;
      }
      case "storeNode":
        this.writeNodeArray(this.#nodeVar(s.node).name, () => this.expr(s.value), "store");
        return;
      case "addNode": {
        const nv = this.#nodeVar(s.node);
        if (NODE_SINKS.has(nv.name)) return;
        this.writeNodeArray(nv.name, () => this.expr(s.value), "add");
        return;
      }
      case "table":
        this.#table(s);
        return;
      default:
        throw new RangeError(`${this.ir.name}: ${s.op} statements are not lowered`);
    }
  }

  #vectorIf(s: Stmt & { op: "if" }): void {
    const fb = this.fb;
    const outer = this.#mask;
    const m = fb.local("v128");
    this.cond(s.cond);
    if (outer !== undefined) {
      fb.op("local.get", outer);
      fb.op("v128.and");
    }
    fb.op("local.set", m);
    // The block runs when some lane's mask is set; its stores keep the other lanes' values.
    const masked = (mask: number, body: readonly Stmt[]) => {
      fb.op("local.get", mask);
      fb.op("v128.any_true");
      fb.if();
      this.#mask = mask;
      this.stmts(body);
      this.#mask = outer;
      fb.op("end");
    };
    masked(m, s.then);
    if (s.otherwise.length > 0) {
      const m2 = fb.local("v128");
      if (outer !== undefined) {
        fb.op("local.get", outer);
        fb.op("local.get", m);
        fb.op("v128.andnot");
      } else {
        fb.op("local.get", m);
        fb.op("v128.not");
      }
      fb.op("local.set", m2);
      masked(m2, s.otherwise);
    }
  }

  /** NMODL TABLE lookup (scalar): NEURON's linear interpolation, or the direct code. */
  #table(s: Stmt & { op: "table" }): void {
    if (this.vector) throw new RangeError(`${this.ir.name}: TABLE in SIMD code`);
    const fb = this.fb;
    const t = this.ir.tables[s.table];
    const tr = this.regions.tables;
    if (tr === undefined) throw new RangeError(`${this.ir.name}: no TABLE regions`);
    let base = 0, mbase = 0;
    for (let j = 0; j < s.table; j++) {
      base += this.ir.tables[j].points * this.ir.tables[j].columns;
      mbase += 3 + this.ir.tables[j].depend.length;
    }
    const P = t.points;
    const vals = this.#offset(tr.values), meta = this.#offset(tr.meta);
    // usetable
    fb.i32Const(8 * this.ir.usetable);
    fb.op("f64.load", this.#offset(this.regions.globals));
    fb.f64Const(0);
    fb.op("f64.ne");
    fb.if();
    // xi = 1/dx · (arg − tmin)
    const xi = this.#temp("f");
    fb.i32Const(0);
    fb.op("f64.load", meta + 8 * (mbase + 1));
    this.expr(s.arg);
    fb.i32Const(0);
    fb.op("f64.load", meta + 8 * mbase);
    fb.op("f64.sub");
    fb.op("f64.mul");
    fb.op("local.set", xi);
    const set = (f: (c: number) => void) => s.outputs.forEach((o, c) => this.write(o, () => f(c)));
    const at = (c: number, index: () => void) => {
      index();
      fb.op("f64.load", vals + 8 * (base + c * P));
    };
    // xi !== xi
    fb.op("local.get", xi);
    fb.op("local.get", xi);
    fb.op("f64.ne");
    fb.if();
    set(() => fb.op("local.get", xi));
    fb.op("else");
    fb.op("local.get", xi);
    fb.f64Const(0);
    fb.op("f64.le");
    fb.if();
    set((c) => at(c, () => fb.i32Const(0)));
    fb.op("else");
    fb.op("local.get", xi);
    fb.f64Const(P - 1);
    fb.op("f64.ge");
    fb.if();
    set((c) => at(c, () => fb.i32Const(8 * (P - 1))));
    fb.op("else");
    const ti = fb.local("i32");
    const th = this.#temp("f");
    fb.op("local.get", xi);
    fb.op("i32.trunc_sat_f64_s");
    fb.op("local.set", ti);
    fb.op("local.get", xi);
    fb.op("local.get", ti);
    fb.op("f64.convert_i32_s");
    fb.op("f64.sub");
    fb.op("local.set", th);
    const ti8 = () => {
      fb.op("local.get", ti);
      fb.i32Const(3);
      fb.op("i32.shl");
    };
    set((c) => {
      // T[b + ti] + th·(T[b + ti + 1] − T[b + ti])
      at(c, ti8);
      fb.op("local.get", th);
      ti8();
      fb.op("f64.load", vals + 8 * (base + c * P + 1));
      at(c, ti8);
      fb.op("f64.sub");
      fb.op("f64.mul");
      fb.op("f64.add");
    });
    fb.op("end");
    fb.op("end");
    fb.op("end");
    fb.op("else");
    this.stmts(s.direct);
    fb.op("end");
  }

  /**
   * The tabulated calls (over the v local) in the current kernel's body, when the body writes
   * neither the v local nor node v: then both passes look the same V and V + 0.001 up at each.
   */
  #pairedSites(c: CurrentKernelIR): Expr[] {
    const tables = this.options.vTables;
    if (tables === undefined || c.v.space !== "local" || this.options.shareLookups === false) {
      return [];
    }
    const vLocal = c.v.index;
    const out: Expr[] = [];
    let writesV = false;
    const isV = (s: Slot) => s.space === "local" && s.index === vLocal;
    const expr = (e: Expr): void => {
      const vt = tables.get(e);
      if (vt !== undefined) {
        if (vt.vLocal === vLocal && !out.includes(e)) out.push(e);
        return;
      }
      exprOperands(e).forEach(expr);
    };
    const stmts = (list: readonly Stmt[]): void => {
      for (const s of list) {
        switch (s.op) {
          case "assign":
            if (isV(s.slot)) writesV = true;
            expr(s.value);
            break;
          case "loadNode":
            if (isV(s.slot)) writesV = true;
            break;
          case "if":
            expr(s.cond);
            stmts(s.then);
            stmts(s.otherwise);
            break;
          case "storeNode":
          case "addNode":
            if (this.#nodeVar(s.node).name === "v") writesV = true;
            expr(s.value);
            break;
          case "table":
            if (s.outputs.some(isV)) writesV = true;
            expr(s.arg);
            stmts(s.direct);
            break;
          default:
            // Other statements are not lowered in current kernels: no sharing then.
            writesV = true;
        }
      }
    };
    stmts(c.body);
    return writesV ? [] : out;
  }

  /**
   * The current evaluation of NEURON's `nrn_cur` for the instance (see CurrentKernelIR): body at
   * V + 0.001 and V (or once with the closed-form conductance), currents summed from 0 in
   * order, point processes scaled by 100/area, node i and g updated (electrodes: subtracted),
   * ion currents added.
   */
  current(c: CurrentKernelIR, analytic: boolean): void {
    const fb = this.fb;
    this.stmts(c.prologue);
    const sum = () => {
      this.constant(0);
      for (const s of c.currents) {
        this.read(s);
        this.#arith("add");
      }
    };
    const rhs = fb.local(this.vt), g = fb.local(this.vt);
    const vl = c.v.space === "local" ? this.localOf(c.v.index) : undefined;
    if (vl === undefined) throw new RangeError(`${this.ir.name}: v is not a local`);
    if (analytic && c.conductance !== undefined) {
      this.loadNodeArray("v");
      fb.op("local.set", vl);
      this.stmts(c.body);
      sum();
      fb.op("local.set", rhs);
      this.expr(c.conductance);
      fb.op("local.set", g);
    } else {
      // The tabulated calls both passes share (see #tabulated): V kept in a local, each call's
      // value at V ready for the second pass when the first pass found it.
      const shared = this.#pairedSites(c);
      const v = shared.length > 0 ? fb.local(this.vt) : undefined;
      if (v !== undefined) {
        const sites = new Map<Expr, { ready: number; value: number }>();
        for (const e of shared) {
          const ready = fb.local("i32");
          fb.i32Const(0);
          fb.op("local.set", ready);
          sites.set(e, { ready, value: fb.local(this.vt) });
        }
        this.#pair = { pass: 1, v, sites };
        this.loadNodeArray("v");
        fb.op("local.tee", v);
        this.constant(0.001);
        this.#arith("add");
      } else this.loadNodeArray("v", 0.001);
      fb.op("local.set", vl);
      this.stmts(c.body);
      sum();
      fb.op("local.set", g);
      if (v !== undefined) {
        this.#pair!.pass = 2;
        fb.op("local.get", v);
      } else this.loadNodeArray("v");
      fb.op("local.set", vl);
      this.stmts(c.body);
      this.#pair = undefined;
      sum();
      fb.op("local.set", rhs);
      // g = (g − rhs)/0.001
      fb.op("local.get", g);
      fb.op("local.get", rhs);
      this.#arith("sub");
      this.constant(0.001);
      this.#arith("div");
      fb.op("local.set", g);
    }
    const point = this.ir.kind === "point";
    const area = c.area === undefined ? undefined : c.area;
    if (point) {
      if (area === undefined) throw new RangeError(`${this.ir.name}: a point process without area`);
      for (const l of [g, rhs]) {
        // x *= 100 / area
        fb.op("local.get", l);
        this.constant(100);
        this.read(area);
        this.#arith("div");
        this.#arith("mul");
        fb.op("local.set", l);
      }
    }
    const mode = c.electrode ? "subtract" : "add";
    this.writeNodeArray("i", () => fb.op("local.get", rhs), mode);
    this.writeNodeArray("g", () => fb.op("local.get", g), mode);
    for (const ic of c.ionCurrents) {
      const nv = this.#nodeVar(ic.node);
      if (NODE_SINKS.has(nv.name)) continue;
      this.writeNodeArray(nv.name, () => {
        this.read(ic.slot);
        if (point) {
          this.constant(100);
          this.#arith("mul");
          this.read(area!);
          this.#arith("div");
        }
      }, "add");
    }
    this.#release();
  }
}

/**
 * Emits `for (k = 0; k < count; k += step)` over a mechanism's instances with the address locals
 * set for the layout, then `body`.
 *
 * @param fb the function
 * @param ctx memory and constants
 * @param regions the mechanism's regions (node indices)
 * @param layout the layout
 * @param addr the address locals to set
 * @param body emits one iteration
 * @param lane scalar layout in a lock-step memory: the lane (sweep) this loop serves
 */
export function emitInstanceLoop(
  fb: FunctionEmitter,
  ctx: LoweringContext,
  regions: MechanismRegions,
  layout: Layout,
  addr: Addresses & { readonly k: number; readonly c: number },
  body: () => void,
  lane = 0,
): void {
  if (regions.count === 0) return;
  const lanes = ctx.mem.lanes;
  const laneShift = 3 + Math.log2(lanes);
  const nodeOff = ctx.mem.regions.get(regions.node)!.offset;
  const step = layout === "inst2" ? 2 : 1;
  fb.i32Const(0);
  fb.op("local.set", addr.k);
  const loop = fb.loop();
  // shared = k·8
  fb.op("local.get", addr.k);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.set", addr.shared);
  if (addr.field !== addr.shared) {
    fb.op("local.get", addr.k);
    emitLaneAddress(fb, laneShift, lane);
    fb.op("local.set", addr.field);
  }
  // c = node[k]
  fb.op("local.get", addr.k);
  fb.i32Const(2);
  fb.op("i32.shl");
  fb.op("i32.load", nodeOff);
  fb.op("local.tee", addr.c);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.set", addr.nodeShared);
  if (addr.node !== addr.nodeShared) {
    fb.op("local.get", addr.c);
    emitLaneAddress(fb, laneShift, lane);
    fb.op("local.set", addr.node);
  }
  if (layout === "inst2") {
    fb.op("local.get", addr.k);
    fb.i32Const(2);
    fb.op("i32.shl");
    fb.op("i32.load", nodeOff + 4);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", addr.node1!);
  }
  if (regions.quiet !== undefined) {
    // Skip unless some instance of the iteration is active in some lane.
    const quietOff = ctx.mem.regions.get(regions.quiet)!.offset;
    fb.op("local.get", addr.field);
    if (layout === "scalar") {
      fb.op("f64.load", quietOff);
      fb.f64Const(1);
      fb.op("f64.ne");
    } else {
      fb.op("v128.load", quietOff);
      fb.f64x2Const(1);
      fb.op("f64x2.ne");
      fb.op("v128.any_true");
    }
    fb.if();
    body();
    fb.op("end");
  } else body();
  fb.op("local.get", addr.k);
  fb.i32Const(step);
  fb.op("i32.add");
  fb.op("local.tee", addr.k);
  fb.i32Const(regions.count);
  fb.op("i32.lt_s");
  fb.brIf(loop);
  fb.op("end");
}

/**
 * Declares the address locals of a layout (in `scalar` with one lane and `inst2`, per-lane and
 * shared addresses coincide).
 *
 * @param fb the function
 * @param layout the layout
 * @param lanes lanes of the memory
 * @returns the locals
 */
export function addressLocals(
  fb: FunctionEmitter,
  layout: Layout,
  lanes: number,
): Addresses & { readonly k: number; readonly c: number } {
  const k = fb.local("i32"), c = fb.local("i32");
  const shared = fb.local("i32"), nodeShared = fb.local("i32");
  const separate = lanes > 1 && layout !== "inst2";
  return {
    k,
    c,
    shared,
    nodeShared,
    field: separate ? fb.local("i32") : shared,
    node: separate ? fb.local("i32") : nodeShared,
    ...(layout === "inst2" ? { node1: fb.local("i32") } : {}),
  };
}

/**
 * Emits the rate-table coordinate of the voltage on the stack and whether it lies on the table:
 * u = (v − V_min)·(1/step) into local `u`, then 0 ≤ u < V_INTERVALS on the stack (an i32 for
 * f64, a per-lane mask for f64x2). Every kernel that looks v up in the rate tables' grid places
 * it this way, so they agree on the interval to the bit.
 *
 * @param fb the function
 * @param u local (f64, or v128 when `vector`) that receives u
 * @param vector f64x2 instead of f64
 */
export function emitTableCoordinate(fb: FunctionEmitter, u: number, vector: boolean): void {
  const constant = (x: number) => (vector ? fb.f64x2Const(x) : fb.f64Const(x));
  const op = (name: "sub" | "mul" | "ge" | "lt") => fb.op(`${vector ? "f64x2" : "f64"}.${name}`);
  constant(TABLE_V_MIN);
  op("sub");
  constant(1 / TABLE_STEP);
  op("mul");
  fb.op("local.tee", u);
  constant(0);
  op("ge");
  fb.op("local.get", u);
  constant(V_INTERVALS);
  op("lt");
  fb.op(vector ? "v128.and" : "i32.and");
}

/**
 * Emits a cubic ((c3·f + c2)·f + c1)·f + c0 with coefficients at byte `addr` + off (scalar).
 *
 * @param fb the function
 * @param addr local holding the interval's byte address
 * @param off byte offset of c0
 * @param f local holding the fraction within the interval
 */
export function emitCubic(fb: FunctionEmitter, addr: number, off: number, f: number): void {
  fb.op("local.get", addr);
  fb.op("f64.load", off + 24);
  fb.op("local.get", f);
  fb.op("f64.mul");
  fb.op("local.get", addr);
  fb.op("f64.load", off + 16);
  fb.op("f64.add");
  fb.op("local.get", f);
  fb.op("f64.mul");
  fb.op("local.get", addr);
  fb.op("f64.load", off + 8);
  fb.op("f64.add");
  fb.op("local.get", f);
  fb.op("f64.mul");
  fb.op("local.get", addr);
  fb.op("f64.load", off);
  fb.op("f64.add");
}

/**
 * The byte addresses a_l = i_l·32 of both lanes' table intervals (4 f64 coefficients each) from
 * the interval indices in lanes 0 and 1 of the i32x4 local `iv`.
 *
 * @param fb the function
 * @param iv i32x4 local: the lanes' interval indices (as `i32x4.trunc_sat_f64x2_s_zero` gives)
 * @param a0 i32 local for lane 0's address
 * @param a1 i32 local for lane 1's address
 */
function emitLaneIntervalAddresses(fb: FunctionEmitter, iv: number, a0: number, a1: number): void {
  for (const [lane, a] of [[0, a0], [1, a1]]) {
    fb.op("local.get", iv);
    fb.op("i32x4.extract_lane", lane);
    fb.i32Const(5);
    fb.op("i32.shl");
    fb.op("local.set", a);
  }
}

/**
 * Pushes coefficient k of both lanes' intervals as one f64x2: (T[a0 + 8k], T[a1 + 8k]).
 *
 * @param fb the function
 * @param a0 i32 local: lane 0's interval address ({@link emitLaneIntervalAddresses})
 * @param a1 i32 local: lane 1's interval address
 * @param table the table's byte offset
 * @param k coefficient index 0–3
 */
function emitLaneCoefficients(
  fb: FunctionEmitter,
  a0: number,
  a1: number,
  table: number,
  k: number,
): void {
  fb.op("local.get", a1);
  fb.op("local.get", a0);
  fb.op("v128.load64_splat", table + 8 * k);
  fb.op("v128.load64_lane", table + 8 * k, 1);
}

/**
 * Turns the element index on the stack into its byte address in lane `lane` of a per-lane
 * array: index·8·lanes + 8·lane.
 *
 * @param fb the function
 * @param laneShift 3 + log2(lanes)
 * @param lane the lane (a constant of the emitted code)
 */
export function emitLaneAddress(fb: FunctionEmitter, laneShift: number, lane: number): void {
  fb.i32Const(laneShift);
  fb.op("i32.shl");
  if (lane !== 0) {
    fb.i32Const(8 * lane);
    fb.op("i32.add");
  }
}
