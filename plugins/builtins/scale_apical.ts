/** ISF's `scale_apical` (spec/cell_modify_functions.md §2). @module */
import type { ParamValue } from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argError, argNumber, checkKeys } from "./_args.ts";
import { detailedLabels } from "./_trunk.ts";

/**
 * Scales apical diameters by `scale` (relative to the hoc values): every `ApicalDendrite`
 * section (`compartment: "ApicalDendrite"`, the default) or only the trunk (`"Trunk"`).
 *
 * @param cell the cell
 * @param args `scale` (required), `compartment`
 * @param ctx where the entry is, for errors
 * @returns the new diameters
 */
export function scaleApical(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  checkKeys(args, ["scale", "compartment"], ctx, "scale_apical");
  const scale = argNumber(args, "scale", ctx, "scale_apical");
  const compartment = args.compartment ?? "ApicalDendrite";
  let pick: (s: number) => boolean;
  if (compartment === "ApicalDendrite") pick = (s) => cell.sections[s].label === "ApicalDendrite";
  else if (compartment === "Trunk") {
    const labels = detailedLabels(cell);
    pick = (s) => labels[s] === "trunk";
  } else {
    argError(
      args,
      "compartment",
      ctx,
      `scale_apical: compartment must be "ApicalDendrite" or "Trunk", got ${
        JSON.stringify(compartment)
      }`,
    );
  }
  const diameters = cell.sections.filter((s) => pick(s.index)).map((s) => ({
    section: s.index,
    diam: Array.from(s.hocDiam, (d) => d * scale),
  }));
  return { diameters };
}
