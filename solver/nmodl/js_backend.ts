/**
 * JavaScript backend: IR → kernel source → functions, compiled once per mechanism with
 * `new Function`. The source is assembled only from this file's templates, identifiers it
 * makes up (`f3`, `l12`, `N2`), numbers it re-serialises and a whitelist of node-array names and
 * `Math` functions; nothing of the `.mod` file's text reaches it. Kernels loop over instances in
 * structure-of-arrays storage and allocate nothing.
 *
 * Kernel interface: `kernel(s, n)` with `s` the mechanism contract's instance storage
 * (`MechanismInstances`: `s.node`, the NMODL variables in `s.fields`, internal per-instance values
 * and per-instance-set data in the derived slots of {@link derivedSlots}: globals, TABLE values,
 * self events; `s.random`, the instances' random streams) and `n` the solver's node arrays (`n.v`,
 * `n.ena`, …, `n.t`, `n.dt`, `n.celsius`). NET_RECEIVE: `netReceive(s, n, k, W, o, flag)` with the
 * NetCon's weight vector `W[o …]`. Names of fields and slots reach the code only as data (an
 * array the kernels index), never as source text.
 *
 * @module
 */
import { InputValueError } from "../../io/mod.ts";
import type { MechanismInstances } from "../mechanisms/_types.ts";
import { fmax, fmin, newtonSolve, newtonWorkspace } from "./_runtime.ts";
import { pushSelfEvent } from "./_self_events.ts";
import type {
  CurrentKernelIR,
  EliminationStep,
  Expr,
  KernelIR,
  KineticSolve,
  MechanismIR,
  NewtonSolve,
  Slot,
  Stmt,
  TableIR,
} from "./ir.ts";

/** Node arrays the generated code may touch, by NEURON name → property of the node arrays. */
const NODE_ARRAYS: Readonly<Record<string, string>> = {
  v: "v",
  area: "area",
  ena: "ena",
  ek: "ek",
  eca: "eca",
  cai: "cai",
  cao: "cao",
  ica: "ica",
  // Ion currents of na and k have no node array in today's solver: see NODE_SINKS.
};

/** Ion currents NEURON accumulates but nothing in today's solver reads: no store emitted. */
const NODE_SINKS = new Set(["ina", "ik"]);

const MATH_JS: Readonly<Record<string, string>> = {
  exp: "nexp", // NEURON's hoc_Exp: 0 below −700, exp(700) above 700

  log: "Math.log",
  log10: "Math.log10",
  fabs: "Math.abs",
  sqrt: "Math.sqrt",
  sin: "Math.sin",
  cos: "Math.cos",
  tan: "Math.tan",
  asin: "Math.asin",
  acos: "Math.acos",
  atan: "Math.atan",
  atan2: "Math.atan2",
  sinh: "Math.sinh",
  cosh: "Math.cosh",
  tanh: "Math.tanh",
  floor: "Math.floor",
  ceil: "Math.ceil",
  fmin: "R.fmin",
  fmax: "R.fmax",
};

/** Derived slot of the per-instance-set globals (IR order). */
export const GLOBALS_SLOT = "nmodl.globals";
/** Derived slot of every TABLE's values, table after table (column-major within a table). */
export const TABLES_SLOT = "nmodl.tables";
/** Derived slot of every TABLE's metadata [tmin, 1/dx, built, saved DEPEND values…]. */
export const TABLE_META_SLOT = "nmodl.tableMeta";

/** Where each table's values and metadata start in {@link TABLES_SLOT} / {@link TABLE_META_SLOT}. */
export interface TableLayout {
  /** Offset of table i's values. */
  readonly offsets: readonly number[];
  /** Offset of table i's metadata. */
  readonly metaOffsets: readonly number[];
  /** Length of the values slot. */
  readonly size: number;
  /** Length of the metadata slot. */
  readonly metaSize: number;
}

/**
 * The layout of a mechanism's TABLE storage.
 *
 * @param ir the mechanism
 * @returns offsets and sizes
 */
export function tableLayout(ir: MechanismIR): TableLayout {
  const offsets: number[] = [], metaOffsets: number[] = [];
  let size = 0, metaSize = 0;
  for (const t of ir.tables) {
    offsets.push(size);
    metaOffsets.push(metaSize);
    size += t.points * t.columns;
    metaSize += 3 + t.depend.length;
  }
  return { offsets, metaOffsets, size, metaSize };
}

/**
 * Whether field i lives in `s.derived` (an internal value: hoisted expressions) rather than in
 * `s.fields` (an NMODL variable: what recording and inspect read).
 *
 * @param ir the mechanism
 * @param i field index
 * @returns true for an internal field
 */
export function isDerivedField(ir: MechanismIR, i: number): boolean {
  return ir.fields[i].role === "internal";
}

/** A kernel over all instances. */
export type GeneratedKernel = (s: MechanismInstances, n: GeneratedNodes) => void;

/** NET_RECEIVE for one instance. */
export type GeneratedNetReceive = (
  s: MechanismInstances,
  n: GeneratedNodes,
  k: number,
  W: Float64Array,
  o: number,
  flag: number,
) => void;

/** The node arrays and simulation values kernels read (a subset of the solver's NodeArrays). */
export interface GeneratedNodes {
  /** Membrane potential [mV]. */
  readonly v: Float64Array;
  /** Current density [mA/cm²]. */
  readonly i: Float64Array;
  /** Conductance [S/cm²]. */
  readonly g: Float64Array;
  /** Time [ms]. */
  readonly t: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
}

/** Compiled kernels of one mechanism. */
export interface GeneratedMechanism {
  /** nrn_init. */
  readonly init: GeneratedKernel;
  /** Derived per-instance values (IR `prepare`): run before init, after the parameters are set. */
  readonly prepare: GeneratedKernel;
  /** nrn_cur (undefined: no current). */
  readonly current: GeneratedKernel | undefined;
  /** nrn_state. */
  readonly advance: GeneratedKernel;
  /** NET_RECEIVE. */
  readonly netReceive: GeneratedNetReceive | undefined;
  /** NET_RECEIVE INITIAL (per NetCon, t = 0). */
  readonly netReceiveInit: GeneratedNetReceive | undefined;
  /** The generated source (for inspection and tests). */
  readonly source: string;
}

/** Options of {@link generateJs}. */
export interface JsBackendOptions {
  /**
   * `analytic`: dI/dV in closed form where the IR proves the currents affine in v (equal to
   * NEURON's difference quotient up to rounding, one evaluation instead of two); `numeric`:
   * always NEURON's [I(V + 0.001) − I(V)]/0.001. Default `analytic`.
   */
  readonly conductance?: "analytic" | "numeric";
  /**
   * Skip instances marked quiet (1 in the `nmodl.quiet` derived slot) in `current` and
   * `advance` (solver/nmodl/_quiet.ts proves when that is exact). Default false.
   */
  readonly quiet?: boolean;
}

/** Derived slot of the quiet flags (see solver/nmodl/_quiet.ts). */
export const QUIET_FLAGS_SLOT = "nmodl.quiet";

/** Serialises a double as a JS literal that reads back exactly. */
function num(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  const s = String(x);
  return x < 0 ? `(${s})` : s;
}

function idx(i: number): string {
  if (!Number.isInteger(i) || i < 0) throw new RangeError(`bad index ${i}`);
  return String(i);
}

/** Per-kernel emission state. */
class Emitter {
  readonly ir: MechanismIR;
  /** Locals as JS `let` (false: in the shared Float64Array L, for implicit solves). */
  readonly letLocals: boolean;
  readonly fieldsUsed = new Set<number>();
  readonly nodesUsed = new Set<number>();
  readonly tablesUsed = new Set<number>();
  dtExpr = "dt";
  /** Prefix of module-level scratch names (the kernel's name). */
  readonly prefix: string;
  /** Gate functions: fields are instance-independent values `U[i]`, `rhs` slots are `out[i]`. */
  uniformFields = false;
  /**
   * Register promotion: a field is read once per instance into `p<i>` and written through, so
   * the kernel never reloads what it stored (typed arrays may alias as far as V8 knows).
   */
  promote = false;
  readonly promotedRead = new Set<number>();
  readonly promotedWritten = new Set<number>();
  constructor(ir: MechanismIR, letLocals: boolean, prefix = "") {
    this.ir = ir;
    this.letLocals = letLocals;
    this.prefix = prefix;
  }

  slot(s: Slot): string {
    switch (s.space) {
      case "field":
        if (this.uniformFields) return `U[${idx(s.index)}]`;
        this.fieldsUsed.add(s.index);
        if (this.promote) {
          if (!this.promotedWritten.has(s.index)) this.promotedRead.add(s.index);
          return `p${idx(s.index)}`;
        }
        return `f${idx(s.index)}[k]`;
      case "global":
        return `G[${idx(s.index)}]`;
      case "local":
        return this.letLocals ? `l${idx(s.index)}` : `L[${idx(s.index)}]`;
      case "arg":
        return `W[o + ${idx(s.index)}]`;
      case "builtin":
        switch (s.name) {
          case "t":
            return "t";
          case "dt":
            return this.dtExpr;
          case "celsius":
            return "celsius";
          case "flag":
            return "flag";
        }
        throw new RangeError("bad builtin");
      case "rhs":
        return this.uniformFields ? `out[${idx(s.index)}]` : `RHS[${idx(s.index)}]`;
      case "matrix":
        return `MAT[${idx(s.index)}]`;
      case "saved":
        return `SAV[${idx(s.index)}]`;
    }
  }

  /** `slot = value` (promoted fields: the register and the array). */
  write(s: Slot, value: string, ind: string): string {
    if (this.promote && s.space === "field" && !this.uniformFields) {
      this.fieldsUsed.add(s.index);
      this.promotedWritten.add(s.index);
      const p = `p${idx(s.index)}`;
      return `${ind}${p} = ${value};\n${ind}f${idx(s.index)}[k] = ${p};\n`;
    }
    return `${ind}${this.slot(s)} = ${value};\n`;
  }

  /** Declarations of the promoted registers at the top of an instance's code. */
  promotedDecls(ind: string): string {
    let out = "";
    const all = new Set([...this.promotedRead, ...this.promotedWritten]);
    for (const f of [...all].sort((a, b) => a - b)) {
      out += `${ind}let p${f} = ${this.promotedRead.has(f) ? `f${f}[k]` : "0"};\n`;
    }
    return out;
  }

  expr(e: Expr): string {
    switch (e.op) {
      case "const":
        return num(e.value);
      case "read":
        return this.slot(e.slot);
      case "neg":
        return `(-${this.expr(e.arg)})`;
      case "not":
        return `(${this.expr(e.arg)} === 0 ? 1 : 0)`;
      case "add":
        return `(${this.expr(e.a)} + ${this.expr(e.b)})`;
      case "sub":
        return `(${this.expr(e.a)} - ${this.expr(e.b)})`;
      case "mul":
        return `(${this.expr(e.a)} * ${this.expr(e.b)})`;
      case "div":
        return `(${this.expr(e.a)} / ${this.expr(e.b)})`;
      case "mod":
        return `(${this.expr(e.a)} % ${this.expr(e.b)})`;
      case "pow":
        return `Math.pow(${this.expr(e.a)}, ${this.expr(e.b)})`;
      case "lt":
      case "le":
      case "gt":
      case "ge":
      case "eq":
      case "ne":
      case "and":
      case "or":
        return `(${this.cond(e)} ? 1 : 0)`;
      case "call": {
        if (e.fn === "pow") return `Math.pow(${this.expr(e.args[0])}, ${this.expr(e.args[1])})`;
        if (e.fn === "fmod") return `(${this.expr(e.args[0])} % ${this.expr(e.args[1])})`;
        const f = MATH_JS[e.fn];
        if (f === undefined) throw new RangeError(`function ${e.fn} not in the whitelist`);
        return `${f}(${e.args.map((a) => this.expr(a)).join(", ")})`;
      }
    }
  }

  /** A JS boolean expression: true when `e` is nonzero (C truth). */
  cond(e: Expr): string {
    const CMP: Record<string, string> = {
      lt: "<",
      le: "<=",
      gt: ">",
      ge: ">=",
      eq: "===",
      ne: "!==",
    };
    switch (e.op) {
      case "lt":
      case "le":
      case "gt":
      case "ge":
      case "eq":
      case "ne":
        return `(${this.expr(e.a)} ${CMP[e.op]} ${this.expr(e.b)})`;
      case "and":
        return `(${this.cond(e.a)} && ${this.cond(e.b)})`;
      case "or":
        return `(${this.cond(e.a)} || ${this.cond(e.b)})`;
      case "not":
        return `(${this.expr(e.arg)} === 0)`;
      default:
        return `(${this.expr(e)} !== 0)`;
    }
  }

  nodeRef(i: number): string {
    const nv = this.ir.nodeVars[i];
    if (nv === undefined || NODE_ARRAYS[nv.name] === undefined) {
      throw new RangeError(`node array ${nv?.name} not available`);
    }
    this.nodesUsed.add(i);
    return `N${idx(i)}[c]`;
  }

  stmts(list: readonly Stmt[], ind: string): string {
    let s = "";
    for (const st of list) s += this.stmt(st, ind);
    return s;
  }

  stmt(s: Stmt, ind: string): string {
    switch (s.op) {
      case "assign":
        return this.write(s.slot, this.expr(s.value), ind);
      case "if": {
        let out = `${ind}if ${this.cond(s.cond)} {\n${this.stmts(s.then, ind + "  ")}${ind}}`;
        if (s.otherwise.length > 0) out += ` else {\n${this.stmts(s.otherwise, ind + "  ")}${ind}}`;
        return out + "\n";
      }
      case "loadNode":
        if (this.uniformFields) {
          const kind = this.ir.nodeVars[s.node].kind;
          return `${ind}${this.slot(s.slot)} = ${kind === "v" ? "vArg" : "cArg"};\n`;
        }
        return this.write(s.slot, this.nodeRef(s.node), ind);
      case "storeNode":
        return `${ind}${this.nodeRef(s.node)} = ${this.expr(s.value)};\n`;
      case "addNode": {
        const nv = this.ir.nodeVars[s.node];
        if (NODE_SINKS.has(nv.name)) return "";
        return `${ind}${this.nodeRef(s.node)} += ${this.expr(s.value)};\n`;
      }
      case "table":
        return this.tableLookup(s, ind);
      case "random":
        return this.write(s.slot, "R.exponential(s, k)", ind);
      case "netSend":
        return `${ind}R.send(s, k, t + ${this.expr(s.delay)}, ${this.expr(s.flag)}, o);\n`;
      case "newton":
        return this.newton(s, ind);
      case "kinetic":
        return this.kinetic(s, ind);
    }
  }

  tableLookup(s: Stmt & { op: "table" }, ind: string): string {
    const t = this.ir.tables[s.table];
    this.tablesUsed.add(s.table);
    const P = t.points;
    const lay = tableLayout(this.ir);
    const base = lay.offsets[s.table], mbase = lay.metaOffsets[s.table];
    const T = "T", TM0 = `TM[${idx(mbase)}]`, TM1 = `TM[${idx(mbase + 1)}]`;
    const i2 = ind + "  ";
    let out = `${ind}if (G[${idx(this.ir.usetable)}] !== 0) {\n`;
    out += `${i2}const xi = ${TM1} * (${this.expr(s.arg)} - ${TM0});\n`;
    const set = (f: (c: number) => string) =>
      s.outputs.map((o, c) => this.write(o, f(c), `${i2}  `)).join("");
    out += `${i2}if (xi !== xi) {\n${set(() => "xi")}${i2}} else if (xi <= 0) {\n`;
    out += set((c) => `${T}[${idx(base + c * P)}]`);
    out += `${i2}} else if (xi >= ${num(P - 1)}) {\n`;
    out += set((c) => `${T}[${idx(base + c * P + P - 1)}]`);
    out += `${i2}} else {\n${i2}  const ti = xi | 0;\n${i2}  const th = xi - ti;\n`;
    out += set((c) =>
      `${T}[${idx(base + c * P)} + ti] + th * (${T}[${idx(base + c * P)} + ti + 1] - ${T}[${
        idx(base + c * P)
      } + ti])`
    );
    out += `${i2}}\n${ind}} else {\n${this.stmts(s.direct, i2)}${ind}}\n`;
    return out;
  }

  newton(s: NewtonSolve, ind: string): string {
    // The residual function is emitted at module level (see residualFunctions).
    const id = `${this.prefix}_${this.sites.length}`;
    this.sites.push(s);
    const n = s.states.length;
    let out = "";
    for (let i = 0; i < n; i++) out += `${ind}SAV_${id}[${i}] = ${this.slot(s.states[i])};\n`;
    for (let i = 0; i < n; i++) out += `${ind}XS_${id}[${i}] = ${this.slot(s.states[i])};\n`;
    out += `${ind}curK = k; curC = c;\n`;
    out +=
      `${ind}if (R.newtonSolve(WS_${id}, XS_${id}, VAL_${id}, res_${id}) !== 0) R.newtonFailed();\n`;
    out += `${ind}res_${id}();\n`;
    return out;
  }

  readonly sites: NewtonSolve[] = [];
  readonly kineticSites: KineticSolve[] = [];

  kinetic(s: KineticSolve, ind: string): string {
    const id = `${this.prefix}_${this.kineticSites.length}`;
    this.kineticSites.push(s);
    const n = s.states.length;
    const saveDt = this.dtExpr;
    if (s.dt !== undefined) this.dtExpr = num(s.dt);
    const i2 = ind + "  ";
    let out = `${ind}{\n${i2}const RHS = RHS_${id}, MAT = MAT_${id}, SAV = SAV_${id};\n`;
    out += `${i2}let bad = false;\n`;
    for (let i = 0; i < n; i++) out += `${i2}SAV[${i}] = ${this.slot(s.states[i])};\n`;
    const assemble = (pad: string) =>
      `${pad}RHS.fill(0); MAT.fill(0);\n` + this.stmts(s.assemble, pad);
    /** NEURON's sparse_thread(linflag); sets `bad` on a singular matrix or too many steps. */
    const solveOnce = (linflag: boolean, label: string, pad: string) => {
      const p2 = pad + "  ", p3 = pad + "    ";
      let b = `${pad}${label}: {\n${p2}let err = 1;\n${p2}for (let j = 0; err > 1e-6; j++) {\n`;
      b += assemble(p3);
      b += this.elimination(s.elimination, p3, label);
      b += `${p3}err = 0;\n`;
      for (let i = 0; i < n; i++) {
        const x = this.slot(s.states[i]);
        b += `${p3}${x} += RHS[${i}];\n`;
        if (!linflag) b += `${p3}if (${x} < 0) ${x} = 0;\n`;
        b += `${p3}err += Math.abs(RHS[${i}]);\n`;
      }
      b += `${p3}if (j > 20) { bad = true; break ${label}; }\n`;
      if (linflag) b += `${p3}break;\n`;
      b += `${p2}}\n`;
      b += assemble(p2);
      b += `${pad}}\n`;
      return b;
    };
    if (s.dt === undefined) {
      out += solveOnce(s.linear, `sp_${id}`, i2);
    } else if (s.linear) {
      out += solveOnce(false, `ss_${id}`, i2);
    } else {
      // _ss_sparse_thread, nonlinear scheme: up to 7 linear passes, then one nonlinear pass.
      const i3 = i2 + "  ";
      out += `${i2}for (let it = 0; it < 7; it++) {\n`;
      out += solveOnce(true, `ssl_${id}`, i3);
      out += `${i3}if (bad) break;\n${i3}let ok = true;\n`;
      for (let i = 0; i < n; i++) {
        const x = this.slot(s.states[i]);
        out += `${i3}if (${x} < -1e-6) { ${x} = 0; ok = false; }\n`;
      }
      out += `${i3}if (ok) {\n${solveOnce(false, `ssn_${id}`, i3 + "  ")}${i3}  break;\n${i3}}\n`;
      out += `${i2}}\n`;
    }
    out += `${ind}}\n`;
    this.dtExpr = saveDt;
    return out;
  }

  elimination(prog: readonly EliminationStep[], ind: string, label: string): string {
    let out = "";
    for (const st of prog) {
      if (st.op === "pivot") {
        out += `${ind}if (Math.abs(MAT[${
          idx(st.pivot)
        }]) <= 1e-20) { bad = true; break ${label}; }\n`;
      } else if (st.op === "eliminate") {
        out += `${ind}{ const r = MAT[${idx(st.sub)}] / MAT[${idx(st.pivot)}];\n`;
        out += `${ind}  RHS[${idx(st.subRow)}] -= RHS[${idx(st.pivotRow)}] * r;\n`;
        for (const [p, q] of st.pairs) out += `${ind}  MAT[${idx(q)}] -= MAT[${idx(p)}] * r;\n`;
        out += `${ind}}\n`;
      } else {
        for (const [e, col] of st.terms) {
          out += `${ind}RHS[${idx(st.row)}] -= MAT[${idx(e)}] * RHS[${idx(col)}];\n`;
        }
        out += `${ind}RHS[${idx(st.row)}] /= MAT[${idx(st.diag)}];\n`;
      }
    }
    return out;
  }
}

/** Whether a statement list needs the shared-locals mode (implicit solves). */
function hasImplicit(list: readonly Stmt[]): boolean {
  return list.some((s) =>
    s.op === "newton" || s.op === "kinetic" ||
    (s.op === "if" && (hasImplicit(s.then) || hasImplicit(s.otherwise))) ||
    (s.op === "table" && hasImplicit(s.direct))
  );
}

interface KernelSource {
  readonly name: string;
  readonly text: string;
  readonly module: string;
}

/** Bindings of the fields, node arrays and tables a kernel uses (shadowing module ones). */
function bindings(e: Emitter): string {
  const decl = e.letLocals ? "const " : "";
  let s = "";
  for (const f of [...e.fieldsUsed].sort((a, b) => a - b)) {
    s += `  ${decl}f${f} = ${isDerivedField(e.ir, f) ? "D" : "F"}[KF[${f}]];\n`;
  }
  for (const nIdx of [...e.nodesUsed].sort((a, b) => a - b)) {
    const prop = NODE_ARRAYS[e.ir.nodeVars[nIdx].name];
    s += `  ${decl}N${nIdx} = n.${prop};\n`;
  }
  if (e.tablesUsed.size > 0) s += `  checkTables(s, n);\n`;
  return s;
}

function localDecls(e: Emitter, count: number): string {
  if (!e.letLocals) return count > 0 ? `    L.fill(0);\n` : "";
  let s = "";
  for (let i = 0; i < count; i++) s += `    let l${i} = 0;\n`;
  return s;
}

function kernelSource(ir: MechanismIR, name: string, k: KernelIR, quiet = false): KernelSource {
  const e = new Emitter(ir, !hasImplicit(k.body), name);
  e.promote = e.letLocals;
  const body = e.stmts(k.body, "    ");
  const module = residualFunctions(e) + kineticScratch(e);
  let text =
    `function ${name}(s, n) {\n  const node = s.node, F = s.fields, D = s.derived, G = D[KG], T = D[KT], TM = D[KTM];\n`;
  text += `  const t = n.t, dt = n.dt, celsius = n.celsius;\n  const o = -1;\n`;
  if (!e.letLocals) {
    text += `  tK = t; dtK = dt; celK = celsius; GK = G; TK = T; TMK = TM; SK = s;\n`;
  }
  text += bindings(e);
  if (quiet) text += `  const Q = D[KQ];\n`;
  text += `  for (let k = 0; k < node.length; k++) {\n`;
  if (quiet) text += `    if (Q[k] === 1) continue;\n`;
  text += `    const c = node[k];\n`;
  text += localDecls(e, k.locals);
  text += e.promotedDecls("    ");
  text += body;
  text += `  }\n}\n`;
  return { name, text, module };
}

/** Module-level scratch and residual functions of the Newton sites of a kernel. */
function residualFunctions(e: Emitter): string {
  let s = "";
  e.sites.forEach((site, i) => {
    const n = site.states.length;
    const id = `${e.prefix}_${i}`;
    s += `const WS_${id} = R.newtonWorkspace(${n}), XS_${id} = new Float64Array(${n}), ` +
      `VAL_${id} = new Float64Array(${n}), SAV_${id} = new Float64Array(${n});\n`;
    // The residual reads the module bindings the kernel set (fields, node arrays, k, c, t, dt).
    const r = new Emitter(e.ir, false, `${id}r`);
    const dtS = site.dt === undefined ? "dt" : num(site.dt);
    r.dtExpr = dtS;
    const body = r.stmts(site.body, "  ");
    for (const f of r.fieldsUsed) e.fieldsUsed.add(f);
    for (const nd of r.nodesUsed) e.nodesUsed.add(nd);
    let fn =
      `function res_${id}() {\n  const k = curK, c = curC, t = tK, dt = dtK, celsius = celK, ` +
      `G = GK, T = TK, TM = TMK, s = SK, o = -1;\n`;
    for (let j = 0; j < n; j++) fn += `  ${r.slot(site.states[j])} = XS_${id}[${j}];\n`;
    fn += body;
    for (let j = 0; j < n; j++) {
      fn += `  VAL_${id}[${j}] = ${
        r.slot(site.derivs[j])
      } - (XS_${id}[${j}] - SAV_${id}[${j}]) / ${dtS};\n`;
    }
    fn += `}\n`;
    s += fn + residualFunctions(r) + kineticScratch(r);
  });
  return s;
}

function kineticScratch(e: Emitter): string {
  let s = "";
  e.kineticSites.forEach((site, i) => {
    const id = `${e.prefix}_${i}`;
    s += `const RHS_${id} = new Float64Array(${site.states.length}), ` +
      `MAT_${id} = new Float64Array(${site.elements.length}), SAV_${id} = new Float64Array(${site.states.length});\n`;
  });
  return s;
}

function currentSource(
  ir: MechanismIR,
  c: CurrentKernelIR,
  conductance: "analytic" | "numeric",
  quiet: boolean,
): KernelSource {
  const e = new Emitter(ir, true);
  e.promote = true;
  const vNode = ir.nodeVars.findIndex((n) => n.kind === "v");
  const pro = e.stmts(c.prologue, "    ");
  const body = e.stmts(c.body, "    ");
  const vSlot = e.slot(c.v);
  const locals = c.locals;
  const sum = c.currents.map((s) => e.slot(s));
  const total = sum.length === 0 ? "0" : sum.reduce((acc, x) => `(${acc} + ${x})`, "0");
  const analytic = conductance === "analytic" && c.conductance !== undefined;
  const point = ir.kind === "point";
  const areaSlot = c.area === undefined ? undefined : e.slot(c.area);
  let inner = pro;
  const vRef = vNode >= 0 ? e.nodeRef(vNode) : "n.v[c]";
  if (analytic) {
    inner += `    ${vSlot} = ${vRef};\n${body}`;
    inner += `    let rhs = ${total};\n    let g = ${e.expr(c.conductance!)};\n`;
  } else {
    inner += `    ${vSlot} = ${vRef} + 0.001;\n${body}    let g = ${total};\n`;
    inner += `    ${vSlot} = ${vRef};\n${body}    let rhs = ${total};\n`;
    inner += `    g = (g - rhs) / 0.001;\n`;
  }
  if (point) {
    inner += `    g *= 100 / ${areaSlot};\n    rhs *= 100 / ${areaSlot};\n`;
  }
  const op = c.electrode ? "-=" : "+=";
  inner += `    NI[c] ${op} rhs;\n    NG[c] ${op} g;\n`;
  for (const ic of c.ionCurrents) {
    const nv = ir.nodeVars[ic.node];
    if (NODE_SINKS.has(nv.name)) continue;
    const value = point ? `(${e.slot(ic.slot)} * 100) / ${areaSlot}` : e.slot(ic.slot);
    inner += `    ${e.nodeRef(ic.node)} += ${value};\n`;
  }
  let text =
    `function current(s, n) {\n  const node = s.node, F = s.fields, D = s.derived, G = D[KG], T = D[KT], TM = D[KTM];\n`;
  text += `  const t = n.t, dt = n.dt, celsius = n.celsius, NI = n.i, NG = n.g;\n  const o = -1;\n`;
  text += bindings(e);
  if (quiet) text += `  const Q = D[KQ];\n`;
  text += `  for (let k = 0; k < node.length; k++) {\n`;
  if (quiet) text += `    if (Q[k] === 1) continue;\n`;
  text += `    const c = node[k];\n`;
  text += localDecls(e, locals);
  text += e.promotedDecls("    ");
  text += inner;
  text += `  }\n}\n`;
  return { name: "current", text, module: "" };
}

function netReceiveSource(
  ir: MechanismIR,
  name: string,
  body: readonly Stmt[],
  locals: number,
): KernelSource {
  const e = new Emitter(ir, true);
  e.promote = true;
  const code = e.stmts(body, "  ");
  let text =
    `function ${name}(s, n, k, W, o, flag) {\n  const node = s.node, F = s.fields, D = s.derived, G = D[KG], T = D[KT], TM = D[KTM];\n`;
  text += `  const t = n.t, dt = n.dt, celsius = n.celsius;\n  const c = node[k];\n`;
  text += bindings(e);
  for (let i = 0; i < locals; i++) text += `  let l${i} = 0;\n`;
  text += e.promotedDecls("  ");
  text += code + `}\n`;
  return { name, text, module: "" };
}

function tableSource(ir: MechanismIR): string {
  const lay = tableLayout(ir);
  let s =
    `function checkTables(s, n) {\n  const D = s.derived, G = D[KG], T = D[KT], TM = D[KTM];\n`;
  s += `  const t = n.t, dt = n.dt, celsius = n.celsius;\n`;
  s += `  if (G[${idx(ir.usetable)}] === 0) return;\n`;
  ir.tables.forEach((tb: TableIR, i) => {
    const e = new Emitter(ir, true);
    const dep = tb.depend.map((d) => e.slot(d));
    const m = lay.metaOffsets[i];
    const changed = dep.length === 0
      ? `TM[${m + 2}] === 0`
      : `TM[${m + 2}] === 0 || ${dep.map((d, j) => `TM[${m + 3 + j}] !== ${d}`).join(" || ")}`;
    s += `  if (${changed}) {\n`;
    s += `    const tmin = ${e.expr(tb.from)}, tmax = ${e.expr(tb.to)};\n`;
    s += `    const dx = (tmax - tmin) / ${num(tb.points - 1)};\n    TM[${m}] = tmin; TM[${
      m + 1
    }] = 1 / dx;\n`;
    s += `    for (let i = 0, x = tmin; i < ${tb.points}; x += dx, i++) {\n`;
    for (let j = 0; j < tb.locals; j++) s += `      let l${j} = 0;\n`;
    s += `      ${e.slot(tb.arg)} = x;\n`;
    s += e.stmts(tb.build, "      ");
    tb.outputs.forEach((o, c) => {
      s += `      T[${idx(lay.offsets[i] + c * tb.points)} + i] = ${e.slot(o)};\n`;
    });
    s += `    }\n    TM[${m + 2}] = 1;\n`;
    dep.forEach((d, j) => (s += `    TM[${m + 3 + j}] = ${d};\n`));
    s += `  }\n`;
  });
  return s + `}\n`;
}

/**
 * The gate function of a fast-mode plan: `(vArg, cArg, dt, celsius, G, U, out)` writes x∞ and
 * 1 − exp(dt·de) of gate i into out[2i], out[2i + 1], for v = vArg and the concentration cArg,
 * with globals `G` and the (instance-independent) RANGE parameters `U[field]`.
 */
export type GateFunction = (
  vArg: number,
  cArg: number,
  dt: number,
  celsius: number,
  G: Float64Array,
  U: Float64Array,
  out: Float64Array,
) => void;

/**
 * Compiles the gate function of a fast-mode plan (see _gate_tables.ts).
 *
 * @param ir the mechanism
 * @param body the plan's gate body
 * @param locals number of locals of the body
 * @returns the function
 */
export function generateGateFunction(
  ir: MechanismIR,
  body: readonly Stmt[],
  locals: number,
): GateFunction {
  const e = new Emitter(ir, true, "gate");
  e.uniformFields = true;
  const code = e.stmts(body, "  ");
  let src = `"use strict";\nconst EXP700 = Math.exp(700);\n`;
  src += `function nexp(x) { return x < -700 ? 0 : x > 700 ? EXP700 : Math.exp(x); }\n`;
  src += `return function gate(vArg, cArg, dt, celsius, G, U, out) {\n  const t = NaN;\n`;
  for (let i = 0; i < locals; i++) src += `  let l${i} = 0;\n`;
  src += code + `};\n`;
  const runtime = Object.freeze({ fmin, fmax });
  return new Function("R", src)(runtime) as GateFunction;
}

/**
 * Generates and compiles the kernels of a mechanism.
 *
 * @param ir the mechanism
 * @param options conductance mode
 * @returns the kernels and their source
 * @throws InputValueError if the IR needs a node array today's solver does not have
 */
export function generateJs(ir: MechanismIR, options: JsBackendOptions = {}): GeneratedMechanism {
  for (const nv of ir.nodeVars) {
    if (NODE_ARRAYS[nv.name] === undefined && !NODE_SINKS.has(nv.name)) {
      throw new InputValueError(
        { file: ir.file, key: "USEION" },
        `Mechanism ${ir.name} uses ${nv.name}, which simrun's solver does not provide yet (available: ${
          Object.keys(NODE_ARRAYS).join(", ")
        }, and the currents ina, ik)`,
      );
    }
  }
  const parts: KernelSource[] = [];
  parts.push(kernelSource(ir, "init", ir.init));
  const quiet = options.quiet === true;
  parts.push(kernelSource(ir, "advance", ir.advance, quiet));
  parts.push(kernelSource(ir, "prepare", ir.prepare));
  if (ir.current) {
    parts.push(currentSource(ir, ir.current, options.conductance ?? "analytic", quiet));
  }
  if (ir.netReceive) {
    parts.push(netReceiveSource(ir, "netReceive", ir.netReceive.body, ir.netReceive.locals));
    if (ir.netReceive.initial.length > 0) {
      parts.push(
        netReceiveSource(ir, "netReceiveInit", ir.netReceive.initial, ir.netReceive.locals),
      );
    }
  }
  const maxLocals = Math.max(ir.init.locals, ir.advance.locals, 1);
  let src = `"use strict";\nlet curK = 0, curC = 0, tK = 0, dtK = 0, celK = 0, GK, TK, TMK, SK;\n`;
  // Field and slot names are data (R.names), indexed by the code; none is spelled in it.
  src += `const KF = R.names, KG = R.globalsSlot, KT = R.tablesSlot, KTM = R.tableMetaSlot, ` +
    `KQ = R.quietSlot;\n`;
  src += `const EXP700 = Math.exp(700);\n`;
  src += `function nexp(x) { return x < -700 ? 0 : x > 700 ? EXP700 : Math.exp(x); }\n`;
  src += `const L = new Float64Array(${maxLocals});\n`;
  // Module bindings used by implicit kernels and their residual functions.
  if (ir.fields.length > 0) src += `let ${ir.fields.map((_, i) => `f${i}`).join(", ")};\n`;
  if (ir.nodeVars.length > 0) src += `let ${ir.nodeVars.map((_, i) => `N${i}`).join(", ")};\n`;
  // Kernels first (they record residual sites), then module scratch.
  const kernels = parts.map((p) => p.text).join("\n");
  src += parts.map((p) => p.module).join("");
  src += ir.tables.length > 0 ? tableSource(ir) : "";
  src += kernels;
  src += `return { init, prepare, advance, current: ${ir.current ? "current" : "undefined"}, ` +
    `netReceive: ${ir.netReceive ? "netReceive" : "undefined"}, ` +
    `netReceiveInit: ${
      ir.netReceive && ir.netReceive.initial.length > 0 ? "netReceiveInit" : "undefined"
    } };\n`;
  const runtime = Object.freeze({
    names: Object.freeze(ir.fields.map((f) => f.name)),
    globalsSlot: GLOBALS_SLOT,
    tablesSlot: TABLES_SLOT,
    tableMetaSlot: TABLE_META_SLOT,
    quietSlot: QUIET_FLAGS_SLOT,
    newtonSolve,
    newtonWorkspace,
    fmin,
    fmax,
    send(s: MechanismInstances, k: number, time: number, flag: number, o: number): void {
      pushSelfEvent(s.derived, k, time, flag, o);
    },
    exponential(s: MechanismInstances, k: number): number {
      const r = s.random?.[k];
      if (r === undefined) {
        throw new RangeError(
          `Mechanism ${ir.name}: instance ${k} draws a random number but has no random stream`,
        );
      }
      return -Math.log(1 - r());
    },
    newtonFailed(): never {
      throw new RangeError(
        `Mechanism ${ir.name}: the derivimplicit Newton iteration failed (NEURON aborts the run here)`,
      );
    },
  });
  const factory = new Function("R", src) as (r: typeof runtime) => {
    init: GeneratedKernel;
    prepare: GeneratedKernel;
    advance: GeneratedKernel;
    current: GeneratedKernel | undefined;
    netReceive: GeneratedNetReceive | undefined;
    netReceiveInit: GeneratedNetReceive | undefined;
  };
  const k = factory(runtime);
  return { ...k, source: src };
}
