import assert from "node:assert/strict";
import {
  encodeSignedLeb128,
  encodeUnsignedLeb128,
  type FuncType,
  ModuleBuilder,
} from "./wasm_builder.ts";

function instantiate(mb: ModuleBuilder, imports: WebAssembly.Imports = {}): WebAssembly.Exports {
  const bytes = mb.encode();
  assert.ok(WebAssembly.validate(bytes), "module does not validate");
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
}

Deno.test("encodeUnsignedLeb128() encodes the edges of u32", () => {
  assert.deepEqual([...encodeUnsignedLeb128(0)], [0]);
  assert.deepEqual([...encodeUnsignedLeb128(127)], [0x7f]);
  assert.deepEqual([...encodeUnsignedLeb128(128)], [0x80, 0x01]);
  assert.deepEqual([...encodeUnsignedLeb128(0xffffffff)], [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.throws(() => encodeUnsignedLeb128(-1), RangeError);
  assert.throws(() => encodeUnsignedLeb128(2 ** 32), RangeError);
  assert.throws(() => encodeUnsignedLeb128(1.5), RangeError);
});

Deno.test("encodeSignedLeb128() encodes sign bits at the 7-bit boundaries", () => {
  assert.deepEqual([...encodeSignedLeb128(0)], [0]);
  assert.deepEqual([...encodeSignedLeb128(63)], [0x3f]);
  assert.deepEqual([...encodeSignedLeb128(64)], [0xc0, 0x00]);
  assert.deepEqual([...encodeSignedLeb128(-1)], [0x7f]);
  assert.deepEqual([...encodeSignedLeb128(-64)], [0x40]);
  assert.deepEqual([...encodeSignedLeb128(-65)], [0xbf, 0x7f]);
  assert.deepEqual([...encodeSignedLeb128(-(2n ** 63n))], [
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x80,
    0x7f,
  ]);
});

Deno.test("ModuleBuilder: integer constants round-trip through i32.const and i64.const", () => {
  const mb = new ModuleBuilder();
  const values = [0, 1, -1, 63, 64, -64, -65, 2147483647, -2147483648];
  values.forEach((x, j) => {
    const f = mb.addFunction({ params: [], results: ["i32"] }, { exportAs: `c${j}` });
    f.i32Const(x);
  });
  const big = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 0x4338000000000000n];
  big.forEach((x, j) => {
    const f = mb.addFunction({ params: [], results: ["i64"] }, { exportAs: `b${j}` });
    f.i64Const(x);
  });
  const ex = instantiate(mb);
  values.forEach((x, j) => assert.equal((ex[`c${j}`] as () => number)(), x));
  big.forEach((x, j) => assert.equal((ex[`b${j}`] as () => bigint)(), x));
});

Deno.test("ModuleBuilder: f64.const keeps the exact bits, including −0 and subnormals", () => {
  const mb = new ModuleBuilder();
  const values = [0.1, -0, 5e-324, Number.MAX_VALUE, -Infinity, Math.PI];
  values.forEach((x, j) => {
    const f = mb.addFunction({ params: [], results: ["f64"] }, { exportAs: `f${j}` });
    f.f64Const(x);
  });
  const ex = instantiate(mb);
  values.forEach((x, j) => assert.ok(Object.is((ex[`f${j}`] as () => number)(), x)));
});

Deno.test("ModuleBuilder: loop with br_if sums 1..n; if/else with a result picks a branch", () => {
  const mb = new ModuleBuilder();
  const sum = mb.addFunction({ params: ["i32"], results: ["i32"] }, { exportAs: "sum" });
  const acc = sum.local("i32");
  const done = sum.block();
  const loop = sum.loop();
  sum.op("local.get", 0);
  sum.op("i32.eqz");
  sum.brIf(done);
  sum.op("local.get", acc);
  sum.op("local.get", 0);
  sum.op("i32.add");
  sum.op("local.set", acc);
  sum.op("local.get", 0);
  sum.i32Const(1);
  sum.op("i32.sub");
  sum.op("local.set", 0);
  sum.br(loop);
  sum.op("end");
  sum.op("end");
  sum.op("local.get", acc);
  const sign = mb.addFunction({ params: ["f64"], results: ["f64"] }, { exportAs: "sign" });
  sign.op("local.get", 0);
  sign.f64Const(0);
  sign.op("f64.lt");
  sign.if("f64");
  sign.f64Const(-1);
  sign.op("else");
  sign.f64Const(1);
  sign.op("end");
  const ex = instantiate(mb);
  assert.equal((ex.sum as (n: number) => number)(100), 5050);
  assert.equal((ex.sign as (x: number) => number)(-3), -1);
  assert.equal((ex.sign as (x: number) => number)(2), 1);
});

Deno.test("ModuleBuilder: calls an imported host function and a defined function, uses a global", () => {
  const mb = new ModuleBuilder();
  const unary: FuncType = { params: ["f64"], results: ["f64"] };
  const hostExp = mb.importFunction("math", "exp", unary);
  const counter = mb.addGlobal("i32", 0);
  const twice = mb.addFunction(unary);
  twice.op("local.get", 0);
  twice.op("local.get", 0);
  twice.op("f64.add");
  const f = mb.addFunction(unary, { exportAs: "f" });
  f.op("global.get", counter);
  f.i32Const(1);
  f.op("i32.add");
  f.op("global.set", counter);
  f.op("local.get", 0);
  f.op("call", hostExp);
  f.op("call", twice.index);
  const g = mb.addFunction({ params: [], results: ["i32"] }, { exportAs: "count" });
  g.op("global.get", counter);
  const ex = instantiate(mb, { math: { exp: Math.exp } });
  assert.equal((ex.f as (x: number) => number)(1), 2 * Math.E);
  (ex.f as (x: number) => number)(0);
  assert.equal((ex.count as () => number)(), 2);
});

Deno.test("ModuleBuilder: an imported memory is shared with JavaScript views", () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const mb = new ModuleBuilder();
  mb.importMemory("env", "memory", { initial: 1, maximum: 1 });
  // out[1] = in[0] * 3 at byte offsets 0 and 8 (memarg offset 8)
  const f = mb.addFunction({ params: [], results: [] }, { exportAs: "run" });
  f.i32Const(0);
  f.i32Const(0);
  f.op("f64.load", 0);
  f.f64Const(3);
  f.op("f64.mul");
  f.op("f64.store", 8);
  const ex = instantiate(mb, { env: { memory } });
  const view = new Float64Array(memory.buffer, 0, 2);
  view[0] = 1.25;
  (ex.run as () => void)();
  assert.equal(view[1], 3.75);
});

Deno.test("ModuleBuilder: f64x2 lanes, splat loads, lane loads/stores and i64x2 shifts", () => {
  const mb = new ModuleBuilder();
  mb.addMemory({ initial: 1 }, "memory");
  const f = mb.addFunction({ params: [], results: [] }, { exportAs: "run" });
  // mem[2..3] = (mem[0..1] * splat(mem[4])) with lane 1 replaced by −lane 0
  const v = f.local("v128");
  f.i32Const(16);
  f.i32Const(0);
  f.op("v128.load", 0);
  f.i32Const(0);
  f.op("v128.load64_splat", 32);
  f.op("f64x2.mul");
  f.op("local.tee", v);
  f.op("local.get", v);
  f.op("f64x2.extract_lane", 0);
  f.op("f64.neg");
  f.op("f64x2.replace_lane", 1);
  f.op("v128.store", 0);
  // mem[5] = lane 1 of (load64_lane into zero vector of mem[0]) → mem[0]
  f.i32Const(0);
  f.f64x2Const(0);
  f.op("v128.load64_lane", 0, 1);
  f.op("local.set", v);
  f.i32Const(40);
  f.op("local.get", v);
  f.op("v128.store64_lane", 0, 1);
  // i64 lanes: (1 << 52) + (1023 << 52) = bits of 2.0 in both lanes → mem[6..7]
  f.i32Const(48);
  f.i64x2Const(1024n);
  f.i32Const(52);
  f.op("i64x2.shl");
  f.op("v128.store", 0);
  const ex = instantiate(mb);
  const heap = new Float64Array((ex.memory as WebAssembly.Memory).buffer, 0, 8);
  heap.set([1.5, -2, 0, 0, 4]);
  (ex.run as () => void)();
  assert.deepEqual([...heap], [1.5, -2, 6, -6, 4, 1.5, 2, 2]);
});

Deno.test("ModuleBuilder/FunctionBuilder reject malformed use with a TypeError", () => {
  const mb = new ModuleBuilder();
  const f = mb.addFunction({ params: [], results: [] });
  assert.throws(() => f.op("local.get"), TypeError);
  assert.throws(() => f.op("f64.add", 1), TypeError);
  assert.throws(() => f.op("end"), TypeError);
  const inner = f.block();
  f.op("end");
  assert.throws(() => f.br(inner), TypeError);
  f.block();
  assert.throws(() => mb.encode(), /left open/);
  assert.throws(() => mb.importFunction("m", "x", { params: [], results: [] }), TypeError);
  const m2 = new ModuleBuilder();
  m2.addMemory({ initial: 1 });
  assert.throws(() => m2.importMemory("env", "memory", { initial: 1 }), TypeError);
});
