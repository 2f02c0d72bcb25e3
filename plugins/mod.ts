/**
 * Cell modification and plugins: ISF's built-in `cell_modify_functions`
 * (`applyCellModifyFunctions`, spec/cell_modify_functions.md), the sandbox that runs each user
 * plugin in its own process with only the file access it was granted (`PluginProcess`),
 * cell-modify plugins named by path, recorder plugins, and the types plugin authors implement
 * (`plugin_api.ts`, docs/plugins.md). Never imports simrun.
 *
 * @example Built-in functions and plugin paths
 * ```ts
 * import assert from "node:assert/strict";
 * import { BUILTIN_CELL_MODIFY_FUNCTIONS, isPluginPath } from "./mod.ts";
 * assert.ok("scale_apical_morph_86" in BUILTIN_CELL_MODIFY_FUNCTIONS);
 * assert.equal(isPluginPath("scale_apical_morph_86"), false);
 * assert.equal(isPluginPath("plugins/scale.ts"), true);
 * ```
 *
 * @module
 */

export { applyCellModifyFunctions, BUILTIN_CELL_MODIFY_FUNCTIONS } from "./cell_modify.ts";
export type {
  ApplyCellModifyOptions,
  CellModification,
  CellModifyContext,
  CellModifyFunction,
} from "./cell_modify.ts";
export { isPluginPath, runCellModifyPlugin, userPluginResolver } from "./user_cell_modify.ts";
export type { UserPluginOptions } from "./user_cell_modify.ts";
export { openRecorderHook, openRecorders } from "./recorder.ts";
export type {
  OpenRecorderHookOptions,
  OpenRecordersOptions,
  RecorderHook,
  RecorderSession,
  RecorderSpec,
} from "./recorder.ts";
export {
  DEFAULT_PLUGIN_MEMORY_LIMIT_MB,
  DEFAULT_PLUGIN_TIME_LIMIT_MS,
  MAX_PLUGIN_TIME_LIMIT_MS,
  PluginProcess,
} from "./host.ts";
export type { PluginCall, PluginKind, PluginLauncher, PluginProcessOptions } from "./host.ts";
export { servePluginProcess } from "./plugin_process.ts";
export type { EscapingLink, PluginGrants, PluginSandbox } from "./permissions.ts";
export type {
  CellDescription,
  CellModification as PluginCellModification,
  CellModifyPlugin,
  MechanismDescription,
  PluginArgs,
  PointProcessDescription,
  RecorderContext,
  RecorderPlugin,
  RecordSite as PluginRecordSite,
  SectionDescription,
  SweepData,
} from "./plugin_api.ts";
