/**
 * Figure "membrane potential": the soma Vm of the chosen sweeps with their spikes marked (upward
 * 0 mV crossings), and each recording site's trace: one panel per location. Up to
 * {@linkcode OVERLAY_MAX_SWEEPS} sweeps are overlaid in colours; more are stacked, each sweep
 * shifted down by {@linkcode STACK_OFFSET_MV} and labelled on the axis.
 *
 * @module
 */
import { baseConfig, round6, SCHEMA, TIME_WIDTH } from "./_style.ts";
import type { VegaLiteSpec } from "./render.ts";
import type { SweepSpikes, TraceEnvelope } from "./trace_reader.ts";

/** Most sweeps drawn on top of each other; more are stacked. */
export const OVERLAY_MAX_SWEEPS = 8;

/** Vertical shift between stacked sweeps [mV]. */
export const STACK_OFFSET_MV = 100;

/** Resting level a stacked sweep's axis label sits at [mV]. */
const STACK_LABEL_MV = -70;

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
 * const panels = spec.vconcat as { layer: { name: string; data: { values: unknown[] } }[] }[];
 * assert.equal(panels[0].layer.find((l) => l.name === "spikes")?.data.values.length, 1);
 * ```
 */
export function vmFigure(input: VmFigureInput): VegaLiteSpec {
  const order: number[] = [];
  for (const loc of input.locations) {
    for (const tr of loc.traces) if (!order.includes(tr.sweep)) order.push(tr.sweep);
  }
  const stacked = order.length > OVERLAY_MAX_SWEEPS;
  const shift = new Map(order.map((s, i) => [s, stacked ? -STACK_OFFSET_MV * i : 0]));
  const names = order.map((s) => `sweep ${s}`);
  const x = {
    field: "t",
    type: "quantitative",
    title: "time (ms)",
    scale: { domain: [round6(input.t0), round6(input.t1)], nice: false },
  };
  const y = stacked
    ? {
      field: "y",
      type: "quantitative",
      title: `sweep (each ${STACK_OFFSET_MV} mV lower)`,
      scale: {
        domain: [STACK_LABEL_MV - STACK_OFFSET_MV * (order.length - 1) - 30, 60],
        nice: false,
      },
      axis: {
        labelOverlap: false,
        values: order.map((_, i) => STACK_LABEL_MV - STACK_OFFSET_MV * i),
        labelExpr: `${
          JSON.stringify(order)
        }[round((${STACK_LABEL_MV} - datum.value) / ${STACK_OFFSET_MV})]`,
        grid: false,
      },
    }
    : { field: "y", type: "quantitative", title: "Vm (mV)", scale: { zero: false } };
  const color = stacked ? { value: "#37474f" } : {
    field: "sweep",
    type: "nominal",
    sort: names,
    title: null,
    scale: { scheme: "tableau10" },
  };
  const panels = input.locations.map((loc, i) => {
    const rows: Record<string, unknown>[] = [];
    for (const tr of loc.traces) {
      const dy = shift.get(tr.sweep)!;
      for (let k = 0; k < tr.t.length; k++) {
        rows.push({ sweep: `sweep ${tr.sweep}`, t: round6(tr.t[k]), y: round6(tr.v[k] + dy) });
      }
    }
    const layer: Record<string, unknown>[] = [];
    if (input.stimulusMs !== undefined) {
      layer.push({
        name: i === 0 ? "stimulus" : `stimulus_${i}`, // unique: Vega-Lite names data after views
        data: { values: [{ t: input.stimulusMs }] },
        mark: { type: "rule", color: "#888", strokeDash: [4, 3] },
        encoding: { x },
      });
    }
    layer.push({
      name: i === 0 ? "traces" : `traces_${i}`,
      data: { values: rows },
      mark: { type: "line", strokeWidth: 1, clip: true },
      encoding: {
        x,
        y,
        color,
        detail: { field: "sweep", type: "nominal" },
        order: { value: null }, // points are in time order: no sort
      },
    });
    if (i === 0) {
      const spikes = input.spikes.flatMap((s) =>
        s.times.map((t, k) => ({ t, y: s.values[k] + (shift.get(s.sweep) ?? 0) }))
      );
      layer.push({
        name: SPIKE_MARK,
        data: { values: spikes },
        mark: {
          type: "point",
          shape: "triangle-down",
          filled: true,
          size: 36,
          color: "#000",
          yOffset: -7,
        },
        encoding: { x, y: { field: "y", type: "quantitative" } },
      });
    }
    return {
      width: TIME_WIDTH,
      height: stacked ? Math.max(170, 24 * order.length) : 170,
      title: { text: loc.name, fontSize: 12, fontWeight: "normal", anchor: "start" },
      layer,
    };
  });
  return {
    $schema: SCHEMA,
    title: { text: "Membrane potential", subtitle: input.subtitle },
    config: baseConfig(),
    vconcat: panels,
    resolve: { scale: { color: "shared" } },
  };
}
