/**
 * Run: one sweep of a prepared model. NEURON's `finitialize` followed by `fadvance` steps
 * (spec/algorithm.md §8.2–§8.4): event delivery, current evaluation at V^n, one backward-Euler
 * Hines solve, cnexp state updates at V^{n+1}, recording. The sweep's synapses are placed and
 * prepared before the first step; the step loop allocates nothing. A non-finite soma potential
 * or recorded value stops the sweep with a {@link SimulationError} naming the time, so that no
 * NaN is ever returned as data.
 *
 * @module
 */
import { InputValueError, InternalError, SimulationError } from "../io/mod.ts";
import { CAI0, CAO0, segmentNodeAt } from "./compartments.ts";
import type { LoweredCell } from "./compartments.ts";
import { createEventQueue, dueUntil } from "./event_queue.ts";
import type { EventQueue, EventSource } from "./event_queue.ts";
import { stepVoltage, stepVoltageFast } from "./hines_solver.ts";
import { nernstFromTable, updateTablePositions } from "./mechanisms/_rate_table.ts";
import { writesCai } from "./mechanisms/_types.ts";
import type {
  Kernel,
  Mechanism,
  NodeArrays,
  PointMechanism,
  UniformSource,
} from "./mechanisms/_types.ts";
import { pointInstances } from "./prepare_model.ts";
import type { PointGroup, PreparedModel, Probe } from "./prepare_model.ts";
import {
  type EngineLane,
  type EngineModel,
  type EngineProbe,
  type EngineTier,
  lowersMechanism,
  runEngine,
  selectEngineTier,
} from "./wasm/mod.ts";

/** Synaptic input on one point process (one NetCon into one synapse). */
export interface SynapticInput {
  /** The synapse mechanism (passed in by the caller: solver never imports network/). */
  readonly mechanism: PointMechanism;
  /** Section index. */
  readonly section: number;
  /** Relative position; the synapse sits on the segment node containing x. */
  readonly x: number;
  /** Parameter values by NMODL name (checked before the run: `checkPointParameters`). */
  readonly params: Readonly<Record<string, number>>;
  /**
   * NetCon weights (NET_RECEIVE arguments); padded with zeros to the mechanism's `weightCount`
   * (the remaining arguments are per-NetCon state).
   */
  readonly weights: readonly number[];
  /** Delivery times = release times + delay [ms], ascending. */
  readonly eventTimes: Float64Array;
  /**
   * The synapse's random stream, for a mechanism with `randomStreams` (required there): inputs
   * that share a stream share its draws (ISF hands one NEURON Random to all receptors of a
   * synapse).
   */
  readonly random?: UniformSource;
}

/** Options of {@link runSweep}. */
export interface RunSweepOptions {
  /** Recorded variables besides the soma voltage (`resolveProbes`), in order. */
  readonly probes?: readonly Probe[];
  /** The sweep number, for messages. */
  readonly sweep?: number;
  /** Called every 1000 steps and at the end with (steps done, total steps). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Recorded traces, one sample per step plus the t = 0 sample. */
export interface SimulationResult {
  /** Time of each sample [ms] (accumulated like NEURON's t). */
  readonly t: Float64Array;
  /** Soma voltage (soma's first segment node) [mV]. */
  readonly soma: Float64Array;
  /** One trace per probe, in order. */
  readonly traces: Float64Array[];
}

/** A sweep after `finitialize`: the model plus the sweep's point processes and events. */
export interface SweepState {
  /** The cell's point processes, then the sweep's synapses, grouped by mechanism. */
  readonly points: readonly PointGroup[];
  /** Synaptic events, cursor after those delivered at initialization. */
  readonly queue: EventQueue;
  /** All NetCon weights; events point into it. */
  readonly weights: Float64Array;
  /** Number of synaptic inputs and of synapse instances after lumping. */
  readonly synapseCount: { readonly inputs: number; readonly instances: number };
}

/**
 * Places the sweep's synapses (lumped where the mechanism allows), prepares them, and performs
 * NEURON's `finitialize` on the model (spec/algorithm.md §8.2): V = vInit everywhere, ions, init
 * kernels, events at t ≤ 0, one current evaluation at t = 0.
 *
 * @param model the prepared model (reset here)
 * @param synapses the sweep's synaptic inputs
 * @returns the sweep's point processes and events
 * @throws InputValueError for an unknown synapse parameter or site
 */
export function initializeSweep(
  model: PreparedModel,
  synapses: readonly SynapticInput[],
): SweepState {
  const { lowered, nodes } = model;
  const groups: {
    mechanism: PointMechanism;
    nodes: number[];
    params: Readonly<Record<string, number>>[];
    /** Parameter records already checked against the mechanism's parameters. */
    checked: Set<Readonly<Record<string, number>>>;
    /** Parameter record → its parameter-set number in this group (lumping), by identity. */
    setOf: Map<Readonly<Record<string, number>>, number>;
    /** Canonical parameter text → parameter-set number (equal values, another record). */
    setOfText: Map<string, number>;
    /** Parameter-set number · nodeCount + node → the lumped instance. */
    lumped: Map<number, number>;
    random: UniformSource[];
  }[] = [];
  const groupOf = new Map<PointMechanism, number>();
  const sources: EventSource[] = new Array(synapses.length);
  const base = model.points.length;
  let weightTotal = 0;
  let synInstances = 0;
  const { ordered, nodeOf } = canonicalOrder(model, synapses);
  for (let s = 0; s < ordered.length; s++) {
    const syn = ordered[s];
    let gi = groupOf.get(syn.mechanism);
    if (gi === undefined) {
      gi = groups.length;
      groupOf.set(syn.mechanism, gi);
      groups.push({
        mechanism: syn.mechanism,
        nodes: [],
        params: [],
        checked: new Set(),
        setOf: new Map(),
        setOfText: new Map(),
        lumped: new Map(),
        random: [],
      });
    }
    const g = groups[gi];
    // Synapses of one receptor type share one parameter record (also after structured cloning
    // to a sweep worker): it is checked, and its lumping key made, once per record.
    if (!g.checked.has(syn.params)) {
      for (const p in syn.params) {
        if (Object.hasOwn(syn.params, p) && !Object.hasOwn(syn.mechanism.parameters, p)) {
          throw new InputValueError(
            { file: "synapses", key: p },
            `Unknown parameter "${p}" of point process "${syn.mechanism.name}"`,
          );
        }
      }
      g.checked.add(syn.params);
    }
    const node = nodeOf[s];
    let instance = -1;
    let key = -1;
    if (model.lump) {
      let set = g.setOf.get(syn.params);
      if (set === undefined) {
        // −1: not lumpable; else equal parameter values get one number.
        set = -1;
        if (syn.mechanism.lumpable?.(syn.params) === true) {
          const text = JSON.stringify(
            Object.entries(syn.params).sort((a, b) => a[0] < b[0] ? -1 : 1),
          );
          set = g.setOfText.get(text) ?? g.setOfText.size;
          g.setOfText.set(text, set);
        }
        g.setOf.set(syn.params, set);
      }
      if (set >= 0) {
        key = set * lowered.nodeCount + node;
        instance = g.lumped.get(key) ?? -1;
      }
    }
    if (instance < 0) {
      instance = g.nodes.length;
      g.nodes.push(node);
      g.params.push(syn.params);
      if (key >= 0) g.lumped.set(key, instance);
      synInstances++;
      if (syn.mechanism.randomStreams === true) {
        if (syn.random === undefined) {
          throw new InternalError(
            `synapse mechanism ${syn.mechanism.name} draws random numbers but its input has no stream`,
          );
        }
        g.random.push(syn.random);
      }
    }
    sources[s] = { target: base + gi, instance, weightOffset: weightTotal, times: syn.eventTimes };
    weightTotal += Math.max(syn.weights.length, syn.mechanism.weightCount ?? 0);
    if (syn.eventTimes.length > 0 && syn.mechanism.netReceive === undefined) {
      throw new InternalError(
        `point mechanism ${syn.mechanism.name} receives events but has no NET_RECEIVE`,
      );
    }
  }
  const weights = new Float64Array(weightTotal);
  for (let s = 0; s < ordered.length; s++) {
    const w = ordered[s].weights;
    const at = sources[s].weightOffset;
    for (let j = 0; j < w.length; j++) weights[at + j] = w[j];
  }
  const queue = createEventQueue(sources);
  const points: PointGroup[] = model.points.slice();
  for (const g of groups) {
    points.push({
      mechanism: g.mechanism,
      instances: pointInstances(
        g.mechanism,
        g.nodes,
        g.params,
        model.mechGlobals,
        model.context,
        g.mechanism.randomStreams === true ? { random: g.random } : {},
      ),
    });
  }

  // finitialize (spec/algorithm.md §8.2).
  const n = lowered.nodeCount;
  nodes.v.fill(model.settings.vInit);
  for (let k = 0; k < n; k++) {
    nodes.cai[k] = CAI0;
    nodes.cao[k] = CAO0;
  }
  nodes.eca.set(lowered.ecaFixed);
  nodes.t = 0;
  updateEca(nodes, lowered.caDynamicNodes, model.nernstCa);
  for (const lm of lowered.mechanisms) {
    lm.mechanism.init(lm.instances, nodes);
    // NEURON's nrn_wrote_conc: an INITIAL block that writes cai (CaDynamics_E2_v2 sets it to
    // minCai) sets eca at once, before the next mechanism's INITIAL.
    if (writesCai(lm.mechanism)) updateEca(nodes, lowered.caDynamicNodes, model.nernstCa);
  }
  for (const pg of points) pg.mechanism.init(pg.instances, nodes);
  // NEURON's init_net_events: the NET_RECEIVE INITIAL block of every NetCon's target.
  for (let s = 0; s < sources.length; s++) {
    const pg = points[sources[s].target];
    const init = pg.mechanism.netConInit;
    if (init !== undefined) {
      init(pg.instances, sources[s].instance, weights, sources[s].weightOffset, nodes);
    }
  }
  deliverEvents(queue, 0, points, weights, nodes);
  evaluateCurrents(lowered, points, nodes);
  return {
    points,
    queue,
    weights,
    synapseCount: { inputs: synapses.length, instances: synInstances },
  };
}

/**
 * The sweep's synapses in a canonical order: by mechanism name, node, parameter values, then as
 * given. The node sums of synapse currents then do not depend on the order in which the network
 * listed the synapses, and a sweep sums them in the same order alone as in a lock-step group
 * (the engine lays out its lanes' synapses in this order).
 */
function canonicalOrder(
  model: PreparedModel,
  synapses: readonly SynapticInput[],
): { readonly ordered: readonly SynapticInput[]; readonly nodeOf: Int32Array } {
  // Synapses of one receptor type share one parameter record: its text is made once (per
  // mechanism: a record could be shared by two).
  const textOf = new Map<PointMechanism, Map<Readonly<Record<string, number>>, string>>();
  const paramsText = (syn: SynapticInput): string => {
    let texts = textOf.get(syn.mechanism);
    if (texts === undefined) textOf.set(syn.mechanism, texts = new Map());
    let text = texts.get(syn.params);
    if (text === undefined) {
      text = Object.keys(syn.mechanism.parameters).map((p) =>
        String(Object.hasOwn(syn.params, p) ? syn.params[p] : syn.mechanism.parameters[p].default)
      ).join(",");
      texts.set(syn.params, text);
    }
    return text;
  };
  const keyed = synapses.map((syn, j) => ({
    syn,
    j,
    name: syn.mechanism.name,
    node: segmentNodeAt(model.lowered, syn.section, syn.x),
    params: paramsText(syn),
  }));
  keyed.sort((a, b) =>
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || a.node - b.node ||
    (a.params < b.params ? -1 : a.params > b.params ? 1 : 0) || a.j - b.j
  );
  return { ordered: keyed.map((k) => k.syn), nodeOf: Int32Array.from(keyed, (k) => k.node) };
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

/** The field array and instance of a synapse probe in this sweep. */
function bindSynapseProbe(
  p: Probe,
  st: SweepState,
  sweep: number | undefined,
): { source: Float64Array; index: number } {
  for (const g of st.points) {
    if (g.mechanism.name !== p.owner) continue;
    const index = g.instances.node.indexOf(p.segmentNode);
    if (index >= 0) return { source: g.instances.fields[p.variable], index };
  }
  throw new InputValueError(
    p.site.where ?? { file: "record site", key: "record" },
    `Cannot record "${p.variable}_${p.owner}" at section ${p.site.section} x ${p.site.x}${
      sweep !== undefined ? ` in sweep ${sweep}` : ""
    }: no ${p.owner} there`,
  );
}

/** The recorded quantity of probe j (or the soma potential for j = −1), for messages. */
function probeName(probes: readonly Probe[], j: number): string {
  if (j < 0) return "the soma's membrane potential";
  const s = probes[j].site;
  return `"${
    probes[j].owner === "node" ? probes[j].variable : `${probes[j].variable}_${probes[j].owner}`
  }" at section ${s.section} x ${s.x}`;
}

/**
 * Runs one sweep of a prepared model from `finitialize` to tStop with NEURON's fixed-step
 * backward Euler (spec/algorithm.md §8.3), in fast or exact mode as prepared. Records the soma
 * voltage and the probes at t = 0 and after every step.
 *
 * @param model the prepared model (reset at the start; one sweep at a time)
 * @param synapses the sweep's synaptic inputs
 * @param options probes, sweep number (for messages), progress callback
 * @returns time [ms], soma voltage [mV] and one trace per probe
 * @throws SimulationError when the soma potential or a recorded value becomes non-finite
 * @example A passive soma relaxes from −65 mV towards e_pas = −70 mV
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareModel } from "./prepare_model.ts";
 * import { runSweep } from "./run_sweep.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1, mechanisms: [{ name: "pas", params: {} }],
 * };
 * const model = prepareModel(
 *   { sections: [sec], pointProcesses: [], mechGlobals: {}, paramFile: "c.param", hocFile: "c.hoc" },
 *   { vInit: -65, tStop: 10, dt: 0.025, celsius: 34, rateTables: true, units: "modern" },
 * );
 * const r = runSweep(model, []);
 * assert.equal(r.t.length, 401);
 * assert.ok(r.soma[400] < -69.9 && r.soma[400] > -70); // τ = cm/g = 1 ms
 * ```
 */
export function runSweep(
  model: PreparedModel,
  synapses: readonly SynapticInput[],
  options: RunSweepOptions = {},
): SimulationResult {
  return runSweeps(model, [{
    synapses,
    ...(options.sweep !== undefined ? { sweep: options.sweep } : {}),
  }], options)[0];
}

/** One sweep's inputs for {@link runSweeps}. */
export interface SweepInput {
  /** The sweep's synaptic inputs. */
  readonly synapses: readonly SynapticInput[];
  /** The sweep number, for messages. */
  readonly sweep?: number;
}

/** Options of {@link runSweeps}. */
export interface RunSweepsOptions {
  /** Recorded variables besides the soma voltage (`resolveProbes`), in order. */
  readonly probes?: readonly Probe[];
  /** Called every 1000 steps and at the end with (steps done, total steps) of each group. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Diagnostics: time the engine's kernels one by one (see solver/wasm's RunEngineOptions). */
  readonly profile?: { readonly now: () => number; readonly ms: Record<string, number> };
}

/** The engine tier a model's settings ask for, or undefined for the reference loop. */
export function engineTier(model: PreparedModel): EngineTier | undefined {
  const choice = model.settings.engine ?? "auto";
  if (choice === "reference") return undefined;
  return selectEngineTier({ atMost: choice === "auto" ? "simd" : choice });
}

/**
 * Whether sweeps of this model run two at a time in lock-step SIMD lanes: on the SIMD tier,
 * when the engine lowers every mechanism of the cell and of the sweeps.
 *
 * @param model the prepared model
 * @param sweeps the sweeps' synaptic inputs
 * @returns true when {@link runSweeps} pairs them
 */
export function runsLockStep(model: PreparedModel, sweeps: readonly SweepInput[]): boolean {
  if (engineTier(model) !== "simd") return false;
  const used = new Set<Mechanism>();
  for (const lm of model.lowered.mechanisms) used.add(lm.mechanism);
  for (const pg of model.points) used.add(pg.mechanism);
  for (const s of sweeps) for (const syn of s.synapses) used.add(syn.mechanism);
  for (const m of used) if (!lowersMechanism(m)) return false;
  return true;
}

/**
 * Runs sweeps of a prepared model: on the engine (solver/wasm), two at a time in lock-step SIMD
 * lanes where {@link runsLockStep}, else one by one (on the engine or in the reference loop).
 * Each sweep's result is the one it gets alone, bit for bit. When a pair fails, each of its
 * sweeps is run again alone, so that a sweep's error or result is its own.
 *
 * @param model the prepared model (reset for every sweep)
 * @param sweeps the sweeps' synaptic inputs
 * @param options probes and progress
 * @returns one result per sweep, in order
 * @throws SimulationError when a soma potential or recorded value becomes non-finite
 */
export function runSweeps(
  model: PreparedModel,
  sweeps: readonly SweepInput[],
  options: RunSweepsOptions = {},
): SimulationResult[] {
  const tier = engineTier(model);
  if (tier === undefined) {
    return sweeps.map((s) =>
      runSweepReference(model, s.synapses, {
        ...options,
        ...(s.sweep !== undefined ? { sweep: s.sweep } : {}),
      })
    );
  }
  const out: SimulationResult[] = [];
  const lanes = runsLockStep(model, sweeps) ? 2 : 1;
  for (let j = 0; j < sweeps.length; j += lanes) {
    const group = sweeps.slice(j, j + lanes);
    if (group.length === 1) {
      out.push(...runGroup(model, group, tier, options));
      continue;
    }
    try {
      out.push(...runGroup(model, group, tier, options));
    } catch {
      for (const s of group) out.push(...runGroup(model, [s], tier, options));
    }
  }
  return out;
}

/** The engine's view of a prepared model. */
function engineModel(model: PreparedModel): EngineModel {
  const l = model.lowered;
  return {
    nodeCount: l.nodeCount,
    matrix: model.system,
    area: l.area,
    ena: l.ena,
    ek: l.ek,
    cao: model.nodes.cao,
    caNodes: l.caDynamicNodes,
    lnCao: model.lnCao,
    nernstCa: model.nernstCa,
    dt: model.settings.dt,
    celsius: model.settings.celsius,
    faraday: model.context.faraday,
    rateTables: model.settings.rateTables,
    somaNode: model.somaNode,
    density: l.mechanisms.map((lm) => ({ mechanism: lm.mechanism, instances: lm.instances })),
    cellPoints: model.points,
  };
}

/** Runs one group of sweeps (one, or two lock-step lanes) on the engine. */
function runGroup(
  model: PreparedModel,
  group: readonly SweepInput[],
  tier: EngineTier,
  options: RunSweepsOptions,
): SimulationResult[] {
  const probes = options.probes ?? [];
  const lanes: EngineLane[] = [];
  const states: SweepState[] = [];
  for (const sweep of group) {
    const st = initializeSweep(model, sweep.synapses);
    states.push(st);
    const n = model.nodes;
    lanes.push({
      ...(sweep.sweep !== undefined ? { sweep: sweep.sweep } : {}),
      nodes: {
        v: Float64Array.from(n.v),
        i: Float64Array.from(n.i),
        g: Float64Array.from(n.g),
        cai: Float64Array.from(n.cai),
        eca: Float64Array.from(n.eca),
        ica: Float64Array.from(n.ica),
      },
      points: st.points,
      events: st.queue,
      weights: st.weights,
    });
  }
  const engineProbes: EngineProbe[] = probes.map((p) => {
    if (p.owner === "node") return { kind: "node", array: p.variable, node: p.index };
    if (p.perSweep) {
      return {
        kind: "synapse",
        field: p.variable,
        perLane: states.map((st, s) => {
          const b = bindSynapseProbe(p, st, group[s].sweep);
          const g = st.points.findIndex((pg) => pg.instances.fields[p.variable] === b.source);
          return { group: g, instance: b.index };
        }),
      };
    }
    const d = model.lowered.mechanisms.findIndex((lm) =>
      lm.instances.fields[p.variable] === p.source
    );
    if (d >= 0) {
      return { kind: "field", group: "density", index: d, field: p.variable, instance: p.index };
    }
    const c = model.points.findIndex((pg) => pg.instances.fields[p.variable] === p.source);
    return { kind: "field", group: "cellPoint", index: c, field: p.variable, instance: p.index };
  });
  const results = runEngine(engineModel(model), lanes, {
    tier: lanes.length > 1 ? tier : tier,
    steps: model.steps,
    probes: engineProbes,
    probeName: (j) => probeName(probes, j),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  });
  return results.map((r) => ({ t: r.t, soma: r.soma, traces: r.traces }));
}

/** The reference step loop: the mechanisms' own kernels in JavaScript. */
function runSweepReference(
  model: PreparedModel,
  synapses: readonly SynapticInput[],
  options: RunSweepOptions = {},
): SimulationResult {
  const st = initializeSweep(model, synapses);
  const steps = model.steps;
  const samples = steps + 1;
  const tOut = new Float64Array(samples);
  const soma = new Float64Array(samples);
  const probes = options.probes ?? [];
  const traces = probes.map(() => new Float64Array(samples));
  const np = probes.length;
  const bound = probes.map((p) => p.perSweep ? bindSynapseProbe(p, st, options.sweep) : p);
  const probeSrc = bound.map((p) => p.source);
  const probeIdx = Int32Array.from(bound.map((p) => p.index));

  const { lowered, nodes, system, nernstCa, lnCao } = model;
  const { points, queue, weights } = st;
  const mechs = lowered.mechanisms;
  const nm = mechs.length;
  const rateTables = model.settings.rateTables;
  const advance: Kernel[] = mechs.map((lm) =>
    (rateTables ? lm.mechanism.fast?.advance : undefined) ?? lm.mechanism.advance
  );
  const current: Kernel[] = mechs.map((lm) =>
    (rateTables ? lm.mechanism.fast?.current : undefined) ?? lm.mechanism.current
  );
  const npg = points.length;
  const pointCurrent: Kernel[] = points.map((pg) =>
    (rateTables ? pg.mechanism.fast?.current : undefined) ?? pg.mechanism.current
  );
  const pointAdvance: Kernel[] = points.map((pg) =>
    (rateTables ? pg.mechanism.fast?.advance : undefined) ?? pg.mechanism.advance
  );
  const caNodes = lowered.caDynamicNodes;
  const v = nodes.v;
  const somaNode = model.somaNode;
  const dt = model.settings.dt;
  const half = 0.5 * dt;
  const onProgress = options.onProgress;
  const fail = (j: number, value: number, t: number): never => {
    throw new SimulationError(
      `${probeName(probes, j)} is ${value} at t = ${t} ms (the model or its input is outside ` +
        "what the integrator can follow)",
      { timeMs: t, ...(options.sweep !== undefined ? { sweep: options.sweep } : {}) },
    );
  };

  // t [ms], accumulated like NEURON's: t_n + dt/2, then + dt/2 again. It lives in a typed-array
  // cell, not a local: the step loop runs as on-stack-replaced code (one call per sweep), whose
  // loop-carried doubles V8 may keep boxed, one heap number per update (16 B per step).
  const now = new Float64Array(1);
  tOut[0] = 0;
  soma[0] = v[somaNode];
  if (soma[0] - soma[0] !== 0) fail(-1, soma[0], 0);
  for (let j = 0; j < np; j++) {
    const x = probeSrc[j][probeIdx[j]];
    traces[j][0] = x;
    if (x - x !== 0) fail(j, x, 0);
  }
  nodes.i.fill(0);
  nodes.g.fill(0);
  for (let step = 1; step <= steps; step++) {
    // 1. events with τ ≤ t_n + dt/2
    if (queue.next < queue.length && queue.time[queue.next] <= now[0] + half) {
      deliverEvents(queue, now[0] + half, points, weights, nodes);
    }
    // 2.–4. currents at the midpoint time (eca is current: updated after every state step)
    now[0] += half;
    nodes.t = now[0];
    nodes.ica.fill(0);
    for (let m = 0; m < nm; m++) current[m](mechs[m].instances, nodes);
    for (let p = 0; p < npg; p++) pointCurrent[p](points[p].instances, nodes);
    // 5. linear solve, V^{n+1}; zeroes i and g for the next step
    if (rateTables) stepVoltageFast(system, v, nodes.i, nodes.g, dt);
    else stepVoltage(system, v, nodes.i, nodes.g, dt);
    // 6. second half step
    now[0] += half;
    nodes.t = now[0];
    // 7. states at V^{n+1}, then eca from the new cai
    if (rateTables) updateTablePositions(nodes);
    for (let m = 0; m < nm; m++) advance[m](mechs[m].instances, nodes);
    for (let p = 0; p < npg; p++) pointAdvance[p](points[p].instances, nodes);
    if (rateTables) nernstFromTable(caNodes, lnCao, nodes.cai, nodes.eca, nernstCa);
    else updateEca(nodes, caNodes, nernstCa);
    // 8. record; a NaN or ±Infinity anywhere reaches every node's V within the step's solve
    tOut[step] = now[0];
    const vs = v[somaNode];
    soma[step] = vs;
    if (vs - vs !== 0) fail(-1, vs, now[0]);
    for (let j = 0; j < np; j++) {
      const x = probeSrc[j][probeIdx[j]];
      traces[j][step] = x;
      if (x - x !== 0) fail(j, x, now[0]);
    }
    if (onProgress !== undefined && step % 1000 === 0) onProgress(step, steps);
  }
  if (onProgress !== undefined) onProgress(steps, steps);
  return { t: tOut, soma, traces };
}
