/**
 * The serialisable view of a built cell that plugins receive ({@linkcode CellDescription}):
 * the cell's sections plus segment centres and NEURON path distances, so that a plugin needs no
 * simrun code to find "apical segments 900–1100 µm from the soma".
 *
 * @module
 */
import type { Cell } from "../solver/mod.ts";
import { pathTable, segmentSomaDistances } from "../solver/mod.ts";
import type { CellDescription, SectionDescription } from "./plugin_api.ts";

/**
 * Describes a cell for a plugin. The result shares the cell's typed arrays; it is meant to be
 * sent to a plugin's process, which receives a copy (so a plugin cannot change the cell).
 *
 * @param cell the built cell
 * @returns sections with segment centres and path distances from soma(0), point processes,
 *   mechanism globals
 * @example A soma with one dendrite attached at its centre
 * ```ts
 * import assert from "node:assert/strict";
 * import { describeCell } from "./cell_description.ts";
 * const sec = (index: number, parent: number, L: number, nseg: number) => ({
 *   index, name: `s${index}`, label: index === 0 ? "Soma" : "Dendrite", parent, parentX: 0.5,
 *   children: index === 0 ? [1] : [], x: new Float64Array([0, L]), y: new Float64Array(2),
 *   z: new Float64Array(2), hocDiam: new Float64Array([2, 2]), diam: new Float64Array([2, 2]),
 *   arc: new Float64Array([0, L]), L, relPts: new Float64Array([0, 1]), nseg, Ra: 100, cm: 1,
 *   mechanisms: [], ions: {}, line: 1,
 * });
 * const d = describeCell({ sections: [sec(0, -1, 20, 1), sec(1, 0, 30, 3)], pointProcesses: [],
 *   mechGlobals: {}, paramFile: "c.param", hocFile: "c.hoc" });
 * assert.deepEqual([...d.sections[1].segmentSomaDistance], [15, 25, 35]);
 * assert.equal(d.sections[1].somaDistance1, 40);
 * ```
 */
export function describeCell(cell: Readonly<Cell>): CellDescription {
  const table = pathTable(cell);
  const segDist = segmentSomaDistances(cell);
  const sections: SectionDescription[] = cell.sections.map((s, k) => {
    const segmentX = new Float64Array(s.nseg);
    for (let i = 0; i < s.nseg; i++) segmentX[i] = (i + 0.5) / s.nseg;
    return {
      index: s.index,
      name: s.name,
      label: s.label,
      parent: s.parent,
      parentX: s.parentX,
      children: [...s.children],
      x: s.x,
      y: s.y,
      z: s.z,
      hocDiam: s.hocDiam,
      diam: s.diam,
      arc: s.arc,
      relPts: s.relPts,
      L: s.L,
      nseg: s.nseg,
      Ra: s.Ra,
      cm: s.cm,
      segmentX,
      segmentSomaDistance: segDist[k],
      somaDistance0: table.attach[k],
      somaDistance1: table.attach[k] + s.L,
      mechanisms: s.mechanisms.map((m) => ({ name: m.name, params: { ...m.params } })),
      ions: { ...s.ions },
    };
  });
  return {
    sections,
    pointProcesses: cell.pointProcesses.map((p) => ({ ...p, params: { ...p.params } })),
    mechGlobals: cell.mechGlobals,
    paramFile: cell.paramFile,
    hocFile: cell.hocFile,
  };
}
