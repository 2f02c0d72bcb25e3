/**
 * User cell-modify plugins: a key of `neuron.cell_modify_functions` that is a path (it ends in
 * `.ts`, `.js`, `.mts` or `.mjs`, or contains `/`) names a plugin module, resolved relative to
 * the param file. It runs once, sandboxed (`host.ts`), on a {@linkcode CellDescription} of the
 * cell; its {@linkcode CellModification} is validated and applied like a built-in's.
 *
 * Wire it in through the dispatcher's hook:
 * `createCell(path, { pathMap, cellModify: { resolvePlugin: userPluginResolver({ read }) } })`.
 *
 * @module
 */
import {
  dirname,
  type InputLocation,
  InputValueError,
  isAbsolute,
  PluginError,
  resolve,
} from "../io/mod.ts";
import { type Cell, pointMechanism } from "../solver/mod.ts";
import { describeCell } from "./cell_description.ts";
import type { CellModification, CellModifyFunction } from "./cell_modify.ts";
import { type PluginLauncher, PluginProcess } from "./host.ts";
import type { PluginArgs } from "./plugin_api.ts";

/** Options of {@linkcode userPluginResolver} and {@linkcode runCellModifyPlugin}. */
export interface UserPluginOptions {
  /** Extra files or folders plugins may read besides their own folder (`--plugin-read`). */
  readonly read?: readonly string[];
  /** Time limit of one plugin call [ms] (default 30 s). */
  readonly timeLimitMs?: number;
  /** Memory limit of a plugin's process [MiB] (default 2048). */
  readonly memoryLimitMb?: number;
  /** How to start a plugin's process (see `PluginProcessOptions.launcher`; tests). */
  readonly launcher?: PluginLauncher;
}

/**
 * True when a `cell_modify_functions` key names a plugin module rather than a built-in.
 *
 * @param name the key
 * @returns whether it is a path
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isPluginPath } from "./user_cell_modify.ts";
 * assert.equal(isPluginPath("plugins/scale.ts"), true);
 * assert.equal(isPluginPath("scale.js"), true);
 * assert.equal(isPluginPath("scale_apical_morph_86"), false);
 * ```
 */
export function isPluginPath(name: string): boolean {
  return /\.(m?ts|m?js)$/.test(name) || name.includes("/");
}

/**
 * The `resolvePlugin` hook of `applyCellModifyFunctions`: maps a path key (relative to the
 * param file) to a function that runs the plugin in its sandbox; other names → undefined
 * (unknown function).
 *
 * @param options read grants and time limit
 * @returns the hook
 * @throws InputValueError (param file, line, key) from the hook when the module does not exist
 * @example
 * ```ts ignore
 * await createCell("cell.param", { pathMap, cellModify: { resolvePlugin: userPluginResolver() } });
 * ```
 */
export function userPluginResolver(
  options: UserPluginOptions = {},
): (name: string, where: InputLocation) => CellModifyFunction | undefined {
  return (name, where) => {
    if (!isPluginPath(name)) return undefined;
    const base = where.file && where.file !== "<unknown>" ? dirname(where.file) : ".";
    const path = isAbsolute(name) ? name : resolve(base, name);
    if (!isFile(path)) {
      throw new InputValueError(
        where,
        `Cell-modify plugin "${name}" not found (looked for ${path})`,
      );
    }
    return (cell, args) => runCellModifyPlugin(path, cell, args, { ...options, name });
  };
}

/**
 * Runs one cell-modify plugin module in a fresh sandboxed process and returns its modification
 * (typed arrays turned into plain arrays; point-process mechanisms and parameter names are
 * checked here, everything else in `applyCellModification`). The process is gone when this
 * returns.
 *
 * @param path path of the plugin module
 * @param cell the cell (not modified)
 * @param args the plugin's keyword arguments
 * @param options read grants, time limit [ms], name for messages
 * @returns the plugin's modification
 * @throws PluginError when the plugin is denied a permission, throws, returns something that is
 *   not an object, ends its process, runs out of memory or past the time limit
 * @throws InputValueError (source `plugin <name>`) for a point process or parameter the solver
 *   does not know (a bad declaration, exit code 2)
 * @example
 * ```ts ignore
 * const mod = await runCellModifyPlugin("examples/plugins/scale_apical_morph_86.ts", cell, {});
 * applyCellModification(cell, mod, "scale_apical_morph_86.ts");
 * ```
 */
export async function runCellModifyPlugin(
  path: string,
  cell: Readonly<Cell>,
  args: PluginArgs,
  options: UserPluginOptions & { readonly name?: string } = {},
): Promise<CellModification> {
  const name = options.name ?? path;
  const plugin = await PluginProcess.start(path, {
    kind: "cellModify",
    name,
    ...(options.read ? { read: options.read } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.memoryLimitMb !== undefined ? { memoryLimitMb: options.memoryLimitMb } : {}),
    ...(options.launcher !== undefined ? { launcher: options.launcher } : {}),
  });
  try {
    const value = await plugin.call({ op: "cellModify", cell: describeCell(cell), args });
    return normalize(name, value);
  } finally {
    await plugin.close();
  }
}

/**
 * Checks the outer shape, the point processes' mechanisms and parameter names (own names of the
 * mechanism only: `__proto__` or `constructor` must not reach the solver), and turns typed-array
 * diameters into plain arrays.
 */
function normalize(name: string, value: unknown): CellModification {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PluginError(
      name,
      `cellModify() must return an object { diameters?, pointProcesses? }, got ${
        Array.isArray(value) ? "an array" : String(value)
      }`,
    );
  }
  const v = value as { diameters?: unknown; pointProcesses?: unknown };
  if (Array.isArray(v.pointProcesses)) checkPointProcesses(name, v.pointProcesses);
  if (!Array.isArray(v.diameters)) return v as CellModification;
  const diameters = v.diameters.map((d: unknown) => {
    const e = d as { section?: unknown; diam?: unknown };
    return ArrayBuffer.isView(e?.diam) && !(e.diam instanceof DataView)
      ? { ...e, diam: Array.from(e.diam as Float64Array) }
      : e;
  });
  return { ...v, diameters } as CellModification;
}

function checkPointProcesses(name: string, list: readonly unknown[]): void {
  list.forEach((raw, i) => {
    const p = raw as { mechanism?: unknown; params?: unknown };
    const where = { file: `plugin ${name}`, key: `cellModify().pointProcesses[${i}]` };
    if (typeof p !== "object" || p === null) return; // applyCellModification reports the shape
    const mech = typeof p.mechanism === "string" ? pointMechanism(p.mechanism) : undefined;
    if (mech === undefined) {
      throw new InputValueError(
        where,
        `Unknown point process ${
          JSON.stringify(String(p.mechanism))
        }; a plugin may add IClamp or epsp`,
      );
    }
    if (p.params === undefined) return;
    if (typeof p.params !== "object" || p.params === null || Array.isArray(p.params)) {
      throw new InputValueError(where, `params of ${mech.name} must be an object {name: number}`);
    }
    for (const key of Object.keys(p.params)) {
      if (!Object.hasOwn(mech.parameters, key)) {
        throw new InputValueError(
          { ...where, key: `${where.key}.params` },
          `Unknown parameter ${JSON.stringify(key)} of point process "${mech.name}"; it has ${
            Object.keys(mech.parameters).join(", ")
          }`,
        );
      }
    }
  });
}

/** Whether `path` is a file (false when it is missing or cannot be examined). */
function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
