/**
 * Hand-built WebAssembly kernels for the engine's feasibility measurements (issue 13 phase A;
 * docs/engine.md): NaTa_t current, NaTa_t advance (exact with the engine's exp or with imported
 * `Math.exp`, and from the cubic rate table), CaDynamics_E2 advance, in four layouts:
 *
 * - `scalar`: one sweep, one instance per f64 operation;
 * - `inst2`: one sweep, two instances per f64x2 (node values gathered lane by lane, currents
 *   scattered lane by lane);
 * - `lock2`: two lock-step sweeps, one instance per f64x2 (lane s = sweep s);
 * - `lock4`: four lock-step sweeps, two f64x2 per instance.
 *
 * Every kernel performs the operations of the JavaScript kernel in solver/mechanisms/ in their
 * order, so each lane reproduces it to the bit (checked by bench/wasm_bench.ts and
 * tests/wasm_kernels_test.ts). These are written by hand against the builder to measure what
 * phase B's code generator will emit from the NMODL IR; they are not the engine.
 *
 * @module
 */
import {
  allocateEngineMemory,
  emitExp,
  emitHinesSolve,
  type EngineMemory,
  type ExpScratch,
  expScratch,
  f64View,
  type FunctionBuilder,
  HIGH_F64_LANES,
  hinesRegions,
  i32View,
  importEngineMemory,
  LOW_F64_LANES,
  ModuleBuilder,
  type OpName,
  type RegionRequest,
  type Width,
} from "../solver/wasm/mod.ts";

/** How instances and sweeps map onto SIMD lanes. */
export type Layout = "scalar" | "inst2" | "lock2" | "lock4";

/** Every layout, in the order the bench prints them. */
export const LAYOUTS: readonly Layout[] = ["scalar", "inst2", "lock2", "lock4"];

/** Sweeps held in memory by a layout. */
export function lanesOf(layout: Layout): number {
  return layout === "lock2" ? 2 : layout === "lock4" ? 4 : 1;
}

/** Where the engine's exp comes from in the exact NaTa_t advance. */
export type ExpSource = "engine" | "import";

/** The cell-side inputs: node count and the two mechanisms' instance nodes and parameters. */
export interface KernelInputs {
  /** Number of nodes. */
  readonly nodes: number;
  /** Hines matrix (solver/hines_solver.ts `HinesSystem`). */
  readonly parent: Int32Array;
  /** NaTa_t instance nodes. */
  readonly nataNode: Int32Array;
  /** CaDynamics_E2 instance nodes. */
  readonly cadNode: Int32Array;
  /** Coefficients of NaTa_t's rate table (solver/mechanisms/_rate_table.ts layout, q = 4). */
  readonly nataTable: Float64Array;
}

/** NaTa_t's qt = 2.3^((34−21)/10). */
const QT = 2.952882641412121;
/** Rate-table grid (solver/mechanisms/_rate_table.ts). */
const TABLE_V_MIN = -150;
const TABLE_INV_STEP = 4;
const TABLE_INTERVALS = 1000;

/** Instance counts rounded up to even (inst2 pads with one instance on the spare node). */
function padded(n: number): number {
  return n + (n & 1);
}

/** The memory of one layout: node arrays (plus a spare node), both mechanisms, the table. */
export function kernelMemory(inputs: KernelInputs, layout: Layout): EngineMemory {
  const n = inputs.nodes + 1; // the last node is the padding instance's
  const lane = (name: string, length: number): RegionRequest => ({
    name,
    kind: "f64",
    length,
    perLane: true,
  });
  const shared = (name: string, length: number, kind: "f64" | "i32" = "f64"): RegionRequest => ({
    name,
    kind,
    length,
    perLane: false,
  });
  const na = padded(inputs.nataNode.length);
  const ca = padded(inputs.cadNode.length);
  const mem = allocateEngineMemory([
    lane("v", n),
    lane("i", n),
    lane("g", n),
    lane("cai", n),
    lane("ica", n),
    shared("ena", n),
    shared("nata.node", na, "i32"),
    shared("nata.gbar", na),
    lane("nata.m", na),
    lane("nata.h", na),
    lane("nata.ina", na),
    lane("nata.g", na),
    shared("nata.table", inputs.nataTable.length),
    shared("cad.node", ca, "i32"),
    shared("cad.gamma", ca),
    shared("cad.twoFDepth", ca),
    shared("cad.minOverDecay", ca),
    shared("cad.b", ca),
    shared("cad.oneMinusExp", ca),
    lane("cad.cai", ca),
    ...hinesRegions(inputs.nodes + 1, "exact"),
    ...hinesRegions(inputs.nodes + 1, "fast").filter((r) => r.name !== "hines.rhs"),
  ], { lanes: lanesOf(layout) });
  const nodeOf = (name: string, nodes: Int32Array) => {
    const view = i32View(mem, name);
    view.set(nodes);
    if (view.length > nodes.length) view[nodes.length] = inputs.nodes; // padding → spare node
  };
  nodeOf("nata.node", inputs.nataNode);
  nodeOf("cad.node", inputs.cadNode);
  f64View(mem, "nata.table").set(inputs.nataTable);
  return mem;
}

const ARITH = {
  f64: { "+": "f64.add", "-": "f64.sub", "*": "f64.mul", "/": "f64.div", neg: "f64.neg" },
  f64x2: {
    "+": "f64x2.add",
    "-": "f64x2.sub",
    "*": "f64x2.mul",
    "/": "f64x2.div",
    neg: "f64x2.neg",
  },
} as const satisfies Record<Width, Record<string, OpName>>;

/** An expression: a constant, a local (`{ l }`), or an operation on expressions. */
type Expr =
  | number
  | { readonly l: number }
  | readonly ["+" | "-" | "*" | "/", Expr, Expr]
  | readonly ["neg" | "exp", Expr];

/**
 * Instance access of one kernel body in one layout: per-instance fields (per sweep), shared
 * parameters, node values gathered through the instance's node, scatter-adds to node arrays.
 */
class Access {
  readonly fb: FunctionBuilder;
  readonly mem: EngineMemory;
  readonly layout: Layout;
  readonly width: Width;
  readonly half: number;
  /** Byte address locals, set per instance by {@link emitAddresses}. */
  readonly k8: number;
  readonly kL: number;
  readonly nA: number;
  readonly nB: number;
  readonly nS: number;
  readonly scratch: ExpScratch;
  readonly expArg: number;
  readonly mathExp: number;

  constructor(
    fb: FunctionBuilder,
    mem: EngineMemory,
    layout: Layout,
    half: number,
    addr: { k8: number; kL: number; nA: number; nB: number; nS: number },
    mathExp: number,
  ) {
    this.fb = fb;
    this.mem = mem;
    this.layout = layout;
    this.width = layout === "scalar" ? "f64" : "f64x2";
    this.half = half;
    this.k8 = addr.k8;
    this.kL = addr.kL;
    this.nA = addr.nA;
    this.nB = addr.nB;
    this.nS = addr.nS;
    this.scratch = expScratch(fb, this.width);
    this.expArg = this.local();
    this.mathExp = mathExp;
  }

  local(): number {
    return this.fb.local(this.width === "f64" ? "f64" : "v128");
  }

  #off(name: string): number {
    const r = this.mem.regions.get(name);
    if (r === undefined) throw new RangeError(`no region ${name}`);
    return r.offset + (r.request.perLane && this.layout === "lock4" ? 16 * this.half : 0);
  }

  #load(addr: number, off: number): void {
    this.fb.op("local.get", addr);
    this.fb.op(this.width === "f64" ? "f64.load" : "v128.load", off);
  }

  /** Per-sweep instance field (m, h, cai). */
  field(name: string): void {
    this.#load(this.layout === "inst2" ? this.k8 : this.kL, this.#off(name));
  }

  /** Shared instance parameter (gbar, gamma). */
  param(name: string): void {
    const off = this.#off(name);
    this.fb.op("local.get", this.k8);
    const op: OpName = this.layout === "scalar"
      ? "f64.load"
      : this.layout === "inst2"
      ? "v128.load"
      : "v128.load64_splat";
    this.fb.op(op, off);
  }

  storeField(name: string, value: () => void): void {
    const off = this.#off(name);
    this.fb.op("local.get", this.layout === "inst2" ? this.k8 : this.kL);
    value();
    this.fb.op(this.width === "f64" ? "f64.store" : "v128.store", off);
  }

  /** Node value through the instance's node (per sweep, or shared when `shared`). */
  node(name: string, shared = false): void {
    const off = this.#off(name);
    if (this.layout === "inst2") {
      this.fb.op("local.get", this.nB);
      this.fb.op("local.get", this.nA);
      this.fb.op("f64.load", off);
      this.fb.op("f64x2.splat");
      this.fb.op("v128.load64_lane", off, 1);
    } else if (shared && this.layout !== "scalar") {
      this.fb.op("local.get", this.nS);
      this.fb.op("v128.load64_splat", off);
    } else {
      this.#load(shared ? this.nS : this.nA, off);
    }
  }

  /** node[name] += local `value` (per sweep), or = when `assign`. */
  toNode(name: string, value: number, assign = false): void {
    const off = this.#off(name);
    if (this.layout === "inst2") {
      for (const [lane, addr] of [[0, this.nA], [1, this.nB]] as const) {
        this.fb.op("local.get", addr);
        if (!assign) {
          this.fb.op("local.get", addr);
          this.fb.op("f64.load", off);
        }
        this.fb.op("local.get", value);
        this.fb.op("f64x2.extract_lane", lane);
        if (!assign) this.fb.op("f64.add");
        this.fb.op("f64.store", off);
      }
      return;
    }
    const [load, store, add]: OpName[] = this.width === "f64"
      ? ["f64.load", "f64.store", "f64.add"]
      : ["v128.load", "v128.store", "f64x2.add"];
    this.fb.op("local.get", this.nA);
    if (!assign) {
      this.fb.op("local.get", this.nA);
      this.fb.op(load, off);
    }
    this.fb.op("local.get", value);
    if (!assign) this.fb.op(add);
    this.fb.op(store, off);
  }

  /** Emits an expression; `exp` uses the engine's exp or the imported `Math.exp`. */
  expr(e: Expr): void {
    const fb = this.fb;
    if (typeof e === "number") {
      if (this.width === "f64") fb.f64Const(e);
      else fb.f64x2Const(e);
    } else if ("l" in e) {
      fb.op("local.get", e.l);
    } else if (e[0] === "neg") {
      this.expr(e[1]);
      fb.op(ARITH[this.width].neg);
    } else if (e[0] === "exp") {
      this.expr(e[1]);
      fb.op("local.set", this.expArg);
      this.exp(this.expArg);
    } else {
      const [op, x, y] = e as readonly ["+" | "-" | "*" | "/", Expr, Expr];
      this.expr(x);
      this.expr(y);
      fb.op(ARITH[this.width][op]);
    }
  }

  exp(x: number): void {
    const fb = this.fb;
    if (this.mathExp < 0) {
      emitExp(fb, this.scratch, x);
    } else if (this.width === "f64") {
      fb.op("local.get", x);
      fb.op("call", this.mathExp);
    } else {
      fb.op("local.get", x);
      fb.op("f64x2.extract_lane", 0);
      fb.op("call", this.mathExp);
      fb.op("f64x2.splat");
      fb.op("local.get", x);
      fb.op("f64x2.extract_lane", 1);
      fb.op("call", this.mathExp);
      fb.op("f64x2.replace_lane", 1);
    }
  }

  /** local = e. */
  let(e: Expr): { l: number } {
    const l = this.local();
    this.expr(e);
    this.fb.op("local.set", l);
    return { l };
  }

  /** `if (x === c) x = x + 0.0001` (NMODL's singularity guards), lane-wise. */
  guard(x: { l: number }, c: number): void {
    const fb = this.fb;
    this.expr(["+", x, 0.0001]);
    fb.op("local.get", x.l);
    fb.op("local.get", x.l);
    this.expr(c);
    if (this.width === "f64") {
      fb.op("f64.eq");
      fb.op("select");
    } else {
      fb.op("f64x2.eq");
      fb.op("v128.bitselect");
    }
    fb.op("local.set", x.l);
  }
}

/**
 * Emits `for each instance` of a mechanism with addresses set up, calling `body` once per access
 * (twice for lock4: the lane pairs 0–1 and 2–3).
 */
function instanceLoop(
  fb: FunctionBuilder,
  mem: EngineMemory,
  layout: Layout,
  mech: string,
  count: number,
  mathExp: number,
  body: (a: Access) => void,
): void {
  const k = fb.local("i32");
  const addr = {
    k8: fb.local("i32"),
    kL: fb.local("i32"),
    nA: fb.local("i32"),
    nB: fb.local("i32"),
    nS: fb.local("i32"),
  };
  const lanes = lanesOf(layout);
  const laneShift = 3 + Math.log2(lanes);
  const access = (layout === "lock4" ? [0, 1] : [0]).map((h) =>
    new Access(fb, mem, layout, h, addr, mathExp)
  );
  const step = layout === "inst2" ? 2 : 1;
  const end = layout === "inst2" ? padded(count) : count;
  const nodeOff = mem.regions.get(`${mech}.node`)!.offset;
  fb.i32Const(0);
  fb.op("local.set", k);
  const loop = fb.loop();
  // k8 = k·8; kL = k·8·lanes; nA = node[k]·8·lanes (nB = node[k+1]·8); nS = node[k]·8
  fb.op("local.get", k);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.set", addr.k8);
  fb.op("local.get", k);
  fb.i32Const(laneShift);
  fb.op("i32.shl");
  fb.op("local.set", addr.kL);
  fb.op("local.get", k);
  fb.i32Const(2);
  fb.op("i32.shl");
  fb.op("i32.load", nodeOff);
  fb.op("local.tee", addr.nS);
  fb.i32Const(laneShift);
  fb.op("i32.shl");
  fb.op("local.set", addr.nA);
  fb.op("local.get", addr.nS);
  fb.i32Const(3);
  fb.op("i32.shl");
  fb.op("local.set", addr.nS);
  if (layout === "inst2") {
    fb.op("local.get", k);
    fb.i32Const(2);
    fb.op("i32.shl");
    fb.op("i32.load", nodeOff + 4);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", addr.nB);
  }
  for (const a of access) body(a);
  fb.op("local.get", k);
  fb.i32Const(step);
  fb.op("i32.add");
  fb.op("local.tee", k);
  fb.i32Const(end);
  fb.op("i32.lt_u");
  fb.brIf(loop);
  fb.op("end");
}

/** NaTa_t current (solver/mechanisms/nata_t.ts currentNaTaT). */
function nataCurrent(a: Access): void {
  const m = a.local();
  a.field("nata.m");
  a.fb.op("local.set", m);
  // g = gbar·m·m·m·h
  const g = a.local();
  a.param("nata.gbar");
  a.expr({ l: m });
  a.fb.op(ARITH[a.width]["*"]);
  a.expr({ l: m });
  a.fb.op(ARITH[a.width]["*"]);
  a.expr({ l: m });
  a.fb.op(ARITH[a.width]["*"]);
  a.field("nata.h");
  a.fb.op(ARITH[a.width]["*"]);
  a.fb.op("local.set", g);
  // i = g·(v − ena)
  const i = a.local();
  a.expr({ l: g });
  a.node("v");
  a.node("ena", true);
  a.fb.op(ARITH[a.width]["-"]);
  a.fb.op(ARITH[a.width]["*"]);
  a.fb.op("local.set", i);
  a.storeField("nata.g", () => a.expr({ l: g }));
  a.storeField("nata.ina", () => a.expr({ l: i }));
  a.toNode("i", i);
  a.toNode("g", g);
}

/** NaTa_t rates() at local v (shifted in place by the guards): [mInf, mTau, hInf, hTau]. */
function nataRates(a: Access, v: { l: number }): { l: number }[] {
  a.guard(v, -38);
  const mAlpha = a.let(["/", ["*", 0.182, ["-", v, -38]], [
    "-",
    1,
    ["exp", ["/", ["neg", ["-", v, -38]], 6]],
  ]]);
  const mBeta = a.let(["/", ["*", 0.124, ["-", ["neg", v], 38]], [
    "-",
    1,
    ["exp", ["/", ["neg", ["-", ["neg", v], 38]], 6]],
  ]]);
  const mTau = a.let(["/", ["/", 1, ["+", mAlpha, mBeta]], QT]);
  const mInf = a.let(["/", mAlpha, ["+", mAlpha, mBeta]]);
  a.guard(v, -66);
  const hAlpha = a.let(["/", ["*", -0.015, ["-", v, -66]], [
    "-",
    1,
    ["exp", ["/", ["-", v, -66], 6]],
  ]]);
  const hBeta = a.let(["/", ["*", -0.015, ["-", ["neg", v], 66]], [
    "-",
    1,
    ["exp", ["/", ["-", ["neg", v], 66], 6]],
  ]]);
  const hTau = a.let(["/", ["/", 1, ["+", hAlpha, hBeta]], QT]);
  const hInf = a.let(["/", hAlpha, ["+", hAlpha, hBeta]]);
  return [mInf, mTau, hInf, hTau];
}

/** cnexpGate (solver/mechanisms/_gate.ts): x + (1 − exp(dt·b))·(−(x∞/τ)/b − x), b = −1/τ. */
function cnexpGate(a: Access, field: string, inf: { l: number }, tau: { l: number }, dt: number) {
  const x = a.local();
  a.field(field);
  a.fb.op("local.set", x);
  const b = a.let(["/", -1.0, tau]);
  a.storeField(field, () =>
    a.expr(["+", { l: x }, ["*", ["-", 1, ["exp", ["*", dt, b]]], [
      "-",
      ["/", ["neg", ["/", inf, tau]], b],
      { l: x },
    ]]]));
}

/** NaTa_t advance, NEURON-exact (advanceNaTaT). */
function nataAdvanceExact(a: Access, dt: number): void {
  const v = a.local();
  a.node("v");
  a.fb.op("local.set", v);
  const [mInf, mTau, hInf, hTau] = nataRates(a, { l: v });
  cnexpGate(a, "nata.m", mInf, mTau, dt);
  cnexpGate(a, "nata.h", hInf, hTau, dt);
}

/**
 * NaTa_t advance from the rate table (advanceTwoGatesTabulated): x ← x + F·(x∞ − x) with x∞, F
 * cubic in the voltage's interval; outside the table the exact quantities (gateValues).
 */
function nataAdvanceTable(a: Access, dt: number): void {
  const fb = a.fb;
  const ar = ARITH[a.width];
  const v = a.local();
  a.node("v");
  fb.op("local.set", v);
  const u = a.let(["*", ["-", { l: v }, TABLE_V_MIN], TABLE_INV_STEP]);
  const f = a.local();
  const q = [a.local(), a.local(), a.local(), a.local()]; // mInf, mF, hInf, hF
  const tab = a.mem.regions.get("nata.table")!.offset;
  // In range: 0 ≤ u < intervals in every lane.
  a.expr(u);
  a.expr(0);
  fb.op(a.width === "f64" ? "f64.ge" : "f64x2.ge");
  a.expr(u);
  a.expr(TABLE_INTERVALS);
  fb.op(a.width === "f64" ? "f64.lt" : "f64x2.lt");
  if (a.width === "f64") fb.op("i32.and");
  else {
    fb.op("v128.and");
    fb.op("i64x2.all_true");
  }
  fb.if();
  if (a.width === "f64") {
    const i = fb.local("i32");
    a.expr(u);
    fb.op("i32.trunc_sat_f64_s");
    fb.op("local.tee", i);
    fb.op("f64.convert_i32_s");
    fb.op("local.set", f); // i as a double
    a.expr(["-", u, { l: f }]);
    fb.op("local.set", f);
    fb.op("local.get", i);
    fb.i32Const(7);
    fb.op("i32.shl");
    fb.op("local.set", i);
    for (let j = 0; j < 4; j++) {
      const c = (p: number) => {
        fb.op("local.get", i);
        fb.op("f64.load", tab + 8 * (4 * j + p));
      };
      c(3);
      a.expr({ l: f });
      fb.op(ar["*"]);
      c(2);
      fb.op(ar["+"]);
      a.expr({ l: f });
      fb.op(ar["*"]);
      c(1);
      fb.op(ar["+"]);
      a.expr({ l: f });
      fb.op(ar["*"]);
      c(0);
      fb.op(ar["+"]);
      fb.op("local.set", q[j]);
    }
  } else {
    const iv = fb.local("v128");
    const ia = fb.local("i32");
    const ib = fb.local("i32");
    a.expr(u);
    fb.op("i32x4.trunc_sat_f64x2_s_zero");
    fb.op("local.tee", iv);
    fb.op("f64x2.convert_low_i32x4_s");
    fb.op("local.set", f);
    a.expr(["-", u, { l: f }]);
    fb.op("local.set", f);
    for (const [lane, l] of [[0, ia], [1, ib]] as const) {
      fb.op("local.get", iv);
      fb.op("i32x4.extract_lane", lane);
      fb.i32Const(7);
      fb.op("i32.shl");
      fb.op("local.set", l);
    }
    const [a01, b01, a23, b23] = [0, 1, 2, 3].map(() => fb.local("v128"));
    for (let j = 0; j < 4; j++) {
      // (c0 c1) and (c2 c3) of each lane's interval, joined lane-wise by unpack shuffles:
      // C0 = low(a01, b01), C1 = high(a01, b01), C2 = low(a23, b23), C3 = high(a23, b23).
      for (const [dst, addr, p] of [[a01, ia, 0], [b01, ib, 0], [a23, ia, 2], [b23, ib, 2]]) {
        fb.op("local.get", addr);
        fb.op("v128.load", tab + 8 * (4 * j + p));
        fb.op("local.set", dst);
      }
      const join = (x: number, y: number, lanes: readonly number[]) => {
        fb.op("local.get", x);
        fb.op("local.get", y);
        fb.shuffle(lanes);
      };
      join(a23, b23, HIGH_F64_LANES);
      a.expr({ l: f });
      fb.op(ar["*"]);
      join(a23, b23, LOW_F64_LANES);
      fb.op(ar["+"]);
      a.expr({ l: f });
      fb.op(ar["*"]);
      join(a01, b01, HIGH_F64_LANES);
      fb.op(ar["+"]);
      a.expr({ l: f });
      fb.op(ar["*"]);
      join(a01, b01, LOW_F64_LANES);
      fb.op(ar["+"]);
      fb.op("local.set", q[j]);
    }
  }
  fb.op("else");
  // Out of the table in some lane: the exact quantities of gateValues for every lane (a lane
  // inside the table then differs from the JavaScript kernel by the interpolation error only;
  // the engine proper selects per lane).
  const [mInf, mTau, hInf, hTau] = nataRates(a, { l: v });
  for (const [j, inf, tau] of [[0, mInf, mTau], [2, hInf, hTau]] as const) {
    a.expr(inf);
    fb.op("local.set", q[j]);
    a.expr(["-", 1, ["exp", ["*", dt, ["/", -1.0, tau]]]]);
    fb.op("local.set", q[j + 1]);
  }
  fb.op("end");
  for (const [field, inf, fac] of [["nata.m", q[0], q[1]], ["nata.h", q[2], q[3]]] as const) {
    const x = a.local();
    a.field(field);
    fb.op("local.set", x);
    a.storeField(
      field,
      () => a.expr(["+", { l: x }, ["*", { l: fac }, ["-", { l: inf }, { l: x }]]]),
    );
  }
}

/** CaDynamics_E2 advance (advanceCaDynamicsE2) with its per-instance step constants. */
function cadAdvance(a: Access): void {
  const fb = a.fb;
  const ar = ARITH[a.width];
  // a = −10000·((ica·gamma)/twoFDepth) − minOverDecay
  const av = a.local();
  a.expr(-10000.0);
  a.node("ica");
  a.param("cad.gamma");
  fb.op(ar["*"]);
  a.param("cad.twoFDepth");
  fb.op(ar["/"]);
  fb.op(ar["*"]);
  a.param("cad.minOverDecay");
  fb.op(ar["-"]);
  fb.op("local.set", av);
  // x = x0 + oneMinusExp·(−a/b − x0)
  const x0 = a.local();
  a.node("cai");
  fb.op("local.set", x0);
  const x = a.local();
  a.expr({ l: x0 });
  a.param("cad.oneMinusExp");
  a.expr(["neg", { l: av }]);
  a.param("cad.b");
  fb.op(ar["/"]);
  a.expr({ l: x0 });
  fb.op(ar["-"]);
  fb.op(ar["*"]);
  fb.op(ar["+"]);
  fb.op("local.set", x);
  a.toNode("cai", x, true);
  a.storeField("cad.cai", () => a.expr({ l: x }));
}

/** The kernels of one layout, each one step over all instances (the Hines solves over all nodes). */
export interface KernelSet {
  /** The memory they run on. */
  readonly mem: EngineMemory;
  /** Exported kernels by name. */
  readonly run: Readonly<Record<KernelName, () => void>>;
  /** Bytes of the module. */
  readonly bytes: number;
  /** Time to build the module's bytes [ms]. */
  readonly buildMs: number;
  /** Time to compile and instantiate it [ms]. */
  readonly compileMs: number;
}

/** The kernels a set exports. */
export type KernelName =
  | "nataCurrent"
  | "nataExactEngineExp"
  | "nataExactMathExp"
  | "nataTable"
  | "cadAdvance"
  | "hinesExact"
  | "hinesFast";

/** Every kernel name. */
export const KERNELS: readonly KernelName[] = [
  "nataCurrent",
  "nataExactEngineExp",
  "nataExactMathExp",
  "nataTable",
  "cadAdvance",
  "hinesExact",
  "hinesFast",
];

/**
 * Builds, compiles and instantiates the kernels of one layout on a fresh memory.
 *
 * @param inputs the cell's instance nodes and table
 * @param layout scalar, inst2, lock2 or lock4
 * @param dt time step [ms] (baked into the advance kernels as a constant)
 * @returns the kernels and their memory
 */
export function buildKernels(inputs: KernelInputs, layout: Layout, dt: number): KernelSet {
  const mem = kernelMemory(inputs, layout);
  const t0 = performance.now();
  const mb = new ModuleBuilder();
  const { env } = importEngineMemory(mb, mem);
  const mathExp = mb.importFunction("env", "exp", { params: ["f64"], results: ["f64"] });
  const na = inputs.nataNode.length, ca = inputs.cadNode.length;
  const kernel = (name: KernelName, emit: (fb: FunctionBuilder) => void) =>
    emit(mb.addFunction({ params: [], results: [] }, { exportAs: name }));
  kernel("nataCurrent", (fb) => instanceLoop(fb, mem, layout, "nata", na, -1, nataCurrent));
  kernel(
    "nataExactEngineExp",
    (fb) => instanceLoop(fb, mem, layout, "nata", na, -1, (a) => nataAdvanceExact(a, dt)),
  );
  kernel(
    "nataExactMathExp",
    (fb) => instanceLoop(fb, mem, layout, "nata", na, mathExp, (a) => nataAdvanceExact(a, dt)),
  );
  kernel(
    "nataTable",
    (fb) => instanceLoop(fb, mem, layout, "nata", na, -1, (a) => nataAdvanceTable(a, dt)),
  );
  kernel("cadAdvance", (fb) => instanceLoop(fb, mem, layout, "cad", ca, -1, cadAdvance));
  // The tree solve does not vectorise within one sweep: inst2 runs the scalar solve.
  emitHinesSolve(mb, mem, "exact", "hinesExact");
  emitHinesSolve(mb, mem, "fast", "hinesFast");
  const bytes = mb.encode();
  const t1 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const instance = new WebAssembly.Instance(module, {
    env: { memory: env.memory, exp: Math.exp },
  });
  const t2 = performance.now();
  const run = Object.fromEntries(
    KERNELS.map((k) => [k, instance.exports[k] as () => void]),
  ) as Record<KernelName, () => void>;
  return { mem, run, bytes: bytes.length, buildMs: t1 - t0, compileMs: t2 - t1 };
}
