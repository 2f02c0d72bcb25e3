/**
 * Per-sweep activation files (spec/outputs.md §3–§4): `simulation_runNNNN_synapses.csv`
 * (synapse activations) and `simulation_runNNNN_presynaptic_cells.csv` (presynaptic spikes),
 * written byte-for-byte as ISF does, and the synapse-activation reader used by replays
 * (spec/algorithm.md §10; 7- and 6-column variants, Python-2 12-digit floats too).
 *
 * @module
 */
import { type InputLocation, InputSyntaxError, InputValueError } from "./errors.ts";
import { formatPythonFloat } from "./python_float.ts";

/** One active synapse as written to `…_synapses.csv`. */
export interface SynapseActivationRecord {
  /** Synapse (presynaptic cell) type name, e.g. `L23Trans_C3` (first column). */
  readonly type: string;
  /** Index of the synapse within its type, as in the `.syn` file (second column). */
  readonly synapseId: number;
  /** Geometric path distance from the soma to the synapse [µm] (algorithm.md §4.6). */
  readonly somaDist: number;
  /** Section ID: index of the section in `.hoc` file order (secID, formats.md). */
  readonly section: number;
  /** Index of the section's 3-D point the synapse was snapped to. */
  readonly ptId: number;
  /** Label of that section: `Soma`, `Dendrite`, `ApicalDendrite`, …. */
  readonly label: string;
  /** Ascending, without delay [ms]. */
  readonly releaseTimes: ArrayLike<number>;
}

/** One presynaptic cell as written to `…_presynaptic_cells.csv`. */
export interface PresynapticSpikeRecord {
  /** Presynaptic cell type name, e.g. `L1_B1`. */
  readonly type: string;
  /** Index of the presynaptic cell within its type (0 … cellNr − 1, ISF's cell ID). */
  readonly cellId: number;
  /** Ascending [ms]. */
  readonly spikes: ArrayLike<number>;
}

/** Header line of the synapse-activation file (without newline). */
export const SYNAPSE_ACTIVATION_HEADER =
  "# synapse type\tsynapse ID\tsoma distance\tsection ID\tsection pt ID\tdendrite label\tactivation times";
/** Header line of the presynaptic-cells file (without newline). */
export const PRESYNAPTIC_CELLS_HEADER = "# presynaptic cell type\tcell ID\tspike times";

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function times(t: ArrayLike<number>): string {
  let s = "";
  for (let i = 0; i < t.length; i++) s += formatPythonFloat(t[i]) + ",";
  return s;
}

/**
 * Text of `simulation_runNNNN_synapses.csv`: header, then one line per record sorted by type
 * (code-point order) and synapse ID; records without release times are left out.
 *
 * @param records the active synapses
 * @returns the file content (every line ends with `\n`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatSynapseActivations } from "./activation_files.ts";
 * const text = formatSynapseActivations([{ type: "L1_C1", synapseId: 19, somaDist: 0, section: 0,
 *   ptId: 27, label: "Soma", releaseTimes: [14.5, 90] }]);
 * assert.equal(text.split("\n")[1], "L1_C1\t19\t0.0\t0\t27\tSoma\t14.5,90.0,");
 * ```
 */
export function formatSynapseActivations(records: readonly SynapseActivationRecord[]): string {
  const sorted = records.filter((r) => r.releaseTimes.length > 0)
    .sort((a, b) => compareNames(a.type, b.type) || a.synapseId - b.synapseId);
  const lines = [SYNAPSE_ACTIVATION_HEADER];
  for (const r of sorted) {
    lines.push(
      `${r.type}\t${r.synapseId}\t${
        formatPythonFloat(r.somaDist)
      }\t${r.section}\t${r.ptId}\t${r.label}\t${times(r.releaseTimes)}`,
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * Text of `simulation_runNNNN_presynaptic_cells.csv`: header, then one line per cell with at least
 * one spike, sorted by type (code-point order) and cell ID.
 *
 * @param records the presynaptic cells
 * @returns the file content (every line ends with `\n`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPresynapticSpikes } from "./activation_files.ts";
 * const text = formatPresynapticSpikes([{ type: "L1_B1", cellId: 6, spikes: [174.5, 281.25] }]);
 * assert.equal(text, "# presynaptic cell type\tcell ID\tspike times\nL1_B1\t6\t174.5,281.25,\n");
 * ```
 */
export function formatPresynapticSpikes(records: readonly PresynapticSpikeRecord[]): string {
  const sorted = records.filter((r) => r.spikes.length > 0)
    .sort((a, b) => compareNames(a.type, b.type) || a.cellId - b.cellId);
  const lines = [PRESYNAPTIC_CELLS_HEADER];
  for (const r of sorted) lines.push(`${r.type}\t${r.cellId}\t${times(r.spikes)}`);
  return lines.join("\n") + "\n";
}

/** One row of a synapse-activation file. */
export interface ActivationRow {
  /** Synapse type name as written (first column). */
  readonly type: string;
  /** Synapse ID as written (undefined in the 6-column variant). */
  readonly synapseId: number | undefined;
  /** Soma distance as written [µm] (replays recompute it). */
  readonly somaDist: number;
  /** Section ID as written (index of the section in `.hoc` file order). */
  readonly section: number;
  /** Section point ID as written (index of the section's 3-D point). */
  readonly ptId: number;
  /** Dendrite label as written (`Soma`, `Dendrite`, `ApicalDendrite`, …). */
  readonly label: string;
  /** Activation times as written [ms]. */
  readonly times: readonly number[];
  /** 1-based line. */
  readonly line: number;
}

/** A parsed synapse-activation file. */
export interface ActivationFile {
  /** Path of the file as given to the reader (used in error messages). */
  readonly file: string;
  /** Rows in file order. */
  readonly rows: readonly ActivationRow[];
}

const INT = /^-?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(inf|infinity|nan)$/i;

function integer(s: string, loc: InputLocation, what: string): number {
  const t = s.trim();
  if (!INT.test(t)) {
    throw new InputSyntaxError(
      loc,
      `Cannot read ${what}: expected an integer, got ${JSON.stringify(t)}`,
    );
  }
  return Number(t);
}

/** A plain decimal number: the common case of {@link FLOAT}, read without case folding. */
const DECIMAL_NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A decimal number, or Python's `inf`/`infinity`/`nan` spellings (any case, optionally signed). */
function number(s: string, loc: InputLocation, what: string): number {
  const t = s.trim();
  if (DECIMAL_NUMBER.test(t)) return Number(t);
  if (!FLOAT.test(t)) {
    throw new InputSyntaxError(
      loc,
      `Cannot read ${what}: expected a number, got ${JSON.stringify(t)}`,
    );
  }
  const lower = t.toLowerCase();
  if (lower.endsWith("inf") || lower.endsWith("infinity")) {
    return t.startsWith("-") ? -Infinity : Infinity;
  }
  return lower.endsWith("nan") ? NaN : Number(t);
}

/**
 * Parses a synapse-activation file (outputs.md §3): the first line is skipped, fields are split
 * on TAB, times on `,` (empty pieces ignored). Rows with 7 fields carry a synapse ID; rows with
 * 6 fields (old files) do not.
 *
 * @param text the file content
 * @param file the file name, for messages
 * @returns the rows
 * @throws {InputSyntaxError} naming file:line for a wrong field count or a bad number
 * @throws {InputValueError} naming file:line for an activation time that is `nan` or `inf`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSynapseActivationFile } from "./activation_files.ts";
 * const f = parseSynapseActivationFile("# header\nL1_C1\t19\t1539.71545505\t50\t80\tApicalDendrite\t14.3144635349,\n", "a.csv");
 * assert.deepEqual(f.rows[0].times, [14.3144635349]);
 * ```
 */
export function parseSynapseActivationFile(text: string, file: string): ActivationFile {
  const lines = text.split("\n");
  const rows: ActivationRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    let l = lines[i];
    if (l.endsWith("\r")) l = l.slice(0, -1);
    if (l.trim() === "") continue;
    const line = i + 1;
    const f = l.split("\t");
    if (f.length === 6 && f[5].trim() === "" && INT.test(f[1].trim())) f.push(""); // 7-column row without times, stripped
    if (f.length !== 7 && f.length !== 6) {
      throw new InputSyntaxError(
        { file, line },
        `Expected 7 tab-separated fields (type, synapse ID, soma distance, section ID, point ID, label, times) or 6 (without synapse ID), got ${f.length}`,
      );
    }
    const off = f.length === 7 ? 1 : 0;
    const loc = { file, line };
    const times: number[] = [];
    for (const piece of f[5 + off].split(",")) {
      if (piece.trim() === "") continue;
      const t = number(piece, loc, "an activation time");
      if (!Number.isFinite(t)) {
        throw new InputValueError(
          loc,
          `Activation time ${JSON.stringify(piece.trim())} of synapse type "${
            f[0].trim()
          }" is not a finite number`,
        );
      }
      times.push(t);
    }
    rows.push({
      type: f[0].trim(),
      synapseId: off ? integer(f[1], loc, "the synapse ID") : undefined,
      somaDist: number(f[1 + off], loc, "the soma distance"),
      section: integer(f[2 + off], loc, "the section ID"),
      ptId: integer(f[3 + off], loc, "the section point ID"),
      label: f[4 + off].trim(),
      times,
      line,
    });
  }
  return { file, rows };
}
