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
 * Like ISF, a section whose name carries none of the known labels (e.g. the `closed_Delta…`
 * contours of Neurolucida reconstructions) is skipped with its points and its own `connect`;
 * {@linkcode HocMorphology.skipped} lists them, and {@linkcode skippedSectionsWarning} says so in
 * one line. Unlike ISF, the skipped section's points never end up in the section before it.
 *
 * Stricter than ISF (which silently produces a broken cell in these cases): a `create` line whose
 * name matches several of the known labels, a `connect` before any `create`, a `connect` whose
 * child is not the section created last (ISF would connect the last one whatever the line names),
 * a parent that was not created before or was skipped, a non-soma section without `connect`, and
 * more than one soma are errors. So are 3-D points that NEURON's single-precision storage cannot
 * hold or that no neuron has: a coordinate beyond ±{@linkcode MAX_COORDINATE_UM} µm, a negative
 * diameter, a diameter outside [{@linkcode MIN_DIAMETER_UM}, {@linkcode MAX_DIAMETER_UM}] µm other
 * than 0, and a section whose diameters are all 0 or whose middle point has diameter 0 (ISF's
 * d-λ rule, formats.md §2.4, divides by it).
 *
 * @module
 */
import { InputSyntaxError, InputValueError } from "./errors.ts";
import { DECIMAL } from "./_fields.ts";
import { readTextInput, type ReadTextOptions } from "./read_text.ts";

/** Largest |x|, |y|, |z| of a 3-D point [µm] (10 cm: beyond any specimen). */
export const MAX_COORDINATE_UM = 1e5;
/** Smallest non-zero diameter of a 3-D point [µm] (1 nm, 50× below the thinnest neurite). */
export const MIN_DIAMETER_UM = 1e-3;
/** Largest diameter of a 3-D point [µm] (1 cm, 10× the squid giant axon). */
export const MAX_DIAMETER_UM = 1e4;

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

/** A `create`d section that was skipped because its name carries no known label (as ISF does). */
export interface HocSkippedSection {
  /** hoc name, e.g. `closed_Delta_1`. */
  readonly name: string;
  /** 1-based line of the `create` statement. */
  readonly line: number;
}

/** A parsed hoc morphology. Section index = creation order (ISF's secID). */
export interface HocMorphology {
  /** The file name as given. */
  readonly file: string;
  /** Sections in creation order (skipped ones left out, as ISF does: they get no secID). */
  readonly sections: HocSection[];
  /** Index of the soma in `sections`. */
  readonly soma: number;
  /** Sections left out because their names carry no known label, in file order. */
  readonly skipped: readonly HocSkippedSection[];
}

interface Draft {
  name: string;
  label: HocLabel;
  line: number;
  pts: number[]; // x, y, z, d interleaved
  ptLines: number[]; // line of each point
  parentName?: string;
  parentX?: number;
  connectLine: number;
}

/** The section created last: a draft, or one being skipped. */
type Last = { readonly draft: Draft } | { readonly skipped: HocSkippedSection };

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

/** 1-based column of comma-separated field `i` of `inner`, which starts at 0-based column `col0`. */
function fieldColumn(inner: string, col0: number, i: number): number {
  const parts = inner.split(",");
  let c = col0;
  for (let k = 0; k < i; k++) c += parts[k].length + 1;
  return c + parts[i].length - parts[i].trimStart().length + 1;
}

/**
 * Checks the point just pushed onto `d.pts` (from `inner`, the text inside `pt3dadd(…)`, which
 * starts at 0-based column `col0`) against what NEURON can store and a neuron can be.
 */
function checkPoint(d: Draft, file: string, line: number, inner: string, col0: number): void {
  const at = d.pts.length - 4;
  for (let i = 0; i < 3; i++) {
    const v = d.pts[at + i];
    if (!(Math.abs(v) <= MAX_COORDINATE_UM)) {
      throw new InputValueError(
        { file, line, column: fieldColumn(inner, col0, i) },
        `Coordinate ${
          "xyz"[i]
        } = ${v} µm of section "${d.name}" is beyond ±${MAX_COORDINATE_UM} µm`,
      );
    }
  }
  const diam = d.pts[at + 3];
  const why = diam < 0
    ? "is negative"
    : diam !== 0 && !(diam >= MIN_DIAMETER_UM && diam <= MAX_DIAMETER_UM)
    ? `is outside [${MIN_DIAMETER_UM}, ${MAX_DIAMETER_UM}] µm (NEURON stores it in single precision${
      Math.fround(diam) === 0
        ? ", where it becomes 0"
        : !Number.isFinite(Math.fround(diam))
        ? ", where it becomes infinite"
        : ""
    })`
    : undefined;
  if (why !== undefined) {
    throw new InputValueError(
      { file, line, column: fieldColumn(inner, col0, 3) },
      `Diameter ${diam} µm of section "${d.name}" ${why}`,
    );
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
  const skipped: HocSkippedSection[] = [];
  const skippedNames = new Set<string>();
  let last: Last | undefined;
  let readPts = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (line.endsWith("\r")) line = line.slice(0, -1);

    // 1. one-line comments
    if (line.includes("/*") && line.includes("*/")) continue;

    // 2. points of the current section (a skipped section's points are dropped)
    if (readPts && last) {
      if (line.includes("Spine")) continue;
      const at = line.indexOf("pt3dadd");
      if (at >= 0) {
        if (!("draft" in last)) continue;
        const cur = last.draft;
        const open = line.indexOf("(", at);
        const close = open < 0 ? -1 : line.indexOf(")", open + 1);
        if (open < 0 || close < 0) {
          throw new InputSyntaxError(
            { file, line: lineNo, column: at + 1 },
            `Expected "pt3dadd(x, y, z, diam)", got ${JSON.stringify(line.trim())}`,
          );
        }
        const inner = line.slice(open + 1, close);
        parseFields(inner, open + 1, file, lineNo, "pt3dadd(x, y, z, diam)", 4, cur.pts);
        checkPoint(cur, file, lineNo, inner, open + 1);
        cur.ptLines.push(lineNo);
        continue;
      }
      if (!("draft" in last) || last.draft.pts.length > 0) readPts = false;
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
      if (byName.has(name) || skippedNames.has(name)) {
        const first = byName.has(name)
          ? drafts[byName.get(name)!].line
          : skipped.find((k) => k.name === name)!.line;
        throw new InputValueError(
          { file, line: lineNo },
          `Section "${name}" is created twice (first at line ${first})`,
        );
      }
      const labels = labelsOf(name);
      if (labels.length > 1) {
        throw new InputValueError(
          { file, line: lineNo, column: line.indexOf(name) + 1 },
          `Cannot derive a section label from name "${name}": it matches several labels (${
            labels.join(", ")
          })`,
        );
      }
      if (labels.length === 0) {
        // ISF skips it: no section, no secID.
        const k = { name, line: lineNo };
        skipped.push(k);
        skippedNames.add(name);
        last = { skipped: k };
      } else {
        const cur: Draft = {
          name,
          label: labels[0],
          line: lineNo,
          pts: [],
          ptLines: [],
          connectLine: 0,
        };
        byName.set(name, drafts.length);
        drafts.push(cur);
        last = { draft: cur };
      }
      readPts = true;
      continue;
    }

    // 4. connect: applies to the most recently created section, which it must name
    if (line.includes("connect")) {
      const at = line.indexOf("connect");
      if (!last) {
        throw new InputValueError(
          { file, line: lineNo, column: at + 1 },
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
      const childText = comma < 0 ? "" : line.slice(at + "connect".length, comma);
      const childOpen = childText.indexOf("(");
      const childName = childText.slice(0, childOpen < 0 ? undefined : childOpen).trim();
      if (comma < 0 || open <= 0 || close < 0 || childOpen < 0 || childName === "") {
        throw new InputSyntaxError(
          { file, line: lineNo, column: comma < 0 || childName === "" ? at + 1 : col },
          `Expected "connect child(0), parent(x)", got ${JSON.stringify(line.trim())}`,
        );
      }
      const childCol = at + "connect".length + childText.indexOf(childName) + 1;
      // A skipped section's own connect is skipped with it.
      if (skippedNames.has(childName)) continue;
      const lastName = "draft" in last ? last.draft.name : last.skipped.name;
      if (childName !== lastName) {
        throw new InputValueError(
          { file, line: lineNo, column: childCol },
          `"connect" names "${childName}" as the child, but the section created last is "${lastName}" (line ${
            "draft" in last ? last.draft.line : last.skipped.line
          }); ISF connects the section created last, so the names must agree`,
        );
      }
      const cur = (last as { readonly draft: Draft }).draft;
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
      if (skippedNames.has(parentName)) {
        throw new InputValueError(
          { file, line: lineNo, column: col },
          `Parent section "${parentName}" in connect of "${cur.name}" was skipped: its name carries no known label (soma, dend, BasalDendrite, apical, axon)`,
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
          { file, line: lineNo, column: childCol },
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
    checkDiameters(d, file);
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
  return { file, sections, soma, skipped };
}

/** A section needs diameters that are not all 0 and a non-zero middle one (the d-λ rule's). */
function checkDiameters(d: Draft, file: string): void {
  const np = d.pts.length / 4;
  let nonZero = false;
  for (let k = 0; k < np; k++) if (d.pts[4 * k + 3] !== 0) nonZero = true;
  if (!nonZero) {
    throw new InputValueError(
      { file, line: d.line },
      `Section "${d.name}" has diameter 0 at all of its ${np} 3-D points (its area would be 0)`,
    );
  }
  const mid = Math.floor(np / 2);
  if (d.pts[4 * mid + 3] === 0) {
    throw new InputValueError(
      { file, line: d.ptLines[mid] },
      `Section "${d.name}" has diameter 0 at its middle 3-D point (${
        mid + 1
      } of ${np}): ISF's d-λ rule (formats.md §2.4) divides by it`,
    );
  }
}

/**
 * The one-line warning for sections skipped because their names carry no known label.
 *
 * @param m a parsed morphology
 * @returns the warning, or undefined when nothing was skipped
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseHoc, skippedSectionsWarning } from "./hoc.ts";
 * const m = parseHoc("{create soma}\n{pt3dadd(0,0,0,10)}\n{create closed_Delta_1}\n{pt3dadd(1,1,1,1)}\n", "c.hoc");
 * assert.equal(m.sections.length, 1);
 * assert.equal(
 *   skippedSectionsWarning(m),
 *   'c.hoc: skipped 1 section whose name carries no known label (soma, dend, BasalDendrite, apical, axon), as ISF does: "closed_Delta_1" (line 3)',
 * );
 * ```
 */
export function skippedSectionsWarning(m: HocMorphology): string | undefined {
  const n = m.skipped.length;
  if (n === 0) return undefined;
  const shown = m.skipped.slice(0, 3).map((k) => `"${k.name}" (line ${k.line})`).join(", ");
  return `${m.file}: skipped ${n} section${
    n === 1 ? " whose name carries" : "s whose names carry"
  } no known label (soma, dend, BasalDendrite, apical, axon), as ISF does: ${shown}${
    n > 3 ? `, … (${n - 3} more)` : ""
  }`;
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
