/**
 * The mechanism contract (Arbor's ABI idea, Jaxley's small channel contract): a mechanism is
 * plain data plus kernels that loop over structure-of-arrays instance storage and add to the
 * shared node arrays. Kernels allocate nothing and never look up strings per compartment:
 * they destructure `s.fields` once at the top of the call.
 *
 * Units (NEURON's): V, E [mV]; t, dt [ms]; density currents [mA/cm²] (outward positive);
 * density conductances [S/cm²]; concentrations [mM]; point-process currents [nA]; areas [µm²].
 *
 * @module
 */

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
  /** Time step [ms]. */
  dt: number;
  /** Current time [ms]: t_n + dt/2 during current evaluation, t_{n+1} during advance. */
  t: number;
  /** Temperature [°C] (NEURON `celsius`). */
  celsius: number;
  /** FARADAY [C/mol] used inside mechanisms (modern or legacy units, spec/mechanisms.md §1.4). */
  faraday: number;
}

/** Structure-of-arrays storage of the instances of one mechanism. */
export interface MechanismInstances {
  /** Node index of instance k. */
  readonly node: Int32Array;
  /** Every parameter, state and assigned variable by its NMODL name (without suffix). */
  readonly fields: Record<string, Float64Array>;
}

/** A kernel: loops over all instances. */
export type Kernel = (s: MechanismInstances, n: NodeArrays) => void;

/** Description of one parameter. */
export interface ParameterInfo {
  /** Unit as written in the NMODL PARAMETER block (`S/cm2`, `mV`, `ms`, …), for documentation. */
  readonly unit: string;
  /** Value of the NMODL PARAMETER block, used where a .param file does not set it. */
  readonly default: number;
}

/** A density mechanism (NMODL SUFFIX): one file under solver/mechanisms/ exports one. */
export interface DensityMechanism {
  /** Discriminant: a density mechanism (distributed over segment areas). */
  readonly kind: "density";
  /** NMODL SUFFIX, exactly as in .param files. */
  readonly name: string;
  /** Ion it uses (`na`, `k`, `ca`) or undefined for non-specific / none. */
  readonly ion: "na" | "k" | "ca" | undefined;
  /** True when it writes cai (CaDynamics_E2): makes cai a state and eca a Nernst value. */
  readonly writesCai: boolean;
  /** Parameters settable from a .param file (name without suffix → info). */
  readonly parameters: Readonly<Record<string, ParameterInfo>>;
  /** State variable names in NEURON's order. */
  readonly states: readonly string[];
  /**
   * Assigned variables reported by `inspect`, as NEURON names them without suffix (e.g. `ina`,
   * `gNaTa_t`); the current variable comes first.
   */
  readonly assigned: readonly string[];
  /** Gates at steady state for the initial V (NMODL INITIAL); t = 0. */
  readonly init: Kernel;
  /** Adds current at V^n to n.i, slope to n.g (and Ca current to n.ica); stores assigned. */
  readonly current: Kernel;
  /** One cnexp state step at V^{n+1}. */
  readonly advance: Kernel;
}

/** A point process (IClamp, epsp, synapses). Currents are in nA, converted with 100/area. */
export interface PointMechanism {
  /** Discriminant: a point process (one instance per placed object). */
  readonly kind: "point";
  /** NMODL POINT_PROCESS name (`IClamp`, `epsp`, `glutamate_syn`, `gaba_syn`). */
  readonly name: string;
  /** Parameters settable per instance (NMODL PARAMETER name → info). */
  readonly parameters: Readonly<Record<string, ParameterInfo>>;
  /** State variable names in NEURON's order. */
  readonly states: readonly string[];
  /** Assigned variables (the current `i` and the like) as NEURON names them. */
  readonly assigned: readonly string[];
  /** Initial states for the initial V (NMODL INITIAL); t = 0. */
  readonly init: Kernel;
  /** Adds I·100/area [mA/cm²] to n.i and the slope to n.g at the node of each instance. */
  readonly current: Kernel;
  /** One state step (NMODL BREAKPOINT SOLVE) at V^{n+1}. */
  readonly advance: Kernel;
  /**
   * NET_RECEIVE for instance k with `count` weights starting at `weights[offset]`; `n.t` is the
   * event's delivery time. Undefined for mechanisms without events.
   */
  readonly netReceive:
    | ((
      s: MechanismInstances,
      k: number,
      weights: Float64Array,
      offset: number,
      n: NodeArrays,
    ) => void)
    | undefined;
  /**
   * True when instances with these parameters at the same node may be merged into one (linear
   * kinetics, no plasticity: events simply add to the states). Undefined: never merged.
   */
  readonly lumpable: ((params: Readonly<Record<string, number>>) => boolean) | undefined;
  /**
   * Optional faster `current` kernel (tabulated, within rounding-level error of `current`),
   * used in the step loop unless the simulation runs with `rateTables: false`.
   */
  readonly tabulatedCurrent?: Kernel;
}

/** Either kind of mechanism. */
export type Mechanism = DensityMechanism | PointMechanism;

/** Allocates instance storage with every field of `m` (parameters at their defaults). */
export function allocateInstances(m: Mechanism, node: Int32Array): MechanismInstances {
  const fields: Record<string, Float64Array> = {};
  const count = node.length;
  for (const [name, info] of Object.entries(m.parameters)) {
    fields[name] = new Float64Array(count).fill(info.default);
  }
  for (const name of m.states) fields[name] = new Float64Array(count);
  for (const name of m.assigned) fields[name] = new Float64Array(count);
  return { node, fields };
}
