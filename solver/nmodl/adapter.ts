/**
 * The adapter from a compiled mechanism to the solver's mechanism contract
 * (solver/mechanisms/_types.ts): a catalogue entry whose description comes from the IR and whose
 * kernels are the JavaScript backend's. Everything contract-specific lives here.
 *
 * Storage. `s.fields` holds exactly the NMODL variables (RANGE parameters, STATEs, ASSIGNED).
 * Everything else is a declared derived slot that `prepare` fills once per model: the
 * internal per-instance values (expressions of parameters and dt hoisted out of the kernels),
 * the per-instance-set globals (defaults, then the model's GLOBAL values, UNITS constants of the
 * run's unit system), TABLE storage, the self-event queue of a point process, and the fast mode's
 * rate tables. Nothing is kept outside the instance storage.
 *
 * Fast mode. Every cnexp gate whose rates depend only on v (or on one concentration) is advanced
 * from the solver's rate tables (`fast.advance`); RANGE parameters in its rates (NaTg's shifts)
 * must be equal on all instances of the model, else the exact kernel runs.
 *
 * Events. Self events (`net_send`) are delivered at the start of each current evaluation (all
 * with time ≤ t_n + dt/2, in time order), i.e. after that step's NetCon events. The NET_RECEIVE
 * INITIAL block is the contract's `netConInit`, run once per NetCon by the engine.
 *
 * @module
 */
import {
  advanceConcentrationGateTabulated,
  advanceOneGateTabulated,
  advanceTwoGatesTabulated,
  buildConcentrationTable,
  buildRateTable,
} from "../mechanisms/_rate_table.ts";
import type {
  DensityMechanism,
  DerivedSlot,
  IonUse,
  Mechanism,
  MechanismBase,
  MechanismInstances,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
  PrepareContext,
} from "../mechanisms/_types.ts";
import { planGateTables } from "./_gate_tables.ts";
import { lumpableWith } from "./_lumping.ts";
import { classifyQuiet, QUIET_SLOT, quietEligible } from "./_quiet.ts";
import {
  clearSelfEvents,
  createSelfEvents,
  EVENTS_SLOT,
  nextSelfEventTime,
  popSelfEvent,
  selfEventCount,
} from "./_self_events.ts";
import type { CompiledMechanism } from "./compile.ts";
import type { MechanismIR, Stmt } from "./ir.ts";
import {
  generateGateFunction,
  GLOBALS_SLOT,
  isDerivedField,
  TABLE_META_SLOT,
  tableLayout,
  TABLES_SLOT,
} from "./js_backend.ts";
import type { GateFunction, GeneratedMechanism, GeneratedNodes } from "./js_backend.ts";

/** Derived slot: the weight vectors' array of the last NetCon event (self events index it). */
const WEIGHTS_SLOT = "nmodl.weights";
/** Derived slot: [1] when the fast-mode tables of this instance set are built, else [0]. */
const FAST_OK_SLOT = "nmodl.fastOk";
/** Derived slot: the globals the fast-mode tables were built with. */
const FAST_GLOBALS_SLOT = "nmodl.fastGlobals";
/** Derived slot: the (uniform) RANGE rate parameters of the fast-mode tables, by field index. */
const FAST_UNIFORM_SLOT = "nmodl.fastUniform";
/** Derived slot: [celsius] of the fast-mode tables [°C]. */
const FAST_CELSIUS_SLOT = "nmodl.fastCelsius";
/** Derived slot: [1] after INITIAL until the instances are classified quiet or active. */
const QUIET_PENDING_SLOT = "nmodl.quietPending";
/** Derived slot: the step factor 1 − exp(dt·…) of each concentration gate. */
const CONC_FACTOR_SLOT = "nmodl.concFactor";

/** Name of the rate-table slot of voltage-gate group g. */
function rateSlot(g: number): string {
  return `nmodl.rateTable${g}`;
}

/** Name of the table slot of concentration gate g. */
function concSlot(g: number): string {
  return `nmodl.concTable${g}`;
}

/** The (T, F) pairs of the fast mode: voltage gates in pairs, concentration gates one by one. */
interface FastPlan {
  /** The gate function generated from the plan. */
  readonly gate: GateFunction;
  /** Voltage-gate groups (one or two gates): gate indices and state field names. */
  readonly voltage: readonly { readonly gates: readonly number[]; readonly states: string[] }[];
  /** Concentration gates: gate index and state field name. */
  readonly conc: readonly { readonly gate: number; readonly state: string }[];
  /** Node array of the concentration gates. */
  readonly concArray: "cai" | "cao";
  /** RANGE fields the rates read (must be uniform). */
  readonly uniformFields: readonly number[];
  /** Number of gates. */
  readonly gateCount: number;
}

function fastPlan(ir: MechanismIR): FastPlan | string {
  const plan = planGateTables(ir);
  if (!plan.ok) return plan.reason;
  const gate = generateGateFunction(ir, plan.gateBody, plan.locals);
  const vGates = plan.gates.map((g, i) => ({ ...g, i })).filter((g) => g.over === "v");
  const voltage: { gates: number[]; states: string[] }[] = [];
  for (let p = 0; p < vGates.length; p += 2) {
    const pair = vGates.slice(p, p + 2);
    voltage.push({ gates: pair.map((g) => g.i), states: pair.map((g) => ir.fields[g.field].name) });
  }
  const conc = plan.gates.map((g, i) => ({ ...g, i })).filter((g) => g.over === "concentration")
    .map((g) => ({ gate: g.i, state: ir.fields[g.field].name }));
  const concArray = plan.concentrationNode >= 0
    ? ir.nodeVars[plan.concentrationNode].name as "cai" | "cao"
    : "cai";
  return {
    gate,
    voltage,
    conc,
    concArray,
    uniformFields: plan.uniformFields,
    gateCount: plan.gates.length,
  };
}

function parametersOf(ir: MechanismIR): Record<string, ParameterInfo> {
  const out: Record<string, ParameterInfo> = {};
  for (const f of ir.fields) {
    if (f.role === "parameter") out[f.name] = { unit: f.unit, default: f.value };
  }
  return out;
}

/** The IR globals a model may set (`mech_globals`, hoc's `name_suffix`): PARAMETERs, usetable, x0. */
function settable(role: MechanismIR["globals"][number]["role"]): boolean {
  return role === "parameter" || role === "usetable" || role === "stateInit";
}

function globalsOf(ir: MechanismIR): Record<string, ParameterInfo> {
  const out: Record<string, ParameterInfo> = {};
  for (const g of ir.globals) {
    if (settable(g.role)) out[g.name] = { unit: g.unit, default: g.value };
  }
  return out;
}

function assignedOf(ir: MechanismIR): string[] {
  const currents = new Set(
    (ir.current?.currents ?? []).map((s) => s.space === "field" ? ir.fields[s.index].name : ""),
  );
  currents.delete("");
  const rest = ir.fields.filter((f) => f.role === "assigned" && !currents.has(f.name))
    .map((f) => f.name);
  return [...currents, ...rest];
}

function ionsOf(ir: MechanismIR): IonUse[] {
  const out: IonUse[] = [];
  for (const u of ir.ions) {
    if (u.ion === "na" || u.ion === "k" || u.ion === "ca") {
      out.push({ name: u.ion, read: [...u.reads], write: [...u.writes] });
    }
  }
  return out;
}

function derivedOf(ir: MechanismIR, fast: FastPlan | string): Record<string, DerivedSlot> {
  const out: Record<string, DerivedSlot> = {};
  ir.fields.forEach((f, i) => {
    if (isDerivedField(ir, i)) {
      out[f.name] = { size: "instance", description: "value hoisted out of the kernels" };
    }
  });
  out[GLOBALS_SLOT] = { size: "table", description: "globals in IR order (UNITS of the run)" };
  if (ir.tables.length > 0) {
    out[TABLES_SLOT] = { size: "table", description: "NMODL TABLE values" };
    out[TABLE_META_SLOT] = { size: "table", description: "NMODL TABLE ranges and DEPEND values" };
  }
  if (ir.kind === "point") {
    out[EVENTS_SLOT] = { size: "table", description: "pending self events (net_send)" };
    out[WEIGHTS_SLOT] = { size: "table", description: "weights of the last NetCon event" };
  }
  if (quietEligible(ir)) {
    out[QUIET_SLOT] = {
      size: "instance",
      description: "1: quiet since INITIAL, current and advance skipped (exact); 0: active",
    };
    out[QUIET_PENDING_SLOT] = { size: "table", description: "[1] until the quiet flags are set" };
  }
  if (typeof fast !== "string") {
    out[FAST_OK_SLOT] = { size: "table", description: "[1] when the rate tables are built" };
    out[FAST_GLOBALS_SLOT] = { size: "table", description: "globals of the rate tables" };
    out[FAST_UNIFORM_SLOT] = { size: "table", description: "RANGE rate parameters of the tables" };
    out[FAST_CELSIUS_SLOT] = { size: "table", description: "[celsius] of the tables (°C)" };
    out[CONC_FACTOR_SLOT] = { size: "table", description: "1 − exp(−dt/τ) per concentration gate" };
    fast.voltage.forEach((_, g) => {
      out[rateSlot(g)] = { size: "table", description: "x∞, 1 − exp(−dt/τ) over v (fast mode)" };
    });
    fast.conc.forEach((_, g) => {
      out[concSlot(g)] = { size: "table", description: "x∞ over the concentration (fast mode)" };
    });
  }
  return out;
}

/** The globals of one model: IR defaults in the run's units, then the model's GLOBAL values. */
function globalValues(ir: MechanismIR, s: MechanismInstances, c: PrepareContext): Float64Array {
  const G = new Float64Array(ir.globals.length);
  ir.globals.forEach((g, i) => {
    G[i] = g.role === "unitConstant" && c.units === "legacy" ? g.legacyValue : g.value;
    if (settable(g.role) && Object.hasOwn(s.globals, g.name)) G[i] = s.globals[g.name];
  });
  return G;
}

/** Simulation values for the `prepare` kernel: it reads parameters, globals, dt and celsius only. */
function prepareNodes(c: PrepareContext): GeneratedNodes {
  const none = new Float64Array(0);
  return { v: none, i: none, g: none, t: 0, dt: c.dt, celsius: c.celsius };
}

/** Builds the fast-mode tables of an instance set (or marks them unusable). */
function prepareFast(
  ir: MechanismIR,
  plan: FastPlan,
  s: MechanismInstances,
  c: PrepareContext,
  G: Float64Array,
): void {
  const d = s.derived;
  const ok = new Float64Array(1);
  d[FAST_OK_SLOT] = ok;
  const U = new Float64Array(ir.fields.length);
  d[FAST_UNIFORM_SLOT] = U;
  d[FAST_GLOBALS_SLOT] = Float64Array.from(G);
  d[FAST_CELSIUS_SLOT] = Float64Array.of(c.celsius);
  d[CONC_FACTOR_SLOT] = new Float64Array(plan.conc.length);
  if (!c.rateTables) return;
  for (const f of plan.uniformFields) {
    const a = s.fields[ir.fields[f].name];
    for (let k = 1; k < a.length; k++) if (a[k] !== a[0]) return; // exact kernel
    U[f] = a.length > 0 ? a[0] : 0;
  }
  const Gs = d[FAST_GLOBALS_SLOT], celsius = c.celsius, gate = plan.gate;
  const scratch = new Float64Array(2 * plan.gateCount);
  plan.voltage.forEach((grp, g) => {
    d[rateSlot(g)] = buildRateTable(2 * grp.gates.length, (v, dt, out) => {
      gate(v, NaN, dt, celsius, Gs, U, scratch);
      grp.gates.forEach((gi, j) => {
        out[2 * j] = scratch[2 * gi];
        out[2 * j + 1] = scratch[2 * gi + 1];
      });
    }, c.dt).c;
  });
  plan.conc.forEach((cg, g) => {
    d[concSlot(g)] = buildConcentrationTable(1, (x, out) => {
      gate(NaN, x, NaN, celsius, Gs, U, scratch);
      out[0] = scratch[2 * cg.gate];
    });
    gate(NaN, 1, c.dt, celsius, Gs, U, scratch);
    d[CONC_FACTOR_SLOT][g] = scratch[2 * cg.gate + 1];
  });
  ok[0] = 1;
}

/**
 * The fast `advance` of a compiled channel: its gates from the rate tables, the exact kernel
 * where the tables could not be built. The rate functions of the table fallback (outside
 * [−150, 100) mV, or outside the concentration range) read the instance set's snapshot through
 * `current`, set before each call.
 */
function fastAdvance(plan: FastPlan, exact: (s: MechanismInstances, n: NodeArrays) => void) {
  const current: { G: Float64Array; U: Float64Array; celsius: number } = {
    G: new Float64Array(0),
    U: new Float64Array(0),
    celsius: 0,
  };
  const scratch = new Float64Array(2 * plan.gateCount);
  const vFns = plan.voltage.map((grp) => (v: number, dt: number, out: Float64Array) => {
    plan.gate(v, NaN, dt, current.celsius, current.G, current.U, scratch);
    for (let j = 0; j < grp.gates.length; j++) {
      out[2 * j] = scratch[2 * grp.gates[j]];
      out[2 * j + 1] = scratch[2 * grp.gates[j] + 1];
    }
  });
  const cFns = plan.conc.map((cg) => (x: number, out: Float64Array) => {
    plan.gate(NaN, x, NaN, current.celsius, current.G, current.U, scratch);
    out[0] = scratch[2 * cg.gate];
  });
  const vSlots = plan.voltage.map((_, g) => rateSlot(g));
  const cSlots = plan.conc.map((_, g) => concSlot(g));
  return function advanceFast(s: MechanismInstances, n: NodeArrays): void {
    const d = s.derived;
    if (d[FAST_OK_SLOT][0] !== 1) {
      exact(s, n);
      return;
    }
    current.G = d[FAST_GLOBALS_SLOT];
    current.U = d[FAST_UNIFORM_SLOT];
    current.celsius = d[FAST_CELSIUS_SLOT][0];
    const f = s.fields;
    for (let g = 0; g < vSlots.length; g++) {
      const states = plan.voltage[g].states;
      if (states.length === 2) {
        advanceTwoGatesTabulated(d[vSlots[g]], vFns[g], s.node, n, f[states[0]], f[states[1]]);
      } else advanceOneGateTabulated(d[vSlots[g]], vFns[g], s.node, n, f[states[0]]);
    }
    const factors = d[CONC_FACTOR_SLOT];
    const conc = n[plan.concArray];
    for (let g = 0; g < cSlots.length; g++) {
      advanceConcentrationGateTabulated(
        d[cSlots[g]],
        cFns[g],
        s.node,
        conc,
        factors[g],
        f[plan.conc[g].state],
      );
    }
  };
}

/** The description and `prepare` shared by both kinds. */
function base(
  c: CompiledMechanism,
  fast: FastPlan | string,
): Omit<MechanismBase, "init" | "current" | "advance" | "fast"> {
  const ir = c.ir;
  const k = c.kernels;
  const layout = tableLayout(ir);
  const point = ir.kind === "point";
  return {
    name: c.name,
    ions: ionsOf(ir),
    parameters: parametersOf(ir),
    globals: globalsOf(ir),
    states: ir.fields.filter((f) => f.role === "state").map((f) => f.name),
    assigned: assignedOf(ir),
    derived: derivedOf(ir, fast),
    ...(ir.random !== undefined ? { randomStreams: true } : {}),
    ir,
    prepare(s: MechanismInstances, ctx: PrepareContext): void {
      const d = s.derived;
      const G = globalValues(ir, s, ctx);
      d[GLOBALS_SLOT] = G;
      if (ir.tables.length > 0) {
        d[TABLES_SLOT] = new Float64Array(layout.size);
        d[TABLE_META_SLOT] = new Float64Array(layout.metaSize);
      }
      if (point) {
        d[EVENTS_SLOT] = createSelfEvents();
        d[WEIGHTS_SLOT] = NO_WEIGHTS;
      }
      if (Object.hasOwn(d, QUIET_SLOT)) d[QUIET_PENDING_SLOT] = new Float64Array(1);
      k.prepare(s, prepareNodes(ctx));
      if (typeof fast !== "string") prepareFast(ir, fast, s, ctx, G);
    },
  };
}

/** The weight vector of self events sent from INITIAL (NEURON gives them none). */
const NO_WEIGHTS = new Float64Array(0);

function nodes(n: NodeArrays): GeneratedNodes {
  return n as unknown as GeneratedNodes;
}

function densityEntry(c: CompiledMechanism): DensityMechanism {
  const k = c.kernels;
  const plan = fastPlan(c.ir);
  const advance = (s: MechanismInstances, n: NodeArrays) => k.advance(s, nodes(n));
  const current = k.current;
  return {
    kind: "density",
    ...base(c, plan),
    init: (s, n) => k.init(s, nodes(n)),
    current: current === undefined ? currentNothing : (s, n) => current(s, nodes(n)),
    advance,
    fast: typeof plan === "string" ? undefined : { advance: fastAdvance(plan, advance) },
  };
}

/**
 * The lumping test of a compiled point process (solver/nmodl/_lumping.ts), remembered per set of
 * parameter values (the engine asks once per synaptic input).
 */
function lumpableFn(
  ir: MechanismIR,
): ((params: Readonly<Record<string, number>>) => boolean) | undefined {
  if (ir.kind !== "point" || ir.netReceive === undefined || ir.random !== undefined) {
    return undefined;
  }
  const known = new Map<string, boolean>();
  return (params) => {
    const key = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join(",");
    let r = known.get(key);
    if (r === undefined) {
      r = lumpableWith(ir, params);
      known.set(key, r);
    }
    return r;
  };
}

function currentNothing(_s: MechanismInstances, _n: NodeArrays): void {
  // The mechanism has no BREAKPOINT current.
}

function pointEntry(c: CompiledMechanism): PointMechanism {
  const k: GeneratedMechanism = c.kernels;
  const ev = new Float64Array(4);
  const quiet = quietEligible(c.ir);
  const ir = c.ir;
  const generated = k.netReceive;
  // An event makes an instance active for the rest of the sweep (no longer skipped).
  const receive: typeof generated = generated === undefined || !quiet
    ? generated
    : (s, n, i, W, o, flag) => {
      s.derived[QUIET_SLOT][i] = 0;
      generated(s, n, i, W, o, flag);
    };
  /** Decides for instances not yet known whether they are quiet (their first current). */
  function classify(s: MechanismInstances, n: NodeArrays): void {
    classifyQuiet(ir, s, s.derived[QUIET_SLOT], n.dt, n.celsius);
    s.derived[QUIET_PENDING_SLOT][0] = 0;
  }
  /** Delivers the self events due at n.t (the midpoint of the step), in time order. */
  function deliverSelf(s: MechanismInstances, n: NodeArrays): void {
    const d = s.derived;
    if (selfEventCount(d[EVENTS_SLOT]) === 0 || nextSelfEventTime(d[EVENTS_SLOT]) > n.t) return;
    const tsave = n.t;
    // The queue may grow (and be replaced) while events are delivered: re-read the slot.
    while (nextSelfEventTime(d[EVENTS_SLOT]) <= tsave) {
      popSelfEvent(d[EVENTS_SLOT], ev);
      n.t = ev[0];
      const o = ev[3];
      receive!(s, nodes(n), ev[1], o >= 0 ? d[WEIGHTS_SLOT] : NO_WEIGHTS, o, ev[2]);
    }
    n.t = tsave;
  }
  const current = k.current;
  const netReceiveInit = k.netReceiveInit;
  return {
    kind: "point",
    ...base(c, "point processes have no fast mode"),
    init(s, n) {
      clearSelfEvents(s.derived[EVENTS_SLOT]);
      s.derived[WEIGHTS_SLOT] = NO_WEIGHTS;
      if (quiet) {
        s.derived[QUIET_SLOT].fill(-1);
        s.derived[QUIET_PENDING_SLOT][0] = 1;
      }
      k.init(s, nodes(n));
    },
    current: receive === undefined
      ? (current === undefined ? currentNothing : (s, n) => current(s, nodes(n)))
      : (s, n) => {
        deliverSelf(s, n);
        if (quiet && s.derived[QUIET_PENDING_SLOT][0] === 1) classify(s, n);
        if (current !== undefined) current(s, nodes(n));
      },
    advance: (s, n) => k.advance(s, nodes(n)),
    fast: undefined,
    netReceive: receive === undefined ? undefined : (s, i, weights, offset, n) => {
      s.derived[WEIGHTS_SLOT] = weights;
      receive(s, nodes(n), i, weights, offset, 0);
    },
    lumpable: lumpableFn(c.ir),
    weightCount: c.ir.netReceive?.args.length ?? 0,
    ...(netReceiveInit !== undefined
      ? {
        netConInit: (s: MechanismInstances, i: number, w: Float64Array, o: number, n: NodeArrays) =>
          netReceiveInit(s, nodes(n), i, w, o, 0),
      }
      : {}),
  };
}

/**
 * Wraps a compiled mechanism as a catalogue entry of the mechanism contract: a density
 * mechanism for a SUFFIX, a point process for a POINT_PROCESS.
 *
 * @param c the compiled mechanism
 * @returns the catalogue entry
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileNmodl, toMechanism } from "./mod.ts";
 * const r = compileNmodl(`NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g }
 *   PARAMETER { g = 0.001 (S/cm2) } ASSIGNED { v (mV) i (mA/cm2) }
 *   BREAKPOINT { i = g*(v + 70) }`, { file: "leak.mod" });
 * if (!r.ok) throw r.error;
 * const m = toMechanism(r.mechanism);
 * assert.equal(m.kind, "density");
 * assert.equal(m.parameters.g.default, 0.001);
 * ```
 */
export function toMechanism(c: CompiledMechanism): Mechanism {
  return c.kind === "point" ? pointEntry(c) : densityEntry(c);
}

/**
 * Wraps a compiled density mechanism (SUFFIX) as a catalogue entry.
 *
 * @param c the compiled mechanism
 * @returns the entry
 * @throws RangeError for a point process
 */
export function toDensityMechanism(c: CompiledMechanism): DensityMechanism {
  if (c.kind !== "density") throw new RangeError(`${c.name} is a point process`);
  return densityEntry(c);
}

/**
 * Wraps a compiled point process (POINT_PROCESS) as a catalogue entry.
 *
 * @param c the compiled mechanism
 * @returns the entry
 * @throws RangeError for a density mechanism
 */
export function toPointMechanism(c: CompiledMechanism): PointMechanism {
  if (c.kind !== "point") throw new RangeError(`${c.name} is a density mechanism`);
  return pointEntry(c);
}

/** Where the fast mode of a compiled channel keeps its tables (for another backend). */
export interface FastModeLayout {
  /** Derived slot holding [1] when the tables of an instance set were built. */
  readonly okSlot: string;
  /** Derived slot of the globals the tables were built with (the gate function's G). */
  readonly globalsSlot: string;
  /** Derived slot of the uniform RANGE parameters by field index (the gate function's U). */
  readonly uniformSlot: string;
  /** Derived slot of the concentration gates' step factors 1 − exp(−dt/τ). */
  readonly factorSlot: string;
  /** Voltage-gate groups (one or two gates), each one rate table (q = 2 per gate). */
  readonly voltage: readonly {
    readonly slot: string;
    readonly gates: readonly number[];
    readonly fields: readonly number[];
  }[];
  /** Concentration gates, each one table of x∞ (q = 1) and a factor. */
  readonly conc: readonly {
    readonly slot: string;
    readonly gate: number;
    readonly field: number;
  }[];
  /** Node variable index of the concentration, or −1. */
  readonly concentrationNode: number;
  /** The gate function's body: writes x∞ and the step factor of gate i into rhs 2i, 2i + 1. */
  readonly gateBody: readonly Stmt[];
  /** Locals of the gate body. */
  readonly locals: number;
  /** Number of gates. */
  readonly gateCount: number;
}

/**
 * The fast-mode layout of a compiled density mechanism: the slots its `prepare` fills and the
 * gate groups its fast `advance` walks (the pairing the JavaScript kernels use), or undefined
 * when it has no fast mode.
 *
 * @param ir the mechanism's IR
 * @returns the layout, or undefined
 */
export function fastModeLayout(ir: MechanismIR): FastModeLayout | undefined {
  if (ir.kind === "point") return undefined;
  const plan = planGateTables(ir);
  if (!plan.ok) return undefined;
  const vGates = plan.gates.map((g, i) => ({ ...g, i })).filter((g) => g.over === "v");
  const voltage: { slot: string; gates: number[]; fields: number[] }[] = [];
  for (let p = 0; p < vGates.length; p += 2) {
    const pair = vGates.slice(p, p + 2);
    voltage.push({
      slot: rateSlot(voltage.length),
      gates: pair.map((g) => g.i),
      fields: pair.map((g) => g.field),
    });
  }
  const conc = plan.gates.map((g, i) => ({ ...g, i })).filter((g) => g.over === "concentration")
    .map((g, j) => ({ slot: concSlot(j), gate: g.i, field: g.field }));
  return {
    okSlot: FAST_OK_SLOT,
    globalsSlot: FAST_GLOBALS_SLOT,
    uniformSlot: FAST_UNIFORM_SLOT,
    factorSlot: CONC_FACTOR_SLOT,
    voltage,
    conc,
    concentrationNode: plan.concentrationNode,
    gateBody: plan.gateBody,
    locals: plan.locals,
    gateCount: plan.gates.length,
  };
}

/**
 * Why a compiled channel has no fast mode (for diagnostics), or undefined when its gates are
 * tabulated.
 *
 * @param c the compiled mechanism
 * @returns the reason, or undefined
 */
export function exactOnlyReason(c: CompiledMechanism): string | undefined {
  if (c.kind === "point") return "point processes have no fast mode";
  const p = planGateTables(c.ir);
  return p.ok ? undefined : p.reason;
}
