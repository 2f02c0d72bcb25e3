/** ISF's `apical_epsp_injection` (spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argError, argNumber, checkKeys } from "./_args.ts";
import { trunkLocation } from "./_trunk.ts";

/**
 * An `epsp` current on the apical trunk at `dist` µm from soma(0): imax = `amplitude` [nA],
 * onset = `delay` [ms], tau0 = `rise` [ms] (default 1), tau1 = `decay` [ms] (default 5).
 *
 * @param cell the cell
 * @param args `dist`, `amplitude`, `delay`, `rise`, `decay`
 * @param ctx where the entry is, for errors
 * @returns one epsp
 */
export function apicalEpspInjection(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  const fn = "apical_epsp_injection";
  checkKeys(args, ["dist", "amplitude", "delay", "rise", "decay"], ctx, fn);
  const dist = argNumber(args, "dist", ctx, fn);
  const imax = argNumber(args, "amplitude", ctx, fn);
  const onset = argNumber(args, "delay", ctx, fn);
  const tau0 = argNumber(args, "rise", ctx, fn, 1.0);
  const tau1 = argNumber(args, "decay", ctx, fn, 5);
  const loc = trunkLocation(cell, dist);
  if (loc === undefined) {
    argError(args, "dist", ctx, `${fn}: no apical trunk section reaches ${dist} µm`);
  }
  return {
    pointProcesses: [{
      mechanism: "epsp",
      section: loc.section,
      x: loc.x,
      params: { onset, tau0, tau1, imax },
    }],
  };
}
