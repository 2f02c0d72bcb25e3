/**
 * Distances on the cell (spec/algorithm.md §4.6).
 *
 * * **NEURON path distance** between *nodes*: a position x on a section maps to a node
 *   (0 → the attachment node on the parent, 1 → the section's end node, else the node of the
 *   segment containing x, at (i+½)·L/n); distances are tree distances between those nodes.
 *   Used by spatial rules, recording sites and cell-modify functions.
 * * **Geometric synapse distance**: x·L plus the full lengths of the ancestors below the soma
 *   (times the attachment position), used for the synapse output.
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";
import type { Section } from "./cell.ts";

/** The fields of a section that path distances need. */
type Geo = Pick<Section, "parent" | "parentX" | "nseg" | "L">;

/** A cell (or anything with the same section topology) for distance queries. */
export interface DistanceCell {
  readonly sections: readonly Geo[];
}

/**
 * Node index of position x on a section with n segments: -1 for x = 0 (the attachment node,
 * i.e. a node of the parent), n for x = 1 (the end node), else min(⌊x·n⌋, n−1).
 *
 * @param nseg number of segments
 * @param x relative position [0, 1]
 * @returns node index (-1 … nseg)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nodeIndex } from "./distances.ts";
 * assert.equal(nodeIndex(3, 0), -1);
 * assert.equal(nodeIndex(3, 0.5), 1);
 * assert.equal(nodeIndex(3, 1), 3);
 * ```
 */
export function nodeIndex(nseg: number, x: number): number {
  if (x <= 0) return -1;
  if (x >= 1) return nseg;
  return Math.min(Math.floor(x * nseg), nseg - 1);
}

/** Precomputed path data: the distance of every section's 0-end node from soma(0). */
export interface PathTable {
  /** Distance [µm] from soma(0) (the root node) to the node each section's 0-end attaches to. */
  readonly attach: Float64Array;
}

/**
 * Precomputes {@linkcode PathTable} for a cell (sections must be in an order where every parent
 * comes before its children, as in ISF).
 *
 * @param cell the cell
 * @returns the table
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathTable } from "./distances.ts";
 * const t = pathTable({ sections: [
 *   { parent: -1, parentX: 0, nseg: 1, L: 20 },
 *   { parent: 0, parentX: 0.5, nseg: 3, L: 30 },
 * ] });
 * assert.deepEqual([...t.attach], [0, 10]);
 * ```
 */
export function pathTable(cell: DistanceCell): PathTable {
  const secs = cell.sections;
  const attach = new Float64Array(secs.length);
  for (let s = 0; s < secs.length; s++) {
    const p = secs[s].parent;
    if (p < 0) {
      attach[s] = 0;
      continue;
    }
    if (p >= s) throw new InternalError(`section ${s} has parent ${p} that is not before it`);
    attach[s] = nodeRootDistance(secs[p], attach[p], nodeIndex(secs[p].nseg, secs[s].parentX));
  }
  return { attach };
}

function nodeRootDistance(sec: Geo, attach: number, idx: number): number {
  if (idx < 0) return attach;
  if (idx >= sec.nseg) return attach + sec.L;
  return attach + (idx + 0.5) * sec.L / sec.nseg;
}

/**
 * NEURON path distance between two positions (each mapped to its node first).
 *
 * @param cell the cell
 * @param secA section index of the first position
 * @param xA relative position on it
 * @param secB section index of the second position
 * @param xB relative position on it
 * @param table precomputed {@linkcode pathTable} (computed if omitted)
 * @returns distance [µm]
 * @example Two points on sibling branches
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathDistance } from "./distances.ts";
 * const cell = { sections: [
 *   { parent: -1, parentX: 0, nseg: 1, L: 20 },
 *   { parent: 0, parentX: 0.5, nseg: 1, L: 30 },
 *   { parent: 0, parentX: 0.5, nseg: 1, L: 40 },
 * ] };
 * assert.equal(pathDistance(cell, 1, 1, 2, 1), 70);
 * assert.equal(pathDistance(cell, 0, 0, 2, 0.5), 30);
 * ```
 */
export function pathDistance(
  cell: DistanceCell,
  secA: number,
  xA: number,
  secB: number,
  xB: number,
  table: PathTable = pathTable(cell),
): number {
  const secs = cell.sections;
  let sa = secA, ia = nodeIndex(secs[sa].nseg, xA);
  let sb = secB, ib = nodeIndex(secs[sb].nseg, xB);
  const rdA = nodeRootDistance(secs[sa], table.attach[sa], ia);
  const rdB = nodeRootDistance(secs[sb], table.attach[sb], ib);
  // Climb to the lowest common section: the deeper one (larger root distance of its 0-end,
  // or simply: the one that is not an ancestor) climbs first. Section indices of ancestors are
  // smaller than those of descendants, so climbing the larger index is always safe.
  while (sa !== sb) {
    if (sa > sb) {
      const p = secs[sa].parent;
      ia = nodeIndex(secs[p].nseg, secs[sa].parentX);
      sa = p;
    } else {
      const p = secs[sb].parent;
      ib = nodeIndex(secs[p].nseg, secs[sb].parentX);
      sb = p;
    }
    if (sa < 0 || sb < 0) throw new InternalError("pathDistance: positions are not on one tree");
  }
  const rdL = nodeRootDistance(secs[sa], table.attach[sa], Math.min(ia, ib));
  return rdA + rdB - 2 * rdL;
}

/**
 * NEURON path distance from soma(0) (ISF's `distance_to_soma(sec, x)`; includes ½·L_soma for
 * anything outside the soma).
 *
 * @param cell the cell (section 0 is the soma)
 * @param sec section index
 * @param x relative position
 * @param table precomputed {@linkcode pathTable}
 * @returns distance [µm]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { distanceFromSoma0 } from "./distances.ts";
 * const cell = { sections: [
 *   { parent: -1, parentX: 0, nseg: 1, L: 20 },
 *   { parent: 0, parentX: 0.5, nseg: 2, L: 30 },
 * ] };
 * assert.equal(distanceFromSoma0(cell, 1, 0.1), 17.5);
 * ```
 */
export function distanceFromSoma0(
  cell: DistanceCell,
  sec: number,
  x: number,
  table: PathTable = pathTable(cell),
): number {
  const s = cell.sections[sec];
  return nodeRootDistance(s, table.attach[sec], nodeIndex(s.nseg, x));
}

/**
 * Geometric synapse distance (spec/algorithm.md §4.6): x·L_s plus L_a·x_attach(child) for every
 * ancestor a of s below the soma; 0 on the soma.
 *
 * @param cell the cell (sections need `label`, `L`, `parent`, `parentX`)
 * @param sec section index
 * @param x relative position (the `.syn` value)
 * @returns distance [µm]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { geometricSomaDistance } from "./distances.ts";
 * const cell = { sections: [
 *   { label: "Soma", parent: -1, parentX: 0, L: 20 },
 *   { label: "Dendrite", parent: 0, parentX: 0.5, L: 30 },
 *   { label: "Dendrite", parent: 1, parentX: 1, L: 40 },
 * ] };
 * assert.equal(geometricSomaDistance(cell, 2, 0.5), 50);
 * ```
 */
export function geometricSomaDistance(
  cell: { readonly sections: readonly Pick<Section, "label" | "L" | "parent" | "parentX">[] },
  sec: number,
  x: number,
): number {
  const secs = cell.sections;
  let cur = secs[sec];
  if (cur.label === "Soma") return 0;
  let dist = x * cur.L;
  while (cur.parent >= 0) {
    const parent = secs[cur.parent];
    if (parent.label === "Soma") break;
    dist += parent.L * cur.parentX;
    cur = parent;
  }
  return dist;
}

/**
 * Distance from soma(0) of every segment node of every section, in section order (the
 * `somaDist` column of the reference tables).
 *
 * @param cell the cell
 * @returns one array per section with one distance per segment [µm]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { segmentSomaDistances } from "./distances.ts";
 * const d = segmentSomaDistances({ sections: [{ parent: -1, parentX: 0, nseg: 1, L: 20 }] });
 * assert.deepEqual([...d[0]], [10]);
 * ```
 */
export function segmentSomaDistances(cell: DistanceCell): Float64Array[] {
  const table = pathTable(cell);
  return cell.sections.map((s, k) => {
    const out = new Float64Array(s.nseg);
    for (let i = 0; i < s.nseg; i++) out[i] = nodeRootDistance(s, table.attach[k], i);
    return out;
  });
}
