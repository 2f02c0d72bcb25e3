/**
 * Checks of a `simrun plot` output folder that do not trust simrun's own code: XML
 * well-formedness by an independent parser (saxes), the PNG signature and IHDR header, the page's
 * embedded images, and counts taken straight from the result files (activations, upward 0 mV
 * crossings) to compare with the marks in the SVGs.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SaxesParser } from "saxes";

/** Smallest PNG size the issue asks for [px]. */
export const MIN_PNG_WIDTH = 400;
/** [px] */
export const MIN_PNG_HEIGHT = 300;

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
export function pngSize(bytes: Uint8Array, what: string): { width: number; height: number } {
  const SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  assert.deepEqual([...bytes.subarray(0, 8)], SIG, `${what}: PNG signature`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(dv.getUint32(8), 13, `${what}: IHDR length`);
  assert.equal(new TextDecoder().decode(bytes.subarray(12, 16)), "IHDR", `${what}: first chunk`);
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/** Throws unless `text` is well-formed XML whose root element is `root`. */
export function assertWellFormedXml(text: string, root: string, what: string): void {
  const parser = new SaxesParser();
  let first: string | undefined;
  parser.on("opentag", (t) => {
    first ??= t.name;
  });
  parser.on("error", (e) => {
    throw new Error(`${what}: not well-formed XML: ${e.message}`);
  });
  parser.write(text).close();
  assert.equal(first, root, `${what}: root element`);
}

/**
 * Number of items of the Vega mark named `name` (`<g class="… role-mark <name>_marks">` groups,
 * summed over facet cells): its `<path>` children.
 */
export function countMarks(svg: string, name: string): number {
  const open = new RegExp(`<g class="[^"]*role-mark ${name}_marks"[^>]*>`, "g");
  let n = 0, groups = 0;
  for (const m of svg.matchAll(open)) {
    groups++;
    if (m[0].endsWith("/>")) continue; // an empty group (a facet cell without items)
    const start = m.index! + m[0].length;
    const body = svg.slice(start, svg.indexOf("</g>", start));
    assert.ok(!body.includes("<g"), `mark group ${name} holds nested groups`);
    n += (body.match(/<path\b/g) ?? []).length;
  }
  assert.ok(groups > 0, `no mark named ${name} in the SVG`);
  return n;
}

/** Activations in a `simulation_runNNNN_synapses.csv` text (every time in every row). */
export function activationCount(text: string): number {
  let n = 0;
  for (const line of text.split("\n").slice(1)) {
    if (line.trim() === "") continue;
    const f = line.split("\t");
    n += f[f.length - 1].split(",").filter((s) => s.trim() !== "").length;
  }
  return n;
}

/** Upward 0 mV crossings (a sample >= 0 after one < 0) per sweep column of a trace file. */
export function upwardCrossings(text: string): Map<number, number> {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const sweeps = lines[0].split("\t").slice(1).map((h) => Number(/(\d+)\s*$/.exec(h)![1]));
  const counts = new Map(sweeps.map((s) => [s, 0]));
  let prev: number[] | undefined;
  for (const l of lines.slice(1)) {
    const v = l.split("\t").slice(1).map(Number);
    if (prev) {
      v.forEach((x, c) =>
        prev![c] < 0 && x >= 0 && counts.set(sweeps[c], counts.get(sweeps[c])! + 1)
      );
    }
    prev = v;
  }
  return counts;
}

/** The figure names `simrun plot` writes. */
export const FIGURES = ["vm", "input_raster", "input_psth", "output", "morphology"];

/**
 * Checks every figure's SVG (well-formed), PNG (real, ≥ 400×300) and Vega-Lite spec (JSON), and
 * that `index.html` embeds each PNG byte for byte.
 *
 * @returns the SVG texts by figure name
 */
export async function checkPlotsFolder(dir: string): Promise<Map<string, string>> {
  const names = [...Deno.readDirSync(dir)].map((e) => e.name);
  const svgs = new Map<string, string>();
  const html = await Deno.readTextFile(`${dir}/index.html`);
  assertWellFormedXml(
    // the page is HTML5; its one void element type (<meta>, <img>) is closed for the XML check
    html.replace("<!DOCTYPE html>", "").replace(/<(meta|img)\b([^>]*?)\/?>/g, "<$1$2/>"),
    "html",
    "index.html",
  );
  const embedded = [...html.matchAll(/<img [^>]*src="data:image\/png;base64,([^"]+)"/g)].map((m) =>
    m[1]
  );
  assert.equal(embedded.length, FIGURES.length, "index.html embeds every figure");
  for (const [i, name] of FIGURES.entries()) {
    for (const ext of [".svg", ".png", ".vl.json"]) {
      assert.ok(names.includes(name + ext), `${name}${ext} missing in ${dir}`);
    }
    const svg = await Deno.readTextFile(`${dir}/${name}.svg`);
    assertWellFormedXml(svg, "svg", `${name}.svg`);
    svgs.set(name, svg);
    const png = await Deno.readFile(`${dir}/${name}.png`);
    const { width, height } = pngSize(png, `${name}.png`);
    assert.ok(
      width >= MIN_PNG_WIDTH && height >= MIN_PNG_HEIGHT,
      `${name}.png is ${width}×${height}, below ${MIN_PNG_WIDTH}×${MIN_PNG_HEIGHT}`,
    );
    const fromPage = Uint8Array.from(atob(embedded[i]), (c) => c.charCodeAt(0));
    assert.deepEqual(fromPage, png, `index.html's image ${i} is ${name}.png`);
    const spec = JSON.parse(await Deno.readTextFile(`${dir}/${name}.vl.json`));
    assert.match(spec.$schema, /vega-lite/);
  }
  return svgs;
}
