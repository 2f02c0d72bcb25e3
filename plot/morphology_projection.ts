/**
 * A 2-D side view of a hoc morphology (spec/formats.md §4): the vertical axis is the one along
 * which the apical dendrite reaches farthest from the soma (drawn upwards), the horizontal axis
 * the wider of the other two. A cell without apical sections is drawn along its two widest axes.
 * Points are those of the hoc file; synapses sit on a section's 3-D point (the activation file's
 * `section pt ID`), recording sites at a relative arc length `x` of their section.
 *
 * @module
 */
import type { HocMorphology } from "../io/mod.ts";

/** A point of the projection [µm]. */
export interface ProjectedPoint {
  /** Horizontal coordinate [µm]. */
  readonly h: number;
  /** Vertical coordinate [µm] (apical dendrite upwards). */
  readonly v: number;
}

/** One section, projected. */
export interface ProjectedSection {
  /** Section index (hoc creation order). */
  readonly index: number;
  /** Its label (`Soma`, `Dendrite`, `ApicalDendrite`, `Axon`). */
  readonly label: string;
  /** Horizontal coordinates [µm]. */
  readonly h: Float64Array;
  /** Vertical coordinates [µm]. */
  readonly v: Float64Array;
  /** Diameters [µm]. */
  readonly diam: Float64Array;
}

/** The projected cell. */
export interface MorphologyProjection {
  /** Name of the horizontal axis (`x`, `y` or `z`), for the axis title. */
  readonly hAxis: string;
  /** Name of the vertical axis, with `-` when it is flipped (apical dendrite along −axis). */
  readonly vAxis: string;
  /** Sections in hoc order. */
  readonly sections: readonly ProjectedSection[];
  /** Index of the soma section. */
  readonly soma: number;
}

const AXES = ["x", "y", "z"] as const;

function coord(s: HocMorphology["sections"][number], axis: number): Float64Array {
  return axis === 0 ? s.x : axis === 1 ? s.y : s.z;
}

/**
 * Projects a morphology onto its side view.
 *
 * @param m the parsed hoc file
 * @returns sections in 2-D and the axes used
 * @example A soma with an apical dendrite along −z is drawn upwards
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHoc } from "../io/mod.ts";
 * import { projectMorphology } from "./morphology_projection.ts";
 * const m = parseHoc(
 *   "{create soma}\n{pt3dadd(0,0,0,10)}\n{pt3dadd(0,0,1,10)}\n" +
 *     "{create apical_1}\n{connect apical_1(0), soma(1)}\n{pt3dadd(0,0,1,2)}\n{pt3dadd(3,0,-100,1)}\n",
 *   "cell.hoc",
 * );
 * const p = projectMorphology(m);
 * assert.equal(p.vAxis, "-z");
 * assert.equal(p.sections[1].v[1], 100);
 * ```
 */
export function projectMorphology(m: HocMorphology): MorphologyProjection {
  const soma = m.sections[m.soma];
  const mid = Math.floor(soma.x.length / 2);
  const centre = [soma.x[mid], soma.y[mid], soma.z[mid]];
  // Farthest apical reach per axis (signed), and overall extents.
  const reach = [0, 0, 0];
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (const s of m.sections) {
    for (let a = 0; a < 3; a++) {
      const c = coord(s, a);
      for (let k = 0; k < c.length; k++) {
        if (c[k] < lo[a]) lo[a] = c[k];
        if (c[k] > hi[a]) hi[a] = c[k];
        if (s.label === "ApicalDendrite") {
          const d = c[k] - centre[a];
          if (Math.abs(d) > Math.abs(reach[a])) reach[a] = d;
        }
      }
    }
  }
  const extent = [0, 1, 2].map((a) => hi[a] - lo[a]);
  const hasApical = reach.some((r) => r !== 0);
  let vert: number;
  if (hasApical) {
    vert = [0, 1, 2].reduce((b, a) => (Math.abs(reach[a]) > Math.abs(reach[b]) ? a : b));
  } else vert = [0, 1, 2].reduce((b, a) => (extent[a] > extent[b] ? a : b));
  const flip = hasApical && reach[vert] < 0;
  const others = [0, 1, 2].filter((a) => a !== vert);
  const horiz = extent[others[0]] >= extent[others[1]] ? others[0] : others[1];
  const sections = m.sections.map((s, index) => {
    const hs = coord(s, horiz), vs = coord(s, vert);
    return {
      index,
      label: s.label,
      h: Float64Array.from(hs),
      v: Float64Array.from(vs, (x) => (flip ? -x : x)),
      diam: s.diam,
    };
  });
  return {
    hAxis: AXES[horiz],
    vAxis: (flip ? "-" : "") + AXES[vert],
    sections,
    soma: m.soma,
  };
}

/**
 * The projected position of a section's 3-D point.
 *
 * @param p the projection
 * @param section section index
 * @param pt point index within the section
 * @returns the point, or undefined when the section or point does not exist
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pointOf } from "./morphology_projection.ts";
 * const p = { hAxis: "x", vAxis: "z", soma: 0, sections: [{ index: 0, label: "Soma",
 *   h: Float64Array.of(0, 1), v: Float64Array.of(0, 2), diam: Float64Array.of(1, 1) }] };
 * assert.deepEqual(pointOf(p, 0, 1), { h: 1, v: 2 });
 * assert.equal(pointOf(p, 3, 0), undefined);
 * ```
 */
export function pointOf(
  p: MorphologyProjection,
  section: number,
  pt: number,
): ProjectedPoint | undefined {
  const s = p.sections[section];
  if (s === undefined || pt < 0 || pt >= s.h.length) return undefined;
  return { h: s.h[pt], v: s.v[pt] };
}

/**
 * The projected position at relative arc length `x` of a section (3-D arc length, linear
 * interpolation between points).
 *
 * @param p the projection
 * @param m the hoc morphology (for 3-D arc lengths)
 * @param section section index
 * @param x relative position, 0 … 1
 * @returns the point, or undefined when the section does not exist
 * @example Middle of a straight section
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHoc } from "../io/mod.ts";
 * import { positionAt, projectMorphology } from "./morphology_projection.ts";
 * const m = parseHoc("{create soma}\n{pt3dadd(0,0,0,10)}\n{pt3dadd(0,0,10,10)}\n", "c.hoc");
 * assert.deepEqual(positionAt(projectMorphology(m), m, 0, 0.5), { h: 0, v: 5 });
 * ```
 */
export function positionAt(
  p: MorphologyProjection,
  m: HocMorphology,
  section: number,
  x: number,
): ProjectedPoint | undefined {
  const s = m.sections[section], ps = p.sections[section];
  if (s === undefined || ps === undefined) return undefined;
  const n = s.x.length;
  const arc = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    arc[k] = arc[k - 1] +
      Math.hypot(s.x[k] - s.x[k - 1], s.y[k] - s.y[k - 1], s.z[k] - s.z[k - 1]);
  }
  const target = Math.min(1, Math.max(0, x)) * arc[n - 1];
  for (let k = 1; k < n; k++) {
    if (arc[k] >= target) {
      const w = arc[k] > arc[k - 1] ? (target - arc[k - 1]) / (arc[k] - arc[k - 1]) : 0;
      return {
        h: ps.h[k - 1] + w * (ps.h[k] - ps.h[k - 1]),
        v: ps.v[k - 1] + w * (ps.v[k] - ps.v[k - 1]),
      };
    }
  }
  return { h: ps.h[n - 1], v: ps.v[n - 1] };
}
