/**
 * simrun's public API: ISF's `run_new_simulations` (`runJobs`), `run_existing_synapse_activations`
 * (`runReplay`), network realization alone (`runNetworkOnly`), single-cell runs (`runCell`,
 * `createCell` + `simulate`), the input readers and writers, the plugin host and the types
 * plugin authors implement (docs/plugins.md), and the error classes.
 *
 * @example Build the ISF example cell and simulate 10 ms at rest
 * ```ts ignore
 * import { createCell, parsePathMap, simulate } from "./mod.ts";
 * const pathMap = parsePathMap(["*\/getting_started/example_data/=../shared/data/isf_example/"]);
 * const { cell, sim } = await createCell("86_C2_center.param", { pathMap });
 * const run = simulate(cell, { vInit: sim.vInit, tStop: 10, dt: sim.dt, celsius: sim.celsius });
 * console.log(run.soma.at(-1));
 * ```
 *
 * @module
 */

// Errors
export {
  InputSyntaxError,
  InputValueError,
  InternalError,
  isInputError,
  PluginError,
} from "./io/errors.ts";
export type { InputLocation } from "./io/errors.ts";

// Readers and writers
export { paramLocation, parseParam, readParamFile } from "./io/param.ts";
export type { ParamMeta, ParamObject, ParamValue } from "./io/param.ts";
export { formatParamJson } from "./io/param_writer.ts";
export { formatPythonFloat } from "./io/python_float.ts";
export { parsePathMap, pathMapFromArgsAndEnv, resolveInputPath } from "./io/path_map.ts";
export type { PathMap, PathMapRule } from "./io/path_map.ts";
export { parseHoc, readHocFile } from "./io/hoc.ts";
export type { HocMorphology, HocSection } from "./io/hoc.ts";
export { parseCon, parseSyn } from "./io/syn_con.ts";
export type { ConFile, ConRow, SynFile, SynRow } from "./io/syn_con.ts";
export { parseLandmarks } from "./io/landmark.ts";
export type { Landmark } from "./io/landmark.ts";
export {
  formatPresynapticSpikes,
  formatSynapseActivations,
  parseSynapseActivationFile,
} from "./io/activation_files.ts";

// Cell and solver
export type { Cell, PointProcessSpec, Section, SectionMechanism } from "./solver/cell.ts";
export type {
  DensityMechanism,
  MechanismInstances,
  NodeArrays,
  PointMechanism,
} from "./solver/mechanisms/_types.ts";
export { DENSITY_MECHANISMS, densityMechanism } from "./solver/mechanisms/mod.ts";
export { simulate, stepCount } from "./solver/simulation.ts";
export type {
  RecordSite,
  SimulationOptions,
  SimulationResult,
  SynapticInput,
} from "./solver/simulation.ts";
export { initialState } from "./solver/initial_state.ts";
export { recordingSites } from "./solver/recording_sites.ts";
export type { RecordingSite } from "./solver/recording_sites.ts";

// Network
export { createNetworkRandom } from "./network/rng/network_random.ts";
export type { NetworkRandom, NetworkRandomKind } from "./network/rng/network_random.ts";
export { readNetworkSpec } from "./network/network_param.ts";
export type { NetworkSpec, PresynapticTypeSpec } from "./network/network_param.ts";
export { createAnatomyCache, createNetworkMapper } from "./network/network_mapper.ts";
export type { ActiveSynapse, NetworkMapper, NetworkRealization } from "./network/network_mapper.ts";

// Cell-modify functions
export { applyCellModifyFunctions, BUILTIN_CELL_MODIFY_FUNCTIONS } from "./plugins/cell_modify.ts";
export type { CellModification, CellModifyFunction } from "./plugins/cell_modify.ts";

// Plugins (docs/plugins.md): the types plugin authors implement, and the host side
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
} from "./plugins/plugin_api.ts";
export { openRecorderHook, openRecorders } from "./plugins/recorder.ts";
export type {
  OpenRecorderHookOptions,
  OpenRecordersOptions,
  RecorderHook,
  RecorderSession,
  RecorderSpec,
} from "./plugins/recorder.ts";
export {
  isPluginPath,
  runCellModifyPlugin,
  userPluginResolver,
} from "./plugins/user_cell_modify.ts";
export type { UserPluginOptions } from "./plugins/user_cell_modify.ts";
export { DEFAULT_PLUGIN_TIME_LIMIT_MS, PluginWorker } from "./plugins/host.ts";
export type { PluginWorkerOptions } from "./plugins/host.ts";

// Workflows
export { createCell } from "./simrun/create_cell.ts";
export type { CreateCellOptions, CreatedCell } from "./simrun/create_cell.ts";
export { inspectTables } from "./simrun/inspect.ts";
export { runCell, spikeTimes } from "./simrun/cell_run.ts";
export type { CellRunResult, RunCellOptions } from "./simrun/cell_run.ts";
export { runJobs } from "./simrun/run.ts";
export type { RunJobsOptions } from "./simrun/run.ts";
export type { JobResult, JobSpec, PluginSettings } from "./simrun/job.ts";
export { runReplay } from "./simrun/replay.ts";
export type { ReplayOptions } from "./simrun/replay.ts";
export { runNetworkOnly } from "./simrun/network_only.ts";
export type { NetworkOnlyOptions } from "./simrun/network_only.ts";

// Types referenced by the API above (so that documentation is complete)
export type {
  ActivationFile,
  ActivationRow,
  PresynapticSpikeRecord,
  SynapseActivationRecord,
} from "./io/activation_files.ts";
export type { HocLabel } from "./io/hoc.ts";
export type { ParsePathMapOptions, ResolveInputPathOptions } from "./io/path_map.ts";
export type { ReadTextOptions } from "./io/read_text.ts";
export type {
  ActiveReceptor,
  AnatomyCache,
  NetworkMapperOptions,
  PresynapticSpikes,
} from "./network/network_mapper.ts";
export type {
  ActivitySource,
  NetworkModifyFunction,
  PointcellDistribution,
  PointcellSource,
  ReadNetworkSpecOptions,
  ReceptorSpec,
  SpikeTrainSource,
  SynapseSpec,
} from "./network/network_param.ts";
export type { ElementaryFunctions } from "./network/rng/elementary_functions.ts";
export type { NetworkRandomOptions } from "./network/rng/network_random.ts";
export type { RandomStream } from "./network/rng/random_stream.ts";
export type { PluginKind } from "./plugins/_plugin_protocol.ts";
export type { ApplyCellModifyOptions, CellModifyContext } from "./plugins/cell_modify.ts";
export type { PluginCall } from "./plugins/host.ts";
export type { PluginGrants } from "./plugins/permissions.ts";
export type { DeliverOptions } from "./plugins/recorder.ts";
export type { CellSimSettings } from "./simrun/create_cell.ts";
export type { ExtraColumn, InspectOptions } from "./simrun/inspect.ts";
export type { ProgressMode } from "./simrun/progress.ts";
export type { JobSettings } from "./simrun/job.ts";
export type { ReplayJobSpec } from "./simrun/replay.ts";
export type { StateColumn } from "./solver/initial_state.ts";
export type { Kernel, ParameterInfo } from "./solver/mechanisms/_types.ts";
export type { LandmarkPoint } from "./solver/recording_sites.ts";
export type { InitializeOptions } from "./solver/simulation.ts";
