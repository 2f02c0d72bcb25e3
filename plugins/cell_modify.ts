/**
 * Cell-modify functions (spec/cell_modify_functions.md): the interface a function satisfies
 * (plain, serialisable data in and out, so that a sandboxed plugin, user_cell_modify.ts,
 * implements it too), the validated application of its result, the registry of ISF's
 * built-ins, and the dispatcher for `neuron.cell_modify_functions` (applied in key order).
 *
 * @module
 */
import {
  type InputLocation,
  InputValueError,
  isParamObject,
  joinKeyPath,
  paramLocation,
  type ParamObject,
  PluginError,
} from "../io/mod.ts";
import type { Cell } from "../solver/mod.ts";
import type {
  CellModification,
  CellModifyContext,
  CellModifyFunction,
} from "./cell_modification.ts";
import { apicalCurrentInjection } from "./builtins/apical_current_injection.ts";
import { apicalEpspInjection } from "./builtins/apical_epsp_injection.ts";
import { bacInjection } from "./builtins/bac_injection.ts";
import { scaleApical } from "./builtins/scale_apical.ts";
import { scaleApicalMorph86 } from "./builtins/scale_apical_morph_86.ts";
import { scaleMorphology } from "./builtins/scale_morphology.ts";
import { somaCurrentInjection } from "./builtins/soma_current_injection.ts";

export type { CellModification, CellModifyContext, CellModifyFunction };

/** ISF's built-in cell-modify functions by their ISF name. */
export const BUILTIN_CELL_MODIFY_FUNCTIONS: Readonly<Record<string, CellModifyFunction>> = {
  scale_apical_morph_86: scaleApicalMorph86,
  scale_apical: scaleApical,
  soma_current_injection: somaCurrentInjection,
  apical_current_injection: apicalCurrentInjection,
  apical_epsp_injection: apicalEpspInjection,
  BAC_injection: bacInjection,
  scale_morphology: scaleMorphology,
};

/**
 * Validates a modification against the cell and applies it: diameters are stored as float32
 * (as NEURON does); point processes are appended.
 *
 * @param cell the cell (modified in place)
 * @param mod the modification
 * @param source who produced it (function name or plugin path), for messages
 * @param where the function's entry in the param: kept with the point processes it adds, so that
 *   a bad parameter found when the model is prepared names it
 * @throws PluginError for an invalid section index, a wrong number of diameters, a diameter that
 *   is not a positive finite number, or an invalid point process
 * @example
 * ```ts ignore
 * applyCellModification(cell, { diameters: [{ section: 6, diam: [...] }] }, "my_fn");
 * ```
 */
export function applyCellModification(
  cell: Cell,
  mod: CellModification,
  source = "cell-modify function",
  where?: InputLocation,
): void {
  const fail = (msg: string): never => {
    throw new PluginError(source, msg);
  };
  if (typeof mod !== "object" || mod === null) {
    fail("must return an object { diameters?, pointProcesses?, points? }");
  }
  const nsec = cell.sections.length;
  const checkSection = (s: unknown, what: string): number => {
    if (typeof s !== "number" || !Number.isInteger(s) || s < 0 || s >= nsec) {
      fail(`${what}: section ${String(s)} is not a section index 0..${nsec - 1}`);
    }
    return s as number;
  };
  const diams = mod.diameters ?? [];
  if (!Array.isArray(diams)) fail("diameters must be a list");
  for (const d of diams) {
    const s = checkSection(d?.section, "diameters");
    const sec = cell.sections[s];
    if (!Array.isArray(d.diam) || d.diam.length !== sec.diam.length) {
      fail(
        `diameters of section ${s}: expected ${sec.diam.length} values (one per 3-D point), got ${
          Array.isArray(d.diam) ? d.diam.length : typeof d.diam
        }`,
      );
    }
    for (let k = 0; k < d.diam.length; k++) {
      const v = d.diam[k];
      if (typeof v !== "number" || !Number.isFinite(v) || !(v > 0)) {
        fail(`diameters of section ${s}, point ${k}: expected a positive number, got ${String(v)}`);
      }
    }
  }
  const pps = mod.pointProcesses ?? [];
  if (!Array.isArray(pps)) fail("pointProcesses must be a list");
  for (const p of pps) {
    if (typeof p?.mechanism !== "string" || p.mechanism === "") {
      fail("point process without a mechanism name");
    }
    checkSection(p.section, `point process ${p.mechanism}`);
    if (typeof p.x !== "number" || !(p.x >= 0 && p.x <= 1)) {
      fail(`point process ${p.mechanism}: x must be in [0, 1], got ${String(p.x)}`);
    }
    for (const [k, v] of Object.entries(p.params ?? {})) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        fail(
          `point process ${p.mechanism}: parameter ${k} must be a finite number, got ${String(v)}`,
        );
      }
    }
  }
  const points = mod.points ?? [];
  if (!Array.isArray(points)) fail("points must be a list");
  for (const p of points) {
    const s = checkSection(p?.section, "points");
    const n = cell.sections[s].x.length;
    for (const axis of ["x", "y", "z"] as const) {
      const v = p[axis];
      if (!Array.isArray(v) || v.length !== n) {
        fail(`points of section ${s}: expected ${n} ${axis} values (one per 3-D point)`);
      }
      if (!v.every((c: unknown) => typeof c === "number" && Number.isFinite(c))) {
        fail(`points of section ${s}: ${axis} values must be finite numbers`);
      }
    }
  }
  for (const d of diams) {
    const sec = cell.sections[d.section];
    for (let k = 0; k < d.diam.length; k++) sec.diam[k] = Math.fround(d.diam[k]);
  }
  for (const p of points) {
    const sec = cell.sections[p.section];
    sec.x.set(p.x);
    sec.y.set(p.y);
    sec.z.set(p.z);
  }
  for (const p of pps) {
    cell.pointProcesses.push({
      mechanism: p.mechanism,
      section: p.section,
      x: p.x,
      params: { ...p.params },
      ...(where !== undefined ? { where } : {}),
    });
  }
}

/** Options of {@linkcode applyCellModifyFunctions}. */
export interface ApplyCellModifyOptions {
  /** The cell param file, for messages. */
  readonly paramFile: string;
  /** Dotted key of `functionsParam` (default `neuron.cell_modify_functions`). */
  readonly keyPath?: string;
  /**
   * Resolves a name that is not a built-in (e.g. a path to a user plugin:
   * `userPluginResolver()`); undefined → unknown.
   */
  readonly resolvePlugin?: (
    name: string,
    where: InputLocation,
  ) => CellModifyFunction | undefined | Promise<CellModifyFunction | undefined>;
  /** Resolves file paths in the functions' arguments (see {@linkcode CellModifyContext}). */
  readonly resolvePath?: CellModifyContext["resolvePath"];
}

/**
 * Applies `neuron.cell_modify_functions` in key order.
 *
 * @param cell the built cell (modified in place)
 * @param functionsParam the `cell_modify_functions` object `{name: {kwargs}}`
 * @param options param file, key path, plugin resolver
 * @throws InputValueError (file:line:key) for an unknown name or bad arguments
 * @example
 * ```ts ignore
 * await applyCellModifyFunctions(cell, neuron.cell_modify_functions as ParamObject, { paramFile });
 * ```
 */
export async function applyCellModifyFunctions(
  cell: Cell,
  functionsParam: ParamObject,
  options: ApplyCellModifyOptions,
): Promise<void> {
  const keyPath = options.keyPath ?? "neuron.cell_modify_functions";
  for (const name of Object.keys(functionsParam)) {
    const where = withFile(paramLocation(functionsParam, name, keyPath), options.paramFile);
    const args = functionsParam[name];
    if (!isParamObject(args)) {
      throw new InputValueError(
        where,
        `Arguments of cell-modify function "${name}" must be an object {keyword: value}`,
      );
    }
    let fn: CellModifyFunction | undefined = Object.hasOwn(BUILTIN_CELL_MODIFY_FUNCTIONS, name)
      ? BUILTIN_CELL_MODIFY_FUNCTIONS[name]
      : undefined;
    if (fn === undefined && options.resolvePlugin) fn = await options.resolvePlugin(name, where);
    if (fn === undefined) {
      throw new InputValueError(
        where,
        `Unknown cell-modify function "${name}"; built-ins are ${
          Object.keys(BUILTIN_CELL_MODIFY_FUNCTIONS).join(", ")
        }`,
      );
    }
    const mod = await fn(cell, args, {
      keyPath: joinKeyPath(keyPath, name),
      paramFile: options.paramFile,
      ...(options.resolvePath !== undefined ? { resolvePath: options.resolvePath } : {}),
    });
    applyCellModification(cell, mod, name, where);
  }
}

function withFile(loc: InputLocation, file: string): InputLocation {
  return loc.file === "<unknown>" ? { ...loc, file } : loc;
}
