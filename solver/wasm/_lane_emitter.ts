/**
 * Emission helpers shared by the engine's kernels: one arithmetic vocabulary that lowers to f64
 * (one sweep per value) or f64x2 (two sweeps per value), and loads/stores against the regions
 * of an {@link EngineMemory} with their offsets baked into the instructions. A kernel written
 * once against a {@link LaneEmitter} performs the same IEEE operations in the same order in
 * every lane and flavour, which is what makes a lock-step sweep bit-identical to the same sweep
 * run alone.
 *
 * @module
 */
import type { EngineMemory } from "./engine_memory.ts";
import type { FunctionEmitter as FunctionBuilder, OpName, ValType } from "./wasm_builder.ts";
import type { Width } from "./wasm_math.ts";

/** Arithmetic roles with the same meaning per lane in both widths. */
export type Arith = "add" | "sub" | "mul" | "div" | "neg" | "min" | "max" | "abs" | "sqrt";

const ARITH: Readonly<Record<Width, Readonly<Record<Arith, OpName>>>> = {
  f64: {
    add: "f64.add",
    sub: "f64.sub",
    mul: "f64.mul",
    div: "f64.div",
    neg: "f64.neg",
    min: "f64.min",
    max: "f64.max",
    abs: "f64.abs",
    sqrt: "f64.sqrt",
  },
  f64x2: {
    add: "f64x2.add",
    sub: "f64x2.sub",
    mul: "f64x2.mul",
    div: "f64x2.div",
    neg: "f64x2.neg",
    min: "f64x2.min",
    max: "f64x2.max",
    abs: "f64x2.abs",
    sqrt: "f64x2.sqrt",
  },
};

/**
 * Emits per-lane arithmetic and memory access for one function.
 *
 * `half` selects which pair of lanes an f64x2 value covers when a group has 4 lanes (two
 * vectors per entry): its loads and stores are offset by 16 bytes·half.
 */
export class LaneEmitter {
  /** The function being written. */
  readonly fb: FunctionBuilder;
  /** f64 (lanes = 1) or f64x2 (lanes = 2 or 4). */
  readonly width: Width;
  /** The memory whose regions are addressed. */
  readonly mem: EngineMemory;
  /** Which 16-byte half of a 4-lane entry this emitter addresses (0 otherwise). */
  readonly half: number;
  /** log2 of the bytes per entry of a per-lane region (3 + log2 lanes). */
  readonly laneShift: number;

  /**
   * @param fb the function
   * @param mem the memory (its `lanes` fixes the width)
   * @param half 0, or 1 for the upper lane pair of a 4-lane group
   */
  constructor(fb: FunctionBuilder, mem: EngineMemory, half = 0) {
    this.fb = fb;
    this.mem = mem;
    this.width = mem.lanes === 1 ? "f64" : "f64x2";
    this.half = half;
    this.laneShift = 3 + Math.log2(mem.lanes);
  }

  /** The value type of one per-lane value. */
  get valType(): ValType {
    return this.width === "f64" ? "f64" : "v128";
  }

  /** Declares a local holding one per-lane value. */
  local(): number {
    return this.fb.local(this.valType);
  }

  /** Emits an arithmetic operation on the stack values. */
  op(a: Arith): void {
    this.fb.op(ARITH[this.width][a]);
  }

  /** Pushes a constant (in every lane). */
  constant(x: number): void {
    if (this.width === "f64") this.fb.f64Const(x);
    else this.fb.f64x2Const(x);
  }

  /** Pushes local `l`. */
  get(l: number): void {
    this.fb.op("local.get", l);
  }

  /** Pops into local `l`. */
  set(l: number): void {
    this.fb.op("local.set", l);
  }

  /** Stores the top of the stack into local `l` and keeps it. */
  tee(l: number): void {
    this.fb.op("local.tee", l);
  }

  #offset(name: string, perLane: boolean): number {
    const r = this.mem.regions.get(name);
    if (r === undefined) throw new RangeError(`No region "${name}" in the engine memory`);
    if (r.request.perLane !== perLane) {
      throw new TypeError(`Region "${name}" is ${r.request.perLane ? "per lane" : "shared"}`);
    }
    return r.offset + (perLane ? 16 * this.half : 0);
  }

  /** Pushes entry k of per-lane region `name`; `addr` holds k·(8·lanes) [bytes]. */
  load(name: string, addr: number): void {
    this.fb.op("local.get", addr);
    this.fb.op(this.width === "f64" ? "f64.load" : "v128.load", this.#offset(name, true));
  }

  /** Pushes entry k of shared f64 region `name` in every lane; `addr` holds k·8 [bytes]. */
  loadShared(name: string, addr: number): void {
    this.fb.op("local.get", addr);
    this.fb.op(this.width === "f64" ? "f64.load" : "v128.load64_splat", this.#offset(name, false));
  }

  /** Stores what `value` pushes into entry k of per-lane region `name` (`addr` as in {@link load}). */
  store(name: string, addr: number, value: () => void): void {
    this.fb.op("local.get", addr);
    value();
    this.fb.op(this.width === "f64" ? "f64.store" : "v128.store", this.#offset(name, true));
  }

  /** Pushes the i32 entry k of shared i32 region `name`; `addr` holds k·4 [bytes]. */
  loadIndex(name: string, addr: number): void {
    this.fb.op("local.get", addr);
    this.fb.op("i32.load", this.#offset(name, false));
  }
}

/**
 * Emits `for (k = from; k !== to; k += step)` with the body given, k in local `k` (i32);
 * `from !== to` is required (the body runs at least once).
 *
 * @param fb the function
 * @param k the counter local
 * @param from first value
 * @param to the value that ends the loop
 * @param step the increment (`to − from` must be a multiple of it)
 * @param body emits the body
 */
export function emitCountedLoop(
  fb: FunctionBuilder,
  k: number,
  from: number,
  to: number,
  step: number,
  body: () => void,
): void {
  if (from === to) return;
  fb.i32Const(from);
  fb.op("local.set", k);
  const loop = fb.loop();
  body();
  fb.op("local.get", k);
  fb.i32Const(step);
  fb.op("i32.add");
  fb.op("local.tee", k);
  fb.i32Const(to);
  fb.op("i32.ne");
  fb.brIf(loop);
  fb.op("end");
}

/** Emits `local[dst] = local[src] << shift` (byte addresses from indices). */
export function emitShift(fb: FunctionBuilder, dst: number, src: number, shift: number): void {
  fb.op("local.get", src);
  fb.i32Const(shift);
  fb.op("i32.shl");
  fb.op("local.set", dst);
}
