/**
 * Reads a cell param, its hoc morphology and builds the cell with its cell-modify functions
 * applied (ISF's `create_cell`, spec/algorithm.md §4), plus the validated `sim` settings.
 *
 * @module
 */
import {
  getArray,
  getNumber,
  getObject,
  getOptionalObject,
  getString,
  InputValueError,
  paramLocation,
  type ParamObject,
  type PathMap,
  readHocFile,
  readParamFile,
  resolveInputPath,
  skippedSectionsWarning,
} from "../io/mod.ts";
import {
  applyCellModifyFunctions,
  type ApplyCellModifyOptions,
  userPluginResolver,
} from "../plugins/mod.ts";
import { buildCell } from "../solver/mod.ts";
import type { Cell } from "../solver/mod.ts";
import { warn } from "./warnings.ts";

/** Simulation settings from the cell param's `sim` block. */
export interface CellSimSettings {
  /** Initial membrane potential [mV] (`Vinit`). */
  readonly vInit: number;
  /** Stop time [ms] as stored in the param (`tStop`; a run may override it). */
  readonly tStop: number;
  /** Fixed time step [ms] (`dt`). */
  readonly dt: number;
  /** Temperature [°C] (`T`). */
  readonly celsius: number;
  /** Landmark files of the recording sites, resolved to local paths (unless not requested). */
  readonly recordingSites: string[];
}

/** Options of {@linkcode createCell}. */
export interface CreateCellOptions {
  /** Rules that map the param's foreign absolute paths to local ones. */
  readonly pathMap: PathMap;
  /**
   * Plugin hook for cell-modify functions that are not built-ins. Default: a key that is a path
   * runs that user plugin with the default sandbox (`userPluginResolver()`: its own folder
   * readable, 30 s per call); pass `{ resolvePlugin: userPluginResolver({ read, timeLimitMs }) }`
   * to grant more or change the limit.
   */
  readonly cellModify?: Pick<ApplyCellModifyOptions, "resolvePlugin">;
  /**
   * Resolve `sim.recordingSites` to existing local files (default true). Commands that never
   * read the landmarks (`cell`, `inspect`, `network`) pass false: the paths are then returned
   * as written and a missing landmark file is not an error.
   */
  readonly resolveRecordingSites?: boolean;
}

/** The result of {@linkcode createCell}. */
export interface CreatedCell {
  /** The built cell: hoc morphology, biophysics and cell-modify functions applied. */
  readonly cell: Cell;
  /** The whole cell param as parsed. */
  readonly param: ParamObject;
  /** The validated `sim` block (Vinit, tStop, dt, T, recording sites). */
  readonly sim: CellSimSettings;
}

/**
 * Builds the cell of a cell param file.
 *
 * @param paramPath path of the cell `.param`
 * @param options path map, cell-modify plugin hook
 * @returns the cell, the parsed param and the `sim` settings
 * @throws InputSyntaxError / InputValueError with file:line:key for bad input
 * @example
 * ```ts ignore
 * const { cell, sim } = await createCell("86_C2_center.param", { pathMap: parsePathMap(rules) });
 * ```
 */
export async function createCell(
  paramPath: string,
  options: CreateCellOptions,
): Promise<CreatedCell> {
  const param = await readParamFile(paramPath);
  const neuron = getObject(param, "neuron");
  const filename = getString(neuron, "filename", "neuron");
  const fLoc = paramLocation(neuron, "filename", "neuron");
  const hocPath = resolveInputPath(filename, {
    map: options.pathMap,
    key: "neuron.filename",
    file: paramPath,
    line: fLoc.line ?? 0,
    what: "morphology (.hoc) file",
  });
  const hoc = await readHocFile(hocPath, {
    referencedFrom: paramPath,
    line: fLoc.line ?? 0,
    key: "neuron.filename",
  });
  const skipped = skippedSectionsWarning(hoc);
  if (skipped !== undefined) warn(skipped);
  const cell = buildCell(neuron, hoc, {
    paramFile: paramPath,
    keyPath: "neuron",
    mechGlobals: getOptionalObject(param, "mech_globals"),
  });
  const cmf = getOptionalObject(neuron, "cell_modify_functions", "neuron");
  if (cmf !== undefined) {
    await applyCellModifyFunctions(cell, cmf, {
      paramFile: paramPath,
      keyPath: "neuron.cell_modify_functions",
      resolvePlugin: options.cellModify?.resolvePlugin ?? userPluginResolver(),
      resolvePath: (p, at, what) =>
        resolveInputPath(p, {
          map: options.pathMap,
          file: paramPath,
          ...(at.line !== undefined ? { line: at.line } : {}),
          ...(at.key !== undefined ? { key: at.key } : {}),
          what,
        }),
    });
  }
  const sim = getObject(param, "sim");
  const vInit = getNumber(sim, "Vinit", "sim");
  const tStop = getNumber(sim, "tStop", "sim");
  const dt = getNumber(sim, "dt", "sim");
  const celsius = getNumber(sim, "T", "sim");
  if (!(dt > 0)) {
    throw new InputValueError(paramLocation(sim, "dt", "sim"), `"dt" must be positive, got ${dt}`);
  }
  if (!(tStop > 0)) {
    throw new InputValueError(
      paramLocation(sim, "tStop", "sim"),
      `"tStop" must be positive, got ${tStop}`,
    );
  }
  const recordingSites: string[] = [];
  if (Object.hasOwn(sim, "recordingSites")) {
    const list = getArray(sim, "recordingSites", "sim");
    const lLoc = paramLocation(sim, "recordingSites", "sim");
    for (let i = 0; i < list.length; i++) {
      const p = getString(list, i, "sim.recordingSites");
      if (options.resolveRecordingSites === false) {
        recordingSites.push(p);
        continue;
      }
      recordingSites.push(resolveInputPath(p, {
        map: options.pathMap,
        key: `sim.recordingSites.${i}`,
        file: paramPath,
        line: lLoc.line ?? 0,
        what: "recording-site (.landmarkAscii) file",
      }));
    }
  }
  return { cell, param, sim: { vInit, tStop, dt, celsius, recordingSites } };
}
