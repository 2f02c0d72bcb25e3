/**
 * Quiet synapses: a point process that has received no event since INITIAL often sits in a state
 * that no step changes and that adds exactly nothing to the membrane (a dual-exponential synapse
 * with A = B = C = D = 0). Its `current` and `advance` can then be skipped — exactly, not
 * approximately — until its first event, which is most of a sweep for most synapses of a network
 * (half of all synapse-steps in ISF's example). NEURON computes them; the results are the same.
 *
 * The proof is made per instance when its first current is evaluated, from the IR and the
 * instance's values:
 *
 * - **advance is a fixed point**: the mechanism's advance reads no node value, no `t` and no
 *   random number and writes only states (a static check, {@link quietEligible}); evaluated
 *   concretely on the instance's values with the backend's operations, it returns every state
 *   bitwise unchanged. Nothing it reads changes without an event, so it stays a fixed point.
 * - **current is exactly zero for every membrane potential**: an abstract evaluation of the
 *   current body (v unknown, |v| ≤ 1e150 mV; other node values likewise bounded; every other
 *   input the instance's exact value) proves that every current, every ion current, the
 *   conductance and every field the body writes are ±0 (and the stored fields hold 0 already).
 *
 * An event (NET_RECEIVE, also a self event) makes the instance active for the rest of the sweep.
 *
 * @module
 */
import type { MechanismInstances } from "../mechanisms/_types.ts";
import { evalBinary, MATH_FUNCTIONS as MATH } from "./_math.ts";
import type { ArithmeticOp, Expr, LogicOp, MechanismIR, Slot, Stmt } from "./ir.ts";
import { GLOBALS_SLOT, isDerivedField, QUIET_FLAGS_SLOT } from "./js_backend.ts";

/** Derived slot: per instance −1 (not yet known), 1 (quiet: skipped), 0 (active). */
export const QUIET_SLOT: string = QUIET_FLAGS_SLOT;

/** Bound assumed for unknown node values (membrane potential, reversal potentials) [mV, mM]. */
const BOUND = 1e150;

/**
 * An abstract value: a concrete number, or what is known of an unknown one (for all v).
 * `bounded` implies `finite` implies NaN-free.
 */
interface Abs {
  /** The exact value, when it does not depend on v. */
  readonly c?: number;
  /** Always ±0. */
  readonly zero: boolean;
  /** |x| ≤ BOUND. */
  readonly bounded: boolean;
  /** Finite. */
  readonly finite: boolean;
  /** Never NaN (may be infinite). */
  readonly nanfree: boolean;
  /** Never negative (≥ 0, or ±0). */
  readonly nonneg: boolean;
  /** Never ±0. */
  readonly nonzero: boolean;
}

function num(x: number): Abs {
  const finite = Number.isFinite(x);
  return {
    c: x,
    zero: x === 0,
    bounded: finite && Math.abs(x) <= BOUND,
    finite,
    nanfree: x === x,
    nonneg: x >= 0 || x === 0,
    nonzero: x !== 0 && x === x,
  };
}

const UNKNOWN: Abs = {
  zero: false,
  bounded: false,
  finite: false,
  nanfree: false,
  nonneg: false,
  nonzero: false,
};
const BOUNDED: Abs = { ...UNKNOWN, bounded: true, finite: true, nanfree: true };

function unknown(p: Partial<Abs>): Abs {
  const a = { ...UNKNOWN, ...p };
  // Keep the implications.
  const finite = a.finite || a.bounded || a.zero;
  return { ...a, finite, nanfree: a.nanfree || finite, bounded: a.bounded || a.zero };
}

/** C truth of a concrete value (NaN is true). */
function truth(x: number): boolean {
  return x !== 0;
}

/** Thrown when the evaluation meets something it cannot follow: the instance is not quiet. */
class NotQuiet extends Error {}

/** Evaluation of one instance's statements over abstract values. */
class Evaluator {
  readonly locals = new Map<number, Abs>();
  readonly written = new Map<number, Abs>();
  readonly ir: MechanismIR;
  readonly s: MechanismInstances;
  readonly k: number;
  readonly G: Float64Array;
  /** Abstract value of `v` reads; undefined: reading v or other node values is not allowed. */
  readonly node: Abs | undefined;
  constructor(ir: MechanismIR, s: MechanismInstances, k: number, node: Abs | undefined) {
    this.ir = ir;
    this.s = s;
    this.k = k;
    this.G = s.derived[GLOBALS_SLOT];
    this.node = node;
  }

  field(i: number): Abs {
    const w = this.written.get(i);
    if (w !== undefined) return w;
    const name = this.ir.fields[i].name;
    const arr = isDerivedField(this.ir, i) ? this.s.derived[name] : this.s.fields[name];
    return num(arr[this.k]);
  }

  read(slot: Slot): Abs {
    switch (slot.space) {
      case "field":
        return this.field(slot.index);
      case "global":
        return num(this.G[slot.index]);
      case "local":
        return this.locals.get(slot.index) ?? num(0);
      case "builtin":
        // t and flag are not constant; dt and celsius are, but their values are not at hand
        // here (the kernels read them from the node arrays): unknown and bounded is safe.
        return BOUNDED;
      default:
        throw new NotQuiet();
    }
  }

  write(slot: Slot, value: Abs): void {
    if (slot.space === "local") this.locals.set(slot.index, value);
    else if (slot.space === "field") this.written.set(slot.index, value);
    else throw new NotQuiet();
  }

  expr(e: Expr): Abs {
    switch (e.op) {
      case "const":
        return num(e.value);
      case "read":
        return this.read(e.slot);
      case "neg": {
        const a = this.expr(e.arg);
        if (a.c !== undefined) return num(-a.c);
        return unknown({
          zero: a.zero,
          bounded: a.bounded,
          finite: a.finite,
          nanfree: a.nanfree,
          nonzero: a.nonzero,
        });
      }
      case "not": {
        const a = this.expr(e.arg);
        if (a.c !== undefined) return num(a.c === 0 ? 1 : 0);
        return unknown({ bounded: true, nonneg: true, zero: a.nonzero });
      }
      case "call": {
        const args = e.args.map((x) => this.expr(x));
        if (args.every((a) => a.c !== undefined)) {
          const f = MATH[e.fn];
          if (f === undefined) throw new NotQuiet();
          return num(f(...args.map((a) => a.c!)));
        }
        // exp of anything NaN-free: NEURON's clamped exp lies in [0, exp(700)].
        if (e.fn === "exp" && args[0].nanfree) return unknown({ finite: true, nonneg: true });
        return UNKNOWN;
      }
      default:
        return this.binary(e.op, this.expr(e.a), this.expr(e.b));
    }
  }

  binary(op: ArithmeticOp | LogicOp, a: Abs, b: Abs): Abs {
    if (a.c !== undefined && b.c !== undefined) {
      return num(evalBinary(op, a.c, b.c));
    }
    switch (op) {
      case "add":
      case "sub": {
        if (a.zero && b.zero) return unknown({ zero: true, nonneg: true });
        const nanfree = a.finite && b.finite;
        const sameSign = op === "add" ? a.nonneg && b.nonneg : false;
        return unknown({
          finite: a.bounded && b.bounded,
          nanfree: nanfree || (sameSign && a.nanfree && b.nanfree),
          nonneg: sameSign,
          nonzero: sameSign && a.nanfree && b.nanfree && (a.nonzero || b.nonzero),
        });
      }
      case "mul": {
        if ((a.zero && b.finite) || (b.zero && a.finite)) return unknown({ zero: true });
        return unknown({
          finite: a.bounded && b.bounded,
          nanfree: (a.finite && b.finite) || (a.nonzero && b.nonzero && a.nanfree && b.nanfree),
          nonneg: a.nonneg && b.nonneg,
          nonzero: a.nonzero && b.nonzero && a.nanfree && b.nanfree,
        });
      }
      case "div":
        if (a.zero && b.nonzero && b.nanfree) return unknown({ zero: true });
        return UNKNOWN;
      default:
        // A comparison of unknowns: 0 or 1 (NaN compares false; C truth is not needed here).
        if (["lt", "le", "gt", "ge", "eq", "ne", "and", "or"].includes(op)) {
          return unknown({ bounded: true, nonneg: true });
        }
        return UNKNOWN;
    }
  }

  stmts(list: readonly Stmt[]): void {
    for (const st of list) this.stmt(st);
  }

  stmt(st: Stmt): void {
    switch (st.op) {
      case "assign":
        this.write(st.slot, this.expr(st.value));
        return;
      case "loadNode": {
        if (this.node === undefined) throw new NotQuiet();
        this.write(st.slot, this.node);
        return;
      }
      case "if": {
        const c = this.expr(st.cond);
        if (c.c !== undefined) {
          this.stmts(truth(c.c) ? st.then : st.otherwise);
          return;
        }
        // Either branch: follow both, keep what both agree on.
        const locals = new Map(this.locals), written = new Map(this.written);
        this.stmts(st.then);
        const thenLocals = new Map(this.locals), thenWritten = new Map(this.written);
        this.locals.clear();
        this.written.clear();
        for (const [k, v] of locals) this.locals.set(k, v);
        for (const [k, v] of written) this.written.set(k, v);
        this.stmts(st.otherwise);
        join(this.locals, thenLocals);
        join(this.written, thenWritten);
        return;
      }
      default:
        // Node stores, tables, random numbers, self events, implicit solves: not followed.
        throw new NotQuiet();
    }
  }
}

function same(a: Abs, b: Abs): boolean {
  return a.c !== undefined && b.c !== undefined && Object.is(a.c, b.c);
}

function join(into: Map<number, Abs>, other: Map<number, Abs>): void {
  const keys = new Set([...into.keys(), ...other.keys()]);
  for (const k of keys) {
    const a = into.get(k), b = other.get(k);
    if (a === undefined || b === undefined) {
      into.set(k, UNKNOWN);
      continue;
    }
    if (same(a, b)) continue;
    into.set(
      k,
      unknown({
        zero: a.zero && b.zero,
        bounded: a.bounded && b.bounded,
        finite: a.finite && b.finite,
        nanfree: a.nanfree && b.nanfree,
        nonneg: a.nonneg && b.nonneg,
        nonzero: a.nonzero && b.nonzero,
      }),
    );
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

/**
 * Whether quiet instances of a mechanism can be skipped at all: a point process with NET_RECEIVE
 * and a current, whose advance reads no node value, no `t` and draws nothing and writes only
 * states, and whose kernels write no global.
 *
 * @param ir the mechanism
 * @returns true when {@link quietInstance} may be asked
 */
export function quietEligible(ir: MechanismIR): boolean {
  if (ir.kind !== "point" || ir.netReceive === undefined || ir.current === undefined) return false;
  let ok = true;
  walk(ir.advance.body, (s) => {
    if (s.op === "assign") {
      const slot = s.slot;
      if (
        !(slot.space === "local" ||
          (slot.space === "field" && ir.fields[slot.index].role === "state"))
      ) ok = false;
      readsTime(s.value) && (ok = false);
    } else if (s.op === "if") {
      if (readsTime(s.cond)) ok = false;
    } else ok = false;
  });
  const writesGlobal = (list: readonly Stmt[]) =>
    walk(list, (s) => {
      if (s.op === "assign" && s.slot.space === "global") ok = false;
    });
  writesGlobal(ir.current.prologue);
  writesGlobal(ir.current.body);
  writesGlobal(ir.netReceive.body);
  return ok;
}

function readsTime(e: Expr): boolean {
  switch (e.op) {
    case "const":
      return false;
    case "read":
      return e.slot.space === "builtin" && (e.slot.name === "t" || e.slot.name === "flag");
    case "neg":
    case "not":
      return readsTime(e.arg);
    case "call":
      return e.args.some(readsTime);
    default:
      return readsTime(e.a) || readsTime(e.b);
  }
}

/**
 * Whether instance k is quiet now (see the module documentation): its advance is a fixed point
 * and its current exactly zero for every membrane potential.
 *
 * @param ir the mechanism ({@link quietEligible})
 * @param s the instances (after INITIAL)
 * @param k the instance
 * @param dt the time step [ms]
 * @param celsius the temperature [°C]
 * @returns true when its current and advance may be skipped until its next event
 */
export function quietInstance(
  ir: MechanismIR,
  s: MechanismInstances,
  k: number,
  dt: number,
  celsius: number,
): boolean {
  try {
    // advance, concretely (it reads no node value): every state bitwise unchanged?
    const adv = new ConcreteBuiltins(ir, s, k, dt, celsius);
    adv.stmts(ir.advance.body);
    for (const [i, value] of adv.written) {
      if (value.c === undefined || !Object.is(value.c, adv.field(i, true).c)) return false;
    }
    // current, abstractly in v: every current and written field ±0.
    const c = ir.current!;
    const cur = new Evaluator(ir, s, k, BOUNDED);
    cur.stmts(c.prologue);
    cur.write(c.v, BOUNDED);
    if (c.area !== undefined) {
      cur.write(c.area, unknown({ bounded: true, nonneg: true, nonzero: true }));
    }
    cur.stmts(c.body);
    const zero = (a: Abs) => a.zero || (a.c !== undefined && a.c === 0);
    for (const slot of c.currents) if (!zero(cur.read(slot))) return false;
    for (const ic of c.ionCurrents) if (!zero(cur.read(ic.slot))) return false;
    if (c.conductance !== undefined && !zero(cur.expr(c.conductance))) return false;
    for (const [i, value] of cur.written) {
      if (!zero(value)) return false;
      // The skipped kernel would store ±0 there: it must hold 0 already.
      const name = ir.fields[i].name;
      const arr = isDerivedField(ir, i) ? s.derived[name] : s.fields[name];
      if (arr[k] !== 0) return false;
    }
    return true;
  } catch (e) {
    if (e instanceof NotQuiet) return false;
    throw e;
  }
}

/**
 * Classifies the instances not yet known (`quiet[k] === -1`): 1 when {@link quietInstance} says
 * quiet, else 0. The proof reads nothing of an instance but its fields (the mechanism's globals,
 * dt, celsius and the bound on v are the same for all), so instances with bitwise-equal fields
 * share one proof: a network's synapses of one receptor type mostly do.
 *
 * @param ir the mechanism ({@link quietEligible})
 * @param s the instances (after INITIAL)
 * @param quiet per instance: -1 unknown (classified here), 0 active, 1 quiet
 * @param dt the time step [ms]
 * @param celsius the temperature [°C]
 */
export function classifyQuiet(
  ir: MechanismIR,
  s: MechanismInstances,
  quiet: Float64Array,
  dt: number,
  celsius: number,
): void {
  const arrays = ir.fields.map((f, i) => (isDerivedField(ir, i) ? s.derived : s.fields)[f.name])
    .filter((a): a is Float64Array => a !== undefined);
  const proofs = new Map<string, number>();
  for (let k = 0; k < quiet.length; k++) {
    if (quiet[k] !== -1) continue;
    let key = "";
    for (const a of arrays) {
      const x = a[k];
      key += Object.is(x, -0) ? "-0," : `${x},`; // the shortest round-trip form: one per double
    }
    let r = proofs.get(key);
    if (r === undefined) {
      r = quietInstance(ir, s, k, dt, celsius) ? 1 : 0;
      proofs.set(key, r);
    }
    quiet[k] = r;
  }
}

/** The concrete evaluator of the advance: dt and celsius are known there. */
class ConcreteBuiltins extends Evaluator {
  readonly dt: number;
  readonly celsius: number;
  constructor(ir: MechanismIR, s: MechanismInstances, k: number, dt: number, celsius: number) {
    super(ir, s, k, undefined);
    this.dt = dt;
    this.celsius = celsius;
  }

  override read(slot: Slot): Abs {
    if (slot.space === "builtin") {
      if (slot.name === "dt") return num(this.dt);
      if (slot.name === "celsius") return num(this.celsius);
      throw new NotQuiet();
    }
    return super.read(slot);
  }

  /** The stored value (ignoring writes) when `stored`, else the current one. */
  override field(i: number, stored = false): Abs {
    if (!stored) return super.field(i);
    const name = this.ir.fields[i].name;
    const arr = isDerivedField(this.ir, i) ? this.s.derived[name] : this.s.fields[name];
    return num(arr[this.k]);
  }
}
