import assert from "node:assert/strict";
import {
  allocateEngineMemory,
  f64View,
  i32View,
  readLane,
  REGION_ALIGN,
  regionOffset,
  writeLane,
} from "./engine_memory.ts";

Deno.test("allocateEngineMemory() aligns regions and interleaves per-lane arrays", () => {
  const m = allocateEngineMemory([
    { name: "v", kind: "f64", length: 5, perLane: true },
    { name: "parent", kind: "i32", length: 5, perLane: false },
    { name: "gbar", kind: "f64", length: 3, perLane: false },
  ], { lanes: 4 });
  for (const r of m.regions.values()) assert.equal(r.offset % REGION_ALIGN, 0);
  assert.equal(f64View(m, "v").length, 20);
  assert.equal(i32View(m, "parent").length, 5);
  assert.equal(regionOffset(m, "parent"), 192); // 20 doubles = 160 bytes → next 64-byte line
  writeLane(m, "v", 2, [1, 2, 3, 4, 5]);
  const v = f64View(m, "v");
  assert.equal(v[0 * 4 + 2], 1);
  assert.equal(v[4 * 4 + 2], 5);
  assert.deepEqual([...readLane(m, "v", 2)], [1, 2, 3, 4, 5]);
  assert.deepEqual([...readLane(m, "v", 1)], [0, 0, 0, 0, 0]);
  writeLane(m, "gbar", 0, [7, 8, 9]);
  assert.deepEqual([...f64View(m, "gbar")], [7, 8, 9]);
});

Deno.test("allocateEngineMemory() with one lane gives plain views the JavaScript kernels can index", () => {
  const m = allocateEngineMemory([
    { name: "v", kind: "f64", length: 3, perLane: true },
    { name: "i", kind: "f64", length: 3, perLane: true },
  ]);
  const v = f64View(m, "v");
  v.set([-65, -70, -75]);
  assert.deepEqual([...readLane(m, "v", 0)], [-65, -70, -75]);
  assert.equal(v.buffer, m.memory?.buffer);
});

Deno.test("allocateEngineMemory() without WebAssembly gives a plain buffer with the same layout", () => {
  const req = [
    { name: "v", kind: "f64", length: 5, perLane: true },
    { name: "parent", kind: "i32", length: 5, perLane: false },
  ] as const;
  const plain = allocateEngineMemory(req, { wasm: false });
  const wasm = allocateEngineMemory(req);
  assert.equal(plain.memory, undefined);
  assert.ok(!(plain.buffer instanceof SharedArrayBuffer) && plain.buffer.byteLength >= plain.bytes);
  assert.deepEqual([...plain.regions.values()].map((r) => r.offset), [
    ...[...wasm.regions.values()].map((r) => r.offset),
  ]);
  f64View(plain, "v")[4] = 2.5;
  assert.deepEqual([...readLane(plain, "v", 0)], [0, 0, 0, 0, 2.5]);
});

Deno.test("allocateEngineMemory() rejects duplicates, bad lengths and lane counts", () => {
  const r = { name: "v", kind: "f64", length: 1, perLane: true } as const;
  assert.throws(() => allocateEngineMemory([r, r]), /Duplicate region "v"/);
  assert.throws(() => allocateEngineMemory([{ ...r, length: -1 }]), RangeError);
  assert.throws(() => allocateEngineMemory([r], { lanes: 3 }), /Lanes must be 1, 2 or 4, got 3/);
  const m = allocateEngineMemory([r]);
  assert.throws(() => f64View(m, "w"), /No region "w"/);
  assert.throws(() => i32View(m, "v"), TypeError);
});
