/**
 * Shape check of a recorder's `sites()` before anything reaches the solver: a site must be an
 * object with an integer `section` of the cell, a number `x` in [0, 1] and an optional string
 * `variable`. Whether the variable exists at that place is decided by the solver's
 * `resolveProbes` (the one rule for `--record`, landmarks and plugins, and the one that knows
 * user mechanisms); each site carries its location (`plugin <name>`, `recorder.sites()[i]`) for
 * that message. A bad site is a bad declaration: an `InputValueError` (exit code 2).
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";
import type { Cell, RecordSite as SolverRecordSite } from "../solver/mod.ts";

/**
 * Checks the shape of a recorder's sites and returns them as plain records with their location.
 *
 * @param name the recorder's name (for messages)
 * @param value what `sites()` returned
 * @param cell the cell the sites refer to
 * @returns the sites (only `section`, `x`, `variable`, plus `where`)
 * @throws InputValueError naming `plugin <name>`, the site index and what is wrong
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSites } from "./_record_sites.ts";
 * import { tinyCell } from "./testdata/tiny_cell.ts";
 * assert.deepEqual(checkSites("r.ts", [{ section: 1, x: 0.5, variable: "g_pas" }], tinyCell()), [
 *   {
 *     section: 1, x: 0.5, variable: "g_pas",
 *     where: { file: "plugin r.ts", key: "recorder.sites()[0]" },
 *   },
 * ]);
 * assert.throws(
 *   () => checkSites("r.ts", [{ section: 9, x: 0.5 }], tinyCell()),
 *   /^plugin r\.ts: recorder\.sites\(\)\[0\]: section must be a section index 0\.\.2/,
 * );
 * ```
 */
export function checkSites(
  name: string,
  value: unknown,
  cell: Readonly<Cell>,
): SolverRecordSite[] {
  const file = `plugin ${name}`;
  if (!Array.isArray(value)) {
    throw new InputValueError(
      { file, key: "recorder.sites()" },
      "recorder.sites() must return an array",
    );
  }
  const nsec = cell.sections.length;
  return value.map((s: unknown, i) => {
    const at = `recorder.sites()[${i}]`;
    const fail = (message: string): never => {
      throw new InputValueError({ file, key: at }, `${at}: ${message}`);
    };
    const site = s as { section?: unknown; x?: unknown; variable?: unknown };
    if (
      typeof site !== "object" || site === null || typeof site.section !== "number" ||
      !Number.isInteger(site.section) || site.section < 0 || site.section >= nsec
    ) {
      fail(
        `section must be a section index 0..${nsec - 1}, got ${
          typeof site === "object" && site !== null ? String(site.section) : String(site)
        }`,
      );
    }
    const section = site.section as number;
    if (typeof site.x !== "number" || !(site.x >= 0 && site.x <= 1)) {
      fail(`x must be in [0, 1], got ${String(site.x)}`);
    }
    const x = site.x as number;
    const where = { file, key: at };
    if (site.variable === undefined) return { section, x, where };
    if (typeof site.variable !== "string") fail("variable must be a string");
    return { section, x, variable: site.variable as string, where };
  });
}
