/**
 * The thin adapter from a compiled mechanism to today's mechanism contract
 * (solver/mechanisms/_types.ts: `DensityMechanism` / `PointMechanism`, kernels `(s, n)`).
 * Everything contract-specific lives here, so that re-targeting the restructured contract
 * (issue 9: declared slots and a `prepare` hook) means rewriting this one file.
 *
 * Per-instance-set data the generated kernels need besides `s.fields` (the kernel context:
 * random streams, self-event queue, NetCon-initialised flags) is kept in a `WeakMap` keyed by
 * the `MechanismInstances` object, created at `init` — phase A only: the new contract's
 * `prepare` hook owns it instead. Globals and tables are per mechanism, as in NEURON.
 *
 * @module
 */
import type {
  DensityMechanism,
  Kernel,
  MechanismInstances,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
} from "../mechanisms/_types.ts";
import {
  advanceConcentrationGateTabulated,
  advanceOneGateTabulated,
  advanceTwoGatesTabulated,
  buildConcentrationTable,
  type ConcentrationTable,
  RateTableCache,
} from "../mechanisms/_rate_table.ts";
import { planGateTables } from "./_gate_tables.ts";
import { SelfEventQueue } from "./_self_events.ts";
import type { CompiledMechanism } from "./compile.ts";
import type { FieldIR } from "./ir.ts";
import { generateGateFunction } from "./js_backend.ts";
import type { GateFunction, GeneratedNodes, KernelContext, KernelExtras } from "./js_backend.ts";

/** FARADAY of NEURON's legacy units (simrun's `UNITS.legacy.faraday`): selects legacy constants. */
const LEGACY_FARADAY = 96485.3;

/** A uniform random number generator in [0, 1). */
export type UniformRandom = () => number;

/** Options of {@link toPointMechanism}. */
export interface PointAdapterOptions {
  /**
   * Random stream of instance k (ISF's stochastic synapses), called at initialisation. `erand()`
   * returns −ln(1 − u) for u from this stream: an exponential(1) variate, as NEURON's `Random`
   * in ISF's `negexp(1)` mode.
   */
  readonly random?: (instance: number) => UniformRandom;
}

/** A compiled density mechanism in today's contract, with its fast-mode advance. */
export interface AdaptedDensity {
  /** The catalogue entry. */
  readonly mechanism: DensityMechanism;
  /**
   * The `advance` kernel of the fast mode (gates from rate tables), or undefined when no gate
   * qualifies; it falls back to the exact kernel for instance sets whose RANGE rate parameters
   * differ between instances.
   */
  readonly tabulatedAdvance: Kernel | undefined;
  /** Why there is no fast-mode advance (for diagnostics), or undefined. */
  readonly exactOnlyReason: string | undefined;
  /** The per-mechanism globals (IR order), settable (`name_suffix` in hoc). */
  readonly globals: MechanismGlobals;
}

/** Per-mechanism scalars of a compiled mechanism, by NMODL name. */
export interface MechanismGlobals {
  /** Names in IR order. */
  readonly names: readonly string[];
  /** Values (modern units until the first init in legacy mode). */
  readonly values: Float64Array;
  /** Sets a GLOBAL/PARAMETER by name; false if there is no such settable global. */
  set(name: string, value: number): boolean;
}

/** Fast-mode tables of one snapshot of globals, RANGE rate parameters and celsius. */
interface FastTables {
  /** Snapshot: globals, uniform fields, celsius. */
  readonly key: Float64Array;
  /** Globals of the snapshot. */
  readonly G: Float64Array;
  /** RANGE rate parameters of the snapshot (by field index). */
  readonly U: Float64Array;
  /** celsius of the snapshot [°C]. */
  readonly celsius: number;
  /** Voltage gates in pairs (or one): cache and the state names. */
  readonly voltage: { cache: RateTableCache; states: string[] }[];
  /** Concentration gates: table, state name, step-factor scratch. */
  readonly conc: {
    table: ConcentrationTable;
    state: string;
    gate: number;
    factor: Float64Array;
    dt: number;
  }[];
}

interface Context extends KernelContext {
  readonly queue: SelfEventQueue;
  readonly netInit: Uint8Array;
  streams: UniformRandom[];
  /** The weight vectors' array of the last NetCon event (self events refer into it). */
  weights: Float64Array;
  /** Fast-mode tables for this instance set, or undefined (exact advance). */
  fast: FastTables | undefined;
}

function fieldKey(f: FieldIR): string {
  return f.name;
}

/** Shared per-mechanism state: globals, tables. */
class MechanismState {
  readonly c: CompiledMechanism;
  readonly G: Float64Array;
  readonly T: Float64Array[];
  readonly TM: Float64Array[];
  readonly K: readonly string[];
  readonly contexts = new WeakMap<MechanismInstances, Context>();
  readonly globals: MechanismGlobals;

  constructor(c: CompiledMechanism) {
    this.c = c;
    const ir = c.ir;
    this.G = Float64Array.from(ir.globals, (g) => g.value);
    this.T = ir.tables.map((t) => new Float64Array(t.points * t.columns));
    this.TM = ir.tables.map((t) => new Float64Array(3 + t.depend.length));
    this.K = ir.fields.map(fieldKey);
    const G = this.G;
    const names = ir.globals.map((g) => g.name);
    this.globals = {
      names,
      values: G,
      set(name: string, value: number): boolean {
        const i = ir.globals.findIndex((g) =>
          g.name === name &&
          (g.role === "parameter" || g.role === "usetable" || g.role === "stateInit")
        );
        if (i < 0) return false;
        G[i] = value;
        return true;
      },
    };
  }

  /** Unit constants for the run's unit system (legacy when FARADAY is NEURON 7's). */
  setUnits(n: NodeArrays): void {
    const legacy = n.faraday === LEGACY_FARADAY;
    this.c.ir.globals.forEach((g, i) => {
      if (g.role === "unitConstant") this.G[i] = legacy ? g.legacyValue : g.value;
    });
  }

  context(s: MechanismInstances, random?: (k: number) => UniformRandom): Context {
    let ctx = this.contexts.get(s);
    if (ctx === undefined) {
      const queue = new SelfEventQueue();
      const holder: { streams: UniformRandom[] } = { streams: [] };
      const extras: KernelExtras = {
        send(k: number, time: number, flag: number, o: number): void {
          queue.push(k, time, flag, o);
        },
        exponential(k: number): number {
          const u = holder.streams[k]?.();
          if (u === undefined) {
            throw new RangeError(
              `Mechanism ${ctxName}: instance ${k} draws a random number but has no random stream`,
            );
          }
          return -Math.log(1 - u);
        },
      };
      const ctxName = this.c.name;
      ctx = {
        A: this.K.map((name) => s.fields[name]),
        node: s.node,
        G: this.G,
        T: this.T,
        TM: this.TM,
        X: extras,
        queue,
        netInit: new Uint8Array(s.node.length),
        get streams() {
          return holder.streams;
        },
        set streams(v: UniformRandom[]) {
          holder.streams = v;
        },
        weights: new Float64Array(0),
        fast: undefined,
      };
      this.contexts.set(s, ctx);
    }
    if (random !== undefined && ctx.streams.length !== s.node.length) {
      ctx.streams = [];
      for (let k = 0; k < s.node.length; k++) ctx.streams.push(random(k));
    }
    return ctx;
  }
}

function parametersOf(c: CompiledMechanism): Record<string, ParameterInfo> {
  const out: Record<string, ParameterInfo> = {};
  for (const f of c.ir.fields) {
    if (f.role === "parameter") out[f.name] = { unit: f.unit, default: f.value };
  }
  return out;
}

function assignedOf(c: CompiledMechanism): string[] {
  const ir = c.ir;
  const currents = new Set(
    (ir.current?.currents ?? []).map((s) => s.space === "field" ? ir.fields[s.index].name : ""),
  );
  const rest = ir.fields.filter((f) =>
    (f.role === "assigned" || f.role === "internal") && !currents.has(f.name)
  ).map((f) => f.name);
  return [...currents].filter((n) => n !== "").concat(rest);
}

function firstIon(c: CompiledMechanism): "na" | "k" | "ca" | undefined {
  for (const u of c.ir.ions) if (u.ion === "na" || u.ion === "k" || u.ion === "ca") return u.ion;
  return undefined;
}

/** Builds (or reuses) the fast-mode tables of an instance set at initialisation. */
function fastTables(
  c: CompiledMechanism,
  st: MechanismState,
  s: MechanismInstances,
  n: NodeArrays,
  gate: GateFunction,
  cache: { last: FastTables | undefined },
): FastTables | undefined {
  const plan = planGateTables(c.ir);
  if (!plan.ok) return undefined;
  const U = new Float64Array(c.ir.fields.length);
  for (const f of plan.uniformFields) {
    const a = s.fields[c.ir.fields[f].name];
    for (let k = 1; k < a.length; k++) if (a[k] !== a[0]) return undefined;
    U[f] = a.length > 0 ? a[0] : 0;
  }
  const key = new Float64Array([...st.G, ...plan.uniformFields.map((f) => U[f]), n.celsius]);
  const last = cache.last;
  if (
    last !== undefined && last.key.length === key.length &&
    last.key.every((x, i) => Object.is(x, key[i]))
  ) {
    return last;
  }
  const G = Float64Array.from(st.G), celsius = n.celsius;
  const scratch = new Float64Array(2 * plan.gates.length);
  const vGates = plan.gates.map((g, i) => ({ ...g, i })).filter((g) => g.over === "v");
  const voltage: FastTables["voltage"] = [];
  for (let p = 0; p < vGates.length; p += 2) {
    const pair = vGates.slice(p, p + 2);
    voltage.push({
      cache: new RateTableCache(2 * pair.length, (v, dt, out) => {
        gate(v, NaN, dt, celsius, G, U, scratch);
        pair.forEach((g, j) => {
          out[2 * j] = scratch[2 * g.i];
          out[2 * j + 1] = scratch[2 * g.i + 1];
        });
      }),
      states: pair.map((g) => c.ir.fields[g.field].name),
    });
  }
  const conc: FastTables["conc"] = plan.gates.map((g, i) => ({ ...g, i }))
    .filter((g) => g.over === "concentration").map((g) => ({
      table: buildConcentrationTable(1, (x, out) => {
        gate(NaN, x, NaN, celsius, G, U, scratch);
        out[0] = scratch[2 * g.i];
      }),
      state: c.ir.fields[g.field].name,
      gate: g.i,
      factor: new Float64Array(s.node.length),
      dt: NaN,
    }));
  const t: FastTables = { key, G, U, celsius, voltage, conc };
  cache.last = t;
  return t;
}

/**
 * Wraps a compiled density mechanism as a catalogue entry of today's contract.
 *
 * @param c the compiled mechanism (kind `density`)
 * @returns the entry, its fast-mode advance and its globals
 * @throws RangeError for a point process
 */
export function toDensityMechanism(c: CompiledMechanism): AdaptedDensity {
  if (c.kind !== "density") throw new RangeError(`${c.name} is a point process`);
  const st = new MechanismState(c);
  const k = c.kernels;
  const plan = planGateTables(c.ir);
  const gate = plan.ok ? generateGateFunction(c.ir, plan.gateBody, plan.locals) : undefined;
  const concArray = plan.ok && plan.concentrationNode >= 0
    ? c.ir.nodeVars[plan.concentrationNode].name as "cai" | "cao"
    : "cai";
  const tableCache: { last: FastTables | undefined } = { last: undefined };
  const init: Kernel = (s, n) => {
    st.setUnits(n);
    const ctx = st.context(s);
    k.init(ctx, n as unknown as GeneratedNodes);
    k.prepare(ctx, n as unknown as GeneratedNodes);
    ctx.fast = gate === undefined ? undefined : fastTables(c, st, s, n, gate, tableCache);
  };
  const factorScratch = new Float64Array(plan.ok ? 2 * plan.gates.length : 0);
  const tabulatedAdvance: Kernel | undefined = gate === undefined ? undefined : (s, n) => {
    const ctx = st.context(s);
    const fast = ctx.fast;
    if (fast === undefined) {
      k.advance(ctx, n as unknown as GeneratedNodes);
      return;
    }
    const f = s.fields;
    for (const vg of fast.voltage) {
      if (vg.states.length === 2) {
        advanceTwoGatesTabulated(vg.cache, n.dt, s.node, n.v, f[vg.states[0]], f[vg.states[1]]);
      } else advanceOneGateTabulated(vg.cache, n.dt, s.node, n.v, f[vg.states[0]]);
    }
    for (const cg of fast.conc) {
      if (cg.dt !== n.dt) {
        gate(NaN, 1, n.dt, fast.celsius, fast.G, fast.U, factorScratch);
        cg.factor.fill(factorScratch[2 * cg.gate + 1]);
        cg.dt = n.dt;
      }
      advanceConcentrationGateTabulated(cg.table, s.node, n[concArray], cg.factor, f[cg.state]);
    }
  };
  const current: Kernel = k.current
    ? (s, n) => k.current!(st.context(s), n as unknown as GeneratedNodes)
    : () => {};
  const advance: Kernel = (s, n) => k.advance(st.context(s), n as unknown as GeneratedNodes);
  const mechanism: DensityMechanism = {
    kind: "density",
    name: c.name,
    ion: firstIon(c),
    writesCai: c.ir.writesConcentration.includes("cai"),
    parameters: parametersOf(c),
    states: c.ir.fields.filter((f) => f.role === "state").map((f) => f.name),
    assigned: assignedOf(c),
    init,
    current,
    advance,
  };
  return {
    mechanism,
    globals: st.globals,
    tabulatedAdvance,
    exactOnlyReason: plan.ok ? undefined : plan.reason,
  };
}

/** A compiled point process in today's contract. */
export interface AdaptedPoint {
  /** The point mechanism. */
  readonly mechanism: PointMechanism;
  /** The per-mechanism globals. */
  readonly globals: MechanismGlobals;
  /** Length of the NetCon weight vector NET_RECEIVE expects (its argument count; 0 if none). */
  readonly weightCount: number;
}

/**
 * Wraps a compiled point process as a point mechanism of today's contract. Self events
 * (`net_send`) are delivered at the start of each current evaluation (all with time ≤ t_n + dt/2,
 * in time order), i.e. after that step's NetCon events. The NET_RECEIVE INITIAL block runs
 * (with t = 0) before an instance's first event (one NetCon per instance, as ISF wires them).
 *
 * @param c the compiled mechanism (kind `point`)
 * @param options the random stream per instance, if the mechanism draws random numbers
 * @returns the mechanism, its globals and the weight-vector length
 * @throws RangeError for a density mechanism
 */
export function toPointMechanism(
  c: CompiledMechanism,
  options: PointAdapterOptions = {},
): AdaptedPoint {
  if (c.kind !== "point") throw new RangeError(`${c.name} is a density mechanism`);
  const st = new MechanismState(c);
  const k = c.kernels;
  const ev = new Float64Array(4);
  const deliverSelf = (ctx: Context, s: MechanismInstances, n: NodeArrays) => {
    const q = ctx.queue;
    if (q.size === 0 || q.peekTime() > n.t) return;
    const tsave = n.t;
    while (q.size > 0 && q.peekTime() <= tsave) {
      q.pop(ev);
      n.t = ev[0];
      netReceive(s, ev[1], ev[3] >= 0 ? ctx.weights : WEIGHTS_NONE, ev[3], n, ev[2]);
    }
    n.t = tsave;
  };
  // Self events sent from INITIAL have no weight vector.
  const WEIGHTS_NONE = new Float64Array(0);
  const netReceive = (
    s: MechanismInstances,
    i: number,
    weights: Float64Array,
    offset: number,
    n: NodeArrays,
    flag: number,
  ) => {
    const ctx = st.context(s);
    const g = n as unknown as GeneratedNodes;
    if (offset >= 0) ctx.weights = weights;
    if (k.netReceiveInit !== undefined && ctx.netInit[i] === 0 && offset >= 0) {
      ctx.netInit[i] = 1;
      const tsave = n.t;
      n.t = 0;
      k.netReceiveInit(ctx, g, i, weights, offset, 0);
      n.t = tsave;
    }
    k.netReceive!(ctx, g, i, weights, offset, flag);
  };
  const init: Kernel = (s, n) => {
    st.setUnits(n);
    const ctx = st.context(s, options.random);
    ctx.queue.clear();
    ctx.netInit.fill(0);
    k.init(ctx, n as unknown as GeneratedNodes);
    k.prepare(ctx, n as unknown as GeneratedNodes);
  };
  const current: Kernel = (s, n) => {
    const ctx = st.context(s);
    deliverSelf(ctx, s, n);
    if (k.current) k.current(ctx, n as unknown as GeneratedNodes);
  };
  const advance: Kernel = (s, n) => k.advance(st.context(s), n as unknown as GeneratedNodes);
  const mechanism: PointMechanism = {
    kind: "point",
    name: c.name,
    parameters: parametersOf(c),
    states: c.ir.fields.filter((f) => f.role === "state").map((f) => f.name),
    assigned: assignedOf(c),
    init,
    current,
    advance,
    netReceive: k.netReceive === undefined
      ? undefined
      : (s, i, weights, offset, n) => netReceive(s, i, weights, offset, n, 0),
    lumpable: undefined,
  };
  return { mechanism, globals: st.globals, weightCount: c.ir.netReceive?.args.length ?? 0 };
}
