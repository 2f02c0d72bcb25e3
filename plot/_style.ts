/**
 * Shared look of the figures: Vega-Lite config, sizes and the colours of excitatory and
 * inhibitory inputs (folder-private).
 *
 * @module
 */
import type { InputKind } from "./input_roles.ts";
import { FONT_FAMILY, type VegaLiteSpec } from "./render.ts";

/** Vega-Lite schema the specs are written for. */
export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Width of a time axis [px]. */
export const TIME_WIDTH = 700;

/** Colour of each input kind (raster, PSTH). */
export const KIND_COLOR: Record<InputKind, string> = {
  excitatory: "#c62828",
  inhibitory: "#1565c0",
  unknown: "#8a8a8a",
};

/** Shades per kind for cell types (morphology): reds for excitatory, blues for inhibitory. */
const SHADES: Record<InputKind, readonly string[]> = {
  excitatory: [
    "#b71c1c",
    "#f57c00",
    "#ad1457",
    "#fbc02d",
    "#6d4c41",
    "#e53935",
    "#ff8a65",
    "#c0ca33",
    "#f06292",
    "#8d6e63",
    "#7b1f1f",
    "#ffb300",
    "#d84315",
    "#880e4f",
  ],
  inhibitory: [
    "#0d47a1",
    "#00838f",
    "#5e35b1",
    "#1e88e5",
    "#2e7d32",
    "#4fc3f7",
    "#3949ab",
    "#26a69a",
    "#7e57c2",
    "#81d4fa",
  ],
  unknown: ["#616161", "#9e9e9e", "#bdbdbd"],
};

/**
 * Colours for cell types: each kind draws from its own shades, in the given order.
 *
 * @param groups cell types in drawing order, with their kinds
 * @returns one colour per group
 */
export function groupColors(groups: readonly { name: string; kind: InputKind }[]): string[] {
  const used: Record<InputKind, number> = { excitatory: 0, inhibitory: 0, unknown: 0 };
  return groups.map((g) => {
    const shades = SHADES[g.kind];
    return shades[used[g.kind]++ % shades.length];
  });
}

/**
 * Vega-Lite config shared by all figures.
 *
 * @returns the config object
 */
export function baseConfig(): VegaLiteSpec {
  return {
    font: FONT_FAMILY,
    background: "white",
    aria: false, // no ARIA labels on every mark: they would double the SVG's size
    padding: 8,
    axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#ececec" },
    header: { labelFontSize: 12, titleFontSize: 12 },
    legend: { labelFontSize: 11, titleFontSize: 12 },
    title: { fontSize: 15, anchor: "start", subtitleFontSize: 12, subtitleColor: "#555" },
    view: { stroke: "#ddd" },
    // Round joins: a trace's min/max envelope zigzags at sub-pixel steps, and resvg takes ~4×
    // longer to rasterize those joins mitred (vm figure of the demo: 290 → 67 ms per PNG).
    line: { strokeJoin: "round" },
  };
}

/** Rounds to 6 significant digits, to keep inline data small. */
export function round6(x: number): number {
  return Number(x.toPrecision(6));
}
