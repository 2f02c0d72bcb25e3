/**
 * `simrun plot`: draws the figures of one ISF result folder and writes them, with their Vega-Lite
 * specs, `summary.json` and a self-contained `index.html`, into `<folder>/plots/` (or `out`).
 *
 * Every input is found and checked before anything is written (folder layout, params, the
 * morphology named in the saved neuron param). The files are written into `<out>_running/`,
 * which is renamed to `<out>` at the end and removed on a failure; an existing `<out>` is never
 * overwritten.
 *
 * @module
 */
import {
  dirname,
  getObject,
  getOptionalNumber,
  getOptionalObject,
  getString,
  InputValueError,
  isAbsolute,
  join,
  paramLocation,
  type PathMap,
  readHocFile,
  readParamFile,
  resolveInputPath,
} from "../io/mod.ts";
import { type ActivationScan, PSTH_BIN_MS, scanActivationFiles } from "./activation_scan.ts";
import { inputRoles } from "./input_roles.ts";
import { inputPsthFigure } from "./input_psth_figure.ts";
import { inputRasterFigure } from "./input_raster_figure.ts";
import { type KeyNumbers, keyNumbers } from "./key_numbers.ts";
import { morphologyFigure, type PlacedSite, type PlacedSynapse } from "./morphology_figure.ts";
import { pointOf, positionAt, projectMorphology } from "./morphology_projection.ts";
import { OUTPUT_BIN_MS, outputFigure } from "./output_figure.ts";
import type { PngSink } from "./png_renderer.ts";
import { renderPng, renderSvg, type VegaLiteSpec } from "./render.ts";
import { type ReportFigure, reportHtml } from "./report_html.ts";
import { readResultFolder, type SiteTraceFile } from "./result_folder.ts";
import { scanTraceFile, SPIKE_THRESHOLD_MV, type TraceScan } from "./trace_reader.ts";
import { OVERLAY_MAX_SWEEPS, vmFigure } from "./vm_figure.ts";

/** Image formats `simrun plot` writes. */
export type PlotFormat = "svg" | "png";

/** Sweeps drawn in the trace figure without `--sweeps`. */
export const DEFAULT_TRACE_SWEEPS = 20;
/** Most sweeps drawn in the trace figure (more selected: the first ones). */
export const MAX_TRACE_SWEEPS = 50;

/** Options of {@linkcode plotResultFolder}. */
export interface PlotFolderOptions {
  /** Output folder (default `<folder>/plots`); it must not exist yet. */
  readonly out?: string;
  /**
   * Sweeps [start, end) drawn in the trace and raster figures (default: the first
   * {@linkcode DEFAULT_TRACE_SWEEPS} in the traces, the first sweep in the input raster and
   * morphology, all sweeps in the output raster). PSTHs and key numbers use every sweep.
   */
  readonly sweeps?: { readonly start: number; readonly end: number };
  /** Image formats (default both). The Vega-Lite spec (`.vl.json`) is always written. */
  readonly formats?: readonly PlotFormat[];
  /** Rules for foreign paths in the saved params (the morphology). */
  readonly pathMap?: PathMap;
  /**
   * Folder that relative paths in the saved params are relative to: the folder of the cell
   * param the run was given (simrun saves paths as written). Tried before the result folder.
   */
  readonly paramDir?: string;
  /** PNG pixels per SVG unit (default 1). */
  readonly pngScale?: number;
  /**
   * Where PNGs are rendered (default: in this thread); a {@linkcode PngRenderer} renders them in
   * a worker while the next figure's SVG is drawn.
   */
  readonly png?: PngSink;
  /** Progress lines (none when absent). */
  readonly onProgress?: (line: string) => void;
}

/** What {@linkcode plotResultFolder} wrote. */
export interface PlotFolderResult {
  /** The output folder. */
  readonly out: string;
  /** Figure names (file stems) in page order. */
  readonly figures: readonly string[];
  /** The key numbers (also in `summary.json`). */
  readonly numbers: KeyNumbers;
}

/** Figure names and captions, in page order. */
const CAPTIONS: Record<string, string> = {
  vm: "Membrane potential: soma and recording sites, spikes marked with triangles",
  input_raster: "Synaptic input raster of one sweep",
  input_psth: "Input rate: total excitatory and inhibitory, and per presynaptic cell type",
  output: "Output: soma spike raster and AP probability per bin",
  morphology: "Morphology with active synapses and recording sites",
};

async function exists(p: string): Promise<boolean> {
  try {
    await Deno.lstat(p);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** The morphology path named in the saved neuron param, resolved like every simrun input. */
function resolveMorphology(
  neuronFile: string,
  neuron: Awaited<ReturnType<typeof readParamFile>>,
  options: PlotFolderOptions,
): { path: string; line: number } {
  const n = getObject(neuron, "neuron");
  const written = getString(n, "filename", "neuron");
  const line = paramLocation(n, "filename", "neuron").line ?? 0;
  if (!isAbsolute(written) && options.paramDir !== undefined) {
    const p = join(options.paramDir, written);
    try {
      Deno.statSync(p);
      return { path: p, line };
    } catch { /* try the other candidates */ }
  }
  try {
    const path = resolveInputPath(written, {
      ...(options.pathMap ? { map: options.pathMap } : {}),
      key: "neuron.filename",
      file: neuronFile,
      line,
      what: "morphology (.hoc) file",
    });
    return { path, line };
  } catch (e) {
    if (e instanceof InputValueError && !isAbsolute(written)) {
      throw new InputValueError(
        { file: e.file, line: e.line, ...(e.key !== undefined ? { key: e.key } : {}) },
        `${
          e.message.slice(e.message.indexOf(": ") + 2)
        }; a relative path is relative to the folder ` +
          `of the cell param the run was given: name it with --param-dir DIR`,
      );
    }
    throw e;
  }
}

function sweepSelector(
  range: PlotFolderOptions["sweeps"],
): (sweep: number) => boolean {
  let taken = 0;
  const max = range ? MAX_TRACE_SWEEPS : DEFAULT_TRACE_SWEEPS;
  return (s) => (range === undefined || (s >= range.start && s < range.end)) && taken++ < max;
}

/** `site 0: section 38, x 0.929 (920.7 µm from the soma)`, or the label when it has no site. */
function siteName(i: number, s: SiteTraceFile): string {
  if (s.section === undefined || s.x === undefined) return `site ${i}: ${s.label}`;
  const d = s.somaDistUm !== undefined ? ` (${s.somaDistUm} µm from the soma)` : "";
  return `site ${i}: section ${s.section}, x ${s.x}${d}`;
}

function placeSynapses(
  scan: ActivationScan,
  proj: ReturnType<typeof projectMorphology>,
): { placed: PlacedSynapse[]; missing: number } {
  const placed: PlacedSynapse[] = [];
  let missing = 0;
  for (const r of scan.detail?.rows ?? []) {
    const p = pointOf(proj, r.section, r.ptId);
    if (p === undefined) missing++;
    else placed.push({ ...p, group: r.group });
  }
  return { placed, missing };
}

/**
 * Draws the figures of one result folder.
 *
 * @param folder the result folder
 * @param options output folder, sweeps, formats, path map, progress
 * @returns where the files went, the figure names and the key numbers
 * @throws {InputValueError} for a folder that is not a result folder, a missing morphology, or
 *   `--sweeps` that match no sweep; {@linkcode InputSyntaxError} for a malformed file
 * @throws {Deno.errors.AlreadyExists} when the output folder exists
 * @example Plot the demo's first job
 * ```ts ignore
 * const r = await plotResultFolder("results/20250101-1200_seed20250101_pid7", {
 *   paramDir: "examples/model",
 * });
 * console.log(r.out, r.figures);
 * ```
 */
export async function plotResultFolder(
  folder: string,
  options: PlotFolderOptions = {},
): Promise<PlotFolderResult> {
  const t0 = performance.now();
  const say = options.onProgress ?? (() => {});
  const formats = options.formats ?? ["svg", "png"];
  const out = options.out ?? join(folder, "plots");
  const staging = `${out}_running`;

  // 1. Inputs, all checked before anything is written.
  const rf = await readResultFolder(folder);
  const neuron = await readParamFile(rf.neuronParam);
  const network = rf.networkParam ? await readParamFile(rf.networkParam) : undefined;
  const roles = inputRoles(network);
  const hoc = resolveMorphology(rf.neuronParam, neuron, options);
  const morph = await readHocFile(hoc.path, {
    referencedFrom: rf.neuronParam,
    line: hoc.line,
    key: "neuron.filename",
  });
  const sim = getOptionalObject(neuron, "sim");
  const tStop = sim ? getOptionalNumber(sim, "tStop", "sim") : undefined;
  for (const p of [out, staging]) {
    if (await exists(p)) {
      throw new Deno.errors.AlreadyExists(
        `${p} exists: simrun plot never overwrites; remove it or choose another --out`,
      );
    }
  }

  // 2. Traces: one pass per file.
  say(`plot: ${folder}: reading traces`);
  const select = sweepSelector(options.sweeps);
  const soma = await scanTraceFile(rf.somaTraces, { select });
  const chosen = new Set(soma.envelopes.map((e) => e.sweep));
  if (chosen.size === 0 && options.sweeps !== undefined) {
    throw new InputValueError(
      { file: "--sweeps" },
      `--sweeps ${options.sweeps.start}:${options.sweeps.end} selects none of the folder's sweeps ` +
        `(${
          soma.sweeps.length ? `${Math.min(...soma.sweeps)}…${Math.max(...soma.sweeps)}` : "none"
        })`,
    );
  }
  const sites: TraceScan[] = [];
  for (const s of rf.siteTraces) {
    sites.push(await scanTraceFile(s.file, { select: (x) => chosen.has(x), spikes: false }));
  }

  // 3. Activation files: one at a time.
  const inRange = (s: number) =>
    options.sweeps === undefined || (s >= options.sweeps.start && s < options.sweeps.end);
  const detailSweep = rf.synapseFiles.find((f) => inRange(f.sweep))?.sweep;
  const endMs = Math.max(soma.t1, tStop ?? 0);
  let lastSay = performance.now();
  const inputs = await scanActivationFiles(rf.synapseFiles, {
    roles,
    endMs,
    ...(detailSweep !== undefined ? { detailSweep } : {}),
    onFile(done, total) {
      const now = performance.now();
      if (now - lastSay > 1000 || done === total) {
        lastSay = now;
        say(`plot: ${folder}: activation files ${done}/${total}`);
      }
    },
  });

  // 4. Figures.
  const stim = roles.stimulusMs;
  const rasterSpikes = options.sweeps === undefined
    ? soma.spikes
    : soma.spikes.filter((s) => inRange(s.sweep));
  const proj = projectMorphology(morph);
  const { placed, missing } = placeSynapses(inputs, proj);
  const placedSites: PlacedSite[] = [];
  rf.siteTraces.forEach((s, i) => {
    if (s.section === undefined || s.x === undefined) return;
    const p = positionAt(proj, morph, s.section, s.x);
    if (p) {
      placedSites.push({
        ...p,
        label: `site ${i}${s.somaDistUm !== undefined ? ` (${s.somaDistUm} µm)` : ""}`,
      });
    }
  });
  const nTrace = chosen.size;
  const traceSweeps = [...chosen];
  const specs: [string, VegaLiteSpec][] = [
    [
      "vm",
      vmFigure({
        locations: [
          { name: "soma", traces: soma.envelopes },
          ...sites.map((s, i) => ({
            name: siteName(i, rf.siteTraces[i]),
            traces: s.envelopes,
          })),
        ],
        spikes: soma.spikes.filter((s) => chosen.has(s.sweep)),
        t0: soma.t0,
        t1: soma.t1,
        stimulusMs: stim,
        subtitle: `${nTrace} of ${soma.sweeps.length} sweeps` +
          (nTrace ? ` (${traceSweeps.slice(0, 6).join(", ")}${nTrace > 6 ? ", …" : ""})` : "") +
          `, ${nTrace > OVERLAY_MAX_SWEEPS ? "stacked" : "overlaid"}; triangles: soma spikes ` +
          `(upward ${SPIKE_THRESHOLD_MV} mV crossings)` +
          (stim !== undefined ? `; dashed: stimulus` : ""),
      }),
    ],
    [
      "input_raster",
      inputRasterFigure({
        sweep: inputs.detail?.sweep ?? 0,
        rows: inputs.detail?.rows ?? [],
        groups: inputs.groups,
        t0: Math.min(0, soma.t0),
        t1: Math.max(soma.t1, tStop ?? 0),
        stimulusMs: stim,
      }),
    ],
    [
      "input_psth",
      inputPsthFigure({
        groups: inputs.groups,
        totals: inputs.totals,
        sweeps: inputs.sweeps.length,
        t0: Math.min(0, soma.t0),
        t1: endMs,
        stimulusMs: stim,
      }),
    ],
    [
      "output",
      outputFigure({
        rasterSpikes,
        allSpikes: soma.spikes,
        t0: soma.t0,
        t1: soma.t1,
        stimulusMs: stim,
      }),
    ],
    [
      "morphology",
      morphologyFigure({
        cell: proj,
        file: hoc.path.split("/").pop() ?? hoc.path,
        synapses: placed,
        groups: inputs.groups,
        sweep: inputs.detail?.sweep,
        sites: placedSites,
      }),
    ],
  ];

  // 5. Render and write.
  try {
    await Deno.mkdir(dirname(out), { recursive: true });
    await Deno.mkdir(staging);
  } catch (e) {
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new Deno.errors.PermissionDenied(
        `Cannot write ${staging}: permission denied (for a read-only result folder use --out DIR)`,
      );
    }
    throw e;
  }
  try {
    const figures: ReportFigure[] = [];
    const sink: PngSink = options.png ?? { render: renderPng };
    const pngs: Promise<Uint8Array>[] = [];
    for (const [name, spec] of specs) {
      say(`plot: ${folder}: ${name}`);
      await Deno.writeTextFile(`${staging}/${name}.vl.json`, JSON.stringify(spec) + "\n");
      const svg = await renderSvg(spec);
      if (formats.includes("svg")) await Deno.writeTextFile(`${staging}/${name}.svg`, svg);
      // The PNG is made while the next SVG is drawn (when the sink is a worker).
      if (formats.includes("png")) {
        const png = sink.render(svg, options.pngScale ?? 1);
        png.catch(() => {}); // awaited below; a failure before then must not go unhandled
        pngs.push(png);
      }
      figures.push({
        name,
        caption: CAPTIONS[name] ?? name,
        svg: formats.includes("svg") ? svg : undefined,
        png: undefined,
      });
    }
    if (formats.includes("png")) {
      const done = await Promise.all(pngs);
      for (const [i, f] of figures.entries()) {
        await Deno.writeFile(`${staging}/${f.name}.png`, done[i]);
        figures[i] = { ...f, png: done[i] };
      }
    }
    const numbers = keyNumbers(soma.spikes, inputs, { ms: stim, type: roles.stimulusType });
    const notes = [
      `Spikes: upward crossings of ${SPIKE_THRESHOLD_MV} mV by the soma trace; the time is that of the first sample ≥ ${SPIKE_THRESHOLD_MV} mV.`,
      `Excitatory or inhibitory: from the receptors in the saved network param (a receptor name containing "gaba" makes a type inhibitory; other receptors excitatory; types it does not name: unknown).` +
      (rf.networkParam
        ? ` Source: ${rf.networkParam}.`
        : " No network param in the folder: every type is unknown."),
      `Cell type: the presynaptic type name up to its last "_" (L5tt_C2 → L5tt).`,
      stim !== undefined
        ? `Stimulus: ${stim} ms, the earliest offset of a pointcell activity source whose spikes are placed relative to it (${roles.stimulusType}).`
        : "Stimulus: none (no pointcell source with an offset); times are simulation times.",
      `Input PSTH: activations per ${PSTH_BIN_MS} ms bin, mean over ${inputs.sweeps.length} activation files; output PSTH: fraction of ${soma.sweeps.length} sweeps with a spike in each ${OUTPUT_BIN_MS} ms bin.`,
      `Morphology: ${hoc.path}, projected on ${proj.hAxis}/${proj.vAxis}` +
      (missing ? `; ${missing} synapses on points not in the file were left out` : "") + ".",
      ...(inputs.outOfRange
        ? [`${inputs.outOfRange} activations after ${endMs} ms are not in the PSTH.`]
        : []),
    ];
    await Deno.writeTextFile(
      `${staging}/summary.json`,
      JSON.stringify({ folder, ...numbers, notes }, null, 1) + "\n",
    );
    await Deno.writeTextFile(
      `${staging}/index.html`,
      reportHtml({ folder, numbers, figures, notes }),
    );
    await Deno.rename(staging, out);
    say(
      `plot: ${folder}: ${figures.length} figures in ${out} (${
        ((performance.now() - t0) / 1000).toFixed(1)
      } s)`,
    );
    return { out, figures: figures.map((f) => f.name), numbers };
  } catch (e) {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    throw e;
  }
}
