/**
 * Figures and a one-page report of an ISF result folder (`simrun plot`, `--plot`): soma and
 * recording-site traces with spikes, the synaptic input raster, input PSTHs per presynaptic cell
 * type, the output spike raster and PSTH, and the morphology with active synapses, each as SVG
 * and PNG with its Vega-Lite spec, plus `summary.json` and a self-contained `index.html`.
 * Reads files through io only; Vega, Vega-Lite and resvg (WebAssembly) are loaded on first use,
 * and a {@linkcode PngRenderer} renders PNGs in a worker thread.
 *
 * @example The key numbers of a folder
 * ```ts ignore
 * import { plotResultFolder } from "./mod.ts";
 * const r = await plotResultFolder("results/20250101-1200_seed1_pid7", { paramDir: "examples/model" });
 * console.log(r.numbers.spikesPerSweep?.mean);
 * ```
 *
 * @module
 */

export { DEFAULT_TRACE_SWEEPS, MAX_TRACE_SWEEPS, plotResultFolder } from "./plot_folder.ts";
export type { PlotFolderOptions, PlotFolderResult, PlotFormat } from "./plot_folder.ts";
export type { InputNumbers, KeyNumbers, Stats, SweepNumbers } from "./key_numbers.ts";
export type { InputKind } from "./input_roles.ts";
export { cellTypeOf, inputRoles } from "./input_roles.ts";
export type { InputRoles } from "./input_roles.ts";
export { scanTraceFile, SPIKE_THRESHOLD_MV } from "./trace_reader.ts";
export type { ScanTraceOptions, SweepSpikes, TraceEnvelope, TraceScan } from "./trace_reader.ts";
export { readResultFolder } from "./result_folder.ts";
export type { ResultFolder, SiteTraceFile, SweepFile } from "./result_folder.ts";
export { renderPng, renderSvg } from "./render.ts";
export type { VegaLiteSpec } from "./render.ts";
export { PngRenderer } from "./png_renderer.ts";
export type { PngSink } from "./png_renderer.ts";
