/**
 * Figure "membrane potential": the soma Vm of the chosen sweeps with their spikes marked (upward
 * 0 mV crossings), and each recording site's trace. Up to {@linkcode OVERLAY_MAX_SWEEPS} sweeps
 * are overlaid in one panel per location; more are stacked, one row per sweep.
 *
 * @module
 */
import { baseConfig, round6, SCHEMA, TIME_WIDTH } from "./_style.ts";
import type { VegaLiteSpec } from "./render.ts";
import type { SweepSpikes, TraceEnvelope } from "./trace_reader.ts";

/** Most sweeps drawn on top of each other; more are stacked. */
export const OVERLAY_MAX_SWEEPS = 8;

/** One location's traces. */
export interface VmLocation {
  /** Panel title: `soma` or the site label. */
  readonly name: string;
  /** Downsampled traces of the chosen sweeps. */
  readonly traces: readonly TraceEnvelope[];
}

/** Input of {@linkcode vmFigure}. */
export interface VmFigureInput {
  /** Soma first, then the recording sites. */
  readonly locations: readonly VmLocation[];
  /** Spikes of the chosen sweeps (soma). */
  readonly spikes: readonly SweepSpikes[];
  /** Time range of the traces [ms]. */
  readonly t0: number;
  /** [ms] */
  readonly t1: number;
  /** Stimulus time [ms], if any. */
  readonly stimulusMs: number | undefined;
  /** Subtitle (which sweeps of how many). */
  readonly subtitle: string;
}

/** Name of the spike mark (the SVG group has class `spikes_marks`). */
export const SPIKE_MARK = "spikes";

/**
 * The Vega-Lite spec of the membrane-potential figure.
 *
 * @param input traces, spikes, time range, stimulus
 * @returns the spec (data inline)
 * @example One sweep, one spike
 * ```ts
 * import assert from "node:assert/strict";
 * import { vmFigure } from "./vm_figure.ts";
 * const spec = vmFigure({
 *   locations: [{ name: "soma", traces: [{ sweep: 0, t: Float64Array.of(0, 1), v: Float64Array.of(-70, 20) }] }],
 *   spikes: [{ sweep: 0, times: [1], values: [20] }], t0: 0, t1: 1, stimulusMs: undefined, subtitle: "",
 * });
 * const rows = (spec.data as { values: { kind: string }[] }).values;
 * assert.equal(rows.filter((r) => r.kind === "spike").length, 1);
 * ```
 */
export function vmFigure(input: VmFigureInput): VegaLiteSpec {
  const rows: Record<string, unknown>[] = [];
  const sweepNames: string[] = [];
  for (const loc of input.locations) {
    for (const tr of loc.traces) {
      const sweep = `sweep ${tr.sweep}`;
      if (!sweepNames.includes(sweep)) sweepNames.push(sweep);
      for (let k = 0; k < tr.t.length; k++) {
        rows.push({ kind: "trace", loc: loc.name, sweep, t: round6(tr.t[k]), v: round6(tr.v[k]) });
      }
    }
  }
  const soma = input.locations[0]?.name ?? "soma";
  for (const s of input.spikes) {
    for (let k = 0; k < s.times.length; k++) {
      rows.push({
        kind: "spike",
        loc: soma,
        sweep: `sweep ${s.sweep}`,
        t: s.times[k],
        v: s.values[k],
      });
    }
  }
  const stacked = sweepNames.length > OVERLAY_MAX_SWEEPS;
  if (input.stimulusMs !== undefined) {
    for (const loc of input.locations) {
      const sweeps = stacked ? sweepNames : [sweepNames[0] ?? "sweep 0"];
      for (const sweep of sweeps) {
        rows.push({ kind: "stim", loc: loc.name, sweep, t: input.stimulusMs });
      }
    }
  }
  const x = {
    field: "t",
    type: "quantitative",
    title: "time (ms)",
    scale: { domain: [round6(input.t0), round6(input.t1)], nice: false },
  };
  const layer = [
    {
      name: "stimulus",
      transform: [{ filter: "datum.kind === 'stim'" }],
      mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
      encoding: { x },
    },
    {
      name: "traces",
      transform: [{ filter: "datum.kind === 'trace'" }],
      mark: { type: "line", strokeWidth: 1, clip: true },
      encoding: {
        x,
        y: { field: "v", type: "quantitative", title: "Vm (mV)", scale: { zero: false } },
        order: { value: null }, // points are in time order: no sort
        ...(stacked ? { color: { value: "#37474f" } } : {
          color: {
            field: "sweep",
            type: "nominal",
            sort: sweepNames,
            title: null,
            scale: { scheme: "tableau10" },
          },
        }),
      },
    },
    {
      name: SPIKE_MARK,
      transform: [{ filter: "datum.kind === 'spike'" }],
      mark: {
        type: "point",
        shape: "triangle-down",
        filled: true,
        size: 36,
        color: "#000",
        yOffset: -7,
      },
      encoding: { x, y: { field: "v", type: "quantitative" } },
    },
  ];
  const spec: VegaLiteSpec = {
    $schema: SCHEMA,
    title: { text: "Membrane potential", subtitle: input.subtitle },
    config: baseConfig(),
    data: { values: rows },
    spec: { width: TIME_WIDTH, height: stacked ? 38 : 170, layer },
  };
  if (stacked) {
    spec.facet = {
      row: {
        field: "sweep",
        type: "nominal",
        sort: sweepNames,
        title: null,
        header: { labelAngle: 0, labelAlign: "left" },
      },
      ...(input.locations.length > 1
        ? {
          column: {
            field: "loc",
            type: "nominal",
            sort: input.locations.map((l) => l.name),
            title: null,
          },
        }
        : {}),
    };
    spec.spacing = 2;
    (spec.spec as VegaLiteSpec).width = input.locations.length > 1 ? 380 : TIME_WIDTH;
  } else {
    spec.facet = {
      row: {
        field: "loc",
        type: "nominal",
        sort: input.locations.map((l) => l.name),
        title: null,
        header: {
          labelAngle: 0,
          labelAlign: "left",
          labelAnchor: "start",
          labelOrient: "top",
          labelLimit: 700,
        },
      },
    };
    spec.resolve = { scale: { y: "independent" } };
  }
  return spec;
}
