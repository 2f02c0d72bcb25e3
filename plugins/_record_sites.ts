/**
 * Validation of a recorder's `sites()` against the cell, before anything reaches the solver: a
 * site must name an existing section, an `x` in [0, 1], and a variable the solver can record
 * there (a node variable, or `<field>_<Mechanism>` of a mechanism on that section whose own
 * fields include `field`). Names such as `__proto__`, `constructor` or `toString` are not
 * variables. A bad site is a bad declaration: an `InputValueError` whose source is
 * `plugin <name>` (exit code 2).
 *
 * @module
 */
import { InputValueError } from "../io/mod.ts";
import { type Cell, densityMechanism, type Mechanism, pointMechanism } from "../solver/mod.ts";
import type { RecordSite } from "./plugin_api.ts";

/** Variables of every segment node (solver `NodeArrays`). */
const NODE_VARIABLES: ReadonlySet<string> = new Set(["v", "cai", "cao", "ica", "eca", "ena", "ek"]);

/**
 * Checks a recorder's sites and returns them as plain records.
 *
 * @param name the recorder's name (for messages)
 * @param value what `sites()` returned
 * @param cell the cell the sites refer to
 * @returns the sites (only `section`, `x`, `variable`)
 * @throws InputValueError naming `plugin <name>`, the site index and what is wrong
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSites } from "./_record_sites.ts";
 * import { tinyCell } from "./testdata/tiny_cell.ts";
 * assert.deepEqual(checkSites("r.ts", [{ section: 1, x: 0.5, variable: "g_pas" }], tinyCell()), [
 *   { section: 1, x: 0.5, variable: "g_pas" },
 * ]);
 * assert.throws(
 *   () => checkSites("r.ts", [{ section: 0, x: 0.5, variable: "constructor" }], tinyCell()),
 *   /^plugin r\.ts: recorder\.sites\(\)\[0\]: Cannot record "constructor"/,
 * );
 * ```
 */
export function checkSites(name: string, value: unknown, cell: Readonly<Cell>): RecordSite[] {
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
    if (site.variable === undefined) return { section, x };
    if (typeof site.variable !== "string") fail("variable must be a string");
    const problem = variableProblem(cell, section, site.variable as string);
    if (problem !== undefined) fail(problem);
    return { section, x, variable: site.variable as string };
  });
}

/** Why `variable` cannot be recorded on `section`, or undefined when it can. */
function variableProblem(
  cell: Readonly<Cell>,
  section: number,
  variable: string,
): string | undefined {
  const shown = JSON.stringify(variable.length > 80 ? variable.slice(0, 80) + "…" : variable);
  if (NODE_VARIABLES.has(variable)) return undefined;
  const sec = cell.sections[section];
  const present: Mechanism[] = [];
  for (const m of sec.mechanisms) {
    const d = densityMechanism(m.name);
    if (d !== undefined) present.push(d);
  }
  for (const p of cell.pointProcesses) {
    const m = p.section === section ? pointMechanism(p.mechanism) : undefined;
    if (m !== undefined && !present.includes(m)) present.push(m);
  }
  // The longest mechanism name that ends the variable wins (names contain underscores).
  let best: Mechanism | undefined;
  for (const m of present) {
    if (
      variable.endsWith(`_${m.name}`) && (best === undefined || m.name.length > best.name.length)
    ) {
      best = m;
    }
  }
  if (best === undefined) {
    return `Cannot record ${shown} on section ${section}: not a node variable (${
      [...NODE_VARIABLES].join(", ")
    }) nor <field>_<Mechanism> of a mechanism there (${
      present.map((m) => m.name).join(", ") || "none"
    })`;
  }
  const field = variable.slice(0, variable.length - best.name.length - 1);
  const fields = [...Object.keys(best.parameters), ...best.states, ...best.assigned];
  if (!fields.includes(field)) {
    return `Cannot record ${shown} on section ${section}: mechanism ${best.name} has no variable ${
      JSON.stringify(field)
    }; it has ${fields.join(", ")}`;
  }
  return undefined;
}
