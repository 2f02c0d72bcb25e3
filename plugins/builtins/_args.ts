/** Argument readers for the built-in cell-modify functions (folder-private). @module */
import {
  describeParamValue,
  InputValueError,
  paramLocation,
  type ParamObject,
  type ParamValue,
} from "../../io/mod.ts";
import type { CellModifyContext } from "../cell_modification.ts";

/** Throws an InputValueError located at `key` of the function's arguments. */
export function argError(
  args: Readonly<Record<string, ParamValue>>,
  key: string | undefined,
  ctx: CellModifyContext,
  message: string,
): never {
  const loc = paramLocation(args as ParamObject, key, ctx.keyPath);
  throw new InputValueError(
    loc.file === "<unknown>" ? { ...loc, file: ctx.paramFile } : loc,
    message,
  );
}

/** Rejects keyword arguments the function does not take (Python raises a TypeError). */
export function checkKeys(
  args: Readonly<Record<string, ParamValue>>,
  allowed: readonly string[],
  ctx: CellModifyContext,
  fn: string,
): void {
  for (const k of Object.keys(args)) {
    if (!allowed.includes(k)) {
      argError(
        args,
        k,
        ctx,
        `${fn}() got an unexpected keyword argument "${k}"; it takes ${
          allowed.join(", ") || "none"
        }`,
      );
    }
  }
}

/** A number argument; `fallback` when absent (undefined fallback → required). */
export function argNumber(
  args: Readonly<Record<string, ParamValue>>,
  key: string,
  ctx: CellModifyContext,
  fn: string,
  fallback?: number,
): number {
  if (!Object.hasOwn(args, key) || args[key] === null) {
    if (fallback !== undefined) return fallback;
    argError(args, undefined, ctx, `${fn}() needs the argument "${key}" (a number)`);
  }
  const v = args[key];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    argError(
      args,
      key,
      ctx,
      `Cannot read "${key}" of ${fn}: expected a number, got ${describeParamValue(v)}`,
    );
  }
  return v;
}
