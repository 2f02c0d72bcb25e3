/**
 * `index.html`: one self-contained page (no script, no external file: every figure is embedded as
 * a `data:` URI, PNG where one was made, else SVG), readable offline, with the key numbers and the
 * figures.
 *
 * @module
 */
import type { KeyNumbers, Stats } from "./key_numbers.ts";

/** A figure as embedded in the page. */
export interface ReportFigure {
  /** File stem, e.g. `vm` (links to `vm.svg`, `vm.png`, `vm.vl.json`). */
  readonly name: string;
  /** Caption. */
  readonly caption: string;
  /** The SVG text, if rendered. */
  readonly svg: string | undefined;
  /** The PNG bytes, if rendered (embedded in preference to the SVG). */
  readonly png: Uint8Array | undefined;
}

/** Input of {@linkcode reportHtml}. */
export interface ReportInput {
  /** The result folder, as given. */
  readonly folder: string;
  /** The key numbers. */
  readonly numbers: KeyNumbers;
  /** The figures. */
  readonly figures: readonly ReportFigure[];
  /** Lines about how the numbers were derived (rules, sources). */
  readonly notes: readonly string[];
  /** Most per-sweep rows in the table (the rest is summarised). */
  readonly maxSweepRows?: number;
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}

function base64(bytes: Uint8Array): string {
  let s = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(s);
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? "–" : Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

function statText(s: Stats | null, unit = ""): string {
  if (s === null) return "–";
  return `${fmt(s.mean)}${unit} mean, ${fmt(s.median)}${unit} median (${fmt(s.min)}–${
    fmt(s.max)
  }, n = ${s.n})`;
}

/**
 * The page's HTML.
 *
 * @param input folder, numbers, figures, notes
 * @returns the HTML document
 * @example Figures are embedded, not linked
 * ```ts
 * import assert from "node:assert/strict";
 * import { reportHtml } from "./report_html.ts";
 * const html = reportHtml({ folder: "r", notes: [], figures: [{ name: "vm", caption: "Vm",
 *   svg: "<svg xmlns='http://www.w3.org/2000/svg'/>", png: undefined }],
 *   numbers: { sweeps: 0, activationFiles: 0, stimulusMs: null, stimulusType: null, spikesPerSweep: null,
 *     firstSpikeLatencyMs: null, respondingSweeps: null, perSweep: [], inputs: [] } });
 * assert.match(html, /<img [^>]*src="data:image\/svg\+xml;base64,/);
 * ```
 */
export function reportHtml(input: ReportInput): string {
  const k = input.numbers;
  const maxRows = input.maxSweepRows ?? 200;
  const rows = k.perSweep.slice(0, maxRows).map((s) =>
    `<tr><td>${s.sweep}</td><td>${s.spikes}</td><td>${fmt(s.firstSpikeLatencyMs)}</td>` +
    `<td>${fmt(s.activeSynapses)}</td><td>${fmt(s.activations)}</td></tr>`
  ).join("\n");
  const more = k.perSweep.length > maxRows
    ? `<p class="note">First ${maxRows} of ${k.perSweep.length} sweeps; all are in summary.json.</p>`
    : "";
  const inputs = k.inputs.map((g) =>
    `<tr><td>${esc(g.group)}</td><td class="${g.kind}">${g.kind}</td>` +
    `<td>${fmt(g.activeSynapsesPerSweep, 1)}</td><td>${fmt(g.activationsPerSweep, 1)}</td></tr>`
  ).join("\n");
  const totalOf = (kind: string, key: "activeSynapsesPerSweep" | "activationsPerSweep") =>
    k.inputs.filter((g) => g.kind === kind).reduce((a, g) => a + g[key], 0);
  const figures = input.figures.map((f) => {
    // The PNG keeps the page small and quick to open (a raster of thousands of activations is
    // megabytes of SVG); the SVG is embedded when no PNG was made.
    const src = f.png !== undefined
      ? `data:image/png;base64,${base64(f.png)}`
      : `data:image/svg+xml;base64,${base64(new TextEncoder().encode(f.svg ?? ""))}`;
    const links = [
      f.svg !== undefined ? `<a href="${f.name}.svg">SVG</a>` : "",
      f.png !== undefined ? `<a href="${f.name}.png">PNG</a>` : "",
      `<a href="${f.name}.vl.json">Vega-Lite spec</a>`,
    ].filter((s) => s !== "").join(" · ");
    return `<figure id="${f.name}"><img alt="${esc(f.caption)}" src="${src}">` +
      `<figcaption>${esc(f.caption)} (${links})</figcaption></figure>`;
  }).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>simrun plot: ${esc(input.folder)}</title>
<style>
body { font-family: Lato, Helvetica, Arial, sans-serif; margin: 1.5em auto; max-width: 1000px; color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
.folder { font-family: monospace; color: #555; word-break: break-all; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
td, th { border-bottom: 1px solid #ddd; padding: 0.2em 0.8em; text-align: right; }
th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
.excitatory { color: #c62828; } .inhibitory { color: #1565c0; } .unknown { color: #777; }
.note { color: #666; font-size: 0.9em; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
</style>
</head>
<body>
<h1>Simulation results</h1>
<p class="folder">${esc(input.folder)}</p>
<h2>Key numbers</h2>
<table>
<tr><td>sweeps</td><td>${k.sweeps} (activation files: ${k.activationFiles})</td></tr>
<tr><td>stimulus</td><td>${
    k.stimulusMs === null
      ? "none in the network param"
      : `${fmt(k.stimulusMs)} ms (offset of ${esc(k.stimulusType ?? "")})`
  }</td></tr>
<tr><td>soma spikes per sweep</td><td>${statText(k.spikesPerSweep)}</td></tr>
<tr><td>first-spike latency after the stimulus</td><td>${
    statText(k.firstSpikeLatencyMs, " ms")
  }</td></tr>
<tr><td>sweeps with a spike after the stimulus</td><td>${
    k.respondingSweeps === null ? "–" : `${k.respondingSweeps} of ${k.sweeps}`
  }</td></tr>
<tr><td>active synapses per sweep</td><td>${
    fmt(totalOf("excitatory", "activeSynapsesPerSweep"), 1)
  } excitatory, ${fmt(totalOf("inhibitory", "activeSynapsesPerSweep"), 1)} inhibitory</td></tr>
<tr><td>activations per sweep</td><td>${
    fmt(totalOf("excitatory", "activationsPerSweep"), 1)
  } excitatory, ${fmt(totalOf("inhibitory", "activationsPerSweep"), 1)} inhibitory</td></tr>
</table>
<h2>Per sweep</h2>
<table>
<tr><th>sweep</th><th>spikes</th><th>first-spike latency (ms)</th><th>active synapses</th><th>activations</th></tr>
${rows}
</table>
${more}
<h2>Per presynaptic cell type (mean per sweep)</h2>
<table>
<tr><th>cell type</th><th>kind</th><th>active synapses</th><th>activations</th></tr>
${inputs}
</table>
<h2>Figures</h2>
${figures}
<h2>How these numbers were derived</h2>
<ul class="note">
${input.notes.map((n) => `<li>${esc(n)}</li>`).join("\n")}
</ul>
</body>
</html>
`;
}
