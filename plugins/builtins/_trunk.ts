/**
 * ISF helpers on the apical tree (spec/cell_modify_functions.md §3): sections "connected beyond
 * 1000 µm", the trunk location at a given distance (`get_inner_section_at_distance`) and the
 * detailed labels trunk / oblique / tuft / basal (`augment_cell_with_detailed_labels`).
 * Distances are NEURON path distances from soma(0).
 *
 * @module
 */
import type { Cell } from "../../solver/mod.ts";
import { distanceFromSoma0, type PathTable, pathTable } from "../../solver/mod.ts";

/** The 1000 µm threshold ISF uses. */
export const BEYOND_DIST = 1000;

/**
 * For each section: is it an `ApicalDendrite` whose 1-end is beyond `beyond` µm from soma(0), or
 * one with a child connected beyond (recursively)?
 *
 * @param cell the cell
 * @param beyond threshold [µm]
 * @param t the cell's path table (computed if omitted)
 * @returns one flag per section
 */
export function connectedBeyond(
  cell: Readonly<Cell>,
  beyond = BEYOND_DIST,
  t: PathTable = pathTable(cell),
): boolean[] {
  const out = new Array<boolean>(cell.sections.length).fill(false);
  for (let s = cell.sections.length - 1; s >= 0; s--) { // children have larger indices
    const sec = cell.sections[s];
    if (sec.label !== "ApicalDendrite") continue;
    out[s] = distanceFromSoma0(cell, s, 1, t) > beyond || sec.children.some((c) => out[c]);
  }
  return out;
}

/**
 * ISF's trunk location at distance `dist`: among the sections connected beyond 1000 µm (keyed by
 * the distance of their 1-end; equal distances: the later section wins), the one with the
 * smallest such distance that is > dist; x = (dist − distance of its 0-end)/L.
 *
 * @param cell the cell
 * @param dist distance from soma(0) [µm]
 * @returns section and x, or undefined when no such section exists
 */
export function trunkLocation(
  cell: Readonly<Cell>,
  dist: number,
): { section: number; x: number } | undefined {
  const t = pathTable(cell);
  const beyond = connectedBeyond(cell, BEYOND_DIST, t);
  const byDist = new Map<number, number>();
  for (let s = 0; s < cell.sections.length; s++) {
    if (beyond[s]) byDist.set(distanceFromSoma0(cell, s, 1, t), s);
  }
  let best: number | undefined;
  for (const d of byDist.keys()) if (d > dist && (best === undefined || d < best)) best = d;
  if (best === undefined) return undefined;
  const s = byDist.get(best)!;
  const x = (dist - distanceFromSoma0(cell, s, 0, t)) / cell.sections[s].L;
  return { section: s, x };
}

/** Detailed label of a section. */
export type DetailedLabel = "trunk" | "oblique" | "tuft" | "basal" | string;

/**
 * ISF's detailed labels: the main bifurcation is the first `ApicalDendrite` (index order) whose
 * 1-end is beyond 1000 µm or that has at least two children connected beyond; its descendants
 * → tuft; it and its ancestors below the soma → trunk; other apical → oblique; Dendrite /
 * BasalDendrite → basal; others keep their label.
 *
 * @param cell the cell
 * @returns one label per section
 */
export function detailedLabels(cell: Readonly<Cell>): DetailedLabel[] {
  const t = pathTable(cell);
  const beyond = connectedBeyond(cell, BEYOND_DIST, t);
  const labels: DetailedLabel[] = cell.sections.map((s) =>
    s.label === "ApicalDendrite"
      ? "oblique"
      : s.label === "Dendrite" || s.label === "BasalDendrite"
      ? "basal"
      : s.label
  );
  let bif = -1;
  for (let s = 0; s < cell.sections.length; s++) {
    const sec = cell.sections[s];
    if (sec.label !== "ApicalDendrite") continue;
    if (
      distanceFromSoma0(cell, s, 1, t) > BEYOND_DIST ||
      sec.children.filter((c) => beyond[c]).length >= 2
    ) {
      bif = s;
      break;
    }
  }
  if (bif < 0) return labels;
  const stack = [...cell.sections[bif].children];
  while (stack.length > 0) {
    const k = stack.pop()!;
    labels[k] = "tuft";
    stack.push(...cell.sections[k].children);
  }
  for (let s = bif; s >= 0 && cell.sections[s].label !== "Soma"; s = cell.sections[s].parent) {
    labels[s] = "trunk";
  }
  return labels;
}
