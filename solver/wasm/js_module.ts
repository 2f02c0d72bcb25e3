/**
 * The JavaScript tier's module builder: the same {@link ModuleEmitter} / {@link FunctionEmitter}
 * interface as the WebAssembly builder, but each scalar instruction is translated to one
 * JavaScript statement, and the module becomes a set of JavaScript functions over typed-array
 * views of the engine's memory. Kernels are emitted once: where WebAssembly is unavailable
 * (V8 `--jitless`, `--engine js`), the very instruction sequence the scalar WebAssembly tier runs
 * runs as JavaScript, with the same IEEE operations in the same order and the same imported
 * functions, so a sweep gives the same bits on every tier.
 *
 * Translation. The operand stack is tracked at build time: every instruction's result becomes a
 * `const` temporary (so evaluation order is the instruction order), `local.get` stays symbolic
 * until its local is written. i32 arithmetic wraps like WebAssembly's (`| 0`, `Math.imul`,
 * `>>> 0`), i64 values are BigInts (only the engine's bit tricks use them), memory accesses index
 * `Float64Array`/`Int32Array` views (accesses are naturally aligned), `block`/`loop`/`if` become
 * labelled JavaScript blocks. Blocks with results and 128-bit SIMD instructions are not
 * translated (the scalar kernels use neither): they throw a TypeError at build time.
 *
 * @module
 */
import type {
  AddFunctionOptions,
  FunctionEmitter,
  FuncType,
  Label,
  MemoryLimits,
  ModuleEmitter,
  OpName,
  ValType,
} from "./wasm_builder.ts";

type Kind = "i32" | "i64" | "f64";

interface StackEntry {
  /** A JavaScript expression (a temporary, a constant, or a local). */
  readonly expr: string;
  readonly kind: Kind;
  /** The local it reads, when it is a symbolic `local.get`. */
  readonly local?: number;
}

interface Frame {
  readonly kind: "block" | "loop" | "if";
  readonly name: string;
  /** Stack height when the construct opened. */
  readonly height: number;
  elseSeen: boolean;
}

const BINARY: Readonly<Partial<Record<OpName, [Kind, Kind, (a: string, b: string) => string]>>> = {
  "i32.add": ["i32", "i32", (a, b) => `(${a} + ${b}) | 0`],
  "i32.sub": ["i32", "i32", (a, b) => `(${a} - ${b}) | 0`],
  "i32.mul": ["i32", "i32", (a, b) => `Math.imul(${a}, ${b})`],
  "i32.and": ["i32", "i32", (a, b) => `${a} & ${b}`],
  "i32.or": ["i32", "i32", (a, b) => `${a} | ${b}`],
  "i32.xor": ["i32", "i32", (a, b) => `${a} ^ ${b}`],
  "i32.shl": ["i32", "i32", (a, b) => `${a} << ${b}`],
  "i32.shr_s": ["i32", "i32", (a, b) => `${a} >> ${b}`],
  "i32.shr_u": ["i32", "i32", (a, b) => `(${a} >>> ${b}) | 0`],
  "i32.eq": ["i32", "i32", (a, b) => `${a} === ${b} ? 1 : 0`],
  "i32.ne": ["i32", "i32", (a, b) => `${a} !== ${b} ? 1 : 0`],
  "i32.lt_s": ["i32", "i32", (a, b) => `${a} < ${b} ? 1 : 0`],
  "i32.gt_s": ["i32", "i32", (a, b) => `${a} > ${b} ? 1 : 0`],
  "i32.le_s": ["i32", "i32", (a, b) => `${a} <= ${b} ? 1 : 0`],
  "i32.ge_s": ["i32", "i32", (a, b) => `${a} >= ${b} ? 1 : 0`],
  "i32.lt_u": ["i32", "i32", (a, b) => `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`],
  "i32.gt_u": ["i32", "i32", (a, b) => `(${a} >>> 0) > (${b} >>> 0) ? 1 : 0`],
  "i32.le_u": ["i32", "i32", (a, b) => `(${a} >>> 0) <= (${b} >>> 0) ? 1 : 0`],
  "i32.ge_u": ["i32", "i32", (a, b) => `(${a} >>> 0) >= (${b} >>> 0) ? 1 : 0`],
  "i64.add": ["i64", "i64", (a, b) => `BigInt.asIntN(64, ${a} + ${b})`],
  "i64.sub": ["i64", "i64", (a, b) => `BigInt.asIntN(64, ${a} - ${b})`],
  "i64.mul": ["i64", "i64", (a, b) => `BigInt.asIntN(64, ${a} * ${b})`],
  "i64.and": ["i64", "i64", (a, b) => `${a} & ${b}`],
  "i64.or": ["i64", "i64", (a, b) => `${a} | ${b}`],
  "i64.xor": ["i64", "i64", (a, b) => `${a} ^ ${b}`],
  "i64.shl": ["i64", "i64", (a, b) => `BigInt.asIntN(64, ${a} << (${b} & 63n))`],
  "i64.shr_s": ["i64", "i64", (a, b) => `${a} >> (${b} & 63n)`],
  "i64.shr_u": [
    "i64",
    "i64",
    (a, b) => `BigInt.asIntN(64, BigInt.asUintN(64, ${a}) >> (${b} & 63n))`,
  ],
  "i64.eq": ["i64", "i32", (a, b) => `${a} === ${b} ? 1 : 0`],
  "i64.ne": ["i64", "i32", (a, b) => `${a} !== ${b} ? 1 : 0`],
  "i64.lt_s": ["i64", "i32", (a, b) => `${a} < ${b} ? 1 : 0`],
  "i64.gt_s": ["i64", "i32", (a, b) => `${a} > ${b} ? 1 : 0`],
  "i64.le_s": ["i64", "i32", (a, b) => `${a} <= ${b} ? 1 : 0`],
  "i64.ge_s": ["i64", "i32", (a, b) => `${a} >= ${b} ? 1 : 0`],
  "f64.add": ["f64", "f64", (a, b) => `${a} + ${b}`],
  "f64.sub": ["f64", "f64", (a, b) => `${a} - ${b}`],
  "f64.mul": ["f64", "f64", (a, b) => `${a} * ${b}`],
  "f64.div": ["f64", "f64", (a, b) => `${a} / ${b}`],
  "f64.min": ["f64", "f64", (a, b) => `Math.min(${a}, ${b})`],
  "f64.max": ["f64", "f64", (a, b) => `Math.max(${a}, ${b})`],
  "f64.copysign": ["f64", "f64", (a, b) => `R.copysign(${a}, ${b})`],
  "f64.eq": ["f64", "i32", (a, b) => `${a} === ${b} ? 1 : 0`],
  "f64.ne": ["f64", "i32", (a, b) => `${a} !== ${b} ? 1 : 0`],
  "f64.lt": ["f64", "i32", (a, b) => `${a} < ${b} ? 1 : 0`],
  "f64.gt": ["f64", "i32", (a, b) => `${a} > ${b} ? 1 : 0`],
  "f64.le": ["f64", "i32", (a, b) => `${a} <= ${b} ? 1 : 0`],
  "f64.ge": ["f64", "i32", (a, b) => `${a} >= ${b} ? 1 : 0`],
};

const UNARY: Readonly<Partial<Record<OpName, [Kind, Kind, (a: string) => string]>>> = {
  "i32.eqz": ["i32", "i32", (a) => `${a} === 0 ? 1 : 0`],
  "i32.clz": ["i32", "i32", (a) => `Math.clz32(${a})`],
  "i64.eqz": ["i64", "i32", (a) => `${a} === 0n ? 1 : 0`],
  "f64.abs": ["f64", "f64", (a) => `Math.abs(${a})`],
  "f64.neg": ["f64", "f64", (a) => `-${a}`],
  "f64.ceil": ["f64", "f64", (a) => `Math.ceil(${a})`],
  "f64.floor": ["f64", "f64", (a) => `Math.floor(${a})`],
  "f64.trunc": ["f64", "f64", (a) => `Math.trunc(${a})`],
  "f64.nearest": ["f64", "f64", (a) => `R.nearest(${a})`],
  "f64.sqrt": ["f64", "f64", (a) => `Math.sqrt(${a})`],
  "i32.wrap_i64": ["i64", "i32", (a) => `Number(BigInt.asIntN(32, ${a}))`],
  "i32.trunc_f64_s": ["f64", "i32", (a) => `R.trunc32(${a})`],
  "i32.trunc_sat_f64_s": ["f64", "i32", (a) => `R.truncSat32(${a})`],
  "i64.extend_i32_s": ["i32", "i64", (a) => `BigInt(${a})`],
  "i64.extend_i32_u": ["i32", "i64", (a) => `BigInt(${a} >>> 0)`],
  "i64.trunc_f64_s": ["f64", "i64", (a) => `R.trunc64(${a})`],
  "f64.convert_i32_s": ["i32", "f64", (a) => `${a}`],
  "f64.convert_i64_s": ["i64", "f64", (a) => `Number(${a})`],
  "i64.reinterpret_f64": ["f64", "i64", (a) => `R.f64Bits(${a})`],
  "f64.reinterpret_i64": ["i64", "f64", (a) => `R.bitsF64(${a})`],
};

const LOADS: Readonly<Partial<Record<OpName, [Kind, string, number]>>> = {
  "f64.load": ["f64", "F64", 3],
  "i32.load": ["i32", "I32", 2],
};
const STORES: Readonly<Partial<Record<OpName, [Kind, string, number]>>> = {
  "f64.store": ["f64", "F64", 3],
  "i32.store": ["i32", "I32", 2],
};

function kindOf(t: ValType): Kind {
  if (t === "i32" || t === "i64" || t === "f64") return t;
  throw new TypeError(`The JavaScript tier has no ${t} values`);
}

function literal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "(-Infinity)";
  if (Object.is(x, -0)) return "(-0)";
  return x < 0 ? `(${x})` : String(x);
}

/** One function body translated to JavaScript. */
export class JsFunctionBuilder implements FunctionEmitter {
  /** The function's signature. */
  readonly type: FuncType;
  /** Its function index (imports first). */
  readonly index: number;
  readonly #locals: Kind[];
  readonly #stack: StackEntry[] = [];
  readonly #frames: Frame[] = [];
  readonly #lines: string[] = [];
  readonly #functionName: (index: number) => string;
  #temps = 0;
  #labels = 0;

  /**
   * @param type the signature
   * @param index the function index
   * @param functionName how `call` names function i (an import or a defined function)
   */
  constructor(type: FuncType, index: number, functionName: (index: number) => string) {
    this.type = type;
    this.index = index;
    this.#locals = type.params.map(kindOf);
    this.#functionName = functionName;
  }

  /** @inheritdoc */
  local(type: ValType): number {
    this.#locals.push(kindOf(type));
    return this.#locals.length - 1;
  }

  #indent(): string {
    return "  ".repeat(this.#frames.length + 1);
  }

  #emit(line: string): void {
    this.#lines.push(this.#indent() + line);
  }

  #pop(kind?: Kind): StackEntry {
    const e = this.#stack.pop();
    if (e === undefined) throw new TypeError(`Function ${this.index}: operand stack underflow`);
    if (kind !== undefined && e.kind !== kind) {
      throw new TypeError(`Function ${this.index}: expected ${kind} on the stack, got ${e.kind}`);
    }
    return e;
  }

  #push(expr: string, kind: Kind): void {
    const name = `t${this.#temps++}`;
    this.#emit(`const ${name} = ${expr};`);
    this.#stack.push({ expr: name, kind });
  }

  /** Captures every symbolic read of local `l` on the stack before `l` is written. */
  #materialize(l: number): void {
    for (let j = 0; j < this.#stack.length; j++) {
      const e = this.#stack[j];
      if (e.local === l) {
        const name = `t${this.#temps++}`;
        this.#emit(`const ${name} = ${e.expr};`);
        this.#stack[j] = { expr: name, kind: e.kind };
      }
    }
  }

  /** @inheritdoc */
  op(name: OpName, ...imm: number[]): void {
    const bin = BINARY[name];
    if (bin !== undefined) {
      const b = this.#pop(bin[0]), a = this.#pop(bin[0]);
      this.#push(bin[2](a.expr, b.expr), bin[1]);
      return;
    }
    const un = UNARY[name];
    if (un !== undefined) {
      const a = this.#pop(un[0]);
      this.#push(un[2](a.expr), un[1]);
      return;
    }
    const ld = LOADS[name];
    if (ld !== undefined) {
      const a = this.#pop("i32");
      this.#push(`${ld[1]}[(${a.expr} + ${imm[0]}) >>> ${ld[2]}]`, ld[0]);
      return;
    }
    const st = STORES[name];
    if (st !== undefined) {
      const v = this.#pop(st[0]), a = this.#pop("i32");
      this.#emit(`${st[1]}[(${a.expr} + ${imm[0]}) >>> ${st[2]}] = ${v.expr};`);
      return;
    }
    switch (name) {
      case "local.get": {
        const l = imm[0];
        this.#stack.push({ expr: `l${l}`, kind: this.#locals[l], local: l });
        return;
      }
      case "local.set":
      case "local.tee": {
        const l = imm[0];
        const v = this.#pop(this.#locals[l]);
        this.#materialize(l);
        this.#emit(`l${l} = ${v.expr};`);
        if (name === "local.tee") this.#stack.push({ expr: `l${l}`, kind: v.kind, local: l });
        return;
      }
      case "call": {
        const f = imm[0];
        const type = this.#callType(f);
        const args: string[] = [];
        for (let j = type.params.length - 1; j >= 0; j--) {
          args.unshift(this.#pop(kindOf(type.params[j])).expr);
        }
        const call = `${this.#functionName(f)}(${args.join(", ")})`;
        if (type.results.length === 0) this.#emit(`${call};`);
        else this.#push(call, kindOf(type.results[0]));
        return;
      }
      case "memory.fill": {
        // (destination, byte value, length): the bytes [d, d + n) of the memory.
        const n = this.#pop("i32"), val = this.#pop("i32"), d = this.#pop("i32");
        this.#emit(`U8.fill(${val.expr}, ${d.expr}, ${d.expr} + ${n.expr});`);
        return;
      }
      case "drop":
        this.#pop();
        return;
      case "select": {
        const c = this.#pop("i32"), b = this.#pop(), a = this.#pop(b.kind);
        this.#push(`${c.expr} !== 0 ? ${a.expr} : ${b.expr}`, a.kind);
        return;
      }
      case "nop":
        return;
      case "unreachable":
        this.#emit(`throw new RangeError("unreachable");`);
        return;
      case "return": {
        if (this.type.results.length > 0) {
          this.#emit(`return ${this.#pop(kindOf(this.type.results[0])).expr};`);
        } else this.#emit("return;");
        return;
      }
      case "else": {
        const f = this.#frames[this.#frames.length - 1];
        if (f === undefined || f.kind !== "if" || f.elseSeen) {
          throw new TypeError(`Function ${this.index}: "else" outside an if`);
        }
        f.elseSeen = true;
        this.#stack.length = f.height;
        this.#lines.push("  ".repeat(this.#frames.length) + "} else {");
        return;
      }
      case "end": {
        const f = this.#frames.pop();
        if (f === undefined) throw new TypeError(`Function ${this.index}: "end" without a block`);
        this.#stack.length = f.height;
        // A loop body that falls through its end leaves the loop.
        if (f.kind === "loop") {
          this.#lines.push("  ".repeat(this.#frames.length + 2) + `break ${f.name};`);
        }
        this.#lines.push("  ".repeat(this.#frames.length + 1) + "}");
        return;
      }
    }
    throw new TypeError(`The JavaScript tier does not translate "${name}"`);
  }

  #callType: (f: number) => FuncType = () => {
    throw new TypeError("call before the module set the function types");
  };

  /** Set by the module: the signature of function index f. */
  set callType(fn: (f: number) => FuncType) {
    this.#callType = fn;
  }

  /** @inheritdoc */
  i32Const(value: number): void {
    this.#stack.push({ expr: literal(value | 0), kind: "i32" });
  }

  /** @inheritdoc */
  i64Const(value: bigint): void {
    this.#stack.push({ expr: `(${BigInt.asIntN(64, value)}n)`, kind: "i64" });
  }

  /** @inheritdoc */
  f64Const(value: number): void {
    this.#stack.push({ expr: literal(value), kind: "f64" });
  }

  /** @inheritdoc */
  f64x2Const(): void {
    throw new TypeError("The JavaScript tier has no SIMD");
  }

  /** @inheritdoc */
  i64x2Const(): void {
    throw new TypeError("The JavaScript tier has no SIMD");
  }

  /** @inheritdoc */
  shuffle(): void {
    throw new TypeError("The JavaScript tier has no SIMD");
  }

  #open(kind: Frame["kind"], result: ValType | undefined, head: string): Label {
    if (result !== undefined) throw new TypeError("The JavaScript tier has no block results");
    const name = `L${this.#labels++}`;
    this.#emit(`${name}: ${head} {`);
    this.#frames.push({ kind, name, height: this.#stack.length, elseSeen: false });
    return { depth: this.#frames.length - 1 };
  }

  /** @inheritdoc */
  block(result?: ValType): Label {
    return this.#open("block", result, "");
  }

  /** @inheritdoc */
  loop(result?: ValType): Label {
    return this.#open("loop", result, "for (;;)");
  }

  /** @inheritdoc */
  if(result?: ValType): Label {
    const c = this.#pop("i32");
    return this.#open("if", result, `if (${c.expr} !== 0)`);
  }

  #target(label: Label): Frame {
    const f = this.#frames[label.depth];
    if (f === undefined) throw new TypeError(`Function ${this.index}: branch to a closed label`);
    return f;
  }

  /** @inheritdoc */
  br(label: Label): void {
    const f = this.#target(label);
    this.#emit(f.kind === "loop" ? `continue ${f.name};` : `break ${f.name};`);
  }

  /** @inheritdoc */
  brIf(label: Label): void {
    const c = this.#pop("i32");
    const f = this.#target(label);
    this.#emit(`if (${c.expr} !== 0) ${f.kind === "loop" ? "continue" : "break"} ${f.name};`);
  }

  /** The function's JavaScript source. */
  source(name: string): string {
    if (this.#frames.length > 0) {
      throw new TypeError(`Function ${this.index}: ${this.#frames.length} block(s) left open`);
    }
    const params = this.type.params.map((_, j) => `l${j}`);
    const locals = this.#locals.slice(params.length).map((k, j) =>
      `l${params.length + j} = ${k === "i64" ? "0n" : "0"}`
    );
    let out = `function ${name}(${params.join(", ")}) {\n`;
    if (locals.length > 0) out += `  let ${locals.join(", ")};\n`;
    out += this.#lines.join("\n") + "\n";
    if (this.type.results.length > 0 && this.#stack.length > 0) {
      out += `  return ${this.#stack[this.#stack.length - 1].expr};\n`;
    }
    return out + "}\n";
  }
}

/** Exported functions of a JavaScript-tier module. */
export type JsExports = Record<string, (...args: number[]) => number | undefined>;

/** Host functions by import module and name. */
export type JsImports = Record<string, Record<string, (...args: number[]) => number | void>>;

/** Runtime helpers of translated code (WebAssembly semantics JavaScript lacks). */
const RUNTIME = Object.freeze({
  copysign(a: number, b: number): number {
    const neg = b < 0 || Object.is(b, -0) || (Number.isNaN(b) && RUNTIME.signBit(b));
    return neg ? -Math.abs(a) : Math.abs(a);
  },
  signBit(x: number): boolean {
    SCRATCH_F64[0] = x;
    return SCRATCH_I32[1] < 0;
  },
  nearest(x: number): number {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  trunc32(x: number): number {
    if (!(x > -2147483649 && x < 2147483648)) throw new RangeError("integer overflow");
    return Math.trunc(x) | 0;
  },
  truncSat32(x: number): number {
    if (x !== x) return 0;
    if (x >= 2147483647) return 2147483647;
    if (x <= -2147483648) return -2147483648;
    return Math.trunc(x) | 0;
  },
  trunc64(x: number): bigint {
    if (!Number.isFinite(x)) throw new RangeError("integer overflow");
    return BigInt.asIntN(64, BigInt(Math.trunc(x)));
  },
  f64Bits(x: number): bigint {
    SCRATCH_F64[0] = x;
    return SCRATCH_I64[0];
  },
  bitsF64(x: bigint): number {
    SCRATCH_I64[0] = x;
    return SCRATCH_F64[0];
  },
});
const SCRATCH_F64 = new Float64Array(1);
const SCRATCH_I32 = new Int32Array(SCRATCH_F64.buffer);
const SCRATCH_I64 = new BigInt64Array(SCRATCH_F64.buffer);

/**
 * A module whose functions are JavaScript: the JavaScript tier's {@link ModuleEmitter}.
 *
 * @example The same kernel as WebAssembly and as JavaScript
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsModuleBuilder } from "./js_module.ts";
 * const mb = new JsModuleBuilder();
 * mb.importMemory("env", "memory", { initial: 1, maximum: 1 });
 * const f = mb.addFunction({ params: ["i32"], results: ["f64"] }, { exportAs: "twice" });
 * f.op("local.get", 0);
 * f.op("local.get", 0);
 * f.op("f64.load", 0);
 * f.op("f64.load", 0);
 * f.op("f64.add");
 * const buffer = new ArrayBuffer(65536);
 * new Float64Array(buffer)[1] = 0.1;
 * const { twice } = mb.instantiate({}, buffer);
 * assert.equal(twice(8), 0.2);
 * ```
 */
export class JsModuleBuilder implements ModuleEmitter {
  readonly #imports: { module: string; name: string; type: FuncType }[] = [];
  readonly #functions: { fb: JsFunctionBuilder; exportAs: string | undefined }[] = [];

  /** @inheritdoc */
  importFunction(module: string, name: string, type: FuncType): number {
    if (this.#functions.length > 0) {
      throw new TypeError(`Import "${module}.${name}" after the first defined function`);
    }
    this.#imports.push({ module, name, type });
    return this.#imports.length - 1;
  }

  /** @inheritdoc */
  importMemory(_module: string, _name: string, _limits: MemoryLimits): void {
    // The memory is the buffer given to instantiate().
  }

  /** @inheritdoc */
  addFunction(type: FuncType, options: AddFunctionOptions = {}): JsFunctionBuilder {
    const index = this.#imports.length + this.#functions.length;
    const fb = new JsFunctionBuilder(type, index, (f) => this.#name(f));
    fb.callType = (f) => this.#type(f);
    this.#functions.push({ fb, exportAs: options.exportAs });
    return fb;
  }

  #name(f: number): string {
    return f < this.#imports.length ? `imp${f}` : `f${f}`;
  }

  #type(f: number): FuncType {
    if (f < this.#imports.length) return this.#imports[f].type;
    const d = this.#functions[f - this.#imports.length];
    if (d === undefined) throw new TypeError(`call of unknown function ${f}`);
    return d.fb.type;
  }

  /** The module's JavaScript source (for inspection and tests). */
  source(): string {
    let src =
      '"use strict";\nconst F64 = new Float64Array(buffer), I32 = new Int32Array(buffer), ' +
      "U8 = new Uint8Array(buffer);\n";
    this.#imports.forEach((imp, j) => {
      src += `const imp${j} = imports[${JSON.stringify(imp.module)}][${
        JSON.stringify(imp.name)
      }];\n`;
    });
    for (const { fb } of this.#functions) src += fb.source(`f${fb.index}`);
    const exported = this.#functions.filter((f) => f.exportAs !== undefined)
      .map((f) => `${JSON.stringify(f.exportAs)}: f${f.fb.index}`);
    return src + `return { ${exported.join(", ")} };\n`;
  }

  /**
   * Compiles the module's functions over `buffer`.
   *
   * @param imports host functions by module and name
   * @param buffer the memory (the engine memory's buffer)
   * @returns the exported functions
   */
  instantiate(imports: JsImports, buffer: ArrayBuffer): JsExports {
    for (const imp of this.#imports) {
      if (typeof imports[imp.module]?.[imp.name] !== "function") {
        throw new TypeError(`Missing import "${imp.module}.${imp.name}"`);
      }
    }
    const factory = new Function("imports", "buffer", "R", this.source());
    return factory(imports, buffer, RUNTIME) as JsExports;
  }
}
