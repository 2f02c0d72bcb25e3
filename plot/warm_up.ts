/**
 * Loads the plotting libraries and runs each kind of figure once on a few made-up points, so
 * that their code is compiled and optimised before real figures are drawn. `--plot` starts this
 * while the simulation runs (the main thread waits for the job workers meanwhile), which takes
 * most of the one-time cost of the first figures off the time after the run.
 *
 * @module
 */
import { inputPsthFigure } from "./input_psth_figure.ts";
import { inputRasterFigure } from "./input_raster_figure.ts";
import { morphologyFigure } from "./morphology_figure.ts";
import { outputFigure } from "./output_figure.ts";
import { renderPng, renderSvg, type VegaLiteSpec } from "./render.ts";
import { vmFigure } from "./vm_figure.ts";

function tinySpecs(): VegaLiteSpec[] {
  // Traces of demo size (a thousand points) let V8 optimise the per-point code, not only compile it.
  const t = Float64Array.from({ length: 1000 }, (_, k) => k / 5);
  const v = Float64Array.from(t, (x) => -70 + 80 * Math.exp(-(((x % 50) - 25) ** 2)));
  const spikes = [{ sweep: 0, times: [25, 75], values: [10, 10] }];
  const groups = [
    { name: "E", kind: "excitatory" as const },
    { name: "I", kind: "inhibitory" as const },
  ];
  const rows = groups.map((g, k) => ({
    type: `${g.name}_C2`,
    group: g.name,
    kind: g.kind,
    section: k,
    ptId: 0,
    times: Array.from({ length: 100 }, (_, j) => 1 + j * 1.9 + k),
  }));
  const psth = Float64Array.from({ length: 200 }, (_, k) => k % 7);
  const section = (index: number, dz: number) => ({
    index,
    label: index ? "ApicalDendrite" : "Soma",
    h: Float64Array.of(0, 5, 10),
    v: Float64Array.of(0, dz, 2 * dz),
    diam: Float64Array.of(3, 2, 1),
  });
  return [
    vmFigure({
      locations: [{ name: "soma", traces: [{ sweep: 0, t, v }] }, {
        name: "site",
        traces: [{ sweep: 0, t, v }],
      }],
      spikes,
      t0: 0,
      t1: 199,
      stimulusMs: 100,
      subtitle: "warm-up",
    }),
    inputRasterFigure({ sweep: 0, rows, groups, t0: 0, t1: 199, stimulusMs: 100 }),
    inputPsthFigure({
      groups,
      totals: new Map(groups.map((g) => [g.name, { activeSynapses: 1, activations: 3, psth }])),
      sweeps: 1,
      t0: 0,
      t1: 199,
      stimulusMs: 100,
    }),
    outputFigure({ rasterSpikes: spikes, allSpikes: spikes, t0: 0, t1: 199, stimulusMs: 100 }),
    morphologyFigure({
      cell: { hAxis: "x", vAxis: "z", soma: 0, sections: [section(0, 5), section(1, 50)] },
      file: "warm-up.hoc",
      synapses: [{ h: 5, v: 50, group: "E" }, { h: 10, v: 100, group: "I" }],
      groups,
      sweep: 0,
      sites: [{ h: 5, v: 50, label: "site 0" }],
    }),
  ];
}

/**
 * Loads Vega, Vega-Lite and resvg and renders one tiny figure of each kind (SVG and PNG).
 *
 * @param rounds how many times (default 1; a second round compiled little more, measured)
 * @returns when done
 * @example
 * ```ts ignore
 * const warm = warmUpPlotting(); // while something else runs
 * await warm;
 * ```
 */
export async function warmUpPlotting(rounds = 1): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    for (const spec of tinySpecs()) await renderPng(await renderSvg(spec));
  }
}
