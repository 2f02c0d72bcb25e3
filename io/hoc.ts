/**
 * Reader for the hoc morphology subset that ISF reads (spec/formats.md §4.1–4.2): `create`,
 * `connect` and `pt3dadd` lines; everything else is ignored, as ISF does.
 *
 * The reader only turns text into a list of sections with their 3-D points and parent. It applies
 * no geometry rules: the "children of the soma connect at soma(0.5)" rule (§4.2) and the float32
 * point storage (§4.3) are the cell builder's job, which is why both the raw `parentX` and the
 * parent index are given.
 *
 * Like ISF, a `pt3dadd` line that comes after the section's point list has ended (any line
 * without `pt3dadd`, blank ones included, ends it once a point was read) is ignored, and a line containing
 * `Spine` is skipped while points are read.
 *
 * Stricter than ISF (which silently produces a broken cell in these cases): a `create` line whose
 * name matches none (or several) of the known labels, a `connect` before any `create`, a parent
 * that was not created before, a non-soma section without `connect`, and more than one soma are
 * errors.
 *
 * @module
 */
import { InputSyntaxError, InputValueError } from "./errors.ts";
import { DECIMAL } from "./_fields.ts";
import { readTextInput, type ReadTextOptions } from "./read_text.ts";

/** A section label as ISF derives it from the hoc section name. */
export type HocLabel = "Soma" | "Dendrite" | "ApicalDendrite" | "Axon";

/** One `create`d section. */
export interface HocSection {
  /** hoc name, e.g. `dend_1_0`. */
  readonly name: string;
  /** Label from the name (`soma` → Soma, `dend`/`BasalDendrite` → Dendrite, `apical` → ApicalDendrite, `axon` → Axon). */
  readonly label: HocLabel;
  /** 1-based line of the `create` statement. */
  readonly line: number;
  /** 3-D points as written in the file (float64; NEURON later stores them as float32) [µm]. */
  readonly x: Float64Array;
  /** [µm] */
  readonly y: Float64Array;
  /** [µm] */
  readonly z: Float64Array;
  /** Diameter at each point [µm]. */
  readonly diam: Float64Array;
  /** Parent's hoc name; undefined for the soma. */
  readonly parentName?: string;
  /** Position on the parent as written in `connect` (not yet the soma-0.5 rule) [1]. */
  readonly parentX?: number;
  /** Index of the parent in `sections`; -1 for the soma. */
  readonly parent: number;
  /** 1-based line of the `connect` statement; 0 for the soma. */
  readonly connectLine: number;
}

/** A parsed hoc morphology. Section index = creation order (ISF's secID). */
export interface HocMorphology {
  /** The file name as given. */
  readonly file: string;
  /** Sections in creation order. */
  readonly sections: HocSection[];
  /** Index of the soma in `sections`. */
  readonly soma: number;
}

interface Draft {
  name: string;
  label: HocLabel;
  line: number;
  pts: number[]; // x, y, z, d interleaved
  parentName?: string;
  parentX?: number;
  connectLine: number;
}

function labelsOf(name: string): HocLabel[] {
  const out: HocLabel[] = [];
  if (name.includes("soma")) out.push("Soma");
  if (name.includes("dend") || name.includes("BasalDendrite")) out.push("Dendrite");
  if (name.includes("apical")) out.push("ApicalDendrite");
  if (name.includes("axon")) out.push("Axon");
  return out;
}

/** Parses "text(" … ")" fields; `col0` is the 0-based column where `inner` starts. */
function parseFields(
  inner: string,
  col0: number,
  file: string,
  line: number,
  what: string,
  count: number,
  out: number[],
): void {
  const parts = inner.split(",");
  if (parts.length !== count) {
    throw new InputSyntaxError(
      { file, line, column: col0 + 1 },
      `Expected ${count} comma-separated numbers in ${what}, got ${parts.length}: "${inner}"`,
    );
  }
  let c = col0;
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i];
    const s = raw.trim();
    if (!DECIMAL.test(s)) {
      const lead = raw.length - raw.trimStart().length;
      throw new InputSyntaxError(
        { file, line, column: c + lead + 1 },
        `Bad number ${JSON.stringify(s)} in ${what} (field ${
          i + 1
        } of ${count}): expected a decimal number`,
      );
    }
    out.push(Number(s));
    c += raw.length + 1;
  }
}

/**
 * Parses an ISF hoc morphology (spec/formats.md §4.1).
 *
 * @param text the file content
 * @param file the file name for messages
 * @returns the sections in creation order, with parents resolved
 * @throws {InputSyntaxError} malformed `pt3dadd`/`connect`/`create` lines (file:line:column)
 * @throws {InputValueError} no soma, several somas, a section without points, an unknown parent
 * @example A soma with one dendrite
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHoc } from "./hoc.ts";
 * const m = parseHoc(
 *   "{create soma}\n{pt3dadd(0,0,0,10)}\n{pt3dadd(0,10,0,10)}\n" +
 *     "{create dend_1}\n{connect dend_1(0), soma(0.187)}\n{pt3dadd(0,10,0,2)}\n{pt3dadd(0,50,0,1)}\n",
 *   "cell.hoc",
 * );
 * assert.equal(m.sections.length, 2);
 * assert.equal(m.sections[1].label, "Dendrite");
 * assert.equal(m.sections[1].parent, 0);
 * assert.equal(m.sections[1].parentX, 0.187);
 * assert.deepEqual([...m.sections[1].diam], [2, 1]);
 * ```
 */
export function parseHoc(text: string, file: string): HocMorphology {
  const drafts: Draft[] = [];
  const byName = new Map<string, number>();
  let cur: Draft | undefined;
  let readPts = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (line.endsWith("\r")) line = line.slice(0, -1);

    // 1. one-line comments
    if (line.includes("/*") && line.includes("*/")) continue;

    // 2. points of the current section
    if (readPts && cur) {
      if (line.includes("Spine")) continue;
      const at = line.indexOf("pt3dadd");
      if (at >= 0) {
        const open = line.indexOf("(", at);
        const close = open < 0 ? -1 : line.indexOf(")", open + 1);
        if (open < 0 || close < 0) {
          throw new InputSyntaxError(
            { file, line: lineNo, column: at + 1 },
            `Expected "pt3dadd(x, y, z, diam)", got ${JSON.stringify(line.trim())}`,
          );
        }
        parseFields(
          line.slice(open + 1, close),
          open + 1,
          file,
          lineNo,
          "pt3dadd(x, y, z, diam)",
          4,
          cur.pts,
        );
        continue;
      }
      if (cur.pts.length > 0) readPts = false;
    }

    // 3. section creation
    if (line.includes("create")) {
      const stripped = line.replace(/^[{}\s]+|[{}\s]+$/g, "");
      const tokens = stripped.split(/\s+/);
      const name = tokens[1];
      if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new InputSyntaxError(
          { file, line: lineNo, column: line.indexOf("create") + 1 },
          `Expected "create <section name>", got ${JSON.stringify(line.trim())}`,
        );
      }
      const labels = labelsOf(name);
      if (labels.length !== 1) {
        const why = labels.length === 0
          ? "it contains none of soma, dend, BasalDendrite, apical, axon"
          : `it matches several labels (${labels.join(", ")})`;
        throw new InputValueError(
          { file, line: lineNo, column: line.indexOf(name) + 1 },
          `Cannot derive a section label from name "${name}": ${why}`,
        );
      }
      if (byName.has(name)) {
        throw new InputValueError(
          { file, line: lineNo },
          `Section "${name}" is created twice (first at line ${drafts[byName.get(name)!].line})`,
        );
      }
      cur = { name, label: labels[0], line: lineNo, pts: [], connectLine: 0 };
      byName.set(name, drafts.length);
      drafts.push(cur);
      readPts = true;
      continue;
    }

    // 4. connect: applies to the most recently created section
    if (line.includes("connect")) {
      if (!cur) {
        throw new InputValueError(
          { file, line: lineNo, column: line.indexOf("connect") + 1 },
          `"connect" before any "create"`,
        );
      }
      const comma = line.indexOf(",");
      const part = comma < 0 ? "" : line.slice(comma + 1).split(",")[0];
      const lead = part.length - part.trimStart().length;
      const target = part.trim();
      const open = target.indexOf("(");
      const close = target.indexOf(")", open + 1);
      const col = comma + 2 + lead;
      if (comma < 0 || open <= 0 || close < 0) {
        throw new InputSyntaxError(
          { file, line: lineNo, column: comma < 0 ? line.indexOf("connect") + 1 : col },
          `Expected "connect child(0), parent(x)", got ${JSON.stringify(line.trim())}`,
        );
      }
      const parentName = target.slice(0, open).trim();
      const xs: number[] = [];
      parseFields(
        target.slice(open + 1, close),
        col - 1 + open + 1,
        file,
        lineNo,
        "connect's parent(x)",
        1,
        xs,
      );
      const px = xs[0];
      if (!(px >= 0 && px <= 1)) {
        throw new InputValueError(
          { file, line: lineNo, column: col + open + 1 },
          `Parent position x = ${px} in connect is outside [0, 1]`,
        );
      }
      if (!byName.has(parentName)) {
        throw new InputValueError(
          { file, line: lineNo, column: col },
          `Unknown parent section "${parentName}" in connect of "${cur.name}": no section of that name was created before this line`,
        );
      }
      if (parentName === cur.name) {
        throw new InputValueError(
          { file, line: lineNo, column: col },
          `Section "${cur.name}" is connected to itself`,
        );
      }
      if (cur.parentName !== undefined) {
        throw new InputValueError(
          { file, line: lineNo, column: col },
          `Section "${cur.name}" is connected twice (first at line ${cur.connectLine})`,
        );
      }
      cur.parentName = parentName;
      cur.parentX = px;
      cur.connectLine = lineNo;
    }
  }

  if (drafts.length === 0) {
    throw new InputValueError(
      { file },
      `No sections: expected "create" statements (is this a hoc morphology?)`,
    );
  }
  if (!drafts.some((d) => d.label === "Soma")) {
    throw new InputValueError({ file }, `No soma: no section name contains "soma"`);
  }
  let soma = -1;
  const sections: HocSection[] = new Array(drafts.length);
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i];
    const np = d.pts.length / 4;
    if (np === 0) {
      throw new InputValueError(
        { file, line: d.line },
        `Section "${d.name}" has no 3-D points (no pt3dadd after its create)`,
      );
    }
    const x = new Float64Array(np),
      y = new Float64Array(np),
      z = new Float64Array(np),
      diam = new Float64Array(np);
    for (let k = 0; k < np; k++) {
      x[k] = d.pts[4 * k];
      y[k] = d.pts[4 * k + 1];
      z[k] = d.pts[4 * k + 2];
      diam[k] = d.pts[4 * k + 3];
    }
    if (d.label === "Soma") {
      if (soma >= 0) {
        throw new InputValueError(
          { file, line: d.line },
          `More than one soma section: "${d.name}" and "${drafts[soma].name}" (line ${
            drafts[soma].line
          })`,
        );
      }
      soma = i;
    }
    let parent = -1;
    if (d.parentName !== undefined) {
      parent = byName.get(d.parentName)!;
    } else if (d.label !== "Soma") {
      throw new InputValueError(
        { file, line: d.line },
        `Section "${d.name}" is never connected to a parent`,
      );
    }
    sections[i] = {
      name: d.name,
      label: d.label,
      line: d.line,
      x,
      y,
      z,
      diam,
      ...(d.parentName !== undefined ? { parentName: d.parentName, parentX: d.parentX! } : {}),
      parent,
      connectLine: d.connectLine,
    };
  }
  return { file, sections, soma };
}

/**
 * Reads and parses a hoc morphology file.
 *
 * @param path the file path
 * @param options who referenced the file (`referencedFrom`, `line`, `key`), for the "missing file" message
 * @returns the morphology
 * @throws {InputValueError} if the file is missing (naming the referencing key), or see {@linkcode parseHoc}
 * @example Reading the example cell
 * ```ts ignore
 * const m = await readHocFile("86_C2_center.hoc", { key: "neuron.filename", referencedFrom: "86_C2_center.param" });
 * ```
 */
export async function readHocFile(
  path: string,
  options: ReadTextOptions = {},
): Promise<HocMorphology> {
  const text = await readTextInput(path, { what: "morphology (.hoc) file", ...options });
  return parseHoc(text, path);
}
