/**
 * The WebAssembly engine's foundations (issue 13, phase A): a module builder that emits
 * WebAssembly bytes straight from TypeScript (no toolchain, no extra permission), the engine's
 * exp and ln in scalar, f64x2 and JavaScript form (bit-identical to each other), the Hines solve for 1,
 * 2 or 4 lock-step sweeps (bit-identical to solver/hines_solver.ts per sweep), the engine's
 * memory layout, and tier detection with a forced fallback. Pure: no files, clocks or
 * randomness. docs/engine.md describes the engine these pieces are for.
 *
 * @example Build, validate and run a two-lane kernel
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectEngineTier, engineExp, emitExp, expScratch, ModuleBuilder } from "./mod.ts";
 * if (detectEngineTier() === "simd") {
 *   const mb = new ModuleBuilder();
 *   const f = mb.addFunction({ params: ["f64", "f64"], results: ["f64"] }, { exportAs: "f" });
 *   const x = f.local("v128");
 *   f.op("local.get", 0);
 *   f.op("f64x2.splat");
 *   f.op("local.get", 1);
 *   f.op("f64x2.replace_lane", 1);
 *   f.op("local.set", x);
 *   emitExp(f, expScratch(f, "f64x2"), x);
 *   f.op("f64x2.extract_lane", 1);
 *   const bytes = mb.encode();
 *   const run = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f as (
 *     a: number, b: number) => number;
 *   assert.equal(run(1, -2.5), engineExp(-2.5));
 * }
 * ```
 *
 * @module
 */

export {
  encodeSignedLeb128,
  encodeUnsignedLeb128,
  FunctionBuilder,
  HIGH_F64_LANES,
  LOW_F64_LANES,
  ModuleBuilder,
  OP_NAMES,
  OPCODES,
} from "./wasm_builder.ts";
export type {
  AddFunctionOptions,
  FuncType,
  Label,
  MemoryLimits,
  OpInfo,
  OpName,
  ValType,
} from "./wasm_builder.ts";
export { emitExp, engineExp, expScratch } from "./wasm_math.ts";
export type { ExpScratch, Width } from "./wasm_math.ts";
export { emitLog, engineLog, logScratch } from "./wasm_log.ts";
export type { LogScratch } from "./wasm_log.ts";
export {
  allocateEngineMemory,
  f64View,
  i32View,
  importEngineMemory,
  readLane,
  REGION_ALIGN,
  regionOffset,
  writeLane,
} from "./engine_memory.ts";
export type {
  EngineMemory,
  EngineMemoryOptions,
  Region,
  RegionKind,
  RegionRequest,
} from "./engine_memory.ts";
export { emitHinesSolve, fillHinesRegions, hinesRegions, setHinesDt } from "./wasm_hines.ts";
export type { HinesMatrix, HinesVariant } from "./wasm_hines.ts";
export { detectEngineTier, selectEngineTier } from "./wasm_support.ts";
export type { EngineTier, SelectTierOptions } from "./wasm_support.ts";
export { lowersMechanism, runEngine } from "./engine.ts";
export type {
  EngineEvents,
  EngineGroup,
  EngineLane,
  EngineModel,
  EngineProbe,
  EngineResult,
  RunEngineOptions,
} from "./engine.ts";
export { JsModuleBuilder } from "./js_module.ts";
export type { JsExports, JsImports } from "./js_module.ts";
export type { FunctionEmitter, ModuleEmitter } from "./wasm_builder.ts";
