/**
 * Figure "morphology": a 2-D side view of the cell (morphology_projection.ts), the active
 * synapses of one sweep coloured by presynaptic cell type (reds excitatory, blues inhibitory),
 * and the recording sites marked.
 *
 * @module
 */
import { baseConfig, groupColors, round6, SCHEMA } from "./_style.ts";
import type { InputGroup } from "./activation_scan.ts";
import type { MorphologyProjection, ProjectedPoint } from "./morphology_projection.ts";
import type { VegaLiteSpec } from "./render.ts";

/** Longest side of the drawing area [px]. */
const MAX_SIDE = 560;

/** An active synapse placed on the drawing. */
export interface PlacedSynapse extends ProjectedPoint {
  /** Its cell type (group). */
  readonly group: string;
}

/** A recording site placed on the drawing. */
export interface PlacedSite extends ProjectedPoint {
  /** Short label, e.g. `site 0 (920.7 µm)`. */
  readonly label: string;
}

/** Input of {@linkcode morphologyFigure}. */
export interface MorphologyFigureInput {
  /** The projected cell. */
  readonly cell: MorphologyProjection;
  /** The morphology file's name, for the subtitle. */
  readonly file: string;
  /** Synapses to draw. */
  readonly synapses: readonly PlacedSynapse[];
  /** Cell types in drawing order (colours). */
  readonly groups: readonly InputGroup[];
  /** The sweep the synapses come from. */
  readonly sweep: number | undefined;
  /** Recording sites. */
  readonly sites: readonly PlacedSite[];
}

/** Name of the synapse mark (the SVG group has class `synapses_marks`). */
export const SYNAPSE_MARK = "synapses";

/**
 * The Vega-Lite spec of the morphology figure (equal scales on both axes).
 *
 * @param input the projection, synapses, groups and sites
 * @returns the spec (data inline)
 * @example A vertical two-point soma and one synapse
 * ```ts
 * import assert from "node:assert/strict";
 * import { morphologyFigure } from "./morphology_figure.ts";
 * const cell = { hAxis: "x", vAxis: "z", soma: 0, sections: [{ index: 0, label: "Soma",
 *   h: Float64Array.of(0, 0), v: Float64Array.of(0, 10), diam: Float64Array.of(8, 8) }] };
 * const spec = morphologyFigure({ cell, file: "c.hoc", sweep: 0, sites: [],
 *   groups: [{ name: "VPM", kind: "excitatory" }], synapses: [{ h: 0, v: 5, group: "VPM" }] });
 * assert.ok((spec.width as number) < (spec.height as number), "a vertical cell is drawn upright");
 * ```
 */
export function morphologyFigure(input: MorphologyFigureInput): VegaLiteSpec {
  let hLo = Infinity, hHi = -Infinity, vLo = Infinity, vHi = -Infinity;
  for (const s of input.cell.sections) {
    for (let k = 0; k < s.h.length; k++) {
      const h = s.h[k], v = s.v[k];
      if (h < hLo) hLo = h;
      if (h > hHi) hHi = h;
      if (v < vLo) vLo = v;
      if (v > vHi) vHi = v;
    }
  }
  const pad = 0.04 * Math.max(hHi - hLo, vHi - vLo, 1);
  hLo -= pad, hHi += pad, vLo -= pad, vHi += pad;
  // Equal scales: the longer extent gets MAX_SIDE pixels.
  const ext = Math.max(hHi - hLo, vHi - vLo);
  if (hHi - hLo < 0.3 * ext) { // keep a thin cell readable: at least 30 % wide
    const c = (hHi + hLo) / 2;
    hLo = c - 0.15 * ext, hHi = c + 0.15 * ext;
  }
  const pxPerUm = MAX_SIDE / ext;
  const width = Math.round((hHi - hLo) * pxPerUm), height = Math.round((vHi - vLo) * pxPerUm);
  // One line per section, as wide as its mean diameter (at least 0.7 px); points closer than
  // half a pixel to the previous one kept are left out.
  const neurites: Record<string, unknown>[] = [];
  const minStep = 0.5 / pxPerUm;
  for (const s of input.cell.sections) {
    let d = 0;
    for (let k = 0; k < s.diam.length; k++) d += s.diam[k];
    const w = round6(Math.max(0.7, (d / Math.max(1, s.diam.length)) * pxPerUm));
    let lh = NaN, lv = NaN;
    for (let k = 0; k < s.h.length; k++) {
      const h = s.h[k], v = s.v[k];
      if (k > 0 && k < s.h.length - 1 && Math.hypot(h - lh, v - lv) < minStep) continue;
      neurites.push({ sec: s.index, h: round6(h), v: round6(v), w });
      lh = h, lv = v;
    }
  }
  const x = {
    field: "h",
    type: "quantitative",
    title: `${input.cell.hAxis} (µm)`,
    scale: { domain: [round6(hLo), round6(hHi)], nice: false, zero: false },
  };
  const y = {
    field: "v",
    type: "quantitative",
    title: `${input.cell.vAxis} (µm)`,
    scale: { domain: [round6(vLo), round6(vHi)], nice: false, zero: false },
  };
  const present = input.groups.filter((g) => input.synapses.some((s) => s.group === g.name));
  const colors = groupColors(present);
  return {
    $schema: SCHEMA,
    title: {
      text: "Morphology",
      subtitle: `${input.file}: ${input.synapses.length} active synapses` +
        (input.sweep !== undefined ? ` of sweep ${input.sweep}` : "") +
        `, ${input.sites.length} recording site${input.sites.length === 1 ? "" : "s"} (×)`,
    },
    config: baseConfig(),
    width,
    height,
    layer: [
      {
        name: "neurites",
        data: { values: neurites },
        mark: { type: "line", color: "#6d6d6d", strokeCap: "round", strokeJoin: "round" },
        encoding: {
          x,
          y,
          detail: { field: "sec", type: "nominal" },
          order: { value: null }, // points are in section order: no sort
          strokeWidth: { field: "w", type: "quantitative", scale: null, legend: null },
        },
      },
      {
        name: SYNAPSE_MARK,
        data: {
          values: input.synapses.map((s) => ({ h: round6(s.h), v: round6(s.v), group: s.group })),
        },
        mark: { type: "circle", size: 14, opacity: 0.85 },
        encoding: {
          x,
          y,
          color: {
            field: "group",
            type: "nominal",
            title: "cell type",
            scale: { domain: present.map((g) => g.name), range: colors },
            legend: { columns: present.length > 12 ? 2 : 1, symbolSize: 60 },
          },
        },
      },
      {
        name: "sites",
        data: {
          values: input.sites.map((s) => ({ h: round6(s.h), v: round6(s.v), label: s.label })),
        },
        layer: [
          {
            mark: {
              type: "point",
              shape: "cross",
              size: 110,
              filled: true,
              color: "#000",
              angle: 45,
              opacity: 0.9,
            },
            encoding: { x, y },
          },
          {
            mark: { type: "text", align: "left", dx: 9, fontSize: 11, color: "#000" },
            encoding: { x, y, text: { field: "label" } },
          },
        ],
      },
    ],
  };
}
