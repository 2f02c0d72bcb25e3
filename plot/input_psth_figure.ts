/**
 * Figure "input PSTH": the total excitatory and inhibitory input rate over time, and the input
 * PSTH of each presynaptic cell type: activations per 1 ms bin, mean over sweeps (so the unit is
 * activations per ms, i.e. kHz, of all synapses of that type together).
 *
 * @module
 */
import { baseConfig, KIND_COLOR, round6, SCHEMA, TIME_WIDTH } from "./_style.ts";
import { type GroupTotals, type InputGroup, PSTH_BIN_MS } from "./activation_scan.ts";
import type { VegaLiteSpec } from "./render.ts";

/** Input of {@linkcode inputPsthFigure}. */
export interface InputPsthInput {
  /** Cell types in drawing order. */
  readonly groups: readonly InputGroup[];
  /** Summed counts per group. */
  readonly totals: ReadonlyMap<string, GroupTotals>;
  /** Number of sweeps the counts are summed over. */
  readonly sweeps: number;
  /** Time range to show [ms]. */
  readonly t0: number;
  /** [ms] */
  readonly t1: number;
  /** Stimulus time [ms], if any. */
  readonly stimulusMs: number | undefined;
}

/**
 * The Vega-Lite spec of the input PSTH figure.
 *
 * @param input counts per group, number of sweeps, time range, stimulus
 * @returns the spec (data inline)
 * @example Mean over two sweeps
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputPsthFigure } from "./input_psth_figure.ts";
 * const spec = inputPsthFigure({ sweeps: 2, t0: 0, t1: 3, stimulusMs: undefined,
 *   groups: [{ name: "VPM", kind: "excitatory" }],
 *   totals: new Map([["VPM", { activeSynapses: 1, activations: 2, psth: Float64Array.of(0, 2, 0) }]]) });
 * const total = (spec.vconcat as { data: { values: { t: number; rate: number }[] } }[])[0].data.values;
 * assert.deepEqual(total.find((r) => r.t === 1)?.rate, 1);
 * ```
 */
export function inputPsthFigure(input: InputPsthInput): VegaLiteSpec {
  const n = Math.max(1, input.sweeps);
  const first = Math.max(0, Math.floor(input.t0 / PSTH_BIN_MS));
  const bins = input.totals.values().next().value?.psth.length ?? 0;
  const last = Math.min(bins, Math.ceil(input.t1 / PSTH_BIN_MS));
  const total: Record<string, unknown>[] = [];
  const byKind = new Map<string, Float64Array>();
  for (const g of input.groups) {
    const p = input.totals.get(g.name)!.psth;
    if (!byKind.has(g.kind)) byKind.set(g.kind, new Float64Array(bins));
    const acc = byKind.get(g.kind)!;
    for (let b = 0; b < bins; b++) acc[b] += p[b];
  }
  for (const [kind, acc] of byKind) {
    for (let b = first; b < last; b++) {
      total.push({ series: kind, t: b * PSTH_BIN_MS, rate: round6(acc[b] / n) });
    }
  }
  const per: Record<string, unknown>[] = [];
  const labels: string[] = [];
  for (const g of input.groups) {
    const label = `${g.name} (${
      g.kind === "excitatory" ? "exc" : g.kind === "inhibitory" ? "inh" : "?"
    })`;
    labels.push(label);
    const p = input.totals.get(g.name)!.psth;
    for (let b = first; b < last; b++) {
      per.push({ group: label, ei: g.kind, t: b * PSTH_BIN_MS, rate: round6(p[b] / n) });
    }
  }
  const kinds = [...byKind.keys()];
  const domain = [round6(input.t0), round6(input.t1)];
  const stim = input.stimulusMs;
  const stimLayer = stim === undefined ? [] : [{
    data: { values: [{ t: stim }] },
    mark: { type: "rule", color: "#555", strokeDash: [4, 3] },
    encoding: { x: { field: "t", type: "quantitative" } },
  }];
  return {
    $schema: SCHEMA,
    title: {
      text: "Synaptic input rate",
      subtitle: `activations per ${PSTH_BIN_MS} ms bin, mean of ${input.sweeps} sweep${
        input.sweeps === 1 ? "" : "s"
      }`,
    },
    config: baseConfig(),
    vconcat: [
      {
        data: { values: total },
        width: TIME_WIDTH,
        height: 150,
        title: { text: "total excitatory and inhibitory input", fontSize: 12 },
        layer: [
          {
            name: "total_rate",
            mark: { type: "line", interpolate: "step-after", strokeWidth: 1.2 },
            encoding: {
              x: {
                field: "t",
                type: "quantitative",
                title: "time (ms)",
                scale: { domain, nice: false },
              },
              y: { field: "rate", type: "quantitative", title: "activations / ms" },
              order: { value: null }, // in time order: no sort
              color: {
                field: "series",
                type: "nominal",
                title: null,
                scale: {
                  domain: kinds,
                  range: kinds.map((k) => KIND_COLOR[k as keyof typeof KIND_COLOR]),
                },
                legend: { orient: "top" },
              },
            },
          },
          ...stimLayer,
        ],
      },
      {
        data: { values: per },
        title: { text: "per presynaptic cell type", fontSize: 12 },
        facet: {
          field: "group",
          type: "nominal",
          sort: labels,
          title: null,
          header: { labelFontSize: 11 },
        },
        columns: input.groups.length <= 4 ? 2 : 4,
        spec: {
          width: input.groups.length <= 4 ? 330 : 160,
          height: 70,
          layer: [
            {
              name: "type_rate",
              mark: {
                type: "area",
                interpolate: "step-after",
                opacity: 0.85,
              },
              encoding: {
                x: {
                  field: "t",
                  type: "quantitative",
                  title: "time (ms)",
                  scale: { domain, nice: false },
                },
                y: { field: "rate", type: "quantitative", title: "act. / ms" },
                order: { value: null },
                color: {
                  field: "ei",
                  type: "nominal",
                  legend: null,
                  scale: {
                    domain: kinds,
                    range: kinds.map((k) => KIND_COLOR[k as keyof typeof KIND_COLOR]),
                  },
                },
              },
            },
          ],
        },
        resolve: { scale: { y: "independent" } },
      },
    ],
  };
}
