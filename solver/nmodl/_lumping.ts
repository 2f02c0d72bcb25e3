/**
 * Lumping compiled synapses: instances of a point process with equal parameters at one node can
 * be merged into one instance that receives every event of their NetCons (as the solver merges
 * the built-in `glutamate_syn` without plasticity), when the mechanism is linear in its event-
 * driven states. This file decides it from the IR and the parameter values, conservatively:
 *
 * - the states split into **constant** ones — INITIAL gives them a value (independent of v) that
 *   the cnexp update keeps exactly (it relaxes to that very value) and that NET_RECEIVE leaves
 *   bitwise unchanged whatever the weights (depression factors with decay 1, facilitation with
 *   increment 0) — and **linear** ones, which start at 0, relax to 0, and to which NET_RECEIVE
 *   only adds a term of the weights, parameters and constant states;
 * - every current, ion current and ASSIGNED value the BREAKPOINT writes is a homogeneous linear
 *   function of the linear states (so merged instances add their currents);
 * - the fields NET_RECEIVE sets besides states (ProbAMPANMDA2-style weights kept in RANGE
 *   variables) are not read by the current or the state update; no self events, random numbers,
 *   TABLEs or node stores; the state update reads no node value and no time.
 *
 * Merged instances then give the sum of the unmerged ones up to rounding (the sum of the states
 * is advanced instead of each), as for the built-in synapses. GLOBAL values are treated as
 * unknown, so `mech_globals` cannot invalidate the decision.
 *
 * @module
 */
import { evalBinary, MATH_FUNCTIONS } from "./_math.ts";
import { inlineDerived } from "./_optimize.ts";
import type { Expr, MechanismIR, Slot, Stmt } from "./ir.ts";

/** A value: concrete (known exactly), and whether it depends on the linear states. */
interface Val {
  /** The exact value, when known. */
  readonly c?: number;
  /** `const`: no linear state; `lin`: homogeneous linear in them; `other`: anything else. */
  readonly deg: "const" | "lin" | "other";
}

const CONST: Val = { deg: "const" };
const OTHER: Val = { deg: "other" };

class Fail extends Error {}

function cnexp(value: Expr, x: Slot): { F: Expr; T: Expr } | undefined {
  const isX = (e: Expr) =>
    e.op === "read" && e.slot.space === "field" && x.space === "field" &&
    e.slot.index === x.index;
  if (value.op !== "add" || !isX(value.a)) return undefined;
  const m = value.b;
  if (m.op !== "mul") return undefined;
  const d = m.b;
  if (d.op !== "sub" || !isX(d.b)) return undefined;
  return { F: m.a, T: d.a };
}

class Degrees {
  readonly locals = new Map<number, Val>();
  readonly fields = new Map<number, Val>();
  readonly ir: MechanismIR;
  readonly params: Readonly<Record<string, number>>;
  readonly linear: ReadonlySet<number>;
  constructor(ir: MechanismIR, params: Readonly<Record<string, number>>, linear: Set<number>) {
    this.ir = ir;
    this.params = params;
    this.linear = linear;
  }

  read(slot: Slot): Val {
    switch (slot.space) {
      case "local":
        return this.locals.get(slot.index) ?? { c: 0, deg: "const" };
      case "field": {
        const w = this.fields.get(slot.index);
        if (w !== undefined) return w;
        if (this.linear.has(slot.index)) return { deg: "lin" };
        const f = this.ir.fields[slot.index];
        if (f.role === "parameter") {
          return {
            c: Object.hasOwn(this.params, f.name) ? this.params[f.name] : f.value,
            deg: "const",
          };
        }
        return CONST; // an assigned value of unknown value (not linear: checked where written)
      }
      case "arg":
      case "global":
      case "builtin":
        return CONST;
      default:
        throw new Fail();
    }
  }

  write(slot: Slot, v: Val): void {
    if (slot.space === "local") this.locals.set(slot.index, v);
    else if (slot.space === "field") this.fields.set(slot.index, v);
    else if (slot.space !== "arg") throw new Fail();
  }

  expr(e: Expr): Val {
    switch (e.op) {
      case "const":
        return { c: e.value, deg: "const" };
      case "read":
        return this.read(e.slot);
      case "neg": {
        const a = this.expr(e.arg);
        return a.c !== undefined ? { c: -a.c, deg: "const" } : { deg: a.deg };
      }
      case "not": {
        const a = this.expr(e.arg);
        if (a.deg !== "const") return OTHER;
        return a.c !== undefined ? { c: a.c === 0 ? 1 : 0, deg: "const" } : CONST;
      }
      case "call": {
        const args = e.args.map((x) => this.expr(x));
        if (args.some((a) => a.deg !== "const")) return OTHER;
        const f = MATH_FUNCTIONS[e.fn];
        if (f !== undefined && args.every((a) => a.c !== undefined)) {
          return { c: f(...args.map((a) => a.c!)), deg: "const" };
        }
        return CONST;
      }
      default: {
        const a = this.expr(e.a), b = this.expr(e.b);
        if (a.deg === "const" && b.deg === "const") {
          if (a.c === undefined || b.c === undefined) return CONST;
          return { c: evalBinary(e.op, a.c, b.c), deg: "const" };
        }
        if (a.deg === "other" || b.deg === "other") return OTHER;
        const zero = (v: Val) => v.c !== undefined && v.c === 0;
        switch (e.op) {
          case "add":
          case "sub":
            // lin ± lin, or lin ± exact 0 (an affine term would not add up).
            if ((a.deg === "lin" || zero(a)) && (b.deg === "lin" || zero(b))) return { deg: "lin" };
            return OTHER;
          case "mul":
            return a.deg === "const" || b.deg === "const" ? { deg: "lin" } : OTHER;
          case "div":
            return b.deg === "const" ? { deg: "lin" } : OTHER;
          default:
            return OTHER;
        }
      }
    }
  }

  stmts(list: readonly Stmt[]): void {
    for (const s of list) {
      switch (s.op) {
        case "assign":
          this.write(s.slot, this.expr(s.value));
          break;
        case "loadNode":
          this.write(s.slot, CONST);
          break;
        case "if": {
          const c = this.expr(s.cond);
          if (c.deg !== "const") throw new Fail();
          if (c.c !== undefined) {
            this.stmts(c.c !== 0 ? s.then : s.otherwise);
            break;
          }
          // Both branches: every value they write must agree in kind (concrete values are lost).
          const before = new Map(this.fields), beforeL = new Map(this.locals);
          this.stmts(s.then);
          const f1 = new Map(this.fields), l1 = new Map(this.locals);
          this.fields.clear();
          this.locals.clear();
          before.forEach((v, k) => this.fields.set(k, v));
          beforeL.forEach((v, k) => this.locals.set(k, v));
          this.stmts(s.otherwise);
          for (const [m, o] of [[this.fields, f1], [this.locals, l1]] as const) {
            for (const k of new Set([...m.keys(), ...o.keys()])) {
              const x = m.get(k), y = o.get(k);
              const deg = x?.deg === y?.deg ? x?.deg ?? "other" : "other";
              m.set(k, { deg: deg === "lin" ? "lin" : deg === "const" ? "const" : "other" });
            }
          }
          break;
        }
        default:
          throw new Fail();
      }
    }
  }
}

function walk(list: readonly Stmt[], fn: (s: Stmt) => void): void {
  for (const s of list) {
    fn(s);
    if (s.op === "if") {
      walk(s.then, fn);
      walk(s.otherwise, fn);
    } else if (s.op === "table") walk(s.direct, fn);
  }
}

function exprReads(e: Expr, out: Set<number>): void {
  switch (e.op) {
    case "const":
      return;
    case "read":
      if (e.slot.space === "field") out.add(e.slot.index);
      return;
    case "neg":
    case "not":
      exprReads(e.arg, out);
      return;
    case "call":
      for (const a of e.args) exprReads(a, out);
      return;
    default:
      exprReads(e.a, out);
      exprReads(e.b, out);
  }
}

function fieldsRead(list: readonly Stmt[]): Set<number> {
  const out = new Set<number>();
  walk(list, (s) => {
    if (s.op === "assign") exprReads(s.value, out);
    else if (s.op === "if") exprReads(s.cond, out);
    else if (s.op === "storeNode" || s.op === "addNode") exprReads(s.value, out);
  });
  return out;
}

/**
 * Whether instances of a compiled point process with these parameter values may be merged (see
 * the module documentation). Conservative: false whenever the analysis cannot follow the IR.
 *
 * @param ir the mechanism
 * @param params parameter values (missing ones: the PARAMETER defaults)
 * @returns true when merging is exact up to rounding
 */
export function lumpableWith(ir: MechanismIR, params: Readonly<Record<string, number>>): boolean {
  const nr = ir.netReceive, cur = ir.current;
  if (ir.kind !== "point" || nr === undefined || cur === undefined || ir.random !== undefined) {
    return false;
  }
  try {
    const states = ir.fields.map((f, i) => (f.role === "state" ? i : -1)).filter((i) => i >= 0);
    // 1. The state update: cnexp steps of states only, reading no node value and no time.
    const advance = inlineDerived(ir, ir.advance.body);
    const parts = new Map<number, { F: Expr; T: Expr }>();
    for (const s of advance) {
      if (s.op !== "assign" || s.slot.space !== "field") return false;
      if (ir.fields[s.slot.index].role !== "state") return false;
      const p = cnexp(s.value, s.slot);
      if (p === undefined || parts.has(s.slot.index)) return false;
      parts.set(s.slot.index, p);
    }
    // 2. Initial values (v unknown: a value that depends on it is not concrete).
    const init = new Degrees(ir, params, new Set());
    init.stmts(inlineDerived(ir, ir.init.body));
    const linear = new Set<number>(), constant = new Map<number, number>();
    const probe = new Degrees(ir, params, new Set());
    for (const i of states) {
      const v0 = init.fields.get(i)?.c;
      const p = parts.get(i);
      if (v0 === undefined || p === undefined) return false;
      const T = probe.expr(p.T);
      if (T.deg !== "const" || T.c === undefined) return false;
      if (v0 === 0 && T.c === 0) linear.add(i);
      else if (Object.is(v0, T.c) || v0 === T.c) constant.set(i, v0);
      else return false;
      if (probe.expr(p.F).deg !== "const") return false;
    }
    // 3. NET_RECEIVE (and its INITIAL): constant states unchanged, linear ones += a constant term.
    for (const body of [nr.body, nr.initial]) {
      const d = new Degrees(ir, params, linear);
      for (const [i, v] of constant) d.fields.set(i, { c: v, deg: "const" });
      const kinds = new Set<string>();
      walk(body, (s) => kinds.add(s.op));
      if ([...kinds].some((k) => k !== "assign" && k !== "if" && k !== "loadNode")) return false;
      d.stmts(body);
      for (const [i, v] of d.fields) {
        if (constant.has(i)) {
          if (v.c === undefined || !Object.is(v.c, constant.get(i))) return false;
        } else if (!linear.has(i) && v.deg !== "const") return false;
        // Linear states: checked structurally below (x = x + term).
      }
      // Each linear state written as x + (term without linear states).
      let ok = true;
      walk(body, (s) => {
        if (s.op !== "assign" || s.slot.space !== "field" || !linear.has(s.slot.index)) return;
        const x = s.slot.index;
        const v = s.value;
        const isX = (e: Expr) => e.op === "read" && e.slot.space === "field" && e.slot.index === x;
        const term = v.op === "add" && isX(v.a)
          ? v.b
          : v.op === "add" && isX(v.b)
          ? v.a
          : undefined;
        const t = new Degrees(ir, params, linear);
        for (const [i, c] of constant) t.fields.set(i, { c, deg: "const" });
        if (term === undefined || t.expr(term).deg !== "const") ok = false;
      });
      if (!ok) return false;
      // Fields it sets besides states must not feed the current or the state update.
      const readElsewhere = new Set([
        ...fieldsRead(cur.prologue),
        ...fieldsRead(cur.body),
        ...fieldsRead(advance),
      ]);
      for (const i of d.fields.keys()) {
        if (!constant.has(i) && !linear.has(i) && readElsewhere.has(i)) return false;
      }
    }
    // 4. The current: homogeneous linear in the linear states.
    const c = new Degrees(ir, params, linear);
    for (const [i, v] of constant) c.fields.set(i, { c: v, deg: "const" });
    let nodeWrites = false;
    walk([...cur.prologue, ...cur.body], (s) => {
      if (s.op !== "assign" && s.op !== "if" && s.op !== "loadNode") nodeWrites = true;
    });
    if (nodeWrites) return false;
    c.stmts(cur.prologue);
    c.write(cur.v, CONST);
    if (cur.area !== undefined) c.write(cur.area, CONST);
    c.stmts(cur.body);
    const lin = (v: Val) => v.deg === "lin" || (v.c !== undefined && v.c === 0);
    for (const s of cur.currents) if (!lin(c.read(s))) return false;
    for (const ic of cur.ionCurrents) if (!lin(c.read(ic.slot))) return false;
    if (cur.conductance !== undefined && !lin(c.expr(cur.conductance))) return false;
    for (const [i, v] of c.fields) if (!linear.has(i) && !constant.has(i) && !lin(v)) return false;
    return linear.size > 0;
  } catch (e) {
    if (e instanceof Fail) return false;
    throw e;
  }
}
