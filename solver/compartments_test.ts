import assert from "node:assert/strict";
import { DEFAULT_ECA, lowerCell, nodeAt, segmentNodeAt } from "./compartments.ts";
import type { Cell, Section, SectionMechanism } from "./cell.ts";
import { segmentGeometry } from "./segment_geometry.ts";
import { InputValueError } from "../io/mod.ts";

/** A straight cylinder section (two 3-D points). */
function cylinder(
  index: number,
  parent: number,
  parentX: number,
  lengthUm: number,
  diamUm: number,
  nseg: number,
  mechanisms: SectionMechanism[] = [],
  ions: Record<string, number> = {},
): Section {
  return {
    index,
    name: `sec_${index}`,
    label: parent < 0 ? "Soma" : "Dendrite",
    parent,
    parentX,
    children: [],
    x: new Float64Array([0, lengthUm]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([diamUm, diamUm]),
    diam: new Float64Array([diamUm, diamUm]),
    arc: new Float64Array([0, lengthUm]),
    L: lengthUm,
    relPts: new Float64Array([0, 1]),
    nseg,
    Ra: 100,
    cm: parent < 0 ? 1 : 2,
    mechanisms,
    ions,
    line: index + 1,
  };
}

function cellOf(
  sections: Section[],
  mechGlobals: Record<string, Record<string, number>> = {},
): Cell {
  for (const s of sections) if (s.parent >= 0) sections[s.parent].children.push(s.index);
  return {
    sections,
    pointProcesses: [],
    mechGlobals,
    paramFile: "test.param",
    hocFile: "test.hoc",
  };
}

Deno.test("lowerCell() builds NEURON's node topology in Hines order (spec §4.4)", () => {
  const cell = cellOf([
    cylinder(0, -1, 0, 20, 10, 3),
    cylinder(1, 0, 0.5, 100, 2, 4), // on the soma's central node
    cylinder(2, 1, 1, 50, 1, 2), // on section 1's end node
    cylinder(3, 1, 0, 30, 1, 1), // on section 1's 0-end = the soma centre
    cylinder(4, 0, 0.9, 10, 1, 1), // on soma segment 2
  ]);
  const l = lowerCell(cell);
  assert.equal(l.nodeCount, 1 + 4 + 5 + 3 + 2 + 2);
  for (let i = 1; i < l.nodeCount; i++) assert.ok(l.parent[i] >= 0 && l.parent[i] < i, `node ${i}`);
  assert.equal(l.parent[0], -1);
  const soma1 = l.firstNode[0] + 1;
  assert.equal(l.parent[l.firstNode[0]], 0); // soma segment 0 hangs on the root node
  assert.equal(l.parent[l.firstNode[1]], soma1);
  assert.equal(l.parent[l.firstNode[2]], l.firstNode[1] + 4);
  assert.equal(l.parent[l.firstNode[3]], soma1);
  assert.equal(l.parent[l.firstNode[4]], l.firstNode[0] + 2);
  assert.equal(l.attachNode[3], soma1);
  // zero area at root and end nodes, segment areas and conductances from segmentGeometry
  assert.equal(l.area[0], 0);
  for (let s = 0; s < 5; s++) {
    const geo = segmentGeometry(cell.sections[s]);
    const f = l.firstNode[s];
    const n = cell.sections[s].nseg;
    assert.equal(l.area[f + n], 0);
    assert.equal(l.cm[f + n], 0);
    assert.equal(l.gAxial[f + n], 1 / geo.rRight[n - 1]);
    assert.equal(l.gAxial[f], 1 / geo.rLeft[0]);
    for (let i = 0; i < n; i++) {
      assert.equal(l.area[f + i], geo.area[i]);
      assert.equal(l.cm[f + i], cell.sections[s].cm);
      if (i > 0) assert.equal(l.gAxial[f + i], 1 / (geo.rLeft[i] + geo.rRight[i - 1]));
    }
  }
  // segment rows: section order, then segment
  assert.equal(l.segmentNode.length, 3 + 4 + 2 + 1 + 1);
  assert.equal(l.segmentNode[l.rowOffset[2] + 1], l.firstNode[2] + 1);
});

Deno.test("nodeAt() maps x = 0, 1 and interior x to NEURON's nodes", () => {
  const l = lowerCell(cellOf([cylinder(0, -1, 0, 20, 10, 1), cylinder(1, 0, 0.5, 100, 2, 5)]));
  const f = l.firstNode[1];
  assert.equal(nodeAt(l, 1, 0), l.firstNode[0]);
  assert.equal(nodeAt(l, 1, 1), f + 5);
  assert.equal(nodeAt(l, 1, 0.5), f + 2);
  assert.equal(nodeAt(l, 1, 0.4), f + 2); // ⌊0.4·5⌋ = 2
  assert.equal(nodeAt(l, 1, 0.3999), f + 1);
  assert.equal(nodeAt(l, 0, 0), 0); // the soma's root node
  assert.equal(segmentNodeAt(l, 1, 0), f);
  assert.equal(segmentNodeAt(l, 1, 1), f + 4);
  assert.throws(() => nodeAt(l, 2, 0.5), InputValueError);
  assert.throws(() => nodeAt(l, 1, 1.5), InputValueError);
});

Deno.test("lowerCell() applies defaults, per-segment values and GLOBALs; ions per section", () => {
  const cell = cellOf(
    [
      cylinder(0, -1, 0, 20, 10, 1, [
        { name: "pas", params: { g: new Float64Array([3e-5]) } },
        { name: "CaDynamics_E2", params: { decay: new Float64Array([770]) } },
        { name: "Ca_HVA", params: {} },
      ], { ek: -85, ena: 55 }),
      cylinder(1, 0, 0.5, 100, 2, 3, [
        { name: "pas", params: { e: new Float64Array([-90, -80, -70]) } },
        { name: "Ih", params: {} },
      ]),
    ],
    { Ih: { ehcn: -30 } },
  );
  const l = lowerCell(cell);
  assert.deepEqual(l.mechanisms.map((m) => m.mechanism.name), [
    "pas",
    "CaDynamics_E2",
    "Ca_HVA",
    "Ih",
  ]);
  const pas = l.mechanisms[0].instances;
  assert.deepEqual([...pas.node], [
    l.firstNode[0],
    l.firstNode[1],
    l.firstNode[1] + 1,
    l.firstNode[1] + 2,
  ]);
  assert.deepEqual([...pas.fields.g], [3e-5, 0.001, 0.001, 0.001]); // section value, then default
  assert.deepEqual([...pas.fields.e], [-70, -90, -80, -70]); // default, then section values
  assert.equal(l.mechanisms[3].instances.globals.ehcn, -30); // mech_globals
  assert.deepEqual([...l.mechanisms[0].row], [0, 1, 2, 3]);
  assert.equal(l.mechanisms[1].instances.fields.decay[0], 770);
  assert.equal(l.ek[l.firstNode[0]], -85);
  assert.equal(l.ena[l.firstNode[0]], 55);
  assert.equal(l.ek[l.firstNode[1]], -77);
  assert.equal(l.ena[l.firstNode[1]], 50);
  assert.deepEqual([...l.caDynamicNodes], [l.firstNode[0]]);
  // NEURON's built-in default eca (printed to 16 digits); 1e-9 mV is far below any other Nernst
  // value (e.g. 140.24 mV at 34 °C) and admits only rounding.
  assert.ok(Math.abs(DEFAULT_ECA - 132.4579341637009) < 1e-9);
});

Deno.test("lowerCell() reports unknown mechanisms and parameters as InputValueError", () => {
  assert.throws(
    () => lowerCell(cellOf([cylinder(0, -1, 0, 20, 10, 1, [{ name: "hh", params: {} }])])),
    (e: unknown) => e instanceof InputValueError && /Unknown mechanism "hh"/.test(e.message),
  );
  assert.throws(
    () =>
      lowerCell(
        cellOf([
          cylinder(0, -1, 0, 20, 10, 1, [{ name: "pas", params: { gbar: new Float64Array([1]) } }]),
        ]),
      ),
    (e: unknown) =>
      e instanceof InputValueError && e.key === "neuron.Soma.mechanisms.range.pas.gbar",
  );
  assert.throws(
    () => lowerCell(cellOf([cylinder(0, -1, 0, 20, 10, 1)], { pas: { e: 1 } })),
    /"e" is not a GLOBAL of pas/,
    "a GLOBAL that buildCell would have refused is a broken invariant",
  );
});
