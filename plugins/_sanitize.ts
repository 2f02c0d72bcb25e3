/**
 * Plugin text made safe for simrun's one-line messages: a plugin's error message, name or
 * console output must not be able to move the cursor, recolour or clear the terminal, or start a
 * new line that looks like simrun's own output.
 *
 * @module
 */

/** ANSI/VT escape sequences: CSI (`ESC [ … final`), OSC (`ESC ] … BEL/ST`), and 2-byte ESC forms. */
const ESCAPES =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]?/g;
/**
 * Characters that break or disguise a line: C0 and C1 controls (newlines and tabs included),
 * DEL, line and paragraph separators, and the bidirectional overrides and isolates.
 */
const CONTROLS =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]+/g;

/**
 * Turns text from a plugin into one printable line: escape sequences are removed, control
 * characters (newlines included) become single spaces, and the result is cut to `max` characters.
 *
 * @param text the plugin's text
 * @param max the longest result [characters] (an ellipsis marks a cut)
 * @returns one line of plain text
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { oneLine } from "./_sanitize.ts";
 * assert.equal(oneLine("boom\n\u001b[31msimrun: denied\u001b[0m"), "boom simrun: denied");
 * assert.equal(oneLine("x".repeat(10), 4), "xxx…");
 * ```
 */
export function oneLine(text: string, max = 300): string {
  const s = text.replace(ESCAPES, "").replace(CONTROLS, " ").replace(/ {2,}/g, " ").trim();
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}
