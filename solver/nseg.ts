/**
 * ISF's discretization rule (`CellParser.determine_nseg`, spec/formats.md §2.4): the d-λ rule
 * with the diameter of the section's middle 3-D point, plus an optional maximum segment length.
 *
 * @module
 */

/** Inputs of the d-λ rule for one section. */
export interface NsegInput {
  /** Section length [µm] (NEURON's float32-based arc length). */
  readonly L: number;
  /** Diameter of the middle 3-D point (index ⌊n/2⌋) as read from the hoc file [µm]. */
  readonly midDiam: number;
  /** Axial resistivity [Ω·cm]. */
  readonly Ra: number;
  /** Specific capacitance [µF/cm²]. */
  readonly cm: number;
}

/** Options of {@linkcode dLambdaNseg}. */
export interface NsegOptions {
  /** Frequency of the AC length constant [Hz]; ISF's default 100. */
  readonly f?: number;
  /** Maximum segment length [µm]; none by default. */
  readonly maxSegLength?: number | undefined;
}

/**
 * Number of segments by ISF's d-λ rule: λ_f = 10⁵·sqrt(d/(4π·f·Ra·cm)) µm,
 * nseg = 2·⌊(L/(0.1·λ_f) + 0.5)/2⌋ + 1; then, if L/nseg > maxSegLength, nseg = ⌈L/maxSegLength⌉.
 *
 * @param s section length [µm], middle-point diameter [µm], Ra [Ω·cm], cm [µF/cm²]
 * @param options `f` [Hz] (default 100) and `maxSegLength` [µm]
 * @returns the number of segments (≥ 1)
 * @example The example cell's first basal section
 * ```ts
 * import assert from "node:assert/strict";
 * import { dLambdaNseg } from "./nseg.ts";
 * assert.equal(dLambdaNseg({ L: 35.0327949665246, midDiam: 1.24, Ra: 100, cm: 2 }), 3);
 * assert.equal(dLambdaNseg({ L: 100, midDiam: 1, Ra: 100, cm: 1 }, { maxSegLength: 10 }), 10);
 * ```
 */
export function dLambdaNseg(s: NsegInput, options: NsegOptions = {}): number {
  const f = options.f ?? 100.0;
  // Python: 100000 * math.sqrt(d / (4 * np.pi * f * sec.Ra * sec.cm)), left to right
  const lambda = 100000 * Math.sqrt(s.midDiam / (4 * Math.PI * f * s.Ra * s.cm));
  // Python: int(((L / (0.1 * lambda) + 0.5) // 2) * 2 + 1)
  let nseg = Math.trunc(Math.floor((s.L / (0.1 * lambda) + 0.5) / 2) * 2 + 1);
  const maxSeg = options.maxSegLength;
  if (maxSeg !== undefined) {
    if (s.L / nseg > maxSeg) nseg = Math.ceil(s.L / maxSeg);
  }
  return Math.max(1, nseg);
}
