import assert from "node:assert/strict";
import { detectEngineTier, selectEngineTier } from "./wasm_support.ts";

Deno.test("detectEngineTier() finds WebAssembly SIMD in this Deno", () => {
  // Deno's V8 has shipped WebAssembly SIMD since 2021; a change here means the runtime lost it.
  assert.equal(detectEngineTier(), "simd");
});

Deno.test("selectEngineTier() caps the detected tier: forced scalar and forced JavaScript fallback", () => {
  assert.equal(selectEngineTier(), "simd");
  assert.equal(selectEngineTier({ atMost: "simd" }), "simd");
  assert.equal(selectEngineTier({ atMost: "scalar" }), "scalar");
  assert.equal(selectEngineTier({ atMost: "js" }), "js");
});

Deno.test("detectEngineTier() reports the JavaScript tier when WebAssembly is absent", () => {
  const saved = globalThis.WebAssembly;
  try {
    // deno-lint-ignore no-explicit-any
    (globalThis as any).WebAssembly = undefined;
    assert.equal(detectEngineTier(), "js");
    assert.equal(selectEngineTier(), "js");
  } finally {
    globalThis.WebAssembly = saved;
  }
});

Deno.test("detectEngineTier() reports scalar WebAssembly when a runtime refuses SIMD modules", () => {
  const saved = WebAssembly.validate;
  try {
    // A runtime without SIMD: validate() is false for any module that uses v128.
    WebAssembly.validate = (bytes: BufferSource) => {
      const b = new Uint8Array(bytes instanceof ArrayBuffer ? bytes : bytes.buffer);
      return !b.includes(0xfd) && saved(bytes);
    };
    assert.equal(detectEngineTier(), "scalar");
  } finally {
    WebAssembly.validate = saved;
  }
});
