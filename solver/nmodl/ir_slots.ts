/**
 * Which slots IR code reads or writes: one walk over statements and expressions, for the
 * backends and the built-in catalogue (which fields a kernel touches, which it needs).
 *
 * @module
 */
import type { Expr, Slot, Stmt } from "./ir.ts";

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
    switch (e.op) {
      case "const":
        return;
      case "read":
        return visit(e.slot);
      case "neg":
      case "not":
        return expr(e.arg);
      case "call":
        for (const a of e.args) expr(a);
        return;
      default:
        expr(e.a);
        expr(e.b);
    }
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
