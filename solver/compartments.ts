/**
 * Lowering: turns the cell description (`Cell`) into flat node arrays for the solver, following
 * NEURON's node topology (spec/algorithm.md §4.4, §4.5): per section nseg segment nodes plus one
 * zero-area end node at x = 1; the soma additionally owns a zero-area root node at its 0-end.
 * Nodes are numbered depth-first from the root, so every parent has a smaller index than its
 * children (Hines order).
 *
 * @module
 */
import { InputValueError, InternalError } from "../io/mod.ts";
import type { Cell, Section } from "./cell.ts";
import { nodeIndex } from "./distances.ts";
import { allocateInstances, writesCai } from "./mechanisms/_types.ts";
import type { DensityMechanism, MechanismInstances } from "./mechanisms/_types.ts";
import { DENSITY_MECHANISMS } from "./mechanisms/mod.ts";
import { segmentGeometry } from "./segment_geometry.ts";

/** NEURON's default sodium reversal potential [mV]. */
export const DEFAULT_ENA = 50;
/** NEURON's default potassium reversal potential [mV]. */
export const DEFAULT_EK: number = -77;
/** NEURON's initial intracellular calcium `cai0_ca_ion` [mM]. */
export const CAI0 = 5e-5;
/** NEURON's initial extracellular calcium `cao0_ca_ion` [mM]. */
export const CAO0 = 2;
/** NEURON's default eca where calcium is not dynamic: 12.5·ln(cao0/cai0) [mV]. */
export const DEFAULT_ECA: number = 12.5 * Math.log(CAO0 / CAI0);

/** The instances of one density mechanism over all segment nodes that carry it. */
export interface LoweredMechanism {
  /** The catalogue entry. */
  readonly mechanism: DensityMechanism;
  /** Its instances (parameters applied, states set by `init`). */
  readonly instances: MechanismInstances;
  /** Segment row (section order, then segment; see `LoweredCell.segmentNode`) of instance k. */
  readonly row: Int32Array;
}

/** The cell as flat node arrays. */
export interface LoweredCell {
  /** Number of nodes (segment, end and root nodes). */
  readonly nodeCount: number;
  /** Parent node; -1 for the root (node 0). `parent[i] < i`. */
  readonly parent: Int32Array;
  /** Membrane area [µm²]; 0 for end and root nodes. */
  readonly area: Float64Array;
  /** Specific capacitance [µF/cm²]; 0 for end and root nodes. */
  readonly cm: Float64Array;
  /** Axial conductance between the node and its parent [µS] (0 for the root). */
  readonly gAxial: Float64Array;
  /** Sodium reversal [mV] (section `ions.ena`, else 50). */
  readonly ena: Float64Array;
  /** Potassium reversal [mV] (section `ions.ek`, else −77). */
  readonly ek: Float64Array;
  /** Calcium reversal where calcium is not dynamic [mV] (section `ions.eca`, else 132.458). */
  readonly ecaFixed: Float64Array;
  /** Nodes whose section has a mechanism that writes cai (eca follows Nernst there). */
  readonly caDynamicNodes: Int32Array;
  /** Node of segment 0 of each section; segment i is `firstNode + i`, the end node `+ nseg`. */
  readonly firstNode: Int32Array;
  /** Node the section's 0-end sits on (the parent's node; the root node for the soma). */
  readonly attachNode: Int32Array;
  /** nseg of each section. */
  readonly nseg: Int32Array;
  /** Segment rows in section order, then segment order: row → node. */
  readonly segmentNode: Int32Array;
  /** First segment row of each section (length sections + 1). */
  readonly rowOffset: Int32Array;
  /** Density mechanisms in catalogue (NEURON update) order, only those inserted somewhere. */
  readonly mechanisms: readonly LoweredMechanism[];
}

/**
 * Lowers a cell: node topology, areas, capacitances, axial conductances, ion constants and the
 * instances of every inserted density mechanism with their per-segment parameters and the
 * GLOBAL values of `cell.mechGlobals`.
 *
 * @param cell the built cell
 * @param catalogue density mechanisms in NEURON's update order (default: the built-in catalogue)
 * @returns the flat node arrays
 * @throws InputValueError for an unknown mechanism or parameter name
 * @example A one-section cell with pas
 * ```ts
 * import assert from "node:assert/strict";
 * import { lowerCell } from "./compartments.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1,
 *   mechanisms: [{ name: "pas", params: { g: new Float64Array([1e-4]) } }],
 * };
 * const l = lowerCell({ sections: [sec], pointProcesses: [], mechGlobals: {}, paramFile: "c.param",
 *   hocFile: "c.hoc" });
 * assert.equal(l.nodeCount, 3); // root, one segment, end
 * assert.equal(l.mechanisms[0].instances.fields.g[0], 1e-4);
 * ```
 */
export function lowerCell(
  cell: Cell,
  catalogue: readonly DensityMechanism[] = DENSITY_MECHANISMS,
): LoweredCell {
  const secs = cell.sections;
  const nsec = secs.length;
  if (nsec === 0 || secs[0].parent !== -1) {
    throw new InternalError("lowerCell: section 0 must be the soma (root)");
  }
  // Depth-first order from the soma, children in index order.
  const order: number[] = [];
  const stack = [0];
  const seen = new Uint8Array(nsec);
  while (stack.length > 0) {
    const s = stack.pop()!;
    if (seen[s]) throw new InternalError(`lowerCell: section ${s} is reached twice`);
    seen[s] = 1;
    order.push(s);
    const ch = secs[s].children;
    for (let c = ch.length - 1; c >= 0; c--) stack.push(ch[c]);
  }
  if (order.length !== nsec) {
    throw new InternalError(`lowerCell: ${nsec - order.length} sections are not connected`);
  }
  let nodeCount = 1;
  for (const s of secs) nodeCount += s.nseg + 1;
  const parent = new Int32Array(nodeCount).fill(-1);
  const area = new Float64Array(nodeCount);
  const cm = new Float64Array(nodeCount);
  const gAxial = new Float64Array(nodeCount);
  const ena = new Float64Array(nodeCount).fill(DEFAULT_ENA);
  const ek = new Float64Array(nodeCount).fill(DEFAULT_EK);
  const ecaFixed = new Float64Array(nodeCount).fill(DEFAULT_ECA);
  const firstNode = new Int32Array(nsec);
  const attachNode = new Int32Array(nsec);
  const nsegArr = new Int32Array(nsec);
  const caWriters = new Set(catalogue.filter(writesCai).map((m) => m.name));
  const caNodes: number[] = [];
  let next = 1; // node 0 is the root node at soma(0)
  for (const s of order) {
    const sec = secs[s];
    const n = sec.nseg;
    nsegArr[s] = n;
    const attach = s === 0 ? 0 : nodeOnParent(secs, firstNode, sec);
    attachNode[s] = attach;
    firstNode[s] = next;
    const geo = segmentGeometry(sec);
    const e_na = sec.ions["ena"] ?? DEFAULT_ENA;
    const e_k = sec.ions["ek"] ?? DEFAULT_EK;
    const e_ca = sec.ions["eca"] ?? DEFAULT_ECA;
    const caDyn = sec.mechanisms.some((m) => caWriters.has(m.name));
    for (let i = 0; i < n; i++) {
      const k = next + i;
      parent[k] = i === 0 ? attach : k - 1;
      area[k] = geo.area[i];
      cm[k] = sec.cm;
      gAxial[k] = i === 0 ? 1 / geo.rLeft[0] : 1 / (geo.rLeft[i] + geo.rRight[i - 1]);
      ena[k] = e_na;
      ek[k] = e_k;
      ecaFixed[k] = e_ca;
      if (caDyn) caNodes.push(k);
    }
    const end = next + n;
    parent[end] = end - 1;
    gAxial[end] = 1 / geo.rRight[n - 1];
    next = end + 1;
  }
  if (next !== nodeCount) throw new InternalError("lowerCell: node count mismatch");
  const rowOffset = new Int32Array(nsec + 1);
  for (let s = 0; s < nsec; s++) rowOffset[s + 1] = rowOffset[s] + secs[s].nseg;
  const segmentNode = new Int32Array(rowOffset[nsec]);
  for (let s = 0; s < nsec; s++) {
    for (let i = 0; i < secs[s].nseg; i++) segmentNode[rowOffset[s] + i] = firstNode[s] + i;
  }
  const mechanisms = lowerMechanisms(cell, catalogue, rowOffset, segmentNode);
  return {
    nodeCount,
    parent,
    area,
    cm,
    gAxial,
    ena,
    ek,
    ecaFixed,
    caDynamicNodes: Int32Array.from(caNodes).sort(),
    firstNode,
    attachNode,
    nseg: nsegArr,
    segmentNode,
    rowOffset,
    mechanisms,
  };
}

function nodeOnParent(secs: readonly Section[], firstNode: Int32Array, sec: Section): number {
  const i = nodeIndex(secs[sec.parent].nseg, sec.parentX); // nseg: the parent's end node
  if (i < 0) return sec.parent === 0 ? 0 : nodeOnParent(secs, firstNode, secs[sec.parent]);
  return firstNode[sec.parent] + i;
}

function lowerMechanisms(
  cell: Cell,
  catalogue: readonly DensityMechanism[],
  rowOffset: Int32Array,
  segmentNode: Int32Array,
): LoweredMechanism[] {
  const secs = cell.sections;
  const known = new Map(catalogue.map((m) => [m.name, m]));
  for (const sec of secs) {
    for (const sm of sec.mechanisms) {
      const m = known.get(sm.name);
      if (m === undefined) {
        throw new InputValueError(
          { file: cell.paramFile, key: `neuron.${sec.label}.mechanisms.range.${sm.name}` },
          `Unknown mechanism "${sm.name}" in section ${sec.name}; known: ${
            [...known.keys()].join(", ")
          }`,
        );
      }
      for (const p of Object.keys(sm.params)) {
        if (!Object.hasOwn(m.parameters, p)) {
          throw new InputValueError(
            { file: cell.paramFile, key: `neuron.${sec.label}.mechanisms.range.${sm.name}.${p}` },
            `Unknown parameter "${p}" of mechanism "${sm.name}" in section ${sec.name}`,
          );
        }
      }
    }
  }
  for (const [mech, globals] of Object.entries(cell.mechGlobals)) {
    const m = known.get(mech);
    for (const p of Object.keys(globals)) {
      if (m !== undefined && !Object.hasOwn(m.globals, p)) {
        throw new InternalError(`lowerCell: "${p}" is not a GLOBAL of ${mech}`);
      }
    }
  }
  const out: LoweredMechanism[] = [];
  for (const m of catalogue) {
    const rows: number[] = [];
    for (let s = 0; s < secs.length; s++) {
      if (secs[s].mechanisms.some((sm) => sm.name === m.name)) {
        for (let r = rowOffset[s]; r < rowOffset[s + 1]; r++) rows.push(r);
      }
    }
    if (rows.length === 0) continue;
    const row = Int32Array.from(rows);
    const node = new Int32Array(row.length);
    for (let k = 0; k < row.length; k++) node[k] = segmentNode[row[k]];
    const instances = allocateInstances(m, node, cell.mechGlobals[m.name] ?? {});
    let k = 0;
    for (let s = 0; s < secs.length; s++) {
      const sm = secs[s].mechanisms.find((x) => x.name === m.name);
      if (sm === undefined) continue;
      const n = secs[s].nseg;
      for (const [p, values] of Object.entries(sm.params)) {
        if (values.length !== n) {
          throw new InternalError(
            `lowerCell: ${m.name}.${p} on section ${s} has ${values.length} values, nseg ${n}`,
          );
        }
        instances.fields[p].set(values, k);
      }
      k += n;
    }
    out.push({ mechanism: m, instances, row });
  }
  return out;
}

/**
 * The node of position x on a section, NEURON's rule (spec/algorithm.md §4.4): x = 0 → the
 * node the section's 0-end sits on, x = 1 → the end node, else the node of the segment
 * containing x, index min(⌊x·nseg⌋, nseg−1).
 *
 * @param l the lowered cell
 * @param section section index
 * @param x relative position [0, 1]
 * @returns node index
 * @throws InputValueError for a section index or x out of range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeAt } from "./compartments.ts";
 * const l = { firstNode: new Int32Array([1]), attachNode: new Int32Array([0]),
 *   nseg: new Int32Array([3]) };
 * assert.equal(nodeAt(l, 0, 0.5), 2);
 * assert.equal(nodeAt(l, 0, 1), 4);
 * assert.equal(nodeAt(l, 0, 0), 0);
 * ```
 */
export function nodeAt(
  l: Pick<LoweredCell, "firstNode" | "attachNode" | "nseg">,
  section: number,
  x: number,
): number {
  checkSite(l, section, x);
  const i = nodeIndex(l.nseg[section], x);
  return i < 0 ? l.attachNode[section] : l.firstNode[section] + i;
}

/**
 * The segment node containing x (x = 0 and x = 1 map to the first and last segment): where a
 * point process sits, so that it always has membrane area.
 *
 * @param l the lowered cell
 * @param section section index
 * @param x relative position [0, 1]
 * @returns node index
 * @throws InputValueError for a section index or x out of range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { segmentNodeAt } from "./compartments.ts";
 * const l = { firstNode: new Int32Array([1]), attachNode: new Int32Array([0]),
 *   nseg: new Int32Array([3]) };
 * assert.equal(segmentNodeAt(l, 0, 1), 3);
 * ```
 */
export function segmentNodeAt(
  l: Pick<LoweredCell, "firstNode" | "attachNode" | "nseg">,
  section: number,
  x: number,
): number {
  checkSite(l, section, x);
  const n = l.nseg[section];
  return l.firstNode[section] + Math.min(Math.floor(x * n), n - 1);
}

function checkSite(l: Pick<LoweredCell, "nseg">, section: number, x: number): void {
  if (!Number.isInteger(section) || section < 0 || section >= l.nseg.length) {
    throw new InputValueError(
      { file: "site" },
      `Section ${section} does not exist (the cell has ${l.nseg.length} sections)`,
    );
  }
  if (!(x >= 0 && x <= 1)) {
    throw new InputValueError(
      { file: "site" },
      `Position x = ${x} on section ${section} is outside [0, 1]`,
    );
  }
}
