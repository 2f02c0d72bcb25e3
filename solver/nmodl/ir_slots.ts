/**
 * Which slots IR code reads or writes: one walk over statements and expressions, for the
 * backends and the built-in catalogue (which fields a kernel touches, which it needs).
 *
 * @module
 */
import type { Expr, Slot, Stmt } from "./ir.ts";

/**
 * The operands of an expression, in evaluation order: none for a constant or a read.
 *
 * @param e an expression
 * @returns its direct subexpressions
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { exprOperands } from "./ir_slots.ts";
 * const one = { op: "const", value: 1 } as const;
 * assert.deepEqual(exprOperands({ op: "add", a: one, b: one }), [one, one]);
 * assert.deepEqual(exprOperands(one), []);
 * ```
 */
export function exprOperands(e: Expr): readonly Expr[] {
  switch (e.op) {
    case "const":
    case "read":
      return [];
    case "neg":
    case "not":
      return [e.arg];
    case "call":
      return e.args;
    default:
      return [e.a, e.b];
  }
}

/**
 * Calls `visit` for every slot that the statements (nested blocks included: `if`, table
 * fallbacks, Newton and kinetic bodies) and the extra expressions read or write.
 *
 * @param list statements
 * @param exprs further expressions (e.g. a current kernel's conductance)
 * @param visit called once per occurrence
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { forEachSlot } from "./ir_slots.ts";
 * const seen: string[] = [];
 * forEachSlot(
 *   [{ op: "assign", slot: { space: "field", index: 2 }, value: { op: "const", value: 1 } }],
 *   [],
 *   (s) => seen.push(s.space),
 * );
 * assert.deepEqual(seen, ["field"]);
 * ```
 */
export function forEachSlot(
  list: readonly Stmt[],
  exprs: readonly Expr[],
  visit: (s: Slot) => void,
): void {
  const expr = (e: Expr): void => {
    if (e.op === "read") visit(e.slot);
    else for (const x of exprOperands(e)) expr(x);
  };
  const stmts = (l: readonly Stmt[]): void => {
    for (const s of l) {
      switch (s.op) {
        case "assign":
          visit(s.slot);
          expr(s.value);
          break;
        case "if":
          expr(s.cond);
          stmts(s.then);
          stmts(s.otherwise);
          break;
        case "loadNode":
        case "random":
          visit(s.slot);
          break;
        case "storeNode":
        case "addNode":
          expr(s.value);
          break;
        case "table":
          expr(s.arg);
          s.outputs.forEach(visit);
          stmts(s.direct);
          break;
        case "netSend":
          expr(s.delay);
          expr(s.flag);
          break;
        case "newton":
          s.states.forEach(visit);
          stmts(s.body);
          break;
        case "kinetic":
          s.states.forEach(visit);
          stmts(s.assemble);
      }
    }
  };
  stmts(list);
  exprs.forEach(expr);
}
