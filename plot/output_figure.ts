/**
 * Figure "output": the soma spike raster across sweeps and the output PSTH: for each 1 ms bin,
 * the fraction of sweeps with a spike in it (AP probability), against time after the stimulus
 * (or simulation time when the network param has no stimulus).
 *
 * @module
 */
import { baseConfig, round6, SCHEMA, TIME_WIDTH } from "./_style.ts";
import type { VegaLiteSpec } from "./render.ts";
import type { SweepSpikes } from "./trace_reader.ts";

/** Width of an output PSTH bin [ms]. */
export const OUTPUT_BIN_MS = 1;

/** Name of the output spike mark (the SVG group has class `output_spikes_marks`). */
export const OUTPUT_SPIKE_MARK = "output_spikes";

/** Input of {@linkcode outputFigure}. */
export interface OutputFigureInput {
  /** Spikes of the sweeps in the raster. */
  readonly rasterSpikes: readonly SweepSpikes[];
  /** Spikes of every sweep (for the PSTH). */
  readonly allSpikes: readonly SweepSpikes[];
  /** Time range of the traces [ms]. */
  readonly t0: number;
  /** [ms] */
  readonly t1: number;
  /** Stimulus time [ms], if any: times are drawn relative to it. */
  readonly stimulusMs: number | undefined;
}

/**
 * AP probability per bin: the fraction of sweeps with at least one spike in each bin.
 *
 * @param spikes every sweep's spikes
 * @param t0 start of the first bin [ms]
 * @param bins number of bins of {@linkcode OUTPUT_BIN_MS}
 * @returns one probability per bin
 * @example Two sweeps, one spikes in bin 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { apProbability } from "./output_figure.ts";
 * const p = apProbability([{ sweep: 0, times: [1.5, 1.7], values: [1, 1] }, { sweep: 1, times: [], values: [] }], 0, 3);
 * assert.deepEqual([...p], [0, 0.5, 0]);
 * ```
 */
export function apProbability(
  spikes: readonly SweepSpikes[],
  t0: number,
  bins: number,
): Float64Array {
  const p = new Float64Array(bins);
  const seen = new Int32Array(bins).fill(-1);
  spikes.forEach((s, k) => {
    for (const t of s.times) {
      const b = Math.floor((t - t0) / OUTPUT_BIN_MS);
      if (b >= 0 && b < bins && seen[b] !== k) {
        seen[b] = k;
        p[b]++;
      }
    }
  });
  const n = Math.max(1, spikes.length);
  for (let b = 0; b < bins; b++) p[b] /= n;
  return p;
}

/**
 * The Vega-Lite spec of the output figure.
 *
 * @param input spikes, time range, stimulus
 * @returns the spec (data inline)
 * @example One mark per spike
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputFigure } from "./output_figure.ts";
 * const s = [{ sweep: 0, times: [1, 5], values: [1, 1] }];
 * const spec = outputFigure({ rasterSpikes: s, allSpikes: s, t0: 0, t1: 10, stimulusMs: 2 });
 * const raster = (spec.vconcat as { data: { values: unknown[] } }[])[0].data.values;
 * assert.equal(raster.length, 2);
 * ```
 */
export function outputFigure(input: OutputFigureInput): VegaLiteSpec {
  const ref = input.stimulusMs ?? 0;
  const xTitle = input.stimulusMs === undefined ? "time (ms)" : "time after stimulus (ms)";
  const domain = [round6(input.t0 - ref), round6(input.t1 - ref)];
  const raster = input.rasterSpikes.flatMap((s) =>
    s.times.map((t) => ({ sweep: s.sweep, t: round6(t - ref) }))
  );
  // Bins aligned to the stimulus (bin 0 = [stimulus, stimulus + 1 ms)).
  const firstBin = Math.floor((input.t0 - ref) / OUTPUT_BIN_MS);
  const bins = Math.max(1, Math.ceil((input.t1 - ref) / OUTPUT_BIN_MS) - firstBin);
  const p = apProbability(input.allSpikes, ref + firstBin * OUTPUT_BIN_MS, bins);
  const psth: Record<string, number>[] = [];
  for (let b = 0; b < bins; b++) {
    if (p[b] > 0) {
      const t = (firstBin + b) * OUTPUT_BIN_MS;
      psth.push({ t, t2: t + OUTPUT_BIN_MS, p: round6(p[b]) });
    }
  }
  const sweeps = input.rasterSpikes.map((s) => s.sweep);
  const lo = sweeps.reduce((a, b) => Math.min(a, b), 0);
  const hi = sweeps.reduce((a, b) => Math.max(a, b), 0);
  const stimRule = input.stimulusMs === undefined ? [] : [{
    data: { values: [{ t: 0 }] },
    mark: { type: "rule", color: "#555", strokeDash: [4, 3] },
    encoding: { x: { field: "t", type: "quantitative" } },
  }];
  const x = { field: "t", type: "quantitative", title: xTitle, scale: { domain, nice: false } };
  const nAll = input.allSpikes.length;
  return {
    $schema: SCHEMA,
    title: {
      text: "Output: soma spikes",
      subtitle:
        `raster of ${input.rasterSpikes.length} sweep${
          input.rasterSpikes.length === 1 ? "" : "s"
        }; ` +
        `AP probability per ${OUTPUT_BIN_MS} ms bin over ${nAll} sweep${nAll === 1 ? "" : "s"}`,
    },
    config: baseConfig(),
    vconcat: [
      {
        data: { values: raster },
        width: TIME_WIDTH,
        height: Math.max(60, Math.min(300, 14 * input.rasterSpikes.length)),
        layer: [
          {
            name: OUTPUT_SPIKE_MARK,
            mark: { type: "tick", orient: "vertical", thickness: 1.5, color: "#000", clip: true },
            encoding: {
              x,
              y: {
                field: "sweep",
                type: "quantitative",
                title: "sweep",
                scale: { domain: [lo - 0.5, hi + 0.5], nice: false, reverse: true },
                axis: { tickMinStep: 1, format: "d", grid: false },
              },
            },
          },
          ...stimRule,
        ],
      },
      {
        data: { values: psth },
        width: TIME_WIDTH,
        height: 140,
        layer: [
          {
            name: "output_psth",
            mark: { type: "bar", color: "#37474f" },
            encoding: {
              x,
              x2: { field: "t2" },
              y: {
                field: "p",
                type: "quantitative",
                title: "AP probability",
                scale: { zero: true },
              },
              y2: { datum: 0 },
            },
          },
          ...stimRule,
        ],
      },
    ],
  };
}
