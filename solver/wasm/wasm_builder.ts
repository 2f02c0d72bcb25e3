/**
 * A small WebAssembly module builder: types, function imports, one memory (own or imported),
 * globals, functions with locals and structured control flow, exports, and the scalar and
 * 128-bit SIMD instructions the solver's kernels use, encoded straight to bytes (LEB128 for
 * integers, little-endian IEEE-754 for float constants). It replaces a toolchain: building a
 * kernel module takes well under a millisecond and needs no npm package, native add-on or extra
 * permission (measured against wabt, binaryen and AssemblyScript in docs/engine.md).
 *
 * Instructions are named as in the WebAssembly text format (`"f64x2.add"`), so a kernel reads
 * like WAT; {@link FunctionBuilder.op} checks the immediates each instruction takes. The builder
 * does not type-check the operand stack: `WebAssembly.validate` does that on the finished bytes.
 *
 * @module
 */

/** A WebAssembly value type. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "v128";

/** A function signature. */
export interface FuncType {
  /** Parameter types in order. */
  readonly params: readonly ValType[];
  /** Result types in order (at most one is used by the kernels). */
  readonly results: readonly ValType[];
}

const VALTYPE_CODE: Readonly<Record<ValType, number>> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b,
};

/**
 * One instruction's encoding: the opcode byte, or [prefix, sub-opcode] for the 0xFC/0xFD
 * families; the kind of immediate it takes; the natural alignment (log2 bytes) of memory access.
 */
export type OpInfo = readonly [
  number | readonly [number, number],
  "none" | "index" | "memarg" | "lane" | "memarg_lane",
  number?,
];

/**
 * Every instruction the builder emits, by its text-format name (the WebAssembly core
 * specification 2.0 binary encoding). Control instructions with block types (block, loop, if),
 * constants and `br_table` have their own methods.
 */
export const OPCODES = {
  "unreachable": [0x00, "none"],
  "nop": [0x01, "none"],
  "else": [0x05, "none"],
  "end": [0x0b, "none"],
  "return": [0x0f, "none"],
  "call": [0x10, "index"],
  "drop": [0x1a, "none"],
  "select": [0x1b, "none"],
  "local.get": [0x20, "index"],
  "local.set": [0x21, "index"],
  "local.tee": [0x22, "index"],
  "global.get": [0x23, "index"],
  "global.set": [0x24, "index"],
  "i32.load": [0x28, "memarg", 2],
  "i64.load": [0x29, "memarg", 3],
  "f32.load": [0x2a, "memarg", 2],
  "f64.load": [0x2b, "memarg", 3],
  "i32.load8_s": [0x2c, "memarg", 0],
  "i32.load8_u": [0x2d, "memarg", 0],
  "i32.load16_s": [0x2e, "memarg", 1],
  "i32.load16_u": [0x2f, "memarg", 1],
  "i32.store": [0x36, "memarg", 2],
  "i64.store": [0x37, "memarg", 3],
  "f32.store": [0x38, "memarg", 2],
  "f64.store": [0x39, "memarg", 3],
  "i32.store8": [0x3a, "memarg", 0],
  "i32.store16": [0x3b, "memarg", 1],
  "i32.eqz": [0x45, "none"],
  "i32.eq": [0x46, "none"],
  "i32.ne": [0x47, "none"],
  "i32.lt_s": [0x48, "none"],
  "i32.lt_u": [0x49, "none"],
  "i32.gt_s": [0x4a, "none"],
  "i32.gt_u": [0x4b, "none"],
  "i32.le_s": [0x4c, "none"],
  "i32.le_u": [0x4d, "none"],
  "i32.ge_s": [0x4e, "none"],
  "i32.ge_u": [0x4f, "none"],
  "i64.eqz": [0x50, "none"],
  "i64.eq": [0x51, "none"],
  "i64.ne": [0x52, "none"],
  "i64.lt_s": [0x53, "none"],
  "i64.gt_s": [0x55, "none"],
  "i64.le_s": [0x57, "none"],
  "i64.ge_s": [0x59, "none"],
  "f64.eq": [0x61, "none"],
  "f64.ne": [0x62, "none"],
  "f64.lt": [0x63, "none"],
  "f64.gt": [0x64, "none"],
  "f64.le": [0x65, "none"],
  "f64.ge": [0x66, "none"],
  "i32.clz": [0x67, "none"],
  "i32.add": [0x6a, "none"],
  "i32.sub": [0x6b, "none"],
  "i32.mul": [0x6c, "none"],
  "i32.div_s": [0x6d, "none"],
  "i32.rem_s": [0x6f, "none"],
  "i32.and": [0x71, "none"],
  "i32.or": [0x72, "none"],
  "i32.xor": [0x73, "none"],
  "i32.shl": [0x74, "none"],
  "i32.shr_s": [0x75, "none"],
  "i32.shr_u": [0x76, "none"],
  "i64.add": [0x7c, "none"],
  "i64.sub": [0x7d, "none"],
  "i64.mul": [0x7e, "none"],
  "i64.and": [0x83, "none"],
  "i64.or": [0x84, "none"],
  "i64.xor": [0x85, "none"],
  "i64.shl": [0x86, "none"],
  "i64.shr_s": [0x87, "none"],
  "i64.shr_u": [0x88, "none"],
  "f64.abs": [0x99, "none"],
  "f64.neg": [0x9a, "none"],
  "f64.ceil": [0x9b, "none"],
  "f64.floor": [0x9c, "none"],
  "f64.trunc": [0x9d, "none"],
  "f64.nearest": [0x9e, "none"],
  "f64.sqrt": [0x9f, "none"],
  "f64.add": [0xa0, "none"],
  "f64.sub": [0xa1, "none"],
  "f64.mul": [0xa2, "none"],
  "f64.div": [0xa3, "none"],
  "f64.min": [0xa4, "none"],
  "f64.max": [0xa5, "none"],
  "f64.copysign": [0xa6, "none"],
  "i32.wrap_i64": [0xa7, "none"],
  "i32.trunc_f64_s": [0xaa, "none"],
  "i64.extend_i32_s": [0xac, "none"],
  "i64.extend_i32_u": [0xad, "none"],
  "i64.trunc_f64_s": [0xb0, "none"],
  "f64.convert_i32_s": [0xb7, "none"],
  "f64.convert_i64_s": [0xb9, "none"],
  "i64.reinterpret_f64": [0xbd, "none"],
  "f64.reinterpret_i64": [0xbf, "none"],
  "i32.trunc_sat_f64_s": [[0xfc, 2], "none"],
  "memory.fill": [[0xfc, 11], "index"],
  "v128.load": [[0xfd, 0x00], "memarg", 4],
  "v128.load64_splat": [[0xfd, 0x0a], "memarg", 3],
  "v128.store": [[0xfd, 0x0b], "memarg", 4],
  "i32x4.splat": [[0xfd, 0x11], "none"],
  "i64x2.splat": [[0xfd, 0x12], "none"],
  "f64x2.splat": [[0xfd, 0x14], "none"],
  "i32x4.extract_lane": [[0xfd, 0x1b], "lane"],
  "i32x4.replace_lane": [[0xfd, 0x1c], "lane"],
  "i64x2.extract_lane": [[0xfd, 0x1d], "lane"],
  "i64x2.replace_lane": [[0xfd, 0x1e], "lane"],
  "f64x2.extract_lane": [[0xfd, 0x21], "lane"],
  "f64x2.replace_lane": [[0xfd, 0x22], "lane"],
  "f64x2.eq": [[0xfd, 0x47], "none"],
  "f64x2.ne": [[0xfd, 0x48], "none"],
  "f64x2.lt": [[0xfd, 0x49], "none"],
  "f64x2.gt": [[0xfd, 0x4a], "none"],
  "f64x2.le": [[0xfd, 0x4b], "none"],
  "f64x2.ge": [[0xfd, 0x4c], "none"],
  "v128.not": [[0xfd, 0x4d], "none"],
  "v128.and": [[0xfd, 0x4e], "none"],
  "v128.andnot": [[0xfd, 0x4f], "none"],
  "v128.or": [[0xfd, 0x50], "none"],
  "v128.xor": [[0xfd, 0x51], "none"],
  "v128.bitselect": [[0xfd, 0x52], "none"],
  "v128.any_true": [[0xfd, 0x53], "none"],
  "v128.load64_lane": [[0xfd, 0x57], "memarg_lane", 3],
  "v128.store64_lane": [[0xfd, 0x5b], "memarg_lane", 3],
  "v128.load64_zero": [[0xfd, 0x5d], "memarg", 3],
  "f64x2.ceil": [[0xfd, 0x74], "none"],
  "f64x2.floor": [[0xfd, 0x75], "none"],
  "f64x2.trunc": [[0xfd, 0x7a], "none"],
  "f64x2.nearest": [[0xfd, 0x94], "none"],
  "i32x4.add": [[0xfd, 0xae], "none"],
  "i32x4.sub": [[0xfd, 0xb1], "none"],
  "i32x4.mul": [[0xfd, 0xb5], "none"],
  "i32x4.shl": [[0xfd, 0xab], "none"],
  "i32x4.shr_s": [[0xfd, 0xac], "none"],
  "i64x2.all_true": [[0xfd, 0xc3], "none"],
  "i64x2.bitmask": [[0xfd, 0xc4], "none"],
  "i64x2.extend_low_i32x4_s": [[0xfd, 0xc7], "none"],
  "i64x2.shl": [[0xfd, 0xcb], "none"],
  "i64x2.shr_s": [[0xfd, 0xcc], "none"],
  "i64x2.shr_u": [[0xfd, 0xcd], "none"],
  "i64x2.add": [[0xfd, 0xce], "none"],
  "i64x2.sub": [[0xfd, 0xd1], "none"],
  "i64x2.eq": [[0xfd, 0xd6], "none"],
  "f64x2.abs": [[0xfd, 0xec], "none"],
  "f64x2.neg": [[0xfd, 0xed], "none"],
  "f64x2.sqrt": [[0xfd, 0xef], "none"],
  "f64x2.add": [[0xfd, 0xf0], "none"],
  "f64x2.sub": [[0xfd, 0xf1], "none"],
  "f64x2.mul": [[0xfd, 0xf2], "none"],
  "f64x2.div": [[0xfd, 0xf3], "none"],
  "f64x2.min": [[0xfd, 0xf4], "none"],
  "f64x2.max": [[0xfd, 0xf5], "none"],
  "f64x2.pmin": [[0xfd, 0xf6], "none"],
  "f64x2.pmax": [[0xfd, 0xf7], "none"],
  "i32x4.trunc_sat_f64x2_s_zero": [[0xfd, 0xfc], "none"],
  "f64x2.convert_low_i32x4_s": [[0xfd, 0xfe], "none"],
} as const satisfies Record<string, OpInfo>;

/** The name of an instruction {@link FunctionBuilder.op} emits (text-format spelling). */
export type OpName = keyof typeof OPCODES;

/** Every instruction name the builder knows, for tests and diagnostics. */
export const OP_NAMES: readonly OpName[] = Object.keys(OPCODES) as OpName[];

const F64_BYTES = new Uint8Array(8);
const F64_SCRATCH = new DataView(F64_BYTES.buffer);

/** `i8x16.shuffle` lanes giving (a.lane0, b.lane0) as f64x2 (x86 `unpcklpd`). */
export const LOW_F64_LANES: readonly number[] = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  16,
  17,
  18,
  19,
  20,
  21,
  22,
  23,
];
/** `i8x16.shuffle` lanes giving (a.lane1, b.lane1) as f64x2 (x86 `unpckhpd`). */
export const HIGH_F64_LANES: readonly number[] = LOW_F64_LANES.map((l) => l + 8);

/** A growable byte buffer with the encodings of the binary format. */
class ByteWriter {
  #buf = new Uint8Array(256);
  #len = 0;

  get length(): number {
    return this.#len;
  }

  #grow(n: number): void {
    let cap = this.#buf.length * 2;
    while (cap < this.#len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  byte(b: number): void {
    if (this.#len === this.#buf.length) this.#grow(1);
    this.#buf[this.#len++] = b & 0xff;
  }

  bytes(b: ArrayLike<number>): void {
    if (this.#len + b.length > this.#buf.length) this.#grow(b.length);
    if (b instanceof Uint8Array) this.#buf.set(b, this.#len);
    else for (let k = 0; k < b.length; k++) this.#buf[this.#len + k] = b[k] & 0xff;
    this.#len += b.length;
  }

  u32(value: number): void {
    writeUnsignedLeb128(this, value);
  }

  s32(value: number): void {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return;
    }
  }

  s64(value: bigint): void {
    writeSignedLeb128(this, value);
  }

  f64(value: number): void {
    F64_SCRATCH.setFloat64(0, value, true);
    this.bytes(F64_BYTES);
  }

  name(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.u32(utf8.length);
    this.bytes(utf8);
  }

  /** Appends the contents of `w` prefixed by its byte length (a section or a function body). */
  sized(w: ByteWriter): void {
    this.u32(w.length);
    this.bytes(w.view());
  }

  /** The bytes written so far, without copying (valid until the next write). */
  view(): Uint8Array {
    return this.#buf.subarray(0, this.#len);
  }

  toBytes(): Uint8Array<ArrayBuffer> {
    return this.#buf.slice(0, this.#len);
  }
}

function writeUnsignedLeb128(w: ByteWriter, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`Cannot encode as u32: ${value}`);
  }
  let v = value;
  do {
    let b = v & 0x7f;
    v = Math.floor(v / 128);
    if (v !== 0) b |= 0x80;
    w.byte(b);
  } while (v !== 0);
}

function writeSignedLeb128(w: ByteWriter, value: bigint): void {
  let v = value;
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    w.byte(done ? b : b | 0x80);
    if (done) return;
  }
}

/**
 * Unsigned LEB128 encoding of a u32 (as in sizes, counts and indices of the binary format).
 *
 * @param value an integer in [0, 2³² − 1]
 * @returns its bytes
 * @throws RangeError outside that range
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeUnsignedLeb128 } from "./wasm_builder.ts";
 * assert.deepEqual([...encodeUnsignedLeb128(624485)], [0xe5, 0x8e, 0x26]);
 * ```
 */
export function encodeUnsignedLeb128(value: number): Uint8Array<ArrayBuffer> {
  const w = new ByteWriter();
  writeUnsignedLeb128(w, value);
  return w.toBytes();
}

/**
 * Signed LEB128 encoding (as in `i32.const` and `i64.const` immediates).
 *
 * @param value any integer (a number must be a safe integer)
 * @returns its bytes
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeSignedLeb128 } from "./wasm_builder.ts";
 * assert.deepEqual([...encodeSignedLeb128(-123456)], [0xc0, 0xbb, 0x78]);
 * ```
 */
export function encodeSignedLeb128(value: number | bigint): Uint8Array<ArrayBuffer> {
  const w = new ByteWriter();
  writeSignedLeb128(w, typeof value === "bigint" ? value : BigInt(value));
  return w.toBytes();
}

/** A branch target: the block, loop or if it names (see {@link FunctionBuilder.br}). */
export interface Label {
  /** Nesting depth of the construct (0 for the outermost one inside the function). */
  readonly depth: number;
}

/** Options of {@link ModuleBuilder.addFunction}. */
export interface AddFunctionOptions {
  /** Export the function under this name. */
  readonly exportAs?: string;
}

/** Limits of a linear memory in 64 KiB pages. */
export interface MemoryLimits {
  /** Initial size [pages]. */
  readonly initial: number;
  /** Maximum size [pages]; unbounded when absent. */
  readonly maximum?: number;
}

/**
 * What kernel code is written against: one function body, instruction by instruction. The
 * WebAssembly {@link FunctionBuilder} encodes it to bytes; the JavaScript tier's builder
 * (js_module.ts) translates the same scalar instructions to JavaScript, so one kernel emitter
 * serves both and both perform the same IEEE operations in the same order.
 */
export interface FunctionEmitter {
  /** The function's signature. */
  readonly type: FuncType;
  /** Index of the function in the module's function index space (imports first). */
  readonly index: number;
  /** Declares a local (zero-initialised) and returns its index. */
  local(type: ValType): number;
  /** Appends one instruction with its immediates (see {@link FunctionBuilder.op}). */
  op(name: OpName, ...imm: number[]): void;
  /** Appends `i32.const`. */
  i32Const(value: number): void;
  /** Appends `i64.const`. */
  i64Const(value: bigint): void;
  /** Appends `f64.const`. */
  f64Const(value: number): void;
  /** Appends `v128.const` of two f64 lanes. */
  f64x2Const(value: number, high?: number): void;
  /** Appends `v128.const` of two i64 lanes. */
  i64x2Const(value: bigint, high?: bigint): void;
  /** Appends `i8x16.shuffle`. */
  shuffle(lanes: readonly number[]): void;
  /** Opens a block. */
  block(result?: ValType): Label;
  /** Opens a loop. */
  loop(result?: ValType): Label;
  /** Opens an if on the i32 on the stack. */
  if(result?: ValType): Label;
  /** Branches to an open label. */
  br(label: Label): void;
  /** Branches to an open label when the i32 on the stack is nonzero. */
  brIf(label: Label): void;
}

/** What kernel code adds functions and imports to (a WebAssembly or a JavaScript module). */
export interface ModuleEmitter {
  /** Imports a host function; returns its function index. */
  importFunction(module: string, name: string, type: FuncType): number;
  /** Imports the linear memory. */
  importMemory(module: string, name: string, limits: MemoryLimits): void;
  /** Adds a function and returns its body's emitter. */
  addFunction(type: FuncType, options?: AddFunctionOptions): FunctionEmitter;
}

/**
 * The body of one function: its locals and its instruction bytes. Obtained from
 * {@link ModuleBuilder.addFunction}; every method appends one instruction (or declares a local)
 * and returns nothing. Structured control (block, loop, if … else … end) is tracked, so branches
 * name their target by the {@link Label} the opening call returned.
 */
export class FunctionBuilder implements FunctionEmitter {
  /** The function's signature. */
  readonly type: FuncType;
  /** Index of the function in the module's function index space (imports first). */
  readonly index: number;
  readonly #locals: ValType[] = [];
  readonly #code = new ByteWriter();
  #depth = 0;
  #finished = false;

  /**
   * Starts an empty body (use {@link ModuleBuilder.addFunction}, which also registers it).
   *
   * @param type the signature
   * @param index the function index
   */
  constructor(type: FuncType, index: number) {
    this.type = type;
    this.index = index;
  }

  /**
   * Declares a local variable.
   *
   * @param type its value type (initialised to zero)
   * @returns its local index (parameters come first)
   */
  local(type: ValType): number {
    this.#locals.push(type);
    return this.type.params.length + this.#locals.length - 1;
  }

  /**
   * Appends one instruction with its immediates.
   *
   * @param name text-format name, e.g. `"f64x2.mul"`, `"local.get"`, `"f64.load"`
   * @param imm the immediates: an index (locals, globals, functions); a byte offset for memory
   *   instructions (alignment is the natural one); a lane; an offset and a lane for `*_lane`
   *   memory instructions
   * @throws TypeError when the immediates do not fit the instruction
   */
  op(name: OpName, ...imm: number[]): void {
    const info: OpInfo = OPCODES[name];
    const [code, kind] = info;
    const w = this.#code;
    const want = kind === "none" ? 0 : kind === "memarg_lane" ? 2 : 1;
    if (imm.length !== want) {
      throw new TypeError(`Instruction "${name}" takes ${want} immediates, got ${imm.length}`);
    }
    if (typeof code === "number") w.byte(code);
    else {
      w.byte(code[0]);
      w.u32(code[1]);
    }
    if (kind === "index") w.u32(imm[0]);
    else if (kind === "memarg" || kind === "memarg_lane") {
      w.u32(info[2] ?? 0);
      w.u32(imm[0]);
      if (kind === "memarg_lane") w.byte(imm[1]);
    } else if (kind === "lane") w.byte(imm[0]);
    if (name === "end") this.#close();
  }

  /** Appends `i32.const value` (a 32-bit integer; larger values are wrapped). */
  i32Const(value: number): void {
    this.#code.byte(0x41);
    this.#code.s32(value | 0);
  }

  /** Appends `i64.const value`. */
  i64Const(value: bigint): void {
    this.#code.byte(0x42);
    this.#code.s64(BigInt.asIntN(64, value));
  }

  /** Appends `f64.const value` (the exact bits of the double, NaN payloads included). */
  f64Const(value: number): void {
    this.#code.byte(0x44);
    this.#code.f64(value);
  }

  /** Appends `v128.const` with both f64 lanes set to `value`. */
  f64x2Const(value: number, high: number = value): void {
    this.#code.byte(0xfd);
    this.#code.u32(0x0c);
    this.#code.f64(value);
    this.#code.f64(high);
  }

  /** Appends `v128.const` with both i64 lanes set to `value`. */
  i64x2Const(value: bigint, high: bigint = value): void {
    this.#code.byte(0xfd);
    this.#code.u32(0x0c);
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, BigInt.asIntN(64, value), true);
    dv.setBigInt64(8, BigInt.asIntN(64, high), true);
    this.#code.bytes(b);
  }

  /**
   * Appends `i8x16.shuffle`: byte j of the result is byte `lanes[j]` of the concatenation of the
   * two operands (0–15 the first, 16–31 the second). {@link LOW_F64_LANES} joins the low f64
   * lanes of both operands, {@link HIGH_F64_LANES} the high ones.
   *
   * @param lanes 16 byte indices in [0, 31]
   */
  shuffle(lanes: readonly number[]): void {
    if (lanes.length !== 16 || lanes.some((l) => !Number.isInteger(l) || l < 0 || l > 31)) {
      throw new TypeError(`i8x16.shuffle takes 16 lane indices in [0, 31], got ${lanes}`);
    }
    this.#code.byte(0xfd);
    this.#code.u32(0x0d);
    this.#code.bytes(lanes);
  }

  /**
   * Opens a `block` (a branch to it jumps past its `end`).
   *
   * @param result the value type it leaves on the stack, if any
   * @returns its label
   */
  block(result?: ValType): Label {
    return this.#open(0x02, result);
  }

  /**
   * Opens a `loop` (a branch to it jumps back to its start).
   *
   * @param result the value type it leaves on the stack, if any
   * @returns its label
   */
  loop(result?: ValType): Label {
    return this.#open(0x03, result);
  }

  /**
   * Opens an `if` on the i32 on top of the stack; close with `op("end")`, optionally after
   * `op("else")`.
   *
   * @param result the value type both arms leave on the stack, if any
   * @returns its label
   */
  if(result?: ValType): Label {
    return this.#open(0x04, result);
  }

  /** Appends `br` to `label` (which must be open). */
  br(label: Label): void {
    this.#code.byte(0x0c);
    this.#code.u32(this.#relative(label));
  }

  /** Appends `br_if` to `label` (which must be open). */
  brIf(label: Label): void {
    this.#code.byte(0x0d);
    this.#code.u32(this.#relative(label));
  }

  #open(opcode: number, result: ValType | undefined): Label {
    this.#code.byte(opcode);
    this.#code.byte(result === undefined ? 0x40 : VALTYPE_CODE[result]);
    return { depth: this.#depth++ };
  }

  #close(): void {
    if (this.#depth === 0) {
      throw new TypeError(`Function ${this.index}: "end" without an open block, loop or if`);
    }
    this.#depth--;
  }

  #relative(label: Label): number {
    if (label.depth >= this.#depth) {
      throw new TypeError(`Function ${this.index}: branch to a label that is not open`);
    }
    return this.#depth - 1 - label.depth;
  }

  /** The encoded body (locals and code with the final `end`); called by the module builder. */
  encode(): Uint8Array<ArrayBuffer> {
    if (this.#depth !== 0) {
      throw new TypeError(`Function ${this.index}: ${this.#depth} block(s) left open`);
    }
    if (this.#finished) throw new TypeError(`Function ${this.index} was encoded twice`);
    this.#finished = true;
    const w = new ByteWriter();
    // Locals, run-length encoded by type in declaration order.
    const runs: [number, ValType][] = [];
    for (const t of this.#locals) {
      const last = runs[runs.length - 1];
      if (last !== undefined && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    w.u32(runs.length);
    for (const [count, t] of runs) {
      w.u32(count);
      w.byte(VALTYPE_CODE[t]);
    }
    w.bytes(this.#code.view());
    w.byte(0x0b);
    return w.toBytes();
  }
}

interface ImportedFunction {
  readonly module: string;
  readonly name: string;
  readonly type: number;
}

interface ImportedMemory {
  readonly module: string;
  readonly name: string;
  readonly limits: MemoryLimits;
}

interface Global {
  readonly type: ValType;
  readonly mutable: boolean;
  readonly init: number;
}

/**
 * Builds one module. Typical use: import or add a memory, import host functions, add
 * functions (each filled through its {@link FunctionBuilder}), then {@link ModuleBuilder.encode}.
 *
 * @example A function that adds two doubles
 * ```ts
 * import assert from "node:assert/strict";
 * import { ModuleBuilder } from "./wasm_builder.ts";
 * const mb = new ModuleBuilder();
 * const f = mb.addFunction({ params: ["f64", "f64"], results: ["f64"] }, { exportAs: "add" });
 * f.op("local.get", 0);
 * f.op("local.get", 1);
 * f.op("f64.add");
 * const bytes = mb.encode();
 * assert.ok(WebAssembly.validate(bytes));
 * const add = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add as (
 *   a: number, b: number) => number;
 * assert.equal(add(0.1, 0.2), 0.1 + 0.2);
 * ```
 */
export class ModuleBuilder implements ModuleEmitter {
  readonly #types: FuncType[] = [];
  readonly #typeKeys = new Map<string, number>();
  readonly #imports: ImportedFunction[] = [];
  #memoryImport: ImportedMemory | undefined;
  #memory: MemoryLimits | undefined;
  #memoryExport: string | undefined;
  readonly #globals: Global[] = [];
  readonly #functions: FunctionBuilder[] = [];
  readonly #exports: { name: string; kind: number; index: number }[] = [];

  #typeIndex(t: FuncType): number {
    const key = `${t.params.join(",")}>${t.results.join(",")}`;
    let index = this.#typeKeys.get(key);
    if (index === undefined) {
      index = this.#types.length;
      this.#types.push({ params: [...t.params], results: [...t.results] });
      this.#typeKeys.set(key, index);
    }
    return index;
  }

  /**
   * Imports a host function. All imports must come before the first {@link addFunction}.
   *
   * @param module import module name (the key of the import object)
   * @param name field name
   * @param type its signature
   * @returns its function index
   */
  importFunction(module: string, name: string, type: FuncType): number {
    if (this.#functions.length > 0) {
      throw new TypeError(`Import "${module}.${name}" after the first defined function`);
    }
    this.#imports.push({ module, name, type: this.#typeIndex(type) });
    return this.#imports.length - 1;
  }

  /**
   * Imports the module's linear memory (the engine shares one memory between its modules and
   * the JavaScript views on it).
   *
   * @param module import module name
   * @param name field name
   * @param limits its declared size [64 KiB pages]
   */
  importMemory(module: string, name: string, limits: MemoryLimits): void {
    if (this.#memory !== undefined || this.#memoryImport !== undefined) {
      throw new TypeError("The module already has a memory");
    }
    this.#memoryImport = { module, name, limits };
  }

  /**
   * Declares the module's own linear memory.
   *
   * @param limits size [64 KiB pages]
   * @param exportAs export it under this name
   */
  addMemory(limits: MemoryLimits, exportAs?: string): void {
    if (this.#memory !== undefined || this.#memoryImport !== undefined) {
      throw new TypeError("The module already has a memory");
    }
    this.#memory = limits;
    this.#memoryExport = exportAs;
  }

  /**
   * Adds a global variable.
   *
   * @param type `i32` or `f64`
   * @param init its initial value
   * @param mutable whether `global.set` may change it
   * @returns its global index
   */
  addGlobal(type: "i32" | "f64", init: number, mutable = true): number {
    this.#globals.push({ type, mutable, init });
    return this.#globals.length - 1;
  }

  /**
   * Adds a function and returns the builder of its body.
   *
   * @param type its signature
   * @param options export name
   * @returns the body builder; its `index` is the function index for `call`
   */
  addFunction(type: FuncType, options: AddFunctionOptions = {}): FunctionBuilder {
    this.#typeIndex(type);
    const f = new FunctionBuilder(type, this.#imports.length + this.#functions.length);
    this.#functions.push(f);
    if (options.exportAs !== undefined) {
      this.#exports.push({ name: options.exportAs, kind: 0x00, index: f.index });
    }
    return f;
  }

  /**
   * Encodes the module.
   *
   * @returns the bytes of a WebAssembly binary module (version 1)
   * @throws TypeError when a function has unclosed blocks
   */
  encode(): Uint8Array<ArrayBuffer> {
    const out = new ByteWriter();
    out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const section = (id: number, fill: (w: ByteWriter) => void): void => {
      const w = new ByteWriter();
      fill(w);
      out.byte(id);
      out.sized(w);
    };
    const limits = (w: ByteWriter, l: MemoryLimits): void => {
      if (l.maximum === undefined) {
        w.byte(0x00);
        w.u32(l.initial);
      } else {
        w.byte(0x01);
        w.u32(l.initial);
        w.u32(l.maximum);
      }
    };
    section(1, (w) => {
      w.u32(this.#types.length);
      for (const t of this.#types) {
        w.byte(0x60);
        w.u32(t.params.length);
        for (const p of t.params) w.byte(VALTYPE_CODE[p]);
        w.u32(t.results.length);
        for (const r of t.results) w.byte(VALTYPE_CODE[r]);
      }
    });
    const mi = this.#memoryImport;
    if (this.#imports.length > 0 || mi !== undefined) {
      section(2, (w) => {
        w.u32(this.#imports.length + (mi === undefined ? 0 : 1));
        for (const imp of this.#imports) {
          w.name(imp.module);
          w.name(imp.name);
          w.byte(0x00);
          w.u32(imp.type);
        }
        if (mi !== undefined) {
          w.name(mi.module);
          w.name(mi.name);
          w.byte(0x02);
          limits(w, mi.limits);
        }
      });
    }
    section(3, (w) => {
      w.u32(this.#functions.length);
      for (const f of this.#functions) w.u32(this.#typeIndex(f.type));
    });
    const mem = this.#memory;
    if (mem !== undefined) {
      section(5, (w) => {
        w.u32(1);
        limits(w, mem);
      });
    }
    if (this.#globals.length > 0) {
      section(6, (w) => {
        w.u32(this.#globals.length);
        for (const g of this.#globals) {
          w.byte(VALTYPE_CODE[g.type]);
          w.byte(g.mutable ? 1 : 0);
          if (g.type === "i32") {
            w.byte(0x41);
            w.s32(g.init | 0);
          } else {
            w.byte(0x44);
            w.f64(g.init);
          }
          w.byte(0x0b);
        }
      });
    }
    const exports = [...this.#exports];
    if (mem !== undefined && this.#memoryExport !== undefined) {
      exports.push({ name: this.#memoryExport, kind: 0x02, index: 0 });
    }
    if (exports.length > 0) {
      section(7, (w) => {
        w.u32(exports.length);
        for (const e of exports) {
          w.name(e.name);
          w.byte(e.kind);
          w.u32(e.index);
        }
      });
    }
    section(10, (w) => {
      w.u32(this.#functions.length);
      for (const f of this.#functions) {
        const body = f.encode();
        w.u32(body.length);
        w.bytes(body);
      }
    });
    return out.toBytes();
  }
}
