/**
 * Semantic analysis: syntax tree → {@link MechanismIR}. Classifies every name (parameter,
 * global, range, state, assigned, ion variable, local, constant), resolves names to slots,
 * inlines PROCEDURE and FUNCTION calls (refusing recursion), lowers SOLVE blocks (cnexp in
 * nocmodl's form, derivimplicit and sparse as structured solves), TABLEs, NET_RECEIVE and
 * NEURON's ion read/write protocol, and refuses everything outside the supported subset with one
 * line naming file, line, column and construct.
 *
 * @module
 */
import { InputValueError } from "../../io/mod.ts";
import type { AstDecl, AstExpr, AstFile, AstProc, AstStmt, AstTerm, Pos } from "./_ast.ts";
import { cnexpUnsupported, cnexpUpdate } from "./_diffeq.ts";
import { LIMITS } from "./_limits.ts";
import { eliminationProgram } from "./_sparse.ts";
import { unitConstant } from "./_units.ts";
import {
  isCommentOnly,
  ISF_ERAND_HEAD,
  ISF_ERAND_TAIL,
  ISF_RANDOM_DECLARATIONS,
  ISF_SET_RNG,
  normalizeC,
} from "./_verbatim.ts";
import type {
  CurrentKernelIR,
  EliminationStep,
  Expr,
  FieldIR,
  GlobalIR,
  IonIR,
  KernelIR,
  MathFunction,
  MechanismIR,
  NetReceiveIR,
  NodeVarIR,
  Slot,
  Stmt,
  TableIR,
} from "./ir.ts";

const MATH: ReadonlySet<string> = new Set<MathFunction>([
  "exp",
  "log",
  "log10",
  "fabs",
  "sqrt",
  "pow",
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
  "fmod",
  "fmin",
  "fmax",
]);
const MATH_ARITY: Readonly<Record<string, number>> = {
  pow: 2,
  atan2: 2,
  fmod: 2,
  fmin: 2,
  fmax: 2,
};

/** Names that are NEURON built-ins when declared in PARAMETER/ASSIGNED. */
const SPECIAL = new Set(["v", "t", "dt", "celsius", "area", "diam", "secondorder"]);

/** nocmodl's predefined constant. */
const PI = 3.14159265358979323846;

type Sym =
  | { readonly kind: "field"; readonly index: number }
  | { readonly kind: "global"; readonly index: number; readonly writable: boolean }
  | { readonly kind: "constant"; readonly value: number }
  | { readonly kind: "ionRead"; readonly node: number }
  | { readonly kind: "builtin"; readonly name: "t" | "dt" | "celsius" }
  | { readonly kind: "v" }
  | { readonly kind: "area" }
  | { readonly kind: "array"; readonly elements: readonly number[] }; // top-level LOCAL array

/** Per-kernel lowering state: locals, scopes, the kernel's own bindings. */
class Kernel {
  locals = 0;
  readonly scopes: Map<string, Slot | Slot[]>[] = [new Map()];
  /** Binding of `v`, ion reads and `area` in this kernel. */
  readonly special = new Map<string, Slot>();
  /** NET_RECEIVE: argument names → slots. */
  readonly args = new Map<string, Slot>();
  /** Inside NET_RECEIVE (flag, net_send allowed with args). */
  netReceive = false;
  /** Building a table: fields and kernel specials are not reachable. */
  tableBuild = false;

  local(): Slot {
    return { space: "local", index: this.locals++ };
  }
  lookup(name: string): Slot | Slot[] | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = this.scopes[i].get(name);
      if (s !== undefined) return s;
    }
    return undefined;
  }
}

/** One DERIVATIVE/KINETIC block used by SOLVE. */
type SolveKind = "cnexp" | "derivimplicit" | "sparse" | "procedure";

/**
 * Analyses a parsed `.mod` file.
 *
 * @param ast the syntax tree
 * @returns the mechanism's IR
 * @throws InputValueError (file, line, column, construct) for anything outside the subset
 */
export function analyze(ast: AstFile): MechanismIR {
  return new Analyzer(ast).run();
}

class Analyzer {
  readonly ast: AstFile;
  readonly file: string;
  readonly fields: FieldIR[] = [];
  readonly globals: GlobalIR[] = [];
  readonly nodeVars: NodeVarIR[] = [];
  readonly ions: IonIR[] = [];
  readonly syms = new Map<string, Sym>();
  readonly procs = new Map<string, AstProc>();
  readonly tables: TableIR[] = [];
  readonly tableOf = new Map<string, number>();
  readonly warnings: string[] = [];
  readonly inlining: string[] = [];
  readonly writtenConc: { field: number; node: number; name: string }[] = [];
  readonly ionReads: { name: string; node: number }[] = [];
  nodeCount = 0;
  usetable = -1;
  random = false;
  kind: "density" | "point" = "density";

  constructor(ast: AstFile) {
    this.ast = ast;
    this.file = ast.file;
  }

  fail(pos: Pos, construct: string, message: string): never {
    throw new InputValueError(
      { file: this.file, line: pos.line, column: pos.column, key: construct },
      message,
    );
  }

  count(n = 1): void {
    this.nodeCount += n;
    if (this.nodeCount > LIMITS.irNodes) {
      this.fail(
        this.ast.neuronPos,
        "size",
        `Mechanism too large after inlining PROCEDURE/FUNCTION calls (more than ${LIMITS.irNodes} operations)`,
      );
    }
  }

  nodeVar(name: string, kind: NodeVarIR["kind"], ion: string | undefined): number {
    const i = this.nodeVars.findIndex((n) => n.name === name);
    if (i >= 0) return i;
    this.nodeVars.push({ name, kind, ion });
    return this.nodeVars.length - 1;
  }

  addField(f: FieldIR): number {
    this.fields.push(f);
    return this.fields.length - 1;
  }

  addGlobal(g: GlobalIR): number {
    this.globals.push(g);
    return this.globals.length - 1;
  }

  declare(name: string, sym: Sym, pos: Pos, construct: string): void {
    if (this.syms.has(name)) this.fail(pos, construct, `"${name}" is declared twice`);
    this.syms.set(name, sym);
  }

  // ================================================================= declarations
  run(): MechanismIR {
    const ast = this.ast;
    const nb = ast.neuron;
    if (nb.name === undefined || nb.kind === undefined) {
      this.fail(ast.neuronPos, "NEURON", "No SUFFIX or POINT_PROCESS in the NEURON block");
    }
    if (nb.kind === "ARTIFICIAL_CELL") {
      this.fail(
        nb.name.pos,
        "ARTIFICIAL_CELL",
        `ARTIFICIAL_CELL ${nb.name.name} is not supported (spike sources come from the network)`,
      );
    }
    this.kind = nb.kind === "POINT_PROCESS" ? "point" : "density";
    for (const u of nb.unsupported) {
      this.fail(u.pos, u.construct, `${u.construct} in the NEURON block is not supported`);
    }
    for (const u of ast.unsupported) {
      this.fail(u.pos, u.construct, `The ${u.construct} block is not supported`);
    }
    // POINTER and top-level VERBATIM: only ISF's Random-object pattern.
    for (const p of nb.pointer) {
      if (p.name !== "rng") {
        this.fail(p.pos, "POINTER", `POINTER ${p.name} is not supported`);
      }
      this.random = true;
    }
    for (const v of ast.verbatim) {
      if (isCommentOnly(v.text)) continue;
      if (this.random && normalizeC(v.text) === ISF_RANDOM_DECLARATIONS) continue;
      this.fail(
        v.pos,
        "VERBATIM",
        "VERBATIM C code is not supported (only comments, or the Random-stream pattern of ISF's ProbAMPANMDA2/ProbUDFsyn2)",
      );
    }
    for (const p of ast.procs) {
      if (this.procs.has(p.name)) this.fail(p.pos, p.kind, `"${p.name}" is defined twice`);
      this.procs.set(p.name, p);
    }
    this.declareAll();
    const init = this.lowerInit();
    const { current, advance } = this.lowerBreakpoint();
    const netReceive = this.lowerNetReceive();
    return {
      name: nb.name.name,
      kind: this.kind,
      file: this.file,
      title: ast.title,
      fields: this.fields,
      globals: this.globals,
      ions: this.ions,
      nodeVars: this.nodeVars,
      usetable: this.usetable,
      tables: this.tables,
      init,
      prepare: { locals: 0, body: [] },
      current,
      advance,
      netReceive,
      random: this.random ? { source: "isfRandomPointer" } : undefined,
      writesConcentration: this.writtenConc.map((w) => w.name),
      warnings: this.warnings,
    };
  }

  declareAll(): void {
    const ast = this.ast;
    const nb = ast.neuron;
    const range = new Set(nb.range.map((r) => r.name));
    const global = new Set(nb.global.map((r) => r.name));
    const netArgs = new Set((ast.netReceive?.args ?? []).map((a) => a.name));
    // Ion variables.
    const ionVar = new Map<string, { ion: string; kind: NodeVarIR["kind"]; write: boolean }>();
    for (const u of nb.ions) {
      const reads: string[] = [];
      const writes: string[] = [];
      for (const [list, write] of [[u.read, false], [u.write, true]] as const) {
        for (const n of list) {
          const kind = ionVarKind(n.name, u.ion);
          if (kind === undefined) {
            this.fail(n.pos, "USEION", `"${n.name}" is not a variable of ion ${u.ion}`);
          }
          if (kind === "concentrationOut" && write) {
            this.fail(
              n.pos,
              "USEION",
              `Writing ${n.name} (an outside concentration) is not supported`,
            );
          }
          if (kind === "reversal" && write) {
            this.fail(n.pos, "USEION", `Writing ${n.name} (a reversal potential) is not supported`);
          }
          const prev = ionVar.get(n.name);
          ionVar.set(n.name, { ion: u.ion, kind, write: write || (prev?.write ?? false) });
          (write ? writes : reads).push(n.name);
        }
      }
      this.ions.push({ ion: u.ion, valence: u.valence, reads, writes });
    }
    const declared = new Map<string, { decl: AstDecl; block: string }>();
    for (
      const [block, list] of [
        ["PARAMETER", ast.parameters],
        ["ASSIGNED", ast.assigned],
        ["STATE", ast.states],
        ["CONSTANT", ast.constants],
      ] as const
    ) {
      for (const d of list) {
        if (d.size !== undefined) {
          this.fail(d.pos, block, `Array variable ${d.name}[${d.size}] is not supported`);
        }
        if (SPECIAL.has(d.name) || ionVar.has(d.name)) {
          if (block === "STATE" && ionVar.has(d.name)) {
            // An ion concentration as STATE: handled below.
          } else if (d.name === "diam") {
            this.fail(d.pos, block, "diam is not supported");
          } else if (d.name === "area" && this.kind !== "point") {
            this.fail(d.pos, block, "area is supported in a POINT_PROCESS only");
          } else continue;
        }
        if (declared.has(d.name) && !(block === "STATE" && ionVar.has(d.name))) {
          this.fail(d.pos, block, `"${d.name}" is declared twice`);
        }
        declared.set(d.name, { decl: d, block });
      }
    }
    // Named unit constants.
    for (const u of ast.units) {
      if (u.name === undefined) continue;
      let value: { modern: number; legacy: number } | undefined;
      if (u.value !== undefined) value = { modern: u.value, legacy: u.value };
      else if (u.to !== undefined) value = unitConstant(u.from, u.to);
      if (value === undefined) {
        this.fail(
          u.pos,
          "UNITS",
          `Unsupported unit constant ${u.name} = (${u.from}) (${
            u.to ?? ""
          }); supported: (faraday), (k-mole), (R), (mole), (k), (e), (pi) in NEURON's units`,
        );
      }
      if (value.modern === value.legacy) {
        this.declare(u.name, { kind: "constant", value: value.modern }, u.pos, "UNITS");
      } else {
        const index = this.addGlobal({
          name: u.name,
          role: "unitConstant",
          unit: u.to ?? "",
          value: value.modern,
          legacyValue: value.legacy,
        });
        this.declare(u.name, { kind: "global", index, writable: false }, u.pos, "UNITS");
      }
    }
    for (const [name, { decl, block }] of declared) {
      const unit = decl.units ?? "";
      if (block === "CONSTANT") {
        if (decl.value === undefined) this.fail(decl.pos, block, `CONSTANT ${name} has no value`);
        this.declare(name, { kind: "constant", value: decl.value }, decl.pos, block);
        continue;
      }
      if (block === "PARAMETER") {
        const value = decl.value ?? 0;
        if (range.has(name)) {
          const index = this.addField({ name, role: "parameter", unit, value, visible: true });
          this.declare(name, { kind: "field", index }, decl.pos, block);
        } else {
          const index = this.addGlobal({
            name,
            role: "parameter",
            unit,
            value,
            legacyValue: value,
          });
          this.declare(name, { kind: "global", index, writable: true }, decl.pos, block);
        }
        continue;
      }
      if (block === "STATE") {
        if (global.has(name)) this.fail(decl.pos, block, `STATE ${name} cannot be GLOBAL`);
        const iv = ionVar.get(name);
        const index = this.addField({ name, role: "state", unit, value: 0, visible: true });
        this.declare(name, { kind: "field", index }, decl.pos, block);
        if (iv !== undefined) {
          if (!iv.write || (iv.kind !== "concentrationIn")) {
            this.fail(
              decl.pos,
              block,
              `STATE ${name} is an ion variable the mechanism does not WRITE`,
            );
          }
          this.writtenConc.push({ field: index, node: this.nodeVar(name, iv.kind, iv.ion), name });
        } else {
          const g = this.addGlobal({
            name: `${name}0`,
            role: "stateInit",
            unit,
            value: 0,
            legacyValue: 0,
          });
          this.stateInit.push({ field: index, global: g });
        }
        continue;
      }
      // ASSIGNED
      if (global.has(name)) {
        const index = this.addGlobal({ name, role: "assigned", unit, value: 0, legacyValue: 0 });
        this.declare(name, { kind: "global", index, writable: true }, decl.pos, block);
      } else {
        const visible = range.has(name) || nb.nonspecific.some((c) => c.name === name) ||
          nb.electrode.some((c) => c.name === name);
        const isRng = this.random && name === "rng";
        const index = this.addField({
          name: isRng ? "_rng" : name,
          role: isRng ? "internal" : "assigned",
          unit,
          value: 0,
          visible: visible && !isRng,
        });
        this.declare(name, { kind: "field", index }, decl.pos, block);
      }
    }
    // Ion variables not declared as STATE.
    for (const [name, iv] of ionVar) {
      if (this.syms.has(name)) continue;
      const node = this.nodeVar(name, iv.kind, iv.ion);
      if (iv.write) {
        // Written currents / concentrations are per-instance values (NEURON: in _p).
        const index = this.addField({
          name,
          role: "assigned",
          unit: ast.assigned.find((d) => d.name === name)?.units ?? "",
          value: 0,
          visible: true,
        });
        this.syms.set(name, { kind: "field", index });
        if (iv.kind === "concentrationIn") this.writtenConc.push({ field: index, node, name });
        if (iv.kind === "current") this.ionCurrentFields.push({ field: index, node });
      } else {
        this.syms.set(name, { kind: "ionRead", node });
        this.ionReads.push({ name, node });
      }
    }
    // Top-level LOCAL: mechanism-wide scratch.
    for (const l of this.ast.locals) {
      if (l.size !== undefined) {
        const elements: number[] = [];
        for (let i = 0; i < l.size; i++) {
          elements.push(
            this.addGlobal({
              name: `${l.name}[${i}]`,
              role: "local",
              unit: "",
              value: 0,
              legacyValue: 0,
            }),
          );
        }
        this.declare(l.name, { kind: "array", elements }, l.pos, "LOCAL");
      } else {
        const index = this.addGlobal({
          name: l.name,
          role: "local",
          unit: "",
          value: 0,
          legacyValue: 0,
        });
        this.declare(l.name, { kind: "global", index, writable: true }, l.pos, "LOCAL");
      }
    }
    // RANGE / GLOBAL names must exist.
    for (const r of [...nb.range, ...nb.global]) {
      if (this.syms.has(r.name) || SPECIAL.has(r.name)) continue;
      if (netArgs.has(r.name)) continue; // shadowed by a NET_RECEIVE argument (ISF's "u")
      // nocmodl ignores a RANGE/GLOBAL name that is never declared; so do we, with a note.
      this.warnings.push(
        `${this.file}:${r.pos.line}: RANGE/GLOBAL ${r.name} is not declared (ignored, as by nocmodl)`,
      );
    }
    for (const c of [...nb.nonspecific, ...nb.electrode]) {
      const s = this.syms.get(c.name);
      if (s === undefined || s.kind !== "field") {
        this.fail(
          c.pos,
          "NONSPECIFIC_CURRENT",
          `Current ${c.name} must be an ASSIGNED RANGE variable`,
        );
      }
    }
    if (
      nb.electrode.length > 0 && (nb.nonspecific.length > 0 || this.ionCurrentFields.length > 0)
    ) {
      this.fail(
        nb.electrode[0].pos,
        "ELECTRODE_CURRENT",
        "ELECTRODE_CURRENT mixed with membrane currents is not supported",
      );
    }
    if (this.kind === "point" && this.procsUseArea()) this.syms.set("area", { kind: "area" });
    this.syms.set("v", { kind: "v" });
    for (const b of ["t", "dt", "celsius"] as const) this.syms.set(b, { kind: "builtin", name: b });
    if (!this.syms.has("PI")) this.syms.set("PI", { kind: "constant", value: PI });
    for (const p of this.procs.values()) {
      const s = this.syms.get(p.name);
      if (s !== undefined && p.kind !== "FUNCTION") {
        this.fail(p.pos, p.kind, `"${p.name}" is both a variable and a ${p.kind}`);
      }
    }
  }

  readonly stateInit: { field: number; global: number }[] = [];
  readonly ionCurrentFields: { field: number; node: number }[] = [];

  procsUseArea(): boolean {
    return this.ast.assigned.some((d) => d.name === "area") ||
      this.ast.parameters.some((d) => d.name === "area");
  }

  // ================================================================= kernels
  /** Loads of v, ion reads and written concentrations at the start of a kernel. */
  prologue(k: Kernel, out: Stmt[]): void {
    const v = k.local();
    k.special.set("v", v);
    out.push({ op: "loadNode", slot: v, node: this.nodeVar("v", "v", undefined) });
    this.ionPrologue(k, out);
  }

  ionPrologue(k: Kernel, out: Stmt[]): void {
    for (const r of this.ionReads) {
      const s = k.local();
      k.special.set(r.name, s);
      out.push({ op: "loadNode", slot: s, node: r.node });
    }
    for (const w of this.writtenConc) {
      out.push({ op: "loadNode", slot: { space: "field", index: w.field }, node: w.node });
    }
    if (this.syms.get("area")?.kind === "area") {
      const a = k.local();
      k.special.set("area", a);
      out.push({ op: "loadNode", slot: a, node: this.nodeVar("area", "area", undefined) });
    }
  }

  storeConcentrations(out: Stmt[]): void {
    for (const w of this.writtenConc) {
      out.push({
        op: "storeNode",
        node: w.node,
        value: { op: "read", slot: { space: "field", index: w.field } },
      });
    }
  }

  lowerInit(): KernelIR {
    const k = new Kernel();
    const out: Stmt[] = [];
    this.prologue(k, out);
    for (const s of this.stateInit) {
      out.push({
        op: "assign",
        slot: { space: "field", index: s.field },
        value: { op: "read", slot: { space: "global", index: s.global } },
      });
    }
    if (this.ast.initial) this.lowerBlock(this.ast.initial, k, out, "INITIAL");
    this.storeConcentrations(out);
    return { locals: k.locals, body: out };
  }

  lowerBreakpoint(): { current: CurrentKernelIR | undefined; advance: KernelIR } {
    const bp = this.ast.breakpoint ?? [];
    const solves = bp.filter((s) => s.kind === "solve");
    const rest = bp.filter((s) => s.kind !== "solve");
    const nb = this.ast.neuron;
    // Currents in the order of the NEURON block.
    const currentNames: { name: string; pos: Pos }[] = [];
    for (const u of nb.ions) {
      for (const w of u.write) {
        if (ionVarKind(w.name, u.ion) === "current") {
          currentNames.push({ name: w.name, pos: u.pos });
        }
      }
    }
    for (const c of [...nb.nonspecific, ...nb.electrode]) currentNames.push(c);
    currentNames.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
    const hasCurrent = currentNames.length > 0;
    // advance
    const ka = new Kernel();
    const adv: Stmt[] = [];
    this.prologue(ka, adv);
    for (const s of solves) {
      if (s.kind !== "solve") continue;
      this.lowerSolve(s, ka, adv, false);
    }
    if (!hasCurrent && rest.length > 0) this.lowerBlock(rest, ka, adv, "BREAKPOINT");
    this.storeConcentrations(adv);
    const advance: KernelIR = { locals: ka.locals, body: adv };
    if (!hasCurrent) return { current: undefined, advance };
    // current
    const kc = new Kernel();
    const prologue: Stmt[] = [];
    const v = kc.local();
    kc.special.set("v", v);
    this.ionPrologue(kc, prologue);
    const body: Stmt[] = [];
    this.lowerBlock(rest, kc, body, "BREAKPOINT");
    const currents: Slot[] = currentNames.map((c) => {
      const s = this.syms.get(c.name);
      if (s?.kind !== "field") this.fail(c.pos, "current", `Current ${c.name} is not assigned`);
      return { space: "field", index: s.index };
    });
    let area = kc.special.get("area");
    if (this.kind === "point" && area === undefined) {
      area = kc.local();
      prologue.push({ op: "loadNode", slot: area, node: this.nodeVar("area", "area", undefined) });
    }
    const current: CurrentKernelIR = {
      locals: kc.locals,
      prologue,
      v,
      area,
      body,
      currents,
      electrode: nb.electrode.length > 0,
      ionCurrents: this.ionCurrentFields.map((c) => ({
        slot: { space: "field", index: c.field },
        node: c.node,
      })),
      conductance: affineConductance(body, currents, v),
    };
    return { current, advance };
  }

  lowerSolve(s: AstStmt & { kind: "solve" }, k: Kernel, out: Stmt[], initial: boolean): void {
    const blk = this.procs.get(s.block);
    if (blk === undefined) this.fail(s.pos, "SOLVE", `SOLVE ${s.block}: no such block`);
    if (initial) {
      if (s.steadystate === undefined) {
        if (blk.kind === "PROCEDURE") {
          this.inlineCall(blk, [], k, out, s.pos);
          return;
        }
        this.fail(s.pos, "SOLVE", `SOLVE ${s.block} in INITIAL needs STEADYSTATE`);
      }
      if (blk.kind === "DERIVATIVE" && s.steadystate === "derivimplicit") {
        // nocmodl 8.2: the steady state runs the block as BREAKPOINT translated it, dt = 1e-9.
        const bp = this.breakpointMethod(s.block);
        if (bp === "derivimplicit") {
          this.fail(
            s.pos,
            "STEADYSTATE",
            `STEADYSTATE derivimplicit of ${s.block}, which BREAKPOINT also solves by derivimplicit: NEURON 8.2's nocmodl generates C that does not compile`,
          );
        }
        if (bp === "cnexp") {
          const mark = k.locals;
          const trial: Stmt[] = [];
          this.cnexpDt = { op: "const", value: 1e-9 };
          const ok = this.lowerOdeBlock(blk, k, trial);
          this.cnexpDt = undefined;
          if (ok) {
            out.push(...trial);
            return;
          }
          k.locals = mark;
          this.fail(
            s.pos,
            "STEADYSTATE",
            `STEADYSTATE derivimplicit of ${s.block}, which BREAKPOINT solves by derivimplicit (cnexp not possible): NEURON 8.2's nocmodl generates C that does not compile`,
          );
        }
        this.lowerDerivative(blk, k, out, "derivimplicit", 1e-9);
        return;
      }
      if (blk.kind === "KINETIC" && s.steadystate === "sparse") {
        this.lowerKinetic(blk, k, out, 1e9);
        return;
      }
      this.fail(
        s.pos,
        "STEADYSTATE",
        `STEADYSTATE ${s.steadystate} of ${blk.kind} ${s.block} is not supported`,
      );
    }
    if (s.steadystate !== undefined) {
      this.fail(s.pos, "STEADYSTATE", "STEADYSTATE belongs in INITIAL");
    }
    const method: SolveKind | undefined = blk.kind === "PROCEDURE"
      ? "procedure"
      : s.method === "cnexp" || s.method === "derivimplicit" || s.method === "sparse"
      ? s.method
      : undefined;
    if (method === "procedure") {
      if (s.method !== undefined) this.fail(s.pos, "METHOD", `METHOD ${s.method} of a PROCEDURE`);
      this.inlineCall(blk, [], k, out, s.pos);
      return;
    }
    if (blk.kind === "DERIVATIVE" && (method === "cnexp" || method === "derivimplicit")) {
      this.lowerDerivative(blk, k, out, method, undefined);
      return;
    }
    if (blk.kind === "KINETIC" && method === "sparse") {
      this.lowerKinetic(blk, k, out, undefined);
      return;
    }
    this.fail(
      s.pos,
      "METHOD",
      `SOLVE ${s.block} METHOD ${
        s.method ?? "(none)"
      } is not supported for a ${blk.kind} block (use cnexp or derivimplicit for DERIVATIVE, sparse for KINETIC)`,
    );
  }

  // ================================================================= DERIVATIVE
  lowerDerivative(
    blk: AstProc,
    k: Kernel,
    out: Stmt[],
    method: "cnexp" | "derivimplicit",
    dtOverride: number | undefined,
  ): void {
    this.guardRecursion(blk);
    const odes = collectOdes(blk.body);
    if (odes.length === 0) this.fail(blk.pos, "DERIVATIVE", "DERIVATIVE contains no derivatives");
    const seen = new Set<string>();
    for (const o of odes) {
      const s = this.syms.get(o.name);
      if (s?.kind !== "field" || this.fields[s.index].role !== "state") {
        this.fail(o.pos, "DERIVATIVE", `${o.name}' = …: ${o.name} is not a STATE`);
      }
      if (seen.has(o.name)) this.fail(o.pos, "DERIVATIVE", `Two equations for ${o.name}'`);
      seen.add(o.name);
    }
    if (method === "cnexp") {
      // Lower once to test nocmodl's translatability; fall back as nocmodl does.
      const trial: Stmt[] = [];
      const mark = k.locals;
      const ok = this.lowerOdeBlock(blk, k, trial);
      if (ok) {
        out.push(...trial);
        return;
      }
      k.locals = mark;
      this.warnings.push(
        `${this.file}:${blk.pos.line}: Could not translate ${blk.name} using cnexp method; using derivimplicit (as nocmodl)`,
      );
    }
    if (odes.length > LIMITS.implicitStates) {
      this.fail(
        blk.pos,
        "DERIVATIVE",
        `More than ${LIMITS.implicitStates} states in one implicit solve`,
      );
    }
    const derivs: Slot[] = odes.map(() => k.local());
    const states: Slot[] = odes.map((o) => {
      const s = this.syms.get(o.name) as { kind: "field"; index: number };
      return { space: "field", index: s.index };
    });
    const body: Stmt[] = [];
    this.odeTargets = new Map(odes.map((o, i) => [o.name, derivs[i]]));
    this.inlining.push(blk.name);
    const outer = k.scopes.splice(1);
    k.scopes.push(new Map());
    this.lowerStmts(blk.body, k, body, "DERIVATIVE");
    k.scopes.pop();
    k.scopes.push(...outer);
    this.inlining.pop();
    this.odeTargets = undefined;
    out.push({ op: "newton", states, derivs, body, dt: dtOverride });
  }

  odeTargets: Map<string, Slot> | undefined;
  /** dt of cnexp updates when not the simulation's (STEADYSTATE of a cnexp block: 1e-9). */
  cnexpDt: Expr | undefined;

  /** METHOD with which BREAKPOINT solves `block`, if it does. */
  breakpointMethod(block: string): string | undefined {
    for (const s of this.ast.breakpoint ?? []) {
      if (s.kind === "solve" && s.block === block) return s.method;
    }
    return undefined;
  }
  cnexpMode = false;

  /** Lowers a DERIVATIVE block with in-place cnexp updates; false if nocmodl would fall back. */
  lowerOdeBlock(blk: AstProc, k: Kernel, out: Stmt[]): boolean {
    this.inlining.push(blk.name);
    const outer = k.scopes.splice(1);
    k.scopes.push(new Map());
    this.cnexpMode = true;
    this.cnexpFailed = false;
    try {
      this.lowerStmts(blk.body, k, out, "DERIVATIVE");
    } finally {
      this.cnexpMode = false;
      k.scopes.pop();
      k.scopes.push(...outer);
      this.inlining.pop();
    }
    return !this.cnexpFailed;
  }

  cnexpFailed = false;

  lowerOde(s: AstStmt & { kind: "ode" }, k: Kernel, out: Stmt[]): void {
    const sym = this.syms.get(s.name);
    if (sym?.kind !== "field") this.fail(s.pos, "DERIVATIVE", `${s.name} is not a STATE`);
    const slot: Slot = { space: "field", index: sym.index };
    const f = this.lowerExpr(s.value, k, out);
    if (this.odeTargets !== undefined) {
      const d = this.odeTargets.get(s.name)!;
      out.push({ op: "assign", slot: d, value: f });
      return;
    }
    if (!this.cnexpMode) this.fail(s.pos, "DERIVATIVE", "An ODE outside a DERIVATIVE block");
    if (cnexpUnsupported(f, slot)) {
      this.fail(
        s.pos,
        "DERIVATIVE",
        `${s.name}' = …: a comparison or logical operator involving ${s.name} cannot be integrated by cnexp`,
      );
    }
    const update = cnexpUpdate(
      f,
      slot,
      this.cnexpDt ?? { op: "read", slot: { space: "builtin", name: "dt" } },
    );
    if (update === undefined) {
      this.cnexpFailed = true;
      return;
    }
    this.count(8);
    out.push({ op: "assign", slot, value: update });
  }

  // ================================================================= KINETIC
  lowerKinetic(blk: AstProc, k: Kernel, out: Stmt[], dtOverride: number | undefined): void {
    this.guardRecursion(blk);
    const reactions: (AstStmt & { kind: "reaction" | "flux" | "conserve" })[] = [];
    collectReactions(
      blk.body,
      reactions,
      (pos, what) =>
        this.fail(pos, "KINETIC", `${what} inside an if/else of a KINETIC block is not supported`),
    );
    if (reactions.length === 0) this.fail(blk.pos, "KINETIC", "KINETIC contains no reactions");
    const stateOf = (t: AstTerm): number | undefined => {
      const s = this.syms.get(t.name);
      if (s?.kind === "field" && this.fields[s.index].role === "state") return s.index;
      return undefined;
    };
    // nocmodl's term lists are reversed (built by prepending).
    const rev = (ts: AstTerm[]) => [...ts].reverse();
    const used = new Set<string>();
    for (const r of reactions) {
      const terms = r.kind === "reaction"
        ? [...r.lhs, ...r.rhs]
        : r.kind === "flux"
        ? [r.term]
        : r.terms;
      for (const t of terms) {
        if (stateOf(t) !== undefined) used.add(t.name);
        else if (r.kind === "conserve" || r.kind === "flux") {
          this.fail(t.pos, "KINETIC", `${t.name} must be a STATE`);
        } else if (this.syms.get(t.name) === undefined) {
          this.fail(t.pos, "KINETIC", `Unknown name "${t.name}" in a reaction`);
        }
      }
    }
    // Numbering: conservation diagonals first (conslist order = reverse source order).
    const varnum = new Map<string, number>();
    const conserves = reactions.filter((r) => r.kind === "conserve") as (AstStmt & {
      kind: "conserve";
    })[];
    const consEq: { c: (typeof conserves)[number]; eq: number }[] = [];
    for (const c of [...conserves].reverse()) {
      const t = rev(c.terms).find((t) => !varnum.has(t.name));
      if (t === undefined) this.fail(c.pos, "CONSERVE", "Failed to diagonalize the kinetic matrix");
      varnum.set(t.name, varnum.size);
      consEq.push({ c, eq: varnum.get(t.name)! });
    }
    const ncons = varnum.size;
    const order = this.ast.nameOrder;
    const rest = [...used].filter((n) => !varnum.has(n)).sort((a, b) =>
      a.charCodeAt(0) - b.charCodeAt(0) || (order.get(b) ?? 0) - (order.get(a) ?? 0)
    );
    for (const n of rest) varnum.set(n, varnum.size);
    const nstate = varnum.size;
    if (nstate > LIMITS.implicitStates) {
      this.fail(
        blk.pos,
        "KINETIC",
        `More than ${LIMITS.implicitStates} states in one implicit solve`,
      );
    }
    const names = [...varnum.keys()].sort((a, b) => varnum.get(a)! - varnum.get(b)!);
    const states: Slot[] = names.map((n) => ({
      space: "field",
      index: stateOf({ name: n, count: 1, pos: blk.pos })!,
    }));
    // Matrix elements, in creation order.
    const elements: { row: number; col: number }[] = [];
    const elIndex = new Map<string, number>();
    const el = (r: number, c: number): number => {
      const key = `${r},${c}`;
      let i = elIndex.get(key);
      if (i === undefined) {
        i = elements.length;
        elements.push({ row: r, col: c });
        elIndex.set(key, i);
      }
      return i;
    };
    for (let i = 0; i < nstate; i++) el(i, i);
    const rhs = (i: number): Slot => ({ space: "rhs", index: i });
    const mat = (r: number, c: number): Slot => ({ space: "matrix", index: el(r, c) });
    const rd = (s: Slot): Expr => ({ op: "read", slot: s });
    const body: Stmt[] = [];
    // { dt1 = 1.0/dt; for i in ncons..nstate: RHS(i) = -dt1*(s_i - saved_i); MATELM(i,i) = dt1 }
    const dt1 = k.local();
    body.push({
      op: "assign",
      slot: dt1,
      value: { op: "div", a: { op: "const", value: 1 }, b: rd({ space: "builtin", name: "dt" }) },
    });
    for (let i = ncons; i < nstate; i++) {
      body.push({
        op: "assign",
        slot: rhs(i),
        value: {
          op: "mul",
          a: { op: "neg", arg: rd(dt1) },
          b: { op: "sub", a: rd(states[i]), b: rd({ space: "saved", index: i }) },
        },
      });
      body.push({ op: "assign", slot: mat(i, i), value: rd(dt1) });
    }
    const fFlux = k.local(), bFlux = k.local(), term = k.local();
    let linear = true;
    const emit = (stmts: AstStmt[]): void => {
      for (const s of stmts) {
        if (s.kind === "reaction") {
          const kf = this.lowerExpr(s.kf, k, body);
          const kb = this.lowerExpr(s.kb, k, body);
          const sides = [rev(s.lhs), rev(s.rhs)];
          const krate = [kf, kb];
          // f_flux = kf*A*B…; b_flux = kb*C…
          const product = (base: Expr, ts: AstTerm[], skip?: AstTerm): Expr => {
            let e = base;
            for (const t of ts) {
              const reps = t.count - (t === skip ? 1 : 0);
              for (let i = 0; i < reps; i++) {
                e = { op: "mul", a: e, b: this.readName(t.name, t.pos, k) };
              }
            }
            return e;
          };
          body.push({ op: "assign", slot: fFlux, value: product(kf, sides[0]) });
          body.push({ op: "assign", slot: bFlux, value: product(kb, sides[1]) });
          const net: Expr = { op: "sub", a: rd(fFlux), b: rd(bFlux) };
          for (let j = 0; j < 2; j++) {
            for (const t of sides[j]) {
              const vn = varnum.get(t.name);
              if (vn === undefined || vn < ncons) continue;
              const amount: Expr = t.count > 1
                ? { op: "mul", a: { op: "const", value: t.count }, b: net }
                : net;
              body.push({
                op: "assign",
                slot: rhs(vn),
                value: { op: j === 0 ? "sub" : "add", a: rd(rhs(vn)), b: amount },
              });
            }
          }
          // Matrix terms (genmatterms).
          for (let j = 0; j < 2; j++) {
            for (const t of sides[j]) {
              const col = varnum.get(t.name);
              if (col === undefined) continue;
              let base = krate[j];
              if (t.count !== 1) base = { op: "mul", a: base, b: { op: "const", value: t.count } };
              const others = sides[j];
              const termExpr = product(base, others, t);
              // nocmodl: any further factor in _term (state or not) makes the scheme nonlinear.
              if (others.some((o) => (o.count - (o === t ? 1 : 0)) > 0)) linear = false;
              body.push({ op: "assign", slot: term, value: termExpr });
              for (let j1 = 0; j1 < 2; j1++) {
                for (const t1 of sides[j1]) {
                  const row = varnum.get(t1.name);
                  if (row === undefined || row < ncons) continue;
                  const amount: Expr = t1.count !== 1
                    ? { op: "mul", a: { op: "const", value: t1.count }, b: rd(term) }
                    : rd(term);
                  const m = mat(row, col);
                  body.push({
                    op: "assign",
                    slot: m,
                    value: { op: j === j1 ? "add" : "sub", a: rd(m), b: amount },
                  });
                }
              }
            }
          }
          this.count(20);
        } else if (s.kind === "flux") {
          const vn = varnum.get(s.term.name)!;
          if (vn < ncons) this.fail(s.pos, "KINETIC", `${s.term.name} is conserved and has a flux`);
          const rate = this.lowerExpr(s.rate, k, body);
          body.push({ op: "assign", slot: fFlux, value: { op: "const", value: 0 } });
          body.push({ op: "assign", slot: bFlux, value: { op: "const", value: 0 } });
          if (s.direction === "out") {
            // RHS(i) -= (f_flux = (rate) * A); MATELM(i,i) += rate
            body.push({
              op: "assign",
              slot: fFlux,
              value: { op: "mul", a: rate, b: rd(states[vn]) },
            });
            body.push({
              op: "assign",
              slot: rhs(vn),
              value: { op: "sub", a: rd(rhs(vn)), b: rd(fFlux) },
            });
            const m = mat(vn, vn);
            body.push({ op: "assign", slot: m, value: { op: "add", a: rd(m), b: rate } });
          } else {
            body.push({ op: "assign", slot: bFlux, value: rate });
            body.push({
              op: "assign",
              slot: rhs(vn),
              value: { op: "add", a: rd(rhs(vn)), b: rd(bFlux) },
            });
          }
        } else if (s.kind === "conserve") {
          const eq = consEq.find((c) => c.c === s)!.eq;
          const value = this.lowerExpr(s.value, k, body);
          body.push({ op: "assign", slot: rhs(eq), value });
          for (const t of rev(s.terms)) {
            const col = varnum.get(t.name)!;
            body.push({ op: "assign", slot: mat(eq, col), value: { op: "const", value: t.count } });
            let sub: Expr = rd(states[col]);
            if (t.count !== 1) sub = { op: "mul", a: sub, b: { op: "const", value: t.count } };
            body.push({
              op: "assign",
              slot: rhs(eq),
              value: { op: "sub", a: rd(rhs(eq)), b: sub },
            });
          }
        } else if (s.kind === "block") {
          k.scopes.push(new Map());
          emit(s.body);
          k.scopes.pop();
        } else if (s.kind === "ode") {
          this.fail(s.pos, "KINETIC", "An ODE inside a KINETIC block is not supported");
        } else {
          this.lowerStmt(s, k, body, "KINETIC");
        }
      }
    };
    this.inlining.push(blk.name);
    const outer = k.scopes.splice(1);
    k.scopes.push(new Map());
    emit(blk.body);
    k.scopes.pop();
    k.scopes.push(...outer);
    this.inlining.pop();
    const structure = { n: nstate, elements };
    const elimination: EliminationStep[] = eliminationProgram(structure);
    out.push({
      op: "kinetic",
      states,
      elements: structure.elements,
      assemble: body,
      elimination,
      linear,
      dt: dtOverride,
    });
  }

  /** A name read inside a reaction (state or other value). */
  readName(name: string, pos: Pos, k: Kernel): Expr {
    return this.lowerExpr({ kind: "name", name, pos }, k, []);
  }

  // ================================================================= NET_RECEIVE
  lowerNetReceive(): NetReceiveIR | undefined {
    const nr = this.ast.netReceive;
    if (nr === undefined) return undefined;
    if (this.kind !== "point") {
      this.fail(nr.pos, "NET_RECEIVE", "NET_RECEIVE in a density mechanism");
    }
    const k = new Kernel();
    k.netReceive = true;
    nr.args.forEach((a, i) => {
      if (k.args.has(a.name)) this.fail(a.pos, "NET_RECEIVE", `Argument ${a.name} given twice`);
      k.args.set(a.name, { space: "arg", index: i });
    });
    const initial: Stmt[] = [];
    const body: Stmt[] = [];
    const pro: Stmt[] = [];
    this.prologue(k, pro);
    if (nr.initial) {
      initial.push(...pro);
      this.lowerBlock(nr.initial, k, initial, "NET_RECEIVE INITIAL");
    }
    body.push(...pro);
    this.lowerBlock(nr.body, k, body, "NET_RECEIVE");
    return { args: nr.args.map((a) => a.name), locals: k.locals, body, initial };
  }

  // ================================================================= statements
  lowerBlock(stmts: AstStmt[], k: Kernel, out: Stmt[], where: string): void {
    k.scopes.push(new Map());
    this.lowerStmts(stmts, k, out, where);
    k.scopes.pop();
  }

  lowerStmts(stmts: AstStmt[], k: Kernel, out: Stmt[], where: string): void {
    for (const s of stmts) this.lowerStmt(s, k, out, where);
  }

  lowerStmt(s: AstStmt, k: Kernel, out: Stmt[], where: string): void {
    this.count();
    switch (s.kind) {
      case "assign": {
        const value = this.lowerExpr(s.value, k, out);
        const slot = this.target(s.name, s.index, s.pos, k, out);
        out.push({ op: "assign", slot, value });
        return;
      }
      case "ode":
        if (where !== "DERIVATIVE") {
          this.fail(s.pos, where, `${s.name}' = … outside a DERIVATIVE block`);
        }
        this.lowerOde(s, k, out);
        return;
      case "if": {
        const cond = this.lowerExpr(s.cond, k, out);
        const then: Stmt[] = [];
        this.lowerBlock(s.then, k, then, where);
        const otherwise: Stmt[] = [];
        if (s.otherwise) this.lowerBlock(s.otherwise, k, otherwise, where);
        out.push({ op: "if", cond, then, otherwise });
        return;
      }
      case "local": {
        const scope = k.scopes[k.scopes.length - 1];
        for (const n of s.names) {
          if (n.size !== undefined) {
            if (n.size > 1024) {
              this.fail(n.pos, "LOCAL", `LOCAL array ${n.name}[${n.size}] is too large`);
            }
            scope.set(n.name, Array.from({ length: n.size }, () => k.local()));
          } else scope.set(n.name, k.local());
        }
        return;
      }
      case "call":
        this.lowerCall(s.call, k, out, false);
        return;
      case "solve":
        if (where === "INITIAL") {
          this.lowerSolve(s, k, out, true);
          return;
        }
        this.fail(s.pos, "SOLVE", `SOLVE in ${where} is not supported`);
        return;
      case "table":
        this.fail(s.pos, "TABLE", "TABLE must be in a PROCEDURE or FUNCTION");
        return;
      case "reaction":
      case "flux":
      case "conserve":
        this.fail(s.pos, "KINETIC", "Reactions and CONSERVE belong in a KINETIC block");
        return;
      case "verbatim":
        if (isCommentOnly(s.text)) return;
        this.fail(
          s.pos,
          "VERBATIM",
          "VERBATIM C code is not supported (only comments, or the Random-stream pattern of ISF's ProbAMPANMDA2/ProbUDFsyn2)",
        );
        return;
      case "block":
        this.lowerBlock(s.body, k, out, where);
        return;
      case "unsupported":
        this.fail(s.pos, s.construct, `${s.construct} is not supported`);
    }
  }

  /** The slot an assignment writes. */
  target(name: string, index: AstExpr | undefined, pos: Pos, k: Kernel, out: Stmt[]): Slot {
    const local = k.lookup(name);
    if (local !== undefined) return this.element(local, index, name, pos, k, out);
    const arg = k.args.get(name);
    if (arg !== undefined) return this.scalar(arg, index, name, pos);
    const sp = k.special.get(name);
    if (sp !== undefined) return this.scalar(sp, index, name, pos);
    const sym = this.syms.get(name);
    if (sym === undefined) this.fail(pos, "assignment", `Unknown name "${name}"`);
    switch (sym.kind) {
      case "field":
        if (k.tableBuild) {
          this.fail(pos, "TABLE", `A TABLE function assigns the per-instance variable ${name}`);
        }
        return this.scalar({ space: "field", index: sym.index }, index, name, pos);
      case "global":
        if (!sym.writable) this.fail(pos, "assignment", `${name} is a constant`);
        return this.scalar({ space: "global", index: sym.index }, index, name, pos);
      case "array":
        return this.element(
          sym.elements.map((g) => ({ space: "global", index: g }) as Slot),
          index,
          name,
          pos,
          k,
          out,
        );
      case "ionRead":
      case "v":
      case "area":
        if (k.tableBuild) this.fail(pos, "TABLE", `A TABLE function assigns ${name}`);
        this.fail(pos, "assignment", `${name} is not available here`);
        break;
      case "constant":
        this.fail(pos, "assignment", `${name} is a constant`);
        break;
      case "builtin":
        this.fail(pos, "assignment", `${name} is read-only`);
    }
  }

  scalar(slot: Slot, index: AstExpr | undefined, name: string, pos: Pos): Slot {
    if (index !== undefined) this.fail(pos, "array", `${name} is not an array`);
    return slot;
  }

  element(
    s: Slot | Slot[],
    index: AstExpr | undefined,
    name: string,
    pos: Pos,
    k: Kernel,
    out: Stmt[],
  ): Slot {
    if (!Array.isArray(s)) return this.scalar(s, index, name, pos);
    if (index === undefined) this.fail(pos, "array", `${name} is an array: give an index`);
    const i = this.lowerExpr(index, k, out);
    if (i.op !== "const" || !Number.isInteger(i.value) || i.value < 0 || i.value >= s.length) {
      this.fail(pos, "array", `Index of ${name} must be a constant integer in [0, ${s.length})`);
    }
    return s[i.value];
  }

  // ================================================================= expressions
  lowerExpr(e: AstExpr, k: Kernel, out: Stmt[]): Expr {
    this.count();
    switch (e.kind) {
      case "num":
        return { op: "const", value: e.value };
      case "string":
        this.fail(e.pos, "string", "A string is only allowed as printf's argument");
        break;
      case "name":
        return this.readSlot(e.name, e.index, e.pos, k, out);
      case "unary": {
        const arg = this.lowerExpr(e.arg, k, out);
        if (e.op === "-") {
          return arg.op === "const" ? { op: "const", value: -arg.value } : { op: "neg", arg };
        }
        return { op: "not", arg };
      }
      case "binary": {
        const a = this.lowerExpr(e.left, k, out);
        if (e.op === "&&" || e.op === "||") {
          const side: Stmt[] = [];
          const b = this.lowerExpr(e.right, k, side);
          if (side.length === 0) return { op: e.op === "&&" ? "and" : "or", a, b };
          // The right side has inlined code: evaluate it only when C would.
          const t = k.local();
          const zero: Expr = { op: "const", value: 0 };
          out.push({ op: "assign", slot: t, value: { op: "ne", a, b: zero } });
          const test: Expr = e.op === "&&" ? { op: "read", slot: t } : {
            op: "not",
            arg: { op: "read", slot: t },
          };
          out.push({
            op: "if",
            cond: test,
            then: [...side, { op: "assign", slot: t, value: { op: "ne", a: b, b: zero } }],
            otherwise: [],
          });
          return { op: "read", slot: t };
        }
        const b = this.lowerExpr(e.right, k, out);
        const op = BINARY[e.op];
        if (op === "pow") return { op: "pow", a, b };
        return { op, a, b } as Expr;
      }
      case "call":
        return this.lowerCall(e, k, out, true)!;
    }
  }

  readSlot(name: string, index: AstExpr | undefined, pos: Pos, k: Kernel, out: Stmt[]): Expr {
    const local = k.lookup(name);
    if (local !== undefined) {
      return { op: "read", slot: this.element(local, index, name, pos, k, out) };
    }
    const arg = k.args.get(name);
    if (arg !== undefined) return { op: "read", slot: this.scalar(arg, index, name, pos) };
    if (name === "flag" && k.netReceive) {
      return { op: "read", slot: { space: "builtin", name: "flag" } };
    }
    const sp = k.special.get(name);
    if (sp !== undefined && !k.tableBuild) {
      return { op: "read", slot: this.scalar(sp, index, name, pos) };
    }
    const sym = this.syms.get(name);
    if (sym === undefined) {
      this.fail(pos, "name", `Unknown name "${name}"`);
    }
    switch (sym.kind) {
      case "field":
        if (k.tableBuild) {
          this.fail(pos, "TABLE", `A TABLE function reads the per-instance variable ${name}`);
        }
        return {
          op: "read",
          slot: this.scalar({ space: "field", index: sym.index }, index, name, pos),
        };
      case "global":
        return {
          op: "read",
          slot: this.scalar({ space: "global", index: sym.index }, index, name, pos),
        };
      case "array":
        return {
          op: "read",
          slot: this.element(
            sym.elements.map((g) => ({ space: "global", index: g }) as Slot),
            index,
            name,
            pos,
            k,
            out,
          ),
        };
      case "constant":
        this.scalar({ space: "local", index: 0 }, index, name, pos);
        return { op: "const", value: sym.value };
      case "builtin":
        return { op: "read", slot: { space: "builtin", name: sym.name } };
      case "v":
      case "ionRead":
      case "area":
        if (k.tableBuild) {
          this.fail(pos, "TABLE", `A TABLE function reads ${name} (not its argument)`);
        }
        this.fail(pos, "name", `${name} is not available here`);
    }
  }

  /** Lowers a call; returns its value (expressions) or undefined (statements). */
  lowerCall(
    c: AstExpr & { kind: "call" },
    k: Kernel,
    out: Stmt[],
    asValue: boolean,
  ): Expr | undefined {
    const name = c.name;
    const proc = this.procs.get(name);
    if (proc !== undefined) {
      if (proc.kind === "DERIVATIVE" || proc.kind === "KINETIC") {
        this.fail(c.pos, "call", `${proc.kind} ${name} can only be used by SOLVE`);
      }
      if (asValue && proc.kind !== "FUNCTION") {
        this.fail(c.pos, "call", `PROCEDURE ${name} has no value`);
      }
      if (this.random && name === "erand" && isIsfErand(proc)) {
        const t = k.local();
        out.push({ op: "random", slot: t, distribution: "exponential" });
        return { op: "read", slot: t };
      }
      if (this.random && name === "setRNG" && isIsfSetRng(proc)) {
        return asValue ? { op: "const", value: 0 } : undefined;
      }
      const args = c.args.map((a) => this.lowerExpr(a, k, out));
      return this.inlineCall(proc, args, k, out, c.pos);
    }
    if (MATH.has(name)) {
      const arity = MATH_ARITY[name] ?? 1;
      if (c.args.length !== arity) {
        this.fail(c.pos, "call", `${name}() takes ${arity} argument(s), got ${c.args.length}`);
      }
      const args = c.args.map((a) => this.lowerExpr(a, k, out));
      if (name === "pow") return { op: "pow", a: args[0], b: args[1] };
      return { op: "call", fn: name as MathFunction, args };
    }
    switch (name) {
      case "printf":
        return asValue ? { op: "const", value: 0 } : undefined;
      case "state_discontinuity": {
        const a0 = c.args[0];
        if (c.args.length !== 2 || a0.kind !== "name") {
          this.fail(c.pos, "state_discontinuity", "state_discontinuity(state, value) expected");
        }
        const value = this.lowerExpr(c.args[1], k, out);
        out.push({ op: "assign", slot: this.target(a0.name, a0.index, a0.pos, k, out), value });
        return asValue ? { op: "const", value: 0 } : undefined;
      }
      case "net_send": {
        if (c.args.length !== 2) this.fail(c.pos, "net_send", "net_send(delay, flag) expected");
        if (this.kind !== "point") this.fail(c.pos, "net_send", "net_send in a density mechanism");
        const delay = this.lowerExpr(c.args[0], k, out);
        const flag = this.lowerExpr(c.args[1], k, out);
        out.push({ op: "netSend", delay, flag });
        return asValue ? { op: "const", value: 0 } : undefined;
      }
      case "net_event":
      case "net_move":
        this.fail(c.pos, name, `${name} is not supported (spike sources come from the network)`);
        break;
      case "exprand":
      case "normrand":
      case "scop_random":
      case "set_seed":
      case "unirand":
      case "poisrand":
        this.fail(
          c.pos,
          name,
          `${name} uses NEURON's global random generator and is not supported`,
        );
    }
    this.fail(c.pos, "call", `Unknown function "${name}"`);
  }

  guardRecursion(p: AstProc): void {
    if (this.inlining.includes(p.name)) {
      this.fail(
        p.pos,
        "recursion",
        `Recursion: ${[...this.inlining.slice(this.inlining.indexOf(p.name)), p.name].join(" → ")}`,
      );
    }
  }

  /** Inlines PROCEDURE/FUNCTION `p` with argument values; returns the FUNCTION's value. */
  inlineCall(
    p: AstProc,
    args: Expr[],
    k: Kernel,
    out: Stmt[],
    pos: Pos,
  ): Expr | undefined {
    if (this.inlining.includes(p.name)) {
      this.fail(
        pos,
        "recursion",
        `Recursion is not supported: ${
          [...this.inlining.slice(this.inlining.indexOf(p.name)), p.name].join(" → ")
        }`,
      );
    }
    if (args.length !== p.args.length) {
      this.fail(pos, "call", `${p.name}() takes ${p.args.length} argument(s), got ${args.length}`);
    }
    const table = p.body.find((s) => s.kind === "table") as
      | (AstStmt & { kind: "table" })
      | undefined;
    const scope = new Map<string, Slot | Slot[]>();
    const argSlots = p.args.map((a, i) => {
      const s = k.local();
      scope.set(a.name, s);
      out.push({ op: "assign", slot: s, value: args[i] });
      return s;
    });
    let ret: Slot | undefined;
    if (p.kind === "FUNCTION") {
      ret = k.local();
      scope.set(p.name, ret);
    }
    const direct: Stmt[] = [];
    this.inlining.push(p.name);
    const saved = k.scopes.splice(1); // a procedure sees only its own scope and the mechanism
    k.scopes.push(scope);
    try {
      this.lowerStmts(p.body.filter((s) => s.kind !== "table"), k, table ? direct : out, p.kind);
    } finally {
      k.scopes.pop();
      k.scopes.push(...saved);
      this.inlining.pop();
    }
    if (table) {
      if (p.args.length !== 1) {
        this.fail(
          table.pos,
          "TABLE",
          `TABLE in ${p.name}: the tabulated ${p.kind} must have one argument`,
        );
      }
      const ti = this.table(p, table);
      const outputs: Slot[] = p.kind === "FUNCTION"
        ? [ret!]
        : table.names.map((n) => this.target(n, undefined, table.pos, k, out));
      out.push({
        op: "table",
        table: ti,
        arg: { op: "read", slot: argSlots[0] },
        outputs,
        direct,
      });
    }
    return ret === undefined ? undefined : { op: "read", slot: ret };
  }

  /** The TableIR of a tabulated PROCEDURE/FUNCTION (built once). */
  table(p: AstProc, t: AstStmt & { kind: "table" }): number {
    const known = this.tableOf.get(p.name);
    if (known !== undefined) return known;
    if (t.with <= 0 || t.with + 1 > LIMITS.tablePoints) {
      this.fail(
        t.pos,
        "TABLE",
        `TABLE WITH ${t.with}: the number of intervals must be in 1..${LIMITS.tablePoints - 1}`,
      );
    }
    const total = this.tables.reduce((s, x) => s + x.points * x.columns, 0);
    if (total + (t.with + 1) * Math.max(1, t.names.length) > LIMITS.tablePointsTotal) {
      this.fail(
        t.pos,
        "TABLE",
        `TABLEs of this mechanism exceed ${LIMITS.tablePointsTotal} points`,
      );
    }
    if (p.kind === "PROCEDURE" && t.names.length === 0) {
      this.fail(t.pos, "TABLE", `TABLE in PROCEDURE ${p.name} must name the tabulated variables`);
    }
    if (p.kind === "FUNCTION" && t.names.length > 0) {
      this.fail(t.pos, "TABLE", `TABLE in FUNCTION ${p.name} must not name variables`);
    }
    const k = new Kernel();
    k.tableBuild = true;
    const depend: Slot[] = t.depend.map((d) => {
      const s = this.syms.get(d);
      if (s?.kind === "global") return { space: "global", index: s.index };
      if (s?.kind === "builtin" && s.name !== "t") return { space: "builtin", name: s.name };
      return this.fail(
        t.pos,
        "TABLE",
        `TABLE DEPEND ${d}: only GLOBAL variables, dt and celsius can be dependencies`,
      );
    });
    const build: Stmt[] = [];
    const from = this.lowerExpr(t.from, k, build);
    const to = this.lowerExpr(t.to, k, build);
    if (build.length > 0) this.fail(t.pos, "TABLE", "TABLE FROM/TO must be simple expressions");
    const arg = k.local();
    const scope = new Map<string, Slot | Slot[]>([[p.args[0].name, arg]]);
    const outputs: Slot[] = [];
    if (p.kind === "FUNCTION") {
      const r = k.local();
      scope.set(p.name, r);
      outputs.push(r);
    } else {
      for (const n of t.names) {
        const s = this.syms.get(n);
        if (s === undefined || (s.kind !== "field" && s.kind !== "global")) {
          this.fail(t.pos, "TABLE", `TABLE ${n}: not an ASSIGNED variable`);
        }
        const o = k.local();
        scope.set(n, o);
        outputs.push(o);
      }
    }
    this.inlining.push(p.name);
    k.scopes.push(scope);
    this.lowerStmts(p.body.filter((s) => s.kind !== "table"), k, build, p.kind);
    k.scopes.pop();
    this.inlining.pop();
    if (this.usetable < 0) {
      this.usetable = this.addGlobal({
        name: "usetable",
        role: "usetable",
        unit: "",
        value: 1,
        legacyValue: 1,
      });
    }
    this.tables.push({
      name: p.name,
      points: t.with + 1,
      from,
      to,
      depend,
      columns: outputs.length,
      locals: k.locals,
      arg,
      build,
      outputs,
    });
    this.tableOf.set(p.name, this.tables.length - 1);
    return this.tables.length - 1;
  }
}

const BINARY = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "%": "mod",
  "^": "pow",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  "==": "eq",
  "!=": "ne",
  "&&": "and",
  "||": "or",
} as const;

function ionVarKind(name: string, ion: string): NodeVarIR["kind"] | undefined {
  if (name === `e${ion}`) return "reversal";
  if (name === `i${ion}`) return "current";
  if (name === `${ion}i`) return "concentrationIn";
  if (name === `${ion}o`) return "concentrationOut";
  return undefined;
}

function collectOdes(stmts: AstStmt[]): (AstStmt & { kind: "ode" })[] {
  const out: (AstStmt & { kind: "ode" })[] = [];
  for (const s of stmts) {
    if (s.kind === "ode") out.push(s);
    else if (s.kind === "if") {
      out.push(...collectOdes(s.then));
      if (s.otherwise) out.push(...collectOdes(s.otherwise));
    } else if (s.kind === "block") out.push(...collectOdes(s.body));
  }
  return out;
}

function collectReactions(
  stmts: AstStmt[],
  out: (AstStmt & { kind: "reaction" | "flux" | "conserve" })[],
  refuse: (pos: Pos, what: string) => never,
): void {
  for (const s of stmts) {
    if (s.kind === "reaction" || s.kind === "flux" || s.kind === "conserve") out.push(s);
    else if (s.kind === "block") collectReactions(s.body, out, refuse);
    else if (s.kind === "if") {
      const inner: (AstStmt & { kind: "reaction" | "flux" | "conserve" })[] = [];
      collectReactions(s.then, inner, refuse);
      if (s.otherwise) collectReactions(s.otherwise, inner, refuse);
      if (inner.length > 0) refuse(inner[0].pos, "A reaction");
    }
  }
}

function isIsfErand(p: AstProc): boolean {
  const b = p.body;
  return p.kind === "FUNCTION" && p.args.length === 0 && b.length === 4 &&
    b[0].kind === "verbatim" && normalizeC(b[0].text) === ISF_ERAND_HEAD &&
    b[1].kind === "assign" && b[1].name === "erand" && b[1].value.kind === "call" &&
    b[1].value.name === "exprand" && b[2].kind === "verbatim" &&
    normalizeC(b[2].text) === ISF_ERAND_TAIL && b[3].kind === "assign" && b[3].name === "erand" &&
    b[3].value.kind === "name" && b[3].value.name === "value";
}

function isIsfSetRng(p: AstProc): boolean {
  return p.kind === "PROCEDURE" && p.args.length === 0 && p.body.length === 1 &&
    p.body[0].kind === "verbatim" && normalizeC(p.body[0].text) === ISF_SET_RNG;
}

// ================================================================= analytic conductance
/**
 * dI/dv in closed form when every current is affine in v: straight-line BREAKPOINT code (no
 * if), each slot assigned at most once, v not assigned, and d(current)/dv free of v. Returns
 * the sum of the currents' derivatives in order, with exact simplifications only (x·1 → x,
 * 0 + y → y); undefined when the numeric difference quotient must be used.
 */
function affineConductance(
  body: readonly Stmt[],
  currents: readonly Slot[],
  v: Slot,
): Expr | undefined {
  const key = (s: Slot) =>
    `${s.space}:${(s as { index?: number }).index ?? (s as { name?: string }).name}`;
  const deriv = new Map<string, Expr | undefined>();
  const assigned = new Set<string>();
  const vKey = key(v);
  const ZERO = undefined;
  function d(e: Expr): Expr | undefined | null {
    switch (e.op) {
      case "const":
        return ZERO;
      case "read": {
        const k = key(e.slot);
        if (k === vKey) return { op: "const", value: 1 };
        return deriv.has(k) ? deriv.get(k) : ZERO;
      }
      case "neg": {
        const x = d(e.arg);
        if (x === null) return null;
        return x === ZERO ? ZERO : { op: "neg", arg: x };
      }
      case "add":
      case "sub": {
        const x = d(e.a), y = d(e.b);
        if (x === null || y === null) return null;
        if (x === ZERO && y === ZERO) return ZERO;
        if (y === ZERO) return x;
        if (x === ZERO) return e.op === "add" ? y : { op: "neg", arg: y };
        return { op: e.op, a: x, b: y };
      }
      case "mul": {
        const x = d(e.a), y = d(e.b);
        if (x === null || y === null) return null;
        if (x !== ZERO && y !== ZERO) return null; // product of two v-dependent factors
        if (x === ZERO && y === ZERO) return ZERO;
        if (y !== ZERO) return times(e.a, y);
        return times(x!, e.b);
      }
      case "div": {
        const x = d(e.a), y = d(e.b);
        if (x === null || y === null || y !== ZERO) return null;
        return x === ZERO ? ZERO : { op: "div", a: x, b: e.b };
      }
      default: {
        // Anything else must not depend on v.
        const parts: Expr[] = e.op === "call" ? [...e.args] : e.op === "not" ? [e.arg] : [e.a, e.b];
        for (const p of parts) {
          const x = d(p);
          if (x === null || x !== ZERO) return null;
        }
        return ZERO;
      }
    }
  }
  function times(a: Expr, b: Expr): Expr {
    if (b.op === "const" && b.value === 1) return a;
    if (a.op === "const" && a.value === 1) return b;
    return { op: "mul", a, b };
  }
  for (const s of body) {
    if (s.op !== "assign") return undefined;
    const k = key(s.slot);
    if (k === vKey || assigned.has(k)) return undefined;
    const x = d(s.value);
    if (x === null) return undefined;
    assigned.add(k);
    deriv.set(k, x);
  }
  let total: Expr | undefined;
  for (const c of currents) {
    const x = deriv.get(key(c));
    if (x !== undefined && dependsOn(x, deriv, vKey, key)) return undefined;
    if (x === undefined) continue;
    total = total === undefined ? x : { op: "add", a: total, b: x };
  }
  return total ?? { op: "const", value: 0 };
}

/** True when `e` reads v or a slot whose value depends on v. */
function dependsOn(
  e: Expr,
  deriv: Map<string, Expr | undefined>,
  vKey: string,
  key: (s: Slot) => string,
): boolean {
  switch (e.op) {
    case "const":
      return false;
    case "read": {
      const k = key(e.slot);
      return k === vKey || (deriv.has(k) && deriv.get(k) !== undefined);
    }
    case "neg":
    case "not":
      return dependsOn(e.arg, deriv, vKey, key);
    case "call":
      return e.args.some((a) => dependsOn(a, deriv, vKey, key));
    default:
      return dependsOn(e.a, deriv, vKey, key) || dependsOn(e.b, deriv, vKey, key);
  }
}
