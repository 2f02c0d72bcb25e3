/**
 * Reads a cell param, its hoc morphology and builds the cell with its cell-modify functions
 * applied (ISF's `create_cell`, spec/algorithm.md §4), plus the validated `sim` settings.
 *
 * @module
 */
import {
  type CellSpec,
  getObject,
  getOptionalObject,
  type InputLocation,
  InputValueError,
  type ParamObject,
  type PathMap,
  readCellSpec,
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
import { buildCell, type ModelSettings, type SolverSettings } from "../solver/mod.ts";
import type { Cell } from "../solver/mod.ts";
import {
  type JobMechanisms,
  loadJobMechanisms,
  type MechanismFolder,
  optionMechanismFolders,
  paramMechanismFolders,
  usedMechanisms,
  warnUnusedFailures,
} from "./job_mechanisms.ts";
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
  /** Where each value is in the param, for messages. */
  readonly where: {
    readonly vInit: InputLocation;
    readonly tStop: InputLocation;
    readonly dt: InputLocation;
    readonly celsius: InputLocation;
    readonly recordingSites: readonly InputLocation[];
  };
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
  /**
   * Folders of the user's `.mod` files (`--mechanisms DIR`), read after the param's
   * `NMODL_mechanisms` folders and `networkMechanismFolders`.
   */
  readonly mechanismFolders?: readonly string[];
  /**
   * The network param's `NMODL_mechanisms` folders (read after the cell param's). Given (even
   * empty) by commands with a network, which warn about unused `.mod` files that failed to
   * compile once they know the receptors; without it, createCell warns itself.
   */
  readonly networkMechanismFolders?: readonly MechanismFolder[];
  /** The job's mechanisms, already loaded (then no folder is read). */
  readonly mechanisms?: JobMechanisms;
}

/** The result of {@linkcode createCell}. */
export interface CreatedCell {
  /** The built cell: hoc morphology, biophysics and cell-modify functions applied. */
  readonly cell: Cell;
  /** The whole cell param as parsed. */
  readonly param: ParamObject;
  /** The described cell param. */
  readonly spec: CellSpec;
  /** The `sim` block (Vinit, tStop, dt, T, recording sites) with locations. */
  readonly sim: CellSimSettings;
  /** The job's mechanisms: built-ins plus the compiled `.mod` files of its folders. */
  readonly mechanisms: JobMechanisms;
}

/**
 * The model settings of a created cell: its `sim` protocol (with the param's locations), the
 * solver settings, and optionally another stop time or time step (from the command line).
 *
 * @param created the created cell
 * @param solver fast or exact mode, units
 * @param override another tStop [ms] or dt [ms], with where it comes from
 * @returns the settings for `prepareModel`
 */
export function modelSettings(
  created: Pick<CreatedCell, "sim">,
  solver: SolverSettings,
  override: {
    readonly tStop?: { readonly value: number; readonly where: InputLocation };
    readonly dt?: { readonly value: number; readonly where: InputLocation };
  } = {},
): ModelSettings {
  const sim = created.sim;
  return {
    vInit: sim.vInit,
    tStop: override.tStop?.value ?? sim.tStop,
    dt: override.dt?.value ?? sim.dt,
    celsius: sim.celsius,
    rateTables: solver.rateTables,
    units: solver.units,
    ...(solver.engine !== undefined ? { engine: solver.engine } : {}),
    where: {
      vInit: sim.where.vInit,
      tStop: override.tStop?.where ?? sim.where.tStop,
      dt: override.dt?.where ?? sim.where.dt,
      celsius: sim.where.celsius,
    },
  };
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
  const spec = readCellSpec(param, { file: paramPath });
  const sim = spec.sim;
  if (sim === undefined) {
    throw new InputValueError({ ...spec.where, key: "sim" }, 'Missing key "sim"');
  }
  const fLoc = spec.morphology.where;
  const hocPath = resolveInputPath(spec.morphology.value, {
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
  const mechanisms = options.mechanisms ?? await loadJobMechanisms([
    ...paramMechanismFolders(param, paramPath, options.pathMap),
    ...(options.networkMechanismFolders ?? []),
    ...optionMechanismFolders(options.mechanismFolders ?? []),
  ]);
  const cell = buildCell(spec, hoc, {
    catalogue: mechanisms.catalogue,
    pointMechanisms: mechanisms.synapses,
  });
  if (spec.cellModifyFunctions.length > 0) {
    // The functions' keyword arguments are theirs to read: they get the parsed object.
    const cmf = getOptionalObject(getObject(param, "neuron"), "cell_modify_functions", "neuron")!;
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
  // After the cell-modify functions: they may place point processes.
  if (options.networkMechanismFolders === undefined && options.mechanisms === undefined) {
    warnUnusedFailures(mechanisms, usedMechanisms(cell));
  }
  const recordingSites = sim.recordingSites.map((site) =>
    options.resolveRecordingSites === false ? site.value : resolveInputPath(site.value, {
      map: options.pathMap,
      key: site.where.key ?? "sim.recordingSites",
      file: paramPath,
      line: site.where.line ?? 0,
      what: "recording-site (.landmarkAscii) file",
    })
  );
  return {
    cell,
    param,
    spec,
    mechanisms,
    sim: {
      vInit: sim.vInit.value,
      tStop: sim.tStop.value,
      dt: sim.dt.value,
      celsius: sim.celsius.value,
      recordingSites,
      where: {
        vInit: sim.vInit.where,
        tStop: sim.tStop.where,
        dt: sim.dt.where,
        celsius: sim.celsius.where,
        recordingSites: sim.recordingSites.map((r) => r.where),
      },
    },
  };
}
