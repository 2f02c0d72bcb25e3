/**
 * The cable solver, in three steps (spec/algorithm.md §4–§8), NEURON-exact:
 *
 * 1. **describe**: `buildCell(spec, morphology)` turns a cell spec (io's `readCellSpec`) and a
 *    morphology into sections with per-segment biophysics (`Cell`);
 * 2. **prepare**: `prepareModel(cell, settings)` lowers it once per job into node arrays, the
 *    Hines matrix and the mechanisms' instances with their derived data, and validates the
 *    settings; `resolveProbes(model, sites)` resolves every recorded variable;
 * 3. **run**: `runSweep(model, synapses, { probes })` resets the model and steps one sweep.
 *
 * `simulate(cell, options)` does all three for one sweep. The mechanism contract is in
 * `mechanisms/_types.ts` (re-exported here). Pure: no files, clocks or randomness. It uses io
 * only for its types and error classes, and never imports network: synapses plug in through the
 * `PointMechanism` interface defined here.
 *
 * @example Geometry of one 100 µm cylinder and a mechanism lookup
 * ```ts
 * import assert from "node:assert/strict";
 * import { densityMechanism, segmentGeometry, stepCount } from "./mod.ts";
 * const g = segmentGeometry({
 *   arc: new Float64Array([0, 100]), diam: new Float64Array([2, 2]), nseg: 1, Ra: 100,
 * });
 * assert.ok(Math.abs(g.area[0] - Math.PI * 2 * 100) < 1e-9); // π·d·L [µm²]
 * assert.equal(densityMechanism("NaTa_t")?.name, "NaTa_t");
 * assert.equal(stepCount(10, 0.025), 400);
 * ```
 *
 * @module
 */

export { buildCell } from "./build_cell.ts";
export type { BuildCellOptions } from "./build_cell.ts";
export type { Cell, PointProcessSpec, Section, SectionMechanism } from "./cell.ts";
export type { LoweredCell, LoweredMechanism } from "./compartments.ts";
export {
  distanceFromSoma0,
  geometricSomaDistance,
  pathTable,
  segmentSomaDistances,
} from "./distances.ts";
export type { DistanceCell, PathTable } from "./distances.ts";
export type { EventQueue } from "./event_queue.ts";
export type { HinesSchedule, HinesSystem } from "./hines_solver.ts";
export { segmentGeometry, segmentRi } from "./segment_geometry.ts";
export type { SectionGeometryInput, SegmentGeometry } from "./segment_geometry.ts";
export { initialState } from "./initial_state.ts";
export type { InitialStateOptions, StateColumn } from "./initial_state.ts";
export { landmarkBasename, recordingSites } from "./recording_sites.ts";
export type { LandmarkPoint, RecordingSite } from "./recording_sites.ts";
export {
  CELSIUS_RANGE,
  checkModelSettings,
  DEFAULT_SOLVER_SETTINGS,
  ENGINE_CHOICES,
  FAST_MODE_MAX_DV_MV,
  HOC_EPSILON,
  MAX_STEPS,
  stepCount,
  UNITS,
  VINIT_RANGE_MV,
} from "./settings.ts";
export type {
  EngineChoice,
  ModelSettings,
  SettingSources,
  SolverSettings,
  UnitConstants,
  UnitSystem,
} from "./settings.ts";
export { checkPointParameters, prepareModel, resolveProbes } from "./prepare_model.ts";
export type {
  PointGroup,
  PreparedModel,
  PrepareModelOptions,
  Probe,
  RecordSite,
  ResolveProbesOptions,
} from "./prepare_model.ts";
export {
  buildMechanismCatalogue,
  BUILTIN_CATALOGUE,
  unavailableMechanism,
} from "./mechanism_catalogue.ts";
export type {
  MechanismCatalogue,
  MechanismCatalogueOptions,
  ModSource,
  UnavailableMechanism,
} from "./mechanism_catalogue.ts";
export { initializeSweep, runsLockStep, runSweep, runSweeps } from "./run_sweep.ts";
export type {
  RunSweepOptions,
  RunSweepsOptions,
  SimulationResult,
  SweepInput,
  SweepState,
  SynapticInput,
} from "./run_sweep.ts";
export { simulate } from "./simulation.ts";
export {
  builtinDensityMechanisms,
  builtinPointMechanisms,
  compileBuiltin,
} from "./builtin_mechanisms.ts";
export type { SimulationOptions } from "./simulation.ts";

export {
  allocateInstances,
  cnexpDecay,
  cnexpGate,
  cnexpStep,
  currentIon,
  DENSITY_MECHANISMS,
  densityMechanism,
  parameterProblem,
  POINT_MECHANISMS,
  pointMechanism,
  prepareNothing,
  writesCai,
} from "./mechanisms/mod.ts";
export { GABA_SYN_NMODL, GLUTAMATE_SYN_NMODL } from "./mechanisms/mod.ts";
export type {
  DensityMechanism,
  DerivedSlot,
  FastKernels,
  IonUse,
  Kernel,
  Mechanism,
  MechanismBase,
  MechanismInstances,
  NetReceiveKernel,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
  PrepareContext,
  PrepareKernel,
  UniformSource,
} from "./mechanisms/mod.ts";
