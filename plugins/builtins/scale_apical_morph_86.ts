/** ISF's `scale_apical_morph_86` (spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import { distanceFromSoma0, pathTable } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { checkKeys } from "./_args.ts";

/**
 * Scales the apical trunk of morphology 86: walking sections in index order, every
 * `ApicalDendrite` section whose 1-end is within 1000 µm of soma(0) gets 2.5 × its hoc
 * diameters, stopping after 33 sections. Idempotent (always relative to the hoc values).
 *
 * @param cell the cell
 * @param args none
 * @param ctx where the entry is, for errors
 * @returns the new diameters
 * @example
 * ```ts ignore
 * applyCellModification(cell, scaleApicalMorph86(cell, {}, ctx));
 * ```
 */
export function scaleApicalMorph86(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  checkKeys(args, [], ctx, "scale_apical_morph_86");
  const t = pathTable(cell);
  const diameters: { section: number; diam: number[] }[] = [];
  let count = 0;
  for (const sec of cell.sections) {
    if (sec.label !== "ApicalDendrite") continue;
    if (distanceFromSoma0(cell, sec.index, 1, t) > 1000.0) continue;
    if (count > 32) break;
    count++;
    diameters.push({ section: sec.index, diam: Array.from(sec.hocDiam, (d) => 2.5 * d) });
  }
  return { diameters };
}
