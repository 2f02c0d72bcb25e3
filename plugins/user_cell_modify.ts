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
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { type InputLocation, InputValueError, PluginError } from "../io/mod.ts";
import type { Cell } from "../solver/mod.ts";
import { describeCell } from "./cell_description.ts";
import type { CellModification, CellModifyFunction } from "./cell_modify.ts";
import { PluginWorker } from "./host.ts";
import type { PluginArgs } from "./plugin_api.ts";

/** Options of {@linkcode userPluginResolver} and {@linkcode runCellModifyPlugin}. */
export interface UserPluginOptions {
  /** Extra files or folders plugins may read besides their own folder (`--plugin-read`). */
  readonly read?: readonly string[];
  /** Time limit of one plugin call [ms] (default 30 s). */
  readonly timeLimitMs?: number;
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
    if (!existsSync(path) || !statSync(path).isFile()) {
      throw new InputValueError(
        where,
        `Cell-modify plugin "${name}" not found (looked for ${path})`,
      );
    }
    return (cell, args) => runCellModifyPlugin(path, cell, args, { ...options, name });
  };
}

/**
 * Runs one cell-modify plugin module in a fresh sandboxed worker and returns its modification
 * (typed arrays turned into plain arrays; validation happens in `applyCellModification`).
 *
 * @param path path of the plugin module
 * @param cell the cell (not modified)
 * @param args the plugin's keyword arguments
 * @param options read grants, time limit [ms], name for messages
 * @returns the plugin's modification
 * @throws PluginError when the plugin is denied a permission, throws, returns something that is
 *   not an object, or runs past the time limit
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
  const plugin = await PluginWorker.start(path, {
    kind: "cellModify",
    name,
    ...(options.read ? { read: options.read } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
  });
  try {
    const value = await plugin.call({ op: "cellModify", cell: describeCell(cell), args });
    return normalize(name, value);
  } finally {
    plugin.close();
  }
}

/** Checks the outer shape and turns typed-array diameters into plain arrays. */
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
  if (!Array.isArray(v.diameters)) return v as CellModification;
  const diameters = v.diameters.map((d: unknown) => {
    const e = d as { section?: unknown; diam?: unknown };
    return ArrayBuffer.isView(e?.diam) && !(e.diam instanceof DataView)
      ? { ...e, diam: Array.from(e.diam as Float64Array) }
      : e;
  });
  return { ...v, diameters } as CellModification;
}
