/**
 * Readers for ISF's anatomical realization files (spec/formats.md §5): `.syn` (synapse locations)
 * and `.con` (functional connectivity).
 *
 * Both are line-based: lines that are empty after trimming, or whose first non-blank character
 * is `#`, are skipped; data lines have whitespace-separated columns (tabs in real files). Rows are
 * grouped per presynaptic type in order of first appearance; a synapse's ID is its 0-based index
 * among the rows of its type. Checking section IDs against the cell, types against the network,
 * and cell/synapse IDs against `cellNr` and the `.syn` is left to the network layer, which gets
 * every row's line number for its messages.
 *
 * @module
 */
import { InputSyntaxError, InputValueError } from "./errors.ts";
import { DECIMAL, type Field, whitespaceFields } from "./_fields.ts";
import { readTextInput, type ReadTextOptions } from "./read_text.ts";

/** One synapse location (a `.syn` data row). */
export interface SynRow {
  /** Section index (hoc creation order). */
  readonly section: number;
  /** Relative position along the section [1], in [0, 1]. */
  readonly x: number;
  /** True when the optional 4th column is 1 (pruned synapses are never activated). */
  readonly pruned: boolean;
  /** 1-based line in the file. */
  readonly line: number;
}

/** A parsed `.syn` file. */
export interface SynFile {
  /** The file name as given. */
  readonly file: string;
  /**
   * The cell the file was made for, from the header comment `# corresponding to cell: <name>`
   * (ISF writes it), with its line; undefined when the header has no such line.
   */
  readonly cell?: { readonly name: string; readonly line: number };
  /** Per presynaptic type (in order of first appearance): its synapses; index = synapse ID. */
  readonly types: Map<string, SynRow[]>;
}

/** One connection (a `.con` data row). */
export interface ConRow {
  /** Presynaptic cell index within the type (0..cellNr−1). */
  readonly cellId: number;
  /** Synapse index within the type in the `.syn` file. */
  readonly synId: number;
  /** 1-based line in the file. */
  readonly line: number;
}

/** A parsed `.con` file. */
export interface ConFile {
  /** The file name as given. */
  readonly file: string;
  /**
   * Last whitespace-separated token of the 2nd non-empty line when that line is a comment
   * (ISF's "anatomical ID", the `.syn` it was made for; informational, not enforced).
   */
  readonly anatomicalId?: string;
  /** Per presynaptic type (in order of first appearance): its rows in file order. */
  readonly types: Map<string, ConRow[]>;
}

const INT = /^\d+$/;
/** ISF's `.syn` header line naming the cell the file was made for. */
const CELL_HEADER = /^\s*#\s*corresponding to cell:\s*(\S+)/i;

/**
 * A data line of exactly three tab- or space-separated fields, the form ISF writes: one native
 * match instead of a match and a record per field. Lines of any other form (4 columns, other
 * whitespace, comments, bad values) take the general path, which also reports what is wrong.
 */
const THREE_FIELDS = /^[ \t]*([^\s#]\S*)[ \t]+(\S+)[ \t]+(\S+)[ \t\r]*$/;

/** The fields of a data line; undefined for a blank or comment (`#`) line. */
function fields(line: string): Field[] | undefined {
  const out = whitespaceFields(line);
  return out.length === 0 || out[0].text.startsWith("#") ? undefined : out;
}

function int(f: Field, file: string, line: number, what: string): number {
  if (!INT.test(f.text)) {
    throw new InputSyntaxError(
      { file, line, column: f.column },
      `Expected ${what} (a non-negative integer), got ${JSON.stringify(f.text)}`,
    );
  }
  const v = Number(f.text);
  if (!Number.isSafeInteger(v)) {
    throw new InputValueError({ file, line, column: f.column }, `${what} ${f.text} is too large`);
  }
  return v;
}

/**
 * Parses a `.syn` file: `type  secID  x  [pruned]` rows (spec/formats.md §5.1).
 *
 * @param text the file content
 * @param file the file name for messages
 * @returns the synapses per type
 * @throws {InputSyntaxError} wrong column count or a non-numeric field (file:line:column)
 * @throws {InputValueError} x outside [0, 1], pruned not 0/1
 * @example Two types
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSyn } from "./syn_con.ts";
 * const s = parseSyn("# corresponding to cell: 86_C2_center\n\nVPM_E1\t112\t0.138\nL2_C2\t0\t0.5\nVPM_E1\t9\t1.0\n", "a.syn");
 * assert.deepEqual(s.cell, { name: "86_C2_center", line: 1 });
 * assert.deepEqual([...s.types.keys()], ["VPM_E1", "L2_C2"]);
 * assert.deepEqual(s.types.get("VPM_E1")![1], { section: 9, x: 1, pruned: false, line: 5 });
 * ```
 */
export function parseSyn(text: string, file: string): SynFile {
  const types = new Map<string, SynRow[]>();
  let cell: { name: string; line: number } | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i], line = i + 1;
    const three = THREE_FIELDS.exec(raw);
    if (three !== null && INT.test(three[2]) && DECIMAL.test(three[3])) {
      const section = Number(three[2]), x = Number(three[3]);
      if (Number.isSafeInteger(section) && x >= 0 && x <= 1) {
        let rows = types.get(three[1]);
        if (!rows) types.set(three[1], rows = []);
        rows.push({ section, x, pruned: false, line });
        continue;
      }
    }
    const f = fields(raw);
    if (!f) {
      const m = cell === undefined ? CELL_HEADER.exec(raw) : null;
      if (m !== null) cell = { name: m[1], line };
      continue;
    }
    if (f.length !== 3 && f.length !== 4) {
      throw new InputSyntaxError(
        { file, line, column: 1 },
        `Expected 3 or 4 columns (type, section ID, x[, pruned]), got ${f.length}: ${
          JSON.stringify(raw.trim())
        }`,
      );
    }
    const section = int(f[1], file, line, "a section ID");
    if (!DECIMAL.test(f[2].text)) {
      throw new InputSyntaxError(
        { file, line, column: f[2].column },
        `Expected x (a number in [0, 1]), got ${JSON.stringify(f[2].text)}`,
      );
    }
    const x = Number(f[2].text);
    if (!(x >= 0 && x <= 1)) {
      throw new InputValueError(
        { file, line, column: f[2].column },
        `Synapse position x = ${f[2].text} is outside [0, 1]`,
      );
    }
    let pruned = false;
    if (f.length === 4) {
      if (f[3].text !== "0" && f[3].text !== "1") {
        throw new InputValueError(
          { file, line, column: f[3].column },
          `Expected the pruned flag 0 or 1 in column 4, got ${JSON.stringify(f[3].text)}`,
        );
      }
      pruned = f[3].text === "1";
    }
    const type = f[0].text;
    let rows = types.get(type);
    if (!rows) types.set(type, rows = []);
    rows.push({ section, x, pruned, line });
  }
  return cell !== undefined ? { file, cell, types } : { file, types };
}

/**
 * Parses a `.con` file: `type  cellID  synID` rows (spec/formats.md §5.2).
 *
 * @param text the file content
 * @param file the file name for messages
 * @returns the connections per type, and the anatomical ID from the header
 * @throws {InputSyntaxError} wrong column count or a non-integer ID (file:line:column)
 * @example One type
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCon } from "./syn_con.ts";
 * const c = parseCon("# Anatomical connectivity\n# 86_C2_center.syn\n\nL6cc_A3\t0\t0\nL6cc_A3\t0\t1\n", "a.con");
 * assert.equal(c.anatomicalId, "86_C2_center.syn");
 * assert.deepEqual(c.types.get("L6cc_A3"), [{ cellId: 0, synId: 0, line: 4 }, { cellId: 0, synId: 1, line: 5 }]);
 * ```
 */
export function parseCon(text: string, file: string): ConFile {
  const types = new Map<string, ConRow[]>();
  let nonEmpty = 0;
  let anatomicalId: string | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i], line = i + 1;
    const three = THREE_FIELDS.exec(raw);
    if (three !== null && INT.test(three[2]) && INT.test(three[3])) {
      const cellId = Number(three[2]), synId = Number(three[3]);
      if (Number.isSafeInteger(cellId) && Number.isSafeInteger(synId)) {
        nonEmpty++;
        let rows = types.get(three[1]);
        if (!rows) types.set(three[1], rows = []);
        rows.push({ cellId, synId, line });
        continue;
      }
    }
    const trimmed = raw.trim();
    if (trimmed === "") continue;
    nonEmpty++;
    if (nonEmpty === 2 && trimmed.startsWith("#")) {
      const toks = trimmed.split(/\s+/);
      const last = toks[toks.length - 1];
      if (toks.length > 1 && last !== "#") anatomicalId = last;
    }
    const f = fields(raw);
    if (!f) continue;
    if (f.length !== 3) {
      throw new InputSyntaxError(
        { file, line, column: 1 },
        `Expected 3 columns (type, cell ID, synapse ID), got ${f.length}: ${
          JSON.stringify(trimmed)
        }`,
      );
    }
    const cellId = int(f[1], file, line, "a cell ID");
    const synId = int(f[2], file, line, "a synapse ID");
    const type = f[0].text;
    let rows = types.get(type);
    if (!rows) types.set(type, rows = []);
    rows.push({ cellId, synId, line });
  }
  return anatomicalId !== undefined ? { file, anatomicalId, types } : { file, types };
}

/**
 * Reads and parses a `.syn` file.
 *
 * @param path the file path
 * @param options who referenced it (`referencedFrom`, `line`, `key`), for the missing-file message
 * @returns the parsed file
 * @throws {InputValueError} if missing, or see {@linkcode parseSyn}
 * @example Reading
 * ```ts ignore
 * const syn = await readSynFile("example_embedding_86_C2_center.syn");
 * ```
 */
export async function readSynFile(path: string, options: ReadTextOptions = {}): Promise<SynFile> {
  return parseSyn(
    await readTextInput(path, { what: "synapse distribution (.syn) file", ...options }),
    path,
  );
}

/**
 * Reads and parses a `.con` file.
 *
 * @param path the file path
 * @param options who referenced it (`referencedFrom`, `line`, `key`), for the missing-file message
 * @returns the parsed file
 * @throws {InputValueError} if missing, or see {@linkcode parseCon}
 * @example Reading
 * ```ts ignore
 * const con = await readConFile("example_embedding_86_C2_center.con");
 * ```
 */
export async function readConFile(path: string, options: ReadTextOptions = {}): Promise<ConFile> {
  return parseCon(
    await readTextInput(path, { what: "connectivity (.con) file", ...options }),
    path,
  );
}
