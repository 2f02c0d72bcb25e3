/**
 * The fixed-step time loop of one cell: NEURON's `finitialize` followed by `fadvance` steps
 * (spec/algorithm.md §8.2–§8.4): event delivery, current evaluation at V^n, one backward-Euler
 * Hines solve, cnexp state updates at V^{n+1}, recording. The step loop allocates nothing.
 *
 * @module
 */
import { InputValueError, InternalError } from "../io/mod.ts";
import type { Cell } from "./cell.ts";
import { CAI0, CAO0, lowerCell, nodeAt, segmentNodeAt } from "./compartments.ts";
import type { LoweredCell } from "./compartments.ts";
import { createEventQueue, dueUntil } from "./event_queue.ts";
import type { EventQueue, EventSource } from "./event_queue.ts";
import { createHinesSystem, stepVoltage, stepVoltageFast } from "./hines_solver.ts";
import type { HinesSystem } from "./hines_solver.ts";
import { nernstFromTable, updateTablePositions } from "./mechanisms/_rate_table.ts";
import { allocateInstances } from "./mechanisms/_types.ts";
import type {
  Kernel,
  MechanismInstances,
  NodeArrays,
  PointMechanism,
} from "./mechanisms/_types.ts";
import { POINT_MECHANISMS, TABULATED_ADVANCE } from "./mechanisms/mod.ts";

/** Physical constants of one unit system (spec/mechanisms.md §1.4). */
export interface UnitConstants {
  /** Gas constant in the Nernst equation [J/(mol·K)]. */
  readonly gasConstant: number;
  /** Faraday constant in the Nernst equation [C/mol]. */
  readonly faradayNernst: number;
  /** FARADAY inside mechanisms (CaDynamics_E2) [C/mol]. */
  readonly faraday: number;
}

/** NEURON ≥ 8 constants (default) and NEURON ≤ 7 constants. */
export const UNITS: Readonly<Record<"modern" | "legacy", UnitConstants>> = {
  modern: {
    gasConstant: 8.31446261815324,
    faradayNernst: 96485.33212331001,
    faraday: 96485.33212331001,
  },
  legacy: { gasConstant: 8.3134, faradayNernst: 96485.309, faraday: 96485.3 },
};

/**
 * hoc's comparison tolerance `float_epsilon` (1e-11): `while (t < tstop)` steps while
 * t < tStop − 1e-11. It reproduces every reference sample count (345/0.025 → 13,802,
 * 300/0.025 → 12,002, 400/0.025 → 16,002, 100/0.1 → 1,001).
 */
export const HOC_EPSILON = 1e-11;

/** Synaptic input on one point process (one NetCon into one synapse). */
export interface SynapticInput {
  /** The synapse mechanism (passed in by the caller: solver never imports network/). */
  readonly mechanism: PointMechanism;
  /** Section index. */
  readonly section: number;
  /** Relative position; the synapse sits on the segment node containing x. */
  readonly x: number;
  /** Parameter values by NMODL name. */
  readonly params: Readonly<Record<string, number>>;
  /** NetCon weights (NET_RECEIVE arguments). */
  readonly weights: readonly number[];
  /** Delivery times = release times + delay [ms], ascending. */
  readonly eventTimes: Float64Array;
}

/** One recorded variable. */
export interface RecordSite {
  /** Section index. */
  readonly section: number;
  /** Relative position (0 and 1 are the attachment and end nodes, spec §4.4). */
  readonly x: number;
  /**
   * `v` (default), `cai`, `cao`, `ica`, `eca`, `ena`, `ek`, or `<field>_<Mechanism>`
   * (`m_NaTa_t`, `ica_Ca_HVA`, `i_IClamp`).
   */
  readonly variable?: string;
}

/** Options of {@link simulate}. */
export interface SimulationOptions {
  /** Initial membrane potential [mV]. */
  readonly vInit: number;
  /** Stop time [ms]: steps are taken while t < tStop (hoc tolerance). */
  readonly tStop: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** Physical constants: NEURON ≥ 8 (`modern`, default) or ≤ 7 (`legacy`). */
  readonly units?: "modern" | "legacy";
  /** Extra recordings besides the soma voltage. */
  readonly record?: readonly RecordSite[];
  /** Synaptic inputs with their event times. */
  readonly synapses?: readonly SynapticInput[];
  /** Merge identical linear synapses on one node into one instance (default true). */
  readonly lump?: boolean;
  /**
   * Gate updates of the voltage-gated channels from cubic rate tables (default true): about 4×
   * faster, within ~1e-4 mV of the NEURON-exact kernels on the reference protocols
   * (solver/mechanisms/_rate_table.ts); SK_E2's z∞(cai) and the Nernst eca likewise come from
   * concentration tables. `false` runs NEURON's exact formulas.
   */
  readonly rateTables?: boolean;
  /** Called every 1000 steps and at the end with (steps done, total steps). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Recorded traces, one sample per step plus the t = 0 sample. */
export interface SimulationResult {
  /** Time of each sample [ms] (accumulated like NEURON's t). */
  readonly t: Float64Array;
  /** Soma voltage (soma's first segment node) [mV]. */
  readonly soma: Float64Array;
  /** One trace per `record` site, in order. */
  readonly traces: Float64Array[];
}

/** The instances of one point mechanism. */
export interface PointGroup {
  /** The point mechanism. */
  readonly mechanism: PointMechanism;
  /** Its instances. */
  readonly instances: MechanismInstances;
}

/** A simulation after `finitialize`: everything the step loop touches. */
export interface SimulationState {
  /** The lowered cell. */
  readonly lowered: LoweredCell;
  /** Shared node arrays (V, currents, ions). */
  readonly nodes: NodeArrays;
  /** The matrix of the voltage solve. */
  readonly system: HinesSystem;
  /** Point processes (cell point processes, then synapses), grouped by mechanism. */
  readonly points: readonly PointGroup[];
  /** Synaptic events, cursor after those delivered at initialization. */
  readonly queue: EventQueue;
  /** All NetCon weights; events point into it. */
  readonly weights: Float64Array;
  /** k_T/2 of the Ca Nernst equation [mV]. */
  readonly nernstCa: number;
  /** Node of the soma's first segment. */
  readonly somaNode: number;
  /** Number of synapse instances before / after lumping. */
  readonly synapseCount: { readonly inputs: number; readonly instances: number };
}

/** Options of {@link initializeSimulation} (a subset of {@link SimulationOptions}). */
export type InitializeOptions = Pick<
  SimulationOptions,
  "vInit" | "dt" | "celsius" | "units" | "synapses" | "lump"
>;

/**
 * Number of steps NEURON takes: t is accumulated by two half-steps per step and the loop runs
 * while t < tStop − 1e-11 (spec/algorithm.md §8.4).
 *
 * @param tStop stop time [ms]
 * @param dt time step [ms]
 * @returns the number of steps (samples = steps + 1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stepCount } from "./simulation.ts";
 * assert.equal(stepCount(345, 0.025), 13801);
 * assert.equal(stepCount(100, 0.1), 1000);
 * ```
 */
export function stepCount(tStop: number, dt: number): number {
  if (!(dt > 0) || !Number.isFinite(tStop)) {
    throw new InputValueError(
      { file: "simulation options", key: "dt" },
      `Expected dt > 0 and a finite tStop, got dt ${dt}, tStop ${tStop}`,
    );
  }
  let t = 0;
  let n = 0;
  const half = 0.5 * dt;
  while (t < tStop - HOC_EPSILON) {
    t += half;
    t += half;
    n++;
  }
  return n;
}

/**
 * Lowers the cell, places point processes and synapses and performs NEURON's `finitialize`
 * (spec/algorithm.md §8.2): V = vInit everywhere, ions, init kernels, events at t ≤ 0,
 * one current evaluation at t = 0.
 *
 * @param cell the built cell
 * @param options vInit [mV], dt [ms], celsius [°C], units, synapses
 * @returns the initialized state
 * @throws InputValueError for unknown point mechanisms, parameters or sites
 * @example A passive soma starts at vInit
 * ```ts
 * import assert from "node:assert/strict";
 * import { initializeSimulation } from "./simulation.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1,
 *   mechanisms: [{ name: "pas", params: { e: new Float64Array([-70]) } }],
 * };
 * const s = initializeSimulation({ sections: [sec], pointProcesses: [], mechGlobals: {},
 *   paramFile: "c.param", hocFile: "c.hoc" }, { vInit: -65, dt: 0.025, celsius: 34 });
 * assert.equal(s.nodes.v[s.somaNode], -65);
 * assert.ok(Math.abs(s.nodes.i[s.somaNode] - 0.001 * 5) < 1e-15); // pas current at t = 0
 * ```
 */
export function initializeSimulation(cell: Cell, options: InitializeOptions): SimulationState {
  const lowered = lowerCell(cell);
  const units = UNITS[options.units ?? "modern"];
  const n = lowered.nodeCount;
  const nodes: NodeArrays = {
    v: new Float64Array(n),
    i: new Float64Array(n),
    g: new Float64Array(n),
    area: lowered.area,
    ena: lowered.ena,
    ek: lowered.ek,
    eca: Float64Array.from(lowered.ecaFixed),
    cai: new Float64Array(n),
    cao: new Float64Array(n),
    ica: new Float64Array(n),
    dt: options.dt,
    t: 0,
    celsius: options.celsius,
    faraday: units.faraday,
  };
  const system = createHinesSystem(lowered.parent, lowered.gAxial, lowered.area, lowered.cm);
  const nernstCa = (1000 * units.gasConstant * (options.celsius + 273.15) / units.faradayNernst) /
    2;

  // Point processes of the cell (IClamp, epsp, ...), grouped by mechanism.
  const groups: { mechanism: PointMechanism; nodes: number[]; params: Record<string, number>[] }[] =
    [];
  const groupOf = new Map<PointMechanism, number>();
  function groupIndex(m: PointMechanism): number {
    let gi = groupOf.get(m);
    if (gi === undefined) {
      gi = groups.length;
      groupOf.set(m, gi);
      groups.push({ mechanism: m, nodes: [], params: [] });
    }
    return gi;
  }
  const catalogue = new Map(POINT_MECHANISMS.map((m) => [m.name, m]));
  for (const pp of cell.pointProcesses) {
    const m = catalogue.get(pp.mechanism);
    if (m === undefined) {
      throw new InputValueError(
        { file: cell.paramFile, key: "neuron.cell_modify_functions" },
        `Unknown point process "${pp.mechanism}"; known: ${[...catalogue.keys()].join(", ")}`,
      );
    }
    checkParams(m, pp.params, cell.paramFile);
    const g = groups[groupIndex(m)];
    g.nodes.push(segmentNodeAt(lowered, pp.section, pp.x));
    g.params.push({ ...pp.params });
  }

  // Synapses, lumped where the mechanism allows it; one event source per input.
  const synapses = options.synapses ?? [];
  const lump = options.lump ?? true;
  const lumpKey = new Map<string, number>();
  const sources: EventSource[] = [];
  let weightTotal = 0;
  for (let s = 0; s < synapses.length; s++) {
    const syn = synapses[s];
    checkParams(syn.mechanism, syn.params, "synapses");
    const gi = groupIndex(syn.mechanism);
    const g = groups[gi];
    const node = segmentNodeAt(lowered, syn.section, syn.x);
    let instance = -1;
    let key = "";
    if (lump && syn.mechanism.lumpable?.(syn.params) === true) {
      key = `${gi}|${node}|${
        JSON.stringify(Object.entries(syn.params).sort((a, b) => a[0] < b[0] ? -1 : 1))
      }`;
      instance = lumpKey.get(key) ?? -1;
    }
    if (instance < 0) {
      instance = g.nodes.length;
      g.nodes.push(node);
      g.params.push({ ...syn.params });
      if (key !== "") lumpKey.set(key, instance);
    }
    sources.push({ target: gi, instance, weightOffset: weightTotal, times: syn.eventTimes });
    weightTotal += syn.weights.length;
    if (syn.eventTimes.length > 0 && syn.mechanism.netReceive === undefined) {
      throw new InternalError(
        `point mechanism ${syn.mechanism.name} receives events but has no NET_RECEIVE`,
      );
    }
  }
  const weights = new Float64Array(weightTotal);
  for (let s = 0; s < synapses.length; s++) {
    weights.set(synapses[s].weights, sources[s].weightOffset);
  }
  const queue = createEventQueue(sources);

  const points: PointGroup[] = groups.map((g) => {
    const instances = allocateInstances(g.mechanism, Int32Array.from(g.nodes));
    for (let k = 0; k < g.params.length; k++) {
      for (const [p, v] of Object.entries(g.params[k])) instances.fields[p][k] = v;
    }
    return { mechanism: g.mechanism, instances };
  });
  const synInstances = new Set(sources.map((s) => `${s.target}|${s.instance}`)).size;

  // finitialize (spec/algorithm.md §8.2).
  nodes.v.fill(options.vInit);
  for (let k = 0; k < n; k++) {
    nodes.cai[k] = CAI0;
    nodes.cao[k] = CAO0;
  }
  updateEca(nodes, lowered.caDynamicNodes, nernstCa);
  for (const lm of lowered.mechanisms) lm.mechanism.init(lm.instances, nodes);
  // NEURON's nrn_wrote_conc: an INITIAL block that sets cai (CaDynamics_E2_v2) sets eca too.
  updateEca(nodes, lowered.caDynamicNodes, nernstCa);
  for (const pg of points) pg.mechanism.init(pg.instances, nodes);
  deliverEvents(queue, 0, points, weights, nodes);
  evaluateCurrents(lowered, points, nodes);
  return {
    lowered,
    nodes,
    system,
    points,
    queue,
    weights,
    nernstCa,
    somaNode: lowered.firstNode[0],
    synapseCount: { inputs: synapses.length, instances: synInstances },
  };
}

function checkParams(
  m: PointMechanism,
  params: Readonly<Record<string, number>>,
  file: string,
): void {
  for (const p of Object.keys(params)) {
    if (!(p in m.parameters)) {
      throw new InputValueError(
        { file, key: p },
        `Unknown parameter "${p}" of point process "${m.name}"`,
      );
    }
  }
}

/** eca = (k_T/2)·ln(cao/cai) at the nodes where cai is dynamic. */
function updateEca(n: NodeArrays, caNodes: Int32Array, nernstCa: number): void {
  const { eca, cai, cao } = n;
  for (let j = 0; j < caNodes.length; j++) {
    const c = caNodes[j];
    eca[c] = nernstCa * Math.log(cao[c] / cai[c]);
  }
}

/** Delivers every queued event with time ≤ tm; the mechanism sees the event time as n.t. */
function deliverEvents(
  q: EventQueue,
  tm: number,
  points: readonly PointGroup[],
  weights: Float64Array,
  n: NodeArrays,
): void {
  const end = dueUntil(q, tm);
  const tsave = n.t;
  for (let e = q.next; e < end; e++) {
    const pg = points[q.target[e]];
    n.t = q.time[e];
    pg.mechanism.netReceive!(pg.instances, q.instance[e], weights, q.weightOffset[e], n);
  }
  q.next = end;
  n.t = tsave;
}

/** Zeroes i, g, ica and adds every mechanism's current at the present V and states. */
function evaluateCurrents(l: LoweredCell, points: readonly PointGroup[], n: NodeArrays): void {
  n.i.fill(0);
  n.g.fill(0);
  n.ica.fill(0);
  const mechs = l.mechanisms;
  for (let m = 0; m < mechs.length; m++) mechs[m].mechanism.current(mechs[m].instances, n);
  for (let p = 0; p < points.length; p++) points[p].mechanism.current(points[p].instances, n);
}

/** A resolved recording: `source[index]` is sampled after every step. */
interface Probe {
  readonly source: Float64Array;
  readonly index: number;
}

function resolveProbe(st: SimulationState, site: RecordSite): Probe {
  const l = st.lowered;
  const variable = site.variable ?? "v";
  const node = nodeAt(l, site.section, site.x);
  const n = st.nodes;
  const nodeVars: Record<string, Float64Array> = {
    v: n.v,
    cai: n.cai,
    cao: n.cao,
    ica: n.ica,
    eca: n.eca,
    ena: n.ena,
    ek: n.ek,
  };
  const nv = nodeVars[variable];
  if (nv !== undefined) return { source: nv, index: node };
  const groups: { name: string; instances: MechanismInstances }[] = [
    ...l.mechanisms.map((m) => ({ name: m.mechanism.name, instances: m.instances })),
    ...st.points.map((p) => ({ name: p.mechanism.name, instances: p.instances })),
  ];
  // The longest mechanism name that ends the variable wins (names contain underscores).
  const segNode = segmentNodeAt(l, site.section, site.x);
  let best: { name: string; instances: MechanismInstances } | undefined;
  let bestIndex = -1;
  for (const g of groups) {
    if (
      variable.endsWith(`_${g.name}`) && (best === undefined || g.name.length > best.name.length)
    ) {
      const k = g.instances.node.indexOf(segNode);
      if (k >= 0) {
        best = g;
        bestIndex = k;
      }
    }
  }
  if (best === undefined) {
    throw new InputValueError(
      { file: "record site", key: "record" },
      `Cannot record "${variable}" at section ${site.section} x ${site.x}: no such variable or mechanism there`,
    );
  }
  const field = variable.slice(0, variable.length - best.name.length - 1);
  const arr = best.instances.fields[field];
  if (arr === undefined) {
    throw new InputValueError(
      { file: "record site", key: "record" },
      `Mechanism ${best.name} has no variable "${field}"; it has ${
        Object.keys(best.instances.fields).join(", ")
      }`,
    );
  }
  return { source: arr, index: bestIndex };
}

/**
 * Runs one cell from `finitialize` to tStop with NEURON's fixed-step backward Euler
 * (spec/algorithm.md §8.3). Records the soma voltage and the requested sites at t = 0 and
 * after every step.
 *
 * @param cell the built cell
 * @param options vInit [mV], tStop [ms], dt [ms], celsius [°C], units, record sites, synapses
 * @returns time [ms], soma voltage [mV] and one trace per record site
 * @throws InputValueError for bad sites, unknown mechanisms or parameters
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
  const st = initializeSimulation(cell, options);
  const steps = stepCount(options.tStop, options.dt);
  const samples = steps + 1;
  const tOut = new Float64Array(samples);
  const soma = new Float64Array(samples);
  const sites = options.record ?? [];
  const probes = sites.map((s) => resolveProbe(st, s));
  const traces = probes.map(() => new Float64Array(samples));
  const np = probes.length;
  const probeSrc = probes.map((p) => p.source);
  const probeIdx = Int32Array.from(probes.map((p) => p.index));

  const { lowered, nodes, system, points, queue, weights, nernstCa } = st;
  const mechs = lowered.mechanisms;
  const nm = mechs.length;
  const rateTables = options.rateTables ?? true;
  const advance: Kernel[] = mechs.map((lm) =>
    (rateTables ? TABULATED_ADVANCE.get(lm.mechanism) : undefined) ?? lm.mechanism.advance
  );
  const npg = points.length;
  const pointCurrent: Kernel[] = points.map((pg) =>
    (rateTables ? pg.mechanism.tabulatedCurrent : undefined) ?? pg.mechanism.current
  );
  const caNodes = lowered.caDynamicNodes;
  // Fast mode: eca from ln cai on a concentration table; cao is constant during a run.
  const lnCao = Float64Array.from(caNodes, (c) => Math.log(nodes.cao[c]));
  const v = nodes.v;
  const somaNode = st.somaNode;
  const dt = options.dt;
  const half = 0.5 * dt;
  const onProgress = options.onProgress;

  let t = 0;
  tOut[0] = 0;
  soma[0] = v[somaNode];
  for (let j = 0; j < np; j++) traces[j][0] = probeSrc[j][probeIdx[j]];
  nodes.i.fill(0);
  nodes.g.fill(0);
  for (let step = 1; step <= steps; step++) {
    // 1. events with τ ≤ t_n + dt/2
    if (queue.next < queue.length && queue.time[queue.next] <= t + half) {
      deliverEvents(queue, t + half, points, weights, nodes);
    }
    // 2.–4. currents at the midpoint time (eca is current: updated after every state step)
    t += half;
    nodes.t = t;
    nodes.ica.fill(0);
    for (let m = 0; m < nm; m++) mechs[m].mechanism.current(mechs[m].instances, nodes);
    for (let p = 0; p < npg; p++) pointCurrent[p](points[p].instances, nodes);
    // 5. linear solve, V^{n+1}; zeroes i and g for the next step
    if (rateTables) stepVoltageFast(system, v, nodes.i, nodes.g, dt);
    else stepVoltage(system, v, nodes.i, nodes.g, dt);
    // 6. second half step
    t += half;
    nodes.t = t;
    // 7. states at V^{n+1}, then eca from the new cai
    if (rateTables) updateTablePositions(v);
    for (let m = 0; m < nm; m++) advance[m](mechs[m].instances, nodes);
    for (let p = 0; p < npg; p++) points[p].mechanism.advance(points[p].instances, nodes);
    if (rateTables) nernstFromTable(caNodes, lnCao, nodes.cai, nodes.eca, nernstCa);
    else updateEca(nodes, caNodes, nernstCa);
    // 8. record
    tOut[step] = t;
    soma[step] = v[somaNode];
    for (let j = 0; j < np; j++) traces[j][step] = probeSrc[j][probeIdx[j]];
    if (onProgress !== undefined && step % 1000 === 0) onProgress(step, steps);
  }
  if (onProgress !== undefined) onProgress(steps, steps);
  return { t: tOut, soma, traces };
}
