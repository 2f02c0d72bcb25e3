/**
 * Turns a Vega-Lite specification into SVG (Vega's headless SVG renderer: no DOM, no canvas) and
 * SVG into PNG (resvg, compiled to WebAssembly: no native add-on). Each is loaded from
 * node_modules (or the compiled binary) on first use, so commands that draw nothing never load
 * them: the wasm module is read from `@resvg/resvg-wasm/index_bg.wasm`, and text is set in Lato
 * (`@expo-google-fonts/lato`), which resvg needs because WebAssembly cannot see system fonts.
 * Nothing is fetched; reading files needs only `--allow-read`.
 *
 * @module
 */
/** A Vega-Lite specification (JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/** The font family text is set in, in the SVG and the PNG. */
export const FONT_FAMILY = "Lato, Helvetica, Arial, sans-serif";

/** A logger that drops everything (Vega-Lite's `LoggerInterface`). */
interface QuietLogger {
  level(): number;
  error(): QuietLogger;
  warn(): QuietLogger;
  info(): QuietLogger;
  debug(): QuietLogger;
}

/** Vega-Lite's logger, silenced: a style warning must not reach the user's terminal. */
const QUIET_LOGGER: QuietLogger = {
  level: () => 0,
  error: () => QUIET_LOGGER,
  warn: () => QUIET_LOGGER,
  info: () => QUIET_LOGGER,
  debug: () => QUIET_LOGGER,
};

type ToSvg = (spec: VegaLiteSpec) => Promise<string>;
type ToPng = (svg: string, scale: number) => Uint8Array;

let svgEngine: Promise<ToSvg> | undefined;
let pngEngine: Promise<ToPng> | undefined;

function failed(e: unknown, what: string): Error {
  return new Error(
    `Cannot load ${what} (run npm ci --ignore-scripts): ${
      e instanceof Error ? e.message : String(e)
    }`,
  );
}

async function loadSvgEngine(): Promise<ToSvg> {
  const [vega, vegaLite] = await Promise.all([import("vega"), import("vega-lite")]);
  return async (spec: VegaLiteSpec): Promise<string> => {
    // deno-lint-ignore no-explicit-any
    const compiled = vegaLite.compile(spec as any, { logger: QUIET_LOGGER }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.None });
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  };
}

async function loadPngEngine(): Promise<ToPng> {
  const resvg = await import("@resvg/resvg-wasm");
  const [wasm, font] = await Promise.all([
    Deno.readFile(new URL(import.meta.resolve("@resvg/resvg-wasm/index_bg.wasm"))),
    Deno.readFile(
      new URL(import.meta.resolve("@expo-google-fonts/lato/400Regular/Lato_400Regular.ttf")),
    ),
  ]);
  await resvg.initWasm(wasm);
  return (svg: string, scale: number): Uint8Array => {
    const r = new resvg.Resvg(svg, {
      font: { fontBuffers: [font], defaultFontFamily: "Lato", sansSerifFamily: "Lato" },
      fitTo: { mode: "zoom", value: scale },
      background: "white",
    });
    try {
      const img = r.render();
      try {
        return img.asPng();
      } finally {
        img.free();
      }
    } finally {
      r.free();
    }
  };
}

/**
 * Renders a Vega-Lite specification to SVG text.
 *
 * @param spec the specification (data inline)
 * @returns the SVG document
 * @example A line
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 * const svg = await renderSvg({ data: { values: [{ a: 0, b: 1 }, { a: 1, b: 0 }] }, mark: "line",
 *   encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } } });
 * assert.match(svg, /^<svg/);
 * ```
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  svgEngine ??= loadSvgEngine().catch((e) => {
    svgEngine = undefined;
    throw failed(e, "the plotting libraries vega and vega-lite");
  });
  return await (await svgEngine)(spec);
}

/**
 * Renders SVG text to a PNG image (white background), in the calling thread.
 *
 * @param svg the SVG document
 * @param scale pixels per SVG unit (default 1)
 * @returns the PNG file's bytes
 * @example The PNG signature
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderPng } from "./render.ts";
 * const png = await renderPng('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>');
 * assert.deepEqual([...png.subarray(1, 4)], [80, 78, 71]);
 * ```
 */
export async function renderPng(svg: string, scale = 1): Promise<Uint8Array> {
  pngEngine ??= loadPngEngine().catch((e) => {
    pngEngine = undefined;
    throw failed(e, "the PNG renderer @resvg/resvg-wasm and its font @expo-google-fonts/lato");
  });
  return (await pngEngine)(svg, scale);
}
