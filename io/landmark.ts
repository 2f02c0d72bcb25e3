/**
 * Reader for Amira `.landmarkAscii` files (spec/formats.md §6), the recording sites of a cell
 * param's `sim.recordingSites`.
 *
 * Rules (as ISF): empty lines are skipped; a line starting with `@1` (after trimming) switches to
 * data mode; in data mode every non-empty line gives x y z (the first three whitespace-separated
 * tokens; further tokens are ignored). The header's `define Markers N` is not used.
 *
 * @module
 */
import { InputSyntaxError } from "./errors.ts";
import { DECIMAL, whitespaceFields } from "./_fields.ts";
import { readTextInput, type ReadTextOptions } from "./read_text.ts";

/** One landmark [µm]. */
export interface Landmark {
  /** x coordinate [µm]. */
  readonly x: number;
  /** y coordinate [µm]. */
  readonly y: number;
  /** z coordinate [µm]. */
  readonly z: number;
  /** 1-based line in the file. */
  readonly line: number;
}

/**
 * Parses a `.landmarkAscii` file.
 *
 * @param text the file content
 * @param file the file name for messages
 * @returns the landmarks in file order (empty when there is no `@1` section)
 * @throws {InputSyntaxError} a data line with fewer than 3 tokens or a bad number (file:line:column)
 * @example One landmark
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseLandmarks } from "./landmark.ts";
 * const t = "# AmiraMesh 3D ASCII 2.0\ndefine Markers 1\n@1\n-7.78e+01 4.30e+02 3.1e+02  \n\n";
 * assert.deepEqual(parseLandmarks(t, "a.landmarkAscii"), [{ x: -77.8, y: 430, z: 310, line: 4 }]);
 * ```
 */
export function parseLandmarks(text: string, file: string): Landmark[] {
  const out: Landmark[] = [];
  let data = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (t === "") continue;
    if (t.startsWith("@1")) {
      data = true;
      continue;
    }
    if (!data) continue;
    const toks = whitespaceFields(raw, 3);
    if (toks.length < 3) {
      throw new InputSyntaxError(
        { file, line: i + 1, column: 1 },
        `Expected 3 coordinates "x y z" in the landmark data section, got ${toks.length}: ${
          JSON.stringify(t)
        }`,
      );
    }
    const v: number[] = [];
    for (let k = 0; k < 3; k++) {
      if (!DECIMAL.test(toks[k].text)) {
        throw new InputSyntaxError(
          { file, line: i + 1, column: toks[k].column },
          `Bad ${"xyz"[k]} coordinate ${JSON.stringify(toks[k].text)}: expected a decimal number`,
        );
      }
      v.push(Number(toks[k].text));
    }
    out.push({ x: v[0], y: v[1], z: v[2], line: i + 1 });
  }
  return out;
}

/**
 * Reads and parses a `.landmarkAscii` file.
 *
 * @param path the file path
 * @param options who referenced it (`referencedFrom`, `line`, `key`), for the missing-file message
 * @returns the landmarks
 * @throws {InputValueError} if missing, or see {@linkcode parseLandmarks}
 * @example Reading
 * ```ts ignore
 * const sites = await readLandmarkFile("apical_proximal_distal_rec_sites.landmarkAscii");
 * ```
 */
export async function readLandmarkFile(
  path: string,
  options: ReadTextOptions = {},
): Promise<Landmark[]> {
  return parseLandmarks(
    await readTextInput(path, { what: "landmark (.landmarkAscii) file", ...options }),
    path,
  );
}
