/**
 * simrun's public API: ISF's `run_new_simulations` (`runJobs`), `run_existing_synapse_activations`
 * (`runReplay`), network realization alone (`runNetworkOnly`), single-cell runs (`runCell`,
 * `createCell` + `simulate`, or describe → prepare → run: `readCellSpec`, `buildCell`,
 * `prepareModel`, `runSweep`), campaigns on SLURM (`submitCampaign` … `mergeCampaign`), figures and
 * a report of a result folder (`plotResultFolder`), the input readers and writers, the plugin host
 * and the types plugin authors implement (docs/plugins.md), and the error classes.
 *
 * @example Build the ISF example cell and simulate 10 ms at rest
 * ```ts ignore
 * import { createCell, parsePathMap, prepareModel, runSweep, simulate } from "./mod.ts";
 * const pathMap = parsePathMap(["*\/getting_started/example_data/=../shared/data/isf_example/"]);
 * const { cell, sim } = await createCell("86_C2_center.param", { pathMap });
 * const run = simulate(cell, { vInit: sim.vInit, tStop: 10, dt: sim.dt, celsius: sim.celsius });
 * // or, for many sweeps: prepare once, run per sweep
 * const model = prepareModel(cell, { ...sim, tStop: 10, rateTables: true, units: "modern" });
 * const sweep0 = runSweep(model, []);
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
  SimulationError,
} from "./io/mod.ts";
export type { InputLocation, SimulationErrorOptions } from "./io/mod.ts";

// Readers and writers
export { paramLocation, parseParam, readParamFile } from "./io/mod.ts";
export type { ParamMeta, ParamObject, ParamValue } from "./io/mod.ts";
export { formatParamJson } from "./io/mod.ts";
export { formatPythonFloat } from "./io/mod.ts";
export { parsePathMap, pathMapFromArgsAndEnv, resolveInputPath } from "./io/mod.ts";
export type { PathMap, PathMapRule } from "./io/mod.ts";
// POSIX paths and the strict argument parser of the command line, without node:path/node:util.
export { basename, dirname, parseCommandLine } from "./io/mod.ts";
export type { CommandOption, ParsedCommandLine } from "./io/mod.ts";
export { parseHoc, readHocFile } from "./io/mod.ts";
export type { HocMorphology, HocSection } from "./io/mod.ts";
export { parseCon, parseSyn } from "./io/mod.ts";
export type { ConFile, ConRow, SynFile, SynRow } from "./io/mod.ts";
export { parseLandmarks } from "./io/mod.ts";
export type { Landmark } from "./io/mod.ts";
export {
  formatPresynapticSpikes,
  formatSynapseActivations,
  parseSynapseActivationFile,
} from "./io/mod.ts";

// Describe: the cell param as a typed spec
export { readCellSpec } from "./io/mod.ts";
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
} from "./io/mod.ts";

// Cell and solver: buildCell → prepareModel → runSweep (or simulate for all three)
export type { Cell, PointProcessSpec, Section, SectionMechanism } from "./solver/mod.ts";
export { buildCell } from "./solver/mod.ts";
export type { BuildCellOptions } from "./solver/mod.ts";
export {
  checkModelSettings,
  DEFAULT_SOLVER_SETTINGS,
  ENGINE_CHOICES,
  FAST_MODE_MAX_DV_MV,
  MAX_STEPS,
  prepareModel,
  resolveProbes,
  runSweep,
} from "./solver/mod.ts";
export type {
  EngineChoice,
  LoweredCell,
  LoweredMechanism,
  ModelSettings,
  PointGroup,
  PreparedModel,
  PrepareModelOptions,
  Probe,
  ResolveProbesOptions,
  RunSweepOptions,
  SettingSources,
  SolverSettings,
  UnitSystem,
} from "./solver/mod.ts";
export type { EventQueue, HinesSchedule, HinesSystem } from "./solver/mod.ts";
export type {
  DensityMechanism,
  DerivedSlot,
  FastKernels,
  IonUse,
  MechanismBase,
  MechanismInstances,
  NetReceiveKernel,
  NodeArrays,
  PointMechanism,
  PrepareContext,
  PrepareKernel,
  UniformSource,
} from "./solver/mod.ts";
export { DENSITY_MECHANISMS, densityMechanism } from "./solver/mod.ts";
// Your own mechanisms: `.mod` files compiled at load time, merged with the built-ins.
export { buildMechanismCatalogue, BUILTIN_CATALOGUE } from "./solver/mod.ts";
export type {
  MechanismCatalogue,
  MechanismCatalogueOptions,
  ModSource,
  UnavailableMechanism,
} from "./solver/mod.ts";
export { simulate, stepCount } from "./solver/mod.ts";
export type {
  RecordSite,
  SimulationOptions,
  SimulationResult,
  SynapticInput,
} from "./solver/mod.ts";
export { initialState } from "./solver/mod.ts";
export { recordingSites } from "./solver/mod.ts";
export type { RecordingSite } from "./solver/mod.ts";

// Network
export { createNetworkRandom, loadSeedrandom } from "./network/mod.ts";
export type { NetworkRandom, NetworkRandomKind } from "./network/mod.ts";
export { readNetworkSpec } from "./network/mod.ts";
export type { NetworkSpec, PresynapticTypeSpec } from "./network/mod.ts";
export { createAnatomyCache, createNetworkMapper, presynapticCells } from "./network/mod.ts";
export type {
  ActiveSynapse,
  NetworkMapper,
  NetworkRealization,
  TypeSpikes,
} from "./network/mod.ts";

// Cell-modify functions
export { applyCellModifyFunctions, BUILTIN_CELL_MODIFY_FUNCTIONS } from "./plugins/mod.ts";
export type { CellModification, CellModifyFunction } from "./plugins/mod.ts";

// Plugins (docs/plugins.md): the types plugin authors implement, and the host side
export type {
  CellDescription,
  CellModifyPlugin,
  MechanismDescription,
  PluginArgs,
  PluginCellModification,
  PluginRecordSite,
  PointProcessDescription,
  RecorderContext,
  RecorderPlugin,
  SectionDescription,
  SweepData,
} from "./plugins/mod.ts";
export { openRecorderHook, openRecorders } from "./plugins/mod.ts";
export type {
  OpenRecorderHookOptions,
  OpenRecordersOptions,
  RecorderHook,
  RecorderSession,
  RecorderSpec,
} from "./plugins/mod.ts";
export { isPluginPath, runCellModifyPlugin, userPluginResolver } from "./plugins/mod.ts";
export type { UserPluginOptions } from "./plugins/mod.ts";
export {
  DEFAULT_PLUGIN_MEMORY_LIMIT_MB,
  DEFAULT_PLUGIN_TIME_LIMIT_MS,
  MAX_PLUGIN_TIME_LIMIT_MS,
  PluginProcess,
  servePluginProcess,
} from "./plugins/mod.ts";
export type { PluginProcessOptions } from "./plugins/mod.ts";

// Workflows
export { createCell, modelSettings } from "./simrun/mod.ts";
export type { CreateCellOptions, CreatedCell } from "./simrun/mod.ts";
export { inspectTables } from "./simrun/mod.ts";
export { runCell, spikeTimes } from "./simrun/mod.ts";
export type { CellRunResult, RunCellOptions } from "./simrun/mod.ts";
export { runJobs } from "./simrun/mod.ts";
export type { RunJobsOptions } from "./simrun/mod.ts";
export type { JobHooks, JobResult, JobSpec, PluginSettings } from "./simrun/mod.ts";
export { runReplay } from "./simrun/mod.ts";
export type { ReplayOptions } from "./simrun/mod.ts";
export { runNetworkOnly } from "./simrun/mod.ts";
export type { NetworkOnlyOptions } from "./simrun/mod.ts";
export { jobSeeds, parseSeed } from "./simrun/mod.ts";
export { watchLauncher } from "./simrun/mod.ts";
export type { LauncherProcess, LauncherWatch } from "./simrun/mod.ts";

// Campaigns on SLURM
export {
  CampaignError,
  campaignStatus,
  formatCampaignStatus,
  mergeCampaign,
  readCampaign,
  readSubmissions,
  resumeCampaign,
  runCampaignTask,
  shellQuote,
  submitCampaign,
} from "./cluster/mod.ts";
export type {
  Campaign,
  CampaignInput,
  CampaignRun,
  CampaignSlurm,
  CampaignStatus,
  CampaignStatusOptions,
  CampaignTask,
  CampaignTaskResult,
  CommandOutput,
  MergedJob,
  MergeOptions,
  MergeResult,
  PlannedArray,
  ResumeOptions,
  ResumeResult,
  RunCampaignTaskOptions,
  SlurmRunner,
  Submission,
  SubmitOptions,
  SubmitResult,
  TaskState,
  TaskStatus,
} from "./cluster/mod.ts";

// Figures and report of a result folder (simrun plot)
export { plotResultFolder, PngRenderer } from "./plot/mod.ts";
export type { PlotFolderOptions, PlotFolderResult, PlotFormat, PngSink } from "./plot/mod.ts";
export type { InputKind, InputNumbers, KeyNumbers, Stats, SweepNumbers } from "./plot/mod.ts";

// Types referenced by the API above (so that documentation is complete)
export type {
  ActivationFile,
  ActivationRow,
  PresynapticSpikeRecord,
  SynapseActivationRecord,
} from "./io/mod.ts";
export type { HocLabel, HocSkippedSection } from "./io/mod.ts";
export type { ParsePathMapOptions, ResolveInputPathOptions } from "./io/mod.ts";
export type { ReadTextOptions } from "./io/mod.ts";
export type {
  ActiveReceptor,
  AnatomyCache,
  NetworkMapperOptions,
  PresynapticSpikes,
} from "./network/mod.ts";
export type {
  ActivitySource,
  NetworkModifyFunction,
  PointcellDistribution,
  PointcellSource,
  ReadNetworkSpecOptions,
  ReceptorSpec,
  SpikeTrainSource,
  SynapseSpec,
} from "./network/mod.ts";
export type { ElementaryFunctions } from "./network/mod.ts";
export type { NetworkRandomOptions } from "./network/mod.ts";
export type { RandomStream } from "./network/mod.ts";
export type { PluginKind } from "./plugins/mod.ts";
export type { ApplyCellModifyOptions, CellModifyContext } from "./plugins/mod.ts";
export type { PluginCall } from "./plugins/mod.ts";
export type { EscapingLink, PluginGrants, PluginLauncher, PluginSandbox } from "./plugins/mod.ts";
export type { CellSimSettings } from "./simrun/mod.ts";
export type { JobMechanisms, MechanismFolder } from "./simrun/mod.ts";
export type { ExtraColumn, InspectOptions } from "./simrun/mod.ts";
export type { ProgressMode } from "./simrun/mod.ts";
export type { JobSettings } from "./simrun/mod.ts";
export type { ReplayJobSpec } from "./simrun/mod.ts";
export type { ProcInfo, WatchLauncherOptions } from "./simrun/mod.ts";
export type { StateColumn } from "./solver/mod.ts";
export type { Kernel, ParameterInfo } from "./solver/mod.ts";
export type { LandmarkPoint } from "./solver/mod.ts";
export type { InitialStateOptions } from "./solver/mod.ts";
export type { SweepState } from "./solver/mod.ts";
