/**
 * The bottom layer: turns bytes into plain records and back. Readers for ISF's `.param`
 * (Python-literal) files, `.hoc` morphologies, `.syn`/`.con` anatomy, landmark and
 * synapse-activation files, the path map that relocates ISF paths, the writers of `.param` JSON
 * and Python-formatted floats, the schema of the cell param (`readCellSpec`: a typed spec in
 * which every value keeps its location), and the error classes every layer throws. Records keep their
 * `{ file, line }`, so later layers can point at the right line. Knows nothing about cables,
 * runs or the CLI.
 *
 * @example Read a value with its location
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatPythonFloat, getNumber, paramLocation, parseParam } from "./mod.ts";
 * const p = parseParam("{'tStop': 300.0}", "sim.param");
 * assert.equal(getNumber(p, "tStop"), 300);
 * assert.equal(paramLocation(p, "tStop").line, 1);
 * assert.equal(formatPythonFloat(300), "300.0");
 * ```
 *
 * @module
 */

export {
  InputSyntaxError,
  InputValueError,
  InternalError,
  isInputError,
  PluginError,
  SimulationError,
} from "./errors.ts";
export type { InputLocation, SimulationErrorOptions } from "./errors.ts";

export {
  cloneParam,
  describeParamValue,
  getArray,
  getBoolean,
  getInteger,
  getNumber,
  getNumberArray,
  getObject,
  getOptionalArray,
  getOptionalNumber,
  getOptionalObject,
  getOptionalString,
  getString,
  isParamObject,
  joinKeyPath,
  MAX_PARAM_BYTES,
  paramLocation,
  parseParam,
  readParamFile,
  setParam,
} from "./param.ts";
export type { ParamMeta, ParamObject, ParamValue, SetParamOptions } from "./param.ts";
export { formatParamJson } from "./param_writer.ts";
export {
  ionOfVariable,
  NEURON_NON_LABEL_KEYS,
  readCellSpec,
  readNmodlMechanisms,
  SPATIAL_RULE_KEYS,
} from "./cell_spec.ts";
export type {
  CellModifyFunctionSpec,
  CellSpec,
  Located,
  MechanismGlobalSpec,
  RangeMechanismSpec,
  ReadCellSpecOptions,
  SimSpec,
  StructureSpec,
  ValueSpec,
} from "./cell_spec.ts";
export { formatPythonFloat } from "./python_float.ts";

export { mapPath, parsePathMap, pathMapFromArgsAndEnv, resolveInputPath } from "./path_map.ts";
export type {
  ParsePathMapOptions,
  PathMap,
  PathMapRule,
  ResolveInputPathOptions,
} from "./path_map.ts";
export {
  basename,
  dirname,
  extname,
  fileUrlToPath,
  isAbsolute,
  join,
  normalize,
  pathToFileUrl,
  relative,
  resolve,
  SEPARATOR,
} from "./posix_path.ts";
export { parseCommandLine } from "./command_line.ts";
export type { CommandOption, ParsedCommandLine } from "./command_line.ts";
export { MAX_TEXT_INPUT_BYTES, readTextInput, readTextInputSync } from "./read_text.ts";
export type { ReadTextOptions } from "./read_text.ts";

export {
  MAX_COORDINATE_UM,
  MAX_DIAMETER_UM,
  MIN_DIAMETER_UM,
  parseHoc,
  readHocFile,
  skippedSectionsWarning,
} from "./hoc.ts";
export type { HocLabel, HocMorphology, HocSection, HocSkippedSection } from "./hoc.ts";
export { parseCon, parseSyn, readConFile, readSynFile } from "./syn_con.ts";
export type { ConFile, ConRow, SynFile, SynRow } from "./syn_con.ts";
export { parseLandmarks, readLandmarkFile } from "./landmark.ts";
export type { Landmark } from "./landmark.ts";
export {
  formatPresynapticSpikes,
  formatSynapseActivations,
  parseSynapseActivationFile,
} from "./activation_files.ts";
export type {
  ActivationFile,
  ActivationRow,
  PresynapticSpikeRecord,
  SynapseActivationRecord,
} from "./activation_files.ts";
