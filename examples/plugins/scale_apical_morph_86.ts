/**
 * Example cell-modify plugin: ISF's `scale_apical_morph_86` (spec/cell_modify_functions.md §2),
 * written against the plugin API. Use it in a cell param file by its path, relative to the param
 * file:
 *
 * ```
 * "cell_modify_functions": {"plugins/scale_apical_morph_86.ts": {}}
 * ```
 *
 * Walking sections in index order, every `ApicalDendrite` section whose 1-end lies within
 * 1000 µm of soma(0) (NEURON path distance) gets 2.5 × its hoc diameters; the walk stops after
 * 33 scaled sections. Always relative to the hoc values, so applying it twice changes nothing.
 *
 * @module
 */
import type { CellDescription, CellModification, PluginArgs } from "../../plugins/plugin_api.ts";

/** Sections of morphology 86 whose 1-end is farther from soma(0) are not scaled [µm]. */
const MAX_DISTANCE_UM = 1000;
/** ISF stops after this many scaled sections (the trunk and proximal branches of cell 86). */
const MAX_SECTIONS = 33;
/** Diameter factor relative to the hoc file. */
const SCALE = 2.5;

/**
 * Scales the apical trunk of morphology 86.
 *
 * @param cell the cell description
 * @param args none are accepted
 * @returns new diameters for the scaled sections
 */
export function cellModify(cell: CellDescription, args: PluginArgs): CellModification {
  const extra = Object.keys(args);
  if (extra.length > 0) {
    throw new TypeError(`scale_apical_morph_86 takes no arguments, got ${extra.join(", ")}`);
  }
  const diameters: { section: number; diam: number[] }[] = [];
  for (const sec of cell.sections) {
    if (sec.label !== "ApicalDendrite") continue;
    if (sec.somaDistance1 > MAX_DISTANCE_UM) continue;
    if (diameters.length === MAX_SECTIONS) break;
    diameters.push({ section: sec.index, diam: Array.from(sec.hocDiam, (d) => SCALE * d) });
  }
  return { diameters };
}
