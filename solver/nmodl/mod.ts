/**
 * The NMODL compiler: a user's `.mod` files compiled at run time, without a C compiler.
 *
 * `compileNmodl(text, { file })` parses the supported NMODL subset (docs/mechanisms.md),
 * analyses it into a plain-data intermediate representation ({@link MechanismIR}: every name
 * resolved to a slot, calls inlined, cnexp/derivimplicit/sparse and TABLEs in NEURON's operation
 * order) and generates JavaScript kernels from the IR alone (`new Function`, no text of the file
 * in the code). `toMechanism` adapts a compiled mechanism to the solver's mechanism contract (a
 * catalogue entry for `prepareModel`). A file outside the subset gives a structured error (file,
 * line, column, construct) instead of a mechanism.
 *
 * This folder is part of the solver layer; it imports only the mechanism contract and rate
 * tables (solver/mechanisms) and io's error types.
 *
 * @example Compile a leak channel and run its current kernel on one node
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileNmodl, toDensityMechanism } from "./mod.ts";
 * import { allocateInstances } from "../mechanisms/_types.ts";
 * import { makeNodes, prepareContext } from "../mechanisms/_testing.ts";
 * const r = compileNmodl(`
 *   NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE g, e }
 *   PARAMETER { g = 0.001 (S/cm2) e = -70 (mV) }
 *   ASSIGNED { v (mV) i (mA/cm2) }
 *   BREAKPOINT { i = g*(v - e) }`, { file: "leak.mod" });
 * if (!r.ok) throw r.error;
 * const leak = toDensityMechanism(r.mechanism);
 * const n = makeNodes(1, { v: -60 });
 * const s = allocateInstances(leak, new Int32Array([0]));
 * leak.prepare(s, prepareContext(n));
 * leak.init(s, n);
 * leak.current(s, n);
 * assert.ok(Math.abs(n.i[0] - 0.01) < 1e-15); // 0.001 S/cm² · 10 mV
 * assert.equal(n.g[0], 0.001);
 * ```
 *
 * @module
 */

export { compileIr, compileNmodl } from "./compile.ts";
export type { CompiledMechanism, CompileOptions, CompileResult } from "./compile.ts";
export {
  exactOnlyReason,
  fastModeLayout,
  toDensityMechanism,
  toMechanism,
  toPointMechanism,
} from "./adapter.ts";
export type { FastModeLayout } from "./adapter.ts";
export { GLOBALS_SLOT, QUIET_FLAGS_SLOT, TABLE_META_SLOT, TABLES_SLOT } from "./js_backend.ts";
export { generateJs } from "./js_backend.ts";
export { exprOperands, forEachSlot } from "./ir_slots.ts";
export { evalBinary, MATH_FUNCTIONS } from "./_math.ts";
export type {
  GeneratedKernel,
  GeneratedMechanism,
  GeneratedNetReceive,
  GeneratedNodes,
  JsBackendOptions,
  TableLayout,
} from "./js_backend.ts";
export type {
  ArithmeticOp,
  BuiltinName,
  CurrentKernelIR,
  EliminationStep,
  Expr,
  FieldIR,
  GlobalIR,
  IonIR,
  KernelIR,
  KineticSolve,
  LogicOp,
  MathFunction,
  MechanismIR,
  NetReceiveIR,
  NewtonSolve,
  NodeVarIR,
  RandomIR,
  Slot,
  Stmt,
  TableIR,
} from "./ir.ts";
export type {
  DensityMechanism,
  Kernel,
  Mechanism,
  MechanismInstances,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
} from "../mechanisms/_types.ts";
export type { InputSyntaxError, InputValueError } from "../../io/mod.ts";
