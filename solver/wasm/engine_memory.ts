/**
 * The engine's memory: one `WebAssembly.Memory` holding every array the step loop touches
 * (node arrays, matrix coefficients, mechanism structure-of-arrays fields, tables), laid out
 * once per model with fixed byte offsets that the generated kernels carry as constants.
 *
 * Lock-step sweeps: an array that differs between sweeps (V, currents, states) is *per lane*:
 * entry k of lane s sits at element k·lanes + s, so one 128-bit load reads entry k of two
 * sweeps and a kernel's f64x2 lane s computes sweep s. Arrays every sweep shares (parent
 * indices, axial coefficients, parameters that are equal across sweeps) are stored once and
 * splatted. With one lane the layout is plain structure of arrays, and the `Float64Array` views
 * this module returns are exactly what the JavaScript kernels index, so the fallback path runs
 * on the same memory. Where WebAssembly is absent (V8 `--jitless`) the memory is a plain
 * `ArrayBuffer` with the same layout.
 *
 * @module
 */

import type { ModuleEmitter as ModuleBuilder } from "./wasm_builder.ts";

/** Element type of a region. */
export type RegionKind = "f64" | "i32";

/** One array to place. */
export interface RegionRequest {
  /** Unique name (e.g. `"v"`, `"NaTa_t.m"`). */
  readonly name: string;
  /** Element type. */
  readonly kind: RegionKind;
  /** Number of entries per lane (nodes, instances). */
  readonly length: number;
  /** True when every lane (sweep) has its own copy, interleaved; false when shared. */
  readonly perLane: boolean;
}

/** Where one region lives. */
export interface Region {
  /** The request it satisfies. */
  readonly request: RegionRequest;
  /** Byte offset in the memory (a multiple of {@link REGION_ALIGN}). */
  readonly offset: number;
  /** Number of elements (length · lanes for per-lane regions). */
  readonly elements: number;
}

/** Options of {@link allocateEngineMemory}. */
export interface EngineMemoryOptions {
  /** Sweeps per lock-step group: 1, 2 or 4 (default 1). */
  readonly lanes?: number;
  /**
   * Back the regions with a `WebAssembly.Memory` (default: when the runtime has WebAssembly);
   * false gives a plain `ArrayBuffer` for the JavaScript tier.
   */
  readonly wasm?: boolean;
}

/** The allocated memory with its regions. */
export interface EngineMemory {
  /** The memory the kernels import; undefined for the JavaScript tier. */
  readonly memory: WebAssembly.Memory | undefined;
  /** The bytes every view covers (the memory's buffer, or a plain one). */
  readonly buffer: ArrayBuffer;
  /** Sweeps per lock-step group. */
  readonly lanes: number;
  /** Regions by name. */
  readonly regions: ReadonlyMap<string, Region>;
  /** Bytes in use (the memory is this rounded up to 64 KiB pages). */
  readonly bytes: number;
}

/** Every region starts on a 64-byte boundary (a cache line; v128 loads are aligned). */
export const REGION_ALIGN = 64;
const PAGE = 65536;

/**
 * Lays out the regions in request order and allocates the memory (zero-filled).
 *
 * @param requests the arrays
 * @param options lanes per lock-step group
 * @returns the memory and the regions
 * @throws RangeError for a duplicate name, a negative length or a lane count other than 1, 2, 4
 * @example Two node arrays for 2 lock-step sweeps
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocateEngineMemory, f64View } from "./engine_memory.ts";
 * const m = allocateEngineMemory([
 *   { name: "v", kind: "f64", length: 3, perLane: true },
 *   { name: "area", kind: "f64", length: 3, perLane: false },
 * ], { lanes: 2 });
 * assert.equal(f64View(m, "v").length, 6);
 * assert.equal(m.regions.get("area")?.offset, 64);
 * ```
 */
export function allocateEngineMemory(
  requests: readonly RegionRequest[],
  options: EngineMemoryOptions = {},
): EngineMemory {
  const lanes = options.lanes ?? 1;
  if (lanes !== 1 && lanes !== 2 && lanes !== 4) {
    throw new RangeError(`Lanes must be 1, 2 or 4, got ${lanes}`);
  }
  const regions = new Map<string, Region>();
  let end = 0;
  for (const r of requests) {
    if (regions.has(r.name)) throw new RangeError(`Duplicate region "${r.name}"`);
    if (!Number.isInteger(r.length) || r.length < 0) {
      throw new RangeError(`Region "${r.name}": length must be an integer ≥ 0, got ${r.length}`);
    }
    const offset = Math.ceil(end / REGION_ALIGN) * REGION_ALIGN;
    const elements = r.perLane ? r.length * lanes : r.length;
    regions.set(r.name, { request: r, offset, elements });
    end = offset + elements * (r.kind === "f64" ? 8 : 4);
  }
  const pages = Math.max(1, Math.ceil(end / PAGE));
  const wasm = options.wasm ??
    typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === "object";
  if (!wasm) {
    return { memory: undefined, buffer: new ArrayBuffer(pages * PAGE), lanes, regions, bytes: end };
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  // A non-shared memory's buffer is an ArrayBuffer (fixed size: the memory never grows).
  return { memory, buffer: memory.buffer as ArrayBuffer, lanes, regions, bytes: end };
}

/**
 * Declares `m` as the module's imported memory `env.memory` (its exact page count) and returns
 * the import object to instantiate with.
 *
 * @param mb the module
 * @param m the memory (WebAssembly-backed)
 * @returns `{ env: { memory } }`
 * @throws TypeError when `m` is the JavaScript tier's plain buffer
 */
export function importEngineMemory(
  mb: ModuleBuilder,
  m: EngineMemory,
): { env: { memory: WebAssembly.Memory } } {
  if (m.memory === undefined) {
    throw new TypeError(
      "The engine memory is a plain ArrayBuffer (JavaScript tier), not WebAssembly",
    );
  }
  const pages = m.buffer.byteLength / PAGE;
  mb.importMemory("env", "memory", { initial: pages, maximum: pages });
  return { env: { memory: m.memory } };
}

function region(m: EngineMemory, name: string, kind: RegionKind): Region {
  const r = m.regions.get(name);
  if (r === undefined) throw new RangeError(`No region "${name}" in the engine memory`);
  if (r.request.kind !== kind) {
    throw new TypeError(`Region "${name}" holds ${r.request.kind}, not ${kind}`);
  }
  return r;
}

/**
 * A `Float64Array` over a region (all lanes, interleaved).
 *
 * @param m the memory
 * @param name the region
 * @returns the view (valid as long as the memory is not grown; it never is)
 */
export function f64View(m: EngineMemory, name: string): Float64Array {
  const r = region(m, name, "f64");
  return new Float64Array(m.buffer, r.offset, r.elements);
}

/**
 * An `Int32Array` over a region.
 *
 * @param m the memory
 * @param name the region
 * @returns the view
 */
export function i32View(m: EngineMemory, name: string): Int32Array {
  const r = region(m, name, "i32");
  return new Int32Array(m.buffer, r.offset, r.elements);
}

/**
 * Byte offset of a region (what a kernel adds to its element address).
 *
 * @param m the memory
 * @param name the region
 * @returns the offset [bytes]
 */
export function regionOffset(m: EngineMemory, name: string): number {
  const r = m.regions.get(name);
  if (r === undefined) throw new RangeError(`No region "${name}" in the engine memory`);
  return r.offset;
}

/**
 * Writes one lane of a per-lane region (or the whole of a shared one, with lane 0).
 *
 * @param m the memory
 * @param name the region
 * @param lane the sweep's lane
 * @param values one value per entry
 */
export function writeLane(
  m: EngineMemory,
  name: string,
  lane: number,
  values: ArrayLike<number>,
): void {
  const view = f64View(m, name);
  const stride = m.regions.get(name)!.request.perLane ? m.lanes : 1;
  for (let k = 0; k < values.length; k++) view[k * stride + lane] = values[k];
}

/**
 * Reads one lane of a region into a new array.
 *
 * @param m the memory
 * @param name the region
 * @param lane the sweep's lane
 * @returns one value per entry
 */
export function readLane(m: EngineMemory, name: string, lane: number): Float64Array {
  const view = f64View(m, name);
  const r = m.regions.get(name)!;
  const stride = r.request.perLane ? m.lanes : 1;
  const out = new Float64Array(r.request.length);
  for (let k = 0; k < out.length; k++) out[k] = view[k * stride + lane];
  return out;
}
