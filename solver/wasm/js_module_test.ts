import assert from "node:assert/strict";
import { createHinesSystem, stepVoltage, stepVoltageFast } from "../hines_solver.ts";
import { allocateEngineMemory, f64View, importEngineMemory } from "./engine_memory.ts";
import { JsModuleBuilder } from "./js_module.ts";
import { ModuleBuilder } from "./wasm_builder.ts";
import type { ModuleEmitter } from "./wasm_builder.ts";
import { emitHinesSolve, fillHinesRegions, hinesRegions } from "./wasm_hines.ts";

Deno.test("JsModuleBuilder: i32 arithmetic wraps, loops, ifs and branches behave as in WebAssembly", () => {
  const build = (mb: ModuleEmitter) => {
    // f(n) = Σ_{k<n} (k·0x40000001 wrapped) | (k odd ? 1 : 0), with an early exit at k = 50.
    const f = mb.addFunction({ params: ["i32"], results: ["i32"] }, { exportAs: "f" });
    const k = f.local("i32"), acc = f.local("i32");
    const out = f.block();
    const loop = f.loop();
    f.op("local.get", k);
    f.op("local.get", 0);
    f.op("i32.ge_s");
    f.brIf(out);
    f.op("local.get", k);
    f.i32Const(50);
    f.op("i32.eq");
    f.brIf(out);
    f.op("local.get", acc);
    f.op("local.get", k);
    f.i32Const(0x40000001);
    f.op("i32.mul");
    f.op("i32.add");
    f.op("local.set", acc);
    f.op("local.get", k);
    f.i32Const(1);
    f.op("i32.and");
    f.if();
    f.op("local.get", acc);
    f.i32Const(1);
    f.op("i32.xor");
    f.op("local.set", acc);
    f.op("else");
    f.op("local.get", acc);
    f.i32Const(3);
    f.op("i32.shr_u");
    f.op("local.set", acc);
    f.op("end");
    f.op("local.get", k);
    f.i32Const(1);
    f.op("i32.add");
    f.op("local.set", k);
    f.br(loop);
    f.op("end");
    f.op("end");
    f.op("local.get", acc);
  };
  const wmb = new ModuleBuilder();
  build(wmb);
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(wmb.encode())).exports
    .f as (n: number) => number;
  const jmb = new JsModuleBuilder();
  build(jmb);
  const js = jmb.instantiate({}, new ArrayBuffer(8)).f;
  for (const n of [0, 1, 7, 40, 49, 50, 51, 100]) assert.equal(js(n), wasm(n), `n = ${n}`);
});

Deno.test("JsModuleBuilder: the Hines solve as JavaScript equals the JavaScript solve to the bit", () => {
  const n = 97, dt = 0.025;
  const parent = Int32Array.from({ length: n }, (_, k) => (k === 0 ? -1 : (k * 7) % k));
  const gAxial = Float64Array.from({ length: n }, (_, k) => 0.01 + ((k * 13) % 17) / 7);
  const area = Float64Array.from({ length: n }, (_, k) => (k % 11 === 0 ? 0 : 10 + k));
  const cm = Float64Array.from({ length: n }, (_, k) => 0.5 + (k % 5) / 3);
  for (const variant of ["exact", "fast"] as const) {
    const mem = allocateEngineMemory([
      { name: "v", kind: "f64", length: n, perLane: true },
      { name: "i", kind: "f64", length: n, perLane: true },
      { name: "g", kind: "f64", length: n, perLane: true },
      ...hinesRegions(n, variant),
    ], { wasm: false });
    const system = createHinesSystem(parent, gAxial, area, cm);
    fillHinesRegions(mem, system, variant, dt);
    const mb = new JsModuleBuilder();
    mb.importMemory("env", "memory", { initial: 1 });
    emitHinesSolve(mb, mem, variant, "solve");
    const solve = mb.instantiate({}, mem.buffer).solve;
    const [v, i, g] = [f64View(mem, "v"), f64View(mem, "i"), f64View(mem, "g")];
    const ref = { v: new Float64Array(n), i: new Float64Array(n), g: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      v[k] = ref.v[k] = -70 + Math.sin(k);
      i[k] = ref.i[k] = 1e-3 * Math.cos(3 * k);
      g[k] = ref.g[k] = 1e-4 * (k % 3);
    }
    for (let step = 0; step < 5; step++) {
      solve();
      (variant === "exact" ? stepVoltage : stepVoltageFast)(system, ref.v, ref.i, ref.g, dt);
      for (let k = 0; k < n; k++) {
        i[k] = ref.i[k] = 1e-3 * Math.cos(3 * k + step);
        g[k] = ref.g[k] = 1e-4 * ((k + step) % 3);
      }
    }
    for (let k = 0; k < n; k++) assert.ok(Object.is(v[k], ref.v[k]), `${variant}: v[${k}]`);
    // The WebAssembly tier on the same instructions agrees too.
    const wmem = allocateEngineMemory([
      { name: "v", kind: "f64", length: n, perLane: true },
      { name: "i", kind: "f64", length: n, perLane: true },
      { name: "g", kind: "f64", length: n, perLane: true },
      ...hinesRegions(n, variant),
    ]);
    fillHinesRegions(wmem, system, variant, dt);
    const wmb = new ModuleBuilder();
    const imports = importEngineMemory(wmb, wmem);
    emitHinesSolve(wmb, wmem, variant, "solve");
    const wsolve = new WebAssembly.Instance(new WebAssembly.Module(wmb.encode()), imports).exports
      .solve as () => void;
    f64View(wmem, "v").set(ref.v);
    f64View(wmem, "i").set(ref.i);
    f64View(wmem, "g").set(ref.g);
    v.set(ref.v);
    i.set(ref.i);
    g.set(ref.g);
    wsolve();
    solve();
    const wv = f64View(wmem, "v");
    for (let k = 0; k < n; k++) assert.ok(Object.is(v[k], wv[k]), `${variant} wasm: v[${k}]`);
  }
});

Deno.test("JsModuleBuilder: memory.fill writes the bytes the WebAssembly instruction writes", () => {
  const build = (mb: ModuleEmitter) => {
    // fill(d, value, n): bytes [d, d + n) = value.
    const f = mb.addFunction({ params: ["i32", "i32", "i32"], results: [] }, { exportAs: "fill" });
    f.op("local.get", 0);
    f.op("local.get", 1);
    f.op("local.get", 2);
    f.op("memory.fill", 0);
  };
  const wmb = new ModuleBuilder();
  wmb.importMemory("env", "memory", { initial: 1 });
  build(wmb);
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wasm = new WebAssembly.Instance(new WebAssembly.Module(wmb.encode()), { env: { memory } })
    .exports.fill as (d: number, value: number, n: number) => void;
  const jmb = new JsModuleBuilder();
  jmb.importMemory("env", "memory", { initial: 1 });
  build(jmb);
  const buffer = new ArrayBuffer(65536);
  const js = jmb.instantiate({}, buffer).fill as (d: number, value: number, n: number) => void;
  const w = new Uint8Array(memory.buffer), j = new Uint8Array(buffer);
  for (let k = 0; k < 256; k++) w[k] = j[k] = 255 - k;
  for (const [d, value, n] of [[8, 0, 64], [3, 7, 5], [100, 0, 0], [200, 1, 56]]) {
    wasm(d, value, n);
    js(d, value, n);
  }
  assert.deepEqual(j.subarray(0, 256), w.subarray(0, 256));
  assert.equal(j[8 + 63], 0);
  assert.equal(j[3], 7);
  assert.equal(j[255], 1);
  assert.equal(j[72], 255 - 72);
});
