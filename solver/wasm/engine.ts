/**
 * The engine: one sweep, or two lock-step sweeps, of a prepared model, stepped by kernels that
 * are generated from the mechanisms' IR into one module per sweep group (WebAssembly with
 * 128-bit SIMD, scalar WebAssembly, or the same instructions as JavaScript where WebAssembly is
 * unavailable), over one memory that holds every array the step loop touches.
 *
 * Division of work with the solver (solver/run_sweep.ts): the solver places each sweep's
 * synapses and performs NEURON's `finitialize` with the mechanisms' JavaScript kernels (the
 * staging model); the engine copies that state into its memory, lane by lane, and runs the steps:
 * event delivery (per lane, in each sweep's own order), currents at t + dt/2, the Hines solve,
 * the state updates at t + dt (rate tables in fast mode), the calcium Nernst potential, and the
 * recording, with a non-finite soma potential or recorded value stopping the run with a
 * {@link SimulationError}. Nothing is allocated per step.
 *
 * Lock-step sweeps share the cell and differ in their synapses: the engine lays out the union of
 * the lanes' synapse instances in a canonical order (mechanism, node, parameters, rank), each
 * with per-lane states and a per-lane presence flag; an absent instance's lane never writes a
 * node. A sweep therefore sums the same terms in the same order alone or in a group, and gets the
 * same bits (tests/wasm_engine_test.ts).
 *
 * Mechanisms the engine cannot lower (derivimplicit or sparse solves, `net_send`, random
 * numbers, hand-written entries without IR) run their own JavaScript kernels on views of the
 * memory, at their place in the step, one sweep at a time.
 *
 * @module
 */
import { InternalError, SimulationError } from "../../io/mod.ts";
import type {
  Mechanism,
  MechanismInstances,
  NodeArrays,
  PointMechanism,
} from "../mechanisms/_types.ts";
import { buildRateTable } from "../mechanisms/_rate_table.ts";
import {
  evalBinary,
  type Expr,
  exprOperands,
  type FastModeLayout,
  fastModeLayout,
  GLOBALS_SLOT,
  MATH_FUNCTIONS,
  type MechanismIR,
  QUIET_FLAGS_SLOT as QUIET_SLOT,
  type Stmt,
  TABLE_META_SLOT,
  TABLES_SLOT,
} from "../nmodl/mod.ts";
import {
  allocateEngineMemory,
  type EngineMemory,
  f64View,
  i32View,
  importEngineMemory,
  type RegionRequest,
} from "./engine_memory.ts";
import {
  concentrationGrid,
  emitFastAdvance,
  emitNernst,
  emitPositions,
  emitZero,
  type FastRegions,
  kernelLayout,
  lnTable,
  type NernstRegions,
  nodePositionHook,
  pairedRateTable,
  type PositionRegions,
} from "./engine_kernels.ts";
import { JsModuleBuilder } from "./js_module.ts";
import {
  addressLocals,
  emitInstanceLoop,
  fieldsTouched,
  fieldsWritten,
  IrEmitter,
  type Layout,
  type LoweringContext,
  MATH_ARITY,
  MATH_IMPORTS,
  type MechanismRegions,
  PER_LANE_NODE_ARRAYS,
  unsupportedReason,
  vectorizable,
} from "./kernel_lowering.ts";
import { ModuleBuilder } from "./wasm_builder.ts";
import type { FunctionEmitter, ModuleEmitter } from "./wasm_builder.ts";
import { emitHinesSolve, fillHinesRegions, type HinesMatrix, hinesRegions } from "./wasm_hines.ts";
import type { EngineTier } from "./wasm_support.ts";

/** A mechanism with its (staging) instances. */
export interface EngineGroup {
  /** The mechanism. */
  readonly mechanism: Mechanism;
  /** Its instances in the staging model (JavaScript arrays). */
  readonly instances: MechanismInstances;
}

/** The cell side of a model: what every sweep shares. */
export interface EngineModel {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** The matrix of the voltage solve. */
  readonly matrix: HinesMatrix;
  /** Node areas [µm²]. */
  readonly area: Float64Array;
  /** Sodium reversal per node [mV]. */
  readonly ena: Float64Array;
  /** Potassium reversal per node [mV]. */
  readonly ek: Float64Array;
  /** Extracellular calcium per node [mM] (constant). */
  readonly cao: Float64Array;
  /** Nodes where cai is dynamic (eca follows Nernst there). */
  readonly caNodes: Int32Array;
  /** ln cao at each of them. */
  readonly lnCao: Float64Array;
  /** k_T/2 of the calcium Nernst equation [mV]. */
  readonly nernstCa: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** FARADAY inside mechanisms [C/mol]. */
  readonly faraday: number;
  /** Fast mode (rate tables, fast Hines variant) or exact. */
  readonly rateTables: boolean;
  /** Node of the soma's first segment. */
  readonly somaNode: number;
  /** Density mechanisms in update order, with the staging instances. */
  readonly density: readonly EngineGroup[];
  /** The cell's point processes (IClamp, epsp), in order. */
  readonly cellPoints: readonly EngineGroup[];
}

/** Events of one sweep, sorted by time (solver/event_queue.ts's queue). */
export interface EngineEvents {
  /** Delivery times [ms], ascending. */
  readonly time: Float64Array;
  /** Point group of the lane (cell points, then the sweep's synapse groups). */
  readonly target: Int32Array;
  /** Instance of that group. */
  readonly instance: Int32Array;
  /** First weight of the event's NetCon in the lane's weights. */
  readonly weightOffset: Int32Array;
  /** Number of events. */
  readonly length: number;
  /** The first event not yet delivered (those at t ≤ 0 were, at initialization). */
  readonly next: number;
}

/** One sweep after `finitialize`, as the staging model left it. */
export interface EngineLane {
  /** Sweep number (messages). */
  readonly sweep?: number;
  /** Per-lane node arrays after initialization: v, i, g, cai, eca, ica. */
  readonly nodes: Readonly<Record<"v" | "i" | "g" | "cai" | "eca" | "ica", Float64Array>>;
  /** The sweep's point groups: the cell's (as in the model), then its synapse groups. */
  readonly points: readonly EngineGroup[];
  /** Its events. */
  readonly events: EngineEvents;
  /** Its NetCon weights. */
  readonly weights: Float64Array;
}

/** A recorded quantity. */
export type EngineProbe =
  | { readonly kind: "node"; readonly array: string; readonly node: number }
  | {
    readonly kind: "field";
    readonly group: "density" | "cellPoint";
    readonly index: number;
    readonly field: string;
    readonly instance: number;
  }
  | {
    readonly kind: "synapse";
    readonly field: string;
    /** Per lane: the lane's point group and instance of the recorded synapse. */
    readonly perLane: readonly { readonly group: number; readonly instance: number }[];
  };

/** Options of {@link runEngine}. */
export interface RunEngineOptions {
  /** The tier to build for (default simd where available). */
  readonly tier: EngineTier;
  /** Number of steps. */
  readonly steps: number;
  /** Recorded quantities besides the soma voltage. */
  readonly probes?: readonly EngineProbe[];
  /** Names of the probes for messages (index −1: the soma). */
  readonly probeName?: (j: number) => string;
  /** Called every 1000 steps and at the end. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Diagnostics: run the parts of each step one by one and add their time [ms] to `ms` by name,
   * measured with the given clock (the engine itself reads no clock).
   */
  readonly profile?: { readonly now: () => number; readonly ms: Record<string, number> };
}

/** One lane's traces. */
export interface EngineResult {
  /** Time of each sample [ms]. */
  readonly t: Float64Array;
  /** Soma voltage [mV]. */
  readonly soma: Float64Array;
  /** One trace per probe. */
  readonly traces: Float64Array[];
}

/** How the engine runs one mechanism. */
interface MechPlan {
  readonly index: number;
  readonly kind: "density" | "point";
  readonly mechanism: Mechanism;
  readonly ir: MechanismIR | undefined;
  /** Why its JavaScript kernels run (undefined: lowered). */
  readonly opaque: string | undefined;
  readonly regions: MechanismRegions;
  /** Real instances (before padding). */
  readonly real: number;
  /** Staging instances of the model (density, cell points) or of lane 0 (synapses). */
  readonly staging: MechanismInstances;
  /** Field regions by name (NMODL variables and internal values). */
  readonly fieldRegion: ReadonlyMap<string, { region: string; perLane: boolean }>;
  readonly fast: FastModeLayout | undefined;
  readonly fastRegions: FastRegions | undefined;
  readonly layouts: { readonly current: Layout; readonly advance: Layout };
  /** Fast mode: tabulated calls of the current kernel (region, v local), with their tables. */
  readonly vTables: ReadonlyMap<Expr, { region: string; vLocal: number; table: Float64Array }>;
  /** Synapse groups: per lane, the lane's point group and slot of each of its instances. */
  readonly slots?: readonly (readonly number[] | undefined)[];
  /** Synapse groups: each lane's point group of the mechanism (undefined: none). */
  readonly laneGroup?: readonly (number | undefined)[];
  /** Synapse groups: a lane and instance that holds each slot (shared values come from it). */
  readonly origin?: readonly { readonly lane: number; readonly k: number }[];
  /** Opaque mechanisms: their instances on views of the memory. */
  opaqueInstances?: MechanismInstances;
}

/**
 * The engine's math imports: the functions the IR's JavaScript backend calls, V8's own where
 * they exist (a call needs no wrapper and boxes nothing). `exp` is V8's own, clamped to NEURON's
 * hoc_Exp around the call (kernel_lowering.ts).
 */
const MATH: Readonly<Record<string, (...a: number[]) => number>> = {
  ...MATH_FUNCTIONS,
  exp: Math.exp,
};

/** Parameter values of a staging instance as a canonical key. */
function paramKey(m: Mechanism, s: MechanismInstances, k: number): string {
  return Object.keys(m.parameters).map((p) => String(s.fields[p][k])).join(",");
}

/**
 * The union of the lanes' synapse instances of one mechanism, in canonical order: by node, then
 * parameters, then rank among equal ones in the lane. Returns the slot of every lane instance.
 */
function unionSlots(
  m: PointMechanism,
  perLane: readonly (MechanismInstances | undefined)[],
): { count: number; slots: (number[] | undefined)[]; origin: { lane: number; k: number }[] } {
  const keys = new Map<string, { node: number; params: string; count: number }>();
  const laneKeys = perLane.map((s) => {
    if (s === undefined) return undefined;
    const seen = new Map<string, number>();
    const out: { key: string; rank: number }[] = [];
    for (let k = 0; k < s.node.length; k++) {
      const params = paramKey(m, s, k);
      const key = `${s.node[k]}|${params}`;
      const rank = seen.get(key) ?? 0;
      seen.set(key, rank + 1);
      out.push({ key, rank });
      const u = keys.get(key);
      if (u === undefined) keys.set(key, { node: s.node[k], params, count: rank + 1 });
      else u.count = Math.max(u.count, rank + 1);
    }
    return out;
  });
  const order = [...keys.entries()].sort((a, b) =>
    a[1].node - b[1].node || (a[1].params < b[1].params ? -1 : a[1].params > b[1].params ? 1 : 0)
  );
  const base = new Map<string, number>();
  let count = 0;
  for (const [key, u] of order) {
    base.set(key, count);
    count += u.count;
  }
  const origin: { lane: number; k: number }[] = new Array(count);
  const slots = laneKeys.map((lk, lane) => {
    if (lk === undefined) return undefined;
    return lk.map(({ key, rank }, k) => {
      const slot = base.get(key)! + rank;
      origin[slot] ??= { lane, k };
      return slot;
    });
  });
  return { count, slots, origin };
}

/**
 * Evaluates an IR expression with the JavaScript backend's operations: the v local's value, the
 * instances' (uniform) field values, the globals, dt and celsius.
 */
function evalExpr(
  e: Expr,
  env: {
    readonly vLocal: number;
    readonly v: number;
    readonly field: (i: number) => number;
    readonly global: (i: number) => number;
    readonly dt: number;
    readonly celsius: number;
  },
): number {
  const ev = (x: Expr): number => evalExpr(x, env);
  switch (e.op) {
    case "const":
      return e.value;
    case "read": {
      const s = e.slot;
      if (s.space === "local" && s.index === env.vLocal) return env.v;
      if (s.space === "field") return env.field(s.index);
      if (s.space === "global") return env.global(s.index);
      if (s.space === "builtin" && s.name === "dt") return env.dt;
      if (s.space === "builtin" && s.name === "celsius") return env.celsius;
      throw new InternalError(`a tabulated call reads a ${s.space} slot`);
    }
    case "neg":
      return -ev(e.arg);
    case "not":
      return ev(e.arg) === 0 ? 1 : 0;
    case "call": {
      const f = MATH_FUNCTIONS[e.fn];
      if (f === undefined) throw new InternalError(`a tabulated call calls ${e.fn}`);
      return f(...e.args.map(ev));
    }
    default:
      return evalBinary(e.op, ev(e.a), ev(e.b));
  }
}

/**
 * The calls (and powers) of a current kernel that depend only on its v local and on values
 * every instance shares (parameters no kernel writes, globals no kernel writes, dt, celsius):
 * in fast mode each is read from a cubic table over v (the Mg block of glutamate_syn: one
 * `exp` per instance and evaluation otherwise). Outermost ones only.
 */
function tabulableCalls(ir: MechanismIR, written: ReadonlySet<number>): Expr[] {
  const c = ir.current;
  if (c === undefined || c.v.space !== "local") return [];
  const vLocal = c.v.index;
  const out: Expr[] = [];
  // Whether e reads only allowed slots; `usesV` notes whether it reads v.
  const pure = (e: Expr, usesV: { v: boolean }): boolean => {
    switch (e.op) {
      case "const":
        return true;
      case "read": {
        const s = e.slot;
        if (s.space === "local") {
          if (s.index !== vLocal) return false;
          usesV.v = true;
          return true;
        }
        if (s.space === "field") {
          return ir.fields[s.index].role === "parameter" && !written.has(s.index);
        }
        if (s.space === "global") return ir.globals[s.index].role !== "assigned";
        return s.space === "builtin" && (s.name === "dt" || s.name === "celsius");
      }
      case "neg":
      case "not":
        return pure(e.arg, usesV);
      case "call":
        return e.args.every((a) => pure(a, usesV));
      default:
        return pure(e.a, usesV) && pure(e.b, usesV);
    }
  };
  const visit = (e: Expr): void => {
    if (e.op === "call" || e.op === "pow") {
      const usesV = { v: false };
      if (pure(e, usesV) && usesV.v) {
        out.push(e);
        return;
      }
    }
    exprOperands(e).forEach(visit);
  };
  const stmts = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.op === "assign") visit(s.value);
      else if (s.op === "if") {
        visit(s.cond);
        stmts(s.then);
        stmts(s.otherwise);
      } else if (s.op === "storeNode" || s.op === "addNode") visit(s.value);
    }
  };
  stmts(c.body);
  // A v local written in the body is still tabulable (the table is over its current value).
  return out;
}

/** Fields (by IR index) an expression reads. */
function fieldsOf(e: Expr, out: Set<number> = new Set()): Set<number> {
  switch (e.op) {
    case "const":
      return out;
    case "read":
      if (e.slot.space === "field") out.add(e.slot.index);
      return out;
    case "neg":
    case "not":
      return fieldsOf(e.arg, out);
    case "call":
      e.args.forEach((a) => fieldsOf(a, out));
      return out;
    default:
      fieldsOf(e.a, out);
      return fieldsOf(e.b, out);
  }
}

/** The built engine of one sweep group. */
class Engine {
  readonly mem: EngineMemory;
  readonly plans: MechPlan[];
  /** One step; reads its times from the memory's `time` region. */
  readonly step: () => void;
  /** NET_RECEIVE of each point mechanism: (instance, lane, weights address); the event's time in time[2]. */
  readonly netReceive: ((k: number, lane: number, w: number) => void)[];
  readonly lanes: readonly EngineLane[];
  readonly model: EngineModel;
  readonly weightBase: number[];
  readonly opaqueNodes: NodeArrays | undefined;
  /** The parts of a step, each callable on its own (profiles). */
  readonly parts: readonly { readonly name: string; readonly fn: (a: number, b: number) => void }[];

  constructor(
    model: EngineModel,
    lanes: readonly EngineLane[],
    tier: EngineTier,
  ) {
    this.model = model;
    this.lanes = lanes;
    const L = lanes.length;
    const simd = tier === "simd";
    const n = model.nodeCount;
    const nodeLen = n + 1; // one scratch node for padding instances
    // ---------------------------------------------------------------- plans
    const plans: MechPlan[] = [];
    const requests: RegionRequest[] = [];
    for (const name of PER_LANE_NODE_ARRAYS) {
      requests.push({ name, kind: "f64", length: nodeLen, perLane: true });
    }
    for (const name of ["area", "ena", "ek", "cao"]) {
      requests.push({ name, kind: "f64", length: nodeLen, perLane: false });
    }
    const variant = model.rateTables ? "fast" : "exact";
    requests.push(...hinesRegions(n, variant));
    const pos: PositionRegions = {
      interval: "pos.interval",
      frac: "pos.frac",
      concStart: "conc.start",
      concInvWidth: "conc.invWidth",
    };
    const nernst: NernstRegions = { caNodes: "ca.nodes", lnCao: "ca.lnCao", lnTable: "ca.ln" };
    const grid = concentrationGrid();
    const ln = model.rateTables ? lnTable() : new Float64Array(0);
    requests.push(
      { name: pos.interval, kind: "i32", length: nodeLen, perLane: true },
      { name: pos.frac, kind: "f64", length: nodeLen, perLane: true },
      { name: pos.concStart, kind: "f64", length: grid.start.length, perLane: false },
      { name: pos.concInvWidth, kind: "f64", length: grid.start.length, perLane: false },
      { name: nernst.caNodes, kind: "i32", length: model.caNodes.length, perLane: false },
      { name: nernst.lnCao, kind: "f64", length: model.caNodes.length, perLane: false },
      { name: nernst.lnTable, kind: "f64", length: ln.length, perLane: false },
    );
    // The step's times [ms]: t + dt/2 (currents) and t + dt (states), written by the step loop
    // (a call from JavaScript with double arguments may box them).
    // t + dt/2, t + dt of the step, and the time of the event being delivered.
    requests.push({ name: "time", kind: "f64", length: 3, perLane: false });
    const weightRegions = lanes.map((lane, s) => {
      const name = `weights.${s}`;
      requests.push({
        name,
        kind: "f64",
        length: Math.max(1, lane.weights.length),
        perLane: false,
      });
      return name;
    });

    const addPlan = (
      kind: "density" | "point",
      mechanism: Mechanism,
      staging: MechanismInstances,
      real: number,
      union?: ReturnType<typeof unionSlots>,
      laneGroup?: (number | undefined)[],
      instanceSets?: readonly MechanismInstances[],
    ) => {
      const index = plans.length;
      const ir = mechanism.ir;
      let opaque = ir === undefined ? "no compiled description" : unsupportedReason(ir);
      if (opaque === undefined && mechanism.randomStreams === true) opaque = "random numbers";
      if (opaque !== undefined && L > 1) {
        throw new InternalError(`lock-step sweeps with ${mechanism.name} (${opaque})`);
      }
      const prefix = `m${index}`;
      const fast = ir !== undefined && opaque === undefined && model.rateTables &&
          staging.derived["nmodl.fastOk"]?.[0] === 1
        ? fastModeLayout(ir)
        : undefined;
      const advLayout: Layout = ir === undefined || opaque !== undefined
        ? "scalar"
        : fast !== undefined
        ? "scalar"
        : kernelLayout(L, simd, vectorizable(ir.advance.body));
      const curLayout: Layout = ir === undefined || opaque !== undefined ||
          ir.current === undefined
        ? "scalar"
        : kernelLayout(L, simd, vectorizable([...ir.current.prologue, ...ir.current.body]));
      const pad = (advLayout === "inst2" || curLayout === "inst2") && real % 2 === 1 ? 1 : 0;
      const count = real + pad;
      requests.push({ name: `${prefix}.node`, kind: "i32", length: count, perLane: false });
      const fieldRegion = new Map<string, { region: string; perLane: boolean }>();
      const fields: ({ region: string; perLane: boolean } | undefined)[] = [];
      if (ir !== undefined) {
        const written = new Set<number>();
        fieldsWritten(ir.advance.body, written);
        if (ir.current !== undefined) {
          fieldsWritten([...ir.current.prologue, ...ir.current.body], written);
        }
        if (ir.netReceive !== undefined) fieldsWritten(ir.netReceive.body, written);
        ir.fields.forEach((f, i) => {
          const present = Object.hasOwn(staging.fields, f.name) ||
            (f.role === "internal" && Object.hasOwn(staging.derived, f.name));
          if (!present) {
            fields.push(undefined);
            return;
          }
          const perLane = f.role === "state" || f.role === "assigned" || written.has(i);
          const place = { region: `${prefix}.f${i}`, perLane };
          requests.push({ name: place.region, kind: "f64", length: count, perLane });
          fields.push(place);
          fieldRegion.set(f.name, place);
        });
      } else {
        for (const name of Object.keys(staging.fields)) {
          const place = { region: `${prefix}.${name}`, perLane: true };
          requests.push({ name: place.region, kind: "f64", length: count, perLane: true });
          fieldRegion.set(name, place);
        }
      }
      const gLen = ir?.globals.length ?? 0;
      requests.push({
        name: `${prefix}.G`,
        kind: "f64",
        length: Math.max(1, gLen),
        perLane: false,
      });
      let tables: MechanismRegions["tables"];
      if (ir !== undefined && ir.tables.length > 0) {
        tables = { values: `${prefix}.T`, meta: `${prefix}.TM` };
        requests.push(
          {
            name: tables.values,
            kind: "f64",
            length: staging.derived[TABLES_SLOT]?.length ?? 0,
            perLane: false,
          },
          {
            name: tables.meta,
            kind: "f64",
            length: staging.derived[TABLE_META_SLOT]?.length ?? 0,
            perLane: false,
          },
        );
      }
      let present: string | undefined;
      if (kind === "point" && L > 1 && union !== undefined) {
        present = `${prefix}.present`;
        requests.push({ name: present, kind: "f64", length: count, perLane: true });
      }
      let quiet: string | undefined;
      if (
        kind === "point" && ir !== undefined && opaque === undefined &&
        (instanceSets ?? [staging]).every((x) => x.derived[QUIET_SLOT] !== undefined)
      ) {
        quiet = `${prefix}.quiet`;
        requests.push({ name: quiet, kind: "f64", length: count, perLane: true });
      }
      const vTables = new Map<Expr, { region: string; vLocal: number; table: Float64Array }>();
      if (
        ir !== undefined && opaque === undefined && model.rateTables && ir.current !== undefined
      ) {
        const written = new Set<number>();
        fieldsWritten(ir.advance.body, written);
        fieldsWritten([...ir.current.prologue, ...ir.current.body], written);
        if (ir.netReceive !== undefined) fieldsWritten(ir.netReceive.body, written);
        const sets = instanceSets ?? [staging];
        const G = staging.derived[GLOBALS_SLOT];
        for (const call of tabulableCalls(ir, written)) {
          // Every field the call reads must be equal on every instance (of every lane).
          const fs = [...fieldsOf(call)];
          const ref = fs.map((f) =>
            sets.find((x) => x.node.length > 0)?.fields[ir.fields[f].name][0]
          );
          const uniform = fs.every((f, j) =>
            sets.every((x) => x.fields[ir.fields[f].name].every((y) => Object.is(y, ref[j])))
          );
          if (!uniform || G === undefined) continue;
          const vLocal = (ir.current.v as { index: number }).index;
          const env = {
            vLocal,
            v: 0,
            field: (i: number) => ref[fs.indexOf(i)]!,
            global: (i: number) => G[i],
            dt: model.dt,
            celsius: model.celsius,
          };
          const table = buildRateTable(1, (v, _dt, out) => {
            out[0] = evalExpr(call, { ...env, v });
          }, model.dt).c;
          const region = `${prefix}.vt${vTables.size}`;
          requests.push({ name: region, kind: "f64", length: table.length, perLane: false });
          vTables.set(call, { region, vLocal, table });
        }
      }
      let fastRegions: FastRegions | undefined;
      if (fast !== undefined) {
        fastRegions = {
          voltage: fast.voltage.map((_, g) => `${prefix}.rt${g}`),
          ...(simd ? { paired: true } : {}),
          conc: fast.conc.map((_, g) => `${prefix}.ct${g}`),
          factors: `${prefix}.CF`,
          uniform: `${prefix}.U`,
          globals: `${prefix}.FG`,
        };
        fast.voltage.forEach((v, g) =>
          requests.push({
            name: fastRegions!.voltage[g],
            kind: "f64",
            length: staging.derived[v.slot].length,
            perLane: false,
          })
        );
        fast.conc.forEach((c, g) =>
          requests.push({
            name: fastRegions!.conc[g],
            kind: "f64",
            length: staging.derived[c.slot].length,
            perLane: false,
          })
        );
        requests.push(
          {
            name: fastRegions.factors,
            kind: "f64",
            length: Math.max(1, fast.conc.length),
            perLane: false,
          },
          {
            name: fastRegions.uniform,
            kind: "f64",
            length: Math.max(1, ir!.fields.length),
            perLane: false,
          },
          { name: fastRegions.globals, kind: "f64", length: Math.max(1, gLen), perLane: false },
        );
      }
      plans.push({
        index,
        kind,
        mechanism,
        ir,
        opaque,
        regions: {
          count,
          node: `${prefix}.node`,
          fields,
          globals: `${prefix}.G`,
          ...(tables !== undefined ? { tables } : {}),
          ...(present !== undefined ? { present } : {}),
          ...(quiet !== undefined ? { quiet } : {}),
        },
        real,
        staging,
        fieldRegion,
        fast,
        fastRegions,
        layouts: { current: curLayout, advance: advLayout },
        vTables,
        ...(union !== undefined ? { slots: union.slots, origin: union.origin } : {}),
        ...(laneGroup !== undefined ? { laneGroup } : {}),
      });
    };
    for (const g of model.density) {
      addPlan("density", g.mechanism, g.instances, g.instances.node.length);
    }
    const cellCount = model.cellPoints.length;
    for (const g of model.cellPoints) {
      addPlan("point", g.mechanism, g.instances, g.instances.node.length);
    }
    // Synapse mechanisms: by name, the union of the lanes' instances.
    const synNames = new Set<string>();
    for (const lane of lanes) {
      for (let p = cellCount; p < lane.points.length; p++) {
        synNames.add(lane.points[p].mechanism.name);
      }
    }
    for (const name of [...synNames].sort()) {
      const laneGroup = lanes.map((lane) => {
        const p = lane.points.findIndex((g, j) => j >= cellCount && g.mechanism.name === name);
        return p < 0 ? undefined : p;
      });
      const first = laneGroup.findIndex((p) => p !== undefined);
      const mech = lanes[first].points[laneGroup[first]!].mechanism as PointMechanism;
      const perLane = laneGroup.map((
        p,
        s,
      ) => (p === undefined ? undefined : lanes[s].points[p].instances));
      const union = unionSlots(mech, perLane);
      addPlan(
        "point",
        mech,
        perLane[first]!,
        union.count,
        union,
        laneGroup,
        perLane.filter((x): x is MechanismInstances => x !== undefined),
      );
    }
    this.plans = plans;
    const mem = allocateEngineMemory(requests, { lanes: L, wasm: tier !== "js" });
    this.mem = mem;
    this.weightBase = weightRegions.map((r) => mem.regions.get(r)!.offset);

    // ---------------------------------------------------------------- module
    const mb: ModuleEmitter = tier === "js" ? new JsModuleBuilder() : new ModuleBuilder();
    const math: Record<string, number> = {};
    for (const name of MATH_IMPORTS) {
      const arity = MATH_ARITY[name] ?? 1;
      math[name] = mb.importFunction("math", name, {
        params: Array(arity).fill("f64"),
        results: ["f64"],
      });
    }
    const opaqueImports: Record<string, (...a: number[]) => void> = {};
    const opaqueIndex = new Map<string, number>();
    const opaqueNodes = plans.some((p) => p.opaque !== undefined) ? this.#views() : undefined;
    this.opaqueNodes = opaqueNodes;
    for (const p of plans) {
      if (p.opaque === undefined) continue;
      const inst = this.#opaqueInstances(p);
      const m = p.mechanism;
      const cur = (model.rateTables ? m.fast?.current : undefined) ?? m.current;
      const adv = (model.rateTables ? m.fast?.advance : undefined) ?? m.advance;
      const nodes = opaqueNodes!;
      // No arguments: a double passed from WebAssembly to JavaScript is boxed; the step's
      // times are read from the memory.
      const time = f64View(mem, "time");
      opaqueImports[`cur${p.index}`] = () => {
        nodes.t = time[0];
        cur(inst, nodes);
      };
      opaqueImports[`adv${p.index}`] = () => {
        nodes.t = time[1];
        adv(inst, nodes);
      };
      for (const what of ["cur", "adv"]) {
        opaqueIndex.set(
          `${what}${p.index}`,
          mb.importFunction("opaque", `${what}${p.index}`, { params: [], results: [] }),
        );
      }
      p.opaqueInstances = inst;
    }
    const imports = tier === "js" ? undefined : importEngineMemory(mb as ModuleBuilder, mem);
    if (tier === "js") mb.importMemory("env", "memory", { initial: 1 });
    const ctx: LoweringContext = { mem, math, dt: model.dt, celsius: model.celsius };
    const kernels: { cur: number | undefined; adv: number | undefined; opaque: boolean }[] = [];
    for (const p of plans) {
      if (p.opaque !== undefined) {
        kernels.push({
          cur: opaqueIndex.get(`cur${p.index}`),
          adv: opaqueIndex.get(`adv${p.index}`),
          opaque: true,
        });
        continue;
      }
      kernels.push({
        cur: this.#emitCurrent(mb, ctx, p),
        adv: this.#emitAdvance(mb, ctx, p, pos),
        opaque: false,
      });
    }
    // In fast mode the solve also writes each node's rate-table position (one pass, not two).
    const solve = emitHinesSolve(mb, mem, variant, "solve", {
      nodes: n,
      ...(model.rateTables ? { onSolved: nodePositionHook(pos) } : {}),
    });
    // All positions once, before the first step: the scratch node's V never changes.
    const positions = mb.addFunction({ params: [], results: [] }, { exportAs: "positions" });
    if (model.rateTables) emitPositions(positions, ctx, n, pos);
    const eca = mb.addFunction({ params: [], results: [] });
    const nernstSpec = { nernst: model.nernstCa, fastMode: model.rateTables, regions: nernst, pos };
    emitNernst(eca, ctx, model.caNodes.length, nernstSpec, simd);
    const step = mb.addFunction({ params: [], results: [] }, { exportAs: "step" });
    const timeAt = mem.regions.get("time")!.offset;
    emitZero(step, ctx, "ica");
    for (const k of kernels) {
      if (k.cur === undefined) continue;
      if (!k.opaque) {
        step.i32Const(0);
        step.op("f64.load", timeAt);
      }
      step.op("call", k.cur);
    }
    step.op("call", solve);
    for (const k of kernels) {
      if (k.adv === undefined) continue;
      if (!k.opaque) {
        step.i32Const(0);
        step.op("f64.load", timeAt + 8);
      }
      step.op("call", k.adv);
    }
    step.op("call", eca.index);
    // The step's parts one by one (a profile by kernel: RunEngineOptions.profile).
    const parts: { name: string; index: number; arg: 0 | 1 | undefined }[] = [];
    const zero = mb.addFunction({ params: [], results: [] });
    emitZero(zero, ctx, "ica");
    parts.push({ name: "zero ica", index: zero.index, arg: undefined });
    kernels.forEach((k, j) => {
      if (k.cur !== undefined) {
        const arg = k.opaque ? undefined : 0;
        parts.push({ name: `current ${plans[j].mechanism.name}`, index: k.cur, arg });
      }
    });
    parts.push({ name: "Hines solve", index: solve, arg: undefined });
    kernels.forEach((k, j) => {
      if (k.adv !== undefined) {
        const arg = k.opaque ? undefined : 1;
        parts.push({ name: `advance ${plans[j].mechanism.name}`, index: k.adv, arg });
      }
    });
    parts.push({ name: "Nernst eca", index: eca.index, arg: undefined });
    parts.forEach((part, j) => {
      const w = mb.addFunction({ params: ["f64", "f64"], results: [] }, { exportAs: `part${j}` });
      if (part.arg !== undefined) w.op("local.get", part.arg);
      w.op("call", part.index);
    });
    // NET_RECEIVE of every lowered point mechanism.
    for (const p of plans) {
      if (p.kind !== "point" || p.opaque !== undefined || p.ir?.netReceive === undefined) continue;
      // The event's time is read from the memory (time[2]): a double passed to WebAssembly
      // from a polymorphic call site is boxed, one heap number per event.
      const fb = mb.addFunction(
        { params: ["i32", "i32", "i32"], results: [] },
        { exportAs: `nr${p.index}` },
      );
      this.#emitNetReceive(fb, ctx, p);
    }
    const mathImports = Object.fromEntries(MATH_IMPORTS.map((f) => [f, MATH[f]]));
    let exports: Record<string, unknown>;
    if (mb instanceof JsModuleBuilder) {
      exports = mb.instantiate(
        { math: mathImports, opaque: opaqueImports } as never,
        mem.buffer,
      );
    } else {
      const bytes = (mb as ModuleBuilder).encode();
      const module = new WebAssembly.Module(bytes);
      exports = new WebAssembly.Instance(module, {
        ...imports,
        math: mathImports,
        opaque: opaqueImports,
      }).exports as Record<string, unknown>;
    }
    this.step = exports.step as () => void;
    this.parts = parts.map((part, j) => ({
      name: part.name,
      fn: exports[`part${j}`] as (a: number, b: number) => void,
    }));
    this.netReceive = plans.map((p) => {
      if (p.kind !== "point") return undefined as never;
      if (p.opaque !== undefined) {
        const m = p.mechanism as PointMechanism;
        const inst = p.opaqueInstances!;
        const nodes = opaqueNodes!;
        const weights = f64View(mem, weightRegions[0]);
        const base = this.weightBase[0];
        const time = f64View(mem, "time");
        return (k: number, _lane: number, w: number) => {
          const tsave = nodes.t;
          nodes.t = time[2];
          m.netReceive!(inst, k, weights, (w - base) / 8, nodes);
          nodes.t = tsave;
        };
      }
      return exports[`nr${p.index}`] as (k: number, lane: number, w: number) => void;
    });
    this.#load(grid, ln, pos, nernst);
    (exports.positions as () => void)();
  }

  /** Node arrays as views of the memory (opaque kernels; one lane). */
  #views(): NodeArrays {
    const mem = this.mem, model = this.model;
    const v = (name: string) => f64View(mem, name);
    return {
      v: v("v"),
      i: v("i"),
      g: v("g"),
      area: v("area"),
      ena: v("ena"),
      ek: v("ek"),
      eca: v("eca"),
      cai: v("cai"),
      cao: v("cao"),
      ica: v("ica"),
      vInterval: i32View(mem, "pos.interval"),
      vFrac: v("pos.frac"),
      dt: model.dt,
      t: 0,
      celsius: model.celsius,
      faraday: model.faraday,
    };
  }

  #opaqueInstances(p: MechPlan): MechanismInstances {
    const fields: Record<string, Float64Array> = {};
    for (const [name, place] of p.fieldRegion) fields[name] = f64View(this.mem, place.region);
    return {
      node: i32View(this.mem, p.regions.node),
      fields,
      globals: p.staging.globals,
      derived: p.staging.derived,
      ...(p.staging.random !== undefined ? { random: p.staging.random } : {}),
    };
  }

  #emitCurrent(mb: ModuleEmitter, ctx: LoweringContext, p: MechPlan): number | undefined {
    const ir = p.ir!;
    if (ir.current === undefined || p.real === 0) return undefined;
    const c = ir.current;
    const fb = mb.addFunction({ params: ["f64"], results: [] });
    const layout = p.layouts.current;
    const lanes = ctx.mem.lanes;
    const addr = addressLocals(fb, layout, lanes);
    const touched = fieldsTouched([...c.prologue, ...c.body], [
      ...c.currents.map((s) => ({ op: "read", slot: s }) as const),
      ...c.ionCurrents.map((x) => ({ op: "read", slot: x.slot }) as const),
      ...(c.conductance !== undefined ? [c.conductance] : []),
    ]);
    const laneRuns = layout === "scalar" ? lanes : 1;
    for (let lane = 0; lane < laneRuns; lane++) {
      const present = p.regions.present !== undefined
        ? fb.local(layout === "scalar" ? "f64" : "v128")
        : undefined;
      const em = new IrEmitter(fb, ir, p.regions, layout, ctx, addr, {
        t: 0,
        ...(present !== undefined ? { present } : {}),
        ...(p.vTables.size > 0 ? { vTables: p.vTables } : {}),
      });
      emitInstanceLoop(fb, ctx, p.regions, layout, addr, () => {
        if (present !== undefined) {
          em.loadRegion(p.regions.present!, true);
          fb.op("local.set", present);
        }
        em.resetLocals(c.locals);
        em.promote(touched);
        em.current(c, true);
        em.flush();
      }, lane);
    }
    return fb.index;
  }

  #emitAdvance(
    mb: ModuleEmitter,
    ctx: LoweringContext,
    p: MechPlan,
    pos: PositionRegions,
  ): number | undefined {
    const ir = p.ir!;
    if (p.real === 0) return undefined;
    const fb = mb.addFunction({ params: ["f64"], results: [] });
    if (p.fast !== undefined) {
      emitFastAdvance(fb, ctx, ir, p.regions, p.fast, p.fastRegions!, pos);
      return fb.index;
    }
    if (ir.advance.body.length === 0) return undefined;
    const layout = p.layouts.advance;
    const lanes = ctx.mem.lanes;
    const addr = addressLocals(fb, layout, lanes);
    const touched = fieldsTouched(ir.advance.body);
    const laneRuns = layout === "scalar" ? lanes : 1;
    for (let lane = 0; lane < laneRuns; lane++) {
      const present = p.regions.present !== undefined
        ? fb.local(layout === "scalar" ? "f64" : "v128")
        : undefined;
      const em = new IrEmitter(fb, ir, p.regions, layout, ctx, addr, {
        t: 0,
        ...(present !== undefined ? { present } : {}),
      });
      emitInstanceLoop(fb, ctx, p.regions, layout, addr, () => {
        if (present !== undefined) {
          em.loadRegion(p.regions.present!, true);
          fb.op("local.set", present);
        }
        em.resetLocals(ir.advance.locals);
        em.promote(touched);
        em.stmts(ir.advance.body);
        em.flush();
      }, lane);
    }
    return fb.index;
  }

  #emitNetReceive(fb: FunctionEmitter, ctx: LoweringContext, p: MechPlan): void {
    const ir = p.ir!;
    const nr = ir.netReceive!;
    const lanes = ctx.mem.lanes;
    const laneShift = 3 + Math.log2(lanes);
    // params: k (0), lane (1), weights address (2); the event's time is time[2] of the memory
    const t = fb.local("f64");
    fb.i32Const(0);
    fb.op("f64.load", ctx.mem.regions.get("time")!.offset + 16);
    fb.op("local.set", t);
    const shared = fb.local("i32"), field = fb.local("i32");
    const c = fb.local("i32"), nodeShared = fb.local("i32"), node = fb.local("i32");
    const nodeOff = ctx.mem.regions.get(p.regions.node)!.offset;
    fb.op("local.get", 0);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", shared);
    fb.op("local.get", 0);
    fb.i32Const(laneShift);
    fb.op("i32.shl");
    fb.op("local.get", 1);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("i32.add");
    fb.op("local.set", field);
    fb.op("local.get", 0);
    fb.i32Const(2);
    fb.op("i32.shl");
    fb.op("i32.load", nodeOff);
    fb.op("local.tee", c);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("local.set", nodeShared);
    fb.op("local.get", c);
    fb.i32Const(laneShift);
    fb.op("i32.shl");
    fb.op("local.get", 1);
    fb.i32Const(3);
    fb.op("i32.shl");
    fb.op("i32.add");
    fb.op("local.set", node);
    const em = new IrEmitter(fb, ir, p.regions, "scalar", ctx, {
      field,
      shared,
      node,
      nodeShared,
    }, { t, weights: 2 });
    em.resetLocals(nr.locals);
    em.promote(fieldsTouched(nr.body));
    em.stmts(nr.body);
    em.flush();
    if (p.regions.quiet !== undefined) {
      // An event makes the instance active for the rest of the sweep.
      fb.op("local.get", field);
      fb.f64Const(0);
      fb.op("f64.store", ctx.mem.regions.get(p.regions.quiet)!.offset);
    }
  }

  /** Copies the shared data and every lane's initial state into the memory. */
  #load(
    grid: { start: Float64Array; invWidth: Float64Array },
    ln: Float64Array,
    pos: PositionRegions,
    nernst: NernstRegions,
  ): void {
    const { mem, model, lanes } = this;
    const L = lanes.length;
    const n = model.nodeCount;
    for (const name of ["area", "ena", "ek", "cao"] as const) f64View(mem, name).set(model[name]);
    fillHinesRegions(mem, model.matrix, model.rateTables ? "fast" : "exact", model.dt);
    f64View(mem, pos.concStart).set(grid.start);
    f64View(mem, pos.concInvWidth).set(grid.invWidth);
    i32View(mem, nernst.caNodes).set(model.caNodes);
    f64View(mem, nernst.lnCao).set(model.lnCao);
    f64View(mem, nernst.lnTable).set(ln);
    lanes.forEach((lane, s) => {
      for (const name of PER_LANE_NODE_ARRAYS) {
        const view = f64View(mem, name);
        const src = lane.nodes[name as keyof EngineLane["nodes"]];
        for (let c = 0; c < n; c++) view[c * L + s] = src[c];
      }
      f64View(mem, `weights.${s}`).set(lane.weights);
    });
    for (const p of this.plans) this.#loadMechanism(p);
  }

  #loadMechanism(p: MechPlan): void {
    const { mem, lanes, model } = this;
    const L = lanes.length;
    const node = i32View(mem, p.regions.node);
    const ir = p.ir;
    type Source = { readonly inst: MechanismInstances; readonly k: number };
    // The instance holding each slot (shared values), and each lane's own (per-lane values).
    const origin: (Source | undefined)[] = [];
    const own: (Source | undefined)[][] = lanes.map(() => []);
    for (let slot = 0; slot < p.regions.count; slot++) {
      if (p.slots === undefined) {
        const src = slot < p.real ? { inst: p.staging, k: slot } : undefined;
        origin.push(src);
        for (let s = 0; s < L; s++) own[s].push(src);
      } else if (slot < p.real) {
        const o = p.origin![slot];
        origin.push({ inst: lanes[o.lane].points[p.laneGroup![o.lane]!].instances, k: o.k });
      } else origin.push(undefined); // padding
    }
    if (p.slots !== undefined) {
      for (let s = 0; s < L; s++) {
        const row: (Source | undefined)[] = new Array(p.regions.count).fill(undefined);
        const grp = p.laneGroup![s];
        if (grp !== undefined) {
          const inst = lanes[s].points[grp].instances;
          p.slots[s]!.forEach((slot, k) => (row[slot] = { inst, k }));
        }
        own[s] = row;
      }
    }
    for (let slot = 0; slot < p.regions.count; slot++) {
      const o = origin[slot];
      node[slot] = o === undefined ? model.nodeCount : o.inst.node[o.k];
    }
    const internal = new Set(ir?.fields.filter((f) => f.role === "internal").map((f) => f.name));
    for (const [name, place] of p.fieldRegion) {
      const view = f64View(mem, place.region);
      // The field's array of the instances last read (slots mostly share their instances).
      const derived = internal.has(name);
      let lastInst: MechanismInstances | undefined;
      let lastArray: Float64Array = new Float64Array(0);
      const value = (src: Source): number => {
        if (src.inst !== lastInst) {
          lastInst = src.inst;
          lastArray = derived ? src.inst.derived[name] : src.inst.fields[name];
        }
        return lastArray[src.k];
      };
      for (let slot = 0; slot < p.regions.count; slot++) {
        const o = origin[slot];
        if (!place.perLane) {
          view[slot] = o === undefined ? 0 : value(o);
          continue;
        }
        for (let s = 0; s < L; s++) {
          // An absent lane carries a copy of the slot's instance (never written to a node).
          const src = own[s][slot] ?? o;
          view[slot * L + s] = src === undefined ? 0 : value(src);
        }
      }
    }
    if (p.regions.present !== undefined) {
      const view = f64View(mem, p.regions.present);
      for (let slot = 0; slot < p.regions.count; slot++) {
        for (let s = 0; s < L; s++) view[slot * L + s] = own[s][slot] !== undefined ? 1 : 0;
      }
    }
    if (p.regions.quiet !== undefined) {
      // The staging's classification after finitialize (1 quiet, 0 active); an absent or
      // padding instance writes no node and counts as quiet.
      const view = f64View(mem, p.regions.quiet);
      for (let slot = 0; slot < p.regions.count; slot++) {
        for (let s = 0; s < L; s++) {
          const src = own[s][slot];
          view[slot * L + s] = src === undefined || src.inst.derived[QUIET_SLOT][src.k] !== 0
            ? 1
            : 0;
        }
      }
    }
    for (const vt of p.vTables.values()) f64View(mem, vt.region).set(vt.table);
    if (ir !== undefined) {
      const d = p.staging.derived;
      if (d[GLOBALS_SLOT] !== undefined) f64View(mem, p.regions.globals).set(d[GLOBALS_SLOT]);
      if (p.regions.tables !== undefined) {
        f64View(mem, p.regions.tables.values).set(d[TABLES_SLOT]);
        f64View(mem, p.regions.tables.meta).set(d[TABLE_META_SLOT]);
      }
      if (p.fast !== undefined) {
        const fr = p.fastRegions!;
        p.fast.voltage.forEach((v, g) =>
          f64View(mem, fr.voltage[g]).set(
            fr.paired === true ? pairedRateTable(d[v.slot], 2 * v.gates.length) : d[v.slot],
          )
        );
        p.fast.conc.forEach((c, g) => f64View(mem, fr.conc[g]).set(d[c.slot]));
        f64View(mem, fr.factors).set(d[p.fast.factorSlot]);
        f64View(mem, fr.uniform).set(d[p.fast.uniformSlot]);
        f64View(mem, fr.globals).set(d[p.fast.globalsSlot]);
      }
    }
  }

  /**
   * Steps every lane to the end, delivering each lane's events before each step's currents and
   * recording after each step.
   *
   * @param options steps, probes, progress
   * @returns one result per lane
   * @throws SimulationError when a lane's soma potential or recorded value is not finite
   */
  run(options: RunEngineOptions): EngineResult[] {
    const { mem, lanes, model } = this;
    const L = lanes.length;
    const steps = options.steps;
    const samples = steps + 1;
    const probes = options.probes ?? [];
    const np = probes.length;
    const F64 = new Float64Array(mem.buffer);
    // Element index of each probe in each lane.
    const at = new Int32Array(np * L);
    probes.forEach((pr, j) => {
      for (let s = 0; s < L; s++) at[j * L + s] = this.#probeIndex(pr, s);
    });
    const vOff = mem.regions.get("v")!.offset / 8;
    const somaAt = Int32Array.from({ length: L }, (_, s) => vOff + model.somaNode * L + s);
    const results: EngineResult[] = lanes.map(() => ({
      t: new Float64Array(samples),
      soma: new Float64Array(samples),
      traces: probes.map(() => new Float64Array(samples)),
    }));
    // Per-lane event tables: function, slot and weight address of every event.
    const ev = lanes.map((lane, s) => this.#events(lane, s));
    const cursor = Int32Array.from(lanes, (lane) => lane.events.next);
    const name = options.probeName ??
      ((j: number) => (j < 0 ? "the soma's membrane potential" : `probe ${j}`));
    const fail = (s: number, j: number, value: number, t: number): never => {
      const sweep = lanes[s].sweep;
      throw new SimulationError(
        `${name(j)} is ${value} at t = ${t} ms (the model or its input is outside what the ` +
          "integrator can follow)",
        { timeMs: t, ...(sweep !== undefined ? { sweep } : {}) },
      );
    };
    for (let s = 0; s < L; s++) {
      const r = results[s];
      const vs = F64[somaAt[s]];
      r.soma[0] = vs;
      if (vs - vs !== 0) fail(s, -1, vs, 0);
      for (let j = 0; j < np; j++) {
        const x = F64[at[j * L + s]];
        r.traces[j][0] = x;
        if (x - x !== 0) fail(s, j, x, 0);
      }
    }
    // Before the first step, i and g are zero (NEURON's finitialize leaves the RHS cleared).
    this.#clear("i");
    this.#clear("g");
    const dt = model.dt, half = 0.5 * dt;
    const step = this.step;
    const netReceive = this.netReceive;
    const onProgress = options.onProgress;
    const profile = options.profile;
    const parts = this.parts;
    // t [ms] in a typed-array cell: this loop runs on-stack-replaced (one call per sweep), where
    // V8 may keep a loop-carried double boxed, one heap number per update.
    const now = new Float64Array(1);
    const time = f64View(mem, "time");
    for (let n = 1; n <= steps; n++) {
      const tm = now[0] + half;
      for (let s = 0; s < L; s++) {
        const e = ev[s];
        let c = cursor[s];
        while (c < e.length && e.time[c] <= tm) {
          time[2] = e.time[c];
          netReceive[e.fn[c]](e.slot[c], s, e.w[c]);
          c++;
        }
        cursor[s] = c;
      }
      now[0] += half;
      const tMid = now[0];
      now[0] += half;
      time[0] = tMid;
      time[1] = now[0];
      if (profile === undefined) step();
      else {
        for (const part of parts) {
          const t0 = profile.now();
          part.fn(tMid, now[0]);
          profile.ms[part.name] = (profile.ms[part.name] ?? 0) + profile.now() - t0;
        }
      }
      // Recording, inline (a call with a double argument may box it).
      for (let s = 0; s < L; s++) {
        const r = results[s];
        r.t[n] = now[0];
        const vs = F64[somaAt[s]];
        r.soma[n] = vs;
        if (vs - vs !== 0) fail(s, -1, vs, now[0]);
        for (let j = 0; j < np; j++) {
          const x = F64[at[j * L + s]];
          r.traces[j][n] = x;
          if (x - x !== 0) fail(s, j, x, now[0]);
        }
      }
      if (onProgress !== undefined && n % 1000 === 0) onProgress(n, steps);
    }
    if (onProgress !== undefined) onProgress(steps, steps);
    return results;
  }

  #clear(region: string): void {
    f64View(this.mem, region).fill(0);
  }

  /** Flat element index of a probe in lane s. */
  #probeIndex(pr: EngineProbe, s: number): number {
    const { mem } = this;
    const L = this.lanes.length;
    const base = (region: string) => mem.regions.get(region)!.offset / 8;
    const fieldAt = (p: MechPlan, field: string, slot: number) => {
      const place = p.fieldRegion.get(field);
      if (place === undefined) {
        throw new InternalError(`${p.mechanism.name} has no recorded field ${field}`);
      }
      return base(place.region) + (place.perLane ? slot * L + s : slot);
    };
    switch (pr.kind) {
      case "node":
        return base(pr.array) + (PER_LANE_NODE_ARRAYS.has(pr.array) ? pr.node * L + s : pr.node);
      case "field": {
        const p = pr.group === "density"
          ? this.plans[pr.index]
          : this.plans[this.model.density.length + pr.index];
        return fieldAt(p, pr.field, pr.instance);
      }
      case "synapse": {
        const { group, instance } = pr.perLane[s];
        const name = this.lanes[s].points[group].mechanism.name;
        const p = this.plans.find((q) => q.slots !== undefined && q.mechanism.name === name)!;
        return fieldAt(p, pr.field, p.slots![s]![instance]);
      }
    }
  }

  /** A lane's events as (NET_RECEIVE function, slot, weight address, time). */
  #events(lane: EngineLane, s: number) {
    const e = lane.events;
    const cellCount = this.model.cellPoints.length;
    const planOf = lane.points.map((g, j) => {
      if (j < cellCount) return this.plans[this.model.density.length + j];
      return this.plans.find((q) =>
        q.slots !== undefined && q.mechanism.name === g.mechanism.name
      )!;
    });
    const fn = new Int32Array(e.length),
      slot = new Int32Array(e.length),
      w = new Int32Array(e.length);
    for (let j = 0; j < e.length; j++) {
      const tg = e.target[j];
      const p = planOf[tg];
      fn[j] = p.index;
      slot[j] = p.slots !== undefined ? p.slots[s]![e.instance[j]] : e.instance[j];
      w[j] = this.weightBase[s] + 8 * e.weightOffset[j];
    }
    return { time: e.time, length: e.length, fn, slot, w };
  }
}

/**
 * Whether the engine lowers a mechanism into its own kernels (then it may run in lock-step
 * lanes); otherwise it runs the mechanism's JavaScript kernels, one sweep at a time.
 *
 * @param mechanism a mechanism of the model or a sweep
 * @returns true when it has IR the engine can lower and draws no random numbers
 */
export function lowersMechanism(mechanism: Mechanism): boolean {
  return mechanism.ir !== undefined && unsupportedReason(mechanism.ir) === undefined &&
    mechanism.randomStreams !== true;
}

/**
 * Runs one sweep, or up to two lock-step sweeps, of a model on the engine.
 *
 * @param model the cell side
 * @param lanes each sweep after `finitialize` (one or two)
 * @param options tier, steps, probes, progress
 * @returns one result per lane
 * @throws SimulationError when a soma potential or recorded value becomes non-finite
 */
export function runEngine(
  model: EngineModel,
  lanes: readonly EngineLane[],
  options: RunEngineOptions,
): EngineResult[] {
  if (lanes.length !== 1 && lanes.length !== 2) {
    throw new InternalError(`the engine runs 1 or 2 lanes, got ${lanes.length}`);
  }
  if (lanes.length > 1 && options.tier !== "simd") {
    throw new InternalError(`lock-step lanes need the simd tier, got ${options.tier}`);
  }
  return new Engine(model, lanes, options.tier).run(options);
}
