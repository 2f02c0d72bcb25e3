/**
 * Test fixture: a three-section cell (soma, a dendrite and an apical section) built by hand, for
 * plugin tests that do not need `../shared`.
 *
 * @module
 */
import type { Cell, Section } from "../../solver/cell.ts";

function section(
  index: number,
  label: string,
  parent: number,
  L: number,
  nseg: number,
  diam: number,
): Section {
  return {
    index,
    name: `${label.toLowerCase()}_${index}`,
    label,
    parent,
    parentX: parent < 0 ? 0 : parent === 0 ? 0.5 : 1,
    children: [],
    x: new Float64Array([0, L]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([diam, diam]),
    diam: new Float64Array([diam, diam]),
    arc: new Float64Array([0, L]),
    L,
    relPts: new Float64Array([0, 1]),
    nseg,
    Ra: 100,
    cm: 1,
    mechanisms: [{ name: "pas", params: { g: new Float64Array(nseg).fill(1e-4) } }],
    ions: {},
    line: index + 1,
  };
}

/** A soma (20 µm), a basal dendrite (100 µm, 5 segments) and an apical section (200 µm, 4). */
export function tinyCell(): Cell {
  const sections = [
    section(0, "Soma", -1, 20, 1, 20),
    section(1, "Dendrite", 0, 100, 5, 2),
    section(2, "ApicalDendrite", 0, 200, 4, 3),
  ];
  sections[0].children.push(1, 2);
  return {
    sections,
    pointProcesses: [],
    mechGlobals: {},
    paramFile: "tiny.param",
    hocFile: "tiny.hoc",
  };
}
