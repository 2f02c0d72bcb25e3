/**
 * Segment areas, half-segment axial resistances and mean diameters from a section's 3-D points,
 * exactly as NEURON computes them (`nrn_area_ri` / `diam_from_list` in NEURON's treeset.cpp;
 * spec/algorithm.md §4.5).
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";
import type { Section } from "./cell.ts";

/** Per-segment geometry of one section. */
export interface SegmentGeometry {
  /** Membrane area of each segment node [µm²]. */
  readonly area: Float64Array;
  /** Axial resistance of the left half of each segment [MΩ]. */
  readonly rLeft: Float64Array;
  /** Axial resistance of the right half of each segment [MΩ]. */
  readonly rRight: Float64Array;
  /** Mean diameter of each segment, (1/Δ)·∫d ds (what NEURON reports as `seg.diam`) [µm]. */
  readonly diam: Float64Array;
}

/** The fields of a {@linkcode Section} that the geometry depends on. */
export type SectionGeometryInput = Pick<Section, "arc" | "diam" | "nseg" | "Ra">;

/**
 * Computes NEURON's segment geometry of a section: the piecewise-linear diameter profile over
 * the float32-based arc lengths is integrated over the left and right half of every segment
 * (frustum side areas, Σδ/(d₁d₂) resistances; zero-length pieces clamp δ to 1e-15 as NEURON
 * does). Present diameters are taken as float32 (`Math.fround`), as NEURON stores them.
 *
 * The axial conductance between segment node i and the node before it is
 * `1/(rLeft[i] + rRight[i-1])` (i ≥ 1), `1/rLeft[0]` to the parent's attachment node, and
 * `1/rRight[n-1]` to the section's end node.
 *
 * @param sec the section (arc lengths [µm], diameters [µm], nseg, Ra [Ω·cm])
 * @returns area [µm²], rLeft / rRight [MΩ], diam [µm] per segment
 * @example A 100 µm cylinder of diameter 2 µm in one segment
 * ```ts
 * import assert from "node:assert/strict";
 * import { segmentGeometry } from "./segment_geometry.ts";
 * const g = segmentGeometry({
 *   arc: new Float64Array([0, 100]), diam: new Float64Array([2, 2]), nseg: 1, Ra: 100,
 * });
 * assert.ok(Math.abs(g.area[0] - Math.PI * 2 * 100) < 1e-9);
 * // R = 4·Ra·(L/2)/(π d²)·0.01 MΩ for each half
 * assert.ok(Math.abs(g.rLeft[0] - 4 * 100 * 50 / (Math.PI * 4) * 0.01) < 1e-12);
 * ```
 */
export function segmentGeometry(sec: SectionGeometryInput): SegmentGeometry {
  const n = sec.nseg;
  const arc = sec.arc;
  const npt = arc.length;
  if (npt < 2) throw new InternalError(`segmentGeometry needs at least 2 3-D points, got ${npt}`);
  if (!(n >= 1)) throw new InternalError(`segmentGeometry: nseg must be ≥ 1, got ${n}`);
  const d = new Float64Array(npt);
  for (let k = 0; k < npt; k++) d[k] = Math.abs(Math.fround(sec.diam[k]));
  const area = new Float64Array(n);
  const rLeft = new Float64Array(n);
  const rRight = new Float64Array(n);
  const diamOut = new Float64Array(n);
  const ra = sec.Ra;
  const PI = Math.PI;
  let j = 0;
  let x1 = arc[0];
  let y1 = d[0];
  const ds = arc[npt - 1] / n;
  for (let inode = 0; inode < n; inode++) {
    let si = inode * ds;
    let diam = 0;
    let ar = 0;
    let rl = 0;
    let ri = 0;
    for (let ihalf = 0; ihalf < 2; ihalf++) {
      ri = 0;
      const sip = si + ds / 2;
      for (;;) {
        const jp = j + 1;
        const xj = arc[j];
        const xjp = arc[jp];
        let x2: number, y2: number, jnext: number;
        if (xjp > sip || jp === npt - 1) {
          const frac = Math.abs(xjp - xj) < 1e-10 ? 1 : (sip - xj) / (xjp - xj);
          x2 = sip;
          y2 = (1 - frac) * d[j] + frac * d[jp];
          jnext = j;
        } else {
          x2 = xjp;
          y2 = d[jp];
          jnext = jp;
        }
        let delta = x2 - x1;
        diam += (y2 + y1) * delta;
        if (delta < 1e-15) delta = 1e-15;
        let temp = y2 * y1 / delta;
        if (temp === 0) temp = 1e-15;
        ri += 1 / temp;
        temp = 0.5 * (y2 - y1);
        temp = Math.sqrt(delta * delta + temp * temp);
        ar += (y2 + y1) * temp;
        x1 = x2;
        y1 = y2;
        if (j === jnext) break;
        j = jnext;
      }
      if (ihalf === 0) rl = ri * ra / PI * (4 * 0.01);
      else ri = ri * ra / PI * (4 * 0.01);
      si = sip;
    }
    rLeft[inode] = rl;
    rRight[inode] = ri;
    diamOut[inode] = diam * 0.5 / ds;
    area[inode] = ar * 0.5 * PI;
  }
  return { area, rLeft, rRight, diam: diamOut };
}

/**
 * NEURON's `seg.ri()` of every segment: the resistance between the segment node and the node
 * before it, `rLeft[i] + rRight[i-1]` (just `rLeft[0]` for the first segment) [MΩ].
 *
 * @param g the section's geometry from {@linkcode segmentGeometry}
 * @returns one resistance per segment [MΩ]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { segmentRi } from "./segment_geometry.ts";
 * const ri = segmentRi({ area: new Float64Array(2), diam: new Float64Array(2),
 *   rLeft: new Float64Array([1, 2]), rRight: new Float64Array([3, 4]) });
 * assert.deepEqual([...ri], [1, 5]);
 * ```
 */
export function segmentRi(g: SegmentGeometry): Float64Array {
  const n = g.rLeft.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i === 0 ? g.rLeft[0] : g.rRight[i - 1] + g.rLeft[i];
  return out;
}
