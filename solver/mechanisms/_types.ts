/**
 * The mechanism contract (Arbor's ABI idea, Jaxley's small channel contract). A mechanism is a
 * plain record, the same whether written by hand (this folder, `network/synapses/`) or generated
 * from a `.mod` file:
 *
 * - **description**: name, kind, the ions it reads and writes, its RANGE `parameters` (unit,
 *   default, physical range), its NMODL `globals` (one value per model), `states`, `assigned`
 *   variables, and the `derived` slots it needs for data computed from parameters, globals and dt;
 * - **kernels** over structure-of-arrays storage ({@link MechanismInstances}): `prepare` (once per
 *   model, after parameters and globals are set: fills the derived slots), `init` (NMODL
 *   INITIAL), `current` (BREAKPOINT current at V^n), `advance` (SOLVE at V^{n+1}), `netReceive`
 *   (point processes), and an optional `fast` kernel set used when the model runs with rate
 *   tables (spec/algorithm.md §8.3; the engine picks one set per model).
 *
 * The engine calls the kernels at documented points of the step (solver/run_sweep.ts) with the
 * shared node arrays ({@link NodeArrays}). Kernels allocate nothing and never look up strings per
 * instance: they destructure `s.fields` / `s.derived` once at the top of the call. Derived data
 * lives in declared slots of the instance storage, never in module-level caches or in
 * pseudo-"assigned" fields: `fields` holds exactly the NMODL variables (what `inspect` and
 * recording read), `derived` is private to the mechanism.
 *
 * Units (NEURON's): V, E [mV]; t, dt [ms]; density currents [mA/cm²] (outward positive);
 * density conductances [S/cm²]; concentrations [mM]; point-process currents [nA]; areas [µm²].
 *
 * @module
 */
import type { MechanismIR } from "../nmodl/ir.ts";

/** Shared per-node state of one simulated cell. Arrays have one entry per node. */
export interface NodeArrays {
  /** Membrane potential [mV]. */
  readonly v: Float64Array;
  /** Accumulated membrane current density at V^n [mA/cm²], outward positive. */
  readonly i: Float64Array;
  /** Accumulated slope dI/dV [S/cm²]. */
  readonly g: Float64Array;
  /** Membrane area of the node [µm²]; 0 for end and root nodes. */
  readonly area: Float64Array;
  /** Sodium reversal potential [mV] (per-section constant, NEURON default 50). */
  readonly ena: Float64Array;
  /** Potassium reversal potential [mV] (per-section constant, NEURON default -77). */
  readonly ek: Float64Array;
  /** Calcium reversal [mV]: Nernst from cai/cao where cai is dynamic, else a constant. */
  readonly eca: Float64Array;
  /** Intracellular / extracellular calcium [mM]. */
  readonly cai: Float64Array;
  /** Extracellular calcium concentration [mM] (NEURON default 2). */
  readonly cao: Float64Array;
  /** Total calcium current density of the step [mA/cm²] (sum over Ca channels at V^n). */
  readonly ica: Float64Array;
  /**
   * Rate-table interval of each node's V (solver/mechanisms/_rate_table.ts), −1 outside the
   * tables; the engine sets it after every voltage solve when the model runs with rate tables,
   * before the `fast.advance` kernels.
   */
  readonly vInterval: Int32Array;
  /** Local coordinate f ∈ [0, 1) of each node's V in its rate-table interval. */
  readonly vFrac: Float64Array;
  /** Time step [ms]. */
  dt: number;
  /** Current time [ms]: t_n + dt/2 during current evaluation, t_{n+1} during advance. */
  t: number;
  /** Temperature [°C] (NEURON `celsius`). */
  celsius: number;
  /** FARADAY [C/mol] used inside mechanisms (modern or legacy units, spec/mechanisms.md §1.4). */
  faraday: number;
}

/** Structure-of-arrays storage of the instances of one mechanism in one model. */
export interface MechanismInstances {
  /** Node index of instance k. */
  readonly node: Int32Array;
  /**
   * The NMODL variables by name (without suffix): every parameter, state and assigned variable,
   * one value per instance. This is what recording and `inspect` read.
   */
  readonly fields: Record<string, Float64Array>;
  /** The NMODL GLOBAL values in force for this model (defaults, then `mech_globals`). */
  readonly globals: Readonly<Record<string, number>>;
  /**
   * The declared derived slots ({@link Mechanism.derived}): `instance` slots are allocated with
   * one value per instance; `prepare` fills them and assigns the `table` slots.
   */
  readonly derived: Record<string, Float64Array>;
  /**
   * One uniform random stream per instance, for a mechanism that declares `randomStreams`
   * (ISF's stochastic synapses); set by the engine from the sweep's synaptic inputs. Absent for
   * every other mechanism.
   */
  readonly random?: readonly UniformSource[];
}

/**
 * A seeded stream of uniform random numbers in [0, 1), owned by the caller (network/): the
 * engine hands one to every instance of a mechanism that draws random numbers.
 */
export type UniformSource = () => number;

/** A kernel: loops over all instances, reads and adds to the node arrays. */
export type Kernel = (s: MechanismInstances, n: NodeArrays) => void;

/** What `prepare` may depend on: fixed for the lifetime of a prepared model. */
export interface PrepareContext {
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** FARADAY [C/mol] inside mechanisms. */
  readonly faraday: number;
  /** Membrane area of every node [µm²] (index with `s.node[k]`). */
  readonly area: Float64Array;
  /** True when the `fast` kernels will run: build their tables. */
  readonly rateTables: boolean;
  /**
   * The unit system of the run (`modern`: NEURON ≥ 8, `legacy`: NEURON ≤ 7; spec/mechanisms.md
   * §1.4): compiled mechanisms take their UNITS constants (FARADAY, R, …) from it.
   */
  readonly units: "modern" | "legacy";
}

/**
 * Fills the derived slots of the instances from their parameters, globals and the context
 * (step factors, unit conversions, rate tables). Runs once per model, after the parameters are
 * set and before the first `init`; it never changes `fields`.
 */
export type PrepareKernel = (s: MechanismInstances, c: PrepareContext) => void;

/**
 * NET_RECEIVE for instance k with the NetCon's weights at `weights[offset …]`; `n.t` is the
 * event's delivery time.
 */
export type NetReceiveKernel = (
  s: MechanismInstances,
  k: number,
  weights: Float64Array,
  offset: number,
  n: NodeArrays,
) => void;

/** Description of one parameter (NMODL PARAMETER) or GLOBAL. */
export interface ParameterInfo {
  /** Unit as written in the NMODL PARAMETER block (`S/cm2`, `mV`, `ms`, …), for documentation. */
  readonly unit: string;
  /** Value of the NMODL PARAMETER block, used where nothing else sets it. */
  readonly default: number;
  /** Smallest physically meaningful value (inclusive unless `minExclusive`), if there is one. */
  readonly min?: number;
  /** True when `min` itself is excluded (a time constant must be > 0). */
  readonly minExclusive?: boolean;
  /** Largest physically meaningful value (inclusive), if there is one. */
  readonly max?: number;
}

/** One ion a mechanism uses (NMODL `USEION name READ … WRITE …`). */
export interface IonUse {
  /** Ion name. */
  readonly name: "na" | "k" | "ca";
  /** Ion variables read (`ena`, `eca`, `cai`, `ica`, …). */
  readonly read: readonly string[];
  /** Ion variables written (`ina`, `ica`, `cai`, …). */
  readonly write: readonly string[];
}

/** A derived-data slot of a mechanism's instance storage. */
export interface DerivedSlot {
  /**
   * `instance`: one value per instance, allocated (zero) by the engine before `prepare`;
   * `table`: an array of any length that `prepare` assigns (rate tables; empty until then).
   */
  readonly size: "instance" | "table";
  /** What the slot holds, with its unit. */
  readonly description: string;
}

/** The kernels that replace the exact ones when a model runs with rate tables. */
export interface FastKernels {
  /** Replaces `current` (within rounding-level error of it). */
  readonly current?: Kernel;
  /** Replaces `advance` (error bound: solver/mechanisms/_rate_table.ts). */
  readonly advance?: Kernel;
}

/** What every mechanism declares and provides. */
export interface MechanismBase {
  /** NMODL SUFFIX or POINT_PROCESS name, exactly as in `.param` files. */
  readonly name: string;
  /** Ions it uses, with the variables it reads and writes (empty: none). */
  readonly ions: readonly IonUse[];
  /** RANGE parameters, one value per instance (name without suffix → info). */
  readonly parameters: Readonly<Record<string, ParameterInfo>>;
  /** NMODL GLOBAL parameters: one value per model (`mech_globals` sets them). */
  readonly globals: Readonly<Record<string, ParameterInfo>>;
  /** State variable names in NEURON's order. */
  readonly states: readonly string[];
  /**
   * Assigned variables as NEURON names them without suffix (e.g. `ina`, `gNaTa_t`); the current
   * variable comes first.
   */
  readonly assigned: readonly string[];
  /** Derived-data slots (engine-private, never recorded or reported). */
  readonly derived: Readonly<Record<string, DerivedSlot>>;
  /**
   * A constraint between parameters that the ranges cannot express (e.g. two time constants
   * that must differ) on one instance's parameters (every parameter present: defaults filled
   * in); returns what is wrong, or undefined. Checked before anything runs.
   */
  readonly check?: (params: Readonly<Record<string, number>>) => string | undefined;
  /** Fills the derived slots (see {@link PrepareKernel}). */
  readonly prepare: PrepareKernel;
  /** States at the initial V (NMODL INITIAL); t = 0. Resets the derived bookkeeping too. */
  readonly init: Kernel;
  /** Adds current at V^n to n.i, slope to n.g (and Ca current to n.ica); stores assigned. */
  readonly current: Kernel;
  /** One state step (cnexp) at V^{n+1}. */
  readonly advance: Kernel;
  /** Rate-table kernels, or undefined when the exact ones are used in both modes. */
  readonly fast: FastKernels | undefined;
  /**
   * True when the kernels draw random numbers (NMODL mechanisms with a random stream, ISF's
   * ProbAMPANMDA2/ProbUDFsyn2): every instance needs a stream in
   * {@link MechanismInstances.random}, which only synaptic inputs provide. Absent: none.
   */
  readonly randomStreams?: boolean;
  /**
   * The compiled description the kernels were generated from (the NMODL compiler's IR): the
   * WebAssembly engine (solver/wasm) lowers it into its own kernels. Absent for a hand-written
   * entry, whose kernels the engine calls as they are.
   *
   * @internal
   */
  readonly ir?: MechanismIR;
}

/** A density mechanism (NMODL SUFFIX): one file under solver/mechanisms/ exports one. */
export interface DensityMechanism extends MechanismBase {
  /** Discriminant: a density mechanism (distributed over segment areas). */
  readonly kind: "density";
}

/** A point process (IClamp, epsp, synapses). Currents are in nA, converted with 100/area. */
export interface PointMechanism extends MechanismBase {
  /** Discriminant: a point process (one instance per placed object). */
  readonly kind: "point";
  /** NET_RECEIVE, or undefined for mechanisms without events. */
  readonly netReceive: NetReceiveKernel | undefined;
  /**
   * True when instances with these parameters at the same node may be merged into one (linear
   * kinetics, no plasticity: events simply add to the states). Undefined: never merged.
   */
  readonly lumpable: ((params: Readonly<Record<string, number>>) => boolean) | undefined;
  /**
   * Length of a NetCon's weight vector (the number of NET_RECEIVE arguments): the engine pads the
   * weights it is given with zeros to this length (the extra entries are per-NetCon state, e.g.
   * ProbAMPANMDA2's Pv, u, tsyn). Absent: the weights as given.
   */
  readonly weightCount?: number;
  /**
   * NEURON's NET_RECEIVE INITIAL block: called once per NetCon at initialization (t = 0), after
   * every mechanism's `init` and before the events at t = 0, with that NetCon's weights (it
   * initialises their per-NetCon entries). Absent: nothing to do.
   */
  readonly netConInit?: NetReceiveKernel;
}

/** Either kind of mechanism. */
export type Mechanism = DensityMechanism | PointMechanism;

/**
 * Allocates instance storage with every field of `m` (parameters at their defaults), the
 * globals (defaults overridden by `globals`) and the derived slots (`instance` slots zeroed,
 * `table` slots empty).
 *
 * @param m the mechanism
 * @param node node index of each instance
 * @param globals GLOBAL values that replace the defaults (validated by the caller)
 * @returns the storage
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocateInstances } from "./_types.ts";
 * import { SK_E2 } from "./sk_e2.ts";
 * const s = allocateInstances(SK_E2, new Int32Array([3, 4]), { zTau: 2 });
 * assert.equal(s.fields.gSK_E2bar[1], 1e-6);
 * assert.equal(s.globals.zTau, 2);
 * ```
 */
export function allocateInstances(
  m: Mechanism,
  node: Int32Array,
  globals: Readonly<Record<string, number>> = {},
): MechanismInstances {
  const fields: Record<string, Float64Array> = {};
  const count = node.length;
  for (const [name, info] of Object.entries(m.parameters)) {
    fields[name] = new Float64Array(count).fill(info.default);
  }
  for (const name of m.states) fields[name] = new Float64Array(count);
  for (const name of m.assigned) fields[name] = new Float64Array(count);
  const g: Record<string, number> = {};
  for (const [name, info] of Object.entries(m.globals)) g[name] = globals[name] ?? info.default;
  const derived: Record<string, Float64Array> = {};
  for (const [name, slot] of Object.entries(m.derived)) {
    derived[name] = new Float64Array(slot.size === "instance" ? count : 0);
  }
  return { node, fields, globals: g, derived };
}

/**
 * The `prepare` kernel of a mechanism without derived data.
 *
 * @param _s the instances
 * @param _c the prepare context
 */
export function prepareNothing(_s: MechanismInstances, _c: PrepareContext): void {
  // No derived slots.
}

/**
 * What is wrong with `value` for a parameter or GLOBAL described by `info`, or undefined when it
 * is a finite number inside the declared physical range.
 *
 * @param info the parameter's description
 * @param value the value
 * @returns e.g. `expected a finite number > 0 [ms], got -1`, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parameterProblem } from "./_types.ts";
 * const tau = { unit: "ms", default: 1, min: 0, minExclusive: true };
 * assert.equal(parameterProblem(tau, 2), undefined);
 * assert.equal(parameterProblem(tau, 0), "expected a finite number > 0 [ms], got 0");
 * assert.equal(parameterProblem({ unit: "1", default: 0 }, Infinity), "expected a finite number, got Infinity");
 * ```
 */
export function parameterProblem(info: ParameterInfo, value: number): string | undefined {
  const lo = info.min, hi = info.max;
  const ok = Number.isFinite(value) &&
    (lo === undefined || (info.minExclusive === true ? value > lo : value >= lo)) &&
    (hi === undefined || value <= hi);
  if (ok) return undefined;
  let range = "";
  if (lo !== undefined && hi !== undefined) {
    range = ` in ${info.minExclusive === true ? "(" : "["}${lo}, ${hi}]`;
  } else if (lo !== undefined) range = ` ${info.minExclusive === true ? ">" : ">="} ${lo}`;
  else if (hi !== undefined) range = ` <= ${hi}`;
  const unit = info.unit === "1" || info.unit === "" ? "" : ` [${info.unit}]`;
  return `expected a finite number${range}${unit}, got ${value}`;
}

/**
 * The ion whose current a mechanism writes (`ina`, `ik`, `ica`), or undefined (non-specific or
 * no current).
 *
 * @param m the mechanism
 * @returns the ion name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentIon } from "./_types.ts";
 * import { SK_E2 } from "./sk_e2.ts";
 * assert.equal(currentIon(SK_E2), "k"); // it also reads cai
 * ```
 */
export function currentIon(m: MechanismBase): "na" | "k" | "ca" | undefined {
  return m.ions.find((u) => u.write.includes(`i${u.name}`))?.name;
}

/**
 * True when the mechanism writes the intracellular calcium concentration (CaDynamics_E2): cai
 * is then a state of the node and eca follows the Nernst equation there.
 *
 * @param m the mechanism
 * @returns whether it writes `cai`
 */
export function writesCai(m: MechanismBase): boolean {
  return m.ions.some((u) => u.name === "ca" && u.write.includes("cai"));
}
