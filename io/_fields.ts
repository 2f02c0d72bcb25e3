/**
 * Folder-private helpers of the line-based text readers (`.hoc`, `.syn`/`.con`, `.landmarkAscii`):
 * the decimal-number syntax they accept and whitespace splitting that keeps columns for messages.
 *
 * @module
 */

/**
 * A decimal number as ISF's text files write it: optional sign, digits with an optional point
 * (`12`, `-0.5`, `.5`, `3.`) and an optional exponent (`1e-05`); no `inf`/`nan`.
 */
export const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A whitespace-separated field of a line. */
export interface Field {
  /** The field's text. */
  readonly text: string;
  /** 1-based column of its first character. */
  readonly column: number;
}

/**
 * Splits a line into whitespace-separated fields with their columns.
 *
 * @param line the line (a trailing `\r` is whitespace)
 * @param max stop after this many fields (default: all)
 * @returns the fields, in order
 * @example Columns of tab-separated fields
 * ```ts
 * import assert from "node:assert/strict";
 * import { whitespaceFields } from "./_fields.ts";
 * assert.deepEqual(whitespaceFields("a\t 1.5\r"), [{ text: "a", column: 1 }, { text: "1.5", column: 4 }]);
 * ```
 */
export function whitespaceFields(line: string, max = Infinity): Field[] {
  const out: Field[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while (out.length < max && (m = re.exec(line)) !== null) {
    out.push({ text: m[0], column: m.index + 1 });
  }
  return out;
}
