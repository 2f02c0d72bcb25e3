/**
 * One cell, one sweep, in one call: `prepareModel` + `resolveProbes` + `runSweep`. For a job
 * with many sweeps, prepare once and call `runSweep` per sweep instead.
 *
 * @module
 */
import type { Cell } from "./cell.ts";
import { prepareModel, type RecordSite, resolveProbes } from "./prepare_model.ts";
import { runSweep, type SimulationResult, type SynapticInput } from "./run_sweep.ts";
import { DEFAULT_SOLVER_SETTINGS, type SettingSources, type SolverSettings } from "./settings.ts";

/** Options of {@link simulate}: the protocol, optional solver settings, sites and synapses. */
export interface SimulationOptions extends Partial<SolverSettings> {
  /** Initial membrane potential [mV]. */
  readonly vInit: number;
  /** Stop time [ms]: steps are taken while t < tStop (hoc tolerance). */
  readonly tStop: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** Where the settings come from, for messages. */
  readonly where?: SettingSources;
  /** Extra recordings besides the soma voltage. */
  readonly record?: readonly RecordSite[];
  /** Synaptic inputs with their event times. */
  readonly synapses?: readonly SynapticInput[];
  /** Merge identical linear synapses on one node into one instance (default true). */
  readonly lump?: boolean;
  /** Called every 1000 steps and at the end with (steps done, total steps). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Runs one cell from `finitialize` to tStop with NEURON's fixed-step backward Euler
 * (spec/algorithm.md §8.3): prepares the model, resolves the recording sites and runs one sweep.
 *
 * @param cell the built cell
 * @param options vInit [mV], tStop [ms], dt [ms], celsius [°C], solver settings (default fast
 *   mode, modern units), record sites, synapses
 * @returns time [ms], soma voltage [mV] and one trace per record site
 * @throws InputValueError for bad settings, sites or parameters; SimulationError for a
 *   non-finite result
 * @example A passive soma relaxes from −65 mV towards e_pas = −70 mV
 * ```ts
 * import assert from "node:assert/strict";
 * import { simulate } from "./simulation.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1,
 *   mechanisms: [{ name: "pas", params: {} }],
 * };
 * const r = simulate({ sections: [sec], pointProcesses: [], mechGlobals: {}, paramFile: "c.param",
 *   hocFile: "c.hoc" }, { vInit: -65, tStop: 10, dt: 0.025, celsius: 34 });
 * assert.equal(r.t.length, 401);
 * assert.ok(r.soma[400] < -69.9 && r.soma[400] > -70); // τ = cm/g = 1 ms
 * ```
 */
export function simulate(cell: Cell, options: SimulationOptions): SimulationResult {
  const model = prepareModel(cell, {
    vInit: options.vInit,
    tStop: options.tStop,
    dt: options.dt,
    celsius: options.celsius,
    rateTables: options.rateTables ?? DEFAULT_SOLVER_SETTINGS.rateTables,
    units: options.units ?? DEFAULT_SOLVER_SETTINGS.units,
    ...(options.where !== undefined ? { where: options.where } : {}),
  }, options.lump !== undefined ? { lump: options.lump } : {});
  const synapses = options.synapses ?? [];
  const probes = resolveProbes(model, options.record ?? [], {
    synapseMechanisms: [...new Set(synapses.map((s) => s.mechanism))],
  });
  return runSweep(model, synapses, {
    probes,
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
}
