/**
 * The mechanism catalogue of a job: the built-in mechanisms plus the user's `.mod` files compiled
 * at load time (solver/nmodl), in NEURON's registration order. A user's file replaces the
 * built-in mechanism of the same name (NEURON would run the user's file). A file that cannot be
 * compiled is not an error here: it is remembered under the name it declares, so that the error
 * is reported (file, line, construct) only where a cell or network uses that name.
 *
 * Registration order (spec/mechanisms.md §1.6): NEURON registers its own mechanisms first (`pas`,
 * `IClamp`), then the mechanisms of an `nrnivmodl` folder by file name in the C locale. The
 * built-in Hay channels are ISF's files of that name (`CaDynamics_E2.mod`, …); a user's files
 * are sorted with them as if compiled in one folder (files of equal name: in the order of the
 * folders). The order matters where one mechanism's INITIAL or state update feeds another (SK_E2
 * reads the cai that CaDynamics_E2_v2 sets).
 *
 * @module
 */
import { type InputLocation, InputSyntaxError, InputValueError } from "../io/mod.ts";
import type { DensityMechanism, PointMechanism } from "./mechanisms/_types.ts";
import { builtinDensityMechanisms, builtinPointMechanisms } from "./builtin_mechanisms.ts";
import { compileNmodl, toMechanism } from "./nmodl/mod.ts";

/** One `.mod` file as read: its path (as the user named it, for messages) and its text. */
export interface ModSource {
  /** Path of the file (messages and ordering use its last component). */
  readonly path: string;
  /** Contents. */
  readonly text: string;
}

/** Why a mechanism name cannot be used. */
export interface UnavailableMechanism {
  /** The file that declares (or is named after) the mechanism. */
  readonly file: string;
  /** The compile error (file, line, column, construct) or the duplicate definition. */
  readonly error: InputSyntaxError | InputValueError;
}

/** The mechanisms a job may use. */
export interface MechanismCatalogue {
  /** Density mechanisms in NEURON's registration order. */
  readonly density: readonly DensityMechanism[];
  /** Point processes (built-in electrodes and every compiled POINT_PROCESS), in that order. */
  readonly point: readonly PointMechanism[];
  /** Compiled point processes only (network receptors may name them). */
  readonly compiledPoint: readonly PointMechanism[];
  /** Names whose file could not be compiled (or that two files define), with why. */
  readonly unavailable: Readonly<Record<string, UnavailableMechanism>>;
  /** Built-in mechanisms replaced by a user's file: name → that file. */
  readonly replaced: Readonly<Record<string, string>>;
  /** Notes of the compiler per file (nocmodl-compatible fallbacks, ignored declarations). */
  readonly notes: readonly string[];
}

/** Options of {@link buildMechanismCatalogue}. */
export interface MechanismCatalogueOptions {
  /**
   * Built-in point processes besides IClamp and epsp that a user's file may replace (the
   * network's synapses: their names are reported as replaced, not as new).
   */
  readonly builtinPointNames?: readonly string[];
  /**
   * Conductance of the compiled current kernels (default `analytic`: dI/dV in closed form where
   * the currents are affine in v; `numeric`: NEURON's difference quotient everywhere).
   */
  readonly conductance?: "analytic" | "numeric";
}

/**
 * The built-in catalogue: no user files. Its mechanisms are our NMODL descriptions, compiled on
 * first use (solver/builtin_mechanisms.ts).
 */
export const BUILTIN_CATALOGUE: MechanismCatalogue = {
  get density(): readonly DensityMechanism[] {
    return builtinDensityMechanisms();
  },
  get point(): readonly PointMechanism[] {
    return builtinPointMechanisms();
  },
  compiledPoint: [],
  unavailable: {},
  replaced: {},
  notes: [],
};

/** Last path component (`a/b/CaDynamics_E2.mod` → `CaDynamics_E2.mod`). */
function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return path.slice(i + 1);
}

/** C-locale (byte) order of two ASCII file names; UTF-16 order elsewhere. */
function cOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The mechanism name a file that failed to compile declares, as far as a plain scan finds it
 * (SUFFIX or POINT_PROCESS), else its base name without `.mod`.
 */
function declaredName(text: string, path: string): string {
  const m = /\b(?:SUFFIX|POINT_PROCESS|ARTIFICIAL_CELL)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
  return m !== null ? m[1] : baseName(path).replace(/\.mod$/, "");
}

/**
 * Compiles the user's `.mod` files and merges them with the built-in mechanisms in NEURON's
 * registration order.
 *
 * @param sources the files, folder after folder, each folder's files in any order
 * @param options names of further built-in point processes (synapses)
 * @returns the catalogue
 * @example A user's leak channel next to the built-ins
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildMechanismCatalogue } from "./mechanism_catalogue.ts";
 * const c = buildMechanismCatalogue([{ path: "mods/leak.mod", text: `
 *   NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }
 *   PARAMETER { g = 0.001 (S/cm2) } ASSIGNED { v (mV) i (mA/cm2) }
 *   BREAKPOINT { i = g*(v + 70) }` }, { path: "mods/bad.mod", text: "NEURON { SUFFIX bad" }]);
 * assert.equal(c.density[0].name, "pas");
 * assert.ok(c.density.some((m) => m.name === "leak"));
 * assert.ok(c.unavailable.bad !== undefined);
 * ```
 */
export function buildMechanismCatalogue(
  sources: readonly ModSource[],
  options: MechanismCatalogueOptions = {},
): MechanismCatalogue {
  type Entry = { name: string; file: string; order: number; density?: DensityMechanism };
  const unavailable: Record<string, UnavailableMechanism> = {};
  const compiledByName = new Map<
    string,
    { path: string; mechanism: DensityMechanism | PointMechanism }
  >();
  const notes: string[] = [];
  for (const src of sources) {
    const r = compileNmodl(src.text, {
      file: src.path,
      ...(options.conductance !== undefined ? { conductance: options.conductance } : {}),
    });
    if (!r.ok) {
      const name = declaredName(src.text, src.path);
      if (!Object.hasOwn(unavailable, name) && !compiledByName.has(name)) {
        unavailable[name] = { file: src.path, error: r.error };
      }
      continue;
    }
    const name = r.mechanism.name;
    for (const w of r.mechanism.warnings) notes.push(`${src.path}: ${w}`);
    const earlier = compiledByName.get(name);
    if (earlier !== undefined) {
      unavailable[name] = {
        file: src.path,
        error: new InputValueError(
          { file: src.path, key: name },
          `Mechanism "${name}" is defined twice: in ${earlier.path} and in ${src.path}`,
        ),
      };
      continue;
    }
    if (Object.hasOwn(unavailable, name)) continue;
    compiledByName.set(name, { path: src.path, mechanism: toMechanism(r.mechanism) });
  }
  for (const name of Object.keys(unavailable)) compiledByName.delete(name);

  const replaced: Record<string, string> = {};
  // Density mechanisms: pas first (NEURON's own), then the files in C order.
  const entries: Entry[] = [];
  let order = 0;
  const builtinDensity = builtinDensityMechanisms();
  const builtinPoint = builtinPointMechanisms();
  const PAS = builtinDensity[0];
  for (const m of builtinDensity) {
    if (m === PAS) continue;
    const user = compiledByName.get(m.name);
    if (user !== undefined) {
      replaced[m.name] = user.path;
      continue;
    }
    entries.push({ name: m.name, file: `${m.name}.mod`, order: order++, density: m });
  }
  const compiledPoint: PointMechanism[] = [];
  for (const [name, { path, mechanism }] of compiledByName) {
    if (mechanism.kind === "density") {
      if (name === "pas") replaced[name] = path;
      entries.push({ name, file: baseName(path), order: order++, density: mechanism });
    } else compiledPoint.push(mechanism);
  }
  entries.sort((a, b) => cOrder(a.file, b.file) || a.order - b.order);
  const userPas = compiledByName.get("pas");
  const density: DensityMechanism[] = [
    userPas !== undefined && userPas.mechanism.kind === "density" ? userPas.mechanism : PAS,
    ...entries.filter((e) => e.name !== "pas").map((e) => e.density!),
  ];
  const compiledNames = new Set(compiledPoint.map((m) => m.name));
  const point: PointMechanism[] = [
    ...builtinPoint.filter((m) => !compiledNames.has(m.name)),
    ...compiledPoint,
  ];
  const builtinPoints = new Set([
    ...builtinPoint.map((m) => m.name),
    ...(options.builtinPointNames ?? []),
  ]);
  for (const m of compiledPoint) {
    if (builtinPoints.has(m.name)) replaced[m.name] = compiledByName.get(m.name)!.path;
  }
  return { density, point, compiledPoint, unavailable, replaced, notes };
}

/**
 * The error to report when a cell or network uses `name` and the catalogue lacks it: the compile
 * error of the user's file that declares it (its file, line and construct), with where the name
 * is used; undefined when the name is simply unknown.
 *
 * @param catalogue the job's catalogue
 * @param name the mechanism name as used
 * @param usedAt where it is used (a param file key)
 * @returns the error, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildMechanismCatalogue, unavailableMechanism } from "./mechanism_catalogue.ts";
 * const c = buildMechanismCatalogue([{ path: "bad.mod", text: "NEURON { SUFFIX bad WATCH }" }]);
 * const e = unavailableMechanism(c, "bad", { file: "c.param", line: 7 });
 * assert.match(e!.message, /^bad\.mod:1:\d+: .*used at c\.param:7/);
 * ```
 */
export function unavailableMechanism(
  catalogue: MechanismCatalogue,
  name: string,
  usedAt: InputLocation,
): InputSyntaxError | InputValueError | undefined {
  if (!Object.hasOwn(catalogue.unavailable, name)) return undefined;
  const e = catalogue.unavailable[name].error;
  const loc = { file: e.file, line: e.line, column: e.column, ...(e.key ? { key: e.key } : {}) };
  const text = e.message.slice(e.message.indexOf(": ") + 2);
  const at = `${usedAt.file}${usedAt.line ? `:${usedAt.line}` : ""}`;
  const message = `${text} (mechanism "${name}" is used at ${at})`;
  return e instanceof InputSyntaxError
    ? new InputSyntaxError(loc, message)
    : new InputValueError(loc, message);
}
