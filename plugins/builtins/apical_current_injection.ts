/** ISF's `apical_current_injection` (spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argError, argNumber, checkKeys } from "./_args.ts";
import { trunkLocation } from "./_trunk.ts";

/**
 * A step current (`IClamp`) on the apical trunk at `dist` µm from soma(0); `dist = 0` → soma(0.5).
 *
 * @param cell the cell
 * @param args `amplitude` [nA], `delay` [ms], `duration` [ms], `dist` [µm]
 * @param ctx where the entry is, for errors
 * @returns one IClamp
 */
export function apicalCurrentInjection(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  const fn = "apical_current_injection";
  checkKeys(args, ["amplitude", "delay", "duration", "dist"], ctx, fn);
  const amp = argNumber(args, "amplitude", ctx, fn);
  const del = argNumber(args, "delay", ctx, fn);
  const dur = argNumber(args, "duration", ctx, fn);
  const dist = argNumber(args, "dist", ctx, fn, 0);
  let section = 0, x = 0.5;
  if (dist !== 0) {
    const loc = trunkLocation(cell, dist);
    if (loc === undefined) {
      argError(args, "dist", ctx, `${fn}: no apical trunk section reaches ${dist} µm`);
    }
    ({ section, x } = loc);
  }
  return { pointProcesses: [{ mechanism: "IClamp", section, x, params: { amp, del, dur } }] };
}
