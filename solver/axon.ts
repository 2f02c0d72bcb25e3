/**
 * The axon ISF appends when the cell param has an `AIS` block (`_create_ais_Hay2013`, after
 * Hay et al. 2013; spec/formats.md §4.4): hillock (AIS label, 5 points, 3 → 1.75 µm, nseg 5),
 * initial segment (AIS, 7 points, 1.75 → 1 µm, nseg 7) and myelin (Myelin, 21 points, 1 µm,
 * nseg 21), all going straight down (−z) from the bottom of the soma's middle point.
 *
 * @module
 */

/** One added axon section, as 3-D points (float64, as ISF computes them). */
export interface AxonSection {
  readonly name: string;
  readonly label: "AIS" | "Myelin";
  /** Index of the parent *within the whole cell*: soma index or the previous axon section. */
  readonly parent: number;
  readonly parentX: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly z: Float64Array;
  readonly diam: Float64Array;
  /** Fixed number of segments (not changed by the d-λ rule). */
  readonly nseg: number;
}

/** The soma's 3-D points as read. */
export interface SomaPoints {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly z: ArrayLike<number>;
  readonly diam: ArrayLike<number>;
}

function line(
  bx: number,
  by: number,
  bz: number,
  n: number,
  step: number,
  d0: number,
  taper: number,
): { x: Float64Array; y: Float64Array; z: Float64Array; diam: Float64Array } {
  const x = new Float64Array(n), y = new Float64Array(n), z = new Float64Array(n);
  const diam = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // numpy: begin - (i * step) * [0, 0, 1]  → x − 0, y − 0, z − i·step
    x[i] = bx - 0;
    y[i] = by - 0;
    z[i] = bz - i * step;
    diam[i] = d0 + taper * i;
  }
  return { x, y, z, diam };
}

/**
 * The three axon sections of Hay et al. 2013 as ISF builds them.
 *
 * @param soma the soma's 3-D points (float64 hoc values)
 * @param somaIndex section index of the soma (the hillock's parent)
 * @param firstIndex section index the hillock will get (number of hoc sections)
 * @returns hillock, AIS and myelin, in that order
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { hay2013Axon } from "./axon.ts";
 * const ax = hay2013Axon({ x: [0, 0, 0], y: [0, 0, 0], z: [0, 1, 2], diam: [4, 10, 4] }, 0, 5);
 * assert.deepEqual([...ax[0].z], [-4, -9, -14, -19, -24]);
 * assert.deepEqual([...ax[0].diam], [3, 2.6875, 2.375, 2.0625, 1.75]);
 * assert.equal(ax[2].nseg, 21);
 * assert.equal(ax[2].parent, 6);
 * ```
 */
export function hay2013Axon(
  soma: SomaPoints,
  somaIndex: number,
  firstIndex: number,
): AxonSection[] {
  const myelinDiam = 1.0;
  const myelinLength = 1000.0;
  const myelinSeg = 1 + 2 * Math.trunc(myelinLength / 100.0);
  const myelinStep = myelinLength / (myelinSeg - 1);
  const aisDiam = 1.75;
  const aisLength = 30.0;
  const aisSeg = 1 + 2 * Math.trunc(aisLength / 10.0);
  const aisTaper = (myelinDiam - aisDiam) / (aisSeg - 1);
  const aisStep = aisLength / (aisSeg - 1);
  const hillBeginDiam = 3;
  const hillLength = 20.0;
  const hillSeg = 1 + 2 * Math.trunc(hillLength / 10.0);
  const hillTaper = (aisDiam - hillBeginDiam) / (hillSeg - 1);
  const hillStep = hillLength / (hillSeg - 1);

  const mid = Math.floor(soma.x.length / 2);
  const r = 0.5 * soma.diam[mid];
  const hill = line(
    soma.x[mid] - 0,
    soma.y[mid] - 0,
    soma.z[mid] - r * 1,
    hillSeg,
    hillStep,
    hillBeginDiam,
    hillTaper,
  );
  const h = hillSeg - 1;
  const ais = line(hill.x[h], hill.y[h], hill.z[h], aisSeg, aisStep, aisDiam, aisTaper);
  const a = aisSeg - 1;
  const myelin = line(ais.x[a], ais.y[a], ais.z[a], myelinSeg, myelinStep, myelinDiam, 0);
  myelin.diam.fill(myelinDiam);
  return [
    { name: "axon_0", label: "AIS", parent: somaIndex, parentX: 0.5, ...hill, nseg: hillSeg },
    { name: "axon_0_0", label: "AIS", parent: firstIndex, parentX: 1.0, ...ais, nseg: aisSeg },
    {
      name: "axon_0_0_0",
      label: "Myelin",
      parent: firstIndex + 1,
      parentX: 1.0,
      ...myelin,
      nseg: myelinSeg,
    },
  ];
}
