/**
 * Dendritic recording sites from landmarks (ISF's `RecordingSiteManager`, spec/algorithm.md §5,
 * spec/formats.md §6): nearest 3-D point → section and relPts position → nearest segment centre
 * → soma distance from soma(0) → the label
 * `<basename>_ID_%03d_sec_%03d_seg_%03d_x_%.3f_somaDist_%.1f`.
 *
 * @module
 */
import type { Cell } from "./cell.ts";
import { distanceFromSoma0, pathTable } from "./distances.ts";

/** One recording site. */
export interface RecordingSite {
  /** ISF's label of the site. */
  readonly label: string;
  /** 0-based index of the landmark within its file. */
  readonly id: number;
  /** Section index. */
  readonly section: number;
  /** Segment index within the section. */
  readonly segment: number;
  /** Segment centre (i+½)/nseg. */
  readonly x: number;
  /** NEURON path distance from soma(0) to the segment node [µm]. */
  readonly somaDist: number;
}

/** A landmark position [µm]. */
export interface LandmarkPoint {
  /** x coordinate, in the morphology's frame [µm]. */
  readonly x: number;
  /** y coordinate, in the morphology's frame [µm]. */
  readonly y: number;
  /** z coordinate, in the morphology's frame [µm]. */
  readonly z: number;
}

const POW5: bigint[] = [];
function pow5(k: number): bigint {
  while (POW5.length <= k) POW5.push(POW5.length === 0 ? 1n : POW5[POW5.length - 1] * 5n);
  return POW5[k];
}

/** Exact decimal expansion of a finite non-negative double: integer digits and fraction digits. */
function exactDecimal(v: number): { int: string; frac: string } {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0), lo = dv.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  if (e >= 0) return { int: (mant << BigInt(e)).toString(), frac: "" };
  const k = -e;
  const digits = (mant * pow5(k)).toString().padStart(k + 1, "0");
  return { int: digits.slice(0, digits.length - k), frac: digits.slice(digits.length - k) };
}

/**
 * C `printf("%.*f", digits, v)` as glibc prints it: correctly rounded from the exact binary
 * value, exact ties rounded half to even (where `toFixed` rounds them up).
 *
 * @param v the value
 * @param digits digits after the point
 * @returns the formatted number
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatFixed } from "./recording_sites.ts";
 * assert.equal(formatFixed(0.125, 2), "0.12"); // exact tie → even
 * assert.equal(formatFixed(0.375, 2), "0.38");
 * assert.equal(formatFixed(920.6713971514512, 1), "920.7");
 * assert.equal(formatFixed(2.5, 0), "2");
 * ```
 */
export function formatFixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return String(v);
  const neg = v < 0 || Object.is(v, -0);
  const { int, frac } = exactDecimal(Math.abs(v));
  const rest = frac.slice(digits);
  if (rest.length > 0 && rest[0] === "5" && /^50*$/.test(rest)) {
    // exact tie: round half to even on the last kept digit
    const kept = int + frac.slice(0, digits).padEnd(digits, "0");
    let n = BigInt(kept);
    if (n % 2n === 1n) n += 1n;
    let s = n.toString().padStart(digits + 1, "0");
    if (digits > 0) s = s.slice(0, s.length - digits) + "." + s.slice(s.length - digits);
    return (neg ? "-" : "") + s;
  }
  return (neg ? "-" : "") + Math.abs(v).toFixed(digits);
}

function pad3(n: number): string {
  return String(n).padStart(3, "0");
}

/**
 * Base name of a landmark file without folder and `.landmarkAscii` extension.
 *
 * @param path the file path
 * @returns the base name used in site labels
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { landmarkBasename } from "./recording_sites.ts";
 * assert.equal(landmarkBasename("/a/b/rec_sites.landmarkAscii"), "rec_sites");
 * ```
 */
export function landmarkBasename(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".landmarkAscii") ? base.slice(0, -".landmarkAscii".length) : base;
}

/**
 * Maps landmarks to recording sites.
 *
 * @param cell the built cell (after cell-modify functions; they do not change nseg)
 * @param landmarks landmark positions in file order [µm]
 * @param basename the landmark file's base name (see {@linkcode landmarkBasename})
 * @returns one site per landmark
 * @example
 * ```ts ignore
 * const sites = recordingSites(cell, parseLandmarks(text, file), landmarkBasename(file));
 * ```
 */
export function recordingSites(
  cell: Pick<Cell, "sections">,
  landmarks: readonly LandmarkPoint[],
  basename: string,
): RecordingSite[] {
  const table = pathTable(cell);
  const out: RecordingSite[] = [];
  for (let id = 0; id < landmarks.length; id++) {
    const p = landmarks[id];
    let best = Infinity, bestSec = 0, bestPt = 0;
    for (const sec of cell.sections) {
      for (let k = 0; k < sec.x.length; k++) {
        const dx = sec.x[k] - p.x, dy = sec.y[k] - p.y, dz = sec.z[k] - p.z;
        const d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (d < best) {
          best = d;
          bestSec = sec.index;
          bestPt = k;
        }
      }
    }
    const sec = cell.sections[bestSec];
    const xp = sec.relPts[bestPt];
    let seg = 0, segBest = Infinity;
    for (let i = 0; i < sec.nseg; i++) {
      const d = Math.abs((i + 0.5) / sec.nseg - xp);
      if (d < segBest) {
        segBest = d;
        seg = i;
      }
    }
    const x = (seg + 0.5) / sec.nseg;
    const somaDist = distanceFromSoma0(cell, bestSec, x, table);
    const label = `${basename}_ID_${pad3(id)}_sec_${pad3(bestSec)}_seg_${pad3(seg)}_x_${
      formatFixed(x, 3)
    }_somaDist_${formatFixed(somaDist, 1)}`;
    out.push({ label, id, section: bestSec, segment: seg, x, somaDist });
  }
  return out;
}
