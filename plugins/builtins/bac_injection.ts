/** ISF's `BAC_injection` (Hay et al. 2011 BAC stimulus; spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argError, argNumber, checkKeys } from "./_args.ts";
import { trunkLocation } from "./_trunk.ts";

/** Distance used when `dist` is absent (the helper's own default in ISF) [µm]. */
export const BAC_DEFAULT_DIST = 970;

/**
 * BAC stimulus: soma `IClamp` 1.9 nA from 295 ms for 5 ms, plus an `epsp` (imax 0.5 nA, onset
 * 300 ms, tau0 1 ms, tau1 5 ms) on the apical trunk at `dist` µm (970 when absent).
 *
 * @param cell the cell
 * @param args `dist` [µm]
 * @param ctx where the entry is, for errors
 * @returns an IClamp and an epsp
 */
export function bacInjection(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  const fn = "BAC_injection";
  checkKeys(args, ["dist"], ctx, fn);
  const dist = argNumber(args, "dist", ctx, fn, BAC_DEFAULT_DIST);
  const loc = trunkLocation(cell, dist);
  if (loc === undefined) {
    argError(args, "dist", ctx, `${fn}: no apical trunk section reaches ${dist} µm`);
  }
  return {
    pointProcesses: [
      {
        mechanism: "IClamp",
        section: cell.sections[0].index,
        x: 0.5,
        params: { amp: 1.9, del: 295, dur: 5 },
      },
      {
        mechanism: "epsp",
        section: loc.section,
        x: loc.x,
        params: { onset: 300, tau0: 1, tau1: 5, imax: 0.5 },
      },
    ],
  };
}
