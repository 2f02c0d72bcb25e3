/**
 * Which execution tier this runtime offers: WebAssembly with 128-bit SIMD (lock-step sweeps in
 * f64x2 lanes), WebAssembly without SIMD (scalar kernels, one sweep at a time), or none (the
 * JavaScript kernels, e.g. under V8's `--jitless`). Detected by validating two tiny modules, so
 * nothing is compiled or run; a caller can force a lower tier to test the fallback.
 *
 * @module
 */
import { ModuleBuilder } from "./wasm_builder.ts";

/** The tiers, fastest first. */
export type EngineTier = "simd" | "scalar" | "js";

/** Options of {@link selectEngineTier}. */
export interface SelectTierOptions {
  /** Use at most this tier (tests and `--engine` style overrides); default `"simd"`. */
  readonly atMost?: EngineTier;
}

const ORDER: readonly EngineTier[] = ["js", "scalar", "simd"];

/** A module with one function `(f64) → f64` that uses f64x2 (SIMD) or only f64. */
function probe(simd: boolean): Uint8Array<ArrayBuffer> {
  const mb = new ModuleBuilder();
  const f = mb.addFunction({ params: ["f64"], results: ["f64"] });
  f.op("local.get", 0);
  if (simd) {
    f.op("f64x2.splat");
    f.op("f64x2.extract_lane", 1);
  }
  return mb.encode();
}

/**
 * The fastest tier this runtime supports.
 *
 * @returns `"simd"`, `"scalar"` or `"js"`
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { detectEngineTier } from "./wasm_support.ts";
 * assert.ok(["simd", "scalar", "js"].includes(detectEngineTier()));
 * ```
 */
export function detectEngineTier(): EngineTier {
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined || typeof wasm.validate !== "function") return "js";
  try {
    if (!wasm.validate(probe(false))) return "js";
    return wasm.validate(probe(true)) ? "simd" : "scalar";
  } catch {
    return "js";
  }
}

/**
 * The tier to run: the detected one, capped by `options.atMost`.
 *
 * @param options the cap
 * @returns the tier
 * @example Forcing the JavaScript fallback
 * ```ts
 * import assert from "node:assert/strict";
 * import { selectEngineTier } from "./wasm_support.ts";
 * assert.equal(selectEngineTier({ atMost: "js" }), "js");
 * ```
 */
export function selectEngineTier(options: SelectTierOptions = {}): EngineTier {
  const detected = detectEngineTier();
  const cap = options.atMost ?? "simd";
  return ORDER.indexOf(detected) <= ORDER.indexOf(cap) ? detected : cap;
}
