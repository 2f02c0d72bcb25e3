/** ISF's `soma_current_injection` (spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argNumber, checkKeys } from "./_args.ts";

/**
 * A step current at soma(0.5): `IClamp` with amp = `amplitude` [nA], del = `delay` [ms],
 * dur = `duration` [ms].
 *
 * @param cell the cell
 * @param args `amplitude`, `delay`, `duration`
 * @param ctx where the entry is, for errors
 * @returns one IClamp
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { somaCurrentInjection } from "./soma_current_injection.ts";
 * const cell = { sections: [{ index: 0 }] } as never;
 * const m = somaCurrentInjection(cell, { amplitude: 1, delay: 100, duration: 200 }, { keyPath: "k", paramFile: "p" });
 * assert.deepEqual(m.pointProcesses, [{ mechanism: "IClamp", section: 0, x: 0.5, params: { amp: 1, del: 100, dur: 200 } }]);
 * ```
 */
export function somaCurrentInjection(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  const fn = "soma_current_injection";
  checkKeys(args, ["amplitude", "delay", "duration"], ctx, fn);
  const amp = argNumber(args, "amplitude", ctx, fn);
  const del = argNumber(args, "delay", ctx, fn);
  const dur = argNumber(args, "duration", ctx, fn);
  return {
    pointProcesses: [{
      mechanism: "IClamp",
      section: cell.sections[0].index,
      x: 0.5,
      params: { amp, del, dur },
    }],
  };
}
