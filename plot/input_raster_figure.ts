/**
 * Figure "synaptic input raster" of one sweep: one mark per activation, one row per active
 * synapse, rows grouped by presynaptic cell type (excitatory types first), excitatory and
 * inhibitory in distinct colours.
 *
 * @module
 */
import { baseConfig, KIND_COLOR, round6, SCHEMA, TIME_WIDTH } from "./_style.ts";
import type { InputGroup, RasterRow } from "./activation_scan.ts";
import type { VegaLiteSpec } from "./render.ts";

/** Name of the activation mark (the SVG group has class `activations_marks`). */
export const ACTIVATION_MARK = "activations";

/** Input of {@linkcode inputRasterFigure}. */
export interface InputRasterInput {
  /** The sweep drawn. */
  readonly sweep: number;
  /** Its active synapses. */
  readonly rows: readonly RasterRow[];
  /** Cell types in drawing order. */
  readonly groups: readonly InputGroup[];
  /** Time range [ms]. */
  readonly t0: number;
  /** [ms] */
  readonly t1: number;
  /** Stimulus time [ms], if any. */
  readonly stimulusMs: number | undefined;
}

/**
 * The Vega-Lite spec of the input raster.
 *
 * @param input the sweep's rows, the groups, time range and stimulus
 * @returns the spec (data inline; one data row per activation)
 * @example Two activations of one synapse give two marks
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputRasterFigure } from "./input_raster_figure.ts";
 * const spec = inputRasterFigure({ sweep: 0, t0: 0, t1: 10, stimulusMs: undefined,
 *   groups: [{ name: "VPM", kind: "excitatory" }],
 *   rows: [{ type: "VPM_C2", group: "VPM", kind: "excitatory", section: 0, ptId: 0, times: [1, 2] }] });
 * const values = (spec.data as { values: { kind: string }[] }).values;
 * assert.equal(values.filter((v) => v.kind === "act").length, 2);
 * ```
 */
export function inputRasterFigure(input: InputRasterInput): VegaLiteSpec {
  const perGroup = new Map<string, RasterRow[]>();
  for (const r of input.rows) {
    if (!perGroup.has(r.group)) perGroup.set(r.group, []);
    perGroup.get(r.group)!.push(r);
  }
  const order = input.groups.map((g) => g.name).filter((g) => perGroup.has(g));
  const labels = order.map((g) => `${g} (${perGroup.get(g)!.length})`);
  const values: Record<string, unknown>[] = [];
  let activations = 0;
  order.forEach((g, gi) => {
    const rows = perGroup.get(g)!;
    rows.forEach((r, k) => {
      const pos = round6((k + 0.5) / rows.length);
      for (const t of r.times) {
        values.push({ kind: "act", group: labels[gi], ei: r.kind, pos, t: round6(t) });
        activations++;
      }
    });
  });
  if (input.stimulusMs !== undefined) values.push({ kind: "stim", t: input.stimulusMs });
  const kinds = (["excitatory", "inhibitory", "unknown"] as const).filter((k) =>
    input.rows.some((r) => r.kind === k)
  );
  const x = {
    field: "t",
    type: "quantitative",
    title: "time (ms)",
    scale: { domain: [round6(input.t0), round6(input.t1)], nice: false },
  };
  return {
    $schema: SCHEMA,
    title: {
      text: `Synaptic input, sweep ${input.sweep}`,
      subtitle: `${activations} activations at ${input.rows.length} active synapses; ` +
        `one row per synapse (count per cell type in brackets)`,
    },
    config: baseConfig(),
    data: { values },
    width: TIME_WIDTH,
    height: Math.max(300, 16 * order.length),
    layer: [
      {
        name: ACTIVATION_MARK,
        transform: [{ filter: "datum.kind === 'act'" }],
        mark: {
          type: "tick",
          orient: "vertical",
          thickness: 1,
          size: 4,
          opacity: 0.85,
          clip: true,
        },
        encoding: {
          x,
          y: {
            field: "group",
            type: "nominal",
            sort: labels,
            title: "presynaptic cell type",
            axis: { grid: true, gridColor: "#f0f0f0" },
          },
          yOffset: { field: "pos", type: "quantitative", scale: { domain: [0, 1] } },
          color: {
            field: "ei",
            type: "nominal",
            title: null,
            scale: { domain: kinds, range: kinds.map((k) => KIND_COLOR[k]) },
            legend: { orient: "top" },
          },
        },
      },
      {
        name: "stimulus",
        transform: [{ filter: "datum.kind === 'stim'" }],
        mark: { type: "rule", color: "#555", strokeDash: [4, 3] },
        encoding: { x },
      },
    ],
  };
}
