/**
 * The cable solver: morphology → sections and compartments (`buildCell`), NEURON's segment
 * geometry and path distances, the mechanism catalogue (`mechanisms/mod.ts`), the Hines solve
 * and the fixed-step time loop (`simulate`), NEURON-exact (spec/algorithm.md §4–§8). Pure: no
 * files, clocks or randomness. It uses io only for its types and error classes, and never
 * imports network: synapses plug in through the `PointMechanism` interface defined here.
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
export {
  distanceFromSoma0,
  geometricSomaDistance,
  pathTable,
  segmentSomaDistances,
} from "./distances.ts";
export type { DistanceCell, PathTable } from "./distances.ts";
export { segmentGeometry, segmentRi } from "./segment_geometry.ts";
export type { SectionGeometryInput, SegmentGeometry } from "./segment_geometry.ts";
export { initialState } from "./initial_state.ts";
export type { StateColumn } from "./initial_state.ts";
export { landmarkBasename, recordingSites } from "./recording_sites.ts";
export type { LandmarkPoint, RecordingSite } from "./recording_sites.ts";
export { simulate, stepCount } from "./simulation.ts";
export type {
  InitializeOptions,
  RecordSite,
  SimulationOptions,
  SimulationResult,
  SynapticInput,
} from "./simulation.ts";

export {
  allocateInstances,
  cnexpDecay,
  cnexpGate,
  cnexpStep,
  DENSITY_MECHANISMS,
  densityMechanism,
  POINT_MECHANISMS,
  pointMechanism,
} from "./mechanisms/mod.ts";
export type {
  DensityMechanism,
  Kernel,
  Mechanism,
  MechanismInstances,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
} from "./mechanisms/mod.ts";
