/**
 * nocmodl's treatment of one ODE `x' = f` for METHOD cnexp (NEURON 8.2 `diffeq.ypp`,
 * `deriv.cpp`), on IR expressions instead of token strings.
 *
 * nocmodl walks f once and builds four expressions for every subexpression: the expression
 * itself, its derivative with respect to x (`de`), the coefficient of x (`a`) and the remainder
 * without x (`b`), so that f = a·x + b when f is linear in x. "0.0" means an absent term and is
 * dropped by the rules (`0 + y → y`, `y·0 → 0`). The update it emits is
 *   x = x + (1 − exp(dt·de))·(−b/a − x)
 * with these exact trees (C's precedence reads them back as built here), or x = x − dt·(−b)
 * when x does not occur in f. If x occurs inside a function argument or a denominator, de is
 * invalid and nocmodl falls back to derivimplicit; if f is not linear but de is valid (x·x), it
 * still emits the update with an empty −b/a, i.e. x + (1 − exp(dt·de))·(−x) — reproduced as
 * NEURON runs it.
 *
 * @module
 */
import type { Expr, Slot } from "./ir.ts";

/** Result of the decomposition; `undefined` stands for nocmodl's "0.0". */
export interface Decomposition {
  /** The expression itself. */
  readonly e: Expr;
  /** d f/d x. */
  readonly de: Expr | undefined;
  /** Coefficient of x. */
  readonly a: Expr | undefined;
  /** Remainder without x. */
  readonly b: Expr | undefined;
  /** x inside a function argument or a denominator: no closed-form derivative. */
  readonly dInvalid: boolean;
  /** Not of the form a·x + b. */
  readonly eqInvalid: boolean;
  /** Contains an operator nocmodl's ODE grammar does not accept (comparison, logic, %). */
  readonly unsupported: boolean;
}

const ONE: Expr = { op: "const", value: 1 };

function sameSlot(a: Slot, b: Slot): boolean {
  return a.space === b.space && (a as { index?: number }).index ===
      (b as { index?: number }).index &&
    (a as { name?: string }).name ===
      (b as { name?: string }).name;
}

function mentions(e: Expr, x: Slot): boolean {
  switch (e.op) {
    case "const":
      return false;
    case "read":
      return sameSlot(e.slot, x);
    case "neg":
    case "not":
      return mentions(e.arg, x);
    case "call":
      return e.args.some((a) => mentions(a, x));
    default:
      return mentions(e.a, x) || mentions(e.b, x);
  }
}

function isZero(e: Expr): boolean {
  return e.op === "const" && e.value === 0;
}

function atom(e: Expr): Decomposition {
  return {
    e,
    de: undefined,
    a: undefined,
    b: isZero(e) ? undefined : e,
    dInvalid: false,
    eqInvalid: false,
    unsupported: false,
  };
}

function neg(t: Expr | undefined): Expr | undefined {
  return t === undefined ? undefined : { op: "neg", arg: t };
}

/** `p + q` / `p − q` with nocmodl's zero rules for one of the four strings. */
function sum(p: Expr | undefined, q: Expr | undefined, minus: boolean): Expr | undefined {
  if (p !== undefined && q !== undefined) return { op: minus ? "sub" : "add", a: p, b: q };
  if (p !== undefined) return p;
  if (q !== undefined) return minus ? { op: "neg", arg: q } : q;
  return undefined;
}

/**
 * Decomposes `f` with respect to the state slot `x`.
 *
 * @param f right-hand side of the ODE (IR expression)
 * @param x the state
 * @returns the four expressions and validity flags
 */
export function decompose(f: Expr, x: Slot): Decomposition {
  switch (f.op) {
    case "const":
      return atom(f);
    case "read":
      if (sameSlot(f.slot, x)) {
        return {
          e: f,
          de: ONE,
          a: ONE,
          b: undefined,
          dInvalid: false,
          eqInvalid: false,
          unsupported: false,
        };
      }
      return atom(f);
    case "call":
    case "pow": {
      // A function call: an atom; x inside its arguments makes de and the equation invalid.
      const inside = f.op === "call" ? f.args.some((a) => mentions(a, x)) : mentions(f, x);
      const d = atom(f);
      return inside ? { ...d, dInvalid: true, eqInvalid: true } : d;
    }
    case "neg": {
      const d = decompose(f.arg, x);
      return { ...d, e: f, de: neg(d.de), a: neg(d.a), b: neg(d.b) };
    }
    case "add":
    case "sub": {
      const l = decompose(f.a, x), r = decompose(f.b, x);
      const minus = f.op === "sub";
      return {
        e: f,
        de: sum(l.de, r.de, minus),
        a: sum(l.a, r.a, minus),
        b: sum(l.b, r.b, minus),
        dInvalid: l.dInvalid || r.dInvalid,
        eqInvalid: l.eqInvalid || r.eqInvalid,
        unsupported: l.unsupported || r.unsupported,
      };
    }
    case "mul": {
      const l = decompose(f.a, x), r = decompose(f.b, x);
      let de: Expr | undefined;
      if (l.de !== undefined && r.de !== undefined) {
        de = {
          op: "add",
          a: { op: "mul", a: l.de, b: r.e },
          b: { op: "mul", a: l.e, b: r.de },
        };
      } else if (l.de !== undefined) de = { op: "mul", a: l.de, b: r.e };
      else if (r.de !== undefined) de = { op: "mul", a: l.e, b: r.de };
      let a: Expr | undefined;
      let eqInvalid = l.eqInvalid || r.eqInvalid;
      if (l.a !== undefined && r.a !== undefined) eqInvalid = true;
      else if (l.a !== undefined) {
        if (r.b !== undefined) a = { op: "mul", a: l.a, b: r.b };
      } else if (r.a !== undefined) {
        if (l.b !== undefined) a = { op: "mul", a: l.b, b: r.a };
      }
      const b: Expr | undefined = l.b !== undefined && r.b !== undefined
        ? { op: "mul", a: l.b, b: r.b }
        : undefined;
      return {
        e: f,
        de,
        a,
        b,
        dInvalid: l.dInvalid || r.dInvalid,
        eqInvalid,
        unsupported: l.unsupported || r.unsupported,
      };
    }
    case "div": {
      const l = decompose(f.a, x), r = decompose(f.b, x);
      const dInvalid = l.dInvalid || r.dInvalid || r.de !== undefined;
      const eqInvalid = l.eqInvalid || r.eqInvalid || r.a !== undefined;
      return {
        e: f,
        de: r.de === undefined && l.de !== undefined ? { op: "div", a: l.de, b: r.e } : undefined,
        a: r.a === undefined && l.a !== undefined ? { op: "div", a: l.a, b: r.e } : undefined,
        b: l.b !== undefined ? { op: "div", a: l.b, b: r.e } : undefined,
        dInvalid,
        eqInvalid,
        unsupported: l.unsupported || r.unsupported,
      };
    }
    default: {
      // Comparisons, logic, %, !: not part of nocmodl's ODE grammar.
      const d = atom(f);
      return { ...d, unsupported: mentions(f, x) };
    }
  }
}

/**
 * The cnexp update of state `x` for x' = f, as nocmodl emits it, or undefined when nocmodl
 * would fall back to derivimplicit (x inside a function argument or a denominator).
 *
 * @param f right-hand side
 * @param x state slot
 * @param dt the time step expression (the `dt` builtin)
 * @returns the new value of x, or undefined
 */
export function cnexpUpdate(f: Expr, x: Slot, dt: Expr): Expr | undefined {
  const d = decompose(f, x);
  if (d.dInvalid) return undefined;
  const xr: Expr = { op: "read", slot: x };
  if (d.de === undefined) {
    // x = x - dt*(- ( b ) )   (the " / ( 0.0 )" of −b/a stripped)
    const b = d.b ?? { op: "const", value: 0 };
    return { op: "sub", a: xr, b: { op: "mul", a: dt, b: { op: "neg", arg: b } } };
  }
  // x = x + (1. - exp(dt*(de)))*(- ( b ) / ( a ) - x)
  const factor: Expr = {
    op: "sub",
    a: ONE,
    b: { op: "call", fn: "exp", args: [{ op: "mul", a: dt, b: d.de }] },
  };
  let target: Expr;
  if (d.eqInvalid || d.a === undefined) {
    target = { op: "neg", arg: xr }; // "( - x)": the equation string is empty
  } else {
    const b = d.b ?? { op: "const", value: 0 };
    target = { op: "sub", a: { op: "div", a: { op: "neg", arg: b }, b: d.a }, b: xr };
  }
  return { op: "add", a: xr, b: { op: "mul", a: factor, b: target } };
}

/**
 * True when `f` contains an operator that nocmodl's ODE grammar rejects in combination with the
 * state (a comparison or logic operator around x).
 *
 * @param f right-hand side
 * @param x state slot
 * @returns whether the ODE cannot be read by cnexp at all
 */
export function cnexpUnsupported(f: Expr, x: Slot): boolean {
  return decompose(f, x).unsupported;
}
