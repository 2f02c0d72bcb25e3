import assert from "node:assert/strict";
import { apProbability, outputFigure } from "./output_figure.ts";

Deno.test("apProbability() is the fraction of sweeps with a spike in each bin (a burst counts once)", () => {
  const s = [
    { sweep: 0, times: [10.2, 10.9, 12.0], values: [1, 1, 1] },
    { sweep: 1, times: [10.5], values: [1] },
    { sweep: 2, times: [], values: [] },
    { sweep: 3, times: [99], values: [1] }, // outside the bins
  ];
  const p = apProbability(s, 10, 3);
  assert.deepEqual([...p], [0.5, 0, 0.25]);
});

Deno.test("outputFigure() draws spike times relative to the stimulus, one raster mark per spike", () => {
  const s = [{ sweep: 4, times: [250, 300], values: [1, 1] }];
  const spec = outputFigure({ rasterSpikes: s, allSpikes: s, t0: 0, t1: 345, stimulusMs: 245 });
  const [raster, psth] = spec.vconcat as { data: { values: { t: number; p?: number }[] } }[];
  assert.deepEqual(raster.data.values.map((r) => r.t), [5, 55]);
  assert.deepEqual(psth.data.values.map((r) => [r.t, r.p]), [[5, 1], [55, 1]]);
});
