/**
 * The intermediate representation (IR) of a compiled NMODL mechanism: plain data (JSON-safe
 * except for `Float64Array`-free numbers), produced by semantic analysis from a `.mod` file and
 * consumed by code generators (the JavaScript backend of this folder; a WebAssembly backend
 * later). Everything is resolved: no names in code, only slots; PROCEDURE and FUNCTION calls are
 * inlined; unit constants are numbers (or unit-mode pairs); cnexp updates are spelled out in
 * nocmodl's operation order; implicit solves (derivimplicit, sparse) are structured statements
 * with their residual or matrix assembly as code.
 *
 * Execution model. Each kernel runs once per instance k (a density mechanism's segment or a
 * point process) with fresh locals, all zero. Per-instance storage is structure-of-arrays:
 * `fields[f][k]`. Node values are read and written only by the explicit `loadNode`,
 * `storeNode` and `addNode` statements at the instance's node `node[k]`. Per-mechanism scalars
 * live in `globals[g]`. Nothing else is reachable: a backend that implements exactly the
 * statements below cannot touch other memory.
 *
 * @module
 */

/** Where a scalar lives. */
export type Slot =
  /** Per-instance value `fields[index][k]`. */
  | { readonly space: "field"; readonly index: number }
  /** Per-mechanism scalar `globals[index]` (shared by all instances). */
  | { readonly space: "global"; readonly index: number }
  /** Kernel-local scalar, fresh (0) for every instance; `locals[index]`. */
  | { readonly space: "local"; readonly index: number }
  /** NET_RECEIVE argument `index`: the NetCon's weight vector entry (read/write). */
  | { readonly space: "arg"; readonly index: number }
  /** Simulation value, read-only: `t` [ms], `dt` [ms], `celsius` [°C], NET_RECEIVE `flag`. */
  | { readonly space: "builtin"; readonly name: BuiltinName }
  /** KINETIC solve only: right-hand side entry `index` of the linear system. */
  | { readonly space: "rhs"; readonly index: number }
  /** KINETIC solve only: matrix element `index` (see {@link KineticSolve.elements}). */
  | { readonly space: "matrix"; readonly index: number }
  /** Implicit solves only: state value saved before the step (`index` = state position). */
  | { readonly space: "saved"; readonly index: number };

/** Read-only simulation values. */
export type BuiltinName = "t" | "dt" | "celsius" | "flag";

/** Math functions a `.mod` file may call (C `math.h` semantics). */
export type MathFunction =
  | "exp"
  | "log"
  | "log10"
  | "fabs"
  | "sqrt"
  | "pow"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "atan2"
  | "sinh"
  | "cosh"
  | "tanh"
  | "floor"
  | "ceil"
  | "fmod"
  | "fmin"
  | "fmax";

/** Binary arithmetic: C double semantics (`pow` is C's `pow`, `mod` is `fmod`). */
export type ArithmeticOp = "add" | "sub" | "mul" | "div" | "pow" | "mod";
/** Comparisons and logic: the result is 1 or 0 (C semantics; `and`/`or` compare with 0). */
export type LogicOp = "lt" | "le" | "gt" | "ge" | "eq" | "ne" | "and" | "or";

/** An expression: a pure function of slots (no side effects, no calls of user code). */
export type Expr =
  | { readonly op: "const"; readonly value: number }
  | { readonly op: "read"; readonly slot: Slot }
  | { readonly op: "neg"; readonly arg: Expr }
  | { readonly op: "not"; readonly arg: Expr }
  | { readonly op: ArithmeticOp; readonly a: Expr; readonly b: Expr }
  | { readonly op: LogicOp; readonly a: Expr; readonly b: Expr }
  | { readonly op: "call"; readonly fn: MathFunction; readonly args: readonly Expr[] };

/** A statement of per-instance code. */
export type Stmt =
  /** `slot = value`. */
  | { readonly op: "assign"; readonly slot: Slot; readonly value: Expr }
  /** Conditional; the condition is true when nonzero (NaN is true, as in C). */
  | {
    readonly op: "if";
    readonly cond: Expr;
    readonly then: readonly Stmt[];
    readonly otherwise: readonly Stmt[];
  }
  /** `slot = nodeArray[node[k]]`. */
  | { readonly op: "loadNode"; readonly slot: Slot; readonly node: number }
  /** `nodeArray[node[k]] = value` (concentrations a mechanism writes). */
  | { readonly op: "storeNode"; readonly node: number; readonly value: Expr }
  /** `nodeArray[node[k]] += value` (ion currents). */
  | { readonly op: "addNode"; readonly node: number; readonly value: Expr }
  /** TABLE lookup: interpolate table `table` at `arg` into `outputs`, or run `direct` when the
   * mechanism's `usetable` global is 0 (NEURON: `usetable_<suffix>`). */
  | {
    readonly op: "table";
    readonly table: number;
    readonly arg: Expr;
    readonly outputs: readonly Slot[];
    readonly direct: readonly Stmt[];
  }
  /** Draw from the instance's random stream into `slot` (see {@link RandomIR}). */
  | { readonly op: "random"; readonly slot: Slot; readonly distribution: "exponential" }
  /** NEURON `net_send(delay, flag)`: a self-event to this instance at t + delay. */
  | { readonly op: "netSend"; readonly delay: Expr; readonly flag: Expr }
  /** derivimplicit step (or steady state) of a DERIVATIVE block, see {@link NewtonSolve}. */
  | NewtonSolve
  /** sparse step (or steady state) of a KINETIC block, see {@link KineticSolve}. */
  | KineticSolve;

/**
 * NEURON's `derivimplicit`: backward Euler on the states, solved by Newton's method with a
 * finite-difference Jacobian (scopmath `nrn_newton_thread`, `crout`, `solve`; constants
 * MAXITERS 50, MAXCHANGE 0.05, CONVERGE 1e-6, ZERO 1e-8, STEP 1e-6, ROUNDOFF 1e-20).
 *
 * Semantics: save the states into `saved`; run Newton on the residual
 * F_i(x) = D_i(x) − (x_i − saved_i)/dt, where one evaluation of F runs `body` (which assigns
 * the derivative D_i to `derivs[i]`, and may compute assigned values); then run `body` once more
 * with the solution. With `dt` set (steady state), the block runs with that dt instead of the
 * simulation's (NEURON: 1e-9 for `STEADYSTATE derivimplicit`).
 */
export interface NewtonSolve {
  /** Discriminant. */
  readonly op: "newton";
  /** State slots in NEURON's order (order of the equations). */
  readonly states: readonly Slot[];
  /** Local slots that receive D_i = x_i'. */
  readonly derivs: readonly Slot[];
  /** The block with each `x' = e` turned into `derivs[i] = e`. */
  readonly body: readonly Stmt[];
  /** dt override for steady state, or undefined for a time step. */
  readonly dt: number | undefined;
}

/**
 * NEURON's `sparse` solve of a KINETIC block (scopmath `sparse_thread`): backward Euler on the
 * states with the reactions' Jacobian; a linear scheme takes one linear solve, a nonlinear one
 * iterates (states clamped at 0) until Σ|Δx| ≤ 1e-6 (at most 21 iterations). CONSERVE rows
 * replace the equations of their first state. Steady state (`STEADYSTATE sparse`) uses dt = 1e9
 * and always iterates (NEURON's `_ss_sparse_thread`).
 *
 * One iteration: zero `rhs` and `matrix`; run `assemble` (it reads the current states and
 * `saved`); run `elimination`; add `rhs[i]` (now the solution Δx) to state i. After the loop,
 * `assemble` runs once more (so assigned values match the final states).
 */
export interface KineticSolve {
  /** Discriminant. */
  readonly op: "kinetic";
  /** State slots in equation order (row/column index). */
  readonly states: readonly Slot[];
  /** Matrix elements: element index → (row, column), 0-based. */
  readonly elements: readonly { readonly row: number; readonly col: number }[];
  /** Matrix and right-hand-side assembly (nocmodl's generated kinetic function body). */
  readonly assemble: readonly Stmt[];
  /** The LU elimination program in NEURON's pivot order (see {@link EliminationStep}). */
  readonly elimination: readonly EliminationStep[];
  /** True when no reaction rate depends on a state (one linear solve per step). */
  readonly linear: boolean;
  /** dt override for steady state (1e9), or undefined for a time step. */
  readonly dt: number | undefined;
}

/**
 * One operation of a sparse LU solve, in order:
 * - `pivot`: fail (singular) if |matrix[pivot]| ≤ 1e-20;
 * - `eliminate`: r = matrix[sub] / matrix[pivot]; rhs[subRow] −= rhs[pivotRow]·r; then for
 *   each pair (p, s) of `pairs`: matrix[s] −= matrix[p]·r;
 * - `backsub`: for each (e, col) of `terms`: rhs[row] −= matrix[e]·rhs[col]; then
 *   rhs[row] /= matrix[diag].
 */
export type EliminationStep =
  | { readonly op: "pivot"; readonly pivot: number }
  | {
    readonly op: "eliminate";
    readonly pivot: number;
    readonly sub: number;
    readonly pivotRow: number;
    readonly subRow: number;
    readonly pairs: readonly (readonly [number, number])[];
  }
  | {
    readonly op: "backsub";
    readonly row: number;
    readonly diag: number;
    readonly terms: readonly (readonly [number, number])[];
  };

/** A per-instance variable. */
export interface FieldIR {
  /** NMODL name (internal fields start with `_`). */
  readonly name: string;
  /** What it is. */
  readonly role: "parameter" | "state" | "assigned" | "internal";
  /** Units as written in the file (`""` when none). */
  readonly unit: string;
  /** Initial value at allocation (PARAMETER default, else 0). */
  readonly value: number;
  /** True when hoc could see it (RANGE, or a STATE): recordable and settable. */
  readonly visible: boolean;
}

/** A per-mechanism scalar. */
export interface GlobalIR {
  /** NMODL name (`usetable`, `m0` for state initial values, …). */
  readonly name: string;
  /** What it is. */
  readonly role: "parameter" | "assigned" | "local" | "unitConstant" | "stateInit" | "usetable";
  /** Units as written. */
  readonly unit: string;
  /** Value with modern units (NEURON ≥ 8, the default). */
  readonly value: number;
  /** Value with legacy units (NEURON ≤ 7) where it differs (unit constants only). */
  readonly legacyValue: number;
}

/** A node array a mechanism reads or writes. */
export interface NodeVarIR {
  /** NEURON's name: `v`, `area`, or an ion variable (`ena`, `ik`, `cai`, `cao`, `eca`, …). */
  readonly name: string;
  /** What it is. */
  readonly kind: "v" | "area" | "reversal" | "current" | "concentrationIn" | "concentrationOut";
  /** Ion name for ion variables. */
  readonly ion: string | undefined;
}

/** A USEION statement. */
export interface IonIR {
  /** Ion name. */
  readonly ion: string;
  /** VALENCE if given. */
  readonly valence: number | undefined;
  /** Names after READ, in order. */
  readonly reads: readonly string[];
  /** Names after WRITE, in order. */
  readonly writes: readonly string[];
}

/** A kernel: per-instance code. */
export interface KernelIR {
  /** Number of local slots. */
  readonly locals: number;
  /** Statements run for each instance. */
  readonly body: readonly Stmt[];
}

/**
 * The current kernel (NEURON's `nrn_cur`). Per instance: run `prologue`; then (numeric
 * conductance) set local `v` to V + 0.001, run `body`, sum `currents` → I₁; set `v` to V, run
 * `body`, sum → I₀; g = (I₁ − I₀)/0.001; or (analytic conductance) set `v` to V, run `body`,
 * I₀ = sum, g = `conductance`. Point processes scale both by 1e2/area (first g, then I₀).
 * Then node.i += I₀ and node.g += g (electrode currents: −=). Then each ion current is added to
 * its node array (`ionCurrents`; point processes: value·1e2/area).
 */
export interface CurrentKernelIR {
  /** Number of local slots. */
  readonly locals: number;
  /** Loads of ion values before the evaluations. */
  readonly prologue: readonly Stmt[];
  /** Local slot of the mechanism's copy of v. */
  readonly v: Slot;
  /** Local slot that receives the node's area (point processes), else undefined. */
  readonly area: Slot | undefined;
  /** The BREAKPOINT statements other than SOLVE. */
  readonly body: readonly Stmt[];
  /** Current variables summed in NEURON's order (ion currents of USEION order, then others). */
  readonly currents: readonly Slot[];
  /** True for an ELECTRODE_CURRENT (injected: enters with the opposite sign). */
  readonly electrode: boolean;
  /** Ion currents added to node arrays after the evaluation. */
  readonly ionCurrents: readonly { readonly slot: Slot; readonly node: number }[];
  /**
   * dI/dV in closed form, when every current is affine in v (then it equals NEURON's
   * difference quotient up to rounding); evaluated after `body` at V. Undefined otherwise.
   */
  readonly conductance: Expr | undefined;
}

/** A NET_RECEIVE block. */
export interface NetReceiveIR {
  /** Argument names (the NetCon weight vector layout). */
  readonly args: readonly string[];
  /** Number of local slots (shared by `initial` and `body`). */
  readonly locals: number;
  /** Statements at each event; `t` is the delivery time. */
  readonly body: readonly Stmt[];
  /** The NET_RECEIVE INITIAL block, run once per NetCon at initialization (t = 0). */
  readonly initial: readonly Stmt[];
}

/** A TABLE (NEURON's `_check_*` / `_n_*` / `_f_*` triple). */
export interface TableIR {
  /** The tabulated PROCEDURE or FUNCTION (for messages). */
  readonly name: string;
  /** Number of points (WITH n → n + 1). */
  readonly points: number;
  /** Lower end, evaluated when the table is built. */
  readonly from: Expr;
  /** Upper end, evaluated when the table is built. */
  readonly to: Expr;
  /** Slots (globals or builtins) whose change rebuilds the table. */
  readonly depend: readonly Slot[];
  /** Number of columns (outputs). */
  readonly columns: number;
  /** Locals used by `build`. */
  readonly locals: number;
  /** Local slot holding the argument x while `build` runs. */
  readonly arg: Slot;
  /** Computes one row at `arg` into `outputs` (may only read globals, builtins, locals). */
  readonly build: readonly Stmt[];
  /** Local slots holding the row after `build`. */
  readonly outputs: readonly Slot[];
}

/** The random stream of an instance (ISF's stochastic synapses). */
export interface RandomIR {
  /**
   * Why it exists: `isfRandomPointer` is the recognised VERBATIM pattern of ISF's
   * ProbAMPANMDA2/ProbUDFsyn2 (`POINTER rng`, `setRNG`, `erand()` = the NEURON Random object's
   * next value, which ISF sets to `negexp(1)`).
   */
  readonly source: "isfRandomPointer";
}

/** A compiled mechanism. */
export interface MechanismIR {
  /** SUFFIX or POINT_PROCESS name. */
  readonly name: string;
  /** Density (SUFFIX) or point process. */
  readonly kind: "density" | "point";
  /** Source file as named by the caller. */
  readonly file: string;
  /** TITLE, if any. */
  readonly title: string | undefined;
  /** Per-instance variables. */
  readonly fields: readonly FieldIR[];
  /** Per-mechanism scalars. */
  readonly globals: readonly GlobalIR[];
  /** USEION statements in order. */
  readonly ions: readonly IonIR[];
  /** Node arrays referenced by `loadNode`/`storeNode`/`addNode` (by index). */
  readonly nodeVars: readonly NodeVarIR[];
  /** Index into `globals` of `usetable`, or −1 when there are no tables. */
  readonly usetable: number;
  /** Tables. */
  readonly tables: readonly TableIR[];
  /** NEURON's `nrn_init`: loads, `x = x0`, INITIAL, stores. */
  readonly init: KernelIR;
  /**
   * Derived per-instance values: each statement assigns an internal field from PARAMETERs, GLOBAL
   * parameters, unit constants, dt and celsius only (values no kernel writes). Run after `init`,
   * and again whenever dt or a parameter changes; `advance` and `current` read the fields instead
   * of recomputing the expressions (CaDynamics_E2's 1 − exp(dt·(−1/decay))). Hoisting keeps each
   * expression tree as is, so results are bit-identical.
   */
  readonly prepare: KernelIR;
  /** NEURON's `nrn_cur`; undefined when the mechanism has no current. */
  readonly current: CurrentKernelIR | undefined;
  /** NEURON's `nrn_state`: loads, SOLVE steps (and BREAKPOINT statements if no current), stores. */
  readonly advance: KernelIR;
  /** NET_RECEIVE, if any (point processes). */
  readonly netReceive: NetReceiveIR | undefined;
  /** The instance random stream, if the mechanism draws random numbers. */
  readonly random: RandomIR | undefined;
  /** True when the mechanism writes an internal concentration (e.g. cai): eca follows Nernst. */
  readonly writesConcentration: readonly string[];
  /** Notes for the user (e.g. nocmodl's fallback from cnexp to derivimplicit). */
  readonly warnings: readonly string[];
}
